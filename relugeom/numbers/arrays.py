"""Exact rational arrays: :class:`RationalArray` (numerators over denominators, int64 while
the entries are safely small, Python ints beyond) and its helpers, the backend of the 1-D
functions' breakpoints and values."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np

__all__ = ["RationalArray"]

from .limbs import maxabs
from .rational import _EXACT_FLOAT, _SAFE, _frac, short


# ----------------------------------------------------------------------------------
# the array backend

_maxabs = maxabs                     # the one copy, in limbs


def _obj(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == object else a.astype(object)


def _shrink(a: np.ndarray) -> np.ndarray:
    """Return ``a`` as int64 when all entries are safely small, else as given."""
    if a.dtype == object and (a.size == 0 or _maxabs(a) < _SAFE):
        return a.astype(np.int64)
    return a


def _mul(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """Exact elementwise product of integer arrays (or array times Python int)."""
    if isinstance(b, (int, np.integer)):
        b = int(b)
        if a.dtype != object and abs(b) < _SAFE and _maxabs(a) * abs(b) < _SAFE:
            return a * np.int64(b)
        return _obj(a) * b
    if a.dtype != object and b.dtype != object and _maxabs(a) * _maxabs(b) < _SAFE:
        return a * b
    return _obj(a) * _obj(b)


def _add(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """Exact elementwise sum of integer arrays (or array plus Python int)."""
    if isinstance(b, (int, np.integer)):
        b = int(b)
        if a.dtype != object and _maxabs(a) + abs(b) < _SAFE:
            return a + np.int64(b)
        return _obj(a) + b
    if a.dtype != object and b.dtype != object and _maxabs(a) + _maxabs(b) < _SAFE:
        return a + b
    return _obj(a) + _obj(b)


def _reduce(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Divide out common factors; denominators positive; int64 when small."""
    if num.size == 0:
        return num.astype(np.int64), den.astype(np.int64)
    if num.dtype == object or den.dtype == object:
        num, den = _obj(num), _obj(den)
    g = np.gcd(num, den)
    if num.dtype == object:
        g[g == 0] = 1
    else:
        g = np.where(g == 0, 1, g)
    num = num // g
    den = den // g
    neg = den < 0
    if neg.any():
        num = np.where(neg, -num, num)
        den = np.where(neg, -den, den)
    if num.dtype == object:
        if _maxabs(num) < _SAFE and _maxabs(den) < _SAFE:
            num, den = num.astype(np.int64), den.astype(np.int64)
    return num, den


class RationalArray:
    """An immutable one-dimensional array of exact rationals (internal fast backend).

    Stored as numerator and positive denominator arrays, ``int64`` while every
    entry is below 2**62 in magnitude and Python integers otherwise. Not part of the
    user-facing surface: public results are tuples of :class:`~fractions.Fraction`.
    """

    __slots__ = ("num", "den", "_float", "lowest")

    def __init__(self, num: np.ndarray, den: np.ndarray, *, reduced: bool = False,
                 lazy: bool = False):
        # reduced: the caller guarantees lowest terms; lazy: keep the entries as given
        # (positive denominators, possibly common factors) and reduce only on demand
        if not (reduced or lazy):
            num, den = _reduce(num, den)
        self.num = num
        self.den = den
        self.lowest = not lazy
        self._float: np.ndarray | None = None

    # construction -----------------------------------------------------------------
    @classmethod
    def from_fractions(cls, values: Sequence[Fraction]) -> "RationalArray":
        """Build from Fractions (already reduced, positive denominators)."""
        nums = [v.numerator for v in values]
        dens = [v.denominator for v in values]
        if all(-_SAFE < n < _SAFE for n in nums) and all(d < _SAFE for d in dens):
            return cls(np.array(nums, dtype=np.int64), np.array(dens, dtype=np.int64),
                       reduced=True)
        return cls(np.array(nums, dtype=object), np.array(dens, dtype=object), reduced=True)

    @classmethod
    def from_ints(cls, values: np.ndarray | Sequence[int]) -> "RationalArray":
        """Build from integers (numpy integer array or Python ints)."""
        num = np.asarray(values)
        num = _shrink(num.astype(object)) if num.dtype == object else num.astype(np.int64)
        return cls(num, np.ones(len(num), dtype=num.dtype), reduced=True)

    @classmethod
    def full(cls, n: int, value: Fraction) -> "RationalArray":
        """``n`` copies of ``value``."""
        return cls.from_fractions([value]).take(np.zeros(n, dtype=np.intp))

    @classmethod
    def empty(cls) -> "RationalArray":
        return cls(np.zeros(0, dtype=np.int64), np.ones(0, dtype=np.int64), reduced=True)

    @staticmethod
    def concatenate(parts: Sequence["RationalArray"]) -> "RationalArray":
        parts = [p for p in parts if len(p)]
        if not parts:
            return RationalArray.empty()
        if any(p.num.dtype == object for p in parts):
            num = np.concatenate([_obj(p.num) for p in parts])
            den = np.concatenate([_obj(p.den) for p in parts])
        else:
            num = np.concatenate([p.num for p in parts])
            den = np.concatenate([p.den for p in parts])
        lowest = all(p.lowest for p in parts)
        return RationalArray(num, den, reduced=lowest, lazy=not lowest)

    # access -------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.num)

    def __getitem__(self, i: int) -> Fraction:
        if not self.lowest:
            return Fraction(int(self.num[i]), int(self.den[i]))
        return _frac(int(self.num[i]), int(self.den[i]))

    def reduced(self) -> "RationalArray":
        """The same values in lowest terms."""
        return self if self.lowest else RationalArray(self.num, self.den)

    def take(self, idx: np.ndarray) -> "RationalArray":
        out = RationalArray(self.num[idx], self.den[idx], reduced=self.lowest,
                            lazy=not self.lowest)
        if self._float is not None:
            out._float = self._float[idx]
        return out

    def slice(self, start: int, stop: int) -> "RationalArray":
        out = RationalArray(self.num[start:stop], self.den[start:stop], reduced=self.lowest,
                            lazy=not self.lowest)
        if self._float is not None:
            out._float = self._float[start:stop]
        return out

    def reversed(self) -> "RationalArray":
        return self.take(np.arange(len(self) - 1, -1, -1))

    def to_fractions(self) -> tuple[Fraction, ...]:
        if not self.lowest:
            return tuple(Fraction(n, d) for n, d in zip(self.num.tolist(), self.den.tolist()))
        return tuple(_frac(n, d)
                     for n, d in zip(self.num.tolist(), self.den.tolist()))

    @property
    def is_object(self) -> bool:
        return self.num.dtype == object

    def nbytes(self) -> int:
        """Approximate memory held by the two arrays, Python integers included."""
        total = self.num.nbytes + self.den.nbytes
        if self.is_object:
            total += sum(int(x).__sizeof__() for x in self.num) + \
                sum(int(x).__sizeof__() for x in self.den)
        return total

    def to_float(self) -> np.ndarray:
        """Correctly rounded float64 shadows (cached); +-inf where out of range."""
        if self._float is None:
            num, den = self.num, self.den
            if num.dtype != object and _maxabs(num) < _EXACT_FLOAT and \
                    _maxabs(den) < _EXACT_FLOAT:
                f = num.astype(np.float64) / den.astype(np.float64)
            else:
                try:
                    f = (_obj(num) / _obj(den)).astype(np.float64)
                except OverflowError:
                    f = np.array([_safe_div(n, d) for n, d in zip(num.tolist(),
                                                                 den.tolist())])
            self._float = f
        return self._float

    # arithmetic -----------------------------------------------------------------------
    def __neg__(self) -> "RationalArray":
        return RationalArray(-self.num, self.den, reduced=self.lowest, lazy=not self.lowest)

    def __add__(self, other: "RationalArray | Fraction") -> "RationalArray":
        if isinstance(other, Fraction):
            p, q = other.numerator, other.denominator
            if q == 1:
                return RationalArray(_add(self.num, _mul(self.den, p)), self.den,
                                     reduced=self.lowest, lazy=not self.lowest)
            return RationalArray(_add(_mul(self.num, q), _mul(self.den, p)),
                                 _mul(self.den, q))
        return RationalArray(_add(_mul(self.num, other.den), _mul(other.num, self.den)),
                             _mul(self.den, other.den))

    def __sub__(self, other: "RationalArray | Fraction") -> "RationalArray":
        return self + (-other)

    def __mul__(self, other: "RationalArray | Fraction") -> "RationalArray":
        if isinstance(other, Fraction):
            if other == 0:
                return RationalArray(np.zeros(len(self), dtype=np.int64),
                                     np.ones(len(self), dtype=np.int64), reduced=True)
            return RationalArray(_mul(self.num, other.numerator),
                                 _mul(self.den, other.denominator))
        return RationalArray(_mul(self.num, other.num), _mul(self.den, other.den))

    __rmul__ = __mul__

    def __truediv__(self, other: "RationalArray | Fraction") -> "RationalArray":
        if isinstance(other, Fraction):
            if other == 0:
                raise ZeroDivisionError("division of a rational array by zero")
            return self * (1 / other)
        if (other.num == 0).any():
            raise ZeroDivisionError("elementwise division by zero")
        return RationalArray(_mul(self.num, other.den), _mul(self.den, other.num))

    def affine(self, scale: Fraction, shift: Fraction) -> "RationalArray":
        """``scale * self + shift`` entrywise."""
        return self * scale + shift

    # comparisons (exact, elementwise) --------------------------------------------------
    def _cmp_key(self, other: "RationalArray") -> tuple[np.ndarray, np.ndarray]:
        return _mul(self.num, other.den), _mul(other.num, self.den)

    def lt(self, other: "RationalArray") -> np.ndarray:
        a, b = self._cmp_key(other)
        return np.asarray(a < b, dtype=bool)

    def le(self, other: "RationalArray") -> np.ndarray:
        a, b = self._cmp_key(other)
        return np.asarray(a <= b, dtype=bool)

    def eq(self, other: "RationalArray") -> np.ndarray:
        if self.lowest and other.lowest:
            return np.asarray((self.num == other.num) & (self.den == other.den), dtype=bool)
        a, b = self._cmp_key(other)
        return np.asarray(a == b, dtype=bool)

    def sign(self) -> np.ndarray:
        """Entrywise sign as an int8 array."""
        return np.sign(self.num).astype(np.int8) if not self.is_object else \
            np.array([(n > 0) - (n < 0) for n in self.num.tolist()], dtype=np.int8)

    def cmp(self, other: "RationalArray") -> np.ndarray:
        """Entrywise sign of ``self - other`` (int8)."""
        a, b = self._cmp_key(other)
        return (np.asarray(a > b, dtype=np.int8) - np.asarray(a < b, dtype=np.int8))

    def cmp_scalar(self, value: Fraction) -> np.ndarray:
        """Entrywise sign of ``self - value`` (int8)."""
        a = _mul(self.num, value.denominator)
        b = _mul(self.den, value.numerator)
        return (np.asarray(a > b, dtype=np.int8) - np.asarray(a < b, dtype=np.int8))

    def is_strictly_increasing(self) -> bool:
        if len(self) < 2:
            return True
        return bool(self.slice(0, len(self) - 1).lt(self.slice(1, len(self))).all())

    def searchsorted(self, queries: "RationalArray", side: str = "left") -> np.ndarray:
        """Exact ``np.searchsorted`` of ``queries`` into this sorted array.

        Float shadows decide every query whose shadow differs from all entries'; equal
        shadows are settled exactly.
        """
        xf, qf = self.to_float(), queries.to_float()
        lo = np.searchsorted(xf, qf, side="left")
        hi = np.searchsorted(xf, qf, side="right")
        out = lo.copy()
        amb = np.nonzero(hi > lo)[0]
        for i in amb.tolist():
            q = queries[i]
            k = int(lo[i])
            end = int(hi[i])
            while k < end and (self[k] < q if side == "left" else self[k] <= q):
                k += 1
            out[i] = k
        return out

    def searchsorted_scalar(self, q: Fraction, side: str = "left") -> int:
        """Exact position of one query: float shadows if cached, else exact bisection."""
        if self._float is not None:
            return int(self.searchsorted(RationalArray.from_fractions([q]), side)[0])
        lo, hi = 0, len(self)
        while lo < hi:
            mid = (lo + hi) // 2
            if self[mid] < q or (side == "right" and self[mid] == q):
                lo = mid + 1
            else:
                hi = mid
        return lo

    def argsort(self) -> np.ndarray:
        """Exact stable argsort (float shadows, equal shadows settled exactly)."""
        f = self.to_float()
        order = np.argsort(f, kind="stable")
        fs = f[order]
        if len(fs) > 1:
            same = np.nonzero(fs[1:] == fs[:-1])[0]
            if len(same):
                # groups of equal shadows: sort each exactly
                starts = same[np.r_[True, np.diff(same) > 1]]
                for s in starts.tolist():
                    e = s + 1
                    while e < len(fs) and fs[e] == fs[s]:
                        e += 1
                    grp = order[s:e]
                    order[s:e] = sorted(grp.tolist(), key=lambda j: (self[j], j))
        return order

    def __repr__(self) -> str:
        n = len(self)
        head = ", ".join(short(x) for x in self.to_fractions()[:5]) if n <= 5 else \
            ", ".join(short(self[i]) for i in range(3)) + ", ..."
        return f"RationalArray([{head}], n={n})"


def _safe_div(n: int, d: int) -> float:
    try:
        return n / d
    except OverflowError:
        return math.inf if (n > 0) == (d > 0) else -math.inf

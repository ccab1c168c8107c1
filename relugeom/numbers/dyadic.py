"""Exact integer matrices over one common denominator, read from numpy arrays at numpy
speed.

Every finite binary float is a dyadic rational ``m * 2**e``. :func:`dyadic` splits a whole
float array into integer mantissas and one power-of-two scale with ``np.frexp`` (no
Python object per entry), so an importer reads a float32 weight matrix exactly in a few
numpy passes. :class:`IntMatrix` is the form the importers compose and the networks store:
``W / D`` and ``b / D`` with integer arrays (``int64`` while every entry and every
intermediate of a product stays below ``2**62`` in magnitude, arrays of Python integers
beyond) and one positive integer ``D``.

>>> import numpy as np
>>> M, e = dyadic(np.array([0.75, -2.0, 0.0], dtype=np.float32), "w")
>>> M.tolist(), e
([3, -8, 0], -2)
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, NamedTuple, Sequence

import numpy as np

from ..errors import DomainError, NotExactError
from .jit import compile_once
from .limbs import maxabs

__all__ = ["dyadic", "dyadic_matrix", "IntMatrix", "int_matmul", "maxabs", "fractions_of",
           "ints_of", "fraction_array"]

_SAFE = 1 << 62          # int64 entries stay below this in magnitude
_MANT = 53               # float64 mantissa bits


def _shift(M: np.ndarray, s: np.ndarray | int) -> np.ndarray:
    """``M * 2**s`` entry by entry (``s >= 0``), in int64 while it fits."""
    s_max = int(np.max(s)) if np.ndim(s) else int(s)
    if s_max == 0:
        return M
    if M.dtype != object and maxabs(M).bit_length() + s_max < 62:
        return np.left_shift(M, s)
    s_obj = np.asarray(s).astype(object) if np.ndim(s) else int(s)
    return np.left_shift(M.astype(object), s_obj)


def dyadic(a: Any, what: str) -> tuple[np.ndarray, int]:
    """Integer mantissas ``M`` and one exponent ``e`` with ``a == M * 2**e`` exactly.

    Floats of every width (float16, float32, float64; ``e`` is the smallest exponent of a
    nonzero entry), integers and booleans (``e = 0``). NaN and infinity are refused with
    :class:`DomainError`, complex and other dtypes with :class:`NotExactError`.
    """
    a = np.asarray(a)
    kind = a.dtype.kind
    if kind in "iu":
        if kind == "u" and a.size and int(a.max()) >= _SAFE:
            return a.astype(object), 0
        return a.astype(np.int64), 0
    if kind == "b":
        return a.astype(np.int64), 0
    if kind == "c":
        raise NotExactError(f"{what}: complex values ({a.dtype}) have no real exact value; "
                            f"expected real floats or integers")
    if kind != "f":
        raise NotExactError(f"{what}: values of dtype {a.dtype} are not numbers")
    if a.dtype.itemsize > 8:
        return _dyadic_wide(a, what)
    if a.dtype.itemsize <= 4:
        fast = _dyadic32(a)
        if fast is not None:
            return fast
    elif a.size > _SMALL:
        got = _compiled(a, None, cap=False)
        if got is not None:
            return got[0], got[2]
    x = a.astype(np.float64).ravel()  # float16 / float32 -> float64 is exact
    if not np.isfinite(x).all():
        bad = float(x[~np.isfinite(x)].ravel()[0])
        raise DomainError(f"{what}: contains {bad!r}, expected finite numbers")
    f, k = np.frexp(x)
    M = np.ldexp(f, _MANT).astype(np.int64)             # exact: |f| < 1 has 53 bits
    e = k.astype(np.int64) - _MANT
    nz = M != 0
    if not nz.any():
        return np.zeros(a.shape, dtype=np.int64), 0
    low = M & -M                                        # lowest set bit
    tz = np.frexp(low.astype(np.float64))[1].astype(np.int64) - 1
    tz[~nz] = 0
    M = M >> tz
    e = e + tz
    e0 = int(e[nz].min())
    s = np.where(nz, e - e0, 0)
    return _shift(M, s).reshape(a.shape), e0


def _dyadic32(a: np.ndarray) -> tuple[np.ndarray, int] | None:
    """float16 / float32 read from their bits (compiled, else integer numpy passes, int32
    until the shift): the same ``(M, e)`` as the frexp route, or None (non-finite
    entries, or exponents spread beyond int64) to leave it to that route."""
    if a.size <= _SMALL:
        return _dyadic_small(a)
    got = _compiled(a, None, cap=False)
    if got is not None:
        return got[0], got[2]
    if _KERNEL and _KERNEL[0] is not None:
        return None                    # the kernel found inf / NaN or a wide spread
    bits = np.ascontiguousarray(a, dtype=np.float32).view(np.int32).ravel()
    ex = bits >> 23
    ex &= 0xFF                                          # biased exponent
    if not bits.size or int(ex.max()) == 0xFF:
        return None                                     # inf / NaN: the general route
    m = bits & 0x7FFFFF
    imp = ex + 0xFF                                     # bit 8 set iff ex != 0
    imp >>= 8
    imp <<= 23
    m |= imp                                            # the implicit leading bit
    sg = bits >> 31                                     # -1 where negative, else 0
    m ^= sg
    m -= sg                                             # signed mantissa, |m| < 2**24
    np.maximum(ex, 1, out=ex)                           # value = m * 2**(ex - 150)
    zero = m == 0
    if zero.all():
        return np.zeros(a.shape, dtype=np.int64), 0
    ex[zero] = 0xFF
    lo = int(ex.min())
    ex[zero] = lo
    if int(ex.max()) - lo + 24 >= 62:
        return None
    ex -= lo
    M = m.astype(np.int64)
    M <<= ex
    g = int(np.bitwise_or.reduce(M))
    tz = (g & -g).bit_length() - 1                      # common trailing zeros
    if tz:
        M >>= tz
    return M.reshape(a.shape), lo - 150 + tz


_SMALL = 40              # up to this many entries, Python's exact ratios beat numpy passes


def _dyadic_small(a: np.ndarray) -> tuple[np.ndarray, int] | None:
    """A small float array from each entry's exact ratio ``n / 2**k`` (float.as_integer_ratio
    is exact): the frexp route's ``(M, e)``, or None for a non-finite entry."""
    try:
        ratios = [v.as_integer_ratio() for v in a.ravel().tolist()]
    except (OverflowError, ValueError):
        return None
    den = max((d for _, d in ratios), default=1)
    if den > 1:                               # reduced ratios: den is the common one
        nums = [n * (den // d) for n, d in ratios]
        e = 1 - den.bit_length()
    else:                                     # integers: strip their common twos
        nums = [n for n, _ in ratios]
        g = 0
        for n in nums:
            g |= n
        if g == 0:
            return np.zeros(a.shape, dtype=np.int64), 0
        e = (g & -g).bit_length() - 1
        nums = [n >> e for n in nums]
    big = max(map(abs, nums)) >= _SAFE
    return np.array(nums, dtype=object if big else np.int64).reshape(a.shape), e


def _dyadic_wide(a: np.ndarray, what: str) -> tuple[np.ndarray, int]:
    """Floats wider than float64 (long double): one Fraction per entry."""
    flat = []
    for v in a.ravel():
        if not np.isfinite(v):
            raise DomainError(f"{what}: contains {float(v)!r}, expected finite numbers")
        flat.append(Fraction(*v.as_integer_ratio()))
    den = math.lcm(*(q.denominator for q in flat)) if flat else 1
    M = np.array([q.numerator * (den // q.denominator) for q in flat], dtype=object)
    e = -(den.bit_length() - 1)
    return M.reshape(a.shape), e


# ---------------------------------------------------------------------- compiled reading
_KERNEL: list = []
_FORMATS = {4: (np.int32, 23, 0xFF, 127), 8: (np.int64, 52, 0x7FF, 1023)}


def _span(bits: np.ndarray, mbits: int, emask: int, lo: int, hi: int) -> tuple:
    """Smallest and largest biased exponents (subnormals as 1) of the nonzero entries,
    merged into (lo, hi); lo = -1 at a non-finite entry. Branch-free (it vectorises)."""
    mm = (1 << mbits) - 1
    for i in range(bits.size):
        b = bits[i]
        ex = (b >> mbits) & emask
        nonzero = ((b & mm) | ex) != 0
        lo = min(lo, max(ex, 1) if nonzero else 1 << 20)
        hi = max(hi, ex if nonzero else -1)
    if hi == emask:
        return -1, hi
    return lo, hi


def _mantissas(bits: np.ndarray, out: np.ndarray, mbits: int, emask: int, lo: int,
               g: int) -> int:
    """Each entry as a signed integer in units of the binade ``lo`` (exact: the caller
    bounds the spread), OR-ed into ``g`` (for the common trailing zeros)."""
    one = np.int64(1) << mbits
    for i in range(bits.size):
        b = bits[i]
        ex = (b >> mbits) & emask
        m = (np.int64(b) & (one - 1)) | (one if ex != 0 else 0)
        m <<= max(ex, 1) - lo
        g |= m
        out[i] = -m if b < 0 else m
    return g


def _rescale(out: np.ndarray, s: int) -> None:
    if s < 0:                     # only common trailing zeros are shifted out
        for i in range(out.size):
            out[i] >>= -s
    elif s > 0:                   # the caller checked the result stays below 2^62
        for i in range(out.size):
            out[i] <<= s


def _read_kernel(bw: np.ndarray, bb: np.ndarray, ow: np.ndarray, ob: np.ndarray,
                 mbits: int, emask: int, bias: int, cap: bool) -> tuple:
    """Integers ``ow``, ``ob`` with ``w == ow 2^e`` and ``b == ob 2^e`` from the float bits
    ``bw``, ``bb`` (flat views), ``e`` the lowest set bit of any entry (at most 0 with
    ``cap``). Returns (status, e): 0 done, 1 a non-finite entry, 2 the integers would
    leave int64 (then the caller's exact route decides)."""
    lo, hi = _span(bw, mbits, emask, 1 << 20, -1)
    if lo >= 0:
        lo, hi = _span(bb, mbits, emask, lo, hi)
    if lo < 0:
        return 1, 0
    if hi < 0:                                    # all zero
        ow[:] = 0
        ob[:] = 0
        return 0, 0
    if hi - lo + mbits + 1 > 62:
        return 2, 0
    g = _mantissas(bw, ow, mbits, emask, lo, np.int64(0))
    g = _mantissas(bb, ob, mbits, emask, lo, g)
    tz = 0
    while (g >> tz) & 1 == 0:
        tz += 1
    unit = lo - bias - mbits                      # the exponent of one unit of ow, ob
    e = min(0, unit + tz) if cap else unit + tz
    if hi - bias + 1 - e > 62:                    # |entries| < 2^(hi - bias + 1)
        return 2, 0
    _rescale(ow, unit - e)
    _rescale(ob, unit - e)
    return 0, e


def _kernel() -> Any:
    return compile_once(_KERNEL, _build)


def _build(numba: Any) -> Any:
    g = globals()
    for name in ("_span", "_mantissas", "_rescale"):
        g[name] = numba.njit(cache=True, nogil=True, inline="always")(g[name])
    return numba.njit(cache=True, nogil=True)(_read_kernel)


def _compiled(a: np.ndarray, b: np.ndarray | None, cap: bool
              ) -> tuple[np.ndarray, np.ndarray, int] | None:
    """``(M_a, M_b, e)`` from the compiled reader for float16/32/64 arrays (``b`` may be
    None: then ``M_b`` is empty), or None when it cannot say (no numba, a non-finite
    entry, a spread beyond int64)."""
    fn = _kernel()
    if fn is None:
        return None
    if b is None:
        b = a[:0].ravel()
    if a.dtype != b.dtype or a.dtype.itemsize not in (2, 4, 8):
        return None
    if a.dtype.itemsize == 2:                    # float16 widens to float32 exactly
        a, b = a.astype(np.float32), b.astype(np.float32)
    view, mbits, emask, bias = _FORMATS[a.dtype.itemsize]
    bw = np.ascontiguousarray(a).view(view).ravel()
    bb = np.ascontiguousarray(b).view(view).ravel()
    ow, ob = np.empty(a.shape, dtype=np.int64), np.empty(b.shape, dtype=np.int64)
    status, e = fn(bw, bb, ow.reshape(-1), ob.reshape(-1), mbits, emask, bias, cap)
    if status:
        return None
    return ow, ob, e


def dyadic_matrix(W: Any, b: Any, what: str) -> "IntMatrix":
    """A float weight matrix and bias (numpy, same float dtype) as one exact
    :class:`IntMatrix` ``(W, b, 2**-e)``: compiled, one pass over the bits of both, for
    the usual case; :func:`dyadic` and :meth:`IntMatrix.from_dyadic` otherwise (integers,
    a non-finite entry to refuse by name, a spread of exponents beyond int64)."""
    W = np.asarray(W)
    if b is not None:
        b = np.asarray(b)
        if W.dtype.kind == "f" and b.dtype == W.dtype and W.ndim == 2 and \
                b.shape == (W.shape[0],):
            got = _compiled(W, b, cap=True)
            if got is not None:
                return IntMatrix(got[0], got[1], 1 << -got[2])
    return IntMatrix.from_dyadic(dyadic(W, f"{what}: the weight"),
                                 dyadic(b, f"{what}: the bias") if b is not None else None)


class IntMatrix(NamedTuple):
    """The affine map ``x -> (W x + b) / D``: ``W`` (m x n) and ``b`` (m,) integer arrays,
    ``D`` a positive Python int."""

    W: np.ndarray
    b: np.ndarray
    D: int

    @classmethod
    def from_dyadic(cls, W: tuple[np.ndarray, int], b: tuple[np.ndarray, int] | None
                    ) -> "IntMatrix":
        """One common power-of-two denominator for a weight matrix and its bias, each
        given as ``dyadic(...)``."""
        (MW, eW) = W
        if b is None:
            b = (np.zeros(MW.shape[0], dtype=np.int64), eW)
        (Mb, eb) = b
        exps = [e for M, e in ((MW, eW), (Mb, eb)) if M.size and M.any()]
        e0 = min([0, *exps])
        return cls(_shift(MW, eW - e0 if MW.any() else 0),
                   _shift(Mb, eb - e0 if Mb.any() else 0), 1 << -e0)

    def fractions(self) -> tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]:
        """The map as rows of Fractions and a bias tuple (reduced)."""
        return fractions_of(self.W, self.D), fractions_of(self.b, self.D)


def _mul_bound(A: np.ndarray, B: np.ndarray) -> int:
    return maxabs(A) * maxabs(B) * max(A.shape[-1], 1)


def int_matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` of integer arrays, exact: int64 when the result is bounded below 2**62
    (from the largest magnitudes), Python integers otherwise."""
    if A.dtype != object and B.dtype != object and _mul_bound(A, B) < _SAFE:
        return A @ B
    R = A.astype(object) @ B.astype(object)
    return _narrow(R)


def _narrow(R: np.ndarray) -> np.ndarray:
    if R.dtype == object and maxabs(R) < _SAFE:
        return R.astype(np.int64)
    return R


def ints_of(values: Sequence[Fraction]) -> tuple[np.ndarray, int]:
    """Integer numerators over the least common denominator of ``values``."""
    den = math.lcm(*(q.denominator for q in values)) if len(values) else 1
    nums = np.empty(len(values), dtype=object)
    nums[:] = [q.numerator * (den // q.denominator) for q in values]
    return _narrow(nums), den


def fractions_of(M: np.ndarray, D: int) -> Any:
    """Nested tuples of reduced Fractions ``M / D`` (rows for a matrix)."""
    from .rational import _frac
    if M.ndim == 2:
        return tuple(fractions_of(row, D) for row in M)
    vals = M.tolist()
    if D == 1:
        return tuple(_frac(int(v), 1) for v in vals)
    if D & (D - 1) == 0:                     # a power of two: strip common twos
        out = []
        for v in vals:
            v = int(v)
            if v == 0:
                out.append(_frac(0, 1))
                continue
            t = min((v & -v).bit_length() - 1, D.bit_length() - 1)
            out.append(_frac(v >> t, D >> t))
        return tuple(out)
    return tuple(Fraction(int(v), D) for v in vals)


def fraction_array(M: np.ndarray, e: int) -> np.ndarray:
    """An object array of the reduced Fractions ``M * 2**e``, shaped as ``M``."""
    out = np.empty(M.shape, dtype=object)
    flat = M.ravel()
    if e >= 0:
        vals = fractions_of(_shift(flat, e), 1)
    else:
        vals = fractions_of(flat, 1 << -e)
    out.ravel()[:] = vals if len(vals) else []
    return out

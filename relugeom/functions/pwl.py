"""Continuous piecewise-linear functions R -> R with exact rational breakpoints.

A :class:`PiecewiseLinear` is stored in canonical form: strictly increasing breakpoints at
which the slope really changes, the values there, and the two end slopes. The form is
unique, so ``==`` and ``hash`` are functional equality.
"""
from __future__ import annotations

import numbers
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

from ..numbers.encoding import (decode_rational, encode_rational, field, rational_list,
                                register_json_type)
from ..errors import DimensionError, DomainError, NotExactError, SerializationError
from ..numbers.rational import as_rational, as_rationals, short
from ..numbers.arrays import RationalArray, _add, _mul, _safe_div

__all__ = ["PiecewiseLinear"]

_ZERO = Fraction(0)
_ONE = Fraction(1)


class _DivisionByZero(DomainError, ZeroDivisionError):
    """``f / 0``: a DomainError that is also the built-in ZeroDivisionError."""


def _is_scalar(x: Any) -> bool:
    return isinstance(x, (numbers.Number, str, np.number)) or getattr(x, "is_number", False)


class PiecewiseLinear:
    """A continuous piecewise-linear function R -> R, exact and immutable.

    Build one with :meth:`from_points`, :meth:`constant`, :meth:`identity`,
    :meth:`affine` or :meth:`relu`; combine with ``+``, ``-``, rational ``*``, ``@``
    (composition), :func:`maximum`, :func:`minimum`, :func:`relu`.

    Examples
    --------
    >>> import relugeom as rg
    >>> from fractions import Fraction
    >>> f = rg.PiecewiseLinear.from_points([(0, 0), ("1/3", 1), (1, 0)],
    ...                                    left_slope=0, right_slope=-3)
    >>> f(Fraction(1, 2)), f.n_pieces, f.slopes
    (Fraction(3, 4), 4, (Fraction(0, 1), Fraction(3, 1), Fraction(-3, 2), Fraction(-3, 1)))
    >>> (f @ f).n_pieces_on(0, 1)
    4

    Wrong operands raise a :class:`~relugeom.errors.RelugeomError` that is also the
    built-in error Python would raise: ``f(g)``, ``f * g`` and ``bool(f)`` a
    :class:`~relugeom.errors.NotExactError` (a ``TypeError``; ``bool(f)`` is refused
    because the truth value of a function is ambiguous, so ``if f:`` never silently
    passes), ``f / 0`` a :class:`~relugeom.errors.DomainError` that is also a
    ``ZeroDivisionError``.

    ``f == g`` is functional equality (the canonical form is unique in 1-D), whereas
    ``ReLUNetwork ==`` compares weights; ``net.to_pwl() == f`` compares functions.
    """

    __slots__ = ("_x", "_y", "_sl", "_sr", "_c", "_s", "_hash")

    def __init__(self) -> None:  # pragma: no cover - use the constructors
        raise TypeError("use PiecewiseLinear.from_points(...), .constant(...), "
                        ".affine(...), .identity() or .relu()")

    # ------------------------------------------------------------------ construction
    @classmethod
    def _make(cls, x: RationalArray, y: RationalArray, sl: Fraction, sr: Fraction,
              c: Fraction | None = None) -> "PiecewiseLinear":
        """Trusted constructor: ``x`` strictly increasing, every breakpoint genuine."""
        self = object.__new__(cls)
        self._x, self._y, self._sl, self._sr = x, y, sl, sr
        if len(x) == 0:
            if c is None or sl != sr:
                raise AssertionError("affine function needs one slope and an intercept")
            self._c = c
        else:
            self._c = None
        self._s = None
        self._hash = None
        return self

    @classmethod
    def _canonical(cls, x: RationalArray, y: RationalArray, sl: Fraction,
                   sr: Fraction) -> "PiecewiseLinear":
        """Build from strictly increasing ``x``, merging collinear neighbours."""
        n = len(x)
        if n == 0:
            raise AssertionError("no points")
        if n > 1:
            inner = (y.slice(1, n) - y.slice(0, n - 1)) / (x.slice(1, n) - x.slice(0, n - 1))
        else:
            inner = RationalArray.empty()
        full = RationalArray.concatenate([RationalArray.from_fractions([sl]), inner,
                                          RationalArray.from_fractions([sr])])
        keep = ~full.slice(0, n).eq(full.slice(1, n + 1))
        if keep.all():
            out = cls._make(x, y, sl, sr)
            out._s = full
            return out
        if not keep.any():
            return cls._make(RationalArray.empty(), RationalArray.empty(), sl, sl,
                             y[0] - sl * x[0])
        idx = np.nonzero(keep)[0]
        return cls._make(x.take(idx), y.take(idx), sl, sr)

    @classmethod
    def from_points(cls, points: Iterable[Sequence[Any]], *, left_slope: Any = None,
                    right_slope: Any = None) -> "PiecewiseLinear":
        """The continuous function through ``points``, extended by the end slopes.

        Parameters
        ----------
        points : sequence of (x, y) pairs of rationals, x strictly increasing
        left_slope, right_slope : rational, optional
            Slopes left of the first and right of the last point; by default the first
            and last segments continue (with one point: slope 0).

        Raises
        ------
        DomainError
            No points, or x not strictly increasing (names the offending pair).
        NotExactError
            A float or other inexact number.
        """
        if isinstance(points, (str, bytes, dict, set, frozenset)):
            raise DimensionError(f"from_points: expected an ordered sequence of (x, y) "
                                 f"pairs, got {short(points)} of type "
                                 f"{type(points).__name__}")
        try:
            pts = list(points)
        except TypeError:
            raise NotExactError(f"from_points: expected a sequence of (x, y) pairs, got "
                                f"{short(points)} of type {type(points).__name__}") from None
        if not pts:
            raise DomainError("from_points: need at least one (x, y) point")
        xs, ys = [], []
        for i, p in enumerate(pts):
            if isinstance(p, (str, bytes, dict, set, frozenset)) or \
                    not hasattr(p, "__len__") or not hasattr(p, "__getitem__") or len(p) != 2:
                raise DimensionError(f"from_points: point {i} is {short(p)}, expected an "
                                     f"(x, y) pair")
            xs.append(as_rational(p[0], what=f"points[{i}].x"))
            ys.append(as_rational(p[1], what=f"points[{i}].y"))
        for i in range(1, len(xs)):
            if not xs[i - 1] < xs[i]:
                kind = "repeated" if xs[i - 1] == xs[i] else "unsorted"
                raise DomainError(f"from_points: {kind} breakpoints: x[{i - 1}] = "
                                  f"{short(xs[i - 1])} and x[{i}] = {short(xs[i])}; x must "
                                  f"be strictly increasing")
        if left_slope is None:
            sl = (ys[1] - ys[0]) / (xs[1] - xs[0]) if len(xs) > 1 else _ZERO
        else:
            sl = as_rational(left_slope, what="left_slope")
        if right_slope is None:
            sr = (ys[-1] - ys[-2]) / (xs[-1] - xs[-2]) if len(xs) > 1 else _ZERO
        else:
            sr = as_rational(right_slope, what="right_slope")
        return cls._canonical(RationalArray.from_fractions(xs),
                              RationalArray.from_fractions(ys), sl, sr)

    @classmethod
    def affine(cls, slope: Any, intercept: Any = 0) -> "PiecewiseLinear":
        """The affine function ``x -> slope * x + intercept``."""
        s = as_rational(slope, what="slope")
        return cls._make(RationalArray.empty(), RationalArray.empty(), s, s,
                         as_rational(intercept, what="intercept"))

    @classmethod
    def constant(cls, value: Any) -> "PiecewiseLinear":
        """The constant function ``x -> value``."""
        return cls.affine(0, value)

    @classmethod
    def identity(cls) -> "PiecewiseLinear":
        """The identity ``x -> x``."""
        return cls.affine(1, 0)

    @classmethod
    def relu(cls) -> "PiecewiseLinear":
        """The rectifier sigma(x) = max(0, x)."""
        return cls._make(RationalArray.from_fractions([_ZERO]),
                         RationalArray.from_fractions([_ZERO]), _ZERO, _ONE)

    # ------------------------------------------------------------------ queries
    @property
    def breakpoints(self) -> tuple[Fraction, ...]:
        """Points where the slope changes, strictly increasing."""
        return self._x.to_fractions()

    @property
    def values(self) -> tuple[Fraction, ...]:
        """Values at the breakpoints."""
        return self._y.to_fractions()

    @property
    def left_slope(self) -> Fraction:
        """Slope left of the first breakpoint."""
        return self._sl

    @property
    def right_slope(self) -> Fraction:
        """Slope right of the last breakpoint."""
        return self._sr

    @property
    def slopes(self) -> tuple[Fraction, ...]:
        """Slopes of the pieces, left to right (``n_pieces`` entries)."""
        if len(self._x) == 0:
            return (self._sl,)
        return self._full_slopes().to_fractions()

    @property
    def n_breakpoints(self) -> int:
        """Number of breakpoints."""
        return len(self._x)

    @property
    def n_pieces(self) -> int:
        """Number of pieces on all of R (maximal intervals where the function is affine)."""
        return len(self._x) + 1

    @property
    def is_affine(self) -> bool:
        """True when the function has no breakpoint."""
        return len(self._x) == 0

    def n_pieces_on(self, lo: Any = None, hi: Any = None) -> int:
        """Number of pieces on the interval [lo, hi] (``None`` for an infinite end).

        Counts the maximal subintervals of [lo, hi] on which the function is affine,
        i.e. breakpoints strictly inside (lo, hi), plus one.
        """
        n = len(self._x)
        i = 0 if lo is None else self._x.searchsorted_scalar(as_rational(lo, what="lo"),
                                                             "right")
        j = n if hi is None else self._x.searchsorted_scalar(as_rational(hi, what="hi"),
                                                             "left")
        if lo is not None and hi is not None and not as_rational(lo) < as_rational(hi):
            raise DomainError(f"n_pieces_on: need lo < hi, got lo = {short(lo)}, "
                              f"hi = {short(hi)}")
        return max(j - i, 0) + 1

    def _full_slopes(self) -> RationalArray:
        if self._s is None:
            n = len(self._x)
            if n > 1:
                inner = (self._y.slice(1, n) - self._y.slice(0, n - 1)) / \
                    (self._x.slice(1, n) - self._x.slice(0, n - 1))
            else:
                inner = RationalArray.empty()
            self._s = RationalArray.concatenate(
                [RationalArray.from_fractions([self._sl]), inner,
                 RationalArray.from_fractions([self._sr])])
        return self._s

    # ------------------------------------------------------------------ evaluation
    def __call__(self, x: Any) -> Fraction:
        """Exact value at the rational ``x``."""
        if isinstance(x, PiecewiseLinear):
            raise NotExactError("f(g) is not composition; use f @ g or "
                                "relugeom.compose(f, g)")
        q = as_rational(x, what="x")
        return self._eval(RationalArray.from_fractions([q]))[0]

    def evaluate_exact(self, xs: Iterable[Any]) -> tuple[Fraction, ...]:
        """Exact values at many rational points (vectorised).

        ``xs`` is an ordered sequence of rationals (list, tuple, 1-D array); a string, a
        set, a dict or a single number is refused with
        :class:`~relugeom.errors.NotExactError` (``evaluate_exact('12')`` is not read as
        the points 1 and 2). Use ``f(x)`` for one point.
        """
        if isinstance(xs, np.ndarray) and xs.ndim != 1:
            raise DimensionError(f"evaluate_exact: expected a 1-D sequence of points, got "
                                 f"an array of shape {xs.shape}")
        pts = RationalArray.from_fractions(as_rationals(xs, what="xs"))
        return self._eval(pts).to_fractions()

    def _eval(self, pts: RationalArray) -> RationalArray:
        if len(self._x) == 0:
            return pts * self._sl + self._c
        n = len(self._x)
        k = self._x.searchsorted(pts, "right")        # piece index 0..n
        anchor = np.clip(k - 1, 0, n - 1)
        return _affine_at(pts, self._x.take(anchor), self._y.take(anchor),
                          _PieceSlopes(self).take(k))

    def evaluate(self, x: Any) -> np.ndarray:
        """Float values at the points ``x`` (array-like of floats), vectorised.

        This is an explicitly float method (for plotting and quick looks); use
        ``f(x)`` or :meth:`evaluate_exact` for exact values.
        """
        if isinstance(x, (str, bytes, set, frozenset, dict)) or x is None:
            raise NotExactError(f"evaluate: expected float points (a number or an array), "
                                f"got {short(x)} of type {type(x).__name__}")
        try:
            xa = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise NotExactError(f"evaluate: cannot read {short(x)} as float points; use "
                                f"evaluate_exact for rationals") from None
        sl, sr = _float(self._sl), _float(self._sr)    # +-inf past the float range
        if len(self._x) == 0:
            c = _float(self._c)
            with np.errstate(invalid="ignore"):     # inf * 0 -> nan, fixed below
                out = np.where(xa == 0, c, sl * xa + c) if sl else np.full_like(xa, c)
            return np.where(np.isnan(xa), np.nan, out)
        bx, by = self._x.to_float(), self._y.to_float()
        out = np.interp(xa, bx, by)
        with np.errstate(invalid="ignore"):         # inf * 0 slope -> nan, fixed below
            out = np.where(xa < bx[0], by[0] + (xa - bx[0]) * sl, out)
            out = np.where(xa > bx[-1], by[-1] + (xa - bx[-1]) * sr, out)
            if self._sl == 0:
                out = np.where(xa == -np.inf, by[0], out)
            if self._sr == 0:
                out = np.where(xa == np.inf, by[-1], out)
        return np.where(np.isnan(xa), np.nan, out)

    # ------------------------------------------------------------------ protocol
    def __eq__(self, other: object) -> bool:
        """Functional equality: the canonical form (sorted breakpoints, collinear
        neighbours merged) is unique in 1-D, so ``f == g`` exactly when f(x) = g(x) for
        every real x. (``ReLUNetwork ==`` is structural instead: same weights; see
        :meth:`relugeom.ReLUNetwork.equals`.)"""
        if not isinstance(other, PiecewiseLinear):
            return NotImplemented
        if len(self._x) != len(other._x) or self._sl != other._sl or \
                self._sr != other._sr or self._c != other._c:
            return False
        return bool(self._x.eq(other._x).all() and self._y.eq(other._y).all())

    def __hash__(self) -> int:
        if self._hash is None:
            n = len(self._x)
            ends = (self._x[0], self._y[0], self._x[n - 1], self._y[n - 1]) if n else ()
            self._hash = hash(("PiecewiseLinear", n, self._sl, self._sr, self._c, ends))
        return self._hash

    def __bool__(self) -> bool:
        raise NotExactError("the truth value of a function is ambiguous; compare values, "
                            "or use f == PiecewiseLinear.constant(0)")

    def _no_order(self, other: object) -> bool:
        raise NotExactError("functions are only partially ordered: use "
                            "relugeom.maximum(f, g) or relugeom.minimum(f, g), not max/min "
                            "or < >")

    __lt__ = __le__ = __gt__ = __ge__ = _no_order

    def __repr__(self) -> str:
        n = len(self._x)
        if n == 0:
            return f"PiecewiseLinear.affine({_fmt(self._sl)}, {_fmt(self._c)})"
        if n > 6:
            return f"<PiecewiseLinear, {n + 1} pieces>"
        pts = ", ".join(f"({_fmt(a)}, {_fmt(b)})" for a, b in zip(self.breakpoints,
                                                                    self.values))
        return (f"PiecewiseLinear.from_points([{pts}], left_slope={_fmt(self._sl)}, "
                f"right_slope={_fmt(self._sr)})")

    def _repr_latex_(self) -> str | None:
        n = len(self._x)
        if n > 8:
            return None
        if n == 0:
            return f"$x \\mapsto {_tex_affine(self._sl, self._c)}$"
        xs, ys, ss = self.breakpoints, self.values, self.slopes
        rows = []
        for i, s in enumerate(ss):
            ax, ay = (xs[0], ys[0]) if i == 0 else (xs[i - 1], ys[i - 1])
            cond = (f"x \\le {_tex(xs[0])}" if i == 0 else
                    f"x \\ge {_tex(xs[-1])}" if i == n else
                    f"{_tex(xs[i - 1])} \\le x \\le {_tex(xs[i])}")
            rows.append(f"{_tex_affine(s, ay - s * ax)} & {cond}")
        return "$f(x) = \\begin{cases} " + " \\\\ ".join(rows) + " \\end{cases}$"

    # ------------------------------------------------------------------ operators
    def __add__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            from .operations import add
            return add(self, other)
        if _is_scalar(other):
            return self._shift(as_rational(other, what="summand"))
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            from .operations import add
            return add(self, -other)
        if _is_scalar(other):
            return self._shift(-as_rational(other, what="subtrahend"))
        return NotImplemented

    def __rsub__(self, other: Any) -> "PiecewiseLinear":
        if _is_scalar(other):
            return (-self)._shift(as_rational(other, what="minuend"))
        return NotImplemented

    def __neg__(self) -> "PiecewiseLinear":
        return self.scale(-1)

    def __mul__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            raise NotExactError("the product of two piecewise-linear functions is not "
                                "piecewise linear; multiply by a rational number")
        if _is_scalar(other):
            return self.scale(as_rational(other, what="factor"))
        return NotImplemented

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> "PiecewiseLinear":
        if _is_scalar(other):
            c = as_rational(other, what="divisor")
            if c == 0:
                raise _DivisionByZero("division of a function by zero (divisor 0)")
            return self.scale(1 / c)
        return NotImplemented

    def __matmul__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
            from .operations import compose
            return compose(self, other)
        return NotImplemented

    def scale(self, c: Any) -> "PiecewiseLinear":
        """``c * f`` for a rational ``c``."""
        c = as_rational(c, what="factor")
        if c == 0:
            return PiecewiseLinear.constant(0)
        if len(self._x) == 0:
            return PiecewiseLinear.affine(self._sl * c, self._c * c)
        return PiecewiseLinear._make(self._x, self._y * c, self._sl * c, self._sr * c)

    def _shift(self, c: Fraction) -> "PiecewiseLinear":
        if len(self._x) == 0:
            return PiecewiseLinear.affine(self._sl, self._c + c)
        return PiecewiseLinear._make(self._x, self._y + c, self._sl, self._sr)

    def nbytes(self) -> int:
        """Approximate memory held by the breakpoints and values, in bytes."""
        return self._x.nbytes() + self._y.nbytes()

    # ------------------------------- conveniences reaching up (one-line delegations)
    def to_sympy(self, x: Any = None):  # noqa: ANN201
        """The function as a sympy ``Piecewise`` in the symbol ``x`` (default ``x``)."""
        from ..depth.pwl_sympy import pwl_to_sympy
        return pwl_to_sympy(self, x)

    @classmethod
    def from_sympy(cls, expr: Any, x: Any = None) -> "PiecewiseLinear":
        """Exact conversion of a sympy expression in one variable built from rationals,
        +, rational *, Max, Min, Abs and continuous Piecewise."""
        from ..depth.pwl_sympy import pwl_from_sympy
        return pwl_from_sympy(expr, x)

    def to_network(self):  # noqa: ANN201 - avoids an import cycle in the signature
        """A one-hidden-layer network computing this function (Theorem 2.2)."""
        from ..networks.convert import network_from_pwl
        return network_from_pwl(self)

    def _repr_svg_(self) -> str | None:
        from ..paper.reprs import repr_svg
        return repr_svg(self)


def _float(q: Fraction) -> float:
    """The float nearest ``q``; +-inf where it is out of range (never OverflowError)."""
    return _safe_div(q.numerator, q.denominator)


def _fmt(q: Fraction) -> str:
    s = short(q)            # exact while small, abbreviated past 36 digits
    return s if q.denominator == 1 and "." not in s else f"'{s}'"


def _tex(q: Fraction) -> str:
    if q.denominator == 1:
        return short(q.numerator)
    sign = "-" if q < 0 else ""
    return f"{sign}\\tfrac{{{short(abs(q.numerator))}}}{{{short(q.denominator)}}}"


def _tex_affine(s: Fraction, c: Fraction) -> str:
    if s == 0:
        return _tex(c)
    head = "x" if s == 1 else "-x" if s == -1 else f"{_tex(s)}x"
    if c == 0:
        return head
    return f"{head} {'+' if c > 0 else '-'} {_tex(abs(c))}"


def _as_function(f: Any, what: str) -> PiecewiseLinear:
    if isinstance(f, PiecewiseLinear):
        return f
    if _is_scalar(f):
        return PiecewiseLinear.constant(as_rational(f, what=what))
    raise NotExactError(f"{what}: expected a PiecewiseLinear or a rational, got "
                        f"{short(f)} of type {type(f).__name__}")


def _affine_at(X: RationalArray, ax: RationalArray, ay: RationalArray,
               s: RationalArray) -> RationalArray:
    """ay + (X - ax) * s entrywise, as one integer fraction reduced once."""
    p, q, c, d, a, b, e, f = X.num, X.den, ax.num, ax.den, ay.num, ay.den, s.num, s.den
    bf = _mul(b, f)
    num = _add(_mul(_mul(a, f), _mul(q, d)), _mul(_mul(_add(_mul(p, d), -_mul(c, q)), e), b))
    return RationalArray(num, _mul(bf, _mul(q, d)))


class _PieceSlopes:
    """Slopes of selected pieces of g, computed only where asked (``take``)."""

    def __init__(self, g: PiecewiseLinear):
        self.g = g

    def take(self, pieces: np.ndarray) -> RationalArray:
        g = self.g
        pieces = np.asarray(pieces, dtype=np.intp)
        if g._s is not None:
            return g._s.take(pieces)
        n = len(g._x)
        k = np.nonzero((pieces > 0) & (pieces < n))[0]
        a = pieces[k] - 1
        inner = (g._y.take(a + 1) - g._y.take(a)) / (g._x.take(a + 1) - g._x.take(a))
        ends = RationalArray.from_fractions([g._sl, g._sr])
        sel = np.where(pieces == 0, len(k), len(k) + 1)
        sel[k] = np.arange(len(k))
        return RationalArray.concatenate([inner, ends]).take(sel)


# ------------------------------------------------------------------- JSON
def encode_pwl(f: Any) -> dict:
    d = {"breakpoints": [encode_rational(q) for q in f.breakpoints],
         "values": [encode_rational(q) for q in f.values],
         "left_slope": encode_rational(f.left_slope),
         "right_slope": encode_rational(f.right_slope)}
    if f.is_affine:
        d["intercept"] = encode_rational(f(0))
    return d


def decode_pwl(d: dict) -> Any:
    xs = rational_list(field(d, "breakpoints"), "breakpoints")
    ys = rational_list(field(d, "values"), "values")
    sl = decode_rational(field(d, "left_slope"), "left_slope")
    sr = decode_rational(field(d, "right_slope"), "right_slope")
    if len(xs) != len(ys):
        raise SerializationError(f"from_json: {len(xs)} breakpoints but {len(ys)} values")
    if not xs:
        if sl != sr:
            raise SerializationError("from_json: an affine function has one slope, got "
                                     f"left_slope={short(sl)} and right_slope={short(sr)}")
        return PiecewiseLinear.affine(sl, decode_rational(field(d, "intercept"), "intercept"))
    return PiecewiseLinear.from_points(list(zip(xs, ys)), left_slope=sl, right_slope=sr)


register_json_type("PiecewiseLinear", PiecewiseLinear, encode_pwl, decode_pwl)

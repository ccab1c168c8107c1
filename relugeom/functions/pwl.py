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

from ..config import check_size
from ..numbers.encoding import (decode_rational, encode_rational, field, rational_list,
                                register_json_type)
from ..errors import DimensionError, DomainError, NotExactError, SerializationError
from ..numbers.rational import (RationalArray, _add, _mul, _safe_div, as_rational, as_rationals,
                       short)

__all__ = ["PiecewiseLinear", "compose", "maximum", "minimum", "relu", "add",
           "linear_combination"]

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
            return add(self, other)
        if _is_scalar(other):
            return self._shift(as_rational(other, what="summand"))
        return NotImplemented

    __radd__ = __add__

    def __sub__(self, other: Any) -> "PiecewiseLinear":
        if isinstance(other, PiecewiseLinear):
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
        from ..depth.symbolic import pwl_to_sympy
        return pwl_to_sympy(self, x)

    @classmethod
    def from_sympy(cls, expr: Any, x: Any = None) -> "PiecewiseLinear":
        """Exact conversion of a sympy expression in one variable built from rationals,
        +, rational *, Max, Min, Abs and continuous Piecewise."""
        from ..depth.symbolic import pwl_from_sympy
        return pwl_from_sympy(expr, x)

    def to_network(self):  # noqa: ANN201 - avoids an import cycle in the signature
        """A one-hidden-layer network computing this function (Theorem 2.2)."""
        from ..networks.convert import network_from_pwl
        return network_from_pwl(self)

    def _repr_svg_(self) -> str | None:
        from ..paper.plotting import repr_svg
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


# ---------------------------------------------------------------------- operations
def _union(arrays: Sequence[RationalArray]) -> RationalArray:
    """Sorted union of sorted rational arrays, exact, without repeats."""
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return RationalArray.empty()
    if len(arrays) == 1:
        return arrays[0]
    allx = RationalArray.concatenate(arrays)
    allx = allx.take(allx.argsort())
    n = len(allx)
    dup = allx.slice(0, n - 1).eq(allx.slice(1, n))
    if dup.any():
        allx = allx.take(np.nonzero(np.r_[True, ~dup])[0])
    return allx


def linear_combination(functions: Sequence[PiecewiseLinear], coefficients: Sequence[Any],
                       constant: Any = 0) -> PiecewiseLinear:
    """``sum_i c_i f_i + constant`` in one pass over the union of the breakpoints."""
    for name, seq in (("functions", functions), ("coefficients", coefficients)):
        if isinstance(seq, (str, bytes, set, frozenset, dict, PiecewiseLinear)) or \
                not isinstance(seq, Iterable):
            raise NotExactError(f"linear_combination: {name} must be an ordered sequence, "
                                f"got {short(seq)} of type {type(seq).__name__}")
    fs = [_as_function(f, f"functions[{i}]") for i, f in enumerate(functions)]
    cs = as_rationals(coefficients, what="coefficients")
    if len(fs) != len(cs):
        raise DimensionError(f"linear_combination: {len(fs)} functions but {len(cs)} "
                             f"coefficients")
    const = as_rational(constant, what="constant")
    pairs = [(f, c) for f, c in zip(fs, cs) if c != 0]
    sl = sum((c * f._sl for f, c in pairs), _ZERO)
    sr = sum((c * f._sr for f, c in pairs), _ZERO)
    xs = _union([f._x for f, _ in pairs])
    check_size("max_pieces", len(xs) + 1, "linear_combination")
    if len(xs) == 0:
        c0 = const + sum((c * f._c for f, c in pairs), _ZERO)
        return PiecewiseLinear._make(xs, xs, sl, sl, c0)
    ys = RationalArray.from_fractions([const]).take(np.zeros(len(xs), dtype=np.intp))
    for f, c in pairs:
        ys = ys + f._eval(xs) * c
    return PiecewiseLinear._canonical(xs, ys, sl, sr)


def add(f: Any, g: Any) -> PiecewiseLinear:
    """``f + g`` (functions or rational constants)."""
    return linear_combination([_as_function(f, "f"), _as_function(g, "g")], [1, 1])


def compose(f: PiecewiseLinear, g: PiecewiseLinear, *more: PiecewiseLinear) -> PiecewiseLinear:
    """The composition ``x -> f(g(x))`` (``f @ g``); more arguments compose right to left.

    Exact and vectorised: the breakpoints of ``f @ g`` are those of ``g`` where the slope
    really changes, plus the points where ``g`` crosses a breakpoint of ``f`` inside one
    of its pieces.

    Examples
    --------
    >>> import relugeom as rg
    >>> t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
    >>> rg.compose(t, t, t).n_pieces_on(0, 1)
    8
    """
    if more:
        g = compose(g, *more)
    for name, h in (("f", f), ("g", g)):
        if not isinstance(h, PiecewiseLinear):
            raise NotExactError(f"compose: {name} must be a PiecewiseLinear (one input, "
                                f"one output), got {short(h)} of type {type(h).__name__}")
    return _compose(f, g)


def _compose(f: PiecewiseLinear, g: PiecewiseLinear) -> PiecewiseLinear:
    if len(f._x) == 0:                     # f affine: scale and shift g
        return g.scale(f._sl)._shift(f._c) if f._sl != 0 else PiecewiseLinear.constant(f._c)
    m = len(f._x)
    if len(g._x) == 0:                     # g affine
        s, c = g._sl, g._c
        if s == 0:
            return PiecewiseLinear.constant(f(c))
        check_size("max_pieces", m + 1, "compose")
        x = (f._x - c) * (1 / s)
        if s > 0:
            return PiecewiseLinear._make(x, f._y, f._sl * s, f._sr * s)
        return PiecewiseLinear._make(x.reversed(), f._y.reversed(), f._sr * s, f._sl * s)

    n = len(g._x)
    gx, gv = g._x, g._y
    gs = _PieceSlopes(g)                                # slopes of g's n + 1 pieces, lazily
    fx, fy, fs = f._x, f._y, f._full_slopes()
    L = fx.searchsorted(gv, "left")                     # f breakpoints < g value
    R = fx.searchsorted(gv, "right")                    # f breakpoints <= g value
    sg = np.empty(n + 1, dtype=np.int64)                # sign of each piece of g
    sg[0], sg[n] = (g._sl > 0) - (g._sl < 0), (g._sr > 0) - (g._sr < 0)
    sg[1:n] = gv.slice(1, n).cmp(gv.slice(0, n - 1))    # x increases, so sign of dv

    # crossings of f's breakpoints inside each piece p = 0..n of g
    lo = np.zeros(n + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    # interior pieces p = 1..n-1 run from gx[p-1] to gx[p]
    inc, dec = sg[1:n] > 0, sg[1:n] < 0
    lo[1:n] = np.where(inc, R[:-1], np.where(dec, R[1:], 0))
    hi[1:n] = np.where(inc, L[1:], np.where(dec, L[:-1], 0))
    # left piece: g -> -inf (slope > 0) or +inf (slope < 0) as x -> -inf
    lo[0], hi[0] = (0, L[0]) if sg[0] > 0 else (R[0], m) if sg[0] < 0 else (0, 0)
    lo[n], hi[n] = (R[n - 1], m) if sg[n] > 0 else (0, L[n - 1]) if sg[n] < 0 else (0, 0)
    cnt = np.maximum(hi - lo, 0)
    total = int(cnt.sum())
    check_size("max_pieces", total + n + 1, "compose")

    # which breakpoints of g stay breakpoints: compare the slopes on both sides
    # left of gx[i] the piece is i, right of it i+1; f's slope there depends on the side
    # from which g approaches gv[i]
    def f_slope_idx(piece_sign: np.ndarray, from_left: bool) -> np.ndarray:
        # approaching gv from below uses f's slope index L, from above R
        below = (piece_sign > 0) if from_left else (piece_sign < 0)
        return np.where(below, L, R)
    sl_idx = f_slope_idx(sg[:n], True)
    sr_idx = f_slope_idx(sg[1:], False)
    # on the same piece of f both sides differ (g is canonical) unless f is flat there;
    # only where g's value is a breakpoint of f do the products need comparing
    same = sl_idx == sr_idx
    keep_g = np.ones(n, dtype=bool)
    flat = fs.sign()[sl_idx] == 0
    keep_g[same & flat] = False
    odd = np.nonzero(~same)[0]
    if len(odd):
        left_slope = fs.take(sl_idx[odd]) * gs.take(odd)
        right_slope = fs.take(sr_idx[odd]) * gs.take(odd + 1)
        keep_g[odd] = ~left_slope.eq(right_slope)

    gvals = f._eval(gv)
    # expand the crossings
    piece = np.repeat(np.arange(n + 1), cnt)
    start = np.cumsum(cnt) - cnt
    off = np.arange(total) - start[piece]
    up = sg[piece] > 0
    j = np.where(up, lo[piece] + off, hi[piece] - 1 - off)
    anchor = np.clip(piece - 1, 0, n - 1)
    cx = _crossings(gx, gv, gs, fx, piece, anchor, j, n)
    cy = fy.take(j)

    # interleave: crossings of piece p, then g's breakpoint p, ...
    ends = np.cumsum(cnt)                               # crossings in pieces <= p
    pos_g = ends[:n] + np.arange(n)
    pos_c = start[piece] + piece + off
    order = np.empty(n + total, dtype=np.int64)
    order[pos_g] = np.arange(n)
    order[pos_c] = n + np.arange(total)
    keep = np.ones(n + total, dtype=bool)
    keep[pos_g[~keep_g]] = False
    sel = order[keep]
    x = RationalArray.concatenate([gx, cx]).take(sel)
    y = RationalArray.concatenate([gvals, cy]).take(sel)

    sl = fs[0] * g._sl if sg[0] > 0 else fs[m] * g._sl if sg[0] < 0 else _ZERO
    sr = fs[m] * g._sr if sg[n] > 0 else fs[0] * g._sr if sg[n] < 0 else _ZERO
    if len(x) == 0:
        return PiecewiseLinear._make(x, y, sl, sl, gvals[0] - sl * gx[0])
    return PiecewiseLinear._make(x, y, sl, sr)


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


def _crossings(gx: RationalArray, gv: RationalArray, gs: "_PieceSlopes", fx: RationalArray,
               piece: np.ndarray, anchor: np.ndarray, j: np.ndarray, n: int) -> RationalArray:
    """Where g crosses the level fx[j] inside its piece ``piece``, exactly.

    Interior pieces use the endpoints directly,
    x = x_a + (c - v_a)(x_b - x_a)/(v_b - v_a), as one integer fraction: slopes of g
    have much larger numerators and denominators than its points, and this keeps the
    arithmetic in int64 far longer. The two unbounded pieces use the end slopes.
    """
    out = RationalArray.empty()
    inner = (piece > 0) & (piece < n)
    if inner.all():
        idx_in, idx_end = None, np.zeros(0, dtype=np.intp)
    else:
        idx_in, idx_end = np.nonzero(inner)[0], np.nonzero(~inner)[0]
    pa = anchor if idx_in is None else anchor[idx_in]
    pb = pa + 1
    jj = j if idx_in is None else j[idx_in]
    if len(pa):
        p1, q1 = gx.num[pa], gx.den[pa]
        p2, q2 = gx.num[pb], gx.den[pb]
        r1, s1 = gv.num[pa], gv.den[pa]
        r2, s2 = gv.num[pb], gv.den[pb]
        u, w = fx.num[jj], fx.den[jj]
        D = _add(_mul(r2, s1), -_mul(r1, s2))
        N = _mul(_mul(_add(_mul(u, s1), -_mul(r1, w)), _add(_mul(p2, q1), -_mul(p1, q2))), s2)
        den = _mul(_mul(_mul(w, q1), q2), D)
        num = _add(_mul(_mul(_mul(p1, w), q2), D), N)
        out = RationalArray(num, den)
    if idx_in is None:
        return out
    if len(idx_end):
        pe, ae, je = piece[idx_end], anchor[idx_end], j[idx_end]
        ends = gx.take(ae) + (fx.take(je) - gv.take(ae)) / gs.take(pe)
        both = RationalArray.concatenate([out, ends])
        order = np.empty(len(piece), dtype=np.intp)
        order[idx_in] = np.arange(len(idx_in))
        order[idx_end] = len(idx_in) + np.arange(len(idx_end))
        return both.take(order)
    return out


def relu(f: Any) -> PiecewiseLinear:
    """sigma o f = max(f, 0)."""
    return _compose(PiecewiseLinear.relu(), _as_function(f, "f"))


def maximum(*fs: Any) -> PiecewiseLinear:
    """Pointwise maximum of functions (and rational constants), exact.

    Examples
    --------
    >>> import relugeom as rg
    >>> x = rg.PiecewiseLinear.identity()
    >>> rg.maximum(x, -x) == rg.relu(x) + rg.relu(-x)
    True
    """
    if not fs:
        raise DimensionError("maximum: need at least one function")
    out = _as_function(fs[0], "fs[0]")
    for i, g in enumerate(fs[1:], 1):
        g = _as_function(g, f"fs[{i}]")
        out = add(g, relu(add(out, -g)))
    return out


def minimum(*fs: Any) -> PiecewiseLinear:
    """Pointwise minimum of functions (and rational constants), exact."""
    if not fs:
        raise DimensionError("minimum: need at least one function")
    return -maximum(*[-_as_function(f, f"fs[{i}]") for i, f in enumerate(fs)])


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

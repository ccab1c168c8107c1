"""The operations on 1-D piecewise-linear functions: sums and linear combinations,
composition, maxima and minima, all exact on :class:`~relugeom.functions.pwl.PiecewiseLinear`'s
rational arrays (breakpoints found by searchsorted on float shadows, ties broken exactly)."""
from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError, NotExactError
from ..numbers.arrays import RationalArray, _add, _mul
from ..numbers.rational import as_rational, as_rationals, short
from .pwl import _ZERO, PiecewiseLinear, _as_function, _PieceSlopes

__all__ = ["compose", "maximum", "minimum", "relu", "add", "linear_combination"]


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



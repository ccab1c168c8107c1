"""Linear regions of a one-input network on an interval at float speed, every decision
exact: the 1-D sibling of :mod:`relugeom.geometry.planar_regions`.

On the line a cell is an interval and the cells of one level tile ``[lo, hi]`` from left
to right, so a level is one sorted sequence of endpoints. Each endpoint is a box end or a
breakpoint ``t = -h_1 / h_0`` of a unit (its exact line remembered by provenance: level,
cell, unit), carried as a float with a rigorous bound on its error; each cell carries the
float64 map of the next layer's pre-activations with a rigorous error bound, as in the
planar engine (the classical ``|fl(x . y) - x . y| <= gamma_n |x| . |y|`` for any
summation order, plus the propagated input errors). A unit cuts a cell when its exact
signs at the two ends are strictly opposite; a sign is decided by floats only when
``|value|`` exceeds its bound, otherwise by integers (the exact states of
:class:`relugeom.geometry.planar_regions._Exact`, formed on demand). The cuts of a cell are
ordered by their floats where the error intervals are apart and by exact rationals where
they are not, and exactly equal breakpoints (ties) are one cut. So every count is exact;
floats only filter.

Exact intervals, patterns and affine maps are formed when a region is first asked for
(:class:`IntervalRegions`, the interface of :class:`~relugeom.geometry.planar_regions.
PlanarRegions`); counting needs none of it.
"""
from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np

from ..config import check_size
from .planar_regions import (_CW, _DMAX, _TINY, _Exact, _float_layers, _LazyRegions,
                             _OneThread, _Unfit)

__all__ = ["IntervalRegions", "interval_regions"]

_U = 2.0 ** -53


# ---------------------------------------------------------------------- float filter
def _value_bound(h0: np.ndarray, h1: np.ndarray, e0: np.ndarray, e1: np.ndarray,
                 t: np.ndarray, et: np.ndarray) -> np.ndarray:
    """Rigorous bound on ``|(H0 T + H1) - fl(fl(h0 t) + h1)|`` for ``|H0 - h0| <= e0``,
    ``|H1 - h1| <= e1``, ``|T - t| <= et``: the data part ``(|h0| + e0) et + e0 |t| + e1``
    plus the two roundings ``3u (|h0 t| + |h1|)`` (as 4u), the sum itself rounded up by
    the factor ``1 + 16u`` and underflow covered by the tiny absolute term."""
    at = np.abs(t)
    B = (np.abs(h0) + e0) * (et + 4 * _U * at) + e0 * at + e1 + 4 * _U * np.abs(h1)
    return B * (1 + 16 * _U) + _TINY


def _breakpoints(h0: np.ndarray, h1: np.ndarray, e0: np.ndarray, e1: np.ndarray,
                 tmax: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float breakpoints ``-h1 / h0`` of units whose exact signs change strictly on a cell,
    with rigorous error bounds: for the exact ``T = -H1 / H0`` (inside the cell, so
    ``|T| <= tmax``), ``-h1/h0 - T = -(d1 + T d0) / h0`` with ``|d_i| <= e_i``, so the error
    is at most ``(e1 + tmax e0) / |h0|`` plus the division's ``u |t|`` (taken as 3u |t|:
    the slack also makes ``fl(t + e)`` and ``fl(t - e)`` rigorous outer ends); infinite
    where ``|h0|`` does not exceed its own error (then only integers order the cut)."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        t = -h1 / h0
        ah = np.abs(h0)
        e = ((e1 + tmax * e0) / ah + 3 * _U * np.abs(t)) * (1 + 8 * _U) + _TINY
        ok = (ah > e0) & np.isfinite(t) & np.isfinite(e)
    return np.where(ok, t, 0.0), np.where(ok, e, np.inf)


def _float_first(prep: list) -> list:
    """:func:`~relugeom.geometry.planar_regions._float_layers`, the first layer's Python
    integers (the line composed into an input layer: beyond int64) read in one pass: each
    integer and D rounded once and divided once (relative error at most 3u < 4u, as
    there), and with ``D < 2^900`` a nonzero integer over D is at least 2^-900 (a normal
    float: no underflow) and finite (``float`` raises OverflowError beyond the range)."""
    W, b, D = prep[0][:3]
    if W.dtype != object or b.dtype != object or D >= _DMAX:
        return _float_layers(prep)
    d = float(D)
    Wf = np.array(W.ravel().tolist(), dtype=np.float64).reshape(W.shape) / d
    bf = np.array(b.tolist(), dtype=np.float64) / d
    return [(Wf, bf, np.abs(Wf)), *_float_layers(prep[1:])]


def _child_maps(layer: tuple, Zp: np.ndarray, Ep: np.ndarray, par: np.ndarray,
                M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Float maps ``W (M_i * Z_p) + b`` of a layer for cells with parents ``p = par_i``
    (parent maps C x 2 x w: slope and constant rows) and masks ``M_i``, with rigorous
    error bounds: the planar engine's
    :func:`~relugeom.geometry.planar_regions._child_maps` on two rows instead of three
    (the bound is per row, the same constants); compiled passes where numba imports."""
    from . import interval_kernels as K
    Wf, bf, Wa = layer
    w = Zp.shape[2]
    g = (w + 3) * _U * 1.01 + _CW
    got = K.child_maps(layer, Zp, Ep, par, M, g, 1 + 2 * (w + 4) * _U)
    if got is not None:
        return got
    Zp, Ep = Zp[par], Ep[par]
    C = len(par)
    w2 = Wf.shape[0]
    m = M[:, None, :]
    Z = ((Zp * m).reshape(2 * C, w) @ Wf.T).reshape(C, 2, w2)
    Z[:, 1, :] += bf
    EA = (Ep * (1 + g) + g * np.abs(Zp)) * m
    E = (EA.reshape(2 * C, w) @ Wa.T).reshape(C, 2, w2)
    E[:, 1, :] += g * np.abs(bf)
    E *= 1 + 2 * (w + 4) * _U
    E += _TINY
    if not np.isfinite(Z.sum() + E.sum()):     # a non-finite entry (or a huge sum)
        raise _Unfit()
    return Z, E


# ---------------------------------------------------------------------- refinement
class _Engine:
    """The level-by-level refinement of ``[lo, hi]`` (see the module docstring). Level l
    holds the cells cut by the units of layer l + 1: their endpoint ids ``P`` (left to
    right, cell c is ``[P[c], P[c+1]]``) into the endpoint table ``T`` (floats), ``ET``
    (their error bounds) and ``PR`` (provenance, rows in chunks: ``(-1, k, 0)`` for box
    end k, else ``(level, cell, unit)`` of the unit whose breakpoint it is)."""

    def __init__(self, prep: list, lo: Fraction, hi: Fraction):
        self.prep = prep
        self.fl = _float_first(prep)
        self.L = len(prep) - 1
        self.ends = (lo, hi)
        try:
            t = np.array([float(lo), float(hi)])
        except OverflowError:
            raise _Unfit() from None
        if not np.isfinite(t).all():
            raise _Unfit()
        self.T, self.ET = t, _U * np.abs(t) + _TINY        # each correctly rounded
        self.PR = [np.array([[-1, 0, 0], [-1, 1, 0]], dtype=np.int64)]   # in chunks
        self.P = np.array([0, 1], dtype=np.int64)
        self.parents: list = [np.zeros(1, dtype=np.int64)]
        self.masks: list = [np.zeros((1, 0), dtype=np.uint8)]
        self.exact = _Exact(prep, self.parents, self.masks, [])
        self.points: dict = {}

    def run(self, tick: Callable[[int], None] | None) -> None:
        Z = E = par = M = None
        for l in range(self.L):
            if l == 0:
                Wf, bf, _ = self.fl[0]
                Z = np.stack([Wf[:, 0], bf])[None]
                E = _CW * np.abs(Z) + _TINY
            else:
                Z, E = _child_maps(self.fl[l], Z, E, par, M)
            par, M = self._level(l, Z, E)
            check_size("max_regions", len(self.P) - 1, "linear_regions")
        if tick is not None:
            tick(len(self.P) - 1)

    # -------------------------------------------------------------- exact values
    def point(self, pid: int) -> tuple[int, int]:
        """The exact endpoint ``pid`` as ``(p, q)``, ``q > 0``."""
        got = self.points.get(pid)
        if got is None:
            if len(self.PR) > 1:
                self.PR = [np.concatenate(self.PR)]
            l, c, j = self.PR[0][pid].tolist()
            if l < 0:
                v = self.ends[c]
                got = (v.numerator, v.denominator)
            else:
                self.exact.ensure(l, [c])
                a, b = (int(v) for v in self.exact.state(l, c)[j])
                got = (-b, a) if a > 0 else (b, -a)
            self.points[pid] = got
        return got

    def _exact_signs(self, l: int, c: np.ndarray, j: np.ndarray, pid: np.ndarray
                     ) -> np.ndarray:
        """Exact signs of units ``j`` of level-l cells ``c`` at endpoints ``pid``."""
        self.exact.ensure(l, np.unique(c))
        out = np.empty(len(c), dtype=np.int8)
        for i, (ci, ji, pi) in enumerate(zip(c.tolist(), j.tolist(), pid.tolist())):
            a, b = self.exact.state(l, ci)[ji]
            p, q = self.point(pi)
            d = int(a) * p + int(b) * q
            out[i] = (d > 0) - (d < 0)
        return out

    def _signs(self, l: int, Z: np.ndarray, E: np.ndarray, t: np.ndarray, et: np.ndarray,
               pid: np.ndarray) -> np.ndarray:
        """Signs (C x w) of every unit of every cell at one end each (``t``, ``et``,
        ``pid`` per cell): floats where the bound decides, integers elsewhere."""
        t, et = t[:, None], et[:, None]
        V = Z[:, 0] * t + Z[:, 1]
        B = _value_bound(Z[:, 0], Z[:, 1], E[:, 0], E[:, 1], t, et)
        S = np.sign(V).astype(np.int8)
        und = ~(np.abs(V) > B)
        if und.any():
            c, j = np.nonzero(und)
            S[c, j] = self._exact_signs(l, c, j, pid[c])
        return S

    # -------------------------------------------------------------- one level
    def _level(self, l: int, Z: np.ndarray, E: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cut every cell of level l by the units of layer l + 1 whose signs at its two
        ends are strictly opposite; the pieces (left to right) become level l + 1.
        Returns each piece's parent cell and its mask (units positive on it)."""
        from . import interval_kernels as K
        P, T, ET = self.P, self.T, self.ET
        got = K.level(Z, E, T, ET, P, l)                # floats decide all: compiled
        if got is not None:
            _, self.T, self.ET, prov, par, M, self.P = got
            self.PR.append(prov)
            self._push(par, M)
            return par, M
        C = len(P) - 1
        t, et = T[P], ET[P]
        sL = self._signs(l, Z, E, t[:-1], et[:-1], P[:-1])
        sR = self._signs(l, Z, E, t[1:], et[1:], P[1:])
        pos, neg = (sL > 0) | (sR > 0), (sL < 0) | (sR < 0)
        base = pos & ~neg
        cc, jj = np.nonzero(pos & neg)              # strictly opposite signs: a cut
        if not len(cc):
            par = np.arange(C)
            self._push(par, base)
            return par, base
        at = np.abs(t) + et
        tmax = np.maximum(at[:-1], at[1:])[cc]
        tb, eb = _breakpoints(Z[cc, 0, jj], Z[cc, 1, jj], E[cc, 0, jj], E[cc, 1, jj], tmax)
        order = np.lexsort((tb, cc))
        cc, jj, tb, eb = cc[order], jj[order], tb[order], eb[order]
        new = self._distinct(l, cc, jj, tb, eb)
        cut = np.cumsum(new) - 1                     # distinct cut of each crossing
        k = np.bincount(cc[new], minlength=C)        # distinct cuts per cell
        first = np.cumsum(k) - k                     # index of a cell's first cut
        rank = cut - first[cc]
        off = np.cumsum(k + 1) - (k + 1)             # a cell's first piece
        par = np.repeat(np.arange(C), k + 1)
        M = base[par]
        rep = k[cc] + 1                              # every piece of the crossed cell
        pair = np.repeat(np.arange(len(cc)), rep)
        p = np.arange(len(pair)) - (np.cumsum(rep) - rep)[pair]
        right = sR[cc, jj] > 0                       # positive right of its breakpoint
        M[off[cc][pair] + p, jj[pair]] = (p > rank[pair]) == right[pair]
        nid = len(T) + np.arange(int(new.sum()))
        self._add_points(l, cc[new], jj[new], tb[new], eb[new])
        Pn = np.empty(len(par) + 1, dtype=np.int64)
        Pn[off] = P[:-1]
        Pn[-1] = P[-1]
        Pn[off[cc[new]] + 1 + rank[new]] = nid
        self.P = Pn
        self._push(par, M)
        return par, M

    def _add_points(self, l: int, cc: np.ndarray, jj: np.ndarray, tb: np.ndarray,
                    eb: np.ndarray) -> None:
        """New endpoints: breakpoints of units ``jj`` of level-l cells ``cc``."""
        self.T = np.concatenate([self.T, tb])
        self.ET = np.concatenate([self.ET, eb])
        self.PR.append(np.stack([np.full(len(cc), l), cc, jj], axis=1))

    def _push(self, par: np.ndarray, M: np.ndarray) -> None:
        self.parents.append(par)
        self.masks.append(np.packbits(M, axis=1, bitorder="little"))

    def _distinct(self, l: int, cc: np.ndarray, jj: np.ndarray, tb: np.ndarray,
                  eb: np.ndarray) -> np.ndarray:
        """For crossings sorted by (cell, float breakpoint): which ones start a new cut
        point. Where the error intervals of a run of breakpoints are not certainly apart
        (the largest upper end so far below the smallest lower end to come) the run is
        ordered by exact rationals, reordering ``cc``, ``jj``, ``tb``, ``eb`` in place,
        and exactly equal breakpoints are one cut."""
        n = len(cc)
        apart = np.ones(n, dtype=bool)               # apart[i]: i - 1 and i certainly apart
        if n > 1:
            with np.errstate(invalid="ignore"):
                up = np.maximum.accumulate(tb + eb)
                dn = np.minimum.accumulate((tb - eb)[::-1])[::-1]
                apart[1:] = (cc[1:] != cc[:-1]) | (up[:-1] < dn[1:])
        if apart.all():
            return apart
        new = apart.copy()
        group = np.cumsum(apart) - 1
        sizes = np.bincount(group)
        for g in np.nonzero(sizes > 1)[0].tolist():
            idx = np.nonzero(group == g)[0]
            keys = self._exact_breakpoints(l, cc[idx], jj[idx])
            srt = sorted(range(len(idx)), key=lambda i: keys[i])
            perm = idx[srt]
            for a in (cc, jj, tb, eb):
                a[idx] = a[perm]
            for i in range(1, len(idx)):
                new[idx[i]] = keys[srt[i]] != keys[srt[i - 1]]
        return new

    def _exact_breakpoints(self, l: int, c: np.ndarray, j: np.ndarray) -> list[Fraction]:
        """Exact breakpoints ``-b / a`` of units ``j`` of level-l cells ``c``."""
        self.exact.ensure(l, np.unique(c))
        out = []
        for ci, ji in zip(c.tolist(), j.tolist()):
            a, b = self.exact.state(l, ci)[ji]
            out.append(Fraction(-int(b), int(a)))
        return out


# ---------------------------------------------------------------------- lazy result
class IntervalRegions(_LazyRegions):
    """The regions found by :func:`interval_regions`: their exact intervals (cones of
    :func:`~relugeom.convex.polyhedra.box_cone`), patterns and one-input affine maps (the
    interface of :class:`~relugeom.geometry.planar_regions.PlanarRegions`)."""

    __slots__ = ()

    def __init__(self, eng: _Engine):
        super().__init__(eng, len(eng.P) - 1)

    def project_to_line(self) -> None:
        """Already on the line (the interface of ``PlanarRegions``)."""

    def _materialise(self) -> list:
        from ..convex.polyhedra import box_cone
        from .planar_regions import _output_rows, _patterns
        eng = self._eng
        assert eng is not None
        outs = _output_rows(eng)
        eng.exact.need(np.concatenate(eng.PR))      # every endpoint's state, batched
        ends = [Fraction(*eng.point(i)) for i in eng.P.tolist()]
        keys = _patterns(eng)
        return [(box_cone([(ends[i], ends[i + 1])]), keys[i], outs[i], 0)
                for i in range(len(outs))]


def interval_regions(prep: list, lo: Fraction, hi: Fraction,
                     tick: Callable[[int], None] | None = None) -> IntervalRegions | None:
    """The regions of the one-input network ``prep`` (from
    :func:`relugeom.geometry.regions._prepare`, at least one hidden layer) on the interval
    ``[lo, hi]`` (``lo < hi``), or None when the weights or states leave the float range
    (then another engine is the route)."""
    try:
        with _OneThread():
            eng = _Engine(prep, lo, hi)
            eng.run(tick)
    except (_Unfit, OverflowError):           # numbers beyond floats: integers decide
        return None
    return IntervalRegions(eng)

"""Compiled (numba) cutting of planar cells for :mod:`relugeom.geometry.planar_regions`.

One kernel cuts every cell of a chunk by its crossing lines, piece by piece, with the same
float filter as the numpy route (the same rigorous bounds, the same constants: IEEE
double arithmetic, no fast-math, so every bound holds as derived there). A sign the filter
cannot decide is never guessed: the kernel looks it up among the exact signs already
formed (keyed by the line and the two exact lines through the vertex); when it is not
there, the kernel asks for it, drops that cell's pieces and flags the cell, and the caller
forms the exact signs asked for (integers) and cuts the flagged cells again. Where the
three lines' exact integer rows are known and small enough (int64 rows for the cells'
states and the line table, :class:`relugeom.geometry.planar_exact._IntStates`), the kernel
settles the sign itself, exactly, in int64: then one pass cuts every cell. numba
compiles on first use and caches the machine code on disk (``cache=True``); without numba
the numpy route does all cells.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..numbers.jit import compile_once

__all__ = ["cut_cells", "available", "NoKernel"]

_U = 2.0 ** -53


class NoKernel(Exception):
    """numba imported but could not compile the kernel (then the numpy route)."""

_TINY = 1e-290
_KERNEL: list = []


def available() -> bool:
    """True when numba imports (then :func:`cut_cells` is compiled)."""
    return _kernel() is not None


def _kernel() -> Any:
    return compile_once(_KERNEL, _build)


def _build(numba: Any) -> Any:
    # no runtime reference counts (_nrt=False): the kernel allocates nothing (the caller
    # passes every buffer and grows it when asked), and the atomic counts numba keeps on
    # arrays passed to helpers were half of its time
    opts = {"cache": True, "nogil": True}
    try:                                   # an internal option: used only where known
        from numba.core.cpu import CPUTargetOptions
        if hasattr(CPUTargetOptions, "_nrt"):
            opts["_nrt"] = False
    except ImportError:                    # pragma: no cover - another numba layout
        pass
    g = globals()                  # the kernel calls the compiled helpers
    for name in ("_meet1", "_prov", "_key", "_find", "_form"):
        g[name] = numba.njit(**opts)(g[name])
    # the pieces of the cut, inlined into it (as one function it was 216 lines)
    for name in ("_row", "_float_sign", "_int_sign", "_exact_sign", "_cross_lines",
                 "_piece_signs", "_crossings", "_halves", "_emit"):
        g[name] = numba.njit(inline="always", **opts)(g[name])
    return numba.njit(**opts)(_cut_kernel)


def _meet1(a0: float, a1: float, a2: float, ea0: float, ea1: float, ea2: float,
           h0: float, h1: float, h2: float, e0: float, e1: float, e2: float,
           out: np.ndarray) -> None:
    """Scalar form of :func:`relugeom.geometry.planar_regions._meet` (same bounds)."""
    u = _U
    p, q = a1 * h2, a2 * h1
    X = p - q
    EX = ((abs(a1) + ea1) * e2 + ea1 * abs(h2) + (abs(a2) + ea2) * e1 + ea2 * abs(h1)
          + 3 * u * (abs(p) + abs(q))) * (1 + 8 * u) + _TINY
    p, q = a2 * h0, a0 * h2
    Y = p - q
    EY = ((abs(a2) + ea2) * e0 + ea2 * abs(h0) + (abs(a0) + ea0) * e2 + ea0 * abs(h2)
          + 3 * u * (abs(p) + abs(q))) * (1 + 8 * u) + _TINY
    p, q = a0 * h1, a1 * h0
    W = p - q
    EW = ((abs(a0) + ea0) * e1 + ea0 * abs(h1) + (abs(a1) + ea1) * e0 + ea1 * abs(h0)
          + 3 * u * (abs(p) + abs(q))) * (1 + 8 * u) + _TINY
    aw = abs(W)
    if aw > EW * (1 + 4 * u):
        x = X / W
        y = Y / W
        gap = (aw - EW) * (1 - 4 * u)
        out[0] = x
        out[1] = y
        out[2] = (EX + abs(x) * (1 + 4 * u) * EW) / gap * (1 + 8 * u) + u * abs(x) + _TINY
        out[3] = (EY + abs(y) * (1 + 4 * u) * EW) / gap * (1 + 8 * u) + u * abs(y) + _TINY
    else:
        out[0] = 0.0
        out[1] = 0.0
        out[2] = np.inf
        out[3] = np.inf


def _prov(ident: int, nbase: int, LP: np.ndarray, LPn: np.ndarray, lvl: int,
          gc: np.ndarray, out: np.ndarray, at: int) -> None:
    """Provenance (level, cell, unit) of line ``ident`` into ``out[at:at + 3]``."""
    if ident < nbase:
        out[at], out[at + 1], out[at + 2] = LP[ident, 0], LP[ident, 1], LP[ident, 2]
    else:
        r = ident - nbase
        out[at], out[at + 1], out[at + 2] = lvl, gc[LPn[r, 0]], LPn[r, 1]


def _key(key: np.ndarray, lvl: int, cell: int, j: int, a: int, b: int, nbase: int,
         LP: np.ndarray, LPn: np.ndarray, gc: np.ndarray) -> None:
    """The oracle key of the sign of line (lvl, cell, j) at the vertex of edges a, b."""
    key[0], key[1], key[2] = lvl, cell, j
    _prov(a, nbase, LP, LPn, lvl, gc, key, 3)
    _prov(b, nbase, LP, LPn, lvl, gc, key, 6)
    swap = False
    for t in range(3):
        if key[3 + t] != key[6 + t]:
            swap = key[3 + t] > key[6 + t]
            break
    if swap:
        for t in range(3):
            key[3 + t], key[6 + t] = key[6 + t], key[3 + t]


def _find(OK: np.ndarray, key: np.ndarray) -> int:
    """Row of ``key`` in the lexicographically sorted rows ``OK``, or -1."""
    lo, hi = 0, OK.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        cmp = 0
        for t in range(9):
            if OK[mid, t] != key[t]:
                cmp = -1 if OK[mid, t] < key[t] else 1
                break
        if cmp == 0:
            return mid
        if cmp < 0:
            lo = mid + 1
        else:
            hi = mid
    return -1


def _scratch(ns: int, nq: int, w: int) -> tuple:
    """A cell's scratch for the kernel: ``ns`` slot rows (sV, sE, sg, cx), ``nq`` piece
    rows (qs, ql, qa, qb), and the small rows (nv, cr, hid, key, HX)."""
    return (np.empty((ns, 4)), np.empty(ns, dtype=np.int64), np.empty(ns, dtype=np.int8),
            np.empty((ns, 4)), np.empty(nq, dtype=np.int64), np.empty(nq, dtype=np.int64),
            np.empty(nq, dtype=np.bool_), np.zeros((nq, w), dtype=np.bool_), np.empty(4),
            np.empty(w, dtype=np.bool_), np.empty(w, dtype=np.int64),
            np.empty(9, dtype=np.int64), np.empty((1, 3, w), dtype=np.int64))


def _host_grow(a: np.ndarray) -> np.ndarray:
    return np.concatenate([a, np.empty_like(a)])


def _row(dst: np.ndarray, i: int, src: np.ndarray, r: int) -> None:
    """Vertex row r of src into row i of dst, entry by entry (a row slice would be a
    view, which needs the runtime the kernel does without)."""
    dst[i, 0], dst[i, 1], dst[i, 2], dst[i, 3] = src[r, 0], src[r, 1], src[r, 2], src[r, 3]


def _float_sign(sV: np.ndarray, i: int, h0: float, h1: float, h2: float, e0: float,
                e1: float, g0: float, g1: float, g2: float) -> int:
    """Sign of line h at vertex row ``i`` of ``sV`` by the float filter: 1, -1, or 0 when
    the filter leaves it open (or NaN)."""
    u = _U
    x, y = sV[i, 0], sV[i, 1]
    ax, ay = abs(x), abs(y)
    val = h0 * x + h1 * y + h2
    bnd = (g0 * (sV[i, 2] + 4 * u * ax) + g1 * (sV[i, 3] + 4 * u * ay)
           + e0 * ax + e1 * ay + g2) * (1 + 16 * u) + _TINY
    if val > bnd:
        return 1
    if val < -bnd:
        return -1
    return 0


_GUARD = 2.0 ** 62


def _int_sign(XS: np.ndarray, r: int, j: int, a: int, b: int, nbase: int, LX: np.ndarray,
              LXn: np.ndarray) -> int:
    """Sign of unit j of the exact state row r (-1: not formed) at the vertex where lines
    a and b meet, exactly in int64 (as :func:`relugeom.geometry.planar_exact._vertex_sign`:
    v = a x b, d = h . v, negated when v[2] < 0); 2 when a row is not known or the products
    could leave int64 (|d| <= 6 |h| |a| |b|, each |.| a row's largest magnitude, known
    below 2^62: column 3 of a line's row, -1 when the row is not known)."""
    if r < 0:
        return 2
    A, ia = (LX, a) if a < nbase else (LXn, a - nbase)
    B, ib = (LX, b) if b < nbase else (LXn, b - nbase)
    ma, mb = A[ia, 3], B[ib, 3]
    if ma < 0 or mb < 0:
        return 2
    mh = max(abs(XS[r, 0, j]), abs(XS[r, 1, j]), abs(XS[r, 2, j]), 1)   # >= 1: v fits too
    if 6.0 * mh * ma * mb >= _GUARD:
        return 2
    a0, a1, a2 = A[ia, 0], A[ia, 1], A[ia, 2]
    b0, b1, b2 = B[ib, 0], B[ib, 1], B[ib, 2]
    v2 = a0 * b1 - a1 * b0
    if v2 == 0:                        # never at a polygon vertex: let the caller say so
        return 2
    d = (XS[r, 0, j] * (a1 * b2 - a2 * b1) + XS[r, 1, j] * (a2 * b0 - a0 * b2)
         + XS[r, 2, j] * v2)
    if v2 < 0:
        d = -d
    return 1 if d > 0 else (-1 if d < 0 else 0)


def _form(HX: np.ndarray, c: int, pr: int, PX: np.ndarray, MK: np.ndarray, WL: np.ndarray,
          BD: np.ndarray) -> None:
    """The exact state of cell c into HX[0] (3 x w): ``WL (MK[c] * PX[pr]) + BD`` from its
    parent's state PX[pr]; at level 0 (WL empty) the first layer's, PX[pr] itself. Every
    partial sum stays below 2^62 (the caller's static bound)."""
    if WL.shape[0] == 0:
        for t in range(3):
            for j in range(HX.shape[2]):
                HX[0, t, j] = PX[pr, t, j]
        return
    for j in range(WL.shape[0]):
        for t in range(3):
            acc = 0
            for q in range(WL.shape[1]):
                if MK[c, q]:
                    acc += WL[j, q] * PX[pr, t, q]
            HX[0, t, j] = acc + BD[j] if t == 2 else acc


def _exact_sign(key: np.ndarray, lvl: int, cell: int, j: int, a: int, b: int, nbase: int,
                LP: np.ndarray, LPn: np.ndarray, gc: np.ndarray, OK: np.ndarray,
                OS: np.ndarray, RQ: np.ndarray, nr: int, XS: np.ndarray, r: int,
                LX: np.ndarray, LXn: np.ndarray, nx: int) -> tuple:
    """The exact sign of line (lvl, cell, j) at the vertex of edges a, b: (sign, nr, nx);
    in int64 when the rows allow it (nx counts those), else looked up among the known
    signs; sign 2 when it is not known (then its key is requested in RQ, if there is
    room)."""
    s = _int_sign(XS, r, j, a, b, nbase, LX, LXn)
    if s != 2:
        return s, nr, nx + 1
    _key(key, lvl, cell, j, a, b, nbase, LP, LPn, gc)
    at = _find(OK, key)
    if at < 0:
        if nr < RQ.shape[0]:
            for q in range(9):
                RQ[nr, q] = key[q]
            nr += 1
        return 2, nr, nx
    return int(OS[at]), nr, nx


def _cross_lines(c: int, k: int, sV: np.ndarray, sE: np.ndarray, Z: np.ndarray,
                 E: np.ndarray, nbase: int, LFn: np.ndarray, LEn: np.ndarray,
                 LPn: np.ndarray, nl: int, lvl: int, gc: np.ndarray, LP: np.ndarray,
                 OK: np.ndarray, OS: np.ndarray, RQ: np.ndarray, nr: int, cr: np.ndarray,
                 qb: np.ndarray, hid: np.ndarray, key: np.ndarray, XS: np.ndarray, r: int,
                 LX: np.ndarray, LXn: np.ndarray, nx: int) -> tuple:
    """The signs of every unit at the k vertices of cell c (exact state row r): which
    lines cross (cr, and their new line ids hid, rows of LFn/LEn/LPn/LXn), which units are
    on (qb[0]). Returns (bad, nl, nr, nx); bad when a sign is open and not known (every
    such key requested)."""
    u = _U
    w = Z.shape[2]
    bad = False
    for j in range(w):
        h0, h1, h2 = Z[c, 0, j], Z[c, 1, j], Z[c, 2, j]
        e0, e1, e2 = E[c, 0, j], E[c, 1, j], E[c, 2, j]
        g0, g1 = abs(h0) + e0, abs(h1) + e1
        g2 = e2 + 4 * u * abs(h2)
        pos = False
        neg = False
        for i in range(k):
            s = _float_sign(sV, i, h0, h1, h2, e0, e1, g0, g1, g2)
            if s == 0:                          # undecided (or NaN): the exact sign
                s, nr, nx = _exact_sign(key, lvl, gc[c], j, sE[i - 1 if i else k - 1],
                                        sE[i], nbase, LP, LPn, gc, OK, OS, RQ, nr, XS, r,
                                        LX, LXn, nx)
                if s == 2:
                    bad = True
                    s = 0
            if s > 0:
                pos = True
            elif s < 0:
                neg = True
        if bad:
            continue                            # collect every open sign of the cell
        cr[j] = pos and neg
        qb[0, j] = pos and not neg
        if pos and neg:
            hid[j] = nbase + nl
            LFn[nl, 0], LFn[nl, 1], LFn[nl, 2] = h0, h1, h2
            LEn[nl, 0], LEn[nl, 1], LEn[nl, 2] = e0, e1, e2
            LPn[nl, 0], LPn[nl, 1] = c, j
            if r >= 0:
                for t in range(3):
                    LXn[nl, t] = XS[r, t, j]
                LXn[nl, 3] = max(abs(XS[r, 0, j]), abs(XS[r, 1, j]), abs(XS[r, 2, j]))
            else:
                LXn[nl, 3] = -1
            nl += 1
    return bad, nl, nr, nx


def _piece_signs(st: int, ln: int, sV: np.ndarray, sE: np.ndarray, sg: np.ndarray,
                 h0: float, h1: float, h2: float, e0: float, e1: float, g0: float,
                 g1: float, g2: float, key: np.ndarray, lvl: int, cell: int, j: int,
                 nbase: int, LP: np.ndarray, LPn: np.ndarray, gc: np.ndarray,
                 OK: np.ndarray, OS: np.ndarray, RQ: np.ndarray, nr: int, XS: np.ndarray,
                 r: int, LX: np.ndarray, LXn: np.ndarray, nx: int) -> tuple:
    """The signs sg of line j at the ln vertices of a piece (rows st, ...). Returns
    (pos, neg, bad, nr, nx); bad at the first sign open and not known (its key
    requested)."""
    pos = False
    neg = False
    for i in range(ln):
        s = _float_sign(sV, st + i, h0, h1, h2, e0, e1, g0, g1, g2)
        if s == 0:                              # undecided (or NaN): the exact sign
            s, nr, nx = _exact_sign(key, lvl, cell, j, sE[st + (i - 1 if i else ln - 1)],
                                    sE[st + i], nbase, LP, LPn, gc, OK, OS, RQ, nr, XS, r,
                                    LX, LXn, nx)
            if s == 2:
                return pos, neg, True, nr, nx
        sg[i] = s
        if s > 0:
            pos = True
        elif s < 0:
            neg = True
    return pos, neg, False, nr, nx


def _crossings(st: int, ln: int, sE: np.ndarray, sg: np.ndarray, cx: np.ndarray,
               nbase: int, LF: np.ndarray, LE: np.ndarray, LFn: np.ndarray,
               LEn: np.ndarray, h0: float, h1: float, h2: float, e0: float, e1: float,
               e2: float, nv: np.ndarray) -> None:
    """Where line h crosses the piece's edges whose ends have opposite signs: cx[i] for
    the edge from vertex i to the next."""
    for i in range(ln):
        i1 = i + 1 if i + 1 < ln else 0
        if sg[i] * sg[i1] < 0:
            a = sE[st + i]
            if a >= nbase:
                r = a - nbase
                _meet1(LFn[r, 0], LFn[r, 1], LFn[r, 2], LEn[r, 0], LEn[r, 1],
                       LEn[r, 2], h0, h1, h2, e0, e1, e2, nv)
            else:
                _meet1(LF[a, 0], LF[a, 1], LF[a, 2], LE[a, 0], LE[a, 1],
                       LE[a, 2], h0, h1, h2, e0, e1, e2, nv)
            cx[i, 0], cx[i, 1], cx[i, 2], cx[i, 3] = nv[0], nv[1], nv[2], nv[3]


def _halves(p: int, j: int, hj: int, st: int, ln: int, ns: int, nq: int, sV: np.ndarray,
            sE: np.ndarray, sg: np.ndarray, cx: np.ndarray, qs: np.ndarray,
            ql: np.ndarray, qa: np.ndarray, qb: np.ndarray) -> tuple:
    """Piece p cut by line j (new id hj) into its positive and negative halves, appended
    at slot ns and as pieces nq, nq + 1. Returns (ns, nq)."""
    for sgn in (1, -1):
        s0 = ns
        for i in range(ln):
            i1 = i + 1 if i + 1 < ln else 0
            t, tn = sg[i] * sgn, sg[i1] * sgn
            if t >= 0:
                _row(sV, ns, sV, st + i)
                sE[ns] = hj if (t == 0 and tn < 0) else sE[st + i]
                ns += 1
            if t * tn < 0:
                sV[ns, 0], sV[ns, 1], sV[ns, 2], sV[ns, 3] = (
                    cx[i, 0], cx[i, 1], cx[i, 2], cx[i, 3])
                sE[ns] = hj if t > 0 else sE[st + i]
                ns += 1
        qs[nq] = s0
        ql[nq] = ns - s0
        qa[nq] = True
        for q in range(qb.shape[1]):
            qb[nq, q] = qb[p, q]
        qb[nq, j] = sgn > 0
        nq += 1
    qa[p] = False
    return ns, nq


def _emit(c: int, nq: int, qs: np.ndarray, ql: np.ndarray, qa: np.ndarray, qb: np.ndarray,
          sV: np.ndarray, sE: np.ndarray, oV: np.ndarray, oED: np.ndarray, o_n: int,
          pst: np.ndarray, pln: np.ndarray, pcell: np.ndarray, pbits: np.ndarray,
          p_n: int) -> tuple:
    """The live pieces of cell c to the outputs. Returns (done, o_n, p_n); not done (and
    nothing written) when an output is full."""
    tot = 0
    cnt = 0
    for p in range(nq):
        if qa[p]:
            tot += ql[p]
            cnt += 1
    if o_n + tot > oV.shape[0] or p_n + cnt > pst.shape[0]:
        return False, o_n, p_n
    for p in range(nq):
        if not qa[p]:
            continue
        pst[p_n] = o_n
        pln[p_n] = ql[p]
        pcell[p_n] = c
        for q in range(qb.shape[1]):
            pbits[p_n, q] = qb[p, q]
        p_n += 1
        for i in range(ql[p]):
            _row(oV, o_n, sV, qs[p] + i)
            oED[o_n] = sE[qs[p] + i]
            o_n += 1
    return True, o_n, p_n


def _cut_kernel(c0: int, starts: np.ndarray, lens: np.ndarray, V: np.ndarray,
                ED: np.ndarray, Z: np.ndarray, E: np.ndarray, LF: np.ndarray,
                LE: np.ndarray, nbase: int, LFn: np.ndarray, LEn: np.ndarray,
                LPn: np.ndarray, nl: int, oV: np.ndarray, oED: np.ndarray, o_n: int,
                pst: np.ndarray, pln: np.ndarray, pcell: np.ndarray, pbits: np.ndarray,
                p_n: int, flag: np.ndarray, lvl: int, gc: np.ndarray, LP: np.ndarray,
                OK: np.ndarray, OS: np.ndarray, RQ: np.ndarray, nr: int, PX: np.ndarray,
                pxi: np.ndarray, MK: np.ndarray, WL: np.ndarray, BD: np.ndarray,
                LX: np.ndarray, LXn: np.ndarray, nx: int, sV: np.ndarray,
                sE: np.ndarray, sg: np.ndarray, cx: np.ndarray, qs: np.ndarray,
                ql: np.ndarray, qa: np.ndarray, qb: np.ndarray, nv: np.ndarray,
                cr: np.ndarray, hid: np.ndarray, key: np.ndarray, HX: np.ndarray) -> tuple:
    """Cut cells c0, c0 + 1, ... (vertices V = [x, y, ex, ey] rows, edge line ids ED;
    the cells' maps Z and bounds E coefficient-major, C x 3 x w):
    first the signs of every unit at the cell's vertices (which lines cross, which units
    are on), then the cuts. New lines get ids nbase + nl, ... (rows of LFn, LEn and
    LPn = (cell, unit), LXn its exact row); pieces go to oV/oED (slots) and
    pst/pln/pcell/pbits. Returns (next cell, o_n, p_n, nl, nr, nx, slots, pieces): the
    next cell is len(starts) when all are done, else an output is full, or the scratch
    rows of a cell's slots (sV, sE, sg, cx) or pieces (qs, ql, qa, qb) are fewer than
    ``slots`` or ``pieces`` (then the caller grows them and the cell starts again).

    A sign the float filter leaves open is settled exactly in int64 when the exact rows
    allow (nx counts these signs): the cell's exact state, formed here (:func:`_form`) at
    its first open sign from its parent's (row pxi[c] of PX, -1 when not formed; MK the
    cells' masks, WL and BD the layer's integer weights and biases times the parent
    level's denominator), the cell then cut again from its start; the edge lines' rows
    in LX/LXn (each new line's row is written when its cell's state is formed). Else it
    is looked up in the exact signs already
    known (rows of OK, sorted: the line (level, cell, unit) and the provenances of the two
    edge lines through the vertex, the smaller first; OS their signs); when it is not
    there the key is requested (rows of RQ) and the cell flagged: the caller forms the
    exact signs and cuts the flagged cells again."""
    C, w = Z.shape[0], Z.shape[2]
    u = _U
    for c in range(c0, C):
        k = lens[c]
        if nl + w > LFn.shape[0]:
            return c, o_n, p_n, nl, nr, nx, 0, 0
        nl0, nr0, nx0 = nl, nr, nx
        if sV.shape[0] < 4 * k:
            return c, o_n, p_n, nl0, nr0, nx0, 4 * k, 0
        pr = pxi[c]
        r = -1                             # HX[0]: the cell's exact state, once formed
        if pr >= 0 and WL.shape[0] == 0:   # level 0: the first layer's, at once
            _form(HX, c, pr, PX, MK, WL, BD)
            r = 0
        while True:                        # at most twice: again once the state is formed
            for i in range(k):
                _row(sV, i, V, starts[c] + i)
                sE[i] = ED[starts[c] + i]
            bad, nl, nr, nx = _cross_lines(c, k, sV, sE, Z, E, nbase, LFn, LEn, LPn, nl, lvl,
                                           gc, LP, OK, OS, RQ, nr, cr, qb, hid, key, HX, r,
                                           LX, LXn, nx)
            if bad:
                if r < 0 and pr >= 0:
                    _form(HX, c, pr, PX, MK, WL, BD)
                    r, nl, nr, nx = 0, nl0, nr0, nx0
                    continue
                break
            ns = k
            qs[0], ql[0], qa[0] = 0, k, True
            nq = 1
            for j in range(w):
                if not cr[j]:
                    continue
                h0, h1, h2 = Z[c, 0, j], Z[c, 1, j], Z[c, 2, j]
                e0, e1, e2 = E[c, 0, j], E[c, 1, j], E[c, 2, j]
                g0, g1 = abs(h0) + e0, abs(h1) + e1
                g2 = e2 + 4 * u * abs(h2)
                nq0 = nq
                for p in range(nq0):
                    if not qa[p]:
                        continue
                    st, ln = qs[p], ql[p]
                    pos, neg, bad, nr, nx = _piece_signs(st, ln, sV, sE, sg, h0, h1, h2, e0,
                                                         e1, g0, g1, g2, key, lvl, gc[c], j,
                                                         nbase, LP, LPn, gc, OK, OS, RQ, nr,
                                                         HX, r, LX, LXn, nx)
                    if bad:
                        break
                    if not (pos and neg):
                        if pos:
                            qb[p, j] = True
                        continue
                    need = ns + 2 * (ln + 2)
                    if need > sV.shape[0]:
                        return c, o_n, p_n, nl0, nr0, nx0, need, 0
                    _crossings(st, ln, sE, sg, cx, nbase, LF, LE, LFn, LEn, h0, h1, h2, e0,
                               e1, e2, nv)
                    if nq + 2 > qs.shape[0]:
                        return c, o_n, p_n, nl0, nr0, nx0, 0, nq + 2
                    ns, nq = _halves(p, j, hid[j], st, ln, ns, nq, sV, sE, sg, cx, qs, ql, qa,
                                     qb)
                if bad:
                    break
            if bad and r < 0 and pr >= 0:
                _form(HX, c, pr, PX, MK, WL, BD)
                r, nl, nr, nx = 0, nl0, nr0, nx0
                continue
            break
        if bad:
            flag[c] = True
            nl = nl0
            continue
        done, o_n, p_n = _emit(c, nq, qs, ql, qa, qb, sV, sE, oV, oED, o_n, pst, pln, pcell,
                               pbits, p_n)
        if not done:
            return c, o_n, p_n, nl0, nr0, nx0, 0, 0
    return C, o_n, p_n, nl, nr, nx, 0, 0


def cut_cells(starts: np.ndarray, lens: np.ndarray, V: np.ndarray, ED: np.ndarray,
              Z: np.ndarray, E: np.ndarray, LF: np.ndarray, LE: np.ndarray, lvl: int,
              gc: np.ndarray, LP: np.ndarray, OK: np.ndarray, OS: np.ndarray,
              PX: np.ndarray, pxi: np.ndarray, MK: np.ndarray, WL: np.ndarray,
              BD: np.ndarray, LX: np.ndarray) -> tuple:
    """Cut every cell of a chunk. Returns the pieces of the cells not flagged (slots V,
    edge ids, starts, lengths, cell, pattern rows), the new lines (float rows, bounds,
    (cell, unit), exact rows) with ids from ``len(LF)`` on, the flags (cells with a sign
    neither the float filter, the int64 exact rows (:func:`_cut_kernel`) nor the known
    exact signs ``OK``/``OS`` decide), the keys of the exact signs they need and the
    number of signs settled in int64."""
    fn = _kernel()
    C, w = Z.shape[0], Z.shape[2]
    # room for what a chunk usually gives, so that the kernel is rarely re-entered to
    # grow (each entry is a dispatch of 38 arguments): a lone cell cut by w lines gives
    # at most 1 + w + w (w - 1) / 2 pieces
    pcap = max(16, 4 * C, min(C * (1 + w + w * (w - 1) // 2), 4 * C + 2 * w * w))
    cap = max(64, 4 * int(lens.sum()), 5 * pcap)
    lcap = max(64, 3 * C + 2 * w)
    oV, oED = np.empty((cap, 4)), np.empty(cap, dtype=np.int64)
    pst, pln, pcell = (np.empty(pcap, dtype=np.int64) for _ in range(3))
    pbits = np.empty((pcap, w), dtype=np.bool_)
    LFn, LEn, LPn = np.empty((lcap, 3)), np.empty((lcap, 3)), np.empty((lcap, 2), dtype=np.int64)
    LXn = np.empty((lcap, 4), dtype=np.int64)
    RQ = np.empty((max(64, 4 * C), 9), dtype=np.int64)
    flag = np.zeros(C, dtype=np.bool_)
    # a cell's scratch rows: room for a cell cut by a few dozen lines (a lone start cell
    # cut by all w asks for more: it starts again with twice the rows, rarely twice)
    sc = _scratch(max(512, 4 * int(lens.max()) if C else 0, 16 * w), max(64, 4 * w), w)
    c, o_n, p_n, nl, nr, nx = 0, 0, 0, 0, 0, 0
    while True:
        try:
            c, o_n, p_n, nl, nr, nx, slots, pieces = fn(
                c, starts, lens, V, ED, Z, E, LF, LE, len(LF), LFn, LEn, LPn, nl, oV, oED,
                o_n, pst, pln, pcell, pbits, p_n, flag, lvl, gc, LP, OK, OS, RQ, nr, PX, pxi,
                MK, WL, BD, LX, LXn, nx, *sc)
        except Exception as exc:           # numba could not compile: the numpy route
            from numba.core.errors import NumbaError
            if not isinstance(exc, NumbaError):
                raise
            _KERNEL[0] = None
            raise NoKernel() from exc
        if c == C:
            break
        if slots or pieces:                # a cell needs more scratch: it starts again
            sc = _scratch(max(len(sc[0]), 2 * len(sc[0]) + slots if slots else 0),
                          max(len(sc[4]), 2 * len(sc[4]) + pieces if pieces else 0), w)
        elif nl + w > len(LFn):
            LFn, LEn, LPn, LXn = (_host_grow(a) for a in (LFn, LEn, LPn, LXn))
        else:
            oV, oED = _host_grow(oV), _host_grow(oED)
            pst, pln, pcell, pbits = (_host_grow(a) for a in (pst, pln, pcell, pbits))
    return ((oV[:o_n], oED[:o_n], pst[:p_n], pln[:p_n], pcell[:p_n], pbits[:p_n]),
            (LFn[:nl], LEn[:nl], LPn[:nl], LXn[:nl]), flag, RQ[:nr], nx)

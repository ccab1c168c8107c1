"""Exact linear regions of ReLU networks R^n -> R^m, over all of R^n or inside a box.

The input space is split layer by layer: a cell of the partition after layer l has one
activation pattern for layers 1..l, so every pre-activation of layer l + 1 is one affine
function on it, and the cell is cut by those hyperplanes that cross its interior. All of it
is exact: hyperplanes are primitive integer vectors (weights scaled by a common
denominator, kept in numpy ``int64`` while no overflow is possible, then as ``int64`` limb
arrays (:mod:`relugeom.limbs`: one int64 product per limb, exact), python-flint products
for weights beyond int64), vertices are homogeneous integer vectors (``z = 0`` for
directions to infinity). In the plane a cell is a convex polygon in cyclic order, cut in
O(vertices); in R^n it is a double description (:mod:`relugeom.polyhedra`). Sign tests use
a float filter with a rigorous error bound and fall back to integers; no tolerance decides
anything. The refinement runs layer by layer: in the plane all cells of one layer share
one vectorised sign test and one batched product for the next pre-activations
(:func:`_step_batch`); a polygon crossed by many lines skips, by a vectorised float box
test, the pieces a line provably misses (:func:`_cut_planar`); exact Python integers are
formed only for the rows that cut and for the final affine maps. Result types live in
:mod:`relugeom.regionset`.

Over all of R^n the refinement starts from R^n itself: one cone with lineality space
R^n (:func:`relugeom.polyhedra.whole_space_cone`). A hyperplane that is not constant on a
cell's lineality space halves it exactly; so an affine network is one region at once and
the cost grows with the regions found, never with 2^n. Each activation pattern is one cell
(the set of points with a given pattern is convex). In the plane, cells go back to the
polygon path as soon as they are pointed. ``domain=`` starts from a
polyhedron instead, ``plane=`` restricts the network to a 2-D affine plane first
(:func:`restrict_to_plane`).

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, 1, -2]], [0])])
>>> res = rg.linear_regions(net)
>>> res.n_regions, res.n_pieces, res.regions[0].is_bounded
(7, 7, False)
>>> rg.linear_regions(net, box=[(-1, 1), (-1, 1)]).n_regions
5
"""
from __future__ import annotations

import math
from typing import Any, Callable, Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError, DomainError, NotExactError
from ..numbers.limbs import (LimbArray, _big_states, _limb_bits, _limb_product,  # noqa: F401
                    _one_row_states, limb_states, limb_width)
from ..numbers.limbs import maxabs as _maxabs
from ..convex.polyhedra import (Cone, IntVec, Polyhedron, _dot, as_box, box_cone,
                        sign_matrix)
from ..numbers.rational import short
from .regionset import (LinearRegions, Region, _cone_to_polygon, _gens,  # noqa: F401
                        _polygon_to_cone, _signs, _split_polygon)
from .domains import (_as_domain, _box_polygons, _limb_matmul,  # noqa: F401
                      _start_cells, restrict_to_plane)

__all__ = ["linear_regions", "LinearRegions", "Region", "restrict_to_plane"]

_SAFE = 1 << 62


# ---------------------------------------------------------------------- preparation


def _prepare(net: Any) -> list[tuple[np.ndarray, np.ndarray, int, int, int]]:
    """Each layer as integer (W, b) with one positive common denominator D, and the
    largest magnitudes of W and b."""
    out = []
    for Wi, bi, D in net.integer_layers():
        mw, mb = _maxabs(Wi), _maxabs(bi)
        if mw < _SAFE and mb < _SAFE and (Wi.dtype == object or bi.dtype == object):
            Wi, bi = Wi.astype(np.int64), bi.astype(np.int64)
        out.append((Wi, bi, D, mw, mb))
    return out


def _next_state(W: np.ndarray, b: np.ndarray, A: np.ndarray, den: int) -> np.ndarray:
    """Numerators of W (A x) + den * b (constant column last), exact."""
    if (W.dtype != object and A.dtype != object and den < _SAFE and
            _maxabs(W) * _maxabs(A) * max(W.shape[1], 1) + den * _maxabs(b) < _SAFE):
        Z = W @ A
        Z[:, -1] += b * den
        return Z
    Z = W.astype(object) @ A.astype(object)
    Z[:, -1] += b.astype(object) * den
    if _maxabs(Z) < _SAFE:
        return Z.astype(np.int64)
    return Z


def _next_states(layer: tuple, Z: np.ndarray, M: np.ndarray, den: int) -> Any:
    """``_next_state`` for each row of the mask matrix ``M`` at once (k x w' x (n+1))."""
    W, b, _, mw, mb = layer
    if (W.dtype != object and Z.dtype != object and den < _SAFE and
            mw * int(np.abs(Z).max()) * W.shape[1] + den * mb < _SAFE):
        A = Z[None, :, :] * M[:, :, None]
        Zn = np.matmul(W, A)
        Zn[:, :, -1] += b * den
        return Zn
    if len(M):
        return _big_states(layer, Z[None], np.zeros(len(M), dtype=np.intp), M, den)
    return [_next_state(W, b, Z * m[:, None].astype(Z.dtype), den) for m in M]


def _split(cell: Any, h: Sequence[int], s: Sequence[int]) -> tuple[Any, Any]:
    if isinstance(cell, Cone):
        p, m = cell.split(tuple(h), s)
        if cell.n == 2:           # back to the polygon path once the cell is pointed
            p = p if p is None else _cone_to_polygon(p)
            m = m if m is None else _cone_to_polygon(m)
        return p, m
    return _split_polygon(cell, h, s)

def _run(prep: list, stack: list, tick: Callable[[int], None] | None = None,
         until: int | None = None) -> list:
    """Refine cells to the last hidden layer (or to layer ``until``), layer by layer.

    Stack entries are (cell, layer, Z, den, pattern, orthant); results are
    (cell, pattern, output numerators, orthant), or stack entries at layer ``until``.
    Planar cells with ``int64`` states go through :func:`_step_batch` (one vectorised
    sign test and one batched product per layer); the rest through :func:`_step_one`.
    """
    out: list = []
    L = len(prep) - 1
    level: dict[int, list] = {}
    for e in stack:
        level.setdefault(e[1], []).append(e)
    while level:
        l = min(level)
        cur = level.pop(l)
        last = l + 1 == L
        flat = [e for e in cur if isinstance(e[0], Cone)]
        batch = [e for e in cur if not isinstance(e[0], Cone)]
        produced: list = []
        for e in flat:
            produced.extend(_step_one(prep, e, last))
        if batch:
            produced.extend(_step_batch(prep, batch, last))
        # every cell has at least one descendant: the live cells bound the regions below
        check_size("max_regions", len(out) + len(produced) +
                   sum(len(v) for v in level.values()), "linear_regions")
        if last:
            out.extend(produced)
            if tick is not None:
                tick(len(produced))
        elif until is not None and l + 1 >= until:
            out.extend(produced)
        else:
            level.setdefault(l + 1, []).extend(produced)
    return out


def _emit(prep: list, entry: tuple, pieces: list, base: np.ndarray, cross: list,
          last: bool, Zn: Any) -> list:
    """Records (or next-layer entries) for the pieces of one cell."""
    cell, l, Z, den, pat, orth = entry
    M = _masks(base, cross, pieces)
    keys = [int.from_bytes(r.tobytes(), "little")
            for r in np.packbits(M, axis=1, bitorder="little")]
    layer = prep[-1] if last else prep[l + 1]
    if Zn is None:
        Zn = _next_states(layer, Z, M, den)
    out = []
    for i, (c, _) in enumerate(pieces):
        p2 = pat + (keys[i],)
        if last:
            out.append((c, p2, tuple(tuple(r) for r in Zn[i].tolist()), orth))
        else:
            out.append((c, l + 1, Zn[i], den * layer[2], p2, orth))
    return out


def _masks(base: np.ndarray, cross: list, pieces: list) -> np.ndarray:
    k = len(pieces)
    M = np.repeat(base[None, :], k, axis=0)
    if cross:
        M[:, cross] = _bit_rows([bits for _, bits in pieces], len(cross))
    return M


def _bit_rows(bits: list[int], width: int) -> np.ndarray:
    """Bit sets (Python ints) as rows of a boolean matrix, bit i in column i."""
    if width < 62:
        B = np.array(bits, dtype=np.int64)
        return ((B[:, None] >> np.arange(width)) & 1).astype(bool)
    nb = (width + 7) // 8
    buf = np.frombuffer(b"".join(v.to_bytes(nb, "little") for v in bits),
                        dtype=np.uint8).reshape(len(bits), nb)
    return np.unpackbits(buf, axis=1, bitorder="little")[:, :width].astype(bool)


def _box_of(P: list[IntVec]) -> tuple[float, float, float, float]:
    """A float box that contains the polygon ``P`` rigorously (each quotient is correctly
    rounded, then padded by far more than its error); infinite where ``P`` is unbounded
    or its coordinates do not fit a float."""
    inf = math.inf
    x0 = y0 = inf
    x1 = y1 = -inf
    try:
        for a, b, z in P:
            if z:
                x = a / z
                y = b / z
                if x < x0:
                    x0 = x
                if x > x1:
                    x1 = x
                if y < y0:
                    y0 = y
                if y > y1:
                    y1 = y
            else:
                if a > 0:
                    x1 = inf
                elif a < 0:
                    x0 = -inf
                if b > 0:
                    y1 = inf
                elif b < 0:
                    y0 = -inf
    except OverflowError:
        return -inf, inf, -inf, inf
    pad = 1e-12
    return (x0 - pad * (1 + abs(x0)), x1 + pad * (1 + abs(x1)),
            y0 - pad * (1 + abs(y0)), y1 + pad * (1 + abs(y1)))


def _cut_planar(cell: list[IntVec], H: list, S_rows: Any, cross: list) -> list:
    """:func:`_cut` for a polygon crossed by many lines: a vectorised float filter on the
    pieces' boxes skips every piece a line provably misses (the range of ``h`` over a box
    is bounded away from 0 by far more than its rounding error); only the others get exact
    integer signs."""
    pieces: list = [cell]
    bits: list[int] = [0]
    cap = 64
    B = np.empty((4, cap))
    B[:, 0] = _box_of(cell)
    first = True
    for idx, j in enumerate(cross):
        h = H[j]
        bit = 1 << idx
        if first:
            cand = [0]
            first = False
        else:
            k = len(pieces)
            try:
                h0, h1, h2 = float(h[0]), float(h[1]), float(h[2])
            except OverflowError:
                h0 = h1 = h2 = math.nan
            x0, x1, y0, y1 = B[0, :k], B[1, :k], B[2, :k], B[3, :k]
            with np.errstate(invalid="ignore", over="ignore"):
                if h0:
                    tx0, tx1 = np.minimum(h0 * x0, h0 * x1), np.maximum(h0 * x0, h0 * x1)
                    ax = abs(h0) * np.maximum(np.abs(x0), np.abs(x1))
                else:
                    tx0 = tx1 = ax = 0.0
                if h1:
                    ty0, ty1 = np.minimum(h1 * y0, h1 * y1), np.maximum(h1 * y0, h1 * y1)
                    ay = abs(h1) * np.maximum(np.abs(y0), np.abs(y1))
                else:
                    ty0 = ty1 = ay = 0.0
                margin = 1e-9 * (ax + ay + abs(h2))
                lo = h2 + tx0 + ty0
                hi = h2 + tx1 + ty1
                above = lo > margin
                below = hi < -margin
            for i in np.nonzero(above)[0].tolist():
                bits[i] |= bit
            cand = np.nonzero(~(above | below))[0].tolist()
        for i in cand:
            c = pieces[i]
            s = S_rows(j) if c is cell else _signs(h, c)
            p, m = _split_polygon(c, h, s)
            if p is not None and m is not None:
                pieces[i] = p
                b0 = bits[i]
                bits[i] = b0 | bit
                k = len(pieces)
                if k == cap:
                    cap *= 2
                    B2 = np.empty((4, cap))
                    B2[:, :k] = B[:, :k]
                    B = B2
                pieces.append(m)
                bits.append(b0)
                B[:, i] = _box_of(p)
                B[:, k] = _box_of(m)
            elif p is not None:
                bits[i] |= bit
    return list(zip(pieces, bits))


def _cut(cell: Any, H: list, S_rows: Any, cross: list) -> list:
    """Split one cell by the crossing hyperplanes; (piece, bit set of + sides)."""
    if len(cross) >= 8 and not isinstance(cell, Cone):
        return _cut_planar(cell, H, S_rows, cross)
    pieces = [(cell, 0)]
    for idx, j in enumerate(cross):
        h = H[j]
        row = None
        new = []
        for c, bits in pieces:
            if c is cell:
                if row is None:
                    row = S_rows(j)
                s = row
            else:
                s = _signs(h, _gens(c))
            p, m = _split(c, h, s)
            if p is not None:
                new.append((p, bits | (1 << idx)))
            if m is not None:
                new.append((m, bits))
        pieces = new
    return pieces


def _step_one(prep: list, entry: tuple, last: bool) -> list:
    cell, l, Z, den, pat, orth = entry
    if isinstance(Z, LimbArray):
        Z = Z.exact()
        entry = (cell, l, Z, den, pat, orth)
    H = Z.tolist()
    S = sign_matrix(Z if Z.dtype != object else H, _gens(cell))
    pos = (S > 0).any(axis=1)
    neg = (S < 0).any(axis=1)
    cross = np.nonzero(pos & neg)[0].tolist()
    pieces = _cut(cell, H, lambda j: S[j].tolist(), cross)
    return _emit(prep, entry, pieces, pos & ~neg, cross, last, None)


def _stack_states(states: list, b: int | None) -> Any:
    """The cells' states as one array (C x w x 3): ``int64``, object, or a
    :class:`~relugeom.limbs.LimbArray` when some state already is one."""
    if not any(isinstance(z, LimbArray) for z in states):
        return np.stack(states)
    if b is None:                                   # pragma: no cover - limbs need b
        return np.stack([z.exact() if isinstance(z, LimbArray) else z for z in states])
    parts = [z if isinstance(z, LimbArray) else
             (LimbArray.from_int64(z, b) if z.dtype != object else LimbArray.from_ints(z, b))
             for z in states]
    T = max(z.L.shape[0] for z in parts)
    L = np.zeros((T, len(parts)) + parts[0].shape, dtype=np.int64)
    for c, z in enumerate(parts):
        L[:z.L.shape[0], c] = z.L
    return LimbArray(L, b)


class _Rows:
    """Exact rows of one cell's limb state, formed on demand (only crossing rows)."""

    __slots__ = ("Z", "c", "memo")

    def __init__(self, Z: LimbArray, c: int):
        self.Z, self.c, self.memo = Z, c, {}

    def __getitem__(self, j: int) -> list[int]:
        if j not in self.memo:
            self.memo[j] = self.Z.entry_row((self.c, j))
        return self.memo[j]


def _step_batch(prep: list, cur: list, last: bool) -> list:
    """One layer for many planar cells at once: one float sign filter (exact integer
    signs where its bound cannot decide) and one batched product for the next states
    (``int64`` while it fits, then int64 limb products (:mod:`relugeom.limbs`), or one
    python-flint product for weights beyond int64)."""
    lb = limb_width(prep)
    Zs = _stack_states([e[2] for e in cur], lb)              # C x w x 3
    limbs = isinstance(Zs, LimbArray)
    counts = [len(e[0]) for e in cur]
    flat = [g for e in cur for g in e[0]]
    try:
        Gf = np.array(flat, dtype=np.float64)
        if limbs:
            Zf, Ze = Zs.floats()
        else:
            Zf = Zs.astype(np.float64)
    except OverflowError:
        return [r for e in cur for r in _step_one(prep, e, last)]
    owner = np.repeat(np.arange(len(cur)), counts)
    V = np.einsum("gwk,gk->gw", Zf[owner], Gf)
    bound = np.einsum("gwk,gk->gw", np.abs(Zf)[owner], np.abs(Gf)) * (12.0 * 2.0 ** -53)
    if limbs:
        bound += np.einsum("gwk,gk->gw", Ze[owner], np.abs(Gf)) * (1 + 2.0 ** -20)
    S = np.sign(V).astype(np.int8)
    unsure = ~(np.abs(V) > bound)
    if unsure.any():
        for g, j in zip(*np.nonzero(unsure)):
            row = (Zs.entry_row((owner[g], j)) if limbs else
                   [int(v) for v in Zs[owner[g], j]])
            d = _dot(row, flat[g])
            S[g, j] = (d > 0) - (d < 0)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    P = np.logical_or.reduceat(S > 0, starts, axis=0)
    N = np.logical_or.reduceat(S < 0, starts, axis=0)
    St = S.T
    base = P & ~N
    CR = P & N
    still = np.nonzero(~CR.any(axis=1))[0]                  # cells no hyperplane crosses
    pieces_all: list = [cur[c][0] for c in still.tolist()]
    piece_owner: list[int] = still.tolist()
    blocks: list[np.ndarray] = [base[still]]
    for c in np.nonzero(CR.any(axis=1))[0].tolist():
        e = cur[c]
        cross = np.nonzero(CR[c])[0].tolist()
        a, b = starts[c], starts[c] + counts[c]
        H = _Rows(Zs, c) if limbs else e[2].tolist()
        cut = _cut(e[0], H, lambda j: St[j, a:b].tolist(), cross)
        Mc = np.repeat(base[c][None, :], len(cut), axis=0)
        Mc[:, cross] = _bit_rows([bits for _, bits in cut], len(cross))
        blocks.append(Mc)
        piece_owner.extend([c] * len(cut))
        pieces_all.extend(piece for piece, _ in cut)
    po = np.array(piece_owner)
    M = np.concatenate(blocks, axis=0)
    keys = [int.from_bytes(r.tobytes(), "little")
            for r in np.packbits(M, axis=1, bitorder="little")]
    layer = prep[-1] if last else prep[cur[0][1] + 1]
    W, b, D, mw, mb = layer
    den = cur[0][3]
    if (not limbs and W.dtype != object and den < _SAFE and
            mw * _maxabs(Zs) * W.shape[1] + den * mb < _SAFE):
        Zn = np.matmul(W, Zs[po] * M[:, :, None])
        Zn[:, :, -1] += b * den
    elif lb is not None and (limbs or Zs.dtype != object):
        if not limbs:
            Zs = LimbArray.from_int64(Zs, lb)
        Ln = limb_states(W, Zs, po, M, [int(v) * den for v in b.tolist()])
        if last:
            Zn = Ln.exact()
        else:
            Zn = [LimbArray(Ln.L[:, i], lb) for i in range(len(po))]
    else:
        if limbs:
            Zs = Zs.exact()
        Zn = _big_states(layer, Zs, po, M, den)
    out = []
    if last:
        outs = Zn.tolist() if isinstance(Zn, np.ndarray) else [z.tolist() for z in Zn]
        for i, c in enumerate(piece_owner):
            e = cur[c]
            out.append((pieces_all[i], e[4] + (keys[i],), tuple(map(tuple, outs[i])), e[5]))
    else:
        for i, c in enumerate(piece_owner):
            e = cur[c]
            out.append((pieces_all[i], e[1] + 1, Zn[i], den * D, e[4] + (keys[i],), e[5]))
    return out


def _run_task(args: tuple) -> list:
    prep, stack = args
    return _run(prep, stack)


def _gather(futures: list, tick: Callable[[int], None] | None) -> list:
    """The futures' results in order; on any exception, Ctrl-C included, the futures
    not yet started are cancelled before it propagates (no queued work runs on)."""
    out: list = []
    try:
        for fut in futures:
            res = fut.result()
            out.extend(res)
            if tick is not None:
                tick(len(res))
    except BaseException:
        for fut in futures:
            fut.cancel()
        raise
    return out


def _enumerate(net: Any, box: Any, executor: Any, progress: bool, domain: Any = None,
               orthants: bool = False) -> tuple[list, int]:
    n = net.n_inputs
    prep = _prepare(net)
    start = _start_cells(n, box, domain, orthants)
    den0 = 1
    if len(prep) == 1:        # no hidden layer: one affine region per starting cell
        W, b, D = prep[0][:3]
        Z = np.concatenate([W, b[:, None]], axis=1)
        return [(c, (), tuple(tuple(r) for r in Z.tolist()), k)
                for k, c in enumerate(start)], D
    W, b, D = prep[0][:3]
    Z1 = np.concatenate([W, b[:, None]], axis=1)
    den_out = D
    for layer in prep[1:]:
        den_out *= layer[2]
    stack = [(c, 0, Z1, D * den0, (), k) for k, c in enumerate(start)]
    bar = None
    tick = None
    if progress:
        import warnings
        with warnings.catch_warnings():  # Jupyter without ipywidgets: tqdm.auto falls
            warnings.filterwarnings("ignore", message=".*IProgress not found")  # back to text
            from tqdm.auto import tqdm   # a widget in Jupyter, text elsewhere
        bar = tqdm(desc="linear regions", unit="cell", leave=False)
        tick = bar.update
    try:
        if executor is None or len(prep) <= 2:
            return _run(prep, stack, tick), den_out
        # refine the first hidden layer here, then farm the subtrees out
        first = _run(prep, stack, until=1)
        chunks = max(1, min(len(first), 64))
        parts = [first[i::chunks] for i in range(chunks)]
        futures = [executor.submit(_run_task, (prep, part)) for part in parts if part]
        return _gather(futures, tick), den_out
    finally:
        if bar is not None:
            bar.close()

def _bar(progress: bool) -> Any:
    if not progress:
        return None
    from tqdm.auto import tqdm
    return tqdm(desc="linear regions", unit="cell", leave=False)


def _planar(net: Any, box: Any, domain: Any, progress: bool) -> Any:
    """The float-filtered planar engine (:mod:`relugeom.geometry.planar_regions`) for a
    network on bounded polygons of the plane, or the interval engine
    (:mod:`relugeom.geometry.interval_regions`) on an interval of the line; None when
    neither applies (then :func:`_enumerate`). ``box`` is validated (:func:`as_box`)."""
    from .planar_regions import planar_regions
    if net.n_inputs not in (1, 2) or net.depth < 2 or 0 in net.widths:
        return None
    if box is None and domain is None:
        return None
    if net.n_inputs == 1:
        if domain is not None:
            return None
        (lo, hi), = box
        return _on_line(net, lo, hi, progress)
    start = (_start_cells(2, box, domain) if domain is not None else
             list(_box_polygons(box)))
    if any(isinstance(c, Cone) or any(g[2] <= 0 for g in c) for c in start):
        return None
    bar = _bar(progress)
    try:
        return planar_regions(_prepare(net), start, None if bar is None else bar.update)
    finally:
        if bar is not None:
            bar.close()


def _on_line(net: Any, lo: Any, hi: Any, progress: bool, strips: bool = False) -> Any:
    """A one-input network on ``[lo, hi]``: the interval engine, or (when the numbers
    leave the float range, or with ``strips=True``: an independent route for tests) the
    planar engine on strips of the plane, ``(t, y) -> net(t)`` on ``[lo, hi] x [0, 1]``."""
    from ..networks.network import ReLUNetwork
    from ..numbers.dyadic import IntMatrix
    from .interval_regions import interval_regions
    from .planar_regions import planar_regions
    bar = _bar(progress)
    tick = None if bar is None else bar.update
    try:
        lazy = None if strips else interval_regions(_prepare(net), lo, hi, tick)
        if lazy is not None:
            return lazy
        first = net.integer_layers()[0]
        W2 = np.zeros((first.W.shape[0], 2), dtype=first.W.dtype)
        W2[:, 0] = first.W[:, 0]
        strip = ReLUNetwork._from_integer([IntMatrix(W2, first.b, first.D),
                                           *net.integer_layers()[1:]])
        lazy = planar_regions(_prepare(strip), list(_box_polygons(((lo, hi), (0, 1)))),
                              tick)
    finally:
        if bar is not None:
            bar.close()
    if lazy is not None:
        lazy.project_to_line()
    return lazy


def linear_regions(obj: Any, box: Any = None, *, domain: Any = None, plane: Any = None,
                   executor: Any = None, progress: bool = False,
                   force: bool = False) -> LinearRegions:
    """Exact activation regions of a ReLU network (or the cells of a CPWL function).

    Parameters
    ----------
    obj : ReLUNetwork or CPWLFunction
    box : sequence of (lo, hi) pairs, optional
        Restrict to the rational box prod [lo_i, hi_i]; by default all of R^n (unbounded
        regions included).
    domain : Polyhedron or sequence of (lo, hi) pairs, optional
        Restrict to a polyhedron given by exact inequalities (a cone is a polyhedron with
        zero constants), or to a box (then the same as ``box=``). With ``box=`` too, the
        two are intersected.
    plane : AffinePlane, optional
        From :func:`relugeom.plane`: the regions of the network restricted to that 2-D
        affine plane, in plane coordinates ``(u, v)`` (``box`` and ``domain`` are then in
        plane coordinates too). The embedding is composed into the first affine map once,
        exactly, so the input dimension costs one matrix product.
    executor : concurrent.futures.Executor-like, optional
        Anything with ``submit(fn, arg).result()`` (a process pool, a dask distributed
        ``Client``): subtrees of the exact refinement run there. Planar networks on a
        bounded domain take the compiled float-filtered engine in this process instead
        (:mod:`relugeom.geometry.planar_regions`), faster than any pool of the exact one,
        and one-input networks on an interval its 1-D sibling
        (:mod:`relugeom.geometry.interval_regions`). Ctrl-C cancels the subtrees not yet
        started.
    progress : bool
        Show a tqdm progress bar.
    force : bool
        Over all of R^n with n >= 3 (no ``box``, ``domain`` or ``plane``) the enumeration
        is refused up front (TooLargeError, with the bound) when
        :func:`relugeom.bounds.region_count_upper_bound` of the widths is over the limit
        ``max_region_bound``; ``force=True`` goes ahead. On the line and in the plane the
        polygon path is fast and the bound far too loose to refuse by (a 2-32^10 network:
        about 10^27), so they are not checked.

    Returns
    -------
    LinearRegions
        ``n_regions`` (activation regions), ``n_pieces`` (Definition 3), ``regions``,
        ``adjacency``, plotting for n = 2.

    Examples
    --------
    >>> import relugeom as rg
    >>> l1 = rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
    ...                      ([[1, 1, 1, 1]], [0])])
    >>> res = rg.linear_regions(l1)
    >>> res.n_regions, res.n_pieces, sorted(r.affine_map for r in res.regions)[0]
    (4, 4, ((Fraction(-1, 1), Fraction(-1, 1)), Fraction(0, 1)))
    """
    if not (force or box is not None or domain is not None or plane is not None) and \
            getattr(obj, "widths", None) and obj.n_inputs > 2:
        from .arrangements import check_region_count   # refuse before any work (N3-06)
        check_region_count(obj.widths, obj.n_inputs)
    from ..networks.network import ReLUNetwork
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise NotExactError(f"linear_regions: executor= needs a submit(fn, arg) method "
                            f"(a concurrent.futures executor, a dask Client), got "
                            f"{short(executor)}")
    if plane is not None:
        if not isinstance(obj, ReLUNetwork):
            raise DomainError(f"linear_regions: plane= needs a ReLUNetwork, got "
                              f"{type(obj).__name__}")
        obj = restrict_to_plane(obj, plane)
    if isinstance(obj, ReLUNetwork):
        n = obj.n_inputs
        dbox, poly = _as_domain(domain, n)
        if dbox is not None:
            if box is not None:
                poly = Polyhedron(box_cone(dbox).planes, n)
            else:
                box = dbox
        if box is not None:
            box = as_box(box, n)                     # validated once, Fractions
        lazy = _planar(obj, box, poly, progress)     # in-process, compiled: no executor
        if lazy is not None:
            return LinearRegions._from_lazy(n, obj.n_outputs, lazy, box=box,
                                            merged=box is None, widths=obj.widths)
        records, den = _enumerate(obj, box, executor, progress, poly)
        return LinearRegions._from_records(n, obj.n_outputs, records, den,
                                           box=box, merged=box is None,
                                           widths=obj.widths)
    from ..functions.cpwl import CPWLFunction
    if isinstance(obj, CPWLFunction):
        dbox, poly = _as_domain(domain, obj.n_inputs)
        if poly is not None or (dbox is not None and box is not None):
            raise DomainError("linear_regions: a CPWLFunction takes box= (or a box as "
                              "domain=), not a polyhedron")
        return obj._regions(box if box is not None else dbox)
    raise NotExactError(f"linear_regions: expected a ReLUNetwork or CPWLFunction, got "
                        f"{short(obj)} of type {type(obj).__name__}")


def cpwl_from_network(net: Any, box: Any = None, *, force: bool = False) -> Any:
    """The :class:`~relugeom.functions.cpwl.CPWLFunction` of a one-output network: one cell
    per activation region (``CPWLFunction.from_network``; ``force`` as in
    :func:`linear_regions`)."""
    from ..functions.cpwl import CPWLFunction
    from ..networks.network import ReLUNetwork
    if not isinstance(net, ReLUNetwork):
        raise NotExactError(f"from_network: expected a ReLUNetwork, got {short(net)} "
                            f"of type {type(net).__name__}")
    if net.n_outputs != 1:
        raise DimensionError(f"from_network: the network has {net.n_outputs} outputs, "
                             f"expected 1")
    lr = linear_regions(net, box=box, force=force)
    return CPWLFunction([(r.inequalities, r.affine_map) for r in lr.regions], net.n_inputs,
                        validate=False)


def __getattr__(name: str) -> Any:
    # networks_equal lives in relugeom.geometry.equality (it also uses the hinge routes)
    if name == "networks_equal":
        from .equality import networks_equal
        return networks_equal
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

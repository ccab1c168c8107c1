"""Linear regions of a network on a bounded polygon of the plane at float speed, every
decision exact (lazy exactness, after CGAL's filtered kernels).

Every cell of the refinement carries the float64 map of the next layer's pre-activations
with a rigorous bound on its error, carried through the layers (the classical bound
``|fl(x . y) - x . y| <= gamma_n |x| . |y|`` for any summation order, BLAS included, plus
the propagated input errors). Vertices are float coordinates with rigorous error bounds,
and each remembers the two exact lines it lies on (the edges of its polygon). A sign is
decided by floats only when ``|value|`` exceeds its certified bound; otherwise the exact
integer lines are formed (only those cells' exact states) and the sign is the sign of an
integer 3 x 3 determinant: in the compiled kernel, in int64, where a static bound proves
the states fit (ties settled in the same pass), else in Python integers
(:mod:`relugeom.geometry.planar_exact`). So every count is exact; floats only filter.

The work of one layer runs on all cells of a chunk at once: one batched product gives the
cells' maps, one vectorised pass their signs at every vertex, and the cells are cut line by
line as ragged (CSR) polygons, all cells crossed by unit ``j`` in one numpy pass. Exact
vertices and affine maps are formed when a region is first asked for, once, for all regions
(:class:`PlanarRegions`); counting needs none of it.
"""
from __future__ import annotations

import functools
from typing import Any, Callable

import numpy as np

from ..config import check_size
from .planar_exact import _FIT, _cross, _Exact, _IntStates
from .planar_maps import (_CW, _DMAX, _TINY, _U, SMALL_WORK, _child_maps,  # noqa: F401
                          _float_layers, _line_bound, _meet, _Unfit, child_maps_small)

__all__ = ["planar_regions", "PlanarRegions"]



_BLAS: list = []


def _blas_threads() -> tuple[Any, Any] | None:
    """numpy's OpenBLAS (get, set) thread functions, or None (another BLAS)."""
    if not _BLAS:
        import ctypes
        import glob
        import os
        found = None
        libs = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
        for path in glob.glob(os.path.join(libs, "*openblas*")):
            try:
                lib = ctypes.CDLL(path)
                for get, put in (("scipy_openblas_get_num_threads64_",
                                  "scipy_openblas_set_num_threads64_"),
                                 ("openblas_get_num_threads", "openblas_set_num_threads")):
                    if hasattr(lib, get) and hasattr(lib, put):
                        found = (getattr(lib, get), getattr(lib, put))
                        break
            except OSError:             # pragma: no cover - an unloadable library
                continue
        _BLAS.append(found)
    return _BLAS[0]


class _OneThread:
    """numpy's BLAS on one thread while the engine runs (its products are many and
    small: threads cost more than they give on a shared machine), restored after."""

    def __enter__(self) -> None:
        self.fns = _blas_threads()
        if self.fns is not None:
            self.old = self.fns[0]()
            self.fns[1](1)

    def __exit__(self, *exc: Any) -> None:
        if self.fns is not None:
            self.fns[1](self.old)


class _Grow:
    """Columns that grow by doubling (slots of polygons, the line table)."""

    def __init__(self, **cols: tuple[Any, int]):
        self.n = 0
        self.cap = 64
        self.cols = {k: np.empty((self.cap, w) if w else self.cap, dtype=dt)
                     for k, (dt, w) in cols.items()}

    def __getitem__(self, k: str) -> np.ndarray:
        return self.cols[k]

    def add(self, **vals: np.ndarray) -> np.ndarray:
        k = len(next(iter(vals.values())))
        need = self.n + k
        if need > self.cap:
            while self.cap < need:
                self.cap *= 2
            for name, a in self.cols.items():
                b = np.empty((self.cap,) + a.shape[1:], dtype=a.dtype)
                b[:self.n] = a[:self.n]
                self.cols[name] = b
        for name, v in vals.items():
            self.cols[name][self.n:need] = v
        ids = np.arange(self.n, need)
        self.n = need
        return ids


def _cat(parts: list) -> np.ndarray:
    """The chunks' arrays as one (no copy for the usual single chunk)."""
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _ragged(starts: np.ndarray, lens: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                           np.ndarray]:
    """Slot indices of the pieces (concatenated), their next slots (cyclic) and each
    slot's piece position."""
    tot = int(lens.sum())
    off = np.cumsum(lens) - lens
    owner = np.repeat(np.arange(len(lens)), lens)
    local = np.arange(tot) - off[owner]
    idx = starts[owner] + local
    nxt = np.where(local + 1 == lens[owner], starts[owner], idx + 1)
    return idx, nxt, owner


# ---------------------------------------------------------------------- refinement
@functools.lru_cache(maxsize=64)
def _edge_lines(P: tuple) -> list:
    """The edge lines of a start polygon (remembered: small networks pay it per call)."""
    from ..convex.polygon import _polygon_to_cone
    return _polygon_to_cone(list(P)).planes

_VCOL = {"x": 0, "y": 1, "ex": 2, "ey": 3}


class _Slots(_Grow):
    """Polygon slots: the vertex rows ``v`` = [x, y, ex, ey] (one n x 4 array, as the
    kernel reads and writes them) and the edge line ids ``ed``; ``S["x"]`` and the others
    are column views of ``v``, and :meth:`add` takes the columns or whole rows."""

    def __init__(self) -> None:
        super().__init__(v=(np.float64, 4), ed=(np.int64, 0))

    def __getitem__(self, k: str) -> np.ndarray:
        i = _VCOL.get(k)
        return self.cols[k] if i is None else self.cols["v"][:, i]

    def add(self, **vals: np.ndarray) -> np.ndarray:
        if "v" not in vals:
            ed = vals.pop("ed")
            v = np.empty((len(ed), 4))
            for k, i in _VCOL.items():
                v[:, i] = vals[k]
            vals = {"v": v, "ed": ed}
        return super().add(**vals)


@functools.lru_cache(maxsize=64)
def _start_data(P: tuple) -> tuple:
    """A start polygon's edge lines (exact ints; floats and their bounds; int64 rows
    [a, b, c, magnitude], magnitude -1 beyond int64) and its vertex rows [x, y, ex, ey]
    (remembered, read-only: small networks pay it per call)."""
    planes = _edge_lines(P)                             # line i: through P[i], P[i+1]
    ints = tuple(tuple(int(v) for v in h) for h in planes)
    try:
        f = np.array([[float(v) for v in h] for h in ints])
        xs = np.array([g[0] / g[2] for g in P])
        ys = np.array([g[1] / g[2] for g in P])
    except OverflowError:
        raise _Unfit() from None
    if not (np.isfinite(f).all() and np.isfinite(xs).all() and np.isfinite(ys).all()):
        raise _Unfit()
    v = np.stack([xs, ys, _U * np.abs(xs) + _TINY, _U * np.abs(ys) + _TINY], axis=1)
    x = np.array([(*h, max(map(abs, h))) if max(map(abs, h)) < _FIT else (0, 0, 0, -1)
                  for h in ints], dtype=np.int64).reshape(-1, 4)
    out = (ints, f, _U * np.abs(f) + _TINY, v, x)
    for a in out[1:]:
        a.flags.writeable = False
    return out


def _slots() -> _Slots:
    return _Slots()


class _Engine:
    """The layer-by-layer refinement of the start polygons (see the module docstring)."""

    def __init__(self, prep: list, polys: list):
        self.prep = prep
        self.fl = _float_layers(prep)
        Wf, bf = self.fl[0][:2]
        Z0 = np.concatenate([Wf, bf[:, None]], axis=1).T        # coefficient-major, 3 x w
        self.fl[0] = (*self.fl[0], Z0, _CW * np.abs(Z0) + _TINY)
        self.L = len(prep) - 1
        self.lines = _Grow(f=(np.float64, 3), e=(np.float64, 3), p=(np.int64, 3),
                           x=(np.int64, 4))
        start_lines: list = []
        S = _slots()
        starts, lens = [], []
        for P in polys:
            ints, f, e, v, x = _start_data(tuple(P))
            k0 = len(start_lines)
            start_lines.extend(ints)
            prov = np.zeros((len(ints), 3), dtype=np.int64)
            prov[:, 0] = -1
            prov[:, 1] = np.arange(k0, k0 + len(ints))
            ids = self.lines.add(f=f, e=e, p=prov, x=x)
            starts.append(S.n)
            lens.append(len(P))
            S.add(v=v, ed=ids)
        self.parents: list = [np.zeros(len(polys), dtype=np.int64)]
        self.masks: list = [np.zeros((len(polys), 0), dtype=np.uint8)]
        self.root = np.arange(len(polys))
        self.exact = _Exact(prep, self.parents, self.masks, start_lines)
        self.xs = _IntStates(prep, self.parents, self.masks, self.exact.dens)
        self.rounds = [0] * self.L      # kernel calls a level (one a chunk when all settle)
        self.nx = 0                     # signs the kernel settled exactly in int64
        # some line without its exact row (beyond int64, or its cell's state not formed)
        self.rowless = bool((self.lines["x"][:self.lines.n, 3] < 0).any())
        self.OK = np.empty((0, 9), dtype=np.int64)      # exact signs the kernel asked for
        self.OS = np.empty(0, dtype=np.int8)
        self.cells = (S, np.array(starts, dtype=np.int64), np.array(lens, dtype=np.int64))

    def run(self, tick: Callable[[int], None] | None) -> None:
        Zs = Es = Mb = None
        for l in range(self.L):
            S, starts, lens = self.cells
            C = len(starts)
            w = self.fl[l][0].shape[0]
            keep = l + 1 < self.L
            out = _slots()
            new_st, new_len, new_par, new_mask = [], [], [], []
            Zk, Ek, Mk = [], [], []
            chunk = max(16, (1 << 19) // max(w, 1))
            done = 0
            for a in range(0, C, chunk):
                g = np.arange(a, min(C, a + chunk))
                if l == 0:                  # every start cell has the first layer's map
                    Z, E = np.empty((len(g), 3, w)), np.empty((len(g), 3, w))
                    Z[:] = self.fl[0][3]
                    E[:] = self.fl[0][4]
                    M = np.zeros((len(g), 0), dtype=bool)
                else:
                    M = Mb[g]
                    Z, E = self._maps(l, g, Zs, Es, M)
                if keep:
                    Zk.append(Z)
                    Ek.append(E)
                V, ED, ln, par, msk = self._level_chunk(l, g, Z, E, M, S, starts[g], lens[g])
                base = out.n
                out.add(v=V, ed=ED)
                new_st.append(base + np.cumsum(ln) - ln)
                new_len.append(ln)
                new_par.append(par)
                new_mask.append(np.packbits(msk, axis=1, bitorder="little"))
                if keep:
                    Mk.append(msk)
                done += len(ln)
                check_size("max_regions", done + (C - g[-1] - 1), "linear_regions")
                if tick is not None and l + 1 == self.L:
                    tick(len(ln))
            if keep:
                Zs, Es, Mb = _cat(Zk), _cat(Ek), _cat(Mk)
            self.parents.append(_cat(new_par))
            self.masks.append(_cat(new_mask))
            self.root = self.root[self.parents[-1]]
            self.cells = (out, _cat(new_st), _cat(new_len))

    def _maps(self, l: int, g: np.ndarray, Zs: np.ndarray, Es: np.ndarray, M: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
        """The float maps and bounds of the level-l cells ``g`` (masks ``M``) from their
        parents' (a compiled loop for small layers, two batched GEMMs otherwise)."""
        p = self.parents[l][g]
        layer = self.fl[l]
        if len(g) * layer[0].size <= SMALL_WORK:
            got = child_maps_small(layer, Zs, Es, M, p)
            if got is not None:
                return got
        return _child_maps(layer, Zs[p], Es[p], M)

    def _level_chunk(self, l: int, g: np.ndarray, Z: np.ndarray, E: np.ndarray,
                     M: np.ndarray, S: _Grow, starts: np.ndarray, lens: np.ndarray) -> tuple:
        """Cut the chunk's cells (global indices ``g``, masks ``M``) by layer l + 1: the
        pieces as (vertex rows [x, y, ex, ey], edge line ids, lengths, parent cell, mask
        rows). Compiled (:mod:`relugeom.geometry.planar_kernels`) where numba imports. A
        sign the float filter leaves open is settled in the kernel, exactly in int64, where
        the states fit int64: the kernel forms the exact state of a cell with an open sign
        from its parent's (one pass where the parents' states are known: always at the
        first two levels); deeper, the parents' states of the cells it flags are formed
        here, with their edge lines' exact rows, and those cells cut again. Cells still
        flagged (numbers beyond int64) are cut again once the exact signs they asked for
        are known (rounds; the numpy route after 64, or without numba)."""
        from . import planar_kernels as K
        if not K.available():
            return self._numpy_cut(l, g, Z, E, S, starts, lens)
        n = S.n
        V = S["v"][:n]
        xs = self.xs
        formed = l <= 1 or not xs.fits[l]     # True: no parent states left to form here
        self.rowless |= l > 0                 # lines of cells whose state was not formed
        PX, WL, BD = xs.kernel_layer(l)
        todo = np.arange(len(g))
        outs: list = []
        for _ in range(64):                # each round settles at least one sign a cell
            sub = (lambda a: a) if len(todo) == len(g) else (lambda a, t=todo: a[t])
            L, gt = self.lines, g[todo]
            try:
                (oV, oED, _, pln, pcell, pbits), (LFn, LEn, LPn, LXn), flag, RQ, nx = (
                    K.cut_cells(sub(starts), sub(lens), V, S["ed"][:n], sub(Z), sub(E),
                                L["f"][:L.n], L["e"][:L.n], l, gt, L["p"][:L.n], self.OK,
                                self.OS, PX, xs.parent_rows(l, gt), sub(M), WL, BD,
                                L["x"][:L.n]))
            except K.NoKernel:
                break
            self.rounds[l] += 1
            self.nx += nx
            prov = np.empty((len(LPn), 3), dtype=np.int64)
            prov[:, 0] = l
            prov[:, 1] = gt[LPn[:, 0]]
            prov[:, 2] = LPn[:, 1]
            L.add(f=LFn, e=LEn, p=prov, x=LXn)
            outs.append((oV, oED, pln, gt[pcell], pbits))
            todo = todo[flag]
            if not len(todo):
                break
            if not formed:                 # the parents' states of the flagged cells only
                self._exact_rows(l, g[todo], S, starts[todo], lens[todo])
                PX, WL, BD = xs.kernel_layer(l)
                formed = True
                continue
            if not len(RQ):
                break
            self._learn(RQ)
        if len(todo):                      # no kernel, or signs still open: numpy route
            outs.append(self._numpy_cut(l, g[todo], Z[todo], E[todo], S, starts[todo],
                                        lens[todo]))
        if len(outs) == 1:
            return outs[0]
        return tuple(np.concatenate(parts) for parts in zip(*outs))

    def _exact_rows(self, l: int, g: np.ndarray, S: _Grow, starts: np.ndarray,
                    lens: np.ndarray) -> None:
        """The int64 exact states of the parents of the level-l cells ``g`` (and of their
        ancestors), and the exact rows of their edge lines not yet known (lines of those
        ancestors)."""
        self.xs.ensure(l - 1, np.unique(self.parents[l][g]))
        if not self.rowless:                   # every line's row known (eager levels)
            return
        L = self.lines
        idx, _, _ = _ragged(starts, lens)
        ids = S["ed"][idx]
        miss = np.unique(ids[(L["x"][ids, 3] < 0) & (L["p"][ids, 0] >= 0)])
        if len(miss):
            L["x"][miss] = self.xs.line_rows(L["p"][miss])

    def _learn(self, RQ: np.ndarray) -> None:
        """Exact signs for the kernel's requested keys, merged into the sorted oracle."""
        keys = np.array(sorted(set(map(tuple, RQ.tolist()))), dtype=np.int64).reshape(-1, 9)
        signs = self.exact.signs(keys[:, 0:3], keys[:, 3:6], keys[:, 6:9])
        OK = np.concatenate([self.OK, keys])
        OS = np.concatenate([self.OS, signs])
        order = np.lexsort(OK.T[::-1])
        self.OK, self.OS = np.ascontiguousarray(OK[order]), OS[order]

    def _numpy_cut(self, l: int, g: np.ndarray, Z: np.ndarray, E: np.ndarray, S: _Grow,
                   starts: np.ndarray, lens: np.ndarray) -> tuple:
        """The numpy route: signs at every vertex (exact where the filter cannot say),
        then the cuts, unit by unit, all cells at once."""
        Z, E = Z.transpose(0, 2, 1), E.transpose(0, 2, 1)    # unit-major views: C x w x 3
        Sg = self._vertex_signs(l, g, Z, E, S, starts, lens)
        P = (Sg > 0).any(axis=1)
        N = (Sg < 0).any(axis=1)
        st, ln, par, msk = self._cut(l, g, Z, E, S, starts, lens, P & N, P & ~N)
        idx, _, _ = _ragged(st, ln)
        V = S["v"][idx]
        return V, S["ed"][idx], ln, par, msk

    def _new_lines(self, l: int, g: np.ndarray, Z: np.ndarray, E: np.ndarray,
                   CR: np.ndarray) -> np.ndarray:
        """Line ids (C x w, -1 where no cut) of the crossing lines, added to the table."""
        C, w = CR.shape
        nz = np.nonzero(CR)
        lid = np.full((C, w), -1, dtype=np.int64)
        if len(nz[0]):
            prov = np.stack([np.full(len(nz[0]), l), g[nz[0]], nz[1]], axis=1)
            x = np.full((len(nz[0]), 4), -1, dtype=np.int64)    # the numpy route: not used
            self.rowless = True
            lid[nz] = self.lines.add(f=Z[nz], e=E[nz], p=prov.astype(np.int64), x=x)
        return lid

    def _vertex_signs(self, l: int, g: np.ndarray, Z: np.ndarray, E: np.ndarray, S: _Grow,
                      starts: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Signs (C x k x w) of every unit at every vertex of every cell (padded by
        repeating the last vertex): float where the per-cell bound decides, else exact."""
        k = int(lens.max())
        r = np.minimum(np.arange(k)[None, :], lens[:, None] - 1)
        sl = starts[:, None] + r
        x, y = S["x"][sl], S["y"][sl]
        V = (Z[:, None, :, 0] * x[:, :, None] + Z[:, None, :, 1] * y[:, :, None]
             + Z[:, None, :, 2])
        B = _line_bound(Z, E, np.abs(x).max(1)[:, None], np.abs(y).max(1)[:, None],
                        S["ex"][sl].max(1)[:, None], S["ey"][sl].max(1)[:, None])
        dec = np.abs(V) > B[:, None, :]
        Sg = np.sign(V).astype(np.int8)
        if not dec.all():
            c, i, j = np.nonzero(~dec)
            slot = sl[c, i]
            prev = starts[c] + (r[c, i] - 1) % lens[c]
            Sg[c, i, j] = self._exact_signs(l, g[c], j, prev, slot, S)
        return Sg

    def _exact_signs(self, l: int, cells: np.ndarray, j: np.ndarray, prev: np.ndarray,
                     slot: np.ndarray, S: _Grow) -> np.ndarray:
        P = self.lines["p"]
        h = np.stack([np.full(len(cells), l), cells, j], axis=1).astype(np.int64)
        return self.exact.signs(h, P[S["ed"][prev]], P[S["ed"][slot]])

    def _cut(self, l: int, g: np.ndarray, Z: np.ndarray, E: np.ndarray, S: _Grow,
             starts: np.ndarray, lens: np.ndarray, CR: np.ndarray, base: np.ndarray
             ) -> tuple:
        """Cut every cell by its crossing lines, unit by unit, all cells at once."""
        C, w = CR.shape
        lid = self._new_lines(l, g, Z, E, CR)
        pc = _Grow(st=(np.int64, 0), ln=(np.int64, 0), cell=(np.int64, 0), alive=(bool, 0),
                   m=(bool, w))
        pc.add(st=starts, ln=lens, cell=np.arange(C), alive=np.ones(C, dtype=bool), m=base)
        for j in np.nonzero(CR.any(axis=0))[0].tolist():
            n = pc.n
            cand = np.nonzero(pc["alive"][:n] & CR[pc["cell"][:n], j])[0]
            if len(cand):
                self._cut_unit(l, g, j, Z, E, S, pc, cand, lid)
        keep = np.nonzero(pc["alive"][:pc.n])[0]
        return (pc["st"][keep], pc["ln"][keep], g[pc["cell"][keep]], pc["m"][keep])

    def _cut_unit(self, l: int, g: np.ndarray, j: int, Z: np.ndarray, E: np.ndarray,
                  S: _Grow, pc: _Grow, cand: np.ndarray, lid: np.ndarray) -> None:
        """Cut the pieces ``cand`` (all of cells crossed by unit j) by unit j's line."""
        st, ln = pc["st"][cand], pc["ln"][cand]
        idx, _, own = _ragged(st, ln)
        c = pc["cell"][cand][own]
        h, eh = Z[c, j], E[c, j]
        x, y = S["x"][idx], S["y"][idx]
        V = h[:, 0] * x + h[:, 1] * y + h[:, 2]
        B = _line_bound(h, eh, x, y, S["ex"][idx], S["ey"][idx])
        s = np.sign(V).astype(np.int8)
        und = ~(np.abs(V) > B)
        if und.any():
            u = np.nonzero(und)[0]
            loc = idx[u] - st[own[u]]
            prev = st[own[u]] + (loc - 1) % ln[own[u]]
            s[u] = self._exact_signs(l, g[c[u]], np.full(len(u), j), prev, idx[u], S)
        off = np.cumsum(ln) - ln
        pos = np.bincount(own, weights=s > 0, minlength=len(cand)) > 0
        neg = np.bincount(own, weights=s < 0, minlength=len(cand)) > 0
        split = pos & neg
        m = pc["m"]
        m[cand[pos & ~neg], j] = True
        if not split.any():
            return
        sel = split[own]
        posn = np.arange(len(idx))
        nxp = posn + 1
        last = (posn - off[own]) == ln[own] - 1
        nxp[last] = off[own[last]]
        sn = s[nxp][sel]
        s, idx, own, c = s[sel], idx[sel], own[sel], c[sel]
        hid = lid[c, j]
        ed = S["ed"][idx]
        cr = (s * sn) < 0
        L = self.lines
        a = ed[cr]
        nx, ny, nex, ney = _meet(L["f"][a], L["e"][a], Z[c[cr], j], E[c[cr], j])
        sp = np.nonzero(split)[0]
        rank = np.cumsum(split) - 1                       # split piece -> 0..k-1
        o = rank[own]
        newp = []
        for sign in (1, -1):
            t = s * sign
            tn = sn * sign
            ev = t >= 0
            cnt = ev.astype(np.int64) + cr
            at = np.cumsum(cnt) - cnt
            T = int(cnt.sum())
            buf = {k: np.empty(T, dtype=S[k].dtype) for k in ("x", "y", "ex", "ey", "ed")}
            pv = at[ev]
            for k in ("x", "y", "ex", "ey"):
                buf[k][pv] = S[k][idx[ev]]
            buf["ed"][pv] = np.where((t == 0) & (tn < 0), hid, ed)[ev]
            pn = at[cr] + ev[cr]
            for k, v in (("x", nx), ("y", ny), ("ex", nex), ("ey", ney)):
                buf[k][pn] = v
            buf["ed"][pn] = np.where(t[cr] > 0, hid[cr], ed[cr])
            base = S.n
            S.add(**buf)
            plen = np.bincount(o, weights=cnt, minlength=len(sp)).astype(np.int64)
            pst = base + np.cumsum(plen) - plen
            rows = m[cand[sp]].copy()
            rows[:, j] = sign > 0
            newp.append((pst, plen, rows))
        pc["alive"][cand[sp]] = False
        cells = pc["cell"][cand[sp]]
        for pst, plen, rows in newp:
            pc.add(st=pst, ln=plen, cell=cells, alive=np.ones(len(sp), dtype=bool), m=rows)


# ---------------------------------------------------------------------- lazy result
class _LazyRegions:
    """Regions counted at once; their exact records formed on the first :meth:`records`
    call, for all regions at once (``_materialise``), and the engine then let go."""

    __slots__ = ("_den", "_eng", "_n", "_records")

    def __init__(self, eng: Any, n: int):
        self._eng: Any = eng
        self._records: list | None = None
        self._n = n
        self._den = eng.exact.dens[-1]

    @property
    def n_regions(self) -> int:
        return self._n

    @property
    def den(self) -> int:
        return self._den

    def records(self) -> list:
        """``(cell, pattern, output numerators, start cell)`` per region, exact."""
        if self._records is None:
            self._records = self._materialise()
            self._eng = None
        return self._records

    def _materialise(self) -> list:            # pragma: no cover - each engine's own
        raise NotImplementedError


class PlanarRegions(_LazyRegions):
    """The regions found by :func:`planar_regions`: polygons (or, after
    :meth:`project_to_line`, intervals) with their patterns and affine maps."""

    __slots__ = ("_line",)

    def __init__(self, eng: _Engine):
        super().__init__(eng, len(eng.cells[1]))
        self._line = False

    def project_to_line(self) -> None:
        """The network ignored its second input (strips of [lo, hi] x [0, 1]): give the
        records as intervals of the line (cones of :func:`~relugeom.convex.polyhedra.
        box_cone`) with one-input affine maps."""
        self._line = True

    def _materialise(self) -> list:
        eng = self._eng
        assert eng is not None
        outs = _output_rows(eng)
        polys = _exact_polygons(eng, *eng.cells)
        keys = _patterns(eng)
        recs = [(polys[i], keys[i], outs[i], int(eng.root[i])) for i in range(len(outs))]
        return [_interval(r) for r in recs] if self._line else recs


def _output_rows(eng: Any) -> list:
    """The exact output maps (numerator rows over the last denominator) of every final
    cell of an engine (planar or interval), from its parents' states, in batches."""
    from ..numbers.limbs import _big_states
    ex, L = eng.exact, eng.L
    par = eng.parents[L]
    ups, po = np.unique(par, return_inverse=True)
    ex.ensure(L - 1, ups)
    states = [ex.state(L - 1, int(p)) for p in ups.tolist()]
    obj = any(z.dtype == object for z in states)
    Zs = np.stack([z.astype(object) if obj else z for z in states])
    M = np.unpackbits(eng.masks[L], axis=1, bitorder="little")[:, :Zs.shape[1]]
    outs: list = []
    for a in range(0, len(par), 4096):
        Zn = _big_states(eng.prep[L], Zs, po[a:a + 4096], M[a:a + 4096].astype(bool),
                         ex.dens[L - 1])
        outs.extend(tuple(map(tuple, r)) for r in Zn.tolist())
    return outs


def _interval(rec: tuple) -> tuple:
    """A strip record as the record of its interval of the line."""
    from fractions import Fraction

    from ..convex.polyhedra import box_cone
    poly, key, outn, root = rec
    xs = [Fraction(v[0], v[2]) for v in poly]
    return box_cone([(min(xs), max(xs))]), key, tuple((r[0], r[2]) for r in outn), root


def _exact_polygons(eng: _Engine, S: _Grow, starts: np.ndarray, lens: np.ndarray
                    ) -> list:
    """Exact cyclic homogeneous vertices of the final cells: each vertex the primitive
    intersection of its two edge lines (z > 0)."""
    import math
    idx, _, own = _ragged(starts, lens)
    loc = idx - starts[own]
    prev = starts[own] + (loc - 1) % lens[own]
    ed = S["ed"]
    used = np.unique(np.concatenate([ed[idx], ed[prev]]))
    P = eng.lines["p"]
    eng.exact.need(P[used])
    lines = {int(i): eng.exact.line(tuple(P[i].tolist())) for i in used.tolist()}
    verts = []
    for a, b in zip(ed[prev].tolist(), ed[idx].tolist()):
        v = _cross(lines[a], lines[b])
        d = math.gcd(*v)
        if v[2] < 0:
            d = -d
        verts.append((v[0] // d, v[1] // d, v[2] // d))
    out, i = [], 0
    for k in lens.tolist():
        out.append(verts[i:i + k])
        i += k
    return out


def _patterns(eng: _Engine) -> list[tuple[int, ...]]:
    """Activation patterns of the final cells, one integer per layer (bit j: unit j)."""
    L = eng.L
    keys_by_level = [[int.from_bytes(r.tobytes(), "little") for r in eng.masks[l]]
                     for l in range(1, L + 1)]
    n = len(eng.parents[L])
    cur = np.arange(n)
    cols = []
    for l in range(L, 0, -1):
        kl = keys_by_level[l - 1]
        cols.append([kl[c] for c in cur.tolist()])
        cur = eng.parents[l][cur]
    cols.reverse()
    return list(zip(*cols))


def planar_regions(prep: list, polys: list, tick: Callable[[int], None] | None = None
                   ) -> PlanarRegions | None:
    """The regions of the network ``prep`` (from :func:`relugeom.geometry.regions._prepare`, at
    least one hidden layer) on the bounded convex polygons ``polys`` (cyclic homogeneous
    integer vertices, z > 0), or None when the weights or states leave the float range
    (then the exact engine is the route)."""
    try:
        with _OneThread():
            eng = _Engine(prep, polys)
            eng.run(tick)
    except (_Unfit, OverflowError):           # numbers beyond floats: integers decide
        return None
    return PlanarRegions(eng)

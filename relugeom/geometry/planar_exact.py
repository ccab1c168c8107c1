"""Exact signs for :mod:`relugeom.geometry.planar_regions`, where the float filter cannot
decide: the cells' exact integer states (python integers where they leave int64), formed
only on demand and memoised, and the sign of a line at the meeting point of two others as
an integer 3 x 3 determinant."""
from __future__ import annotations

from typing import Any

import numpy as np

__all__: list[str] = []


class _Exact:
    """Exact integer states of cells, formed only on demand and memoised: the state of a
    level-l cell is ``W_(l+1) (m * Z_parent) + b_(l+1) den`` (integers, one denominator per
    level), computed for many cells at once (:func:`relugeom.numbers.limbs._big_states`)."""

    def __init__(self, prep: list, parents: list, masks: list, start_lines: list):
        W, b, D = prep[0][:3]
        self.prep, self.parents, self.masks = prep, parents, masks
        self.start_lines = start_lines
        self.Z0 = np.concatenate([W, b[:, None]], axis=1)
        self.dens = [D]
        for layer in prep[1:]:
            self.dens.append(self.dens[-1] * layer[2])
        self.memo: list[dict] = [{} for _ in prep]
        self.cache: dict = {}
        self.lines: dict = {}          # exact line of a provenance triple, once formed

    def state(self, l: int, c: int) -> np.ndarray:
        return self.Z0 if l == 0 else self.memo[l][c]

    def ensure(self, l: int, cells: Any) -> None:
        """Form the exact states of the level-l ``cells`` (and their ancestors')."""
        if l == 0:
            return
        from ..numbers.limbs import _big_states
        memo = self.memo[l]
        todo = np.array(sorted({int(c) for c in cells} - memo.keys()), dtype=np.int64)
        if not len(todo):
            return
        par = self.parents[l][todo]
        ups, po = np.unique(par, return_inverse=True)
        self.ensure(l - 1, ups)
        states = [self.state(l - 1, int(p)) for p in ups.tolist()]
        obj = any(z.dtype == object for z in states)
        Zs = np.stack([z.astype(object) if obj else z for z in states])
        w = Zs.shape[1]
        M = np.unpackbits(self.masks[l][todo], axis=1, bitorder="little")[:, :w].astype(bool)
        step = 4096
        for a in range(0, len(todo), step):
            Zn = _big_states(self.prep[l], Zs, po[a:a + step], M[a:a + step],
                             self.dens[l - 1])
            for i, c in enumerate(todo[a:a + step].tolist()):
                memo[c] = Zn[i]

    def line(self, prov: tuple[int, int, int]) -> tuple[int, int, int]:
        got = self.lines.get(prov)
        if got is not None:
            return got
        l, c, j = prov
        if l < 0:
            return self.start_lines[c]
        r = self.state(l, c)[j]
        got = self.lines[prov] = (int(r[0]), int(r[1]), int(r[2]))
        return got

    def need(self, provs: np.ndarray) -> None:
        """Form the states behind the lines with provenance rows (level, cell, unit)."""
        for l in np.unique(provs[:, 0]).tolist():
            if l > 0:
                self.ensure(l, provs[provs[:, 0] == l, 1])

    def signs(self, hprov: np.ndarray, aprov: np.ndarray, bprov: np.ndarray) -> np.ndarray:
        """Exact signs of the lines ``hprov`` at the vertices where lines ``aprov`` and
        ``bprov`` meet (rows of provenance triples)."""
        H, A, B = (list(map(tuple, p.tolist())) for p in (hprov, aprov, bprov))
        lines = self.lines
        missing = {p for q in (H, A, B) for p in q if p[0] >= 0 and p not in lines}
        if missing:                    # only the states behind lines not yet formed
            self.need(np.array(sorted(missing), dtype=np.int64))
        out = np.empty(len(hprov), dtype=np.int8)
        cache = self.cache
        for i, (h, a, b) in enumerate(zip(H, A, B)):
            key = (h, a, b) if a <= b else (h, b, a)
            s = cache.get(key)
            if s is None:
                s = _vertex_sign(self.line(h), self.line(a), self.line(b))
                cache[key] = s
            out[i] = s
        return out


def _cross(a: tuple, b: tuple) -> tuple[int, int, int]:
    return (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])


def _vertex_sign(h: tuple, a: tuple, b: tuple) -> int:
    """Sign of the line ``h`` at the point where lines ``a`` and ``b`` meet, exactly."""
    v = _cross(a, b)
    if v[2] == 0:                                   # pragma: no cover - a polygon vertex
        raise AssertionError("planar_regions: a vertex on two parallel lines")
    d = h[0] * v[0] + h[1] * v[1] + h[2] * v[2]
    if v[2] < 0:
        d = -d
    return (d > 0) - (d < 0)


# ---------------------------------------------------------------------- int64 states
_FIT = 1 << 62            # every int64 exact entry stays below it
_FEXACT = 1 << 53         # below it a float64 product of integers is exact, any order


class _IntStates:
    """The exact integer states of cells as int64 where a static bound proves they fit,
    for the compiled kernel's exact signs (:mod:`relugeom.geometry.planar_kernels`). The
    kernel forms a cell's state itself, from its parent's, at the cell's first open sign
    (:meth:`kernel_layer`); the parents' states are the first layer's at the first two
    levels, and deeper are formed here only for the cells the kernel flags.

    Level l's states are the rows (k x 3 x w: x, y and constant, coefficient-major as the
    float maps) of ``table(l)``; a cell's row is ``idx[l][cell]``, -1 until formed. Level 0
    is the first layer (one row, shared by every start polygon); level l is
    ``W (m * Z_parent) + b den`` for the cell's mask m and its parent's state, formed by
    :meth:`ensure` for many cells at once (with their ancestors), by one float64 product
    when every partial sum is an integer below 2^53 (exact), else by an int64 one.
    ``fits[l]``: the bound ``B_l = |W| w B_(l-1) + |b| den`` on every entry stays below
    2^62 (else the kernel asks for exact signs as before). Nothing is formed before it is
    asked for."""

    def __init__(self, prep: list, parents: list, masks: list, dens: list):
        self.prep, self.parents, self.masks, self.dens = prep, parents, masks, dens
        self.fits: list[bool] = []
        self.fexact: list[bool] = []
        B = 0
        for l, (W, b, _, mw, mb) in enumerate(prep[:-1]):
            B = max(mw, mb) if l == 0 else mw * W.shape[1] * B + mb * dens[l - 1]
            self.fits.append(B < _FIT and W.dtype != object and b.dtype != object
                             and (l == 0 or self.fits[-1]))
            self.fexact.append(self.fits[-1] and B < _FEXACT)
        k = len(self.fits)
        self.bd: list = [None] * k           # (int64 W, b den) of each level, once used
        self.idx: list = [None] * k
        self.X: list = [None] * k
        self.n = [0] * k

    def index(self, l: int) -> np.ndarray:
        """Row of every level-l cell (-1: not formed), made when the level is first used."""
        if self.idx[l] is None or len(self.idx[l]) != len(self.parents[l]):
            self.idx[l] = np.full(len(self.parents[l]), 0 if l == 0 else -1, dtype=np.int64)
        return self.idx[l]

    def table(self, l: int) -> np.ndarray:
        """The formed rows of level l (level 0: the first layer's, formed here)."""
        if self.X[l] is None:
            W, b = self.prep[l][:2]
            if l or not self.fits[0]:
                return np.empty((0, 3, W.shape[0]), dtype=np.int64)
            X = self.X[0] = np.empty((1, 3, W.shape[0]), dtype=np.int64)
            X[0, :2] = W.T
            X[0, 2] = b
            self.n[0] = 1
        return self.X[l][:self.n[l]]

    def kernel_layer(self, l: int) -> tuple:
        """What the kernel needs to form the exact states of level-l cells itself
        (:func:`relugeom.geometry.planar_kernels._form`): the parent level's rows, the
        layer's int64 weights and its biases times the parent level's denominator (level 0:
        its own rows and no weights, the state being the first layer's)."""
        e, e1 = np.empty((0, 0), dtype=np.int64), np.empty(0, dtype=np.int64)
        if not self.fits[l]:
            return np.empty((0, 3, 0), dtype=np.int64), e, e1
        if l == 0:
            return self.table(0), e, e1
        if self.bd[l] is None:
            W, b, _, _, mb = self.prep[l]
            self.bd[l] = (np.ascontiguousarray(W),
                          b * self.dens[l - 1] if mb else np.zeros_like(b))
        return (self.table(l - 1), *self.bd[l])

    def parent_rows(self, l: int, cells: np.ndarray) -> np.ndarray:
        """Row of each level-l cell's parent state (-1: not formed or not fitting int64);
        level 0: the first layer's row."""
        if not self.fits[l]:
            return np.full(len(cells), -1, dtype=np.int64)
        if l == 0:
            return np.zeros(len(cells), dtype=np.int64)
        return self.index(l - 1)[self.parents[l][cells]]

    def ensure(self, l: int, cells: np.ndarray) -> None:
        """Form the states of the level-l ``cells`` (distinct; and of their ancestors) not
        yet formed."""
        if not self.fits[l] or l == 0:         # level 0: formed with its table
            return
        idx = self.index(l)
        need = cells[idx[cells] < 0]
        if not len(need):
            return
        par = self.parents[l][need]
        if l > 1:
            self.ensure(l - 1, np.unique(par))
        P = self.table(l - 1)[self.index(l - 1)[par]]                     # k x 3 x w
        W, b = self.prep[l][:2]
        w = W.shape[1]
        M = np.unpackbits(self.masks[l][need], axis=1, count=w, bitorder="little")
        X, k = self._room(l, len(need), W.shape[0]), self.n[l]
        new = X[k:k + len(need)]
        if self.fexact[l]:                 # partial sums are integers below 2^53: exact
            A = np.multiply(P, M[:, None, :], dtype=np.float64).reshape(-1, w)
            new[:] = (A @ W.T.astype(np.float64)).reshape(len(need), 3, -1)
        else:                              # below 2^62 throughout: int64 exact
            new[:] = ((P * M[:, None, :]).reshape(-1, w) @ W.T).reshape(len(need), 3, -1)
        if self.prep[l][4]:
            new[:, 2] += b * self.dens[l - 1]
        idx[need] = np.arange(k, k + len(need))
        self.n[l] = k + len(need)

    def _room(self, l: int, k: int, w: int) -> np.ndarray:
        """The level-l table with room for k more rows (at most one per cell)."""
        X, n = self.X[l], self.n[l]
        if X is None or n + k > len(X):
            cap = min(len(self.parents[l]), max(2 * (n + k), 64))
            Y = np.empty((cap, 3, w), dtype=np.int64)
            if n:
                Y[:n] = X[:n]
            X = self.X[l] = Y
        return X

    def line_rows(self, prov: np.ndarray) -> np.ndarray:
        """Exact rows [a, b, c, magnitude] of the lines with provenance rows (level, cell,
        unit) of levels >= 0 (magnitude -1 where the cell's state is not formed)."""
        out = np.full((len(prov), 4), -1, dtype=np.int64)
        for l in np.unique(prov[:, 0]).tolist():
            if not self.fits[l]:
                continue
            sel = np.nonzero(prov[:, 0] == l)[0]
            r = self.index(l)[prov[sel, 1]]
            ok = r >= 0
            out[sel[ok], :3] = self.table(l)[r[ok], :, prov[sel[ok], 2]]
            out[sel[ok], 3] = np.abs(out[sel[ok], :3]).max(axis=1)
        return out

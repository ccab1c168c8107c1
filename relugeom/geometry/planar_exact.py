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

"""Adjacency of polyhedral cells, exactly.

Two cells are neighbours when a facet of one and the opposite facet of the other share an
(n-1)-dimensional set (in the plane: overlapping parameter intervals on the common line).
A cell is a :class:`~relugeom.convex.polyhedra.Cone` (homogeneous double description) or,
in the plane, a polygon of cyclic homogeneous integer vertices
(:mod:`relugeom.convex.polygon`). Float bounding boxes only skip pairs that are far apart
(with a margin); every decision that joins two cells is exact.
"""
from __future__ import annotations

import bisect
import math
from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

from .polygon import _gens, _polygon_to_cone
from .polyhedra import Cone, IntVec, _primitive

__all__: list[str] = []


class _DisjointSets:
    """Union-find over 0..n-1 (path halving): the connected components of the cells."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        parent = self.parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, i: int, j: int) -> None:
        self.parent[self.find(i)] = self.find(j)

    def groups(self) -> list[list[int]]:
        """The components, each sorted, in sorted order."""
        comp: dict[int, list[int]] = {}
        for i in range(len(self.parent)):
            comp.setdefault(self.find(i), []).append(i)
        return sorted(comp.values())


# ---------------------------------------------------------------------- geometry helpers
def _interior(gens: Sequence[IntVec]) -> tuple[Fraction, ...]:
    n = len(gens[0]) - 1
    acc = [Fraction(0)] * (n + 1)
    for g in gens:
        s = g[n] if g[n] else sum(abs(a) for a in g)
        for i in range(n + 1):
            acc[i] += Fraction(g[i], s)
    return tuple(a / acc[n] for a in acc[:n])


def _facets(cell: Any) -> list[tuple[IntVec, Any]]:
    """(oriented primitive hyperplane, facet data) of a cell; no facet at infinity."""
    out = []
    if isinstance(cell, Cone):
        for k in cell.facet_indices():
            h = _primitive(cell.planes[k])
            if any(h[:-1]):
                out.append((h, cell.face(k)))
        return out
    cone = _polygon_to_cone(cell)
    k = len(cell)
    for i in range(k):
        h = cone.planes[i]
        if any(h[:-1]):
            out.append((h, (cell[i], cell[(i + 1) % k])))
    return out


def _unoriented(h: IntVec) -> tuple[IntVec, int]:
    for v in h:
        if v:
            return (h, 1) if v > 0 else (tuple(-x for x in h), -1)
    return h, 1


def _param(h: IntVec, p: IntVec) -> Fraction | float:
    t = -h[1] * p[0] + h[0] * p[1]
    if p[2] == 0:
        return math.inf if t > 0 else -math.inf
    return Fraction(t, p[2])


def _bbox(cell: Any) -> tuple[np.ndarray, np.ndarray]:
    gens = _gens(cell)
    n = len(gens[0]) - 1
    lo = np.full(n, np.inf)
    hi = np.full(n, -np.inf)
    try:
        for g in gens:
            if g[n]:
                x = np.array([g[i] / g[n] for i in range(n)])
                lo, hi = np.minimum(lo, x), np.maximum(hi, x)
            else:
                d = np.array(g[:n], dtype=float)
                lo = np.where(d < 0, -np.inf, lo)
                hi = np.where(d > 0, np.inf, hi)
    except OverflowError:             # coordinates beyond floats: no filter
        return np.full(n, -np.inf), np.full(n, np.inf)
    margin = 1e-9 * (1 + np.maximum(np.abs(np.where(np.isfinite(lo), lo, 0)),
                                    np.abs(np.where(np.isfinite(hi), hi, 0))))
    return lo - margin, hi + margin


def _faces_overlap(face: Cone, other: Cone, h: IntVec) -> bool:
    """Do a facet of one cell and the opposite cell share an (n-1)-dimensional set?"""
    neg = tuple(-x for x in h)
    cur: Cone | None = face
    for k in other.facet_indices():
        g = _primitive(other.planes[k])
        if g == neg or not any(g[:-1]):
            continue
        cur = cur.split(g)[0] if cur is not None else None
        if cur is None:
            return False
    return cur is not None


def _as_cone_item(item: tuple) -> tuple:
    """A planar (polygon) facet item in the form of the cone items (mixed groups in the
    plane, where cells with a lineality space stay cones)."""
    sgn, owner, cell, h, data = item
    if isinstance(cell, Cone):
        return item
    p, q = data
    return sgn, owner, _polygon_to_cone(cell), h, Cone([p, q], [1, 1], [h])


def _adjacent(cells: list[tuple[int, Any]], keep: Callable[[int, int], bool] | None
              ) -> set[tuple[int, int]]:
    """Pairs of owners whose cells meet in an (n-1)-dimensional set."""
    groups: dict[IntVec, list] = {}
    for owner, cell in cells:
        for h, data in _facets(cell):
            key, sgn = _unoriented(h)
            groups.setdefault(key, []).append((sgn, owner, cell, h, data))
    pairs: set[tuple[int, int]] = set()
    boxes: dict[int, tuple] = {}
    for key, items in groups.items():
        plus = [it for it in items if it[0] > 0]
        minus = [it for it in items if it[0] < 0]
        if not plus or not minus:
            continue
        if any(isinstance(it[2], Cone) for it in items):
            plus = [_as_cone_item(it) for it in plus]
            minus = [_as_cone_item(it) for it in minus]
            for sp, op, cp, hp, fp in plus:
                for sm, om, cm, hm, fm in minus:
                    if op == om or (keep is not None and not keep(op, om)):
                        continue
                    pair = (min(op, om), max(op, om))
                    if pair in pairs:
                        continue
                    bp = boxes.setdefault(id(cp), _bbox(cp))
                    bm = boxes.setdefault(id(cm), _bbox(cm))
                    if (bp[0] > bm[1]).any() or (bm[0] > bp[1]).any():
                        continue
                    if _faces_overlap(fp, cm, hp):
                        pairs.add(pair)
            continue
        ivs = []
        for sgn, owner, cell, h, (p, q) in items:
            a, b = _param(key, p), _param(key, q)
            ivs.append((min(a, b), max(a, b), sgn, owner))
        mins = sorted((iv for iv in ivs if iv[2] < 0), key=lambda t: t[0])
        los = [iv[0] for iv in mins]
        his = [iv[1] for iv in mins]
        for lo, hi, _, op in (iv for iv in ivs if iv[2] > 0):
            k = bisect.bisect_left(los, hi)
            j = bisect.bisect_right(his, lo)
            for lo2, hi2, _, om in mins[j:k]:
                if om != op and (keep is None or keep(op, om)):
                    pairs.add((min(op, om), max(op, om)))
    return pairs

"""The exact 2-D polygon kernel of region enumeration.

A convex polygon is a list of homogeneous integer vertices (x, y, w) in cyclic order
(w = 0 for a direction at infinity). The kernel cuts a polygon by a line exactly
(:func:`_split_polygon`, with the vertex signs of :func:`_signs`), converts between pointed
2-D cones (double descriptions, :class:`~relugeom.convex.polyhedra.Cone`) and polygons, and
clips to a box. Integers only: no rounding anywhere.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

from .polyhedra import Cone, IntVec, _dot, _primitive, box_cone, sign_matrix

__all__: list[str] = []


# ---------------------------------------------------------------------- planar primitives
def _signs(h: Sequence[int], gens: Sequence[IntVec]) -> list[int]:
    if len(gens) > 24:
        return sign_matrix([h], gens)[0].tolist()
    if len(h) == 3:
        h0, h1, h2 = h
        return [(d > 0) - (d < 0) for d in [h0 * x + h1 * y + h2 * z for x, y, z in gens]]
    out = []
    for g in gens:
        d = sum(a * c for a, c in zip(h, g))
        out.append((d > 0) - (d < 0))
    return out


def _split_polygon(P: list[IntVec], h: Sequence[int], s: Sequence[int]
                   ) -> tuple[list[IntVec] | None, list[IntVec] | None]:
    """Cut a convex polygon (cyclic homogeneous vertices) by the line ``h``."""
    if -1 not in s:
        return (P, None) if 1 in s else (None, None)
    if 1 not in s:
        return None, P
    plus: list[IntVec] = []
    minus: list[IntVec] = []
    k = len(P)
    h0, h1, h2 = h
    for i in range(k):
        a, sa = P[i], s[i]
        if sa >= 0:
            plus.append(a)
        if sa <= 0:
            minus.append(a)
        j = i + 1 if i + 1 < k else 0
        if sa * s[j] < 0:
            b = P[j]
            va = h0 * a[0] + h1 * a[1] + h2 * a[2]
            vb = h0 * b[0] + h1 * b[1] + h2 * b[2]
            if va < 0:
                va, vb = -va, -vb
            x, y, z = va * b[0] - vb * a[0], va * b[1] - vb * a[1], va * b[2] - vb * a[2]
            g = math.gcd(x, y, z)
            new = (x // g, y // g, z // g) if g > 1 else (x, y, z)
            plus.append(new)
            minus.append(new)
    return plus, minus


def _gens(cell: Any) -> list[IntVec]:
    return cell.gens if isinstance(cell, Cone) else cell


def _cone_to_polygon(c: Cone) -> Any:
    """The rays of a pointed 2-D cone in cyclic order (via the incidences of its planes).

    A cone with a lineality space (a half-plane, a strip, the whole plane) is returned as
    it is: only pointed cells take the polygon path (no two vertices of a polygon are
    then antipodal, so every edge is well defined)."""
    if c.lin:
        return c
    gens, incs = c.rays, c.incs
    order = [0]
    used = {0}
    while len(order) < len(gens):
        cur = order[-1]
        nxt = next(i for i in range(len(gens)) if i not in used and
                   (incs[cur] & incs[i]) and not any(
                       w not in (cur, i) and incs[w] & incs[cur] & incs[i] ==
                       incs[cur] & incs[i] for w in range(len(gens))))
        order.append(nxt)
        used.add(nxt)
    return [gens[i] for i in order]


def _polygon_to_cone(P: list[IntVec]) -> Cone:
    """A cyclic polygon as a double description (edge lines as planes)."""
    k = len(P)
    planes: list[IntVec] = []
    for i in range(k):
        a, b = P[i], P[(i + 1) % k]
        line = _primitive([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                           a[0] * b[1] - a[1] * b[0]])
        for j in range(k):
            v = _dot(line, P[j])
            if v:
                if v < 0:
                    line = tuple(-x for x in line)
                break
        planes.append(line)
    incs = [(1 << i) | (1 << ((i - 1) % k)) for i in range(k)]
    return Cone(list(P), incs, planes)


def _clip_polygon_to_box(P: list[IntVec], box: Sequence[tuple[Fraction, Fraction]]
                         ) -> list[IntVec] | None:
    cone = box_cone(box)
    for h in cone.planes:
        if P is None:
            return None
        P = _split_polygon(P, h, _signs(h, P))[0]
    return P

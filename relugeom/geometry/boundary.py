"""Decision boundaries and point location on exact linear regions.

Inside one region every output is affine, so the set where the argmax of m outputs ties
is, inside that region, a union of pieces of lines: for each pair i < j, the points of the
line ``f_i = f_j`` in the region where also ``f_i >= f_k`` for every k. For one output
(m = 1) the boundary is the zero level set ``f = 0``. In the plane these are segments (or
rays, or lines, in unbounded regions) with exact rational endpoints.

Two counts, with the definitions used for regions and pieces:

* ``n_segments``: maximal segments inside one region (a segment on the common edge of two
  regions is reported by both);
* ``n_pieces``: maximal straight segments of the whole boundary, i.e. the segments merged
  across regions when they lie on one line and overlap or touch.

A region where two outputs coincide as affine functions (or the single output is 0) has
a two-dimensional tie set; such regions are listed in ``full_regions`` and not counted as
segments.

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1, 0], [0, 1]], [2, 2]), ([[1, 0], [0, 1]], [0, 0])])
>>> db = rg.linear_regions(net, box=[(-1, 1), (-1, 1)]).decision_boundary()
>>> db.n_pieces, db.pieces()[0]
(1, ((Fraction(-1, 1), Fraction(-1, 1)), (Fraction(1, 1), Fraction(1, 1))))
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, NamedTuple, Sequence

from ..errors import DimensionError, DomainError
from .regions_json import regions_from_dict, regions_to_dict   # noqa: F401 (the JSON form)

__all__ = ["DecisionBoundary", "BoundarySegment", "decision_boundary", "locate",
           "locate_all", "regions_to_dict", "regions_from_dict"]

Point = tuple[Fraction, Fraction]


class BoundarySegment(NamedTuple):
    """One maximal boundary segment inside one region.

    ``start``/``end`` are exact points, or ``None`` at infinity (a ray or a line; then
    ``direction`` points from ``start`` towards ``end``). ``outputs`` are the tied pairs
    ``(i, j)`` (``((0, 0),)`` for the zero level set of one output).
    """

    start: Point | None
    end: Point | None
    direction: Point
    region: int
    outputs: tuple[tuple[int, int], ...]
    line: tuple[int, int, int]


def _primitive_line(g: Sequence[Fraction]) -> tuple[int, int, int]:
    den = math.lcm(*(q.denominator for q in g))
    v = [int(q * den) for q in g]
    d = math.gcd(*v)
    v = [x // d for x in v]
    for x in v[:2]:
        if x:
            if x < 0:
                v = [-y for y in v]
            break
    return tuple(v)  # type: ignore[return-value]


def _interval(ineqs: list[tuple[Fraction, Fraction, Fraction]], p0: Point, d: Point
              ) -> tuple[Fraction | None, Fraction | None] | None:
    """{s : a . (p0 + s d) + c >= 0 for all (a1, a2, c)}: (lo, hi) with None for
    infinity, or None when empty or a single point."""
    lo: Fraction | None = None
    hi: Fraction | None = None
    for a1, a2, c in ineqs:
        base = a1 * p0[0] + a2 * p0[1] + c
        slope = a1 * d[0] + a2 * d[1]
        if slope == 0:
            if base < 0:
                return None
            continue
        s = -base / slope
        if slope > 0:
            lo = s if lo is None or s > lo else lo
        else:
            hi = s if hi is None or s < hi else hi
    if lo is not None and hi is not None and lo >= hi:
        return None
    return lo, hi


def _affine_rows(region: Any, m: int) -> list[tuple[Fraction, Fraction, Fraction]]:
    amap = region.affine_map
    if m == 1:
        (a1, a2), c = amap
        return [(a1, a2, c)]
    mat, vec = amap
    return [(r[0], r[1], c) for r, c in zip(mat, vec)]


class DecisionBoundary:
    """The exact decision boundary of a 2-D :class:`~relugeom.regionset.LinearRegions`."""

    def __init__(self, segments: list[BoundarySegment], full_regions: list[int],
                 n_outputs: int):
        self.segments = tuple(segments)
        self.full_regions = tuple(full_regions)
        self.n_outputs = n_outputs
        self._pieces: list | None = None

    @property
    def n_segments(self) -> int:
        """Number of maximal segments inside one region each."""
        return len(self.segments)

    @property
    def regions(self) -> tuple[int, ...]:
        """Indices of the regions the boundary crosses (or runs along)."""
        return tuple(sorted({s.region for s in self.segments}))

    def pieces(self) -> list[tuple[Point | None, Point | None]]:
        """Maximal straight segments of the whole boundary, (start, end) with None at
        infinity, sorted."""
        if self._pieces is None:
            by_line: dict[tuple[int, int, int], list] = {}
            for s in self.segments:
                by_line.setdefault(s.line, []).append(s)
            out = []
            for line, segs in by_line.items():
                g1, g2, _ = line
                d = (Fraction(-g2), Fraction(g1))          # canonical direction

                def par(p: Point | None, end: bool) -> Any:
                    return (math.inf if end else -math.inf) if p is None else \
                        p[0] * d[0] + p[1] * d[1]
                ivs = []
                for s in segs:
                    a, b, pa, pb = par(s.start, False), par(s.end, True), s.start, s.end
                    if s.direction[0] * d[0] + s.direction[1] * d[1] < 0:
                        a, b = par(s.end, False), par(s.start, True)
                        pa, pb = s.end, s.start
                    ivs.append((a, b, pa, pb))
                ivs.sort(key=lambda t: t[0])
                cur = list(ivs[0])
                for a, b, pa, pb in ivs[1:]:
                    if a <= cur[1]:
                        if b > cur[1]:
                            cur[1], cur[3] = b, pb
                    else:
                        out.append((cur[2], cur[3]))
                        cur = [a, b, pa, pb]
                out.append((cur[2], cur[3]))
            out = [(b, a) if a is not None and b is not None and b < a else (a, b)
                   for a, b in out]
            self._pieces = sorted(out, key=repr)
        return self._pieces

    @property
    def n_pieces(self) -> int:
        """Number of maximal straight segments of the boundary (merged across regions)."""
        return len(self.pieces())

    def length(self) -> float:
        """Total Euclidean length of the pieces (float: lengths are square roots)."""
        tot = 0.0
        for a, b in self.pieces():
            if a is None or b is None:
                return math.inf
            tot += math.hypot(float(b[0] - a[0]), float(b[1] - a[1]))
        return tot

    def plot(self, ax: Any, *, window: Any = None, **kw: Any) -> Any:
        """Draw the boundary on ``ax``; rays and lines are clipped to ``window`` (a box
        of two (lo, hi) pairs; needed when some segment is unbounded)."""
        style = {"color": "black", "linewidth": 1.6, "zorder": 5}
        style.update(kw)
        win = []
        if window is not None:
            for k, (lo, hi) in enumerate(window):
                e = [Fraction(0), Fraction(0)]
                e[k] = Fraction(1)
                win.append((e[0], e[1], -Fraction(lo)))
                win.append((-e[0], -e[1], Fraction(hi)))
        for seg in self.segments:
            g1, g2, g0 = (Fraction(v) for v in seg.line)
            nn = g1 * g1 + g2 * g2
            p0 = (-g0 * g1 / nn, -g0 * g2 / nn)
            d = (-g2, g1)
            cons = list(win)
            for pt, sgn in ((seg.start, 1), (seg.end, -1)):
                if pt is not None:
                    s0 = ((pt[0] - p0[0]) * d[0] + (pt[1] - p0[1]) * d[1]) / nn
                    if (seg.direction[0] * d[0] + seg.direction[1] * d[1] < 0):
                        sgn = -sgn
                    # sgn * (s - s0) >= 0 written as a . (p0 + s d) + c >= 0
                    cons.append((sgn * d[0] / nn, sgn * d[1] / nn,
                                 -sgn * (p0[0] * d[0] + p0[1] * d[1]) / nn - sgn * s0))
            iv = _interval(cons, p0, d)
            if iv is None:
                continue
            lo, hi = iv
            if lo is None or hi is None:
                raise DimensionError("plot: the boundary is unbounded; give window=")
            ax.plot([float(p0[0] + lo * d[0]), float(p0[0] + hi * d[0])],
                    [float(p0[1] + lo * d[1]), float(p0[1] + hi * d[1])], **style)
        return ax

    def __repr__(self) -> str:
        return (f"<DecisionBoundary of {self.n_outputs} output(s): {self.n_segments} "
                f"segments in {len(self.regions)} regions, {self.n_pieces} pieces>")


def decision_boundary(lr: Any) -> DecisionBoundary:
    """The exact argmax-tie set (m >= 2 outputs) or zero level set (m = 1) of 2-D regions."""
    _require_regions(lr, "decision_boundary")
    if lr.n_inputs != 2:
        raise DimensionError(f"decision_boundary: needs regions in the plane, these are in "
                             f"R^{lr.n_inputs}; restrict with plane= (relugeom.plane) or "
                             f"use restrict_to_line")
    m = lr.n_outputs
    segments: list[BoundarySegment] = []
    full: list[int] = []
    for ri, reg in enumerate(lr.regions):
        F = _affine_rows(reg, m)
        ineqs = [tuple(h) for h in reg.inequalities]
        cand = _candidates(reg, m)
        pairs = ([(0, 0)] if cand else []) if m == 1 else \
            [(i, j) for i in cand for j in cand if i < j]
        found: dict[tuple, list] = {}
        is_full = False
        for i, j in pairs:
            g = F[i] if m == 1 else tuple(x - y for x, y in zip(F[i], F[j]))
            g1, g2, g0 = g
            if g1 == 0 and g2 == 0:
                if g0 == 0:
                    # f_i = f_j on the whole region: a 2-D tie wherever both are maximal
                    others = [tuple(x - y for x, y in zip(F[i], F[k])) for k in range(m)
                              if k not in (i, j)]
                    if m == 1 or _has_interior(ineqs + others):
                        is_full = True
                continue
            nn = g1 * g1 + g2 * g2
            p0 = (-g0 * g1 / nn, -g0 * g2 / nn)
            d = (-g2, g1)
            cons = list(ineqs)
            if m > 1:
                cons += [tuple(x - y for x, y in zip(F[i], F[k])) for k in range(m)
                         if k not in (i, j)]
            iv = _interval(cons, p0, d)
            if iv is None:
                continue
            lo, hi = iv
            start = None if lo is None else (p0[0] + lo * d[0], p0[1] + lo * d[1])
            end = None if hi is None else (p0[0] + hi * d[0], p0[1] + hi * d[1])
            line = _primitive_line(g)
            key = (line, start, end) if start is None or end is None or start < end else \
                (line, end, start)
            found.setdefault(key, [start, end, d, line, []])[4].append((i, j))
        if is_full:
            full.append(ri)
        for (line, _, _), (start, end, d, _, outs) in sorted(found.items(), key=repr):
            segments.append(BoundarySegment(start, end, d, ri, tuple(outs), line))
    return DecisionBoundary(segments, full, m)


def _candidates(reg: Any, m: int) -> Any:
    """Exact necessary condition, from the region's generators (vertices, rays, lineality
    directions as homogeneous integer vectors): output i can be maximal somewhere in the
    region only if, for every k, some generator g has (f_i - f_k) . g >= 0. For m = 1:
    whether f takes both signs (>= 0 and <= 0) on generators. Returns the outputs that
    pass (m >= 2), or a bool (m = 1)."""
    from .regionset import _gens
    gens = [g for c in reg._cells for g in _gens(c)]
    outs = reg._out
    vals = [[sum(a * b for a, b in zip(o, g)) for o in outs] for g in gens]
    if m == 1:
        return any(v[0] >= 0 for v in vals) and any(v[0] <= 0 for v in vals)
    keep = []
    for i in range(m):
        if all(k == i or any(v[i] >= v[k] for v in vals) for k in range(m)):
            keep.append(i)
    return keep


def _has_interior(cons: list[tuple]) -> bool:
    """Does {x : a . x + c >= 0} have interior (2-D)? Exact, via its vertices."""
    from ..convex.polyhedra import Polyhedron
    try:
        P = Polyhedron([tuple(Fraction(v) for v in h) for h in cons], 2)
        return bool(P.cones())
    except DomainError:
        return False


# ---------------------------------------------------------------------- point location
def locate_all(lr: Any, x: Sequence[Any]) -> list[Any]:
    """Every region whose closure contains the rational point ``x`` (exact).

    ``x`` is a list, tuple or 1-D array of ``n_inputs`` exact coordinates (a scalar when
    n = 1); a string, a set or a dict is refused (DimensionError), never read as
    coordinates."""
    from .lines import _point
    _require_regions(lr, "locate")
    pt = list(_point(x, lr.n_inputs, "locate: x", "regions"))
    return [r for r in lr.regions if r.contains(pt)]


def _require_regions(lr: Any, what: str) -> None:
    """A NotExactError naming the value unless ``lr`` is a LinearRegions."""
    from .regionset import LinearRegions
    if not isinstance(lr, LinearRegions):
        from ..errors import NotExactError
        from ..numbers.rational import short
        hint = " (call relugeom.linear_regions(net) first)" if \
            type(lr).__name__ == "ReLUNetwork" else ""
        raise NotExactError(f"{what}: expected a LinearRegions, got {short(lr)} of type "
                            f"{type(lr).__name__}{hint}")


def locate(lr: Any, x: Sequence[Any]) -> Any:
    """The region containing ``x``; on a common boundary the first of the regions whose
    closure contains it (regions are sorted by activation pattern). Outside the box:
    DomainError."""
    hits = locate_all(lr, x)
    if not hits:
        from ..numbers.rational import short
        raise DomainError(f"locate: the point {short(x)} lies outside the regions "
                          f"(box {short(lr.box)})")
    return hits[0]


# ---------------------------------------------------------------------- JSON
from ..numbers.encoding import register_json_type  # noqa: E402
from .regionset import LinearRegions  # noqa: E402

register_json_type("LinearRegions", LinearRegions, regions_to_dict, regions_from_dict)

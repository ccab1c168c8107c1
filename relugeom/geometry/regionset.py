"""Result types of linear-region enumeration: :class:`Region` and :class:`LinearRegions`.

Also the adjacency test behind ``n_pieces``: two cells are neighbours when a facet of one
and the opposite facet of the other share an (n-1)-dimensional set (in the plane:
overlapping parameter intervals on the common line). The planar kernel they use (cutting
polygons, cone <-> polygon) is :mod:`relugeom.convex.polygon`.
Build these objects with :func:`relugeom.linear_regions`.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence


from ..config import check_size
from ..errors import DimensionError
from ..convex.cells import (_DisjointSets, _adjacent, _bbox, _facets, _interior,  # noqa: F401
                            _param, _unoriented)
from ..convex.polygon import (_clip_polygon_to_box, _cone_to_polygon, _gens,  # noqa: F401
                              _polygon_to_cone, _signs, _split_polygon)
from ..convex.polyhedra import Cone, _dot, as_box, box_cone, polygon_area

__all__ = ["Region", "LinearRegions"]


# ---------------------------------------------------------------------- result types
class Region:
    """One activation region (or one cell of a CPWL function): immutable, lazy.

    Properties give the activation pattern, the non-redundant inequalities
    ``a . x + c >= 0``, a rational interior point, the affine map and boundedness.
    """

    __slots__ = ("_owner", "_cells", "_key", "_out", "_cache")

    def __init__(self, owner: "LinearRegions", cells: list, key: Any, out: tuple):
        self._owner, self._cells, self._key, self._out = owner, cells, key, out
        self._cache: dict[str, Any] = {}

    @property
    def activation_pattern(self) -> tuple[tuple[bool, ...], ...] | None:
        """Active units (pre-activation > 0 inside), layer by layer; None for CPWL cells."""
        widths = self._owner._widths
        if widths is None:
            return None
        return tuple(tuple(bool(bits >> j & 1) for j in range(w))
                     for bits, w in zip(self._key, widths))

    @property
    def affine_map(self) -> Any:
        """``(coefficients, constant)`` for one output, else ``(matrix, vector)``."""
        den = self._owner._den
        n = self._owner.n_inputs
        rows = [(tuple(Fraction(v, den) for v in r[:n]), Fraction(r[n], den))
                for r in self._out]
        if len(rows) == 1:
            return rows[0]
        return tuple(r[0] for r in rows), tuple(r[1] for r in rows)

    @property
    def is_bounded(self) -> bool:
        """True when the region is bounded."""
        return all(g[-1] > 0 for c in self._cells for g in _gens(c))

    @property
    def interior_point(self) -> tuple[Fraction, ...]:
        """A rational point in the interior of the region."""
        if "ip" not in self._cache:
            self._cache["ip"] = _interior(_gens(self._cells[0]))
        return self._cache["ip"]

    @property
    def inequalities(self) -> tuple[tuple[Fraction, ...], ...]:
        """Non-redundant inequalities ``(a_1, ..., a_n, c)``: ``a . x + c >= 0``."""
        if "ineq" not in self._cache:
            cand = {h for c in self._cells for h, _ in _facets(c)}
            keep = sorted(h for h in cand if all(_dot(h, g) >= 0 for c in self._cells
                                                 for g in _gens(c)))
            self._cache["ineq"] = tuple(tuple(Fraction(v) for v in h) for h in keep)
        return self._cache["ineq"]

    def contains(self, x: Sequence[Any]) -> bool:
        """True when the rational point ``x`` lies in the (closed) region.

        ``x`` is a sequence of ``n_inputs`` rationals (a string is refused, not read as
        digits); another length raises :class:`~relugeom.errors.DimensionError`.
        """
        from ..errors import DimensionError
        from ..numbers.rational import as_rationals, short
        if hasattr(x, "tolist") and getattr(x, "ndim", 0) == 1:
            x = x.tolist()
        pt = as_rationals(x, what="x")
        n = self._owner.n_inputs
        if len(pt) != n:
            raise DimensionError(f"contains: the region is in R^{n}, got a point with "
                                 f"{len(pt)} coordinates: {short(x)}")
        return all(sum((a * b for a, b in zip(h, pt)), h[-1]) >= 0 for h in self.inequalities)

    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        """Finite vertices; for a bounded planar region in counter-clockwise order,
        otherwise sorted."""
        from ..convex.polyhedra import _ccw, rank
        ineqs = [tuple(int(v) for v in h) for h in self.inequalities]   # primitive integers
        n = self._owner.n_inputs
        pts = set()
        for c in self._cells:
            for g in _gens(c):
                if g[-1] and rank([h[:-1] for h in ineqs if _dot(h, g) == 0]) == n:
                    pts.add(tuple(Fraction(a, g[-1]) for a in g[:-1]))
        if n == 2 and self.is_bounded and len(pts) >= 3:
            return tuple(_ccw(sorted(pts)))
        return tuple(sorted(pts))

    @property
    def area(self) -> Fraction:
        """Exact area of a bounded planar region (a property, like ``is_bounded``)."""
        if not self.is_bounded or self._owner.n_inputs != 2:
            raise DimensionError("area needs a bounded region in the plane")
        return sum((polygon_area([(Fraction(g[0], g[2]), Fraction(g[1], g[2])) for g in
                                  (c if not isinstance(c, Cone) else _cone_to_polygon(c))])
                    for c in self._cells), Fraction(0))

    def polygon(self, window: Any = None) -> Any:
        """A shapely polygon (floats) of the region, clipped to ``window`` if unbounded."""
        from shapely import Polygon, unary_union
        parts = []
        win = None if window is None else as_box(window, 2)
        for c in self._cells:
            if isinstance(c, Cone) and c.lin:      # a half-plane, a strip, the plane
                if win is None:
                    raise DimensionError("polygon: the region is unbounded; give window=")
                cut: Any = c
                for h in box_cone(win).planes:
                    cut = cut.split(h)[0] if cut is not None else None
                if cut is None:
                    continue
                c = cut
            P = c if not isinstance(c, Cone) else _cone_to_polygon(c)
            if win is not None or not all(g[2] for g in P):
                if win is None:
                    raise DimensionError("polygon: the region is unbounded; give window=")
                P = _clip_polygon_to_box(P, win)
                if P is None:
                    continue
            parts.append(Polygon([(g[0] / g[2], g[1] / g[2]) for g in P]))
        return parts[0] if len(parts) == 1 else unary_union(parts)

    def __repr__(self) -> str:
        kind = "bounded" if self.is_bounded else "unbounded"
        return f"<Region in R^{self._owner.n_inputs}, {kind}>"


def _closures_meet(Polyhedron: Any, n: int, P: Sequence[Sequence[Fraction]],
                   Q: Sequence[Sequence[Fraction]]) -> bool:
    """Do the closed polyhedra {a . x + c >= 0} given by rows P and Q share a point?"""
    rows = [(*r[:n], Fraction(0), r[n]) for r in P]
    rows += [(*r[:n], Fraction(-1), r[n]) for r in Q]
    rows.append((*([Fraction(0)] * n), Fraction(-1), Fraction(1)))
    val, _ = Polyhedron(rows, n + 1).maximize((*([0] * n), 1))
    return val >= 0


class LinearRegions:
    """The exact partition of R^n (or of a box) into activation regions.

    Build with :func:`linear_regions`. ``n_regions`` counts activation regions,
    ``n_pieces`` the maximal connected sets on which the function is affine (neighbours
    across a facet with the same affine map merged: Definition 3 of the paper).
    """

    __slots__ = ("n_inputs", "n_outputs", "box", "_regs", "_den", "_widths", "_adj",
                 "_pieces", "_lazy", "_merged")

    def __init__(self) -> None:  # pragma: no cover
        raise TypeError("use relugeom.linear_regions(...)")

    @classmethod
    def _from_records(cls, n: int, m: int, records: list, den: int, *, box: Any,
                      merged: bool, widths: Sequence[int] | None = None) -> "LinearRegions":
        check_size("max_regions", len(records), "linear_regions")
        self = cls._empty(n, m, den, box, merged, widths)
        self._regs = self._build(records)
        return self

    @classmethod
    def _from_lazy(cls, n: int, m: int, lazy: Any, *, box: Any, merged: bool,
                   widths: Sequence[int] | None = None) -> "LinearRegions":
        """Regions counted at once, formed exactly on first use (``lazy.records()``,
        :mod:`relugeom.geometry.planar_regions`)."""
        check_size("max_regions", lazy.n_regions, "linear_regions")
        self = cls._empty(n, m, lazy.den, box, merged, widths)
        self._lazy = lazy
        return self

    @classmethod
    def _empty(cls, n: int, m: int, den: int, box: Any, merged: bool,
               widths: Sequence[int] | None) -> "LinearRegions":
        self = object.__new__(cls)
        self.n_inputs, self.n_outputs = n, m
        self.box = None if box is None else list(box)      # the caller's own copy
        self._den, self._merged = den, merged
        self._widths = tuple(widths) if widths is not None else None
        self._regs = self._lazy = None
        self._adj = None
        self._pieces = None
        return self

    def _build(self, records: list) -> tuple[Region, ...]:
        merged = self._merged
        groups: dict[Any, list] = {}
        outs: dict[Any, tuple] = {}
        for i, (cell, key, outn, orth) in enumerate(records):
            k = key if merged else (key, i)
            groups.setdefault(k, []).append(cell)
            outs[k] = outn
        return tuple(Region(self, groups[k], k if merged else k[0], outs[k])
                     for k in sorted(groups, key=repr if not merged else None))

    @property
    def _regions(self) -> tuple[Region, ...]:
        if self._regs is None:
            self._regs = self._build(self._lazy.records())
            self._lazy = None
        return self._regs

    @_regions.setter
    def _regions(self, regs: tuple[Region, ...]) -> None:    # JSON and boundary builders
        self._regs, self._lazy = regs, None

    @property
    def regions(self) -> tuple[Region, ...]:
        """The regions, sorted by activation pattern."""
        return self._regions

    @property
    def n_regions(self) -> int:
        """Number of activation regions."""
        if self._regs is None:
            return self._lazy.n_regions
        return len(self._regs)

    @property
    def n_cells(self) -> int:
        """Number of convex cells enumerated (one per region for networks; CPWL functions
        may have several cells per region)."""
        return sum(len(r._cells) for r in self._regions)

    def _cell_list(self) -> list[tuple[int, Any]]:
        return [(i, c) for i, r in enumerate(self._regions) for c in r._cells]

    @property
    def adjacency(self) -> tuple[tuple[int, int], ...]:
        """Pairs (i, j), i < j, of regions sharing an (n-1)-dimensional boundary piece."""
        if self._adj is None:
            self._adj = tuple(sorted(_adjacent(self._cell_list(), None)))
        return self._adj

    def pieces(self) -> list[list[int]]:
        """Region indices grouped into pieces (Definition 3), sorted."""
        if self._pieces is None:
            regs = self._regions
            sets = _DisjointSets(len(regs))
            same = (lambda i, j: regs[i]._out == regs[j]._out)
            pairs = self._adj if self._adj is not None else _adjacent(self._cell_list(), same)
            for i, j in pairs:
                if same(i, j):
                    sets.union(i, j)
            self._pieces = sets.groups()
        return self._pieces

    @property
    def n_pieces(self) -> int:
        """Number of pieces: maximal connected sets where the function is affine."""
        return len(self.pieces())

    def pieces_connected(self) -> list[list[int]]:
        """Definition 3 read literally ("maximal connected"): regions with the same affine
        map are joined when their closures share any point, a single vertex included,
        not only a facet as in :meth:`pieces` (the reading every verify row uses).

        Decided exactly: closures of P and Q meet iff max t subject to x in P,
        a . x + c >= t on Q's inequalities, t <= 1, is >= 0 (one exact LP per pair of
        same-map regions in different facet-pieces)."""
        from ..convex.polyhedra import Polyhedron
        regs = self._regions
        groups = self.pieces()
        sets = _DisjointSets(len(groups))
        find = sets.find
        n = self.n_inputs
        for a in range(len(groups)):
            for b in range(a + 1, len(groups)):
                if regs[groups[a][0]]._out != regs[groups[b][0]]._out or find(a) == find(b):
                    continue
                for i in groups[a]:
                    if any(_closures_meet(Polyhedron, n, regs[i].inequalities,
                                          regs[j].inequalities) for j in groups[b]):
                        sets.union(a, b)
                        break
        return sorted(sorted(m for g in c for m in groups[g]) for c in sets.groups())

    @property
    def n_pieces_connected(self) -> int:
        """Number of pieces under the literal "maximal connected" reading: see
        :meth:`pieces_connected` (never more than :attr:`n_pieces`)."""
        return len(self.pieces_connected())

    def total_area(self) -> Fraction:
        """Exact total area of the regions (n = 2, inside a box)."""
        return sum((r.area for r in self._regions), Fraction(0))

    def polygons(self, window: Any = None) -> list[Any]:
        """shapely polygons of the regions (n = 2); unbounded ones clipped to ``window``
        (default: the box, else a square containing every vertex)."""
        if self.n_inputs != 2:
            raise DimensionError(f"polygons: only for n = 2, these regions are in "
                                 f"R^{self.n_inputs}")
        return [r.polygon(window if window is not None else self.box or self.default_window())
                for r in self._regions]

    def default_window(self) -> list[tuple[Fraction, Fraction]]:
        """A square containing every finite vertex, with a margin."""
        big = Fraction(1)
        for r in self._regions:
            for c in r._cells:
                for g in _gens(c):
                    if g[-1]:
                        big = max(big, *(abs(Fraction(a, g[-1])) for a in g[:-1]))
        big = Fraction(math.ceil(big * Fraction(5, 4)))
        return [(-big, big)] * self.n_inputs

    def tiling_defect(self) -> float:
        """Float cross-check (shapely): |box area - union area| + |sum of areas - box area|.

        Zero up to rounding when the regions tile the box."""
        from shapely import unary_union
        polys = self.polygons()
        win = self.box or self.default_window()
        full = float((win[0][1] - win[0][0]) * (win[1][1] - win[1][0]))
        return abs(unary_union(polys).area - full) + abs(sum(p.area for p in polys) - full)

    def __repr__(self) -> str:
        where = "R^%d" % self.n_inputs if self.box is None else "a box in R^%d" % self.n_inputs
        return f"<LinearRegions of {where}: {self.n_regions} regions>"

    # ------------------------------- conveniences reaching up (one-line delegations)
    def plot(self, ax: Any = None, *, window: Any = None, color: str = "piece",
             boundary: bool = False) -> Any:
        """Draw the regions (n = 2), coloured by piece or by region; ``boundary=True``
        draws the decision boundary over them. Neighbours get different colours; with
        ``ax=None`` it draws into ``plt.gca()``. Returns the axes."""
        from ..paper.plotting import plot_regions
        return plot_regions(self, ax, window=window, color=color, boundary=boundary)

    def decision_boundary(self) -> Any:
        """The exact argmax-tie set (zero level set for one output), n = 2; see
        :mod:`relugeom.boundary`."""
        from .boundary import decision_boundary
        return decision_boundary(self)

    def locate(self, x: Any) -> "Region":
        """The region containing the rational point ``x`` (on a boundary: the first of
        those whose closure contains it); see :func:`relugeom.boundary.locate`."""
        from .boundary import locate
        return locate(self, x)

    def locate_all(self, x: Any) -> list["Region"]:
        """Every region whose closure contains ``x``."""
        from .boundary import locate_all
        return locate_all(self, x)

    def to_networkx(self) -> Any:
        """The region adjacency graph with region attributes (needs networkx); see
        :mod:`relugeom.interop.networkx_io`."""
        from ..interop.networkx_io import to_networkx
        return to_networkx(self)

    def _repr_svg_(self) -> str | None:
        from ..paper.reprs import repr_svg
        return repr_svg(self)

    def _repr_html_(self) -> str | None:
        from ..paper.reprs import repr_html
        return repr_html(self)


def regions_of_cpwl(f: Any, box: Any = None) -> "LinearRegions":
    """The cells of a :class:`~relugeom.functions.cpwl.CPWLFunction` as a
    :class:`LinearRegions` (one region per cell; for plots), optionally clipped to a box."""
    from ..convex.polyhedra import Polyhedron
    n, cells = f._n, f._cells
    if box is not None:
        box = as_box(box, n)
    den = math.lcm(*(q.denominator for _, cs, c in cells for q in (*cs, c)))
    records = []
    for i, (rows, cs, c) in enumerate(cells):
        extra = []
        if box is not None:
            for j, (lo, hi) in enumerate(box):
                e = [Fraction(0)] * (n + 1)
                e[j], e[-1] = Fraction(1), -lo
                extra.append(tuple(e))
                e = [Fraction(0)] * (n + 1)
                e[j], e[-1] = Fraction(-1), hi
                extra.append(tuple(e))
        P = Polyhedron(list(rows) + extra, n)
        outn = (tuple(int(q * den) for q in (*cs, c)),)
        for cone in P.cones():
            geom = _cone_to_polygon(cone) if n == 2 else cone
            records.append((geom, ("cell", i), outn, 0))
    return LinearRegions._from_records(n, 1, records, den, box=box, merged=True)

"""Continuous piecewise-linear functions R^n -> R.

A :class:`CPWLFunction` is a finite list of full-dimensional convex cells (exact
inequalities ``a . x + c >= 0``) with one affine map each. ``==`` is structural (same cells,
same maps, canonical order); :meth:`CPWLFunction.equals` decides functional equality
exactly (cells with different maps must not overlap in an open set). Networks computing
them (Theorem 2.1) are built in :mod:`relugeom.maxaffine`.

>>> import relugeom as rg
>>> f = rg.CPWLFunction.from_network(rg.network_from_max_affine([((1, 0), 0), ((0, 1), 0)]))
>>> f((3, "1/2")), f.n_pieces, f.n_cells
(Fraction(3, 1), 2, 4)
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Any, Iterable

from ..errors import DimensionError, DomainError, NotExactError
from ..numbers.encoding import (decode_rational, encode_rational, field, json_list, rational_list,
                 rational_rows, register_json_type)
from ..convex.cells import _adjacent, _DisjointSets
from ..convex.polygon import _cone_to_polygon
from ..convex.polyhedra import Polyhedron, integer_hyperplane
from ..numbers.rational import as_rational, short

__all__ = ["CPWLFunction"]

Affine = tuple[tuple[Fraction, ...], Fraction]


_ORDERED = (list, tuple)


def _ordered(x: Any, what: str, expected: str) -> list:
    """``x`` as a list if it is a list, tuple or 1-D array (never a string read as a
    sequence, nor an unordered set or dict)."""
    try:
        import numpy as np
        if isinstance(x, np.ndarray) and x.ndim >= 1:
            return list(x)
    except ImportError:                                         # pragma: no cover
        pass
    if not isinstance(x, _ORDERED):
        raise DimensionError(f"{what}: expected {expected}, got {short(x)} of type "
                             f"{type(x).__name__}")
    return list(x)


def _check_n(n: Any) -> int | None:
    if n is None:
        return None
    if isinstance(n, bool) or not isinstance(n, int):
        raise NotExactError(f"CPWLFunction: n_inputs must be a positive int, got "
                            f"{short(n)} of type {type(n).__name__}")
    if n < 1:
        raise DomainError(f"CPWLFunction: n_inputs must be at least 1, got {short(n)}")
    return n


def _affine(m: Any, n: int | None, what: str) -> Affine:
    m = _ordered(m, what, "(coefficients, constant)")
    if len(m) != 2:
        raise DimensionError(f"{what}: expected (coefficients, constant), got {short(m)}")
    coeffs = _ordered(m[0], f"{what} coefficients", "a sequence of rationals")
    cs = tuple(as_rational(v, what=f"{what} coefficient {j}") for j, v in enumerate(coeffs))
    if n is not None and len(cs) != n:
        raise DimensionError(f"{what}: has {len(cs)} coefficients, expected {short(n)} "
                             f"(n_inputs)")
    if not cs:
        raise DimensionError(f"{what}: needs at least one coefficient")
    return cs, as_rational(m[1], what=f"{what} constant")


class CPWLFunction:
    """A continuous piecewise-linear function R^n -> R given by cells and affine maps.

    Parameters
    ----------
    cells : iterable of (inequalities, (coefficients, constant))
        Each cell is ``{x : a . x + c >= 0 for (a_1..a_n, c) in inequalities}``, full
        dimensional, and the function is ``coefficients . x + constant`` there.
    n_inputs : int, optional
        Needed only when it cannot be read off the cells.

    Examples
    --------
    >>> import relugeom as rg
    >>> relu2 = rg.CPWLFunction([([(1, 0, 0)], ((1, 0), 0)), ([(-1, 0, 0)], ((0, 0), 0))])
    >>> relu2((2, 5)), relu2.n_pieces
    (Fraction(2, 1), 2)

    Cells and inequalities must be lists or tuples (a string is never read as a
    sequence); ``n_inputs`` must be a positive int. Cells may repeat or overlap where
    their maps agree; pieces count the maximal connected sets of one map.
    """

    __slots__ = ("_n", "_cells", "_adj", "_hash", "_given")

    def __init__(self, cells: Iterable[tuple[Any, Any]], n_inputs: int | None = None, *,
                 validate: bool = True):
        n_inputs = _check_n(n_inputs)
        if isinstance(cells, (str, bytes, dict, set, frozenset)) or \
                not isinstance(cells, Iterable):
            raise DimensionError(f"CPWLFunction: expected a list of cells (inequalities, "
                                 f"map), got {short(cells)} of type {type(cells).__name__}")
        out = []
        for i, cell in enumerate(cells):
            cell = _ordered(cell, f"CPWLFunction: cell {i}", "(inequalities, map)")
            if len(cell) != 2:
                raise DimensionError(f"CPWLFunction: cell {i} must be (inequalities, map), "
                                     f"got {short(cell)}")
            ineqs, m = cell
            cs, c = _affine(m, n_inputs, f"cell {i} map")
            n_inputs = len(cs)
            ineqs = _ordered(ineqs, f"CPWLFunction: cell {i} inequalities",
                             "a list of rows (a_1, ..., a_n, c)")
            rows = tuple(sorted(integer_hyperplane(
                _ordered(r, f"CPWLFunction: cell {i} inequality {j}",
                         "a row (a_1, ..., a_n, c)"))
                for j, r in enumerate(ineqs)))
            if any(len(r) != n_inputs + 1 for r in rows):
                raise DimensionError(f"CPWLFunction: cell {i} has an inequality without "
                                     f"{n_inputs} coefficients and a constant")
            out.append((rows, cs, c))
        if not out:
            raise DomainError("CPWLFunction: need at least one cell")
        self._n = n_inputs
        self._adj = None
        self._hash = None
        self._given = validate          # user cells: may repeat or overlap
        if validate:
            self._cells = tuple(out)
            self._validate()            # reports cells by their index as given
            self._adj = None
        self._cells = tuple(sorted(out))

    def _validate(self) -> None:
        """Every cell full-dimensional; the function well defined and continuous.

        Exact: cells with different maps must have disjoint interiors, and two cells
        meeting in an (n-1)-dimensional set lie on opposite sides of one hyperplane h, on
        which their maps agree exactly when the difference of the maps is a multiple of h.
        Where the cells cover a convex set (R^n, a box) agreement across shared facets is
        continuity: around a point of lower-dimensional contact the cells are linked
        through facets.
        """
        n = self._n
        polys = [Polyhedron(rows, n) for rows, _, _ in self._cells]
        for i, P in enumerate(polys):
            if P.is_empty:
                ineqs = [" ".join(short(v) for v in r) for r in self._cells[i][0][:6]]
                raise DomainError(f"CPWLFunction: cell {i} (inequalities {ineqs}) has empty "
                                  f"interior; cells must be full-dimensional")
        boxes = self._boxes()
        cells = self._cells
        for i, j in itertools.combinations(range(len(cells)), 2):
            (ri, ci, di), (rj, cj, dj) = cells[i], cells[j]
            if (ci, di) == (cj, dj) or _apart(boxes[i], boxes[j]):
                continue
            if not Polyhedron(ri + rj, n).is_empty:
                raise DomainError(f"CPWLFunction: cells {i} and {j} overlap in an open set "
                                  f"but have different maps")
        facets = [{tuple(int(v) for v in r) for r in P.facets()} for P in polys]
        for i, j in self._adjacency():
            (_, ci, di), (_, cj, dj) = cells[i], cells[j]
            if (ci, di) == (cj, dj):
                continue
            shared = [h for h in facets[i] if tuple(-v for v in h) in facets[j]]
            diff = integer_hyperplane([a - b for a, b in zip(ci, cj)] + [di - dj])
            if not any(diff == h or diff == tuple(-v for v in h) for h in shared):
                raise DomainError(f"CPWLFunction: not continuous: cells {i} and {j} share a "
                                  f"facet on which their maps differ")

    # ------------------------------------------------------------------ queries
    @property
    def n_inputs(self) -> int:
        """Input dimension n."""
        return self._n

    @property
    def cells(self) -> tuple[tuple[tuple[tuple[Fraction, ...], ...], Affine], ...]:
        """((inequalities), (coefficients, constant)) per cell, canonical order."""
        return tuple((tuple(tuple(Fraction(v) for v in r) for r in rows), (cs, c))
                     for rows, cs, c in self._cells)

    @property
    def n_cells(self) -> int:
        """Number of convex cells."""
        return len(self._cells)

    @property
    def affine_maps(self) -> tuple[Affine, ...]:
        """The distinct affine maps, sorted."""
        return tuple(sorted({(cs, c) for _, cs, c in self._cells}))

    def _cell_geometry(self) -> list[tuple[int, Any]]:
        """(cell index, cone or planar polygon) for every pointed piece of every cell."""
        out = []
        for i, (rows, _, _) in enumerate(self._cells):
            for cone in Polyhedron(rows, self._n).cones():
                out.append((i, _cone_to_polygon(cone) if self._n == 2 else cone))
        return out

    def _adjacency(self) -> tuple[tuple[int, int], ...]:
        """Pairs (i, j), i < j, of cells sharing an (n-1)-dimensional boundary piece."""
        if self._adj is None:
            self._adj = tuple(sorted(_adjacent(self._cell_geometry(), None)))
        return self._adj

    def _piece_groups(self) -> list[list[int]]:
        """Cell indices grouped into facet-connected sets of one affine map, sorted."""
        sets = _DisjointSets(len(self._cells))
        for i, j in self._adjacency():
            if self._cells[i][1:] == self._cells[j][1:]:
                sets.union(i, j)
        return sets.groups()

    @property
    def n_pieces(self) -> int:
        """Pieces (Definition 3): maximal connected sets where the function is affine.

        In one dimension the cells are intervals and the count is exact for repeated or
        overlapping cells: intervals of one map that meet are merged.
        """
        if self._n == 1:
            return _pieces_1d(self._cells)
        groups = self._piece_groups()            # facet-adjacent cells of one map
        if not self._given or len(groups) < 2:
            return len(groups)
        # cells given by the user may repeat or overlap: join cells of one map that
        # share interior (exact polyhedron test, float boxes only to skip far pairs)
        sets = _DisjointSets(len(groups))
        group_of = {c: g for g, cells in enumerate(groups) for c in cells}
        by_map: dict[Any, list[int]] = {}
        for i, (_, cs, c) in enumerate(self._cells):
            by_map.setdefault((cs, c), []).append(i)
        boxes = self._boxes()
        for idx in by_map.values():
            for i, j in itertools.combinations(idx, 2):
                gi, gj = sets.find(group_of[i]), sets.find(group_of[j])
                if gi == gj or _apart(boxes[i], boxes[j]):
                    continue
                if self._cells[i][0] == self._cells[j][0] or not Polyhedron(
                        self._cells[i][0] + self._cells[j][0], self._n).is_empty:
                    sets.union(gi, gj)
        return len(sets.groups())

    def __call__(self, x: Any) -> Fraction:
        """Exact value at the rational point ``x``."""
        if hasattr(x, "tolist") and getattr(x, "ndim", 0) >= 1:
            x = x.tolist()
        if isinstance(x, (set, frozenset, dict)):
            raise DimensionError(f"the point must be an ordered sequence, got {short(x)}")
        pt = [as_rational(v, what=f"x[{i}]") for i, v in
              enumerate(x if isinstance(x, (list, tuple)) else [x])]
        if len(pt) != self._n:
            raise DimensionError(f"the function has {self._n} inputs, got {len(pt)}")
        for rows, cs, c in self._cells:
            if all(sum((Fraction(a) * b for a, b in zip(r, pt)), Fraction(r[-1])) >= 0
                   for r in rows):
                return sum((a * b for a, b in zip(cs, pt)), c)
        raise DomainError(f"the point {tuple(short(v) for v in pt)} lies in no cell")

    def equals(self, other: "CPWLFunction", domain: Any = None) -> bool:
        """Functional equality, exactly: the same domain (the union of the cells), and
        cells with different maps never share interior. With ``domain`` (a box or a
        Polyhedron) both functions are first restricted to it."""
        if not isinstance(other, CPWLFunction):
            raise NotExactError(f"equals: expected a CPWLFunction, got {short(other)} of "
                                f"type {type(other).__name__}")
        if other._n != self._n:
            return False
        if domain is not None:
            return self._restricted(domain).equals(other._restricted(domain))
        mine, theirs = self._boxes(), other._boxes()
        for (rows, cs, c), bi in zip(self._cells, mine):
            for (rows2, cs2, c2), bj in zip(other._cells, theirs):
                if (cs, c) == (cs2, c2) or _apart(bi, bj):
                    continue
                if not Polyhedron(list(rows) + list(rows2), self._n).is_empty:
                    return False
        return self._covered_by(other) and other._covered_by(self)

    def _restricted(self, domain: Any) -> "CPWLFunction":
        """The cells intersected with a box or Polyhedron (empty parts dropped)."""
        from ..convex.polyhedra import as_box
        if isinstance(domain, Polyhedron):
            if domain.n != self._n:
                raise DimensionError(f"equals: the domain is in R^{domain.n}, the "
                                     f"function has {self._n} inputs")
            extra = [tuple(r) for r in domain.inequalities]
        else:
            extra = []
            for i, (lo, hi) in enumerate(as_box(domain, self._n)):
                e = [Fraction(0)] * self._n
                e[i] = Fraction(1)
                extra += [tuple(e) + (-lo,), tuple(-v for v in e) + (hi,)]
        cells = [(list(rows) + extra, (cs, c)) for rows, cs, c in self._cells
                 if not Polyhedron(list(rows) + extra, self._n).is_empty]
        if not cells:
            raise DomainError("equals: the domain misses every cell")
        return CPWLFunction(cells, self._n)

    def _covered_by(self, other: "CPWLFunction") -> bool:
        """Is every cell of ``self`` inside the union of the cells of ``other`` (exact)?

        Each cell minus the other cells one by one (P minus Q is the union of
        P & {h_1 <= 0}, P & {h_1 >= 0, h_2 <= 0}, ... over the rows of Q), keeping only
        full-dimensional parts: nothing left means covered up to a null set, hence
        covered, as the cells are closed and equal the closure of their interiors.
        """
        theirs = other._boxes()
        for (rows, _, _), bi in zip(self._cells, self._boxes()):
            left = list(Polyhedron(rows, self._n).cones())
            for (rows2, _, _), bj in zip(other._cells, theirs):
                if not left:
                    break
                if _apart(bi, bj):
                    continue
                hs = [h for h in rows2 if any(h[:-1])]
                new = []
                for piece in left:
                    cur = piece
                    for h in hs:
                        inside, outside = cur.split(h)
                        if outside is not None:
                            new.append(outside)
                        cur = inside
                        if cur is None:
                            break
                left = new
            if left:
                return False
        return True

    def _boxes(self) -> list[tuple[Any, Any]]:
        """Padded float bounding boxes of the cells (only to skip disjoint pairs); a cell
        whose coordinates do not fit a float gets the whole space."""
        import numpy as np
        out = []
        for rows, _, _ in self._cells:
            lo = np.full(self._n, np.inf)
            hi = np.full(self._n, -np.inf)
            try:
                for cone in Polyhedron(rows, self._n).cones():
                    for g in cone.gens:
                        if g[-1]:
                            x = np.array([a / g[-1] for a in g[:-1]])
                            lo, hi = np.minimum(lo, x), np.maximum(hi, x)
                        else:
                            d = np.array(g[:-1], dtype=float)
                            lo = np.where(d < 0, -np.inf, lo)
                            hi = np.where(d > 0, np.inf, hi)
            except OverflowError:
                lo, hi = np.full(self._n, -np.inf), np.full(self._n, np.inf)
            with np.errstate(over="ignore", invalid="ignore"):
                pad = 1e-6 * (1 + np.where(np.isfinite(lo), np.abs(lo), 0)
                              + np.where(np.isfinite(hi), np.abs(hi), 0))
            out.append((lo - pad, hi + pad))
        return out

    def __eq__(self, other: object) -> bool:
        """Structural equality (same cells and maps). Use ``equals`` for functions."""
        if not isinstance(other, CPWLFunction):
            return NotImplemented
        return self._n == other._n and self._cells == other._cells

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(("CPWLFunction", self._n, self._cells))
        return self._hash

    def __bool__(self) -> bool:
        """Refused (NotExactError, a TypeError): the truth value of a function is
        ambiguous; use ``==`` or :meth:`equals`."""
        raise NotExactError("the truth value of a function is ambiguous; use == "
                            "(structural) or .equals (functional)")

    def __repr__(self) -> str:
        return f"<CPWLFunction R^{self._n} -> R, {len(self._cells)} cells>"

    # ------------------------------- conveniences reaching up (one-line delegations)
    @classmethod
    def from_network(cls, net: Any, box: Any = None, *, force: bool = False
                     ) -> "CPWLFunction":
        """The function of a one-output network: one cell per activation region
        (:func:`relugeom.geometry.regions.cpwl_from_network`; ``force`` as in
        :func:`relugeom.linear_regions`)."""
        from ..geometry.regions import cpwl_from_network
        return cpwl_from_network(net, box, force=force)

    def _regions(self, box: Any = None) -> Any:
        """The cells as a :class:`~relugeom.geometry.regionset.LinearRegions` (plots)."""
        from ..geometry.regionset import regions_of_cpwl
        return regions_of_cpwl(self, box)

    def _repr_html_(self) -> str | None:
        from ..paper.reprs import repr_html
        return repr_html(self)


def _pieces_1d(cells: Any) -> int:
    """Pieces of a 1-D function from its cells (rows ``(a, c)`` meaning ``a x + c >= 0``):
    sort the intervals, merge those of one map that meet, count the runs. Exact."""
    ivs = []
    for rows, cs, c in cells:
        lo: Fraction | None = None          # None: unbounded
        hi: Fraction | None = None
        empty = False
        for a, b in rows:
            if a > 0:
                t = Fraction(-b, a)
                lo = t if lo is None or t > lo else lo
            elif a < 0:
                t = Fraction(-b, a)
                hi = t if hi is None or t < hi else hi
            elif b < 0:
                empty = True
        if empty or (lo is not None and hi is not None and lo >= hi):
            continue                         # no interior: not a piece
        ivs.append((lo, hi, (cs, c)))
    # sort by left end, -infinity first
    ivs.sort(key=lambda t: (t[0] is not None, t[0] if t[0] is not None else 0))
    pieces = 0
    cur_hi: Fraction | None = None
    cur_map = None
    unbounded = False                       # the current run extends to +infinity
    for lo, hi, m in ivs:
        meets = pieces and (unbounded or lo is None or (cur_hi is not None and lo <= cur_hi))
        if meets and m == cur_map:
            if hi is None:
                unbounded = True
            elif not unbounded and hi > cur_hi:
                cur_hi = hi
            continue
        pieces += 1
        cur_map, cur_hi, unbounded = m, hi, hi is None
    return pieces


def _apart(a: tuple[Any, Any], b: tuple[Any, Any]) -> bool:
    """Padded float boxes that do not meet: the cells are disjoint (a filter only)."""
    return bool((a[0] > b[1]).any() or (b[0] > a[1]).any())


# ---------------------------------------------------------------------- JSON
def _encode(f: CPWLFunction) -> dict:
    return {"n_inputs": f.n_inputs,
            "cells": [{"inequalities": [[encode_rational(Fraction(v)) for v in r]
                                        for r in rows],
                       "coefficients": [encode_rational(q) for q in cs],
                       "constant": encode_rational(c)} for rows, cs, c in f._cells]}


def _decode(d: dict) -> CPWLFunction:
    n = field(d, "n_inputs")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        from ..errors import SerializationError
        raise SerializationError(f"from_json: CPWLFunction n_inputs must be a positive "
                                 f"integer, got {short(n)}")
    cells = []
    for i, cell in enumerate(json_list(field(d, "cells"), "CPWLFunction cells")):
        where = f"CPWLFunction cells[{i}]"
        rows = rational_rows(field(cell, "inequalities", where), f"cells[{i}].inequalities")
        cs = rational_list(field(cell, "coefficients", where), f"cells[{i}].coefficients")
        c = decode_rational(field(cell, "constant", where), f"cells[{i}].constant")
        cells.append((rows, (cs, c)))
    return CPWLFunction(cells, n)


register_json_type("CPWLFunction", CPWLFunction, _encode, _decode)

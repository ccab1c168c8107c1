"""Continuous piecewise-linear functions R^n -> R, and Theorem 2.1 (networks from them).

A :class:`CPWLFunction` is a finite list of full-dimensional convex cells (exact
inequalities ``a . x + c >= 0``) with one affine map each. ``==`` is structural (same cells,
same maps, canonical order); :meth:`CPWLFunction.equals` decides functional equality
exactly (cells with different maps must not overlap in an open set).

>>> import relugeom as rg
>>> f = rg.CPWLFunction.from_network(rg.network_from_max_affine([((1, 0), 0), ((0, 1), 0)]))
>>> f((3, "1/2")), f.n_pieces, f.n_cells
(Fraction(3, 1), 2, 4)
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable, Sequence

from .errors import DimensionError, DomainError
from .io import decode_rational, encode_rational, field, register_json_type
from .network import ReLUNetwork, maximum_network, minimum_network
from .polyhedra import Polyhedron, integer_hyperplane
from .rational import as_rational

__all__ = ["CPWLFunction", "network_from_max_affine", "network_from_min_affine",
           "network_from_cpwl", "max_min_representation"]

Affine = tuple[tuple[Fraction, ...], Fraction]


def _affine(m: Any, n: int | None, what: str) -> Affine:
    try:
        coeffs, const = m
        cs = tuple(as_rational(v, what=f"{what} coefficient") for v in coeffs)
    except (TypeError, ValueError):
        raise DimensionError(f"{what}: expected (coefficients, constant), got {m!r}") from None
    if n is not None and len(cs) != n:
        raise DimensionError(f"{what}: has {len(cs)} coefficients, expected {n}")
    return cs, as_rational(const, what=f"{what} constant")


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
    """

    __slots__ = ("_n", "_cells", "_lr", "_hash")

    def __init__(self, cells: Iterable[tuple[Any, Any]], n_inputs: int | None = None):
        out = []
        for i, cell in enumerate(cells):
            try:
                ineqs, m = cell
            except (TypeError, ValueError):
                raise DimensionError(f"CPWLFunction: cell {i} must be (inequalities, map)")
            cs, c = _affine(m, n_inputs, f"cell {i} map")
            n_inputs = len(cs)
            rows = tuple(sorted(integer_hyperplane(r) for r in ineqs))
            if any(len(r) != n_inputs + 1 for r in rows):
                raise DimensionError(f"CPWLFunction: cell {i} has an inequality without "
                                     f"{n_inputs} coefficients and a constant")
            out.append((rows, cs, c))
        if not out:
            raise DomainError("CPWLFunction: need at least one cell")
        self._n = n_inputs
        self._cells = tuple(sorted(out))
        self._lr = None
        self._hash = None

    @classmethod
    def from_network(cls, net: ReLUNetwork, box: Any = None) -> "CPWLFunction":
        """The function of a one-output network: one cell per activation region."""
        from .regions import linear_regions
        if net.n_outputs != 1:
            raise DimensionError(f"from_network: the network has {net.n_outputs} outputs, "
                                 f"expected 1")
        lr = linear_regions(net, box=box)
        return cls([(r.inequalities, r.affine_map) for r in lr.regions], net.n_inputs)

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

    def _regions(self, box: Any = None) -> Any:
        """The cells as a :class:`~relugeom.regions.LinearRegions` (for adjacency, plots)."""
        if self._lr is None or box is not None:
            from .regions import LinearRegions, _cone_to_polygon
            den = math.lcm(*(q.denominator for _, cs, c in self._cells for q in (*cs, c)))
            records = []
            for i, (rows, cs, c) in enumerate(self._cells):
                extra = []
                if box is not None:
                    from .polyhedra import as_box
                    for j, (lo, hi) in enumerate(as_box(box, self._n)):
                        e = [Fraction(0)] * (self._n + 1)
                        e[j], e[-1] = Fraction(1), -lo
                        extra.append(tuple(e))
                        e = [Fraction(0)] * (self._n + 1)
                        e[j], e[-1] = Fraction(-1), hi
                        extra.append(tuple(e))
                P = Polyhedron(list(rows) + extra, self._n)
                outn = (tuple(int(q * den) for q in (*cs, c)),)
                for cone in P.cones():
                    geom = _cone_to_polygon(cone) if self._n == 2 else cone
                    records.append((geom, ("cell", i), outn, 0))
            lr = LinearRegions._from_records(self._n, 1, records, den, box=box, merged=True)
            if box is not None:
                return lr
            self._lr = lr
        return self._lr

    @property
    def n_pieces(self) -> int:
        """Pieces (Definition 3): maximal connected sets where the function is affine."""
        return self._regions().n_pieces

    def __call__(self, x: Any) -> Fraction:
        """Exact value at the rational point ``x``."""
        pt = [as_rational(v, what="x") for v in (x if isinstance(x, (list, tuple)) else [x])]
        if len(pt) != self._n:
            raise DimensionError(f"the function has {self._n} inputs, got {len(pt)}")
        for rows, cs, c in self._cells:
            if all(sum((Fraction(a) * b for a, b in zip(r, pt)), Fraction(r[-1])) >= 0
                   for r in rows):
                return sum((a * b for a, b in zip(cs, pt)), c)
        raise DomainError(f"the point {tuple(str(v) for v in pt)} lies in no cell")

    def equals(self, other: "CPWLFunction") -> bool:
        """Functional equality, exactly: cells with different maps never share interior."""
        if not isinstance(other, CPWLFunction):
            raise TypeError(f"equals: expected a CPWLFunction, got {type(other).__name__}")
        if other._n != self._n:
            return False
        for rows, cs, c in self._cells:
            for rows2, cs2, c2 in other._cells:
                if (cs, c) == (cs2, c2):
                    continue
                if not Polyhedron(list(rows) + list(rows2), self._n).is_empty:
                    return False
        return True

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
        raise TypeError("the truth value of a function is ambiguous")

    def __repr__(self) -> str:
        return f"<CPWLFunction R^{self._n} -> R, {len(self._cells)} cells>"


# ---------------------------------------------------------------------- Theorem 2.1
def _affine_net(m: Affine) -> ReLUNetwork:
    return ReLUNetwork._trusted([((m[0],), (m[1],))])


def network_from_max_affine(affine_maps: Sequence[Any]) -> ReLUNetwork:
    """max_i (a_i . x + c_i) as a network of depth ceil(log2 m) + 1 (gadget tree, D.3).

    Examples
    --------
    >>> import relugeom as rg
    >>> net = rg.network_from_max_affine([((1,), 0), ((-1,), 0), ((0,), 1)])
    >>> net.depth, net(-3), net("1/2")
    (3, Fraction(3, 1), Fraction(1, 1))
    """
    maps = [_affine(m, None, f"affine_maps[{i}]") for i, m in enumerate(affine_maps)]
    if not maps:
        raise DimensionError("network_from_max_affine: need at least one affine map")
    n = len(maps[0][0])
    if any(len(m[0]) != n for m in maps):
        raise DimensionError("network_from_max_affine: maps have different input sizes")
    if len(maps) == 1:
        return _affine_net(maps[0])
    return maximum_network(*[_affine_net(m) for m in maps])


def network_from_min_affine(affine_maps: Sequence[Any]) -> ReLUNetwork:
    """min_i (a_i . x + c_i) as a network of depth ceil(log2 m) + 1."""
    maps = [_affine(m, None, f"affine_maps[{i}]") for i, m in enumerate(affine_maps)]
    if len(maps) == 1:
        return _affine_net(maps[0])
    return minimum_network(*[_affine_net(m) for m in maps])


def max_min_representation(f: CPWLFunction) -> list[list[Affine]]:
    """Lattice form f = max_i min_{l in S_i} l (Tarela-Martinez, Ovchinnikov 2002).

    ``S_i`` holds every affine map of ``f`` that is >= the map of cell i on cell i (an
    exact linear program per pair), so min S_i = f on cell i and min S_i <= f elsewhere.
    """
    maps = f.affine_maps
    out = []
    seen = set()
    for rows, cs, c in f._cells:
        P = Polyhedron(rows, f.n_inputs)
        S = []
        for cs2, c2 in maps:
            diff = [a - b for a, b in zip(cs, cs2)]       # l_i - l_j <= 0 on the cell?
            val, _ = P.maximize(diff)
            if val <= c2 - c:
                S.append((cs2, c2))
        key = tuple(S)
        if key not in seen:
            seen.add(key)
            out.append(S)
    return out


def network_from_cpwl(f: CPWLFunction) -> ReLUNetwork:
    """A network computing ``f`` exactly (Theorem 2.1).

    For n = 1 the Wang-Sun form f = l_0 + sum_j s_j max(l_j, l'_j) (|S_j| = 2 = n + 1) gives
    depth 2 = ceil(log2(n + 1)) + 1. For n >= 2 this implementation uses the lattice
    form max_i min_{S_i} (:func:`max_min_representation`), of depth
    ceil(log2 max |S_i|) + ceil(log2 #terms) + 1: correct, but deeper than the theorem's
    ceil(log2(n + 1)) + 1 (the explicit |S_j| <= n + 1 decomposition is not implemented).

    Examples
    --------
    >>> import relugeom as rg
    >>> g = rg.CPWLFunction([([(1, 0)], ((2,), 0)), ([(-1, 0)], ((-1,), 0))])
    >>> net = rg.network_from_cpwl(g)
    >>> net.depth, net(3) == g(3), net(-2) == g(-2)
    (2, True, True)
    """
    if f.n_inputs == 1:
        from .convert import network_from_pwl
        from .pwl import PiecewiseLinear
        pts = set()
        for rows, _, _ in f._cells:
            for r in rows:
                if r[0]:
                    pts.add(Fraction(-r[1], r[0]))
        xs = sorted(pts)
        if not xs:
            (cs, c), = f.affine_maps
            return _affine_net(((cs[0],), c))
        g = PiecewiseLinear.from_points([(x, f(x)) for x in xs],
                                        left_slope=f(xs[0]) - f(xs[0] - 1),
                                        right_slope=f(xs[-1] + 1) - f(xs[-1]))
        return network_from_pwl(g)
    terms = max_min_representation(f)
    inner = [network_from_min_affine(S) for S in terms]
    return inner[0] if len(inner) == 1 else maximum_network(*inner)


# ---------------------------------------------------------------------- JSON
def _encode(f: CPWLFunction) -> dict:
    return {"n_inputs": f.n_inputs,
            "cells": [{"inequalities": [[str(v) for v in r] for r in rows],
                       "coefficients": [encode_rational(q) for q in cs],
                       "constant": encode_rational(c)} for rows, cs, c in f._cells]}


def _decode(d: dict) -> CPWLFunction:
    n = field(d, "n_inputs")
    cells = []
    for i, cell in enumerate(field(d, "cells")):
        rows = [[decode_rational(v, f"cells[{i}].inequalities") for v in r]
                for r in cell["inequalities"]]
        cs = [decode_rational(v, f"cells[{i}].coefficients") for v in cell["coefficients"]]
        cells.append((rows, (cs, decode_rational(cell["constant"], f"cells[{i}].constant"))))
    return CPWLFunction(cells, n)


register_json_type("CPWLFunction", CPWLFunction, _encode, _decode)

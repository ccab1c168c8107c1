"""Zonotopes Z(b^1..b^m) = {sum l_i b^i : -1 <= l_i <= 1}, their support functions and the
ZONOTOPE family of Section 3.2 (Lemma 3.7, Proposition 3.8, Theorem 3.9).

The vertices are read off the normal fan: the central arrangement of the hyperplanes
<b^i, r> = 0 is enumerated exactly (the activation regions of the support network), and the
region with signs s gives the vertex sum s_i b^i. Parallel and zero generators are handled
by the arrangement itself (a repeated hyperplane cuts once, a zero generator never cuts).

>>> import relugeom as rg
>>> Z = rg.Zonotope([(1, 0), (0, 1)])                 # the square [-1, 1]^2
>>> Z.n_vertices, Z.vertices()[0], Z.general_position_count, Z.paper_count
(4, (Fraction(-1, 1), Fraction(-1, 1)), 4, 2)
"""
from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations
from math import comb
from typing import Any, Sequence

from ..config import check_size, get_limit
from ..errors import DimensionError, DomainError, NotExactError, TooLargeError
from ..numbers.encoding import encode_rational, field, rational_rows, register_json_type
from ..networks.network import ReLUNetwork
from ..convex.polyhedra import rank
from ..numbers.rational import as_rational_rows, short
from ..numbers.arrays import _safe_div

__all__ = ["Zonotope", "general_position_count", "paper_vertex_count"]


def _binomial_sum(n: int, m: int, what: str) -> int:
    """sum_{i<n} C(m-1, i) for integers n, m >= 1, exact: 2^(m-1) when n >= m, else
    the shorter of the sum and its complement in 2^(m-1), one term from the last."""
    for name, v in (("n", n), ("m", m)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise NotExactError(f"{what}: {name} must be a positive int, got {short(v)} of "
                                f"type {type(v).__name__}")
        if v < 1:
            raise DomainError(f"{what}: {name} must be at least 1, got {short(v)}")
    M = m - 1
    terms = 1 if n > M else min(n, M - n + 1)
    bits = M if n > M else min(M, terms * M.bit_length())      # size of the largest term
    check_size("max_bytes", terms * bits // 8, what)
    if n > M:
        return 1 << M
    total, c = 0, 1
    for i in range(terms):
        total += c
        c = c * (M - i) // (i + 1)
    return total if terms == n else (1 << M) - total


def general_position_count(n: int, m: int) -> int:
    """Vertices of an n-dimensional zonotope with m generators in general position:
    2 * sum_{i<n} C(m-1, i) (n, m positive ints)."""
    return 2 * _binomial_sum(n, m, "general_position_count")


def paper_vertex_count(n: int, m: int) -> int:
    """The count printed in the paper, sum_{i<n} C(m-1, i) (missing the factor 2)."""
    return _binomial_sum(n, m, "paper_vertex_count")


class Zonotope:
    """The zonotope of rational generators b^1..b^m in R^n (immutable).

    Examples
    --------
    >>> import relugeom as rg
    >>> Z = rg.Zonotope([(1, 0), (0, 1), (1, 1)])       # a hexagon
    >>> Z.n_vertices, Z.is_generic()
    (6, True)
    >>> Z.support_network().size, Z.support_function().n_pieces
    (6, 6)
    >>> rg.Zonotope([(1, 0), (2, 0), (0, 1)]).n_vertices     # parallel generators
    4
    """

    __slots__ = ("_gens", "_n", "_regions", "_verts")

    def __init__(self, generators: Sequence[Sequence[Any]]):
        gens = as_rational_rows(list(generators) if isinstance(generators, (list, tuple))
                                else generators, what="Zonotope generators", row="generator")
        n = len(gens[0])
        self._gens = tuple(gens)
        self._n = n
        self._regions = None
        self._verts = None

    @property
    def generators(self) -> tuple[tuple[Fraction, ...], ...]:
        """The generators b^1..b^m."""
        return self._gens

    @property
    def n(self) -> int:
        """Ambient dimension."""
        return self._n

    @property
    def m(self) -> int:
        """Number of generators."""
        return len(self._gens)

    def _fan(self) -> Any:
        if self._regions is None:
            from .regions import linear_regions
            self._regions = linear_regions(self.support_network())
        return self._regions

    def _vertex(self, region: Any) -> tuple[Fraction, ...]:
        (act,) = region.activation_pattern
        v = [Fraction(0)] * self._n
        for i, b in enumerate(self._gens):
            s = 1 if act[2 * i] else (-1 if act[2 * i + 1] else 0)
            for j in range(self._n):
                v[j] += s * b[j]
        return tuple(v)

    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        """The vertices, exact, sorted lexicographically."""
        if self._verts is None:
            self._verts = tuple(sorted({self._vertex(r) for r in self._fan().regions}))
        return self._verts

    @property
    def n_vertices(self) -> int:
        """Number of vertices."""
        return len(self.vertices())

    def is_generic(self) -> bool:
        """General position: every min(n, m) generators are linearly independent.

        One exact rank per subset of min(n, m) generators: refused with
        :class:`~relugeom.errors.TooLargeError` when there are more subsets than the
        ``max_regions`` limit (the count of vertices of a generic zonotope is alike)."""
        k = min(self._n, self.m)
        subsets = comb(self.m, k)
        if subsets > get_limit("max_regions"):
            raise TooLargeError(f"is_generic: {short(subsets)} subsets of {k} generators to "
                                f"test, over the limit max_regions="
                                f"{get_limit('max_regions')} (raise it with "
                                f"relugeom.limits(max_regions=...))")
        return all(rank(sub) == k for sub in combinations(self._int_generators(), k))

    def _int_generators(self) -> list[tuple[int, ...]]:
        """The generators scaled by one common denominator (same ranks)."""
        den = math.lcm(*(q.denominator for g in self._gens for q in g))
        return [tuple(int(q * den) for q in g) for g in self._gens]

    @property
    def rank(self) -> int:
        """Dimension of the span of the generators (the zonotope's dimension)."""
        return rank(self._int_generators())

    @property
    def general_position_count(self) -> int:
        """2 * sum_{i<n} C(m-1, i): the vertex count in general position."""
        return general_position_count(self._n, self.m)

    @property
    def paper_count(self) -> int:
        """The paper's printed count sum_{i<n} C(m-1, i) (an erratum: the 2 is missing)."""
        return paper_vertex_count(self._n, self.m)

    def support_network(self) -> ReLUNetwork:
        """gamma_Z(r) = sum_i sigma(<b^i, r>) + sigma(-<b^i, r>): one hidden layer of size 2m
        (Lemma 3.7)."""
        rows = []
        for b in self._gens:
            rows.append(b)
            rows.append(tuple(-q for q in b))
        zero = Fraction(0)
        return ReLUNetwork._trusted([(tuple(rows), (zero,) * len(rows)),
                                     ((tuple(Fraction(1) for _ in rows),), (zero,))])

    def support_function(self) -> Any:
        """gamma_Z as a CPWL function with one cell (and one piece) per vertex: on the normal
        cone of the vertex v it is r -> <v, r>."""
        from ..functions.cpwl import CPWLFunction
        cells = [(r.inequalities, (self._vertex(r), Fraction(0))) for r in self._fan().regions]
        return CPWLFunction(cells, self._n, validate=False)

    def to_shapely(self) -> Any:
        """The zonotope as a shapely geometry (floats; n = 2): a ``Polygon`` when the
        generators span R^2, a ``LineString`` (a segment) when they are all parallel, a
        ``Point`` (the origin) when they are all zero."""
        if self._n != 2:
            raise DimensionError(f"to_shapely: only for n = 2, this zonotope is in R^{self._n}")
        from shapely import MultiPoint
        return MultiPoint([(_float(x), _float(y)) for x, y in self.vertices()]).convex_hull

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Zonotope):
            return NotImplemented
        return self._gens == other._gens

    def __hash__(self) -> int:
        return hash(("Zonotope", self._gens))

    def __repr__(self) -> str:
        return f"<Zonotope in R^{self._n}, {self.m} generators>"

    # ------------------------------- conveniences reaching up (one-line delegations)
    def plot(self, ax: Any = None, **kwargs: Any) -> Any:
        """Draw the zonotope and its generators (n = 2); with ``ax=None`` into
        ``plt.gca()``. Returns the axes."""
        from ..paper.plotting import plot_zonotope
        return plot_zonotope(self, ax, **kwargs)

    def _repr_html_(self) -> str | None:
        from ..paper.reprs import repr_html
        return repr_html(self)


def _float(q: Fraction) -> float:
    """``q`` as a float for drawing; a coordinate beyond the float range is refused."""
    f = _safe_div(q.numerator, q.denominator)
    if not math.isfinite(f):
        raise DomainError(f"to_shapely: the coordinate {short(q)} is beyond the float range")
    return f


def _encode(z: Zonotope) -> dict:
    return {"generators": [[encode_rational(q) for q in g] for g in z.generators]}


def _decode(d: dict) -> Zonotope:
    # every generator a JSON array of rationals: a string such as "12" is refused,
    # never read as the digits (1, 2)
    return Zonotope(rational_rows(field(d, "generators", "Zonotope"), "generators"))


register_json_type("Zonotope", Zonotope, _encode, _decode)

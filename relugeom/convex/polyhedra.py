"""Exact polyhedra in R^n: homogeneous integer cones, clipping, exact linear programming.

A polyhedron P = {x : a_i . x + c_i >= 0} is handled through its homogenisation, the
cone {(x, z) : a_i . x + c_i z >= 0, z >= 0} in Z^(n+1). It starts from R^n itself (the
ray (0, ..., 0, 1) plus the lineality space R^n x 0, :func:`whole_space_cone`), so the
cost grows with the cells met, never with 2^n. A cone is stored by a basis of its
lineality space, the extreme rays of its pointed part (primitive integer vectors;
``z > 0`` is a finite vertex ``x / z``, ``z = 0`` a direction to infinity) and, for each
ray, the bit set of the constraints it lies on: the double description. A plane that is
not constant on the lineality space halves it (both sides gain one ray, the lineality
space loses one dimension); otherwise the usual double-description step runs. Clipping by a hyperplane keeps the rays on each side and adds one
new ray on every edge that crosses it; two rays span an edge exactly when no third ray lies
on every constraint they share (the combinatorial adjacency test of Fukuda and Prodon),
so no linear algebra, no tolerance and no float decides anything.

Signs of ``h . v`` are filtered in floating point with a rigorous forward error bound
(``|fl(h . v) - h . v| <= 2 (n + 3) u sum |h_i v_i|``); only the entries the bound cannot
settle are recomputed with Python integers. An exact linear program over ``P`` is then a
maximum over finitely many rays (:meth:`Polyhedron.maximize`): the enumeration itself is
the certificate.

>>> from relugeom.polyhedra import Polyhedron
>>> tri = Polyhedron([(1, 0, 0), (0, 1, 0), (-1, -1, 1)])   # x >= 0, y >= 0, x + y <= 1
>>> tri.vertices(), tri.is_bounded, tri.volume()
(((Fraction(0, 1), Fraction(0, 1)), (Fraction(0, 1), Fraction(1, 1)), (Fraction(1, 1), Fraction(0, 1))), True, Fraction(1, 2))
>>> tri.maximize((1, 2))
(Fraction(2, 1), (Fraction(0, 1), Fraction(1, 1)))
"""
from __future__ import annotations

import functools
import itertools
import math
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError, DomainError
from ..numbers.rational import as_rational, short

__all__ = ["Polyhedron", "Cone", "whole_space_cone", "orthant_cones", "box_cone", "sign_matrix",
           "normalize_hyperplane", "integer_hyperplane", "rank"]

IntVec = tuple[int, ...]
_U = 2.0 ** -53


# ---------------------------------------------------------------------- integer helpers
def _primitive(v: Sequence[int]) -> IntVec:
    g = math.gcd(*v)
    return tuple(v) if g <= 1 else tuple(x // g for x in v)


_UNORDERED = (str, bytes, bytearray, set, frozenset, dict)


def _vector(x: Any, what: str) -> list[Fraction]:
    """``x`` as a list of rationals: a list, tuple, 1-D array or iterator (a string, set
    or dict is refused, never read as digits or in hash order)."""
    if isinstance(x, np.ndarray):
        if x.ndim != 1:
            raise DimensionError(f"{what}: expected a 1-D sequence of rationals, got an "
                                 f"array of shape {x.shape}")
        x = x.tolist()
    if isinstance(x, _UNORDERED) or not isinstance(x, Iterable):
        raise DimensionError(f"{what}: expected an ordered sequence of rationals, got "
                             f"{short(x)} of type {type(x).__name__}")
    return [as_rational(v, what=f"{what}[{i}]") for i, v in enumerate(x)]


def normalize_hyperplane(h: Sequence[int]) -> IntVec:
    """The primitive integer multiple of the integer vector ``h``, same orientation
    (:func:`integer_hyperplane` takes rationals)."""
    qs = _vector(h, "normalize_hyperplane")
    for i, q in enumerate(qs):
        if q.denominator != 1:
            raise DomainError(f"normalize_hyperplane: entry {i} is {short(q)}, expected an "
                              f"integer (integer_hyperplane scales rationals)")
    return _primitive([q.numerator for q in qs])


def integer_hyperplane(coeffs: Sequence[Any]) -> IntVec:
    """Rational coefficients ``(a_1, ..., a_n, c)`` scaled to a primitive integer vector
    with the same orientation (``a . x + c >= 0`` describes the same half-space)."""
    qs = _vector(coeffs, "inequality")
    den = math.lcm(*(q.denominator for q in qs))
    return _primitive([int(q * den) for q in qs])


def _dot(h: Sequence[int], v: Sequence[int]) -> int:
    return sum(a * b for a, b in zip(h, v))


def sign_matrix(H: Sequence[Sequence[int]], G: Sequence[Sequence[int]]) -> np.ndarray:
    """Exact signs of ``h . g`` for all rows ``h`` of ``H`` and ``g`` of ``G`` (int8 array).

    A float product decides every entry whose magnitude exceeds a rigorous bound on its
    rounding error; the others are recomputed with Python integers.
    """
    if not len(H) or not len(G):
        return np.zeros((len(H), len(G)), dtype=np.int8)
    try:
        Hf = H.astype(np.float64) if isinstance(H, np.ndarray) else np.array(H, dtype=np.float64)
        Gf = np.array(G, dtype=np.float64)
    except OverflowError:
        rows = [[int(v) for v in h] for h in H]
        return np.array([[(d > 0) - (d < 0) for d in (_dot(h, g) for g in G)] for h in rows],
                        dtype=np.int8).reshape(len(H), len(G))
    V = Hf @ Gf.T
    bound = (np.abs(Hf) @ np.abs(Gf).T) * (2.0 * (Hf.shape[1] + 3) * _U)
    S = np.sign(V).astype(np.int8)
    unsure = ~(np.abs(V) > bound)
    if unsure.any():
        for i, j in zip(*np.nonzero(unsure)):
            d = _dot([int(v) for v in H[i]], G[j])
            S[i, j] = (d > 0) - (d < 0)
    return S


def _row(r: Any, i: int) -> Sequence[Any]:
    if isinstance(r, np.ndarray) and r.ndim == 1:
        return r.tolist()            # Python ints: numpy's int64 would overflow silently
    if not isinstance(r, (list, tuple)):
        raise DimensionError(f"rank: row {i} is {short(r)}, expected a list or tuple")
    return r


def rank(rows: Iterable[Sequence[int]]) -> int:
    """Exact rank of an integer (or rational) matrix (fraction-free elimination)."""
    if isinstance(rows, _UNORDERED) or not isinstance(rows, Iterable):
        raise DimensionError(f"rank: expected a sequence of rows, got {short(rows)}")
    M = [[v if type(v) is int else as_rational(v, what=f"rank: entry [{i}][{j}]")
          for j, v in enumerate(_row(r, i))] for i, r in enumerate(rows)]
    if not M:
        return 0
    r = 0
    ncols = len(M[0])
    if any(len(row) != ncols for row in M):
        raise DimensionError(f"rank: rows of different lengths "
                             f"{sorted({len(row) for row in M})}")
    for c in range(ncols):
        piv = next((i for i in range(r, len(M)) if M[i][c] != 0), None)
        if piv is None:
            continue
        M[r], M[piv] = M[piv], M[r]
        p = M[r]
        for i in range(r + 1, len(M)):
            if M[i][c]:
                f = M[i][c]
                M[i] = [p[c] * a - f * b for a, b in zip(M[i], p)]
        r += 1
        if r == len(M):
            break
    return r


# ---------------------------------------------------------------------- cones
class Cone:
    """A polyhedral cone in Z^(n+1) (z >= 0) in double description (internal).

    The cone is ``span(lin) + cone(rays)``: ``lin`` is a basis of the lineality space
    (integer vectors with ``z = 0``; empty for a pointed cone) and ``rays`` are primitive
    extreme rays of the pointed part, ``incs[i]`` the bit set of ``planes`` containing
    ``rays[i]``; ``planes`` are the primitive constraint vectors ``h`` with ``h . g >= 0``
    (every plane contains the lineality space). ``gens`` is a conic generating set:
    ``rays`` followed by ``+l, -l`` for each lineality vector, so a sign test over
    ``gens`` sees a plane that crosses the lineality space as crossing the cone.
    """

    __slots__ = ("rays", "incs", "planes", "lin", "_gens")

    def __init__(self, rays: list[IntVec], incs: list[int], planes: list[IntVec],
                 lin: Sequence[IntVec] = ()):
        self.rays = rays
        self.incs = incs
        self.planes = planes
        self.lin = tuple(lin)
        self._gens: list[IntVec] | None = None

    @property
    def gens(self) -> list[IntVec]:
        """Generators as a cone: the rays, then ``+l, -l`` for each lineality vector."""
        if self._gens is None:
            g = list(self.rays)
            for v in self.lin:
                g.append(v)
                g.append(tuple(-x for x in v))
            self._gens = g
        return self._gens

    @property
    def n(self) -> int:
        """Dimension of the affine space (rays have n + 1 coordinates)."""
        return len(self.rays[0]) - 1

    def split(self, h: IntVec, signs: Sequence[int] | None = None
              ) -> tuple["Cone | None", "Cone | None"]:
        """The parts with ``h >= 0`` and ``h <= 0``, each ``None`` unless it has a ray
        strictly on its side (so a part is returned only when it is full-dimensional
        relative to this cone). ``signs`` (optional) are the signs of ``h`` on ``gens``
        (only the entries of ``rays`` are read)."""
        h = tuple(h)
        if self.lin:
            lv = [_dot(h, v) for v in self.lin]
            j = next((i for i, v in enumerate(lv) if v), None)
            if j is not None:
                return self._split_lineality(h, lv, j)
        rays, incs = self.rays, self.incs
        if signs is None:
            signs = sign_matrix([h], rays)[0].tolist()
        m = len(rays)
        pos = [i for i in range(m) if signs[i] > 0]
        neg = [i for i in range(m) if signs[i] < 0]
        if not neg:
            return (self, None) if pos else (None, None)
        if not pos:
            return None, self
        k = len(self.planes)
        bit = 1 << k
        need = self.n - 1 - len(self.lin)
        new_rays: list[IntVec] = []
        new_incs: list[int] = []
        hv = {i: _dot(h, rays[i]) for i in pos + neg}
        on = _rays_on_planes(incs, k)          # on[p]: bit set of the rays on plane p
        every = (1 << m) - 1
        for u in pos:
            iu = incs[u]
            for v in neg:
                c = iu & incs[v]
                if c.bit_count() < need:
                    continue
                pair = (1 << u) | (1 << v)     # adjacent iff no third ray lies on all of c
                common = every
                while c and common != pair:
                    low = c & -c
                    common &= on[low.bit_length() - 1]
                    c ^= low
                if common != pair:
                    continue
                c = iu & incs[v]
                su, sv = hv[u], -hv[v]
                gu, gv = rays[u], rays[v]
                new_rays.append(_primitive([su * b + sv * a for a, b in zip(gu, gv)]))
                new_incs.append(c | bit)
        zero = [i for i in range(m) if signs[i] == 0]
        planes_p = self.planes + [h]
        planes_m = self.planes + [tuple(-x for x in h)]
        zg = [rays[i] for i in zero]
        zi = [incs[i] | bit for i in zero]
        plus = Cone([rays[i] for i in pos] + zg + new_rays,
                    [incs[i] for i in pos] + zi + new_incs, planes_p, self.lin)
        minus = Cone([rays[i] for i in neg] + zg + new_rays,
                     [incs[i] for i in neg] + zi + list(new_incs), planes_m, self.lin)
        return plus, minus

    def _split_lineality(self, h: IntVec, lv: list[int], j: int) -> tuple["Cone", "Cone"]:
        """Split by a plane that is not constant on the lineality space: every ray and
        every other lineality vector is moved into ``h = 0`` along ``l = lin[j]`` (which
        changes nothing modulo the lineality space), and ``+l`` / ``-l`` become the new
        rays of the two halves. The lineality space loses one dimension."""
        l = self.lin[j]
        hl = lv[j]
        if hl < 0:
            l, hl = tuple(-x for x in l), -hl
        lin = [_primitive([hl * a - lv[i] * b for a, b in zip(self.lin[i], l)])
               for i in range(len(self.lin)) if i != j]
        rays = []
        for r in self.rays:
            hr = _dot(h, r)
            rays.append(_primitive([hl * a - hr * b for a, b in zip(r, l)]) if hr else r)
        k = len(self.planes)
        bit = 1 << k
        incs = [i | bit for i in self.incs]
        full = bit - 1                      # l lies on every old plane, not on h
        neg_l = tuple(-x for x in l)
        plus = Cone(rays + [l], incs + [full], self.planes + [h], lin)
        minus = Cone(list(rays) + [neg_l], list(incs) + [full],
                     self.planes + [tuple(-x for x in h)], lin)
        return plus, minus

    def facet_indices(self) -> list[int]:
        """Indices of planes that carry a facet (their rays and the lineality space span
        n dimensions)."""
        out = []
        n = self.n
        lin = list(self.lin)
        seen: set[int] = set()
        for k in range(len(self.planes)):
            bit = 1 << k
            members = [g for g, inc in zip(self.rays, self.incs) if inc & bit]
            if len(members) + len(lin) < n:
                continue
            key = sum(1 << i for i, inc in enumerate(self.incs) if inc & bit)
            if key in seen:
                continue
            if rank(members + lin) == n:
                seen.add(key)
                out.append(k)
        return out

    def face(self, k: int) -> "Cone":
        """The face on plane ``k`` (its rays keep their incidences)."""
        bit = 1 << k
        idx = [i for i, inc in enumerate(self.incs) if inc & bit]
        return Cone([self.rays[i] for i in idx], [self.incs[i] for i in idx], self.planes,
                    self.lin)

    def interior_ray(self) -> tuple[Fraction, ...]:
        """A point in the relative interior, as (x_1, ..., x_n) when some ray is finite."""
        n = self.n
        acc = [Fraction(0)] * (n + 1)
        for g in self.rays:
            s = g[n] if g[n] else sum(abs(a) for a in g)
            for i in range(n + 1):
                acc[i] += Fraction(g[i], s)
        z = acc[n]
        return tuple(a / z for a in acc[:n])


def _rays_on_planes(incs: Sequence[int], k: int) -> list[int]:
    """For each of the k planes, the bit set of the rays lying on it."""
    on = [0] * k
    for i, inc in enumerate(incs):
        bit = 1 << i
        while inc:
            low = inc & -inc
            on[low.bit_length() - 1] |= bit
            inc ^= low
    return on


def _check_dim(n: Any, what: str) -> None:
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise DimensionError(f"{what}: the dimension n must be an integer >= 1, got "
                             f"{short(n)}")


def whole_space_cone(n: int) -> Cone:
    """All of R^n as one cone: the ray (0, ..., 0, 1) plus the lineality space R^n x 0
    (the only plane is z >= 0)."""
    _check_dim(n, "whole_space_cone")
    check_size("max_matrix_entries", n * (n + 1), "whole_space_cone")
    z = tuple([0] * n + [1])
    lin = [tuple(1 if j == i else 0 for j in range(n + 1)) for i in range(n)]
    return Cone([z], [0], [z], lin)


def orthant_cones(n: int) -> list[Cone]:
    """The 2^n closed orthants of R^n as pointed cones (signs in lexicographic order).

    No longer used by the enumeration (which starts from :func:`whole_space_cone`); kept
    as an independent route for tests."""
    _check_dim(n, "orthant_cones")
    check_size("max_matrix_entries", 2 ** n * (n + 1), "orthant_cones")
    out = []
    for signs in itertools.product((1, -1), repeat=n):
        gens = [tuple([0] * n + [1])]
        planes = []
        for i, s in enumerate(signs):
            e = [0] * (n + 1)
            e[i] = s
            gens.append(tuple(e))
            planes.append(tuple(e))
        planes.append(tuple([0] * n + [1]))
        # origin lies on every orthant plane; ray i lies on all planes except plane i
        full = (1 << n) - 1
        incs = [full] + [(full & ~(1 << i)) | (1 << n) for i in range(n)]
        out.append(Cone(gens, incs, planes))
    return out


def box_cone(box: Sequence[tuple[Fraction, Fraction]]) -> Cone:
    """The box prod [lo_i, hi_i] as a pointed cone (its 2^n corners)."""
    if not isinstance(box, (list, tuple)):
        raise DimensionError(f"box_cone: expected a list of (lo, hi) pairs, got "
                             f"{short(box)}")
    box = as_box(box, len(box))
    n = len(box)
    check_size("max_matrix_entries", 2 ** n * (n + 1), "box_cone")
    planes: list[IntVec] = []
    for i, (lo, hi) in enumerate(box):
        for coeff, c in ((1, -lo), (-1, hi)):     # x_i - lo >= 0, hi - x_i >= 0
            v = [Fraction(0)] * n + [c]
            v[i] = Fraction(coeff)
            planes.append(integer_hyperplane(v))
    gens, incs = [], []
    for corner in itertools.product((0, 1), repeat=n):
        pt = [box[i][c] for i, c in enumerate(corner)]
        den = math.lcm(*(q.denominator for q in pt))
        gens.append(_primitive([int(q * den) for q in pt] + [den]))
        incs.append(sum(1 << (2 * i + c) for i, c in enumerate(corner)))
    return Cone(gens, incs, planes)


class _Box(list):
    """A box :func:`as_box` has validated (a list of Fraction pairs): given back as it
    is, so that the layers of one call validate it once."""

    __slots__ = ("key",)


def as_box(box: Any, n: int) -> list[tuple[Fraction, Fraction]]:
    """Validate ``[(lo_1, hi_1), ..., (lo_n, hi_n)]`` into Fractions.

    The box and each pair must be ordered sequences: a string (``"0,1"``), a set or a
    dict is refused with :class:`~relugeom.errors.DimensionError`, never read as digits
    or in hash order."""
    if type(box) is _Box and len(box) == n:
        return box
    try:
        items = None if isinstance(box, _UNORDERED) else list(box)
        if items is not None and not any(isinstance(p, _UNORDERED) for p in items):
            pairs = [tuple(p) for p in items]
        else:
            raise DimensionError(f"box must be a list of (lo, hi) pairs, got {short(box)}; "
                                 f"strings, sets and dicts are not ordered pairs")
    except TypeError:
        raise DimensionError(f"box must be a sequence of (lo, hi) pairs, got "
                             f"{short(box)}") from None
    if len(pairs) != n or any(len(p) != 2 for p in pairs):
        raise DimensionError(f"box must have {short(n)} (lo, hi) pairs for {short(n)} "
                             f"inputs, got {short(box)}")
    out = [(as_rational(a, what=f"box[{i}].lo"), as_rational(b, what=f"box[{i}].hi"))
           for i, (a, b) in enumerate(pairs)]
    for i, (a, b) in enumerate(out):
        if not a < b:
            raise DomainError(f"box: need lo < hi in coordinate {i}, got [{short(a)}, "
                              f"{short(b)}]")
    out = _Box(out)
    out.key = tuple((q.numerator, q.denominator) for p in out for q in p)
    return out


# ---------------------------------------------------------------------- polyhedra
class Polyhedron:
    """A full-dimensional-or-empty polyhedron {x in R^n : a . x + c >= 0 for each row}.

    Parameters
    ----------
    inequalities : sequence of rows (a_1, ..., a_n, c), rational
        Each row says ``a . x + c >= 0``.
    n : int, optional
        The dimension (needed only when there are no rows).

    Notes
    -----
    Immutable; the exact double description is computed on first use. Polyhedra with
    empty interior are reported as such (``is_empty``): only full-dimensional cells
    arise as regions of networks and CPWL functions.

    Examples
    --------
    >>> from relugeom.polyhedra import Polyhedron
    >>> P = Polyhedron([(1, 0, 0), (0, 1, 0)])           # the closed first quadrant
    >>> P.is_bounded, P.interior_point(), P.maximize((-1, -1))
    (False, (Fraction(1, 1), Fraction(1, 1)), (Fraction(0, 1), (Fraction(0, 1), Fraction(0, 1))))
    """

    __slots__ = ("_n", "_rows", "_cones", "_facets")

    def __init__(self, inequalities: Iterable[Sequence[Any]], n: int | None = None):
        if isinstance(inequalities, _UNORDERED) or not isinstance(inequalities, Iterable):
            raise DimensionError(f"Polyhedron: expected a sequence of rows (a_1, ..., a_n, "
                                 f"c), got {short(inequalities)} of type "
                                 f"{type(inequalities).__name__}")
        rows = [integer_hyperplane(r) for r in inequalities]
        if n is None:
            if not rows:
                raise DimensionError("Polyhedron: give n when there are no inequalities")
            n = len(rows[0]) - 1
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise DimensionError(f"Polyhedron: the dimension n must be an integer >= 1, got "
                                 f"{short(n)}" + (" (rows need n coefficients and a constant)"
                                             if rows else ""))
        for i, r in enumerate(rows):
            if len(r) != n + 1:
                raise DimensionError(f"Polyhedron: row {i} has {len(r)} entries, expected "
                                     f"{short(n + 1)} (n coefficients and a constant)")
        self._n = n
        self._rows = tuple(rows)
        self._cones: list[Cone] | None = None
        self._facets: tuple[IntVec, ...] | None = None

    @classmethod
    def _from_cones(cls, n: int, rows: Sequence[IntVec], cones: list[Cone]) -> "Polyhedron":
        self = object.__new__(cls)
        self._n, self._rows, self._cones, self._facets = n, tuple(rows), cones, None
        return self

    @property
    def n(self) -> int:
        """The dimension of the ambient space."""
        return self._n

    @property
    def inequalities(self) -> tuple[tuple[Fraction, ...], ...]:
        """The rows as given (scaled to primitive integers), ``a . x + c >= 0``."""
        return tuple(tuple(Fraction(v) for v in r) for r in self._rows)

    def cones(self) -> list[Cone]:
        """The double description: one cone (``[]`` when P has empty interior), which
        may have a lineality space; built from R^n itself, one inequality at a time."""
        if self._cones is None:
            cones = [whole_space_cone(self._n)]
            for h in self._rows:
                if not any(h[:-1]):
                    if h[-1] < 0:
                        cones = []
                    continue
                cones = [p for c in cones for p in (c.split(h)[0],) if p is not None]
            self._cones = cones
        return self._cones

    @property
    def is_empty(self) -> bool:
        """True when P has empty interior."""
        return not self.cones()

    @property
    def is_bounded(self) -> bool:
        """True when P is bounded (no ray to infinity)."""
        return all(g[-1] > 0 for c in self.cones() for g in c.gens)

    def _require(self, what: str) -> list[Cone]:
        cones = self.cones()
        if not cones:
            raise DomainError(f"{what}: the polyhedron has empty interior")
        return cones

    def interior_point(self) -> tuple[Fraction, ...]:
        """A rational point in the interior."""
        return self._require("interior_point")[0].interior_ray()

    def contains(self, x: Sequence[Any]) -> bool:
        """True when the rational point ``x`` satisfies every inequality."""
        pt = _vector(x, "contains: x")
        if len(pt) != self._n:
            raise DimensionError(f"contains: polyhedron in R^{self._n}, point has {len(pt)} "
                                 f"coordinates")
        return all(sum((a * b for a, b in zip(r, pt)), Fraction(r[-1])) >= 0
                   for r in self._rows)

    def facets(self) -> tuple[tuple[Fraction, ...], ...]:
        """The non-redundant inequalities (one per facet), canonical order."""
        if self._facets is None:
            cones = self._require("facets")
            mine = {r for r in self._rows if any(r[:-1])}
            found: set[IntVec] = set()
            for c in cones:
                for k in c.facet_indices():
                    if c.planes[k] in mine:
                        found.add(c.planes[k])
            self._facets = tuple(sorted(found))
        return tuple(tuple(Fraction(v) for v in r) for r in self._facets)

    def vertices(self) -> tuple[tuple[Fraction, ...], ...]:
        """The vertices (sorted); empty when P contains a line."""
        cones = self._require("vertices")
        rows = [r for r in self._rows if any(r[:-1])]
        out = set()
        for c in cones:
            for g in c.gens:
                if g[-1] == 0:
                    continue
                tight = [r[:-1] for r in rows if _dot(r, g) == 0]
                if rank(tight) == self._n:
                    out.add(tuple(Fraction(a, g[-1]) for a in g[:-1]))
        return tuple(sorted(out))

    def maximize(self, c: Sequence[Any]) -> tuple[Fraction | float, tuple[Fraction, ...] | None]:
        """Exact linear program: ``max c . x`` over P, with a maximiser.

        Returns ``(value, point)``, or ``(math.inf, None)`` when unbounded above.
        """
        cq = _vector(c, "maximize: c")
        if len(cq) != self._n:
            raise DimensionError(f"maximize: objective has {len(cq)} entries, expected "
                                 f"{self._n}")
        best: Fraction | None = None
        arg = None
        for cone in self._require("maximize"):
            for g in cone.gens:
                val = sum((a * b for a, b in zip(cq, g[:-1])), Fraction(0))
                if g[-1] == 0:
                    if val > 0:
                        return math.inf, None
                    continue
                val /= g[-1]
                if best is None or val > best:
                    best, arg = val, tuple(Fraction(a, g[-1]) for a in g[:-1])
        return best, arg  # type: ignore[return-value]

    def volume(self) -> Fraction:
        """Exact area of a bounded polygon (n = 2)."""
        if self._n != 2:
            raise DimensionError(f"volume is implemented for n = 2, this polyhedron has "
                                 f"n = {self._n}")
        if not self.is_bounded:
            raise DomainError("volume: the polygon is unbounded")
        return sum((polygon_area(_convex_order(c.gens)) for c in self.cones()), Fraction(0))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Polyhedron):
            return NotImplemented
        return self._n == other._n and self._rows == other._rows

    def __hash__(self) -> int:
        return hash(("Polyhedron", self._n, self._rows))

    def __repr__(self) -> str:
        return f"<Polyhedron in R^{short(self._n)}, {len(self._rows)} inequalities>"


def _convex_order(gens: Sequence[IntVec]) -> list[tuple[Fraction, Fraction]]:
    """Finite points of a bounded 2-D cone (homogeneous integer rays) in counter-clockwise
    order (exact)."""
    return _ccw([(Fraction(g[0], g[2]), Fraction(g[1], g[2])) for g in gens])


def _ccw(points: Sequence[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Points in convex position (rational, in the plane) in counter-clockwise order
    around their centroid (exact)."""
    pts = list(points)
    cx = sum((p[0] for p in pts), Fraction(0)) / len(pts)
    cy = sum((p[1] for p in pts), Fraction(0)) / len(pts)

    def half(p: tuple[Fraction, Fraction]) -> int:
        dx, dy = p[0] - cx, p[1] - cy
        return 0 if (dy > 0 or (dy == 0 and dx > 0)) else 1

    def cmp(p: tuple[Fraction, Fraction], q: tuple[Fraction, Fraction]) -> int:
        hp, hq = half(p), half(q)
        if hp != hq:
            return hp - hq
        cr = (p[0] - cx) * (q[1] - cy) - (p[1] - cy) * (q[0] - cx)
        return -1 if cr > 0 else (1 if cr < 0 else 0)

    pts.sort(key=functools.cmp_to_key(cmp))
    return pts


def polygon_area(points: Sequence[Sequence[Fraction]]) -> Fraction:
    """Exact shoelace area of a simple polygon given in cyclic order."""
    s = Fraction(0)
    k = len(points)
    for i in range(k):
        x1, y1 = points[i][0], points[i][1]
        x2, y2 = points[(i + 1) % k][0], points[(i + 1) % k][1]
        s += x1 * y2 - x2 * y1
    return abs(s) / 2

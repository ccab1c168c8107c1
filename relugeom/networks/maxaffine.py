"""Max-affine representations of CPWL functions, and Theorem 2.1 (networks from them).

Every continuous piecewise-linear f: R^n -> R is a signed sum of maxima of at most n + 1
affine maps (:func:`wang_sun_representation`, built on :func:`convex_representation`); a
maximum of m affine maps is a gadget tree of depth ceil(log2 m) + 1
(:func:`network_from_max_affine`), so :func:`network_from_cpwl` computes f exactly at depth
<= ceil(log2(n + 1)) + 1 (Theorem 2.1). :func:`max_min_representation` gives the lattice
form max_i min_{l in S_i} l. The functions are :class:`~relugeom.cpwl.CPWLFunction`.

>>> import relugeom as rg
>>> net = rg.network_from_max_affine([((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)])
>>> net.depth, net((2, "1/2"))
(3, Fraction(2, 1))
"""
from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any, Sequence

from ..functions.cpwl import Affine, CPWLFunction, _affine, _apart
from ..errors import DimensionError, DomainError, NotExactError
from .network import ReLUNetwork, maximum_network, minimum_network, sum_networks
from ..convex.polyhedra import Polyhedron, integer_hyperplane, rank

__all__ = ["network_from_max_affine", "network_from_min_affine", "network_from_cpwl",
           "max_min_representation", "convex_representation", "wang_sun_representation",
           "network_from_terms"]


# ---------------------------------------------------------------------- Theorem 2.1
def _affine_net(m: Affine) -> ReLUNetwork:
    return ReLUNetwork._trusted([((m[0],), (m[1],))])


def _maps(affine_maps: Any, what: str) -> list[Affine]:
    """The affine maps, refused up front when not a sequence or when the gadget tree
    (8 m^2 weights in its first layer) is over ``max_weights``."""
    from ..config import check_size
    from ..numbers.rational import short
    if isinstance(affine_maps, (str, bytes, set, frozenset, dict)) or \
            not hasattr(affine_maps, "__iter__"):
        raise NotExactError(f"{what}: expected a sequence of (coefficients, constant) "
                            f"maps, got {short(affine_maps)} ({type(affine_maps).__name__})")
    if hasattr(affine_maps, "__len__"):
        check_size("max_weights", 8 * len(affine_maps) ** 2, what)
    return [_affine(m, None, f"{what}: affine_maps[{i}]") for i, m in enumerate(affine_maps)]


def network_from_max_affine(affine_maps: Sequence[Any]) -> ReLUNetwork:
    """max_i (a_i . x + c_i) as a network of depth ceil(log2 m) + 1 (gadget tree, D.3).

    Examples
    --------
    >>> import relugeom as rg
    >>> net = rg.network_from_max_affine([((1,), 0), ((-1,), 0), ((0,), 1)])
    >>> net.depth, net(-3), net("1/2")
    (3, Fraction(3, 1), Fraction(1, 1))
    """
    maps = _maps(affine_maps, "network_from_max_affine")
    if not maps:
        raise DimensionError("network_from_max_affine: need at least one affine map")
    n = len(maps[0][0])
    bad = next((i for i, m in enumerate(maps) if len(m[0]) != n), None)
    if bad is not None:
        raise DimensionError(f"network_from_max_affine: affine_maps[0] has {n} "
                             f"coefficients but affine_maps[{bad}] has {len(maps[bad][0])}")
    if len(maps) == 1:
        return _affine_net(maps[0])
    return maximum_network(*[_affine_net(m) for m in maps])


def network_from_min_affine(affine_maps: Sequence[Any]) -> ReLUNetwork:
    """min_i (a_i . x + c_i) as a network of depth ceil(log2 m) + 1."""
    maps = _maps(affine_maps, "network_from_min_affine")
    if not maps:
        raise DimensionError("network_from_min_affine: need at least one affine map")
    n = len(maps[0][0])
    bad = next((i for i, m in enumerate(maps) if len(m[0]) != n), None)
    if bad is not None:
        raise DimensionError(f"network_from_min_affine: affine_maps[0] has {n} "
                             f"coefficients but affine_maps[{bad}] has {len(maps[bad][0])}")
    if len(maps) == 1:
        return _affine_net(maps[0])
    return minimum_network(*[_affine_net(m) for m in maps])


def _need_cpwl(f: Any, who: str) -> None:
    if not isinstance(f, CPWLFunction):
        raise NotExactError(f"{who}: expected a CPWLFunction, got {type(f).__name__} "
                            f"(build one with CPWLFunction.from_network or from_pieces)")


def _need_sequence(x: Any, who: str) -> None:
    if isinstance(x, (str, bytes, dict, set, frozenset)) or not hasattr(x, "__iter__"):
        raise NotExactError(f"{who}: expected a sequence, got {type(x).__name__}")


def max_min_representation(f: CPWLFunction) -> list[list[Affine]]:
    """Lattice form f = max_i min_{l in S_i} l (Tarela-Martinez, Ovchinnikov 2002).

    ``S_i`` holds every affine map of ``f`` that is >= the map of cell i on cell i (an
    exact linear program per pair), so min S_i = f on cell i and min S_i <= f elsewhere.
    """
    _need_cpwl(f, "max_min_representation")
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


# ---------------------------------------------------------------------- Wang-Sun form
Term = tuple[int, tuple[Affine, ...]]


class _Degenerate(Exception):
    """The perturbation heights were not generic: draw new ones."""


def _solve(rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction]
           ) -> list[Fraction] | None:
    """A solution of ``rows . x = rhs`` (free variables 0), or None when inconsistent."""
    A = [list(r) + [v] for r, v in zip(rows, rhs)]
    ncol = len(A[0]) - 1 if A else 0
    piv: list[int] = []
    r = 0
    for c in range(ncol):
        p = next((i for i in range(r, len(A)) if A[i][c]), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        inv = 1 / A[r][c]
        A[r] = [v * inv for v in A[r]]
        for i in range(len(A)):
            if i != r and A[i][c]:
                fac = A[i][c]
                A[i] = [a - fac * b for a, b in zip(A[i], A[r])]
        piv.append(c)
        r += 1
    if any(A[i][-1] for i in range(r, len(A))):
        return None
    x = [Fraction(0)] * ncol
    for i, c in enumerate(piv):
        x[c] = A[i][-1]
    return x


def _affine_rank(points: Sequence[Sequence[Fraction]]) -> int:
    if len(points) <= 1:
        return 0
    p0 = points[0]
    return rank([[a - b for a, b in zip(p, p0)] for p in points[1:]])


def _value(m: Affine, x: Sequence[Fraction]) -> Fraction:
    return sum((a * b for a, b in zip(m[0], x)), m[1])


def _upper_simplices(cell: Sequence[int], beta: Sequence[tuple[Fraction, ...]],
                     w: Sequence[int], d: int) -> list[frozenset[int]]:
    """The regular triangulation of the points ``beta[i], i in cell`` (affinely spanning
    R^d) lifted by the heights ``w``: the (d+1)-subsets whose lifted hyperplane has every
    other lifted point strictly below it."""
    if len(cell) == d + 1:
        return [frozenset(cell)]
    out = []
    for T in itertools.combinations(cell, d + 1):
        sol = _solve([list(beta[i]) + [Fraction(1)] for i in T], [Fraction(w[i]) for i in T])
        if sol is None or _affine_rank([beta[i] for i in T]) < d:
            continue
        above = True
        for j in cell:
            if j in T:
                continue
            v = sum((g * b for g, b in zip(sol, beta[j])), sol[-1]) - w[j]
            if v == 0:
                raise _Degenerate
            if v < 0:
                above = False
                break
        if above:
            out.append(frozenset(T))
    return out


def _tie_points(ms: Sequence[Affine], beta: Sequence[tuple[Fraction, ...]], d: int
                ) -> list[list[Fraction]]:
    """A point where l_i are all equal, for every d + 1 maps with affinely independent
    gradients: every vertex of max_i l_i (modulo its lineality space) is among them."""
    cand = []
    for T in itertools.combinations(range(len(ms)), d + 1):
        if _affine_rank([beta[i] for i in T]) < d:
            continue
        a0, c0 = ms[T[0]]
        x = _solve([[a - b for a, b in zip(ms[i][0], a0)] for i in T[1:]],
                   [c0 - ms[i][1] for i in T[1:]])
        if x is not None:
            cand.append(x)
    return cand


def _vertex_cells(cand: Sequence[Sequence[Fraction]], ms: Sequence[Affine],
                  beta: Sequence[tuple[Fraction, ...]], d: int) -> set[tuple[int, ...]]:
    """The maps active at each candidate point whose gradients span d dimensions: the
    maximal cells of the regular subdivision."""
    cells = set()
    for x in cand:
        vals = [_value(mp, x) for mp in ms]
        top = max(vals)
        S = tuple(i for i, v in enumerate(vals) if v == top)
        if S not in cells and _affine_rank([beta[i] for i in S]) == d:
            cells.add(S)
    return cells


def _triangulate(cells: set[tuple[int, ...]], beta: Sequence[tuple[Fraction, ...]], d: int
                 ) -> set[frozenset[int]]:
    """One regular triangulation of all the cells (the same generic heights for all)."""
    import random
    for seed in range(20):
        rng = random.Random(seed)
        w = [rng.randrange(1, 1 << 40) for _ in beta]
        try:
            return {T for S in sorted(cells) for T in _upper_simplices(S, beta, w, d)}
        except _Degenerate:
            continue
    raise DomainError("convex_representation: no generic heights found")  # pragma: no cover


def _fills_hull(simplices: set[frozenset[int]], beta: Sequence[tuple[Fraction, ...]],
                d: int) -> bool:
    """Do the simplices cover conv(beta)? Exact: non-empty, and every (d-1)-face on only
    one simplex has all of beta on one side of its hyperplane (a face inside the hull
    would have points strictly on both sides)."""
    if not simplices:
        return False
    count: dict[frozenset[int], int] = {}
    for T in simplices:
        for i in T:
            F = T - {i}
            count[F] = count.get(F, 0) + 1
    for F, k in count.items():
        if k != 1:
            continue
        pts = [beta[i] for i in sorted(F)]
        # normal of the hyperplane through the d points of F (inside R^d)
        rows = [[a - b for a, b in zip(p, pts[0])] for p in pts[1:]]
        normal = _kernel_vector(rows, d)
        sides = {(v > 0) - (v < 0) for v in
                 (sum(a * (b - c) for a, b, c in zip(normal, q, pts[0])) for q in beta)}
        if {1, -1} <= sides:
            return False
    return True


def _kernel_vector(rows: Sequence[Sequence[Fraction]], d: int) -> list[Fraction]:
    """A non-zero vector orthogonal to the d - 1 independent ``rows`` in R^d."""
    for j in range(d):
        e = [Fraction(int(i == j)) for i in range(d)]
        sol = _solve(list(rows) + [e], [Fraction(0)] * len(rows) + [Fraction(1)])
        if sol is not None:
            return sol
    raise DomainError("convex_representation: degenerate face")  # pragma: no cover


def convex_representation(maps: Sequence[Any], planes: Sequence[Sequence[Any]] | None = None
                          ) -> list[Term]:
    """max_i l_i as a signed sum of maxima of at most n + 1 of the l_i (exact).

    Parameters
    ----------
    maps : sequence of (coefficients, constant)
        The affine maps l_i on R^n.
    planes : sequence of (a_1, ..., a_n, c), optional
        Hyperplanes containing every kink of max_i l_i (speeds up the vertex search);
        by default every vertex is searched among ties of n + 1 maps.

    Returns
    -------
    list of (sign, maps)
        ``max_i l_i = sum sign * max(maps)``, each ``maps`` of length <= n + 1.

    Notes
    -----
    The cells of max_i l_i are dual to the regular subdivision of the gradients a_i
    lifted to the heights c_i (the upper hull of the points (a_i, c_i)). Its maximal cells
    are the sets of maps active at the vertices of max_i l_i; each is triangulated by the
    regular triangulation for generic integer heights w_i (the same w for all cells, so
    the pieces fit: this is the lexicographic refinement c + eps w). The support function
    is a valuation, so inclusion-exclusion over the triangulation T gives

        max_i l_i = sum over faces tau of T not on the boundary of conv{a_i}
                    of (-1)^(d + 1 - |tau|) max_{i in tau} l_i,

    with d = dim aff{a_i} <= n, so |tau| <= d + 1 (valuation property of support
    functions; e.g. max(l_0, l_1, l_2) = max(l_0, l_1) + max(l_1, l_2) - l_1 when l_1 is
    the middle piece). The number of terms is the number of interior faces of T.

    Examples
    --------
    >>> from relugeom.maxaffine import convex_representation
    >>> for s, ms in convex_representation([((-1,), 0), ((0,), 1), ((1,), 0)]):
    ...     print(s, [m[0][0] for m in ms])
    -1 [Fraction(0, 1)]
    1 [Fraction(-1, 1), Fraction(0, 1)]
    1 [Fraction(0, 1), Fraction(1, 1)]
    """
    ms = _checked_maps(maps, planes)
    n = len(ms[0][0])
    grads = [m[0] for m in ms]
    d = _affine_rank(grads)
    if d == 0:
        return [(1, (max(ms, key=lambda m: m[1]),))]
    J = next(J for J in itertools.combinations(range(n), d)
             if _affine_rank([[g[j] for j in J] for g in grads]) == d)
    beta = [tuple(g[j] for j in J) for g in grads]
    # candidate points: on d independent kink hyperplanes (given ones, or ties l_i = l_j)
    cand: list[list[Fraction]] = []
    m = len(ms)
    if planes is not None:
        hs = [integer_hyperplane(h) for h in planes]
        hs = [h for h in hs if any(h[:-1])]
    if planes is not None and math.comb(len(hs), d) <= math.comb(m, d + 1):
        for T in itertools.combinations(hs, d):
            x = _solve([[Fraction(v) for v in h[:-1]] for h in T], [Fraction(-h[-1]) for h in T])
            if x is not None:
                cand.append(x)
    else:
        planes = None
        cand = _tie_points(ms, beta, d)
    simplices = _triangulate(_vertex_cells(cand, ms, beta, d), beta, d)
    if planes is not None and not _fills_hull(simplices, beta, d):
        # the given planes missed vertices of max_i l_i: search all ties instead
        simplices = _triangulate(_vertex_cells(_tie_points(ms, beta, d), ms, beta, d),
                                 beta, d)
    if not _fills_hull(simplices, beta, d):    # pragma: no cover - a bug, never a result
        raise DomainError("convex_representation: the vertex cells do not cover the "
                          "Newton polytope")
    return _interior_faces(simplices, ms, d)


def _checked_maps(maps: Any, planes: Any) -> list:
    """The distinct affine maps, sorted, all in one dimension (typed errors otherwise)."""
    _need_sequence(maps, "convex_representation: maps")
    if planes is not None:
        _need_sequence(planes, "convex_representation: planes")
    given = [_affine(m, None, f"maps[{i}]") for i, m in enumerate(maps)]
    if not given:
        raise DimensionError("convex_representation: need at least one affine map")
    for i, m in enumerate(given):           # one dimension for all maps
        if len(m[0]) != len(given[0][0]):
            raise DimensionError(f"convex_representation: maps[{i}] has {len(m[0])} "
                                 f"coefficients but maps[0] has {len(given[0][0])}")
    return sorted(set(given))


def _interior_faces(simplices: list, ms: list, d: int) -> list[Term]:
    """Inclusion-exclusion over the triangulation: every face not on the boundary of the
    Newton polytope, with sign (-1)^(d + 1 - |face|)."""
    count: dict[frozenset[int], int] = {}
    for T in simplices:
        for i in T:
            F = T - {i}
            count[F] = count.get(F, 0) + 1
    boundary = [F for F, k in count.items() if k == 1]
    faces = set()
    for T in simplices:
        for r in range(1, d + 2):
            faces.update(frozenset(c) for c in itertools.combinations(sorted(T), r))
    terms = []
    for F in sorted(faces, key=lambda F: (len(F), sorted(F))):
        if any(F <= B for B in boundary):
            continue
        terms.append((-1 if (d + 1 - len(F)) % 2 else 1, tuple(ms[i] for i in sorted(F))))
    return terms


def _side(cones: Sequence[Any], h: Sequence[int]) -> int:
    """+1 / -1 when the cell lies in h >= 0 / h <= 0, 0 when h cuts its interior."""
    pos = neg = False
    for c in cones:
        for g in c.gens:
            v = sum(a * b for a, b in zip(h, g))
            pos, neg = pos or v > 0, neg or v < 0
    return 0 if pos and neg else (1 if pos else -1)


def wang_sun_representation(f: CPWLFunction) -> list[Term]:
    """f = sum_j s_j max_{l in S_j} l with s_j = +-1 and |S_j| <= n + 1, exactly.

    Returns
    -------
    list of (sign, maps)
        The terms (s_j, S_j); affine terms have one map.

    Notes
    -----
    Construction (Wang and Sun 2005, made explicit): let H_k be the hyperplanes bounding
    the cells of f (primitive integer h_k). Across H_k the gradient of f jumps by
    mu * grad h_k; with M_k = max(0, -mu) / 2 over all pairs of cells on opposite sides of
    H_k whose maps differ by a multiple of h_k, the function g = f + sum_k M_k |h_k| is
    convex (it is convex across every facet), and affine on every cell of f cut by the
    H_k with M_k > 0. So f = max(maps of g) - sum_k max(M_k h_k, -M_k h_k), and
    :func:`convex_representation` writes the first part with maxima of <= n + 1 maps.
    When f is convex, every M_k is 0 and g = f.

    Examples
    --------
    >>> import relugeom as rg
    >>> from relugeom.maxaffine import wang_sun_representation
    >>> f = rg.CPWLFunction.from_network(rg.network_from_min_affine([((1, 0), 0), ((0, 1), 0)]))
    >>> [(s, len(ms)) for s, ms in wang_sun_representation(f)]
    [(1, 1), (-1, 2)]
    """
    _need_cpwl(f, "wang_sun_representation")
    n = f.n_inputs
    planes: dict[tuple[int, ...], None] = {}
    for rows, _, _ in f._cells:
        for r in rows:
            if any(r[:-1]):
                s = next(v for v in r if v)
                planes[tuple(r) if s > 0 else tuple(-v for v in r)] = None
    hs = list(planes)
    cones = [Polyhedron(rows, n).cones() for rows, _, _ in f._cells]
    weights = []
    for h in hs:
        k = next(i for i, v in enumerate(h) if v)
        sides = [_side(cs_, h) for cs_ in cones]
        need = Fraction(0)
        for i, (_, cs, c) in enumerate(f._cells):
            if sides[i] <= 0:
                continue
            for j, (_, cs2, c2) in enumerate(f._cells):
                if sides[j] >= 0:
                    continue
                diff = [a - b for a, b in zip(cs, cs2)] + [c - c2]
                mu = diff[k] / h[k]
                if all(dv == mu * hv for dv, hv in zip(diff, h)) and mu < 0:
                    need = max(need, -mu / 2)
        weights.append(need)
    maps: set[Affine] = set()
    for (rows, cs, c), cell_cones in zip(f._cells, cones):
        pieces = [(cone, list(cs) + [c]) for cone in cell_cones]
        for h, M in zip(hs, weights):
            if not M:
                continue
            new = []
            for cone, mp in pieces:
                p, q = cone.split(h)
                if p is not None:
                    new.append((p, [a + M * b for a, b in zip(mp, h)]))
                if q is not None:
                    new.append((q, [a - M * b for a, b in zip(mp, h)]))
            pieces = new
        maps.update((tuple(mp[:-1]), mp[-1]) for _, mp in pieces)
    terms = convex_representation(sorted(maps), [[Fraction(v) for v in h] for h in hs])
    for h, M in zip(hs, weights):
        if M:
            up = (tuple(M * v for v in h[:-1]), M * h[-1])
            terms.append((-1, (up, (tuple(-v for v in up[0]), -up[1]))))
    return terms


def network_from_terms(terms: Sequence[Term]) -> ReLUNetwork:
    """The network of sum_j s_j max(S_j): one gadget tree per term, run in parallel.

    Affine terms are folded into the first non-affine one (s max(l_i) + L =
    s max(l_i + s L)); the depth is ceil(log2 max |S_j|) + 1, shallower trees padded with
    identity blocks (Lemmas D.2, D.3).

    Each term is ``(s, maps)`` with the sign s = +1 or -1 (any other value is refused:
    scale the maps instead) and a non-empty sequence of (coefficients, constant) maps, all
    with the same number of inputs.

    Examples
    --------
    >>> import relugeom as rg
    >>> net = rg.network_from_terms([(1, [((1,), 0), ((0,), 0)]), (-1, [((0,), 1)])])
    >>> net(3), net(-3)
    (Fraction(2, 1), Fraction(-1, 1))
    """
    terms = _terms(terms)
    n = len(terms[0][1][0][0])
    lin = [Fraction(0)] * (n + 1)
    big = []
    for s, ms in terms:
        if len(ms) == 1:
            (cs, c), = ms
            lin = [a + s * b for a, b in zip(lin, list(cs) + [c])]
        else:
            big.append((s, ms))
    if not big:
        return _affine_net((tuple(lin[:-1]), lin[-1]))
    s0, ms0 = big[0]
    big[0] = (s0, tuple((tuple(a + s0 * b for a, b in zip(cs, lin)), c + s0 * lin[-1])
                        for cs, c in ms0))
    nets = []
    for s, ms in big:
        net = network_from_max_affine(ms)
        if s < 0:
            W, b = net.layers[-1]
            net = ReLUNetwork._trusted(list(net.layers[:-1]) +
                                       [(tuple(tuple(-v for v in r) for r in W),
                                         tuple(-v for v in b))])
        nets.append(net)
    return nets[0] if len(nets) == 1 else sum_networks(*nets)


def _terms(terms: Any) -> list[tuple[int, tuple[Affine, ...]]]:
    """Validated signed terms (sign +-1, maps of one dimension), typed errors naming the
    offending term."""
    from ..numbers.rational import short
    what = "network_from_terms"
    if isinstance(terms, (str, bytes, set, frozenset, dict)) or \
            not hasattr(terms, "__iter__"):
        raise NotExactError(f"{what}: expected a sequence of (sign, maps) terms, got "
                            f"{short(terms)} ({type(terms).__name__})")
    out = []
    n = None
    for j, t in enumerate(terms):
        if isinstance(t, (str, bytes, set, frozenset, dict)) or not isinstance(t, Sequence) \
                or len(t) != 2:
            raise DimensionError(f"{what}: term {j} must be a pair (sign, maps), got "
                                 f"{short(t)}")
        s, ms = t
        if isinstance(s, bool) or s not in (1, -1) or isinstance(s, float):
            raise DomainError(f"{what}: term {j} has sign {short(s)}; the sign must be +1 "
                              f"or -1 (put a scale into the maps instead)")
        maps = tuple(_maps(ms, f"{what}: term {j}"))
        if not maps:
            raise DimensionError(f"{what}: term {j} has no affine maps")
        for i, (cs, _) in enumerate(maps):
            if n is None:
                n = len(cs)
            elif len(cs) != n:
                raise DimensionError(f"{what}: term {j} map {i} has {len(cs)} coefficients, "
                                     f"expected {n}")
        out.append((int(s), maps))
    if not out:
        raise DimensionError(f"{what}: need at least one term")
    return out


def network_from_cpwl(f: CPWLFunction) -> ReLUNetwork:
    """A network computing ``f`` exactly at depth <= ceil(log2(n + 1)) + 1 (Theorem 2.1).

    For n = 1 the breakpoint form and Theorem 2.2's flaps give a one-hidden-layer network
    (depth 2 = ceil(log2 2) + 1). For n >= 2, :func:`wang_sun_representation` writes
    f = sum_j s_j max_{S_j} l with |S_j| <= n + 1, and :func:`network_from_terms` builds
    one gadget tree per term, in parallel; the network's exact regions are then checked
    against the cells of f (a DomainError if they differ, e.g. on a non-convex domain).
    A 1-D ``f`` on a bounded interval is never evaluated outside its cells: past an end of
    its domain the network is constant (equal to f at that end).

    Examples
    --------
    >>> import relugeom as rg
    >>> g = rg.CPWLFunction([([(1, 0)], ((2,), 0)), ([(-1, 0)], ((-1,), 0))])
    >>> net = rg.network_from_cpwl(g)
    >>> net.depth, net(3) == g(3), net(-2) == g(-2)
    (2, True, True)
    >>> h = rg.CPWLFunction.from_network(rg.network_from_min_affine(
    ...     [((1, 0), 0), ((0, 1), 0), ((-1, -1), 1)]))
    >>> net = rg.network_from_cpwl(h)
    >>> net.depth, rg.CPWLFunction.from_network(net).equals(h)
    (3, True)
    """
    if not isinstance(f, CPWLFunction):
        from ..numbers.rational import short
        raise NotExactError(f"network_from_cpwl: expected a CPWLFunction, got {short(f)} "
                            f"({type(f).__name__})")
    if f.n_inputs == 1:
        from .convert import network_from_pwl
        from ..functions.pwl import PiecewiseLinear
        pts = set()
        for rows, _, _ in f._cells:
            for r in rows:
                if r[0]:
                    pts.add(Fraction(-r[1], r[0]))
        xs = sorted(pts)
        if not xs:
            (cs, c), = f.affine_maps
            return _affine_net(((cs[0],), c))
        # slopes of the unbounded cells, read off their maps: f may be defined on a
        # bounded interval only, so never evaluate it outside its cells. Past the end of
        # a bounded domain the network is constant (f at that end).
        def slope(side: int) -> Fraction:
            for rows, cs, _ in f._cells:
                if not any(r[0] * side < 0 for r in rows):      # unbounded towards side
                    return cs[0]
            return Fraction(0)

        g = PiecewiseLinear.from_points([(x, f(x)) for x in xs],
                                        left_slope=slope(-1), right_slope=slope(1))
        return network_from_pwl(g)
    net = network_from_terms(wang_sun_representation(f))
    # the construction's own check: not a user's enumeration, so no up-front region bound
    if not _agrees_on_domain(f, CPWLFunction.from_network(net, force=True)):
        raise DomainError("network_from_cpwl: the Wang-Sun network differs from f on the "
                          "domain of f (the construction needs f continuous on R^n or on "
                          "a convex domain)")
    return net


def _agrees_on_domain(f: CPWLFunction, g: CPWLFunction) -> bool:
    """Does ``g`` (defined on all of R^n) equal ``f`` on every cell of ``f``? Exact: no cell
    of ``f`` shares interior with a cell of ``g`` carrying another map."""
    mine, theirs = f._boxes(), g._boxes()
    for (rows, cs, c), bi in zip(f._cells, mine):
        for (rows2, cs2, c2), bj in zip(g._cells, theirs):
            if (cs, c) != (cs2, c2) and not _apart(bi, bj) and \
                    not Polyhedron(list(rows) + list(rows2), f._n).is_empty:
                return False
    return True

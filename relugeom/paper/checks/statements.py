"""Statements of arXiv 1611.01491 with no row elsewhere: Definition 3 under both
readings, Theorem 2.3 (the L^q statement on an instance, and the q = infinity erratum),
Lemma B.1, Figures 2 and 4, the ERM running-time count of Theorem 4.1, Telgarsky's
sawtooth as a member of the hard family, Theorem 3.9 (iii)."""
from __future__ import annotations

import math
import random
from fractions import Fraction

from ...networks.network import ReLUNetwork
from ...functions.pwl import PiecewiseLinear
from ..verify import Row, claim, skip, verdict

Q = Fraction

skip("Statements", "worked tables of Theorem 3.1: none in the toolkit's digest of the "
     "paper; the Theorem 3.1 rows recompute the bound at the listed (k, w, k')")


def min_network_pair() -> ReLUNetwork:
    """sigma(min(x, y)) + sigma(min(-x, -y)), with min(x, y) = x - sigma(x - y): two
    hidden layers (x carried as sigma(x) - sigma(-x))."""
    return ReLUNetwork([([[1, -1], [-1, 1], [1, 0], [-1, 0]], [0, 0, 0, 0]),
                        ([[-1, 0, 1, -1], [0, -1, -1, 1]], [0, 0]), ([[1, 1]], [0])])


_DEF3 = "Definition 3: pieces = maximal connected sets where f is affine (two readings)"


def _definition_3() -> list[Row]:
    """Both readings of Definition 3, counted twice: by the toolkit's ``n_pieces`` /
    ``n_pieces_connected``, and independently from the exact region polygons in the box
    [-1, 1]^2 (f is positively homogeneous, so the box keeps every piece and contact)."""
    from ...geometry.regions import linear_regions
    net = min_network_pair()
    R = linear_regions(net)
    a, b = R.n_pieces, R.n_pieces_connected
    boxed = linear_regions(net, box=[(Fraction(-1), Fraction(1))] * 2)
    polys = [r.vertices() for r in boxed.regions]
    maps = [r.affine_map for r in boxed.regions]
    ea = _components(polys, maps, _share_edge)
    eb = _components(polys, maps, _share_point)
    return [Row(_DEF3, "sigma(min(x,y)) + sigma(min(-x,-y)) on R^2", "one number",
                f"n_pieces {a} (joined across facets), n_pieces_connected {b} (joined at "
                f"shared points too); recounted from the region polygons: {ea} and {eb}; "
                f"{R.n_regions} activation regions", "exact",
                verdict(a == ea and b == eb and a > b),
                "f is 0 on the quadrants x <= 0 <= y and y <= 0 <= x, which meet only at "
                "the origin: the literal 'maximal connected' reading joins them, facet "
                "adjacency does not; the second count groups the exact polygons by their "
                "affine map and joins two of them when they share an edge of positive "
                "length (first reading) or any point (second); every other row counts "
                "pieces by facet adjacency (in 1-D both readings agree)", source="toolkit")]


def _on_segment(p: tuple, a: tuple, b: tuple) -> bool:
    cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
    return cross == 0 and min(a[0], b[0]) <= p[0] <= max(a[0], b[0]) and \
        min(a[1], b[1]) <= p[1] <= max(a[1], b[1])


def _edges(poly: tuple) -> list[tuple]:
    return list(zip(poly, poly[1:] + poly[:1]))


def _share_point(P: tuple, Q: tuple) -> bool:
    return any(_on_segment(p, a, b) for p in P for a, b in _edges(Q)) or \
        any(_on_segment(q, a, b) for q in Q for a, b in _edges(P))


def _share_edge(P: tuple, Q: tuple) -> bool:
    """An edge of P and an edge of Q on one line, overlapping in a segment of positive
    length (exact): at least two distinct points lie on both edges."""
    for a, b in _edges(P):
        for c, d in _edges(Q):
            pts = {p for p in (a, b, c, d) if _on_segment(p, a, b) and _on_segment(p, c, d)}
            if len(pts) >= 2:
                return True
    return False


def _components(polys: list, maps: list, touch) -> int:
    parent = list(range(len(polys)))

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i
    for i in range(len(polys)):
        for j in range(i + 1, len(polys)):
            if maps[i] == maps[j] and touch(polys[i], polys[j]):
                parent[find(i)] = find(j)
    return len({find(i) for i in range(len(polys))})


def _poly_mul(p: list[Fraction], q: list[Fraction]) -> list[Fraction]:
    out = [Q(0)] * (len(p) + len(q) - 1)
    for i, a in enumerate(p):
        for j, b in enumerate(q):
            out[i + j] += a * b
    return out


def _poly_integral(p: list[Fraction], a: Fraction, b: Fraction) -> Fraction:
    """Exact int_a^b of the polynomial with coefficients p (constant first)."""
    return sum((c * (b ** (i + 1) - a ** (i + 1)) / (i + 1) for i, c in enumerate(p)), Q(0))


def _theorem_2_3_lq(full: bool) -> list[Row]:
    """Theorem 2.3 as the paper states it (L^q density of ReLU nets, one hidden layer for
    n = 1), on one instance: f = x(1 - x) on [0, 1], 0 elsewhere, and its N-piece
    interpolant g_N, built as a one-hidden-layer network; errors integrated exactly."""
    from ...networks.convert import network_from_pwl
    Ns = [2, 4, 8, 16] if not full else [2, 4, 8, 16, 32, 64]
    found, ok = [], True
    for N in Ns:
        g = PiecewiseLinear.from_points([(Q(i, N), Q(i, N) * (1 - Q(i, N)))
                                         for i in range(N + 1)], left_slope=0, right_slope=0)
        net = network_from_pwl(g)
        h = net.to_pwl()                          # the network's own function
        xs = [Q(0), *(b for b in h.breakpoints if 0 < b < 1), Q(1)]
        # off [0, 1] both vanish: h has no breakpoint outside, flat ends, h(0) = h(1) = 0
        ok &= (h.left_slope == h.right_slope == 0 and h(0) == h(1) == 0 and
               all(0 <= b <= 1 for b in h.breakpoints) and net.depth == 2)
        l1 = l2 = sup = Q(0)
        for a, b in zip(xs, xs[1:]):
            s = (h(b) - h(a)) / (b - a)
            d = [s * a - h(a), 1 - s, Q(-1)]          # x(1-x) - h(x) on [a, b]
            ok &= d == [-a * b, a + b, Q(-1)]         # = (x-a)(b-x) >= 0 on [a, b]
            l1 += _poly_integral(d, a, b)
            l2 += _poly_integral(_poly_mul(d, d), a, b)
            m = (a + b) / 2                           # the vertex of (x-a)(b-x)
            sup = max(sup, d[0] + d[1] * m + d[2] * m * m)
        ok &= (l1, sup, l2) == (Q(1, 6 * N * N), Q(1, 4 * N * N), Q(1, 30 * N ** 4))
        found.append(f"N={N}: size {net.size}, L1 {l1}, sup {sup}")
    return [Row(_T23,
                f"f = x(1-x) on [0,1] (0 elsewhere), N-piece interpolants, N in {Ns}",
                "error -> 0 at depth 2",
                "; ".join(found[:2] + found[-1:]) + "; L1 = 1/(6N^2), sup = 1/(4N^2), "
                f"L2^2 = 1/(30N^4) at every N: {'yes' if ok else 'no'}", "exact",
                verdict(ok),
                "one instance, errors of the network's own function integrated exactly "
                "(f - g_N = (x-a)(b-x) >= 0 on each piece, a polynomial integrated in "
                "rationals); the general statement (continuous compactly supported "
                "functions are dense in L^q, q < inf, and are uniform limits of PWL "
                "interpolants, Theorem 2.1 for n >= 2) is not computed; the statement is "
                "quoted from arXiv 1611.01491 v6, Section 2, Theorem 2.3")]


_T23 = ("Theorem 2.3: L^q functions (1 <= q <= inf) are limits of ReLU nets, one hidden "
        "layer for n = 1")
_T23_INF = "Theorem 2.3 with q = inf: every L^inf function is a sup-limit of ReLU nets"


def _sup_error_indicator(g: PiecewiseLinear) -> Fraction:
    """Exact ess sup |1_[0,1] - g| for a continuous PWL g flat at both ends: on each of
    (-inf, 0), [0, 1], (1, inf) the difference is PWL, so its sup is at a breakpoint or
    an end (a one-sided limit there)."""
    left = [x for x in g.breakpoints if x < 0] + [Q(0)]
    mid = [Q(0)] + [x for x in g.breakpoints if 0 < x < 1] + [Q(1)]
    right = [Q(1)] + [x for x in g.breakpoints if x > 1]
    return max(max(abs(g(x)) for x in left), max(abs(1 - g(x)) for x in mid),
               max(abs(g(x)) for x in right))


def _l1_indicator(g: PiecewiseLinear) -> Fraction:
    """Exact int |1_[0,1] - g| for a continuous PWL g flat at 0 outside its breakpoints."""
    from ...depth.bounds import l1_distance
    one = PiecewiseLinear.constant(1)
    zero = PiecewiseLinear.constant(0)
    lo, hi = min([Q(0), *g.breakpoints]) - 1, max([Q(1), *g.breakpoints]) + 1
    return (l1_distance(g, zero, lo, 0) + l1_distance(g, one, 0, 1)
            + l1_distance(g, zero, 1, hi))


def _theorem_2_3_inf(full: bool) -> list[Row]:
    """The erratum: continuous functions are not dense in L^inf. Witness f = 1_[0,1]:
    its one-sided limits at 0 are 0 and 1, so every continuous g has ess sup |f - g|
    >= 1/2. One-hidden-layer nets g_N (ramps of width 1/(2N) through 1/2 at 0 and at 1)
    reach L1 error 1/(4N) -> 0 but sup error exactly 1/2 at every N."""
    from ...networks.convert import network_from_pwl
    Ns = [1, 4, 16] if not full else [1, 4, 16, 64, 256]
    sups, l1s, ok = [], [], True
    for N in Ns:
        e = Q(1, 4 * N)
        g = PiecewiseLinear.from_points([(-e, Q(0)), (e, Q(1)), (1 - e, Q(1)), (1 + e, Q(0))],
                                        left_slope=0, right_slope=0)
        h = network_from_pwl(g).to_pwl()            # the network's own function
        sup, l1 = _sup_error_indicator(h), _l1_indicator(h)
        ok &= h == g and sup == Q(1, 2) and l1 == Q(1, 4 * N)
        sups.append(sup)
        l1s.append(l1)
    return [Row(_T23_INF, f"f = indicator of [0,1]; one-hidden-layer nets g_N, N in {Ns}",
                "sup |f - g_N| -> 0",
                f"sup errors {', '.join(map(str, sups))} (>= 1/2 for every continuous g); L1 "
                f"errors {', '.join(map(str, l1s))} -> 0", "exact", "erratum" if ok else "false",
                "arXiv 1611.01491 v6, proof of Theorem 2.3, asserts that continuous functions "
                "are dense in L^p for 1 <= p <= inf; not for p = inf: the one-sided limits of "
                "1_[0,1] at 0 are 0 and 1, and a continuous g near 0 cannot be within less "
                "than 1/2 of both, so ess sup |f - g| >= 1/2 for every continuous g (these g_N "
                "attain 1/2); corrected statement: 1 <= q < inf (the L1 errors of the same nets "
                "go to 0)")]


def _lemma_b1(rng: random.Random, full: bool) -> list[Row]:
    from ...depth.families import hard_function, random_hard_params
    cases = [(2, 3), (3, 2), (4, 2), (5, 1)] + ([(3, 4), (2, 8)] if full else [])
    rows = []
    for w, k in cases:
        M = Q(rng.randint(1, 9), rng.randint(1, 4))
        H = hard_function(random_hard_params(k, w, M, seed=rng.randrange(10 ** 6)), M)
        xs = [Q(0), *(b for b in H.breakpoints if 0 < b < M), M]
        vals = H.evaluate_exact(xs)
        onto = all({u, v} == {Q(0), M} for u, v in zip(vals, vals[1:]))
        rows.append(Row(_LB1,
                        f"w={w}, k={k}, M={M}", f"{w ** k} pieces, each onto [0,M]",
                        f"{len(xs) - 1} pieces; end values {{0, M}} on every piece: "
                        f"{'yes' if onto else 'no'}", "exact",
                        verdict(onto and len(xs) - 1 == w ** k),
                        "a piece is affine, so its image is the interval between its end "
                        "values; for every parameter point see the symbolic rows of "
                        "Theorem 3.2 (alternation over the simplex)"))
    return rows


_FIG4 = "Figure 4: sigma o f has at most twice the pieces of f"
_FIG2 = ("Figure 2: h_{a^1} (2 pieces on [0,M]) inside h_{a^2} (3 pieces): H has 6, a full "
         "copy of h_{a^2} on each piece of h_{a^1}")
_LB1 = "Lemma B.1: each piece of H on [0,M] maps onto [0,M]"
_RT = ("Theorem 4.1 running time: 2 sum_{i<=n} C(D-1,i) dichotomies per unit <= D^n "
       "(n >= 2)")
_TELM = "Telgarsky's sawtooth is the member w=2, M=1, a=(1/2) of the hard family"
_T39 = "Theorem 3.9 (iii): (a, b) -> ZONOTOPE[a, b] is one-to-one"


def _figure_4(rng: random.Random, full: bool) -> list[Row]:
    relu = PiecewiseLinear.relu()
    trials = 60 if not full else 400
    worst = Q(0)
    for _ in range(trials):
        n = rng.randint(1, 12)
        xs = sorted({Q(rng.randint(-40, 40), rng.randint(1, 5)) for _ in range(n)})
        f = PiecewiseLinear.from_points([(x, Q(rng.randint(-9, 9), rng.randint(1, 3)))
                                         for x in xs],
                                        left_slope=Q(rng.randint(-4, 4)),
                                        right_slope=Q(rng.randint(-4, 4)))
        worst = max(worst, Q((relu @ f).n_pieces, f.n_pieces))
    # doubling happens: the hat 1 - |x| (2 pieces) gives 4
    hat = PiecewiseLinear.from_points([(Q(0), Q(1))], left_slope=1, right_slope=-1)
    doubled = (relu @ hat).n_pieces
    return [Row(_FIG4,
                f"{trials} random PWL f; the hat 1-|x|", "ratio <= 2",
                f"largest ratio {worst}; sigma(1-|x|): {doubled} = 2 x {hat.n_pieces} "
                f"pieces", "sampled", verdict(worst <= 2 and doubled == 2 * hat.n_pieces),
                "sigma o f breaks only at f's breakpoints and at one zero per piece")]


def _figure_2(rng: random.Random, full: bool) -> list[Row]:
    """Figure 2 with mixed widths: h_{a^1} (w = 2) inside h_{a^2} (w = 3); each piece of
    the inner function carries a full copy of the outer one (exact equality of functions
    after the affine change of variable onto [0, M])."""
    from ...depth.families import hard_function, random_simplex_point, zigzag
    from ...functions.operations import compose
    cases = [((Q(1, 2),), (Q(1, 3), Q(2, 3)), Q(1))]
    for _ in range(1 if not full else 4):
        M = Q(rng.randint(1, 9), rng.randint(1, 4))
        cases.append((random_simplex_point(1, M, seed=rng.randrange(10 ** 6)),
                      random_simplex_point(2, M, seed=rng.randrange(10 ** 6)), M))
    rows = []
    for a1, a2, M in cases:
        h1, h2 = zigzag(a1, M), zigzag(a2, M)
        H = hard_function([a1, a2], M)
        same = H == compose(h2, h1)
        xs = [Q(0), *(b for b in h1.breakpoints if 0 < b < M), M]
        per, copies = [], True
        for x0, x1 in zip(xs, xs[1:]):
            per.append(H.n_pieces_on(x0, x1))
            u0, u1 = h1(x0), h1(x1)            # h1 maps the piece onto [0, M]
            sl = (x1 - x0) / (u1 - u0)         # x = x0 + sl (u - u0) on this piece
            back = PiecewiseLinear.affine(sl, x0 - sl * u0)
            G = H @ back
            knots = {Q(0), M, *(b for b in (*G.breakpoints, *h2.breakpoints) if 0 < b < M)}
            copies &= {u0, u1} == {Q(0), M} and all(G(u) == h2(u) for u in knots)
        ok = (same and h1.n_pieces_on(0, M) == 2 and h2.n_pieces_on(0, M) == 3
              and H.n_pieces_on(0, M) == 6 and per == [3, 3] and copies)
        rows.append(Row(_FIG2,
                        f"a1={list(map(str, a1))}, a2={list(map(str, a2))}, M={M}",
                        "2, 3 -> 6 pieces on [0,M]",
                        f"{h1.n_pieces_on(0, M)}, {h2.n_pieces_on(0, M)} -> "
                        f"{H.n_pieces_on(0, M)}; per inner piece {per}; copies: "
                        f"{'yes' if copies else 'no'}", "exact", verdict(ok),
                        "mixed widths (w = 2 then 3) through hard_function; H == h_{a^2} o "
                        "h_{a^1} exactly; on each inner piece, H composed with the affine "
                        "inverse of h_{a^1} agrees with h_{a^2} at 0, M and the breakpoints "
                        "of both, hence (both affine between them) on all of [0, M]"))
    return rows


def _running_time(full: bool) -> list[Row]:
    """Appendix C of arXiv 1611.01491 (v6): the dichotomy count "only holds for n >= 2";
    n = 1 is treated separately through Theorem 2.2. Checked for n >= 2 and D >= 2; the
    cases outside (n = 1, and one data point) are reported in the note."""
    nmax, dmax = (4, 30) if not full else (8, 200)
    fails, n1, d1 = [], 0, 0
    for n in range(1, nmax + 1):
        for D in range(1, dmax + 1):
            c = 2 * sum(math.comb(D - 1, i) for i in range(n + 1))
            if c <= D ** n:
                continue
            if n == 1:
                n1 += 1
            elif D == 1:
                d1 += 1
            else:
                fails.append((n, D))
    # n = 2 in closed form: 2 (1 + (D-1) + C(D-1, 2)) = D^2 - D + 2
    closed = all(2 * sum(math.comb(D - 1, i) for i in range(3)) == D * D - D + 2
                 for D in range(1, dmax + 1))
    return [Row(_RT, f"2<=n<={nmax}, 2<=D<={dmax}", "<= D^n",
                f"{len(fails)} failures" + (f" at {fails[:4]}" if fails else "") +
                f"; n = 2: D^2 - D + 2 <= D^2: {'yes' if closed else 'no'}", "exact",
                verdict(not fails and closed),
                f"the paper (Appendix C) says the count only holds for n >= 2 and treats "
                f"n = 1 through Theorem 2.2: for n = 1 Cover's count 2D exceeds D ({n1} "
                f"cases on the range), and one data point (D = 1) has 2 > 1 dichotomies "
                f"({d1} cases with n >= 2), which does not affect the O(2^w D^(nw) poly) "
                f"running time")]


def _telgarsky_member(full: bool) -> list[Row]:
    from ...depth.families import hard_function, sawtooth
    ks = [1, 2, 5, 8] if not full else [1, 2, 5, 8, 12]
    same = all(sawtooth(k) == hard_function([(Q(1, 2),)] * k, 1) for k in ks)
    return [Row(_TELM,
                f"k in {ks}", "t^k = H_{(1/2),...,(1/2)}",
                "equal as functions on R" if same else "differ", "exact", verdict(same),
                "exact equality of the two PiecewiseLinear functions (breakpoints, values "
                "and end slopes); so the family's gap bound applies to Telgarsky's example")]


def _theorem_3_9_iii(full: bool) -> list[Row]:
    from ...geometry.equality import networks_equal
    from ...depth.zonotope_hard import zonotope_network
    params, M = [["1/2"], ["1/3"]], 1
    gens = [(1, 0), (0, 1), (1, 1)]
    base = zonotope_network(params, M, gens)
    flipped = [(-1, 0), (0, 1), (1, 1)]
    perm = [(1, 1), (1, 0), (0, 1)]
    other = [(1, 0), (0, 1), (1, 2)]
    e1 = networks_equal(base, zonotope_network(params, M, flipped))
    e2 = networks_equal(base, zonotope_network(params, M, perm))
    e3 = networks_equal(base, zonotope_network(params, M, other))
    ok = e1 and e2 and not e3
    return [Row(_T39,
                f"n=2, k=2, w=2, generators {gens}", "one-to-one",
                f"b1 -> -b1: {'same' if e1 else 'different'} function; generators "
                f"permuted: {'same' if e2 else 'different'}; (1,1) -> (1,2): "
                f"{'same' if e3 else 'different'}", "exact", "erratum" if ok else "false",
                "gamma_Z(r) = sum_i |<r, b^i>| is unchanged by b^i -> -b^i and by "
                "permuting the generators, so the map is at best one-to-one modulo signs "
                "and order (a changed generator does change the function); equality "
                "decided exactly by networks_equal")]


@claim("Statements", [_DEF3, _T23, _T23_INF, _LB1, _FIG4, _FIG2, _RT, _TELM, _T39])
def statements(full: bool) -> list[Row]:
    rng = random.Random(23)
    rows = _definition_3()
    for _ in range(40):     # the draws of the former 1-D size-bound row: seeds kept
        rng.randint(1, 7)
    rows += _theorem_2_3_lq(full)
    rows += _theorem_2_3_inf(full)
    rows += _lemma_b1(rng, full)
    rows += _figure_4(rng, full)
    rows += _figure_2(rng, full)
    rows += _running_time(full)
    rows += _telgarsky_member(full)
    rows += _theorem_3_9_iii(full)
    return rows

"""Statements of the paper with no row elsewhere: Definition 3 under both readings,
Theorem 2.3 (the 1-D size bounds, and the paper's L^q statement on an instance),
Lemma B.1, Figures 2 and 4, the ERM running-time count, Telgarsky's sawtooth as a member
of the hard family, Theorem 3.9 (iii); and the statements PAPER.md does not state,
skipped with the reason."""
from __future__ import annotations

import math
import random
from fractions import Fraction

from ...networks.network import ReLUNetwork
from ...functions.pwl import PiecewiseLinear
from ..verify import Row, claim, skip, verdict

Q = Fraction

skip("Statements", "Theorem 3.9 (ii): PAPER.md gives no formula for it; the 'Theorem 3.9 "
     "(toolkit substitute bound)' rows of Proposition 3.8 show the toolkit's own bound")
skip("Statements", "Definition 5 (comp_H): not stated in PAPER.md, so there is nothing to "
     "compute it against for the built families")
skip("Statements", "worked tables of Theorem 3.1: PAPER.md has none; the Theorem 3.1 rows "
     "recompute the bound at the listed (k, w, k')")


def min_network_pair() -> ReLUNetwork:
    """sigma(min(x, y)) + sigma(min(-x, -y)), with min(x, y) = x - sigma(x - y): two
    hidden layers (x carried as sigma(x) - sigma(-x))."""
    return ReLUNetwork([([[1, -1], [-1, 1], [1, 0], [-1, 0]], [0, 0, 0, 0]),
                        ([[-1, 0, 1, -1], [0, -1, -1, 1]], [0, 0]), ([[1, 1]], [0])])


def _definition_3() -> list[Row]:
    from ...geometry.regions import linear_regions
    R = linear_regions(min_network_pair())
    a, b = R.n_pieces, R.n_pieces_connected
    return [Row("Definition 3: pieces = maximal connected sets where f is affine (two "
                "readings)", "sigma(min(x,y)) + sigma(min(-x,-y)) on R^2",
                "one number", f"n_pieces {a} (joined across facets), n_pieces_connected "
                f"{b} (joined at shared points too); {R.n_regions} activation regions",
                "exact", verdict(a == 6 and b == 5),
                "f is 0 on the quadrants x <= 0 <= y and y <= 0 <= x, which meet only at "
                "the origin: the literal 'maximal connected' reading joins them (5), facet "
                "adjacency does not (6); every other row counts pieces by facet adjacency "
                "(n_pieces, and in 1-D breakpoints where the slope changes, where both "
                "readings agree)")]


def _theorem_2_3(rng: random.Random, full: bool) -> list[Row]:
    """The one-dimensional size bounds (the statement PAPER.md lists under Theorem 2.2):
    every one-hidden-layer net has its breakpoints among the unit kinks -b_i/a_i."""
    trials = 40 if not full else 300
    bad = 0
    for _ in range(trials):
        w = rng.randint(1, 7)
        q = lambda: Q(rng.randint(-6, 6), rng.randint(1, 4))  # noqa: E731
        W1 = [[q()] for _ in range(w)]
        b1 = [q() for _ in range(w)]
        net = ReLUNetwork([(W1, b1), ([[q() for _ in range(w)]], [q()])])
        kinks = {-b / r[0] for r, b in zip(W1, b1) if r[0] != 0}
        f = net.to_pwl()
        if not set(f.breakpoints) <= kinks or f.n_pieces > w + 1:
            bad += 1
    return [Row("Theorem 2.3 (not stated in PAPER.md; read as the 1-D size bounds): one "
                "hidden layer of w units has <= w+1 pieces, so p pieces need >= p-1 units",
                f"{trials} random nets, w<=7", "breakpoints among the w unit kinks",
                f"{bad} nets with a breakpoint outside the kinks or > w+1 pieces",
                "sampled", verdict(bad == 0),
                "each unit sigma(a x + b) is affine off x = -b/a, so the sum is affine off "
                "those w points; checked exactly on each net's own function")]


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
    return [Row("Theorem 2.3 (the paper's L^q statement, not in PAPER.md): L^q functions "
                "are limits of ReLU nets, one hidden layer for n = 1",
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
                "quoted from the paper (arXiv v6, Section 2), which PAPER.md does not "
                "restate")]


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
        rows.append(Row("Lemma B.1: each piece of H on [0,M] maps onto [0,M]",
                        f"w={w}, k={k}, M={M}", f"{w ** k} pieces, each onto [0,M]",
                        f"{len(xs) - 1} pieces; end values {{0, M}} on every piece: "
                        f"{'yes' if onto else 'no'}", "exact",
                        verdict(onto and len(xs) - 1 == w ** k),
                        "a piece is affine, so its image is the interval between its end "
                        "values; for every parameter point this is the symbolic induction "
                        "row of Theorem 3.2"))
    return rows


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
    return [Row("Figure 4: sigma o f has at most twice the pieces of f",
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
        rows.append(Row("Figure 2: h_{a^1} (2 pieces on [0,M]) inside h_{a^2} (3 pieces): "
                        "H has 6, a full copy of h_{a^2} on each piece of h_{a^1}",
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
    nmax, dmax = (4, 30) if not full else (8, 200)
    fails = []
    corrected = True
    for n in range(1, nmax + 1):
        for D in range(1, dmax + 1):
            c = 2 * sum(math.comb(D - 1, i) for i in range(n + 1))
            if c > D ** n:
                fails.append((n, D))
            corrected &= c <= 2 * D ** n
    n1 = all((1, D) in fails for D in range(1, dmax + 1))
    d1 = all((n, 1) in fails for n in range(1, nmax + 1))
    others = [(n, D) for n, D in fails if n > 1 and D > 1]
    ok = n1 and d1 and corrected
    return [Row("Theorem 4.1 running time: 2 sum_{i<=n} C(D-1,i) dichotomies per unit "
                "<= D^n", f"n<={nmax}, D<={dmax}", "<= D^n",
                f"fails at {len(fails)} (n, D): every D when n=1 (2D > D), D=1 for every n "
                f"(2 > 1){', and ' + str(others[:4]) if others else ''}; <= 2 D^n "
                f"everywhere: {'yes' if corrected else 'no'}", "exact",
                "erratum" if ok else "false",
                "the count of affine dichotomies (Cover) exceeds D^n; the corrected bound "
                "2 D^n (checked on the range) gives the same O(2^w D^(nw) poly) run time "
                "up to a factor 2^w")]


def _telgarsky_member(full: bool) -> list[Row]:
    from ...depth.families import hard_function, sawtooth
    ks = [1, 2, 5, 8] if not full else [1, 2, 5, 8, 12]
    same = all(sawtooth(k) == hard_function([(Q(1, 2),)] * k, 1) for k in ks)
    return [Row("Telgarsky's sawtooth is the member w=2, M=1, a=(1/2) of the hard family",
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
    return [Row("Theorem 3.9 (iii): (a, b) -> ZONOTOPE[a, b] is one-to-one",
                f"n=2, k=2, w=2, generators {gens}", "one-to-one",
                f"b1 -> -b1: {'same' if e1 else 'different'} function; generators "
                f"permuted: {'same' if e2 else 'different'}; (1,1) -> (1,2): "
                f"{'same' if e3 else 'different'}", "exact", "erratum" if ok else "false",
                "gamma_Z(r) = sum_i |<r, b^i>| is unchanged by b^i -> -b^i and by "
                "permuting the generators, so the map is at best one-to-one modulo signs "
                "and order (a changed generator does change the function); equality "
                "decided exactly by networks_equal")]


@claim("Statements")
def statements(full: bool) -> list[Row]:
    rng = random.Random(23)
    rows = _definition_3()
    rows += _theorem_2_3(rng, full)
    rows += _theorem_2_3_lq(full)
    rows += _lemma_b1(rng, full)
    rows += _figure_4(rng, full)
    rows += _figure_2(rng, full)
    rows += _running_time(full)
    rows += _telgarsky_member(full)
    rows += _theorem_3_9_iii(full)
    return rows

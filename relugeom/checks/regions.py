"""Checks of Section 3.2 and Theorem 2.1 that need exact regions in R^n."""
from __future__ import annotations

import math
import random
from fractions import Fraction

import numpy as np

from ..network import ReLUNetwork
from ..verify import Row, claim, verdict


def _q(rng: random.Random, lo: int = -6, hi: int = 6, den: int = 4) -> Fraction:
    return Fraction(rng.randint(lo, hi), rng.randint(1, den))


def _random_net(rng: random.Random, dims: list[int]) -> ReLUNetwork:
    return ReLUNetwork([([[_q(rng) for _ in range(a)] for _ in range(b)],
                         [_q(rng) for _ in range(b)]) for a, b in zip(dims, dims[1:])])


def _generic_lines(rng: random.Random, k: int) -> list[tuple[int, int, int]]:
    """k lines a x + b y + c = 0, no two parallel, no three through a point (exact)."""
    lines: list[tuple[int, int, int]] = []
    while len(lines) < k:
        a, b, c = rng.randint(-50, 50), rng.randint(-50, 50), rng.randint(-50, 50)
        if (a, b) == (0, 0) or any(a * l[1] - b * l[0] == 0 for l in lines):
            continue
        if any(_det3(l1, l2, (a, b, c)) == 0 for i, l1 in enumerate(lines)
               for l2 in lines[i + 1:]):
            continue
        lines.append((a, b, c))
    return lines


def _det3(p: tuple, q: tuple, r: tuple) -> int:
    return (p[0] * (q[1] * r[2] - q[2] * r[1]) - p[1] * (q[0] * r[2] - q[2] * r[0])
            + p[2] * (q[0] * r[1] - q[1] * r[0]))


@claim("Zaslavsky")
def zaslavsky(full: bool) -> list[Row]:
    from ..regions import linear_regions
    rng = random.Random(7)
    rows = []
    for k in ([3, 6, 10] if not full else [3, 6, 10, 20, 30]):
        lines = _generic_lines(rng, k)
        net = ReLUNetwork([([l[:2] for l in lines], [l[2] for l in lines]),
                           ([[1] * k], [0])])
        got = linear_regions(net).n_regions
        want = 1 + k + math.comb(k, 2)
        rows.append(Row("Zaslavsky: k generic lines cut R^2 into 1+k+C(k,2) regions",
                        f"k={k}, random rational lines", str(want), str(got), "exact",
                        verdict(got == want)))
    return rows


@claim("Zonotope vertices")
def zonotope_vertices(full: bool) -> list[Row]:
    from ..zonotope import Zonotope
    rng = random.Random(3)
    rows = []
    cases = [(2, 2), (2, 5), (3, 4), (3, 6)] + ([(2, 9), (3, 8)] if full else [])
    for n, m in cases:
        Z = Zonotope([[_q(rng, -9, 9, 7) for _ in range(n)] for _ in range(m)])
        gp, paper, got = Z.general_position_count, Z.paper_count, Z.n_vertices
        ok = Z.is_generic() and got == gp
        rows.append(Row("Zonotope vertices (general position)", f"n={n}, m={m}, random",
                        str(paper), f"{got} (= 2 x paper)", "exact",
                        "erratum" if ok and paper != got else verdict(ok),
                        "the paper prints sum_{i<n} C(m-1,i); the count is twice that"))
    degenerate = [("parallel", [(1, 0), (2, 0), (0, 1), (1, 1)], 6),
                  ("zero generator", [(1, 0), (0, 0), (0, 1)], 4),
                  ("coplanar in R^3", [(1, 0, 0), (0, 1, 0), (1, 1, 0), (0, 0, 1)], 12)]
    for name, gens, want in degenerate:
        Z = Zonotope(gens)
        got = Z.n_vertices
        rows.append(Row("Zonotope vertices (degenerate generators)", name,
                        f"{Z.paper_count} (formula)", str(got), "exact",
                        verdict(got == want and not Z.is_generic()),
                        f"expected {want}; degenerate generators give fewer vertices than "
                        f"2 x formula = {Z.general_position_count}"))
    return rows


@claim("Lemma 3.7")
def lemma_3_7(full: bool) -> list[Row]:
    from ..cpwl import CPWLFunction
    from ..zonotope import Zonotope
    rng = random.Random(37)
    rows = []
    for n, m in ([(2, 4), (3, 4)] if not full else [(2, 4), (3, 4), (2, 8), (3, 6)]):
        Z = Zonotope([[_q(rng, -5, 5, 3) for _ in range(n)] for _ in range(m)])
        f = Z.support_function()
        net = Z.support_network()
        ok = (f.n_pieces == Z.n_vertices and net.size == 2 * m and net.depth == 2
              and f.equals(CPWLFunction.from_network(net)))
        rows.append(Row("Lemma 3.7: gamma_Z has one piece per vertex; 1 hidden layer, 2m",
                        f"n={n}, m={m}", f"pieces = vertices, size {2 * m}",
                        f"pieces {f.n_pieces}, vertices {Z.n_vertices}, size {net.size}",
                        "exact", verdict(ok)))
    return rows


@claim("Regions tile the box")
def tiling(full: bool) -> list[Row]:
    from ..regions import linear_regions
    rng = random.Random(11)
    rows = []
    for dims in ([[2, 6, 6, 1], [2, 10, 8, 1]] if not full else
                 [[2, 6, 6, 1], [2, 10, 8, 1], [2, 16, 16, 16, 1]]):
        net = _random_net(rng, dims)
        res = linear_regions(net, box=[(-4, 4), (-4, 4)])
        area = res.total_area()
        defect = res.tiling_defect()
        rows.append(Row("Activation regions tile the box (exact areas)",
                        f"widths {dims[1:-1]}, [-4,4]^2", "total area 64",
                        f"{area} ({res.n_regions} regions; shapely defect {defect:.1e})",
                        "exact", verdict(area == 64 and defect < 1e-6)))
        # float grid: every pattern seen must be an exact region
        g = np.linspace(-4, 4, 121)
        X = np.array([(x, y) for x in g for y in g])
        H = X
        pats = []
        for W, b in net.float_layers()[:-1]:
            H = H @ W.T + b
            pats.append(H > 0)
            H = np.maximum(H, 0)
        seen = {tuple(tuple(bool(v) for v in p[i]) for p in pats) for i in range(len(X))}
        exact = {r.activation_pattern for r in res.regions}
        rows.append(Row("Exact region count >= patterns seen on a float grid",
                        f"widths {dims[1:-1]}, 121x121 grid", f">= {len(seen)}",
                        str(res.n_regions), "sampled",
                        verdict(res.n_regions >= len(seen))))
        del exact
    return rows


@claim("Proposition 3.8")
def prop_3_8(full: bool) -> list[Row]:
    from ..zonotope import Zonotope, zonotope_network, zonotope_piece_count
    rows = []
    cases = [([["1/2"], ["1/2"]], 1, [(1, 0), (0, 1)]),
             ([["1/2"], ["1/2"]], 1, [(1, 0), (0, 1), (1, 1), (1, -2)])]
    if full:
        cases.append(([["1/2"], ["1/2"], ["1/2"]], 1, [(1, 0), (0, 1), (1, 1), (1, -2)]))
    for params, M, gens in cases:
        Z = Zonotope(gens)
        k, w, m = len(params), len(params[0]) + 1, len(gens)
        net = zonotope_network(params, M, gens)
        c = zonotope_piece_count(params, M, Z)
        rows.append(Row("Proposition 3.8: ZONOTOPE depth k+2, size 2m+wk",
                        f"n=2, k={k}, w={w}, m={m}", f"depth {k + 2}, size {2 * m + w * k}",
                        f"depth {net.depth}, size {net.size}", "exact",
                        verdict(net.depth == k + 2 and net.size == 2 * m + w * k)))
        rows.append(Row("Proposition 3.8: pieces of ZONOTOPE on R^2",
                        f"n=2, k={k}, w={w}, m={m}", str(c["paper"]),
                        f"{c['exact']} (predicted {c['predicted']})", "exact",
                        "erratum" if c["exact"] == c["predicted"] else "false",
                        f"paper: (sum C(m-1,i)) w^k; exact = vertices ({c['vertices']}) x "
                        f"non-constant pieces of H on [0,inf) + constant pieces (outer "
                        f"region); the paper's figure is only a lower bound"))
        # Theorem 3.9 (piece counting): a depth k'+1 network with widths w_i has at most
        # prod_i sum_{j<=n} C(w_i, j) regions; smallest size reaching p pieces
        for kp in range(1, k + 1):
            bound = {}
            for name, p in (("paper", c["paper"]), ("exact", c["exact"])):
                s = kp
                while _max_regions(s, kp, 2) < p:
                    s += 1
                bound[name] = s
            rows.append(Row("Theorem 3.9: size lower bound at depth k'+1 (piece counting)",
                            f"k'={kp}, n=2, k={k}, m={m}", f">= {bound['paper']} (paper count)",
                            f">= {bound['exact']} (exact count)", "exact",
                            verdict(bound["exact"] >= bound["paper"]),
                            "bound: prod_i sum_{j<=n} C(w_i, j) regions for widths w_i "
                            "(Serra et al. 2018), maximised over widths summing to the size"))
    return rows


def _max_regions(s: int, k: int, n: int) -> int:
    """Largest prod_i sum_{j<=n} C(w_i, j) over k widths summing to s (balanced split)."""
    ws = [s // k + (1 if i < s % k else 0) for i in range(k)]
    out = 1
    for w in ws:
        out *= sum(math.comb(w, j) for j in range(n + 1))
    return out


@claim("Theorem 2.1")
def theorem_2_1(full: bool) -> list[Row]:
    from ..cpwl import CPWLFunction, network_from_cpwl, network_from_max_affine
    rng = random.Random(21)
    rows = []
    for m in (2, 3, 5, 8):
        maps = [((_q(rng), _q(rng)), _q(rng)) for _ in range(m)]
        net = network_from_max_affine(maps)
        want = math.ceil(math.log2(m)) + 1
        f = CPWLFunction.from_network(net)
        pts = [(_q(rng), _q(rng)) for _ in range(20)]
        ok = net.depth == want and all(
            f(x) == max(a[0] * x[0] + a[1] * x[1] + c for a, c in maps) for x in pts)
        rows.append(Row("Theorem 2.1: max of m affine maps at depth ceil(log2 m)+1",
                        f"n=2, m={m}", f"depth {want}", f"depth {net.depth}", "exact",
                        verdict(ok)))
    from ..cpwl import network_from_terms, wang_sun_representation
    from ..regions import networks_equal
    cases = [(1, [1, 3, 1]), (2, [2, 3, 1]), (2, [2, 3, 3, 1]), (3, [3, 3, 1]), (3, [3, 4, 1])]
    if full:
        cases += [(2, [2, 4, 3, 1]), (3, [3, 3, 3, 1])]
    for n, dims in cases:
        src_net = _random_net(rng, dims)
        f = CPWLFunction.from_network(src_net)
        want = math.ceil(math.log2(n + 1)) + 1
        if n == 1:
            net, how = network_from_cpwl(f), "breakpoints + flaps (Thm 2.2)"
        else:
            terms = wang_sun_representation(f)
            net = network_from_terms(terms)
            arity = max(len(ms) for _, ms in terms)
            how = f"{len(terms)} terms, max |S_j| = {arity} <= n+1 = {n + 1}"
        ok = net.depth <= want and networks_equal(net, src_net)
        rows.append(Row("Theorem 2.1: CPWL f -> network of depth <= ceil(log2(n+1))+1",
                        f"n={n}, f from a random {'-'.join(map(str, dims))} net, "
                        f"{f.n_pieces} pieces", f"depth <= {want}",
                        f"depth {net.depth}, size {net.size}, exactly equal", "exact",
                        verdict(ok),
                        how + ("" if n == 1 else "; Wang-Sun form f = g - sum M_k|h_k|, g "
                               "convex, g split over a regular triangulation (valuation "
                               "inclusion-exclusion)")))
    return rows

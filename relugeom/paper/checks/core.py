"""Checks of Section 2 and Appendix D that need only the 1-D core."""
from __future__ import annotations

import math
import random
from fractions import Fraction

from ...depth.families import zigzag_network
from ...networks.convert import network_from_pwl
from ...networks.network import (ReLUNetwork, affine_network, compose_networks, maximum_network,
                       sum_networks)
from ...functions.pwl import PiecewiseLinear
from ...functions.operations import maximum
from ...geometry.equality import networks_equal
from ..verify import Row, claim, verdict


def _random_pwl(rng: random.Random, n: int, *, flat: str = "") -> PiecewiseLinear:
    xs = sorted(set(Fraction(rng.randint(-60, 60), rng.randint(1, 9)) for _ in range(n)))
    pts = [(x, Fraction(rng.randint(-20, 20), rng.randint(1, 5))) for x in xs]
    sl = 0 if "left" in flat else Fraction(rng.randint(-9, 9), rng.randint(1, 4))
    sr = 0 if "right" in flat else Fraction(rng.randint(-9, 9), rng.randint(1, 4))
    return PiecewiseLinear.from_points(pts, left_slope=sl, right_slope=sr)


def _random_net(rng: random.Random, widths: list[int]) -> ReLUNetwork:
    dims = [1, *widths, 1]
    q = lambda: Fraction(rng.randint(-6, 6), rng.randint(1, 4))  # noqa: E731
    return ReLUNetwork([([[q() for _ in range(a)] for _ in range(b)], [q() for _ in range(b)])
                        for a, b in zip(dims, dims[1:])])


@claim("Theorem 2.2", ["Theorem 2.2: p pieces -> 1 hidden layer, size <= p",
                       "Corollary A.1: flat end slope -> size p-1",
                       "Theorem 2.2: w hidden units give <= w+1 pieces, so p pieces need "
                       ">= p-1 units"])
def theorem_2_2(full: bool) -> list[Row]:
    rng = random.Random(22)
    rows = []
    for n in ([3, 10, 40] if not full else [3, 10, 40, 200, 1000]):
        f = _random_pwl(rng, n)
        net = network_from_pwl(f)
        p = f.n_pieces
        ok = net.depth == 2 and net.size <= p and net.to_pwl() == f
        rows.append(Row("Theorem 2.2: p pieces -> 1 hidden layer, size <= p",
                        f"p={p}", f"size <= {p}", f"size {net.size}, exact round trip",
                        "exact", verdict(ok)))
    for flat in ("left", "right"):
        f = _random_pwl(rng, 12, flat=flat)
        net = network_from_pwl(f)
        p = f.n_pieces
        ok = net.size == p - 1 and net.to_pwl() == f
        rows.append(Row("Corollary A.1: flat end slope -> size p-1",
                        f"p={p}, {flat} slope 0", f"size {p - 1}", f"size {net.size}",
                        "exact", verdict(ok)))
    # lower bound: w units give at most w + 1 pieces, breaking only at the unit kinks
    worst, outside = 0, 0
    trials = 30 if not full else 300
    for _ in range(trials):
        w = rng.randint(1, 8)
        net = _random_net(rng, [w])
        g = net.to_pwl()
        kinks = {-b / r[0] for r, b in zip(*net.layers[0]) if r[0] != 0}
        outside += not set(g.breakpoints) <= kinks
        worst = max(worst, g.n_pieces - (w + 1))
    rows.append(Row("Theorem 2.2: w hidden units give <= w+1 pieces, so p pieces need "
                    ">= p-1 units", f"{trials} random nets, w<=8",
                    "pieces - (w+1) <= 0, breakpoints among the unit kinks",
                    f"max pieces - (w+1) = {worst}; {outside} nets with a breakpoint "
                    f"outside the kinks", "sampled", verdict(worst <= 0 and outside == 0),
                    "each unit sigma(a x + b) is affine off x = -b/a, so a one-hidden-layer "
                    "net is affine off those w points (a proof; the random nets test the "
                    "toolkit's evaluation of it, exactly on each net's own function); the "
                    "paper credits the p-1 lower bound to Lemma D.6, which at k = 1 gives "
                    "only p/2 - 1: it is Lemma D.5 with k = 1"))
    return rows


@claim("Lemma D.1-D.4", ["Lemma D.1: composition depth k1+k2+1, size s1+s2",
                         "Lemma D.2: sum of equal-depth nets, sizes add",
                         "Lemma D.3: max of m nets adds ceil(log2 m) layers",
                         "Lemma D.4: affine R^n->R^m is 1 hidden layer of size 2m"])
def combinators(full: bool) -> list[Row]:
    rng = random.Random(14)
    a, b = _random_net(rng, [3, 2]), _random_net(rng, [4])
    c = compose_networks(a, b)
    rows = [Row("Lemma D.1: composition depth k1+k2+1, size s1+s2",
                f"sizes {a.size},{b.size}", f"depth {a.depth + b.depth - 1}, size "
                f"{a.size + b.size}", f"depth {c.depth}, size {c.size}", "exact",
                verdict(c.depth == a.depth + b.depth - 1 and c.size == a.size + b.size
                        and c.to_pwl() == a.to_pwl() @ b.to_pwl()))]
    d = _random_net(rng, [2, 3])
    s = sum_networks(a, d)
    rows.append(Row("Lemma D.2: sum of equal-depth nets, sizes add",
                    f"sizes {a.size},{d.size}", f"depth {a.depth}, size {a.size + d.size}",
                    f"depth {s.depth}, size {s.size}", "exact",
                    verdict(s.depth == a.depth and s.size == a.size + d.size
                            and s.to_pwl() == a.to_pwl() + d.to_pwl())))
    nets = [_random_net(rng, [rng.randint(1, 3)] * rng.randint(1, 2)) for _ in range(5)]
    m = maximum_network(*nets)
    want = max(n.depth for n in nets) + 3
    rows.append(Row("Lemma D.3: max of m nets adds ceil(log2 m) layers",
                    "m=5", f"depth {want}", f"depth {m.depth}", "exact",
                    verdict(m.depth == want and
                            m.to_pwl() == maximum(*[n.to_pwl() for n in nets]))))
    for W, b in (([[2], ["-1/3"], [5]], [1, 0, "7/2"]),
                 ([[2, -1], ["1/3", 0], [5, "7/2"]], [1, 0, "7/2"]),
                 ([[1, 2, 3], [0, "-1/2", 4]], ["1/3", -2])):
        aff = affine_network(W, b)
        n, m = len(W[0]), len(W)
        ref = _coordinate_network(W, b)
        eq = networks_equal(aff, ref, method="enumerate")
        rows.append(Row("Lemma D.4: affine R^n->R^m is 1 hidden layer of size 2m",
                        f"n={n}, m={m}", f"size {2 * m}, equal to x -> Wx + b",
                        f"size {aff.size}, depth {aff.depth}, "
                        f"{'equal' if eq else 'NOT equal'} on R^{n}", "exact",
                        verdict(aff.size == 2 * m and aff.depth == 2 and eq),
                        "equality of functions on all of R^n: every activation region of "
                        "the difference with an independently built network (units "
                        "sigma(+-x_i), size 2n) has the zero map"))
    return rows


def _coordinate_network(W: list, b: list) -> ReLUNetwork:
    """x -> Wx + b through x_i = sigma(x_i) - sigma(-x_i): a second route to Lemma D.4."""
    n = len(W[0])
    first = [[(1 if j == i else 0) * s for j in range(n)] for i in range(n) for s in (1, -1)]
    out = [[Fraction(r[i // 2]) * (1 if i % 2 == 0 else -1) for i in range(2 * n)] for r in W]
    return ReLUNetwork([(first, [0] * (2 * n)), (out, b)])


_D5 = "Lemma D.5: pieces <= 2^(k-1)(w1+1)w2...wk"
_SERRA = ("the sharper bound prod(w_i+1) is known: Serra, Tjandraatmadja, Ramalingam "
          "(ICML 2018, Theorem 1, one input); with B breakpoints so far, each of the w units "
          "of the next layer is affine on each of the B+1 intervals and adds at most one "
          "zero per interval, so B'+1 <= (B+1)(w+1); equal to the paper's bound only when "
          "w2 = ... = wk = 1")


@claim("Lemma D.5", [_D5 + " (exhaustive, two hidden layers)", _D5 + " (search)"])
def lemma_d5(full: bool) -> list[Row]:
    from ...depth import bounds
    from ...depth.piece_search import max_pieces_two_layers
    rows = []
    for widths in ([[2, 2], [3, 1]] + ([[2, 3], [3, 2], [4, 1]] if full else [])):
        bound, refined = bounds.max_pieces(widths), math.prod(w + 1 for w in widths)
        want = 2 ** (len(widths) - 1) * (widths[0] + 1) * math.prod(widths[1:])
        r = max_pieces_two_layers(*widths)
        counted = r.network.to_pwl().n_pieces
        ok = (bound == want and counted == r.pieces and r.network.widths == tuple(widths)
              and r.pieces <= refined <= bound)
        rows.append(Row(_D5 + " (exhaustive, two hidden layers)", f"widths {widths}",
                        f"<= {bound}",
                        f"maximum {r.pieces} ({r.n_types_realisable} realisable unit sign "
                        f"types of {r.n_types_tested}, {r.n_multisets} choices); attained "
                        f"by a network: {counted} pieces counted exactly; known sharper "
                        f"bound prod(w_i+1) = {refined}", "exact", verdict(ok),
                        "exhaustive over first-layer directions, second-layer sign types "
                        "(each an exact LP over the unit's weights: signs at the kinks and "
                        "of the end slopes) and multisets of types, kink spacing "
                        + ", ".join("/".join(map(str, g)) or "-" for g in r.gaps)
                        + "; premises: generic weights (coinciding zeros only lose "
                        "breakpoints) and these kink spacings (any two kinks are "
                        "equivalent under an affine change of x); " + _SERRA))
    rng = random.Random(15)
    shapes = [[4, 2, 3]] + ([[3, 3, 3], [5, 5, 5], [2, 1, 1]] if full else [])
    steps = 25 if not full else 80
    for widths in shapes:
        bound, refined = bounds.max_pieces(widths), math.prod(w + 1 for w in widths)
        want = 2 ** (len(widths) - 1) * (widths[0] + 1) * math.prod(widths[1:])
        # the construction: zig-zags of these widths chained (Lemma D.1), prod w_i pieces
        # on [0, 1] and a few more on R
        chain = None
        for w in widths:
            z = zigzag_network([Fraction(i, w) for i in range(1, w)], 1) if w > 1 else \
                ReLUNetwork([([[1]], [0]), ([[1]], [0])])
            chain = z if chain is None else compose_networks(z, chain)
        built = chain.to_pwl().n_pieces
        seen, climbed = _adversarial_pieces(rng, widths, steps, chain)
        ok = bound == want and seen <= climbed <= refined <= bound and built <= climbed
        rows.append(Row(_D5 + " (search)",
                        f"widths {widths}; zig-zag chain, 8 random nets, {steps} climbing "
                        f"steps", f"<= {bound}",
                        f"largest found {climbed} (a lower bound on the maximum; zig-zag "
                        f"chain {built}, random {seen}); known sharper bound prod(w_i+1) = "
                        f"{refined}", "sampled", verdict(ok),
                        "the bound itself is the paper's prose proof; the search (chain of "
                        "zig-zags, random nets, then one weight at a time redrawn and kept "
                        "when the count does not drop) only tries to break it; " + _SERRA))
    return rows


def _adversarial_pieces(rng: random.Random, widths: list[int], steps: int,
                        start: ReLUNetwork) -> tuple[int, int]:
    """Largest piece count over 8 random nets, and after hill climbing from the best of
    them and ``start``."""
    nets = [_random_net(rng, widths) for _ in range(8)]
    counts = [n.to_pwl().n_pieces for n in nets]
    seen = max(counts)
    top = start if start.to_pwl().n_pieces >= seen else nets[counts.index(seen)]
    layers = [([list(r) for r in W], list(b)) for W, b in top.layers]
    best = top.to_pwl().n_pieces
    q = lambda: Fraction(rng.randint(-12, 12), rng.randint(1, 6))  # noqa: E731
    for _ in range(steps):
        j = rng.randrange(len(layers))
        W, b = layers[j]
        i = rng.randrange(len(W))
        c = rng.randrange(len(W[0]) + 1)
        old = b[i] if c == len(W[0]) else W[i][c]
        new = q()
        if c == len(W[0]):
            b[i] = new
        else:
            W[i][c] = new
        p = ReLUNetwork(layers).to_pwl().n_pieces
        if p >= best:
            best = p
        elif c == len(W[0]):
            b[i] = old
        else:
            W[i][c] = old
    return seen, best

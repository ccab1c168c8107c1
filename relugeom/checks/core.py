"""Checks of Section 2 and Appendix D that need only the 1-D core."""
from __future__ import annotations

import random
from fractions import Fraction

from ..convert import network_from_pwl
from ..network import (ReLUNetwork, affine_network, compose_networks, maximum_network,
                       sum_networks)
from ..pwl import PiecewiseLinear, maximum
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


@claim("Theorem 2.2")
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
    # lower bound: w units give at most w + 1 pieces
    worst = 0
    trials = 30 if not full else 300
    for _ in range(trials):
        w = rng.randint(1, 8)
        g = _random_net(rng, [w]).to_pwl()
        worst = max(worst, g.n_pieces - (w + 1))
    rows.append(Row("Theorem 2.2: w hidden units give <= w+1 pieces",
                    f"{trials} random nets, w<=8", "pieces - (w+1) <= 0",
                    f"max pieces - (w+1) = {worst}", "sampled", verdict(worst <= 0)))
    return rows


@claim("Lemma D.1-D.4")
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
    aff = affine_network([[2], ["-1/3"], [5]], [1, 0, "7/2"])
    rows.append(Row("Lemma D.4: affine R^n->R^m is 1 hidden layer of size 2m",
                    "n=1, m=3", "size 6", f"size {aff.size}", "exact",
                    verdict(aff.size == 6 and aff.depth == 2 and
                            all(aff(x) == (2 * x + 1, -x / 3, 5 * x + Fraction(7, 2))
                                for x in (Fraction(-3), Fraction(1, 7), Fraction(5))))))
    return rows


@claim("Lemma D.5")
def lemma_d5(full: bool) -> list[Row]:
    rng = random.Random(15)
    rows = []
    shapes = [[2, 2], [3, 3, 3], [4, 2, 3]] + ([[5, 5, 5, 5], [8, 8]] if full else [])
    for widths in shapes:
        bound = 2 ** (len(widths) - 1) * (widths[0] + 1)
        for w in widths[1:]:
            bound *= w
        worst = max(_random_net(rng, widths).to_pwl().n_pieces for _ in range(20))
        rows.append(Row("Lemma D.5: pieces <= 2^(k-1)(w1+1)w2...wk",
                        f"widths {widths}, 20 random nets", f"<= {bound}",
                        f"max seen {worst}", "sampled", verdict(worst <= bound)))
    return rows

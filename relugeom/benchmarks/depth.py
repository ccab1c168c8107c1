"""``relugeom bench hard``: the dedicated builder of the hard functions against a
straightforward ``fractions.Fraction`` composition, per piece, in the same run."""
from __future__ import annotations

import bisect
import random
import resource
import time
from fractions import Fraction

__all__ = ["bench_hard", "fraction_hard_points"]


def fraction_hard_points(params: list, M: Fraction) -> list[Fraction]:
    """Baseline: breakpoints of H on [0, M] by composing point lists of Fractions,
    outside in (x -> h(H(x))), piece by piece, as one would write it directly."""
    def zz(a: tuple) -> tuple[list[Fraction], list[Fraction]]:
        xs = [Fraction(0), *a, M]
        return xs, [M * (i % 2) for i in range(len(xs))]
    hx, hy = zz(params[0])
    for a in params[1:]:
        fx, fy = zz(a)
        X, Y = [hx[0]], [fy[0]]
        for i in range(len(hx) - 1):
            x0, x1, y0, y1 = hx[i], hx[i + 1], hy[i], hy[i + 1]
            s = (x1 - x0) / (y1 - y0)
            if y1 > y0:
                js = range(bisect.bisect_right(fx, y0), bisect.bisect_left(fx, y1))
            else:
                js = range(bisect.bisect_left(fx, y0) - 1, bisect.bisect_right(fx, y1) - 1, -1)
            for j in js:
                X.append(x0 + (fx[j] - y0) * s)
                Y.append(fy[j])
            X.append(x1)
            Y.append(fy[0] if y1 == 0 else fy[-1])
        hx, hy = X, Y
    return hx


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_hard(quick: bool = False) -> None:
    """Build and count H for w = 3 (k = 13, and k = 15 unless ``quick``), print times and
    the per-piece ratio against the Fraction baseline."""
    from ..depth import families as fam
    from ..config import limits
    from ..functions.operations import compose
    w, M = 3, Fraction(1)
    k_small = 6 if quick else 10
    ps = fam.random_hard_params(k_small, w, M, seed=7)
    t_base = float("inf")
    for _ in range(1 if quick else 2):
        t = time.perf_counter()
        base = fraction_hard_points(ps, M)
        t_base = min(t_base, time.perf_counter() - t)
    per_base = t_base / (len(base) - 1)
    H_small = fam.hard_function(ps, M)
    assert H_small.breakpoints == tuple(base[:-1]) or H_small.breakpoints == tuple(base)
    print(f"Fraction baseline  w={w} k={k_small}: {len(base) - 1} pieces in {t_base:.3f} s "
          f"= {per_base * 1e6:.2f} us/piece (best of {1 if quick else 2})")
    if not quick:
        ps5 = fam.random_hard_params(5, w, M, seed=8)
        assert fam.hard_function(ps5, M) == compose(*[fam.zigzag(a, M) for a in reversed(ps5)])
        print("check: hard_function == rg.compose of the zig-zags (k=5): ok")
    for k in ((10,) if quick else (13, 15)):
        ps = fam.random_hard_params(k, w, M, seed=k)
        repeat = 3 if k <= 13 else 1
        with limits(max_pieces=10 ** 9):
            t_build = t_all = float("inf")
            for _ in range(repeat):
                H = None
                t = time.perf_counter()
                H = fam.hard_function(ps, M)
                t1 = time.perf_counter() - t
                n = H.n_pieces_on(0, M)
                t_build, t_all = min(t_build, t1), min(t_all, time.perf_counter() - t)
        assert n == w ** k
        per = t_all / n
        print(f"hard_function      w={w} k={k}: {n} pieces on [0,M] built in {t_build:.2f} s, "
              f"built+counted in {t_all:.2f} s (best of {repeat}) = {per * 1e6:.3f} us/piece; "
              f"{per_base / per:.0f}x per piece vs Fraction; max RSS {_maxrss_mb():.0f} MB")
        if k == 13 or quick:
            net = fam.hard_network(ps, M)
            rng = random.Random(k)
            pts = [Fraction(rng.randint(-10, 110), rng.randint(1, 100)) for _ in range(5)]
            t = time.perf_counter()
            ok = all(net(x) == H(x) for x in pts)
            print(f"network (size {net.size}) == function at 5 random rationals: {ok} "
                  f"({time.perf_counter() - t:.2f} s)")
        del H

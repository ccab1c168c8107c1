"""``relugeom bench regions``: exact linear-region enumeration speed.

Prints regions per second for the issue's targets (2-32-32-32-1 on [-4, 4]^2, 3-16-16-1 on
[-4, 4]^3), how the cost grows with the number of regions and with depth, and a baseline
measured in the same run: the float activation-pattern sampling of the same network on a
grid (which finds only a subset of the regions).
"""
from __future__ import annotations

import random
import time
from fractions import Fraction

import numpy as np

__all__ = ["bench_regions", "random_network"]


def random_network(dims: list[int], *, seed: int = 0):  # noqa: ANN201
    """A network with weights p/q, |p| <= 6, 1 <= q <= 4 (small rationals)."""
    from ..network import ReLUNetwork
    rng = random.Random(seed)
    q = lambda: Fraction(rng.randint(-6, 6), rng.randint(1, 4))  # noqa: E731
    return ReLUNetwork([([[q() for _ in range(a)] for _ in range(b)], [q() for _ in range(b)])
                        for a, b in zip(dims, dims[1:])])


def _time(fn, repeat: int = 3) -> tuple[float, object]:  # noqa: ANN001
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def _grid_patterns(net, n: int, k: int) -> int:  # noqa: ANN001
    g = np.linspace(-4, 4, k)
    X = np.stack(np.meshgrid(*([g] * n)), -1).reshape(-1, n)
    H, cols = X, []
    for W, b in net.float_layers()[:-1]:
        H = H @ W.T + b
        cols.append(H > 0)
        H = np.maximum(H, 0)
    P = np.packbits(np.concatenate(cols, axis=1), axis=1)
    return len(np.unique(P, axis=0))


def bench_regions(quick: bool = False) -> None:
    """Run the benchmark and print its figures."""
    from ..regions import linear_regions
    rep = 1 if quick else 3
    print("target: 2-32-32-32-1 on [-4,4]^2 >= 10,000 regions/s; 3-16-16-1 on [-4,4]^3 "
          ">= 1,000 regions/s (best of %d)" % rep)
    for dims, n in (([2, 32, 32, 32, 1], 2), ([3, 16, 16, 1], 3)):
        net = random_network(dims, seed=5)
        box = [(-4, 4)] * n
        dt, res = _time(lambda: linear_regions(net, box=box), rep)
        k = 400 if n == 2 else 60
        t0 = time.perf_counter()
        seen = _grid_patterns(net, n, k)
        dg = time.perf_counter() - t0
        print(f"  {'-'.join(map(str, dims))}: {res.n_regions} regions exactly in {dt:.3f} s "
              f"= {res.n_regions / dt:,.0f} regions/s | baseline float grid {k}^{n}: "
              f"{seen} patterns in {dg:.3f} s")
    print("growth with regions (2-D, one hidden layer of width w, exact vs Zaslavsky):")
    for w in ((16, 32, 64) if quick else (16, 32, 64, 128)):
        net = random_network([2, w, 1], seed=w)
        dt, res = _time(lambda: linear_regions(net, box=[(-4, 4), (-4, 4)]), rep)
        print(f"  w={w:4d}: {res.n_regions:6d} regions, {dt * 1e6 / res.n_regions:7.1f} us "
              f"per region")
    print("growth with depth (2-D, width 16):")
    for depth in ((1, 2, 3) if quick else (1, 2, 3, 4)):
        net = random_network([2] + [16] * depth + [1], seed=depth)
        dt, res = _time(lambda: linear_regions(net, box=[(-4, 4), (-4, 4)]), rep)
        print(f"  {depth} hidden layers: {res.n_regions:6d} regions, "
              f"{dt * 1e6 / res.n_regions:7.1f} us per region")

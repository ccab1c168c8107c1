"""``relugeom bench regions``: exact linear-region enumeration speed.

First the engine against a float baseline run in the same process (regioncam, float32,
when it is installed — ``pip install relugeom[bench]``, never a dependency — else a plain
numpy float64 enumeration, :func:`float_baseline`) on default-initialised float32 nets on
[-4, 4]^2: 2-8-8-1, 2-32-32-32-1, ten hidden layers of width 20, 2-128-128-1, and the
per-region cost of 2-w-1 for w = 16..128 (target: w = 128 at most 2x w = 16); each line
gives regions/s, us/region, the ratio and whether the counts agree. Then:

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

from . import best_time

__all__ = ["bench_regions", "bench_engine", "random_network", "float32_network",
           "float_baseline", "generic_hinge_network", "affine_network_on"]


def random_network(dims: list[int], *, seed: int = 0):  # noqa: ANN201
    """A network with weights p/q, |p| <= 6, 1 <= q <= 4 (small rationals)."""
    from ..networks.network import ReLUNetwork
    rng = random.Random(seed)
    q = lambda: Fraction(rng.randint(-6, 6), rng.randint(1, 4))  # noqa: E731
    return ReLUNetwork([([[q() for _ in range(a)] for _ in range(b)], [q() for _ in range(b)])
                        for a, b in zip(dims, dims[1:])])


def generic_hinge_network(n: int, w: int, *, seed: int = 0):  # noqa: ANN201
    """x -> sum_i relu(a_i . x + b_i) with w random integer hyperplanes in R^n (in general
    position with probability ~1): sum_{i <= n} C(w, i) regions over R^n (Zaslavsky)."""
    from ..networks.network import ReLUNetwork
    rng = random.Random(seed)
    W = [[rng.randint(-99, 99) for _ in range(n)] for _ in range(w)]
    b = [rng.randint(-99, 99) for _ in range(w)]
    return ReLUNetwork([(W, b), ([[1] * w], [0])])


def affine_network_on(n: int, *, seed: int = 0):  # noqa: ANN201
    """A network with no hidden layer, x -> a . x + b on R^n: one region."""
    from ..networks.network import ReLUNetwork
    rng = random.Random(seed)
    return ReLUNetwork([([[Fraction(rng.randint(-9, 9), rng.randint(1, 9))
                           for _ in range(n)]], [rng.randint(-9, 9)])])


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
    from ..geometry.regions import linear_regions
    bench_engine(quick)
    from .trained import bench_trained       # trained, quantised and 784-input plane cases
    bench_trained(quick)
    rep = 1 if quick else 3
    print("target: 2-32-32-32-1 on [-4,4]^2 >= 10,000 regions/s; 3-16-16-1 on [-4,4]^3 "
          ">= 1,000 regions/s (best of %d)" % rep)
    for dims, n in (([2, 32, 32, 32, 1], 2), ([3, 16, 16, 1], 3)):
        net = random_network(dims, seed=5)
        box = [(-4, 4)] * n
        dt, res = best_time(lambda: linear_regions(net, box=box), rep)
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
        dt, res = best_time(lambda: linear_regions(net, box=[(-4, 4), (-4, 4)]), rep)
        print(f"  w={w:4d}: {res.n_regions:6d} regions, {dt * 1e6 / res.n_regions:7.1f} us "
              f"per region")
    print("growth with depth (2-D, width 16):")
    for depth in ((1, 2, 3) if quick else (1, 2, 3, 4)):
        net = random_network([2] + [16] * depth + [1], seed=depth)
        dt, res = best_time(lambda: linear_regions(net, box=[(-4, 4), (-4, 4)]), rep)
        print(f"  {depth} hidden layers: {res.n_regions:6d} regions, "
              f"{dt * 1e6 / res.n_regions:7.1f} us per region")


# ---------------------------------------------------------------------- engine scaling
def float32_network(dims: list[int], *, seed: int = 0):  # noqa: ANN201
    """A default-initialised float32 network (PyTorch's nn.Linear default, U(-k, k) with
    k = 1/sqrt(fan_in), for weights and biases), read exactly."""
    from ..networks.network import ReLUNetwork
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(dims, dims[1:]):
        k = 1 / np.sqrt(a)
        layers.append((rng.uniform(-k, k, (b, a)).astype(np.float32).astype(np.float64),
                       rng.uniform(-k, k, b).astype(np.float32).astype(np.float64)))
    return ReLUNetwork.from_arrays(layers, exact_float=True)


def _regioncam_count(net, half: float) -> int:  # noqa: ANN001
    import regioncam
    R = regioncam.Regioncam(size=half)
    for W, b in net.float_layers()[:-1]:
        R.linear(np.ascontiguousarray(W.T.astype(np.float32)), b.astype(np.float32))
        R.relu()
    return R.num_faces


def float_baseline(net, half: float) -> int:  # noqa: ANN001
    """A plain numpy float64 enumeration of the regions on [-half, half]^2 (the same
    polygon splitting, no exactness): the number of cells found."""
    layers = net.float_layers()
    sq = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
    W, b = layers[0]
    cells = [(sq, np.concatenate([W, b[:, None]], axis=1))]
    for W, b in layers[1:]:
        out = []
        for P, Z in cells:
            V = P @ Z[:, :2].T + Z[:, 2]
            cross = np.nonzero((V > 0).any(axis=0) & (V < 0).any(axis=0))[0]
            base = (V > 0).any(axis=0) & ~(V < 0).any(axis=0)
            pieces = [(P, base.copy())]
            for j in cross:
                h = Z[j]
                new = []
                for Q, act in pieces:
                    v = Q @ h[:2] + h[2]
                    if (v >= 0).all() or (v <= 0).all():
                        if (v > 0).any():
                            act = act.copy()
                            act[j] = True
                        new.append((Q, act))
                        continue
                    for sgn in (1, -1):
                        pts = []
                        for i in range(len(Q)):
                            a, c = Q[i], Q[(i + 1) % len(Q)]
                            va, vc = sgn * v[i], sgn * v[(i + 1) % len(Q)]
                            if va >= 0:
                                pts.append(a)
                            if va * vc < 0:
                                pts.append(a + (c - a) * (va / (va - vc)))
                        if len(pts) >= 3:
                            a2 = act.copy()
                            a2[j] = sgn > 0
                            new.append((np.array(pts), a2))
                pieces = new
            for Q, act in pieces:
                out.append((Q, W @ (Z * act[:, None]) + np.concatenate([0 * b[:, None]] * 2
                                                                      + [b[:, None]], 1)))
        cells = out
    return len(cells)


def _baseline(net, half: float) -> tuple[str, float, int]:  # noqa: ANN001
    try:
        import regioncam  # noqa: F401
        name, fn = "regioncam (float32)", _regioncam_count
    except ImportError:
        name, fn = "numpy float64 enumeration", float_baseline
    dt, count = best_time(lambda: fn(net, half), 3)
    return name, dt, count  # type: ignore[return-value]


def bench_engine(quick: bool = False) -> None:
    """Exact enumeration against a float baseline on default-initialised float32 nets on
    [-4, 4]^2: regions/s, us/region, the ratio, and whether the counts agree."""
    from ..geometry.regions import linear_regions
    box = [(-4, 4), (-4, 4)]
    print("engine on float32 default-initialised nets, [-4,4]^2 (exact vs float baseline "
          "in the same process):")
    linear_regions(float32_network([2, 6, 6, 6, 1], seed=1), box=box)   # warm-up (imports)
    cases = [[2, 8, 8, 1], [2, 32, 32, 32, 1], [2] + [20] * 10 + [1]]
    if not quick:
        cases.append([2, 128, 128, 1])
    for dims in cases:
        net = float32_network(dims, seed=0)
        dt, res = best_time(lambda: linear_regions(net, box=box), 1 if dims[1] >= 128 else
                        (1 if quick else 3))
        name, db, cb = _baseline(net, 4.0)
        label = ("2-20x10-1" if len(dims) > 6 else "-".join(map(str, dims)))
        print(f"  {label}: exact {res.n_regions} regions in {dt:.3f} s = "
              f"{res.n_regions / dt:,.0f} regions/s, {dt * 1e6 / res.n_regions:.1f} us/region"
              f" | {name}: {cb} in {db:.4f} s, {db * 1e6 / max(cb, 1):.1f} us/region | "
              f"ratio {dt / db:.1f}x | counts {'equal' if cb == res.n_regions else 'differ'}")
    print("per-region cost against width (2-w-1, float32 default init):")
    per = {}
    for w in ((16, 32, 64) if quick else (16, 32, 64, 128)):
        net = float32_network([2, w, 1], seed=w)
        dt, res = best_time(lambda: linear_regions(net, box=box), 1 if quick else 3)
        name, db, cb = _baseline(net, 4.0)
        per[w] = dt / res.n_regions
        print(f"  w={w:4d}: {res.n_regions:6d} regions, {per[w] * 1e6:7.1f} us/region | "
              f"{name}: {db * 1e6 / max(cb, 1):6.1f} us/region | ratio {dt / db:5.1f}x | "
              f"counts {'equal' if cb == res.n_regions else 'differ'}")
    top = max(per)
    print(f"  us/region at w={top} / w=16: {per[top] / per[16]:.2f} (target <= 2)")

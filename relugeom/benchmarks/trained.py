"""Part of ``relugeom bench regions``: the networks people train.

* a float32 2-32-32-1 trained with torch on a tiny synthetic task (seeded, one thread,
  deterministic), imported exactly with ``from_torch``;
* the same architecture with weights quantised to a 1/4 grid (ties and coincident lines,
  where float enumerations go wrong);
* a default-initialised float32 784-64-64-10 on a square of the plane through three
  "images" (pixels k/255), via ``linear_regions(net, plane=...)``; the float baseline gets
  the same plane composed into its first layer in float.

Each line reports the exact count, regions/s and us/region next to the float baseline
(regioncam when it imports, else relugeom's numpy float64 enumeration) measured in the
same process, the ratio, and whether the counts agree. Trained/quantised nets are also
certified exactly: the regions' areas sum to the box area and their patterns are distinct.
"""
from __future__ import annotations

import time
from fractions import Fraction
from typing import Any

import numpy as np

from . import best_time

__all__ = ["bench_trained", "trained_network", "quantised_network", "mnist_plane_case"]


def trained_torch_model(widths: tuple[int, ...] = (32, 32), *, seed: int = 0,
                        steps: int = 200) -> Any:
    """A float32 2-w-w-1 torch model trained (Adam, full batch) to separate two
    interleaved spirals in [-4, 4]^2; deterministic (fixed seed, one thread)."""
    import torch
    g = torch.Generator().manual_seed(seed)
    n = 256
    t = torch.rand(n, generator=g) * 3 * np.pi
    lab = (torch.arange(n) % 2).float()
    r = 0.5 + t / (3 * np.pi) * 3.0
    ang = t + np.pi * lab
    X = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        torch.manual_seed(seed)
        dims = (2, *widths, 1)
        mods: list[Any] = []
        for a, b in zip(dims, dims[1:]):
            mods += [torch.nn.Linear(a, b), torch.nn.ReLU()]
        model = torch.nn.Sequential(*mods[:-1])
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        loss_fn = torch.nn.BCEWithLogitsLoss()
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(model(X).reshape(-1), lab)
            loss.backward()
            opt.step()
    finally:
        torch.set_num_threads(threads)
    return model.eval()


def trained_network(**kw: Any) -> Any:
    """:func:`trained_torch_model` imported exactly."""
    from ..interop.torch_io import from_torch
    return from_torch(trained_torch_model(**kw))


def quantised_network(dims: list[int], *, seed: int = 0, grid: int = 4) -> Any:
    """A default-initialised network (scaled by 4) with every weight and bias rounded to the
    1/grid grid: many exactly coincident lines and vertices."""
    from ..networks.network import ReLUNetwork
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(dims, dims[1:]):
        k = 4 / np.sqrt(a)
        q = lambda s: [[Fraction(int(round(v * grid)), grid) for v in row]  # noqa: E731
                       for row in rng.uniform(-k, k, s)]
        layers.append((q((b, a)), q((1, b))[0]))
    return ReLUNetwork(layers)


def mnist_plane_case(seed: int = 0) -> tuple[Any, Any, list, np.ndarray, np.ndarray]:
    """A default-initialised float32 784-64-64-10 and the plane through three random
    "images" (pixels k/255): (net, plane, box, float origin, float directions)."""
    from .regions import float32_network
    from ..convex.planes import plane
    net = float32_network([784, 64, 64, 10], seed=seed)
    rng = np.random.default_rng(seed + 1)
    imgs = rng.integers(0, 256, (3, 784))
    pts = [[Fraction(int(v), 255) for v in row] for row in imgs]
    P = plane(pts[0], pts[1], pts[2])
    o = imgs[0] / 255.0
    D = np.stack([(imgs[1] - imgs[0]) / 255.0, (imgs[2] - imgs[0]) / 255.0], 1)
    return net, P, [(-1, 2), (-1, 2)], o, D


def _float_plane_net(net: Any, o: np.ndarray, D: np.ndarray) -> Any:
    """A float stand-in with the plane composed into the first layer (floats only)."""
    class _F:
        def __init__(self, layers: list) -> None:
            self._l = layers

        def float_layers(self) -> list:
            return self._l
    layers = net.float_layers()
    W, b = layers[0]
    return _F([(W @ D, W @ o + b), *layers[1:]])


def _regioncam_box(net: Any, box: list) -> int:
    import regioncam
    (lo, hi) = box[0]
    half = float(hi - lo) / 2
    c = [float(lo + hi) / 2, float(box[1][0] + box[1][1]) / 2]
    layers = net.float_layers()
    W, b = layers[0]
    b = b + W @ np.array(c)                     # shift the square to the origin
    R = regioncam.Regioncam(size=half)
    for i, (Wi, bi) in enumerate([(W, b), *layers[1:-1]]):
        R.linear(np.ascontiguousarray(Wi.T.astype(np.float32)), bi.astype(np.float32))
        R.relu()
    return R.num_faces


def _baseline(net: Any, box: list, repeat: int) -> tuple[str, float, int]:
    try:
        import regioncam  # noqa: F401
        name, fn = "regioncam float32", _regioncam_box
    except ImportError:
        from .regions import float_baseline
        name = "numpy float64"

        def fn(n: Any, b: list) -> int:
            return float_baseline(n, float(b[0][1]))
    dt, cnt = best_time(lambda: fn(net, box), repeat)
    return name, dt, cnt


def _certified(res: Any) -> bool:
    """Exact: areas sum to the box area and the activation patterns are distinct."""
    (a, b), (c, d) = res.box
    pats = {r.activation_pattern for r in res.regions}
    return res.total_area() == (b - a) * (d - c) and len(pats) == res.n_regions


def _line(label: str, dt: float, res: Any, base: tuple[str, float, int], cert: str) -> None:
    name, db, cb = base
    print(f"  {label}: exact {res.n_regions} regions in {dt:.3f} s = "
          f"{res.n_regions / dt:,.0f} regions/s, {dt * 1e6 / res.n_regions:.1f} us/region | "
          f"{name}: {cb} in {db:.4f} s, {db * 1e6 / max(cb, 1):.1f} us/region | ratio "
          f"{dt / db:.1f}x | counts {'equal' if cb == res.n_regions else 'differ'}{cert}")


def bench_trained(quick: bool = False) -> None:
    """Run the benchmark and print its figures."""
    from ..geometry.regions import linear_regions
    rep = 1 if quick else 3
    box = [(-4, 4), (-4, 4)]
    print("networks people train (exact vs float baseline in the same process):")
    t0 = time.perf_counter()
    net = trained_network(steps=100 if quick else 200)
    print(f"  (trained the float32 2-32-32-1 on two spirals in {time.perf_counter() - t0:.2f} s)")
    cases = [("trained float32 2-32-32-1 on [-4,4]^2", net),
             ("quantised (1/4 grid) 2-32-32-1 on [-4,4]^2", quantised_network([2, 32, 32, 1]))]
    for label, n in cases:
        dt, res = best_time(lambda: linear_regions(n, box=box), rep)
        cert = ", exact tiling certified" if _certified(res) else ", TILING FAILED"
        _line(label, dt, res, _baseline(n, box, rep), cert)
    net, P, pbox, o, D = mnist_plane_case()
    dt, res = best_time(lambda: linear_regions(net, plane=P, box=pbox), rep)
    fnet = _float_plane_net(net, o, D)
    name, db, cb = _baseline(fnet, pbox, rep)
    _line("784-64-64-10 on a plane square [-1,2]^2 (target < 0.5 s)", dt, res,
          (name, db, cb), "")

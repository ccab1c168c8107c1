"""``relugeom bench trained``: the whole call from a torch module, side by side with
regioncam (``pip install relugeom[bench]``; never a dependency) in the same process.

The suite, each net built the same way on every run (seeded,
deterministic): default-initialised float32 2-8-8-1, 2-16-16-1, 2-32-32-32-1, 2-64-64-1,
2-128-128-1, 2-256-256-1, ten hidden layers of 20, 5-8 hidden layers of 16; the 2-32-32-1
trained on two spirals and its int8 quantisation; the 1/4-grid, near-concurrent and
through-vertices nets; 784-64-64-10 (random, and trained on 8x8 digits upsampled to 28x28:
scikit-learn's digits when it imports, else a seeded synthetic stand-in, said so in the
label) on the plane through three images and on the segment between two (the float32
images read exactly within the timed call, ``line_network(net, a, b, exact_float=True)``).

Every timing is the whole call: ``ReLUNetwork.from_torch(model)``, then
``linear_regions(net, box=[(-4, 4)] * 2)`` (or the plane / line), to the count; regioncam's
is ``Regioncam(size=4).add(model)`` to ``num_faces``. Repetitions alternate the two tools
(a call under 50 ms is repeated within a repetition to last about 50 ms, and its mean taken);
one untimed such sample of each comes first, and the first net of each kind (box, plane,
segment) is measured once untimed before the table: in one process, the first measurement
of a kind of call ran up to 1.5x slower (the first 784-input segment row 0.6 ms a call,
0.42 ms from its second measurement on, whichever net came first). The ratio is relugeom's median over regioncam's (the ratio of
minimums beside it), and the same for relugeom's call on the network already imported
(timed in each repetition too). The 1-minute load average is printed with every row.
"""
from __future__ import annotations

import os
import statistics
import time
from fractions import Fraction
from typing import Any, Callable

import numpy as np

__all__ = ["bench_trained", "suite", "default_model"]


# ---------------------------------------------------------------------- the nets
def _seq(layers: list) -> Any:
    import torch
    mods: list = []
    for lin in layers:
        mods += [lin, torch.nn.ReLU()]
    return torch.nn.Sequential(*mods[:-1]).eval()


def default_model(dims: list[int], seed: int = 0) -> Any:
    """``torch.manual_seed(seed)``, then torch's default ``nn.Linear`` layers."""
    import torch
    torch.manual_seed(seed)
    return _seq([torch.nn.Linear(a, b) for a, b in zip(dims, dims[1:])])


def _set(model: Any, Ws: list, bs: list) -> Any:
    import torch
    lins = [m for m in model if isinstance(m, torch.nn.Linear)]
    with torch.no_grad():
        for lin, W, b in zip(lins, Ws, bs):
            if W is not None:
                lin.weight.copy_(torch.as_tensor(np.asarray(W, dtype=np.float32)))
                lin.bias.copy_(torch.as_tensor(np.asarray(b, dtype=np.float32)))
    return model


def spirals_model() -> Any:
    """2-32-32-1 trained on two interleaved spirals (600 full-batch Adam steps)."""
    import torch
    g = torch.Generator().manual_seed(0)
    n = 400
    t = torch.rand(n, generator=g) * 3.5 * np.pi
    lab = (torch.arange(n) % 2).float()
    r = 0.4 + 3.2 * t / (3.5 * np.pi)
    ang = t + np.pi * lab
    X = torch.stack([r * torch.cos(ang), r * torch.sin(ang)], 1)
    X = X + 0.05 * torch.randn(X.shape, generator=g)
    model = default_model([2, 32, 32, 1], 0)
    return _train(model, lambda: torch.nn.functional.binary_cross_entropy_with_logits(
        model(X).reshape(-1), lab), 600, 0.01)


def _train(model: Any, loss: Callable[[], Any], steps: int, lr: float) -> Any:
    import torch
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=lr)
        for _ in range(steps):
            opt.zero_grad()
            loss().backward()
            opt.step()
    finally:
        torch.set_num_threads(threads)
    return model.eval()


def int8_model(model: Any) -> Any:
    """Per-tensor symmetric int8 quantisation, dequantised in float32."""
    import copy
    import torch
    q = copy.deepcopy(model)
    with torch.no_grad():
        for p in q.parameters():
            s = p.abs().max() / 127
            p.copy_(torch.clamp(torch.round(p / s), -127, 127) * s)
    return q


def grid_model() -> Any:
    """2-16-16-1 with weights and biases U(+-4/sqrt(fan_in)) rounded to quarters."""
    rng = np.random.default_rng(3)
    Ws, bs = [], []
    for a, b in ((2, 16), (16, 16), (16, 1)):
        k = 4 / np.sqrt(a)
        Ws.append(np.round(rng.uniform(-k, k, (b, a)) * 4) / 4)
        bs.append(np.round(rng.uniform(-k, k, b) * 4) / 4)
    return _set(default_model([2, 16, 16, 1], 3), Ws, bs)


def concurrent_model() -> Any:
    """2-12-12-1: twelve first-layer lines within about 1e-7 of (0.5, 0.25)."""
    rng = np.random.default_rng(4)
    ang = rng.uniform(0, np.pi, 12)
    W = np.stack([np.cos(ang), np.sin(ang)], 1).astype(np.float32).astype(np.float64)
    b = -(W @ np.array([0.5, 0.25])) + rng.uniform(-1e-7, 1e-7, 12)
    return _set(default_model([2, 12, 12, 1], 4), [W, None, None], [b, None, None])


def vertices_model() -> Any:
    """2-10-10-1, dyadic weights: two first-layer lines and two second-layer lines
    through each of five points."""
    rng = np.random.default_rng(5)
    V = rng.integers(-24, 25, (5, 2)) / 8
    W1 = rng.integers(-8, 9, (10, 2)) / 4
    b1 = -np.array([W1[i] @ V[i // 2] for i in range(10)])
    W2 = rng.integers(-8, 9, (10, 10)) / 8
    h = np.maximum(V @ W1.T + b1, 0)                     # hidden values at the points
    b2 = -np.array([W2[k] @ h[k % 5] for k in range(10)])
    W3 = rng.integers(-8, 9, (1, 10)) / 8
    return _set(default_model([2, 10, 10, 1], 5), [W1, W2, W3], [b1, b2, np.zeros(1)])


def digits_images() -> tuple[np.ndarray, np.ndarray, str]:
    """Images (N x 784, float32 in [0, 1]) and labels: scikit-learn's digits upsampled
    bilinearly to 28 x 28, or a seeded synthetic stand-in when scikit-learn is missing."""
    import torch
    try:
        from sklearn.datasets import load_digits
        d = load_digits()
        X8, y, name = d.images / 16.0, d.target, "digits"
    except ImportError:
        rng = np.random.default_rng(0)
        proto = rng.random((10, 8, 8)) ** 3
        y = np.arange(1797) % 10
        X8 = np.clip(proto[y] + 0.15 * rng.standard_normal((1797, 8, 8)), 0, 1)
        name = "synthetic digits (no scikit-learn)"
    t = torch.nn.functional.interpolate(torch.tensor(X8, dtype=torch.float32)[:, None],
                                        size=(28, 28), mode="bilinear", align_corners=False)
    return t.clamp(0, 1).reshape(len(y), 784).numpy(), np.asarray(y), name


def digits_model(X: np.ndarray, y: np.ndarray) -> Any:
    """784-64-64-10 trained 3 epochs (Adam 1e-3, batch 64, seed 0, cross-entropy)."""
    import torch
    model = default_model([784, 64, 64, 10], 0)
    g = torch.Generator().manual_seed(0)
    Xt, yt = torch.tensor(X), torch.tensor(y, dtype=torch.long)
    batches = [idx for _ in range(3) for idx in torch.randperm(len(yt), generator=g).split(64)]
    it = iter(batches)

    def loss() -> Any:
        i = next(it)
        return torch.nn.functional.cross_entropy(model(Xt[i]), yt[i])
    return _train(model, loss, len(batches), 1e-3)


def suite(quick: bool = False) -> list[tuple[str, str, Any, Any]]:
    """(label, kind, torch model, extra) for every case; kind is box, plane or line."""
    cases: list = []
    for dims in ([2, 8, 8, 1], [2, 16, 16, 1], [2, 32, 32, 32, 1], [2, 64, 64, 1],
                 [2, 128, 128, 1], [2, 256, 256, 1], [2] + [20] * 10 + [1],
                 [2] + [16] * 5 + [1], [2] + [16] * 6 + [1], [2] + [16] * 7 + [1],
                 [2] + [16] * 8 + [1]):
        if quick and (dims[1] >= 128 or len(dims) > 8):
            continue
        name = "-".join(map(str, dims)) if len(dims) <= 5 else \
            f"2-{dims[1]}x{len(dims) - 2}-1"
        cases.append((name, "box", default_model(dims), None))
    t = spirals_model()
    cases += [("spirals 2-32-32-1", "box", t, None), ("spirals int8", "box", int8_model(t), None),
              ("1/4-grid 2-16-16-1", "box", grid_model(), None),
              ("near-concurrent 2-12-12-1", "box", concurrent_model(), None),
              ("through-vertices 2-10-10-1", "box", vertices_model(), None)]
    X, y, data = digits_images()
    pts = X[:3]
    for tag, m in (("random", default_model([784, 64, 64, 10], 0)),
                   ("trained", None if quick else digits_model(X, y))):
        if m is None:
            continue
        cases.append((f"784-64-64-10 {tag}, plane", "plane", m, pts))
        cases.append((f"784-64-64-10 {tag}, line", "line", m, pts[:2]))
    if any(k != "box" for _, k, _, _ in cases) and "synthetic" in data:
        cases = [(lab + (" *" if k != "box" else ""), k, m, e) for lab, k, m, e in cases]
    return cases


# ---------------------------------------------------------------------- the calls
def _box_calls(model: Any) -> tuple[Callable[[Any], int], Callable[[], int]]:
    import regioncam
    import relugeom as rg
    box = [(-4, 4), (-4, 4)]

    def ours(net: Any) -> int:
        return rg.linear_regions(net, box=box).n_regions

    def theirs() -> int:
        R = regioncam.Regioncam(size=4)
        R.add(model)
        return R.num_faces
    return ours, theirs


def _plane_calls(model: Any, pts: np.ndarray) -> tuple[Callable[[Any], int],
                                                       Callable[[], int]]:
    import regioncam
    import relugeom as rg
    R = regioncam.Regioncam.through_points(pts)
    s = Fraction(float(np.abs(np.asarray(R.vertex_inputs)).max()))
    origin = [float(v) for v in np.asarray(R.plane.bias, dtype=np.float32)]
    dirs = [[float(v) for v in row] for row in np.asarray(R.plane.weight, dtype=np.float32)]

    def ours(net: Any) -> int:
        P = rg.plane(origin=origin, directions=dirs, exact_float=True)
        return rg.linear_regions(net, plane=P, box=[(-s, s)] * 2).n_regions

    def theirs() -> int:
        Q = regioncam.Regioncam.through_points(pts)
        Q.add(model)
        return Q.num_faces
    return ours, theirs


def _line_calls(model: Any, pts: np.ndarray) -> tuple[Callable[[Any], int],
                                                      Callable[[], int]]:
    import regioncam
    import torch
    import relugeom as rg
    from relugeom.geometry.lines import line_network
    a, b = pts[0], pts[1]                # the float32 data points, read exactly in the call

    def ours(net: Any) -> int:
        return rg.linear_regions(line_network(net, a, b, exact_float=True),
                                 box=[(0, 1)]).n_regions

    def theirs() -> int:                 # the segment as u in [-1, 1], composed in float32
        lin = model[0]
        pa, pb = torch.tensor(pts[0]), torch.tensor(pts[1])
        first = torch.nn.Linear(1, lin.out_features)
        with torch.no_grad():
            first.weight.copy_((lin.weight @ ((pb - pa) / 2))[:, None])
            first.bias.copy_(lin.weight @ ((pa + pb) / 2) + lin.bias)
        R = regioncam.Regioncam1D(size=2)       # size is the width: [-1, 1]
        R.add(torch.nn.Sequential(first, *list(model)[1:]).eval())
        return R.num_edges
    return ours, theirs


def _per_call(fn: Callable[[], Any], k: int) -> tuple[float, Any]:
    t0 = time.perf_counter()
    for _ in range(k):
        out = fn()
    return (time.perf_counter() - t0) / k, out


def _measure(ours: Callable[[], int], theirs: Callable[[], int], after: Callable[[], Any],
             rep: int) -> tuple:
    """Per-call times of ``rep`` interleaved samples of the whole call, regioncam's, and
    relugeom's call on the imported network (without ``from_torch``); each sample repeats
    a call that takes under 50 ms enough times to last about 50 ms (sub-millisecond calls
    are otherwise at the mercy of one time slice on a loaded machine)."""
    ks = [max(1, min(1000, int(0.05 / max(_per_call(f, 1)[0], 1e-6))))   # warm-up too
          for f in (ours, theirs, after)]
    for f, k in zip((ours, theirs, after), ks):     # one untimed sample each: warm caches
        _per_call(f, k)
    to, tt, ti, co, ct = [], [], [], 0, 0
    for _ in range(rep):
        t, co = _per_call(ours, ks[0])
        to.append(t)
        t, ct = _per_call(theirs, ks[1])
        tt.append(t)
        ti.append(_per_call(after, ks[2])[0])
    return co, ct, to, tt, ti


def bench_trained(quick: bool = False) -> None:
    """Run the suite and print one row per net (a markdown table)."""
    try:
        import regioncam  # noqa: F401
    except ImportError:
        print("regioncam is not installed (pip install relugeom[bench]): nothing to compare")
        return
    rep = 1 if quick else 3
    t0 = time.perf_counter()
    cases = suite(quick)
    import gc
    gc.collect()
    gc.freeze()          # torch's objects out of the collector's way: timings, not GC scans
    print(f"(built and trained the suite in {time.perf_counter() - t0:.1f} s)")
    print("| net | domain | regions (relugeom / regioncam) | relugeom s (without from_torch) "
          "| regioncam s | **ratio** (of mins) | without from_torch | load |")
    print("|---|---|---|---|---|---|---|---|")
    make = {"box": lambda m, e: _box_calls(m), "plane": _plane_calls, "line": _line_calls}
    import relugeom as rg
    worst = worst_engine = 0.0
    firsts: dict = {}
    for case in cases:
        firsts.setdefault(case[1], case)
    for label, kind, model, extra in firsts.values():   # discarded: a process's first
        call, theirs = make[kind](model, extra)         # measurement of a kind runs cold
        net = rg.ReLUNetwork.from_torch(model)
        _measure(lambda c=call, m=model: c(rg.ReLUNetwork.from_torch(m)), theirs,
                 lambda c=call, n=net: c(n), 1)
    for label, kind, model, extra in cases:
        call, theirs = make[kind](model, extra)
        net = rg.ReLUNetwork.from_torch(model)
        co, ct, to, tt, ti = _measure(
            lambda c=call, m=model: c(rg.ReLUNetwork.from_torch(m)), theirs,
            lambda c=call, n=net: c(n), rep)
        mo, mt, mi = statistics.median(to), statistics.median(tt), statistics.median(ti)
        ratio = mo / mt
        engine = mi / mt
        worst, worst_engine = max(worst, ratio), max(worst_engine, engine)
        dom = {"box": "[-4,4]^2", "plane": "plane square", "line": "segment [0,1]"}[kind]
        mark = "" if co == ct else " (differ)"
        print(f"| {label} | {dom} | {co:,} / {ct:,}{mark} | {mo:.3g} ({mi:.2g}) | {mt:.3g} | "
              f"**{ratio:.1f}x** ({min(to) / min(tt):.1f}x) | {engine:.1f}x | "
              f"{os.getloadavg()[0]:.1f} |", flush=True)
    print(f"worst ratio of medians: {worst:.1f}x whole call, {worst_engine:.1f}x without "
          f"from_torch (target: every net within 3x)")

"""``relugeom bench importers``: what reading a trained model costs, next to what is done
with it.

* a default-initialised float32 784-64-64-10 (``torch.manual_seed(0)``) read by
  ``from_torch`` and, as a hand-built ONNX graph of Gemm and Relu nodes, by ``from_onnx``;
  both against the per-weight ``Fraction(float(w))`` route they replaced, measured in the
  same process;
* the plane region call on the imported network (the plane through three random
  "images" with pixels k/255, the square [-1, 2]^2, as in ``relugeom bench trained``):
  the import must cost at most 5% of it;
* a small convolutional net (Conv2d, MaxPool2d, Linear on 1x28x28), the sparse path.

Times are the best of ``repeat`` runs; the load average is printed beside them.
"""
from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

import numpy as np

from . import best_time

__all__ = ["bench_importers", "mnist_torch_model", "onnx_of"]


def mnist_torch_model(seed: int = 0) -> Any:
    """A default-initialised float32 784-64-64-10 torch MLP (eval mode)."""
    import torch
    from torch import nn
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                         nn.Linear(64, 10)).eval()


def onnx_of(model: Any) -> Any:
    """An ONNX ModelProto of a Sequential of Linear and ReLU (Gemm, Relu nodes)."""
    from onnx import TensorProto, helper, numpy_helper
    from torch import nn
    nodes, inits, cur = [], [], "x"
    for i, m in enumerate(model):
        out = f"t{i}"
        if isinstance(m, nn.Linear):
            inits += [numpy_helper.from_array(m.weight.detach().numpy(), f"W{i}"),
                      numpy_helper.from_array(m.bias.detach().numpy(), f"b{i}")]
            nodes.append(helper.make_node("Gemm", [cur, f"W{i}", f"b{i}"], [out], transB=1))
        else:
            nodes.append(helper.make_node("Relu", [cur], [out]))
        cur = out
    n_in, n_out = model[0].in_features, model[-1].out_features
    g = helper.make_graph(nodes, "mlp",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, n_in])],
                          [helper.make_tensor_value_info(cur, TensorProto.FLOAT, [1, n_out])],
                          initializer=inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def _fraction_route(model: Any) -> int:
    """The replaced cost: one Fraction per weight, nothing else."""
    n = 0
    for p in model.parameters():
        n += len([Fraction(v) for v in p.detach().double().ravel().tolist()])
    return n


def _plane() -> tuple[Any, list]:
    from ..convex.planes import plane
    rng = np.random.default_rng(1)
    imgs = rng.integers(0, 256, (3, 784))
    pts = [[Fraction(int(v), 255) for v in row] for row in imgs]
    return plane(pts[0], pts[1], pts[2]), [(-1, 2), (-1, 2)]


def _conv_model() -> Any:
    import torch
    from torch import nn
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 5, stride=2), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(4 * 6 * 6, 10)).eval()


def bench_importers(quick: bool = False) -> None:
    """Run the benchmark and print its figures."""
    from ..geometry.regions import linear_regions
    from ..interop import from_onnx, from_torch
    from ..interop._extras import require
    require("onnx", "onnx", "relugeom bench importers")
    rep = 3 if quick else 7
    print(f"importers (load average {os.getloadavg()[0]:.2f}):")
    model = mnist_torch_model()
    proto = onnx_of(model)
    t_torch, net = best_time(lambda: from_torch(model), rep)
    t_onnx, net2 = best_time(lambda: from_onnx(proto), rep)
    t_frac, n = best_time(lambda: _fraction_route(model), 1 if quick else 2)
    assert net == net2, "from_torch and from_onnx disagree"
    print(f"  784-64-64-10 float32 ({n} weights): from_torch {t_torch * 1e3:.2f} ms, "
          f"from_onnx {t_onnx * 1e3:.2f} ms; one Fraction per weight alone "
          f"{t_frac * 1e3:.0f} ms ({t_frac / t_torch:.0f}x from_torch)")
    P, box = _plane()
    t_plane, res = best_time(lambda: linear_regions(net, plane=P, box=box), 1 if quick else 3)
    share = t_torch / t_plane
    print(f"  its plane region call on [-1,2]^2: {res.n_regions} regions in {t_plane:.3f} s; "
          f"from_torch costs {100 * share:.1f}% of it (target <= 5%: "
          f"{'met' if share <= 0.05 else 'NOT MET'})")
    import torch
    from torch import nn
    torch.manual_seed(0)
    leaky = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.1), nn.Linear(256, 256),
                          nn.LeakyReLU(0.1), nn.Linear(256, 10)).eval()
    t_leaky, lnet = best_time(lambda: from_torch(leaky), 1 if quick else 3)
    print(f"  784-256-256-10 with LeakyReLU(0.1) (activation blocks): from_torch "
          f"{t_leaky:.3f} s, widths {lnet.widths}")
    conv = _conv_model()
    t_conv, cnet = best_time(lambda: from_torch(conv, input_shape=(1, 28, 28)), 1 if quick else 3)
    print(f"  conv 1x28x28 -> Conv2d(1,4,5,s2) ReLU MaxPool2d(2) Linear(144,10): from_torch "
          f"{t_conv:.3f} s, widths {cnet.widths}")
    print(f"  (load average after: {os.getloadavg()[0]:.2f})")

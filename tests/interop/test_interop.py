"""numpy and PyTorch interop: weights move in and out exactly."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

import relugeom as rg


def _net() -> rg.ReLUNetwork:
    return rg.ReLUNetwork([([[1], ["-1/2"], [3]], [0, "1/3", -1]),
                           ([[1, 2, "-1/4"], [0, 1, 1]], ["1/7", 0]),
                           ([[2, -1]], [5])])


def test_to_arrays_from_arrays_round_trip():
    """from_arrays(to_arrays(net)) is the same network, entries exact Fractions."""
    net = _net()
    arrays = net.to_arrays()
    assert [W.shape for W, _ in arrays] == [(3, 1), (2, 3), (1, 2)]
    assert all(isinstance(v, Fraction) for W, b in arrays for v in [*W.ravel(), *b])
    assert rg.ReLUNetwork.from_arrays(arrays) == net


def test_from_arrays_refuses_floats_unless_asked():
    """Float weights are refused by default and converted to their exact binary value
    with exact_float=True."""
    layers = [(np.array([[0.1], [-2.0]]), np.array([0.0, 0.5])), (np.array([[1.0, 1.0]]),
                                                                   np.array([0.0]))]
    with pytest.raises(rg.NotExactError):
        rg.ReLUNetwork.from_arrays(layers)
    net = rg.ReLUNetwork.from_arrays(layers, exact_float=True)
    assert net.layers[0][0][0][0] == Fraction(0.1) != Fraction(1, 10)
    assert net.layers[0][1] == (Fraction(0), Fraction(1, 2))


def test_from_arrays_accepts_integer_arrays():
    """Integer numpy arrays are exact and need no flag."""
    net = rg.ReLUNetwork.from_arrays([(np.array([[1], [-1]]), np.array([0, 0])),
                                      (np.array([[1, 1]]), np.array([0]))])
    assert net.to_pwl() == rg.maximum(rg.PiecewiseLinear.identity(),
                                      -rg.PiecewiseLinear.identity())


def test_float_evaluation_matches_exact_values():
    """net.evaluate (float) agrees with the exact value at the same rational points."""
    net = _net()
    xs = [Fraction(i, 8) for i in range(-24, 25)]
    exact = np.array([float(net(x)) for x in xs])
    assert np.allclose(net.evaluate(np.array([float(x) for x in xs])), exact, rtol=0,
                       atol=1e-12)


# ---------------------------------------------------------------------- PyTorch
def _torch_net(torch, n_in: int, widths: list[int], seed: int, dtype):
    torch.manual_seed(seed)
    mods = []
    sizes = [n_in, *widths]
    for a, b in zip(sizes, sizes[1:]):
        mods += [torch.nn.Linear(a, b), torch.nn.ReLU()]
    mods.append(torch.nn.Linear(sizes[-1], 1))
    return torch.nn.Sequential(*mods).to(dtype)


def test_from_torch_converts_weights_exactly():
    """Every converted weight is the exact binary value of the torch float (float32)."""
    torch = pytest.importorskip("torch")
    model = _torch_net(torch, 1, [4, 3], seed=0, dtype=torch.float32)
    net = rg.ReLUNetwork.from_torch(model)
    assert net.widths == (4, 3) and net.depth == 3
    linears = [m for m in model if isinstance(m, torch.nn.Linear)]
    for (W, b), lin in zip(net.layers, linears):
        tw = lin.weight.detach().tolist()
        assert [list(r) for r in W] == [[Fraction(v) for v in row] for row in tw]
        assert list(b) == [Fraction(v) for v in lin.bias.detach().tolist()]


def test_from_torch_function_matches_torch_and_counts_pieces():
    """The exact function of a converted float64 model agrees with torch's outputs, and its
    pieces along the line are counted exactly (within Lemma D.5's bound)."""
    torch = pytest.importorskip("torch")
    model = _torch_net(torch, 1, [6, 6], seed=1, dtype=torch.float64)
    net = rg.ReLUNetwork.from_torch(model)
    f = net.to_pwl()
    xs = np.linspace(-3, 3, 257)
    with torch.no_grad():
        ref = model(torch.tensor(xs).reshape(-1, 1)).reshape(-1).numpy()
    assert np.allclose(f.evaluate(xs), ref, rtol=1e-12, atol=1e-12)
    assert 1 <= f.n_pieces <= 2 * (6 + 1) * 6


def test_from_torch_two_inputs_exact_point_values():
    """A 2-input model: exact values at rational points match torch (float64)."""
    torch = pytest.importorskip("torch")
    model = _torch_net(torch, 2, [5], seed=2, dtype=torch.float64)
    net = rg.ReLUNetwork.from_torch(model)
    pts = [(Fraction(1, 2), Fraction(-3, 4)), (Fraction(2), Fraction(1, 8))]
    with torch.no_grad():
        ref = model(torch.tensor([[float(a), float(b)] for a, b in pts],
                                 dtype=torch.float64)).reshape(-1).tolist()
    for p, r in zip(pts, ref):
        assert abs(float(net(p)) - r) < 1e-12


def test_from_torch_rejects_unsupported_and_merges_affine():
    """Smooth activations are refused by name; consecutive Linears merge exactly into one
    affine map; a stack ending in ReLU gets an identity output map."""
    torch = pytest.importorskip("torch")
    nn = torch.nn
    with pytest.raises(rg.NotExactError, match="Tanh"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1)))
    torch.manual_seed(0)
    two = nn.Sequential(nn.Linear(1, 2), nn.Linear(2, 1))
    net = rg.ReLUNetwork.from_torch(two)
    W1, b1 = [Fraction(v) for v in two[0].weight.reshape(-1).tolist()], \
        [Fraction(v) for v in two[0].bias.tolist()]
    W2, b2 = [Fraction(v) for v in two[1].weight.reshape(-1).tolist()], \
        Fraction(two[1].bias.item())
    assert net.depth == 1
    assert net.layers[0] == (((W2[0] * W1[0] + W2[1] * W1[1],),),
                             (W2[0] * b1[0] + W2[1] * b1[1] + b2,))
    relu_last = rg.ReLUNetwork.from_torch(nn.Sequential(nn.Linear(1, 2), nn.ReLU()))
    assert relu_last.widths == (2,) and relu_last.layers[-1][0] == ((1, 0), (0, 1))


def test_from_torch_without_bias():
    """A Linear without bias gets zero biases."""
    torch = pytest.importorskip("torch")
    nn = torch.nn
    model = nn.Sequential(nn.Linear(1, 2, bias=False), nn.ReLU(), nn.Linear(2, 1, bias=False))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[1.0], [-1.0]]))
        model[2].weight.copy_(torch.tensor([[1.0, 1.0]]))
    net = rg.ReLUNetwork.from_torch(model)
    assert net.layers[0][1] == (0, 0) and net.layers[1][1] == (0,)
    assert net.to_pwl() == rg.maximum(rg.PiecewiseLinear.identity(),
                                      -rg.PiecewiseLinear.identity())


# ---------------------------------------------------------------------- ONNX
def _export(torch, model, shape, path):
    model = model.eval()
    torch.onnx.export(model, (torch.zeros(1, *shape),), str(path), dynamo=False)
    return str(path)


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("case", ["mlp", "leaky-clip", "conv-avg", "conv-max"])
def test_from_onnx_equals_from_torch(case, tmp_path):
    """Two routes: the ONNX export of a torch model imports to exactly the network that
    from_torch gives (same float weights, same exact assembly)."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    nn = torch.nn
    torch.manual_seed(5)
    model, shape = {
        "mlp": (nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), (3,)),
        "leaky-clip": (nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.125), nn.Dropout(),
                                     nn.Linear(3, 3), nn.Hardtanh(-0.5, 0.5),
                                     nn.Linear(3, 1)), (2,)),
        "conv-avg": (nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(),
                                   nn.AvgPool2d(2), nn.Flatten(), nn.Linear(8, 2)),
                     (1, 4, 4)),
        "conv-max": (nn.Sequential(nn.Conv1d(2, 2, 2), nn.ReLU(), nn.MaxPool1d(2),
                                   nn.Flatten(), nn.Linear(8, 1)), (2, 9)),
    }[case]
    path = _export(torch, model, shape, tmp_path / "m.onnx")
    a = rg.ReLUNetwork.from_onnx(path)
    b = rg.ReLUNetwork.from_torch(model, input_shape=shape)
    assert a == b          # LeakyReLU 0.125 is exact in ONNX's float32 attribute too
    X = torch.randn(4, *shape)
    with torch.no_grad():
        ref = model(X).reshape(4, -1).numpy()
    assert np.allclose(np.asarray(a.evaluate(X.reshape(4, -1).double().numpy())
                                  ).reshape(4, -1), ref, rtol=1e-5, atol=1e-6)


@pytest.mark.filterwarnings("ignore")
def test_from_onnx_batchnorm_float_close(tmp_path):
    """BatchNormalization (not folded by the exporter after a Linear) imports close to
    torch's forward."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    nn = torch.nn
    torch.manual_seed(6)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
    with torch.no_grad():
        model[1].running_var.uniform_(0.5, 2.0)
        model[1].running_mean.uniform_(-1, 1)
    path = _export(torch, model, (3,), tmp_path / "bn.onnx")
    net = rg.ReLUNetwork.from_onnx(path)
    X = torch.randn(8, 3)
    with torch.no_grad():
        ref = model(X).numpy()
    assert np.allclose(net.evaluate(X.double().numpy()), ref, rtol=1e-5, atol=1e-6)


def _graph(nodes, inits, in_shape, out_shape):
    from onnx import TensorProto, helper
    g = helper.make_graph(nodes, "g",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, in_shape)],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, out_shape)],
                          initializer=inits)
    return helper.make_model(g)


def test_from_onnx_handmade_graph_exact():
    """MatMul + Add, Mul/Sub/Div by constants, Reshape, Clip with one bound: exact values."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper
    T = lambda n, dims, v: helper.make_tensor(n, TensorProto.FLOAT, dims, v)  # noqa: E731
    nodes = [helper.make_node("MatMul", ["x", "W"], ["a"]),
             helper.make_node("Add", ["b", "a"], ["c"]),
             helper.make_node("Relu", ["c"], ["d"]),
             helper.make_node("Mul", ["d", "two"], ["e"]),
             helper.make_node("Sub", ["e", "one"], ["f"]),
             helper.make_node("Div", ["f", "four"], ["g"]),
             helper.make_node("Clip", ["g", "lo"], ["h"]),
             helper.make_node("Reshape", ["h", "shape"], ["y"])]
    inits = [T("W", [2, 2], [1.0, -1.0, 0.5, 2.0]), T("b", [2], [0.25, 0.0]),
             T("two", [], [2.0]), T("one", [1], [1.0]), T("four", [], [4.0]),
             T("lo", [], [-0.125]),
             helper.make_tensor("shape", TensorProto.INT64, [2], [1, -1])]
    net = rg.ReLUNetwork.from_onnx(_graph(nodes, inits, [1, 2], [1, 2]))
    x = (Fraction(1, 3), Fraction(-1, 5))
    a = (x[0] + Fraction(1, 2) * x[1] + Fraction(1, 4), -x[0] + 2 * x[1])
    expect = tuple(max((2 * max(v, 0) - 1) / 4, Fraction(-1, 8)) for v in a)
    assert net(x) == expect
    with pytest.raises(rg.SerializationError, match="no such file"):
        rg.ReLUNetwork.from_onnx("/nonexistent/m.onnx")
    assert onnx is not None


def test_from_onnx_refusals():
    """Unsupported ops are refused by name; graphs that are not chains are refused."""
    pytest.importorskip("onnx")
    from onnx import helper
    with pytest.raises(rg.NotExactError, match="Tanh.*supported"):
        rg.ReLUNetwork.from_onnx(_graph([helper.make_node("Tanh", ["x"], ["y"])], [],
                                        [1, 2], [1, 2]))
    with pytest.raises(rg.DomainError, match="LRN"):
        rg.ReLUNetwork.from_onnx(_graph([helper.make_node("LRN", ["x"], ["y"], size=1)],
                                        [], [1, 2], [1, 2]))
    with pytest.raises(rg.DomainError, match="chains and residual"):
        rg.ReLUNetwork.from_onnx(_graph([helper.make_node("Relu", ["x"], ["a"]),
                                         helper.make_node("Relu", ["x"], ["b"]),
                                         helper.make_node("Add", ["a", "b"], ["y"])], [],
                                        [1, 2], [1, 2]))
    res = rg.ReLUNetwork.from_onnx(_graph([helper.make_node("Relu", ["x"], ["r"]),
                                           helper.make_node("Add", ["r", "x"], ["y"])], [],
                                          [1, 2], [1, 2]))
    assert res((Fraction(-1, 3), 2)) == (Fraction(-1, 3), 4)        # x + relu(x)


@pytest.mark.filterwarnings("ignore")
def test_from_onnx_residual_export(tmp_path):
    """torch's export of Residual blocks (Add(x, f(x))) imports to from_torch's network."""
    torch = pytest.importorskip("torch")
    pytest.importorskip("onnx")
    from relugeom.interop import Residual
    nn = torch.nn
    torch.manual_seed(8)
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(),
                          Residual(nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 3))),
                          Residual(nn.Sequential(nn.Linear(3, 3), nn.LeakyReLU(0.5))),
                          nn.Linear(3, 1))
    path = _export(torch, model, (2,), tmp_path / "res.onnx")
    assert rg.ReLUNetwork.from_onnx(path) == rg.ReLUNetwork.from_torch(model)

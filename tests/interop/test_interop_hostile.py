"""Hostile inputs to the importers (findings H3-01, -02, -03, -06, -07, -11, -14, -20,
-21, -25 of hostile-inputs-ae34435): each is refused up front with a RelugeomError naming
the value, or read correctly; nothing is read from the current directory, nothing hangs."""
from __future__ import annotations

import os
import struct
from fractions import Fraction

import numpy as np
import pytest

import relugeom as rg

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
nn = torch.nn
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from relugeom.interop.torch_io import Residual  # noqa: E402


def _model(nodes, inits, in_shape=(1, 2), out_shape=(1, 1), opset=17, out="y"):
    g = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(in_shape))],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, list(out_shape))],
        initializer=inits)
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", opset)])


W = numpy_helper.from_array(np.array([[1.0, -1.0]], dtype=np.float32), "W")
GEMM = helper.make_node("Gemm", ["x", "W"], ["y"], transB=1)


def _ext_model(location: str):
    """Gemm whose weight W (2 float32 = 8 bytes) is stored as external data."""
    t = onnx.TensorProto()
    t.name, t.data_type = "W", TensorProto.FLOAT
    t.dims.extend([1, 2])
    t.data_location = TensorProto.EXTERNAL
    e = t.external_data.add()
    e.key, e.value = "location", location
    return _model([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1)], [t])


# ---------------------------------------------------------------------- H3-01
@pytest.mark.parametrize("loc", ["local.bin", "sub/../local.bin"])
@pytest.mark.parametrize("form", ["ModelProto", "bytes"])
def test_h3_01_external_data_not_read_from_cwd(tmp_path, monkeypatch, loc, form):
    """bytes / ModelProto with external data: refused without base_dir (the current
    folder holds the file and is never read); with base_dir= the exact bytes are read."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "local.bin").write_bytes(b"LOCAL!!!")
    (tmp_path / "sub").mkdir()
    m = _ext_model(loc)
    arg = m if form == "ModelProto" else m.SerializeToString()
    with pytest.raises(rg.SerializationError, match="base_dir"):
        rg.ReLUNetwork.from_onnx(arg)
    net = rg.ReLUNetwork.from_onnx(arg, base_dir=tmp_path)
    assert net.layers[0][0][0] == tuple(Fraction(v) for v in struct.unpack("<2f", b"LOCAL!!!"))
    assert m.graph.initializer[0].data_location == TensorProto.EXTERNAL   # not mutated


def test_h3_01_external_data_outside_base_dir_refused(tmp_path):
    """Absolute paths, '../', a symlink out of base_dir, a FIFO, a short file: all
    SerializationError (typed, never onnx's ValidationError)."""
    secret = tmp_path / "secret8.bin"
    secret.write_bytes(b"SECRET!!")
    work = tmp_path / "work"
    work.mkdir()
    (work / "link.bin").symlink_to(secret)
    (work / "short.bin").write_bytes(b"1234")
    os.mkfifo(work / "fifo")
    for loc in (str(secret), "../secret8.bin", "link.bin", "fifo", "short.bin", ""):
        for arg in (_ext_model(loc), _ext_model(loc).SerializeToString()):
            with pytest.raises(rg.SerializationError):
                rg.ReLUNetwork.from_onnx(arg, base_dir=work)
            with pytest.raises(rg.SerializationError):
                rg.ReLUNetwork.from_onnx(arg)
    with pytest.raises(rg.SerializationError, match="not a folder"):
        rg.ReLUNetwork.from_onnx(_ext_model("x"), base_dir=secret)


def test_h3_01_model_file_reads_external_data_beside_it(tmp_path):
    """A model saved with external data loads from its own folder, from anywhere."""
    m = _model([GEMM], [numpy_helper.from_array(np.array([[0.25, -3.0]], np.float32), "W")])
    onnx.save_model(m, str(tmp_path / "m.onnx"), save_as_external_data=True,
                    all_tensors_to_one_file=True, location="w.bin", size_threshold=0)
    assert rg.ReLUNetwork.from_onnx(tmp_path / "m.onnx")((4, 1)) == -2


# ---------------------------------------------------------------------- H3-02, H3-03
def test_h3_02_sequential_subclass_forward_refused():
    class S(nn.Sequential):
        def forward(self, x):
            return -super().forward(x)
    with pytest.raises(rg.DomainError, match="overrides forward"):
        rg.ReLUNetwork.from_torch(S(nn.Linear(1, 1), nn.ReLU()))

    class Plain(nn.Sequential):              # same semantics: accepted
        pass
    torch.manual_seed(0)
    m = Plain(nn.Linear(2, 1))
    assert rg.ReLUNetwork.from_torch(m) == rg.ReLUNetwork.from_torch(nn.Sequential(m[0]))


def test_h3_02_residual_subclass_forward_refused():
    class R2(Residual):
        def forward(self, x):
            return x - self.body(x)
    m = nn.Sequential(nn.Linear(1, 1), R2(nn.Sequential(nn.Linear(1, 1), nn.ReLU())))
    with pytest.raises(rg.DomainError, match="Residual and overrides forward"):
        rg.ReLUNetwork.from_torch(m)


@pytest.mark.parametrize("kind", ["forward", "pre", "global", "instance"])
def test_h3_02_hooks_and_instance_forward_refused(kind):
    m = nn.Sequential(nn.Linear(1, 1))
    if kind == "forward":
        h = m[0].register_forward_hook(lambda mod, inp, out: out * 0)
    elif kind == "pre":
        h = m[0].register_forward_pre_hook(lambda mod, inp: (inp[0] * 2,))
    elif kind == "global":
        h = nn.modules.module.register_module_forward_hook(lambda mod, i, o: o)
    else:
        m[0].forward = lambda x: x * 0
        h = None
    try:
        with pytest.raises(rg.DomainError, match="hook|instance"):
            rg.ReLUNetwork.from_torch(m)
    finally:
        if h is not None:
            h.remove()
    if h is not None:
        rg.ReLUNetwork.from_torch(m)               # removed: imported


def test_h3_03_complex_weights_refused():
    m = nn.Linear(2, 1, dtype=torch.complex64)
    with pytest.raises(rg.NotExactError, match="complex"):
        rg.ReLUNetwork.from_torch(m)


# ---------------------------------------------------------------------- H3-06
def test_h3_06_onnx_cycles_refused():
    W2 = numpy_helper.from_array(np.eye(2, dtype=np.float32), "W2")
    cases = [
        _model([helper.make_node("Gemm", ["x", "W"], ["h"], transB=1),
                helper.make_node("Relu", ["h"], ["h"])], [W], out="h"),
        _model([helper.make_node("Gemm", ["x", "W"], ["h"], transB=1),
                helper.make_node("Relu", ["h"], ["g"]), helper.make_node("Relu", ["g"], ["h2"]),
                helper.make_node("Identity", ["h2"], ["h"])], [W], out="q"),
        _model([helper.make_node("Relu", ["x"], ["h"]),
                helper.make_node("MatMul", ["h", "W2"], ["x"])], [W2], out="x"),
        _model([helper.make_node("Add", ["x", "b"], ["a"]), helper.make_node("Relu", ["a"], ["b"]),
                helper.make_node("Relu", ["b"], ["y"])], [], out_shape=(1, 2)),
    ]
    for m in cases:
        with pytest.raises(rg.DomainError, match="cycle"):
            rg.ReLUNetwork.from_onnx(m)


# ---------------------------------------------------------------------- H3-07, H3-14
def test_h3_07_sizes_checked_before_reading():
    """From the shapes alone: a meta Linear(6000, 6000) has no values to read at all."""
    with pytest.raises(rg.TooLargeError, match="6000 x 6000"):
        rg.ReLUNetwork.from_torch(nn.Linear(6000, 6000, device="meta"))
    with rg.limits(max_matrix_entries=100):
        with pytest.raises(rg.TooLargeError):
            rg.ReLUNetwork.from_torch(nn.Linear(20, 20))
    with pytest.raises(rg.TooLargeError):
        rg.ReLUNetwork.from_torch(nn.AvgPool2d(3, stride=1, padding=1), input_shape=(1, 3000, 3000))
    with pytest.raises(rg.TooLargeError):
        rg.ReLUNetwork.from_onnx(_model(
            [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[2, 2], pads=[10**6] * 4)],
            [], in_shape=(1, 1, 2, 2), out_shape=(1, 1, 2, 2)))
    with pytest.raises(rg.TooLargeError):
        rg.ReLUNetwork.from_onnx(_model(
            [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[10**5, 10**5], pads=[10**5] * 4)],
            [], in_shape=(1, 1, 2, 2), out_shape=(1, 1, 2, 2)))
    with pytest.raises(rg.DomainError, match="strides"):
        rg.ReLUNetwork.from_onnx(_model(
            [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2], strides=[0, 1])],
            [], in_shape=(1, 1, 2, 2), out_shape=(1, 1, 1, 1)))


def test_h3_14_huge_inputs_refused_before_building():
    with pytest.raises(rg.TooLargeError, match="input"):
        rg.ReLUNetwork.from_torch(nn.Identity(), input_shape=(10**9,))
    with pytest.raises(rg.TooLargeError, match="input"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.Flatten(), nn.Linear(10**9, 1, device="meta")),
                                  input_shape=(1, 10**9))
    with pytest.raises(rg.TooLargeError, match="input"):
        rg.ReLUNetwork.from_onnx(_model([helper.make_node("Relu", ["x"], ["y"])], [],
                                        in_shape=(1, 10**9), out_shape=(1, 10**9)))
    with pytest.raises(rg.DomainError, match="meta"):
        rg.ReLUNetwork.from_torch(nn.Linear(3, 2, device="meta"))


def test_h3_11_fifo_model_path_refused(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(rg.SerializationError, match="regular file"):
        rg.ReLUNetwork.from_onnx(tmp_path / "fifo")


# ---------------------------------------------------------------------- H3-20, H3-21
@pytest.mark.filterwarnings("ignore:Initializing zero-element")
def test_h3_20_torch_untyped_now_typed():
    def bn_eps_nan():
        bn = nn.BatchNorm1d(2).eval()
        bn.eps = float("nan")
        return nn.Sequential(nn.Linear(2, 2), bn)

    def deep():
        m = nn.Linear(1, 1)
        for _ in range(3000):
            m = nn.Sequential(m)
        return m
    cases = [(nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(float("nan"))), rg.DomainError, "nan"),
             (nn.Sequential(nn.Linear(2, 2), nn.LeakyReLU(float("inf"))), rg.DomainError, "inf"),
             (nn.Sequential(nn.Linear(2, 2), nn.Hardtanh(float("nan"), 1.0)), rg.DomainError, "nan"),
             (nn.Sequential(nn.Linear(2, 2), nn.Softshrink(float("inf"))), rg.DomainError, "inf"),
             (bn_eps_nan(), rg.DomainError, "eps = nan"),
             (nn.Linear(3, 0), rg.DimensionError, r"\(0, 3\)"),
             (deep(), rg.DomainError, "nested")]
    for m, err, msg in cases:
        with pytest.raises(err, match=msg):
            rg.ReLUNetwork.from_torch(m)


def test_hardtanh_infinite_bounds_are_absent_bounds():
    """Hardtanh(-inf, 1) is min(x, 1): torch's forward agrees exactly on dyadic points."""
    m = nn.Sequential(nn.Linear(1, 1), nn.Hardtanh(float("-inf"), 1.0))
    with torch.no_grad():
        m[0].weight.fill_(1.0)
        m[0].bias.fill_(0.0)
    net = rg.ReLUNetwork.from_torch(m)
    for x in (-1000, Fraction(1, 2), 1, 7):
        assert net(x) == min(x, 1) == m(torch.tensor([[float(x)]])).item()
    bad = nn.Hardtanh(-1.0, 1.0)
    bad.min_val = float("inf")
    with pytest.raises(rg.DomainError, match="min_val = inf"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.Linear(1, 1), bad))


def test_h3_21_onnx_untyped_now_typed():
    h = helper.make_node("Gemm", ["x", "W"], ["h"], transB=1)
    one = [numpy_helper.from_array(np.array([1.0], dtype=np.float32), n) for n in "gbmv"]
    W1 = numpy_helper.from_array(np.array([1.0, -1.0], dtype=np.float32), "W")
    cases = [
        (_model([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1, alpha=float("nan"))], [W]),
         rg.DomainError, "alpha = nan"),
        (_model([helper.make_node("Gemm", ["x", "W"], ["y"], transB=1, alpha=float("inf"))], [W]),
         rg.DomainError, "alpha = inf"),
        (_model([h, helper.make_node("LeakyRelu", ["h"], ["y"], alpha=float("nan"))], [W]),
         rg.DomainError, "alpha = nan"),
        (_model([h, helper.make_node("BatchNormalization", ["h", "g", "b", "m", "v"], ["y"],
                                     epsilon=float("nan"))], [W] + one), rg.DomainError, "epsilon"),
        (_model([helper.make_node("Gemm", ["x", "W"], ["y"])], [W1]), rg.DimensionError, "2-D"),
        (_model([helper.make_node("Relu", ["x"], [])], [], out_shape=(1, 2)), rg.DomainError,
         "no output"),
        (_model([helper.make_node("Constant", [], [], value=W), helper.make_node("Relu", ["x"], ["y"])],
                [], out_shape=(1, 2)), rg.DomainError, "no output"),
        (_model([helper.make_node("MaxPool", ["x"], ["y"])], [], in_shape=(1, 1, 4, 4),
                out_shape=(1, 1, 2, 2)), rg.DomainError, "kernel_shape"),
        (_model([h, helper.make_node("Clip", ["h"], ["y"], min=float("inf"), max=1.0)], [W], opset=6),
         rg.DomainError, "min = inf"),
    ]
    for m, err, msg in cases:
        with pytest.raises(err, match=msg):
            rg.ReLUNetwork.from_onnx(m)


def test_h3_21_clip_minus_infinity_is_no_lower_bound():
    """Clip(min=-inf, max=1) at opset 6 (attributes) and opset 13 (inputs): min(h, 1)."""
    h = helper.make_node("Gemm", ["x", "W"], ["h"], transB=1)
    lo = numpy_helper.from_array(np.array(-np.inf, dtype=np.float32), "lo")
    hi = numpy_helper.from_array(np.array(1.0, dtype=np.float32), "hi")
    for m in (_model([h, helper.make_node("Clip", ["h"], ["y"], min=float("-inf"), max=1.0)],
                     [W], opset=6),
              _model([h, helper.make_node("Clip", ["h", "lo", "hi"], ["y"])], [W, lo, hi])):
        net = rg.ReLUNetwork.from_onnx(m)
        for x in [(5, 1), (0, 3), (Fraction(3, 2), 0), (-100, 100)]:
            assert net(x) == min(x[0] - x[1], 1)


# ---------------------------------------------------------------------- H3-25
def test_h3_25_opset_range_and_training_batchnorm():
    for opset in (1, 5, 999):
        with pytest.raises(rg.DomainError, match=f"opset {opset}"):
            rg.ReLUNetwork.from_onnx(_model([GEMM], [W], opset=opset))
    assert rg.ReLUNetwork.from_onnx(_model([GEMM], [W], opset=6))((3, 1)) == 2
    torch.manual_seed(0)
    m = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    with torch.no_grad():
        m[1].running_var.fill_(0.25)
    with pytest.warns(UserWarning, match="training mode.*eval"):
        trained = rg.ReLUNetwork.from_torch(m)
    with __import__("warnings").catch_warnings():
        __import__("warnings").simplefilter("error")
        assert rg.ReLUNetwork.from_torch(m.eval()) == trained


# ---------------------------------------------------------------------- bfloat16 and friends
def test_onnx_bfloat16_weights_exact():
    Wb = helper.make_tensor("W", TensorProto.BFLOAT16, [1, 2], [0.5, 1.0])
    assert rg.ReLUNetwork.from_onnx(_model([GEMM], [Wb])).layers[0][0] == \
        ((Fraction(1, 2), Fraction(1)),)


def test_limits_name_the_value():
    """Refusal messages are one line and name what was too large."""
    with pytest.raises(rg.TooLargeError) as e:
        rg.ReLUNetwork.from_torch(nn.Identity(), input_shape=(10**9,))
    assert "\n" not in str(e.value) and "1000000000" in str(e.value)

"""from_torch for every supported layer type: against torch's own forward pass (float) and
exactly against the imported network; to_torch round trips; refusals name the module."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg

torch = pytest.importorskip("torch")
nn = torch.nn
from relugeom.interop import Residual  # noqa: E402


def _bn(C: int, dim: int, seed: int) -> nn.Module:
    bn = nn.BatchNorm1d(C) if dim == 1 else nn.BatchNorm2d(C)
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        bn.running_mean.copy_(torch.rand(C, generator=g) - 0.5)
        bn.running_var.copy_(torch.rand(C, generator=g) + 0.5)
        bn.weight.copy_(torch.rand(C, generator=g) + 0.5)
        bn.bias.copy_(torch.rand(C, generator=g) - 0.5)
    return bn


def _prelu(slopes: list[float]) -> nn.Module:
    p = nn.PReLU(len(slopes))
    with torch.no_grad():
        p.weight.copy_(torch.tensor(slopes))
    return p


def _cases() -> dict[str, tuple]:
    torch.manual_seed(0)
    return {
        "linear-relu": (nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), (3,)),
        "leaky": (nn.Sequential(nn.Linear(2, 3), nn.LeakyReLU(0.1), nn.Linear(3, 1)), (2,)),
        "prelu": (nn.Sequential(nn.Linear(2, 3), nn.PReLU(), nn.Linear(3, 1)), (2,)),
        "hardtanh-relu6": (nn.Sequential(nn.Linear(2, 3), nn.Hardtanh(-0.5, 0.75),
                                         nn.Linear(3, 3), nn.ReLU6(), nn.Linear(3, 1)), (2,)),
        "hardsigmoid-softshrink": (nn.Sequential(nn.Linear(2, 3), nn.Hardsigmoid(),
                                                 nn.Linear(3, 2), nn.Softshrink(0.25),
                                                 nn.Linear(2, 1)), (2,)),
        "identity-dropout-flatten": (nn.Sequential(nn.Flatten(), nn.Linear(4, 3),
                                                   nn.Dropout(0.5), nn.Identity(), nn.ReLU(),
                                                   nn.Linear(3, 1)), (2, 2)),
        "batchnorm1d": (nn.Sequential(nn.Linear(2, 3), _bn(3, 1, 1), nn.ReLU(),
                                      nn.Linear(3, 1)), (2,)),
        "conv1d-avgpool1d": (nn.Sequential(nn.Conv1d(2, 3, 3, stride=1, padding=1),
                                           nn.ReLU(), nn.AvgPool1d(2), nn.Flatten(),
                                           nn.Linear(9, 1)), (2, 6)),
        "conv2d-bn2d-avgpool2d": (nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), _bn(2, 2, 2),
                                                nn.ReLU(), nn.AvgPool2d(2), nn.Flatten(),
                                                nn.Linear(8, 2)), (1, 4, 4)),
        "conv2d-groups-stride-dilation": (nn.Sequential(
            nn.Conv2d(2, 2, 2, stride=2, dilation=1, groups=2), nn.ReLU(),
            nn.Conv2d(2, 2, 2, padding="same", dilation=2, bias=False), nn.Flatten(),
            nn.Linear(8, 1)), (2, 4, 4)),
        "maxpool1d": (nn.Sequential(nn.Conv1d(1, 2, 2), nn.MaxPool1d(3, stride=2, padding=1),
                                    nn.Flatten(), nn.Linear(6, 1)), (1, 6)),
        "maxpool2d": (nn.Sequential(nn.Conv2d(1, 1, 2), nn.ReLU(), nn.MaxPool2d(2, stride=1),
                                    nn.Flatten(), nn.Linear(4, 1)), (1, 4, 4)),
        "unflatten-prelu-channels": (nn.Sequential(
            nn.Linear(4, 8), nn.Unflatten(1, (2, 4)), nn.Conv1d(2, 2, 2), _prelu([0.125, 0.5]),
            nn.Dropout1d(0.3), nn.Flatten(), nn.Linear(6, 1)), (4,)),
        "residual": (nn.Sequential(nn.Linear(2, 3), nn.ReLU(),
                                   Residual(nn.Sequential(nn.Linear(3, 3), nn.ReLU(),
                                                          nn.Linear(3, 3))),
                                   nn.Linear(3, 1)), (2,)),
    }


@pytest.mark.parametrize("name", sorted(_cases()))
def test_layer_matches_torch_forward(name):
    """Float: net.evaluate of the import equals torch's float64 forward on random inputs.
    Exact: the exact value at the float inputs agrees with torch float64 to rounding."""
    model, shape = _cases()[name]
    model = model.eval()
    net = rg.ReLUNetwork.from_torch(model, input_shape=shape)
    g = torch.Generator().manual_seed(7)
    X = torch.randn(6, *shape, generator=g)
    with torch.no_grad():
        ref32 = model(X).reshape(6, -1).numpy()
        ref64 = model.double()(X.double()).reshape(6, -1).numpy()
    got = np.asarray(net.evaluate(X.reshape(6, -1).double().numpy())).reshape(6, -1)
    assert np.allclose(got, ref32, rtol=1e-4, atol=1e-5)
    assert np.allclose(got, ref64, rtol=1e-10, atol=1e-12)
    for k in range(2):
        x = [Fraction(v) for v in X[k].reshape(-1).double().tolist()]
        exact = net(x)
        exact = exact if isinstance(exact, tuple) else (exact,)
        assert np.allclose([float(v) for v in exact], ref64[k], rtol=1e-10, atol=1e-12)


def test_weights_are_binary_values():
    """Each imported weight of a Linear is the exact binary value of the float32."""
    torch.manual_seed(3)
    m = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
    net = rg.ReLUNetwork.from_torch(m)
    assert [list(r) for r in net.layers[0][0]] == \
        [[Fraction(v) for v in r] for r in m[0].weight.tolist()]


def test_leaky_relu_is_exact_identity():
    """LeakyReLU(a) imports as relu(x) - a relu(-x): exact values on a rational grid."""
    m = nn.Sequential(nn.Linear(1, 1), nn.LeakyReLU(0.25), nn.Linear(1, 1))
    with torch.no_grad():
        m[0].weight.fill_(1.0)
        m[0].bias.fill_(0.0)
        m[2].weight.fill_(1.0)
        m[2].bias.fill_(0.0)
    f = rg.ReLUNetwork.from_torch(m).to_pwl()
    assert f == rg.PiecewiseLinear.from_points([(0, 0)], left_slope="1/4", right_slope=1)


def test_hardtanh_and_avgpool_exact_values():
    """Hardtanh clips exactly; AvgPool divides by the window size (1/3 is not a float)."""
    m = nn.Sequential(nn.AvgPool1d(3), nn.Hardtanh(-1.0, 2.0))
    net = rg.ReLUNetwork.from_torch(m, input_shape=(1, 3))
    assert net([1, 1, 2]) == Fraction(4, 3)
    assert net([3, 3, 3]) == 2 and net([-9, 0, 0]) == -1


def test_maxpool_is_exact_max():
    """MaxPool1d through the max gadget: exactly the maximum of each window."""
    net = rg.ReLUNetwork.from_torch(nn.Sequential(nn.MaxPool1d(3)), input_shape=(1, 6))
    assert net([Fraction(1, 3), -2, 5, 0, Fraction(-1, 7), -1]) == (5, 0)


def test_residual_convention_attribute():
    """An nn.Sequential with residual=True computes x + body(x), like Residual(body)."""
    torch.manual_seed(4)
    body = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2))
    seq = nn.Sequential(*body)
    seq.residual = True
    a = rg.ReLUNetwork.from_torch(Residual(body), input_shape=(2,))
    b = rg.ReLUNetwork.from_torch(seq, input_shape=(2,))
    assert a == b
    x = (Fraction(1, 2), Fraction(-3))
    assert a(x) == tuple(u + v for u, v in zip(x, rg.ReLUNetwork.from_torch(body)(x)))


def test_batchnorm_exact_when_square():
    """var + eps a rational square: the fold is exact; 'exact' refuses a non-square."""
    bn = nn.BatchNorm1d(1, eps=0.0).eval()
    with torch.no_grad():
        bn.running_var.fill_(0.25)
        bn.running_mean.fill_(1.0)
    net = rg.ReLUNetwork.from_torch(nn.Sequential(bn), input_shape=(1,), batchnorm="exact")
    assert net(3) == 4                       # (3 - 1) / (1/2)
    with torch.no_grad():
        bn.running_var.fill_(0.5)
    with pytest.raises(rg.NotExactError, match="irrational"):
        rg.ReLUNetwork.from_torch(nn.Sequential(bn), input_shape=(1,), batchnorm="exact")


def test_refusals_name_the_module():
    """Unsupported modules: a RelugeomError with the class name and the supported list."""
    with pytest.raises(rg.NotExactError, match="Tanh.*supported: .*Linear"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.Linear(1, 2), nn.Tanh(), nn.Linear(2, 1)))
    with pytest.raises(rg.DomainError, match="LSTM"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.LSTM(2, 2)), input_shape=(2,))
    with pytest.raises(rg.DimensionError, match="input_shape"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.Conv2d(1, 1, 2)))
    with pytest.raises(rg.DomainError, match="ceil_mode"):
        rg.ReLUNetwork.from_torch(nn.Sequential(nn.MaxPool1d(2, ceil_mode=True)),
                                  input_shape=(1, 5))


def test_conv_size_checked_up_front():
    """A convolution whose dense matrix exceeds max_matrix_entries is refused before
    anything is built."""
    with rg.limits(max_matrix_entries=1000):
        with pytest.raises(rg.TooLargeError, match="max_matrix_entries"):
            rg.ReLUNetwork.from_torch(nn.Sequential(nn.Conv2d(1, 4, 3, padding=1)),
                                      input_shape=(1, 16, 16))


def test_to_torch_round_trip():
    """to_torch gives float64 Linear/ReLU whose forward equals net.evaluate, and importing
    it back gives the same network when the weights are floats."""
    net = rg.ReLUNetwork([([[1, "-1/2"], [2, "1/4"]], ["3/8", 0]), ([[1, -1]], ["1/2"])])
    m = net.to_torch()
    assert all(p.dtype == torch.float64 for p in m.parameters())
    X = np.random.default_rng(0).normal(size=(20, 2))
    with torch.no_grad():
        ref = m(torch.tensor(X)).reshape(-1).numpy()
    assert np.allclose(ref, net.evaluate(X), rtol=1e-14, atol=1e-14)
    assert rg.ReLUNetwork.from_torch(m) == net


# ---------------------------------------------------------------------- counts on float32
def _certify(lr, net) -> None:
    """Exact certificate of a complete enumeration on a box: the regions' areas sum to the
    box area, patterns are distinct, and each interior point has its region's pattern."""
    (a, b), (c, d) = lr.box
    assert lr.total_area() == (b - a) * (d - c)
    pats = [r.activation_pattern for r in lr.regions]
    assert len(set(pats)) == len(pats)
    assert all(net.activation_pattern(r.interior_point) == r.activation_pattern
               for r in lr.regions)


def _regioncam_count(model, half: float) -> int | None:
    try:
        import regioncam
    except ImportError:
        return None
    R = regioncam.Regioncam(size=half)
    lins = [m for m in model if isinstance(m, nn.Linear)]
    for lin in lins[:-1]:
        R.linear(lin.weight.detach().numpy().T.copy(), lin.bias.detach().numpy().copy())
        R.relu()
    return R.num_faces


@pytest.mark.parametrize("kind", ["seeded", "trained", "quantised"])
def test_counts_on_float32_networks(kind):
    """Seeded random, trained and quantised (1/4 grid) float32 nets imported by from_torch:
    the exact enumeration is certified exactly; on the seeded and trained nets the float32
    enumeration of regioncam (if installed) finds the same number."""
    from relugeom.benchmarks.trained import trained_torch_model
    torch.manual_seed(11)
    if kind == "trained":
        model = trained_torch_model((8, 8), seed=1, steps=40)
    else:
        model = nn.Sequential(nn.Linear(2, 10), nn.ReLU(), nn.Linear(10, 10), nn.ReLU(),
                              nn.Linear(10, 1))
        if kind == "quantised":
            with torch.no_grad():
                for p in model.parameters():
                    p.copy_(torch.round(p * 12) / 4)
    net = rg.ReLUNetwork.from_torch(model)
    lr = rg.linear_regions(net, box=[(-4, 4), (-4, 4)])
    _certify(lr, net)
    if kind == "quantised":
        assert all(v.denominator in (1, 2, 4) for W, b in net.layers for r in W for v in r)
    else:
        cnt = _regioncam_count(model, 4.0)
        if cnt is not None:
            assert cnt == lr.n_regions


def test_to_torch_of_imported_model_matches_original():
    """from_torch then to_torch: a Linear/ReLU model computing the original model's
    function (LeakyReLU, Hardtanh, AvgPool, residual block) in float64."""
    torch.manual_seed(12)
    m = nn.Sequential(nn.Conv1d(1, 2, 2), nn.LeakyReLU(0.2), nn.AvgPool1d(2), nn.Flatten(),
                      Residual(nn.Sequential(nn.Linear(8, 8), nn.Hardtanh())),
                      nn.Linear(8, 2)).eval().double()
    back = rg.ReLUNetwork.from_torch(m, input_shape=(1, 9)).to_torch()
    assert all(isinstance(x, (nn.Linear, nn.ReLU)) for x in back)
    X = torch.randn(10, 1, 9, dtype=torch.float64)
    with torch.no_grad():
        assert torch.allclose(back(X.reshape(10, -1)), m(X), rtol=1e-12, atol=1e-12)


def test_residual_skip_widths():
    """The skip is carried with 1 unit per entry after a ReLU (x >= 0), 2 otherwise."""
    body = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 3))
    after_relu = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), Residual(body), nn.Linear(3, 1))
    at_input = nn.Sequential(Residual(body), nn.Linear(3, 1))
    assert rg.ReLUNetwork.from_torch(after_relu).widths == (3, 3 + 3)
    assert rg.ReLUNetwork.from_torch(at_input).widths == (3 + 6,)


# ---------------------------------------------------------------------- the plain MLP path
@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(1, 9), min_size=2, max_size=5), st.integers(0, 2**31 - 1),
       st.sampled_from([torch.float32, torch.float64, torch.float16, torch.bfloat16]),
       st.booleans())
def test_plain_mlp_path_equals_the_general_route(dims, seed, dtype, bias):
    """A Sequential of Linear, ReLU, ..., Linear is read directly; the layers are those
    the general route builds (input_shape= forces it), exactly."""
    from relugeom.interop import torch_io as TI
    torch.manual_seed(seed)
    mods = []
    for a, b in zip(dims, dims[1:]):
        mods += [nn.Linear(a, b, bias=bias), nn.ReLU()]
    model = nn.Sequential(*mods[:-1]).to(dtype)
    assert TI._plain_mlp(model) is not None
    fast = rg.ReLUNetwork.from_torch(model)
    slow = rg.ReLUNetwork.from_torch(model, input_shape=(dims[0],))
    assert fast.layers == slow.layers


def test_plain_mlp_path_leaves_everything_else_to_the_general_route():
    from relugeom.interop import torch_io as TI
    lin = lambda: nn.Linear(3, 3)  # noqa: E731
    hooked = nn.Sequential(lin(), nn.ReLU(), lin())
    hooked[1].register_forward_hook(lambda m, i, o: o * 2)
    cases = [nn.Sequential(lin(), nn.ReLU()),                  # ends with an activation
             nn.Sequential(lin(), lin()),                      # two affine maps in a row
             nn.Sequential(lin(), nn.LeakyReLU(), lin()),
             nn.Sequential(nn.Sequential(lin()), nn.ReLU(), lin()),
             hooked]
    for model in cases:
        assert TI._plain_mlp(model) is None
    with pytest.raises(rg.DomainError, match="hook"):
        rg.ReLUNetwork.from_torch(hooked)
    mismatched = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(5, 1))
    assert TI._plain_mlp(mismatched) is None
    with pytest.raises(rg.DimensionError):
        rg.ReLUNetwork.from_torch(mismatched)

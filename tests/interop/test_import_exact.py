"""The numpy-speed import path is exact: float arrays split into integer mantissas and one
power-of-two scale (relugeom.numbers.dyadic), networks stored as integer layers with Fractions
made on demand, and imported modules checked against independent routes (a Fraction
interpreter of the module; torch's own float64 forward where it is exact)."""
from __future__ import annotations

import pickle
import sys
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, strategies as st

import relugeom as rg
from relugeom.numbers.dyadic import IntMatrix, dyadic, fraction_array, int_matmul
from relugeom.strategies import relu_networks

FLOATS = st.floats(allow_nan=False, allow_infinity=False)


# ---------------------------------------------------------------------- dyadic
@given(st.lists(FLOATS, max_size=12), st.sampled_from([np.float16, np.float32, np.float64]))
def test_dyadic_is_the_binary_value(xs, dtype):
    """M * 2**e is each entry's exact value, whatever the width and exponent spread."""
    with np.errstate(over="ignore"):
        a = np.array(xs, dtype=np.float64).astype(dtype)
    a = a[np.isfinite(a)]
    M, e = dyadic(a, "a")
    assert [Fraction(int(m)) * Fraction(2) ** e for m in M] == [Fraction(float(v)) for v in a]
    assert list(fraction_array(M, e)) == [Fraction(float(v)) for v in a]


@given(st.lists(st.floats(width=32, allow_nan=False, allow_infinity=False), max_size=40),
       st.sampled_from([np.float16, np.float32]), st.sampled_from([1, 7]))
def test_dyadic_bits_route_is_the_frexp_route(xs, dtype, reps):
    """float16 / float32 read from their bits give the frexp route's (M, e) exactly
    (subnormals, signed zeros and wide exponent spreads included)."""
    import relugeom.numbers.dyadic as D
    with np.errstate(over="ignore"):
        a = np.tile(np.array(xs, dtype=np.float32).astype(dtype), reps)
    a = a[np.isfinite(a)]                        # reps = 7: past the small-array route
    if reps > 1 and len(a):
        with np.errstate(over="ignore", under="ignore"):
            a = (a * 2.0 ** (np.arange(len(a)) % 9 - 4)).astype(dtype)   # spread exponents
        a = a[np.isfinite(a)]
    fast = D.dyadic(a, "a")
    keep = D._dyadic32
    D._dyadic32 = lambda a: None                 # the frexp route alone
    try:
        slow = D.dyadic(a, "a")
    finally:
        D._dyadic32 = keep
    assert fast[0].shape == a.shape
    assert fast[0].astype(object).tolist() == slow[0].astype(object).tolist()
    if fast[0].any():
        assert fast[1] == slow[1]


def test_dyadic_refuses_what_has_no_exact_real_value():
    for bad, err in [(np.array([1.0, np.nan]), rg.DomainError),
                     (np.array([np.inf]), rg.DomainError),
                     (np.array([1j]), rg.NotExactError),
                     (np.array(["1"]), rg.NotExactError)]:
        with pytest.raises(err):
            dyadic(bad, "w")


@given(st.integers(-2**80, 2**80), st.integers(-2**80, 2**80), st.integers(1, 40))
def test_int_matmul_exact_across_int64_boundary(a, b, n):
    """int64 when the bound allows, Python integers beyond: always the exact product."""
    A = np.array([[a] * n], dtype=object)
    B = np.array([[b]] * n, dtype=object)
    small = [np.asarray(X).astype(np.int64) if max(abs(a), abs(b)) < 2**62 else X
             for X in (A, B)]
    assert int(int_matmul(*small)[0, 0]) == a * b * n


# ---------------------------------------------------------------------- network storage
@given(relu_networks(n_inputs=2, n_outputs=2))
def test_integer_layers_are_the_layers(net):
    """integer_layers / D are the Fractions; a network rebuilt from them is equal, floats
    are the same correctly rounded values, and it pickles."""
    ints = net.integer_layers()
    for (W, b), L in zip(net.layers, ints):
        assert IntMatrix(*L).fractions() == (W, b)
    back = rg.ReLUNetwork._from_integer(ints)
    assert back._fr is None and back.widths == net.widths and back.n_inputs == 2
    assert all(np.array_equal(x, y) for p, q in zip(back.float_layers(), net.float_layers())
               for x, y in zip(p, q))
    assert back == net and hash(back) == hash(net)
    assert pickle.loads(pickle.dumps(back)) == net


# ---------------------------------------------------------------------- torch, exactly
torch = pytest.importorskip("torch")
nn = torch.nn


def _fraction_forward(mods, x):
    """An independent exact interpreter of Linear / ReLU / LeakyReLU / Identity /
    Dropout / Flatten chains: every float parameter read through Fraction(float)."""
    v = list(x)
    for m in mods:
        if isinstance(m, nn.Linear):
            W = [[Fraction(float(w)) for w in r] for r in m.weight.detach().double().tolist()]
            b = [Fraction(float(c)) for c in m.bias.detach().double().tolist()]
            v = [sum((w * a for w, a in zip(r, v)), c) for r, c in zip(W, b)]
        elif isinstance(m, nn.ReLU):
            v = [max(a, 0) for a in v]
        elif isinstance(m, nn.LeakyReLU):
            s = Fraction(float(m.negative_slope))
            v = [a if a > 0 else s * a for a in v]
    return v


LAYER = st.sampled_from(["linear", "relu", "leaky", "identity", "dropout", "flatten"])


@given(st.integers(1, 5), st.lists(st.tuples(LAYER, st.integers(1, 6)), min_size=1,
                                   max_size=7),
       st.integers(0, 2**31), st.sampled_from([0, 30, 90]), st.sampled_from(["f32", "f64",
                                                                            "f16"]))
def test_from_torch_equals_fraction_interpreter(n_in, spec, seed, spread, dt):
    """Random chains (consecutive Linears merged, identities skipped), weights spread over
    2**-spread .. 2**spread (forcing Python integers past int64): the imported network
    equals the exact interpreter at rational points."""
    dtype = {"f32": torch.float32, "f64": torch.float64, "f16": torch.float16}[dt]
    spread = min(spread, 8) if dt == "f16" else spread       # float16 ends at 65504
    g = torch.Generator().manual_seed(seed)
    mods, width = [], n_in
    for kind, w in spec:
        if kind == "linear":
            lin = nn.Linear(width, w).to(dtype)
            with torch.no_grad():
                for p in (lin.weight, lin.bias):
                    scale = 2.0 ** torch.randint(-spread, spread + 1, p.shape, generator=g)
                    p.copy_((torch.randn(p.shape, generator=g) * scale).to(dtype))
            mods.append(lin)
            width = w
        else:
            mods.append({"relu": nn.ReLU(), "leaky": nn.LeakyReLU(0.375),
                         "identity": nn.Identity(), "dropout": nn.Dropout(0.5),
                         "flatten": nn.Flatten()}[kind])
    mods.append(nn.Linear(width, 2).to(dtype))
    net = rg.ReLUNetwork.from_torch(nn.Sequential(*mods).eval(), input_shape=(n_in,))
    rng = np.random.default_rng(seed)
    for _ in range(3):
        x = [Fraction(int(p), int(q)) for p, q in zip(rng.integers(-50, 50, n_in),
                                                     rng.integers(1, 9, n_in))]
        assert net(x) == tuple(_fraction_forward(mods, x))


def test_import_is_lazy_and_matches_the_fraction_route():
    """784-64-10: no Fraction is made on import; the layers, when read, are the binary
    values of the float32 weights."""
    torch.manual_seed(3)
    m = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Identity(),
                      nn.Linear(64, 10)).eval()
    net = rg.ReLUNetwork.from_torch(m, input_shape=(1, 28, 28))
    assert net._fr is None and net.widths == (64,)
    W0 = [[Fraction(w) for w in r] for r in m[1].weight.detach().double().tolist()]
    assert [list(r) for r in net.layers[0][0]] == W0
    assert list(net.layers[1][1]) == [Fraction(c) for c in m[4].bias.detach().double().tolist()]


def _dyadic_module(seed: int) -> nn.Module:
    """A net mixing dense and sparse moves; weights k/4 so float64 is exact."""
    g = torch.Generator().manual_seed(seed)
    m = nn.Sequential(nn.Linear(6, 8), nn.Unflatten(1, (2, 4)), nn.Conv1d(2, 3, 2),
                      nn.LeakyReLU(0.25), nn.AvgPool1d(2, 1), nn.Flatten(), nn.Linear(6, 6),
                      nn.Unflatten(1, (2, 3)), nn.MaxPool1d(2, 1), nn.Flatten(),
                      nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 2)).double().eval()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randint(-8, 9, p.shape, generator=g).double() / 4)
    return m


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_dense_sparse_transitions_exact_against_torch(seed):
    """Linear -> conv (sparse rows on a dense map), conv -> Linear (a sparse map made
    dense), pools and activations: torch's float64 forward is exact on these dyadic
    weights and inputs, and the imported network equals it."""
    m = _dyadic_module(seed)
    net = rg.ReLUNetwork.from_torch(m, input_shape=(6,))
    X = torch.randint(-8, 9, (5, 6), generator=torch.Generator().manual_seed(seed)).double() / 2
    with torch.no_grad():
        Y = m(X).tolist()
    for x, y in zip(X.tolist(), Y):
        assert net([Fraction(v) for v in x]) == tuple(Fraction(v) for v in y)


# ---------------------------------------------------------------------- N3-05
@pytest.mark.parametrize("module, attr, extra", [("torch", "from_torch", "torch"),
                                                 ("torch", "to_torch", "torch"),
                                                 ("onnx", "from_onnx", "onnx"),
                                                 ("networkx", "to_networkx", "networkx")])
def test_missing_extra_names_the_install_command(monkeypatch, module, attr, extra):
    """With the optional module missing (simulated), the interop entry points raise a
    RelugeomError (also an ImportError) naming pip install "relugeom[extra]"."""
    import relugeom.interop as interop
    for name in [module, *(n for n in sys.modules if n.startswith(module + "."))]:
        monkeypatch.setitem(sys.modules, name, None)
    for name in ("relugeom.interop.torch_io", "relugeom.interop.onnx_io"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    match = rf'pip install "relugeom\[{extra}\]"'
    with pytest.raises(rg.RelugeomError, match=match) as e:
        fn = getattr(interop, attr)
        if attr == "from_onnx":
            fn(b"")
        elif attr == "to_networkx":
            fn(rg.linear_regions(rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])))
    assert isinstance(e.value, ImportError)
    if attr == "from_torch":
        with pytest.raises(rg.RelugeomError, match=match):
            rg.ReLUNetwork.from_torch(None)
    if attr == "from_onnx":
        with pytest.raises(rg.RelugeomError, match=match):
            rg.ReLUNetwork.from_onnx(b"")


@given(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**31), st.sampled_from([0, 80]))
def test_from_arrays_fast_path_is_the_fraction_route(m, n, seed, spread):
    """from_arrays(exact_float=True) of float arrays: the layers are Fraction(float(w))."""
    rng = np.random.default_rng(seed)
    layers = [(rng.standard_normal((m, n)) * 2.0 ** rng.integers(-spread, spread + 1, (m, n)),
               rng.standard_normal(m)), (rng.standard_normal((1, m)).astype(np.float32),
                                         np.arange(1))]
    net = rg.ReLUNetwork.from_arrays(layers, exact_float=True)
    assert net.layers == tuple((tuple(tuple(Fraction(float(v)) for v in r) for r in W),
                                tuple(Fraction(float(v)) for v in b)) for W, b in layers)


def test_torch_extra_and_test_pin_agree():
    """N3-05: the [torch] extra cannot pull a torch other than the one [test] pins (its
    upper bound is the pin), and the README lists the extras."""
    tomllib = pytest.importorskip("tomllib")
    spec = pytest.importorskip("packaging.specifiers")
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    extras = tomllib.loads((root / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]

    def torch_spec(reqs):
        return [spec.SpecifierSet(r.removeprefix("torch").strip()) for r in reqs
                if r.replace(" ", "").startswith(("torch>", "torch<", "torch="))]
    (pin,) = torch_spec(extras["test"])
    (pinned,) = [s.version for s in pin]
    (user,) = torch_spec(extras["torch"])
    assert user.contains(pinned)
    major, minor, patch = (int(v) for v in pinned.split("+")[0].split(".")[:3])
    for later in (f"{major}.{minor}.{patch + 1}", f"{major}.{minor + 1}.0", f"{major + 1}.0.0"):
        assert not user.contains(later)
    readme = (root / "README.md").read_text()
    assert "Optional extras" in readme and all(f"| `{e}` |" in readme for e in extras)


@given(st.sampled_from([1, 2]), st.integers(1, 3), st.integers(1, 2), st.integers(1, 3),
       st.integers(1, 3), st.integers(1, 2), st.integers(0, 2), st.booleans(),
       st.integers(3, 6), st.integers(0, 2**31))
def test_vectorised_conv_equals_the_sparse_route(k, c_in, groups, c_mult, ksize, stride, pad,
                                                 use_bias, n, seed):
    """A convolution read first (one vectorised integer map) equals the same convolution
    composed row by row after an exact identity pool (the sparse route), entry for entry;
    stride, padding, dilation, groups and bias all vary."""
    Conv, Pool = (nn.Conv1d, nn.AvgPool1d) if k == 1 else (nn.Conv2d, nn.AvgPool2d)
    C_in, C_out = c_in * groups, c_mult * groups
    dil = 1 + seed % 2
    if dil * (ksize - 1) + 1 > n + 2 * pad:
        ksize = 1
    torch.manual_seed(seed)
    conv = Conv(C_in, C_out, ksize, stride=stride, padding=pad, dilation=dil, groups=groups,
                bias=use_bias).eval()
    shape = (C_in, *([n] * k))
    fast = rg.ReLUNetwork.from_torch(nn.Sequential(conv), input_shape=shape)
    slow = rg.ReLUNetwork.from_torch(nn.Sequential(Pool(1), conv), input_shape=shape)
    assert fast.layers == slow.layers

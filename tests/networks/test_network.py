"""Laws and pinned values for ReLUNetwork, its combinators and Theorem 2.2."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst

nets = rst.relu_networks(max_hidden_layers=3, max_width=4)
qs = rst.rationals(min_value=-10, max_value=10, max_denominator=20)


def test_structure_follows_the_paper():
    """depth = k+1, widths hidden only, size = sum of widths, output not counted."""
    net = rg.ReLUNetwork([([[1, 2]] * 3, [0, 1, 2]), ([[1, 1, 1]] * 5, [0] * 5),
                          ([[1] * 5], [7])])
    assert (net.depth, net.widths, net.width, net.size) == (3, (3, 5), 5, 8)
    assert (net.n_inputs, net.n_outputs) == (2, 1)
    assert net([1, "1/2"]) == 7 + 5 * (3 * 2 + 3)
    affine = rg.ReLUNetwork([([[2]], [1])])
    assert affine.depth == 1 and affine.size == 0 and affine.width == 0 and affine(3) == 7


@pytest.mark.parametrize("layers,match", [
    ([([[1], [1, 2]], [0, 0])], "ragged"),
    ([([[1]], [0, 1])], "2 entries but its weight matrix has 1 rows"),
    ([([[1]], [0]), ([[1, 1]], [0])], "2 columns but layer 0 has 1 outputs"),
    ([], "at least one"),
])
def test_bad_shapes_named(layers, match):
    """Ragged or mismatched weights raise DimensionError naming the layer."""
    with pytest.raises(rg.DimensionError, match=match):
        rg.ReLUNetwork(layers)


def test_bad_inputs():
    """Float weights, wrong input dimension and composition mismatches raise typed errors."""
    with pytest.raises(rg.NotExactError, match=r"layer 0 W\[0\]\[0\]"):
        rg.ReLUNetwork([([[0.5]], [0])])
    net = rg.ReLUNetwork([([[1, 1]], [0])])
    with pytest.raises(rg.DimensionError, match="2 inputs"):
        net(3)
    with pytest.raises(rg.DimensionError, match="cannot compose: inner network has 1 outputs, "
                                                "outer expects 2 inputs"):
        rg.compose_networks(net, rg.ReLUNetwork([([[1]], [0])]))
    with pytest.raises(rg.DimensionError):
        net.to_pwl()


@given(nets, qs)
def test_to_pwl_agrees_with_network(net, x):
    """net.to_pwl()(x) == net(x)."""
    assert net.to_pwl()(x) == net(x)


@given(nets)
def test_pieces_within_lemma_d5(net):
    """A network has at most 2^(k-1) (w1+1) w2 ... wk pieces (Lemma D.5)."""
    ws = net.widths
    bound = 1
    if ws:
        bound = 2 ** (len(ws) - 1) * (ws[0] + 1)
        for w in ws[1:]:
            bound *= w
    assert net.to_pwl().n_pieces <= bound


@given(rst.piecewise_linears(max_breakpoints=7))
def test_flaps_round_trip(f):
    """network_from_pwl(f) has one hidden layer, size <= p (p-1 with a flat end), equals f."""
    net = rg.network_from_pwl(f)
    assert net.to_pwl() == f
    p = f.n_pieces
    if f.is_affine:
        assert net.depth == 1
    else:
        assert net.depth == 2
        assert net.size <= (p - 1 if 0 in (f.left_slope, f.right_slope) else p)


@given(nets, nets, qs)
def test_compose_networks(a, b, x):
    """Lemma D.1: depth k1+k2+1, size s1+s2, and it computes a(b(x))."""
    c = rg.compose_networks(a, b)
    assert c.depth == a.depth + b.depth - 1 and c.size == a.size + b.size
    assert c(x) == a(b(x))


@given(nets, nets, qs)
def test_sum_networks(a, b, x):
    """Lemma D.2: the sum computes a + b; equal depths give size s1 + s2."""
    s = rg.sum_networks(a, b)
    assert s(x) == a(x) + b(x)
    if a.depth == b.depth:
        assert s.size == a.size + b.size and s.depth == a.depth


@given(st.lists(nets, min_size=1, max_size=5), qs)
def test_max_min_networks(ns, x):
    """Lemma D.3: max/min networks compute the max/min with depth + ceil(log2 m)."""
    import math
    m = rg.maximum_network(*ns)
    assert m(x) == max(n(x) for n in ns)
    assert m.depth == max(n.depth for n in ns) + math.ceil(math.log2(len(ns)))
    assert rg.minimum_network(*ns)(x) == min(n(x) for n in ns)


@given(st.lists(st.lists(qs, min_size=2, max_size=2), min_size=1, max_size=3),
       st.lists(qs, min_size=2, max_size=2))
def test_affine_network(W, x):
    """Lemma D.4: an affine map R^n -> R^m is one hidden layer of size 2m."""
    b = [Fraction(i, 3) for i in range(len(W))]
    net = rg.affine_network(W, b)
    assert net.depth == 2 and net.size == 2 * len(W)
    want = tuple(sum(w * v for w, v in zip(row, x)) + bi for row, bi in zip(W, b))
    got = net(x)
    assert (got if isinstance(got, tuple) else (got,)) == want


@given(nets)
def test_json_round_trip(net):
    """from_json(to_json(net)) == net and likewise for its function."""
    assert rg.from_json(rg.to_json(net)) == net
    f = net.to_pwl()
    assert rg.from_json(rg.to_json(f)) == f


@pytest.mark.parametrize("text,match", [
    ("[1]", "JSON object"), ("{", "not valid JSON"),
    ('{"format": "relugeom", "version": 1, "type": "Pickle"}', "unknown type 'Pickle'"),
    ('{"format": "relugeom", "version": 1, "type": "PiecewiseLinear", "breakpoints": ["1"],'
     ' "values": [0.5], "left_slope": "0", "right_slope": "0"}', r"values\[0\]"),
    ('{"format": "relugeom", "version": 1, "type": "ReLUNetwork"}', "layers"),
    ('{"format": "relugeom", "version": 1, "type": "ReLUNetwork", "layers": '
     '[{"W": [["1", "2"]], "b": ["0"]}, {"W": [["1", "1"]], "b": ["0"]}]}', "columns"),
])
def test_json_malformed(text, match):
    """Malformed JSON raises SerializationError (a ValueError) naming what is wrong."""
    with pytest.raises(rg.SerializationError, match=match):
        rg.from_json(text)


def test_float_evaluate_matches_exact():
    """evaluate (float, batched) matches the exact values."""
    net = rg.ReLUNetwork([([[1, -1], [2, 1]], [0, "-1/2"]), ([[1, 3]], [1])])
    X = np.array([[0.5, 0.25], [-1.0, 2.0], [3.0, -2.0]])
    got = net.evaluate(X)
    want = [float(net([Fraction(a), Fraction(b)])) for a, b in X]
    assert np.allclose(got, want, rtol=0, atol=1e-12)


def test_arrays_round_trip():
    """to_arrays/from_arrays keep weights exact."""
    net = rg.ReLUNetwork([([[1, "-1/3"]], ["2/7"]), ([[5]], [0])])
    assert rg.ReLUNetwork.from_arrays(net.to_arrays()) == net
    fl = rg.ReLUNetwork.from_arrays([(np.array([[0.5]]), np.array([0.25])),
                                     (np.array([[1.0]]), np.array([0.0]))], exact_float=True)
    assert fl.layers[0][0][0][0] == Fraction(1, 2)


@pytest.mark.parametrize("call,err", [
    (lambda: rg.sum_networks(), rg.DimensionError),
    (lambda: rg.identity_network(0), rg.DomainError),
    (lambda: rg.ReLUNetwork([([[1]], [0])]).equals(3), TypeError),
    (lambda: rg.ReLUNetwork([([{1, 2}], [0])]), rg.DimensionError),
    (lambda: rg.ReLUNetwork([({0: [1]}, [0])]), rg.DimensionError),
    (lambda: rg.ReLUNetwork.from_arrays([(np.array([1.0]), np.array([0.0]))],
                                        exact_float=True), rg.DimensionError),
    (lambda: rg.from_json(None), rg.SerializationError),
    (lambda: rg.from_json('{"format": "relugeom", "version": true, "type": "ReLUNetwork"}'),
     rg.SerializationError),
    (lambda: rg.from_json("[" * 100000 + "]" * 100000), rg.SerializationError),
    (lambda: rg.from_json('{"format": "relugeom", "version": 1, "type": "PiecewiseLinear",'
                          ' "breakpoints": ["٣"], "values": ["1"], "left_slope": "0",'
                          ' "right_slope": "0"}'), rg.SerializationError),
])
def test_bad_arguments_get_typed_errors(call, err):
    """Empty sums, unordered rows, non-networks and malformed JSON raise typed errors."""
    with pytest.raises(err):
        call()


# ---------------------------------------------------------------- hostile inputs (issue 11)
@pytest.mark.parametrize("call,err,word", [
    (lambda: rg.compose_networks(rg.identity_network(), None), rg.NotExactError,
     "compose_networks: argument 1 is None"),
    (lambda: rg.stack_networks(rg.identity_network(), 3), rg.NotExactError,
     "stack_networks: argument 1"),
    (lambda: rg.maximum_network(rg.identity_network(), "x"), rg.NotExactError,
     "maximum_network: argument 1"),
    (lambda: rg.minimum_network(), rg.DimensionError, "minimum_network: need"),
    (lambda: rg.minimum_network(rg.identity_network(2)), rg.DimensionError,
     "minimum_network: network 0 has 2 outputs"),
    (lambda: rg.sum_networks(None), rg.NotExactError, "sum_networks: argument 0"),
    (lambda: rg.sum_networks(rg.identity_network(1), rg.affine_network([[1, 1]], [0])),
     rg.DimensionError, "sum_networks: network 0 has 1 inputs"),
    (lambda: rg.maximum_network(rg.identity_network(1), rg.affine_network([[1, 1]], [0])),
     rg.DimensionError, "maximum_network: network 0 has 1 inputs"),
    (lambda: rg.ReLUNetwork(None), rg.NotExactError, "sequence of"),
    (lambda: rg.ReLUNetwork.from_arrays([([[1.0], [2.0]], [[1.0, 2.0]])], exact_float=True),
     rg.DimensionError, "b has shape"),
    (lambda: rg.ReLUNetwork([([[1]], [0])]).to_pwl("0"), rg.NotExactError, "output"),
    (lambda: rg.ReLUNetwork([([[1]], [0])]).to_pwl(True), rg.NotExactError, "output"),
    (lambda: rg.identity_network(1.5), rg.NotExactError, "identity_network"),
    (lambda: rg.identity_network(0), rg.DomainError, "identity_network"),
])
def test_combinators_name_themselves_in_typed_errors(call, err, word):
    """Wrong arguments give a typed error naming the public function (C7, C8, U5, W9)."""
    with pytest.raises(err, match=word):
        call()


@pytest.mark.parametrize("call", [
    lambda: rg.identity_network(10 ** 6),
    lambda: rg.maximum_network(*[rg.affine_network([[i]], [0]) for i in range(3000)]),
    lambda: rg.stack_networks(*[rg.identity_network(40)] * 200),
])
def test_oversize_networks_refused_up_front(call):
    """Weights over max_weights are refused before the matrices are built (H7)."""
    with pytest.raises(rg.TooLargeError, match="max_weights"):
        call()


def test_weight_limit_is_adjustable():
    """The same build passes once the limit is raised, and computes the identity."""
    with rg.limits(max_weights=10):
        with pytest.raises(rg.TooLargeError):
            rg.identity_network(3)
    assert rg.identity_network(3)((1, "-1/2", 7)) == (1, Fraction(-1, 2), 7)

"""Exact simplification: the same function with fewer units."""
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.geometry.equality import networks_equal
from relugeom.networks.simplify import fold_linear_layers, simplified, unit_bounds

small = st.integers(-2, 2).map(Fraction)


@st.composite
def redundant_net(draw):
    """A random net, then duplicated / proportional / opposite / constant / dead units."""
    n = draw(st.integers(1, 3))
    depth = draw(st.integers(1, 2))
    dims = [n] + [draw(st.integers(1, 3)) for _ in range(depth)] + [1]
    layers = []
    for a, b in zip(dims, dims[1:]):
        layers.append(([[draw(small) for _ in range(a)] for _ in range(b)],
                       [draw(small) for _ in range(b)]))
    k = draw(st.integers(0, depth - 1))
    (W, b), (Wn, bn) = layers[k], layers[k + 1]
    s = Fraction(draw(st.integers(1, 5)), draw(st.integers(1, 3)))
    W = W + [[s * v for v in W[0]], [-v for v in W[0]], [Fraction(0)] * len(W[0]),
             list(W[-1])]
    b = b + [s * b[0], -b[0], draw(small), b[-1]]
    Wn = [r + [draw(small), draw(small), draw(small), Fraction(0)] for r in Wn]
    layers[k], layers[k + 1] = (W, b), (Wn, bn)
    return rg.ReLUNetwork(layers)


def points(n, seed, k=30, lo=-6, hi=6):
    rng = random.Random(seed)
    return [[Fraction(rng.randint(lo * 7, hi * 7), 7) for _ in range(n)] for _ in range(k)]


@settings(max_examples=40, deadline=None)
@given(redundant_net(), st.integers(0, 1000))
def test_equal_and_strictly_smaller(net, seed):
    """simplified(net) == net as functions (exact points and, for small nets, exact
    region enumeration), with strictly fewer units on these redundant nets."""
    s, rep = simplified(net, report=True)
    assert s.size < net.size
    assert rep.removed == net.size - s.size
    for x in points(net.n_inputs, seed):
        assert s(x) == net(x)
    if net.n_inputs <= 2:
        assert networks_equal(s, net, method="enumerate")


@settings(max_examples=30, deadline=None)
@given(redundant_net(), st.integers(0, 1000))
def test_domain_simplification(net, seed):
    """With a box domain: equal on the box (points inside it)."""
    box = [(0, 1)] * net.n_inputs
    s = simplified(net, box)
    assert s.size <= simplified(net).size
    for x in points(net.n_inputs, seed, lo=0, hi=1):
        assert s(x) == net(x)


def test_counts_on_constructed_net():
    """Proportional, opposite, constant and dead units are counted."""
    net = rg.ReLUNetwork([([[1, 2], [2, 4], [-1, -2], [0, 0], [3, 1]], [1, 2, -1, 4, 0]),
                          ([[1, 1, 1, 2, 0]], [0])])
    s, rep = net.simplified(report=True)
    assert (rep.merged, rep.constant, rep.dead) == (1, 1, 1)
    assert s.widths == (2,) and rep.affine == 0       # one pair: carrying u costs 2
    for x in points(2, 3):
        assert s(x) == net(x)


def test_opposite_pairs_become_affine():
    """Three opposite pairs relu(x - k), relu(k - x): their affine parts share one
    direction, carried by 2 units, so 6 units become 3 + 2."""
    W = [[1], [-1], [1], [-1], [1], [-1]]
    b = [-1, 1, -2, 2, -3, 3]
    net = rg.ReLUNetwork([(W, b), ([[1, 2, 3, 1, 1, 5]], [0])])
    s, rep = net.simplified(report=True)
    assert s.widths == (5,) and rep.affine == 3 and rep.carriers == 2
    assert s.to_pwl() == net.to_pwl()


def test_always_active_layer_folds():
    """On [1, 2]^2 every first-layer unit is active: the layer is composed away."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, 1]], [0, 0, 0]),
                          ([[1, -1, 0], [1, 1, 1]], [0, 0]), ([[1, 1]], [0])])
    s, rep = simplified(net, [(1, 2), (1, 2)], report=True)
    assert rep.folded_layers >= 1 and s.n_hidden_layers < net.n_hidden_layers
    assert networks_equal(s, net, [(1, 2), (1, 2)], method="enumerate")
    assert not networks_equal(s, net, [(-2, 2), (-2, 2)], method="enumerate")


def test_polyhedron_domain_uses_exact_lp():
    """x - y >= 0 makes relu(x - y) affine (LP), not visible to a box."""
    P = rg.polyhedra.Polyhedron([(1, -1, 0)])
    net = rg.ReLUNetwork([([[1, -1]], [0]), ([[1]], [0])])
    s = fold_linear_layers(net, P)
    assert s.n_hidden_layers == 0 and s([3, 1]) == 2
    assert unit_bounds(net, P) == [[(Fraction(0), None)]]


def test_sum_and_max_keep_widths_by_default():
    """The combinators' widths are unchanged unless simplify=True is asked for."""
    a = rg.ReLUNetwork([([[1, 0]], [0]), ([[1]], [0])])
    s = rg.sum_networks(a, a)
    assert s.widths == (2,)
    assert s.simplified().widths == (1,) == rg.sum_networks(a, a, simplify=True).widths
    m = rg.maximum_network(a, a)
    assert rg.maximum_network(a, a, simplify=True).size < m.size

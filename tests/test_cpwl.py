"""n-D CPWL functions and Theorem 2.1."""
import math
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.strategies as rst

q = st.builds(Fraction, st.integers(-6, 6), st.integers(1, 4))
maps2 = st.lists(st.tuples(st.tuples(q, q), q), min_size=1, max_size=6)


@settings(max_examples=20)
@given(maps2)
def test_max_affine_depth_and_values(maps):
    """max of m affine maps: depth ceil(log2 m) + 1 and exact values."""
    net = rg.network_from_max_affine(maps)
    assert net.depth == math.ceil(math.log2(len(maps))) + 1
    x = (Fraction(2, 3), Fraction(-1, 5))
    assert net(list(x)) == max(a[0] * x[0] + a[1] * x[1] + c for a, c in maps)


@settings(max_examples=20)
@given(maps2)
def test_min_affine_values(maps):
    """min of m affine maps is computed exactly."""
    x = (Fraction(-3, 2), Fraction(1, 7))
    assert rg.network_from_min_affine(maps)(list(x)) == min(
        a[0] * x[0] + a[1] * x[1] + c for a, c in maps)


@settings(max_examples=8)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=1, max_width=3))
def test_network_round_trip(net):
    """network -> CPWL -> network gives an exactly equal function."""
    f = rg.CPWLFunction.from_network(net)
    g = rg.CPWLFunction.from_network(rg.network_from_cpwl(f))
    assert f.equals(g) and g.equals(f)


@settings(max_examples=15)
@given(rst.relu_networks(n_inputs=1, max_hidden_layers=2, max_width=3))
def test_one_input_depth_two(net):
    """For n = 1, network_from_cpwl has depth <= 2 and matches the network exactly."""
    f = rg.CPWLFunction.from_network(net)
    out = rg.network_from_cpwl(f)
    assert out.depth <= 2 and out.to_pwl() == net.to_pwl()


def test_equals_is_not_structural():
    """Two structurally different cell lists of |x| are equal as functions, not as ==."""
    a = rg.CPWLFunction([([(1, 0)], ((1,), 0)), ([(-1, 0)], ((-1,), 0))])
    b = rg.CPWLFunction([([(1, 0)], ((1,), 0)), ([(-1, 0), (1, 1)], ((-1,), 0)),
                         ([(-1, -1)], ((-1,), 0))])
    assert a.equals(b) and a != b and a.n_pieces == b.n_pieces == 2


def test_json_round_trip():
    """A CPWL function survives JSON exactly."""
    f = rg.CPWLFunction.from_network(rg.network_from_max_affine([((1, "1/3"), 2), ((0, 1), 0)]))
    assert rg.from_json(rg.to_json(f)) == f

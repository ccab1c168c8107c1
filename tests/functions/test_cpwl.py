"""n-D CPWL functions and Theorem 2.1."""
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst

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


def test_discontinuous_cells_are_rejected():
    """A function that jumps across a shared facet is not a CPWL function."""
    with pytest.raises(rg.DomainError, match="not continuous"):
        rg.CPWLFunction([([(1, 0, 0)], ((0, 0), 1)), ([(-1, 0, 0)], ((0, 0), 0))])


def test_empty_and_overlapping_cells_are_rejected():
    """Cells with empty interior, and overlapping cells with different maps, are refused."""
    with pytest.raises(rg.DomainError, match="cell 1 .*empty interior"):
        rg.CPWLFunction([([(1, 0, 0)], ((0, 0), 0)), ([(1, 0, 0), (-1, 0, -1)], ((0, 0), 0))])
    with pytest.raises(rg.DomainError, match="cell 0 .*empty interior"):
        rg.CPWLFunction([([(1, 0, 0), (-1, 0, 0)], ((1, 0), 0))])
    with pytest.raises(rg.DomainError, match="overlap"):
        rg.CPWLFunction([([(1, 0, 0)], ((1, 0), 0)), ([(1, 0, -1)], ((0, 1), 0))])


@settings(max_examples=8, deadline=None)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=2, max_width=3))
def test_cells_of_a_network_pass_validation(net):
    """The trusted cells of a network pass the exact validation unchanged."""
    f = rg.CPWLFunction.from_network(net)
    assert rg.CPWLFunction(f.cells, f.n_inputs) == f


def test_equals_requires_the_same_domain():
    """A function on a half-plane is not equal to one on all of R^2, and conversely."""
    g = rg.CPWLFunction([([(1, 0, 0)], ((1, 0), 0))])
    whole = rg.CPWLFunction([([], ((1, 0), 0))], 2)
    assert not g.equals(whole) and not whole.equals(g)
    halves = rg.CPWLFunction([([(1, 0, 0)], ((1, 0), 0)), ([(-1, 0, 0)], ((1, 0), 0))])
    assert halves.equals(whole) and whole.equals(halves)


def test_network_from_cpwl_matches_on_a_half_plane():
    """On a half-plane domain the network agrees with f wherever f is defined."""
    g = rg.CPWLFunction([([(1, 0, 0)], ((1, 0), 0))])
    net = rg.network_from_cpwl(g)
    assert all(net(x) == g(x) for x in [(0, 5), (3, -2), ("1/2", 7)])


def test_box_is_normalised_on_the_cpwl_path():
    """linear_regions of a CPWL function takes string bounds like a network does."""
    f = rg.CPWLFunction.from_network(rg.network_from_max_affine([((1, 0), 0), ((0, 1), 0)]))
    res = rg.linear_regions(f, box=[("-1", "1"), ("-1", "1")])
    assert res.total_area() == 4 and len(res.polygons()) == res.n_regions


def test_min_affine_validates_like_max():
    """network_from_min_affine refuses an empty list and mismatched input sizes."""
    for fn in (rg.network_from_min_affine, rg.network_from_max_affine):
        with pytest.raises(rg.DimensionError, match="at least one"):
            fn([])
        with pytest.raises(rg.DimensionError, match=r"affine_maps\[1\] has 1"):
            fn([((1, 0), 0), ((1,), 0)])


def test_huge_coordinates_skip_the_float_filter():
    """Cells with coordinates beyond float range are compared exactly, without overflow."""
    big = 10 ** 400
    f = rg.CPWLFunction([([(1, 0, 0)], ((1, 0), 0)), ([(-1, 0, 0)], ((0, 0), 0))])
    g = rg.CPWLFunction([([(1, 0, -big)], ((1, 0), 0)), ([(1, 0, 0), (-1, 0, big)], ((1, 0), 0)),
                         ([(-1, 0, 0)], ((0, 0), 0))])
    assert f.equals(g) and g.n_pieces == 2

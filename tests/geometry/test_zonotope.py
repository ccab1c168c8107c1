"""Zonotopes, their support functions and the ZONOTOPE family."""
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.depth.zonotope_hard import zonotope_network, zonotope_piece_count
from relugeom.geometry.zonotope import general_position_count

q = st.builds(Fraction, st.integers(-9, 9), st.integers(1, 5))


def test_square_and_hexagon():
    """The l1-type square has 4 vertices (the paper prints 2); three generators give 6."""
    Z = rg.Zonotope([(1, 0), (0, 1)])
    assert Z.n_vertices == 4 and Z.paper_count == 2 and Z.general_position_count == 4
    assert rg.Zonotope([(1, 0), (0, 1), (1, 1)]).n_vertices == 6


def test_degenerate_generators():
    """Parallel and zero generators do not add vertices; coplanar ones in R^3 lose some."""
    assert rg.Zonotope([(1, 0), (2, 0), (0, 1)]).n_vertices == 4
    assert rg.Zonotope([(1, 0), (0, 0), (0, 1)]).n_vertices == 4
    Z = rg.Zonotope([(1, 0, 0), (0, 1, 0), (1, 1, 0), (0, 0, 1)])
    assert Z.n_vertices == 12 and not Z.is_generic()


@settings(max_examples=15)
@given(st.lists(st.tuples(q, q), min_size=1, max_size=5))
def test_vertex_count_law(gens):
    """Generic generators give exactly 2 sum C(m-1, i) vertices, others never more."""
    Z = rg.Zonotope(gens)
    if Z.is_generic():
        assert Z.n_vertices == general_position_count(2, len(gens))
    else:
        assert Z.n_vertices <= general_position_count(2, len(gens))


@settings(max_examples=10)
@given(st.lists(st.tuples(q, q), min_size=1, max_size=4))
def test_support_function_law(gens):
    """gamma_Z has one piece per vertex and equals its size-2m network exactly."""
    Z = rg.Zonotope(gens)
    f = Z.support_function()
    net = Z.support_network()
    assert f.n_pieces == Z.n_vertices and net.size == 2 * len(gens)
    assert f.equals(rg.CPWLFunction.from_network(net))
    x = (Fraction(1, 3), Fraction(-2, 7))
    assert f(x) == sum(abs(b[0] * x[0] + b[1] * x[1]) for b in Z.generators)


def test_zonotope_network_counts():
    """Proposition 3.8: depth k+2, size 2m+wk; exact pieces equal the structural count."""
    gens = [(1, 0), (0, 1), (1, 1), (1, -2)]
    net = zonotope_network([["1/2"], ["1/2"]], 1, gens)
    assert (net.depth, net.size) == (4, 12)
    c = zonotope_piece_count([["1/2"], ["1/2"]], 1, gens)
    assert c["exact"] == c["predicted"] == 33 and c["paper"] == 16


def test_json_round_trip():
    """A zonotope survives JSON exactly."""
    Z = rg.Zonotope([("1/3", 2), (0, "-5/7")])
    assert rg.from_json(rg.to_json(Z)) == Z


def test_shapely():
    """The shapely polygon has the exact area of the parallelogram, in floats."""
    assert abs(rg.Zonotope([(1, 0), (0, 1)]).to_shapely().area - 4.0) < 1e-12


def test_piece_count_outer_region_by_rank():
    """The predicted count counts the outer constant region twice at rank 1, once at rank 0."""
    h = [["1/2"], ["1/2"]]
    for gens, want in (([(1,)], 10), ([(1, 0), (2, 0)], 10), ([(0, 0), (0, 0)], 1),
                       ([(1, 0), (0, 1)], 17)):
        c = zonotope_piece_count(h, 1, gens)
        assert c["exact"] == c["predicted"] == want


@settings(max_examples=10, deadline=None)
@given(st.lists(st.tuples(q, q), min_size=1, max_size=3))
def test_piece_count_prediction_law(gens):
    """The structural prediction equals the exact piece count for any generators in R^2."""
    c = zonotope_piece_count([["1/2"], ["1/3"]], 1, gens)
    assert c["exact"] == c["predicted"]


def test_rank_and_degenerate_shapely():
    """Rank counts spanned dimensions; degenerate zonotopes become a segment or a point."""
    seg = rg.Zonotope([(1, 1), (2, 2)])
    assert seg.rank == 1 and seg.to_shapely().geom_type == "LineString"
    pt = rg.Zonotope([(0, 0)])
    assert pt.rank == 0 and pt.to_shapely().geom_type == "Point"

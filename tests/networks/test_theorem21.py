"""Theorem 2.1 at the paper's depth: f = sum_j s_j max(S_j), |S_j| <= n + 1."""
import math
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom.benchmarks.regions import random_network
from relugeom.networks.maxaffine import (convex_representation, network_from_terms,
                                wang_sun_representation)

q = st.builds(Fraction, st.integers(-6, 6), st.integers(1, 4))


def _value(terms, x):
    return sum(s * max(sum((a * b for a, b in zip(cs, x)), c) for cs, c in ms)
               for s, ms in terms)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.tuples(q, q), q), min_size=1, max_size=7),
       st.lists(st.tuples(q, q), min_size=5, max_size=5))
def test_convex_representation_values(maps, points):
    """max_i l_i equals its signed sum of maxima of <= 3 maps at every rational point."""
    terms = convex_representation(maps)
    assert all(len(ms) <= 3 and s in (1, -1) for s, ms in terms)
    for x in points:
        assert _value(terms, x) == max(a[0] * x[0] + a[1] * x[1] + c for a, c in maps)


@settings(max_examples=12, deadline=None)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=1, max_width=3))
def test_two_inputs_round_trip_at_depth_three(net):
    """network -> CPWL -> network_from_cpwl: depth <= 3 = ceil(log2 3) + 1, exactly equal."""
    f = rg.CPWLFunction.from_network(net)
    out = rg.network_from_cpwl(f)
    assert out.depth <= 3
    assert rg.regions.networks_equal(out, net)


def test_deeper_two_input_network():
    """A two-hidden-layer 2-D network's CPWL comes back at depth 3, exactly equal."""
    net = random_network([2, 3, 3, 1], seed=2)
    f = rg.CPWLFunction.from_network(net)
    terms = wang_sun_representation(f)
    assert max(len(ms) for _, ms in terms) <= 3
    out = network_from_terms(terms)
    assert out.depth == 3 and rg.regions.networks_equal(out, net)


def test_three_inputs_depth_three():
    """n = 3: terms have <= 4 maps and the network has depth ceil(log2 4) + 1 = 3."""
    net = random_network([3, 3, 1], seed=0)
    out = rg.network_from_cpwl(rg.CPWLFunction.from_network(net))
    assert out.depth == math.ceil(math.log2(4)) + 1
    assert rg.regions.networks_equal(out, net)


def test_lower_dimensional_gradients():
    """Gradients on a line in R^3 (a function of x + y only) use maxima of <= 2 maps."""
    maps = [((1, 1, 0), 0), ((-1, -1, 0), 0), ((2, 2, 0), -3), ((0, 0, 0), 1)]
    terms = convex_representation(maps)
    assert max(len(ms) for _, ms in terms) <= 2
    rng = random.Random(1)
    for _ in range(20):
        x = [Fraction(rng.randint(-9, 9), rng.randint(1, 3)) for _ in range(3)]
        assert _value(terms, x) == max(sum(a * b for a, b in zip(cs, x)) + c for cs, c in maps)


def test_degenerate_cell_is_triangulated():
    """Four maps meeting at one point (|x| + |y|) give triangles, not a 4-term max."""
    maps = [((1, 1), 0), ((1, -1), 0), ((-1, 1), 0), ((-1, -1), 0)]
    terms = convex_representation(maps)
    assert max(len(ms) for _, ms in terms) == 3
    assert sum(s for s, _ in terms) == 1          # Euler characteristic of the interior
    for x in [(1, 2), (-3, Fraction(1, 2)), (0, 0), (5, -5)]:
        assert _value(terms, x) == abs(x[0]) + abs(x[1])


def test_planes_missing_the_vertices_fall_back_to_ties():
    """Kink planes that miss every vertex still give max(x, y), not the zero function."""
    terms = convex_representation([((1, 0), 0), ((0, 1), 0)], planes=[(0, 0, 1)])
    assert terms
    for x in [(1, 2), (3, -1), (0, 0), (-5, -7)]:
        assert _value(terms, x) == max(x)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.tuples(q, q), q), min_size=2, max_size=5),
       st.lists(st.tuples(q, q, q), max_size=2),
       st.lists(st.tuples(q, q), min_size=3, max_size=3))
def test_convex_representation_ignores_bad_planes(maps, planes, points):
    """Whatever planes are passed, the terms still sum to max_i l_i."""
    terms = convex_representation(maps, planes=planes)
    for x in points:
        assert _value(terms, x) == max(a[0] * x[0] + a[1] * x[1] + c for a, c in maps)


def test_max_row_check_is_exact_and_can_fail():
    """The exact max check accepts the max network and rejects it against other maps."""
    from relugeom.paper.checks.regions import _is_max_of, theorem_2_1
    maps = [((1, 0), 0), ((0, 1), 0), ((-1, -1), "1/2")]
    f = rg.CPWLFunction.from_network(rg.network_from_max_affine(maps))
    assert _is_max_of(f, maps)
    assert not _is_max_of(f, maps[:2])
    assert not _is_max_of(f, maps + [((0, 0), 5)])
    rows = [r for r in theorem_2_1(False) if "max of m" in r.claim]
    assert rows and all(r.holds == "true" and "equal on R^2" in r.computed for r in rows)

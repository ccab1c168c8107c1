"""Exact linear regions of networks R^n -> R."""
import math

import pytest
from hypothesis import given, settings

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom.benchmarks.regions import random_network


def test_l1_norm_has_four_regions():
    """|x| + |y| has 4 activation regions and 4 pieces over R^2, all unbounded."""
    net = rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0] * 4), ([[1] * 4], [0])])
    res = rg.linear_regions(net)
    assert (res.n_regions, res.n_pieces) == (4, 4)
    assert not any(r.is_bounded for r in res.regions)
    assert len(res.adjacency) == 4


def test_gadget_has_more_regions_than_pieces():
    """max(x, y) through the gadget: 4 activation regions but 2 pieces."""
    net = rg.network_from_max_affine([((1, 0), 0), ((0, 1), 0)])
    res = rg.linear_regions(net)
    assert (res.n_regions, res.n_pieces) == (4, 2)


def test_box_tiles_exactly():
    """Regions inside a box have exact areas summing to the box area."""
    net = random_network([2, 6, 5, 1], seed=1)
    res = rg.linear_regions(net, box=[(-2, 2), (-1, 3)])
    assert res.total_area() == 16
    assert res.tiling_defect() < 1e-9


@pytest.mark.parametrize("dims", [[2, 4, 3, 1], [3, 4, 3, 1]])
def test_interior_points_match_network(dims):
    """At each interior point the network has the region's pattern and affine value."""
    net = random_network(dims, seed=2)
    for r in rg.linear_regions(net).regions:
        x = list(r.interior_point)
        assert net.activation_pattern(x) == r.activation_pattern
        co, c = r.affine_map
        assert net(x) == sum(a * b for a, b in zip(co, x)) + c
        assert r.contains(x)


def test_box_and_whole_space_agree_on_patterns():
    """Every pattern found inside a box is also a region of all of R^n."""
    net = random_network([3, 5, 4, 1], seed=3)
    inside = {r.activation_pattern for r in rg.linear_regions(net, box=[(-1, 1)] * 3).regions}
    whole = {r.activation_pattern for r in rg.linear_regions(net).regions}
    assert inside <= whole


def test_executor_gives_same_regions():
    """Running subtrees on an executor gives the same regions."""
    from concurrent.futures import ThreadPoolExecutor
    net = random_network([2, 6, 6, 1], seed=4)
    with ThreadPoolExecutor(2) as ex:
        a = rg.linear_regions(net, executor=ex)
    b = rg.linear_regions(net)
    assert [r.activation_pattern for r in a.regions] == [r.activation_pattern for r in b.regions]


@settings(max_examples=25)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=2, max_width=4))
def test_regions_respect_the_lines_bound(net):
    """A net with one hidden layer of w units has at most 1 + w + C(w, 2) regions."""
    res = rg.linear_regions(net)
    if net.depth == 2:
        w = net.widths[0]
        assert res.n_regions <= 1 + w + math.comb(w, 2)
    assert res.n_pieces <= res.n_regions


@settings(max_examples=20)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=2, max_width=3))
def test_network_equals_itself_and_not_shifted(net):
    """Functional equality is reflexive and detects a shifted output."""
    assert net.equals(net)
    W, b = net.layers[-1]
    shifted = rg.ReLUNetwork(list(net.layers[:-1]) + [(W, [b[0] + 1])])
    assert not net.equals(shifted)


def test_plot_and_polygons():
    """Plotting works for n = 2 and draws one polygon per region."""
    net = random_network([2, 4, 1], seed=6)
    res = rg.linear_regions(net)
    assert len(res.polygons()) == res.n_regions
    assert res.plot() is not None


def test_vertices_counter_clockwise():
    """Vertices of a bounded planar region come in counter-clockwise order (positive area)."""
    from relugeom.convex.polyhedra import polygon_area
    res = rg.linear_regions(random_network([2, 5, 1], seed=8), box=[(-2, 2), (-2, 2)])
    for r in res.regions:
        v = r.vertices()
        s = sum(v[i][0] * v[(i + 1) % len(v)][1] - v[(i + 1) % len(v)][0] * v[i][1]
                for i in range(len(v)))
        assert s > 0 and polygon_area(v) == r.area


def test_tiling_rows_are_exact_and_subset():
    """The tiling check proves interior-disjointness exactly and grid patterns are exact."""
    from relugeom.paper.checks.regions import _interior_overlaps, tiling
    res = rg.linear_regions(random_network([2, 4, 3, 1], seed=5), box=[(-1, 1), (-1, 1)])
    assert _interior_overlaps(res) == 0
    rows = tiling(False)
    assert all(r.holds == "true" for r in rows)
    assert any(r.claim.startswith("Patterns seen") and r.computed.startswith("0 not exact")
               for r in rows)


def test_overlap_check_detects_a_duplicate():
    """Two copies of the same partition overlap: the exact pair check sees it."""
    from relugeom.paper.checks.regions import _interior_overlaps
    res = rg.linear_regions(random_network([2, 3, 1], seed=5), box=[(-1, 1), (-1, 1)])

    class Twice:
        regions = res.regions + res.regions
    assert _interior_overlaps(Twice()) >= res.n_regions


def test_prop_3_8_and_theorem_3_9_verdicts():
    """The Prop 3.8 erratum needs exact != paper and exact == corrected; Thm 3.9 rows can fail."""
    from relugeom.paper.checks.regions import prop_3_8
    rows = prop_3_8(False)
    pieces = [r for r in rows if r.claim.startswith("Proposition 3.8: pieces")]
    assert pieces and all(r.holds == "erratum" for r in pieces)
    t39 = [r for r in rows if r.claim.startswith("Theorem 3.9")]
    assert t39 and all(r.holds == "true" for r in t39)
    assert all("not the paper's formula" in r.claim and r.paper == "the toolkit's own bound"
               for r in t39)
    sep = [r for r in t39 if "one hidden layer" in r.claim]
    assert [r.computed.split()[1] for r in sep] == ["16", "23"]


def test_area_is_a_property_like_is_bounded():
    import relugeom as rg
    net = rg.ReLUNetwork([([[1, -1], [1, 1]], [0, "1/2"]), ([[1, 2]], [0])])
    res = rg.regions.linear_regions(net, box=[(-1, 1), (-1, 1)])
    assert sum(r.area for r in res.regions) == res.total_area() == 4
    whole = rg.regions.linear_regions(net)
    unbounded = next(r for r in whole.regions if not r.is_bounded)
    with pytest.raises(rg.DimensionError):
        unbounded.area

"""Decision boundaries, point location, networkx graphs and JSON of LinearRegions."""
from __future__ import annotations

from fractions import Fraction

import pytest

import relugeom as rg
from relugeom.benchmarks.regions import random_network

F = Fraction
BOX = [(-1, 1), (-1, 1)]


def _xy_net() -> rg.ReLUNetwork:
    """Outputs (x, y) through relu(x) - relu(-x): four quadrant regions."""
    return rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
                           ([[1, -1, 0, 0], [0, 0, 1, -1]], [0, 0])])


def _on_segment(seg, p) -> bool:
    g1, g2, g0 = seg.line
    if g1 * p[0] + g2 * p[1] + g0 != 0:
        return False
    d = seg.direction
    s = p[0] * d[0] + p[1] * d[1]
    lo = None if seg.start is None else seg.start[0] * d[0] + seg.start[1] * d[1]
    hi = None if seg.end is None else seg.end[0] * d[0] + seg.end[1] * d[1]
    return (lo is None or s >= lo) and (hi is None or s <= hi)


def test_diagonal_boundary_of_x_and_y():
    """argmax(x, y) ties on the diagonal: two segments (quadrants I and III), one piece."""
    lr = rg.linear_regions(_xy_net(), box=BOX)
    assert lr.n_regions == 4
    db = lr.decision_boundary()
    assert db.n_segments == 2 and db.n_pieces == 1
    assert db.pieces() == [((F(-1), F(-1)), (F(1), F(1)))]
    crossed = {lr.regions[i].activation_pattern for i in db.regions}
    assert crossed == {((True, False, True, False),), ((False, True, False, True),)}
    assert all(s.outputs == ((0, 1),) for s in db.segments)


def test_diagonal_boundary_unbounded():
    """Over all of R^2 the diagonal is two rays merged into one line."""
    db = rg.linear_regions(_xy_net()).decision_boundary()
    assert db.n_segments == 2 and db.pieces() == [(None, None)]


def test_zero_level_set_one_output():
    """m = 1: relu(x) + relu(y) - 1 = 0 on [-2, 2]^2 is three segments (x + y = 1 and the
    two half-lines x = 1, y = 1), in three regions."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [-1])])
    db = rg.linear_regions(net, box=[(-2, 2), (-2, 2)]).decision_boundary()
    assert db.n_segments == 3 and db.n_pieces == 3
    assert sorted(db.pieces()) == sorted([((F(0), F(1)), (F(1), F(0))),
                                          ((F(1), F(-2)), (F(1), F(0))),
                                          ((F(-2), F(1)), (F(0), F(1)))])


def test_identical_outputs_give_full_regions():
    """Two equal outputs tie everywhere: every region is a 2-D tie region, no segments."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1], [1, 1]], [0, 0])])
    db = rg.linear_regions(net, box=BOX).decision_boundary()
    assert db.n_segments == 0 and len(db.full_regions) == 4


@pytest.mark.parametrize("seed", [1, 2])
def test_boundary_against_lines_and_ties(seed):
    """Independent route: along horizontal lines y = y0, the points where the exact argmax
    of the 1-D restrictions changes lie on a boundary segment; each segment's midpoint has
    a tie at the maximum (exact evaluation)."""
    net = random_network([2, 6, 6, 3], seed=seed)
    box = [(-3, 3), (-3, 3)]
    db = rg.linear_regions(net, box=box).decision_boundary()
    for seg in db.segments:
        mid = tuple((a + b) / 2 for a, b in zip(seg.start, seg.end))
        out = net(mid)
        top = max(out)
        assert sum(v == top for v in out) >= 2
    for y0 in (F(-5, 2), F(-1, 3), F(1, 7), F(2)):
        fs = net.restrict_to_line((-3, y0), (3, y0), output=None)
        cands = sorted({t for f in fs for t in f.breakpoints if 0 <= t <= 1} |
                       {t for i in range(3) for j in range(i + 1, 3)
                        for t in _zeros(fs[i] - fs[j])} | {F(0), F(1)})
        for t0, t1 in zip(cands, cands[1:]):
            a = _argmax([f((t0 + t1) / 2) for f in fs])
            b = _argmax([f(t1) for f in fs]) if t1 < 1 else a
            nxt = [t for t in cands if t > t1]
            if nxt:
                b = _argmax([f((t1 + nxt[0]) / 2) for f in fs])
            if a != b:
                p = (-3 + 6 * t1, y0)
                assert any(_on_segment(s, p) for s in db.segments), (y0, t1)


def _zeros(h):
    """Zeros of a PiecewiseLinear in [0, 1] where it changes sign (exact)."""
    pts = sorted({F(0), F(1)} | {t for t in h.breakpoints if 0 < t < 1})
    out = set()
    for u, v in zip(pts, pts[1:]):
        hu, hv = h(u), h(v)
        if hu == 0:
            out.add(u)
        if hu * hv < 0:
            out.add(u - hu * (v - u) / (hv - hu))
    return out


def _argmax(vals):
    top = max(vals)
    return vals.index(top)


def test_locate_interior_and_boundary_points():
    """locate() returns the region of each interior point; a point on an edge lies in the
    closure of two regions and locate picks the first of them; outside: DomainError."""
    net = random_network([2, 5, 4, 1], seed=3)
    lr = rg.linear_regions(net, box=BOX)
    for r in lr.regions:
        assert lr.locate(r.interior_point) is r
        assert r.activation_pattern == net.activation_pattern(r.interior_point)
    lr4 = rg.linear_regions(_xy_net(), box=BOX)
    hits = lr4.locate_all((0, F(1, 2)))
    assert len(hits) == 2 and lr4.locate((0, F(1, 2))) is hits[0]
    assert len(lr4.locate_all((0, 0))) == 4
    with pytest.raises(rg.DomainError, match="outside"):
        lr4.locate((2, 0))
    with pytest.raises(rg.DimensionError):
        lr4.locate((0, 0, 0))


def test_to_networkx_graph():
    """Nodes = regions with their attributes, edges = adjacency; areas sum to the box."""
    pytest.importorskip("networkx")
    net = random_network([2, 6, 5, 1], seed=4)
    lr = rg.linear_regions(net, box=BOX)
    G = lr.to_networkx()
    assert G.number_of_nodes() == lr.n_regions
    assert sorted(tuple(sorted(e)) for e in G.edges) == list(lr.adjacency)
    assert sum(G.nodes[i]["area"] for i in G) == 4
    for i in G:
        r = lr.regions[i]
        assert G.nodes[i]["activation_pattern"] == r.activation_pattern
        assert G.nodes[i]["affine_map"] == r.affine_map and G.nodes[i]["bounded"]
    import networkx as nx
    assert nx.is_connected(G)
    assert nx.number_connected_components(G.edge_subgraph(
        [e for e in G.edges if G.edges[e]["same_map"]]).copy()) + \
        sum(1 for i in G if all(not G.edges[i, j]["same_map"] for j in G[i])) == lr.n_pieces


@pytest.mark.parametrize("case", ["box", "plane", "R3"])
def test_json_round_trip(case):
    """rg.from_json(rg.to_json(regions)) has the same regions, maps, pieces, adjacency."""
    if case == "box":
        lr = rg.linear_regions(random_network([2, 5, 5, 2], seed=5), box=BOX)
    elif case == "plane":
        lr = rg.linear_regions(random_network([2, 4, 3, 1], seed=6))
    else:
        lr = rg.linear_regions(random_network([3, 4, 1], seed=7), box=[(-1, 1)] * 3)
    back = rg.from_json(rg.to_json(lr))
    assert back.n_regions == lr.n_regions and back.box == lr.box
    assert [r.affine_map for r in back.regions] == [r.affine_map for r in lr.regions]
    assert [r.activation_pattern for r in back.regions] == \
        [r.activation_pattern for r in lr.regions]
    assert [r.inequalities for r in back.regions] == [r.inequalities for r in lr.regions]
    assert back.adjacency == lr.adjacency and back.n_pieces == lr.n_pieces
    assert rg.to_json(back) == rg.to_json(lr)


def test_json_rejects_malformed():
    """Malformed region data: SerializationError."""
    lr = rg.linear_regions(_xy_net(), box=BOX)
    text = rg.to_json(lr).replace('"den": 1', '"den": "x"')
    with pytest.raises(rg.SerializationError):
        rg.from_json(text)


def test_plot_draws_boundary():
    """plot(boundary=True) adds one line per boundary segment."""
    pytest.importorskip("matplotlib")
    from matplotlib.figure import Figure
    lr = rg.linear_regions(_xy_net(), box=BOX)
    ax = lr.plot(Figure().add_subplot(111), boundary=True)
    assert len(ax.lines) == lr.decision_boundary().n_segments
    ax2 = rg.linear_regions(_xy_net()).plot(Figure().add_subplot(111), boundary=True)
    assert len(ax2.lines) == 2


def test_candidate_filter_keeps_every_tie():
    """The exact generator filter drops no segment: with the filter disabled (every pair
    tried) the boundary is the same."""
    import relugeom.geometry.boundary as bd
    lr = rg.linear_regions(random_network([2, 6, 6, 4], seed=9), box=[(-3, 3), (-3, 3)])
    fast = lr.decision_boundary()
    orig = bd._candidates
    try:
        bd._candidates = lambda reg, m: True if m == 1 else list(range(m))
        slow = lr.decision_boundary()
    finally:
        bd._candidates = orig
    assert fast.segments == slow.segments and fast.n_segments > 0


def test_boundary_needs_the_plane():
    """n != 2 is refused with advice."""
    lr = rg.linear_regions(random_network([3, 3, 2], seed=1), box=[(-1, 1)] * 3)
    with pytest.raises(rg.DimensionError, match="plane"):
        lr.decision_boundary()

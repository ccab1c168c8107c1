"""Reprs that reproduce, strategies found by type, and the rich notebook displays."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom import reprs


def _eval(text: str):
    return eval(text, {"rg": rg, "ReLUNetwork": rg.ReLUNetwork})  # noqa: S307 - the test


def test_small_network_repr_is_its_weights():
    """The README example: a small network prints as code."""
    net = rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    assert repr(net) == "ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])"


def test_fractions_print_as_strings_and_round_trip():
    """Fractions appear as '1/3' and the repr evaluates back to an equal network."""
    net = rg.ReLUNetwork([([["1/3", -2], ["-5/7", 0]], ["1/2", 0]), ([[1, "-3/4"]], [7])])
    text = repr(net)
    assert "'1/3'" in text and "'-5/7'" in text and "Fraction" not in text
    back = _eval(text)
    assert back == net and back.layers == net.layers


@settings(max_examples=30)
@given(rst.relu_networks(max_hidden_layers=2, max_width=3))
def test_repr_round_trips(net):
    """Law: every network small enough to show its weights evaluates back to itself
    (what a hypothesis counterexample needs to be pasted into a test)."""
    text = repr(net)
    entries = sum(len(W) * (len(W[0]) + 1) for W, _ in net.layers)
    if entries <= rg.ReLUNetwork.REPR_MAX_ENTRIES:
        assert _eval(text) == net
    else:
        assert text.startswith("<ReLUNetwork")


def test_big_network_repr_is_abbreviated():
    """Past REPR_MAX_ENTRIES weights the repr is the one-line summary."""
    net = rg.ReLUNetwork([([[1]] * 30, [0] * 30), ([[1] * 30], [0])])
    assert repr(net) == "<ReLUNetwork 1 -> [30] -> 1, depth 2, size 30>"
    huge = rg.ReLUNetwork([([[Fraction(10 ** 60 + 1, 3)]], [0]), ([[1]], [0])])
    assert repr(huge).startswith("<ReLUNetwork 1 -> [1] -> 1")


def test_from_type_finds_the_strategies():
    """st.from_type works for PiecewiseLinear and ReLUNetwork once relugeom.interop.strategies is
    imported."""
    seen = []

    @settings(max_examples=10)
    @given(st.from_type(rg.PiecewiseLinear), st.from_type(rg.ReLUNetwork))
    def draw(f, net):
        assert isinstance(f, rg.PiecewiseLinear) and isinstance(net, rg.ReLUNetwork)
        seen.append(f)
    draw()
    assert seen


def test_from_type_works_in_a_fresh_process_without_importing_strategies():
    """The hypothesis entry point registers the strategies when hypothesis is imported."""
    import subprocess
    import sys
    code = ("import sys\nfrom hypothesis import strategies as st\nimport relugeom as rg\n"
            "f = st.from_type(rg.PiecewiseLinear).example()\n"
            "n = st.from_type(rg.ReLUNetwork).example()\n"
            "print(type(f).__name__, type(n).__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["PiecewiseLinear", "ReLUNetwork"]


def test_builds_uses_registered_types():
    """Type-annotated arguments of st.builds draw relugeom values too."""
    def pair(f: rg.PiecewiseLinear, g: rg.PiecewiseLinear) -> tuple:
        return f, g

    @settings(max_examples=5)
    @given(st.builds(pair))
    def draw(p):
        f, g = p
        assert (f + g) - g == f
    draw()


# ---------------------------------------------------------------------- rich displays
def test_zonotope_html_shows_counts_and_drawing():
    """A planar zonotope shows its generator and vertex counts and an SVG; in R^3 only
    the summary."""
    from relugeom.geometry.zonotope import Zonotope
    Z = Zonotope([(1, 0), (0, 1), (1, 1), ("1/2", -1)])
    html = Z._repr_html_()
    assert f"{Z.m} generators, {Z.n_vertices} vertices" in html and "<svg" in html
    html3 = Zonotope([(1, 0, 0), (0, 1, 1)])._repr_html_()
    assert "R^3: 2 generators" in html3 and "<svg" not in html3


def test_cpwl_and_regions_html():
    """CPWLFunction and LinearRegions show cells/regions and pieces, drawn in the plane."""
    pytest.importorskip("relugeom.geometry.regions")
    net = rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]], [0, 0, 0, 0, 0]),
                          ([[1, 1, 1, 1, 0]], [0])])
    res = rg.linear_regions(net)
    html = res._repr_html_()
    assert f"{res.n_regions} regions, {res.n_pieces} pieces" in html and "<svg" in html
    f = rg.CPWLFunction.from_network(net)
    h = f._repr_html_()
    assert f"{f.n_cells} cells, {f.n_pieces} pieces" in h and "<polygon" in h
    assert "-&gt;" in h                      # the summary is escaped


def test_region_svg_colours_neighbouring_pieces_differently():
    """In the SVG of a region set, adjacent regions of different pieces have different
    fills."""
    pytest.importorskip("relugeom.geometry.regions")
    import re
    net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, 1], [1, -1]], [0, 0, "-1/2", 0]),
                          ([[1, -1, 2, 1]], [0])])
    res = rg.linear_regions(net, box=[(-1, 1), (-1, 1)])
    fills = re.findall(r'<polygon points="[^"]*" fill="([^"]+)"', reprs.repr_svg(res))
    assert len(fills) == res.n_regions
    owner = {i: k for k, grp in enumerate(res.pieces()) for i in grp}
    assert all(fills[i] != fills[j] for i, j in res.adjacency if owner[i] != owner[j])


def test_repr_html_never_raises():
    """Unknown objects give None."""
    assert reprs.repr_html(object()) is None
    assert reprs.repr_html(3) is None


def test_erm_result_html_is_short_and_draws_the_fit():
    """ERMResult's HTML display: its abbreviated summary and the fitted function."""
    from relugeom import erm
    res = erm.fit([[0], [1], [2], [3]], [0, 1, 0, 1], width=1, workers=1, progress=False)
    html = res._repr_html_()
    assert html.startswith("<div") and "ERMResult squared loss, width 1" in html
    assert "<svg" in html and "pieces on R" in html and len(html) < 40_000

"""The figures: registered, drawn deterministically, committed, and the notebook reprs."""
from __future__ import annotations

import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

import relugeom as rg
from relugeom import figures, figures_paper, plotting

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parent.parent
QUICK = "fig[24]_*"          # two of the paper's figures: fast to draw


def _is_png(path: str | Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(8) == PNG_MAGIC


def test_make_all_writes_valid_pngs(tmp_path):
    """make_all returns one path per selected figure, and each is a real PNG file."""
    paths = figures.make_all(out=tmp_path, formats=["png"], only=QUICK)
    assert [Path(p).name for p in paths] == ["fig2_zigzag_composition.png",
                                            "fig4_relu_splits_pieces.png"]
    for p in paths:
        assert _is_png(p) and os.path.getsize(p) > 5_000


def test_figures_are_byte_stable(tmp_path):
    """Drawing a figure twice gives identical bytes (no timestamps, fixed dpi)."""
    a = figures.make_all(out=tmp_path / "a", formats=["png", "svg"], only="fig4*")
    b = figures.make_all(out=tmp_path / "b", formats=["png", "svg"], only="fig4*")
    assert [Path(p).suffix for p in a] == [".png", ".svg"]
    for pa, pb in zip(a, b):
        assert Path(pa).read_bytes() == Path(pb).read_bytes()


def test_every_figure_draws(tmp_path):
    """Every registered figure draws without error into a valid PNG; at least eight."""
    paths = figures.make_all(out=tmp_path)
    assert len(paths) == len(figures.names()) + 1 and len(figures.names()) >= 8
    assert all(_is_png(p) for p in paths[:-1])
    assert Path(paths[-1]).name == "README.md"
    assert Path(paths[-1]).read_text(encoding="utf-8") == figures.readme()


def test_only_selects_by_pattern_or_substring():
    """--only takes a shell pattern or a substring of the figure name."""
    assert figures.names(only="fig2*") == ["fig2_zigzag_composition"]
    assert figures.names(only="relu_splits") == ["fig4_relu_splits_pieces"]
    assert figures.names(only="no-such-figure") == []


def test_the_papers_figures_are_registered():
    """fig1_*, fig2_*, fig4_* exist for the paper's Figures 1, 2 and 4."""
    registered = figures.names()
    for prefix in ("fig2_", "fig4_"):
        assert any(n.startswith(prefix) for n in registered), prefix
    for name in registered:
        spec = figures.describe(name)
        assert spec.claim and spec.caption


def test_unknown_figure_and_format_are_refused(tmp_path):
    """Unknown names and formats raise DomainError naming the value."""
    with pytest.raises(rg.DomainError, match="nope"):
        figures.make("nope")
    with pytest.raises(rg.DomainError, match="bmp"):
        figures.make_all(out=tmp_path, formats=["bmp"], only="fig4*")


def test_bad_format_is_refused_before_drawing(tmp_path):
    """A bad format among good ones raises, naming it and the allowed ones, and nothing
    is written (not even the good format's file)."""
    out = tmp_path / "out"
    with pytest.raises(rg.DomainError, match=r"'xyz'.*png, pdf, svg"):
        figures.make_all(out=out, formats=["png", "xyz"], only="fig4*")
    assert not out.exists() or not any(out.iterdir())


def test_only_matching_nothing_is_refused(tmp_path):
    """--only that matches no figure raises DomainError naming the pattern and the known
    figures, instead of silently writing nothing."""
    out = tmp_path / "out"
    with pytest.raises(rg.DomainError, match=r"no figure matches 'zzz_nothing'; known: fig"):
        figures.make_all(out=out, only="zzz_nothing")
    assert not out.exists()


def test_cli_figures_errors_exit_2(tmp_path, capsys):
    """The CLI turns both refusals into exit status 2 without drawing."""
    from relugeom import cli
    out = tmp_path / "out"
    assert cli.main(["figures", "--out", str(out), "--format", "png,xyz",
                     "--only", "fig4*"]) == 2
    assert cli.main(["figures", "--out", str(out), "--only", "zzz_nothing"]) == 2
    assert not out.exists()


def test_committed_figures_match_the_registry():
    """figures/ holds one small PNG per registered figure, and its README is current."""
    readme = (ROOT / "figures" / "README.md").read_text(encoding="utf-8")
    assert readme == figures.readme(), "figures/README.md is stale: run `relugeom figures`"
    for name in figures.names():
        png = ROOT / "figures" / f"{name}.png"
        assert png.exists(), f"{png} missing: run `relugeom figures`"
        assert _is_png(png) and png.stat().st_size < 200_000
        assert f"{name}.png" in readme


def test_fig2_counts_are_the_papers():
    """Figure 2: the inner zig-zag has 2 pieces on [0, M], the outer 3, the composition 6."""
    fam = figures_paper._families()
    h1, h2 = fam.zigzag([Fraction(2, 5)], 1), fam.zigzag([Fraction(1, 4), Fraction(3, 5)], 1)
    assert (h1.n_pieces_on(0, 1), h2.n_pieces_on(0, 1), (h2 @ h1).n_pieces_on(0, 1)) == (2, 3, 6)


# ---------------------------------------------------------------------- plotting helpers
def test_pwl_vertices_are_the_exact_breakpoints():
    """The drawn polyline passes through every breakpoint inside the window, at f's value."""
    f = rg.PiecewiseLinear.from_points([(0, 0), ("1/3", 1), (1, -2)], left_slope=0,
                                       right_slope=5)
    xs, ys = plotting.pwl_vertices(f, -1, 2)
    assert xs.tolist() == [-1.0, 0.0, 1 / 3, 1.0, 2.0]
    assert ys.tolist() == [float(f(x)) for x in (-1, 0, Fraction(1, 3), 1, 2)]


def test_pwl_window_contains_all_breakpoints():
    """The default window strictly contains every breakpoint."""
    f = rg.PiecewiseLinear.from_points([(-3, 1), (0, 0), (7, 2)], left_slope=0,
                                       right_slope=0)
    lo, hi = plotting.pwl_window(f)
    assert lo < -3 and hi > 7


# ---------------------------------------------------------------------- notebook reprs
def test_repr_svg_of_a_function():
    """A small function shows an SVG polyline with one vertex per breakpoint."""
    t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
    svg = (t @ t)._repr_svg_()
    assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert svg.count("<circle") == (t @ t).n_breakpoints
    assert f"{(t @ t).n_pieces} pieces on R" in svg


def test_repr_svg_of_an_affine_function():
    """Affine functions (no breakpoint) still draw."""
    assert "polyline" in rg.PiecewiseLinear.affine(2, 1)._repr_svg_()


def test_repr_svg_gives_up_on_huge_functions():
    """Beyond REPR_MAX_PIECES pieces there is no SVG (the text repr shows instead)."""
    t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
    big = t
    while big.n_pieces <= plotting.REPR_MAX_PIECES:
        big = t @ big
    assert big._repr_svg_() is None


def test_repr_svg_of_networks():
    """A one-input network draws its function; a two-input one draws a layer diagram."""
    f = rg.PiecewiseLinear.from_points([(0, 0), (1, 1), (2, 0)], left_slope=0,
                                       right_slope=0)
    svg = rg.network_from_pwl(f)._repr_svg_()
    assert "polyline" in svg and "size 3" in svg
    net2 = rg.ReLUNetwork([([[1, 2], [3, -1], [0, 1]], [0, 1, 0]), ([[1, -1, 1]], [0])])
    svg2 = net2._repr_svg_()
    assert "polyline" not in svg2 and svg2.count("<circle") == 2 + 3 + 1


def test_repr_svg_never_raises():
    """Anything unknown gives None rather than an exception."""
    assert plotting.repr_svg(object()) is None
    assert plotting.repr_svg(42) is None


def test_importing_relugeom_does_not_import_matplotlib():
    """matplotlib loads lazily: not at import, not for an SVG repr."""
    code = ("import sys, relugeom as rg\n"
            "t = rg.PiecewiseLinear.from_points([(0, 0), ('1/2', 1), (1, 0)])\n"
            "assert t._repr_svg_() is not None\n"
            "assert rg.network_from_pwl(t)._repr_svg_() is not None\n"
            "print('matplotlib' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


def test_repr_svg_of_a_region_set():
    """A 2-D region set draws one polygon per region and names regions and pieces."""
    pytest.importorskip("relugeom.regions")
    net = rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]], [0, 0, 0, 0, 0]),
                          ([[1, 1, 1, 1, 0]], [0])])
    res = rg.linear_regions(net)
    svg = plotting.repr_svg(res)
    assert svg.count("<polygon") == res.n_regions
    assert f"{res.n_regions} regions, {res.n_pieces} pieces" in svg
    assert res.n_regions > res.n_pieces == 4

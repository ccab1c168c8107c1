"""The figures: registered, drawn deterministically, committed, and the notebook reprs."""
from __future__ import annotations

import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom import figures, figures_paper, plotting, reprs

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[2]
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
    paths = figures.make_all(out=tmp_path, gallery=True)
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
    assert f"{(t @ t).n_pieces} pieces on R" in svg


def test_repr_svg_of_an_affine_function():
    """Affine functions (no breakpoint) still draw."""
    assert "1 piece on R" in rg.PiecewiseLinear.affine(2, 1)._repr_svg_()


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
    assert "<path" in svg and "size 3" in svg and "pieces on R" in svg
    net2 = rg.ReLUNetwork([([[1, 2], [3, -1], [0, 1]], [0, 1, 0]), ([[1, -1, 1]], [0])])
    svg2 = net2._repr_svg_()
    assert "polyline" not in svg2 and svg2.count("<circle") == 2 + 3 + 1


def test_repr_svg_never_raises():
    """Anything unknown gives None rather than an exception."""
    assert reprs.repr_svg(object()) is None
    assert reprs.repr_svg(42) is None


def test_importing_relugeom_does_not_import_matplotlib():
    """matplotlib loads lazily: not at import or when building functions and networks,
    only when a figure or an SVG repr is drawn (and then not pyplot)."""
    code = ("import sys, relugeom as rg\n"
            "t = rg.PiecewiseLinear.from_points([(0, 0), ('1/2', 1), (1, 0)])\n"
            "n = rg.network_from_pwl(t); repr(n); repr(t)\n"
            "print('matplotlib' in sys.modules)\n"
            "assert t._repr_svg_() is not None\n"
            "assert n._repr_svg_() is not None\n"
            "print('matplotlib.pyplot' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["False", "False"]


def test_repr_svg_of_a_region_set():
    """A 2-D region set draws one polygon per region and names regions and pieces."""
    pytest.importorskip("relugeom.geometry.regions")
    net = rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1], [1, 1]], [0, 0, 0, 0, 0]),
                          ([[1, 1, 1, 1, 0]], [0])])
    res = rg.linear_regions(net)
    svg = reprs.repr_svg(res)
    assert svg.count("<polygon") == res.n_regions
    assert f"{res.n_regions} regions, {res.n_pieces} pieces" in svg
    assert res.n_regions > res.n_pieces == 4


# ---------------------------------------------------------------------- the user's files
FIG4 = "fig4_relu_splits_pieces"


def test_foreign_readme_is_never_overwritten(tmp_path):
    """A folder with the user's own README.md: drawing a PDF writes exactly that PDF and
    leaves the README alone; asking for the gallery there is refused before drawing."""
    mine = tmp_path / "README.md"
    mine.write_text("# my notes\n", encoding="utf-8")
    paths = figures.make_all(out=tmp_path, formats=["pdf"], only=FIG4)
    assert paths == [str(tmp_path / f"{FIG4}.pdf")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md", f"{FIG4}.pdf"]
    assert mine.read_text(encoding="utf-8") == "# my notes\n"
    with pytest.raises(rg.DomainError, match="refusing to overwrite.*README.md"):
        figures.make_all(out=tmp_path, formats=["png"], only=FIG4, gallery=True)
    assert mine.read_text(encoding="utf-8") == "# my notes\n"
    assert not (tmp_path / f"{FIG4}.png").exists()


def test_foreign_image_is_never_overwritten(tmp_path):
    """An image of the same name that relugeom did not write is refused, unchanged; one
    relugeom wrote (it carries the marker) is redrawn."""
    target = tmp_path / f"{FIG4}.png"
    target.write_bytes(PNG_MAGIC + b"the user's own picture")
    with pytest.raises(rg.DomainError, match="refusing to overwrite"):
        figures.make_all(out=tmp_path, only=FIG4)
    assert target.read_bytes() == PNG_MAGIC + b"the user's own picture"
    target.unlink()
    figures.make_all(out=tmp_path, formats=["png", "svg", "pdf"], only=FIG4)
    again = figures.make_all(out=tmp_path, formats=["png", "svg", "pdf"], only=FIG4)
    assert len(again) == 3 and all(figures.MARKER.encode() in Path(p).read_bytes()
                                   for p in again)


def test_gallery_readme_only_when_asked_or_ours(tmp_path):
    """Without --gallery no README is written in a fresh folder; with it the README
    links only the files present; afterwards (marked as ours) it is kept current."""
    figures.make_all(out=tmp_path, only=FIG4)
    assert not (tmp_path / "README.md").exists()
    paths = figures.make_all(out=tmp_path, only="fig2*", gallery=True)
    text = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert paths[-1] == str(tmp_path / "README.md") and figures.MARKER in text
    assert f"({FIG4}.png)" in text and "(fig2_zigzag_composition.png)" in text
    assert "fig1_zonotope_surfaces" not in text         # not drawn here: not linked
    (tmp_path / f"{FIG4}.png").unlink()
    figures.make_all(out=tmp_path, only="fig2*")         # ours: rewritten by default
    assert f"{FIG4}.png" not in (tmp_path / "README.md").read_text(encoding="utf-8")
    before = (tmp_path / "README.md").read_text(encoding="utf-8")
    figures.make_all(out=tmp_path, only="fig2*", formats=["pdf"])   # no PNG: kept as is
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == before


def test_cli_prints_each_path_as_written(tmp_path, capsys):
    """The CLI shows progress on stderr and each written path on stdout."""
    from relugeom import cli
    assert cli.main(["figures", "--out", str(tmp_path), "--only", "fig4*",
                     "--format", "png,svg"]) == 0
    out, err = capsys.readouterr()
    assert out.split() == [str(tmp_path / f"{FIG4}.png"), str(tmp_path / f"{FIG4}.svg")]
    assert f"[1/1] drawing {FIG4}" in err


def test_cli_out_that_is_a_file_or_cannot_be_created(tmp_path, capsys):
    """--out at a file, or under one, is a one-line error with exit status 2."""
    from relugeom import cli
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for out in (blocker, blocker / "sub"):
        assert cli.main(["figures", "--out", str(out), "--only", "fig4*"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith("relugeom: error: figures:") and "\n" not in err
        assert str(out) in err
    assert blocker.read_text() == "x"


# ---------------------------------------------------------------------- reusable figures
def test_builders_draw_into_given_axes():
    """A public builder draws into the axes it is given and returns their figure; the
    wrong number of axes is a DimensionError."""
    from relugeom.paper.figures_paper import relu_splits_pieces, zigzag_composition
    fig = plotting.new_figure(6, 2)
    axes = fig.subplots(1, 3)
    assert zigzag_composition(ax=axes) is fig
    assert all(ax.lines for ax in axes) and len(fig.axes) == 3
    with pytest.raises(rg.DimensionError, match="3 axes"):
        zigzag_composition(ax=axes[:2])
    fig2 = plotting.new_figure(6, 2)
    f = rg.PiecewiseLinear.from_points([(-1, 1), (1, -1)], left_slope=0, right_slope=0)
    assert relu_splits_pieces(f, ax=fig2.subplots(1, 2)) is fig2
    assert fig2.axes[0].get_title() == "f: 3 pieces (colours alternate)"


def test_make_passes_parameters_to_the_builder():
    """make(name, **params) draws the instance asked for, at the size asked for."""
    fig = figures.make("fig2_zigzag_composition", a1=("1/3",), a2=("1/2",), size=(5, 2))
    assert fig.get_size_inches().tolist() == [5.0, 2.0]
    titles = [ax.get_title() for ax in fig.axes[:3]]
    assert titles[2].endswith("4 pieces on $[0, M]$")
    assert figures.describe("thm22_flaps").build.__name__ == "flaps"


def test_titles_have_no_code_names_or_literal_carets():
    """Titles speak mathematics: no function names, carets only inside mathtext."""
    from relugeom.paper.figures_theorems import best_fit, flaps
    import re
    for fig in (flaps(), best_fit(k=3, fits=(3,))):
        for ax in fig.axes:
            title = ax.get_title()
            assert "network_from_pwl" not in title and "_" not in re.sub(r"\$[^$]*\$", "",
                                                                          title)
            assert "^" not in re.sub(r"\$[^$]*\$", "", title), title


def test_figures_label_their_axes():
    """Every panel of the cheap figures has an x label; the first of each row a y label."""
    from relugeom.paper.figures_paper import relu_splits_pieces, zigzag_composition
    from relugeom.paper.figures_theorems import flaps
    for fig in (zigzag_composition(), relu_splits_pieces(), flaps()):
        assert all(ax.get_xlabel() for ax in fig.axes if ax.lines)
        assert fig.axes[0].get_ylabel()


def test_plot_pwl_accepts_networks_and_refuses_others():
    """plot_pwl(network) draws the network's function; other inputs get typed errors."""
    net = rg.ReLUNetwork([([[1], [-1]], [0, "1/2"]), ([[1, 2]], [0])])
    ax1 = plotting.plot_pwl(net, plotting.new_figure(3, 2).add_subplot(), lo=-2, hi=2)
    ax2 = plotting.plot_pwl(net.to_pwl(), plotting.new_figure(3, 2).add_subplot(), lo=-2,
                            hi=2)
    assert ax1.lines[0].get_xydata().tolist() == ax2.lines[0].get_xydata().tolist()
    net2 = rg.ReLUNetwork([([[1, 1]], [0]), ([[1]], [0])])
    with pytest.raises(rg.DimensionError, match="R\\^2 -> R\\^1"):
        plotting.plot_pwl(net2)
    with pytest.raises(rg.NotExactError, match="int"):
        plotting.plot_pwl(3)


def test_plot_pwl_without_ax_uses_the_current_pyplot_axes():
    """ax=None draws into plt.gca(), so plt.show() shows it."""
    plt = pytest.importorskip("matplotlib.pyplot")
    plt.close("all")
    try:
        ax = plotting.plot_pwl(rg.PiecewiseLinear.relu())
        assert ax is plt.gca() and len(ax.lines) == 1
    finally:
        plt.close("all")


def test_plot_surface_draws_one_facet_per_region():
    """plot_surface returns 3-D axes with one facet per linear region in the box, labelled;
    a one-input network is refused."""
    pytest.importorskip("relugeom.geometry.regions")
    net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, -1]], [0, 0, "1/2"]), ([[1, -1, 1]], [0])])
    fig = plotting.new_figure(3, 3)
    ax = plotting.plot_surface(net, ((-1, 1), (-1, 1)), fig.add_subplot(projection="3d"))
    n = rg.linear_regions(net, box=[(-1, 1), (-1, 1)]).n_regions
    assert ax.name == "3d" and len(ax.collections[0].get_facecolor()) == n
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")
    with pytest.raises(rg.DimensionError, match="R\\^2 -> R"):
        plotting.plot_surface(rg.ReLUNetwork([([[1]], [0])]))


def test_neighbouring_regions_get_different_colours():
    """region_colors: any two adjacent regions differ (by region), and adjacent regions of
    different pieces differ (by piece)."""
    pytest.importorskip("relugeom.geometry.regions")
    from relugeom.paper.figures_theorems import _random_network
    res = rg.linear_regions(_random_network([6, 6], seed=7, n_inputs=2),
                            box=[(-2, 2), (-2, 2)])
    assert res.adjacency
    cols = plotting.region_colors(res, by="region")
    assert all(cols[i] != cols[j] for i, j in res.adjacency)
    owner = {i: k for k, grp in enumerate(res.pieces()) for i in grp}
    pc = plotting.region_colors(res, by="piece")
    assert all(pc[i] != pc[j] for i, j in res.adjacency if owner[i] != owner[j])
    assert all(pc[i] == pc[j] for i in owner for j in owner if owner[i] == owner[j])


@settings(max_examples=40)
@given(st.integers(1, 12).flatmap(lambda n: st.tuples(
    st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                         max_size=30))))
def test_greedy_coloring_is_proper(graph):
    """Law: the ends of every edge (not a loop) get different colours, and at most
    max degree + 1 colours are used."""
    n, edges = graph
    col = plotting.greedy_coloring(n, edges)
    assert len(col) == n and all(col[i] != col[j] for i, j in edges if i != j)
    deg = [len({j for a, b in edges for j in ((b,) if a == i else (a,) if b == i else ())
                if j != i}) for i in range(n)]
    assert max(col) <= max(deg)


# ---------------------------------------------------------------------- SVG reprs
def _captured_figure(monkeypatch, obj):
    """The matplotlib figure behind obj's SVG repr."""
    seen = []
    real = reprs._svg_of

    def capture(fig):
        seen.append(fig)
        return real(fig)
    monkeypatch.setattr(reprs, "_svg_of", capture)
    assert obj._repr_svg_().startswith("<svg")
    return seen[-1]


def test_svg_window_comes_from_the_breakpoints(monkeypatch):
    """The 81 pieces of a hard function on [0, 1] are not flattened by its steep tails:
    the y-window is set by the values at the breakpoints."""
    H = rg.families.hard_function([("1/3", "2/3")] * 4, 1)
    fig = _captured_figure(monkeypatch, H)
    lo, hi = fig.axes[0].get_ylim()
    assert -0.2 < lo < 0 and 1 < hi < 1.2


def test_svg_of_a_dense_sawtooth_zooms(monkeypatch):
    """A 1,026-piece sawtooth gets a second panel resolving its first 40 breakpoints."""
    saw = rg.families.sawtooth(10)
    assert saw.n_pieces == 1026
    fig = _captured_figure(monkeypatch, saw)
    assert len(fig.axes) == 2
    x0, x1 = fig.axes[1].get_xlim()
    inside = [b for b in saw.breakpoints if x0 <= b <= x1]
    assert len(inside) == reprs._ZOOM_BREAKPOINTS


def test_region_plot_colours_neighbours_apart():
    """LinearRegions.plot fills adjacent regions with different colours and labels axes."""
    pytest.importorskip("relugeom.geometry.regions")
    from relugeom.paper.figures_theorems import _random_network
    res = rg.linear_regions(_random_network([5, 5], seed=3, n_inputs=2),
                            box=[(-2, 2), (-2, 2)])
    ax = res.plot(plotting.new_figure(3, 3).add_subplot(), color="region")
    fills = [tuple(p.get_facecolor()) for p in ax.patches]
    assert len(fills) == res.n_regions
    assert all(fills[i] != fills[j] for i, j in res.adjacency)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("$x_1$", "$x_2$")


def test_png_is_byte_identical_across_processes(tmp_path):
    """A cheap figure drawn in two fresh interpreters with different hash seeds gives the
    same PNG bytes (no timestamp, no version, no hash-order dependence)."""
    code = ("import sys; from relugeom import figures\n"
            "figures.make_all(out=sys.argv[1], only='fig4*')\n")
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed, "MPLBACKEND": "Agg"}
        subprocess.run([sys.executable, "-c", code, str(out)], check=True, env=env,
                       capture_output=True)
        outs.append((out / "fig4_relu_splits_pieces.png").read_bytes())
    assert outs[0] == outs[1] and outs[0].startswith(PNG_MAGIC)


@pytest.mark.parametrize("name, params, shape", [
    ("fig4_relu_splits_pieces", {}, (1, 2)),
    ("thm22_flaps", {}, (1, 2)),
    ("thm35_best_fit", {"k": 3, "fits": (3,)}, (1, 2)),
    ("thm31_gap_bound", {"k": 4, "max_k": 4}, (1, 2)),
    ("hard_family_depth", {"params": (("1/3", "2/3"), ("1/4", "1/2"))}, (2, 2)),
])
def test_every_cheap_builder_accepts_ax(name, params, shape):
    """make(name, ax=axes, **params) draws into the caller's axes (one per panel) and
    returns the caller's figure, with every panel drawn on."""
    fig = plotting.new_figure(6, 3)
    axes = fig.subplots(*shape)
    assert figures.make(name, ax=axes, **params) is fig
    assert len(fig.axes) == shape[0] * shape[1]
    assert all(ax.lines or ax.collections for ax in fig.axes)


def test_make_applies_rc_overrides():
    """make(name, rc=...) draws with the given matplotlib settings on top of the style."""
    big = figures.make("fig4_relu_splits_pieces", rc={"axes.labelsize": 13})
    plain = figures.make("fig4_relu_splits_pieces")
    assert big.axes[0].xaxis.label.get_fontsize() == 13
    assert plain.axes[0].xaxis.label.get_fontsize() == 8.5

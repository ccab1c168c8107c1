"""Drawing relugeom's objects: matplotlib helpers and the small SVGs Jupyter shows.

matplotlib is imported inside the functions that need it, never when relugeom is
imported. Figures are built as :class:`matplotlib.figure.Figure` objects on an Agg canvas
(:func:`new_figure`), so drawing works the same in a script, a test or a notebook; the
plotting functions (:func:`plot_pwl`, :func:`plot_surface`, :func:`plot_polygons`) draw
into the axes given, or with ``ax=None`` into ``pyplot``'s current axes
(``plt.gca()``), so ``plt.show()`` works.

Functions are drawn *exactly*: the polyline goes through the true breakpoints (never a
sampled grid), so a sawtooth with a thousand teeth is drawn without aliasing.

The notebook reprs (:func:`repr_svg`) are small SVGs drawn by matplotlib's SVG backend
(no pyplot state, matplotlib imported only when a repr is shown).

>>> import relugeom as rg
>>> t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
>>> svg = rg.plotting.repr_svg(t)
>>> svg.startswith("<svg") and "pieces on R" in svg
True
"""
from __future__ import annotations

import os
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = ["COLORS", "pwl_window", "pwl_vertices", "plot_pwl", "plot_surface", "new_figure",
           "style", "save_figure", "check_formats", "plot_polygons", "region_colors",
           "greedy_coloring", "repr_svg", "repr_html", "REPR_MAX_PIECES", "REPR_MAX_UNITS",
           "REPR_MAX_REGIONS"]

#: A colour-blind-safe palette (Okabe and Ito), used in this order by every figure.
COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442",
          "#000000")

#: Functions with more pieces than this show no SVG repr (their text repr still shows).
REPR_MAX_PIECES = 2000

#: Networks whose function would need more hidden units than this are drawn as diagrams.
REPR_MAX_UNITS = 64

#: Region sets with more regions than this show no SVG repr.
REPR_MAX_REGIONS = 3000

_RC = {
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.labelsize": 8.5,
    "legend.fontsize": 7.5,
    "xtick.labelsize": 7.5,
    "ytick.labelsize": 7.5,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.7,
    "lines.linewidth": 1.4,
    "lines.solid_capstyle": "round",
    "savefig.dpi": 150,
    "figure.dpi": 100,
    "svg.hashsalt": "relugeom",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "path.simplify": False,
}


# ---------------------------------------------------------------------- 1-D functions
def pwl_window(f: Any, *, margin: float = 0.15) -> tuple[float, float]:
    """A float interval containing every breakpoint of ``f``, with a margin.

    The margin is ``margin`` times the span of the breakpoints (at least 0.5 on each side
    when all breakpoints coincide); an affine function gets [-1, 1].

    >>> import relugeom as rg
    >>> rg.plotting.pwl_window(rg.PiecewiseLinear.relu())
    (-0.5, 0.5)
    """
    if f.is_affine:
        return (-1.0, 1.0)
    bp = f.breakpoints
    lo, hi = float(bp[0]), float(bp[-1])
    pad = margin * (hi - lo) if hi > lo else 0.5
    return (lo - pad, hi + pad)


def pwl_vertices(f: Any, lo: Any = None, hi: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """Float coordinates of the polyline drawing ``f`` exactly on [lo, hi].

    The points are ``lo``, every breakpoint strictly inside, and ``hi``; the values are
    computed exactly and rounded once. Defaults: :func:`pwl_window`.

    >>> import relugeom as rg
    >>> xs, ys = rg.plotting.pwl_vertices(rg.PiecewiseLinear.relu(), -1, 1)
    >>> xs.tolist(), ys.tolist()
    ([-1.0, 0.0, 1.0], [0.0, 0.0, 1.0])
    """
    from ..numbers.rational import as_rational
    if lo is None or hi is None:
        wlo, whi = pwl_window(f)
        lo = Fraction(wlo) if lo is None else lo
        hi = Fraction(whi) if hi is None else hi
    qlo = as_rational(lo, exact_float=True, what="lo")
    qhi = as_rational(hi, exact_float=True, what="hi")
    bp = [b for b in f.breakpoints if qlo < b < qhi]
    pts = [qlo, *bp, qhi]
    vals = f.evaluate_exact(pts)
    return (np.array([float(p) for p in pts]), np.array([float(v) for v in vals]))


def _as_pwl(f: Any, what: str = "plot_pwl") -> Any:
    """``f`` as a PiecewiseLinear: a 1-D function as is, a one-input one-output network
    through ``to_pwl()``; anything else refused with a typed error."""
    from ..errors import DimensionError, NotExactError
    from ..networks.network import ReLUNetwork
    from ..functions.pwl import PiecewiseLinear
    if isinstance(f, PiecewiseLinear):
        return f
    if isinstance(f, ReLUNetwork):
        if f.n_inputs != 1 or f.n_outputs != 1:
            raise DimensionError(f"{what}: expected a network R -> R, got one "
                                 f"R^{f.n_inputs} -> R^{f.n_outputs} (for two inputs use "
                                 f"plot_surface or linear_regions(net).plot())")
        return f.to_pwl()
    raise NotExactError(f"{what}: expected a PiecewiseLinear or a ReLUNetwork R -> R, got "
                        f"{type(f).__name__}")


def _current_axes(projection: str | None = None) -> Any:
    """pyplot's current axes (``plt.gca()``), so that ``plt.show()`` shows the drawing;
    for a 3-D plot, a new 3-D axes unless the current one is 3-D."""
    import matplotlib.pyplot as plt
    if projection is None:
        return plt.gca()
    fig = plt.gcf()
    if fig.axes and getattr(fig.axes[-1], "name", "") == projection:
        return fig.axes[-1]
    if fig.axes:
        fig = plt.figure()
    return fig.add_subplot(projection=projection)


def plot_pwl(f: Any, ax: Any = None, *, lo: Any = None, hi: Any = None,
             breakpoints: bool = False, **kwargs: Any) -> Any:
    """Draw the function ``f`` on [lo, hi] (default: :func:`pwl_window`) through its exact
    breakpoints; extra keyword arguments go to ``ax.plot``. Returns the axes.

    ``f`` is a :class:`~relugeom.PiecewiseLinear` or a :class:`~relugeom.ReLUNetwork`
    with one input and one output (drawn through ``to_pwl()``); anything else raises
    :class:`~relugeom.errors.NotExactError` (a network with more inputs or outputs:
    :class:`~relugeom.errors.DimensionError`). With ``ax=None`` it draws into
    ``plt.gca()``. ``breakpoints=True`` also marks the breakpoints with dots.

    >>> import relugeom as rg
    >>> fig = rg.plotting.new_figure(3, 2)
    >>> net = rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> ax = rg.plotting.plot_pwl(net, fig.add_subplot(), lo=-1, hi=1)
    >>> ax.lines[0].get_xydata().tolist()
    [[-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    """
    f = _as_pwl(f)
    if ax is None:
        ax = _current_axes()
    xs, ys = pwl_vertices(f, lo, hi)
    line, = ax.plot(xs, ys, **kwargs)
    if breakpoints and len(xs) > 2:
        ax.plot(xs[1:-1], ys[1:-1], "o", ms=2.5, color=line.get_color(), zorder=line.get_zorder())
    return ax


def _surface_regions(obj: Any, box: Any) -> Any:
    from ..errors import DimensionError
    from ..convex.polyhedra import as_box
    from ..geometry import regions
    n_in = getattr(obj, "n_inputs", None)
    n_out = getattr(obj, "n_outputs", 1)
    if n_in != 2 or n_out != 1:
        raise DimensionError(f"plot_surface: expected a function R^2 -> R (a ReLUNetwork or "
                             f"CPWLFunction), got {type(obj).__name__} with "
                             f"n_inputs={n_in}, n_outputs={n_out}")
    qbox = as_box(box, 2)
    return qbox, regions.linear_regions(obj, box=qbox)


def plot_surface(obj: Any, box: Any = ((-1, 1), (-1, 1)), ax: Any = None, *,
                 floor: bool = True, color: str = "gradient", edgecolor: str = "#222",
                 linewidth: float = 0.15, elev: float = 40, azim: float = -60,
                 light: Sequence[float] = (-0.45, -0.65, 0.6)) -> Any:
    """The graph of a function R^2 -> R (a :class:`~relugeom.ReLUNetwork` with two inputs
    and one output, or a :class:`~relugeom.CPWLFunction` of two variables) over ``box``,
    as a 3-D surface drawn exactly facet by facet from its linear regions (the paper's
    Figure 1). Returns the 3-D axes.

    ``floor=False`` leaves out the regions where the function is identically 0.
    ``color="gradient"`` shades each facet by the direction of its gradient (hue) and a
    light source; any other value is a single matplotlib colour. With ``ax=None`` it
    draws into pyplot's current 3-D axes (a new one if the current axes are 2-D).

    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> fig = rg.plotting.new_figure(3, 3)
    >>> ax = rg.plotting.plot_surface(net, ax=fig.add_subplot(projection="3d"))
    >>> ax.name, ax.get_xlabel(), ax.get_zlabel()
    ('3d', '$x_1$', 'f(x)')
    """
    from matplotlib.colors import hsv_to_rgb, to_rgb
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection
    qbox, res = _surface_regions(obj, box)
    if ax is None:
        ax = _current_axes("3d")
    src = np.asarray(light, dtype=float)
    src = src / np.linalg.norm(src)
    facets, fills, zmin, zmax = [], [], 0.0, 0.0
    for r, poly in zip(res.regions, res.polygons(qbox)):
        (g1, g2), c = r.affine_map
        if not floor and g1 == 0 and g2 == 0 and c == 0:
            continue
        for part in getattr(poly, "geoms", [poly]):
            if part.is_empty or part.geom_type != "Polygon":
                continue
            xy = np.asarray(part.exterior.coords)[:-1]
            z = float(g1) * xy[:, 0] + float(g2) * xy[:, 1] + float(c)
            zmin, zmax = min(zmin, float(z.min())), max(zmax, float(z.max()))
            facets.append(np.column_stack([xy, z]))
            if color == "gradient":
                normal = np.array([-float(g1), -float(g2), 1.0])
                normal /= np.linalg.norm(normal)
                shade = float(np.clip(normal @ src, 0, 1))
                if g1 == 0 and g2 == 0:
                    base = np.array([0.85, 0.85, 0.85])
                else:
                    hue = (np.arctan2(float(g2), float(g1)) / (2 * np.pi)) % 1.0
                    base = hsv_to_rgb((hue, 0.5, 0.95))
                fills.append(tuple(np.clip(base * (0.6 + 0.45 * shade), 0, 1)))
            else:
                fills.append(to_rgb(color))
    ax.add_collection3d(Poly3DCollection(facets, facecolors=fills, edgecolors=edgecolor,
                                         linewidths=linewidth))
    (x0, x1), (y0, y1) = [(float(a), float(b)) for a, b in qbox]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_zlim(zmin, zmax if zmax > zmin else zmin + 1)
    ax.view_init(elev=elev, azim=azim)
    ax.set_xlabel("$x_1$", labelpad=-6)
    ax.set_ylabel("$x_2$", labelpad=-6)
    ax.set_zlabel("f(x)", labelpad=-6)
    return ax


def greedy_coloring(n: int, edges: Iterable[tuple[int, int]]) -> list[int]:
    """A colour index per vertex 0..n-1 of the graph ``edges`` such that the two ends of
    every edge differ (greedy, largest degree first: at most max degree + 1 colours).

    >>> from relugeom.plotting import greedy_coloring
    >>> greedy_coloring(4, [(0, 1), (1, 2), (2, 3), (3, 0), (0, 2)])
    [0, 2, 1, 2]
    """
    nbrs: list[set[int]] = [set() for _ in range(n)]
    for i, j in edges:
        if i != j:
            nbrs[i].add(j)
            nbrs[j].add(i)
    out = [-1] * n
    for v in sorted(range(n), key=lambda v: (-len(nbrs[v]), v)):
        used = {out[u] for u in nbrs[v]}
        c = 0
        while c in used:
            c += 1
        out[v] = c
    return out


def _palette(k: int) -> list:
    """k distinct light colours: the region palette, then evenly spaced hues."""
    pal = list(_region_palette())
    if k <= len(pal):
        return pal
    from matplotlib.colors import hsv_to_rgb
    extra = k - len(pal)
    return pal + [tuple(hsv_to_rgb(((0.07 + i / extra) % 1.0, 0.35, 0.95)))
                  for i in range(extra)]


def region_colors(regions: Any, by: str = "piece") -> list:
    """One colour per region of a :class:`~relugeom.regions.LinearRegions`, such that
    neighbours differ: the regions (``by="region"``) or the pieces (``by="piece"``,
    regions of one piece share a colour) are coloured greedily on their adjacency graph.
    """
    from ..errors import DomainError
    n = regions.n_regions
    adj = list(regions.adjacency)
    if by == "region":
        labels = list(range(n))
    elif by == "piece":
        labels = [0] * n
        for k, grp in enumerate(regions.pieces()):
            for i in grp:
                labels[i] = k
    else:
        raise DomainError(f"region_colors: by must be 'piece' or 'region', got {by!r}")
    m = max(labels) + 1 if labels else 0
    cols = greedy_coloring(m, [(labels[i], labels[j]) for i, j in adj
                               if labels[i] != labels[j]])
    pal = _palette(max(cols) + 1 if cols else 1)
    return [pal[cols[labels[i]]] for i in range(n)]


# ---------------------------------------------------------------------- figures
def new_figure(width: float, height: float, **kwargs: Any) -> Any:
    """A matplotlib ``Figure`` of the given size in inches, with relugeom's style, on an Agg
    canvas (no pyplot state). Keyword arguments go to ``Figure``."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    with matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), **kwargs)
    FigureCanvasAgg(fig)
    return fig


def style(rc: dict | None = None) -> Any:
    """A ``matplotlib.rc_context`` with relugeom's figure style, updated by ``rc`` (use as
    ``with style():``)."""
    import matplotlib
    return matplotlib.rc_context({**_RC, **(rc or {})})


#: Written into every saved file: no software version or date (byte-stable), and the
#: creator ``relugeom figures`` (the marker by which relugeom knows a file it wrote).
_METADATA = {
    "png": {"Software": None, "Source": "relugeom figures"},
    "pdf": {"Creator": "relugeom figures", "Producer": None, "CreationDate": None},
    "svg": {"Creator": "relugeom figures", "Date": None},
}


def check_formats(formats: Iterable[str], *, what: str = "figures") -> list[str]:
    """The output formats normalised (``" .PNG"`` -> ``"png"``; empty entries dropped,
    ``["png"]`` when none is left), all checked before anything is drawn.

    Raises
    ------
    DomainError
        A format other than png, pdf or svg (the message names it and the allowed ones).

    Examples
    --------
    >>> from relugeom.plotting import check_formats
    >>> check_formats(["png", " .PDF", ""])
    ['png', 'pdf']
    """
    if isinstance(formats, str):
        formats = formats.split(",")
    out = [f.strip().lower().lstrip(".") for f in formats]
    out = [f for f in out if f] or ["png"]
    for fmt in out:
        if fmt not in _METADATA:
            from ..errors import DomainError
            raise DomainError(f"{what}: unknown format {fmt!r}; allowed: "
                              f"{', '.join(_METADATA)}")
    return out


def save_figure(fig: Any, path: str | os.PathLike, formats: Sequence[str] = ("png",)) -> list[str]:
    """Save ``fig`` as ``path.<fmt>`` for each format, byte-stable: no timestamp, no
    software version in the metadata, fixed dpi. Returns the written paths."""
    import matplotlib
    out = []
    for fmt in check_formats(formats, what="save_figure"):
        target = f"{os.fspath(path)}.{fmt}"
        with matplotlib.rc_context(_RC):
            fig.savefig(target, format=fmt, dpi=_RC["savefig.dpi"],
                        metadata=_METADATA[fmt])
        out.append(target)
    return out


def plot_polygons(polygons: Iterable[Any], ax: Any = None, *,
                  colors: Sequence[str] | None = None,
                  edgecolor: str = "white", linewidth: float = 0.4, alpha: float = 1.0,
                  values: Sequence[float] | None = None, cmap: str = "viridis") -> Any:
    """Fill shapely polygons (one colour each, cycling ``colors``; or coloured by
    ``values`` through ``cmap``); with ``ax=None`` into ``plt.gca()``. Returns the axes."""
    import matplotlib
    from matplotlib.patches import Polygon as Patch
    polys = list(polygons)
    if ax is None:
        ax = _current_axes()
    if values is not None:
        vals = np.asarray(values, dtype=float)
        span = (vals.max() - vals.min()) or 1.0
        cm = matplotlib.colormaps[cmap]
        fills = [cm((v - vals.min()) / span) for v in vals]
    else:
        pal = colors or _region_palette()
        fills = [pal[i % len(pal)] for i in range(len(polys))]
    for poly, fc in zip(polys, fills):
        for part in getattr(poly, "geoms", [poly]):
            if part.is_empty or part.geom_type != "Polygon":
                continue
            ax.add_patch(Patch(np.asarray(part.exterior.coords), closed=True, facecolor=fc,
                               edgecolor=edgecolor, linewidth=linewidth, alpha=alpha))
    ax.autoscale_view()
    return ax


def _hex(c: Any) -> str:
    if isinstance(c, str):
        return c
    r, g, b = (int(round(255 * float(v))) for v in tuple(c)[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _region_palette() -> list[str]:
    # light tints of the palette, so region boundaries and overlays stay readable
    return ["#9ecae1", "#fdae6b", "#a1d99b", "#d4b9da", "#fdd0a2", "#c6dbef", "#fff7bc",
            "#bdbdbd", "#74c476", "#fc9272", "#9e9ac8", "#6baed6"]


# ---------------------------------------------------------------------- notebook reprs
def repr_svg(obj: Any) -> str | None:
    """A small SVG drawing of ``obj`` for Jupyter, or ``None`` when there is none.

    - :class:`~relugeom.PiecewiseLinear`: its graph over a window containing every
      breakpoint (``None`` beyond :data:`REPR_MAX_PIECES` pieces).
    - :class:`~relugeom.ReLUNetwork` with one input and one output: the graph of its
      function when that is small; otherwise a diagram of its layers.
    - 2-D region sets (anything with a ``polygons()`` method returning shapely polygons,
      like :class:`~relugeom.regions.LinearRegions`): the regions, coloured by piece when
      the object has ``pieces()``; ``None`` beyond :data:`REPR_MAX_REGIONS` regions.

    Never raises: anything unexpected gives ``None`` (Jupyter then shows the text repr).
    """
    try:
        from ..networks.network import ReLUNetwork
        from ..functions.pwl import PiecewiseLinear
        if isinstance(obj, PiecewiseLinear):
            return _svg_pwl(obj)
        if isinstance(obj, ReLUNetwork):
            return _svg_network(obj)
        polys = getattr(obj, "polygons", None)
        if callable(polys) and getattr(obj, "n_inputs", 2) == 2:
            n = getattr(obj, "n_regions", None)
            if n is not None and n > REPR_MAX_REGIONS:
                return None
            labels = fills = None
            pieces = getattr(obj, "pieces", None)
            if callable(pieces):
                owner = {i: k for k, grp in enumerate(pieces()) for i in grp}
                labels = [owner[i] for i in range(len(owner))]
            if hasattr(obj, "adjacency"):
                fills = region_colors(obj, by="piece" if labels is not None else "region")
            return _svg_polygons(list(polys()), labels, fills)
    except Exception:  # noqa: BLE001 - a repr must never raise
        return None
    return None


def repr_html(obj: Any) -> str | None:
    """An HTML display for Jupyter: a one-line summary of ``obj`` with its SVG drawing
    (:func:`repr_svg`) when there is one, or ``None``.

    - :class:`~relugeom.zonotope.Zonotope`: dimension, generators, and for n = 2 the
      vertex count and a drawing of the zonotope with its generators;
    - :class:`~relugeom.CPWLFunction`: cells and pieces, and for two inputs the cells in
      the plane;
    - :class:`~relugeom.regions.LinearRegions`: regions, pieces, and for n = 2 the regions.
    - :class:`~relugeom.erm.ERMResult`: its (abbreviated) summary, and for one input the
      graph of the fitted network.

    Never raises: anything unexpected gives ``None`` (Jupyter then shows the text repr).

    >>> import relugeom as rg
    >>> from relugeom.zonotope import Zonotope
    >>> html = rg.plotting.repr_html(Zonotope([(1, 0), (0, 1), (1, 1)]))
    >>> html.startswith("<div") and "3 generators, 6 vertices" in html and "<svg" in html
    True
    """
    import html as _html
    try:
        from ..functions.cpwl import CPWLFunction
        from ..geometry.zonotope import Zonotope
        svg = None
        if isinstance(obj, Zonotope):
            summary = f"Zonotope in R^{obj.n}: {obj.m} generators"
            if obj.n == 2 and obj.m <= REPR_MAX_UNITS:
                summary += f", {obj.n_vertices} vertices"
                svg = _svg_zonotope(obj)
        elif isinstance(obj, CPWLFunction):
            summary = f"CPWLFunction R^{obj.n_inputs} -> R: {obj.n_cells} cells"
            if obj.n_cells <= REPR_MAX_REGIONS:
                summary += f", {obj.n_pieces} pieces"
                if obj.n_inputs == 2:
                    svg = repr_svg(obj._regions())
        elif type(obj).__name__ == "ERMResult":
            summary = repr(obj).strip("<>")        # abbreviated numbers: its own repr
            net = obj.network
            if net.n_inputs == 1 and net.n_outputs == 1:
                svg = _svg_network(net)
        elif callable(getattr(obj, "polygons", None)) and hasattr(obj, "n_regions"):
            summary = repr(obj).strip("<>")
            if obj.n_regions <= REPR_MAX_REGIONS:
                summary += f", {obj.n_pieces} pieces"
                if getattr(obj, "n_inputs", 0) == 2:
                    svg = repr_svg(obj)
        else:
            return None
    except Exception:  # noqa: BLE001 - a repr must never raise
        return None
    body = f"<code>{_html.escape(summary)}</code>"
    return f'<div class="relugeom">{body}' + (f"<br>{svg}" if svg else "") + "</div>"


def _svg_zonotope(Z: Any) -> str:
    """The zonotope (n = 2) with its generators and vertices, by matplotlib's SVG backend."""
    import matplotlib
    from matplotlib.figure import Figure
    with matplotlib.rc_context(_svg_rc()):
        fig = Figure(figsize=(2.6, 2.6))
        fig.subplots_adjust(left=0.18, right=0.96, bottom=0.16, top=0.9)
        ax = fig.subplots()
        Z.plot(ax, colors=["#eef3f8"], edgecolor="#333", linewidth=0.8)
        for v in Z.vertices():
            ax.plot(float(v[0]), float(v[1]), "o", ms=3, color=COLORS[0])
        ax.set_xlabel("$x_1$", labelpad=1)
        ax.set_ylabel("$x_2$", labelpad=1)
        ax.set_title(f"{Z.n_vertices} vertices", fontsize=7.5)
        return _svg_of(fig)


#: Above this many breakpoints a function's SVG repr adds a zoom on its first
#: :data:`_ZOOM_BREAKPOINTS` breakpoints (the full view cannot resolve the teeth).
_ZOOM_AFTER = 120
_ZOOM_BREAKPOINTS = 40


def _svg_of(fig: Any) -> str:
    """``fig`` as an SVG string through matplotlib's SVG backend (no date, text kept as
    text so it stays small)."""
    import io
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    FigureCanvasSVG(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    out = buf.getvalue()
    return out[out.index("<svg"):]


def _y_range(ys: np.ndarray) -> tuple[float, float]:
    ylo, yhi = float(np.min(ys)), float(np.max(ys))
    if yhi - ylo < 1e-12 * max(1.0, abs(yhi)):
        ylo, yhi = ylo - 1.0, yhi + 1.0
    pad = 0.08 * (yhi - ylo)
    return ylo - pad, yhi + pad


def _svg_rc() -> dict:
    return {**_RC, "svg.fonttype": "none", "font.size": 7.5, "xtick.labelsize": 7,
            "ytick.labelsize": 7, "axes.titlesize": 7.5, "figure.dpi": 72}


def _draw_pwl_panel(ax: Any, f: Any, lo: Fraction, hi: Fraction) -> None:
    xs, ys = pwl_vertices(f, lo, hi)
    inner = ys[1:-1] if len(ys) > 2 else ys      # the window's y-range comes from the
    ylo, yhi = _y_range(inner)                   # breakpoints: steep tails are clipped
    n = len(xs) - 2
    ax.plot(xs, ys, color=COLORS[0], lw=1.4 if n < 60 else 0.8 if n < 400 else 0.5)
    if 0 < n <= 60:
        ax.plot(xs[1:-1], ys[1:-1], "o", ms=2.5, color=COLORS[0])
    ax.axhline(0, color="#ccc", lw=0.5, zorder=0)
    ax.set_xlim(float(lo), float(hi))
    ax.set_ylim(ylo, yhi)
    ax.set_xlabel("x", labelpad=1)


def _svg_pwl(f: Any, caption: str | None = None) -> str | None:
    if f.n_pieces > REPR_MAX_PIECES:
        return None
    import matplotlib
    from matplotlib.figure import Figure
    n = f.n_pieces
    caption = caption or f"{n} piece{'s' if n != 1 else ''} on R"
    bp = f.breakpoints
    zoom = len(bp) > _ZOOM_AFTER
    with matplotlib.rc_context(_svg_rc()):
        fig = Figure(figsize=(6.4 if zoom else 4.0, 2.2))
        fig.subplots_adjust(left=0.6 / fig.get_figwidth(), right=0.98, bottom=0.2,
                            top=0.8 if zoom else 0.86, wspace=0.22)
        axes = fig.subplots(1, 2) if zoom else [fig.subplots()]
        xlo, xhi = pwl_window(f)
        _draw_pwl_panel(axes[0], f, Fraction(xlo), Fraction(xhi))
        axes[0].set_ylabel("f(x)", labelpad=1)
        if zoom:
            k = _ZOOM_BREAKPOINTS
            a, b = bp[0], bp[k - 1]
            pad = (b - a) / (2 * (k - 1))
            _draw_pwl_panel(axes[1], f, a - pad, b + pad)
            axes[1].set_title(f"zoom: the first {k} breakpoints")
            axes[0].set_title("all breakpoints")
        fig.suptitle(caption, fontsize=7.5)
        return _svg_of(fig)


def _svg_network(net: Any) -> str | None:
    if net.n_inputs == 1 and net.n_outputs == 1 and net.size <= REPR_MAX_UNITS:
        from ..config import limits
        from ..errors import TooLargeError
        try:
            with limits(max_pieces=REPR_MAX_PIECES):
                f = net.to_pwl()
        except TooLargeError:
            f = None
        if f is not None:
            return _svg_pwl(f, caption=f"depth {net.depth}, size {net.size}: "
                                       f"{f.n_pieces} pieces on R")
    return _svg_layers(net)


def _svg_layers(net: Any, max_units: int = 10) -> str:
    """A layer diagram: one column of units per layer, edges drawn when few."""
    sizes = [net.n_inputs, *net.widths, net.n_outputs]
    cols = len(sizes)
    w = max(200, 70 * cols)
    h = 40 + 22 * min(max(sizes), max_units + 1)
    xs = [30 + i * (w - 60) / max(cols - 1, 1) for i in range(cols)]

    def ys(n: int) -> list[float]:
        shown = min(n, max_units)
        top = (h - 28 - 22 * (shown - 1)) / 2
        return [top + 22 * j for j in range(shown)]
    body = []
    draw_edges = sum(a * b for a, b in zip(sizes, sizes[1:])) <= 400
    if draw_edges:
        for c in range(cols - 1):
            for y0 in ys(sizes[c]):
                for y1 in ys(sizes[c + 1]):
                    body.append(f'<line x1="{xs[c]:.1f}" y1="{y0:.1f}" x2="{xs[c + 1]:.1f}" '
                                f'y2="{y1:.1f}" stroke="#ccc" stroke-width="0.5"/>')
    for c, n in enumerate(sizes):
        fill = "#fff" if c in (0, cols - 1) else COLORS[0]
        for y in ys(n):
            body.append(f'<circle cx="{xs[c]:.1f}" cy="{y:.1f}" r="6" fill="{fill}" '
                        f'stroke="#333" stroke-width="0.8"/>')
        if n > max_units:
            body.append(f'<text x="{xs[c]:.1f}" y="{ys(n)[-1] + 18:.1f}" '
                        f'text-anchor="middle">+{n - max_units}</text>')
        label = "in" if c == 0 else "out" if c == cols - 1 else str(n)
        body.append(f'<text x="{xs[c]:.1f}" y="{h - 10}" text-anchor="middle" '
                    f'fill="#555">{label}</text>')
    return "\n".join([f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" '
                      f'height="{h + 12}" font-family="sans-serif" font-size="9">', *body,
                      f'<text x="{w / 2:.0f}" y="{h + 6}" text-anchor="middle" fill="#333">'
                      f'depth {net.depth}, size {net.size}</text>', "</svg>"])


def _svg_polygons(polys: list[Any], labels: Sequence[int] | None = None,
                  fills: Sequence[Any] | None = None) -> str | None:
    """Regions as SVG polygons, region i filled with ``fills[i]`` (default: the palette
    colour of ``labels[i]``, its piece); the caption counts regions and pieces."""
    if not polys:
        return None
    bounds = np.array([p.bounds for p in polys if not p.is_empty])
    xlo, ylo = bounds[:, 0].min(), bounds[:, 1].min()
    xhi, yhi = bounds[:, 2].max(), bounds[:, 3].max()
    if not (xhi > xlo and yhi > ylo):
        return None
    size = 260
    sx = size / max(xhi - xlo, yhi - ylo)
    pal = _region_palette()
    body = []
    for i, poly in enumerate(polys):
        fill = (_hex(fills[i]) if fills is not None else
                pal[(labels[i] if labels is not None else i) % len(pal)])
        for part in getattr(poly, "geoms", [poly]):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            pts = " ".join(f"{8 + (x - xlo) * sx:.2f},{8 + (yhi - y) * sx:.2f}"
                           for x, y in part.exterior.coords)
            body.append(f'<polygon points="{pts}" fill="{fill}" stroke="#fff" '
                        f'stroke-width="0.5"/>')
    width, height = 16 + (xhi - xlo) * sx, 16 + (yhi - ylo) * sx
    caption = f"{len(polys)} regions"
    if labels is not None:
        caption += f", {len(set(labels))} pieces"
    return "\n".join([f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
                      f'height="{height + 14:.0f}" font-family="sans-serif" font-size="9">',
                      *body, f'<text x="{width / 2:.0f}" y="{height + 8:.0f}" '
                      f'text-anchor="middle" fill="#333">{caption}</text>', "</svg>"])


def plot_regions(lr: Any, ax: Any = None, *, window: Any = None, color: str = "piece",
                 boundary: bool = False) -> Any:
    """Draw a :class:`~relugeom.geometry.regionset.LinearRegions` (n = 2), coloured by piece
    or by region; ``boundary=True`` draws the decision boundary over them. Neighbours get
    different colours; with ``ax=None`` it draws into ``plt.gca()``. Returns the axes."""
    if ax is None:                      # pyplot's current axes, so plt.show() works
        ax = _current_axes()
    polys = lr.polygons(window)         # neighbours coloured apart (greedy colouring)
    plot_polygons(polys, ax, colors=region_colors(lr, by="piece" if color == "piece"
                                                  else "region"))
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if boundary:
        lr.decision_boundary().plot(ax, window=window or lr.box or lr.default_window())
    ax.set_aspect("equal")
    return ax


def plot_zonotope(Z: Any, ax: Any = None, **kwargs: Any) -> Any:
    """Draw a 2-D :class:`~relugeom.geometry.zonotope.Zonotope` and its generators; with
    ``ax=None`` into ``plt.gca()``. Returns the axes."""
    if ax is None:                      # pyplot's current axes, so plt.show() works
        ax = _current_axes()
    plot_polygons([Z.to_shapely()], ax, **kwargs)
    from ..geometry.zonotope import _float
    for b in Z.generators:
        ax.annotate("", xy=(_float(b[0]), _float(b[1])), xytext=(0, 0),
                    arrowprops={"arrowstyle": "->", "color": "#333"})
    ax.set_aspect("equal")
    return ax

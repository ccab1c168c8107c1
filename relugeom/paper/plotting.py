"""Drawing relugeom's objects: matplotlib helpers and the small SVGs Jupyter shows.

matplotlib is imported inside the functions that need it, never when relugeom is
imported. Figures are built as :class:`matplotlib.figure.Figure` objects on an Agg canvas
(:func:`new_figure`), so drawing works the same in a script, a test or a notebook; the
plotting functions (:func:`plot_pwl`, :func:`plot_surface`, :func:`plot_polygons`) draw
into the axes given, or with ``ax=None`` into ``pyplot``'s current axes
(``plt.gca()``), so ``plt.show()`` works.

Functions are drawn *exactly*: the polyline goes through the true breakpoints (never a
sampled grid), so a sawtooth with a thousand teeth is drawn without aliasing.

The notebook reprs (:mod:`relugeom.paper.reprs`) are small SVGs drawn by matplotlib's SVG backend
(no pyplot state, matplotlib imported only when a repr is shown).

>>> import relugeom as rg
>>> t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
>>> svg = rg.reprs.repr_svg(t)
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
           "greedy_coloring", "REPR_MAX_PIECES", "REPR_MAX_UNITS",
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

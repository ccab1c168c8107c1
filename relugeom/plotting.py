"""Drawing relugeom's objects: matplotlib helpers and the small SVGs Jupyter shows.

matplotlib is imported inside the functions that need it, never when relugeom is
imported, and no function here touches ``pyplot``'s global state: figures are built as
:class:`matplotlib.figure.Figure` objects on an Agg canvas, so drawing works the same in a
script, a test or a notebook (display a figure in Jupyter by leaving it as the cell's value).

Functions are drawn *exactly*: the polyline goes through the true breakpoints (never a
sampled grid), so a sawtooth with a thousand teeth is drawn without aliasing.

The notebook reprs (:func:`repr_svg`) are hand-written SVG: fast, a few kilobytes, and
free of matplotlib.

>>> import relugeom as rg
>>> t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
>>> svg = rg.plotting.repr_svg(t)
>>> svg.startswith("<svg") and "polyline" in svg
True
"""
from __future__ import annotations

import os
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

__all__ = ["COLORS", "pwl_window", "pwl_vertices", "plot_pwl", "new_figure", "style",
           "save_figure", "check_formats", "plot_polygons", "repr_svg", "REPR_MAX_PIECES",
           "REPR_MAX_UNITS",
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
    from .rational import as_rational
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


def plot_pwl(f: Any, ax: Any = None, *, lo: Any = None, hi: Any = None,
             breakpoints: bool = False, **kwargs: Any) -> Any:
    """Draw the function ``f`` on [lo, hi] (default: :func:`pwl_window`) through its exact
    breakpoints; extra keyword arguments go to ``ax.plot``. Returns the axes.

    ``breakpoints=True`` also marks the breakpoints with dots.
    """
    if ax is None:
        with style():
            ax = new_figure(4.0, 2.6).add_subplot()
    xs, ys = pwl_vertices(f, lo, hi)
    line, = ax.plot(xs, ys, **kwargs)
    if breakpoints and len(xs) > 2:
        ax.plot(xs[1:-1], ys[1:-1], "o", ms=2.5, color=line.get_color(), zorder=line.get_zorder())
    return ax


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


def style() -> Any:
    """A ``matplotlib.rc_context`` with relugeom's figure style (use as ``with style():``)."""
    import matplotlib
    return matplotlib.rc_context(_RC)


_METADATA = {
    "png": {"Software": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
    "svg": {"Creator": None, "Date": None},
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
            from .errors import DomainError
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


def plot_polygons(polygons: Iterable[Any], ax: Any, *, colors: Sequence[str] | None = None,
                  edgecolor: str = "white", linewidth: float = 0.4, alpha: float = 1.0,
                  values: Sequence[float] | None = None, cmap: str = "viridis") -> Any:
    """Fill shapely polygons (one colour each, cycling ``colors``; or coloured by
    ``values`` through ``cmap``). Returns the axes."""
    import matplotlib
    from matplotlib.patches import Polygon as Patch
    polys = list(polygons)
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
        from .network import ReLUNetwork
        from .pwl import PiecewiseLinear
        if isinstance(obj, PiecewiseLinear):
            return _svg_pwl(obj)
        if isinstance(obj, ReLUNetwork):
            return _svg_network(obj)
        polys = getattr(obj, "polygons", None)
        if callable(polys) and getattr(obj, "n_inputs", 2) == 2:
            n = getattr(obj, "n_regions", None)
            if n is not None and n > REPR_MAX_REGIONS:
                return None
            labels = None
            pieces = getattr(obj, "pieces", None)
            if callable(pieces):
                owner = {i: k for k, grp in enumerate(pieces()) for i in grp}
                labels = [owner[i] for i in range(len(owner))]
            return _svg_polygons(list(polys()), labels)
    except Exception:  # noqa: BLE001 - a repr must never raise
        return None
    return None


_W, _H, _PAD = 320, 180, 28


def _num(v: float) -> str:
    if v == 0:
        return "0"
    a = abs(v)
    if a >= 1e4 or a < 1e-3:
        return f"{v:.2g}"
    return f"{v:.3g}"


def _svg_frame(xlo: float, xhi: float, ylo: float, yhi: float, body: list[str],
               caption: str) -> str:
    """Axes box with end ticks around ``body`` (already in pixel coordinates)."""
    w, h, p = _W, _H, _PAD
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h + 14}" '
             f'viewBox="0 0 {w} {h + 14}" font-family="sans-serif" font-size="9">',
             f'<rect x="{p}" y="6" width="{w - p - 8}" height="{h - p - 6}" fill="none" '
             f'stroke="#bbb" stroke-width="0.6"/>']
    parts += body
    parts += [f'<text x="{p}" y="{h - p + 11}" fill="#555">{_num(xlo)}</text>',
              f'<text x="{w - 8}" y="{h - p + 11}" fill="#555" text-anchor="end">'
              f'{_num(xhi)}</text>',
              f'<text x="{p - 3}" y="{h - p}" fill="#555" text-anchor="end">{_num(ylo)}</text>',
              f'<text x="{p - 3}" y="13" fill="#555" text-anchor="end">{_num(yhi)}</text>',
              f'<text x="{(w + p) / 2:.1f}" y="{h + 8}" fill="#333" text-anchor="middle">'
              f'{caption}</text>', "</svg>"]
    return "\n".join(parts)


def _scaler(xlo: float, xhi: float, ylo: float, yhi: float):  # noqa: ANN202
    w, h, p = _W, _H, _PAD
    sx = (w - p - 8) / (xhi - xlo)
    sy = (h - p - 12) / (yhi - ylo)

    def tr(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return p + (x - xlo) * sx, (h - p - 3) - (y - ylo) * sy
    return tr


def _y_range(ys: np.ndarray) -> tuple[float, float]:
    ylo, yhi = float(np.min(ys)), float(np.max(ys))
    if yhi - ylo < 1e-12 * max(1.0, abs(yhi)):
        ylo, yhi = ylo - 1.0, yhi + 1.0
    return ylo, yhi


def _svg_pwl(f: Any, caption: str | None = None) -> str | None:
    if f.n_pieces > REPR_MAX_PIECES:
        return None
    xlo, xhi = pwl_window(f)
    xs, ys = pwl_vertices(f, Fraction(xlo), Fraction(xhi))
    ylo, yhi = _y_range(ys)
    tr = _scaler(xlo, xhi, ylo, yhi)
    body = []
    zx, zy = tr(np.array([0.0]), np.array([0.0]))
    if xlo < 0 < xhi:
        body.append(f'<line x1="{zx[0]:.1f}" y1="6" x2="{zx[0]:.1f}" y2="{_H - _PAD}" '
                    f'stroke="#ddd" stroke-width="0.6"/>')
    if ylo < 0 < yhi:
        body.append(f'<line x1="{_PAD}" y1="{zy[0]:.1f}" x2="{_W - 8}" y2="{zy[0]:.1f}" '
                    f'stroke="#ddd" stroke-width="0.6"/>')
    px, py = tr(xs, ys)
    pts = " ".join(f"{a:.2f},{b:.2f}" for a, b in zip(px, py))
    body.append(f'<polyline points="{pts}" fill="none" stroke="{COLORS[0]}" '
                f'stroke-width="1.6" stroke-linejoin="round"/>')
    if len(xs) <= 60:
        body += [f'<circle cx="{a:.2f}" cy="{b:.2f}" r="1.8" fill="{COLORS[0]}"/>'
                 for a, b in zip(px[1:-1], py[1:-1])]
    n = f.n_pieces
    caption = caption or f"{n} piece{'s' if n != 1 else ''} on R"
    return _svg_frame(xlo, xhi, ylo, yhi, body, caption)


def _svg_network(net: Any) -> str | None:
    if net.n_inputs == 1 and net.n_outputs == 1 and net.size <= REPR_MAX_UNITS:
        from .config import limits
        from .errors import TooLargeError
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


def _svg_polygons(polys: list[Any], labels: Sequence[int] | None = None) -> str | None:
    """Regions as SVG polygons; ``labels[i]`` picks the colour of region i (its piece)."""
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
        fill = pal[(labels[i] if labels is not None else i) % len(pal)]
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

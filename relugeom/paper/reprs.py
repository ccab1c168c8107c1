"""Notebook reprs: small SVG drawings of functions, networks, region sets and zonotopes
for Jupyter (``_repr_svg_``, ``_repr_html_`` of the core types delegate here). Never raises:
anything unexpected gives ``None`` and Jupyter shows the text repr."""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from .plotting import (COLORS, REPR_MAX_PIECES, REPR_MAX_REGIONS, REPR_MAX_UNITS, _RC,
                       _region_palette, _hex, pwl_vertices, pwl_window, region_colors)

__all__ = ["repr_svg", "repr_html"]


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
    >>> html = rg.reprs.repr_html(Zonotope([(1, 0), (0, 1), (1, 1)]))
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



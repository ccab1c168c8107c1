"""The paper's figures: Figures 1, 2 and 4 of Arora, Basu, Mianjy and Mukherjee (ICLR 2018).

Public builders, each drawing one figure and returning its matplotlib ``Figure``:
:func:`zigzag_composition` (Figure 2), :func:`relu_splits_pieces` (Figure 4) and
:func:`zonotope_surfaces` (Figure 1). Each takes the instance drawn as parameters, the
``size`` in inches, the ``colors``, and ``ax``: the axes to draw into (a sequence, one per
panel) instead of a new figure. :mod:`relugeom.figures` registers them (name, claim,
caption) for ``relugeom figures`` and ``rg.figures.make(name, **params)``. Our own
figures are in :mod:`relugeom.figures_theorems`.

>>> import relugeom as rg
>>> from relugeom.figures_paper import zigzag_composition
>>> fig = zigzag_composition(a1=("1/2",), a2=("1/3", "2/3"))
>>> [ax.get_title().splitlines()[-1] for ax in fig.axes[:3]]
['2 pieces on $[0, M]$', '3 pieces on $[0, M]$', '6 pieces on $[0, M]$']
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ..networks.network import ReLUNetwork
from ..functions.pwl import PiecewiseLinear
from ..functions.operations import compose, relu

__all__ = ["zigzag_composition", "relu_splits_pieces", "zonotope_surfaces"]

F = Fraction


# ---------------------------------------------------------------------- helpers
def _families() -> Any:
    from ..depth import families
    return families


def _zigzag(a: Sequence[Any], M: Any = 1) -> PiecewiseLinear:
    return _families().zigzag(a, M)


def _plot_pieces(ax: Any, f: PiecewiseLinear, lo: Any, hi: Any, *, colors: Sequence[str],
                 lw: float = 1.6, zorder: int = 3) -> int:
    """Draw each piece of ``f`` on [lo, hi] in alternating colours; return the count."""
    from .plotting import pwl_vertices
    xs, ys = pwl_vertices(f, lo, hi)
    for i in range(len(xs) - 1):
        ax.plot(xs[i:i + 2], ys[i:i + 2], color=colors[i % len(colors)], lw=lw,
                zorder=zorder, solid_capstyle="butt")
    return len(xs) - 1


def _q(v: Any, what: str) -> Fraction:
    from ..numbers.rational import as_rational
    return as_rational(v, what=what)


def _panels(ax: Any, shape: tuple[int, int], size: Sequence[float], *,
            what: str, **subplots_kw: Any) -> tuple[Any, list, bool]:
    """(figure, axes in row order, whether the figure is ours): a new constrained-layout
    figure of ``size`` with a ``shape`` grid of axes, or the ``ax`` given (one Axes for a
    one-panel figure, else a sequence of rows*cols axes)."""
    from ..errors import DimensionError
    from .plotting import new_figure
    n = shape[0] * shape[1]
    if ax is None:
        w, h = (float(v) for v in size)
        fig = new_figure(w, h, layout="constrained")
        axes = np.asarray(fig.subplots(*shape, squeeze=False, **subplots_kw)).ravel().tolist()
        return fig, axes, True
    axes = [ax] if hasattr(ax, "plot") else list(np.ravel(np.asarray(ax, dtype=object)))
    if len(axes) != n:
        raise DimensionError(f"{what}: ax must be {n} axes (one per panel), got {len(axes)}")
    return axes[0].figure, axes, False


def _zonotope_function(params: Sequence[Sequence[Any]], M: Any,
                       generators: Sequence[Sequence[Any]]) -> ReLUNetwork:
    """ZONOTOPE^2 = H o gamma_Z as a network (Proposition 3.8)."""
    from ..depth.zonotope_hard import zonotope_network
    return zonotope_network(params, M, generators)


_FIG1_PARAMS = {
    # (k, generators) for the three panels of the paper's Figure 1; w = 2, a^i = (1/2), M = 1
    "left": (2, ((1, 0), (0, 1))),
    "middle": (2, (("1/2", 0), (0, "1/2"), ("1/4", "1/4"), ("1/4", "-1/4"))),
    "right": (3, (("1/2", 0), (0, "1/2"), ("1/4", "1/4"), ("1/4", "-1/4"))),
}


# ---------------------------------------------------------------------- Figures 2 and 4
def zigzag_composition(a1: Sequence[Any] = ("2/5",), a2: Sequence[Any] = ("1/4", "3/5"),
                       M: Any = 1, *, size: Sequence[float] = (7.0, 2.6),
                       colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """The paper's Figure 2: the zig-zags h_{a1}, h_{a2} and their composition
    H = h_{a2} o h_{a1} on [0, M], with the inner function dotted (three panels).

    ``a1``, ``a2``: points of the open simplex (exact rationals or strings like
    ``"2/5"``); ``ax``: three axes to draw into. Grey bands mark the outside of [0, M]
    and the dotted vertical lines the breakpoints of the inner h_{a1} (the legend says so).
    """
    from .plotting import COLORS, plot_pwl
    colors = tuple(colors or COLORS)
    Mq = _q(M, "M")
    A1 = tuple(_q(v, "a1") for v in a1)
    A2 = tuple(_q(v, "a2") for v in a2)
    h1, h2 = _zigzag(A1, Mq), _zigzag(A2, Mq)
    H = compose(h2, h1)
    lo, hi = -Mq / 10, Mq + Mq / 10
    fig, axes, own = _panels(ax, (1, 3), size, what="zigzag_composition", sharey=True)
    sv = ",".join(f"\\frac{{{v.numerator}}}{{{v.denominator}}}" if v.denominator != 1
                  else str(v) for v in A1)
    sw = ",".join(f"\\frac{{{v.numerator}}}{{{v.denominator}}}" if v.denominator != 1
                  else str(v) for v in A2)
    panels = [(h1, rf"$h_{{a^1}}$, $a^1=({sv})$"),
              (h2, rf"$h_{{a^2}}$, $a^2=({sw})$"),
              (H, r"$H = h_{a^2}\circ h_{a^1}$")]
    m = float(Mq)
    for i, (axi, (f, title)) in enumerate(zip(axes, panels)):
        if i == 2:
            plot_pwl(h1, axi, lo=lo, hi=hi, color=colors[1], ls=(0, (1.5, 1.5)), lw=1.2,
                     label=r"inner $h_{a^1}$")
            for j, x in enumerate(h1.breakpoints):
                if 0 < x < Mq:
                    axi.axvline(float(x), color=colors[1], lw=0.6, ls=":", zorder=1,
                                label=r"breakpoints of $h_{a^1}$" if j <= 1 else None)
        plot_pwl(f, axi, lo=lo, hi=hi, color=colors[0], breakpoints=True,
                 label=r"$H$" if i == 2 else None)
        n = f.n_pieces_on(0, Mq)
        axi.set_title(f"{title}\n{n} pieces on $[0, M]$", fontsize=8.5)
        axi.axvspan(float(lo), 0, color="#eeeeee", zorder=0,
                    label="outside $[0, M]$" if i == 2 else None)
        axi.axvspan(m, float(hi), color="#eeeeee", zorder=0)
        axi.set_xlim(float(lo), float(hi))
        axi.set_ylim(-0.12 * m, 1.12 * m)
        axi.set_xticks([0, m / 2, m])
        axi.set_xticklabels(["0", "", "M"])
        axi.set_yticks([0, m])
        axi.set_yticklabels(["0", "M"])
        axi.set_xlabel("x")
    axes[0].set_ylabel("value")
    if own:                     # below the panels, in the space our layout leaves
        axes[2].legend(loc="upper center", bbox_to_anchor=(0.5, -0.28), frameon=False,
                       fontsize=6.8, ncol=2)
    else:                       # the user's axes: inside the panel, never between rows
        axes[2].legend(loc="best", frameon=True, framealpha=0.85, fontsize=6,
                       borderaxespad=0.3)
    return fig


def relu_splits_pieces(f: Any = None, lo: Any = -3, hi: Any = 3, *,
                       size: Sequence[float] = (7.0, 2.6),
                       colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """The paper's Figure 4: a PWL function f (left) and sigma o f (right) on [lo, hi],
    pieces in alternating colours, the zeros of f (circles) where sigma o f gains its new
    breakpoints. ``f``: any :class:`~relugeom.PiecewiseLinear` or network R -> R
    (default: a 5-piece example); ``ax``: two axes."""
    from .plotting import COLORS, _as_pwl, pwl_vertices
    colors = tuple(colors or COLORS)
    if f is None:
        f = PiecewiseLinear.from_points([(-2, F(-1, 2)), (-1, 1), (F(1, 2), -1),
                                         (2, F(1, 2))], left_slope=F(1, 2),
                                        right_slope=F(1, 4))
    f = _as_pwl(f, "relu_splits_pieces")
    qlo, qhi = _q(lo, "lo"), _q(hi, "hi")
    g = relu(f)
    fig, (ax1, ax2), _ = _panels(ax, (1, 2), size, what="relu_splits_pieces", sharey=True)
    pal = [colors[0], colors[1]]
    n1 = _plot_pieces(ax1, f, qlo, qhi, colors=pal)
    n2 = _plot_pieces(ax2, g, qlo, qhi, colors=pal)
    xs, ys = pwl_vertices(f, qlo, qhi)
    ax2.plot(xs, ys, color="#999", ls=(0, (1.5, 1.5)), lw=1.0, zorder=2, label="f (dotted)")
    zeros = [b for b in g.breakpoints if g(b) == 0 and f(b) == 0 and qlo < b < qhi]
    for i, axi in enumerate((ax1, ax2)):
        axi.axhline(0, color="#444", lw=0.6, zorder=1)
        axi.plot([float(z) for z in zeros], [0] * len(zeros), "o", mfc="white",
                 mec="#333", ms=4, zorder=4, label="zeros of f" if i else None)
        axi.set_xlim(float(qlo), float(qhi))
        axi.set_xlabel("x")
    ax1.set_ylabel("value")
    ax1.set_title(f"f: {n1} pieces (colours alternate)")
    ax2.set_title(rf"$\sigma\circ f$: {n2} pieces $\leq 2\cdot{n1}$")
    ax2.legend(loc="upper left", frameon=False)
    return fig


# ---------------------------------------------------------------------- Figure 1
def zonotope_surfaces(panels: Sequence[tuple[int, Sequence[Sequence[Any]]]] | None = None,
                      a: Any = "1/2", M: Any = 1, window: Any = "6/5", *,
                      size: Sequence[float] = (7.2, 2.9), ax: Any = None) -> Any:
    """The paper's Figure 1: ZONOTOPE^2 functions H o gamma_Z drawn exactly facet by
    facet (:func:`relugeom.plotting.plot_surface`), only the part above 0.

    ``panels``: one ``(k, generators)`` per panel (default: the paper's three);
    ``a``: the zig-zag parameter (w = 2, a^i = (a,)); ``window``: the half-width of the
    square drawn; ``ax``: one 3-D axes per panel."""
    from ..errors import DimensionError
    from .plotting import new_figure, plot_surface
    panels = list(panels) if panels is not None else [_FIG1_PARAMS[k] for k in
                                                      ("left", "middle", "right")]
    aq, Mq, r = _q(a, "a"), _q(M, "M"), _q(window, "window")
    if ax is None:
        w, h = (float(v) for v in size)
        fig = new_figure(w, h)
        axes = [fig.add_subplot(1, len(panels), j + 1, projection="3d",
                                computed_zorder=False) for j in range(len(panels))]
        fig.subplots_adjust(left=0.0, right=0.96, bottom=0.04, top=0.9, wspace=0.06)
    else:
        axes = [ax] if hasattr(ax, "plot") else list(ax)
        if len(axes) != len(panels):
            raise DimensionError(f"zonotope_surfaces: ax must be {len(panels)} 3-D axes, "
                                 f"got {len(axes)}")
        fig = axes[0].figure
    for axi, (k, gens) in zip(axes, panels):
        net = _zonotope_function([(aq,)] * int(k), Mq, gens)
        box = [(-r, r), (-r, r)]
        plot_surface(net, box, axi, floor=False)
        from ..geometry import regions
        n = regions.linear_regions(net, box=box).n_pieces
        lim = float(r) * 11 / 12
        axi.set_xlim(-lim, lim)
        axi.set_ylim(-lim, lim)
        axi.set_zlim(0, float(Mq))
        axi.set_box_aspect((1, 1, 0.42))
        axi.set_xticks([-1, 0, 1])
        axi.set_yticks([-1, 0, 1])
        axi.set_zticks([0, float(Mq)])
        axi.tick_params(labelsize=6, pad=0)
        axi.set_xlabel("$x_1$", labelpad=2)     # clear of the "0" tick label
        axi.set_ylabel("$x_2$", labelpad=2)
        axi.set_facecolor((1, 1, 1, 0))    # so no panel hides its neighbour's z label
        axi.zaxis.set_rotate_label(False)
        axi.set_zlabel("$f$", labelpad=-9, rotation=0, fontsize=8)
        for axis in (axi.xaxis, axi.yaxis, axi.zaxis):
            axis.pane.set_facecolor((1, 1, 1, 0))
            axis.pane.set_edgecolor("#ddd")
        axi.set_title(f"m = {len(gens)} generators, k = {k}:\n{n} pieces", fontsize=8, pad=-2)
    return fig


# the names the registry used before the builders were public
_fig2, _fig4, _fig1 = zigzag_composition, relu_splits_pieces, zonotope_surfaces

"""The paper's figures: Figures 1, 2 and 4 of Arora, Basu, Mianjy and Mukherjee (ICLR 2018).

The drawing functions only, each returning a matplotlib ``Figure``; :mod:`relugeom.figures`
registers them (name, claim, caption) and draws them (``relugeom figures``). Our own
figures are in :mod:`relugeom.figures_theorems`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from .network import ReLUNetwork
from .pwl import PiecewiseLinear, compose, relu

__all__: list[str] = []

F = Fraction


# ---------------------------------------------------------------------- helpers
def _families() -> Any:
    from . import families
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


def _zonotope_function(params: Sequence[Sequence[Any]], M: Any,
                       generators: Sequence[Sequence[Any]]) -> ReLUNetwork:
    """ZONOTOPE^2 = H o gamma_Z as a network (Proposition 3.8)."""
    from . import zonotope
    return zonotope.zonotope_network(params, M, generators)


_FIG1_PARAMS = {
    # (k, generators) for the three panels of the paper's Figure 1; w = 2, a^i = (1/2), M = 1
    "left": (2, ((1, 0), (0, 1))),
    "middle": (2, (("1/2", 0), (0, "1/2"), ("1/4", "1/4"), ("1/4", "-1/4"))),
    "right": (3, (("1/2", 0), (0, "1/2"), ("1/4", "1/4"), ("1/4", "-1/4"))),
}


# ---------------------------------------------------------------------- Figures 2 and 4
def _fig2() -> Any:
    from .plotting import COLORS, new_figure, plot_pwl
    M = F(1)
    a1, a2 = (F(2, 5),), (F(1, 4), F(3, 5))
    h1, h2 = _zigzag(a1, M), _zigzag(a2, M)
    H = compose(h2, h1)
    lo, hi = F(-1, 10), F(11, 10)
    fig = new_figure(7.0, 2.35)
    axes = fig.subplots(1, 3, sharey=True)
    panels = [(h1, r"$h_{a^1}$, $a^1=(\frac{2}{5})$"),
              (h2, r"$h_{a^2}$, $a^2=(\frac{1}{4},\frac{3}{5})$"),
              (H, r"$H = h_{a^2}\circ h_{a^1}$ (inner $h_{a^1}$ dotted)")]
    for i, (ax, (f, title)) in enumerate(zip(axes, panels)):
        if i == 2:
            plot_pwl(h1, ax, lo=lo, hi=hi, color=COLORS[1], ls=(0, (1.5, 1.5)), lw=1.2,
                     label=r"inner $h_{a^1}$")
        plot_pwl(f, ax, lo=lo, hi=hi, color=COLORS[0], breakpoints=True)
        n = f.n_pieces_on(0, M)
        ax.set_title(f"{title}\n{n} pieces on $[0, M]$", fontsize=8.5)
        ax.axvspan(float(lo), 0, color="#f2f2f2", zorder=0)
        ax.axvspan(float(M), float(hi), color="#f2f2f2", zorder=0)
        ax.set_xlim(float(lo), float(hi))
        ax.set_ylim(-0.12, 1.12)
        ax.set_xticks([0, 0.5, 1])
        ax.set_xticklabels(["0", "", "M"])
        ax.set_yticks([0, 1])
        ax.set_yticklabels(["0", "M"])
        ax.set_xlabel("x")
    for x in (a1[0],):
        axes[2].axvline(float(x), color=COLORS[1], lw=0.6, ls=":", zorder=1)
    fig.subplots_adjust(left=0.05, right=0.99, bottom=0.18, top=0.8, wspace=0.08)
    return fig


def _fig4() -> Any:
    from .plotting import COLORS, new_figure
    f = PiecewiseLinear.from_points([(-2, F(-1, 2)), (-1, 1), (F(1, 2), -1), (2, F(1, 2))],
                                    left_slope=F(1, 2), right_slope=F(1, 4))
    g = relu(f)
    lo, hi = F(-3), F(3)
    fig = new_figure(7.0, 2.5)
    ax1, ax2 = fig.subplots(1, 2, sharey=True)
    pal = [COLORS[0], COLORS[1]]
    n1 = _plot_pieces(ax1, f, lo, hi, colors=pal)
    n2 = _plot_pieces(ax2, g, lo, hi, colors=pal)
    from .plotting import pwl_vertices
    xs, ys = pwl_vertices(f, lo, hi)
    ax2.plot(xs, ys, color="#999", ls=(0, (1.5, 1.5)), lw=1.0, zorder=2,
             label="f (dotted)")
    # zeros of f: where the new breakpoints of sigma o f appear
    zeros = [b for b in g.breakpoints if g(b) == 0 and f(b) == 0]
    for ax in (ax1, ax2):
        ax.axhline(0, color="#444", lw=0.6, zorder=1)
        ax.plot([float(z) for z in zeros], [0] * len(zeros), "o", mfc="white",
                mec="#333", ms=4, zorder=4)
        ax.set_xlim(float(lo), float(hi))
        ax.set_xlabel("x")
    ax1.set_title(f"f: {n1} pieces (colours alternate)")
    ax2.set_title(rf"$\sigma\circ f$: {n2} pieces $\leq 2\cdot{n1}$")
    ax2.legend(loc="upper left", frameon=False)
    fig.subplots_adjust(left=0.06, right=0.99, bottom=0.17, top=0.88, wspace=0.08)
    return fig


# ---------------------------------------------------------------------- Figure 1
def _fig1() -> Any:
    from matplotlib.colors import hsv_to_rgb
    from mpl_toolkits.mplot3d.art3d import Poly3DCollection
    from . import regions
    from .plotting import new_figure
    fig = new_figure(7.2, 2.75)
    light = np.array([-0.45, -0.65, 0.6])
    light /= np.linalg.norm(light)
    for j, key in enumerate(("left", "middle", "right")):
        k, gens = _FIG1_PARAMS[key]
        net = _zonotope_function([(F(1, 2),)] * k, 1, gens)
        win = [(F(-6, 5), F(6, 5)), (F(-6, 5), F(6, 5))]
        res = regions.linear_regions(net, box=win)
        ax = fig.add_subplot(1, 3, j + 1, projection="3d", computed_zorder=False)
        facets, colors = [], []
        for r, poly in zip(res.regions, res.polygons(win)):
            (g1, g2), c = r.affine_map
            if g1 == 0 and g2 == 0 and c == 0:
                continue                    # the flat floor: not drawn
            for part in getattr(poly, "geoms", [poly]):
                xy = np.asarray(part.exterior.coords)[:-1]
                z = float(g1) * xy[:, 0] + float(g2) * xy[:, 1] + float(c)
                facets.append(np.column_stack([xy, z]))
                normal = np.array([-float(g1), -float(g2), 1.0])
                normal /= np.linalg.norm(normal)
                shade = float(np.clip(normal @ light, 0, 1))
                hue = (np.arctan2(float(g2), float(g1)) / (2 * np.pi)) % 1.0
                base = hsv_to_rgb((hue, 0.5, 0.95))
                colors.append(tuple(np.clip(base * (0.6 + 0.45 * shade), 0, 1)))
        ax.add_collection3d(Poly3DCollection(facets, facecolors=colors, edgecolors="#222",
                                             linewidths=0.15))
        ax.set_xlim(-1.1, 1.1)
        ax.set_ylim(-1.1, 1.1)
        ax.set_zlim(0, 1)
        ax.view_init(elev=40, azim=-60)
        ax.set_box_aspect((1, 1, 0.42))
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
        ax.set_zticks([0, 1])
        ax.tick_params(labelsize=6, pad=0)
        for axis in (ax.xaxis, ax.yaxis, ax.zaxis):
            axis.pane.set_facecolor((1, 1, 1, 0))
            axis.pane.set_edgecolor("#ddd")
        ax.set_title(f"m = {len(gens)} generators, k = {k}:\n{res.n_pieces} pieces",
                     fontsize=8, pad=-2)
    fig.subplots_adjust(left=0.0, right=1.0, bottom=0.02, top=0.9, wspace=0.0)
    return fig

"""Our figures: the theorems of the paper drawn on exact instances (``relugeom figures``).

Public builders, each drawing one figure and returning its matplotlib ``Figure``; each
takes the instance drawn as parameters, the ``size`` in inches, the ``colors`` and ``ax``
(axes to draw into, one per panel, instead of a new figure). :mod:`relugeom.figures`
registers them for ``relugeom figures`` and ``rg.figures.make(name, **params)``. The
paper's own Figures 1, 2 and 4 are in :mod:`relugeom.figures_paper`.

>>> from relugeom.figures_theorems import best_fit
>>> fig = best_fit(k=3, fits=(3,), size=(5, 2.4))
>>> fig.axes[-1].get_title()
'$w^k = 8$'
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Callable, Sequence

import numpy as np

from .figures_paper import _FIG1_PARAMS, _families, _panels, _q, _zonotope_function
from ..networks.network import ReLUNetwork
from ..functions.pwl import PiecewiseLinear
from ..functions.operations import relu

__all__ = ["hard_family_depth", "pieces_vs_depth_width", "flaps", "gap_bound", "best_fit",
           "regions_2d", "zonotope_support", "erm_vs_gradient_descent"]

F = Fraction


# ---------------------------------------------------------------------- helpers
def _bounds() -> Any:
    from ..depth import bounds
    return bounds


def _rational_weights(rng: np.random.Generator, shape: tuple[int, ...],
                      denom: int = 32, scale: float = 1.0) -> list:
    vals = np.rint(rng.normal(0.0, scale, size=shape) * denom).astype(int)
    return np.vectorize(lambda v: F(int(v), denom), otypes=[object])(vals).tolist()


def _random_network(widths: Sequence[int], seed: int, n_inputs: int = 1) -> ReLUNetwork:
    """He-initialised network with small-denominator rational weights (seeded)."""
    rng = np.random.default_rng(seed)
    sizes = [n_inputs, *widths, 1]
    layers = []
    for a, b in zip(sizes, sizes[1:]):
        layers.append((_rational_weights(rng, (b, a), scale=float(np.sqrt(2.0 / a))),
                       _rational_weights(rng, (b,), scale=0.5)))
    return ReLUNetwork(layers)


def _lemma_d5(widths: Sequence[int]) -> int:
    """Lemma D.5: at most 2^(k-1) (w_1 + 1) w_2 ... w_k pieces."""
    k = len(widths)
    out = 2 ** (k - 1) * (widths[0] + 1)
    for w in widths[1:]:
        out *= w
    return out


# ---------------------------------------------------------------------- ours, core only
_HARD_PARAMS = (("1/4", "3/5"), ("2/5", "3/4"), ("1/3", "1/2"), ("1/5", "2/3"))


def hard_family_depth(params: Sequence[Sequence[Any]] = _HARD_PARAMS, *,
                      size: Sequence[float] = (7.0, 3.4),
                      colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """The hard family across depth k = 1..len(params): top row Telgarsky's sawtooth
    (w = 2), bottom row H_{a^1..a^k} with the given points ``params`` of the open simplex
    (default: four unequal points, w = 3); ``ax``: 2 x len(params) axes."""
    from .plotting import COLORS, plot_pwl
    colors = tuple(colors or COLORS)
    fam = _families()
    a_list = [tuple(_q(v, "params") for v in a) for a in params]
    K = len(a_list)
    fig, axes, _ = _panels(ax, (2, K), size, what="hard_family_depth", sharex=True,
                           sharey=True)
    for k in range(1, K + 1):
        s = fam.sawtooth(k)
        axi = axes[k - 1]
        plot_pwl(s, axi, lo=0, hi=1, color=colors[0], lw=1.1)
        axi.set_title(f"sawtooth, k = {k}: {s.n_pieces_on(0, 1)} pieces", fontsize=8)
    for k in range(1, K + 1):
        H = fam.hard_function(a_list[:k], 1)
        axi = axes[K + k - 1]
        plot_pwl(H, axi, lo=0, hi=1, color=colors[1], lw=0.9)
        axi.set_title(f"w = {len(a_list[0]) + 1}, k = {k}: {H.n_pieces_on(0, 1)} pieces",
                      fontsize=8)
        axi.set_xlabel("x")
    axes[0].set_ylabel("sawtooth")
    axes[K].set_ylabel("H(x)")
    for axi in axes:
        axi.set_xlim(0, 1)
        axi.set_ylim(-0.05, 1.05)
        axi.set_xticks([0, 1])
        axi.set_yticks([0, 1])
    return fig


def pieces_vs_depth_width(max_depth: int = 6, max_width: int = 8, seeds: int = 12, *,
                          size: Sequence[float] = (7.0, 2.8),
                          colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """Exact piece counts of seeded random networks, the hard family and Lemma D.5's
    bound: left against depth 1..max_depth at width 3, right against width
    1..max_width at two hidden layers; ``seeds`` random networks per point; ``ax``: two
    axes."""
    from .plotting import COLORS
    COLORS = tuple(colors or COLORS)  # noqa: N806 - the palette drawn with
    fam = _families()
    fig, (ax1, ax2), _ = _panels(ax, (1, 2), size, what="pieces_vs_depth_width")
    seeds = range(int(seeds))

    def panel(ax: Any, xs: list[int], widths_of: Callable[[int], list[int]],
              a_of: Callable[[int], list], xlabel: str) -> None:
        bound = [_lemma_d5(widths_of(x)) for x in xs]
        ax.plot(xs, bound, "-", color=COLORS[7], lw=1.2, label="Lemma D.5 bound")
        hx, hard_r, hard_m = [], [], []
        for x in xs:
            if a_of(x) is None:        # the hard family needs w >= 2
                continue
            H = fam.hard_function(a_of(x), 1)
            hx.append(x)
            hard_r.append(H.n_pieces)
            hard_m.append(H.n_pieces_on(0, 1))
        ax.plot(hx, hard_r, "s-", color=COLORS[1], ms=3.5, lw=1.2,
                label="hard family H, on R")
        ax.plot(hx, hard_m, ":", color=COLORS[1], lw=1.0, label=r"$w^k$ (H on $[0,M]$)")
        for j, x in enumerate(xs):
            counts = [_random_network(widths_of(x), seed=1000 * x + s).to_pwl().n_pieces
                      for s in seeds]
            jitter = np.linspace(-0.12, 0.12, len(counts))
            ax.plot(x + jitter, counts, "o", color=COLORS[0], ms=2.2, alpha=0.7,
                    label="random networks" if j == 0 else None)
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_xticks(xs)
        ax.grid(True, which="major", axis="y", color="#eee", lw=0.6)
    depths = list(range(1, int(max_depth) + 1))
    panel(ax1, depths, lambda k: [3] * k,
          lambda k: [(F(1, 3), F(2, 3))] * k, "hidden layers k (width 3)")
    ax1.set_ylabel("pieces")
    widths = list(range(1, int(max_width) + 1))
    panel(ax2, widths, lambda w: [w, w],
          lambda w: [tuple(F(i, w) for i in range(1, w))] * 2 if w > 1 else None,
          "width w (k = 2 hidden layers)")
    ax2.set_ylabel("pieces")
    ax1.legend(loc="upper left", frameon=False)
    return fig


def flaps(f: Any = None, lo: Any = -3, hi: Any = 3, *, size: Sequence[float] = (7.0, 2.7),
          colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """Theorem 2.2's construction: ``f`` (default: a 5-piece example; any
    :class:`~relugeom.PiecewiseLinear`) as an output bias plus one-unit flaps, one hidden
    layer; right, the partial sums adding the units right to left. ``ax``: two axes."""
    import matplotlib
    from ..networks.convert import network_from_pwl
    from .plotting import COLORS, _as_pwl, plot_pwl, pwl_vertices
    COLORS = tuple(colors or COLORS)  # noqa: N806
    if f is None:
        f = PiecewiseLinear.from_points([(-2, 1), (-1, F(-1, 2)), (F(1, 2), 1),
                                         (F(3, 2), 0)], left_slope=F(-1, 2),
                                        right_slope=F(1, 2))
    f = _as_pwl(f, "flaps")
    net = network_from_pwl(f)
    (W1, b1), (W2, b2) = net.layers
    units = [relu(PiecewiseLinear.affine(w[0], b)) * c for w, b, c in zip(W1, b1, W2[0])]
    # order the units by their breakpoint, right to left
    units.sort(key=lambda u: -u.breakpoints[0])
    lo, hi = _q(lo, "lo"), _q(hi, "hi")
    fig, (ax1, ax2), _ = _panels(ax, (1, 2), size, what="flaps", sharey=True)
    plot_pwl(f, ax1, lo=lo, hi=hi, color=COLORS[0], breakpoints=True, lw=1.8)
    ax1.set_title(f"f: {f.n_pieces} pieces, computed by one hidden\n"
                  f"layer of {net.size} units (Theorem 2.2)", fontsize=8.5)
    cmap = matplotlib.colormaps["viridis"]
    plot_pwl(f, ax2, lo=lo, hi=hi, color="#ddd", lw=4.0)
    partial = PiecewiseLinear.constant(b2[0])
    for i, u in enumerate(units):
        partial = partial + u
        plot_pwl(partial, ax2, lo=lo, hi=hi, color=cmap(0.85 * i / max(len(units) - 1, 1)),
                 lw=1.1, label=f"{i + 1} unit{'s' if i else ''}")
    assert partial == f, "the flaps do not sum to f"
    ax2.set_title("partial sums, units added right to left\n(grey: f)", fontsize=8.5)
    ax2.legend(loc="lower left", frameon=False, fontsize=6.5, ncol=2)
    fy = pwl_vertices(f, lo, hi)[1]
    for axi in (ax1, ax2):
        axi.set_xlim(float(lo), float(hi))
        axi.set_ylim(float(fy.min()) - 1.1, float(fy.max()) + 0.6)
        axi.set_xlabel("x")
    ax1.set_ylabel("f(x)")
    return fig


# ---------------------------------------------------------------------- bounds
def gap_bound(k: int = 8, widths: Sequence[int] = (2, 3, 4), max_k: int = 10, *,
              size: Sequence[float] = (7.0, 2.8), colors: Sequence[str] | None = None,
              ax: Any = None) -> Any:
    """Theorem 3.1's lower bound on the size of shallower networks computing the hard
    family (depth ``k``, one curve per width in ``widths``), and Corollary 3.4 for
    k = 2..max_k. ``ax``: two axes."""
    from .plotting import COLORS
    COLORS = tuple(colors or COLORS)  # noqa: N806
    bounds = _bounds()
    fig, (ax1, ax2), _ = _panels(ax, (1, 2), size, what="gap_bound")
    k = int(k)
    kps = np.arange(1, k + 1)
    for i, w in enumerate(widths):
        lb = [float(bounds.gap_lower_bound(k, w, int(kp))) for kp in kps]
        ex = [bounds.gap_lower_bound_exact(k, w, int(kp)) for kp in kps]
        ax1.plot(kps, lb, "o-", color=COLORS[i], ms=3, label=f"w = {w}")
        ax1.plot(kps, ex, "x:", color=COLORS[i], ms=3.5, lw=0.9)
        ax1.axhline(w * k, color=COLORS[i], ls="--", lw=1.0)
    ax1.plot([], [], "x:", color="#555", lw=0.9, label="integer widths (Lemma D.5)")
    ax1.plot([], [], "--", color="#555", lw=1.0, label="deep network, size wk")
    ax1.set_yscale("log")
    ax1.set_xlabel("k' (hidden layers of the shallower network)")
    ax1.set_ylabel("size")
    ax1.set_xlim(0.6, k + 0.4)
    ax1.legend(loc="upper right", frameon=False)
    ax1.set_title(f"Theorem 3.1 (k = {k}): size needed at depth k'+1", fontsize=8.5)
    ks = np.arange(2, int(max_k) + 1)
    seps = [bounds.corollary_3_4(int(kk)) for kk in ks]
    ax2.plot(ks, [s.deep_size for s in seps], "s-", color=COLORS[0], ms=3,
             label=r"depth $k^2+1$: size $k^3$")
    ax2.plot(ks, [float(s.shallow_min_size) for s in seps], "o-", color=COLORS[1], ms=3,
             label=r"depth $\leq k+1$: size $\geq \frac{1}{2}k^{k+1}-1$")
    ax2.set_yscale("log")
    ax2.set_xlabel("k")
    ax2.set_ylabel("size")
    ax2.legend(loc="upper left", frameon=False)
    ax2.set_title("Corollary 3.4", fontsize=8.5)
    for ax in (ax1, ax2):
        ax.grid(True, which="major", axis="y", color="#eee", lw=0.6)
    return fig


def best_fit(w: int = 2, k: int = 5, fits: Sequence[int] = (3, 9), *,
             size: Sequence[float] = (7.0, 2.6), colors: Sequence[str] | None = None,
             ax: Any = None) -> Any:
    """Theorem 3.5: the equally spaced sawtooth f (w, k) against relugeom's best
    p-piece competitors g for each p in ``fits`` (one panel each, |f - g| shaded), and
    the exact error against p next to the lower bound. ``ax``: len(fits) + 1 axes."""
    from .plotting import COLORS, pwl_vertices
    COLORS = tuple(colors or COLORS)  # noqa: N806
    bounds, fam = _bounds(), _families()
    w, k = int(w), int(k)
    n = w ** k
    f = fam.hard_function([tuple(F(i, w) for i in range(1, w))] * k, 1)
    fits = [int(p) for p in fits]
    fig, axes, _ = _panels(ax, (1, len(fits) + 1), size, what="best_fit")
    for ax, p in zip(axes[:-1], fits):
        g, err = bounds.best_sawtooth_fit(w, k, p)
        xs = np.array(sorted({float(x) for x in (*f.breakpoints, *g.breakpoints,
                                                 *(f - g).breakpoints) if 0 < x < 1}
                             | {0.0, 1.0}))
        # |f - g| is piecewise linear between the joint breakpoints and the zeros of f - g
        d = f - g
        zeros = []
        for x0, x1 in zip(xs, xs[1:]):
            h0, h1 = d.evaluate([x0, x1])
            if h0 * h1 < 0:
                zeros.append(x0 + (x1 - x0) * h0 / (h0 - h1))
        grid = np.array(sorted({*xs.tolist(), *zeros}))
        ax.fill_between(grid, f.evaluate(grid), g.evaluate(grid), color=COLORS[1],
                        alpha=0.28, lw=0, label="|f - g|")
        fx, fy = pwl_vertices(f, 0, 1)
        ax.plot(fx, fy, color=COLORS[0], lw=0.9, label="f (sawtooth)")
        gx, gy = pwl_vertices(g, 0, 1)
        ax.plot(gx, gy, color=COLORS[1], lw=1.6, label=f"g ({g.n_pieces_on(0, 1)} pieces)")
        bound = bounds.sawtooth_error_bound(w, k, p)
        ax.set_title(f"p = {p}: error {err} = {float(err):.3f}\n"
                     f"bound {bound} = {float(bound):.3f}", fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_ylim(-0.03, 1.3)
        ax.set_xlabel("x")
        ax.set_yticks([0, 0.5, 1])
    axes[0].set_ylabel("value")
    for ax in axes[:-1]:
        ax.legend(loc="upper center", frameon=False, ncol=3, fontsize=6.2,
                  handlelength=1.2, columnspacing=0.8)
    ps = np.arange(1, n + 1)
    errs = [float(bounds.best_sawtooth_fit(w, k, int(p))[1]) for p in ps]
    lbs = [float(bounds.sawtooth_error_bound(w, k, int(p))) for p in ps]
    ax = axes[-1]
    ax.plot(ps, errs, "o", color=COLORS[1], ms=2.5, label="best competitor (exact)")
    half = ps <= n // 2                     # beyond p = w^k / 2 the bound is vacuous
    ax.plot(ps[half], np.array(lbs)[half], "-", color=COLORS[7], lw=1.1,
            label=r"bound $\frac{1}{4}(1-2p/w^k)$")
    ax.set_ylim(-0.005, 0.27)
    ax.set_xlabel("pieces p of g")
    ax.set_ylabel(r"$\int_0^1 |f-g|$")
    ax.set_title(f"$w^k = {n}$", fontsize=8)
    ax.legend(loc="upper right", frameon=False, fontsize=6.5)
    return fig


# ---------------------------------------------------------------------- regions in the plane
def _gradient_colors(res: Any) -> list:
    """One colour per region: hue from the direction of the gradient, grey where flat."""
    from matplotlib.colors import hsv_to_rgb
    out = []
    for r in res.regions:
        (g1, g2), _ = r.affine_map
        if g1 == 0 and g2 == 0:
            out.append((0.9, 0.9, 0.9))
            continue
        hue = (np.arctan2(float(g2), float(g1)) / (2 * np.pi)) % 1.0
        out.append(tuple(hsv_to_rgb((hue, 0.5, 0.95))))
    return out


def _draw_regions(ax: Any, res: Any, window: Any, by: str = "gradient") -> None:
    """Fill each region, coloured by the direction of the function's gradient there, or
    (``by="region"``) each region its own colour from a seeded shuffle of a palette."""
    from .plotting import plot_polygons, region_colors
    if by == "gradient":
        colors = _gradient_colors(res)
    else:                        # greedy colouring of the adjacency: neighbours differ
        colors = region_colors(res, by=by)
    plot_polygons(res.polygons(window), ax, colors=colors, edgecolor="white",
                  linewidth=0.45)
    (x0, x1), (y0, y1) = [(float(a), float(b)) for a, b in window]
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([x0, 0, x1])
    ax.set_yticks([y0, 0, y1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$", labelpad=-4)


def regions_2d(net: Any = None, box: Any = ((-2, 2), (-2, 2)), *,
               zonotope: bool = True, size: Sequence[float] | None = None,
               ax: Any = None) -> Any:
    """Exact linear regions in the plane. Left: ``net`` (a network R^2 -> R; default a
    seeded random network with widths (8, 8)) on ``box``, one colour per region with
    neighbours coloured differently; right: the ZONOTOPE function of Figure 1 (middle
    panel), coloured by the direction of its gradient. ``zonotope=False`` draws the
    network's panel alone. ``ax``: two axes (one with ``zonotope=False``); ``size``
    defaults to (7, 3.9), or (3.6, 3.9) for one panel.

    >>> import relugeom as rg
    >>> from relugeom.paper.figures_theorems import regions_2d
    >>> net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, 1, -2]], [0])])
    >>> len(regions_2d(net, zonotope=False).axes)
    1
    """
    from ..geometry import regions
    from ..convex.polyhedra import as_box
    shape = (1, 2) if zonotope else (1, 1)
    if size is None:
        size = (7.0, 3.9) if zonotope else (3.6, 3.9)
    fig, axes, _ = _panels(ax, shape, size, what="regions_2d")
    ax1 = axes[0]
    box = as_box(box, 2)
    if net is None:
        net = _random_network([8, 8], seed=7, n_inputs=2)
    res = regions.linear_regions(net, box=box)
    _draw_regions(ax1, res, box, by="region")
    widths = ", ".join(str(v) for v in net.widths)
    ax1.set_title(f"network, widths ({widths}):\n{res.n_regions} activation regions, "
                  f"{res.n_pieces} pieces", fontsize=8.5)
    if not zonotope:
        return fig
    ax2 = axes[1]
    k, gens = _FIG1_PARAMS["middle"]
    znet = _zonotope_function([(F(1, 2),)] * k, 1, gens)
    win = [(F(-3, 2), F(3, 2)), (F(-3, 2), F(3, 2))]
    zres = regions.linear_regions(znet, box=win)
    _draw_regions(ax2, zres, win)
    ax2.set_title(f"ZONOTOPE, k = {k}, m = {len(gens)} generators:\n"
                  f"{zres.n_regions} activation regions, {zres.n_pieces} pieces",
                  fontsize=8.5)
    return fig


def zonotope_support(generators: Sequence[Sequence[Any]] = ((1, 0), (0, 1), (1, 1),
                                                            ("1/2", -1)), *,
                     size: Sequence[float] = (7.0, 3.5),
                     colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """A zonotope in the plane with its ``generators`` (left: arrows, vertices) and its
    support function gamma_Z, one piece per vertex (right, with level sets).
    ``ax``: two axes."""
    from matplotlib.colors import hsv_to_rgb
    from ..geometry import regions, zonotope
    from .plotting import COLORS, plot_polygons
    COLORS = tuple(colors or COLORS)  # noqa: N806
    Z = zonotope.Zonotope(generators)
    verts = Z.vertices()
    fig, (ax1, ax2), _ = _panels(ax, (1, 2), size, what="zonotope_support")

    def color(v: Sequence[Fraction]) -> Any:
        hue = (np.arctan2(float(v[1]), float(v[0])) / (2 * np.pi)) % 1.0
        return hsv_to_rgb((hue, 0.55, 0.95))

    plot_polygons([Z.to_shapely()], ax1, colors=["#eef3f8"], edgecolor="#333", linewidth=0.8)
    for b in Z.generators:
        ax1.annotate("", xy=(float(b[0]), float(b[1])), xytext=(0, 0),
                     arrowprops={"arrowstyle": "-|>", "color": COLORS[7], "lw": 1.0,
                                 "shrinkA": 0, "shrinkB": 0})
    for v in verts:
        ax1.plot(float(v[0]), float(v[1]), "o", ms=6, color=color(v), mec="#333", mew=0.6)
    ax1.set_aspect("equal")
    ax1.set_xlabel("$x_1$")
    ax1.set_ylabel("$x_2$")
    lim = 1.15 * max(float(abs(c)) for v in verts for c in v) if verts else 1.0
    ax1.set_xlim(-lim, lim)
    ax1.set_ylim(-lim, lim)
    ax1.set_title(f"Z: m = {Z.m} generators, {Z.n_vertices} vertices\n"
                  f"(general position count {Z.general_position_count}; paper prints "
                  f"{Z.paper_count})", fontsize=8.5)
    win = [(F(-1), F(1)), (F(-1), F(1))]
    res = regions.linear_regions(Z.support_network(), box=win)
    polys = res.polygons(win)
    cols = [color(r.affine_map[0]) for r in res.regions]
    plot_polygons(polys, ax2, colors=cols, edgecolor="white", linewidth=0.8)
    grid = np.linspace(-1, 1, 401)
    XX, YY = np.meshgrid(grid, grid)
    G = sum(np.abs(float(b[0]) * XX + float(b[1]) * YY) for b in Z.generators)
    cs = ax2.contour(XX, YY, G, levels=[1, 2, 3], colors="#333", linewidths=0.7)
    # one label per level, on a ray into the panel (gamma_Z is positively homogeneous:
    # level L meets the ray t u at t = L / gamma_Z(u)), never on the panel's edge
    u = np.array([1.0, 0.95])
    gu = float(sum(abs(float(b[0]) * u[0] + float(b[1]) * u[1]) for b in Z.generators))
    spots = [tuple(L / gu * u) for L in (1, 2, 3) if gu > 0 and L / gu * u.max() < 0.9]
    if spots:
        ax2.clabel(cs, fontsize=6.5, fmt="%g", manual=spots)
    ax2.set_aspect("equal")
    ax2.set_xlim(-1, 1)
    ax2.set_ylim(-1, 1)
    gamma = Z.support_function()
    ax2.set_title(rf"$\gamma_Z$: {gamma.n_pieces} pieces, network size "
                  f"{Z.support_network().size}", fontsize=8.5)
    ax2.set_xlabel("$r_1$")
    ax2.set_ylabel("$r_2$")
    return fig


# ---------------------------------------------------------------------- training
def _erm_data() -> tuple[list, list]:
    """Twelve seeded 1-D points with two-decimal rational coordinates."""
    rng = np.random.default_rng(4)
    x = np.sort(rng.uniform(-2, 2, 12)).round(2)
    y = (np.abs(x) - 1 + 0.6 * np.sin(3 * x) + rng.normal(0, 0.1, 12)).round(2)
    return [F(str(v)) for v in x], [F(str(v)) for v in y]


def _ordered_sum(A: np.ndarray, axis: int) -> np.ndarray:
    """Sum along ``axis`` by elementwise additions in index order: no BLAS, no pairwise
    or SIMD-dependent reduction, so the same bits on every machine and thread count."""
    parts = np.moveaxis(A, axis, 0)
    out = parts[0].copy()
    for p in parts[1:]:
        out = out + p
    return out


def _gradient_descent(x: np.ndarray, y: np.ndarray, width: int, seeds: Sequence[int],
                      steps: int = 4000, lr: float = 0.02) -> list[tuple[np.ndarray, float]]:
    """Full-batch gradient descent on the mean squared loss of
    f(x) = sum_i c_i sigma(a_i x + b_i) + c_0, from a He-style random start per seed
    (float), all runs at once. Only elementwise IEEE operations and ordered sums
    (:func:`_ordered_sum`): bit-identical across machines, BLAS builds and thread counts,
    so the figure regenerates byte for byte."""
    starts = [np.random.default_rng(s) for s in seeds]
    init = [(r.normal(0, np.sqrt(2.0), width), r.normal(0, 0.5, width),
             r.normal(0, np.sqrt(1.0 / width), width)) for r in starts]
    a = np.array([t[0] for t in init]).reshape(-1, width)    # (runs, w)
    b = np.array([t[1] for t in init]).reshape(-1, width)
    c = np.array([t[2] for t in init]).reshape(-1, width)
    c0 = np.zeros(len(init))
    n = len(x)
    X = x[None, :, None]                                      # (1, n, 1)

    def forward() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        z = X * a[:, None, :] + b[:, None, :]                 # (runs, n, w)
        h = np.maximum(z, 0)
        return z, h, _ordered_sum(h * c[:, None, :], 2) + c0[:, None]

    for _ in range(steps):
        z, h, pred = forward()
        g = (2.0 / n) * (pred - y[None, :])                   # (runs, n)
        gz = g[:, :, None] * c[:, None, :] * (z > 0)
        ga = _ordered_sum(gz * X, 1)
        gb = _ordered_sum(gz, 1)
        gc = _ordered_sum(h * g[:, :, None], 1)
        gc0 = _ordered_sum(g, 1)
        a, b, c, c0 = a - lr * ga, b - lr * gb, c - lr * gc, c0 - lr * gc0
    _, _, pred = forward()
    r = pred - y[None, :]
    losses = _ordered_sum(r * r, 1) / n
    return [(np.concatenate([a[i], b[i], c[i], [c0[i]]]), float(losses[i]))
            for i in range(len(init))]


def erm_vs_gradient_descent(width: int = 3, runs: int = 20, *,
                            size: Sequence[float] = (7.0, 2.9),
                            colors: Sequence[str] | None = None, ax: Any = None) -> Any:
    """Algorithm 1's certified global optimum (width ``width``, squared loss, twelve
    seeded points) against ``runs`` seeded full-batch gradient-descent runs; right, their
    final losses against the optimum. ``ax``: two axes."""
    from .. import erm
    from .plotting import COLORS, plot_pwl
    COLORS = tuple(colors or COLORS)  # noqa: N806
    width = int(width)
    xs, ys = _erm_data()
    res = erm.fit([[v] for v in xs], ys, width=width, loss="squared", output_bias=True,
                  workers=1, progress=False)
    f = res.network.to_pwl()
    xf, yf = np.array([float(v) for v in xs]), np.array([float(v) for v in ys])
    runs = _gradient_descent(xf, yf, width, seeds=range(int(runs)))
    fig, (ax1, ax2), _ = _panels(ax, (1, 2), size, what="erm_vs_gradient_descent",
                                 gridspec_kw={"width_ratios": [1.5, 1]})
    grid = np.linspace(-2.2, 2.2, 441)
    best = min(range(len(runs)), key=lambda i: runs[i][1])
    for i, (theta, _) in enumerate(runs):
        a, b, c, c0 = (theta[:width], theta[width:2 * width], theta[2 * width:3 * width],
                       theta[-1])
        pred = _ordered_sum(np.maximum(np.outer(grid, a) + b, 0) * c, 1) + c0
        if i != best:
            ax1.plot(grid, pred, color="#bbb", lw=0.6, zorder=1)
    a, b, c, c0 = (runs[best][0][:width], runs[best][0][width:2 * width],
                   runs[best][0][2 * width:3 * width], runs[best][0][-1])
    ax1.plot(grid, _ordered_sum(np.maximum(np.outer(grid, a) + b, 0) * c, 1) + c0,
             color=COLORS[1], lw=1.3,
             label=f"best gradient descent (loss {runs[best][1]:.4f})", zorder=2)
    plot_pwl(f, ax1, lo=F(-11, 5), hi=F(11, 5), color=COLORS[0], lw=1.8, zorder=3,
             label=f"global optimum (loss {float(res.objective):.4f})")
    ax1.plot(xf, yf, "o", color="#222", ms=3.5, zorder=4, label="data")
    ax1.set_xlim(-2.2, 2.2)
    ax1.set_xlabel("x")
    ax1.set_ylabel("y")
    ax1.legend(loc="upper center", frameon=False, fontsize=6.8)
    ax1.set_title(f"width {width}, squared loss, D = {len(xs)}: "
                  f"{res.n_programs} convex programs", fontsize=8.5)
    losses = sorted(l for _, l in runs)
    ax2.plot(range(1, len(losses) + 1), losses, "o", color=COLORS[1], ms=3.5,
             label="gradient descent runs")
    ax2.axhline(float(res.objective), color=COLORS[0], lw=1.4,
                label="certified global optimum")
    ax2.set_yscale("log")
    from matplotlib.ticker import FixedLocator, NullFormatter, FormatStrFormatter
    ax2.yaxis.set_major_locator(FixedLocator([0.01, 0.02, 0.05, 0.1, 0.2, 0.5]))
    ax2.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax2.yaxis.set_minor_formatter(NullFormatter())
    ax2.set_xlabel("run (sorted by final loss)")
    ax2.set_ylabel("mean squared loss")
    ax2.legend(loc="upper left", frameon=False, fontsize=6.8)
    return fig


# the names the registry used before the builders were public
_hard_depth, _pieces_depth_width, _thm22 = hard_family_depth, pieces_vs_depth_width, flaps
_thm31, _thm35, _regions_2d = gap_bound, best_fit, regions_2d
_zonotope_support, _erm_vs_gd = zonotope_support, erm_vs_gradient_descent

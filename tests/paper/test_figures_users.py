"""Figures drawn into the user's axes, one panel of regions_2d, and a gradient descent that
regenerates bit for bit (issue 27: N3-10, N3-11, N3-12)."""
import numpy as np
import pytest

import relugeom as rg
from relugeom.paper import figures_theorems as ft
from relugeom.paper.plotting import new_figure


def test_fig2_legend_stays_inside_the_users_axes():
    """Drawn into row 1 of a user's 2x3 grid, fig2's legend lies inside its panel, not in
    the gap between the rows."""
    fig = new_figure(9, 5, layout="constrained")
    axes = fig.subplots(2, 3)
    rg.figures.make("fig2_zigzag_composition", ax=axes[0])
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legend = axes[0][2].get_legend().get_window_extent(r)
    panel = axes[0][2].get_window_extent(r)
    assert panel.x0 - 1 <= legend.x0 and legend.x1 <= panel.x1 + 1
    assert panel.y0 - 1 <= legend.y0 and legend.y1 <= panel.y1 + 1


def test_regions_2d_draws_only_the_network_on_request():
    """zonotope=False draws one panel (one axes accepted, two refused); the default still
    draws both."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, 1]], [0, 0, -1]), ([[1, 1, -2]], [0])])
    fig = new_figure(3, 3)
    ax = fig.subplots()
    assert ft.regions_2d(net, zonotope=False, ax=ax) is fig
    assert "7 activation regions" in ax.get_title()
    with pytest.raises(rg.DimensionError, match="1 axes"):
        ft.regions_2d(net, zonotope=False, ax=new_figure(3, 3).subplots(1, 2))
    assert len(ft.regions_2d(net).axes) == 2


def _python_gd(x, y, width, seed, steps, lr=0.02):
    """The same full-batch gradient descent in plain Python floats (IEEE double, no fused
    operations), in the same operation order: an independent route that any machine
    computes bit for bit."""
    rng = np.random.default_rng(seed)
    a = [float(v) for v in rng.normal(0, np.sqrt(2.0), width)]
    b = [float(v) for v in rng.normal(0, 0.5, width)]
    c = [float(v) for v in rng.normal(0, np.sqrt(1.0 / width), width)]
    c0, n = 0.0, len(x)
    for _ in range(steps):
        z = [[xi * a[i] + b[i] for i in range(width)] for xi in x]
        h = [[max(v, 0.0) for v in row] for row in z]
        pred = []
        for row in h:
            s = row[0] * c[0]
            for i in range(1, width):
                s = s + row[i] * c[i]
            pred.append(s + c0)
        g = [(2.0 / n) * (p - yi) for p, yi in zip(pred, y)]
        gz = [[g[j] * c[i] * (1.0 if z[j][i] > 0 else 0.0) for i in range(width)]
              for j in range(n)]

        def total(rows):
            s = list(rows[0])
            for r in rows[1:]:
                s = [u + v for u, v in zip(s, r)]
            return s
        ga = total([[gz[j][i] * x[j] for i in range(width)] for j in range(n)])
        gb = total(gz)
        gc = total([[h[j][i] * g[j] for i in range(width)] for j in range(n)])
        gc0 = total([[v] for v in g])[0]
        a = [u - lr * v for u, v in zip(a, ga)]
        b = [u - lr * v for u, v in zip(b, gb)]
        c = [u - lr * v for u, v in zip(c, gc)]
        c0 = c0 - lr * gc0
    return a + b + c + [c0]


def test_gradient_descent_of_the_erm_figure_is_bit_identical_to_plain_floats():
    """The figure's vectorised gradient descent equals, bit for bit, the plain-float
    route (no BLAS, no reduction order left to the machine), so the PNG regenerates
    byte for byte."""
    xs, ys = ft._erm_data()
    x = np.array([float(v) for v in xs])
    y = np.array([float(v) for v in ys])
    runs = ft._gradient_descent(x, y, 3, seeds=[0, 7], steps=60)
    for seed, (theta, loss) in zip([0, 7], runs):
        want = _python_gd(list(x), list(y), 3, seed, steps=60)
        assert theta.tolist() == want
        assert np.isfinite(loss)

"""restrict_to_line: the exact 1-D function along t -> a + t (b - a)."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.benchmarks.regions import random_network
from relugeom.geometry.lines import line_network, pieces_along, trajectory

Q = st.fractions(min_value=-4, max_value=4, max_denominator=8)


@settings(max_examples=25)
@given(seed=st.integers(0, 10_000), a=st.tuples(Q, Q, Q), b=st.tuples(Q, Q, Q),
       ts=st.lists(st.fractions(min_value=-2, max_value=3, max_denominator=16), min_size=1,
                   max_size=5))
def test_value_along_line_is_exact(seed, a, b, ts):
    """f(t) == net(a + t (b - a)) exactly, at any rational t."""
    net = random_network([3, 5, 4, 1], seed=seed)
    f = net.restrict_to_line(a, b)
    for t in ts:
        assert f(t) == net(tuple(x + t * (y - x) for x, y in zip(a, b)))


def test_pieces_equal_composed_network():
    """The pieces equal those of the explicitly composed 1-D network (embedding as an extra
    affine network in front, merged by compose_networks)."""
    net = random_network([4, 8, 8, 2], seed=11)
    a = (1, Fraction(-1, 2), 0, 2)
    b = (-1, 1, Fraction(3, 4), 0)
    emb = rg.ReLUNetwork([([[y - x] for x, y in zip(a, b)], list(a))])
    composed = rg.compose_networks(net, emb)
    for k in range(2):
        f = net.restrict_to_line(a, b, output=k)
        assert f == composed.to_pwl(k)
        assert f.breakpoints == composed.to_pwl(k).breakpoints
    both = net.restrict_to_line(a, b, output=None)
    assert both == (composed.to_pwl(0), composed.to_pwl(1))


def test_known_line_pieces():
    """|x| + |y| along the line from (-1, -2) to (1, 2): breakpoint at t = 1/2 only;
    along y = 1 from x = -1 to 1: breakpoint at the origin crossing t = 1/2, value 1 + |x|."""
    net = rg.ReLUNetwork([([[1, 0], [-1, 0], [0, 1], [0, -1]], [0, 0, 0, 0]),
                          ([[1, 1, 1, 1]], [0])])
    f = net.restrict_to_line((-1, -2), (1, 2))
    assert f.breakpoints == (Fraction(1, 2),) and f(0) == 3 and f(1) == 3
    g = net.restrict_to_line((-1, 1), (1, 1))
    assert g.breakpoints == (Fraction(1, 2),) and g(Fraction(1, 2)) == 1
    assert pieces_along(net, (-1, 1), (1, 1)) == 2


def test_degenerate_line_is_constant():
    """a == b: the constant net(a)."""
    net = random_network([2, 4, 1], seed=3)
    f = net.restrict_to_line((1, 2), (1, 2))
    assert f.n_pieces == 1 and f(5) == net((1, 2))
    assert line_network(net, (1, 2), (1, 2)).n_inputs == 1


def test_line_errors():
    """Wrong point sizes and outputs are refused with typed errors."""
    net = random_network([2, 3, 1], seed=1)
    with pytest.raises(rg.DimensionError, match="2 inputs"):
        net.restrict_to_line((0, 0, 0), (1, 1))
    with pytest.raises(rg.DimensionError):
        net.restrict_to_line((0, 0), (1, 1), output=3)
    with pytest.raises(rg.NotExactError):
        net.restrict_to_line((0.1, 0), (1, 1))


def test_trajectory_length_against_polyline():
    """The exact trajectory: knots include every breakpoint; its length bounds a sampled
    polyline's length from above and agrees with a fine one (a polyline through the knots
    is the curve itself)."""
    import math

    import numpy as np
    net = random_network([3, 6, 6, 2], seed=21)
    a, b = (-2, 1, Fraction(1, 2)), (2, -1, 1)
    knots, sq = trajectory(net, a, b)
    length = sum(math.sqrt(q) for q in sq)
    ts = np.linspace(0, 1, 2001)
    X = np.array([[float(x) + t * float(y - x) for x, y in zip(a, b)] for t in ts])
    Y = net.evaluate(X)
    sampled = float(np.linalg.norm(np.diff(Y, axis=0), axis=1).sum())
    assert sampled <= length + 1e-9 and length - sampled < 1e-3 * max(1.0, length)
    pts = [tuple(x + t * (y - x) for x, y in zip(a, b)) for t in knots]
    outs = [net(p) for p in pts]
    assert sq == tuple(sum((v - u) ** 2 for u, v in zip(p, q)) for p, q in zip(outs, outs[1:]))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 6),
       dtype=st.sampled_from(["float16", "float32", "float64", "int64"]),
       spread=st.integers(0, 60), zero=st.booleans())
def test_line_from_numpy_points_is_the_fraction_route(seed, n, dtype, spread, zero):
    """Endpoints given as numpy arrays (read as integer mantissas over one power of two)
    give exactly the network of the same points as Fractions."""
    import numpy as np
    rng = np.random.default_rng(seed)
    net = random_network([n, 4, 3, 2], seed=seed)
    scale = 2.0 ** int(rng.integers(-spread, spread + 1)) if dtype != "float16" else 1.0
    with np.errstate(over="ignore"):
        a = (rng.standard_normal(n) * scale).astype(dtype)
        b = (rng.standard_normal(n) * scale * 2.0 ** -spread).astype(dtype)
    if zero:
        a[0] = 0
    fa = [Fraction(float(v)) if dtype != "int64" else int(v) for v in a]
    fb = [Fraction(float(v)) if dtype != "int64" else int(v) for v in b]
    fast = line_network(net, a, b, exact_float=True)
    assert fast.layers == line_network(net, fa, fb).layers
    assert fast.integer_layers()[0].W.shape == (4, 1)


def test_line_from_numpy_floats_refused_without_exact_float():
    import numpy as np
    net = random_network([3, 4, 1], seed=1)
    with pytest.raises(rg.NotExactError):
        line_network(net, np.array([0.5, 1.0, 0.0]), np.array([1.0, 0.0, 0.25]))
    with pytest.raises(rg.DomainError):
        line_network(net, np.array([0.5, np.inf, 0.0]), np.zeros(3), exact_float=True)

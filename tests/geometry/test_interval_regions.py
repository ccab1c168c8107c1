"""The interval engine (relugeom.geometry.interval_regions) against the strip route (the
planar engine on strips of the plane) and exact referees: the exact engine and the exact
activation patterns evaluated with Fractions."""
from __future__ import annotations

from fractions import Fraction
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom.benchmarks.regions import float32_network, random_network
from relugeom.benchmarks.trained import quantised_network
from relugeom.geometry import interval_kernels, regions
from relugeom.geometry.interval_regions import IntervalRegions, _Engine
from relugeom.geometry.lines import line_network


def _wrap(net, lazy, box):
    return regions.LinearRegions._from_lazy(1, net.n_outputs, lazy,
                                            box=regions.as_box(box, 1), merged=False,
                                            widths=net.widths)


def _interval(net, box):
    res = rg.linear_regions(net, box=box)
    assert isinstance(res._lazy, IntervalRegions)          # the interval engine ran
    return res


def _strips(net, box):
    (lo, hi), = regions.as_box(box, 1)
    return _wrap(net, regions._on_line(net, lo, hi, False, strips=True), box)


def _exact(net, box):
    rec, den = regions._enumerate(net, box, None, False, None)
    return regions.LinearRegions._from_records(1, net.n_outputs, rec, den,
                                               box=regions.as_box(box, 1), merged=False,
                                               widths=net.widths)


def _summary(lr):
    return sorted((r.vertices(), r.activation_pattern, r.affine_map) for r in lr.regions)


def _pattern(net, t):
    """The exact activation pattern at t (units with pre-activation > 0), with Fractions."""
    out, v = [], [Fraction(t)]
    for W, b in net.layers[:-1]:
        z = [sum((w * a for w, a in zip(row, v)), bi) for row, bi in zip(W, b)]
        out.append(tuple(x > 0 for x in z))
        v = [max(x, 0) for x in z]
    return tuple(out), z


def _check_by_evaluation(net, res, box):
    """Referee by evaluation: the intervals tile the box left to right; the exact pattern
    at each interval's midpoint is its region's pattern (affine map included); neighbours
    differ in pattern; and at every inner end some unit is exactly zero."""
    (lo, hi), = regions.as_box(box, 1)
    ivs = sorted((r.vertices()[0][0], r.vertices()[1][0], r) for r in res.regions)
    assert ivs[0][0] == lo and ivs[-1][1] == hi
    assert all(a[1] == b[0] for a, b in pairwise(ivs))
    for a, b, r in ivs:
        pat, _ = _pattern(net, (a + b) / 2)
        assert pat == r.activation_pattern
        val = net(((a + b) / 2,))
        (k, c) = r.affine_map if net.n_outputs == 1 else (r.affine_map[0][0],
                                                         r.affine_map[1][0])
        assert (k[0] * (a + b) / 2 + c) == (val if net.n_outputs == 1 else val[0])
    for (_, e, r1), (_, _, r2) in pairwise(ivs):
        assert r1.activation_pattern != r2.activation_pattern
        zs = []
        v = [e]
        for W, b in net.layers[:-1]:
            z = [sum((w * x for w, x in zip(row, v)), bi) for row, bi in zip(W, b)]
            zs += z
            v = [max(x, 0) for x in z]
        assert 0 in zs


@settings(max_examples=60, deadline=None)
@given(rst.relu_networks(n_inputs=1, max_hidden_layers=3, max_width=6),
       st.sampled_from([[(-2, 2)], [(Fraction(-1, 3), 3)], [(0, 1)], [(-8, Fraction(1, 7))]]))
def test_same_regions_as_the_strip_and_exact_routes(net, box):
    """Small-rational networks (many exact ties and breakpoints at the box ends): the
    same intervals, patterns and affine maps as the strip route and the exact engine."""
    if not net.widths or 0 in net.widths:
        return
    res = _interval(net, box)
    ref = _summary(_exact(net, box))
    assert _summary(res) == ref
    assert _summary(_strips(net, box)) == ref
    _check_by_evaluation(net, res, box)


def _ties_net():
    """Dyadic weights with exactly coinciding breakpoints: three first-layer units break
    at 1/2 (one twice as steep, one decreasing), one at 1/4, one at 1 and one at 0 (the
    ends of [0, 1]); in the second layer two units break together at 3/8, one at 1/8,
    one exactly at the end 1/2 of its cell and one is zero on [0, 1]."""
    W1 = [[1], [2], [-4], [1], [Fraction(1, 8)], [Fraction(-3, 4)]]
    b1 = [Fraction(-1, 2), -1, 2, -1, 0, Fraction(3, 16)]
    W2 = [[1, 0, 0, 0, 0, 0], [1, -1, 0, 0, 0, 0], [0, 0, 0, 0, 64, 0], [0, 0, 1, 0, 0, 1],
          [0, 0, 0, 1, 0, 0], [0, 0, 2, 0, 0, 2]]
    b2 = [0, 0, -1, Fraction(-1, 2), 0, -1]
    return rg.ReLUNetwork([(W1, b1), (W2, b2), ([[1, -1, 2, 1, 1, 1]], [0])])


@pytest.mark.parametrize("box", [[(0, 1)], [(-1, 2)], [(Fraction(1, 4), Fraction(1, 2))],
                                 [(Fraction(3, 8), 1)]])
def test_coinciding_breakpoints_and_breakpoints_at_the_ends(box, monkeypatch):
    """The ties are decided by integers (exact signs at the ends, exact order of the
    cuts), and the regions are the exact engine's and the strip route's, on either
    route of the engine."""
    net = _ties_net()
    asked = []
    for name in ("_exact_signs", "_exact_breakpoints"):
        orig = getattr(_Engine, name)
        monkeypatch.setattr(_Engine, name, lambda self, *a, _f=orig, _n=name:
                            asked.append(_n) or _f(self, *a))
    res = _interval(net, box)
    (lo, hi), = regions.as_box(box, 1)
    assert "_exact_signs" in asked
    tied = any(lo < t < hi for t in (Fraction(3, 8), Fraction(1, 2)))   # two, three cuts
    assert ("_exact_breakpoints" in asked) == tied
    assert _summary(res) == _summary(_exact(net, box)) == _summary(_strips(net, box))
    _check_by_evaluation(net, res, box)
    monkeypatch.setattr(interval_kernels, "level", lambda *a: None)
    assert _summary(_interval(net, box)) == _summary(res)


def test_counts_of_the_ties_net():
    """Worked by hand on [0, 1]: the first layer cuts at 1/4 and at 1/2 (three units at
    once); the second at 1/8 (8t - 1 on [0, 1/4]) and at 3/8 (two units, 3/2 - 4t and
    3 - 8t, on [1/4, 1/2]); nothing else crosses: five regions."""
    res = _interval(_ties_net(), [(0, 1)])
    assert res.n_regions == 5
    ends = sorted({v[0] for r in res.regions for v in r.vertices()})
    assert ends == [0, Fraction(1, 8), Fraction(1, 4), Fraction(3, 8), Fraction(1, 2), 1]


def test_breakpoints_closer_than_floats_see():
    """Breakpoints 1/3 and 1/3 + 10^-30 (one float apart at most) are two cuts; 1/3 from
    two different units is one."""
    e = Fraction(1, 10 ** 30)
    W1 = [[3], [-6], [3]]
    b1 = [-1, 2, -1 - 3 * e]
    net = rg.ReLUNetwork([(W1, b1), ([[1, 1, 1]], [0])])
    res = _interval(net, [(0, 1)])
    assert res.n_regions == 3
    assert sorted({v[0] for r in res.regions for v in r.vertices()}) == \
        [0, Fraction(1, 3), Fraction(1, 3) + e, 1]
    assert _summary(res) == _summary(_exact(net, [(0, 1)]))


@pytest.mark.parametrize("net", [
    quantised_network([1, 8, 8, 1], seed=1),
    quantised_network([1, 6, 6, 6, 2], seed=2),
    random_network([1, 7, 7, 2], seed=3),
    float32_network([1, 16, 16, 16, 1], seed=4),
])
def test_numpy_route_and_kernel_agree(net, monkeypatch):
    """The compiled level and the numpy route (exact fallback inline) give the same
    regions, equal to the exact engine's."""
    box = [(-3, 3)]
    compiled = _summary(_interval(net, box))
    assert compiled == _summary(_exact(net, box))
    monkeypatch.setattr(interval_kernels, "level", lambda *a: None)
    assert _summary(_interval(net, box)) == compiled
    monkeypatch.setattr(interval_kernels, "child_maps", lambda *a: None)
    assert _summary(_interval(net, box)) == compiled


def test_compiled_child_maps_are_the_numpy_ones(monkeypatch):
    """The compiled passes around the GEMMs do the numpy route's operations in the same
    order: the same floats and the same error bounds, bit for bit."""
    from relugeom.geometry import interval_regions as IR
    rng = np.random.default_rng(3)
    W, b = rng.standard_normal((7, 5)), rng.standard_normal(7)
    layer = (W, b, np.abs(W))
    Zp, Ep = rng.standard_normal((4, 2, 5)), np.abs(rng.standard_normal((4, 2, 5))) * 1e-15
    par, M = np.array([0, 0, 1, 3, 2, 3]), rng.random((6, 5)) < 0.6
    Z, E = IR._child_maps(layer, Zp, Ep, par, M)
    monkeypatch.setattr(interval_kernels, "child_maps", lambda *a: None)
    Z2, E2 = IR._child_maps(layer, Zp, Ep, par, M)
    assert np.array_equal(Z, Z2) and np.array_equal(E, E2)


def test_float32_line_through_an_mlp():
    """The benchmark's call in small: a float32 20-16-16-3 MLP on the segment between two
    float32 points, read exactly; the engine equals the strip route and the exact engine,
    and restrict_to_line's breakpoints are among the region ends."""
    rng = np.random.default_rng(5)
    net = float32_network([20, 16, 16, 3], seed=5)
    a, b = (rng.random(20).astype(np.float32) for _ in range(2))
    line = line_network(net, a, b, exact_float=True)
    box = [(0, 1)]
    res = _interval(line, box)
    assert _summary(res) == _summary(_strips(line, box)) == _summary(_exact(line, box))
    ends = {v[0] for r in res.regions for v in r.vertices()}
    for k in range(3):
        f = rg.lines.restrict_to_line(net, a, b, output=k, exact_float=True)
        assert {t for t in f.breakpoints if 0 < t < 1} <= ends


def test_weights_beyond_floats_take_another_route():
    """A weight of 10^400 does not fit a float: the engine steps aside, the answer is
    still exact."""
    big = Fraction(10) ** 400
    net = rg.ReLUNetwork([([[big], [1]], [-big, Fraction(-1, 2)]), ([[1, 1]], [0])])
    res = rg.linear_regions(net, box=[(0, 2)])
    assert not isinstance(res._lazy, IntervalRegions)
    assert res.n_regions == 3


def test_count_first_then_regions():
    net = random_network([1, 6, 6, 1], seed=7)
    res = _interval(net, [(-2, 2)])
    n = res.n_regions
    assert res._regs is None
    assert len(res.regions) == n == res.n_regions and res._lazy is None


def _cluster_net(seed, c, k1):
    """k1 first-layer units breaking within 10^-25 of c (some exactly at c) and five
    second-layer units that vanish within 10^-25 of c too."""
    import random
    rng = random.Random(seed)
    d = Fraction(1, 10 ** 25)
    W1, b1 = [], []
    for _ in range(k1):
        a = Fraction(rng.choice([-5, -3, -2, -1, 1, 2, 3, 4]), rng.choice([1, 2, 3]))
        W1.append([a])
        b1.append(-a * (c + rng.randint(-3, 3) * d))
    zc = [max(w[0] * c + b, 0) for w, b in zip(W1, b1)]
    W2, b2 = [], []
    for _ in range(5):
        row = [rng.randint(-3, 3) for _ in range(k1)]
        W2.append(row)
        b2.append(-sum(r * z for r, z in zip(row, zc)) + rng.randint(-3, 3) * d)
    return rg.ReLUNetwork([(W1, b1), (W2, b2), ([[rng.randint(-2, 2) for _ in range(5)]],
                                                [0])])


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10 ** 6), st.sampled_from([Fraction(1, 3), Fraction(2, 7),
                                                 Fraction(-5, 11)]),
       st.sampled_from([2, 3, 6]))
@example(273, Fraction(1, 3), 2)   # caught a kernel deciding signs without their bound
def test_clusters_far_below_float_resolution(seed, c, k1):
    """Breakpoints clustered within 10^-25 of c: values at the cell ends are tiny but not
    zero, so float noise (about 10^-16) may decide no sign; the regions are the exact
    engine's."""
    net = _cluster_net(seed, c, k1)
    box = [(c - 1, c + 1)]
    res = _interval(net, box)
    assert _summary(res) == _summary(_exact(net, box))


def test_a_kernel_numba_cannot_compile_falls_back(monkeypatch):
    """If numba fails to compile a kernel, the numpy route answers (same regions)."""
    from numba.core.errors import TypingError
    net = random_network([1, 6, 6, 1], seed=9)
    box = [(-3, 3)]
    expected = _summary(_interval(net, box))

    def broken(*args):
        raise TypingError("cannot compile")
    monkeypatch.setattr(interval_kernels, "_KERNEL", [(broken, broken, broken)])
    assert _summary(_interval(net, box)) == expected
    assert interval_kernels._KERNEL == [None]

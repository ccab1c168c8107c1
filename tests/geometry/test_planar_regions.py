"""The float-filtered planar engine (relugeom.geometry.planar_regions) against exact
referees."""
import random
from concurrent.futures import Future
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom.benchmarks.regions import float32_network, random_network
from relugeom.benchmarks.torchnets import grid_model, vertices_model
from relugeom.benchmarks.trained import quantised_network
from relugeom.geometry import planar_exact, planar_kernels, regions


def _exact_route(net, box):
    """The exact engine of relugeom.regions (integer states, no float decisions)."""
    rec, den = regions._enumerate(net, box, None, False, None)
    return regions.LinearRegions._from_records(2, net.n_outputs, rec, den,
                                               box=regions.as_box(box, 2), merged=False,
                                               widths=net.widths)


def _summary(res):
    return sorted((r.activation_pattern, r.affine_map, r.area) for r in res.regions)


def _planar(net, box):
    res = rg.linear_regions(net, box=box)
    assert res._regs is None and res._lazy is not None      # the planar engine ran
    return res


@settings(max_examples=40, deadline=None)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=3, max_width=5),
       st.sampled_from([[(-2, 2), (-2, 2)], [(-1, 3), (Fraction(-1, 3), 2)]]))
def test_same_regions_as_the_exact_route(net, box):
    """On small-rational networks (many exact ties) the float-filtered engine finds exactly
    the exact route's regions: the same patterns, affine maps and areas."""
    if not net.widths:
        return
    assert _summary(_planar(net, box)) == _summary(_exact_route(net, box))


@pytest.mark.parametrize("net", [
    quantised_network([2, 8, 8, 1], seed=1),              # coincident lines and vertices
    quantised_network([2, 6, 6, 6, 1], seed=2),
    random_network([2, 7, 7, 2], seed=3),
    float32_network([2, 12, 12, 12, 1], seed=4),          # float32 weights: 33 bits a layer
])
def test_degenerate_and_deep_nets_match(net):
    """Grid-rounded (exact ties everywhere), two-output and float32 deep nets: the same
    regions as the exact route, on [-3, 3]^2."""
    box = [(-3, 3), (-3, 3)]
    assert _summary(_planar(net, box)) == _summary(_exact_route(net, box))


def test_numpy_route_matches_compiled(monkeypatch):
    """Without the compiled kernel (numpy route, exact fallback inline) the regions are
    the same."""
    net = quantised_network([2, 10, 10, 1], seed=5)
    box = [(-4, 4), (-4, 4)]
    compiled = _summary(_planar(net, box))
    monkeypatch.setattr(planar_kernels, "available", lambda: False)
    assert _summary(_planar(net, box)) == compiled


def _tiles_box(res, box):
    (a, b), (c, d) = box
    assert res.total_area() == (b - a) * (d - c)
    assert len({r.activation_pattern for r in res.regions}) == res.n_regions


def test_tiling_and_sampled_patterns():
    """A float32 2-24-24-1 on [-4, 4]^2: the exact areas sum to the box, patterns are
    distinct, and the exact pattern of every float-sampled point (not on a line) is a
    region's pattern."""
    net = float32_network([2, 24, 24, 1], seed=6)
    box = [(-4, 4), (-4, 4)]
    res = _planar(net, box)
    n = res.n_regions
    _tiles_box(res, box)
    assert len(res.regions) == n
    pats = {r.activation_pattern for r in res.regions}
    rng = np.random.default_rng(0)
    for x in rng.uniform(-4, 4, (200, 2)).tolist():
        p = [Fraction(v) for v in x]
        if all(all(v != 0 for v in layer) for layer in _preacts(net, p)):
            assert net.activation_pattern(p) in pats


def _preacts(net, x):
    out, v = [], x
    for W, b in net.layers[:-1]:
        z = [sum((w * a for w, a in zip(row, v)), bi) for row, bi in zip(W, b)]
        out.append(z)
        v = [max(t, 0) for t in z]
    return out


def test_near_concurrent_lines_are_decided_exactly():
    """Twelve lines within 1e-12 of one point (far below float resolution of the
    vertices): the regions are exactly the exact route's and tile the box."""
    rng = random.Random(4)
    W1, b1 = [], []
    for _ in range(8):
        a, c = Fraction(rng.randint(-99, 99), 64), Fraction(rng.randint(-99, 99), 64)
        W1.append([a, c])
        b1.append(-(a * Fraction(1, 2) + c * Fraction(1, 4))
                  + Fraction(rng.randint(-9, 9), 10 ** 12))
    net = rg.ReLUNetwork([(W1, b1), ([[Fraction(rng.randint(-5, 5), 4) for _ in range(8)]
                                      for _ in range(6)], [Fraction(rng.randint(-5, 5), 4)
                                                           for _ in range(6)]),
                          ([[1] * 6], [0])])
    box = [(0, 1), (0, 1)]
    res = _planar(net, box)
    _tiles_box(res, box)
    assert _summary(res) == _summary(_exact_route(net, box))


def test_weights_beyond_floats_take_the_exact_route():
    """A weight of 10^400 does not fit a float: the exact engine answers, correctly."""
    big = Fraction(10) ** 400
    net = rg.ReLUNetwork([([[big, 1], [1, -1]], [0, 0]), ([[1, 1]], [0])])
    res = rg.linear_regions(net, box=[(-1, 1), (-1, 1)])
    assert res._lazy is None and res.n_regions == 4
    assert res.total_area() == 4


def test_count_before_and_after_forming_regions():
    """n_regions is known before the exact regions are formed, and agrees after."""
    net = random_network([2, 5, 5, 1], seed=7)
    res = _planar(net, [(-2, 2), (-2, 2)])
    n = res.n_regions
    assert res._regs is None
    assert len(res.regions) == n == res.n_regions
    assert res._lazy is None


class _Pending:
    """An executor whose first future raises KeyboardInterrupt (a Ctrl-C while waiting)
    and whose other futures never start."""

    def __init__(self):
        self.futures = []

    def submit(self, fn, arg):
        f = Future()
        if not self.futures:
            f.set_exception(KeyboardInterrupt())
        self.futures.append(f)
        return f


def test_ctrl_c_cancels_pending_subtrees():
    """Ctrl-C while waiting on the executor cancels every subtree not yet started
    (hostile finding H3-12); no timing involved."""
    net = random_network([2, 6, 6, 6, 1], seed=8)
    ex = _Pending()
    with pytest.raises(KeyboardInterrupt):
        rg.linear_regions(net, executor=ex)
    assert len(ex.futures) > 1
    assert all(f.cancelled() for f in ex.futures[1:])


@settings(max_examples=25, deadline=None)
@given(rst.relu_networks(n_inputs=1, max_hidden_layers=3, max_width=5),
       st.sampled_from([[(-2, 2)], [(Fraction(-1, 3), 3)]]))
def test_intervals_of_the_line_match_the_exact_route(net, box):
    """One-input networks on an interval (strips of the plane in the planar engine): the
    same intervals, patterns and affine maps as the exact route."""
    if not net.widths:
        return
    res = rg.linear_regions(net, box=box)
    assert res._lazy is not None
    rec, den = regions._enumerate(net, box, None, False, None)
    ref = regions.LinearRegions._from_records(1, net.n_outputs, rec, den,
                                              box=regions.as_box(box, 1), merged=False,
                                              widths=net.widths)

    def summary(lr):
        return sorted((r.activation_pattern, r.affine_map, r.vertices(), r.inequalities)
                      for r in lr.regions)
    assert summary(res) == summary(ref)


def test_a_kernel_numba_cannot_compile_falls_back(monkeypatch):
    """If numba fails to compile the kernel, the numpy route answers (same regions)."""
    from numba.core.errors import TypingError
    net = random_network([2, 6, 6, 1], seed=9)
    box = [(-3, 3), (-3, 3)]
    expected = _summary(_planar(net, box))

    def broken(*args):
        raise TypingError("cannot compile")
    monkeypatch.setattr(planar_kernels, "_KERNEL", [broken])
    assert _summary(_planar(net, box)) == expected
    assert not planar_kernels.available()


# ---------------------------------------------------------------------- exact ties
# Settled inside the compiled kernel (int64 exact signs, one pass a layer), against the
# exact route: the through-vertices and 1/4-grid nets of ``relugeom bench trained`` (many
# lines through one point, vertices on lines).
TIE_BOX = [(-4, 4), (-4, 4)]


@pytest.fixture(scope="module", params=["through-vertices", "1/4-grid"])
def tied(request):
    """(net, its exact-route summary on TIE_BOX)."""
    model = vertices_model() if request.param == "through-vertices" else grid_model()
    net = rg.ReLUNetwork.from_torch(model)
    return net, _summary(_exact_route(net, TIE_BOX))


def _run(net, box=TIE_BOX):
    """The planar engine's regions and the engine (taken before the regions are formed)."""
    res = _planar(net, box)
    return res, res._lazy._eng


def test_ties_settled_in_one_pass(tied):
    """Every open sign is settled in the kernel in int64 (some are: nx > 0), no exact sign
    is asked of Python, one kernel round a layer, the exact states formed by the kernel
    itself (none in Python); the regions are the exact route's."""
    net, ref = tied
    res, eng = _run(net)
    assert eng.nx > 0
    assert len(eng.OK) == 0
    assert eng.rounds == [1] * eng.L
    assert eng.xs.n[1:] == [0] * (eng.L - 1)
    assert _summary(res) == ref


def test_request_rounds_when_int64_does_not_fit(tied, monkeypatch):
    """Without int64 states (as when the numbers leave int64) the kernel asks Python for
    the exact signs, in rounds: the same regions."""
    init = planar_exact._IntStates.__init__

    def no_int64(self, *args):
        init(self, *args)
        self.fits = [False] * len(self.fits)
    monkeypatch.setattr(planar_exact._IntStates, "__init__", no_int64)
    net, ref = tied
    res, eng = _run(net)
    assert eng.nx == 0 and len(eng.OK) > 0 and max(eng.rounds) > 1
    assert _summary(res) == ref


def test_numpy_route_on_ties(tied, monkeypatch):
    """The numpy route (no numba) gives the same regions on the tied nets."""
    monkeypatch.setattr(planar_kernels, "available", lambda: False)
    net, ref = tied
    res, eng = _run(net)
    assert sum(eng.rounds) == 0
    assert _summary(res) == ref


def _egcd(a, b):
    if b == 0:
        return (abs(a), 1 if a >= 0 else -1, 0)
    g, x, y = _egcd(b, a % b)
    return g, y, x - (a // b) * y


def _near_concurrent_triple(rng, B=1 << 18):
    """Integer lines a, b, h (entries about 2^18) with h . (a x b) = +-gcd(a x b): h misses
    the point p where a and b meet (inside [-2, 2]^2) by about 2^-37, far below what floats
    resolve there, yet every exact sign fits int64."""
    while True:
        a = [rng.randint(-B, B) for _ in range(3)]
        b = [rng.randint(-B, B) for _ in range(3)]
        v = (a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0])
        if v[2] == 0 or abs(v[0]) > 2 * abs(v[2]) or abs(v[1]) > 2 * abs(v[2]):
            continue
        g1, x1, y1 = _egcd(v[0], v[1])
        _, x2, y2 = _egcd(g1, v[2])
        h = np.array([x2 * x1, x2 * y1, y2], dtype=object)          # h . v = g
        A = np.array([a, b], dtype=float)
        st = np.rint(np.linalg.lstsq(A.T, h.astype(float), rcond=None)[0]).astype(int)
        h = h - int(st[0]) * np.array(a, dtype=object) - int(st[1]) * np.array(b, dtype=object)
        if max(abs(int(t)) for t in h) < 4 * B:
            sign = rng.choice((1, -1))
            return a, b, [sign * int(t) for t in h]


def test_near_ties_below_float_resolution_are_settled_exactly():
    """Three lines nearly through one point, many times over (the third misses the others'
    meeting point by about 2^-37): the float filter cannot say, the kernel's int64 signs
    (nonzero here, unlike exact ties) decide, and the regions are the exact route's."""
    rng = random.Random(11)
    rows = [r for _ in range(4) for r in _near_concurrent_triple(rng)]
    net = rg.ReLUNetwork([([r[:2] for r in rows], [r[2] for r in rows]),
                          ([[1] * len(rows)], [0])])
    box = [(-2, 2), (-2, 2)]
    res, eng = _run(net, box)
    assert eng.nx > 0 and len(eng.OK) == 0 and eng.rounds == [1]
    _tiles_box(res, box)
    assert _summary(res) == _summary(_exact_route(net, box))


def test_deep_ties_with_parent_states_formed_on_demand(monkeypatch):
    """A grid-rounded 2-8-8-8-8-1: deeper than two levels a flagged cell's parent state is
    formed in Python (with its ancestors', and the exact rows of its edge lines cut where
    no state was formed), then the cell cut again in int64; no exact sign is asked of
    Python, and the regions are the exact route's."""
    filled = []
    line_rows = planar_exact._IntStates.line_rows
    monkeypatch.setattr(planar_exact._IntStates, "line_rows",
                        lambda self, prov: filled.append(len(prov)) or line_rows(self, prov))
    net = quantised_network([2, 8, 8, 8, 8, 1], seed=0)
    box = [(-3, 3), (-3, 3)]
    res, eng = _run(net, box)
    assert eng.nx > 0 and len(eng.OK) == 0 and eng.rounds == [1, 1, 1, 2]
    assert sum(filled) > 0 and eng.xs.n[1] > 0 and eng.xs.n[2] > 0
    assert _summary(res) == _summary(_exact_route(net, box))


def test_kernel_compiled_without_the_runtime():
    """The cut kernel allocates nothing and runs without numba's reference counts (their
    atomic operations were half of its time); a scratch too small is grown by the caller
    (the cell starts again) with the same regions."""
    import relugeom.geometry.planar_kernels as K
    fn = K._kernel()
    assert fn.targetoptions.get("_nrt") is False
    net = float32_network([2, 12, 12, 1], seed=3)
    box = [(-4, 4), (-4, 4)]
    want = _planar(net, box).n_regions
    keep, calls = K._scratch, []

    def small_first(ns: int, nq: int, w: int) -> tuple:     # the first scratch tiny
        calls.append(ns)
        return keep(8, 2, w) if len(calls) == 1 else keep(ns, nq, w)
    K._scratch = small_first
    try:
        assert _planar(net, box).n_regions == want
    finally:
        K._scratch = keep
    assert len(calls) > 2                                     # it was grown on request

"""Regions without the orthant split (issue 9), planes (issue 10), and the old orthant route
kept as an independent oracle."""
import itertools
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom.benchmarks.regions import random_network
from relugeom.convex.polyhedra import Polyhedron, orthant_cones
from relugeom.geometry.regions import _enumerate
from relugeom.geometry.regionset import LinearRegions


def _oracle(net):
    """The old engine: R^n cut into its 2^n orthants, cells merged by pattern."""
    records, den = _enumerate(net, None, None, False, orthants=True)
    return LinearRegions._from_records(net.n_inputs, net.n_outputs, records, den, box=None,
                                       merged=True, widths=net.widths)


def _summary(res):
    return sorted((r.activation_pattern, r.affine_map) for r in res.regions)


@pytest.mark.parametrize("n", [20, 100])
def test_affine_function_is_one_region(n):
    """An affine function on R^n is one region (all of R^n), found without 2^n cells."""
    net = rg.ReLUNetwork([([[i % 3 - 1 for i in range(n)]], [5])])
    res = rg.linear_regions(net)
    assert (res.n_regions, res.n_cells) == (1, 1)
    r = res.regions[0]
    assert r.inequalities == () and not r.is_bounded and len(r.interior_point) == n


def test_relu_of_a_sum_on_r16():
    """relu(x_1 + ... + x_16): two half-spaces, two pieces, one cell each."""
    net = rg.ReLUNetwork([([[1] * 16], [0]), ([[1]], [0])])
    res = rg.linear_regions(net)
    assert (res.n_regions, res.n_pieces, res.n_cells) == (2, 2, 2)
    assert {r.inequalities for r in res.regions} == {((1,) * 16 + (0,),),
                                                   ((-1,) * 16 + (0,),)}
    assert res.adjacency == ((0, 1),)


def test_generic_hinges_match_zaslavsky():
    """w generic hyperplanes in R^n: sum_{i<=n} C(w, i) regions, from R^n itself."""
    from math import comb

    from relugeom.benchmarks.regions import affine_network_on, generic_hinge_network
    for n, w in ((5, 8), (4, 9), (7, 7)):
        res = rg.linear_regions(generic_hinge_network(n, w, seed=n))
        assert res.n_regions == res.n_cells == sum(comb(w, i) for i in range(n + 1))
    assert rg.linear_regions(affine_network_on(100)).n_regions == 1


@settings(max_examples=25)
@given(st.one_of(rst.relu_networks(n_inputs=2, max_hidden_layers=2, max_width=4),
                 rst.relu_networks(n_inputs=3, max_hidden_layers=2, max_width=4)))
def test_new_engine_equals_orthant_oracle(net):
    """Starting from R^n gives the same regions (patterns and maps) as the orthant split."""
    new, old = rg.linear_regions(net), _oracle(net)
    assert _summary(new) == _summary(old)
    assert new.n_pieces == old.n_pieces and len(new.adjacency) == len(old.adjacency)


@pytest.mark.parametrize("dims,seed", [([2, 5, 4, 1], 1), ([3, 5, 3, 1], 2),
                                       ([4, 4, 3, 1], 3), ([2, 2, 2, 2, 1], 4)])
def test_oracle_and_brute_force_sampling(dims, seed):
    """Counts equal the orthant oracle's; every sampled pattern is an enumerated region and
    each region's interior point has its pattern (no region twice)."""
    net = random_network(dims, seed=seed)
    res = rg.linear_regions(net)
    assert _summary(res) == _summary(_oracle(net))
    pats = {r.activation_pattern for r in res.regions}
    assert len(pats) == res.n_regions
    for r in res.regions:
        assert net.activation_pattern(list(r.interior_point)) == r.activation_pattern
    rng = random.Random(seed)
    for _ in range(300):
        x = [Fraction(rng.randint(-400, 400), rng.randint(1, 40)) for _ in range(dims[0])]
        p = net.activation_pattern(x)
        if all(_off_planes(net, x)):   # skip points on a hyperplane (pattern ambiguous)
            assert p in pats


def _off_planes(net, x):
    h = list(x)
    for W, b in net.layers[:-1]:
        z = [sum((a * v for a, v in zip(row, h)), c) for row, c in zip(W, b)]
        yield all(v != 0 for v in z)
        h = [max(v, 0) for v in z]


def test_domain_box_equals_box():
    """domain= with a box is box=."""
    net = random_network([2, 6, 5, 1], seed=7)
    box = [(-2, 1), ("-1/2", 3)]
    a, b = rg.linear_regions(net, box=box), rg.linear_regions(net, domain=box)
    assert _summary(a) == _summary(b) and a.box == b.box and a.total_area() == Fraction(21, 2)
    net3 = random_network([3, 4, 3, 1], seed=8)
    box3 = [(-1, 1)] * 3
    assert _summary(rg.linear_regions(net3, box=box3)) == \
        _summary(rg.linear_regions(net3, domain=box3))
    assert _summary(rg.linear_regions(net3, domain=Polyhedron(
        [(1, 0, 0, 1), (-1, 0, 0, 1), (0, 1, 0, 1), (0, -1, 0, 1), (0, 0, 1, 1),
         (0, 0, -1, 1)]))) == _summary(rg.linear_regions(net3, box=box3))


def test_polyhedron_domain_triangle():
    """Regions inside a triangle tile it exactly, and each lies inside it."""
    net = random_network([2, 6, 4, 1], seed=9)
    tri = Polyhedron([(1, 0, 2), (0, 1, 2), (-1, -1, 1)])       # x, y >= -2, x + y <= 1
    res = rg.linear_regions(net, domain=tri)
    assert sum(r.area for r in res.regions) == tri.volume() == Fraction(25, 2)
    assert all(tri.contains(r.interior_point) for r in res.regions)
    both = rg.linear_regions(net, box=[(-1, 1), (-1, 1)], domain=tri)
    assert sum(r.area for r in both.regions) == 4 - Fraction(1, 2)


def test_cone_domain_matches_whole_space():
    """On a cone, the regions are exactly those of R^n that meet its interior."""
    net = random_network([3, 5, 3, 1], seed=10)
    cone = Polyhedron([(1, 0, 0, 0), (1, -1, 0, 0), (0, 1, 1, 0)])
    on = rg.linear_regions(net, domain=cone)
    whole = rg.linear_regions(net)
    meet = {r.activation_pattern for r in whole.regions
            if not Polyhedron(list(r.inequalities) + [(1, 0, 0, 0), (1, -1, 0, 0),
                                                      (0, 1, 1, 0)], 3).is_empty}
    assert {r.activation_pattern for r in on.regions} == meet and on.n_regions < \
        whole.n_regions


def test_domain_errors():
    """Wrong dimension and empty domains are refused with typed errors."""
    net = random_network([2, 3, 1], seed=1)
    with pytest.raises(rg.DimensionError):
        rg.linear_regions(net, domain=Polyhedron([(1, 0, 0, 0)]))
    with pytest.raises(rg.DomainError, match="empty interior"):
        rg.linear_regions(net, domain=Polyhedron([(1, 0, 0), (-1, 0, -1)]))
    with pytest.raises(rg.DimensionError):
        rg.linear_regions(net, domain=[(0, 1)])


def test_planar_strips_and_half_planes():
    """Parallel hyperplanes in the plane give cells with a lineality space: counted,
    adjacent, drawn and tiling a window like any other."""
    net = rg.ReLUNetwork([([[0, 1], [0, -1], [0, 1]], [2, -2, 0]), ([[1, 1, 1]], [0])])
    res = rg.linear_regions(net)
    assert res.n_regions == 3 and len(res.adjacency) == 2
    assert _summary(res) == _summary(_oracle(net))
    polys = res.polygons(window=[(-3, 3), (-3, 3)])
    assert abs(sum(p.area for p in polys) - 36) < 1e-9
    aff = rg.ReLUNetwork([([[1, 2]], [3])])
    whole = rg.linear_regions(aff)
    assert whole.n_regions == 1 and abs(whole.polygons(window=[(0, 1), (0, 2)])[0].area
                                         - 2) < 1e-12


# ---------------------------------------------------------------------- polyhedra
rows3 = st.lists(st.tuples(*[st.integers(-4, 4)] * 4), min_size=1, max_size=5)


@settings(max_examples=40)
@given(rows3)
def test_polyhedron_equals_orthant_route(rows):
    """Vertices, facets, boundedness and LPs agree with the double description built
    from the orthants."""
    P = Polyhedron(rows)
    Q = Polyhedron._from_cones(3, P._rows, None)
    cones = orthant_cones(3)
    for h in P._rows:
        if not any(h[:-1]):
            cones = cones if h[-1] >= 0 else []
            continue
        cones = [p for c in cones for p in (c.split(h)[0],) if p is not None]
    Q._cones = cones
    assert P.is_empty == Q.is_empty
    if P.is_empty:
        return
    assert P.is_bounded == Q.is_bounded
    assert P.vertices() == Q.vertices() and P.facets() == Q.facets()
    for c in itertools.product((-1, 0, 2), repeat=3):
        assert P.maximize(c)[0] == Q.maximize(c)[0]
    assert Q.contains(P.interior_point())


def test_half_space_has_a_lineality_space():
    """A half-space: unbounded, one facet, no vertex, LPs along the boundary unbounded."""
    H = Polyhedron([(0, 1, 0)])
    assert not H.is_bounded and H.vertices() == () and len(H.facets()) == 1
    assert H.maximize((1, 0))[0] == float("inf") and H.maximize((0, -1))[0] == 0
    big = Polyhedron([[1] * 30 + [0]])
    assert not big.is_empty and len(big.cones()) == 1 and len(big.facets()) == 1


# ---------------------------------------------------------------------- planes
def _embedded(net, P):
    """The composed network x -> net(origin + u d1 + v d2), built with compose_networks."""
    emb = rg.ReLUNetwork([([[P.directions[0][i], P.directions[1][i]] for i in range(P.n)],
                           list(P.origin))])
    return rg.compose_networks(net, emb)


@pytest.mark.parametrize("dims,seed", [([5, 6, 4, 1], 1), ([12, 8, 6, 2], 2)])
def test_plane_equals_composed_network(dims, seed):
    """linear_regions(net, plane=P) equals the regions of the explicitly composed net."""
    net = random_network(dims, seed=seed)
    rng = random.Random(seed)
    pts = [[Fraction(rng.randint(-6, 6), rng.randint(1, 3)) for _ in range(dims[0])]
           for _ in range(3)]
    P = rg.plane(*pts)
    box = [(-2, 2), (-2, 2)]
    a = rg.linear_regions(net, plane=P, box=box)
    b = rg.linear_regions(_embedded(net, P), box=box)
    assert _summary(a) == _summary(b) and a.total_area() == 16
    whole = rg.linear_regions(net, plane=P)
    assert _summary(whole) == _summary(rg.linear_regions(_embedded(net, P)))
    for r in a.regions:
        x = P.point(r.interior_point)
        assert net.activation_pattern(list(x)) == r.activation_pattern


def test_plane_through_many_inputs():
    """A 200-input network on a plane: the same regions as the composed 2-input net."""
    rng = random.Random(5)
    n = 200
    W = [[Fraction(rng.randint(-3, 3), 4) for _ in range(n)] for _ in range(10)]
    net = rg.ReLUNetwork([(W, [Fraction(rng.randint(-4, 4), 4) for _ in range(10)]),
                          ([[rng.randint(-2, 2) for _ in range(10)]], [0])])
    P = rg.plane(origin=[0] * n, directions=[[(i % 5) - 2 for i in range(n)],
                                             [(i % 3) - 1 for i in range(n)]])
    a = rg.linear_regions(net, plane=P, box=[(-1, 1), (-1, 1)])
    b = rg.linear_regions(_embedded(net, P), box=[(-1, 1), (-1, 1)])
    assert _summary(a) == _summary(b) and a.n_regions > 1


def test_plane_errors():
    """Dependent directions, wrong dimensions and floats are refused with typed errors."""
    with pytest.raises(rg.DomainError, match="linearly dependent"):
        rg.plane((0, 0, 0), (1, 2, 3), (2, 4, 6))
    with pytest.raises(rg.DimensionError):
        rg.plane((0, 0), (1, 0, 0), (0, 1))
    with pytest.raises(rg.NotExactError):
        rg.plane((0.1, 0), (1, 0), (0, 1))
    assert rg.plane((0.5, 0), (1, 0), (0, 1), exact_float=True).origin[0] == Fraction(1, 2)
    net = random_network([3, 2, 1], seed=1)
    with pytest.raises(rg.DimensionError):
        rg.linear_regions(net, plane=rg.plane((0, 0), (1, 0), (0, 1)))


# ---------------------------------------------------------------------- big integers
def _f32net(dims, seed, tiny=None):
    import numpy as np
    rng = np.random.default_rng(seed)
    layers = []
    for a, b in zip(dims, dims[1:]):
        k = 1 / np.sqrt(a)
        W = rng.uniform(-k, k, (b, a)).astype(np.float32).astype(np.float64)
        layers.append((W, rng.uniform(-k, k, b).astype(np.float32).astype(np.float64)))
    if tiny is not None:
        layers[1][0][0, 0] = tiny
    return rg.ReLUNetwork.from_arrays(layers, exact_float=True)


@pytest.mark.parametrize("dims,tiny", [([2, 9, 9, 9, 1], None), ([2, 12, 10, 1], 2.0 ** -40)])
def test_flint_products_equal_python_integers(dims, tiny, monkeypatch):
    """float32 weights push the states past int64: the python-flint batched products give
    the same regions as plain Python integers, and the regions tile the box exactly."""
    import relugeom.numbers.limbs as R
    net = _f32net(dims, seed=2, tiny=tiny)
    box = [(-4, 4), (-4, 4)]
    a = rg.linear_regions(net, box=box)
    monkeypatch.setattr(R, "_FLINT", [None])
    b = rg.linear_regions(net, box=box)
    assert _summary(a) == _summary(b) and a.total_area() == 64
    for r in a.regions[::7]:
        assert net.activation_pattern(list(r.interior_point)) == r.activation_pattern


@settings(max_examples=30)
@given(st.integers(1, 3), st.integers(1, 9), st.integers(1, 12), st.integers(0, 200),
       st.randoms(use_true_random=False))
def test_one_row_limb_sums_are_exact(C, w, k, bits, rnd):
    """The int64 limb sums of a one-row layer equal Python-integer sums (signs, carries,
    limbs of every size)."""
    import numpy as np

    from relugeom.geometry.regions import _one_row_states
    big = lambda: rnd.randint(-(1 << bits), 1 << bits)  # noqa: E731
    Zs = np.array([[[big() for _ in range(3)] for _ in range(w)] for _ in range(C)],
                  dtype=object)
    wrow = np.array([rnd.randint(-(1 << 40), 1 << 40) for _ in range(w)], dtype=object)
    po = np.array([rnd.randrange(C) for _ in range(k)])
    M = np.array([[rnd.random() < 0.5 for _ in range(w)] for _ in range(k)])
    got = _one_row_states(wrow, Zs, po, M)
    for i in range(k):
        for r in range(3):
            want = sum(int(wrow[j]) * int(Zs[po[i], j, r]) for j in range(w) if M[i, j])
            assert got[i, 0, r] == want


def test_wide_one_layer_float32_matches_oracle():
    """A 2-40-1 float32 net (one parent cell, last-layer integers past int64, the limb
    route): an exact tiling, and exact values and patterns at interior points."""
    net = _f32net([2, 40, 1], seed=4)
    box = [(-4, 4), (-4, 4)]
    res = rg.linear_regions(net, box=box)
    assert res.total_area() == 64
    for r in res.regions[::25]:
        x = list(r.interior_point)
        co, c = r.affine_map
        assert net(x) == co[0] * x[0] + co[1] * x[1] + c
        assert net.activation_pattern(x) == r.activation_pattern


@settings(max_examples=30)
@given(st.integers(1, 3), st.integers(1, 9), st.integers(1, 9), st.integers(1, 8),
       st.integers(2, 62), st.integers(1, 40), st.randoms(use_true_random=False))
def test_int64_limb_products_are_exact(C, w, w2, k, zbits, wbits, rnd):
    """int64 weights times int64 states whose products overflow: the limb products equal
    Python-integer products whenever a limb width is chosen."""
    import numpy as np

    from relugeom.geometry.regions import _limb_bits, _limb_product, _maxabs
    W = np.array([[rnd.randint(-(1 << wbits), 1 << wbits) for _ in range(w)]
                  for _ in range(w2)], dtype=np.int64)
    Zs = np.array([[[rnd.randint(-(1 << zbits), 1 << zbits) for _ in range(3)]
                    for _ in range(w)] for _ in range(C)], dtype=np.int64)
    po = np.array([rnd.randrange(C) for _ in range(k)])
    M = np.array([[rnd.random() < 0.6 for _ in range(w)] for _ in range(k)])
    layer = (W, np.zeros(w2, dtype=np.int64), 1, _maxabs(W), 0)
    b = _limb_bits(layer, Zs)
    if b is None:
        return
    got = _limb_product(W, Zs, po, M, b)
    want = np.matmul(W.astype(object), (Zs[po] * M[:, :, None]).astype(object))
    assert (got == want).all()


# ---------------------------------------------------------------------- limb arrays
@settings(max_examples=40)
@given(st.lists(st.integers(-(1 << 300), 1 << 300), min_size=1, max_size=12),
       st.integers(8, 40))
def test_limb_arrays_round_trip_and_bound_their_floats(vals, b):
    """Limbs hold the exact integers; the float values are within the stated bound."""
    import numpy as np

    from relugeom.numbers.limbs import LimbArray
    A = LimbArray.from_ints(np.array(vals, dtype=object), b)
    assert A.exact().tolist() == vals and (np.abs(A.L) < (1 << b)).all()
    F, E = A.floats()
    for v, f, e in zip(vals, F.tolist(), E.tolist()):
        assert abs(Fraction(f) - v) <= Fraction(e)
    small = np.array([v % (1 << 62) - (1 << 61) for v in vals], dtype=np.int64)
    assert LimbArray.from_int64(small, b).exact().tolist() == small.tolist()


@settings(max_examples=30)
@given(st.integers(1, 3), st.integers(1, 8), st.integers(1, 6), st.integers(1, 7),
       st.integers(0, 250), st.randoms(use_true_random=False))
def test_limb_products_are_exact(C, w, w2, k, zbits, rnd):
    """One int64 product per limb and a carry pass give the exact W (M * Z) + bias."""
    import numpy as np

    from relugeom.numbers.limbs import LimbArray, limb_states
    W = np.array([[rnd.randint(-(1 << 30), 1 << 30) for _ in range(w)] for _ in range(w2)],
                 dtype=np.int64)
    b = 62 - 31 - w.bit_length()
    Z = np.array([[[rnd.randint(-(1 << zbits), 1 << zbits) for _ in range(3)]
                   for _ in range(w)] for _ in range(C)], dtype=object)
    po = np.array([rnd.randrange(C) for _ in range(k)])
    M = np.array([[rnd.random() < 0.6 for _ in range(w)] for _ in range(k)])
    bias = [rnd.randint(-(1 << 200), 1 << 200) for _ in range(w2)]
    got = limb_states(W, LimbArray.from_ints(Z, b), po, M, bias).exact()
    want = np.matmul(W.astype(object), Z[po] * M[:, :, None])
    want[:, :, -1] += np.array(bias, dtype=object)
    assert (got == want).all()


def test_limb_engine_equals_python_integers(monkeypatch):
    """A deep float32 net (states far past int64): limb states give the same regions as
    Python integers and python-flint."""
    import relugeom.geometry.regions as R
    net = _f32net([2, 8, 8, 8, 8, 8, 1], seed=6)
    box = [(-4, 4), (-4, 4)]
    a = rg.linear_regions(net, box=box)
    monkeypatch.setattr(R, "limb_width", lambda prep: None)
    b = rg.linear_regions(net, box=box)
    assert _summary(a) == _summary(b) and a.total_area() == 64


def test_huge_and_tiny_boxes_are_exact():
    """Box ends far beyond floats: the filters step aside and integers decide."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    big = rg.linear_regions(net, box=[(-10 ** 400, 10 ** 400), (0, 1)])
    assert big.n_regions == 2 and big.total_area() == 2 * 10 ** 400
    tiny = rg.linear_regions(net, box=[(0, Fraction(1, 10 ** 400)), (0, 1)])
    assert tiny.n_regions == 1 and tiny.total_area() == Fraction(1, 10 ** 400)


def test_region_limit_is_checked_during_the_enumeration():
    """The size limit stops the refinement as soon as the live cells exceed it."""
    from relugeom.benchmarks.regions import generic_hinge_network
    with rg.limits(max_regions=50):
        with pytest.raises(rg.TooLargeError, match="max_regions=50"):
            rg.linear_regions(generic_hinge_network(3, 12))
        with pytest.raises(rg.TooLargeError):
            rg.linear_regions(random_network([2, 12, 12, 1], seed=1), box=[(-4, 4)] * 2)


def test_wrong_arguments_get_typed_errors():
    """Not a network, not a plane, not an executor, no dimension: RelugeomErrors."""
    net = random_network([2, 3, 1], seed=1)
    with pytest.raises(rg.NotExactError):
        rg.linear_regions(None)
    with pytest.raises(rg.NotExactError):
        rg.linear_regions(net, plane=[(0, 0), (1, 0), (0, 1)])
    with pytest.raises(rg.NotExactError, match="submit"):
        rg.linear_regions(net, executor=1)
    for bad in ({"n": -1}, {"n": 0}, {"n": True}):
        with pytest.raises(rg.DimensionError):
            Polyhedron([], **bad)
    with pytest.raises(rg.DimensionError):
        Polyhedron([[]])

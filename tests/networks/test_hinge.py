"""Hinge-form equality (one hidden layer, O(w log w)) against the enumeration route."""
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.geometry.equality import equal, is_symmetric
from relugeom.networks.hinge import hinge_form, permuted_network, sorted_cone
from relugeom.geometry.equality import networks_equal

small = st.integers(-3, 3).map(Fraction)


@st.composite
def one_layer(draw, n=None):
    n = n or draw(st.integers(1, 3))
    w = draw(st.integers(1, 5))
    W = [[draw(small) for _ in range(n)] for _ in range(w)]
    b = [draw(small) for _ in range(w)]
    out = [draw(small) for _ in range(w)]
    return rg.ReLUNetwork([(W, b), ([out], [draw(small)])])


def rewrite(net, seed):
    """An equal network: units permuted, scaled by positive factors, split in two,
    and relu(u) = relu(-u) + u written out with a carrying pair."""
    rng = random.Random(seed)
    (W, b), (Wo, bo) = net.layers
    rows, bs, outs = [], [], []
    for r, bi, w in zip(W, b, Wo[0]):
        s = Fraction(rng.randint(1, 4), rng.randint(1, 3))
        if rng.random() < 0.5:                          # scale and split
            rows += [[s * v for v in r]] * 2
            bs += [s * bi] * 2
            outs += [w / (2 * s)] * 2
        else:                                           # relu(u) = relu(-u) + u
            rows += [[-v for v in r], list(r), [-v for v in r]]
            bs += [-bi, bi, -bi]
            outs += [w, w, -w]
    order = list(range(len(rows)))
    rng.shuffle(order)
    return rg.ReLUNetwork([([rows[i] for i in order], [bs[i] for i in order]),
                           ([[outs[i] for i in order]], bo)])


@settings(max_examples=40, deadline=None)
@given(one_layer(), st.integers(0, 10 ** 6))
def test_rewrites_are_equal(net, seed):
    """Permuting, scaling, splitting and opposite-pair rewrites keep the hinge form."""
    other = rewrite(net, seed)
    assert hinge_form(net) == hinge_form(other)
    assert equal(net, other)


@settings(max_examples=40, deadline=None)
@given(one_layer(), one_layer())
def test_agrees_with_enumeration(a, b):
    """The hinge-form verdict equals the region-enumeration verdict."""
    if a.n_inputs != b.n_inputs:
        b = rg.ReLUNetwork([([list(r[:1]) * a.n_inputs for r in b.layers[0][0]],
                             b.layers[0][1]), b.layers[1]])
    assert equal(a, b) == networks_equal(a, b, method="enumerate")
    c = rewrite(a, 7)
    assert equal(a, c) and networks_equal(a, c, method="enumerate")


@settings(max_examples=30, deadline=None)
@given(one_layer(n=2), one_layer(n=2))
def test_domain_agrees_with_enumeration(a, b):
    """On a box the folded hinge forms decide like enumeration on that box."""
    box = [(0, 1), (-1, 2)]
    assert equal(a, b, box) == networks_equal(a, b, box, method="enumerate")


def test_perturbation_detected():
    """Changing one coefficient by 1/1000 breaks equality."""
    net = rg.ReLUNetwork([([[1, -1], [2, 1]], [0, 1]), ([[1, 1]], [0])])
    bad = rg.ReLUNetwork([([[1, -1], [2, 1]], [0, 1]), ([["1001/1000", 1]], [0])])
    assert not equal(net, bad) and not networks_equal(net, bad, method="enumerate")


def test_domain_folds_hinges():
    """relu(x) = x on x >= 0: equal there, not on R."""
    a = rg.ReLUNetwork([([[1]], [0]), ([[1]], [0])])
    b = rg.ReLUNetwork([([[1]], [0])])
    assert not equal(a, b)
    assert equal(a, b, [(0, 5)])
    P = rg.polyhedra.Polyhedron([(1, 0)])
    assert equal(a, b, P)
    assert hinge_form(a, domain=[(-2, -1)]).is_zero


def test_first_layer_linear_on_sorted_cone():
    """Pairwise maxima are linear on the sorted cone: max(x1, x2) + relu(x2 - x3) type
    deep nets reduce to the hinge form there."""
    # f = relu(max(x1,x2) - x3) (two hidden layers); on x1 >= x2 >= x3 it is x1 - x3
    n1 = rg.ReLUNetwork([([[1, -1, 0], [0, 1, 0], [0, -1, 0], [0, 0, 1], [0, 0, -1]],
                          [0] * 5),
                         ([[1, 1, -1, -1, 1]], [0]), ([[1]], [0])])
    lin = rg.ReLUNetwork([([[1, 0, -1]], [0])])
    C = sorted_cone(3)
    assert equal(n1, lin, C)
    assert not equal(n1, lin)


def test_symmetry():
    """max(x1, x2, x3) is symmetric, x1 is not."""
    from relugeom.depth.maxfive import reference_max_network
    m3 = reference_max_network(3)
    assert is_symmetric(m3)
    assert not is_symmetric(rg.ReLUNetwork([([[1, 0, 0]], [0])]))
    p = permuted_network(m3, [2, 0, 1])
    assert p([1, 5, 2]) == 5


def test_errors():
    """Too deep for hinge_form, bad permutation."""
    from relugeom.depth.maxfive import reference_max_network
    with pytest.raises(rg.DimensionError):
        hinge_form(reference_max_network(4))
    with pytest.raises(rg.DimensionError):
        permuted_network(reference_max_network(3), [0, 0, 1])


def test_cpwl_equals_domain():
    """CPWLFunction.equals(domain=): relu(x) and x agree on [0, 5] and x >= 1 only."""
    a = rg.CPWLFunction([([(1, 0)], ((1,), 0)), ([(-1, 0)], ((0,), 0))])
    b = rg.CPWLFunction([([(1, 0)], ((1,), 0)), ([(-1, 0)], ((1,), 0))])
    assert not a.equals(b)
    assert a.equals(b, domain=[(0, 5)])
    assert not a.equals(b, domain=[(-1, 5)])
    assert a.equals(b, domain=rg.polyhedra.Polyhedron([(1, -1)]))


def test_equal_symmetric_on_the_sorted_cone():
    """Symmetric sums over S_3 vs max(x1, x2, x3): the sorted-cone verdict matches
    enumeration on R^3; an asymmetric side is refused."""
    from relugeom.depth.certificates import certificate_network, load_certificate
    from relugeom.geometry.equality import equal_symmetric
    from relugeom.depth.maxfive import reference_max_network
    m3 = reference_max_network(3)
    good = certificate_network(load_certificate(
        '{"n": 3, "terms": [{"coefficient": "1/6", "pair": [[[1,2]], [[3,3]]]}]}'))
    bad = certificate_network(load_certificate(
        '{"n": 3, "terms": [{"coefficient": "1/5", "pair": [[[1,2]], [[3,3]]]}]}'))
    assert equal_symmetric(good, m3) and networks_equal(good, m3, method="enumerate")
    assert not equal_symmetric(bad, m3) and not networks_equal(bad, m3, method="enumerate")
    with pytest.raises(rg.DomainError):
        equal_symmetric(rg.ReLUNetwork([([[1, 0, 0]], [0])]), m3)


@settings(max_examples=30, deadline=None)
@given(one_layer(), st.booleans())
def test_translation_law_two_routes(net, force):
    """The algebraic translation test (one hidden layer) agrees with the network route
    on R^(n+1) (forced by an extra identity layer) and with exact points; nets built to
    satisfy the law (normals p . 1 = 0, linear part summing to 1) pass."""
    from relugeom.geometry.equality import is_translation_equivariant
    (W, b), (Wo, bo) = net.layers
    n = net.n_inputs
    if force:           # make it hold: p . 1 = 0 for every unit, add a linear x_1 part
        W = [list(r[:-1]) + [-sum(r[:-1], Fraction(0))] for r in W]
        W += [[Fraction(int(i == 0)) for i in range(n)], [-Fraction(int(i == 0))
                                                          for i in range(n)]]
        b = list(b) + [0, 0]
        Wo = [list(Wo[0]) + [1, -1]]
        net = rg.ReLUNetwork([(W, b), (Wo, bo)])
    fast = is_translation_equivariant(net)
    deep = is_translation_equivariant(rg.compose_networks(rg.identity_network(1), net))
    assert fast == deep
    if force:
        assert fast
    rng = random.Random(n)
    if fast:
        for _ in range(10):
            x = [Fraction(rng.randint(-20, 20), rng.randint(1, 4)) for _ in range(n)]
            t = Fraction(rng.randint(-20, 20), 3)
            assert net([v + t for v in x]) == net(x) + t


def test_translation_reduction():
    """equal_symmetric(translation=True) on x_n = 0 agrees with the plain sorted cone;
    a symmetric side without the law is refused (it would agree on the reduced cone)."""
    from relugeom.depth.certificates import MAX5_EXAMPLE, certificate_network, load_certificate
    from relugeom.geometry.equality import equal_symmetric, is_translation_equivariant
    from relugeom.depth.maxfive import reference_max_network
    m5 = reference_max_network(5)
    f5 = certificate_network(load_certificate(MAX5_EXAMPLE))
    bad = certificate_network(load_certificate(MAX5_EXAMPLE.replace("1/80", "1/81")))
    # |L| = |R| in every term and the weights sum to 1: the law holds by structure
    assert equal_symmetric(f5, m5, check_symmetry=False, translation=True,
                           check_translation=False)
    assert not equal_symmetric(bad, m5, check_symmetry=False, translation=True,
                               check_translation=False)
    m2 = reference_max_network(2)
    assert is_translation_equivariant(m2)
    g = rg.ReLUNetwork([([[1, -1], [0, 1], [0, -1], [-1, 0], [0, -1]], [0] * 5),
                        ([[1, 1, -1, 1, 1]], [0])])       # max + relu(-x1) + relu(-x2)
    assert is_symmetric(g) and not is_translation_equivariant(g)
    from relugeom.networks.hinge import _on_hyperplane                # y -> f(y, 0)
    assert equal(_on_hyperplane(g), _on_hyperplane(m2), rg.polyhedra.Polyhedron([(1, 0)]))
    assert not equal_symmetric(g, m2)
    with pytest.raises(rg.DomainError, match="translation"):
        equal_symmetric(g, m2, translation=True)


# ------------------------------------------------------------------ structural form
def _relabelled(net, seed):
    """The same function: every hidden layer's units shuffled and scaled by positive
    rationals, the next layer's weights divided by the same scales."""
    rng = random.Random(seed)
    layers = [(list(map(list, W)), list(b)) for W, b in net.layers]
    for li in range(len(layers) - 1):
        W, b = layers[li]
        Wn, bn = layers[li + 1]
        order = list(range(len(W)))
        rng.shuffle(order)
        s = [Fraction(rng.randint(1, 5), rng.randint(1, 5)) for _ in order]
        layers[li] = ([[v * s[i] for v in W[i]] for i in order], [b[i] * s[i] for i in order])
        layers[li + 1] = ([[r[i] / s[i] for i in order] for r in Wn], bn)
    return rg.ReLUNetwork(layers)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.sampled_from([[2, 3, 1], [2, 3, 3, 1], [3, 2, 4, 2, 1]]))
def test_structural_form_is_invariant_and_sound(seed, dims):
    from relugeom.benchmarks.regions import random_network
    from relugeom.networks.hinge import structural_form
    net = random_network(dims, seed=seed % 1000)
    other = _relabelled(net, seed)
    assert structural_form(other) == structural_form(net)
    assert networks_equal(net, other, method="enumerate")        # independent route
    changed = rg.ReLUNetwork([*net.layers[:-1], (net.layers[-1][0],
                                                 [net.layers[-1][1][0] + 1])])
    assert structural_form(changed) != structural_form(net)


def test_certificate_networks_are_structurally_symmetric_and_decided_on_the_cone():
    from relugeom.depth.certificates import MAX5_EXAMPLE, certificate_network, load_certificate
    from relugeom.networks.hinge import structurally_symmetric
    good = certificate_network(load_certificate(MAX5_EXAMPLE))
    bad = certificate_network(load_certificate(MAX5_EXAMPLE.replace("1/80", "1/81")))
    assert structurally_symmetric(good) and structurally_symmetric(bad)
    assert is_symmetric(good)
    assert not networks_equal(good, bad)          # both symmetric: sorted-cone route
    assert networks_equal(good, _relabelled(good, 1))
    # a side that is not symmetric is never reduced to the cone
    lop = rg.ReLUNetwork([*good.layers[:-1], (good.layers[-1][0],
                                              [good.layers[-1][1][0]])])
    skew = permuted_network(lop, [1, 0, 2, 3, 4])
    assert networks_equal(skew, good)             # F is symmetric, so F o swap = F


def test_certificate_against_a_gadget_tree_max_decided_on_the_cone():
    """One side structurally symmetric, the other (smaller) side's symmetry decided
    exactly: the certificate network against the gadget-tree max network, both ways."""
    from relugeom.depth.certificates import MAX5_EXAMPLE, certificate_network, load_certificate
    from relugeom.depth.maxfive import reference_max_network
    good = certificate_network(load_certificate(MAX5_EXAMPLE))
    bad = certificate_network(load_certificate(MAX5_EXAMPLE.replace("1/80", "1/81")))
    m5 = reference_max_network(5)
    assert networks_equal(good, m5) and networks_equal(m5, good)
    assert not networks_equal(bad, m5) and not networks_equal(m5, bad)
    # a max network that is not symmetric: refused by its symmetry, checked by enumeration
    W, b = m5.layers[-1]
    skew = rg.ReLUNetwork([*m5.layers[:-1], (W, b)])
    skew = rg.sum_networks(skew, rg.ReLUNetwork([([[1, 0, 0, 0, 0]], [0]), ([[1]], [0])]))
    assert not is_symmetric(skew)
    assert not networks_equal(good, skew)
    assert not networks_equal(good, skew, method="enumerate")


def _symmetrised(net):
    """The sum of ``net`` over all permutations of its 3 inputs: structurally symmetric."""
    import itertools
    return rg.sum_networks(*[permuted_network(net, list(p))
                             for p in itertools.permutations(range(3))])


def _scaled(net, c):
    W, b = net.layers[-1]
    return rg.ReLUNetwork([*net.layers[:-1], ([[v * c for v in r] for r in W],
                                              [v * c for v in b])])


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.booleans())
def test_symmetric_side_route_agrees_with_enumeration(seed, same):
    from relugeom.benchmarks.regions import random_network
    from relugeom.networks.hinge import structurally_symmetric
    from relugeom.depth.maxfive import reference_max_network
    m3 = reference_max_network(3)
    r = random_network([3, 2, 2, 1], seed=seed % 997)
    a = _scaled(_symmetrised(rg.sum_networks(m3, r)), Fraction(1, 6))   # max + sym(r)/6
    assert structurally_symmetric(a)
    if same:       # the same symmetric function, smaller and not visibly symmetric
        b = rg.sum_networks(m3, _scaled(_symmetrised(r), Fraction(1, 6)))
        assert not structurally_symmetric(b) and b.size <= a.size
    else:
        b = rg.sum_networks(m3, r)
    assert networks_equal(a, b) == networks_equal(a, b, method="enumerate")
    assert networks_equal(b, a) == networks_equal(a, b)
    if same:
        assert networks_equal(a, b)

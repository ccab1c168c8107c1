"""Bakaev et al. (arXiv 2505.14338): max of five numbers with two hidden layers."""
import itertools
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.depth.maxfive import (max_of_five_formula, max_of_five_network,
                              reference_max_network, verify_max_of_five)

q = st.builds(Fraction, st.integers(-20, 20), st.integers(1, 6))


def test_shape():
    """The network has widths (25, 11): two hidden layers, positively homogeneous."""
    net = max_of_five_network()
    assert net.n_hidden_layers == 2 and net.depth == 3
    assert net.widths == (25, 11) and net.n_inputs == 5 and net.n_outputs == 1
    assert all(b == 0 for _, bs in net.layers for b in bs)          # positively homogeneous
    assert reference_max_network().n_hidden_layers == 3


@settings(max_examples=200, deadline=None)
@given(st.lists(q, min_size=5, max_size=5))
def test_values(x):
    """At every rational point the network, the formula and max agree exactly."""
    net = max_of_five_network()
    assert net(x) == max(x) == max_of_five_formula(x)


def test_ties_and_permutations():
    """Permutations of the inputs and ties among them leave the value max(x)."""
    net = max_of_five_network()
    for p in itertools.permutations([0, 1, 2, 3, 4]):
        assert net(list(p)) == 4
    for x in ([1, 1, 1, 1, 1], [2, 2, 0, 0, -1], [0, 0, 0, 0, 3], [-1, -1, -1, -1, -2]):
        assert net(x) == max(x)


def test_exact_identity_on_r5():
    """The network equals max on all of R^5, decided exactly."""
    assert verify_max_of_five()


def test_exact_identity_on_box_via_homogeneity():
    """Equality on a box implies equality on R^5 by positive homogeneity."""
    assert verify_max_of_five(box=True)


def test_checker_detects_a_perturbation():
    """A perturbed output weight makes the exact equality check fail."""
    net = max_of_five_network()
    layers = list(net.layers)
    W, b = layers[-1]
    row = list(W[0])
    row[0] += Fraction(1, 100)
    layers[-1] = ([row], b)
    assert not rg.regions.networks_equal(rg.ReLUNetwork(layers), reference_max_network())


def test_independent_cpwl_route():
    """The CPWL function built from the network's exact regions evaluates to max."""
    f = rg.CPWLFunction.from_network(max_of_five_network())
    rng = random.Random(5)
    for _ in range(50):
        x = [Fraction(rng.randint(-30, 30), rng.randint(1, 7)) for _ in range(5)]
        assert f(x) == max(x)


def test_verify_row():
    """The verify row is exact and true, with the paper's 2 hidden layers."""
    from relugeom.paper.checks.maxfive import max_of_five
    rows = max_of_five(False)
    assert rows and all(r.holds == "true" and r.method == "exact" for r in rows)
    assert rows[0].paper == "2 hidden layers"
    assert rows[0].computed == "equal on R^5 (exact)"


def test_depth_bounds_recomputed():
    """Gadget tree ceil(log2 n) vs Bakaev et al. ceil(log3(n-1)) + 1: equal at n = 5..8,
    the general bound first wins at n = 9."""
    import math
    from relugeom.depth.maxfive import hidden_layer_bounds
    for n in range(3, 40):
        tree, bak = hidden_layer_bounds(n)
        assert tree == math.ceil(math.log2(n)) or 2 ** (tree - 1) < n <= 2 ** tree
        assert 3 ** (bak - 2) < n - 1 <= 3 ** (bak - 1) or (n - 1 == 1)
    assert hidden_layer_bounds(5) == (3, 3)
    assert min(n for n in range(3, 40) if hidden_layer_bounds(n)[1] <
               hidden_layer_bounds(n)[0]) == 9
    gains = [n for n in range(3, 60) if hidden_layer_bounds(n)[1] < hidden_layer_bounds(n)[0]]
    assert gains == [9, 10] + list(range(17, 29)) + list(range(33, 60))


def test_depth_bounds_bad_n():
    import pytest
    import relugeom as rg
    from relugeom.depth.maxfive import hidden_layer_bounds
    with pytest.raises(rg.DomainError, match="n >= 3"):
        hidden_layer_bounds(2)
    with pytest.raises(rg.NotExactError, match="5.0"):
        hidden_layer_bounds(5.0)


def test_verify_row_certificate_route():
    """The verify rows include the certificate decided on the sorted cone."""
    from relugeom.paper.checks.maxfive import max_of_five
    rows = max_of_five(False)
    assert any("certificate" in r.parameters and r.holds == "true" for r in rows)

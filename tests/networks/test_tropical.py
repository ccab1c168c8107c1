"""Tropical form F - G: exact, irredundant, equal to the network."""
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.networks.tropical import prune, tropical

small = st.integers(-2, 2).map(Fraction)


@st.composite
def net(draw):
    n = draw(st.integers(1, 2))
    dims = [n] + [draw(st.integers(1, 3)) for _ in range(draw(st.integers(1, 2)))] + [1]
    return rg.ReLUNetwork([([[draw(small) for _ in range(a)] for _ in range(b)],
                            [draw(small) for _ in range(b)]) for a, b in zip(dims, dims[1:])])


@settings(max_examples=12, deadline=None)
@given(net(), st.integers(0, 10 ** 6))
def test_equals_network(f, seed):
    """F - G equals the network at exact random points and on all of R^n (regions)."""
    t = tropical(f)
    rng = random.Random(seed)
    for _ in range(20):
        x = [Fraction(rng.randint(-40, 40), rng.randint(1, 6)) for _ in range(f.n_inputs)]
        assert t(x) == f(x)
    assert t.verify(f)
    assert prune(t.F) == t.F and prune(t.G) == t.G


def test_prune_removes_redundant():
    """max(x, -x, 0) has the redundant monomial 0; max(x, x + 1) keeps only x + 1."""
    one, zero = Fraction(1), Fraction(0)
    assert prune([((one,), zero), ((-one,), zero), ((zero,), zero)]) == \
        (((-one,), zero), ((one,), zero))
    assert prune([((one,), zero), ((one,), one)]) == (((one,), one),)


def test_max_of_three_counts():
    """max(x1, x2, x3) through the gadget tree is tropical with 3 monomials in F - G
    after removing the common part (F has 3 more than G has)."""
    from relugeom.depth.maxfive import reference_max_network
    f = reference_max_network(3)
    t = tropical(f, check=True)
    assert t(["1/2", 3, -1]) == 3
    assert t.n_monomials[0] >= 3


def test_rg_tropical_is_callable():
    """rg.tropical(net) works although relugeom.networks.tropical is also the module; bad input is
    a typed error."""
    import pytest
    import relugeom.networks.tropical as mod
    f = rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    assert rg.tropical(f) == mod.tropical(f) == tropical(f)
    assert rg.tropical(f).n_monomials == (2, 1)
    with pytest.raises(rg.NotExactError, match="ReLUNetwork"):
        rg.tropical([[1]])
    with pytest.raises(rg.NotExactError, match="ReLUNetwork"):
        rg.simplified("net")
    assert rg.networks_equal(f, f)

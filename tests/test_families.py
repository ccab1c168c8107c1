"""Tests of relugeom.families: the hard functions and their networks."""
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import relugeom as rg
from relugeom import families as fam
from relugeom.errors import DomainError, NotExactError


@st.composite
def hard_params(draw, max_w=4, max_k=4):
    w = draw(st.integers(2, max_w))
    k = draw(st.integers(1, max_k))
    M = Fraction(draw(st.integers(1, 9)), draw(st.integers(1, 5)))
    ps = fam.random_hard_params(k, w, M, seed=draw(st.integers(0, 10 ** 6)),
                                max_denominator=draw(st.integers(w + 1, 60)))
    return ps, M


@given(hard_params())
@settings(max_examples=25)
def test_hard_function_equals_generic_composition(pm):
    """The dedicated builder equals rg.compose of the zig-zags exactly."""
    ps, M = pm
    zs = [fam.zigzag(a, M) for a in reversed(ps)]
    want = rg.compose(*zs) if len(zs) > 1 else zs[0]
    assert fam.hard_function(ps, M) == want


@given(hard_params())
@settings(max_examples=25)
def test_piece_counts_on_both_domains(pm):
    """H has w^k pieces on [0, M] and n_pieces_hard(w, k, 'R') on R."""
    ps, M = pm
    w, k = len(ps[0]) + 1, len(ps)
    H = fam.hard_function(ps, M)
    assert H.n_pieces_on(0, M) == w ** k == fam.n_pieces_hard(w, k)
    assert H.n_pieces == fam.n_pieces_hard(w, k, "R")


@given(hard_params(max_k=3), st.lists(st.fractions(-3, 12, max_denominator=50), min_size=1,
                                      max_size=4))
@settings(max_examples=20)
def test_network_agrees_with_function(pm, xs):
    """hard_network(ps, M)(x) == hard_function(ps, M)(x) at rational points."""
    ps, M = pm
    net, H = fam.hard_network(ps, M), fam.hard_function(ps, M)
    w, k = len(ps[0]) + 1, len(ps)
    assert net.widths == (w,) * k and net.size == w * k
    for x in xs:
        assert net(x) == H(x)


@given(st.integers(2, 6), st.integers(0, 10 ** 6))
def test_zigzag_network_size_w(w, seed):
    """zigzag_network has one hidden layer of exactly w units and equals zigzag."""
    a = fam.random_simplex_point(w - 1, 1, seed=seed)
    net = fam.zigzag_network(a, 1)
    assert net.widths == (w,) and net.to_pwl() == fam.zigzag(a, 1)


@given(st.integers(1, 8), st.integers(2, 40), st.integers(0, 10 ** 6))
def test_random_simplex_point_in_simplex(p, q, seed):
    """random_simplex_point lies in the open simplex and is reproducible by seed."""
    if q < p + 1:
        q = p + 1
    a = fam.random_simplex_point(p, 3, seed=seed, max_denominator=q)
    assert fam.check_simplex_point(a, 3) == a
    assert a == fam.random_simplex_point(p, 3, seed=seed, max_denominator=q)


def test_known_values():
    """Pinned values: sawtooth counts, zigzag values, H on R."""
    assert fam.sawtooth(3).n_pieces_on(0, 1) == 8
    assert [fam.sawtooth(k).n_pieces for k in (1, 2, 3)] == [3, 6, 10]
    t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)], left_slope=0)
    assert fam.sawtooth(4) == t @ t @ t @ t
    h = fam.zigzag(["1/3", "1/2"], 2)
    assert (h(0), h("1/3"), h("1/2"), h(2), h(3), h(-1)) == (0, 2, 0, 2, Fraction(10, 3), 0)
    assert fam.n_pieces_hard(2, 1, "R") == 3 and fam.n_pieces_hard(4, 3, "R") == 66
    assert fam.sawtooth_network(5).widths == (2,) * 5


@pytest.mark.parametrize("a,err,word", [
    (["1/2", "1/3"], DomainError, "a[0] = 1/2 >= a[1] = 1/3"),
    (["1/2", "1/2"], DomainError, "a[0] = 1/2 >= a[1] = 1/2"),
    ([0, "1/2"], DomainError, "a[0] = 0 <= 0"),
    (["1/2", 1], DomainError, "a[1] = 1 >= M = 1"),
    (["1/2", 0.75], NotExactError, "a[1]"),
])
def test_zigzag_rejects_outside_simplex(a, err, word):
    """A parameter outside the open simplex raises a typed error naming the entry."""
    with pytest.raises(err, match=word.replace("[", r"\[").replace("]", r"\]")):
        fam.zigzag(a, 1)


def test_hard_function_rejects_ragged_params():
    """All a^i must have the same length; the error names the offender."""
    with pytest.raises(DomainError, match=r"params\[1\] has 2"):
        fam.hard_function([["1/2"], ["1/3", "1/2"]], 1)
    with pytest.raises(DomainError, match=r"params\[1\]\[0\]"):
        fam.hard_function([["1/2"], ["3/2"]], 1)
    with pytest.raises(DomainError):
        fam.hard_function([], 1)
    with pytest.raises(ValueError):
        fam.zigzag(["1/2"], 0)


def test_size_limit_applies():
    """The max_pieces limit stops a too-large build before allocating."""
    with rg.limits(max_pieces=10), pytest.raises(rg.TooLargeError):
        fam.sawtooth(4)


def _brute_n_fractions(n):
    from math import gcd
    return sum(gcd(u, q) == 1 for q in range(2, n + 1) for u in range(1, q))


@given(st.integers(1, 250))
def test_n_fractions_matches_enumeration(n):
    """n_fractions(N) is the number of distinct fractions in (0, 1) with denominator <= N."""
    assert fam.n_fractions(n) == _brute_n_fractions(n)


def test_n_fractions_known_values():
    """Pinned: sum_{q=2}^{N} phi(q) for N = 100 and 10^6 (OEIS A002088 minus 1)."""
    assert fam.n_fractions(100) == 3043
    assert fam.n_fractions(10 ** 6) == 303963552391


def test_random_simplex_point_refuses_too_many_points():
    """Asking for more distinct fractions than exist raises, naming the count (no hang)."""
    with pytest.raises(DomainError, match="only 3043 fractions"):
        fam.random_simplex_point(3100, 1, seed=0, max_denominator=100)
    with pytest.raises(DomainError, match="only 9 fractions"):
        fam.random_simplex_point(10, 1, seed=0, max_denominator=5)


@pytest.mark.parametrize("p", [3043, 3042, 2000, 761, 760])
def test_random_simplex_point_near_the_available_count(p):
    """p up to every available fraction is drawn (without replacement), distinct, sorted."""
    a = fam.random_simplex_point(p, 1, seed=1, max_denominator=100)
    assert len(a) == p and fam.check_simplex_point(a, 1) == a
    if p == 3043:
        assert set(a) == {Fraction(u, q) for q in range(2, 101) for u in range(1, q)}


def test_random_simplex_point_large_denominators():
    """A huge max_denominator does not need an exact count to draw a few points."""
    a = fam.random_simplex_point(5, 1, seed=3, max_denominator=10 ** 15)
    assert len(a) == 5 and fam.check_simplex_point(a, 1) == a


@pytest.mark.parametrize("call", [
    lambda: fam.n_pieces_hard(2, True),
    lambda: fam.n_pieces_hard(True, 3),
    lambda: fam.random_simplex_point(True),
    lambda: fam.random_simplex_point(2, max_denominator=True),
    lambda: fam.n_fractions(True),
])
def test_bools_are_not_integers(call):
    """Booleans are refused where an integer count is expected; the message shows True."""
    with pytest.raises(DomainError, match="True"):
        call()


def test_hard_function_reduces_small_results_to_int64():
    """Below 10^5 points the breakpoints come back in lowest terms, int64 when they fit."""
    ps = fam.random_hard_params(6, 3, seed=1)      # unreduced, the shared denominator overflows
    H = fam.hard_function(ps)
    x = H._x
    assert x.lowest
    big = max(max(abs(int(v)) for v in x.num), max(int(v) for v in x.den))
    assert (x.num.dtype.kind == "i") == (big < 2 ** 62)
    assert x.num.dtype.kind == "i"
    assert H == rg.compose(*[fam.zigzag(a) for a in reversed(ps)])

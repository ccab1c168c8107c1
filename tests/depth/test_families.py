"""Tests of relugeom.depth.families: the hard functions and their networks."""
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


def test_hard_function_rejects_bad_params():
    """An entry outside the simplex or an empty a^i is refused, naming the offender."""
    with pytest.raises(DomainError, match=r"params\[1\] is empty"):
        fam.hard_function([["1/2"], []], 1)
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


@st.composite
def mixed_params(draw, max_w=4, max_k=4):
    """Parameters of zig-zags of different widths (Figure 2 composes such zig-zags)."""
    k = draw(st.integers(1, max_k))
    M = Fraction(draw(st.integers(1, 9)), draw(st.integers(1, 5)))
    ws = draw(st.lists(st.integers(2, max_w), min_size=k, max_size=k))
    seed = draw(st.integers(0, 10 ** 6))
    ps = [fam.random_simplex_point(w - 1, M, seed=seed + i, max_denominator=3 * w)
          for i, w in enumerate(ws)]
    return ps, M


@given(mixed_params())
@settings(max_examples=30)
def test_mixed_widths_equal_the_composition(pm):
    """Mixed widths: H equals rg.compose of the zig-zags, with prod(w_i) pieces on [0, M]
    and values alternating 0, M at its breakpoints; the network computes it too."""
    import math
    ps, M = pm
    zs = [fam.zigzag(a, M) for a in reversed(ps)]
    want = rg.compose(*zs) if len(zs) > 1 else zs[0]
    H = fam.hard_function(ps, M)
    assert H == want
    assert H.n_pieces_on(0, M) == math.prod(len(a) + 1 for a in ps)
    inside = [x for x in H.breakpoints if 0 <= x <= M]
    assert [H(x) for x in inside] == [M * (i % 2) for i in range(len(inside))]
    assert fam.hard_network(ps, M).to_pwl() == H


def test_mixed_widths_pinned():
    """Pinned: widths 2 then 4 give 8 pieces on [0, 1], flat (0) right of 1 since the
    first zig-zag has even width; widths 3, 2 give 6 and are flat right of 1 too; widths
    3 then 3 continue the last piece."""
    H = fam.hard_function([["1/2"], ["1/4", "1/2", "3/4"]])
    assert H.n_pieces_on(0, 1) == 8 and H(2) == 0
    G = fam.hard_function([["1/3", "2/3"], ["1/2"], ["1/4", "1/2"]])
    assert G.n_pieces_on(0, 1) == 18 and G(2) == 0 and G.right_slope == 0
    K = fam.hard_function([["1/3", "2/3"], ["1/3", "2/3"]])
    assert K.right_slope == 9 and K(2) == 10


@pytest.mark.parametrize("call", [
    lambda: fam.sawtooth(10 ** 9),
    lambda: fam.sawtooth(10 ** 6),
    lambda: fam.hard_function([("1/3", "2/3")] * 17, 1),
    lambda: fam.hard_function([("1/2",)] * 10 ** 6, 1),
    lambda: fam.n_pieces_hard(3, 10 ** 8),
    lambda: fam.n_fractions(10 ** 12),
    lambda: fam.sawtooth_network(10 ** 7),
    lambda: fam.random_hard_params(10 ** 9, 3),
])
def test_oversize_requests_refused_up_front(call):
    """Each of these would exhaust memory or hang; each is refused at once (H6, H7, C6)."""
    with pytest.raises(rg.TooLargeError):
        call()


def test_memory_limit_from_measured_bytes():
    """max_bytes stops a build whose estimated memory (measured ~110 bytes per piece, more
    for large denominators) is over it, even when the piece count is allowed."""
    ps = [("1/3", "2/3")] * 8                           # 6561 pieces, about 0.7 MB
    with rg.limits(max_bytes=10 ** 5), pytest.raises(rg.TooLargeError, match="max_bytes"):
        fam.hard_function(ps)
    assert fam._hard_bytes(fam._check_params(ps, Fraction(1)), Fraction(1), 3 ** 8) < 10 ** 6
    assert fam.hard_function(ps).n_pieces_on(0, 1) == 3 ** 8
    # huge denominators cost more per piece
    tiny = [[Fraction(1, 10 ** 40)]] * 4
    assert fam._hard_bytes(fam._check_params(tiny, Fraction(1)), Fraction(1), 16) > 16 * 200


def test_tiny_and_huge_parameters_stay_exact():
    """Denominators past int64 (C5): the builder switches to Python integers."""
    a, M = Fraction(1, 2 * 10 ** 30), Fraction(1, 10 ** 30)
    H = fam.hard_function([[a]] * 3, M)
    assert H == rg.compose(*[fam.zigzag([a], M)] * 3)
    assert H.n_pieces_on(0, M) == 8


@pytest.mark.parametrize("k,w,err", [(-1, 3, DomainError), (0, 3, DomainError),
                                     (1.5, 3, NotExactError), (2, 1, DomainError),
                                     (True, 3, NotExactError), ("2", 3, NotExactError)])
def test_random_hard_params_validates(k, w, err):
    """random_hard_params refuses bad k, w instead of returning [] or crashing (W9, C7)."""
    with pytest.raises(err):
        fam.random_hard_params(k, w)


def test_sawtooth_network_is_linear_in_k():
    """The chained build folds each output map once: k = 3000 builds quickly and computes
    the sawtooth (checked exactly at k = 6 against sawtooth(6))."""
    net = fam.sawtooth_network(3000)
    assert net.depth == 3001 and net.size == 6000
    assert fam.sawtooth_network(6).to_pwl() == fam.sawtooth(6)

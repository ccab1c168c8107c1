"""Tests of relugeom.depth.bounds."""
import math
from fractions import Fraction
import random

import pytest
import sympy
from hypothesis import given, strategies as st

import relugeom as rg
from relugeom import bounds
from relugeom.errors import DomainError


@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.integers(0, 10 ** 6))
def test_random_networks_within_lemma_d5(widths, seed):
    """A random network's pieces never exceed max_pieces(widths) (Lemma D.5)."""
    rng = random.Random(seed)
    dims = [1, *widths, 1]
    q = lambda: Fraction(rng.randint(-5, 5), rng.randint(1, 3))  # noqa: E731
    net = rg.ReLUNetwork([([[q() for _ in range(a)] for _ in range(b)], [q() for _ in range(b)])
                          for a, b in zip(dims, dims[1:])])
    assert net.to_pwl().n_pieces <= bounds.max_pieces(widths)


@given(st.integers(1, 8), st.integers(0, 40))
def test_best_widths_is_optimal(k, extra):
    """best_widths maximises Lemma D.5 over all width vectors with the same size (k <= 3)."""
    s = k + extra
    bw = bounds.best_widths(s, k + 1)
    assert sum(bw) == s and len(bw) == k and min(bw) >= 1
    if k <= 3 and s <= 20:
        import itertools
        best = max(bounds.max_pieces(c) for c in itertools.product(range(1, s + 1), repeat=k)
                   if sum(c) == s)
        assert bounds.max_pieces(bw) == best


@given(st.integers(1, 10 ** 6), st.integers(2, 7))
def test_min_size_exact_is_least_and_above_amgm(p, depth):
    """min_size_exact is the least integer size reaching p and is >= the AM-GM bound."""
    s = bounds.min_size_exact(p, depth)
    assert bounds.max_pieces_integer(s, depth) >= p
    if s > depth - 1:
        assert bounds.max_pieces_integer(s - 1, depth) < p
    assert s >= bounds.min_size(p, depth)


@given(st.integers(1, 12), st.integers(2, 5), st.integers(1, 12))
def test_gap_bound_is_lemma_d6_at_w_to_k(k, w, kp):
    """gap_lower_bound(k, w, k') == min_size(w^k, k'+1) exactly."""
    if kp > k:
        kp = k
    assert sympy.simplify(sympy.sympify(bounds.gap_lower_bound(k, w, kp)) -
                          sympy.sympify(bounds.min_size(w ** k, kp + 1))) == 0


def test_irrational_values_are_exact_and_floatable():
    """Irrational bounds are Surds, exact, convertible with float(), symbolic on request."""
    v = bounds.gap_lower_bound(3, 2, 2)
    assert isinstance(v, rg.Surd) and not v.is_rational
    assert math.isclose(float(v), 2 * math.sqrt(2) - 1)
    assert Fraction(18, 10) < v < Fraction(183, 100) and math.ceil(v) == 2
    assert bounds.gap_lower_bound(3, 2, 2, symbolic=True) == 2 * sympy.sqrt(2) - 1
    assert bounds.min_size(9, 3) == 2 and bounds.min_size(9, 3).as_fraction() == 2


# every real-valued bound: one return type whatever the arguments (issue 13)
_REAL_BOUNDS = [
    (lambda sym: bounds.min_size(9, 3, symbolic=sym), 2),                  # rational
    (lambda sym: bounds.min_size(10, 3, symbolic=sym), sympy.sqrt(10) - 1),
    (lambda sym: bounds.gap_lower_bound(4, 3, 2, symbolic=sym), 8),
    (lambda sym: bounds.gap_lower_bound(3, 2, 2, symbolic=sym), 2 * sympy.sqrt(2) - 1),
    (lambda sym: bounds.max_pieces_for_size(8, 3, symbolic=sym), 64),
    (lambda sym: bounds.max_pieces_for_size(sympy.root(2, 3), 3, symbolic=sym),
     sympy.root(4, 3)),
    (lambda sym: bounds.approximation_size_bound(2, 4, 1, 0, symbolic=sym), 4),
    (lambda sym: bounds.approximation_size_bound(2, 3, 2, 0, symbolic=sym), 2),
    (lambda sym: bounds.approximation_size_bound(3, 3, 2, 0, symbolic=sym),
     sympy.sqrt(Fraction(27, 2))),
    (lambda sym: bounds.corollary_3_4(3, symbolic=sym).shallow_min_size,
     sympy.Rational(79, 2)),
]


@pytest.mark.parametrize("call,value", _REAL_BOUNDS)
def test_real_bounds_have_one_type(call, value):
    """Rational or not, a real-valued bound is a Surd equal to the paper's formula;
    symbolic=True gives the same value as a sympy expression."""
    v, e = call(False), call(True)
    assert type(v) is rg.Surd
    assert isinstance(e, sympy.Expr) and sympy.simplify(e - value) == 0
    assert sympy.simplify(sympy.sympify(v) - value) == 0
    assert math.isclose(float(v), float(value), rel_tol=1e-12)


@given(st.lists(st.tuples(st.fractions(-5, 5, max_denominator=9),
                          st.fractions(-5, 5, max_denominator=9)), min_size=1, max_size=5),
       st.fractions(-5, 5, max_denominator=9))
def test_l1_distance_laws(pts, c):
    """l1_distance is symmetric, zero on itself, and matches the constant-shift formula."""
    xs = sorted({p[0] for p in pts})
    f = rg.PiecewiseLinear.from_points([(x, y) for x, (_, y) in zip(xs, pts)])
    g = rg.PiecewiseLinear.constant(c)
    assert bounds.l1_distance(f, g, -6, 6) == bounds.l1_distance(g, f, -6, 6)
    assert bounds.l1_distance(f, f, -6, 6) == 0
    assert bounds.l1_distance(f + c, f, -6, 6) == 12 * abs(c)


def test_l1_distance_sign_change():
    """A piece that crosses zero is split: int_{-1}^{3} |x| = 5."""
    x = rg.PiecewiseLinear.identity()
    assert bounds.l1_distance(x, 0 * x, -1, 3) == 5
    with pytest.raises(DomainError):
        bounds.l1_distance(x, x, 1, 1)


@pytest.mark.parametrize("w,k,p", [(2, 3, 1), (2, 4, 3), (3, 2, 4), (2, 5, 32), (3, 3, 5)])
def test_theorem_3_5_on_competitors(w, k, p):
    """The best explicit p-piece competitor's exact error is >= the Theorem 3.5 bound."""
    g, err = bounds.best_sawtooth_fit(w, k, p)
    assert g.n_pieces_on(0, 1) <= p
    assert err >= bounds.sawtooth_error_bound(w, k, p)


def test_known_values():
    """Pinned values of the bounds."""
    assert bounds.max_pieces([2, 2, 2]) == 48
    assert bounds.max_pieces_for_size(8, 3) == 64
    assert bounds.corollary_3_4(3).shallow_min_size == Fraction(79, 2)
    assert bounds.corollary_3_4(3).shallow_min_size_exact == 51
    assert bounds.corollary_3_3(4, "1/2").deep_size == 32
    assert bounds.sawtooth_error_bound(2, 4, 3) == Fraction(5, 32)
    with pytest.raises(DomainError):
        bounds.gap_lower_bound(2, 3, 3)


def test_max_pieces_for_irrational_sizes_is_exact():
    """(2s/k)^k is computed exactly for a sympy size; rational when it should be."""
    import sympy
    from relugeom.errors import NotExactError
    assert bounds.max_pieces_for_size(2 * sympy.sqrt(2), 3) == 8
    s = bounds.approximation_size_bound(3, 6, 3, Fraction(1, 16))
    assert bounds.max_pieces_for_size(s, 4) == Fraction(3 ** 6 * 3, 8)
    assert not isinstance(bounds.max_pieces_for_size(sympy.root(2, 3), 3), (int, Fraction))
    with pytest.raises(NotExactError):
        bounds.max_pieces_for_size(sympy.Float(1.5), 3)
    with pytest.raises(NotExactError):
        bounds.max_pieces_for_size(sympy.Symbol("x"), 3)


# ---------------------------------------------------------------- hostile inputs (issue 11)
@pytest.mark.parametrize("call", [
    lambda: bounds.best_widths(10 ** 12, 10 ** 9),
    lambda: bounds.max_pieces_integer(10 ** 12, 10 ** 5),
    lambda: bounds.max_pieces([3] * 10 ** 6),
    lambda: bounds.corollary_3_4(10 ** 4),
    lambda: bounds.corollary_3_3(2, 10 ** 6),
    lambda: bounds.gap_lower_bound(10 ** 9, 3, 1),
    lambda: bounds.gap_lower_bound_exact(10 ** 9, 3, 1),
    lambda: bounds.approximation_size_bound(2, 10 ** 9, 1, 0),
    lambda: bounds.max_pieces_for_size(10 ** 9, 10 ** 5),
    lambda: bounds.sawtooth_error_bound(2, 10 ** 8, 1),
    lambda: bounds.min_size(2 ** (2 ** 21), 3),
])
def test_oversize_bounds_refused_up_front(call):
    """Each would allocate a multi-megabit integer, a 10^9 list or hang in sympy (H7, C6);
    each is refused at once from a bit count."""
    with pytest.raises(rg.TooLargeError):
        call()


def test_min_size_exact_shortcut_for_deep_networks():
    """With k hidden layers of one unit, 2^k pieces: when p <= 2^k the least size is k
    (answered without forming 2^k), and it agrees with the search below that."""
    assert bounds.min_size_exact(10 ** 100, 10 ** 6) == 10 ** 6 - 1
    for p in range(1, 70):
        for depth in (2, 3, 5, 8):
            k = depth - 1
            s = bounds.min_size_exact(p, depth)
            assert bounds.max_pieces_integer(s, depth) >= p
            assert s == k or bounds.max_pieces_integer(s - 1, depth) < p


@pytest.mark.parametrize("call,err", [
    (lambda: bounds.max_pieces(None), rg.NotExactError),
    (lambda: bounds.max_pieces([1.5]), rg.NotExactError),
    (lambda: bounds.max_pieces([0]), rg.DomainError),
    (lambda: bounds.best_widths(-1, 3), rg.DomainError),
    (lambda: bounds.gap_lower_bound(2, 3, 3), rg.DomainError),
    (lambda: bounds.l1_distance(None, rg.PiecewiseLinear.identity(), 0, 1), rg.NotExactError),
    (lambda: bounds.l1_distance(rg.PiecewiseLinear.identity(), 3, 0, 1), rg.NotExactError),
    (lambda: bounds.corollary_3_3(4, 0.5), rg.NotExactError),
    (lambda: bounds.sawtooth_error_bound(2, True, 1), rg.NotExactError),
])
def test_bad_arguments_typed(call, err):
    """Wrong types and out-of-range values raise typed errors (C7)."""
    with pytest.raises(err):
        call()


def test_corollary_3_3_integer_route_matches_sympy():
    """The integer-arithmetic bound (k^eps an integer) equals the sympy form."""
    for k, e in ((2, 1), (3, 1), (4, "1/2"), (9, "1/2"), (8, "1/3"), (5, 2)):
        s = bounds.corollary_3_3(k, e)
        ee = rg.as_rational(e)
        direct = (sympy.Rational(1, 2) * sympy.Integer(k) **
                  (sympy.Integer(k) ** sympy.Rational(ee.numerator, ee.denominator) + 1) - 1)
        assert sympy.simplify(sympy.sympify(s.shallow_min_size) - direct) == 0

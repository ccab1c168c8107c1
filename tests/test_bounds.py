"""Tests of relugeom.bounds."""
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
    """Irrational bounds are sympy expressions convertible with float()."""
    v = bounds.gap_lower_bound(3, 2, 2)
    assert isinstance(v, sympy.Expr) and math.isclose(float(v), 2 * math.sqrt(2) - 1)
    assert bounds.min_size(9, 3) == 2


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

"""Laws and pinned values for PiecewiseLinear."""
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom import PiecewiseLinear as PL

fs = rst.piecewise_linears(max_breakpoints=5)
qs = rst.rationals(min_value=-20, max_value=20, max_denominator=30)


def brute(f, x):
    """Reference evaluation by linear interpolation on Fractions."""
    bx, by, s = f.breakpoints, f.values, f.slopes
    if not bx:
        return f.left_slope * x + f(0)
    if x <= bx[0]:
        return by[0] + (x - bx[0]) * s[0]
    for i in range(1, len(bx)):
        if x <= bx[i]:
            return by[i - 1] + (x - bx[i - 1]) * s[i]
    return by[-1] + (x - bx[-1]) * s[-1]


def test_pinned_example():
    """The README example: values, slopes and pieces."""
    f = PL.from_points([(0, 0), ("1/3", 1), (1, 0)], left_slope=0, right_slope=-3)
    assert f(Fraction(1, 2)) == Fraction(3, 4)
    assert f.breakpoints == (0, Fraction(1, 3), 1)
    assert f.slopes == (0, 3, Fraction(-3, 2), -3)
    assert f.n_pieces == 4 and f.n_pieces_on(0, 1) == 2 and f.n_pieces_on("1/2", 5) == 2
    assert f.n_pieces_on(None, 0) == 1


def test_canonical_form_merges_collinear_points():
    """Collinear neighbours merge, so equal functions compare and hash equal."""
    f = PL.from_points([(0, 0), (1, 1), (2, 2), (3, 0)])
    g = PL.from_points([(0, 0), (2, 2), (3, 0)], left_slope=1)
    assert f == g and hash(f) == hash(g)
    assert f.breakpoints == (2,)
    assert PL.from_points([(0, 1), (5, 1)]) == PL.constant(1)
    assert PL.from_points([(0, 1), (5, 11)]) == PL.affine(2, 1)


@pytest.mark.parametrize("pts,kind", [([(0, 0), (0, 1)], "repeated"),
                                      ([(1, 0), (0, 1)], "unsorted")])
def test_bad_breakpoints_are_named(pts, kind):
    """Unsorted or repeated breakpoints raise DomainError naming the pair."""
    with pytest.raises(rg.DomainError, match=kind):
        PL.from_points(pts)


def test_floats_and_bad_shapes_refused():
    """Floats raise NotExactError; a malformed point raises DimensionError."""
    with pytest.raises(rg.NotExactError, match="points\\[1\\].x"):
        PL.from_points([(0, 0), (0.5, 1)])
    with pytest.raises(rg.DimensionError):
        PL.from_points([(0, 0, 1)])
    with pytest.raises(rg.NotExactError):
        PL.identity() * 0.5
    with pytest.raises(rg.DomainError):
        PL.identity().n_pieces_on(1, 0)


def test_no_order_no_truth_value():
    """Functions have no < and no truth value; max() of functions raises."""
    f, g = PL.identity(), PL.constant(0)
    with pytest.raises(TypeError):
        max(f, g)
    with pytest.raises(TypeError):
        bool(f)
    with pytest.raises(TypeError):
        f(g)


def test_size_guard_raises_before_allocating():
    """An operation over the piece limit raises TooLargeError."""
    t = PL.from_points([(0, 0), ("1/2", 1), (1, 0)])
    with rg.limits(max_pieces=20):
        with pytest.raises(rg.TooLargeError, match="max_pieces=20"):
            t @ t @ t @ t @ t
    assert (t @ t @ t @ t @ t).n_pieces_on(0, 1) == 32


@given(fs, qs)
def test_call_matches_interpolation(f, x):
    """f(x) equals linear interpolation of its breakpoints and end slopes."""
    assert f(x) == brute(f, x)


@given(fs, fs, qs)
def test_compose_is_function_composition(f, g, x):
    """(f @ g)(x) == f(g(x))."""
    assert (f @ g)(x) == f(g(x))


@given(fs, fs, fs)
def test_compose_is_associative(f, g, h):
    """(f @ g) @ h == f @ (g @ h)."""
    assert (f @ g) @ h == f @ (g @ h)


@given(fs, fs, fs)
def test_composition_distributes_over_sums_on_the_right(f, g, h):
    """(f + g) @ h == f @ h + g @ h."""
    assert (f + g) @ h == f @ h + g @ h


@given(fs, fs, qs, qs)
def test_linear_operations_pointwise(f, g, x, c):
    """Sums, differences, scalar multiples and negation act pointwise."""
    assert (f + g)(x) == f(x) + g(x)
    assert (f - g)(x) == f(x) - g(x)
    assert (c * f)(x) == c * f(x) and (f * c)(x) == c * f(x)
    assert (-f)(x) == -f(x) and (f + c)(x) == f(x) + c and (c - f)(x) == c - f(x)


@given(fs, fs, fs, qs)
def test_max_min_laws(f, g, h, x):
    """maximum/minimum are pointwise, commutative, associative and absorbing."""
    assert rg.maximum(f, g)(x) == max(f(x), g(x))
    assert rg.minimum(f, g)(x) == min(f(x), g(x))
    assert rg.maximum(f, g) == rg.maximum(g, f)
    assert rg.maximum(rg.maximum(f, g), h) == rg.maximum(f, rg.maximum(g, h))
    assert rg.minimum(rg.minimum(f, g), h) == rg.minimum(f, rg.minimum(g, h))
    assert rg.maximum(f, rg.minimum(f, g)) == f
    assert rg.minimum(f, rg.maximum(f, g)) == f


@given(fs)
def test_relu_is_max_with_zero(f):
    """relu(f) == maximum(f, 0) == PiecewiseLinear.relu() @ f."""
    assert rg.relu(f) == rg.maximum(f, 0) == PL.relu() @ f


@given(fs, qs)
def test_canonical_form_is_unique(f, x):
    """Rebuilding from breakpoints plus an extra collinear point gives an equal function."""
    pts = list(zip(f.breakpoints, f.values))
    extra = (x, f(x))
    if all(p[0] != x for p in pts):
        pts = sorted(pts + [extra])
        g = PL.from_points(pts, left_slope=f.left_slope, right_slope=f.right_slope)
        assert g == f and hash(g) == hash(f)


@given(fs, fs)
def test_pieces_of_composition_bounded(f, g):
    """f @ g has at most (pieces of g) * (pieces of f) pieces... and at least 1."""
    h = f @ g
    assert 1 <= h.n_pieces <= g.n_pieces * f.n_pieces


@given(fs, st.lists(st.floats(-30, 30), max_size=10))
def test_float_evaluate_close_to_exact(f, xs):
    """evaluate (float) agrees with the exact value up to float rounding."""
    got = f.evaluate(np.array(xs))
    for x, y in zip(xs, got):
        want = float(f(Fraction(x)))
        assert abs(y - want) <= 1e-9 * (1 + abs(want))


def test_large_compose_against_fraction_reference():
    """A 2000-piece composition with big denominators agrees with pointwise evaluation."""
    import random
    rng = random.Random(5)
    xs = sorted({Fraction(rng.randint(-10**6, 10**6), rng.randint(1, 1000)) for _ in range(2000)})
    g = PL.from_points([(x, Fraction(rng.randint(-1000, 1000), rng.randint(1, 1000)))
                        for x in xs], left_slope=1, right_slope=-1)
    f = PL.from_points([(Fraction(k, 3), Fraction(rng.randint(-5, 5), rng.randint(1, 7)))
                        for k in range(-4, 4)], left_slope=2, right_slope="1/3")
    h = f @ g
    for x in [rng.choice(xs) + Fraction(rng.randint(-9, 9), 10**4) for _ in range(50)]:
        assert h(x) == f(g(x))
    k = g @ f
    for x in [Fraction(rng.randint(-2000, 2000), 500) for _ in range(50)]:
        assert k(x) == g(f(x))


def test_repr_round_trips_and_stays_short():
    """Short reprs evaluate back to the function; long ones are a one-line summary."""
    f = PL.from_points([(0, 0), ("1/3", 1), (1, 0)], left_slope=0, right_slope=-3)
    assert eval(repr(f), {"PiecewiseLinear": PL}) == f
    assert eval(repr(PL.affine("2/3", -1)), {"PiecewiseLinear": PL}) == PL.affine("2/3", -1)
    t = PL.from_points([(0, 0), ("1/2", 1), (1, 0)])
    assert repr(t @ t @ t @ t) == "<PiecewiseLinear, 16 pieces>"
    assert f._repr_latex_().startswith("$f(x) = \\begin{cases}")


def test_affine_and_float_edge_cases():
    """An affine function has one slope; evaluate maps nan to nan and +-inf to the limits."""
    assert PL.affine(2, 1).slopes == (2,) and PL.affine(2, 1).n_pieces == 1
    got = PL.relu().evaluate([float("nan"), float("-inf"), float("inf"), 1.0])
    assert np.isnan(got[0]) and got[1] == 0 and got[2] == np.inf and got[3] == 1
    assert PL.relu().evaluate(np.zeros((2, 3))).shape == (2, 3)

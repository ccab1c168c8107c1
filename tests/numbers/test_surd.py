"""Tests of relugeom.numbers.surd: exact numbers a r^(1/m) + b, checked against sympy."""
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import relugeom as rg
from relugeom.numbers.surd import Surd, iroot

rat = st.fractions(min_value=-50, max_value=50, max_denominator=12)
pos = st.fractions(min_value=Fraction(1, 12), max_value=200, max_denominator=12)


@st.composite
def surds(draw):  # noqa: ANN001, ANN201
    return Surd(draw(rat), draw(pos), draw(st.integers(1, 6)), draw(rat))


@given(st.integers(0, 10 ** 60), st.integers(1, 40))
def test_iroot_is_the_floor_root(n, m):
    """iroot(n, m) is the largest integer x with x^m <= n."""
    x = iroot(n, m)
    assert x ** m <= n < (x + 1) ** m


@settings(max_examples=200)
@given(surds(), rat)
def test_comparison_with_rationals_matches_sympy(s, q):
    """Comparisons with a rational agree with sympy's exact sign of s - q."""
    d = s.to_sympy() - sympy.Rational(q.numerator, q.denominator)
    sign = 0 if d == 0 else (1 if d > 0 else -1)
    assert (s > q, s == q, s < q) == (sign > 0, sign == 0, sign < 0)


@settings(max_examples=40)
@given(surds(), surds())
def test_comparison_of_two_surds_matches_sympy(x, y):
    """Surd-to-surd comparisons agree with sympy (exact minimal-polynomial zero test)."""
    d = sympy.nsimplify(x.to_sympy() - y.to_sympy())
    zero = d == 0 or sympy.minimal_polynomial(d, sympy.Symbol("z")).is_Symbol
    sign = 0 if zero else (1 if d > 0 else -1)
    assert (x > y, x == y, x < y) == (sign > 0, sign == 0, sign < 0)
    if x == y:
        assert hash(x) == hash(y)


@settings(max_examples=60)
@given(surds(), st.fractions(min_value=Fraction(1, 5), max_value=5, max_denominator=5))
def test_equal_values_in_other_radicals(s, c):
    """a r^(1/m) + b == (a c) (r / c^m)^(1/m) + b: equal, with equal hashes; moving b
    or the sign of a breaks equality."""
    t = Surd(s.a * c, s.r / c ** s.m, s.m, s.b)
    assert s == t and hash(s) == hash(t) and not s < t and s <= t
    if not s.is_rational:
        assert s != t + Fraction(1, 10 ** 30) and s != Surd(-s.a * c, s.r / c ** s.m, s.m,
                                                            s.b)


@settings(max_examples=100)
@given(surds())
def test_floor_ceil_and_float(s):
    """floor and ceil are the exact integer neighbours; float() is within rounding."""
    e = s.to_sympy()
    assert math.floor(s) == int(sympy.floor(e)) and math.ceil(s) == int(sympy.ceiling(e))
    assert math.isclose(float(s), float(e), rel_tol=1e-12, abs_tol=1e-12)


@given(surds(), rat)
def test_rational_arithmetic_is_exact(s, q):
    """Adding, subtracting and multiplying by rationals is exact."""
    e, qs = s.to_sympy(), sympy.Rational(q.numerator, q.denominator)
    for got, want in ((s + q, e + qs), (q - s, qs - e), (s * q, e * qs)):
        assert sympy.simplify(got.to_sympy() - want) == 0


def test_canonical_form_and_equal_radicals():
    """Perfect powers leave the radical; equal values in different radicals are equal."""
    assert Surd(1, 9, 4) == Surd(1, 3, 2) and repr(Surd(1, 9, 4)) == "3**(1/2)"
    assert Surd(3, 8, 3, -1) == 5 and Surd(3, 8, 3, -1).is_rational
    assert Surd(2, 2, 2) == Surd(1, 8, 2) and hash(Surd(2, 2, 2)) == hash(Surd(1, 8, 2))
    assert Surd(2, 2, 2) != Surd(1, 8, 3) and Surd(2, 2, 2) != Surd(-1, 8, 2)
    assert hash(Surd.rational(Fraction(7, 2))) == hash(Fraction(7, 2))
    assert {Surd.rational(3): "x"}[3] == "x"


def test_close_calls_are_decided_exactly():
    """Values closer than a double's resolution: the float filter defers to integers."""
    big = 10 ** 40
    s = Surd(1, big * big + 1, 2)        # sqrt(10^80 + 1), just above 10^40
    assert s > big and s < big + Fraction(1, 10 ** 39) and math.floor(s) == big
    assert Surd(1, 2, 2) != Fraction(14142135623730951, 10 ** 16)
    assert Surd(1, 2, 2) < Fraction(14142135623730951, 10 ** 16)
    huge = 10 ** 300                     # far beyond floats: balls at rising precision
    s = Surd(1, huge * huge + 1, 2)
    assert huge < s < huge + Fraction(1, 10 ** 299) and math.floor(s) == huge
    assert math.isinf(float(Surd(1, 10 ** 1001, 2)))
    deep = Surd(1, 2, 10 ** 6)           # 2^(1/10^6) = 1.00000069...
    assert 1 < deep < Fraction(1000001, 1000000) and math.ceil(deep) == 2
    assert Surd(1, 2, 10 ** 6) < Surd(1, 3, 10 ** 6)
    with pytest.raises(rg.DomainError, match="to_sympy"):
        Surd(1, 2, 2) - Surd(1, 3, 2)


def test_bad_input_is_typed():
    """Floats, non-positive radicands and bad degrees are refused with typed errors."""
    with pytest.raises(rg.NotExactError):
        Surd(0.5, 2, 2)
    with pytest.raises(rg.NotExactError):
        Surd(1, 2, 2) < 1.5
    with pytest.raises(rg.DomainError):
        Surd(1, -2, 2)
    with pytest.raises(rg.DomainError):
        Surd(1, 2, 0)
    with pytest.raises(rg.DomainError):
        Surd(1, 2, 2).as_fraction()
    assert Surd(1, 4, 2).as_fraction() == 2


@given(surds())
def test_json_round_trip(s):
    """A Surd serialises and reads back exactly."""
    back = rg.from_json(rg.to_json(s))
    assert type(back) is Surd and (back.a, back.r, back.m, back.b) == (s.a, s.r, s.m, s.b)


def test_json_refuses_malformed_surds():
    """Bad degrees, radicands and huge degrees are typed errors, never a hang."""
    import json
    good = json.loads(rg.to_json(Surd(1, 2, 3)))
    for key, value in (("m", 0), ("m", "3"), ("m", True), ("r", "-2"), ("m", 10 ** 18),
                       ("a", 0.5)):
        bad = dict(good, **{key: value})
        with pytest.raises(rg.SerializationError):
            rg.from_json(json.dumps(bad))


def test_huge_requests_refused_up_front():
    """A degree or radicand beyond the limits is a TooLargeError before any root."""
    with pytest.raises(rg.TooLargeError):
        Surd(1, 2, 10 ** 12)
    with pytest.raises(rg.TooLargeError):
        rg.bounds.gap_lower_bound(10 ** 9, 3, 10 ** 9 - 1)

"""The exactness gate and the array backend."""
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.numbers.arrays import RationalArray


def test_gate_accepts_exact_types():
    """Every exact input type converts to the same Fraction."""
    want = Fraction(3, 4)
    for x in (Fraction(3, 4), "3/4", "0.75",
              sympy.Rational(3, 4), Decimal("0.75")):
        assert rg.as_rational(x) == want
    assert rg.as_rational(np.int32(-5)) == -5
    assert type(rg.as_rational(7)) is Fraction


def test_gate_refuses_floats_with_both_exact_spellings():
    """A float is refused; the message shows Fraction(x) and the decimal string."""
    with pytest.raises(rg.NotExactError) as err:
        rg.as_rational(0.1)
    assert "Fraction(0.1)" in str(err.value) and '"0.1"' in str(err.value)
    assert isinstance(err.value, TypeError)
    assert rg.as_rational(0.5, exact_float=True) == Fraction(1, 2)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), "abc", "1/0", "nan"])
def test_gate_refuses_non_finite_and_garbage(bad):
    """NaN, infinities and malformed strings raise a ValueError naming the value."""
    with pytest.raises(ValueError):
        rg.as_rational(bad, exact_float=True)


@pytest.mark.parametrize("bad", [None, [1], True, sympy.Float(0.5), sympy.sqrt(2)])
def test_gate_refuses_other_types(bad):
    """Non-numbers, booleans and inexact sympy numbers raise NotExactError."""
    with pytest.raises(rg.NotExactError):
        rg.as_rational(bad)


big = st.integers(-(2**80), 2**80)
small = st.integers(-(2**20), 2**20)
fracs = st.builds(Fraction, st.one_of(big, small), st.integers(1, 2**70) | st.integers(1, 50))


@given(st.lists(fracs, max_size=20), st.lists(fracs, max_size=20), fracs)
def test_array_arithmetic_matches_fraction(a, b, c):
    """Elementwise array arithmetic agrees with Fraction arithmetic, int64 or not."""
    n = min(len(a), len(b))
    a, b = a[:n], b[:n]
    A, B = RationalArray.from_fractions(a), RationalArray.from_fractions(b)
    assert (A + B).to_fractions() == tuple(x + y for x, y in zip(a, b))
    assert (A - B).to_fractions() == tuple(x - y for x, y in zip(a, b))
    assert (A * B).to_fractions() == tuple(x * y for x, y in zip(a, b))
    assert (A * c + c).to_fractions() == tuple(x * c + c for x in a)
    assert list(A.lt(B)) == [x < y for x, y in zip(a, b)]
    assert list(A.cmp_scalar(c)) == [(x > c) - (x < c) for x in a]


@given(st.lists(fracs, max_size=30), st.lists(fracs, max_size=10))
def test_exact_sort_and_search(a, q):
    """argsort and searchsorted are exact, even where float shadows tie."""
    a = a + [x + Fraction(1, 2**200) for x in a[:3]]        # equal float shadows
    A = RationalArray.from_fractions(a)
    assert [a[i] for i in A.argsort()] == sorted(a)
    s = sorted(set(a))
    S = RationalArray.from_fractions(s)
    Q = RationalArray.from_fractions(q + s[:2])
    import bisect
    assert list(S.searchsorted(Q, "left")) == [bisect.bisect_left(s, x) for x in q + s[:2]]
    assert list(S.searchsorted(Q, "right")) == [bisect.bisect_right(s, x) for x in q + s[:2]]


@pytest.mark.parametrize("bad", ["1e-999999999", "٣", sympy.nan, sympy.oo, -sympy.oo,
                                 sympy.zoo])
def test_gate_refuses_huge_exponents_unicode_and_sympy_non_finite(bad):
    """Huge exponents, non-ASCII digits and sympy's nan/oo raise DomainError at once."""
    with pytest.raises(rg.DomainError):
        rg.as_rational(bad)


# ---------------------------------------------------------------- issue 11: short()
@settings(max_examples=60)
@given(st.integers(0, 4200), st.integers(0, 9), st.booleans())
def test_short_agrees_with_str_below_the_limit(k, lead, neg):
    """short(n) is str(n) while small, else its first and last 12 digits and the exact
    digit count, all checked against str (an independent route below 4,300 digits)."""
    from relugeom.numbers.rational import _int_from_digits, short
    n = (lead + 1) * 10 ** k + 12345 * k
    n = -n if neg else n
    s, t = short(n), str(n)
    if len(t.lstrip("-")) <= 36:
        assert s == t
    else:
        digits = t.lstrip("-")
        assert s == f"{'-' if neg else ''}{digits[:12]}...{digits[-12:]} ({len(digits)} digits)"
    assert _int_from_digits(t.lstrip("-")) == abs(n)
    assert rg.as_rational(t) == n


def test_short_never_hits_the_str_limit():
    from relugeom.numbers.rational import short
    for v in (10 ** 5000, -(3 ** 20000), Fraction(1, 7 ** 9000), 2 ** 3_000_000):
        assert len(short(v)) < 120
    assert short(10 ** 5000).endswith("(5001 digits)")
    assert "characters" in short("x" * 1000) and len(short("x" * 1000)) < 100


def test_exact_converts_arrays_element_by_element():
    import numpy as np
    from fractions import Fraction
    import relugeom as rg
    a = np.array([[0.1, -3.0], [2.5, 1e-30]])
    got = rg.exact(a)
    assert got == [[Fraction(v) for v in row] for row in a.tolist()]
    assert rg.exact(np.float32(0.1)) == Fraction(float(np.float32(0.1)))
    assert rg.exact([1, "1/3", (0.5,)]) == [1, Fraction(1, 3), [Fraction(1, 2)]]
    with pytest.raises(rg.RelugeomError, match=r"value\[1\]"):
        rg.exact([0.5, float("nan")])
    with pytest.raises(rg.NotExactError, match="dtype"):
        rg.exact(np.array(["a", "b"]))

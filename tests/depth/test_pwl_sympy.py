"""Tests of relugeom.depth.pwl_sympy: the sympy bridges (also re-exported by
relugeom.depth.symbolic)."""
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom import symbolic as sy
from relugeom.depth import pwl_sympy
from relugeom.errors import DomainError, NotExactError

x = sympy.Symbol("x")


@st.composite
def pwls(draw):
    xs = sorted(set(draw(st.lists(st.fractions(-5, 5, max_denominator=7), min_size=1,
                                  max_size=6))))
    pts = [(a, draw(st.fractions(-5, 5, max_denominator=7))) for a in xs]
    return rg.PiecewiseLinear.from_points(
        pts, left_slope=draw(st.fractions(-3, 3, max_denominator=4)),
        right_slope=draw(st.fractions(-3, 3, max_denominator=4)))


@given(pwls())
def test_sympy_round_trip(f):
    """pwl_from_sympy(pwl_to_sympy(f)) == f."""
    assert pwl_sympy.pwl_from_sympy(pwl_sympy.pwl_to_sympy(f)) == f


@given(pwls(), st.fractions(-6, 6, max_denominator=9))
def test_to_sympy_values(f, q):
    """The sympy Piecewise has the same value as f at rational points."""
    e = pwl_sympy.pwl_to_sympy(f, "x")
    v = e.subs(sympy.Symbol("x", real=True), sympy.Rational(q.numerator, q.denominator))
    assert Fraction(int(v.p), int(v.q)) == f(q)


def test_from_sympy_operations():
    """Max, Min, Abs, rational multiples and Piecewise convert exactly."""
    f = pwl_sympy.pwl_from_sympy(sympy.Max(0, x) - sympy.Min(x, 1) + sympy.Abs(x - 2) / 2)
    X = rg.PiecewiseLinear.identity()
    assert f == rg.relu(X) - rg.minimum(X, 1) + rg.maximum(X - 2, 2 - X) / 2
    pw = sympy.Piecewise((0, x < 0), (2 * x, x <= sympy.Rational(1, 2)), (2 - 2 * x, True))
    assert pwl_sympy.pwl_from_sympy(pw) == rg.families.zigzag(["1/2"], 1)


@pytest.mark.parametrize("expr,err", [
    (x ** 2, DomainError), (x * sympy.Max(x, 0), DomainError), (sympy.Float(0.5) * x,
                                                                   NotExactError),
    (sympy.sqrt(2) * x, NotExactError), (sympy.Piecewise((0, x < 0), (1, True)), DomainError),
    (x + sympy.Symbol("y"), DomainError), (sympy.sin(x), DomainError),
])
def test_from_sympy_rejects(expr, err):
    """Non-PWL or inexact expressions raise typed errors."""
    with pytest.raises(err):
        pwl_sympy.pwl_from_sympy(expr)


@settings(max_examples=25)
@given(rst.piecewise_linears(max_breakpoints=4))
def test_string_route_reads_the_relu_expansion(f):
    """f = f(0) + s_0 x + sum (s_{i+1} - s_i) relu(x - b_i) - relu terms at 0, written as a
    string, read back by the safe parser (never sympify) equals f exactly."""
    s, b = f.slopes, f.breakpoints
    terms = [f"({s[0]})*x"]
    terms += [f"({s[i + 1] - s[i]})*relu(x - ({b[i]}))" for i in range(len(b))]
    g = pwl_sympy.pwl_from_sympy(" + ".join(terms))
    assert g + (f(0) - g(0)) == f


def test_strings_are_never_evaluated(tmp_path):
    marker = tmp_path / "m"
    with pytest.raises(rg.DomainError):
        pwl_sympy.pwl_from_sympy(f"__import__('os').system('touch {marker}')")
    assert not marker.exists()


def test_bridges_re_exported_by_symbolic():
    """The old import path keeps working: relugeom.depth.symbolic re-exports the bridges."""
    assert sy.pwl_to_sympy is pwl_sympy.pwl_to_sympy
    assert sy.pwl_from_sympy is pwl_sympy.pwl_from_sympy

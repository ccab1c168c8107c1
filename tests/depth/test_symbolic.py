"""Tests of relugeom.depth.symbolic: sympy bridges and proofs."""
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings, strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom import symbolic as sy
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
    assert sy.pwl_from_sympy(sy.pwl_to_sympy(f)) == f


@given(pwls(), st.fractions(-6, 6, max_denominator=9))
def test_to_sympy_values(f, q):
    """The sympy Piecewise has the same value as f at rational points."""
    e = sy.pwl_to_sympy(f, "x")
    v = e.subs(sympy.Symbol("x", real=True), sympy.Rational(q.numerator, q.denominator))
    assert Fraction(int(v.p), int(v.q)) == f(q)


def test_from_sympy_operations():
    """Max, Min, Abs, rational multiples and Piecewise convert exactly."""
    f = sy.pwl_from_sympy(sympy.Max(0, x) - sympy.Min(x, 1) + sympy.Abs(x - 2) / 2)
    X = rg.PiecewiseLinear.identity()
    assert f == rg.relu(X) - rg.minimum(X, 1) + rg.maximum(X - 2, 2 - X) / 2
    pw = sympy.Piecewise((0, x < 0), (2 * x, x <= sympy.Rational(1, 2)), (2 - 2 * x, True))
    assert sy.pwl_from_sympy(pw) == rg.families.zigzag(["1/2"], 1)


@pytest.mark.parametrize("expr,err", [
    (x ** 2, DomainError), (x * sympy.Max(x, 0), DomainError), (sympy.Float(0.5) * x,
                                                                   NotExactError),
    (sympy.sqrt(2) * x, NotExactError), (sympy.Piecewise((0, x < 0), (1, True)), DomainError),
    (x + sympy.Symbol("y"), DomainError), (sympy.sin(x), DomainError),
])
def test_from_sympy_rejects(expr, err):
    """Non-PWL or inexact expressions raise typed errors."""
    with pytest.raises(err):
        sy.pwl_from_sympy(expr)


@pytest.mark.parametrize("w,k", [(2, 2), (2, 3), (3, 2)])
def test_family_proof(w, k):
    """The symbolic proof of w^k pieces succeeds, with w^k + 1 breakpoints."""
    pr = sy.prove_hard_family_pieces(w, k)
    assert pr.holds
    assert len(sy.symbolic_hard_breakpoints(w, k)[0]) == w ** k + 1


def test_symbolic_breakpoints_match_exact_builder():
    """Substituting gaps into the symbolic breakpoints gives the exact builder's points."""
    bps, syms = sy.symbolic_hard_breakpoints(3, 2)
    M, gaps = syms[0], syms[1:]
    vals = {M: 2, **dict(zip(gaps, [1, 2, 3, 4, 1, 1]))}
    a1 = (Fraction(2, 6) * 1, Fraction(2, 6) * 3)
    a2 = (Fraction(2, 6) * 4, Fraction(2, 6) * 5)
    H = rg.families.hard_function([a1, a2], 2)
    got = [Fraction(str(sympy.nsimplify(b.subs(vals)))) for b in bps]
    assert tuple(got[:-1]) == H.breakpoints and got[-1] == 2


def test_positivity_check_can_fail():
    """The positivity test rejects a difference that changes sign."""
    a, b = sympy.symbols("a b", positive=True)
    assert not sy._positive_rational(a - b, [a, b])
    assert sy._positive_rational((a + b) / (2 * a + b), [a, b])


def test_closed_form_proofs():
    """Corollary 3.4 and the minimum at k' = k are proved."""
    assert sy.prove_corollary_3_4().holds and sy.prove_gap_minimum().holds


@settings(max_examples=25)
@given(rst.piecewise_linears(max_breakpoints=4))
def test_string_route_reads_the_relu_expansion(f):
    """f = f(0) + s_0 x + sum (s_{i+1} - s_i) relu(x - b_i) - relu terms at 0, written as a
    string, read back by the safe parser (never sympify) equals f exactly."""
    s, b = f.slopes, f.breakpoints
    terms = [f"({s[0]})*x"]
    terms += [f"({s[i + 1] - s[i]})*relu(x - ({b[i]}))" for i in range(len(b))]
    g = sy.pwl_from_sympy(" + ".join(terms))
    assert g + (f(0) - g(0)) == f


def test_strings_are_never_evaluated(tmp_path):
    marker = tmp_path / "m"
    with pytest.raises(rg.DomainError):
        sy.pwl_from_sympy(f"__import__('os').system('touch {marker}')")
    assert not marker.exists()


def test_hard_family_induction_proves_for_every_w_and_k():
    """The induction proof holds and states its scope and steps (base, both branch
    parities, the count w * w^j = w^(j+1))."""
    pr = sy.prove_hard_family_induction()
    assert pr.holds and pr.scope.startswith("all w >= 2, k >= 1")
    assert any("even branch" in s for s in pr.steps) and any("odd branch" in s
                                                             for s in pr.steps)


@pytest.mark.parametrize("w,k,seed", [(2, 2, 0), (2, 4, 1), (3, 2, 2), (4, 2, 3), (3, 3, 4)])
def test_construction_matches_hard_function(w, k, seed):
    """The inside-out points are H's breakpoints, with values 0, M, 0, ... (exact)."""
    assert sy.construction_matches(w, k, seed=seed)

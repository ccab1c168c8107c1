"""Tests of relugeom.depth.symbolic: the symbolic proofs."""
from fractions import Fraction

import pytest
import sympy

import relugeom as rg
from relugeom import symbolic as sy


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

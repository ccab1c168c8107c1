"""The depth checks registered with relugeom.paper.verify all hold at default parameters."""
import dataclasses

import pytest
import sympy

from relugeom import bounds, verify
from relugeom.paper.checks import depth

NAMES = ["Theorem 3.2", "Telgarsky sawtooth", "Theorem 3.1", "Corollary 3.3",
         "Corollary 3.4", "Theorem 3.5", "Lemma D.6", "Symbolic proofs"]


@pytest.mark.parametrize("name", NAMES)
def test_depth_checks_hold(name):
    """Every row of the check is true or a documented erratum, and there is at least one."""
    rows = verify.run(only=name)
    assert rows
    assert all(r.holds in ("true", "erratum") for r in rows), [r for r in rows
                                                                if r.holds == "false"]
    assert all(r.note for r in rows if r.holds == "erratum")


def test_symbolic_rows_use_symbolic_method():
    """The symbolic proofs are reported with method 'symbolic'."""
    rows = verify.run(only="Symbolic proofs")
    assert {r.method for r in rows} == {"symbolic"}


def test_hard_family_domain_rows_are_true_with_the_domain_stated():
    """The pieces-of-H rows state the domain: the paper's w^k on [0,M] holds (no erratum)."""
    rows = [r for r in depth.theorem_3_2(False) if "domain stated" in r.claim]
    assert rows and all(r.holds == "true" and r.method == "exact" for r in rows)
    assert all("(on [0,M])" in r.paper and "on [0,M]" in r.computed and "on R" in r.computed
               for r in rows)


def test_hard_family_network_rows_are_exact_at_every_size():
    """Small H rows compare net.to_pwl() with H; large ones prove net == H by chain_equals
    (no point sampling left)."""
    rows = [r for r in depth.theorem_3_2(True) if "k layers of w units" in r.claim]
    for r in rows:
        w, k = (int(t.split("=")[1]) for t in r.parameters.split(", ")[:2])
        assert r.method == "exact" and r.holds == "true"
        if w ** k <= depth._EXACT_NET_PIECES:
            assert "net.to_pwl() == H" in r.note
        else:
            assert "chain_equals" in r.note
    assert sum("chain_equals" in r.note for r in rows) == 3


def test_chain_equals_rejects_a_perturbed_large_network():
    """One bias of one block changed: the 3^9-piece network no longer equals H."""
    from fractions import Fraction
    from relugeom.depth.families import hard_network, random_hard_params, zigzag
    ps = random_hard_params(9, 3, Fraction(2), seed=3)
    net = hard_network(ps, Fraction(2))
    zs = [zigzag(a, Fraction(2)) for a in ps]
    assert depth.chain_equals(net, zs)
    layers = [(W, list(b)) for W, b in net.layers]
    layers[4][1][1] += Fraction(1, 1000)
    assert not depth.chain_equals(type(net)(layers), zs)


@pytest.mark.parametrize("field,delta", [("deep_size", 1), ("shallow_min_size", 1),
                                         ("deep_hidden_layers", 1)])
def test_corollary_3_3_rows_can_fail(monkeypatch, field, delta):
    """A wrong deep size, layer count or shallow bound makes every Corollary 3.3 row false
    (the deep network is built and the bound recomputed, not restated)."""
    real = bounds.corollary_3_3

    def wrong(k, e):
        s = real(k, e)
        return dataclasses.replace(s, **{field: getattr(s, field) + delta})
    monkeypatch.setattr(bounds, "corollary_3_3", wrong)
    rows = depth.corollary_3_3(False)
    assert rows and all(r.holds == "false" for r in rows)


def test_theorem_3_5_competitor_rows_are_honest():
    """Rows that only test explicit competitors say so and are not labelled 'exact'."""
    rows = [r for r in depth.theorem_3_5(False) if "competitor" in r.claim]
    assert rows and all(r.method == "sampled" and "explicit competitors" in r.claim
                        for r in rows)


@pytest.mark.parametrize("eps", [sympy.Rational(1, 10 ** 12), sympy.sqrt(2) / 10 ** 12])
def test_theorem_3_5_threshold_is_compared_exactly(monkeypatch, eps):
    """A size threshold off by 10^-12 fails: the check uses ==, not a float tolerance."""
    real = bounds.approximation_size_bound
    monkeypatch.setattr(bounds, "approximation_size_bound",
                        lambda *a, **kw: real(*a, **kw) + eps)
    rows = [r for r in depth.theorem_3_5(False) if "threshold" in r.claim]
    assert rows and all(r.holds == "false" for r in rows)


def test_theorem_3_5_threshold_rows_hold_exactly():
    """Unperturbed: the printed formula equals the toolkit's threshold and the largest
    piece count at floor(s) units keeps the error at least delta."""
    rows = [r for r in depth.theorem_3_5(False) if "threshold" in r.claim]
    assert rows and all(r.holds == "true" and r.method == "exact" for r in rows)
    assert rows[0].computed == ("printed formula == the toolkit's threshold; size 8 (floor, "
                                ">= k'): <= 40 pieces at depth <= k'+1 (Lemma D.5), error >= "
                                "11/64 >= d")


def test_theorem_3_5_threshold_row_fails_on_a_wrong_piece_count(monkeypatch):
    """A Lemma D.5 count one too large at every size makes the threshold rows false."""
    real = bounds.max_pieces_integer
    monkeypatch.setattr(bounds, "max_pieces_integer", lambda s, d: 4 * real(s, d))
    rows = [r for r in depth.theorem_3_5(False) if "threshold" in r.claim]
    assert rows and all(r.holds == "false" for r in rows)

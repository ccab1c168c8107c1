"""Rows added for issue 12: verdicts and computed numbers pinned, and the checks behind
them shown able to fail."""
from fractions import Fraction as F

import pytest
from hypothesis import given, settings, strategies as st

import relugeom as rg
from relugeom import bounds, verify
from relugeom.paper.checks import approximation as ap
from relugeom.paper.checks import core, depth, regions as creg, statements
from relugeom.depth.families import hard_network, random_hard_params, zigzag
from relugeom.networks.network import ReLUNetwork
from relugeom.geometry.equality import networks_equal


# ------------------------------------------------------------------ Theorem 3.5 threshold
@pytest.fixture(scope="module")
def t35_rows():
    return ap.theorem_3_5_threshold(False)


def test_threshold_counterexamples_are_errata_with_exact_errors(t35_rows):
    """The issue's two networks: errors 15/62 and 63/254 below delta, thresholds 1 and 2."""
    ex = [r for r in t35_rows if "explicit counterexample" in r.claim]
    assert [r.holds for r in ex] == ["erratum", "erratum"]
    assert "exact error 15/62 < d" in ex[0].computed and "threshold 1" in ex[0].parameters
    assert "exact error 63/254 < d" in ex[1].computed and "threshold 2" in ex[1].parameters
    assert "size 1" in ex[0].computed and "size 2" in ex[1].computed


def test_threshold_search_finds_counterexamples(t35_rows):
    """The search itself (not seeded with the answers) beats delta in both cases."""
    found = [r for r in t35_rows if "search over 1-hidden-layer" in r.claim]
    assert len(found) == 2 and all(r.holds == "erratum" for r in found)
    assert all("< d" in r.computed for r in found)
    assert "no output bias" in found[1].computed


def test_corrected_statement_row_holds(t35_rows):
    corr = [r for r in t35_rows if r.claim.startswith("Theorem 3.5 corrected")]
    assert len(corr) == 1 and corr[0].holds == "true" and "(292 pairs)" in corr[0].parameters


def test_search_result_is_exact_and_respects_the_corrected_bound():
    """The returned error is the exact L1 distance of the returned function, and no
    1-unit function beats the corrected bound (1/4)(1 - 2*2/16) = 3/16."""
    f = ap.equispaced_sawtooth(2, 4)
    g, err = ap.best_fit_search(f, 1, "left")
    assert err == bounds.l1_distance(f, g, 0, 1)
    assert err >= ap.corrected_error_bound(2, 4, 1, 4) == F(3, 16)
    net = ap.one_layer_network(g)
    assert net.size == 1 and bounds.l1_distance(net.to_pwl(), f, 0, 1) == err


def test_one_layer_network_without_bias_has_zero_output_bias():
    g = rg.PiecewiseLinear.from_points([(F(1, 2), F(1))], left_slope=0, right_slope=-3)
    net = ap.one_layer_network(g, output_bias=False)
    assert net.layers[-1][1] == (0,) and net.to_pwl() == g and net.size == 2


def test_corrected_pieces_values():
    """max over <= min(k', s) layers of the integer D.5 count."""
    assert ap.corrected_pieces(1, 4) == 2
    assert ap.corrected_pieces(2, 6) == 4
    assert ap.corrected_pieces(4, 2) == bounds.max_pieces_integer(4, 3) == 12


@settings(max_examples=20)
@given(st.integers(1, 6), st.integers(1, 30))
def test_corrected_pieces_bounded_by_amgm_when_s_at_least_kprime(kp, extra):
    s = kp + extra - 1
    assert ap.corrected_pieces(s, kp) <= F(2 * s, kp) ** kp


def test_l1_on_unit_matches_l1_distance():
    f = ap.equispaced_sawtooth(3, 2)
    xs = [F(0), F(1, 3), F(5, 7), F(1)]
    vs = [F(1, 2), F(0), F(1), F(1, 4)]
    g = rg.PiecewiseLinear.from_points(list(zip(xs, vs)))
    fx = [F(0), *(b for b in f.breakpoints if 0 < b < 1), F(1)]
    assert ap.l1_on_unit(fx, f.evaluate_exact(fx), xs, vs) == bounds.l1_distance(f, g, 0, 1)


# ------------------------------------------------------------------ chain_equals
def test_chain_equals_proves_deep_networks_equal_to_their_zigzags():
    ps = random_hard_params(6, 3, seed=5)
    net = hard_network(ps)
    zs = [zigzag(a, 1) for a in ps]
    assert depth.chain_equals(net, zs)
    wrong = [list(a) for a in ps]
    wrong[2][0] = wrong[2][0] / 2
    assert not depth.chain_equals(net, [zigzag(a, 1) for a in wrong])
    assert not depth.chain_equals(net, zs[:-1])


def test_chain_equals_needs_rank_one_interfaces():
    net = ReLUNetwork([([[1], [1]], [0, F(-1, 2)]), ([[1, 0], [0, 1]], [0, 0]),
                       ([[1, 1]], [0])])
    h = zigzag([F(1, 2)], 1)
    assert not depth.chain_equals(net, [h, h])


def test_corollary_rows_evaluate_the_deep_networks():
    rows = depth.corollary_3_3(False)
    k9 = [r for r in rows if r.parameters.startswith("k=9")]
    assert k9 and k9[0].holds == "true" and k9[0].method == "exact"
    assert "equal to H (exact, layer by layer)" in k9[0].computed
    deep = [r for r in depth.corollary_3_4(False) if "itself" in r.claim]
    assert deep[0].holds == "true" and "equal to H" in deep[0].computed


# ------------------------------------------------------------------ Lemma D.4, D.5
def test_lemma_d4_rows_exact_on_rn():
    rows = [r for r in core.combinators(False) if r.claim.startswith("Lemma D.4")]
    assert [r.parameters for r in rows] == ["n=1, m=3", "n=2, m=3", "n=3, m=2"]
    assert all(r.holds == "true" and "equal on R^" in r.computed for r in rows)


def test_lemma_d4_reference_network_detects_a_wrong_map():
    W, b = [[2, -1], ["1/3", 0]], [1, 0]
    aff = rg.network.affine_network(W, b)
    assert networks_equal(aff, core._coordinate_network(W, b), method="enumerate")
    assert not networks_equal(aff, core._coordinate_network([[2, -1], ["1/3", 1]], b),
                              method="enumerate")


def test_lemma_d5_rows_reach_the_true_maxima():
    """Exhaustive for two hidden layers: 7 for (2, 2) and (3, 1) (7 is the maximum for
    (3, 1)); the known sharper bound is cited; the 3-layer search is labelled sampled."""
    rows = core.lemma_d5(False)
    assert all(r.holds == "true" for r in rows)
    assert [r.computed.split(" (")[0] for r in rows[:2]] == ["maximum 7", "maximum 7"]
    assert all(r.method == "exact" and "exhaustive" in r.claim for r in rows[:2])
    assert "prod(w_i+1) = 9" in rows[0].computed and rows[0].paper == "<= 12"
    assert all("Serra, Tjandraatmadja, Ramalingam" in r.note for r in rows)
    assert rows[2].method == "sampled" and "a lower bound" in rows[2].computed
    assert "prod(w_i+1) = 60" in rows[2].computed and "zig-zag chain 26" in rows[2].computed


def test_piece_search_witness_networks():
    """The returned networks have exactly the reported counts; a wider first layer gives
    more; the search refuses widths it cannot finish."""
    from relugeom.depth.piece_search import max_pieces_two_layers
    from relugeom.errors import TooLargeError
    r = max_pieces_two_layers(2, 2)
    assert r.pieces == r.network.to_pwl().n_pieces == 7 and r.network.widths == (2, 2)
    assert max_pieces_two_layers(1, 1).pieces == 3 == (1 + 1) * (1 + 1) - 1
    assert max_pieces_two_layers(2, 1).pieces == 5
    with pytest.raises(TooLargeError):
        max_pieces_two_layers(9, 1)


def test_audit_networks_with_seven_pieces():
    """The audit's explicit 7-piece networks: the exhaustive maximum is not below them."""
    a = ReLUNetwork([([[1], [1], [-1]], [0, -2, 4]), ([[-3, 2, -2]], [9]), ([[1]], [0])])
    b = ReLUNetwork([([["-12/5"], ["7/4"]], [-11, -1]),
                     ([["-8/3", "-3/2"], [-6, "-1/2"]], [2, "7/4"]), ([[-1, 2]], [0])])
    assert a.to_pwl().n_pieces == 7 and b.to_pwl().n_pieces == 7


# ------------------------------------------------------------------ zonotopes
def test_lemma_3_7_second_route_vertices():
    """The LP vertex enumeration agrees with the fan on a square and a hexagon, and
    with a zero generator."""
    assert len(creg.lp_vertices([(1, 0), (0, 1)])) == 4
    assert len(creg.lp_vertices([(1, 0), (0, 1), (1, 1)])) == 6
    assert len(creg.lp_vertices([(1, 0), (0, 0), (0, 1)])) == 4
    assert len(creg.lp_vertices([(1, 0), (2, 0)])) == 2


def test_proposition_3_8_counts_on_the_domain():
    """One convention: the count on {gamma_Z <= M} is 2 x the paper's (the factor-2
    erratum alone); the R^2 count (with the outer region) is given beside it."""
    rows = [r for r in creg.prop_3_8(False) if "pieces of ZONOTOPE" in r.claim]
    assert [r.holds for r in rows] == ["erratum", "erratum"]
    assert rows[0].computed.startswith("16 on {gamma_Z <= M} = 4 vertices x 4 (= 2 x 8)")
    assert "17 on R^2" in rows[0].computed
    assert rows[1].computed.startswith("32 on {gamma_Z <= M}") and "33 on R^2" in rows[1].computed


def test_degenerate_zonotopes_are_errata_with_the_counts():
    rows = [r for r in creg.zonotope_vertices(False) if "degenerate" in r.claim]
    assert [r.holds for r in rows] == ["erratum"] * 3
    assert [r.computed.split(";")[0] for r in rows] == ["6 > 4", "4 > 3", "12 > 7"]


def test_random_zonotopes_are_generic_and_texts_computed():
    rows = [r for r in creg.zonotope_vertices(True) if "general position" in r.claim]
    assert all(r.holds == "erratum" for r in rows)
    n2m9 = [r for r in rows if r.parameters.startswith("n=2, m=9")][0]
    assert n2m9.computed == "18 (= 2 x 9)"


def test_generic_zonotope_draw_is_generic():
    import random
    rng = random.Random(3)
    for n, m in ((2, 9), (3, 5)):
        Z, draws = creg._generic_zonotope(rng, n, m)
        assert Z.is_generic() and draws >= 1 and Z.n_vertices == Z.general_position_count


# ------------------------------------------------------------------ symbolic
def test_symbolic_rows_say_what_is_machine_checked():
    rows = depth.symbolic_proofs(False)
    every = [r for r in rows if "every k, w <= W" in r.claim]
    assert len(every) == 1 and every[0].holds == "true" and every[0].method == "symbolic"
    assert "2 <= w <= 5" in every[0].computed and "prose induction" in every[0].note
    fixed = [r for r in rows if "fixed w and k" in r.claim]
    assert len(fixed) == 2 and all(r.holds == "true" for r in fixed)
    assert all("alternates 0, M" in r.note and "affine" in r.note for r in fixed)


# ------------------------------------------------------------------ statements
@pytest.fixture(scope="module")
def st_rows():
    return statements.statements(False)


def test_definition_3_two_readings(st_rows):
    row = st_rows[0]
    assert row.holds == "true" and "n_pieces 6" in row.computed and row.source == "toolkit"
    assert "n_pieces_connected 5" in row.computed
    assert "recounted from the region polygons: 6 and 5" in row.computed
    R = rg.linear_regions(statements.min_network_pair())
    assert (R.n_pieces, R.n_pieces_connected) == (6, 5)


def test_pieces_connected_equals_pieces_when_no_point_contacts():
    net = ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    R = rg.linear_regions(net)
    assert R.n_pieces == R.n_pieces_connected == 4


def test_statement_verdicts(st_rows):
    by = {}
    for r in st_rows:
        by.setdefault(r.claim.split(":")[0], []).append(r.holds)
    assert by["Theorem 4.1 running time"] == ["true"]
    assert by["Theorem 3.9 (iii)"] == ["erratum"]
    assert set(by["Lemma B.1"]) == {"true"} and by["Figure 4"] == ["true"]
    assert by["Theorem 2.3"] == ["true"] and by["Theorem 2.3 with q = inf"] == ["erratum"]
    assert not any("1-D size bounds" in r.claim for r in st_rows)


def test_theorem_2_3_q_inf_erratum(st_rows):
    """The exact witness: sup distance 1/2 at every N while the L1 error -> 0."""
    row = [r for r in st_rows if r.claim.startswith("Theorem 2.3 with q = inf")][0]
    assert row.holds == "erratum" and row.method == "exact"
    assert row.computed.startswith("sup errors 1/2, 1/2, 1/2")
    assert "L1 errors 1/4, 1/16, 1/64" in row.computed and "1 <= q < inf" in row.note
    g = rg.PiecewiseLinear.from_points([(F(-1, 8), 0), (F(1, 8), F(1, 4)), (F(1), F(1, 4)),
                                        (F(9, 8), 0)], left_slope=0, right_slope=0)
    assert statements._sup_error_indicator(g) == F(7, 8)      # 1 - g(0) = 1 - 1/8


def test_theorem_2_3_lq_row(st_rows):
    """The L^q reading: exact errors 1/(6N^2), 1/(4N^2) of the interpolating networks."""
    row = [r for r in st_rows if r.claim.startswith("Theorem 2.3: L^q")][0]
    assert row.holds == "true" and row.method == "exact"
    assert "N=16: size 17, L1 1/1536, sup 1/1024" in row.computed
    assert row.computed.endswith("at every N: yes")


def test_poly_integral_against_sympy():
    import sympy
    x = sympy.Symbol("x")
    p = [F(1, 3), F(-2), F(5, 7), F(4)]
    want = sympy.integrate(sum(sympy.Rational(c.numerator, c.denominator) * x ** i
                               for i, c in enumerate(p)), (x, sympy.Rational(-1, 2), 3))
    got = statements._poly_integral(p, F(-1, 2), F(3))
    assert sympy.Rational(got.numerator, got.denominator) == want
    assert statements._poly_mul([F(1), F(1)], [F(-1), F(1)]) == [F(-1), F(0), F(1)]


def test_figure_2_mixed_widths(st_rows):
    """h_{a^1} (w=2) inside h_{a^2} (w=3): 2, 3 -> 6 pieces, 3 on each inner piece."""
    rows = [r for r in st_rows if r.claim.startswith("Figure 2")]
    assert len(rows) == 2 and all(r.holds == "true" and r.method == "exact" for r in rows)
    assert rows[0].parameters == "a1=['1/2'], a2=['1/3', '2/3'], M=1"
    assert all("2, 3 -> 6; per inner piece [3, 3]; copies: yes" in r.computed for r in rows)


def test_figure_2_row_can_fail(monkeypatch):
    """A wrong H (a small bump on the first inner piece) makes the Figure 2 row false."""
    import relugeom.depth.families as fam
    real = fam.hard_function

    bump = rg.PiecewiseLinear.from_points([(F(0), 0), (F(1, 8), F(1, 50)), (F(1, 4), 0)],
                                          left_slope=0, right_slope=0)

    def wrong(params, M=1):
        return real(params, M) + bump
    monkeypatch.setattr(fam, "hard_function", wrong)
    rows = statements._figure_2(__import__("random").Random(0), False)
    assert rows[0].holds == "false"


def test_running_time_row_numbers(st_rows):
    """True for n >= 2 as the paper states; n = 1 and D = 1 are named in the note."""
    row = [r for r in st_rows if r.claim.startswith("Theorem 4.1")][0]
    assert row.computed.startswith("0 failures") and "D^2 - D + 2 <= D^2: yes" in row.computed
    assert "(30 cases on the range)" in row.note and "(3 cases with n >= 2)" in row.note


def test_skips_are_stated():
    names = [n for n, _ in verify.skipped(full=True)]
    assert "Theorem 2.1" in names and names.count("Statements") == 1
    assert "Theorem 2.1" not in [n for n, _ in verify.skipped(full=False)]


def test_progress_lines_on_stderr(capsys):
    verify.run(only="Statements", progress=True)
    err = capsys.readouterr().err
    assert "verify [1/1] Statements: 13 rows (11 true, 2 erratum)" in err
    assert err.count("skipping part of Statements") == 1


def test_pieces_bound_rows_hold_against_searched_fits(t35_rows):
    rows = [r for r in t35_rows if "(searched g)" in r.claim]
    assert [r.parameters for r in rows] == ["w=2, k=4, p=3", "w=3, k=2, p=4"]
    assert all(r.holds == "true" for r in rows)
    assert rows[0].paper == ">= 5/32 ~ 0.1562"

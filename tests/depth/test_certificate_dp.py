"""The subset programme for MAX_n certificates against independent routes.

Routes: the injection route (``sorted_cone_form``, relugeom up to ae34435), every
permutation in pure Python (``decide_reference``), every order vectorised
(``orders_form``), and F from its definition at rational points (``evaluate_literal``).
"""
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relugeom.depth.certificate_dp import (
    cone_coefficients,
    evaluate_sorted,
    term_linear,
    term_words,
)
from relugeom.depth.certificate_orders import evaluate_literal
from relugeom.depth.certificates import (
    Certificate,
    decide,
    decide_reference,
    evaluate,
    orders_form,
    published,
    sorted_cone_form,
)


def _random_terms(rng, n, terms=3, pairs=3, num=5, den=9):
    out = []
    for _ in range(rng.randint(1, terms)):
        L = tuple((rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(1, pairs)))
        R = tuple((rng.randrange(n), rng.randrange(n)) for _ in range(rng.randint(1, pairs)))
        out.append((Fraction(rng.randint(-num, num), rng.randint(1, den)), L, R))
    return out


def _relabel(term, perm):
    c, L, R = term
    return (c, tuple((perm[a], perm[b]) for a, b in L), tuple((perm[a], perm[b]) for a, b in R))


@st.composite
def certificates(draw):
    """Random small certificates, about half of them true: a true base (max(max(x1,x2),
    max(x3,x4)) on n = 4, max(max(x1,x2), x_n) on n = 2, 3, or the published n = 5) plus
    pairs of terms
    that cancel (t and -t relabelled: F sums over S_n, so a relabelled term is the same
    function), or plain random terms (false almost always)."""
    rng = random.Random(draw(st.integers(0, 2 ** 32)))
    kind = draw(st.sampled_from(["true4", "true1", "true5", "random"]))
    if kind == "true4":
        n, base = 4, [(Fraction(1, 24), ((0, 1),), ((2, 3),))]
    elif kind == "true1":
        n = rng.randint(2, 3)            # max(max(x1, x2), x_n) summed over S_n: n! max
        base = [(Fraction(1, 2), ((0, 1),), ((0, 1),))] if n == 2 else \
            [(Fraction(1, 6), ((0, 1),), ((2, 2),))]
    elif kind == "true5":
        n, base = 5, list(published(5).terms)
    else:
        n, base = rng.randint(2, 6), _random_terms(rng, rng.randint(2, 6))
        n = max(n, 1 + max(v for _, L, R in base for p in L + R for v in p))
    terms = list(base)
    for _ in range(rng.randint(0, 2)):
        t = _random_terms(rng, n, terms=1)[0]
        perm = list(range(n))
        rng.shuffle(perm)
        terms += [t, _relabel((-t[0], t[1], t[2]), perm)]
    if draw(st.booleans()) and kind != "random":      # break it a little
        c, L, R = terms[0]
        terms[0] = (c + Fraction(1, rng.randint(1, 10 ** 6)), L, R)
    rng.shuffle(terms)
    return Certificate(n, tuple(terms))


@settings(max_examples=1200, deadline=None)
@given(certificates())
def test_decision_against_enumeration(cert):
    """Over a thousand small certificates, true and false: the subset programme's form
    is the one summed over every order (n <= 6); a false one gets a point with distinct
    coordinates where F, from its definition (all n! permutations), is not max."""
    form = cone_coefficients(cert.n, cert.terms)
    enum = orders_form(cert)
    assert form.linear == enum.linear and form.hinges == enum.hinges
    res = decide(cert)
    assert res.holds == (not enum.hinges and enum.linear == tuple(
        Fraction(int(i == 0)) for i in range(cert.n)))
    if not res.holds:
        x = res.counterexample
        assert len(set(x)) == cert.n
        assert evaluate_literal(cert, x, full=True) == res.value != max(x)


@settings(max_examples=60, deadline=None)
@given(certificates())
def test_verdict_against_pure_python_permutations(cert):
    """The verdict equals the pure-Python enumeration of every permutation."""
    assert decide(cert, counterexample=False).holds == decide_reference(cert)


@settings(max_examples=200, deadline=None)
@given(certificates(), st.integers(0, 2 ** 32))
def test_evaluation_against_literal_sum(cert, seed):
    """F at rational points (ties included) from the rows equals the literal n! sum."""
    rng = random.Random(seed)
    pts = [[Fraction(rng.randint(-9, 9), rng.randint(1, 4)) for _ in range(cert.n)]
           for _ in range(3)]
    got = evaluate_sorted(cert.n, cert.terms, pts)
    assert got == [evaluate_literal(cert, p, full=True) for p in pts]


def test_many_random_certificates_against_injection_route():
    """600 random certificates (n = 2..7, up to 4 pairs a side): same canonical form."""
    rng = random.Random(22)
    for _ in range(600):
        n = rng.randint(2, 7)
        cert = Certificate(n, tuple(_random_terms(rng, n, terms=2, pairs=4)))
        a, b = cone_coefficients(n, cert.terms), sorted_cone_form(cert)
        assert a.linear == b.linear and a.hinges == b.hinges


def test_term_words_count_every_injection():
    """The programme's counts add up to n!/(n-k)! and its rows are those of the orders."""
    import math
    rng = random.Random(3)
    for _ in range(50):
        n = rng.randint(2, 7)
        (c, L, R), = _random_terms(rng, n, terms=1, pairs=4)
        tw = term_words(n, L, R)
        assert int(tw.counts.sum()) == math.perm(n, tw.k)
        assert tw.mult == math.factorial(n - tw.k)


def test_linear_part_closed_form():
    """sum over S_n of max(x_s(a), x_s(b)) on the cone: 2 (n-1-i) (n-2)! at position i."""
    import itertools
    n = 5
    want = [0] * n
    for s in itertools.permutations(range(n)):
        want[min(s[0], s[1])] += 1
        want[s[2]] += 1
    assert term_linear(n, [(0, 1), (2, 2)]) == want


@pytest.mark.parametrize("n", [5, 6, 7, 8])
def test_published_true_and_broken_false(n):
    """The published certificates hold; one coefficient + 1/10^12 breaks them, and the
    counterexample is confirmed by F from its definition (injections)."""
    cert = published(n)
    assert decide(cert).holds
    i = next(i for i, (_, L, R) in enumerate(cert.terms) if L != R)
    c, L, R = cert.terms[i]
    bad = Certificate(n, cert.terms[:i] + ((c + Fraction(1, 10 ** 12), L, R),)
                      + cert.terms[i + 1:])
    res = decide(bad)
    assert not res.holds and len(set(res.counterexample)) == n
    if n <= 7:
        assert evaluate_literal(bad, res.counterexample, full=False) == res.value
    assert res.value != max(res.counterexample)


def test_orders_route_on_published_six_and_seven():
    """The n!-order baseline gives the same canonical form (n = 6; n = 7 on 5 terms)."""
    c6 = published(6)
    f = orders_form(c6)
    assert not f.hinges and f.linear == (1, 0, 0, 0, 0, 0)
    c7 = published(7)
    part = Certificate(7, c7.terms[:5])
    a, b = orders_form(c7, terms=range(5)), cone_coefficients(7, part.terms)
    assert a.linear == b.linear and a.hinges == b.hinges


def test_disjoint_hinges_no_crash():
    """The ZeroDivisionError of ae34435 (hinges with disjoint supports): FALSE with a
    confirmed counterexample."""
    from relugeom.depth.certificates import load_certificate
    for text in ['{"n": 2, "terms": [{"coefficient": "1", "pair": [[[1, 1]], [[1, 1], '
                 '[1, 1]]]}]}',
                 '{"n": 6, "terms": [{"coefficient": "1", "pair": [[[1,5],[2,6]],[[1,2],'
                 '[2,4]]]}, {"coefficient": "1/4", "pair": [[[2,4],[2,2]],[[3,4],[5,5]]]}]}']:
        cert = load_certificate(text)
        res = decide(cert)
        assert not res.holds
        assert evaluate_literal(cert, res.counterexample) == res.value != max(
            res.counterexample)


def test_crossing_points_see_the_kink():
    """Around a hinge's hyperplane (other hinges of disjoint or shared support present),
    the three points are strictly decreasing, no other hinge changes sign between them,
    and F - x_1 has a nonzero second difference there: one of them is a counterexample."""
    from relugeom.depth.certificate_dp import ConeCoefficients
    from relugeom.depth.certificates import _crossing_points, _dot, _interior_point
    hs = {(0, 0, 1, -2, 0, 1): Fraction(1), (0, 1, 0, 0, -2, 1): Fraction(-3),
          (1, 1, 0, 0, 0, -3): Fraction(2, 7), (0, 1, -2, 1, 0, 0): Fraction(5)}
    form = ConeCoefficients(6, tuple(Fraction(int(i == 0)) for i in range(6)), hs)
    rng = random.Random(7)
    found = 0
    for h in hs:
        for _ in range(5):
            pts = _crossing_points(form, h, _interior_point(6, rng))
            if not pts:
                continue
            found += 1
            y, up, dn = pts
            for p in pts:
                assert all(p[i] > p[i + 1] for i in range(5))
            for o in hs:
                if o != h:
                    assert (_dot(o, up) > 0) == (_dot(o, y) > 0) == (_dot(o, dn) > 0)
            d = [form(p) - p[0] for p in pts]
            assert d[1] + d[2] - 2 * d[0] != 0
    assert found >= 4


def test_lifted_terms_known_value_and_large_n():
    """Terms of a true n0-certificate read at n: (n - n0)! sum_i C(n-i, n0-1) x_i on the
    cone, no hinge (n = 11 from the n = 5 certificate: the programme at n = 11)."""
    from math import comb, factorial
    base = published(5)
    for n in (6, 9, 11):
        form = cone_coefficients(n, base.terms)
        want = tuple(Fraction(factorial(n - 5) * comb(n - i, 4)) for i in range(1, n + 1))
        assert not form.hinges and form.linear == want


def test_workers_and_dask_give_the_same_form():
    """Terms split over processes, or a dask Client, give the same form."""
    from concurrent.futures import ProcessPoolExecutor
    cert = published(7)
    ref = cone_coefficients(7, cert.terms)
    with ProcessPoolExecutor(2) as ex:
        got = cone_coefficients(7, cert.terms, executor=ex, chunks=3)
    assert got == ref
    distributed = pytest.importorskip("distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        got2 = cone_coefficients(7, cert.terms, executor=client, chunks=4)
    assert got2 == ref


def test_state_guard():
    """The programme refuses before it allocates past max_bytes."""
    import relugeom as rg
    cert = published(8)
    with rg.limits(max_bytes=10_000):
        with pytest.raises(rg.TooLargeError, match="max_bytes"):
            decide(cert)


def test_evaluate_default_route_is_exact_everywhere():
    """evaluate (sorted point, rows) against the literal sum, ties and big numbers."""
    cert = published(6)
    x = [Fraction(3), Fraction(3), Fraction(-1, 7), Fraction(10 ** 30 + 1, 3), 0, -5]
    assert evaluate(cert, x) == max(x) == evaluate_literal(cert, x, full=False)


def test_huge_coefficients_cancel_exactly():
    """A true certificate plus t and -t relabelled with coefficient 10^30 (different
    labels: not grouped; past int64): still true; off by 1/10^40: false, confirmed."""
    base = published(5)
    t = (Fraction(10 ** 30), ((0, 1), (2, 3)), ((0, 4), (1, 1)))
    u = _relabel((-t[0], t[1], t[2]), [4, 3, 2, 1, 0])
    cert = Certificate(5, base.terms + (t, u))
    assert decide(cert).holds
    bad = Certificate(5, base.terms + (t, (u[0] + Fraction(1, 10 ** 40), u[1], u[2])))
    res = decide(bad)
    assert not res.holds
    assert evaluate_literal(bad, res.counterexample, full=True) == res.value != max(
        res.counterexample)

"""MAX_n certificates: the sorted-cone hinge route against independent routes."""
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.depth.certificates import (MAX5_EXAMPLE, Certificate, certificate_network, decide,
                                   decide_reference, evaluate, load_certificate)
from relugeom.cli import main
from relugeom.depth.maxfive import reference_max_network
from relugeom.geometry.equality import networks_equal

MAX6 = ('{"n": 6, "terms": [{"coefficient": "-1/360", "pair": [[[1, 1]], [[1, 1]]]}, '
        '{"coefficient": "1/360", "pair": [[[1, 1], [1, 2]], [[1, 1], [3, 4]]]}, '
        '{"coefficient": "1/360", "pair": [[[1, 1], [1, 2]], [[3, 4], [5, 6]]]}, '
        '{"coefficient": "-1/720", "pair": [[[1, 1], [2, 2]], [[3, 4], [5, 6]]]}, '
        '{"coefficient": "1/360", "pair": [[[1, 2], [1, 3]], [[1, 4], [5, 6]]]}, '
        '{"coefficient": "-1/180", "pair": [[[1, 2], [1, 3]], [[2, 4], [5, 6]]]}, '
        '{"coefficient": "1/1440", "pair": [[[1, 2], [1, 3]], [[4, 5], [4, 6]]]}]}')


def test_max5_example_true_and_perturbed_false():
    """The issue's n = 5 certificate holds; with 1/81 it fails, with a confirmed point."""
    cert = load_certificate(MAX5_EXAMPLE)
    res = decide(cert)
    assert res.holds and res.counterexample is None and decide_reference(cert)
    bad = load_certificate(MAX5_EXAMPLE.replace("1/80", "1/81"))
    r2 = decide(bad)
    assert not r2.holds and not decide_reference(bad)
    x = r2.counterexample
    assert evaluate(bad, x) != max(x)


def test_max6_found_by_search_holds():
    """A true n = 6 certificate (found by search_certificate, exact linear algebra)."""
    cert = load_certificate(MAX6)
    assert decide(cert).holds and decide_reference(cert)
    rng = random.Random(6)
    for _ in range(5):
        x = [Fraction(rng.randint(-40, 40), rng.randint(1, 5)) for _ in range(6)]
        assert evaluate(cert, x) == max(x)


def test_network_is_f_and_equals_max_by_enumeration():
    """The simplified two-hidden-layer network equals F; full enumeration on R^5 agrees
    with the sorted-cone verdict (true case); widths as in the issue's second layer."""
    cert = load_certificate(MAX5_EXAMPLE)
    net = certificate_network(cert)
    assert net.n_hidden_layers == 2 and net.widths == (20, 107)
    raw = certificate_network(cert, simplify=False)
    rng = random.Random(5)
    for _ in range(10):
        x = [Fraction(rng.randint(-30, 30), rng.randint(1, 4)) for _ in range(5)]
        assert net(x) == raw(x) == evaluate(cert, x) == max(x)


@st.composite
def random_cert(draw, n):
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    terms = []
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(1, 2))
        L = tuple(draw(st.lists(pair, min_size=k, max_size=k)))
        R = tuple(draw(st.lists(pair, min_size=k, max_size=k)))
        terms.append((Fraction(draw(st.integers(-3, 3)), draw(st.integers(1, 6))), L, R))
    return Certificate(n, tuple(terms))


@settings(max_examples=25, deadline=None)
@given(random_cert(3))
def test_fast_route_agrees_with_enumeration(cert):
    """Random symmetric sums on R^3: the sorted-cone verdict equals exact region
    enumeration of (network - max) on R^3, and the reference route."""
    res = decide(cert)
    net = certificate_network(cert)
    assert res.holds == networks_equal(net, reference_max_network(3), method="enumerate")
    assert res.holds == decide_reference(cert)
    if not res.holds:
        x = res.counterexample
        assert evaluate(cert, x) != max(x) and net(x) == evaluate(cert, x)


@settings(max_examples=20, deadline=None)
@given(random_cert(4), st.integers(0, 10 ** 6))
def test_cone_form_equals_definition(cert, seed):
    """F on the sorted cone (hinge form) equals F from the definition at exact points."""
    from relugeom.depth.certificates import sorted_cone_form
    f = sorted_cone_form(cert)
    rng = random.Random(seed)
    for _ in range(5):
        x = sorted((Fraction(rng.randint(-50, 50), rng.randint(1, 5)) for _ in range(4)),
                   reverse=True)
        assert f(x) == evaluate(cert, x)


def test_true_by_construction_any_n():
    """max(max(x1,x2), max(x3,x4)) summed over S_4 is 24 max: true for n = 4."""
    cert = load_certificate('{"n": 4, "terms": [{"coefficient": "1/24", '
                            '"pair": [[[1,2]], [[3,4]]]}]}')
    assert decide(cert).holds
    assert not decide(load_certificate('{"n": 4, "terms": [{"coefficient": "1/25", '
                                       '"pair": [[[1,2]], [[3,4]]]}]}')).holds


@pytest.mark.parametrize("text", [
    "not json", "[]", '{"n": 0, "terms": []}', '{"n": 3, "terms": []}',
    '{"n": 3, "terms": [{"coefficient": "x", "pair": [[[1,1]],[[2,2]]]}]}',
    '{"n": 3, "terms": [{"coefficient": "1", "pair": [[[1,4]],[[2,2]]]}]}',
    '{"n": 3, "terms": [{"coefficient": "1", "pair": [[[1,1]]]}]}',
    '{"n": 3, "terms": [{"coefficient": 0.5, "pair": [[[1,1]],[[2,2]]]}]}'])
def test_malformed(text):
    """Malformed certificates raise SerializationError."""
    with pytest.raises(rg.SerializationError):
        load_certificate(text)


def test_cli(tmp_path, capsys):
    """relugeom certify: exit 0 when true, 1 when false, 2 with a one-line error."""
    good, bad, broken = tmp_path / "g.json", tmp_path / "b.json", tmp_path / "x.json"
    good.write_text(MAX5_EXAMPLE)
    bad.write_text(MAX5_EXAMPLE.replace("1/80", "1/81"))
    broken.write_text('{"n": 5}')
    assert main(["certify", str(good)]) == 0
    out = capsys.readouterr().out
    assert "TRUE" in out and "n: 5" in out and "(20, 107)" in out and "time:" in out
    assert main(["certify", str(bad), "--no-network"]) == 1
    assert "counterexample" in capsys.readouterr().out
    assert main(["certify", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "terms" in err


def test_combinator_network_simplifies():
    """max(max(x1,x2), max(x3,x4)) / 24 summed over S_4 from the combinators: the
    simplified network is much narrower and still equals max on R^4 (enumeration)."""
    from relugeom.depth.certificates import combinator_network
    cert = load_certificate('{"n": 4, "terms": [{"coefficient": "1/24", '
                            '"pair": [[[1,2]], [[3,4]]]}]}')
    raw = combinator_network(cert, simplify=False)
    small = combinator_network(cert)
    assert raw.widths == (192, 96) and small.widths == certificate_network(cert).widths
    assert small.size < raw.size // 10
    assert networks_equal(small, reference_max_network(4), method="enumerate")


@pytest.mark.parametrize("n0, n", [(5, 6), (5, 7), (6, 7)])
def test_terms_read_at_larger_n_have_known_value(n0, n):
    """A true n0-certificate read at n > n0 is (n - n0)! sum_{|S|=n0} max(x_S), on the
    sorted cone sum_i (n - n0)! C(n - i, n0 - 1) x_i: no hinge, that linear part, false,
    and the definition agrees at exact points."""
    from math import comb, factorial
    from relugeom.depth.certificates import sorted_cone_form
    base = load_certificate(MAX5_EXAMPLE if n0 == 5 else MAX6)
    cert = Certificate(n, base.terms)
    form = sorted_cone_form(cert)
    want = tuple(Fraction(factorial(n - n0) * comb(n - i, n0 - 1)) for i in range(1, n + 1))
    assert not form.hinges and form.linear == want
    res = decide(cert)
    assert not res.holds and evaluate(cert, res.counterexample) != max(res.counterexample)
    rng = random.Random(n0 * 10 + n)
    for _ in range(3):
        x = sorted((Fraction(rng.randint(-60, 60), rng.randint(1, 7)) for _ in range(n)),
                   reverse=True)
        assert evaluate(cert, x) == sum(w * v for w, v in zip(want, x))


@settings(max_examples=15, deadline=None)
@given(random_cert(5), st.integers(0, 10 ** 6))
def test_evaluate_regrouped_equals_literal_sum(cert, seed):
    """evaluate over injections of the used indices (weight (n - k)!) equals the literal
    sum over all n! permutations."""
    rng = random.Random(seed)
    x = [Fraction(rng.randint(-50, 50), rng.randint(1, 6)) for _ in range(5)]
    assert evaluate(cert, x, full=True) == evaluate(cert, x, full=False)


def test_certificate_checks_its_indices():
    """Terms read at a smaller n, or a bad n, are typed errors, not a KeyError later."""
    base = load_certificate(MAX5_EXAMPLE)
    with pytest.raises(rg.DimensionError, match="n = 4"):
        Certificate(4, base.terms)
    with pytest.raises(rg.DomainError):
        Certificate(0, base.terms)
    with pytest.raises(rg.TooLargeError):
        Certificate(13, base.terms)

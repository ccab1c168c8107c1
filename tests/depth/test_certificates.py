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
    """relugeom certify: the verdict first; exit 0 when true, 1 when false, 2 with a
    one-line error; the network only on --network."""
    good, bad, broken = tmp_path / "g.json", tmp_path / "b.json", tmp_path / "x.json"
    good.write_text(MAX5_EXAMPLE)
    bad.write_text(MAX5_EXAMPLE.replace("1/80", "1/81"))
    broken.write_text('{"n": 5}')
    assert main(["certify", str(good)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("verdict: TRUE") and "n: 5" in out and "terms: 3" in out
    assert "method:" in out and "time:" in out and "widths" not in out
    assert main(["certify", str(good), "--network"]) == 0
    out = capsys.readouterr().out
    assert "(20, 107)" in out and out.index("verdict") < out.index("network:")
    assert main(["certify", str(bad), "--no-network"]) == 1
    assert "counterexample" in capsys.readouterr().out
    assert main(["certify", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "terms" in err


def test_cli_example_round_trip(tmp_path, capsys):
    """--example 5 prints the published n = 5 certificate; certify decides it TRUE."""
    assert main(["certify", "--example", "5"]) == 0
    text = capsys.readouterr().out
    f = tmp_path / "max5.json"
    f.write_text(text)
    assert load_certificate(text).terms == load_certificate(MAX5_EXAMPLE).terms
    assert main(["certify", str(f), "--widths"]) == 0
    assert "(20, 107)" in capsys.readouterr().out
    assert main(["certify", "--example", "4"]) == 2
    assert main(["certify"]) == 2
    capsys.readouterr()


def test_cli_crash_is_exit_2(tmp_path, capsys, monkeypatch):
    """An unexpected exception inside certify is one line and exit 2, never 1."""
    import relugeom.depth.certificates as cm
    f = tmp_path / "g.json"
    f.write_text(MAX5_EXAMPLE)

    def boom(*a, **k):
        raise ZeroDivisionError("Fraction(1, 0)")
    monkeypatch.setattr(cm, "decide", boom)
    assert main(["certify", str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err


def test_cli_workers_and_network_refused(tmp_path, capsys):
    """--workers 2 gives the same verdict; --network beyond max_weights is refused up
    front with its estimate, exit 2, before any decision is printed (n = 9, one term:
    362,880 units before merging, 947 after; the published n = 9: 38,339,912)."""
    f = tmp_path / "g.json"
    f.write_text(rg.certificates.published(7).to_json())
    assert main(["certify", str(f), "--workers", "2"]) == 0
    assert "TRUE" in capsys.readouterr().out
    n9 = tmp_path / "n9.json"
    n9.write_text('{"n": 9, "terms": [{"coefficient": "1", "pair": [[[1,2],[3,4],[5,6],'
                  '[7,8]], [[9,9]]]}]}')
    with rg.limits(max_weights=10_000):
        assert main(["certify", str(n9), "--network"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "max_weights" in err and err.count("\n") == 1


@pytest.mark.parametrize("text, err", [
    ('{"n": 2, "terms": [{"coefficient": "1e100000000", "pair": [[[1, 1]], [[2, 2]]]}]}',
     rg.DomainError),
    ('{"n": 2, "terms": ' + "[" * 100000 + "]" * 100000 + "}", rg.SerializationError),
    (b'{"n": 2, "terms": "\xff"}', rg.SerializationError),
    ('{"n": 13, "terms": [{"coefficient": "1", "pair": [[[1,1]],[[2,2]]]}]}',
     rg.TooLargeError)])
def test_hostile_certificates_typed(text, err):
    """Exponents, nesting, non-UTF-8, n over 12: typed errors at once."""
    with pytest.raises(err):
        load_certificate(text)


def test_special_and_large_files(tmp_path):
    """Regular files only (FIFOs, /dev/zero, folders refused without reading), size
    capped by max_file_bytes, non-UTF-8 files typed."""
    import os
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for p in (fifo, "/dev/zero", tmp_path):
        with pytest.raises(rg.SerializationError, match="not a regular file"):
            load_certificate(str(p))
    raw = tmp_path / "raw.json"
    raw.write_bytes(b'{"n": 2, "terms": "\xff\xfe"}')
    with pytest.raises(rg.SerializationError, match="UTF-8"):
        load_certificate(raw)
    big = tmp_path / "big.json"
    big.write_text(MAX5_EXAMPLE + " " * 100)
    with rg.limits(max_file_bytes=100):
        with pytest.raises(rg.TooLargeError):
            load_certificate(big)


def test_long_coefficients_serialise():
    """Coefficients past Python's 4,300-digit limit: to_json, loading back, summary."""
    c = Certificate(2, ((Fraction(10 ** 4400 + 1, 3), ((0, 0),), ((1, 1),)),))
    text = c.to_json()
    assert load_certificate(text) == c
    res = decide(c)
    assert not res.holds and "digits" in res.summary()


@pytest.mark.parametrize("x", ["12345", {1, 2, 3, 4, 5}, [0.1, 2, 3, 4, 5], [1, 2, 3],
                               {0: 1}, [True, 2, 3, 4, 5]])
def test_evaluate_refuses_non_points(x):
    """Strings, sets, mappings, floats, booleans, wrong lengths: typed errors."""
    cert = load_certificate(MAX5_EXAMPLE)
    with pytest.raises((rg.DimensionError, rg.NotExactError)):
        evaluate(cert, x)


def test_decide_accepts_text_refuses_junk():
    """decide takes what load_certificate reads; anything else is typed."""
    assert decide(MAX5_EXAMPLE).holds
    with pytest.raises(rg.SerializationError):
        decide({"n": 2})
    with pytest.raises(rg.NotExactError):
        decide(12)


def test_published_files_are_the_published_bytes():
    """The shipped certificates carry the sha256 of the authors' manifest (README)."""
    import hashlib
    import os
    import re
    from relugeom.depth.certificates import published_path
    folder = os.path.dirname(published_path(5))
    readme = open(os.path.join(folder, "README.md"), encoding="utf-8").read()
    listed = dict(re.findall(r"^\| ([\w.]+\.json) \|.*\| ([0-9a-f]{64}) \|$", readme,
                             re.M))
    assert len(listed) == 7
    for n in range(5, 11):
        p = published_path(n)
        name = os.path.basename(p)
        assert hashlib.sha256(open(p, "rb").read()).hexdigest() == listed[name]


def test_network_widths_against_hashing():
    """Merged widths counted from orbits equal the units of the hashed network (random
    certificates, n = 3..5) and the simplified published n = 5, 6, 7 widths."""
    from relugeom.depth.certificates import network_widths, published
    rng = random.Random(4)
    for _ in range(40):
        n = rng.randint(3, 5)
        terms = tuple((Fraction(rng.randint(-3, 3) or 1, rng.randint(1, 4)),
                       tuple((rng.randrange(n), rng.randrange(n)) for _ in range(2)),
                       tuple((rng.randrange(n), rng.randrange(n)) for _ in range(2)))
                      for _ in range(rng.randint(1, 3)))
        cert = Certificate(n, terms)
        w = network_widths(cert)
        net = certificate_network(cert, simplify=False)
        assert net.widths[1] == w.nonzero
    assert network_widths(published(5)).as_tuple() == (20, 107)
    assert network_widths(published(6)).nonzero == 497
    assert network_widths(published(7)).nonzero == 85829     # = simplified, ae34435


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


@pytest.mark.parametrize("bad", ["not json", 42, None, [1, 2]])
def test_network_entry_points_refuse_a_non_certificate_typed(bad):
    """network_widths, certificate_network and combinator_network refuse what is not a
    certificate with a RelugeomError (never an AttributeError)."""
    from relugeom.depth.certificates import (certificate_network, combinator_network,
                                             network_widths)
    for f in (network_widths, certificate_network, combinator_network):
        with pytest.raises(rg.RelugeomError):
            f(bad)


def test_decide_refuses_an_executor_without_submit():
    """decide(executor=...) without a submit method is a NotExactError naming it."""
    from relugeom.depth.certificates import decide
    with pytest.raises(rg.NotExactError, match="submit"):
        decide(MAX5_EXAMPLE, executor=object())


def test_reprs_never_raise_on_huge_coefficients():
    """Python refuses to print integers past 4,300 digits; the reprs abbreviate them."""
    import json
    big = rg.load_certificate(json.dumps(
        {"n": 2, "terms": [{"coefficient": "7" * 5001, "pair": [[[1, 1]], [[2, 2]]]}]}))
    assert "(5001 digits)" in repr(big)
    res = rg.certificates.decide(big)
    assert "CertificateResult(holds=False" in repr(res) and "digits)" in repr(res)
    small = rg.load_certificate(json.dumps(
        {"n": 2, "terms": [{"coefficient": "1/2", "pair": [[[1, 1]], [[2, 2]]]}]}))
    assert repr(small) == "Certificate(n=2, terms=((Fraction(1, 2), ((0, 0),), ((1, 1),)),))"
    net = rg.ReLUNetwork([([[Fraction(7) ** 6000]], [0]), ([[1]], [0])])
    assert repr(net).startswith("<ReLUNetwork 1 -> [1] -> 1")

"""Certificate search: templates, symmetrised columns, exact solutions and separators,
each against an independent route (the decision's own cone form, the literal sum over S_n)."""
import concurrent.futures
import itertools
import json
import random
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relugeom.depth.search import (build_system, canonical, check_separator,
                                         check_solution, decode_key, search, solve_system,
                                         template_column, templates)
from relugeom.depth.certificates import Certificate, decide, evaluate, load_certificate
from relugeom.cli import main
from relugeom.errors import DomainError, NotExactError, TooLargeError


def _ascending_form(n, L, R):
    """The term's cone form from the decision module (descending cone, its own code),
    rewritten on the ascending cone with the search's conventions: reversed coordinates,
    hinge normals with a positive first entry (relu(-h) = relu(h) - h)."""
    from relugeom.depth.certificates import sorted_cone_form
    f = sorted_cone_form(Certificate(n, ((Fraction(1), tuple(L), tuple(R)),)))
    lin = list(f.linear)[::-1]
    hinges = {}
    for h, c in f.hinges.items():
        h = h[::-1]
        if next(v for v in h if v) < 0:
            h = tuple(-v for v in h)
            lin = [a - c * b for a, b in zip(lin, h)]
        hinges[h] = hinges.get(h, 0) + c
    return lin, {h: c for h, c in hinges.items() if c}


def _column_form(n, k, L, R):
    lin, keys, vals = template_column(n, L, R, k)
    return ([Fraction(v) for v in lin],
            {decode_key(key, n, k): Fraction(v) for key, v in zip(keys.tolist(),
                                                                   vals.tolist())})


def _rational_point(rng, n):
    return [Fraction(rng.randint(-10 ** 4, 10 ** 4), rng.randint(1, 12)) for _ in range(n)]


T53 = templates(5, 3)
T62 = templates(6, 2)


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(T53), st.permutations(range(5)), st.booleans())
def test_canonical_is_invariant(t, perm, swap):
    """A template relabelled by any permutation (and with its sides swapped) has the same
    canonical form."""
    L, R = t
    if set(L) & set(R):             # (E + [e], [e]) is listed as built, not canonical
        return
    L2 = [(perm[a], perm[b]) for a, b in L]
    R2 = [(perm[a], perm[b]) for a, b in R]
    if swap:
        L2, R2 = R2, L2
    assert canonical(L2, R2) == t


def test_templates_distinct_and_counted():
    """No two listed templates are relabellings of each other (brute force over S_u), and
    the counts are pinned (n = 5, k = 2: 133; n = 6, k = 2: 146; two of them (E + [e], [e]))."""
    assert len(templates(5, 2)) == 133 and len(T62) == 146
    seen = set()
    for L, R in templates(4, 2):
        u = 1 + max(v for e in L + R for v in e)
        orbit = set()
        for p in itertools.permutations(range(u)):
            for X, Y in ((L, R), (R, L)):
                orbit.add((tuple(sorted(tuple(sorted((p[a], p[b]))) for a, b in X)),
                           tuple(sorted(tuple(sorted((p[a], p[b]))) for a, b in Y))))
        assert not orbit & seen
        seen |= orbit


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(T53 + T62), st.integers(4, 7))
def test_column_equals_decision_form(t, n):
    """The search's column (u! orders and binomial counts) is the decision module's cone
    form of the one-term certificate (a sum over injections)."""
    L, R = t
    if 1 + max(v for e in L + R for v in e) > n:
        return
    assert _column_form(n, 3, L, R) == _ascending_form(n, L, R)


def test_column_against_literal_sum():
    """The column, read as a function on the ascending cone, equals the literal sum over
    all n! permutations at random rational points (n = 5, 6)."""
    rng = random.Random(5)
    for n, T in ((5, T53), (6, T62)):
        for L, R in rng.sample(T, 12):
            lin, hinges = _column_form(n, 3, L, R)
            cert = Certificate(n, ((Fraction(1), L, R),))
            for _ in range(3):
                x = sorted(_rational_point(rng, n))
                val = sum(a * b for a, b in zip(lin, x)) + sum(
                    c * max(0, sum(a * b for a, b in zip(h, x))) for h, c in hinges.items())
                assert val == evaluate(cert, x, full=True)


@pytest.mark.parametrize("n, k, expect", [(5, 2, True), (6, 2, True), (7, 2, False),
                                          (5, 1, False)])
def test_search_found_or_refuted(n, k, expect):
    """A found certificate is decided TRUE and equals max at random rational points (the
    literal sum over S_n); a refutation is a separating functional checked exactly."""
    res = search(n, k)
    assert res.holds is expect
    if expect:
        cert = load_certificate(res.to_json())
        assert decide(cert).holds
        rng = random.Random(n)
        for _ in range(20):
            x = _rational_point(rng, n)
            assert evaluate(cert, x, full=True) == max(x)
        assert res.n_terms <= res.rank
    else:
        assert res.proof and res.cert is None
        with pytest.raises(DomainError):
            res.to_json()


def test_separator_against_decision_columns():
    """The n = 7, k = 2 proof: y . column = 0 for every template, the columns recomputed by
    the decision module, and y is nonzero on the target row."""
    res = search(7, 2, sparse=False)
    data = json.loads(res.proof_json())             # the written proof, read back
    y = {r["row"] if isinstance(r["row"], str) else tuple(r["row"]): Fraction(r["y"])
         for r in data["separator"]}
    assert y.get("linear x_7", 0) != 0
    for L, R in templates(7, 2):
        lin, hinges = _ascending_form(7, L, R)
        dot = sum(y.get(f"linear x_{i + 1}", 0) * v for i, v in enumerate(lin))
        dot += sum(y.get(h, 0) * c for h, c in hinges.items())
        assert dot == 0


def test_checks_can_fail():
    """The exact checks reject a perturbed solution and a perturbed separator."""
    system = build_system(6, 2)
    sol = solve_system(system).coefficients
    assert check_solution(system, sol)
    j = next(iter(sol))
    assert not check_solution(system, {**sol, j: sol[j] + Fraction(1, 10 ** 12)})
    s7 = build_system(7, 2)
    y = solve_system(s7).separator
    assert check_separator(s7, y)
    i = next(r for r in y if r >= 7)
    assert not check_separator(s7, {**y, i: y[i] + 1})
    assert not check_separator(s7, {r: v for r, v in y.items() if r != 6})


def test_executor_route_same_system():
    """Columns computed through an executor (chunks) give the identical system."""
    a = build_system(6, 2)
    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        b = build_system(6, 2, executor=ex, chunk=17)
    assert a.shape == b.shape and (a.hinge_keys == b.hinge_keys).all()
    ka = sorted(zip(a.rows.tolist(), a.cols.tolist(), a.vals.tolist()))
    kb = sorted(zip(b.rows.tolist(), b.cols.tolist(), b.vals.tolist()))
    assert ka == kb


def test_bad_input():
    """Out-of-range n and k, wrong types, a bad executor and a family over the limit are
    typed errors raised before any work."""
    with pytest.raises(DomainError):
        search(12, 2)
    with pytest.raises(DomainError):
        search(5, 5)
    with pytest.raises(NotExactError):
        search(5.0, 2)
    with pytest.raises(NotExactError):
        search(5, True)
    with pytest.raises(NotExactError):
        build_system(5, 2, executor=object())
    with pytest.raises(TooLargeError):
        build_system(5, 2, max_templates=10)
    with pytest.raises(TooLargeError):          # refused before listing any template
        search(9, 4)


@pytest.mark.parametrize("kw", [{"workers": "2"}, {"workers": 1.5}, {"max_templates": "x"},
                                {"max_templates": 2.5}, {"chunk": 0}, {"chunk": None}])
def test_bad_options_typed(kw):
    """workers, max_templates and chunk of the wrong type or range are typed errors, raised
    before any template is listed."""
    with pytest.raises((NotExactError, DomainError), match=str(next(iter(kw)))):
        build_system(5, 2, **kw)
    if "chunk" not in kw:
        with pytest.raises(NotExactError):
            search(5, 2, **kw)


def test_cli_search(tmp_path, capsys):
    """certify --search writes a file that certify decides TRUE; no certificate exits 1;
    bad input exits 2."""
    out = tmp_path / "c6.json"
    assert main(["certify", "--search", "6", "--pairs", "2", "-o", str(out)]) == 0
    assert json.loads(out.read_text())["n"] == 6
    assert main(["certify", "--no-network", str(out)]) == 0
    proof = tmp_path / "p7.json"
    assert main(["certify", "--search", "7", "--pairs", "2", "-o", str(proof)]) == 1
    assert "NONE" in capsys.readouterr().out
    data = json.loads(proof.read_text())
    assert data["n"] == 7 and data["pairs"] == 2 and data["separator"]
    assert main(["certify", "--search", "13"]) == 2
    assert main(["certify"]) == 2
    assert main(["certify", "--search", "5", "-o", str(tmp_path / "no" / "x.json")]) == 2
    assert main(["certify", "--search", "5", str(out)]) == 2


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(T53), st.integers(5, 8))
def test_subset_dp_equals_orders(t, n):
    """The dynamic program over subsets (words counted) gives the same column as listing
    the u! orders."""
    L, R = t
    if 1 + max(v for e in L + R for v in e) > n:
        return
    a = template_column(n, L, R, 3)
    b = template_column(n, L, R, 3, dp=True)
    assert a[0] == b[0] and a[1].tolist() == b[1].tolist() and a[2].tolist() == b[2].tolist()


def _merged_widths_brute(cert):
    """Widths by listing every second-layer unit (term x injection) as an integer vector
    over the first layer (relu(x_a - x_b), a < b, and x_i), merging positive multiples
    and opposites: the independent route for network_widths (which uses orbits)."""
    n = cert.n
    table = np.zeros((n, n), dtype=np.int64)
    for i, (a, b) in enumerate(itertools.combinations(range(n), 2)):
        table[a, b] = i
    npair = n * (n - 1) // 2
    dirs = set()
    for _, L, R in cert.terms:
        used = sorted({v for e in L + R for v in e})
        pos = {v: i for i, v in enumerate(used)}
        P = np.array(list(itertools.permutations(range(n), len(used))), dtype=np.int64)
        D = np.zeros((len(P), npair + n), dtype=np.int64)
        rows = np.arange(len(P))
        for sgn, side in ((-1, L), (1, R)):
            for a, b in side:
                lo = np.minimum(P[:, pos[a]], P[:, pos[b]])
                hi = np.maximum(P[:, pos[a]], P[:, pos[b]])
                np.add.at(D, (rows, npair + hi), sgn)
                m = lo != hi
                np.add.at(D, (rows[m], table[lo[m], hi[m]]), sgn)
        D = D[D.any(axis=1)]
        g = np.gcd.reduce(np.abs(D), axis=1)
        lead = D[np.arange(len(D)), (D != 0).argmax(axis=1)]
        dirs |= set(map(tuple, (D // (g * np.sign(lead))[:, None]).tolist()))
    return npair + 2 * n, len(dirs) + 2


def test_found_widths_against_brute_force():
    """The merged widths reported for found certificates (network_widths, from orbits)
    equal the brute-force count over every term and injection; pinned for n = 5, 6."""
    for n, widths in ((5, (20, 62)), (6, (27, 497))):
        res = search(n, 2)
        assert res.widths == _merged_widths_brute(res.cert) == widths


def test_dask_client_route():
    """A dask Client is an executor: the same system as the serial route."""
    distributed = pytest.importorskip("dask.distributed")
    with distributed.Client(processes=False, n_workers=1, threads_per_worker=2,
                            dashboard_address=None) as client:
        b = build_system(5, 2, executor=client, chunk=40)
    a = build_system(5, 2)
    assert sorted(zip(a.rows.tolist(), a.cols.tolist(), a.vals.tolist())) == \
        sorted(zip(b.rows.tolist(), b.cols.tolist(), b.vals.tolist()))


def test_family_spans_every_template():
    """Every template with 1..2 pairs a side on 4 indices (common pairs and relabellings
    included, 4,225 of them) has its column in the span of the listed family: the exact
    rank does not grow when they are all added."""
    import flint
    n, k = 4, 2
    pairs = [(a, b) for a in range(n) for b in range(a, n)]
    sides = [(p,) for p in pairs] + list(itertools.combinations_with_replacement(pairs, 2))
    listed = [template_column(n, L, R, k) for L, R in templates(n, k)]
    every = [template_column(n, L, R, k) for L in sides for R in sides]
    keys = sorted({key for _, kk, _ in listed + every for key in kk.tolist()})
    kidx = {key: i for i, key in enumerate(keys)}

    def matrix(cols):
        M = [[0] * len(cols) for _ in range(n + len(keys))]
        for j, (lin, kk, vv) in enumerate(cols):
            for i, v in enumerate(lin):
                M[i][j] = v
            for key, v in zip(kk.tolist(), vv.tolist()):
                M[n + kidx[key]][j] = v
        return flint.fmpz_mat(M)

    assert len(every) == 4225
    assert matrix(listed).rank() == matrix(listed + every).rank()


def test_independent_rows_in_blocks():
    """Rows picked block by block (blocks of 7 rows) give a nonsingular square pivot
    matrix, as the one-block pick does (exact rank over Z)."""
    import flint
    from relugeom.depth.search import (_PRIMES, _compressed, _independent_rows, _pivots,
                                       _submatrix)
    system = build_system(6, 2)
    rows = np.arange(system.shape[0])
    cols = np.arange(system.shape[1])
    p = _PRIMES[0]
    pc = cols[_pivots(_compressed(system, rows, cols, p, 0), p, 0)]
    for block in (7, 4096):
        rr = _independent_rows(system, rows, pc, p, 0, block=block)
        assert len(rr) == len(pc)
        assert flint.fmpz_mat(_submatrix(system, rr.tolist(), pc.tolist())).rank() == len(pc)


def test_published_terms_are_listed():
    """Every term of the published certificates for n = 5, 6, 7 (arXiv 2607.21651) without
    a common pair is a listed template (canonical form); the others reduce to listed ones
    plus linear terms (max(A + C, B + C) = C + max(A, B))."""
    from relugeom.depth.certificates import published
    for n, k in ((5, 2), (6, 2), (7, 3)):
        listed = set(templates(n, k))
        for _, L, R in published(n).terms:
            if not set(L) & set(R):
                assert canonical(L, R) in listed


def test_search_is_reachable_as_rg_certificates_search():
    """The documented entry point: rg.certificates.search finds the n = 5 certificate,
    which the decision then calls TRUE."""
    import relugeom as rg
    res = rg.certificates.search(5, 2, sparse=False)
    assert res.holds and rg.certificates.decide(res.cert).holds

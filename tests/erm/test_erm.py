"""Tests of relugeom.erm (Algorithm 1): laws and examples."""
from __future__ import annotations

from concurrent.futures import Executor, Future, ThreadPoolExecutor
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom import erm

small = st.fractions(min_value=-5, max_value=5, max_denominator=3)


@st.composite
def datasets(draw, n=1, min_size=1, max_size=6, hinge=False):  # noqa: ANN001, ANN201
    D = draw(st.integers(min_size, max_size))
    X = [[draw(small) for _ in range(n)] for _ in range(D)]
    if hinge:
        y = [Fraction(draw(st.sampled_from([-1, 1]))) for _ in range(D)]
    else:
        y = [draw(small) for _ in range(D)]
    return X, y


@settings(max_examples=25)
@given(datasets(n=1), st.integers(1, 2), st.sampled_from(erm.LOSSES[:2]), st.booleans())
def test_network_attains_objective(data, w, loss, bias):
    """The returned network, evaluated exactly, attains the reported objective."""
    X, y = data
    res = erm.fit(X, y, width=w, loss=loss, output_bias=bias, progress=False, workers=1,
                  certify="all")
    f = [res.network(x[0]) for x in X]
    assert res.objective == sum((rg.erm._exact.loss_value(loss, a, b)
                                 for a, b in zip(f, y)), Fraction(0)) / len(y)
    assert res.certified and res.network.widths == (w,)


@settings(max_examples=10)
@given(datasets(n=1, max_size=5), st.sampled_from(erm.LOSSES[:2]), st.booleans())
def test_routes_agree(data, loss, bias):
    """For n = 1 the dichotomy route and the Theorem 2.2 route give the same optimum."""
    X, y = data
    a = erm.fit(X, y, width=2, loss=loss, output_bias=bias, progress=False, workers=1)
    b = erm.fit(X, y, width=2, loss=loss, output_bias=bias, method="breakpoints")
    assert a.objective == b.objective


@settings(max_examples=6)
@given(datasets(n=1, max_size=5, hinge=True))
def test_routes_agree_hinge(data):
    """The two n = 1 routes agree for the hinge loss too."""
    X, y = data
    a = erm.fit(X, y, width=2, loss="hinge", progress=False, workers=1)
    b = erm.fit(X, y, width=2, loss="hinge", method="breakpoints")
    assert a.objective == b.objective


@settings(max_examples=8)
@given(datasets(n=2, max_size=3))
def test_brute_force_agrees(data):
    """On tiny data, brute force over all activation patterns finds the same optimum."""
    X, y = data
    res = erm.fit(X, y, width=1, progress=False, workers=1)
    assert res.objective == erm.brute_force_objective(X, y, width=1)


@settings(max_examples=30)
@given(datasets(n=1, min_size=2, max_size=7), st.booleans())
def test_one_unit_closed_form_agrees(data, bias):
    """An independent exact route (closed-form least squares of +-s relu(+-(x - t)) + d,
    no cones or convex solver) finds the same optimum as Algorithm 1."""
    from relugeom.paper.checks.erm import _unit_fit_closed_form
    X, y = data
    res = erm.fit(X, y, width=1, output_bias=bias, progress=False, workers=1)
    assert res.objective == _unit_fit_closed_form([x[0] for x in X], y, bias)


def test_one_unit_closed_form_examples():
    """Pinned: a V is fitted exactly by one unit plus a bias only if one arm is flat;
    relu(x) itself is fitted exactly; a constant is fitted exactly."""
    from relugeom.paper.checks.erm import _unit_fit_closed_form
    xs = [Fraction(v) for v in (-2, -1, 0, 1, 2)]
    assert _unit_fit_closed_form(xs, [max(x, 0) for x in xs], False) == 0
    assert _unit_fit_closed_form(xs, [Fraction(3)] * 5, False) == 0
    # |x| on -1, 0, 1: the best is 1/2 + relu(x)/2, squared errors 1/4, 1/4, 0: mean 1/6
    assert _unit_fit_closed_form(xs[1:4], [abs(x) for x in xs[1:4]], True) == \
        Fraction(1, 6) == erm.fit([[x] for x in xs[1:4]], [abs(x) for x in xs[1:4]], width=1,
                output_bias=True, progress=False, workers=1).objective


@settings(max_examples=20)
@given(datasets(n=1, max_size=6), st.integers(1, 3))
def test_monotone_in_width(data, w):
    """More hidden units never give a larger optimum."""
    X, y = data
    a = erm.fit(X, y, width=w, progress=False, workers=1)
    b = erm.fit(X, y, width=w + 1, progress=False, workers=1)
    assert b.objective <= a.objective


@settings(max_examples=20)
@given(st.integers(1, 9), st.integers(1, 3), st.integers(0, 10 ** 6))
def test_cover_count_general_position(D, n, seed):
    """Points in general position have exactly 2 sum_{i<=n} C(D-1, i) dichotomies."""
    rng = np.random.default_rng(seed)
    X = [[Fraction(int(v), 9973) for v in rng.integers(-10 ** 6, 10 ** 6, size=n)]
         for _ in range(D)]
    assert len(erm.dichotomies(X)) == erm.cover_count(D, n)


@settings(max_examples=20)
@given(datasets(n=2, max_size=7))
def test_dichotomies_closed_under_complement(data):
    """The dichotomies of any point set (degenerate or not) come in complementary pairs."""
    X, _ = data
    ds = set(erm.dichotomies(X))
    full = frozenset(range(len(X)))
    assert all(full - d in ds for d in ds) and len(ds) <= erm.cover_count(len(X), 2)


def test_degenerate_points():
    """Repeated and collinear points: dichotomies of the distinct points, copies together."""
    X = [[0, 0], [1, 1], [2, 2], [1, 1]]
    ds = erm.dichotomies(X)
    assert len(ds) == 6 and all((1 in d) == (3 in d) for d in ds)
    assert len(erm.dichotomies([[3, 3]] * 4)) == 2


def test_known_optimum_and_counts():
    """Width 2 fits a tent exactly; our program count is below the paper's."""
    X = [[0], [1], [2], [3], [4]]
    y = [0, 1, 2, 1, 0]
    res = erm.fit(X, y, width=2, progress=False, workers=1, certify="all")
    assert res.objective == 0 and res.certified
    assert res.n_programs_paper == 4 * 10 ** 2
    assert res.n_programs + res.n_pruned <= res.n_combinations + 18


def test_floats_refused_with_advice_that_works():
    """The one float policy: floats (also numpy float arrays) are refused; the advice
    (rg.exact) works and gives the exact binary values."""
    for X, y in (([[0.1], [0.2]], [1, 2]), ([[1], [2]], np.array([0.5, 0.25])),
                 (np.array([[0.1], [0.2]]), [1, 2])):
        with pytest.raises(rg.NotExactError, match="exact"):
            erm.fit(X, y, width=1, progress=False, workers=1)
    res = erm.fit([[rg.exact(0.1)], [rg.exact(0.2)]], [rg.exact(0.5), rg.exact(0.25)],
                  width=1, progress=False, workers=1)
    assert res.fitted == (Fraction(0.5), Fraction(0.25)) and res.objective == 0


@pytest.mark.parametrize("loss", erm.LOSSES)
def test_two_dimensional(loss):
    """n = 2 data: certified, and the bias can only lower the optimum."""
    rng = np.random.default_rng(3)
    D = 7 if loss == "squared" else 5
    X = rng.integers(-5, 6, size=(D, 2))
    y = rng.choice([-1, 1], size=D) if loss == "hinge" else rng.integers(-3, 4, size=D)
    a = erm.fit(X, y, width=2, loss=loss, progress=False, workers=1, certify="all")
    b = erm.fit(X, y, width=2, loss=loss, output_bias=True, progress=False, workers=1,
                certify="all")
    assert a.certified and b.certified and b.objective <= a.objective


def test_executors_agree():
    """A thread pool, a process pool and inline execution give the same optimum."""
    from concurrent.futures import ProcessPoolExecutor
    X = [[Fraction(i, 3)] for i in range(14)]
    y = [Fraction((i * 7) % 5) for i in range(14)]
    base = erm.fit(X, y, width=2, progress=False, workers=1)
    with ThreadPoolExecutor(2) as ex:
        a = erm.fit(X, y, width=2, executor=ex, progress=False, chunk_size=50)
    with ProcessPoolExecutor(2) as ex:
        b = erm.fit(X, y, width=2, executor=ex, progress=False, chunk_size=100,
                    certify="all")
    assert base.objective == a.objective == b.objective and b.certified


def test_dask_local_cluster():
    """The same call runs on a dask.distributed LocalCluster."""
    distributed = pytest.importorskip("distributed")
    X = [[Fraction(i, 2)] for i in range(10)]
    y = [Fraction((i * 3) % 4) for i in range(10)]
    base = erm.fit(X, y, width=2, progress=False, workers=1)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        res = erm.fit(X, y, width=2, executor=client, progress=False, chunk_size=30,
                      certify="all")
    assert res.objective == base.objective and res.certified


class _InterruptingExecutor(Executor):
    """Runs tasks inline, then raises KeyboardInterrupt on the k-th submit (a Ctrl-C)."""

    def __init__(self, k: int):
        self.k = k

    def submit(self, fn, *args, **kwargs):  # noqa: ANN001, ANN201
        self.k -= 1
        if self.k < 0:
            raise KeyboardInterrupt
        fut: Future = Future()
        fut.set_result(fn(*args, **kwargs))
        return fut


def test_ctrl_c_returns_partial():
    """Ctrl-C during the sweep returns the best so far, marked partial and still exact."""
    X = [[Fraction(i)] for i in range(16)]
    y = [Fraction((i * 5) % 7) for i in range(16)]
    res = erm.fit(X, y, width=2, executor=_InterruptingExecutor(2), progress=False,
                  chunk_size=20)
    full = erm.fit(X, y, width=2, progress=False, workers=1)
    assert res.partial and not full.partial
    assert res.objective >= full.objective
    assert res.objective == rg.erm._exact.mean_loss("squared", res.fitted, y)


@pytest.mark.parametrize("kwargs, err", [
    (dict(X=[[1], [2]], y=[1]), rg.DimensionError),
    (dict(X=[[1], [float("nan")]], y=[1, 2]), rg.DomainError),
    (dict(X=[[1], [2]], y=[1, 2], width=0), rg.DomainError),
    (dict(X=[[1], [2]], y=[1, 2], loss="cubic"), rg.DomainError),
    (dict(X=[[1], [2]], y=[1, 2], loss="hinge"), rg.DomainError),
    (dict(X=[[1, 2], [2]], y=[1, 2]), rg.DimensionError),
    (dict(X=[[1], [2]], y=[1, 2], method="magic"), rg.DomainError),
])
def test_bad_input(kwargs, err):
    """Bad input raises a typed error that names the value."""
    kw = dict(width=1, progress=False, workers=1)
    kw.update(kwargs)
    with pytest.raises(err) as info:
        erm.fit(kw.pop("X"), kw.pop("y"), **kw)
    assert str(info.value)


def test_refuses_too_many_programs():
    """Above max_programs the fit is refused up front with the count, unless forced."""
    X = [[Fraction(i)] for i in range(12)]
    y = [Fraction(i % 3) for i in range(12)]
    with rg.limits(max_programs=50):
        with pytest.raises(rg.TooLargeError, match="convex programs needed"):
            erm.fit(X, y, width=2, progress=False, workers=1)
        res = erm.fit(X, y, width=2, progress=False, workers=1, force=True)
    assert res.program_certified


def test_cli(tmp_path, capsys):
    """`relugeom erm DATA.csv --width 2 --json` prints the exact objective."""
    import json

    from relugeom.cli import main
    p = tmp_path / "d.csv"
    p.write_text("x,y\n0,0\n1,1\n2,2\n3,1\n4,0\n")
    assert main(["erm", str(p), "--width", "2", "--no-progress", "--json",
                 "--workers", "1"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["objective"] == "0" and out["certified"] is True


# ---------------------------------------------------------------- global certificates
def _program_cases(X, y, w, loss, bias):  # noqa: ANN001, ANN202
    """Every program of the fit's sweep, with its exact optimum and exact dual bound."""
    from relugeom.erm._fit import _problem, _prepare
    from relugeom.erm._arrangement import Arrangement
    from relugeom.erm._dual import dual_bound, squared_bound_int64
    from relugeom.erm._programs import _program, solve_program
    import itertools
    pts, ys = _prepare(X, y, w, loss)
    arr = Arrangement(pts)
    items = [(g, s) for g in range(len(arr.masks)) if arr.masks[g] for s in (1, -1)]
    prob = _problem(arr, ys, loss, bias, items)
    for combo in itertools.combinations(range(len(items)), min(w, len(items))):
        combo = np.array(combo, dtype=np.intp)
        A, keys, ids, sg = _program(prob, combo)
        val, mu, b0, xi = solve_program(A, prob.y, loss, bias)
        if xi is None:
            xi = (A @ mu if len(mu) else 0.0) + b0 - prob.y
        Q = prob.qcols[ids] * sg.astype(np.int64).astype(object)[:, None] if len(sg) \
            else prob.qcols[ids]
        bounds = [dual_bound(loss, bias, Q, A, xi, prob.Y, prob.Ly)]
        if prob.q64 is not None:
            pair = squared_bound_int64(prob.q64[ids] * sg.astype(np.int64)[:, None], A, xi,
                                       prob.Y64, prob.Ly, bias, prob.zbits)
            bounds.append(None if pair is None else Fraction(*pair))
        cols = [tuple(s * v for v in arr.columns[r]) for r, s in keys]
        cert = rg.erm._exact.certify(cols, ys, loss, bias, mu, b0, xi)
        yield bounds, cert, len(ys)


@settings(max_examples=15, deadline=None)
@given(datasets(n=1, max_size=5), st.integers(1, 2), st.sampled_from(erm.LOSSES[:2]),
       st.booleans())
def test_dual_bounds_below_program_optimum(data, w, loss, bias):
    """Every exact dual bound of a program is <= that program's exact optimum."""
    X, y = data
    for bounds, cert, D in _program_cases(X, y, w, loss, bias):
        if cert is None:
            continue
        for bd in bounds:
            assert bd is None or bd <= cert.objective * D


@settings(max_examples=8, deadline=None)
@given(datasets(n=1, max_size=5, hinge=True), st.booleans())
def test_dual_bounds_below_program_optimum_hinge(data, bias):
    """The hinge-loss dual bounds are <= each program's exact optimum too."""
    X, y = data
    for bounds, cert, D in _program_cases(X, y, 2, "hinge", bias):
        if cert is not None:
            assert all(bd is None or bd <= cert.objective * D for bd in bounds)


@settings(max_examples=10, deadline=None)
@given(datasets(n=2, max_size=3), st.sampled_from(erm.LOSSES[:2]), st.booleans())
def test_global_certificate_never_wrong(data, loss, bias):
    """A globally certified optimum equals brute force over all activation patterns."""
    X, y = data
    res = erm.fit(X, y, width=1, loss=loss, output_bias=bias, progress=False, workers=1,
                  certify="all")
    assert res.certified
    assert res.objective == erm.brute_force_objective(X, y, width=1, loss=loss,
                                                      output_bias=bias)
    assert res.n_certified_dual + res.n_certified_exact >= res.n_programs
    assert res.n_pruned_exact == res.n_pruned


def test_certify_modes():
    """certify="all" proves every program; "best" gives the same optimum, not proven."""
    from relugeom.benchmarks.erm import data as bench_data
    X, y = bench_data(12, 1)
    a = erm.fit(X, y, width=2, progress=False, workers=1, certify="all")
    b = erm.fit(X, y, width=2, progress=False, workers=1, certify="best")
    assert a.objective == b.objective and a.program_certified and b.program_certified
    assert a.certified and not b.certified
    assert a.n_certified_dual + a.n_certified_exact >= a.n_programs
    assert a.n_pruned_exact == a.n_pruned
    c = erm.fit(X, y, width=2, progress=False, workers=1)     # the default is "all"
    assert c.certify == "all" and c.certified and c.objective == a.objective
    with pytest.raises(rg.DomainError):
        erm.fit(X, y, width=2, progress=False, workers=1, certify="some")


@pytest.mark.parametrize("bias", [False, True])
def test_batched_dual_bounds_are_valid(bias):
    """The vectorised squared-loss dual bounds: every returned Z passed the exact checks,
    so each bound is <= the program's exact optimum (brute-force certified here), is
    close to it, and a program with columns q and -q (forced <q, z> = 0) falls back."""
    from fractions import Fraction
    from relugeom.benchmarks.erm import data as bench_data
    from relugeom.erm import _fit, _programs
    from relugeom.erm._dual import squared_bounds_batch
    X, y = bench_data(10, 1)
    pts, ys = _fit._prepare(X, y, 2, "squared")
    arr = _fit.Arrangement(pts)
    items = [(g, s) for g in range(len(arr.masks)) if arr.masks[g] for s in (1, -1)]
    prob = _fit._problem(arr, ys, "squared", bias, items)
    assert prob.q64 is not None
    combos = [(i, j) for i in range(len(items)) for j in range(i + 1, len(items))][::7]
    progs, exact = [], []
    for combo in combos:
        A, _, ids, sg = _programs._program(prob, np.array(combo))
        val, mu, b0, xi = _programs.solve_program(A, prob.y, "squared", bias)
        progs.append((ids, sg, (A @ mu if len(mu) else 0.0) + b0 - prob.y))
        exact.append(combo)
    bds = squared_bounds_batch(prob.q64, prob.Y64, prob.Ly, bias, prob.zbits, progs)
    assert sum(b is not None for b in bds) >= 0.6 * len(bds)   # the rest falls back
    for combo, bd in list(zip(exact, bds))[::5]:
        if bd is None:
            continue
        cert, _ = _fit._certify_combo(prob, arr, ys, combo, None, None, None)
        opt = cert.objective * len(ys)
        assert Fraction(*bd) <= opt and Fraction(*bd) >= opt * (1 - Fraction(1, 10 ** 4))
    # columns q and -q (f = t q, t free): the check needs <q, Z> = 0 exactly; when it
    # passes anyway, the bound is still below the exact optimum of that program
    if bias:
        return
    Y = [int(v) for v in prob.Y.tolist()]
    for ids, _, z in progs[:20]:
        if not len(ids):
            continue
        pair = (np.concatenate([ids[:1], ids[:1]]), np.array([1.0, -1.0]), z)
        out = squared_bounds_batch(prob.q64, prob.Y64, prob.Ly, bias, prob.zbits, [pair])
        q = [int(v) for v in prob.qcols[ids[0]].tolist()]
        qy, qq = sum(a * b for a, b in zip(q, Y)), sum(a * a for a in q)
        opt = (Fraction(sum(v * v for v in Y)) - Fraction(qy * qy, qq)) / prob.Ly ** 2
        assert out[0] is None or Fraction(*out[0]) <= opt


def test_dichotomies_accept_an_iterator():
    """dichotomies() reads an iterator of points once, like a list."""
    from relugeom import erm
    assert erm.dichotomies(iter([[0], [1]])) == erm.dichotomies([[0], [1]])


def test_n1_reduction_erratum_rows():
    """Appendix C.3's reduction to w-piece PWL fits is not the network's ERM (issue 12):
    1/18 against 0, and 0 against 1/3, both exact."""
    from relugeom.paper.checks.erm import _n1_reduction_rows
    rows = _n1_reduction_rows()
    assert [(r.paper, r.computed, r.holds) for r in rows] == [
        ("reduction optimum 1/18", "network optimum 0", "erratum"),
        ("reduction optimum 0", "network optimum 1/3", "erratum")]


@pytest.mark.parametrize("loss", ["squared", "absolute", "hinge"])
@pytest.mark.parametrize("sx,sy", [(1, Fraction(1, 10 ** 8)), (Fraction(1, 10 ** 30), 1),
                                   (10 ** 40, 1), (1, 10 ** 200)])
def test_optimum_invariant_under_exact_scaling(loss, sx, sy):
    """Hostile B1/A2: the float solvers see exactly rescaled data, so scaling X leaves the
    optimum unchanged and scaling y scales it (squared: by sy^2, others: by sy; hinge
    labels are not scaled), and the result stays certified."""
    X = [[Fraction(0)], [Fraction(1)], [Fraction(2)], [Fraction(3)]]
    y = [Fraction(1), Fraction(3), Fraction(-2), Fraction(1)]
    if loss == "hinge":
        y, sy = [1, -1, 1, -1], 1
    a = erm.fit(X, y, width=1, loss=loss, progress=False, workers=1)
    b = erm.fit([[x[0] * sx] for x in X], [v * sy for v in y], width=1, loss=loss,
                progress=False, workers=1)
    factor = sy ** 2 if loss == "squared" else sy
    assert b.objective == a.objective * factor and a.certified and b.certified

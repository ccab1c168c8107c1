"""Algorithm 1's sweep in phases, for :func:`relugeom.erm.fit`.

``_setup`` (exact input, dichotomies, counts, the problem data) -> ``_presolve`` (single
units: upper bounds and a sweep order) -> ``_sweep`` (chunks of programs on an Executor, a
dask client or inline; Ctrl-C keeps what finished) -> ``_select`` (exact certificates of the
best programs, then the global reconciliation) -> ``_report`` (the network, its exact
objective, the :class:`~relugeom.erm._result.ERMResult`). The state travels in a
:class:`_Run`.
"""
from __future__ import annotations

import dataclasses
import itertools
import math
import os
import pickle
import time
import uuid
from fractions import Fraction
from typing import Any, Iterator, Optional, Sequence

import numpy as np

from ..config import check_size
from ._arrangement import Arrangement
from ._exact import ZERO, mean_loss
from ._fit import (_certify_combo, _check_programs, _dichotomy_bound, _eval, _ldexp, _network,
                   _pow2, _precheck_sizes, _prepare, _problem, _reconcile, _rescale)
from ._programs import Problem, init_worker, program_matrix, run_chunk, run_shared
from ._result import ERMResult


# ------------------------------------------------------------------ dispatch
def _chunks(n_items: int, w: int, size: int) -> Iterator[np.ndarray]:
    it = itertools.combinations(range(n_items), w)
    while True:
        block = list(itertools.islice(it, size))
        if not block:
            return
        yield np.array(block, dtype=np.intp).reshape(len(block), w)


class _Dispatcher:
    """Runs chunks on an Executor, a dask Client, or inline (``executor=None, workers=1``).

    The problem is pickled once. An own process pool receives it through its
    initializer (with the solvers imported there, before any timing); a caller's
    ``concurrent.futures`` executor receives the pickled bytes with each task but each
    process unpickles them only once (cached under a token); a dask client gets it
    scattered (broadcast) once.
    """

    def __init__(self, executor: Any, workers: Optional[int], prob: Problem, exact: bool):
        self.own = None
        self.prob = prob
        self.exact = exact
        self.is_dask = type(executor).__module__.split(".")[0] == "distributed"
        self.token = uuid.uuid4().hex
        self.blob: Optional[bytes] = None
        if executor is None and (workers or 1) > 1:
            from concurrent.futures import ProcessPoolExecutor
            blob = pickle.dumps(prob, protocol=pickle.HIGHEST_PROTOCOL)
            executor = self.own = ProcessPoolExecutor(
                max_workers=workers, initializer=init_worker, initargs=(self.token, blob))
        elif executor is not None and not self.is_dask:
            self.blob = pickle.dumps(prob, protocol=pickle.HIGHEST_PROTOCOL)
        self.ex = executor
        if self.is_dask:
            self.prob_ref = executor.scatter(prob, broadcast=True)
            self.n_workers = max(1, sum(executor.nthreads().values()))
        elif executor is None:
            self.n_workers = 1
        else:
            self.n_workers = workers or getattr(executor, "_max_workers", None) or \
                os.cpu_count() or 1
        self.slots = 2 * self.n_workers if executor is not None else 1

    def submit(self, combos: np.ndarray, incumbent: float) -> Any:
        if self.ex is None:
            return run_chunk(self.prob, combos, incumbent, exact=self.exact)
        if self.is_dask:
            return self.ex.submit(run_chunk, self.prob_ref, combos, incumbent,
                                  exact=self.exact, pure=False)
        return self.ex.submit(run_shared, self.token, self.blob, combos, incumbent,
                              self.exact)

    @staticmethod
    def result(fut: Any) -> Any:
        return fut.result() if hasattr(fut, "result") else fut

    def close(self, pending: Sequence[Any], interrupted: bool = False) -> None:
        for f in pending:
            if hasattr(f, "cancel"):
                f.cancel()
        if self.own is None:
            return
        if not interrupted:
            self.own.shutdown(wait=True, cancel_futures=True)
            return
        # Ctrl-C: do not wait for the running chunks; end this pool's own processes
        procs = list((getattr(self.own, "_processes", None) or {}).values())
        self.own.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)


def _finished(fut: Any) -> bool:
    """A future that completed normally (not cancelled, no exception)."""
    try:
        return bool(fut.done()) and not fut.cancelled() and fut.exception(timeout=0) is None
    except Exception:       # noqa: BLE001  (a broken pool or a dask future)
        return False


@dataclasses.dataclass
class _Run:
    """The state of one fit, passed from phase to phase."""

    t_start: float
    loss: str
    bias: bool
    exact: bool
    w: int
    pts: list
    ys_orig: tuple
    ys: tuple
    yexp: int
    arr: Arrangement
    items: list
    prob: Problem
    n_dich: int
    n_paper: int
    n_comb: int
    presolve: int
    t_enum: float = 0.0
    t_pre: float = 0.0
    t_solve0: float = 0.0
    t_solved: float = 0.0
    n_solved: int = 0
    n_pruned: int = 0
    cands: list = dataclasses.field(default_factory=list)
    outs: list = dataclasses.field(default_factory=list)
    partial: bool = False
    worker_cpu: float = 0.0
    worker_wall: float = 0.0
    executor_name: str = "inline"
    n_workers: int = 1
    chunk_size: int = 0
    near: list = dataclasses.field(default_factory=list)
    failed: list = dataclasses.field(default_factory=list)
    best_float: float = math.inf


def _setup(X: Any, y: Any, width: int, loss: str, bias: bool, exact: bool, force: bool,
           t_start: float) -> _Run:
    """Phase 1: exact input, the dichotomies (Arrangement), the counts checked against the
    limits before any program is solved, and the problem data."""
    pts, ys = _prepare(X, y, width, loss, precheck=None if force else _precheck_sizes)
    D = len(pts)
    if not force:
        n_up = _dichotomy_bound(pts)
        check_size("max_regions", n_up, "erm: dichotomies of the data")
        _check_programs(n_up, width, D)
    arr = Arrangement(pts)
    ys_scaled, yexp = _rescale(arr, ys, loss)
    t_enum = time.perf_counter()
    n_dich = len(arr.masks)
    items = [(g, s) for g in range(n_dich) if arr.masks[g] for s in (1, -1)]
    w = width
    n_paper = 2 ** w * n_dich ** w
    n_comb = math.comb(len(items), w) if len(items) > w else 1
    presolve = len(items) if (w >= 2 and len(items) > w) else 0
    if not force:
        try:
            check_size("max_programs", n_comb + presolve, "erm")
        except Exception as exc:
            raise type(exc)(f"{exc}; {n_comb + presolve} convex programs needed (the "
                            f"paper's count is {n_paper}); pass force=True to go ahead"
                            ) from None
    prob = _problem(arr, ys_scaled, loss, bias, items)
    return _Run(t_start, loss, bias, exact, w, pts, ys, ys_scaled, yexp, arr, items, prob,
                n_dich, n_paper, n_comb, presolve, t_enum=t_enum, t_pre=t_enum)


def _presolve(run: _Run, bar: Any) -> None:
    """Phase 2: every single item solved once: valid upper bounds, and the sweep order
    (best singles first)."""
    items, prob = run.items, run.prob
    singles = run_chunk(prob, np.arange(len(items)).reshape(-1, 1), math.inf,
                        margin=math.inf, keep=len(items), exact=run.exact)
    vals = {c[1][0]: c[0] for c in singles.candidates}
    run.n_solved += singles.n_solved
    run.n_pruned += singles.n_pruned
    order = sorted(range(len(items)), key=lambda i: vals.get(i, math.inf))
    pos = {i: k for k, i in enumerate(order)}
    best_single = min(vals.values())
    run.cands.extend((v, (pos[c[0]],), mu, b0, xi) for v, c, mu, b0, xi in singles.candidates
                     if v <= best_single + 1e-9 * max(1.0, abs(best_single)))
    singles.candidates = []
    singles.low = [((pos[c[0]],), b) for c, b in singles.low]
    singles.failed = [(pos[c[0]],) for c in singles.failed]
    singles.pruned_low = [((pos[c[0]],), b) for c, b in singles.pruned_low]
    run.outs.append(singles)
    if bar is not None:
        bar.update(run.presolve)
    perm = np.array(order, dtype=np.intp)
    run.prob = dataclasses.replace(
        prob, item_rays=tuple(prob.item_rays[i] for i in order),
        item_sign=prob.item_sign[perm], item_cover=prob.item_cover[perm])
    run.items = [items[i] for i in order]
    run.t_pre = time.perf_counter()


def _take(run: _Run, out: Any) -> None:
    run.n_solved += out.n_solved
    run.n_pruned += out.n_pruned
    run.cands.extend(out.candidates)
    out.candidates = []
    run.outs.append(out)


def _sweep(run: _Run, executor: Any, workers: Optional[int], chunk_size: Optional[int],
           bar: Any) -> None:
    """Phase 3: the chunks of w-subsets of items, at most ``slots`` in flight, each with
    the incumbent as a pruning bound. Ctrl-C keeps the chunks that finished."""
    incumbent = min((c[0] for c in run.cands), default=math.inf)
    if workers is None and executor is None:
        workers = (os.cpu_count() or 1) if run.n_comb >= 4000 else 1
    disp = _Dispatcher(executor, workers, run.prob, run.exact)
    if chunk_size:
        size = chunk_size
    elif disp.ex is None:
        size = 2000
    else:       # contiguous chunks, about four per worker (balance vs. per-task cost)
        size = max(100, -(-run.n_comb // (4 * disp.n_workers)))
    run.executor_name = "inline" if disp.ex is None else type(disp.ex).__name__
    run.n_workers, run.chunk_size = disp.n_workers, size
    pending: list = []
    run.t_solve0 = time.perf_counter()
    try:
        chunks = _chunks(len(run.items), min(run.w, len(run.items)), size)
        exhausted = False
        while pending or not exhausted:
            while not exhausted and len(pending) < disp.slots:
                block = next(chunks, None)
                if block is None:
                    exhausted = True
                    break
                pending.append((len(block), disp.submit(block, incumbent)))
            if not pending:
                break
            nb, fut = pending.pop(0)
            out = disp.result(fut)
            run.worker_cpu += out.cpu_seconds
            run.worker_wall += out.seconds
            _take(run, out)
            incumbent = min([incumbent] + [c[0] for c in run.cands[-16:]])
            if bar is not None:
                bar.update(nb)
    except KeyboardInterrupt:
        run.partial = True
        # keep the chunks that finished while we waited (their programs are solved)
        for _, fut in pending:
            if _finished(fut):
                _take(run, fut.result())
    finally:
        disp.close([f for _, f in pending], interrupted=run.partial)
    run.t_solved = time.perf_counter()


def _select(run: _Run) -> tuple:
    """Phase 4: exact certificates of the programs within 1e-9 of the best float value
    (and of those the float solver failed on), then, with ``certify="all"``, the global
    reconciliation. Returns (best, globally, program_certified, n_dual, n_exact,
    n_pruned_exact)."""
    if not run.cands:
        # interrupted before anything came back: the zero network is a valid answer
        run.cands = [(math.inf, (), np.zeros(0), 0.0, None)]
    run.best_float = min(c[0] for c in run.cands)
    cut = run.best_float + 1e-9 * max(1.0, abs(run.best_float))
    run.near = sorted((c for c in run.cands if c[0] <= cut), key=lambda c: c[0])[:16]
    best = None
    done: set[tuple[int, ...]] = set()
    run.failed = [tuple(c) for out in run.outs for c in out.failed]
    for val, combo, mu, b0, xi in run.near + [(math.inf, c, None, None, None)
                                              for c in run.failed]:
        if tuple(combo) in done:
            continue
        cert, keys = _certify_combo(run.prob, run.arr, run.ys, combo, mu, b0, xi)
        if cert is None:
            continue
        done.add(tuple(combo))
        if best is None or cert.objective < best[0].objective:
            best = (cert, combo, keys, list(cert.mu), cert.b0)
    program_certified = best is not None
    n_dual = n_exact_solved = n_pruned_ex = 0
    globally = run.exact and not run.partial and best is not None
    if globally:
        best, globally, n_dual, n_exact_solved, n_pruned_ex = _reconcile(
            run.prob, run.arr, run.ys, run.outs, best, done)
    if best is None:        # label: float solution rounded, not certified
        val, combo, mu, b0, xi = run.near[0]
        _, keys = program_matrix(run.prob, np.array(combo, dtype=np.intp))
        best = (None, combo, keys, [Fraction(float(m)).limit_denominator(1 << 30) for m in mu],
                Fraction(float(b0)).limit_denominator(1 << 30) if run.bias else ZERO)
    return best, globally, program_certified, n_dual, n_exact_solved, n_pruned_ex


def _report(run: _Run, selected: tuple, certify: str) -> ERMResult:
    """Phase 5: the network of the best program, its exact objective (checked against
    the certificate), timings and solver details."""
    best, globally, program_certified, n_dual, n_exact, n_pruned_ex = selected
    cert, combo, keys, mu, b0 = best
    loss, yexp, D = run.loss, run.yexp, len(run.pts)
    net = _network(run.arr, run.items, combo, keys, mu, b0, run.w, len(run.pts[0]),
                   _pow2(yexp))
    fitted = tuple(_eval(net, p) for p in run.pts)
    objective = mean_loss(loss, fitted, run.ys_orig)
    factor = _pow2(2 * yexp if loss == "squared" else yexp)
    if cert is not None and objective != cert.objective * factor:
        raise RuntimeError(f"erm: internal error, network objective {objective} differs "
                           f"from the certified {cert.objective}")
    t_end = time.perf_counter()
    return ERMResult(
        objective=objective, network=net, fitted=fitted, loss=loss, width=run.w,
        output_bias=run.bias, method="dichotomies", certified=globally,
        partial=run.partial, n_programs=run.n_solved, n_programs_paper=run.n_paper,
        n_combinations=run.n_comb, n_pruned=run.n_pruned, n_dichotomies=run.n_dich,
        timings={"enumerate": run.t_enum - run.t_start, "presolve": run.t_pre - run.t_enum,
                 "setup": run.t_solve0 - run.t_pre, "solve": run.t_solved - run.t_solve0,
                 "certify": t_end - run.t_solved, "total": t_end - run.t_start},
        solver={"float": "scipy.optimize.nnls" if loss == "squared"
                else "scipy.optimize.linprog (HiGHS), dual LP",
                "exact": ("Lawson-Hanson in rationals + subgradient certificate"
                          if loss == "squared" else
                          "active set in rationals + subgradient certificate")
                + ("; exact integer dual bounds for all other programs" if run.exact else ""),
                "n_presolved": run.presolve, "n_candidates": len(run.near),
                "best_float_value": _ldexp(run.best_float / D,
                                           2 * yexp if loss == "squared" else yexp),
                "label_scale_exponent": yexp,
                "n_float_failures": len(run.failed),
                "executor": run.executor_name,
                "n_workers": run.n_workers, "chunk_size": run.chunk_size,
                "worker_cpu_seconds": run.worker_cpu, "worker_wall_seconds": run.worker_wall},
        program_certified=program_certified, certify=certify, n_certified_dual=n_dual,
        n_certified_exact=n_exact, n_pruned_exact=n_pruned_ex)

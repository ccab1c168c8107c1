"""Algorithm 1: globally optimal training of one-hidden-layer ReLU networks (Theorem 4.1).

The model is the paper's, **without an output bias** by default::

    f(x) = sum_{i=1}^{w} c_i sigma(<a_i, x> + b_i),   c_i in {+1, -1}

(by positive homogeneity the output weights are +-1 without loss of generality: their
scale moves into a_i, b_i). ``output_bias=True`` adds a free constant c_0, the convention
of relugeom's networks in general; the counts of programs do not change, the objective can
only go down.

:func:`fit` minimises (1/D) sum_j loss(f(x_j), y_j) exactly:

1. the hyperplane dichotomies of the data are enumerated exactly
   (:func:`dichotomies`; n = 1 has a sorted-threshold fast path);
2. each hidden unit is a (dichotomy, output sign) *item*; units are interchangeable and
   two equal items add up to one, so one program per unordered set of w distinct items
   (the paper solves 2^w * N^w ordered tuples); sets whose coverage lower bound exceeds
   the best value found are skipped;
3. a program's parameter cone is written through its extreme rays, so it is a problem
   over mu >= 0 solved by a float solver (NNLS for squared loss, a small LP for absolute
   and hinge) in parallel;
4. the best programs are re-solved exactly in rationals and *certified*: an exact
   subgradient proves the exact rational point optimal for its program; the returned
   network attains ``objective`` when evaluated exactly.

Inputs may be floats or rationals: floats are converted to their exact binary value
(``as_rational(v, exact_float=True)``), so ``0.1`` means 3602879701896397/2**55.

Examples
--------
>>> import relugeom as rg
>>> res = rg.erm.fit([[0], [1], [2], [3]], [0, 1, 0, 1], width=2, progress=False,
...                  workers=1)
>>> res.objective, res.certified
(Fraction(1, 6), True)
>>> [res.network(x) for x in (0, 1, 2, 3)] == list(res.fitted)
True
"""
from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import math
import os
import signal
import sys
import time
from fractions import Fraction
from typing import Any, Iterator, Mapping, Optional, Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError, DomainError, NotExactError
from ..network import ReLUNetwork
from ..rational import as_rational
from ._arrangement import Arrangement, cover_count
from ._cone import brute_force, fit_breakpoints
from ._exact import LOSSES, ZERO, certify, loss_value, mean_loss
from ._programs import Problem, program_matrix, run_chunk, solve_program

__all__ = ["fit", "ERMResult", "dichotomies", "cover_count", "brute_force_objective",
           "LOSSES", "cli_main"]


# ---------------------------------------------------------------------------- result
@dataclasses.dataclass(frozen=True)
class ERMResult:
    """The outcome of :func:`fit`.

    Attributes
    ----------
    objective : Fraction
        (1/D) sum_j loss(network(x_j), y_j), computed exactly from ``network``.
    network : ReLUNetwork
        Width ``width``, exact rational weights, output weights +-1.
    fitted : tuple of Fraction
        ``network(x_j)`` for every data point.
    certified : bool
        True when ``objective`` is proven optimal, exactly, for its convex program (an
        exact subgradient certificate); the choice of the best program among all of
        them rests on the float solver's values (see ``solver``).
    partial : bool
        True when the run was interrupted (Ctrl-C): the best found so far.
    n_programs, n_programs_paper, n_combinations, n_pruned, n_dichotomies : int
        Programs actually solved; the paper's count 2^w * N^w; unordered sets of
        distinct items (ours, before pruning); sets skipped by the bound; N.
    timings : mapping of str to float
        Seconds for ``enumerate``, ``solve``, ``certify`` and ``total``.
    solver : mapping
        Solver names and statistics.
    """

    objective: Fraction
    network: ReLUNetwork
    fitted: tuple[Fraction, ...]
    loss: str
    width: int
    output_bias: bool
    method: str
    certified: bool
    partial: bool
    n_programs: int
    n_programs_paper: int
    n_combinations: int
    n_pruned: int
    n_dichotomies: int
    timings: Mapping[str, float]
    solver: Mapping[str, Any]

    def __repr__(self) -> str:
        flags = ("certified" if self.certified else "not certified") + \
            (", partial" if self.partial else "")
        return (f"<ERMResult {self.loss} loss, width {self.width}: objective "
                f"{self.objective} (~{float(self.objective):.6g}), {flags}, "
                f"{self.n_programs} programs (paper: {self.n_programs_paper})>")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (exact numbers as strings)."""
        W, b = self.network.layers[0]
        (c,), (c0,) = self.network.layers[1]
        return {"objective": str(self.objective), "objective_float": float(self.objective),
                "loss": self.loss, "width": self.width, "output_bias": self.output_bias,
                "method": self.method, "certified": self.certified,
                "partial": self.partial,
                "units": [{"a": [str(v) for v in row], "b": str(bi), "c": str(ci)}
                          for row, bi, ci in zip(W, b, c)],
                "c0": str(c0), "n_programs": self.n_programs,
                "n_programs_paper": self.n_programs_paper,
                "n_combinations": self.n_combinations, "n_pruned": self.n_pruned,
                "n_dichotomies": self.n_dichotomies, "timings": dict(self.timings),
                "solver": dict(self.solver)}


# ---------------------------------------------------------------------------- input
def _prepare(X: Any, y: Any, width: Any, loss: Any) -> tuple[list[tuple[Fraction, ...]],
                                                             tuple[Fraction, ...]]:
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
        raise NotExactError(f"width must be an integer, got {width!r}")
    if width < 1:
        raise DomainError(f"width must be at least 1, got {width}")
    if loss not in LOSSES:
        raise DomainError(f"unknown loss {loss!r}; known: {', '.join(LOSSES)}")
    rows = X.tolist() if isinstance(X, np.ndarray) else list(X)
    labels = y.tolist() if isinstance(y, np.ndarray) else list(y)
    if len(rows) != len(labels):
        raise DimensionError(f"X has {len(rows)} points but y has {len(labels)} labels")
    if not rows:
        raise DimensionError("fit needs at least one data point, got none")
    pts = []
    for j, r in enumerate(rows):
        r = list(r) if isinstance(r, (list, tuple)) else [r]
        pts.append(tuple(as_rational(v, exact_float=True, what=f"X[{j}][{i}]")
                         for i, v in enumerate(r)))
    n = len(pts[0])
    for j, p in enumerate(pts):
        if len(p) != n:
            raise DimensionError(f"X is ragged: point 0 has {n} coordinates, point {j} "
                                 f"has {len(p)}")
    if n == 0:
        raise DimensionError("X has points with no coordinates")
    ys = tuple(as_rational(v, exact_float=True, what=f"y[{j}]") for j, v in enumerate(labels))
    if loss == "hinge":
        for j, v in enumerate(ys):
            if v not in (1, -1):
                raise DomainError(f"hinge loss needs labels in {{-1, +1}}, got y[{j}] = {v}")
    return pts, ys


def dichotomies(X: Any) -> tuple[frozenset[int], ...]:
    """The affine dichotomies {j : <a, x_j> + b > 0} of the points ``X``, exactly.

    Sets of indices, in increasing order of their bitmask (sum of 2^j). Repeated and
    degenerate (affinely dependent) points are handled; in general position there are
    ``cover_count(D, n)`` of them.

    Examples
    --------
    >>> import relugeom as rg
    >>> len(rg.erm.dichotomies([[0, 0], [1, 0], [0, 1], [1, 1]])), rg.erm.cover_count(4, 2)
    (14, 14)
    >>> rg.erm.dichotomies([[0], [1], [1]])
    (frozenset(), frozenset({0}), frozenset({1, 2}), frozenset({0, 1, 2}))
    """
    pts, _ = _prepare(X, [0] * len(list(X)), 1, "squared")
    arr = Arrangement(pts, rays=False)
    return tuple(frozenset(j for j in range(len(pts)) if m >> j & 1) for m in arr.masks)


def brute_force_objective(X: Any, y: Any, *, width: int, loss: str = "squared",
                          output_bias: bool = False) -> Fraction:
    """Exact ERM optimum by brute force over *all* 2^D activation patterns per unit
    (realisable or not), every program certified exactly. Only for tiny data.

    Examples
    --------
    >>> import relugeom as rg
    >>> rg.erm.brute_force_objective([[0], [1], [2]], [0, 1, 0], width=1)
    Fraction(2, 9)
    """
    pts, ys = _prepare(X, y, width, loss)
    check_size("max_programs", math.comb(2 ** (len(pts) + 1) + width - 1, width),
               "brute force")
    best, _, failed = brute_force(pts, ys, width, loss, output_bias)
    if failed:
        raise RuntimeError(f"brute force: {failed} programs could not be certified")
    return best


# ---------------------------------------------------------------------------- fitting
def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _problem(arr: Arrangement, ys: tuple[Fraction, ...], loss: str, bias: bool,
             items: list[tuple[int, int]]) -> Problem:
    D = len(ys)
    yf = np.array([float(v) for v in ys])
    cols = np.array([[float(v) for v in c] for c in arr.columns]).reshape(len(arr.columns), D)
    zero = [all(v == 0 for v in c) for c in arr.columns]
    item_rays = tuple(np.array([r for r in arr.region_rays[g] if not zero[r]], dtype=np.intp)
                      for g, _ in items)
    cover = np.array([[bool(arr.masks[g] >> j & 1) for j in range(D)] for g, _ in items],
                     dtype=bool).reshape(len(items), D)
    lb_none = np.array([float(loss_value(loss, ZERO, v)) for v in ys])
    if loss == "squared":
        lb_pos = np.array([float(min(v, ZERO) ** 2) for v in ys])
        lb_neg = np.array([float(max(v, ZERO) ** 2) for v in ys])
    elif loss == "absolute":
        lb_pos = np.array([float(max(-v, ZERO)) for v in ys])
        lb_neg = np.array([float(max(v, ZERO)) for v in ys])
    else:
        lb_pos = np.array([1.0 if v < 0 else 0.0 for v in ys])
        lb_neg = np.array([1.0 if v > 0 else 0.0 for v in ys])
    return Problem(loss, bias, yf, cols, item_rays, np.array([s for _, s in items]),
                   cover, lb_none, lb_pos, lb_neg)


def _chunks(n_items: int, w: int, size: int) -> Iterator[np.ndarray]:
    it = itertools.combinations(range(n_items), w)
    while True:
        block = list(itertools.islice(it, size))
        if not block:
            return
        yield np.array(block, dtype=np.intp).reshape(len(block), w)


class _Dispatcher:
    """Runs chunks on an Executor, a dask Client, or inline (``executor=None, workers=1``)."""

    def __init__(self, executor: Any, workers: Optional[int], prob: Problem):
        self.own = None
        self.prob_ref: Any = prob
        self.is_dask = type(executor).__module__.split(".")[0] == "distributed"
        if executor is None and (workers or 1) > 1:
            from concurrent.futures import ProcessPoolExecutor
            executor = self.own = ProcessPoolExecutor(max_workers=workers,
                                                      initializer=_ignore_sigint)
        self.ex = executor
        if self.is_dask:
            self.prob_ref = executor.scatter(prob, broadcast=True)
            self.slots = 2 * max(1, sum(executor.nthreads().values()))
        else:
            self.slots = 2 * (workers or os.cpu_count() or 1) if executor is not None else 1

    def submit(self, combos: np.ndarray, incumbent: float) -> Any:
        if self.ex is None:
            return run_chunk(self.prob_ref, combos, incumbent)
        if self.is_dask:
            return self.ex.submit(run_chunk, self.prob_ref, combos, incumbent, pure=False)
        return self.ex.submit(run_chunk, self.prob_ref, combos, incumbent)

    @staticmethod
    def result(fut: Any) -> Any:
        return fut.result() if hasattr(fut, "result") else fut

    def close(self, pending: Sequence[Any]) -> None:
        for f in pending:
            if hasattr(f, "cancel"):
                f.cancel()
        if self.own is not None:
            self.own.shutdown(wait=True, cancel_futures=True)


def fit(X: Any, y: Any, *, width: int, loss: str = "squared", output_bias: bool = False,
        method: str = "dichotomies", executor: Any = None, workers: Optional[int] = None,
        progress: bool = True, force: bool = False,
        chunk_size: Optional[int] = None) -> ERMResult:
    """Globally optimal one-hidden-layer ReLU network for the data (Algorithm 1).

    Parameters
    ----------
    X : array-like, shape (D, n) or (D,)
        Inputs, floats (converted exactly) or rationals.
    y : array-like, shape (D,)
        Labels; in {-1, +1} for the hinge loss.
    width : int, keyword-only
        Number of hidden units w >= 1.
    loss : {"squared", "absolute", "hinge"}
        loss(f, y) = (f - y)^2, |f - y| or max(0, 1 - y f); the objective is the mean.
    output_bias : bool
        Add a free output constant (the paper's model has none; default False).
    method : {"dichotomies", "breakpoints"}
        Algorithm 1 over dichotomies; or, for n = 1 only, the route through Theorem 2.2
        (serial, every program certified; for checks and small data).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where chunks of programs run. Default: a local process pool of ``workers``
        processes (all cores), or inline when ``workers=1`` or the job is small.
    progress : bool
        Show a tqdm progress bar.
    force : bool
        Go ahead even when the number of programs exceeds the limit ``max_programs``.
    chunk_size : int, optional
        Programs per task.

    Returns
    -------
    ERMResult

    Raises
    ------
    DimensionError
        X and y disagree in length, X is ragged or empty.
    DomainError
        width < 1, unknown loss or method, NaN / infinite data, hinge labels not +-1.
    TooLargeError
        More programs than the limit ``max_programs`` (the message gives the count),
        unless ``force=True``.

    Notes
    -----
    Exactness: dichotomies, rays, the certificate and the objective are exact. Which
    program is best is decided by the float solver's values (every program within a
    relative 1e-9 of the best float value is certified exactly and the exact minimum
    taken); the bound-based skips compare a float lower bound with a float value
    attained by a feasible point. ``certified`` is False only when no candidate's
    float solution could be turned into an exact certificate; the network then is the
    float solution rounded to rationals, its objective still computed exactly.
    Ctrl-C stops the sweep and returns the best so far with ``partial=True``.

    Examples
    --------
    >>> import relugeom as rg
    >>> X = [[0], [1], [2], [3], [4]]
    >>> y = [0, 2, 0, 2, 0]
    >>> a = rg.erm.fit(X, y, width=2, workers=1, progress=False)
    >>> b = rg.erm.fit(X, y, width=2, method="breakpoints")
    >>> a.objective == b.objective, a.n_programs < a.n_programs_paper
    (True, True)
    """
    t_start = time.perf_counter()
    pts, ys = _prepare(X, y, width, loss)
    if method not in ("dichotomies", "breakpoints"):
        raise DomainError(f"unknown method {method!r}; known: dichotomies, breakpoints")
    D, n = len(pts), len(pts[0])
    bias = bool(output_bias)
    if method == "breakpoints":
        return _fit_breakpoints(pts, ys, width, loss, bias, t_start)
    if not force:
        check_size("max_regions", cover_count(D, n), "erm: dichotomies of the data")
    arr = Arrangement(pts)
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
    prob = _problem(arr, ys, loss, bias, items)
    n_solved = n_pruned = 0
    cands: list = []
    partial = False
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=n_comb + presolve, desc="erm", unit="prog", leave=False)
    order = list(range(len(items)))
    if presolve:      # single items: valid upper bounds, and an order for the sweep
        singles = run_chunk(prob, np.arange(len(items)).reshape(-1, 1), math.inf,
                            margin=math.inf, keep=len(items))
        vals = {c[1][0]: c[0] for c in singles.candidates}
        n_solved += singles.n_solved
        order = sorted(order, key=lambda i: vals.get(i, math.inf))
        best_single = min(vals.values())
        cands.extend((v, c, mu, b0, xi) for v, c, mu, b0, xi in singles.candidates
                     if v <= best_single + 1e-9 * max(1.0, abs(best_single)))
        if bar is not None:
            bar.update(presolve)
        perm = np.array(order, dtype=np.intp)
        prob = dataclasses.replace(
            prob, item_rays=tuple(prob.item_rays[i] for i in order),
            item_sign=prob.item_sign[perm], item_cover=prob.item_cover[perm])
        items = [items[i] for i in order]
        cands = [(v, (order.index(c[0]),), mu, b0, xi) for v, c, mu, b0, xi in cands]
    incumbent = min((c[0] for c in cands), default=math.inf)
    if workers is None and executor is None:
        workers = (os.cpu_count() or 1) if n_comb >= 4000 else 1
    size = chunk_size or max(50, min(2000, n_comb // (8 * max(workers or 2, 1)) or 50))
    disp = _Dispatcher(executor, workers, prob)
    pending: list = []
    t_solve0 = time.perf_counter()
    try:
        chunks = _chunks(len(items), min(w, len(items)), size)
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
            n_solved += out.n_solved
            n_pruned += out.n_pruned
            cands.extend(out.candidates)
            incumbent = min([incumbent] + [c[0] for c in out.candidates])
            if bar is not None:
                bar.update(nb)
    except KeyboardInterrupt:
        partial = True
    finally:
        disp.close([f for _, f in pending])
        if bar is not None:
            bar.close()
    t_solved = time.perf_counter()
    if not cands:
        # interrupted before anything came back: the zero network is a valid answer
        cands = [(math.inf, (), np.zeros(0), 0.0, None)]
    best_float = min(c[0] for c in cands)
    cut = best_float + 1e-9 * max(1.0, abs(best_float))
    near = sorted((c for c in cands if c[0] <= cut), key=lambda c: c[0])[:16]
    best = None
    n_cert = 0
    for val, combo, mu, b0, xi in near:
        A, keys = program_matrix(prob, np.array(combo, dtype=np.intp))
        cols = [tuple(s * v for v in arr.columns[r]) for r, s in keys]
        cert = certify(cols, ys, loss, bias, mu, b0, xi)
        if cert is None:
            continue
        n_cert += 1
        if best is None or cert.objective < best[0].objective:
            best = (cert, combo, keys, list(cert.mu), cert.b0)
    certified = best is not None
    if best is None:        # label: float solution rounded, not certified
        val, combo, mu, b0, xi = near[0]
        _, keys = program_matrix(prob, np.array(combo, dtype=np.intp))
        best = (None, combo, keys, [Fraction(float(m)).limit_denominator(1 << 30) for m in mu],
                Fraction(float(b0)).limit_denominator(1 << 30) if bias else ZERO)
    cert, combo, keys, mu, b0 = best
    net = _network(arr, items, combo, keys, mu, b0, w, n)
    fitted = tuple(_eval(net, p) for p in pts)
    objective = mean_loss(loss, fitted, ys)
    if cert is not None and objective != cert.objective:
        raise RuntimeError(f"erm: internal error, network objective {objective} differs "
                           f"from the certified {cert.objective}")
    t_end = time.perf_counter()
    return ERMResult(
        objective=objective, network=net, fitted=fitted, loss=loss, width=w,
        output_bias=bias, method="dichotomies", certified=certified, partial=partial,
        n_programs=n_solved, n_programs_paper=n_paper, n_combinations=n_comb,
        n_pruned=n_pruned, n_dichotomies=n_dich,
        timings={"enumerate": t_enum - t_start, "solve": t_solved - t_solve0,
                 "certify": t_end - t_solved, "total": t_end - t_start},
        solver={"float": "scipy.optimize.nnls" if loss == "squared"
                else "scipy.optimize.linprog (HiGHS), dual LP",
                "exact": "Lawson-Hanson in rationals + subgradient certificate"
                if loss == "squared" else "active set in rationals + subgradient certificate",
                "n_presolved": presolve, "n_candidates_certified": n_cert,
                "n_candidates": len(near), "best_float_value": best_float / D,
                "executor": "inline" if disp.ex is None else type(disp.ex).__name__,
                "chunk_size": size})


def _eval(net: ReLUNetwork, p: tuple[Fraction, ...]) -> Fraction:
    v = net(p if len(p) > 1 else p[0])
    assert isinstance(v, Fraction)
    return v


def _network(arr: Arrangement, items: list[tuple[int, int]], combo: Sequence[int],
             keys: list[tuple[int, int]], mu: Sequence[Fraction], b0: Fraction, w: int,
             n: int) -> ReLUNetwork:
    """Units z_i = sum of mu * ray over the columns assigned to item i; output sign s_i."""
    units = [[ZERO] * (n + 1) for _ in combo]
    for (r, s), m in zip(keys, mu):
        if m == 0:
            continue
        i = next(i for i, it in enumerate(combo)
                 if items[it][1] == s and r in arr.region_rays[items[it][0]])
        units[i] = [a + m * h for a, h in zip(units[i], arr.rays[r])]
    signs = [items[it][1] for it in combo]
    while len(units) < w:
        units.append([ZERO] * (n + 1))
        signs.append(1)
    W1 = tuple(tuple(u[:n]) for u in units)
    b1 = tuple(u[n] for u in units)
    return ReLUNetwork._trusted([(W1, b1), ((tuple(Fraction(s) for s in signs),), (b0,))])


def _fit_breakpoints(pts: list, ys: tuple, w: int, loss: str, bias: bool,
                     t0: float) -> ERMResult:
    if len(pts[0]) != 1:
        raise DimensionError(f"method='breakpoints' is the n = 1 route; the data have "
                             f"n = {len(pts[0])} coordinates")
    x = [p[0] for p in pts]
    m = len(set(x))
    check_size("max_programs", 8 ** w * max(m, 1) ** w, "erm breakpoints")
    cert, (units, c0), count, failed = fit_breakpoints(x, ys, w, loss, bias)
    W1 = tuple((a,) for _, a, _ in units)
    b1 = tuple(b for _, _, b in units)
    net = ReLUNetwork._trusted([(W1, b1), ((tuple(Fraction(s) for s, _, _ in units),),
                                            (c0,))])
    fitted = tuple(_eval(net, p) for p in pts)
    objective = mean_loss(loss, fitted, ys)
    if objective != cert.objective:
        raise RuntimeError(f"erm breakpoints: internal error, network objective "
                           f"{objective} differs from the certified {cert.objective}")
    t = time.perf_counter() - t0
    n_dich = 2 * m
    return ERMResult(
        objective=objective, network=net, fitted=fitted, loss=loss, width=w,
        output_bias=bias, method="breakpoints", certified=failed == 0, partial=False,
        n_programs=count, n_programs_paper=2 ** w * n_dich ** w, n_combinations=count,
        n_pruned=0, n_dichotomies=n_dich,
        timings={"enumerate": 0.0, "solve": t, "certify": 0.0, "total": t},
        solver={"float": "scipy nnls / HiGHS on generic cone rays",
                "exact": "every program certified", "n_uncertified": failed})


# ---------------------------------------------------------------------------- CLI
def cli_main(args: argparse.Namespace) -> int:
    """``relugeom erm DATA.csv --width w``: read a CSV (feature columns, then the label;
    a non-numeric first row is a header), fit, print the result. Returns an exit status.
    """
    import csv
    rows = []
    with open(args.data, encoding="utf-8", newline="") as fh:
        for i, rec in enumerate(csv.reader(fh)):
            rec = [c.strip() for c in rec if c.strip() != ""]
            if not rec:
                continue
            try:
                rows.append([as_rational(c, what=f"{args.data} line {i + 1}") for c in rec])
            except (DomainError, NotExactError):
                if i == 0 and not rows:
                    continue            # header
                raise
    if not rows or len(rows[0]) < 2:
        raise DimensionError(f"{args.data}: need at least one feature column and a label "
                             f"column")
    X = [r[:-1] for r in rows]
    y = [r[-1] for r in rows]
    res = fit(X, y, width=args.width, loss=args.loss, workers=args.workers,
              progress=not args.no_progress and sys.stderr.isatty(), force=args.force)
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
    else:
        print(f"objective: {res.objective} (~{float(res.objective):.10g}), "
              f"{'certified' if res.certified else 'NOT certified'}"
              f"{', PARTIAL (interrupted)' if res.partial else ''}")
        print(f"programs: {res.n_programs} solved, {res.n_pruned} skipped by the bound, "
              f"{res.n_combinations} unordered sets; paper: {res.n_programs_paper}")
        W, b = res.network.layers[0]
        (c,), (c0,) = res.network.layers[1]
        for i, (row, bi, ci) in enumerate(zip(W, b, c)):
            print(f"unit {i}: c={ci}  a=({', '.join(map(str, row))})  b={bi}")
        if res.output_bias:
            print(f"output bias: {c0}")
    return 130 if res.partial else 0

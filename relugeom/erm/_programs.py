"""Float side of Algorithm 1: one convex program, and a chunk of programs for a worker.

A program is "minimise sum_j loss(f_j, y_j) with f = A mu (+ b0), mu >= 0". Solvers,
chosen by measurement on the development machine (n = 1, w = 2, D = 40, 4 columns):

========================================  ===============  ===========================
program                                   solver           time per program
========================================  ===============  ===========================
squared loss, NNLS form                   scipy ``nnls``   ~44 us  (Lawson-Hanson)
squared loss, same, dense QP              quadprog         ~28 us  (needs a PD Hessian)
squared loss, same, interior point        clarabel         ~130 us
absolute loss, primal LP (t_j >= |r_j|)   scipy HiGHS      ~4500 us
absolute loss, primal LP                  highspy direct   ~2000 us
absolute / hinge, dual LP (k rows)        scipy HiGHS      ~2600 us
========================================  ===============  ===========================

scipy's NNLS is an active-set method (its active set warm-starts the exact certificate),
needs no regularisation and no extra dependency; the LP losses use the small dual LP,
whose solution is the subgradient ``xi`` of the certificate and whose row marginals
are ``mu``.
"""
from __future__ import annotations

import dataclasses
import math
import pickle
import signal
import time
from fractions import Fraction
from typing import Any, Optional

import numpy as np

from ._dual import bits, dual_bound, squared_bound_int64, squared_bounds_batch

__all__: list[str] = []


@dataclasses.dataclass(frozen=True)
class Problem:
    """Everything a worker needs (small, picklable)."""

    loss: str
    bias: bool
    y: np.ndarray               # (D,) float labels
    cols: np.ndarray            # (R, D) float columns sigma(X~ h) of the rays
    item_rays: tuple[np.ndarray, ...]   # ray ids of each item (nonzero columns only)
    item_sign: np.ndarray       # (N,) +1 / -1
    item_cover: np.ndarray      # (N, D) bool: the item's unit may be nonzero there
    lb_none: np.ndarray         # (D,) min loss with f_j = 0
    lb_pos: np.ndarray          # (D,) min loss with f_j >= 0
    lb_neg: np.ndarray          # (D,) min loss with f_j <= 0
    # exact twins (Python ints in object arrays): columns times positive integers,
    # labels Y / Ly, coverage bounds lbi_* / lb_den
    qcols: np.ndarray           # (R, D)
    Y: np.ndarray               # (D,)
    Ly: int
    lbi_none: np.ndarray        # (D,)
    lbi_pos: np.ndarray
    lbi_neg: np.ndarray
    lb_den: int
    q64: Optional[np.ndarray] = None    # qcols as int64 when the squared fast path is safe
    Y64: Optional[np.ndarray] = None
    zbits: int = 0


def solve_program(A: np.ndarray, y: np.ndarray, loss: str,
                  bias: bool) -> tuple[float, np.ndarray, float, Optional[np.ndarray]]:
    """Float optimum of one program: (sum of losses at the returned point, mu, b0, xi).

    A failed or non-finite solve (HiGHS status other than optimal, NNLS out of
    iterations, overflow) returns ``(inf, 0, 0, None)``: the caller then treats the
    program through its exact route (``_simplex.solve_exact``)."""
    try:
        with np.errstate(all="ignore"):
            out = _solve_program(A, y, loss, bias)
    except (ValueError, RuntimeError, OverflowError, FloatingPointError):
        out = None
    if out is None or not np.isfinite(out[0]) or not np.all(np.isfinite(out[1])) or \
            not np.isfinite(out[2]):
        return math.inf, np.zeros(A.shape[1]), 0.0, None
    return out


def _solve_program(A: np.ndarray, y: np.ndarray, loss: str,
                   bias: bool) -> Optional[tuple[float, np.ndarray, float,
                                                 Optional[np.ndarray]]]:
    D, k = A.shape
    if loss == "squared":
        from scipy.optimize import nnls
        if bias:
            my = y.mean()
            Ac = A - A.mean(axis=0) if k else A
            yc = y - my
        else:
            Ac, yc = A, y
        if k:
            mu, _ = nnls(Ac, yc, maxiter=50 * (k + 1))
        else:
            mu = np.zeros(0)
        f = A @ mu if k else np.zeros(D)
        b0 = float((y - f).mean()) if bias else 0.0
        r = f + b0 - y
        return float(r @ r), mu, b0, None
    from scipy.optimize import linprog
    if loss == "absolute":
        c, rows, bounds = y, -A.T, (-1.0, 1.0)
        eq = (np.ones((1, D)), np.zeros(1)) if bias else (None, None)
    else:
        c, rows, bounds = -np.ones(D), (A * y[:, None]).T, (0.0, 1.0)
        eq = (y[None, :], np.zeros(1)) if bias else (None, None)
    res = linprog(c, A_ub=rows if k else None, b_ub=np.zeros(k) if k else None,
                  A_eq=eq[0], b_eq=eq[1], bounds=bounds, method="highs")
    if res.status != 0 or res.x is None or (k and res.ineqlin.marginals is None) or \
            (bias and res.eqlin.marginals is None):
        return None             # infeasible / unbounded / model error: exact route
    mu = np.maximum(-res.ineqlin.marginals, 0.0) if k else np.zeros(0)
    f = A @ mu if k else np.zeros(D)
    b0 = 0.0
    if bias:      # the bias is the equality multiplier; pick its sign by the objective
        nu = float(res.eqlin.marginals[0])
        b0 = min((nu, -nu), key=lambda b: _value(loss, f + b, y))
    xi = res.x if loss == "absolute" else -y * res.x
    return _value(loss, f + b0, y), mu, b0, xi


def _value(loss: str, f: np.ndarray, y: np.ndarray) -> float:
    if loss == "squared":
        return float(((f - y) ** 2).sum())
    if loss == "absolute":
        return float(np.abs(f - y).sum())
    return float(np.maximum(0.0, 1.0 - y * f).sum())


def program_matrix(prob: Problem, combo: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """The float matrix A of the program of ``combo`` and its (ray, sign) columns."""
    A, keys, _, _ = _program(prob, combo)
    return A, keys


def _program(prob: Problem, combo: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]],
                                                         np.ndarray, np.ndarray]:
    seen: dict[tuple[int, int], None] = {}
    for it in combo:
        s = int(prob.item_sign[it])
        for r in prob.item_rays[it]:
            seen.setdefault((int(r), s), None)
    keys = list(seen)
    if not keys:
        return np.zeros((len(prob.y), 0)), keys, np.zeros(0, dtype=np.intp), np.zeros(0)
    ids = np.fromiter((r for r, _ in keys), dtype=np.intp, count=len(keys))
    sg = np.fromiter((s for _, s in keys), dtype=np.float64, count=len(keys))
    return (prob.cols[ids] * sg[:, None]).T, keys, ids, sg


def exact_lower_bounds(prob: Problem, combos: np.ndarray) -> list[Fraction]:
    """The coverage bounds of :func:`lower_bounds`, computed exactly (integers)."""
    if not len(combos):
        return []
    cov = prob.item_cover[combos]
    pos = (cov & (prob.item_sign[combos] > 0)[:, :, None]).any(axis=1)
    neg = (cov & (prob.item_sign[combos] < 0)[:, :, None]).any(axis=1)
    none = ~(pos | neg)
    if prob.bias:
        if prob.loss != "squared":
            return [Fraction(0)] * len(combos)
        n = none.sum(axis=1).tolist()
        s1 = (none.astype(object) @ prob.Y).tolist()
        s2 = (none.astype(object) @ (prob.Y * prob.Y)).tolist()
        L2 = prob.Ly * prob.Ly
        return [Fraction(b * k - a * a, k * L2) if k else Fraction(0)
                for k, a, b in zip(n, s1, s2)]
    tot = (none.astype(object) @ prob.lbi_none + (pos & ~neg).astype(object) @ prob.lbi_pos
           + (neg & ~pos).astype(object) @ prob.lbi_neg)
    return [Fraction(v, prob.lb_den) for v in tot.tolist()]


def with_fast_path(prob: Problem) -> Problem:
    """``prob`` with int64 copies for the squared-loss dual bounds when they cannot
    overflow (see ``_dual.squared_bound_int64``); unchanged otherwise."""
    if prob.loss != "squared":
        return prob
    D = len(prob.y)
    q, yb, d = bits(prob.qcols), bits(prob.Y), max(1, D.bit_length())
    zbits = min(28, (62 - d) // 2, 62 - q - d, 62 - yb - d)
    if 2 * q + d > 62 or q + yb + d > 62 or zbits < 20:
        return prob
    return dataclasses.replace(prob, q64=prob.qcols.astype(np.int64).reshape(prob.qcols.shape),
                               Y64=prob.Y.astype(np.int64), zbits=zbits)


def lower_bounds(prob: Problem, combos: np.ndarray) -> np.ndarray:
    """Sound lower bounds on the sum of losses of each combination, from coverage alone.

    A point that no unit covers has f_j = 0 (no output bias); one covered only by
    +1 units has f_j >= 0, only by -1 units f_j <= 0. Each point's smallest loss under
    its constraint sums to a lower bound. With an output bias the uncovered points share
    one free value: for the squared loss their variance is a bound; otherwise 0.
    """
    cov = prob.item_cover[combos]                    # (B, w, D)
    pos = (cov & (prob.item_sign[combos] > 0)[:, :, None]).any(axis=1)
    neg = (cov & (prob.item_sign[combos] < 0)[:, :, None]).any(axis=1)
    none = ~(pos | neg)
    if prob.bias:
        if prob.loss != "squared":
            return np.zeros(len(combos))
        n = none.sum(axis=1)
        s1 = (none * prob.y).sum(axis=1)
        s2 = (none * prob.y ** 2).sum(axis=1)
        return np.where(n > 0, s2 - s1 ** 2 / np.maximum(n, 1), 0.0)
    return (none @ prob.lb_none + (pos & ~neg) @ prob.lb_pos + (neg & ~pos) @ prob.lb_neg)


@dataclasses.dataclass
class ChunkResult:
    """What a worker sends back: candidates near its best, counts, and (``exact=True``)
    the exact lower bounds that certify everything else.

    ``low`` lists the programs whose exact dual bound is missing or below the chunk's
    cut (combo, bound or None); every other solved program has an exact dual bound
    >= ``dual_min``. ``pruned_low`` lists skipped programs whose exact coverage bound is
    below the cut; every other skipped one has an exact coverage bound >= ``pruned_min``.
    Bounds are on the *sum* of losses.
    """

    candidates: list[tuple[float, tuple[int, ...], np.ndarray, float, Optional[np.ndarray]]]
    n_solved: int
    n_pruned: int
    seconds: float
    cpu_seconds: float = 0.0
    n_dual: int = 0
    dual_min: Optional[Fraction] = None
    low: list[tuple[tuple[int, ...], Optional[Fraction]]] = dataclasses.field(
        default_factory=list)
    pruned_min: Optional[Fraction] = None
    pruned_low: list[tuple[tuple[int, ...], Fraction]] = dataclasses.field(
        default_factory=list)
    failed: list[tuple[int, ...]] = dataclasses.field(default_factory=list)


def run_chunk(prob: Problem, combos: np.ndarray, incumbent: float,
              margin: float = 1e-9, keep: int = 16, exact: bool = False) -> ChunkResult:
    """Solve every combination of ``combos`` whose lower bound does not exceed the
    incumbent; keep those within a relative ``margin`` of the best (for exact re-checking).
    With ``exact``, also compute an exact dual bound for every solved program and an
    exact coverage bound for every skipped one (see :class:`ChunkResult`).
    """
    t0 = time.perf_counter()
    c0 = time.process_time()
    bounds = lower_bounds(prob, combos) if len(combos) else np.zeros(0)
    best = incumbent
    cands: list = []
    n_solved = n_pruned = 0
    duals: list = []
    batch: list = []            # squared int64 fast path: bounds computed together
    pruned: list[int] = []
    failed: list[tuple[int, ...]] = []
    for idx, (combo, lb) in enumerate(zip(combos, bounds)):
        if lb > best:
            n_pruned += 1
            pruned.append(idx)
            continue
        A, _, ids, sg = _program(prob, combo)
        val, mu, b0, xi = solve_program(A, prob.y, prob.loss, prob.bias)
        n_solved += 1
        if val == float("inf"):         # the float solve failed: exact route later
            failed.append(tuple(int(c) for c in combo))
            if exact:
                duals.append((idx, None))
            continue
        if exact:
            if xi is None:
                xi = (A @ mu if len(mu) else 0.0) + b0 - prob.y
            if prob.q64 is not None:    # batched after the loop (see below)
                batch.append((idx, ids, sg, xi, A))
            else:
                Q = prob.qcols[ids]
                if len(sg):
                    Q = Q * sg.astype(np.int64).astype(object)[:, None]
                bd = dual_bound(prob.loss, prob.bias, Q, A, xi, prob.Y, prob.Ly)
                duals.append((idx, bd))
        if not cands or val <= best + margin * max(1.0, abs(best)):
            cands.append((val, tuple(int(c) for c in combo), mu, b0, xi))
            best = min(best, val)
    cut = best + margin * max(1.0, abs(best))
    cands = sorted((c for c in cands if c[0] <= cut), key=lambda c: c[0])[:keep]
    out = ChunkResult(cands, n_solved, n_pruned, 0.0, failed=failed)
    if exact:
        lim = best * (1 + 1e-6) + 1e-9 if best < float("inf") else float("inf")
        if batch:
            # vectorised exact bounds (an exact check on a float proposal); where the
            # check fails or the bound is too weak to clear ``lim``, the per-program
            # exact projection is tried as well
            bds = squared_bounds_batch(prob.q64, prob.Y64, prob.Ly, prob.bias, prob.zbits,
                                       [(ids, sg, xi) for _, ids, sg, xi, _ in batch])
            for (idx, ids, sg, xi, A), bd in zip(batch, bds):
                if bd is None or bd[0] < lim * bd[1]:
                    Q = prob.q64[ids] * sg.astype(np.int64)[:, None]
                    bd2 = squared_bound_int64(Q, A, xi, prob.Y64, prob.Ly, prob.bias,
                                              prob.zbits)
                    if bd is None or (bd2 is not None and bd2[0] * bd[1] > bd[0] * bd2[1]):
                        bd = bd2
                duals.append((idx, bd))
        out.n_dual = len(duals)
        lo: Optional[tuple[int, int]] = None
        for idx, bd in duals:
            if isinstance(bd, Fraction):
                bd = (bd.numerator, bd.denominator)
            if bd is None or bd[0] / bd[1] < lim:
                out.low.append((tuple(int(c) for c in combos[idx]),
                                None if bd is None else Fraction(*bd)))
            elif lo is None or bd[0] * lo[1] < lo[0] * bd[1]:
                lo = bd
        out.dual_min = None if lo is None else Fraction(*lo)
        exl = exact_lower_bounds(prob, combos[pruned]) if pruned else []
        for idx, bd in zip(pruned, exl):
            if float(bd) < lim:
                out.pruned_low.append((tuple(int(c) for c in combos[idx]), bd))
            elif out.pruned_min is None or bd < out.pruned_min:
                out.pruned_min = bd
    out.seconds = time.perf_counter() - t0
    out.cpu_seconds = time.process_time() - c0
    return out


# ------------------------------------------------------------------ worker processes
_SHARED: dict[str, Any] = {}


def init_worker(token: Optional[str] = None, blob: Optional[bytes] = None) -> None:
    """Process-pool initializer: ignore Ctrl-C (the parent handles it), import the solvers
    once, and unpickle the problem once per process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    import scipy.optimize  # noqa: F401  (warm import: ~0.3 s the first time)
    if token is not None and blob is not None:
        _SHARED.clear()
        _SHARED[token] = pickle.loads(blob)


def run_shared(token: str, blob: Optional[bytes], combos: np.ndarray, incumbent: float,
               exact: bool) -> ChunkResult:
    """:func:`run_chunk` on the problem held by this process under ``token``; ``blob``
    (its pickle) is unpickled only the first time a process sees the token."""
    prob = _SHARED.get(token)
    if prob is None:
        if blob is None:
            raise RuntimeError("erm worker: problem data missing (initializer not run)")
        prob = pickle.loads(blob)
        _SHARED.clear()
        _SHARED[token] = prob
    return run_chunk(prob, combos, incumbent, exact=exact)


def warm(_: object = None) -> int:
    """A no-op task that imports the solvers in a worker (for warming a pool)."""
    import scipy.optimize  # noqa: F401
    return 0

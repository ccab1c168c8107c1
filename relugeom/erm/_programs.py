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
import time
from typing import Optional

import numpy as np

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


def solve_program(A: np.ndarray, y: np.ndarray, loss: str,
                  bias: bool) -> tuple[float, np.ndarray, float, Optional[np.ndarray]]:
    """Float optimum of one program: (sum of losses at the returned point, mu, b0, xi)."""
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
    seen: dict[tuple[int, int], None] = {}
    for it in combo:
        s = int(prob.item_sign[it])
        for r in prob.item_rays[it]:
            seen.setdefault((int(r), s), None)
    keys = list(seen)
    if not keys:
        return np.zeros((len(prob.y), 0)), keys
    ids = np.fromiter((r for r, _ in keys), dtype=np.intp, count=len(keys))
    sg = np.fromiter((s for _, s in keys), dtype=np.float64, count=len(keys))
    return (prob.cols[ids] * sg[:, None]).T, keys


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
    """What a worker sends back: candidates near its best, and counts."""

    candidates: list[tuple[float, tuple[int, ...], np.ndarray, float, Optional[np.ndarray]]]
    n_solved: int
    n_pruned: int
    seconds: float


def run_chunk(prob: Problem, combos: np.ndarray, incumbent: float,
              margin: float = 1e-9, keep: int = 16) -> ChunkResult:
    """Solve every combination of ``combos`` whose lower bound does not exceed the
    incumbent; keep those within a relative ``margin`` of the best (for exact re-checking).
    """
    t0 = time.perf_counter()
    bounds = lower_bounds(prob, combos) if len(combos) else np.zeros(0)
    best = incumbent
    cands: list = []
    n_solved = n_pruned = 0
    for combo, lb in zip(combos, bounds):
        if lb > best:
            n_pruned += 1
            continue
        A, _ = program_matrix(prob, combo)
        val, mu, b0, xi = solve_program(A, prob.y, prob.loss, prob.bias)
        n_solved += 1
        if not cands or val <= best + margin * max(1.0, abs(best)):
            cands.append((val, tuple(int(c) for c in combo), mu, b0, xi))
            best = min(best, val)
    cut = best + margin * max(1.0, abs(best))
    cands = sorted((c for c in cands if c[0] <= cut), key=lambda c: c[0])[:keep]
    return ChunkResult(cands, n_solved, n_pruned, time.perf_counter() - t0)

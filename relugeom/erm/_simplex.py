"""Exact routes for one convex program of Algorithm 1, with no float solver at all.

A program is "minimise sum_j loss(f_j, y_j) over f = A mu (+ b0), mu >= 0" (columns
``cols`` of A, rationals). Two independent exact solvers:

* :func:`lp_exact` -- a dense two-phase simplex over the rationals with Bland's rule
  (which cannot cycle), returning the optimal vertex and the dual prices. It solves the
  absolute and hinge programs as linear programs; their dual prices are the exact
  subgradient ``xi`` of the certificate.
* :func:`squared_faces` -- face enumeration for the squared loss: the optimum is the
  least-squares projection onto span(A_S) for some linearly independent set S of
  columns whose exact least-squares coefficients are all >= 0 (KKT), so the minimum
  over all such S is the optimum. Exponential in the number of columns: for checks.

:func:`solve_exact` uses them (and the exact Lawson-Hanson iteration for the squared loss)
and returns a :class:`~relugeom.erm._exact.Certified` point that passed the exact
certificate check, or None. It is the fallback of ``fit`` when a float solve fails or
cannot be certified.

>>> from fractions import Fraction as F
>>> r = solve_exact([(F(1), F(1), F(0))], (F(1), F(3), F(-1)), "absolute", False)
>>> r.objective, 1 <= r.mu[0] <= 3        # |mu - 1| + |mu - 3| + |0 + 1|, mean 1
(Fraction(1, 1), True)
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Optional, Sequence

from ._exact import (ONE, ZERO, Certified, _fitted, check_certificate, dot, mean_loss,
                     nnls_exact, rref, solve)

__all__: list[str] = []


def lp_exact(c: Sequence[Fraction], A: Sequence[Sequence[Fraction]],
             b: Sequence[Fraction]) -> Optional[tuple[list[Fraction], list[Fraction]]]:
    """min c.x subject to A x = b, x >= 0, exactly: (x, dual prices pi) at an optimal
    basis (``c - A^T pi >= 0``, zero on the support of x), or None when the program is
    infeasible or unbounded."""
    m, nv = len(A), len(c)
    rows, flip, orig = [], [], []
    for i in range(m):
        r = [Fraction(v) for v in A[i]]
        bi = Fraction(b[i])
        flip.append(bi < 0)
        if bi < 0:
            r, bi = [-v for v in r], -bi
        orig.append(r)
        rows.append(r + [ONE if k == i else ZERO for k in range(m)] + [bi])
    basis = [nv + i for i in range(m)]
    ntot = nv + m

    def pivot(r: int, col: int) -> None:
        inv = ONE / rows[r][col]
        rows[r] = [v * inv for v in rows[r]]
        for i in range(m):
            if i != r and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * p for a, p in zip(rows[i], rows[r])]
        basis[r] = col

    def run(cost: list[Fraction], allowed: int) -> bool:
        while True:
            cb = [cost[j] for j in basis]
            enter = None
            for j in range(allowed):            # Bland: smallest improving index
                if j in basis:
                    continue
                red = cost[j] - sum((cb[i] * rows[i][j] for i in range(m)), ZERO)
                if red < 0:
                    enter = j
                    break
            if enter is None:
                return True
            best = None
            for i in range(m):
                if rows[i][enter] > 0:
                    ratio = rows[i][-1] / rows[i][enter]
                    if best is None or ratio < best[0] or \
                            (ratio == best[0] and basis[i] < basis[best[1]]):
                        best = (ratio, i)
            if best is None:
                return False                    # unbounded
            pivot(best[1], enter)

    # phase I: minimise the sum of the artificials
    run([ZERO] * nv + [ONE] * m, ntot)
    if any(rows[i][-1] != 0 for i in range(m) if basis[i] >= nv):
        return None                             # infeasible
    for i in range(m):                          # drive artificials out of the basis
        if basis[i] >= nv:
            col = next((j for j in range(nv) if rows[i][j] != 0 and j not in basis), None)
            if col is not None:
                pivot(i, col)
    cost = [Fraction(v) for v in c] + [ZERO] * m
    if not run(cost, nv):        # rows left with an artificial at 0 are redundant
        return None
    x = [ZERO] * nv
    for i in range(m):
        if basis[i] < nv:
            x[basis[i]] = rows[i][-1]
    # dual prices: B^T pi = c_B (sign-flipped rows), then undo the flips
    Bt = [[orig[i][basis[r]] if basis[r] < nv else (ONE if basis[r] - nv == i else ZERO)
           for i in range(m)] for r in range(m)]
    pi = solve(Bt, [cost[basis[r]] for r in range(m)], m)
    if pi is None:
        return None
    return x, [-p if f else p for p, f in zip(pi, flip)]


def _lp_program(cols: Sequence[Sequence[Fraction]], y: Sequence[Fraction], loss: str,
                bias: bool) -> Optional[Certified]:
    D, k = len(y), len(cols)
    # variables: mu (k), b+ b- (bias), p (D), q (D)  [absolute: A mu + b - p + q = y]
    #            mu (k), b+ b- (bias), t (D), s (D)  [hinge: y (A mu + b) + t - s = 1]
    nb = 2 if bias else 0
    A, rhs = [], []
    for j in range(D):
        sj = ONE if loss == "absolute" else y[j]
        row = [sj * cols[c][j] for c in range(k)]
        if bias:
            row += [sj, -sj]
        e = [ONE if i == j else ZERO for i in range(D)]
        if loss == "absolute":
            row += [-v for v in e] + e
            rhs.append(y[j])
        else:
            row += e + [-v for v in e]
            rhs.append(ONE)
        A.append(row)
    c = [ZERO] * (k + nb) + ([ONE] * (2 * D) if loss == "absolute"
                             else [ONE] * D + [ZERO] * D)
    sol = lp_exact(c, A, rhs)
    if sol is None:
        return None
    x, pi = sol
    mu = tuple(x[:k])
    b0 = x[k] - x[k + 1] if bias else ZERO
    xi = [-p for p in pi] if loss == "absolute" else [-y[j] * pi[j] for j in range(D)]
    f = _fitted([tuple(cc) for cc in cols], mu, b0, D)
    if not check_certificate(cols, y, loss, bias, mu, b0, xi):
        return None
    return Certified(mean_loss(loss, f, y), mu, b0, tuple(f), tuple(xi))


def _squared(cols: Sequence[Sequence[Fraction]], y: Sequence[Fraction],
             bias: bool) -> Optional[Certified]:
    D = len(y)
    if bias:
        my = sum(y, ZERO) / D
        cc = [tuple(v - sum(c, ZERO) / D for v in c) for c in cols]
        yc = tuple(v - my for v in y)
    else:
        cc, yc = [tuple(c) for c in cols], tuple(y)
    mu = nnls_exact(cc, yc, [])
    b0 = (sum(y, ZERO) - sum(_fitted(cols, mu, ZERO, D), ZERO)) / D if bias else ZERO
    f = _fitted(cols, mu, b0, D)
    xi = [2 * (a - b) for a, b in zip(f, y)]
    if check_certificate(cols, y, "squared", bias, mu, b0, xi):
        return Certified(mean_loss("squared", f, y), tuple(mu), b0, tuple(f), tuple(xi))
    return None


def solve_exact(cols: Sequence[Sequence[Fraction]], y: Sequence[Fraction], loss: str,
                bias: bool) -> Optional[Certified]:
    """An exact, certified optimum of one program without any float solver (None only
    if the exact certificate check fails, which would be a bug)."""
    cols = [tuple(c) for c in cols]
    y = tuple(y)
    if loss == "squared":
        return _squared(cols, y, bias)
    return _lp_program(cols, y, loss, bias)


def squared_faces(cols: Sequence[Sequence[Fraction]], y: Sequence[Fraction],
                  bias: bool) -> Fraction:
    """The exact squared-loss optimum (mean) of one program by face enumeration (KKT):
    the minimum, over linearly independent sets S of columns (plus the free constant
    column with a bias) whose exact least-squares coefficients on S are >= 0, of the
    residual. Independent of the solvers above; exponential in ``len(cols)``."""
    D = len(y)
    cols = [tuple(c) for c in cols if any(v != 0 for v in c)]
    best: Optional[Fraction] = None
    free = [tuple([ONE] * D)] if bias else []
    for r in range(len(cols) + 1):
        for S in itertools.combinations(range(len(cols)), r):
            B = free + [cols[i] for i in S]
            if B:
                _, piv = rref([[col[j] for col in B] for j in range(D)], len(B))
                if len(piv) != len(B):
                    continue                    # dependent: a smaller S covers it
                G = [[dot(a, b) for b in B] for a in B]
                coef = solve(G, [dot(a, y) for a in B], len(B))
                if coef is None or any(v < 0 for v in coef[len(free):]):
                    continue
                f = [sum((cf * col[j] for cf, col in zip(coef, B)), ZERO) for j in range(D)]
            else:
                f = [ZERO] * D
            val = mean_loss("squared", f, y)
            if best is None or val < best:
                best = val
    assert best is not None                     # S = {} always qualifies
    return best

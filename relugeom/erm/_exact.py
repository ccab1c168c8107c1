"""Exact rational linear algebra, cone generators and optimality certificates for ERM.

Every convex program of Algorithm 1 is written as "minimise a convex loss of the fitted
vector ``f = A mu (+ b0)`` over ``mu >= 0``" (the columns of ``A`` are images of the
extreme rays of a polyhedral cone). A float solver proposes ``mu``; here it is turned into
an exact rational point and checked with an exact *subgradient certificate*:

    mu >= 0,  xi in dL(f),  A^T xi >= 0,  mu . (A^T xi) = 0  (and sum xi = 0 with a bias).

By convexity L(f') >= L(f) + xi . (f' - f) = L(f) + (A^T xi) . mu' >= L(f) for every
feasible mu', so a point that passes is optimal for its program, with no rounding anywhere.
For the squared loss xi = 2 (f - y) is fixed by mu, and the exact point comes from an
exact Lawson-Hanson active-set iteration warm-started at the float solver's active set.
"""
from __future__ import annotations

import dataclasses
import itertools
from fractions import Fraction
from typing import Optional, Sequence

import numpy as np

Vec = tuple[Fraction, ...]
ZERO = Fraction(0)
ONE = Fraction(1)


# ------------------------------------------------------------------ linear algebra
def rref(rows: Sequence[Sequence[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    """Reduced row echelon form over the rationals; returns (rows, pivot columns)."""
    m = [list(r) for r in rows]
    pivots: list[int] = []
    r = 0
    for c in range(ncols):
        p = next((i for i in range(r, len(m)) if m[i][c] != 0), None)
        if p is None:
            continue
        m[r], m[p] = m[p], m[r]
        inv = ONE / m[r][c]
        m[r] = [v * inv for v in m[r]]
        for i in range(len(m)):
            if i != r and m[i][c] != 0:
                f = m[i][c]
                m[i] = [a - f * b for a, b in zip(m[i], m[r])]
        pivots.append(c)
        r += 1
        if r == len(m):
            break
    return m[:r], pivots


def solve(rows: Sequence[Sequence[Fraction]], rhs: Sequence[Fraction], ncols: int,
          prefer: Sequence[Fraction] | None = None) -> Optional[list[Fraction]]:
    """A solution of ``rows @ v = rhs``; free variables take the ``prefer`` values (else 0).

    Returns None when the system is inconsistent.
    """
    aug = [list(r) + [b] for r, b in zip(rows, rhs)]
    red, piv = rref(aug, ncols + 1)
    if piv and piv[-1] == ncols:
        return None
    free = [c for c in range(ncols) if c not in set(piv)]
    v = [ZERO] * ncols
    for c in free:
        v[c] = prefer[c] if prefer is not None else ZERO
    for row, c in zip(red, piv):
        v[c] = row[ncols] - sum((row[f] * v[f] for f in free), ZERO)
    return v


def nullspace(rows: Sequence[Sequence[Fraction]], ncols: int) -> list[list[Fraction]]:
    """A basis of {v : rows @ v = 0}."""
    red, piv = rref(rows, ncols) if rows else ([], [])
    basis = []
    pset = set(piv)
    for f in range(ncols):
        if f in pset:
            continue
        v = [ZERO] * ncols
        v[f] = ONE
        for row, c in zip(red, piv):
            v[c] = -row[f]
        basis.append(v)
    return basis


def dot(a: Sequence[Fraction], b: Sequence[Fraction]) -> Fraction:
    return sum((x * y for x, y in zip(a, b)), ZERO)


def _primitive(v: Sequence[Fraction]) -> Vec:
    """Positive multiple of ``v`` with first nonzero entry of magnitude 1 (canonical key)."""
    s = next(abs(x) for x in v if x != 0)
    return tuple(x / s for x in v)


def cone_generators(G: Sequence[Sequence[Fraction]], p: int) -> tuple[list[Vec], list[Vec]]:
    """Extreme rays and a lineality basis of the cone {v in Q^p : G v <= 0}.

    Brute force over sets of tight constraints (meant for the small blocks of the
    checks and of the breakpoint route): v is an extreme ray of the pointed part iff it
    is orthogonal to the lineality space, satisfies G v <= 0 and its tight rows have
    rank p - dim(lineality) - 1.
    """
    lin = [tuple(v) for v in nullspace(G, p)] if G else \
        [tuple(ONE if i == j else ZERO for j in range(p)) for i in range(p)]
    d = p - len(lin)
    if d == 0:
        return [], lin
    rows = list({_primitive(g) for g in G if any(x != 0 for x in g)})
    rays: dict[Vec, None] = {}
    for S in itertools.combinations(rows, d - 1):
        ns = nullspace(list(lin) + list(S), p)
        if len(ns) != 1:
            continue
        for sgn in (1, -1):
            r = [sgn * x for x in ns[0]]
            if all(dot(g, r) <= 0 for g in G):
                rays[_primitive(r)] = None
    return list(rays), lin


# ------------------------------------------------------------------ losses
LOSSES = ("squared", "absolute", "hinge")


def loss_value(loss: str, f: Fraction, y: Fraction) -> Fraction:
    """Exact loss of the prediction ``f`` at the label ``y``."""
    if loss == "squared":
        return (f - y) ** 2
    if loss == "absolute":
        return abs(f - y)
    return max(ZERO, ONE - y * f)


def mean_loss(loss: str, f: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    """(1/D) sum_j loss(f_j, y_j), exactly."""
    return sum((loss_value(loss, a, b) for a, b in zip(f, y)), ZERO) / len(y)


# ------------------------------------------------------------------ certificates
@dataclasses.dataclass(frozen=True)
class Certified:
    """An exact optimal point of one program: weights ``mu``, bias ``b0``, fitted values,
    mean loss ``objective`` and the subgradient ``xi`` that proves optimality."""

    objective: Fraction
    mu: tuple[Fraction, ...]
    b0: Fraction
    fitted: tuple[Fraction, ...]
    xi: tuple[Fraction, ...]


def _fitted(cols: Sequence[Vec], mu: Sequence[Fraction], b0: Fraction, D: int) -> list[Fraction]:
    f = [b0] * D
    for c, m in zip(cols, mu):
        if m != 0:
            f = [a + m * b for a, b in zip(f, c)]
    return f


def check_certificate(cols: Sequence[Vec], y: Sequence[Fraction], loss: str, bias: bool,
                      mu: Sequence[Fraction], b0: Fraction, xi: Sequence[Fraction]) -> bool:
    """Exact check of the subgradient optimality certificate (see the module docstring)."""
    D = len(y)
    if any(m < 0 for m in mu) or (not bias and b0 != 0):
        return False
    f = _fitted(cols, mu, b0, D)
    for fj, yj, xj in zip(f, y, xi):
        if loss == "squared":
            ok = xj == 2 * (fj - yj)
        elif loss == "absolute":
            r = fj - yj
            ok = xj == (1 if r > 0 else -1) if r != 0 else -1 <= xj <= 1
        else:
            m = yj * fj
            ok = xj == -yj if m < 1 else (xj == 0 if m > 1 else 0 <= -yj * xj <= 1)
        if not ok:
            return False
    if bias and sum(xi, ZERO) != 0:
        return False
    for c, m in zip(cols, mu):
        g = dot(c, xi)
        if g < 0 or (m > 0 and g != 0):
            return False
    return True


def _ls(cols: Sequence[Vec], y: Sequence[Fraction], P: list[int]) -> Optional[list[Fraction]]:
    """Exact least squares on the (independent) columns P: solves the normal equations."""
    k = len(P)
    gram = [[dot(cols[a], cols[b]) for b in P] for a in P]
    rhs = [dot(cols[a], y) for a in P]
    return solve(gram, rhs, k)


def _independent(cols: Sequence[Vec], P: list[int], D: int) -> list[int]:
    if not P:
        return []
    rows = [[cols[c][j] for c in P] for j in range(D)]
    _, piv = rref(rows, len(P))
    return [P[i] for i in piv]


def nnls_exact(cols: Sequence[Vec], y: Sequence[Fraction],
               start: Sequence[int] = ()) -> list[Fraction]:
    """Exact Lawson-Hanson NNLS, min ||A mu - y|| over mu >= 0, warm-started at ``start``."""
    D, k = len(y), len(cols)
    mu = [ZERO] * k
    P = _independent(cols, sorted(set(start)), D)
    # warm start: shrink P until its least-squares solution is positive
    while P:
        s = _ls(cols, y, P)
        if s is not None and all(v > 0 for v in s):
            for c, v in zip(P, s):
                mu[c] = v
            break
        P = [c for c, v in zip(P, s or [ZERO] * len(P)) if v > 0] if s is not None else P[:-1]
    Pset = set(P)
    for _ in range(10 * (k + 1) + 100):
        r = [yj - fj for yj, fj in zip(y, _fitted(cols, mu, ZERO, D))]
        w = [dot(c, r) for c in cols]
        cand = [c for c in range(k) if c not in Pset and w[c] > 0]
        if not cand:
            return mu
        t = max(cand, key=lambda c: w[c])
        Pset.add(t)
        while True:
            P = sorted(Pset)
            s = _ls(cols, y, P)
            if s is None:            # dependent column: cannot happen in exact LH; stop
                Pset.discard(t)
                return mu
            if all(v > 0 for v in s):
                mu = [ZERO] * k
                for c, v in zip(P, s):
                    mu[c] = v
                break
            alpha = min(mu[c] / (mu[c] - v) for c, v in zip(P, s) if v <= 0)
            for c, v in zip(P, s):
                mu[c] = mu[c] + alpha * (v - mu[c])
            Pset = {c for c in P if mu[c] > 0}
            for c in range(k):
                if c not in Pset:
                    mu[c] = ZERO
    return mu


def _rat(x: float) -> Fraction:
    return Fraction(float(x)).limit_denominator(1 << 20)


def certify(cols: Sequence[Vec], y: Sequence[Fraction], loss: str, bias: bool,
            mu_f: np.ndarray, b0_f: float, xi_f: np.ndarray | None) -> Optional[Certified]:
    """Turn a float solution into an exact, certified optimum of its program (or None)."""
    D, k = len(y), len(cols)
    cols = [tuple(c) for c in cols]
    y = tuple(y)
    if loss == "squared":
        if bias:
            my = sum(y, ZERO) / D
            cc = [tuple(v - sum(c, ZERO) / D for v in c) for c in cols]
            yc = tuple(v - my for v in y)
        else:
            cc, yc = cols, y
        start = [c for c in range(k) if mu_f[c] > 0]
        mu = nnls_exact(cc, yc, start)
        b0 = (sum(y, ZERO) - sum(_fitted(cols, mu, ZERO, D), ZERO)) / D if bias else ZERO
        f = _fitted(cols, mu, b0, D)
        xi = [2 * (a - b) for a, b in zip(f, y)]
        if check_certificate(cols, y, loss, bias, mu, b0, xi):
            return Certified(mean_loss(loss, f, y), tuple(mu), b0, tuple(f), tuple(xi))
        return None
    scale = max([1.0] + [abs(float(v)) for v in y])
    xi_f = np.zeros(D) if xi_f is None else xi_f
    f_float = np.array([sum(float(c[j]) * m for c, m in zip(cols, mu_f)) + b0_f
                        for j in range(D)])
    for tau in (1e-9, 1e-7, 1e-11, 1e-5, 1e-3):
        P = [c for c in range(k) if mu_f[c] > tau * scale]
        Z = [j for j in range(D) if abs(f_float[j] - float(y[j])) <= tau * scale]
        nv = len(P) + (1 if bias else 0)
        rows = [[cols[c][j] for c in P] + ([ONE] if bias else []) for j in Z]
        prefer = [_rat(mu_f[c]) for c in P] + ([_rat(b0_f)] if bias else [])
        sol = solve(rows, [y[j] for j in Z], nv, prefer)
        if sol is None or any(v < 0 for v in sol[:len(P)]):
            continue
        mu = [ZERO] * k
        for c, v in zip(P, sol):
            mu[c] = v
        b0 = sol[-1] if bias else ZERO
        f = _fitted(cols, mu, b0, D)
        # the exact subgradient: fixed off the kink set, solved on it
        if loss == "absolute":
            kink = [j for j in range(D) if f[j] == y[j]]
            fixed = {j: (ONE if f[j] > y[j] else -ONE) for j in range(D) if f[j] != y[j]}
        else:
            kink = [j for j in range(D) if y[j] * f[j] == 1]
            fixed = {j: (-y[j] if y[j] * f[j] < 1 else ZERO) for j in range(D)
                     if y[j] * f[j] != 1}
        Pp = [c for c in range(k) if mu[c] > 0]
        eq_rows = [[cols[c][j] for j in kink] for c in Pp]
        eq_rhs = [-sum((cols[c][j] * v for j, v in fixed.items()), ZERO) for c in Pp]
        if bias:
            eq_rows.append([ONE] * len(kink))
            eq_rhs.append(-sum(fixed.values(), ZERO))
        pref = [_rat(min(1.0, max(-1.0, xi_f[j]))) for j in kink]
        if loss == "hinge":
            pref = [_rat(-float(y[j]) * min(1.0, max(0.0, -float(y[j]) * xi_f[j])))
                    for j in kink]
        xs = solve(eq_rows, eq_rhs, len(kink), pref)
        if xs is None:
            continue
        xi = [ZERO] * D
        for j, v in fixed.items():
            xi[j] = v
        for j, v in zip(kink, xs):
            xi[j] = v
        if check_certificate(cols, y, loss, bias, mu, b0, xi):
            return Certified(mean_loss(loss, f, y), tuple(mu), b0, tuple(f), tuple(xi))
    return None

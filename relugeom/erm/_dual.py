"""Exact lower-bound certificates for the convex programs of Algorithm 1 (weak duality).

Every program is ``minimise sum_j loss(f_j, y_j)`` over ``f = A mu (+ b0 1)``, ``mu >= 0``.
For any z with ``A^T z >= 0`` (and ``sum z = 0`` when there is an output bias b0) and any
feasible mu, writing r = f - y:

* squared: ``||r||^2 >= 2<z, r> - ||z||^2 = 2<A^T z, mu> - 2<z, y> - ||z||^2
  >= -2<z, y> - ||z||^2``; maximised over the scale t z (the feasible set is a cone) this
  is ``<z, y>^2 / ||z||^2`` when ``<z, y> < 0`` (else 0). At the optimum z = r* and the
  bound equals ``||r*||^2``: the dual is tight.
* absolute: ``sum |r_j| >= <u, r>`` for ``|u_j| <= 1``; with u = z / max|z| (so ``A^T u >= 0``) this is
  ``>= -<z, y> / max_j |z_j|``.
* hinge (labels +-1): ``max(0, 1 - y_j f_j) >= l_j (1 - y_j f_j)`` for ``0 <= l_j <= 1``;
  with ``l_j = -y_j z_j / max|z|`` (needs ``y_j z_j <= 0``) the bound is
  ``-<z, y> / max_j |z_j|``.

Only the *direction* of z matters, so the float dual solution is scaled by a power of
two and rounded to integers, projected exactly (integer, fraction-free elimination) onto
``{<a_c, z> = 0}`` for the columns that are tight at the float solution (plus
``sum z = 0`` with a bias), and every condition is then checked in integers. Columns are
used through positive integer multiples, which changes no sign. A check that fails
returns None (the program must then be solved exactly); a bound that is returned is a
theorem.
"""
from __future__ import annotations

import math
from fractions import Fraction
from math import lcm
from typing import Optional, Sequence

import numpy as np

__all__: list[str] = []


def integer_rows(vectors: Sequence[Sequence[Fraction]]) -> np.ndarray:
    """Each rational vector times a positive integer (the lcm of its denominators), as an
    object array of Python ints, one row per vector."""
    out = []
    for v in vectors:
        L = lcm(*(x.denominator for x in v)) if len(v) else 1
        out.append([int(x * L) for x in v])
    arr = np.empty((len(out), len(out[0]) if out else 0), dtype=object)
    for i, r in enumerate(out):
        arr[i, :] = r
    return arr


def _solve_psd(G: list[list[int]], b: list[int]) -> tuple[list[int], int]:
    """Integer solution ``x / det`` of ``G t = b`` for a PSD integer G with b in its range
    (fraction-free Bareiss elimination; dependent rows get t_i = 0)."""
    n = len(G)
    M = [list(r) + [v] for r, v in zip(G, b)]
    prev = 1
    piv: list[int] = []
    for k in range(n):
        if M[k][k] == 0:            # PSD: the whole Schur row is zero, skip it
            continue
        p = M[k][k]
        for i in range(k + 1, n):
            mik = M[i][k]
            Mi = M[i]
            Mk = M[k]
            for j in range(k + 1, n + 1):
                Mi[j] = (p * Mi[j] - mik * Mk[j]) // prev
            Mi[k] = 0
        prev = p
        piv.append(k)
    det = prev
    x = [0] * n
    for k in reversed(piv):
        s = det * M[k][n] - sum(M[k][j] * x[j] for j in range(k + 1, n))
        x[k] = s // M[k][k]
    if det < 0:
        det, x = -det, [-v for v in x]
    return x, det


def bits(a: np.ndarray) -> int:
    """Bit length of the largest magnitude in an integer array (0 when empty)."""
    return max([0] + [abs(int(v)).bit_length() for v in np.asarray(a).ravel().tolist()])


def squared_bound_int64(Q: np.ndarray, A: np.ndarray, zf: np.ndarray, Y: np.ndarray,
                        Ly: int, bias: bool, zbits: int, tight_tol: float = 1e-9
                        ) -> Optional[tuple[int, int]]:
    """:func:`dual_bound` for the squared loss with every length-D sum in int64.

    The caller guarantees no overflow: with q, y the bit lengths of the entries of Q and
    Y and d that of D, ``2 q + d``, ``q + zbits + d``, ``zbits + y + d``, ``q + y + d``
    and ``2 zbits + d`` are all <= 62. The projected Z = det Z0 - rows^T x is never
    formed: only its inner products, from int64 ones and Python-int x, det. Returns the
    bound as an unreduced pair (numerator, denominator), or None.
    """
    D = len(zf)
    m = float(np.max(np.abs(zf))) if D else 0.0
    if not (m > 0 and math.isfinite(m)):
        return (0, 1)
    Z0 = np.rint(np.ldexp(zf, zbits - math.frexp(m)[1])).astype(np.int64)
    k = A.shape[1]
    if k:
        g = A.T @ zf
        tol = tight_tol * np.sqrt(np.einsum("ij,ij->j", A, A)) * math.sqrt(float(zf @ zf))
        rows = Q[np.abs(g) <= tol]
    else:
        rows = Q
    if bias:
        rows = np.vstack([rows, np.ones((1, D), dtype=np.int64)])
    QZ0 = (Q @ Z0).tolist() if k else []
    zy = int(Z0 @ Y)
    zz = int(Z0 @ Z0)
    if len(rows):
        G = rows @ rows.T
        b = (rows @ Z0).tolist()
        x, det = _solve_psd(G.tolist(), b)
        if k:
            QR = (Q @ rows.T).tolist()
            for qz, qr in zip(QZ0, QR):
                if det * qz - sum(a * c for a, c in zip(qr, x)) < 0:
                    return None
        ry = (rows @ Y).tolist()
        P = det * zy - sum(a * c for a, c in zip(x, ry))
        Gl = G.tolist()
        xGx = sum(x[i] * sum(Gl[i][j] * x[j] for j in range(len(x))) for i in range(len(x)))
        S = det * det * zz - 2 * det * sum(a * c for a, c in zip(x, b)) + xGx
    else:
        if any(v < 0 for v in QZ0):
            return None
        P, S = zy, zz
    return (P * P, S * Ly * Ly) if P < 0 and S > 0 else (0, 1)


def dual_bound(loss: str, bias: bool, Q: np.ndarray, A: np.ndarray, zf: np.ndarray,
               Y: np.ndarray, Ly: int) -> Optional[Fraction]:
    """Exact lower bound on the program's minimum sum of losses from the float dual
    direction ``zf`` (see the module docstring), or None when no valid bound was found.

    ``Q`` (k x D, Python ints) are positive multiples of the columns of ``A`` (float);
    ``Y / Ly`` are the labels.
    """
    D = len(zf)
    m = float(np.max(np.abs(zf))) if D else 0.0
    if not (m > 0 and math.isfinite(m)):
        return Fraction(0)            # z = 0 is always feasible
    free = np.abs(zf) > 1e-12 * m if loss == "hinge" else np.ones(D, dtype=bool)
    e = 40 - math.frexp(m)[1]
    Z0 = np.rint(np.ldexp(zf, e)).astype(np.int64)
    Z0[~free] = 0
    Z = Z0.astype(object)
    k = A.shape[1]
    if k or bias:
        g = A.T @ zf
        tol = 1e-9 * np.linalg.norm(A, axis=0) * np.linalg.norm(zf)
        tight = np.flatnonzero(np.abs(g) <= tol)
        rows = Q[tight] if len(tight) else np.empty((0, D), dtype=object)
        if bias:
            rows = np.vstack([rows, np.ones((1, D), dtype=np.int64).astype(object)])
        if len(rows):
            if not free.all():
                rows = rows.copy()
                rows[:, ~free] = 0
            G = (rows @ rows.T).tolist()
            b = (rows @ Z).tolist()
            x, det = _solve_psd(G, b)
            Z = Z * det - np.array(x, dtype=object) @ rows
    if k and any(v < 0 for v in (Q @ Z).tolist()):
        return None
    zl = Z.tolist()
    if bias and sum(zl) != 0:
        return None
    yl = Y.tolist()
    P = sum(a * b for a, b in zip(zl, yl))
    if loss == "squared":
        S = sum(a * a for a in zl)
        return Fraction(P * P, S * Ly * Ly) if P < 0 and S > 0 else Fraction(0)
    if loss == "hinge" and any(a * b > 0 for a, b in zip(zl, yl)):
        return None
    M = max(abs(a) for a in zl)
    return Fraction(-P, Ly * M) if P < 0 and M > 0 else Fraction(0)

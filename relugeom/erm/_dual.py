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

For the squared loss a worker first bounds all programs of its chunk at once
(:func:`squared_bounds_batch`: the float direction is pushed into the dual cone with a
margin, rounded, and checked exactly in int64, stacked over programs); only programs
whose check fails or whose bound is too weak fall back to the exact projection.
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


def squared_bounds_batch(q64: np.ndarray, Y64: np.ndarray, Ly: int, bias: bool, zbits: int,
                         progs: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]]
                         ) -> list[Optional[tuple[int, int]]]:
    """Squared-loss dual bounds of many programs at once, vectorised with numpy (int64).

    ``progs`` holds, per program, its ray ids, their signs and the float dual direction
    (the residual). Programs with the same number of columns are stacked. Instead of an
    exact projection (:func:`squared_bound_int64`), the float direction is moved *into*
    the dual cone with a margin: columns whose value ``<q_c, z>`` is below
    ``m_c = 2^-21 |q_c| |z|`` are raised to ``m_c`` by a float least-squares correction
    along those columns (with a bias, ``sum z`` is set to 0 as well), the result is
    scaled and rounded to integers Z (with a bias, the rounding remainder of ``sum Z`` is
    removed in steps of 1 so that ``sum Z = 0`` exactly), and then ``Q Z >= 0`` and
    ``sum Z = 0`` are *checked exactly* in int64. The float steps only propose Z; a bound
    is returned only for a Z that passed the exact checks, so it is a theorem (the same
    bound ``<Z, Y>^2 / (|Z|^2 Ly^2)`` as :func:`squared_bound_int64`). Programs whose
    check fails (e.g. columns q and -q both present, which forces ``<q, z> = 0``) get
    None: the caller falls back to the exact projection.

    Overflow: the caller's guards for :func:`squared_bound_int64` with ``zbits`` hold;
    Z is kept below ``2^(zbits - 1)`` in magnitude.
    """
    out: list[Optional[tuple[int, int]]] = [None] * len(progs)
    if not progs:
        return out
    D = len(Y64)
    groups: dict[int, list[int]] = {}
    for i, (ids, _, _) in enumerate(progs):
        groups.setdefault(len(ids), []).append(i)
    zb = zbits - 1
    for k, idx in groups.items():
        B = len(idx)
        zf = np.stack([progs[i][2] for i in idx]).astype(np.float64).reshape(B, D)
        if k:
            I = np.stack([progs[i][0] for i in idx]).reshape(B, k)
            S = np.stack([progs[i][1] for i in idx]).astype(np.int64).reshape(B, k)
            Q = q64[I] * S[:, :, None]                              # (B, k, D) int64
        else:
            Q = np.zeros((B, 0, D), dtype=np.int64)
        rowsi = np.concatenate([Q, np.ones((B, 1, D), dtype=np.int64)], axis=1) \
            if bias else Q
        rows = rowsi.astype(np.float64)
        kk = rows.shape[1]
        with np.errstate(all="ignore"):
            nz = np.sqrt(np.einsum("bd,bd->b", zf, zf))
            good = np.isfinite(nz) & (nz > 0)
            zf = np.where(good[:, None], zf, 0.0)
            if kk:
                g = np.einsum("bkd,bd->bk", rows, zf)
                qn = np.sqrt(np.einsum("bkd,bkd->bk", rows, rows))
                m = np.ldexp(qn * nz[:, None], -21)
                act = g < m
                tgt = m
                if bias:
                    act[:, k] = True
                    tgt = m.copy()
                    tgt[:, k] = 0.0
                G = np.einsum("bid,bjd->bij", rows, rows)
                Gm = np.where(act[:, :, None] & act[:, None, :], G, 0.0)
                rhs = np.where(act, tgt - g, 0.0)
                t = np.einsum("bij,bj->bi", np.linalg.pinv(Gm), rhs)
                z2 = zf + np.einsum("bk,bkd->bd", np.where(act, t, 0.0), rows)
            else:
                z2 = zf
            mx = np.max(np.abs(z2), axis=1)
            ok = good & np.isfinite(mx) & (mx > 0)
            e = zb - np.frexp(np.where(ok, mx, 1.0))[1]
            Zf = np.rint(np.ldexp(np.where(ok[:, None], z2, 0.0), e[:, None]))
        Z = Zf.astype(np.int64)
        if bias:
            s = Z.sum(axis=1)
            ok &= np.abs(s) <= D
            Z -= np.sign(s)[:, None] * (np.arange(D)[None, :] < np.abs(s)[:, None])
            ok &= Z.sum(axis=1) == 0
        ok &= np.abs(Z).max(axis=1) < (1 << zbits)
        if k:
            ok &= (np.einsum("bkd,bd->bk", Q, Z) >= 0).all(axis=1)
        P = (Z @ Y64).tolist()
        SS = np.einsum("bd,bd->b", Z, Z).tolist()
        L2 = Ly * Ly
        for j, i in enumerate(idx):
            if not good[j]:
                out[i] = (0, 1)          # z = 0 is always feasible
            elif ok[j]:
                p, s2 = P[j], SS[j]
                out[i] = (p * p, s2 * L2) if p < 0 and s2 > 0 else (0, 1)
    return out

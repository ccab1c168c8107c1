"""Generic cone programs, the Theorem 2.2 (breakpoint) route for n = 1, and brute force.

A *cone program* has parameters v in Q^p split into blocks, each constrained by
G_b v_b <= 0, fitted values f = M v (+ b0), and minimises the loss. Each block's cone is
converted to extreme rays and a lineality basis by brute force over tight constraints
(``_exact.cone_generators``), which turns the program into the mu >= 0 form that the
float solver and the exact certificate share. Every program solved here is certified
exactly, so the minima of this module are exact.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from typing import Optional, Sequence

import numpy as np

from ..errors import RelugeomError
from ._exact import (ONE, ZERO, Certified, _fitted, certify, check_certificate,
                     cone_generators, mean_loss)
from ._programs import solve_program
from ._simplex import solve_exact, squared_faces

Block = tuple[list[int], list[list[Fraction]]]


def solve_cone_program(M: Sequence[Sequence[Fraction]], p: int, blocks: Sequence[Block],
                       y: Sequence[Fraction], loss: str,
                       bias: bool) -> tuple[Optional[Certified], Optional[list[Fraction]]]:
    """Exact optimum (certificate, parameters v) of a cone program; (None, None) when
    the program could not be certified (a bug: the exact route always certifies).

    The float solver runs on exactly rescaled columns and labels; when it fails or its
    point cannot be certified, the exact route (``_simplex.solve_exact``) solves the
    program."""
    cols, keep = _columns(M, _gens(p, blocks))
    # exact rescaling (powers of two) so the float images are O(1), see _fit._rescale
    from ._fit import _exp2, _pow2
    fs = [_pow2(-max(_exp2(x) for x in c if x != 0)) for c in cols]
    scols = [tuple(x * f for x in c) for c, f in zip(cols, fs)]
    nz = [v for v in y if v != 0]
    t = max(_exp2(v) for v in nz) if nz and loss != "hinge" else 0
    ys = tuple(v * _pow2(-t) for v in y)
    A = np.array([[float(x) for x in c] for c in scols]).T.reshape(len(y), len(scols))
    yf = np.array([float(v) for v in ys])
    _, mu, b0, xi = solve_program(A, yf, loss, bias)
    cert = certify(scols, ys, loss, bias, mu, b0, xi)
    if cert is None:            # failed or inaccurate float solve: the exact route
        cert = solve_exact(scols, ys, loss, bias)
    if cert is None:
        return None, None
    T = _pow2(t)
    mu_o = [m * T * f for m, f in zip(cert.mu, fs)]
    b0_o = cert.b0 * T
    fit_o = _fitted(cols, mu_o, b0_o, len(y))
    xi_o = [2 * (a - b) for a, b in zip(fit_o, y)] if loss == "squared" else list(cert.xi)
    if not check_certificate(cols, y, loss, bias, mu_o, b0_o, xi_o):
        return None, None
    cert = Certified(mean_loss(loss, fit_o, y), tuple(mu_o), b0_o, tuple(fit_o), tuple(xi_o))
    v = [ZERO] * p
    for g, m in zip(keep, cert.mu):
        if m:
            v = [a + m * b for a, b in zip(v, g)]
    return cert, v


def _columns(M: Sequence[Sequence[Fraction]],
             gens: Sequence[Sequence[Fraction]]) -> tuple[list, list]:
    """Nonzero images M g of the generators, and the generators kept."""
    cols, keep = [], []
    for g in gens:
        c = tuple(sum((a * b for a, b in zip(row, g)), ZERO) for row in M)
        if any(x != 0 for x in c):
            cols.append(c)
            keep.append(g)
    return cols, keep


def _gens(p: int, blocks: Sequence[Block]) -> list[list[Fraction]]:
    gens: list[list[Fraction]] = []
    for var, G in blocks:
        rays, lin = cone_generators(G, len(var))
        for g in list(rays) + list(lin) + [tuple(-x for x in l) for l in lin]:
            v = [ZERO] * p
            for i, x in zip(var, g):
                v[i] = x
            gens.append(v)
    return gens


def brute_force(X: Sequence[Sequence[Fraction]], y: Sequence[Fraction], width: int,
                loss: str, bias: bool, *,
                independent: bool = False) -> tuple[Fraction, int, int]:
    """Exact minimum over *all* activation patterns (every subset of the data, realisable
    or not) and output signs, unordered with repetition: (objective, programs, uncertified).

    ``independent=True`` solves each program without any float solver and without the
    certificate machinery of ``fit``: face enumeration (KKT) for the squared loss, the
    exact rational simplex for absolute and hinge (``_simplex``).
    """
    D, n = len(X), len(X[0])
    items = [(P, s) for P in range(1 << D) for s in (1, -1)]
    best: Optional[Fraction] = None
    count = failed = 0
    for combo in itertools.combinations_with_replacement(items, width):
        p = width * (n + 1)
        M = [[ZERO] * p for _ in range(D)]
        blocks = []
        for i, (P, s) in enumerate(combo):
            var = list(range(i * (n + 1), (i + 1) * (n + 1)))
            G = []
            for j in range(D):
                xt = list(X[j]) + [ONE]
                on = P >> j & 1
                G.append([-v for v in xt] if on else list(xt))
                if on:
                    for q, v in zip(var, xt):
                        M[j][q] = s * v
            blocks.append((var, G))
        count += 1
        if independent:
            cols, _ = _columns(M, _gens(p, blocks))
            if loss == "squared":
                val: Optional[Fraction] = squared_faces(cols, y, bias)
            else:
                sol = solve_exact(cols, y, loss, bias)
                val = None if sol is None else sol.objective
        else:
            cert, _ = solve_cone_program(M, p, blocks, y, loss, bias)
            val = None if cert is None else cert.objective
        if val is None:
            failed += 1
            continue
        if best is None or val < best:
            best = val
    if best is None:
        raise RelugeomError("brute force: no program could be solved exactly (a bug)")
    return best, count, failed


def fit_breakpoints(x: Sequence[Fraction], y: Sequence[Fraction], width: int, loss: str,
                    bias: bool) -> tuple[Certified, list, int, int]:
    """The n = 1 route through Theorem 2.2: guess the data gap of each breakpoint, the
    sign of its slope change and the side its unit is active on; solve for the slopes.

    Returns (certificate, (units [(output sign, a, b)], output bias), programs solved,
    programs whose float solution could not be certified).
    """
    z = sorted(set(x))
    m, D = len(z), len(x)
    kinks = [(g, o, s) for g in range(m - 1) for o in "RL" for s in (1, -1)]
    best: Optional[tuple[Certified, list]] = None
    count = failed = 0
    for r in range(0, width + 1):
        u = width - r
        for combo in itertools.combinations(kinks, r):
            signs_q = [None]
            q_mode = "none" if u == 0 else ("free" if (bias or u >= 2) else "signed")
            if q_mode == "signed":
                signs_q = [1, -1]
            for c in signs_q:
                p = 2 * r + (2 if q_mode != "none" else 0)
                M = [[ZERO] * p for _ in range(D)]
                blocks: list[Block] = []
                for i, (g, o, s) in enumerate(combo):
                    d, e = 2 * i, 2 * i + 1
                    lo, hi = z[g], z[g + 1]
                    G = [[-s * ONE, ZERO], [s * lo, -s * ONE], [-s * hi, s * ONE]]
                    blocks.append(([d, e], G))
                    for j, xj in enumerate(x):
                        if o == "R" and xj >= hi:
                            M[j][d], M[j][e] = xj, -ONE
                        elif o == "L" and xj <= lo:
                            M[j][d], M[j][e] = -xj, ONE
                if q_mode != "none":
                    al, be = 2 * r, 2 * r + 1
                    Gq = [] if q_mode == "free" else \
                        [[-c * ONE, -c * z[0]], [-c * ONE, -c * z[-1]]]
                    blocks.append(([al, be], Gq))
                    for j, xj in enumerate(x):
                        M[j][al], M[j][be] = ONE, xj
                cert, v = solve_cone_program(M, p, blocks, y, loss, bias)
                count += 1
                if cert is None:
                    failed += 1
                    continue
                if best is None or cert.objective < best[0].objective:
                    best = (cert, _units(combo, v, q_mode, c, x, cert.b0, width, bias))
    if best is None:
        raise RelugeomError("erm breakpoints: no program could be solved exactly (a bug)")
    return best[0], best[1], count, failed


def _units(combo, v, q_mode, c, x, b0, width, has_bias):  # noqa: ANN001, ANN202
    """Hidden units (output sign, a, b) and the output bias of a breakpoint solution."""
    units = []
    for i, (g, o, s) in enumerate(combo):
        d, e = v[2 * i], v[2 * i + 1]
        if d == 0:
            units.append((1, ZERO, ZERO))
        elif o == "R":            # d (x - t)_+ with t = e / d, sign s
            units.append((s, s * d, -s * e))
        else:                     # d (t - x)_+
            units.append((s, -s * d, s * e))
    bias = b0
    if q_mode != "none":
        al, be = v[-2], v[-1]
        if q_mode == "signed":
            units.append((c, c * be, c * al))
        else:
            K = max([ZERO] + [-(al + be * xj) for xj in x])
            units.append((1, be, al + K))
            if has_bias:          # fold the shift into the output bias
                bias = b0 - K
            else:                 # two units: sigma(q + K) - sigma(K)
                units.append((-1, ZERO, K))
    while len(units) < width:
        units.append((1, ZERO, ZERO))
    return units, bias

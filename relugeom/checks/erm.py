"""Checks of Theorem 4.1 / Algorithm 1 (global ERM for one hidden layer)."""
from __future__ import annotations

import random
from fractions import Fraction

import numpy as np

from ..verify import Row, claim, verdict


def _data(rng: random.Random, D: int, n: int, loss: str) -> tuple[list, list]:
    X = [[Fraction(rng.randint(-6, 6), rng.randint(1, 3)) for _ in range(n)]
         for _ in range(D)]
    if loss == "hinge":
        y = [Fraction(rng.choice((-1, 1))) for _ in range(D)]
    else:
        y = [Fraction(rng.randint(-8, 8), rng.randint(1, 4)) for _ in range(D)]
    return X, y


def _gd_best(X: list, y: list, w: int, loss: str, restarts: int,
             seed: int) -> Fraction | None:
    """Best objective reached by random-restart (sub)gradient descent in float64; each
    iterate's weights are read exactly (their binary value) and its objective is then
    computed exactly, so the comparison with the ERM optimum has no rounding."""
    from ..erm._exact import mean_loss
    Xf = np.array([[float(v) for v in x] for x in X])
    yf = np.array([float(v) for v in y])
    D, n = Xf.shape
    rng = np.random.default_rng(seed)
    best = np.inf
    params = None
    with np.errstate(over="ignore", invalid="ignore"):
        for _ in range(restarts):
            found = _gd_run(Xf, yf, w, loss, rng)
            if found is not None and found[0] < best:
                best, params = found
    if params is None:
        return None
    A, b, c = params
    q = Fraction
    pre = [[sum((q(float(a)) * xi for a, xi in zip(A[i], x)), q(float(b[i])))
            for i in range(w)] for x in X]
    f = [sum((q(float(c[i])) * max(v[i], q(0)) for i in range(w)), q(0)) for v in pre]
    return mean_loss(loss, f, [q(v) for v in y])


def _gd_run(Xf: np.ndarray, yf: np.ndarray, w: int, loss: str,
            rng: np.random.Generator) -> tuple[float, tuple] | None:
    """One run of full-batch (sub)gradient descent; its best (value, weights), or None
    when it diverged before improving on anything."""
    D, n = Xf.shape
    best, params = np.inf, None
    A = rng.normal(size=(w, n))
    b = rng.normal(size=w)
    c = rng.choice([-1.0, 1.0], size=w) * rng.uniform(0.5, 2, size=w)
    lr = 0.02
    for _ in range(400):
        z = Xf @ A.T + b
        h = np.maximum(z, 0)
        f = h @ c
        if loss == "squared":
            g = 2 * (f - yf)
        elif loss == "absolute":
            g = np.sign(f - yf)
        else:
            g = np.where(yf * f < 1, -yf, 0.0)
        g /= D
        act = (z > 0) * (g[:, None] * c[None, :])
        A -= lr * act.T @ Xf
        b -= lr * act.sum(axis=0)
        c -= lr * h.T @ g
        f = np.maximum(Xf @ A.T + b, 0) @ c
        if loss == "squared":
            val = np.mean((f - yf) ** 2)
        elif loss == "absolute":
            val = np.mean(np.abs(f - yf))
        else:
            val = np.mean(np.maximum(0, 1 - yf * f))
        if not np.isfinite(val):
            break                           # diverged: keep the best iterate so far
        if val < best:
            best, params = val, (A.copy(), b.copy(), c.copy())
    return None if params is None else (best, params)


@claim("Theorem 4.1")
def theorem_4_1(full: bool) -> list[Row]:
    from .. import erm
    rng = random.Random(41)
    rows = []
    # dichotomy counts against Cover's formula (general position: integer grid + jitter)
    for D, n in ([(7, 1), (9, 2), (6, 3)] + ([(20, 2), (10, 3)] if full else [])):
        pts = [[Fraction(rng.randint(-10 ** 6, 10 ** 6), 997) for _ in range(n)]
               for _ in range(D)]
        got = len(erm.dichotomies(pts))
        want = erm.cover_count(D, n)
        rows.append(Row("Cover: 2 sum_{i<=n} C(D-1,i) dichotomies", f"D={D}, n={n}",
                        str(want), str(got), "exact", verdict(got == want)))
    # routes and brute force agree; the network attains the objective exactly
    # cases where the optimum is positive (no interpolation), so agreement means something
    cases = [(5, 1, 1, "squared", False), (5, 1, 1, "absolute", False),
             (5, 2, 1, "hinge", False), (4, 1, 2, "squared", False)]
    for D, n, w, loss, bias in cases:
        X, y = _data(random.Random(7 * D + w), D, n, loss)     # seeds with optimum > 0
        res = erm.fit(X, y, width=w, loss=loss, output_bias=bias, progress=False,
                      workers=1, certify="all")
        brute = erm.brute_force_objective(X, y, width=w, loss=loss, output_bias=bias)
        exact = all(res.network(x if n > 1 else x[0]) == f for x, f in zip(X, res.fitted))
        rows.append(Row("Algorithm 1 = brute force over all patterns",
                        f"D={D}, n={n}, w={w}, {loss}{', bias' if bias else ''}",
                        str(brute), str(res.objective), "exact",
                        verdict(brute == res.objective and res.certified and exact),
                        note="brute force: every activation pattern of every unit on the "
                             "data, each convex program solved exactly"))
    for D, w, loss in [(6, 2, "squared"), (6, 2, "absolute"), (5, 2, "hinge")] + \
            ([(9, 3, "squared")] if full else []):
        X, y = _data(rng, D, 1, loss)
        a = erm.fit(X, y, width=w, loss=loss, progress=False, workers=1, certify="all")
        b = erm.fit(X, y, width=w, loss=loss, method="breakpoints")
        rows.append(Row("n = 1: dichotomy route = Theorem 2.2 route",
                        f"D={D}, w={w}, {loss}", str(b.objective), str(a.objective),
                        "exact", verdict(a.objective == b.objective and a.certified
                                         and b.certified)))
    # the optimum is a certificate: every program proven no better, exactly
    for D, n, w, loss, bias in [(12, 1, 2, "squared", False), (7, 2, 1, "absolute", True),
                                (8, 1, 2, "hinge", False)] + \
            ([(20, 1, 2, "squared", True)] if full else []):
        X, y = _data(rng, D, n, loss)
        res = erm.fit(X, y, width=w, loss=loss, output_bias=bias, progress=False,
                      workers=1, certify="all")
        covered = res.n_certified_dual + res.n_certified_exact >= res.n_programs and \
            res.n_pruned_exact == res.n_pruned
        rows.append(Row("Algorithm 1 optimum certified globally (exact dual bounds)",
                        f"D={D}, n={n}, w={w}, {loss}{', bias' if bias else ''}",
                        "every program >= optimum",
                        f"{res.n_certified_dual} by dual, {res.n_certified_exact} "
                        f"re-solved, {res.n_pruned_exact} pruned: {res.objective}",
                        "exact", verdict(res.certified and covered)))
    rows += _n1_reduction_rows()
    # no amount of random-restart gradient training does better
    for D, n, w, loss in [(8, 1, 2, "squared"), (7, 2, 2, "squared"), (8, 1, 2, "absolute")]:
        X, y = _data(rng, D, n, loss)
        res = erm.fit(X, y, width=w, loss=loss, progress=False, workers=1)
        gd = _gd_best(X, y, w, loss, restarts=20 if not full else 100, seed=D)
        rows.append(Row("gradient training never beats the ERM optimum",
                        f"D={D}, n={n}, w={w}, {loss}", f">= {float(res.objective):.6g}",
                        "no GD run converged" if gd is None else f"best GD {float(gd):.6g}",
                        "sampled", verdict(gd is not None and gd >= res.objective),
                        note="GD runs in float64; its best weights are read exactly and "
                             "their objective compared exactly"))
    return rows


def _affine_least_squares(xs: list, ys: list) -> Fraction:
    """The exact mean squared error of the best affine fit y ~ p x + q (normal equations)."""
    D = len(xs)
    sx, sy = sum(xs), sum(ys)
    sxx, sxy = sum(x * x for x in xs), sum(x * y for x, y in zip(xs, ys))
    det = D * sxx - sx * sx
    p = Fraction(D * sxy - sx * sy, det)
    q = Fraction(sy - p * sx, D)
    return sum((y - p * x - q) ** 2 for x, y in zip(xs, ys)) / D


def _n1_reduction_rows() -> list[Row]:
    """Appendix C.3 reduces n = 1, width w to a fit over w-piece PWL functions. That is not
    the network's problem: for w = 1 the pieces are affine, while one unit without an
    output bias computes c relu(a x + b). The two optima differ both ways."""
    from .. import erm
    rows = []
    for data in ([(0, 0), (1, 0), (2, 1)], [(-1, -1), (0, 0), (1, 1)]):
        xs = [Fraction(x) for x, _ in data]
        ys = [Fraction(y) for _, y in data]
        net = erm.fit([[x] for x in xs], ys, width=1, loss="squared", progress=False,
                      workers=1).objective
        red = _affine_least_squares(xs, ys)
        rows.append(Row("n = 1 reduction (C.3): ERM over w-piece PWL functions equals the "
                        "network ERM", f"w=1, squared, data {data}",
                        f"reduction optimum {red}", f"network optimum {net}", "exact",
                        "erratum" if net != red else "true",
                        note="one unit c relu(ax+b) with no output bias; the reduction's "
                             "affine fit (exact normal equations); relugeom.erm.fit uses "
                             "the dichotomy route, not the reduction"))
    return rows

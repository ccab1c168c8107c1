"""``relugeom bench erm``: convex programs per second, parallel speed-up, time against D.

Targets (issue 5): n = 1, w = 2, D = 40, squared loss: >= 1,000 programs per second per
core and >= 1.7x from one to two workers. Then time against D for (n, w) = (1, 1), (1, 2),
(2, 1), (2, 2), with the fitted exponent next to the theory's n * w (the number of
programs grows like D^(n w); each program costs poly(D) more).
"""
from __future__ import annotations

import math
import random
import time
from fractions import Fraction

__all__ = ["bench_erm", "data"]


def data(D: int, n: int, *, seed: int = 0) -> tuple[list[list[Fraction]], list[Fraction]]:
    """Deterministic rational data: a bumpy target plus noise on a grid of small rationals."""
    rng = random.Random(seed * 1000 + D * 10 + n)
    X = [[Fraction(rng.randint(-1000, 1000), 100) for _ in range(n)] for _ in range(D)]
    y = [Fraction(round(100 * (math.sin(sum(float(v) for v in x)) +
                               0.3 * rng.uniform(-1, 1))), 100) for x in X]
    return X, y


def bench_erm(quick: bool = False) -> None:
    """Print programs per second (1 and 2 workers) and the time-vs-D exponents."""
    from .. import erm
    from concurrent.futures import ProcessPoolExecutor
    X, y = data(40, 1)
    rows = {}
    repeats = 1 if quick else 3
    for workers in (1, 2):
        # a warmed-up pool measures throughput, not process start-up; best of 3 runs
        # (the machine is shared, so the minimum is the least disturbed one)
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(abs, range(2 * workers)))
            runs = [erm.fit(X, y, width=2, executor=pool if workers > 1 else None,
                            workers=workers, progress=False, chunk_size=300)
                    for _ in range(repeats)]
        res = min(runs, key=lambda r: r.timings["solve"])
        rows[workers] = res
        rate = res.n_programs / res.timings["solve"]
        print(f"n=1 w=2 D=40 squared, {workers} worker(s): {res.n_programs} programs "
              f"({res.n_pruned} skipped by the bound, paper {res.n_programs_paper}) in "
              f"{res.timings['solve']:.2f} s solve = {rate:,.0f} programs/s "
              f"({rate / workers:,.0f} per core); certify {res.timings['certify']:.3f} s; "
              f"objective {float(res.objective):.6g}, certified={res.certified}")
    sp = rows[1].timings["solve"] / rows[2].timings["solve"]
    ok1 = rows[1].n_programs / rows[1].timings["solve"] >= 1000
    print(f"per-core rate >= 1000/s: {'yes' if ok1 else 'NO'};  speed-up 1 -> 2 workers: "
          f"{sp:.2f}x ({'>= 1.7x' if sp >= 1.7 else 'below 1.7x'})")
    cases = {(1, 1): [40, 80, 160, 320], (1, 2): [10, 20, 40, 60],
             (2, 1): [10, 20, 40, 60], (2, 2): [6, 8, 10, 12]}
    if quick:
        cases = {k: v[:3] for k, v in cases.items()}
    for (n, w), Ds in cases.items():
        ts, line = [], []
        for D in Ds:
            X, y = data(D, n)
            t0 = time.perf_counter()
            res = erm.fit(X, y, width=w, workers=1, progress=False)
            t = time.perf_counter() - t0
            ts.append(t)
            line.append(f"D={D}: {t:.2f}s/{res.n_programs}p")
        xs = [math.log(D) for D in Ds]
        ls = [math.log(t) for t in ts]
        mx, ml = sum(xs) / len(xs), sum(ls) / len(ls)
        slope = sum((a - mx) * (b - ml) for a, b in zip(xs, ls)) / \
            sum((a - mx) ** 2 for a in xs)
        print(f"(n, w) = ({n}, {w}): {', '.join(line)};  fitted exponent {slope:.2f} "
              f"(theory: programs ~ D^{n * w}, each poly(D))")

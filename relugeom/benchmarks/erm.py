"""``relugeom bench erm``: convex programs per second, parallel speed-up, time against D.

Targets: n = 1, w = 2, D = 40, squared loss: >= 1,000 programs per second per
core and >= 1.7x from one to two workers. Then time against D for (n, w) = (1, 1), (1, 2),
(2, 1), (2, 2), with the fitted exponent next to the theory's n * w (the number of
programs grows like D^(n w); each program costs poly(D) more).
"""
from __future__ import annotations

import math
import os
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


def _load() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "unknown"


def bench_erm(quick: bool = False) -> None:
    """Print the sweep rate with 1 and 2 workers, the whole-fit times, and the time-vs-D
    exponents.

    The sweep (the float convex programs, timed by ``fit`` as ``timings["solve"]``,
    without enumeration, the singles pass, pool start-up or certification) runs inline
    for one worker and on a warmed two-process pool (solvers imported, problem data
    unpickled once per process) for two; runs alternate 1, 2, 1, 2, ... and the best of
    each is kept, since the machine may be shared. The load average is printed before
    and after: on a 2-core machine a load above ~0.5 from other processes caps the
    two-worker speed-up. The worker CPU / wall seconds show how much of each worker's
    wall time it actually ran.
    """
    from concurrent.futures import ProcessPoolExecutor

    from .. import erm
    from ..erm._programs import init_worker, warm
    X, y = data(40, 1)
    repeats = 2 if quick else 5
    print(f"load average before (1, 5, 15 min): {_load()}  ({os.cpu_count()} cores)")
    for certify in ("best", "all"):
        runs: dict[int, list] = {1: [], 2: []}
        with ProcessPoolExecutor(2, initializer=init_worker) as pool:
            list(pool.map(warm, range(4)))
            erm.fit(X, y, width=2, executor=pool, progress=False, certify=certify)
            for _ in range(repeats):
                for workers in (1, 2):
                    res = erm.fit(X, y, width=2, executor=pool if workers == 2 else None,
                                  workers=workers, progress=False, certify=certify)
                    runs[workers].append(res)
        rates = {}
        for workers in (1, 2):
            res = max(runs[workers], key=lambda r: r.n_programs / r.timings["solve"])
            rates[workers] = res.n_programs / res.timings["solve"]
            print(f"n=1 w=2 D=40 squared, certify={certify!r}, {workers} worker(s): "
                  f"{res.n_programs} programs ({res.n_pruned} skipped by the bound, paper "
                  f"{res.n_programs_paper}) swept in {res.timings['solve']:.3f} s = "
                  f"{rates[workers]:,.0f} programs/s ({rates[workers] / workers:,.0f} per "
                  f"worker); worker cpu/wall {res.solver['worker_cpu_seconds']:.2f}/"
                  f"{res.solver['worker_wall_seconds']:.2f} s; certified={res.certified}")
        cpu = {wk: min(r.solver["worker_cpu_seconds"] for r in runs[wk]) for wk in (1, 2)}
        print(f"  total worker CPU for the sweep: 1 worker {cpu[1]:.2f} s, 2 workers "
              f"{cpu[2]:.2f} s (ratio {cpu[2] / cpu[1]:.2f}: the parallel path's extra work; "
              f"with two idle cores the speed-up would be ~{2 * cpu[1] / cpu[2]:.2f}x)")
        ratio = rates[2] / rates[1]
        print(f"  sweep speed-up 1 -> 2 workers (programs/s): {ratio:.2f}x "
              f"({'>= 1.7x' if ratio >= 1.7 else 'below 1.7x'}); per-worker rate >= "
              f"1000/s: {'yes' if rates[1] >= 1000 else 'NO'}")
    for certify in ("best", "all"):
        tot: dict[int, float] = {}
        for workers in (1, 2):     # whole fit, own pool (start-up included) for 2
            ts = []
            for _ in range(2 if quick else 3):
                t0 = time.perf_counter()
                erm.fit(X, y, width=2, workers=workers, progress=False, certify=certify)
                ts.append(time.perf_counter() - t0)
            tot[workers] = min(ts)
        print(f"whole fit, certify={certify!r}: 1 worker {tot[1]:.2f} s, 2 workers "
              f"{tot[2]:.2f} s (pool start-up included): {tot[1] / tot[2]:.2f}x")
    print(f"load average after: {_load()}")
    cases = {(1, 1): [40, 80, 160, 320], (1, 2): [10, 20, 40, 60],
             (2, 1): [10, 20, 40, 60], (2, 2): [6, 8, 10, 12]}
    if quick:
        cases = {k: v[:3] for k, v in cases.items()}
    for (n, w), Ds in cases.items():
        ts, line = [], []
        for D in Ds:
            X, y = data(D, n)
            # certify="best": the exponent of the search itself
            t0 = time.perf_counter()
            res = erm.fit(X, y, width=w, workers=1, progress=False, certify="best")
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

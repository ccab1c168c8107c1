"""Benchmark of the hot path: composing 1-D functions (issue: the core).

``relugeom bench compose`` composes an 8-piece function with a function of 10^6 random
rational breakpoints (denominators up to 1000), in both orders, and compares the cost per
output piece with a lean per-piece ``fractions.Fraction`` implementation run in the same
process on a prefix of the same data.
"""
from __future__ import annotations

import gc
import time
from fractions import Fraction

import numpy as np

from ..functions.pwl import PiecewiseLinear
from ..functions.operations import compose
from ..numbers.arrays import RationalArray

__all__ = ["bench_compose", "random_pwl", "fraction_compose"]


def random_pwl(n: int, *, seed: int, max_denominator: int = 1000) -> PiecewiseLinear:
    """A function with about ``n`` random rational breakpoints in [0, n/100] and random
    rational values in [0, 1], denominators up to ``max_denominator``."""
    rng = np.random.default_rng(seed)
    m = int(n * 1.05) + 10
    den = rng.integers(1, max_denominator + 1, size=m)
    num = rng.integers(0, max(n // 100, 1) * den + 1)
    xs = RationalArray(num.astype(np.int64), den.astype(np.int64))
    xs = xs.take(xs.argsort())
    keep = np.r_[True, ~xs.slice(0, len(xs) - 1).eq(xs.slice(1, len(xs)))]
    xs = xs.take(np.nonzero(keep)[0][:n])
    vden = rng.integers(1, max_denominator + 1, size=len(xs))
    vnum = rng.integers(0, vden + 1)
    ys = RationalArray(vnum.astype(np.int64), vden.astype(np.int64))
    return PiecewiseLinear._canonical(xs, ys, Fraction(1), Fraction(-1))


def _pieces(f: PiecewiseLinear) -> list[tuple[Fraction, Fraction, Fraction, Fraction]]:
    """(x0, x1, slope, intercept) per piece, with +-inf ends as None."""
    bx, by, s = f.breakpoints, f.values, f.slopes
    out = []
    edges = [None, *bx, None]
    for i, sl in enumerate(s):
        ax, ay = (bx[0], by[0]) if i == 0 else (bx[i - 1], by[i - 1])
        out.append((edges[i], edges[i + 1], sl, ay - sl * ax))
    return out


def fraction_compose(f: PiecewiseLinear, g: PiecewiseLinear) -> list[tuple[Fraction, Fraction]]:
    """Lean baseline: per-piece Fraction loop returning the (x, value) breakpoints of f o g."""
    fb = list(f.breakpoints)
    fp = _pieces(f)
    out: list[tuple[Fraction, Fraction]] = []

    def fval(v: Fraction) -> Fraction:
        lo, hi = 0, len(fb)
        while lo < hi:
            mid = (lo + hi) // 2
            if fb[mid] < v:
                lo = mid + 1
            else:
                hi = mid
        _, _, s, c = fp[lo]
        return s * v + c

    for x0, x1, s, c in _pieces(g):
        if x0 is not None:
            out.append((x0, fval(s * x0 + c)))
        if s == 0 or x0 is None or x1 is None:
            continue
        v0, v1 = s * x0 + c, s * x1 + c
        lo, hi = (v0, v1) if v0 < v1 else (v1, v0)
        cross = [b for b in fb if lo < b < hi]
        if s < 0:
            cross.reverse()
        for b in cross:
            out.append(((b - c) / s, fval(b)))
    return out


def _time(fn, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def bench_compose(quick: bool = False) -> dict:
    """Print and return the composition figures: pieces/s, ratio to Fraction, bytes/piece."""
    n = 100_000 if quick else 1_000_000
    small = PiecewiseLinear.from_points(
        [(Fraction(k, 8), Fraction((k * 5) % 8, 7)) for k in range(1, 8)],
        left_slope=Fraction(1, 2), right_slope=Fraction(-2, 3))
    print(f"building g: {n} random rational breakpoints, denominators <= 1000 ...")
    t0 = time.perf_counter()
    g = random_pwl(n, seed=1)
    print(f"  built in {time.perf_counter() - t0:.2f} s ({g.n_pieces} pieces)")
    lo, hi = g.breakpoints[0], g.breakpoints[-1]
    # the inner 8-piece zig-zag sweeps g's whole domain on each of its 6 inner pieces
    sweep = PiecewiseLinear.from_points(
        [(Fraction(k, 8), hi if k % 2 else lo) for k in range(1, 8)],
        left_slope=Fraction(1, 2), right_slope=Fraction(-2, 3))
    # memory at about 10^7 pieces: an inner zig-zag sweeping g's domain ~10 times
    import resource
    reps = max(round(10 * n / 1_000_000), 2) if not quick else 10
    sweep10 = PiecewiseLinear.from_points(
        [(Fraction(k, reps), hi if k % 2 else lo) for k in range(reps + 1)])
    gc.collect()
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    big = compose(g, sweep10)
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    nb = big.nbytes()
    print(f"memory: {big.n_pieces:,} pieces hold {nb / 2**20:.0f} MiB = "
          f"{nb / big.n_pieces:.0f} bytes/piece (breakpoints and values, "
          f"{'Python ints' if big._x.is_object else 'int64'} numerators and denominators); "
          f"peak RSS grew by {max(rss1 - rss0, 0) / big.n_pieces:.0f} bytes/piece while "
          f"composing (process peak {rss1 / 2**20:.0f} MiB)")
    memory = {"pieces": big.n_pieces, "bytes_per_piece": nb / big.n_pieces,
                         "peak_growth_bytes_per_piece": max(rss1 - rss0, 0) / big.n_pieces}
    del big
    results = {"memory": memory}
    for label, outer, inner in (("f8 @ g (outer 8 pieces)", small, g),
                                ("g @ f8 (inner 8 pieces)", g, sweep)):
        holder = {}
        dt = _time(lambda: holder.setdefault("h", compose(outer, inner)))
        h = holder.pop("h")
        rate = h.n_pieces / dt
        # baseline on a prefix of g: the same per-piece work
        m = 20_000
        gp = PiecewiseLinear._canonical(g._x.slice(0, m), g._y.slice(0, m), g.left_slope,
                                        g.right_slope)
        if label.startswith("f8"):
            args = (small, gp)
        else:
            a, b = gp.breakpoints[0], gp.breakpoints[-1]
            args = (gp, PiecewiseLinear.from_points(
                [(Fraction(k, 8), b if k % 2 else a) for k in range(1, 8)],
                left_slope=Fraction(1, 2), right_slope=Fraction(-2, 3)))
        base_pieces = len(fraction_compose(*args)) + 1
        base_dt = _time(lambda: fraction_compose(*args))
        base_rate = base_pieces / base_dt
        print(f"{label}: {h.n_pieces:,} output pieces in {dt:.3f} s = "
              f"{rate / 1e6:.2f} M pieces/s; Fraction baseline ({base_pieces:,} pieces) "
              f"{base_rate / 1e3:.1f} k pieces/s -> ratio {rate / base_rate:.1f}x")
        results[label] = {"pieces": h.n_pieces, "seconds": dt, "pieces_per_s": rate,
                          "baseline_pieces_per_s": base_rate, "ratio": rate / base_rate}
        del h
    return results

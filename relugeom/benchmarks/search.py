"""``relugeom bench search`` (also printed after ``relugeom bench frontier``): finding MAX_n
certificates by exact linear algebra (:func:`relugeom.depth.search.search`).

Per n: the template family (up to k pairs a side), the system's size (rows, columns,
nonzeros) and rank, the phase times, the terms found beside the published counts (Rueß et
al., arXiv 2607.21651: 3, 4, 57, 69, 337, 402 terms for n = 5..10), and the verdict of the
independent decision (:func:`relugeom.depth.certificates.decide`) on the certificate written,
and its merged widths (published certificates, n = 5..8: (20, 107), (27, 497), (35, 85829),
(44, 511387)).
Baseline, same process, n <= 6 (and n = 7, k = 3 unless ``--quick``): the older dense route
:func:`relugeom.depth.certificates.search_certificate` (one fmpq row reduction over the same
templates, columns from the decision's cone form).
"""
from __future__ import annotations

import os
import time
from typing import Any

__all__ = ["bench_search"]


def _load() -> str:
    try:
        return "load %.1f" % os.getloadavg()[0]
    except OSError:                                     # pragma: no cover
        return "load ?"


def bench_search(quick: bool = False) -> None:
    """Run the benchmark and print its figures."""
    from ..depth.search import PUBLISHED_TERMS, search, templates
    from ..depth.certificates import decide, search_certificate
    cases = [(5, 2), (6, 2), (7, 2), (7, 3)] + ([] if quick else [(8, 3)])
    print(f"MAX_n certificate search (exact; {_load()} on {os.cpu_count()} cores)")
    print(f"{'n':>2s} {'k':>2s} {'rows':>6s} {'cols':>6s} {'nnz':>9s} {'rank':>5s} "
          f"{'result':>8s} {'terms':>5s} {'publ.':>5s} {'total s':>8s}  phases; decide")
    for n, k in cases:
        t0 = time.perf_counter()
        res = search(n, k)
        dt = time.perf_counter() - t0
        ok: Any = "-"
        if res.holds:
            t1 = time.perf_counter()
            ok = decide(res.cert, counterexample=False).holds
            assert ok
            ok = f"TRUE in {time.perf_counter() - t1:.2f} s"
        phases = ", ".join(f"{a} {b:.1f}" for a, b in res.seconds.items())
        print(f"{n:2d} {k:2d} {res.rows:6d} {res.columns:6d} {res.nnz:9d} {res.rank:5d} "
              f"{'found' if res.holds else 'refuted':>8s} {res.n_terms:5d} "
              f"{PUBLISHED_TERMS.get(n, 0):5d} {dt:8.2f}  {phases}; {ok}; "
              f"merged widths {res.widths or '-'}; peak RSS {res.peak_mb:.0f} MB; {_load()}")
    print("baseline (same process): search_certificate, one dense fmpq rref over the same "
          "templates")
    for n, k in ((5, 2), (6, 2)) + (() if quick else ((7, 3),)):
        cands = templates(n, k)
        t0, c0 = time.perf_counter(), time.process_time()
        old = search_certificate(n, cands)
        tb, cb = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        new = search(n, k, sparse=False)
        tn, cn = time.perf_counter() - t0, time.process_time() - c0
        assert (old is not None) == new.holds
        print(f"  n={n} k={k}: baseline {tb:.2f} s wall {cb:.2f} s cpu "
              f"({len(old.terms) if old else 0} terms), search (basic) {tn:.2f} s wall "
              f"{cn:.2f} s cpu ({new.n_terms} terms): {cb / max(cn, 1e-9):.1f}x cpu; "
              f"{_load()}")

"""``relugeom bench frontier``: MAX_n certificates, regions without 2^n, network_from_cpwl.

network_from_cpwl's cost was the 2^n orthant split of the region engine (its final exact
check enumerates the result's regions); with regions started from R^n as one cone (the
region engine's rewrite) it is fast, and the benchmark prints the old orthant enumeration
of the same network for comparison.

Certificates: the published ones (n = 5..10, Rueß et al., arXiv 2607.21651, shipped in
relugeom/data/certificates), each decided by :func:`relugeom.certificates.decide` (the
subset programme) and, for comparison in the same process, by the n!-order verifier
:func:`relugeom.depth.certificate_orders.orders_form` (every order of every term, numpy; the
published verifiers' algorithm): on all terms up to n = 8, on a sample of terms beyond
(its cost is the same for every term, terms x n!, so the file's time is extrapolated from
the sample and marked so). False variants (one coefficient + 1/10^12) must come with a
counterexample; the lifted file (the n = 10 terms read at n = 11) is FALSE. The issue's
targets are printed as reached / not reached. Then the widths question: merged
second-layer widths from orbits and the hinge directions on the cone, n = 5..10.
"""
from __future__ import annotations

import resource
import time
from fractions import Fraction

__all__ = ["bench_frontier", "MAX6_CERTIFICATE"]

MAX6_CERTIFICATE = (
    '{"n": 6, "terms": [{"coefficient": "-1/360", "pair": [[[1, 1]], [[1, 1]]]}, '
    '{"coefficient": "1/360", "pair": [[[1, 1], [1, 2]], [[1, 1], [3, 4]]]}, '
    '{"coefficient": "1/360", "pair": [[[1, 1], [1, 2]], [[3, 4], [5, 6]]]}, '
    '{"coefficient": "-1/720", "pair": [[[1, 1], [2, 2]], [[3, 4], [5, 6]]]}, '
    '{"coefficient": "1/360", "pair": [[[1, 2], [1, 3]], [[1, 4], [5, 6]]]}, '
    '{"coefficient": "-1/180", "pair": [[[1, 2], [1, 3]], [[2, 4], [5, 6]]]}, '
    '{"coefficient": "1/1440", "pair": [[[1, 2], [1, 3]], [[4, 5], [4, 6]]]}]}')

TARGETS = {8: 0.2, 9: 5.0, 10: 30.0, 11: 600.0}     # seconds, issue 22


def _t(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _cpu(fn):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - w0, time.process_time() - c0, out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load() -> str:
    import os
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def _broken(cert):
    """One coefficient (of a term whose sides differ) + 1/10^12: false."""
    from ..depth.certificates import Certificate
    i = next(i for i, (_, L, R) in enumerate(cert.terms) if L != R)
    c, L, R = cert.terms[i]
    return Certificate(cert.n, cert.terms[:i] + ((c + Fraction(1, 10 ** 12), L, R),)
                       + cert.terms[i + 1:])


def _baseline(cert, sample: int | None):
    """The n!-order verifier's time for the whole file (extrapolated from a sample)."""
    from ..depth.certificate_orders import orders_form
    if sample is None or sample >= len(cert.terms):
        dt, form = _t(lambda: orders_form(cert))
        return dt, form, ""
    idx = list(range(0, len(cert.terms), max(1, len(cert.terms) // sample)))[:sample]
    dt, _ = _t(lambda: orders_form(cert, terms=idx))
    return dt * len(cert.terms) / len(idx), None, f" (extrapolated from {len(idx)} terms)"


def bench_certificates(quick: bool = False) -> None:
    """The published certificates: subset programme against the n!-order verifier."""
    import os

    from ..depth.certificates import decide, load_certificate, published, published_path
    cases = []
    top = 9 if quick else 10
    for n in range(5, top + 1):
        cases.append((f"n={n} published", published(n), True))
        if n >= 7 and (not quick or n <= 8):
            cases.append((f"n={n} +1/10^12", _broken(published(n)), False))
    if not quick:
        lifted = os.path.join(os.path.dirname(published_path(10)),
                              "lifted_11_from_10_4.json")
        cases.append(("n=11 lifted 10_4", load_certificate(lifted), False))
    print(f"MAX_n certificates (load {_load()} at start): decide = sorted cone + subset "
          f"programme; baseline = every order of every term (numpy), same process")
    print(f"{'case':18s} {'terms':>5s} {'verdict':7s} {'hinges':>13s} {'decide s':>9s} "
          f"{'cpu s':>7s} {'baseline s':>11s} {'ratio':>7s}  target")
    for name, cert, expect in cases:
        wall, cpu, res = _cpu(lambda: decide(cert, progress=False))
        assert res.holds == expect, name
        if not res.holds:
            x = res.counterexample
            assert len(set(x)) == cert.n and res.value != max(x)
        sample = None if cert.n <= 8 else (2 if quick else 3)
        if cert.n <= 10 and expect:
            bt, bform, how = _baseline(cert, sample)
            if bform is not None:
                assert (not bform.hinges) == res.holds
            bs, ratio = f"{bt:11.2f}", f"{bt / wall:6.1f}x"
        else:
            bs, ratio, how = f"{'-':>11s}", f"{'-':>7s}", ""
        tgt = TARGETS.get(cert.n)
        if tgt is not None and not expect and cert.n <= 10:
            tgt *= 2
        verdict = "" if tgt is None else (
            f"<= {tgt:g} s: wall {'reached' if wall <= tgt else 'NOT reached'}, cpu "
            f"{'reached' if cpu <= tgt else 'NOT reached'}")
        print(f"{name:18s} {len(cert.terms):5d} {'TRUE' if res.holds else 'FALSE':7s} "
              f"{res.directions:6d}->{res.hinges:<6d} {wall:9.3f} {cpu:7.2f} {bs} "
              f"{ratio}  {verdict}{how}")
    print(f"  (hinges: distinct crossing directions on the cone before -> after the terms "
          f"cancel; cpu = this process's CPU time, the wall time on a loaded machine is "
          f"higher; load {_load()} at end; peak memory {_peak_mb():.0f} MB)")
    if not quick:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(2) as ex:
            wall, cpu, res = _cpu(lambda: decide(published(10), executor=ex))
        print(f"n=10 published with 2 worker processes: {wall:.3f} s wall "
              f"({res.holds}; load {_load()})")


def bench_widths(quick: bool = False) -> None:
    """The widths question: merged second-layer widths, n = 5..10."""
    from ..depth.certificates import decide, network_widths, published
    print("widths of the published certificates' networks (first layer n(n-1)/2 + 2n; "
          "second layer: units per term and injection + 2, then positive multiples "
          "merged and opposite pairs folded, counted from orbits)")
    print(f"{'n':>3s} {'terms':>6s} {'first':>6s} {'second (raw)':>14s} "
          f"{'second (merged)':>16s} {'classes':>8s} {'cone hinges':>12s} {'s':>6s}")
    for n in range(5, (9 if quick else 10) + 1):
        cert = published(n)
        dt, w = _t(lambda: network_widths(cert))
        res = decide(cert)
        print(f"{n:3d} {len(cert.terms):6d} {w.first:6d} {w.units:14,d} {w.nonzero:16,d} "
              f"{w.classes:8d} {res.directions:12,d} {dt:6.2f}")
    print("  (merged = distinct units with a nonzero net coefficient + 2 carrying the "
          "linear part; n = 5, 6, 7 equal the simplified networks of "
          "certificate_network; cone hinges = distinct primitive directions crossing "
          "the sorted cone's interior before the terms cancel)")


def bench_frontier(quick: bool = False) -> None:
    """Run the benchmark and print its figures."""
    from math import comb

    from ..depth.certificates import MAX5_EXAMPLE, certificate_network, load_certificate
    bench_certificates(quick)
    bench_widths(quick)
    m5 = load_certificate(MAX5_EXAMPLE)
    from ..depth.certificates import combinator_network
    from ..depth.maxfive import reference_max_network
    from ..geometry.equality import equal_symmetric, networks_equal
    print("the n=5 example as a network: simplified, and F = max decided on networks")
    if not quick:
        dt, big = _t(lambda: combinator_network(m5))
        print(f"  public combinators (widths (4800, 1440) before), simplified term by term: "
              f"{big.widths} in {dt:.2f} s")
    dt, net5 = _t(lambda: certificate_network(m5))
    print(f"  certificate_network: {net5.widths} in {dt:.3f} s")
    ref5 = reference_max_network(5)
    ft, ok = _t(lambda: equal_symmetric(net5, ref5, check_symmetry=False))
    et, ok2 = _t(lambda: networks_equal(net5, ref5, method="enumerate"))
    assert ok and ok2
    print(f"  sorted cone + hinge form {ft:.3f} s; enumeration on R^5 {et:.3f} s "
          f"({et / ft:.1f}x)")

    from ..geometry.regions import linear_regions
    from ..networks.network import ReLUNetwork
    print("linear_regions without the orthant split:")
    n = 100
    aff = ReLUNetwork([([[Fraction(i + 1) for i in range(n)]], [1])])
    dt, res = _t(lambda: linear_regions(aff))
    print(f"  affine on R^100: {res.n_regions} region in {dt:.3f} s")
    import random
    rng = random.Random(3)
    for units, dim in ((12, 4), (30, 3)) + (() if quick else ((16, 5), (30, 4))):
        W = [[Fraction(rng.randint(-999, 999), rng.randint(1, 97)) for _ in range(dim)]
             for _ in range(units)]
        b = [Fraction(rng.randint(-999, 999), rng.randint(1, 97)) for _ in range(units)]
        net = ReLUNetwork([(W, b), ([[1] * units], [0])])
        dt, res = _t(lambda: linear_regions(net))
        expect = sum(comb(units, i) for i in range(dim + 1))
        print(f"  {units} generic units on R^{dim}: {res.n_regions} regions "
              f"(sum_i C({units}, i) = {expect}) in {dt:.2f} s, "
              f"{1e3 * dt / max(res.n_regions, 1):.2f} ms/region")
    print("  (30 units on R^10 would have sum_{i<=10} C(30, i) = 53,009,101 regions: not run)")

    from ..functions.cpwl import CPWLFunction
    from ..geometry.regions import _enumerate
    from ..networks.maxaffine import network_from_cpwl
    print("network_from_cpwl on R^10 (target < 2 s with 4 pieces); baseline: the old "
          "2^n-orthant enumeration of the result, same process")
    rng = random.Random(10)
    n = 10
    for k in (1, 2, 4):
        maps = [(tuple(Fraction(rng.randint(-5, 5)) for _ in range(n)),
                 Fraction(rng.randint(-5, 5))) for _ in range(k)]
        if k == 1:
            f = CPWLFunction([([], maps[0])], n)
        else:                                   # max of k affine maps: k pieces
            f = CPWLFunction([([tuple(x - y for x, y in zip(a, b)) + (c - d,)
                                for j, (b, d) in enumerate(maps) if j != i], (a, c))
                              for i, (a, c) in enumerate(maps)], n)
        dt, net = _t(lambda: network_from_cpwl(f))
        if k <= 2:          # 4 pieces: the orthant route takes ~400 s and 1.2 GB
            ot, _ = _t(lambda: _enumerate(net, None, None, False, None, True))
            base = f"orthant enumeration of the result alone {ot:.3f} s ({ot / dt:.1f}x)"
        else:
            base = "orthant baseline skipped (about 390 s, 1.2 GB measured once)"
        print(f"  {k} piece(s): {dt:.3f} s, widths {net.widths}; {base}")
    print(f"peak memory: {_peak_mb():.0f} MB")

"""``relugeom bench frontier``: MAX_n certificates, regions without 2^n, network_from_cpwl.

network_from_cpwl's cost was the 2^n orthant split of the region engine (its final exact
check enumerates the result's regions); with regions started from R^n as one cone (the
region engine's rewrite) it is fast, and the benchmark prints the old orthant enumeration
of the same network for comparison.

Certificates (each decided exactly by :func:`relugeom.certificates.decide`, timed against
the straightforward sorted-cone reference :func:`~relugeom.certificates.decide_reference`
run in the same process):

* n = 5: the issue's certificate (true) and its 1/81 perturbation (false);
* n = 6: a true certificate found here by :func:`~relugeom.certificates.search_certificate`
  (exact linear algebra over 456 candidate terms with at most two pairs a side);
* n = 7, 8 (9, 10 unless ``--quick``): no true certificate was available (the same search
  over two-pair terms has no solution for n = 7; a public search, msun170/relu-max6,
  reports the same for its weight-2 family), so the benchmark decides the n = 6 terms and
  the n = 5 terms read at these n: false certificates whose exact value is *known*, so
  the result is checked at every n, including n = 9, 10 where the reference is skipped.
  Deciding them costs the same as a true one (the whole cone form is computed).

  The known value: if the terms of a true n0-certificate are read at n >= n0, the sum
  over injections of a term's k indices into {1..n}, weight (n - k)!, regroups by the
  n0-subsets S containing the image (each image lies in C(n - k, n0 - k) of them), and
  (n - k)! / ((n0 - k)! C(n - k, n0 - k)) = (n - n0)!, so

      F_n = (n - n0)! sum_{|S| = n0} max(x_S),  on the sorted cone
          = (n - n0)! sum_i C(n - i, n0 - 1) x_i      (affine there: no hinge).

  E.g. n0 = 6, n = 7: F = 6 x_1 + x_2 != x_1.
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


def _t(fn):  # noqa: ANN001, ANN202
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_frontier(quick: bool = False) -> None:
    """Run the benchmark and print its figures."""
    from math import comb, factorial

    from ..depth.certificates import (MAX5_EXAMPLE, Certificate, certificate_network, decide,
                                decide_reference, load_certificate, sorted_cone_form)
    m5 = load_certificate(MAX5_EXAMPLE)
    m6 = load_certificate(MAX6_CERTIFICATE)
    cases = [("n=5 issue example", m5), ("n=5 with 1/81",
                                         load_certificate(MAX5_EXAMPLE.replace("1/80", "1/81"))),
             ("n=6 found (search)", m6)]
    known = {}
    for n in (7, 8) + (() if quick else (9, 10)):
        for n0, base in ((6, m6), (5, m5)):
            cases.append((f"n={n} MAX{n0} terms", Certificate(n, base.terms)))
            known[cases[-1][0]] = tuple(Fraction(factorial(n - n0) * comb(n - i, n0 - 1))
                                        for i in range(1, n + 1))
    print("MAX_n certificates: decide (sorted cone + hinge form, partial permutations) vs "
          "the sorted-cone reference (every permutation, pure Python)")
    print(f"{'case':22s} {'verdict':8s} {'hinges':>6s} {'decide s':>9s} {'reference s':>11s} "
          f"{'ratio':>7s}  widths")
    for name, cert in cases:
        dt, res = _t(lambda: decide(cert))
        if name in known:       # (n - n0)! sum_{|S| = n0} max(x_S): no hinge, known linear
            form = sorted_cone_form(cert)
            assert not form.hinges and form.linear == known[name] and not res.holds
        if cert.n <= (7 if quick else 8):
            rt, ref = _t(lambda: decide_reference(cert))
            assert ref == res.holds
            rs, ratio = f"{rt:11.3f}", f"{rt / dt:6.1f}x"
        else:
            rs, ratio = f"{'skipped':>11s}", f"{'-':>7s}"
        widths = certificate_network(cert).widths if cert.n <= 6 else "-"
        print(f"{name:22s} {'true' if res.holds else 'false':8s} {res.hinges:6d} "
              f"{dt:9.3f} {rs} {ratio}  {widths}")
    print("  (n >= 7 rows: F = (n - n0)! sum_{|S|=n0} max(x_S) as predicted, checked exactly)")
    print(f"peak memory so far: {_peak_mb():.0f} MB")

    from ..depth.certificates import combinator_network
    from ..geometry.equality import equal_symmetric
    from ..depth.maxfive import reference_max_network
    from ..geometry.equality import networks_equal
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

    from ..networks.network import ReLUNetwork
    from ..geometry.regions import linear_regions
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
    from ..networks.maxaffine import network_from_cpwl
    from ..geometry.regions import _enumerate
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

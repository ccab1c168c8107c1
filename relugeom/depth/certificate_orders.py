"""The n!-order routes for MAX_n certificates: the references the subset programme of
:mod:`relugeom.depth.certificate_dp` is tested and timed against.

* :func:`sorted_cone_form`: the canonical hinge form from every injection of each term's
  indices (numpy, n!/(n-k)! rows per term: the route of relugeom up to ae34435);
* :func:`orders_form`: the same form from every one of the n! orders of each term, in
  blocks (the benchmark baseline, the published verifiers' algorithm vectorised);
* :func:`decide_reference`: every permutation in pure Python with one Fraction dictionary;
* :func:`evaluate_literal`: F(x) from the definition (all n! permutations, or injections).

All are exact and refuse work beyond ``max_regions`` rows (TooLargeError) before it starts.
"""
from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import DimensionError, TooLargeError
from .certificate_dp import ConeForm, cone_sign as _cone_sign

__all__ = ["ConeForm", "sorted_cone_form", "orders_form", "decide_reference",
           "evaluate_literal"]

Pairs = tuple[tuple[int, int], ...]


def _rows(cert: Any, full: bool) -> int:
    n = cert.n
    return sum(math.factorial(n) if full else math.perm(n, len(_used(L, R)))
               for _, L, R in cert.terms)


def _check_rows(cert: Any, full: bool, what: str) -> None:
    from ..config import get_limit
    limit = get_limit("max_regions") * 20
    rows = _rows(cert, full)
    if rows > limit:
        raise TooLargeError(f"{what}: n = {cert.n} with {len(cert.terms)} terms is "
                            f"{rows:,} {'orders' if full else 'injections'}, over "
                            f"{limit:,} (20 x max_regions); use relugeom.depth.certificates."
                            f"decide, the subset programme")


def evaluate_literal(cert: Any, x: Sequence[Fraction], *, full: bool = True) -> Fraction:
    """F(x) exactly, straight from the definition.

    ``full=True`` sums over all n! permutations literally; ``full=False`` regroups that sum
    by the restriction of s to the k indices a term uses (each injection of them is the
    restriction of exactly (n - k)! permutations), n!/(n-k)! evaluations instead of n!.
    The brute force that the fast routes are tested against; refused (TooLargeError)
    beyond ``max_regions`` rows in all.
    """
    pt = [Fraction(v) for v in x]
    if len(pt) != cert.n:
        raise DimensionError(f"evaluate: the certificate has n = {cert.n}, the point "
                             f"{len(pt)} coordinates")
    n = cert.n
    _check_rows(cert, full, "evaluate_literal")
    den = math.lcm(*(v.denominator for v in pt))
    xi = np.array([int(v * den) for v in pt], dtype=object)
    total = Fraction(0)
    for c, L, R in cert.terms:
        if full:
            P, pos, mult = _injections(n, n), {v: v for v in range(n)}, 1
        else:
            used = _used(L, R)
            P, pos = _injections(n, len(used)), {v: i for i, v in enumerate(used)}
            mult = math.factorial(n - len(used))
        sums = []
        for side in (L, R):
            acc = np.zeros(len(P), dtype=object)
            for a, b in side:
                acc = acc + np.maximum(xi[P[:, pos[a]]], xi[P[:, pos[b]]])
            sums.append(acc)
        total += c * mult * int(np.maximum(sums[0], sums[1]).sum())
    return total / den


@functools.lru_cache(maxsize=16)
def _injections(n: int, k: int) -> np.ndarray:
    """All injective maps {0..k-1} -> {0..n-1} as rows (n!/(n-k)! of them), in
    lexicographic order; cached, read-only."""
    count = math.perm(n, k)
    P = np.fromiter(itertools.chain.from_iterable(itertools.permutations(range(n), k)),
                    dtype=np.int64, count=count * k).reshape(count, k)
    P.setflags(write=False)
    return P


def _used(L: Pairs, R: Pairs) -> list[int]:
    return sorted({v for p in L + R for v in p})


def _term_forms(n: int, L: Pairs, R: Pairs) -> tuple[np.ndarray, np.ndarray, int]:
    """On the sorted cone: the forms A o s and B - A (rows, over injections s of the used
    indices), and the multiplicity (n - k)! of each injection."""
    used = _used(L, R)
    k = len(used)
    pos = {v: i for i, v in enumerate(used)}
    P = _injections(n, k)
    N = len(P)
    rows = np.arange(N)
    forms = []
    for side in (L, R):
        M = np.zeros((N, n), dtype=np.int64)
        for a, b in side:
            np.add.at(M, (rows, np.minimum(P[:, pos[a]], P[:, pos[b]])), 1)
        forms.append(M)
    return forms[0], forms[1] - forms[0], math.factorial(n - k)


def _unique_rows(M: np.ndarray, counts: bool = False) -> tuple[np.ndarray, ...]:
    """np.unique(M, axis=0, return_inverse=True[, return_counts]) for small integer rows,
    through one exact int64 key per row (mixed radix) when it fits, which sorts 1-D keys
    instead of row views; the general route otherwise. Same sorted order either way."""
    n = M.shape[1]
    off = int(np.abs(M).max()) if M.size else 0
    base = 2 * off + 1
    if base ** n < 2 ** 62:
        key = np.zeros(len(M), dtype=np.int64)
        for j in range(n):                    # lexicographic in the rows: same order
            key = key * base + (M[:, j] + off)
        _, first, inv, cnt = np.unique(key, return_index=True, return_inverse=True,
                                       return_counts=True)
        out = (M[first], inv.reshape(-1))
    else:
        U, inv, cnt = np.unique(M, axis=0, return_inverse=True, return_counts=True)
        out = (U, inv.reshape(-1))
    return out + (cnt,) if counts else out


def _add_rows(lin: list[Fraction], acc: dict[tuple[int, ...], Fraction], w: Fraction,
              A: np.ndarray, D: np.ndarray) -> None:
    """Add w (sum of the rows of A + relu(rows of D)) to (lin, acc), primitive keys."""
    for i, v in enumerate(A.sum(axis=0).tolist()):
        lin[i] += w * v
    D = D[D.any(axis=1)]
    if not len(D):
        return
    U, _, cnt = _unique_rows(D, counts=True)
    g = np.gcd.reduce(np.abs(U), axis=1)
    lead = U[np.arange(len(U)), (U != 0).argmax(axis=1)]
    sgn = np.sign(lead)
    Hp = U // (g * sgn)[:, None]
    scale = cnt * g                       # relu(g sgn h) = g relu(sgn h)
    neg = sgn < 0                         # relu(-h) = relu(h) - h
    if neg.any():
        corr = (Hp[neg] * scale[neg][:, None]).sum(axis=0)
        for i, v in enumerate(corr.tolist()):
            lin[i] -= w * v
    Hq, inv = _unique_rows(Hp)
    tot = np.zeros(len(Hq), dtype=np.int64)
    np.add.at(tot, inv, scale)
    for h, t in zip(map(tuple, Hq.tolist()), tot.tolist()):
        acc[h] = acc.get(h, Fraction(0)) + w * t


def _form(n: int, lin: list[Fraction], acc: dict[tuple[int, ...], Fraction]) -> ConeForm:
    hinges = {}
    if acc:
        keys = list(acc)
        S = _cone_sign(np.array(keys, dtype=np.int64))
        for h, s in zip(keys, S.tolist()):
            cf = acc[h]
            if cf == 0 or s < 0:
                continue
            if s > 0:
                for i in range(n):
                    lin[i] += cf * h[i]
            else:
                hinges[h] = cf
    return ConeForm(n, tuple(lin), hinges)


def sorted_cone_form(cert: Any) -> ConeForm:
    """The canonical hinge form of F on the sorted cone x_1 >= ... >= x_n, summed over
    the injections of each term's indices (weight (n - k)!)."""
    _check_rows(cert, False, "sorted_cone_form")
    n = cert.n
    lin = [Fraction(0)] * n
    acc: dict[tuple[int, ...], Fraction] = {}
    for c, L, R in cert.terms:
        A, D, mult = _term_forms(n, L, R)
        _add_rows(lin, acc, c * mult, A, D)
    return _form(n, lin, acc)


def orders_form(cert: Any, *, terms: Sequence[int] | None = None,
                block: int = 1 << 17) -> ConeForm:
    """The same canonical form from all n! orders of every term (or of the terms with the
    given indices), in blocks of ``block`` orders: the n!-order verifier, vectorised. Its
    cost is terms x n! whatever the term; the benchmark baseline."""
    n = cert.n
    chosen = [cert.terms[i] for i in terms] if terms is not None else list(cert.terms)
    from ..config import get_limit
    rows = len(chosen) * math.factorial(n)
    if rows > get_limit("max_regions") * 400:
        raise TooLargeError(f"orders_form: {rows:,} orders, over 400 x max_regions")
    lin = [Fraction(0)] * n
    acc: dict[tuple[int, ...], Fraction] = {}
    for c, L, R in chosen:
        it = itertools.permutations(range(n))
        while True:
            chunk = list(itertools.islice(it, block))
            if not chunk:
                break
            P = np.array(chunk, dtype=np.int64)
            forms = []
            for side in (L, R):
                idx = np.arange(len(P)) * n
                M = np.zeros(len(P) * n, dtype=np.int64)
                for a, b in side:
                    M += np.bincount(idx + np.minimum(P[:, a], P[:, b]),
                                     minlength=len(M))
                forms.append(M.reshape(len(P), n))
            _add_rows(lin, acc, c, forms[0], forms[1] - forms[0])
    return _form(n, lin, acc)


def decide_reference(cert: Any) -> bool:
    """The straightforward sorted-cone check (pure Python, every permutation, one
    Fraction dictionary)."""
    from ..networks.hinge import primitive
    _check_rows(cert, True, "decide_reference")
    n = cert.n
    lin = [Fraction(0)] * n
    acc: dict[tuple[int, ...], Fraction] = {}
    for c, L, R in cert.terms:
        for s in itertools.permutations(range(n)):
            A = [0] * n
            B = [0] * n
            for a, b in L:
                A[min(s[a], s[b])] += 1
            for a, b in R:
                B[min(s[a], s[b])] += 1
            for i in range(n):
                lin[i] += c * A[i]
            d = [q - p for p, q in zip(A, B)]
            if not any(d):
                continue
            h, sc = primitive(d + [0])
            acc[h] = acc.get(h, Fraction(0)) + c * abs(sc)
            if sc < 0:
                for i in range(n):
                    lin[i] -= c * abs(sc) * h[i]
    for h, cf in acc.items():
        p = h[:n]
        pref = list(itertools.accumulate(p))
        if pref[-1] == 0 and all(v >= 0 for v in pref):
            for i in range(n):
                lin[i] += cf * p[i]
        elif pref[-1] == 0 and all(v <= 0 for v in pref):
            continue
        elif cf != 0:
            return False
    return lin == [Fraction(1)] + [Fraction(0)] * (n - 1)



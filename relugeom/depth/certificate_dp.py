"""F of a MAX_n certificate on the sorted cone, by a dynamic programme over subsets.

A certificate term ``(c, L, R)`` contributes ``c sum_{s in S_n} max(A o s, B o s)`` with
``A o s = sum_{[a,b] in L} max(x_s(a), x_s(b))`` (B likewise from R). On the sorted cone
``C = {x_1 >= x_2 >= ... >= x_n}`` (0-based: position 0 holds the largest value),
``max(x_i, x_j) = x_min(i,j)``, so ``A o s`` and ``D o s = B o s - A o s`` are integer
linear forms and

    term = c sum_s A o s  +  c sum_s relu(D o s).

*Linear part.* ``sum_s A o s`` has a closed form: a loop ``[a, a]`` puts (n-1)! on every
position, a pair ``[a, b]`` (a != b) puts ``2 (n-1-i) (n-2)!`` on position i.

*Hinge part: the dynamic programme.* Fill the positions from the last one (smallest value)
to the first. When index a of the term goes to a position, the pairs of a whose other end
is already placed (at a later, smaller position), and a's loops, take their max at a's
position. So entry i of D o s is ``gain(T, a) = sum_R - sum_L`` over those pairs, where T is
the set of the term's indices already placed. The state is (T, the word of D entries
written so far); orders with equal states are merged and counted, and the n - k unused
indices are interchangeable fillers that write 0. The DP has at most 2^k sets T; what
grows is the number of distinct words, not the n!/(n-k)! orders: n = 10 terms of the
published certificate reach at most ~30,000 states (3.6 million orders).

:func:`term_words` returns the distinct D rows of a term with their counts;
:func:`cone_coefficients` sums c_t times them over the terms into the canonical form (see
:class:`ConeCoefficients`); :func:`evaluate_sorted` evaluates F exactly at points from the
same rows (each point sorted once), never summing over n! orders.
Everything is exact: int64 only where a bound proves it cannot overflow, Python integers
otherwise, no floats in any decision.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import TooLargeError

__all__ = ["TermWords", "ConeCoefficients", "term_words", "term_linear",
           "cone_coefficients", "evaluate_sorted", "cone_sign"]

Pairs = Sequence[tuple[int, int]]
Term = tuple[Fraction, Pairs, Pairs]

_I64 = 2 ** 62
_STATE_BYTES = 40            # per DP state and transition (key, code, set, count, sort)


@dataclass(frozen=True)
class TermWords:
    """The hinge rows of one term: ``rows[j]`` (length n, position 0 = largest value) is
    D o s for ``counts[j] * mult`` of the n! permutations s (``mult = (n - k)!``)."""

    n: int
    k: int
    mult: int
    rows: np.ndarray
    counts: np.ndarray


def _used(L: Pairs, R: Pairs) -> list[int]:
    return sorted({v for p in (*L, *R) for v in p})


def term_linear(n: int, L: Pairs) -> list[int]:
    """``sum over all n! permutations s of A o s`` on the sorted cone (exact integers)."""
    loops = sum(1 for a, b in L if a == b)
    return _linear(n, loops, len(L) - loops)


def _linear(n: int, loops: int, pairs: int) -> list[int]:
    f1 = math.factorial(n - 1)
    f2 = math.factorial(n - 2) if n >= 2 else 0
    return [loops * f1 + pairs * 2 * (n - 1 - i) * f2 for i in range(n)]


def _grouped(n: int, terms: Sequence[Term]) -> tuple[list[Fraction], list[Term]]:
    """Terms with the same signed graph R - L have the same rows: their coefficients are
    added first. Returns (sum_t c_t term_linear(L_t), [(c, L, R)] one per graph, c != 0)."""
    lin_by: dict[tuple[int, int], Fraction] = {}
    groups: dict[tuple, list] = {}
    for c, L, R in terms:
        loops = sum(1 for a, b in L if a == b)
        key = (loops, len(L) - loops)
        lin_by[key] = lin_by.get(key, Fraction(0)) + c
        g: Counter = Counter()
        for side, sg in ((R, 1), (L, -1)):
            for a, b in side:
                g[(min(a, b), max(a, b))] += sg
        mk = tuple(sorted((p, v) for p, v in g.items() if v))
        if mk in groups:
            groups[mk][0] += c
        else:
            groups[mk] = [c, L, R]
    lin = [Fraction(0)] * n
    for (loops, pairs), c in lin_by.items():
        if c:
            for i, v in enumerate(_linear(n, loops, pairs)):
                lin[i] += c * v
    return lin, [(c, L, R) for c, L, R in groups.values() if c and (L or R)]


def _gain_table(k: int, pairs: dict[tuple[int, int], int]) -> np.ndarray:
    """gain[T, a]: the weight taken at a's position when a is placed after the set T."""
    Ts = np.arange(1 << k, dtype=np.int64)
    gain = np.zeros((1 << k, k), dtype=np.int64)
    for (a, b), w in pairs.items():
        if a == b:
            gain[:, a] += w
        else:
            gain[:, a] += w * ((Ts >> b) & 1)
            gain[:, b] += w * ((Ts >> a) & 1)
    return gain


def _term_pairs(L: Pairs, R: Pairs) -> tuple[list[int], dict[tuple[int, int], int]]:
    used = _used(L, R)
    pos = {v: i for i, v in enumerate(used)}
    w: Counter = Counter()
    for side, sg in ((R, 1), (L, -1)):
        for a, b in side:
            a, b = sorted((pos[a], pos[b]))
            w[(a, b)] += sg
    return used, {p: v for p, v in w.items() if v}


def _guard(states: int, k: int, n: int, byte_limit: int) -> None:
    need = states * (k + 1) * _STATE_BYTES
    if need > byte_limit:
        raise TooLargeError(
            f"certificate decision: a term with {k} indices at n = {n} reached {states:,} "
            f"dynamic-programme states (about {need / 2 ** 30:.1f} GiB for the next step), "
            f"over max_bytes={byte_limit:,} (raise it with relugeom.limits(max_bytes=...))")


def term_words(n: int, L: Pairs, R: Pairs, *, byte_limit: int | None = None) -> TermWords:
    """The distinct rows D o s of a term on the sorted cone and how many injections of its
    indices give each (the dynamic programme of the module docstring)."""
    if byte_limit is None:
        from ..config import get_limit
        byte_limit = get_limit("max_bytes")
    used, pairs = _term_pairs(L, R)
    k = len(used)
    mult = math.factorial(n - k)
    gain = _gain_table(k, pairs)
    off = int(np.abs(gain).max()) if gain.size else 0
    base = 2 * off + 1
    if base ** n * (1 << k) >= _I64:
        return _term_words_py(n, k, mult, gain, byte_limit)
    fill, full = n - k, (1 << k) - 1
    T = np.zeros(1, np.int64)
    code = np.zeros(1, np.int64)
    cnt = np.ones(1, np.int64)
    scale = 1
    for step in range(n):
        _guard(len(T), k, n, byte_limit)
        pT, pc, pn = [], [], []
        if fill:
            pop = np.zeros(len(T), np.int64)
            for a in range(k):
                pop += (T >> a) & 1
            m = step - pop < fill
            pT.append(T[m]), pc.append(code[m] + off * scale), pn.append(cnt[m])
        for a in range(k):
            m = (T >> a) & 1 == 0
            if m.any():
                Tm = T[m]
                pT.append(Tm | (1 << a))
                pc.append(code[m] + (gain[Tm, a] + off) * scale)
                pn.append(cnt[m])
        key = np.concatenate(pc) * (1 << k) + np.concatenate(pT)
        cnt = np.concatenate(pn)
        order = np.argsort(key, kind="stable")
        key, cnt = key[order], cnt[order]
        first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
        cnt = np.add.reduceat(cnt, first)
        key = key[first]
        T, code = key & full, key >> k
        scale *= base
    rows = np.empty((len(code), n), np.int64)
    for s in range(n):                       # step s wrote position n - 1 - s
        rows[:, n - 1 - s] = code % base - off
        code = code // base
    return TermWords(n, k, mult, rows, cnt)


def _term_words_py(n: int, k: int, mult: int, gain: np.ndarray,
                   byte_limit: int) -> TermWords:
    """The same programme with Python integers and tuples (large weights)."""
    g = gain.tolist()
    fill = n - k
    states: dict[tuple[int, tuple[int, ...]], int] = {(0, ()): 1}
    for step in range(n):
        _guard(len(states), k, n, byte_limit)
        nxt: dict[tuple[int, tuple[int, ...]], int] = {}
        for (T, word), c in states.items():
            if step - T.bit_count() < fill:
                key = (T, (0,) + word)
                nxt[key] = nxt.get(key, 0) + c
            for a in range(k):
                if not T >> a & 1:
                    key = (T | 1 << a, (g[T][a],) + word)
                    nxt[key] = nxt.get(key, 0) + c
        states = nxt
    words = [w for _, w in states]
    rows = np.array(words, dtype=np.int64).reshape(len(words), n)
    return TermWords(n, k, mult, rows, np.array(list(states.values()), dtype=np.int64))


def cone_sign(H: np.ndarray) -> np.ndarray:
    """Per integer row h: +1 if h . x >= 0 on the whole sorted cone, -1 if <= 0, 0 if its
    hyperplane crosses the interior (C is generated by +-1 and the prefix vectors
    1^j 0^(n-j), so this is exact from the row sum and the prefix sums)."""
    total = H.sum(axis=1)
    pref = np.cumsum(H, axis=1)[:, :-1]
    nonneg = (total == 0) & (pref >= 0).all(axis=1)
    nonpos = (total == 0) & (pref <= 0).all(axis=1)
    return np.where(nonneg, 1, np.where(nonpos, -1, 0))


@dataclass
class ConeForm:
    """F restricted to the sorted cone: ``linear`` plus ``sum c relu(h)`` over hyperplanes
    crossing the cone's interior (primitive integer rows, first nonzero entry > 0); what
    the n!-order routes of :mod:`relugeom.depth.certificate_orders` return."""

    n: int
    linear: tuple[Fraction, ...]
    hinges: dict[tuple[int, ...], Fraction]

    def __call__(self, x: Sequence[Fraction]) -> Fraction:
        val = sum((a * b for a, b in zip(self.linear, x)), Fraction(0))
        for h, c in self.hinges.items():
            t = sum((a * b for a, b in zip(h, x)), Fraction(0))
            if t > 0:
                val += c * t
        return val


@dataclass
class ConeCoefficients(ConeForm):
    """F on the sorted cone x_1 >= ... >= x_n in canonical form:
    ``F(x) = linear . x + sum_h hinges[h] relu(h . x)``.

    Each key h is a primitive integer row (first nonzero entry positive) whose hyperplane
    crosses the cone's interior, with a nonzero coefficient; hinges that do not cross it
    are folded into ``linear`` (relu(h) = h or 0 there). Distinct hyperplanes crossing an
    open set have independent kinks, so F = x_1 on the cone iff ``hinges`` is empty and
    ``linear == (1, 0, ..., 0)``. ``directions`` counts the distinct crossing directions
    before the terms cancel (the hinge count of F's second layer on the cone),
    ``all_directions`` every distinct primitive direction of the terms' rows."""

    directions: int = 0
    all_directions: int = 0
    values: list[Fraction] | None = None      # F at the ``points`` given, if any

    def is_max(self) -> bool:
        """F = max(x_1, ..., x_n) on R^n (F is symmetric, so on the cone suffices)."""
        return not self.hinges and self.linear == tuple(
            Fraction(int(i == 0)) for i in range(self.n))


def _encoder(n: int, terms: Sequence[Term]) -> tuple[int, int] | None:
    """(offset, base) to write every primitive row of the terms as one int64, or None."""
    off = 0
    for _, L, R in terms:
        deg: Counter = Counter()
        for a, b in (*L, *R):
            deg[a] += 1
            if a != b:
                deg[b] += 1
        off = max(off, max(deg.values(), default=0))
    base = 2 * off + 1
    return (off, base) if base ** n < _I64 else None


def _term_rows(tw: TermWords, enc: tuple[int, int] | None) -> tuple[Any, Any, list[int]]:
    """A term's rows as primitive directions: (keys, integer weights, linear correction)
    with relu(g h) = g relu(h) and relu(-h) = relu(h) - h."""
    rows, cnt = tw.rows, tw.counts
    nz = rows.any(axis=1)
    rows, cnt = rows[nz], cnt[nz]
    n = tw.n
    if not len(rows):
        return (np.zeros(0, np.int64) if enc else []), np.zeros(0, np.int64), [0] * n
    g = np.gcd.reduce(np.abs(rows), axis=1)
    lead = rows[np.arange(len(rows)), (rows != 0).argmax(axis=1)]
    sg = np.sign(lead)
    prim = rows // (g * sg)[:, None]
    big = math.factorial(n) * int(np.abs(rows).max()) * n >= _I64
    w = cnt.astype(object) * g.astype(object) * tw.mult if big else cnt * g * tw.mult
    neg = sg < 0
    corr = [int(v) for v in (prim[neg].astype(object if big else np.int64)
                             * w[neg][:, None]).sum(axis=0)] if neg.any() else [0] * n
    if enc is None:
        acc: dict[tuple[int, ...], int] = {}
        for h, v in zip(map(tuple, prim.tolist()), w.tolist()):
            acc[h] = acc.get(h, 0) + int(v)
        return list(acc), list(acc.values()), corr
    off, base = enc
    key = np.zeros(len(prim), np.int64)
    for i in range(n):
        key = key * base + (prim[:, i] + off)
    order = np.argsort(key, kind="stable")
    key, w = key[order], w[order]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return key[first], np.add.reduceat(w, first), corr


def _reduce(keys: np.ndarray, vals: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.argsort(keys, kind="stable")
    keys, vals = keys[order], vals[order]
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else \
        np.zeros(0, np.int64)
    return keys[first], (np.add.reduceat(vals, first) if len(keys) else vals)


def chunk_form(n: int, terms: Sequence[Term], enc: tuple[int, int] | None,
               byte_limit: int | None = None, X: list[list[int]] | None = None) \
        -> tuple[int, list[int], Any, Any, list[int]]:
    """The un-canonicalised sum over some terms: ``(Q, Q * linear, keys, Q * weights,
    Q * F at the integer points X)`` (a worker's share; picklable)."""
    lin_f, groups = _grouped(n, terms)
    Q = math.lcm(*(c.denominator for c, _, _ in groups), *(v.denominator for v in lin_f))
    lin = [int(v * Q) for v in lin_f]
    X = X or []
    pv = [sum(a * b for a, b in zip(lin, x)) for x in X]
    amax = max((abs(v) for x in X for v in x), default=0)
    ks: list[Any] = []
    vs: list[Any] = []
    bound = 0
    for c, L, R in groups:
        cq = c.numerator * (Q // c.denominator)
        tw = term_words(n, L, R, byte_limit=byte_limit)
        for j, v in enumerate(_point_values(tw, X, amax)):
            pv[j] += cq * v
        keys, w, corr = _term_rows(tw, enc)
        for i, v in enumerate(corr):
            lin[i] -= cq * v
        if enc is None:
            ks.extend(keys)
            vs.extend(cq * int(v) for v in w)
            continue
        bound += abs(cq) * int(np.abs(w).sum() if w.dtype != object else
                               sum(abs(int(v)) for v in w))
        ks.append(keys)
        wmax = int(np.abs(w).max()) if len(w) and w.dtype != object else 0
        vs.append(w.astype(object) * cq if w.dtype == object or abs(cq) * wmax >= _I64
                  else w * cq)
    if enc is None:
        acc: dict[tuple[int, ...], int] = {}
        for h, v in zip(ks, vs):
            acc[h] = acc.get(h, 0) + v
        return Q, lin, list(acc), list(acc.values()), pv
    if not ks:
        return Q, lin, np.zeros(0, np.int64), np.zeros(0, np.int64), pv
    safe = bound < _I64 and all(v.dtype != object for v in vs)
    vals = np.concatenate([v if safe else v.astype(object) for v in vs])
    keys, vals = _reduce(np.concatenate(ks), vals)
    return Q, lin, keys, vals, pv


def _merge(n: int, parts: Iterable[tuple], enc: tuple[int, int] | None) \
        -> tuple[int, list[int], list[tuple[int, ...]], list[int], list[int]]:
    """Shares -> one common denominator, keys decoded to rows."""
    Q, lin, keys, vals, pv = _merge_raw(n, list(parts), enc)
    if enc is None:
        return Q, lin, list(keys), [int(v) for v in vals], pv
    off, base = enc
    rows = np.empty((len(keys), n), np.int64)
    code = np.asarray(keys, dtype=np.int64).copy()
    for i in range(n - 1, -1, -1):
        rows[:, i] = code % base - off
        code = code // base
    return (Q, lin, [tuple(r) for r in rows.tolist()],
            [int(v) for v in np.asarray(vals).tolist()], pv)


def cone_coefficients(n: int, terms: Sequence[Term], *, executor: Any = None,
                      chunks: int | None = None, progress: bool = False,
                      byte_limit: int | None = None,
                      points: Sequence[Sequence[Fraction]] | None = None) -> ConeCoefficients:
    """The exact coefficients of F = sum_t c_t sum_s max(A_t o s, B_t o s) on the sorted
    cone x_1 >= ... >= x_n.

    ``terms`` are ``(c, L, R)`` with c a Fraction and L, R sequences of 0-based index
    pairs (a, b) below n. ``executor`` (a concurrent.futures executor or a dask Client,
    anything with ``submit``) splits the terms into ``chunks`` shares; ``progress`` shows
    a tqdm bar over the terms (serial) or the shares. ``points``: F is also evaluated
    there from the same rows (each point sorted once), in ``values``. Returns
    :class:`ConeCoefficients`.
    """
    enc = _encoder(n, terms)
    if byte_limit is None:
        from ..config import get_limit
        byte_limit = get_limit("max_bytes")
    terms = list(terms)
    X, dens = _integer_points(points or [])
    if executor is None:
        parts = [_serial(n, terms, enc, byte_limit, progress, X)]
    else:
        m = chunks or max(1, min(len(terms), 4 * _workers(executor)))
        shares = [terms[i::m] for i in range(m) if terms[i::m]]
        futs = [executor.submit(chunk_form, n, s, enc, byte_limit, X) for s in shares]
        try:
            parts = [f.result() for f in _bar(futs, progress, "certificate shares")]
        except BaseException:
            for f in futs:
                f.cancel()
            raise
    Q, lin, rows, vals, pv = _merge(n, parts, enc)
    out = _canonical(n, Q, lin, rows, vals)
    if points is not None:
        out.values = [Fraction(v, Q * d) for v, d in zip(pv, dens)]
    return out


def _integer_points(points: Sequence[Sequence[Fraction]]) -> tuple[list[list[int]], list[int]]:
    """Each point sorted (decreasing) and scaled to integers by its common denominator."""
    dens = [math.lcm(*(Fraction(v).denominator for v in p)) for p in points]
    return ([[int(v * d) for v in sorted(map(Fraction, p), reverse=True)]
             for p, d in zip(points, dens)], dens)


def _workers(executor: Any) -> int:
    for attr in ("_max_workers",):
        if isinstance(getattr(executor, attr, None), int):
            return executor._max_workers
    try:                                          # dask Client
        return max(1, sum(executor.nthreads().values()))
    except Exception:
        return 2


def _bar(it: Sequence[Any], on: bool, desc: str) -> Iterable[Any]:
    if not on:
        return it
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm
    return tqdm(it, desc=desc, unit="term" if "share" not in desc else "share",
                leave=False)


def _serial(n: int, terms: list[Term], enc: tuple[int, int] | None, byte_limit: int,
            progress: bool, X: list[list[int]]) -> tuple:
    if not progress:
        return chunk_form(n, terms, enc, byte_limit, X)
    parts = []
    step = max(1, len(terms) // 50)
    bar = _bar(range(0, len(terms), step), True, "certificate terms")
    for i in bar:
        parts.append(chunk_form(n, terms[i:i + step], enc, byte_limit, X))
    return _merge_raw(n, parts, enc)


def _merge_raw(n: int, parts: list[tuple], enc: tuple[int, int] | None) -> tuple:
    if len(parts) == 1:
        return parts[0]
    Q = math.lcm(*(p[0] for p in parts))
    lin = [sum(p[1][i] * (Q // p[0]) for p in parts) for i in range(n)]
    pv = [sum(p[4][j] * (Q // p[0]) for p in parts) for j in range(len(parts[0][4]))]
    if enc is None:
        acc: dict[tuple[int, ...], int] = {}
        for q, _, keys, vals, _ in parts:
            for h, v in zip(keys, vals):
                acc[h] = acc.get(h, 0) + v * (Q // q)
        return Q, lin, list(acc), list(acc.values()), pv
    keys = np.concatenate([p[2] for p in parts])
    vals = np.concatenate([np.asarray(p[3], dtype=object) * (Q // p[0]) for p in parts])
    k2, v2 = _reduce(keys, vals)
    return Q, lin, k2, v2, pv


def _canonical(n: int, Q: int, lin: list[int], rows: list[tuple[int, ...]],
               vals: list[int]) -> ConeCoefficients:
    """Fold the hinges that do not cross the cone into the linear part; keep the rest."""
    hinges: dict[tuple[int, ...], Fraction] = {}
    crossing = 0
    if rows:
        S = cone_sign(np.array(rows, dtype=object if _wide(rows) else np.int64))
        for h, v, s in zip(rows, vals, S.tolist()):
            if s > 0:
                for i in range(n):
                    lin[i] += v * h[i]
            elif s == 0:
                crossing += 1
                if v:
                    hinges[h] = Fraction(v, Q)
    return ConeCoefficients(n, tuple(Fraction(v, Q) for v in lin), hinges, crossing,
                            len(rows))


def _wide(rows: list[tuple[int, ...]]) -> bool:
    return max((abs(v) for r in rows for v in r), default=0) * len(rows[0]) >= _I64


def evaluate_sorted(n: int, terms: Sequence[Term],
                    points: Sequence[Sequence[Fraction]]) -> list[Fraction]:
    """F at each point, exactly, from the same rows: every point is sorted once (F is
    symmetric), then F(x) = sum_t c_t (linear_t . x + mult_t sum_j counts_j relu(row_j . x)).
    No sum over n! orders; the signs of row . x are exact (int64 where a bound allows,
    otherwise a float filter whose undecided rows are recomputed with Python integers)."""
    X, dens = _integer_points(points)
    lin_f, groups = _grouped(n, terms)
    Q = math.lcm(*(c.denominator for c, _, _ in groups), *(v.denominator for v in lin_f))
    lin = [int(v * Q) for v in lin_f]
    totals = [sum(a * b for a, b in zip(lin, x)) for x in X]
    amax = max((abs(v) for x in X for v in x), default=0)
    for c, L, R in groups:
        cq = c.numerator * (Q // c.denominator)
        for j, v in enumerate(_point_values(term_words(n, L, R), X, amax)):
            totals[j] += cq * v
    return [Fraction(t, Q * d) for t, d in zip(totals, dens)]


def _point_values(tw: TermWords, X: list[list[int]], amax: int) -> list[int]:
    """mult * sum_j counts_j relu(row_j . x) for each integer point x, exactly."""
    if not X or not len(tw.rows):
        return [0] * len(X)
    pos = _positive_rows(tw.rows, X, amax)
    big = math.factorial(tw.n) * int(np.abs(tw.rows).max()) >= _I64
    out = []
    for j, x in enumerate(X):
        v, w = tw.rows[pos[:, j]], tw.counts[pos[:, j]]
        if big:
            s = (v.astype(object) * w.astype(object)[:, None]).sum(axis=0)
        else:
            s = (v * w[:, None]).sum(axis=0)
        out.append(tw.mult * sum(int(a) * b for a, b in zip(s, x)))
    return out


def _positive_rows(rows: np.ndarray, X: list[list[int]], amax: int) -> np.ndarray:
    """(rows . x > 0) for every row and point, exactly."""
    l1 = int(np.abs(rows).sum(axis=1).max()) if len(rows) else 0
    if l1 * amax < _I64:
        return rows @ np.array(X, dtype=np.int64).T > 0
    try:
        Xf = np.array([[float(v) for v in r] for r in X]).T    # n x P, rounded
    except OverflowError:                                       # past 1e308: exact only
        return np.array([[sum(int(a) * b for a, b in zip(r, x)) > 0 for x in X]
                         for r in rows], dtype=bool).reshape(len(rows), len(X))
    approx = rows.astype(float) @ Xf
    err = (np.abs(rows).astype(float) @ np.abs(Xf)) * (4 * rows.shape[1] + 4) * 2.0 ** -52
    out = approx > 0
    unsure = np.abs(approx) <= err + 1e-300
    if unsure.any():
        ri, pj = np.nonzero(unsure)
        for r, p in zip(ri.tolist(), pj.tolist()):
            out[r, p] = sum(int(a) * b for a, b in zip(rows[r], X[p])) > 0
    return out

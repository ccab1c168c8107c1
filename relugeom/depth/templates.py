"""Templates and the symmetrised linear system of the MAX_n certificate search.

A *template* is a pair (L, R) of multisets of index pairs (sums of pairwise maxima), taken
up to relabelling the indices (S_n acts on them) and up to swapping L and R (max is
symmetric); :func:`templates` lists them, :func:`canonical` is the canonical form. A
certificate (:mod:`relugeom.depth.certificates`) is a rational combination of templates,
each summed over S_n; it is true iff it equals max(x_1..x_n) on the sorted cone.

The symmetrised system (:func:`build_system`)
---------------------------------------------
On the ascending cone x_1 <= ... <= x_n, max(x_a, x_b) is the x of the *later* index, so a
term's two sides are linear and ``max(A, B) = A + relu(B - A)``. For an injection s of the
u indices a template uses, the forms A o s and B o s only depend on the order of the images
(a *word* over the ranks 1..u) and on the image set Q (where the ranks sit in 1..n):

* per order of the u indices (u! of them, not n!; listed for u <= 8, counted by a dynamic
  program over subsets above, :func:`_word_counts`), the words a = A and w = B - A over the
  ranks; w is classified on the cone once (``relu(w) = w`` or ``0`` when w does not cross
  the interior; ``relu(-g v) = g relu(v) - g v`` for a primitive v with a positive leading
  entry), which does not depend on Q;
* the linear part is the rank vector times the matrix ``Pos[r, p] = C(p, r) C(n-1-p, u-1-r)``
  (how many image sets put rank r at position p);
* a hinge v with nonzero ranks Z lands on the hyperplane "v_Z at positions P" for every
  |Z|-subset P of 1..n, counted ``C(p_1, z_1) prod C(p_{i+1}-p_i-1, z_{i+1}-z_i-1)
  C(n-1-p_m, u-1-z_m)`` times (the other ranks fill the gaps);
* every injection is the restriction of (n - u)! permutations.

Unknowns: one coefficient per template. Equations: every hinge coefficient is 0 (one row
per hyperplane crossing the cone's interior), the linear part is x_n (n rows). The hinge
form on the cone is canonical, so a solution is exactly a true certificate.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

from ..errors import DomainError, NotExactError, TooLargeError

__all__ = ["templates", "canonical", "template_column", "decode_key", "build_system",
           "CertificateSystem", "MAX_SEARCH_N"]

MAX_SEARCH_N = 11

Edge = tuple[int, int]
Template = tuple[tuple[Edge, ...], tuple[Edge, ...]]       # 0-based, a <= b


# ------------------------------------------------------------------ templates
def _relabel(side: Sequence[Edge], lab: Sequence[int]) -> tuple[Edge, ...]:
    return tuple(sorted((min(lab[a], lab[b]), max(lab[a], lab[b])) for a, b in side))


def _colours(u: int, L: Sequence[Edge], R: Sequence[Edge]) -> list[Any]:
    """Vertex colours refined by neighbourhoods (a Weisfeiler-Leman pass per round);
    equal templates get equal colour classes, so only relabellings within classes need
    trying."""
    col: list[Any] = [0] * u
    for _ in range(u + 1):
        sig = []
        for v in range(u):
            nb = []
            for tag, side in ((0, L), (1, R)):
                for a, b in side:
                    if a == v or b == v:
                        other = b if a == v else a
                        nb.append((tag, a == b, col[other]))
            sig.append((col[v], tuple(sorted(nb))))
        ranks = {s: i for i, s in enumerate(sorted(set(sig)))}
        new = [ranks[s] for s in sig]
        if len(set(new)) == len(set(col)) and _same_partition(new, col):
            return new
        col = new
    return col


def _same_partition(a: Sequence[int], b: Sequence[int]) -> bool:
    return len(set(zip(a, b))) == len(set(a)) == len(set(b))


def canonical(L: Sequence[Edge], R: Sequence[Edge]) -> Template:
    """The canonical form of a template: labels 0..u-1, the least relabelling (within
    refined colour classes) of (L, R) and (R, L)."""
    verts = sorted({v for e in list(L) + list(R) for v in e})
    ren = {v: i for i, v in enumerate(verts)}
    L = [(ren[a], ren[b]) for a, b in L]
    R = [(ren[a], ren[b]) for a, b in R]
    u = len(verts)
    best: Template | None = None
    for X, Y in ((L, R), (R, L)):
        col = _colours(u, X, Y)
        classes: dict[int, list[int]] = {}
        for v in range(u):
            classes.setdefault(col[v], []).append(v)
        groups = [classes[c] for c in sorted(classes)]
        for choice in itertools.product(*(itertools.permutations(g) for g in groups)):
            lab = [0] * u
            i = 0
            for g in choice:
                for v in g:
                    lab[v] = i
                    i += 1
            cand = (_relabel(X, lab), _relabel(Y, lab))
            if best is None or cand < best:
                best = cand
    assert best is not None
    return best


def templates(n: int, k: int) -> list[Template]:
    """Templates spanning every template with 1..k pairs a side on at most n indices.

    Listed: those with no pair on both sides, up to relabelling and swapping; the two
    linear ones ([a,a] | [a,a]) and ([a,b] | [a,b]); and (E + [e], [e]) for every E of
    1..k-1 pairs (:func:`_one_sided`). A template with common pairs C is max(A + C, B + C)
    = C + max(A, B): a listed one plus linear ones, or C + relu(E) when a side empties.
    So the span of the columns, hence whether a certificate exists, is that of all
    templates with up to k pairs a side. Sorted (by size, then lexicographically)."""
    _check_nk(n, k)
    level: set[Template] = set()
    for e in ((0, 0), (0, 1)):
        for f in ((0, 0), (0, 1), (1, 1), (1, 2), (2, 3), (0, 2)):
            if e != f and len({*e, *f}) <= n:
                level.add(canonical([e], [f]))
    out = set(level)
    for _ in range(2 * k - 2):
        nxt: set[Template] = set()
        for L, R in level:
            u = 1 + max(v for e in L + R for v in e)
            for side in (0, 1):
                if len((L, R)[side]) >= k:
                    continue
                for a in range(min(u + 1, n)):
                    for b in range(a, min(u + 2 if a == u else u + 1, n)):
                        e = (a, b)
                        if e in (R, L)[side]:
                            continue
                        X = tuple(sorted((L, R)[side] + (e,)))
                        nxt.add(canonical(X, R) if side == 0 else canonical(L, X))
        level = nxt
        out |= nxt
    out.add((((0, 0),), ((0, 0),)))
    if n >= 2:
        out.add((((0, 1),), ((0, 1),)))
    for E in _one_sided(n, k - 1):
        out.add((tuple(sorted(E + (E[0],))), (E[0],)))
    return sorted(out, key=lambda t: (len(t[0]) + len(t[1]), t))


def _one_sided(n: int, m: int) -> set[tuple[Edge, ...]]:
    """Every multiset E of 1..m pairs on at most n indices, up to relabelling. The
    template (E + [e], [e]) is max(E + e, e) = e + relu(E): the common pair cancels to a
    side with no pair, which no template without common pairs gives."""
    level = {((0, 0),)} | ({((0, 1),)} if n >= 2 else set())
    out = set(level) if m >= 1 else set()
    for _ in range(m - 1):
        nxt = set()
        for E in level:
            u = 1 + max(v for e in E for v in e)
            for a in range(min(u + 1, n)):
                for b in range(a, min(u + 2 if a == u else u + 1, n)):
                    nxt.add(canonical(tuple(sorted(E + ((a, b),))), ())[1])
        level = nxt
        out |= nxt
    return out


def _check_nk(n: Any, k: Any) -> None:
    for name, v in (("n", n), ("k", k)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise NotExactError(f"certificate search: {name} must be an int, got {v!r}")
    if not 2 <= n <= MAX_SEARCH_N:
        raise DomainError(f"certificate search: n = {n}; supported 2 <= n <= "
                          f"{MAX_SEARCH_N}")
    if not 1 <= k <= 4:
        raise DomainError(f"certificate search: k = {k} pairs a side; supported 1..4")


# ------------------------------------------------------------------ one column
@lru_cache(maxsize=None)
def _orders(u: int) -> np.ndarray:
    """rank[o, v]: the rank of index v in the o-th order of u indices (all u!)."""
    P = np.array(list(itertools.permutations(range(u))), dtype=np.int64).reshape(-1, u)
    R = np.argsort(P, axis=1)
    R.setflags(write=False)
    return R


@lru_cache(maxsize=None)
def _positions(n: int, u: int) -> np.ndarray:
    """Pos[r, p] = C(p, r) C(n-1-p, u-1-r): image sets of size u putting rank r at p."""
    return np.array([[math.comb(p, r) * math.comb(n - 1 - p, u - 1 - r) for p in range(n)]
                     for r in range(u)], dtype=object)


@lru_cache(maxsize=None)
def _subsets(n: int, m: int) -> np.ndarray:
    return np.array(list(itertools.combinations(range(n), m)),
                    dtype=np.int64).reshape(-1, m)


@lru_cache(maxsize=None)
def _binom_table(n: int) -> np.ndarray:
    return np.array([[math.comb(a, b) for b in range(n + 1)] for a in range(n + 1)],
                    dtype=np.int64)


def _words(u: int, side: Sequence[Edge]) -> np.ndarray:
    """Per order of the u indices, the word of a side: how many of its maxima take the x
    of each rank (the later index of each pair)."""
    R = _orders(u)
    N = len(R)
    W = np.zeros(N * u, dtype=np.int64)
    base = np.arange(N, dtype=np.int64) * u
    for a, b in side:
        np.add.at(W, base + np.maximum(R[:, a], R[:, b]), 1)
    return W.reshape(N, u)


_ORDERS_UP_TO = 8


def _side_rank_sums(u: int, side: Sequence[Edge]) -> np.ndarray:
    """Sum over all u! orders of a side's word: a pair's later index sits at rank r in
    2 r (u-2)! orders, a loop's index in (u-1)!."""
    out = np.zeros(u, dtype=np.int64)
    for a, b in side:
        if a == b:
            out += math.factorial(u - 1)
        else:
            out += 2 * np.arange(u, dtype=np.int64) * math.factorial(u - 2)
    return out


def _word_counts(u: int, L: Sequence[Edge], R: Sequence[Edge]
                 ) -> tuple[np.ndarray, np.ndarray]:
    """The distinct words w = B - A over all u! orders, with how many orders give each:
    a dynamic program over subsets (place the ranks 1, 2, ... one at a time; the letter of
    index v placed after the set S is loop(v) + sum_{t in S} W(v, t), W the signed pair
    counts of R minus L), states (S, word so far) merged with their counts."""
    W = np.zeros((u, u), dtype=np.int64)
    for sgn, side in ((-1, L), (1, R)):
        for a, b in side:
            if a == b:
                W[a, a] += sgn
            else:
                W[a, b] += sgn
                W[b, a] += sgn
    off = max(len(L), len(R))          # |letter| <= the larger side's pair count
    base = 2 * off + 1
    if base ** u >= 2 ** 62 // (1 << u):
        raise TooLargeError(f"template_column: words of {u} letters below {off} do not fit "
                            f"the state encoding")
    full = 1 << u
    Sbits = np.arange(full, dtype=np.int64)
    # letter[v, S] = W[v, v] + sum_{t in S} W[v, t]
    member = ((Sbits[:, None] >> np.arange(u)) & 1)               # (2^u, u)
    letter = (member @ (W - np.diag(np.diag(W))).T).T + np.diag(W)[:, None]
    S = np.zeros(1, dtype=np.int64)
    key = np.zeros(1, dtype=np.int64)
    cnt = np.ones(1, dtype=np.int64)
    for _ in range(u):
        nS, nK, nC = [], [], []
        for v in range(u):
            free = (S >> v) & 1 == 0
            if not free.any():
                continue
            s_ = S[free]
            nS.append(s_ | (1 << v))
            nK.append(key[free] * base + (letter[v, s_] + off))
            nC.append(cnt[free])
        S, key, cnt = np.concatenate(nS), np.concatenate(nK), np.concatenate(nC)
        comb = (key << u) | S
        uq, inv = np.unique(comb, return_inverse=True)
        cnt = _sum_by(inv.reshape(-1), cnt, len(uq))
        S, key = uq & (full - 1), uq >> u
    words = np.zeros((len(key), u), dtype=np.int64)
    kk = key.copy()
    for r in range(u - 1, -1, -1):
        kk, d = np.divmod(kk, base)
        words[:, r] = d - off
    return words, cnt


def _sum_by(inv: np.ndarray, vals: np.ndarray, m: int) -> np.ndarray:
    out = np.zeros(m, dtype=np.int64)
    np.add.at(out, inv, vals)
    return out


def _cone_class(H: np.ndarray) -> np.ndarray:
    """Per row h on the ascending cone x_1 <= ... <= x_m: 1 if h >= 0 there, -1 if <= 0,
    0 if its hyperplane crosses the interior (the cone is generated by +-1 and the suffix
    vectors 0^j 1^(m-j); with h . 1 = 0 that is: all prefix sums <= 0, resp. >= 0)."""
    tot = H.sum(axis=1)
    pref = np.cumsum(H, axis=1)[:, :-1]
    nonneg = (tot == 0) & (pref <= 0).all(axis=1)
    nonpos = (tot == 0) & (pref >= 0).all(axis=1)
    return np.where(nonneg, 1, np.where(nonpos, -1, 0))


def _key_base(n: int, k: int) -> tuple[int, int]:
    off = 2 * k
    return off, 2 * off + 1


def template_column(n: int, L: Sequence[Edge], R: Sequence[Edge], k: int = 4, *,
                    dp: bool = False) -> tuple[list[int], np.ndarray, np.ndarray]:
    """The symmetrised column of one template on the ascending cone of R^n.

    Returns ``(linear, keys, values)``: the integer linear part (coefficients of
    x_1..x_n), and the hinge coefficients, one per hyperplane crossing the cone, keyed by
    the primitive normal h (leading entry > 0) encoded as ``sum_p (h_p + off) base^p``
    (:func:`decode_key`). Exact integers, no permutation of 1..n enumerated: the words of
    the u! orders of the u used indices (listed for u <= 8, counted by a dynamic program
    over subsets above, or with ``dp=True``), then binomial counts.
    """
    u = 1 + max(v for e in list(L) + list(R) for v in e)
    if u > n:
        raise DomainError(f"template_column: the template uses {u} indices, n = {n}")
    if u <= _ORDERS_UP_TO and not dp:
        A = _words(u, L)
        Wd = _words(u, R) - A
        wts = np.ones(len(Wd), dtype=np.int64)
        a_r = A.sum(axis=0)
    else:
        Wd, wts = _word_counts(u, L, R)
        a_r = _side_rank_sums(u, L)
    cls = _cone_class(Wd)
    nz = Wd.any(axis=1)
    g = np.gcd.reduce(np.abs(Wd), axis=1)
    lead = Wd[np.arange(len(Wd)), (Wd != 0).argmax(axis=1)]
    cross = nz & (cls == 0)
    # linear part per rank: A, + w where relu(w) = w, + w where relu(w) = relu(-w) + w
    Ww = Wd * wts[:, None]
    lin_r = a_r + Ww[nz & (cls == 1)].sum(axis=0) + Ww[cross & (lead < 0)].sum(axis=0)
    mult = math.factorial(n - u)
    lin = (np.array(lin_r.tolist(), dtype=object) @ _positions(n, u)) * mult
    linear = [int(v) for v in lin]
    V = Wd[cross] // (g[cross] * np.sign(lead[cross]))[:, None]
    gw = g[cross] * wts[cross]
    if not len(V):
        return linear, np.zeros(0, np.int64), np.zeros(0, np.int64)
    off, base = _key_base(n, k)
    ukey = ((V + off) * base ** np.arange(u, dtype=np.int64)).sum(axis=1)
    uk, first, inv = np.unique(ukey, return_index=True, return_inverse=True)
    coef = np.zeros(len(uk), dtype=np.int64)
    np.add.at(coef, inv.reshape(-1), gw)
    keys, vals = [], []
    B = _binom_table(n)
    Vu = V[first]
    kz = off * (base ** n - 1) // (base - 1)           # the key of h = 0
    masks = (Vu != 0) @ (1 << np.arange(u, dtype=np.int64))
    for mask in np.unique(masks).tolist():
        grp = masks == mask
        Vg, cg = Vu[grp], coef[grp] * mult
        Z = [r for r in range(u) if mask >> r & 1]
        P = _subsets(n, len(Z))
        cnt = B[P[:, 0], Z[0]] * B[n - 1 - P[:, -1], u - 1 - Z[-1]]
        for i in range(len(Z) - 1):
            cnt = cnt * B[P[:, i + 1] - P[:, i] - 1, Z[i + 1] - Z[i] - 1]
        sel = cnt != 0
        P, cnt = P[sel], cnt[sel]
        pw = base ** P                                   # (#P, m)
        kk = kz + Vg[:, Z] @ pw.T                        # (#v, #P): v_Z placed at P
        keys.append(kk.ravel())
        vals.append((cg[:, None] * cnt[None, :]).ravel())
    kk, inv = np.unique(np.concatenate(keys), return_inverse=True)
    vv = np.zeros(len(kk), dtype=np.int64)
    np.add.at(vv, inv.reshape(-1), np.concatenate(vals))
    keep = vv != 0
    return linear, kk[keep], vv[keep]


def decode_key(key: int, n: int, k: int) -> tuple[int, ...]:
    """The hinge normal h (x_1..x_n) of a row key of :func:`template_column`."""
    off, base = _key_base(n, k)
    out = []
    for _ in range(n):
        key, d = divmod(int(key), base)
        out.append(d - off)
    return tuple(out)


# ------------------------------------------------------------------ the system
@dataclass(frozen=True)
class CertificateSystem:
    """The symmetrised system A c = b of :func:`build_system`, sparse (COO, exact int64).

    Rows 0..n-1: the linear part (x_1..x_n, ascending cone), b = e_n there; rows n..: one
    hinge (hyperplane crossing the cone) each, b = 0. Columns: :attr:`templates`.
    """

    n: int
    k: int
    templates: tuple[Template, ...]
    hinge_keys: np.ndarray            # row n + i <-> hinge_keys[i] (see decode_key)
    rows: np.ndarray
    cols: np.ndarray
    vals: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.n + len(self.hinge_keys), len(self.templates)

    @property
    def nnz(self) -> int:
        return len(self.vals)

    def rhs(self) -> list[int]:
        """b: the linear part x_n, every hinge 0."""
        return [int(i == self.n - 1) for i in range(self.shape[0])]


def _columns_task(arg: tuple[int, int, list[Template]]) -> list[tuple[list[int], np.ndarray,
                                                                        np.ndarray]]:
    n, k, chunk = arg
    return [template_column(n, L, R, k) for L, R in chunk]


def build_system(n: int, k: int, *, executor: Any = None, workers: int | None = None,
                 progress: bool = False, chunk: int = 200,
                 max_templates: int | None = None) -> CertificateSystem:
    """Assemble the symmetrised system for every template with up to k pairs a side.

    ``executor``: anything with ``submit(fn, arg)`` returning futures (a
    concurrent.futures executor, a dask ``Client``); the columns are computed in chunks
    of ``chunk`` templates there. ``workers > 1`` without an executor: a process pool of
    that size. ``max_templates`` refuses larger families up front
    (:class:`~relugeom.errors.TooLargeError`). Ctrl-C cancels the pending chunks.
    """
    _check_nk(n, k)
    for name, v in (("workers", workers), ("max_templates", max_templates), ("chunk", chunk)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
            raise NotExactError(f"build_system: {name} must be an int or None, got {v!r}")
    if chunk is None or chunk < 1:
        raise DomainError(f"build_system: chunk must be at least 1, got {chunk!r}")
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise NotExactError(f"build_system: executor= needs a submit(fn, arg) method (a "
                            f"concurrent.futures executor, a dask Client), got {executor!r}")
    if max_templates is not None and k >= 4 and n >= 8:
        raise TooLargeError(
            f"build_system: n = {n}, k = {k} is out of reach here (measured at n = 9: "
            f"175,695 templates, listed in about 9 minutes; a sample of 4+4-pair columns "
            f"averages 2,270 nonzeros at n = 9, 5,564 at n = 10, 16,207 at n = 11, so some "
            f"4 * 10^8 nonzeros at n = 9, 10 GB as int64 triples, and a modular "
            f"elimination far beyond dense); pass max_templates=None to try anyway")
    T = templates(n, k)
    if max_templates is not None and len(T) > max_templates:
        raise TooLargeError(f"build_system: {len(T)} templates for n = {n}, k = {k}, over "
                            f"max_templates = {max_templates}")
    parts = [T[i:i + chunk] for i in range(0, len(T), chunk)]
    bar = _bar(len(T), f"columns n={n} k={k}", progress)
    results: list[Any] = [None] * len(parts)
    own = None
    if executor is None and workers is not None and workers > 1:
        import concurrent.futures
        executor = own = concurrent.futures.ProcessPoolExecutor(workers)
    try:
        if executor is None:
            for i, p in enumerate(parts):
                results[i] = _columns_task((n, k, p))
                bar.update(len(p))
        else:
            futs = [executor.submit(_columns_task, (n, k, p)) for p in parts]
            try:
                for i, f in enumerate(futs):
                    results[i] = f.result()
                    bar.update(len(parts[i]))
            except BaseException:
                for f in futs:
                    f.cancel()
                raise
    finally:
        bar.close()
        if own is not None:
            own.shutdown(cancel_futures=True)
    cols = [c for r in results for c in r]
    allkeys = np.concatenate([kk for _, kk, _ in cols]) if cols else np.zeros(0, np.int64)
    hk, inv = np.unique(allkeys, return_inverse=True)
    inv = inv.reshape(-1) + n
    R_, C_, V_ = [inv], [], [np.concatenate([vv for _, _, vv in cols])]
    C_.append(np.repeat(np.arange(len(cols), dtype=np.int64), [len(kk) for _, kk, _ in cols]))
    lin = np.array([lv for lv, _, _ in cols], dtype=np.int64).reshape(len(cols), n)
    lr, lc = np.nonzero(lin.T)
    R_.append(lr)
    C_.append(lc)
    V_.append(lin.T[lr, lc])
    return CertificateSystem(n, k, tuple(T), hk, np.concatenate(R_).astype(np.int64),
                             np.concatenate(C_).astype(np.int64),
                             np.concatenate(V_).astype(np.int64))


class _NoBar:
    def update(self, k: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def _bar(total: int, desc: str, progress: bool, unit: str = "template") -> Any:
    if not progress:
        return _NoBar()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit=unit, leave=False)

"""Find two-hidden-layer certificates for max(x_1, ..., x_n) by exact linear algebra.

A *template* is a pair (L, R) of multisets of index pairs (sums of pairwise maxima), taken
up to relabelling the indices (S_n acts on them) and up to swapping L and R (max is
symmetric). A certificate is a rational combination of templates (the published JSON
format of :mod:`relugeom.certificates`)

    F(x) = sum_t c_t sum_{s in S_n} max( sum_{[a,b] in L_t} max(x_s(a), x_s(b)),
                                          sum_{[a,b] in R_t} max(x_s(a), x_s(b)) ),

and F = max(x_1..x_n) on R^n iff it holds on the sorted cone (F is symmetric).

The symmetrised system (:func:`build_system`)
---------------------------------------------
On the ascending cone x_1 <= ... <= x_n, max(x_a, x_b) is the x of the *later* index, so a
term's two sides are linear and ``max(A, B) = A + relu(B - A)``. For an injection s of the
u indices a template uses, the forms A o s and B o s only depend on the order of the images
(a *word* over the ranks 1..u) and on the image set Q (where the ranks sit in 1..n):

* per order of the u indices (u! of them, not n!), the words a = A and w = B - A over the
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

Solving (:func:`solve_system`): rank and pivots modulo a 61-bit prime (``flint.nmod_mat``),
the square pivot system solved over Q (``flint.fmpz_mat.solve``), the solution checked
exactly on every row (Python integers): a *basic* solution, at most rank-many templates.
When the system has no solution modulo the prime, an exact separating functional y
(``y A = 0``, ``y . b != 0``) is computed from the pivot rows and checked on every column:
a proof that no combination of these templates is a certificate. A prime that divides a
minor can only make the modular rank too small; every answer is confirmed exactly, and a
disagreement retries with another prime.

>>> res = search(5, k=2, progress=False)
>>> res.holds, res.cert.n
(True, 5)
>>> from relugeom.certificates import decide
>>> decide(res.cert).holds
True
"""
from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import DomainError, NotExactError, TooLargeError

__all__ = ["templates", "template_column", "build_system", "solve_system", "search",
           "merged_widths", "canonical", "decode_key", "check_solution", "check_separator",
           "CertificateSystem", "SearchResult", "MAX_SEARCH_N", "PUBLISHED_TERMS"]

MAX_SEARCH_N = 11
PUBLISHED_TERMS = {5: 3, 6: 4, 7: 57, 8: 69, 9: 337, 10: 402}

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
    """Every template with 1..k pairs a side, no pair on both sides (a common pair C gives
    C + max(A, B), the smaller template plus a linear term), at most n indices, up to
    relabelling and swapping; plus the two linear ones ([a,a] | [a,a]) and ([a,b] | [a,b]).
    Sorted (by size, then lexicographically)."""
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
    return sorted(out, key=lambda t: (len(t[0]) + len(t[1]), t))


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


def _estimate_check(n: int, k: int, max_templates: int | None) -> None:
    # the largest measured families; the row count grows about like C(n, n/2) times the
    # number of distinct compressed words
    if max_templates is not None and max_templates < 1:
        raise DomainError(f"certificate search: max_templates = {max_templates}, need >= 1")


def build_system(n: int, k: int, *, executor: Any = None, progress: bool = False,
                 chunk: int = 200, max_templates: int | None = None) -> CertificateSystem:
    """Assemble the symmetrised system for every template with up to k pairs a side.

    ``executor``: anything with ``submit(fn, arg)`` returning futures (a
    concurrent.futures executor, a dask ``Client``); the columns are computed in chunks
    of ``chunk`` templates there. ``max_templates`` refuses larger families up front
    (:class:`~relugeom.errors.TooLargeError`).
    """
    _check_nk(n, k)
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise NotExactError(f"build_system: executor= needs a submit(fn, arg) method (a "
                            f"concurrent.futures executor, a dask Client), got {executor!r}")
    T = templates(n, k)
    if max_templates is not None and len(T) > max_templates:
        raise TooLargeError(f"build_system: {len(T)} templates for n = {n}, k = {k}, over "
                            f"max_templates = {max_templates}")
    parts = [T[i:i + chunk] for i in range(0, len(T), chunk)]
    bar = _bar(len(T), f"columns n={n} k={k}", progress)
    results: list[Any] = [None] * len(parts)
    if executor is None:
        for i, p in enumerate(parts):
            results[i] = _columns_task((n, k, p))
            bar.update(len(p))
    else:
        futs = [executor.submit(_columns_task, (n, k, p)) for p in parts]
        for i, f in enumerate(futs):
            results[i] = f.result()
            bar.update(len(parts[i]))
    bar.close()
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


def _bar(total: int, desc: str, progress: bool) -> Any:
    if not progress:
        return _NoBar()
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit="template", leave=False)


# ------------------------------------------------------------------ exact solving
_PRIMES = (67108859, 67108837, 67108819, 67108763)     # below 2^26: flint's fast range


def _dense(system: CertificateSystem, rows: np.ndarray, cols: np.ndarray, p: int,
           with_b: bool = False, transpose: bool = False) -> Any:
    """A[rows, cols] (and b as a last column) modulo p as a flint nmod_mat."""
    import flint
    ri = np.full(system.shape[0], -1, dtype=np.int64)
    ri[rows] = np.arange(len(rows))
    ci = np.full(system.shape[1] + 1, -1, dtype=np.int64)
    ci[cols] = np.arange(len(cols))
    sel = (ri[system.rows] >= 0) & (ci[system.cols] >= 0)
    D = np.zeros((len(rows), len(cols) + int(with_b)), dtype=np.int64)
    D[ri[system.rows[sel]], ci[system.cols[sel]]] = system.vals[sel] % p
    if with_b and ri[system.n - 1] >= 0:
        D[ri[system.n - 1], -1] = 1
    if transpose:
        D = D.T
    return flint.nmod_mat(D.shape[0], D.shape[1], D.ravel().tolist(), p)


def _compressed(system: CertificateSystem, rows: np.ndarray, cols: np.ndarray, p: int,
                seed: int) -> Any:
    """S [A | b] modulo p for a random S with g rows, g doubled until rank(S [A|b]) < g
    (then it equals rank [A|b] unless S is unlucky, probability below rank / 2^20; an
    unlucky S only gives pivots that fail the exact check). Column relations, hence pivot
    columns, are those of [A | b]; the eliminated matrix has about rank rows, not one per
    hinge."""
    import flint
    from scipy.sparse import csr_matrix
    ri = np.full(system.shape[0], -1, dtype=np.int64)
    ri[rows] = np.arange(len(rows))
    ci = np.full(system.shape[1], -1, dtype=np.int64)
    ci[cols] = np.arange(len(cols))
    sel = (ri[system.rows] >= 0) & (ci[system.cols] >= 0)
    r_ = np.append(ri[system.rows[sel]], ri[system.n - 1])
    c_ = np.append(ci[system.cols[sel]], len(cols))
    v_ = np.append(system.vals[sel] % p, 1)
    At = csr_matrix((v_, (c_, r_)), shape=(len(cols) + 1, len(rows)), dtype=np.int64)
    rng = np.random.default_rng(seed)
    g = min(256, len(rows))
    while True:
        S = rng.integers(0, 2 ** 20, size=(len(rows), g), dtype=np.int64)
        D = (np.asarray(At @ S) % p).T               # g x (c + 1); sums below 2^62
        M = flint.nmod_mat(D.shape[0], D.shape[1], D.ravel().tolist(), p)
        if g >= len(rows) or M.rank() < g:
            return M
        g = min(2 * g, len(rows))


def _pivots(M: Any, p: int, seed: int) -> list[int]:
    """The pivot columns of M (mod p): rref, then one random row combination w R, whose
    entry at the i-th pivot column is w_i (an identity column); nothing else is read."""
    import flint
    R, rank = M.rref()
    if rank == 0:
        return []
    rng = np.random.default_rng(seed)
    w = rng.integers(1, p, size=rank)
    W = flint.nmod_mat(1, M.nrows(), [int(v) for v in w] + [0] * (M.nrows() - rank), p)
    s = [int(v) for v in (W * R).entries()]
    piv, i = [], 0
    for j, v in enumerate(s):
        if i < rank and v == int(w[i]):
            piv.append(j)
            i += 1
    return piv if len(piv) == rank else _pivots_slow(R, rank)


def _pivots_slow(R: Any, rank: int) -> list[int]:
    out = []
    for i in range(rank):
        j = out[-1] + 1 if out else 0
        while int(R[i, j]) == 0:
            j += 1
        out.append(j)
    return out


def _exact_solve(M: list[list[int]], rhs: list[int]) -> list[Fraction]:
    """The square nonsingular integer system M x = rhs over Q (flint, p-adic)."""
    import flint
    m = len(M)
    X = flint.fmpz_mat(m, m, [v for r in M for v in r]).solve(flint.fmpz_mat(m, 1, rhs))
    return [Fraction(int(X[i, 0].p), int(X[i, 0].q)) for i in range(m)]


def _submatrix(system: CertificateSystem, rows: Sequence[int], cols: Sequence[int]
               ) -> list[list[int]]:
    ri = {r: i for i, r in enumerate(rows)}
    ci = {c: j for j, c in enumerate(cols)}
    out = [[0] * len(cols) for _ in rows]
    rset = np.isin(system.rows, np.asarray(rows, dtype=np.int64))
    cset = np.isin(system.cols, np.asarray(cols, dtype=np.int64))
    sel = np.flatnonzero(rset & cset)
    for r, c, v in zip(system.rows[sel].tolist(), system.cols[sel].tolist(),
                       system.vals[sel].tolist()):
        out[ri[r]][ci[c]] = v
    return out


def check_solution(system: CertificateSystem, x: dict[int, Fraction]) -> bool:
    """A x = b exactly, on every row (Python integers after clearing denominators)."""
    den = math.lcm(*(v.denominator for v in x.values())) if x else 1
    X = np.zeros(system.shape[1], dtype=object)
    for j, v in x.items():
        X[j] = int(v * den)
    acc = np.zeros(system.shape[0], dtype=object)
    np.add.at(acc, system.rows, system.vals.astype(object) * X[system.cols])
    b = np.zeros(system.shape[0], dtype=object)
    b[system.n - 1] = den
    return bool((acc == b).all())


def check_separator(system: CertificateSystem, y: dict[int, Fraction]) -> bool:
    """y A = 0 on every column and y . b != 0, exactly."""
    den = math.lcm(*(v.denominator for v in y.values())) if y else 1
    Y = np.zeros(system.shape[0], dtype=object)
    for i, v in y.items():
        Y[i] = int(v * den)
    acc = np.zeros(system.shape[1], dtype=object)
    np.add.at(acc, system.cols, system.vals.astype(object) * Y[system.rows])
    return bool((acc == 0).all()) and Y[system.n - 1] != 0


@dataclass
class Solution:
    """The outcome of :func:`solve_system`: ``coefficients`` (column -> c, A c = b checked
    exactly) or ``separator`` (row -> y, y A = 0 and y . b != 0 checked exactly)."""

    rank: int
    prime: int
    coefficients: dict[int, Fraction] | None = None
    separator: dict[int, Fraction] | None = None


def solve_system(system: CertificateSystem, *, columns: Iterable[int] | None = None,
                 seed: int = 0) -> Solution:
    """Solve A c = b over Q restricted to ``columns`` (default: all), exactly.

    Pivots modulo a prime, the square pivot system over Q, the answer checked exactly on
    the whole system; a check that fails (an unlucky prime) retries with the next prime.
    Returns a basic solution (at most rank-many nonzero coefficients) or a separating
    functional y (a proof that no combination of these columns solves the system).
    """
    cols = np.unique(np.fromiter(columns, dtype=np.int64)) if columns is not None \
        else np.arange(system.shape[1], dtype=np.int64)
    rows = np.union1d(np.unique(system.rows[np.isin(system.cols, cols)]), [system.n - 1])
    bcol = system.shape[1]
    for attempt, p in enumerate(_PRIMES):
        piv = _pivots(_compressed(system, rows, cols, p, seed + attempt), p,
                      seed + attempt)
        if piv and piv[-1] == len(cols):                     # b is not in the span mod p
            pc = cols[piv[:-1]]
            ind = _pivots(_dense(system, rows, pc, p, with_b=True, transpose=True), p,
                          seed + attempt)
            rr = rows[ind]
            y = _left_kernel(system, rr, pc, p)
            if y is not None and check_separator(system, y):
                return Solution(len(pc), p, separator=y)
            continue
        pc = cols[piv]
        ind = _pivots(_dense(system, rows, pc, p, transpose=True), p, seed + attempt)
        rr = rows[ind]
        if len(rr) != len(pc):
            continue
        b = [int(r == system.n - 1) for r in rr]
        try:
            x = _exact_solve(_submatrix(system, rr.tolist(), pc.tolist()), b)
        except ZeroDivisionError:
            continue
        sol = {int(j): v for j, v in zip(pc.tolist(), x) if v != 0}
        if check_solution(system, sol):
            return Solution(len(pc), p, coefficients=sol)
    raise DomainError(f"solve_system: no exact answer after {len(_PRIMES)} primes (the "
                      f"modular pivots never matched the rational system); please report")


def _left_kernel(system: CertificateSystem, rr: np.ndarray, pc: np.ndarray, p: int
                 ) -> dict[int, Fraction] | None:
    """The y on the rows rr (|rr| = |pc| + 1) with y A[rr, pc] = 0, normalised to 1 at a
    row where the modular kernel vector is nonzero; None if the prime was unlucky."""
    At = _dense(system, rr, pc, p, transpose=True)            # |pc| x |rr|
    K, nullity = At.nullspace()
    if nullity != 1:
        return None
    kv = [int(K[i, 0]) for i in range(len(rr))]
    j0 = next(i for i, v in enumerate(kv) if v)
    rest = [r for i, r in enumerate(rr.tolist()) if i != j0]
    if not rest:
        return {int(rr[j0]): Fraction(1)}
    M = _submatrix(system, rest, pc.tolist())
    Mt = [list(col) for col in zip(*M)]                        # |pc| x |pc|
    a0 = _submatrix(system, [int(rr[j0])], pc.tolist())[0]
    try:
        yr = _exact_solve(Mt, [-v for v in a0])
    except ZeroDivisionError:
        return None
    y = {int(rr[j0]): Fraction(1)}
    y.update({r: v for r, v in zip(rest, yr) if v != 0})
    return y


def _lp_support(system: CertificateSystem) -> list[int] | None:
    """Columns of a vertex of min sum |c_j| |A_j| s.t. A c = b, from a floating-point LP
    (scipy HiGHS). Only a filter: the support is re-solved and checked exactly."""
    try:
        from scipy.optimize import linprog
        from scipy.sparse import csc_matrix, hstack
    except ImportError:                                         # pragma: no cover
        return None
    r, c = system.shape
    A = csc_matrix((system.vals.astype(float), (system.rows, system.cols)), shape=(r, c))
    scale = np.asarray(abs(A).max(axis=0).todense()).ravel()
    scale[scale == 0] = 1
    A = A.multiply(1 / scale[None, :]).tocsc()
    b = np.zeros(r)
    b[system.n - 1] = 1
    res = linprog(np.ones(2 * c), A_eq=hstack([A, -A]).tocsc(), b_eq=b, bounds=(0, None),
                  method="highs")
    if res.status != 0:
        return None
    x = res.x[:c] - res.x[c:]
    big = np.abs(x).max()
    return np.flatnonzero(np.abs(x) > 1e-9 * big).tolist() if big > 0 else None


# ------------------------------------------------------------------ the search
@dataclass
class SearchResult:
    """The outcome of :func:`search`: a certificate (``holds``) or a separating functional
    (``proof``: hinge/linear row -> y with y A = 0, y . b != 0), with the system's figures."""

    n: int
    k: int
    holds: bool
    cert: Any                                   # relugeom.certificates.Certificate | None
    proof: dict[tuple[int, ...] | str, Fraction] | None
    rows: int
    columns: int
    nnz: int
    rank: int
    seconds: dict[str, float]
    peak_mb: float
    method: str
    notes: list[str] = field(default_factory=list)
    widths: tuple[int, int] | None = None       # merged, see merged_widths

    @property
    def n_terms(self) -> int:
        """Templates with a nonzero coefficient."""
        return len(self.cert.terms) if self.cert is not None else 0

    def to_json(self) -> str:
        """The certificate in the published format (1-based pairs)."""
        if self.cert is None:
            raise DomainError(f"search: no certificate for n = {self.n}, k = {self.k} (the "
                              f"system is inconsistent; see .proof)")
        return self.cert.to_json()

    def summary(self) -> str:
        """A few lines for the command line."""
        pub = PUBLISHED_TERMS.get(self.n)
        lines = [f"search: n = {self.n}, up to k = {self.k} pairs a side",
                 f"system: {self.rows} rows ({self.n} linear + {self.rows - self.n} hinges) "
                 f"x {self.columns} templates, {self.nnz} nonzeros, rank {self.rank}"]
        if self.holds:
            lines.append(f"result: FOUND a certificate with {self.n_terms} terms ({self.method}"
                         f"; published: {pub if pub else '-'} terms), A c = b checked exactly")
            if self.widths is not None:
                lines.append(f"merged widths: {self.widths} (two hidden layers)")
        else:
            lines.append(f"result: NONE in this ansatz: separating functional y on "
                         f"{len(self.proof or {})} rows, y A = 0 and y . b != 0 checked "
                         f"exactly")
        lines += self.notes
        t = ", ".join(f"{k} {v:.2f} s" for k, v in self.seconds.items())
        lines.append(f"time: {t}; peak RSS {self.peak_mb:.0f} MB")
        return "\n".join(lines)


def search(n: int, k: int = 2, *, sparse: bool = True, executor: Any = None,
           progress: bool = False, max_templates: int | None = 200_000) -> SearchResult:
    """Search a certificate for max(x_1..x_n) among the templates with up to k pairs a side.

    Parameters
    ----------
    n, k : int
        2 <= n <= 11; 1 <= k <= 4 pairs a side (published: k = 2 for n = 5, 6; 3 for 7, 8;
        4 for 9, 10).
    sparse : bool
        Look for few terms: a floating-point LP (min sum |c_j| over scaled columns, a filter
        only) proposes a support, which is solved and checked exactly; the basic solution
        over all templates when that fails.
    executor : concurrent.futures executor or dask Client, optional
        Where the columns are computed.
    progress : bool
        A tqdm bar while the columns are computed.

    Returns
    -------
    SearchResult
        ``holds`` with ``cert`` (a :class:`~relugeom.certificates.Certificate`), or a
        separating functional ``proof`` keyed by ``"linear x_i"`` or the hinge normal.

    Examples
    --------
    >>> from relugeom.certificate_search import search
    >>> search(5, k=1).holds                # one pair a side is not enough
    False
    >>> search(5, k=2).n_terms <= 5
    True
    """
    from .certificates import Certificate
    t0 = time.perf_counter()
    system = build_system(n, k, executor=executor, progress=progress,
                          max_templates=max_templates)
    t1 = time.perf_counter()
    sol, rank, method, secs = _solve(system, sparse)
    notes: list[str] = []
    peak = _peak_mb()
    rows, cols = system.shape
    cert, proof, widths = None, None, None
    if sol.coefficients is not None:
        terms = tuple((c, system.templates[j][0], system.templates[j][1])
                      for j, c in sorted(sol.coefficients.items()))
        cert = Certificate(n, terms)
        try:
            widths = merged_widths(cert, max_units=2_000_000)
        except TooLargeError as exc:
            widths = None
            notes.append(f"merged widths not computed: {exc}")
    else:
        proof = {(f"linear x_{i + 1}" if i < n else
                  decode_key(system.hinge_keys[i - n], n, k)): v
                 for i, v in sorted(sol.separator.items())}
    return SearchResult(n, k, cert is not None, cert, proof, rows, cols, system.nnz, rank,
                        {"assemble": t1 - t0, **secs}, peak, method, notes, widths)


def _peak_mb() -> float:
    """Peak resident memory of this process so far (MB; resource.getrusage)."""
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _solve(system: CertificateSystem, sparse: bool
           ) -> tuple[Solution, int, str, dict[str, float]]:
    """The sparse route (LP support, re-solved exactly) when asked and it works, else
    the basic solution over all columns; with the rank of A and the phase times."""
    secs: dict[str, float] = {}
    t = time.perf_counter()
    if sparse:
        supp = _lp_support(system)
        secs["lp (float filter)"] = time.perf_counter() - t
        t = time.perf_counter()
        if supp:
            try:
                sol = solve_system(system, columns=supp)
            except DomainError:
                sol = None
            if sol is not None and sol.coefficients is not None:
                secs["exact solve on support"] = time.perf_counter() - t
                t = time.perf_counter()
                rows = np.arange(system.shape[0])
                cols = np.arange(system.shape[1])
                rank = _compressed(system, rows, cols, _PRIMES[0], 1).rank()
                secs["rank"] = time.perf_counter() - t
                return sol, rank, "LP support re-solved exactly", secs
    sol = solve_system(system)
    secs["exact solve"] = time.perf_counter() - t
    return sol, sol.rank, "basic solution over all templates", secs


def merged_widths(cert: Any, *, max_units: int = 5_000_000) -> tuple[int, int]:
    """The widths of the certificate's two-hidden-layer network with units merged.

    Layer 1: relu(x_a - x_b) for the index pairs a < b that occur, and relu(+-x_i)
    (max(x_a, x_b) = x_b + relu(x_a - x_b)); merged, that is the number of such pairs plus
    2n. Layer 2: one relu(B o s - A o s) per term and injection s of its indices, written
    over layer 1; units whose weight vectors are positive multiples are merged and
    opposite ones folded (relu(-z) = relu(z) - z), plus the two units relu(+-S) that carry
    the linear part. Refused up front (TooLargeError) beyond ``max_units`` injections.
    """
    n = cert.n
    used = [sorted({v for e in L + R for v in e}) for _, L, R in cert.terms]
    total = sum(math.perm(n, len(u)) for u in used)
    if total > max_units:
        raise TooLargeError(f"merged_widths: {total} second-layer units before merging, "
                            f"over max_units = {max_units}")
    table = np.zeros((n, n), dtype=np.int64)
    for i, (a, b) in enumerate(itertools.combinations(range(n), 2)):
        table[a, b] = i
    npair = n * (n - 1) // 2
    seen = np.zeros(npair, dtype=bool)
    dirs = []
    for (c, L, R), us in zip(cert.terms, used):
        pos = {v: i for i, v in enumerate(us)}
        P = np.array(list(itertools.permutations(range(n), len(us))), dtype=np.int64)
        D = np.zeros((len(P), npair + n), dtype=np.int64)
        rows = np.arange(len(P))
        for sgn, side in ((-1, L), (1, R)):
            for a, b in side:
                ia, ib = P[:, pos[a]], P[:, pos[b]]
                lo, hi = np.minimum(ia, ib), np.maximum(ia, ib)
                np.add.at(D, (rows, npair + hi), sgn)
                m = lo != hi
                col = table[lo[m], hi[m]]
                np.add.at(D, (rows[m], col), sgn)
                seen[col] = True
        D = D[D.any(axis=1)]
        if not len(D):
            continue
        g = np.gcd.reduce(np.abs(D), axis=1)
        lead = D[np.arange(len(D)), (D != 0).argmax(axis=1)]
        dirs.append(_unique_rows(np.ascontiguousarray(D // (g * np.sign(lead))[:, None])))
    n2 = len(_unique_rows(np.concatenate(dirs))) if dirs else 0
    return int(seen.sum()) + 2 * n, n2 + 2


def _unique_rows(X: np.ndarray) -> np.ndarray:
    """The distinct rows of an int64 matrix (exact: rows compared as raw bytes)."""
    X = np.ascontiguousarray(X)
    v = X.view(np.dtype((np.void, X.dtype.itemsize * X.shape[1]))).ravel()
    _, idx = np.unique(v, return_index=True)
    return X[np.sort(idx)]

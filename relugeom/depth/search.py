"""Find two-hidden-layer certificates for max(x_1, ..., x_n) by exact linear algebra.

A *template* is a pair (L, R) of multisets of index pairs (sums of pairwise maxima), taken
up to relabelling the indices (S_n acts on them) and up to swapping L and R (max is
symmetric). A certificate is a rational combination of templates (the published JSON
format of :mod:`relugeom.depth.certificates`)

    F(x) = sum_t c_t sum_{s in S_n} max( sum_{[a,b] in L_t} max(x_s(a), x_s(b)),
                                          sum_{[a,b] in R_t} max(x_s(a), x_s(b)) ),

and F = max(x_1..x_n) on R^n iff it holds on the sorted cone (F is symmetric).

The system (one column per template, one row per hinge hyperplane crossing the sorted
cone, plus the linear part) is built by :mod:`relugeom.depth.templates`.

Solving (:func:`solve_system`): pivot columns modulo a prime below 2^26
(``flint.nmod_mat``) of a random row compression S [A | b] with about rank-many rows,
independent rows of the pivot columns likewise, the square pivot system solved over Q
(``flint.fmpz_mat.solve``, p-adic), the solution checked exactly on every row (Python
integers): a *basic* solution, at most rank-many templates. ``sparse=True`` first asks a
floating-point LP (min sum |c_j| over scaled columns) for a small support and solves that
exactly; the float answer is only a proposal.
When the system has no solution modulo the prime, an exact separating functional y
(``y A = 0``, ``y . b != 0``) is computed from the pivot rows and checked on every column:
a proof that no combination of these templates is a certificate. A prime that divides a
minor can only make the modular rank too small; every answer is confirmed exactly, and a
disagreement retries with another prime.

>>> res = search(5, k=2, progress=False)
>>> res.holds, res.cert.n
(True, 5)
>>> from relugeom.depth.certificates import decide
>>> decide(res.cert).holds
True
"""
from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

from ..errors import DomainError
from .templates import (MAX_SEARCH_N, CertificateSystem, _bar, build_system, canonical,
                        decode_key, template_column, templates)

__all__ = ["search", "solve_system", "SearchResult", "Solution",
           "check_solution", "check_separator", "PUBLISHED_TERMS",
           # re-exported from relugeom.depth.templates
           "templates", "canonical", "template_column", "decode_key", "build_system",
           "CertificateSystem", "MAX_SEARCH_N"]

PUBLISHED_TERMS = {5: 3, 6: 4, 7: 57, 8: 69, 9: 337, 10: 402}


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
    block = 4096                                  # rows of S at a time: bounded memory
    while True:
        D = np.zeros((len(cols) + 1, g), dtype=np.int64)
        for i in range(0, len(rows), block):
            S = rng.integers(0, 2 ** 20, size=(min(block, len(rows) - i), g),
                             dtype=np.int64)
            D = (D + np.asarray(At[:, i:i + block] @ S)) % p    # below 2^26 + 2^58
        M = flint.nmod_mat(g, len(cols) + 1, D.T.ravel().tolist(), p)
        if g >= len(rows) or M.rank() < g:
            return M
        g = min(2 * g, len(rows))


def _independent_rows(system: CertificateSystem, rows: np.ndarray, pc: np.ndarray,
                      p: int, seed: int, with_b: bool = False,
                      block: int = 4096, progress: bool = False) -> np.ndarray:
    """Rows of A[:, pc] (with b: of [A | b][:, pc + b]) independent modulo p, as many as
    its rank: the rows are scanned in blocks, each block eliminated together with the
    rows kept so far (a rank-by-(kept + block) matrix), so memory stays bounded."""
    kept = np.zeros(0, dtype=np.int64)
    bar = _bar(len(rows), "independent rows (mod p)", progress, unit="row")
    try:
        for i in range(0, len(rows), block):
            cand = np.concatenate([kept, rows[i:i + block]])
            piv = _pivots(_dense(system, cand, pc, p, with_b=with_b, transpose=True), p,
                          seed)
            kept = cand[piv]
            bar.update(min(block, len(rows) - i))
    finally:
        bar.close()
    return kept


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
                 seed: int = 0, progress: bool = False) -> Solution:
    """Solve A c = b over Q restricted to ``columns`` (default: all), exactly.

    Pivots modulo a prime, the square pivot system over Q, the answer checked exactly on
    the whole system; a check that fails (an unlucky prime) retries with the next prime.
    Returns a basic solution (at most rank-many nonzero coefficients) or a separating
    functional y (a proof that no combination of these columns solves the system).
    """
    cols = np.unique(np.fromiter(columns, dtype=np.int64)) if columns is not None \
        else np.arange(system.shape[1], dtype=np.int64)
    rows = np.union1d(np.unique(system.rows[np.isin(system.cols, cols)]), [system.n - 1])
    for attempt, p in enumerate(_PRIMES):
        piv = _pivots(_compressed(system, rows, cols, p, seed + attempt), p,
                      seed + attempt)
        if piv and piv[-1] == len(cols):                     # b is not in the span mod p
            pc = cols[piv[:-1]]
            rr = _independent_rows(system, rows, pc, p, seed + attempt, with_b=True,
                                   progress=progress)
            y = _left_kernel(system, rr, pc, p)
            if y is not None and check_separator(system, y):
                return Solution(len(pc), p, separator=y)
            continue
        pc = cols[piv]
        rr = _independent_rows(system, rows, pc, p, seed + attempt, progress=progress)
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


def _lp_support(system: CertificateSystem, time_limit: float = 300.0) -> list[int] | None:
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
                  method="highs", options={"time_limit": time_limit})
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
    widths: tuple[int, int] | None = None       # merged (network_widths, from orbits)

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

    def proof_json(self) -> str:
        """The separating functional as JSON: for each row (``"linear x_i"``, or a hinge
        normal h on the ascending cone x_1 <= ... <= x_n, first nonzero entry > 0) its
        multiplier y. With the template family of (n, k) it proves y A = 0, y . b != 0."""
        if self.proof is None:
            raise DomainError(f"search: a certificate was found for n = {self.n}, k = "
                              f"{self.k}; there is no separating functional")
        rows = [{"row": key if isinstance(key, str) else list(key), "y": str(v)}
                for key, v in self.proof.items()]
        return json.dumps({"n": self.n, "pairs": self.k, "cone": "x_1 <= ... <= x_n",
                           "separator": rows})

    def summary(self) -> str:
        """A few lines for the command line."""
        pub = PUBLISHED_TERMS.get(self.n)
        lines = [f"search: n = {self.n}, up to k = {self.k} pairs a side",
                 f"system: {self.rows} rows ({self.n} linear + {self.rows - self.n} hinges) "
                 f"x {self.columns} templates, {self.nnz} nonzeros, rank {self.rank}"]
        if self.holds:
            lines.append(f"result: FOUND a certificate with {self.n_terms} "
                         f"term{'' if self.n_terms == 1 else 's'} ({self.method}"
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
           workers: int | None = None, progress: bool = False,
           max_templates: int | None = 200_000) -> SearchResult:
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
        Where the columns are computed (chunks of templates).
    workers : int, optional
        Without an executor: a process pool of this size for the columns.
    progress : bool
        A tqdm bar while the columns are computed.
    max_templates : int or None
        Refuse up front (:class:`~relugeom.errors.TooLargeError`) a family of more templates
        than this, and k = 4 at n >= 8; None: no limit.

    Returns
    -------
    SearchResult
        ``holds`` with ``cert`` (a :class:`~relugeom.depth.certificates.Certificate`), or a
        separating functional ``proof`` keyed by ``"linear x_i"`` or the hinge normal.

    Examples
    --------
    >>> from relugeom.depth.search import search
    >>> search(5, k=1).holds                # one pair a side is not enough
    False
    >>> search(5, k=2).n_terms <= 5
    True
    """
    from .certificates import Certificate
    t0 = time.perf_counter()
    system = build_system(n, k, executor=executor, workers=workers, progress=progress,
                          max_templates=max_templates)
    t1 = time.perf_counter()
    sol, rank, method, secs = _solve(system, sparse, progress)
    notes: list[str] = []
    peak = _peak_mb()
    rows, cols = system.shape
    cert, proof, widths = None, None, None
    if sol.coefficients is not None:
        terms = tuple((c, system.templates[j][0], system.templates[j][1])
                      for j, c in sorted(sol.coefficients.items()))
        cert = Certificate(n, terms)
        from .certificates import network_widths
        widths = network_widths(cert).as_tuple()
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


def _solve(system: CertificateSystem, sparse: bool, progress: bool = False
           ) -> tuple[Solution, int, str, dict[str, float]]:
    """The basic solution (or the separator) over all columns, which also gives the rank;
    then, when asked and a solution exists, the LP's support re-solved exactly, kept when
    it has fewer terms. With the phase times."""
    secs: dict[str, float] = {}
    t = time.perf_counter()
    sol = solve_system(system, progress=progress)
    secs["exact solve"] = time.perf_counter() - t
    method = "basic solution over all templates"
    if sparse and sol.coefficients is not None:
        t = time.perf_counter()
        supp = _lp_support(system)
        secs["lp (float filter)"] = time.perf_counter() - t
        if supp and len(supp) < len(sol.coefficients):
            t = time.perf_counter()
            try:
                few = solve_system(system, columns=supp)
            except DomainError:
                few = None
            secs["exact solve on support"] = time.perf_counter() - t
            if few is not None and few.coefficients is not None:
                return (Solution(sol.rank, few.prime, coefficients=few.coefficients),
                        sol.rank, "LP support re-solved exactly", secs)
    return sol, sol.rank, method, secs

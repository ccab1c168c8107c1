"""Exact integer matrix products at BLAS speed: float64 GEMMs on small integer limbs.

numpy multiplies ``int64`` matrices without BLAS (a plain loop, many times slower than a
float64 GEMM), and Python integers cost a Python operation per term. Here both operands are
cut into balanced limbs (``A = sum_s A_s 2^(a s)``, every ``|A_s| <= 2^(a-1)``, the same
for ``B``) narrow enough that every product-sum of limbs is an integer of magnitude at most
``2^53``; such a sum is exact in float64 whatever the order of its additions (BLAS blocks,
FMA, threads): every partial sum is itself an integer of magnitude at most ``2^53``, so
representable, so no operation rounds. All limb products are one GEMM of the stacked limbs,
and the limbs are recombined exactly (``int64`` where the bound proves it fits, Python
integers otherwise).

The bound (``K`` the inner dimension, ``LA`` and ``LB`` the largest limb magnitudes)::

    |sum_k A_s[i, k] B_t[k, j]| <= K * LA * LB <= 2^53

is checked on Python integers before any float is formed; when no limb width satisfies it
(``K`` beyond about 2^50) the product is formed from Python integers instead.

>>> import numpy as np
>>> from relugeom.numbers.gemm import exact_matmul
>>> A = np.array([[2 ** 61 - 1, -3], [5, 7]], dtype=np.int64)
>>> B = np.array([[2 ** 40], [-(2 ** 62)]], dtype=object)
>>> exact_matmul(A, B).tolist() == (A.astype(object) @ B).tolist()
True
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from .jit import compile_once
from .limbs import maxabs as _maxabs

__all__ = ["exact_matmul"]

_SAFE = 1 << 62
_EXACT = 1 << 53                   # every integer of magnitude <= 2^53 is a float64
_MAX_TERMS = 64                    # more limb products than this: Python integers
_SMALL = 1 << 12                   # products this small: int64 (no conversions to pay)


_FUSED: list = []


def _float_range(A: np.ndarray) -> tuple[np.ndarray, int, int]:
    """``A`` (int64, 2-D, C order) as float64 with its largest and smallest entry: one
    pass (compiled) instead of three; the floats are exact only where the caller checks
    ``max |A| <= 2^53``."""
    out = np.empty(A.shape)
    hi = lo = A[0, 0]
    for i in range(A.shape[0]):
        for j in range(A.shape[1]):
            v = A[i, j]
            out[i, j] = v
            hi = max(hi, v)                  # branch-free: the loop vectorises
            lo = min(lo, v)
    return out, hi, lo


def _fused() -> Any:
    return compile_once(_FUSED, lambda numba: numba.njit(cache=True, nogil=True)(_float_range))


def _read(A: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``(A as float64, max |A|)`` by the compiled pass, or None (no numba, or numba could
    not compile it: then numpy's passes, for good)."""
    fn = _fused()
    if fn is None:
        return None
    try:
        Af, hi, lo = fn(np.ascontiguousarray(A))
    except Exception as exc:
        from numba.core.errors import NumbaError
        if not isinstance(exc, NumbaError):
            raise
        _FUSED[0] = None
        return None
    return Af, max(int(hi), -int(lo))


def _limbs_needed(M: int, w: int) -> int:
    """Balanced limbs of width w (each ``|limb| <= 2^(w-1)``) for magnitudes up to M.

    Each cut ``hi = floor((x + 2^(w-1)) / 2^w)`` leaves ``|lo| <= 2^(w-1)`` and
    ``|hi| <= |x| / 2^w + 1/2``; after t cuts ``|hi| <= M / 2^(w t) + 1``, so T limbs
    suffice once ``M / 2^(w (T-1)) + 1 <= 2^(w-1)``."""
    if M <= 1 << (w - 1):
        return 1
    T = 2
    while M + (1 << (w * (T - 1))) > 1 << (w * T - 1):
        T += 1
    return T


@functools.lru_cache(maxsize=256)
def _plan(ma: int, mb: int, K: int, m: int, n: int, a_float: bool
          ) -> tuple[int, int, int, int] | None:
    """Limb widths and counts ``(wa, tA, wb, tB)`` with ``K LA LB <= 2^53`` (``LA`` the
    largest limb of A: ``ma`` itself when A is one limb), the cheapest by a rough cost
    (passes to cut the operands, the GEMM, the recombination); None when none exists.
    ``wa == 0`` means A is used whole."""
    best = None
    for tA in range(1, 7):
        if tA == 1:
            wa, LA = 0, ma
        else:
            wa = max(2, -(-(ma.bit_length() + 1) // tA))
            while _limbs_needed(ma, wa) > tA:        # at most a step or two
                wa += 1
            if _limbs_needed(ma, wa) != tA or wa > 54:
                continue
            LA = 1 << (wa - 1)
        room = _EXACT // (K * LA)
        if room < 1:
            continue
        if mb <= room:
            wb, tB = 0, 1
        else:
            wb = room.bit_length()               # 2^(wb-1) <= room
            if wb < 2:
                continue
            tB = _limbs_needed(mb, wb)
        if tA * tB > _MAX_TERMS:
            continue
        cut_a = (1 if tA == 1 and a_float else 6 * tA) * m * K
        cost = cut_a + 6 * tB * K * n + 0.3 * tA * tB * m * n * K + 20 * tA * tB * m * n
        if best is None or cost < best[0]:
            best = (cost, wa, tA, wb, tB)
    return None if best is None else best[1:]


def _cut(X: np.ndarray, M: int, w: int, T: int) -> np.ndarray:
    """The T balanced limbs of X (width w) as float64, stacked on a new first axis; X
    whole when w == 0 (then every entry is at most 2^53 in magnitude: exact).

    The limbs of x are those of the sequential cut above: with ``H = sum_(t<T-1)
    2^(w-1) 2^(w t)``, limb t < T-1 is ``((x + H) >> w t) mod 2^w - 2^(w-1)`` and the top
    one ``(x + H) >> w (T-1)`` (one vectorised pass in int64 when ``M + H < 2^63``)."""
    if w == 0:
        if X.dtype == object:
            return np.array(X.tolist(), dtype=np.float64)[None]
        return X.astype(np.float64)[None]
    half = 1 << (w - 1)
    H = sum(half << (w * t) for t in range(T - 1))
    if X.dtype != object and M + H < 1 << 63:
        sh = np.arange(T, dtype=np.int64).reshape((T,) + (1,) * X.ndim) * w
        L = (X + np.int64(H))[None] >> sh
        L[:-1] &= (1 << w) - 1
        L[:-1] -= half
        return L.astype(np.float64)
    cur = X.astype(object)
    out = np.empty((T,) + X.shape)
    for t in range(T - 1):
        hi = (cur + half) >> w
        out[t] = cur - (hi << w)                  # in [-2^(w-1), 2^(w-1)): exact
        cur = hi
    out[T - 1] = np.array(cur.tolist(), dtype=np.float64)
    return out


@functools.lru_cache(maxsize=256)
def _shifts(wa: int, tA: int, wb: int, tB: int) -> tuple:
    """The shift ``wa s + wb t`` of each limb product (s major), as int64 columns for the
    digit split: the masks and shifts of ``c 2^r = (c >> (32 - r)) 2^32 + ((c mod
    2^(32-r)) << r)`` and the products grouped by digit ``q`` (``shift = 32 q + r``)."""
    sh = np.array([wa * s + wb * t for s in range(tA) for t in range(tB)], dtype=np.int64)
    q, r = sh >> 5, (sh & 31)[:, None]
    groups = tuple((int(d), np.nonzero(q == d)[0]) for d in np.unique(q).tolist())
    return sh[:, None], (1 << (32 - r)) - 1, r, 32 - r, groups, int(q.max()) + 2


def _recombine(C: np.ndarray, wa: int, wb: int, bound: int) -> np.ndarray:
    """``sum_(s,t) C[s, :, t, :] 2^(wa s + wb t)`` exactly, from the int64 limb products
    ``C`` (tA x m x tB x n, each entry at most 2^53 in magnitude); ``bound`` bounds the
    sum of the terms' magnitudes. Below 2^63 every partial sum fits int64; otherwise each
    term ``c 2^(32 q + r)`` is split over base-2^32 digits q and q + 1 (each part below
    2^54; at most 64 terms, so every digit sum is below 2^61) and the digits become
    Python integers once."""
    tA, m, tB, n = C.shape
    Cs = C.transpose(0, 2, 1, 3).reshape(tA * tB, m * n)
    sh, mask, r, up, groups, top = _shifts(wa, tA, wb, tB)
    if bound < 1 << 63:
        R = (Cs << sh).sum(axis=0).reshape(m, n)
        return R if bound < _SAFE else _narrow(R.astype(object))
    low, high = (Cs & mask) << r, Cs >> up
    if len(groups) == 1 and top == 2:          # every shift below 32: two digits
        rows = [low.sum(axis=0).tolist(), high.sum(axis=0).tolist()]
    else:
        D = np.zeros((top, m * n), dtype=np.int64)
        for d, at in groups:
            D[d] += low[at].sum(axis=0)
            D[d + 1] += high[at].sum(axis=0)
        rows = D.tolist()
    R = rows[-1]
    for row in rows[-2::-1]:
        R = [(v << 32) + x for v, x in zip(R, row)]
    if max(map(abs, R)) < _SAFE:
        return np.array(R, dtype=np.int64).reshape(m, n)
    out = np.empty(m * n, dtype=object)
    out[:] = R
    return out.reshape(m, n)


def _as_int(X: Any) -> np.ndarray:
    """An integer array as int64 or object (Python integers)."""
    X = np.asarray(X)
    if X.dtype == object or X.dtype == np.int64:
        return X
    if X.dtype.kind == "u" and X.size and int(X.max()) >= 1 << 63:
        return X.astype(object)
    if X.dtype.kind in "iub":
        return X.astype(np.int64)
    raise TypeError(f"exact_matmul: expected integer arrays, got dtype {X.dtype}")


def exact_matmul(A: Any, B: Any) -> np.ndarray:
    """``A @ B`` of 2-D integer arrays (int64 or Python integers), exactly, by float64
    GEMMs on limbs (see the module docstring for the bound). The result is int64 when
    every entry is below 2^62 in magnitude, Python integers (object) otherwise."""
    A, B = _as_int(A), _as_int(B)
    if A.ndim != 2 or B.ndim != 2 or A.shape[1] != B.shape[0]:
        raise ValueError(f"exact_matmul: shapes {A.shape} and {B.shape} do not chain")
    (m, K), n = A.shape, B.shape[1]
    got = _read(A) if A.dtype == np.int64 and A.size >= _SMALL else None
    Af, ma = got if got is not None else (None, _maxabs(A))
    mb = _maxabs(B)
    if not (ma and mb and K):
        return np.zeros((m, n), dtype=np.int64)
    if (A.dtype != object and B.dtype != object and ma * mb * K < _SAFE
            and m * n * K <= _SMALL):            # tiny and int64 throughout: numpy's loop
        return A @ B
    plan = _plan(ma, mb, K, m, n, A.dtype != object and ma <= _EXACT)
    if plan is None:                            # K beyond ~2^50, or enormous entries
        return _narrow(A.astype(object) @ B.astype(object))
    wa, tA, wb, tB = plan
    if wa == 0 and Af is not None:              # A whole, |A| <= 2^53: Af is exact
        FA = Af
    else:
        FA = _cut(A, ma, wa, tA).reshape(tA * m, K)
    # B's limbs cut along its rows (long inner loops), read transposed by the GEMM
    FB = _cut(np.ascontiguousarray(B.T), mb, wb, tB).reshape(tB * n, K).T
    C = (FA @ FB).astype(np.int64).reshape(tA, m, tB, n)
    sa = ma if tA == 1 else sum(1 << (wa * s + wa - 1) for s in range(tA))
    sb = mb if tB == 1 else sum(1 << (wb * t + wb - 1) for t in range(tB))
    return _recombine(C, wa, wb, K * sa * sb)


def _narrow(R: np.ndarray) -> np.ndarray:
    if R.dtype == object and _maxabs(R) < _SAFE:
        return R.astype(np.int64)
    return R

"""Compiled (numba) levels of the interval engine :mod:`relugeom.geometry.interval_regions`.

One kernel call does a whole level when floats decide all of it: the signs of every unit
at both ends of every cell (the same rigorous bound as
:func:`~relugeom.geometry.interval_regions._value_bound`), the breakpoints of the units
that cross (the bound of :func:`~relugeom.geometry.interval_regions._breakpoints`), their
order within each cell (error intervals pairwise apart), and the pieces with their masks.
IEEE double arithmetic, no fast-math, so every bound holds as derived there. When any sign
or order is left open the kernel says so and does nothing else: the caller runs that level
on the numpy route, which asks integers. numba compiles on first use and caches the machine
code on disk (``cache=True``); without numba the numpy route does every level.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..numbers.jit import compile_once

__all__ = ["available", "child_maps", "level"]

_U = 2.0 ** -53
_TINY = 1e-290
_KERNEL: list = []


def _call(i: int, *args: Any) -> Any:
    """Compiled function i of the kernel tuple on ``args``; None when numba is missing or
    could not compile it (then the numpy route, for good: the kernel is dropped)."""
    kern = _kernel()
    if kern is None:
        return None
    try:
        return kern[i](*args)
    except Exception as exc:           # numba could not compile: the numpy route
        from numba.core.errors import NumbaError
        if not isinstance(exc, NumbaError):
            raise
        _KERNEL[0] = None
        return None


def available() -> bool:
    """True when numba imports (then :func:`level` is compiled)."""
    return _kernel() is not None


def _kernel() -> Any:
    return compile_once(_KERNEL, _build)


def _build(numba: Any) -> tuple:
    globals()["_crossings"] = numba.njit(cache=True, nogil=True)(_crossings)
    return tuple(numba.njit(cache=True, nogil=True)(f)
                 for f in (_level_kernel, _masked_rows, _finish_maps))


def _crossings(Z: np.ndarray, E: np.ndarray, t: np.ndarray, et: np.ndarray,
               base: np.ndarray, cc: np.ndarray, jj: np.ndarray, tb: np.ndarray,
               eb: np.ndarray, right: np.ndarray, k: np.ndarray) -> int:
    """Float signs at both ends of every cell, the crossing units' breakpoints sorted
    within their cell (written to ``cc`` ... ``right``, ``k`` per cell); -1 when a sign
    or an order is left open, else the number of crossings."""
    u = _U
    C, _, w = Z.shape
    n = 0
    for c in range(C):
        tl, tr, etl, etr = t[c], t[c + 1], et[c], et[c + 1]
        atl, atr = abs(tl), abs(tr)
        tmax = max(atl + etl, atr + etr)
        first = n
        for j in range(w):
            h0, h1, e0, e1 = Z[c, 0, j], Z[c, 1, j], E[c, 0, j], E[c, 1, j]
            a0 = abs(h0) + e0
            rest = e1 + 4 * u * abs(h1)
            vl = h0 * tl + h1
            bl = (a0 * (etl + 4 * u * atl) + e0 * atl + rest) * (1 + 16 * u) + _TINY
            vr = h0 * tr + h1
            br = (a0 * (etr + 4 * u * atr) + e0 * atr + rest) * (1 + 16 * u) + _TINY
            if not (abs(vl) > bl and abs(vr) > br):
                return -1
            if (vl > 0) == (vr > 0):
                base[c, j] = vl > 0
                continue
            base[c, j] = False
            ah = abs(h0)
            if not ah > e0:
                return -1
            x = -h1 / h0
            e = ((e1 + tmax * e0) / ah + 3 * u * abs(x)) * (1 + 8 * u) + _TINY
            if not (np.isfinite(x) and np.isfinite(e)):
                return -1
            cc[n], jj[n], tb[n], eb[n], right[n] = c, j, x, e, vr > 0
            n += 1
        k[c] = n - first
        if n - first > 1:
            o = np.argsort(tb[first:n]) + first
            jj[first:n], tb[first:n], eb[first:n], right[first:n] = (
                jj[o], tb[o], eb[o], right[o])
            for i in range(first + 1, n):
                if not (tb[i - 1] + eb[i - 1] < tb[i] - eb[i]):
                    return -1
    return n


def _level_kernel(Z: np.ndarray, E: np.ndarray, T: np.ndarray, ET: np.ndarray,
                  P: np.ndarray, lev: int) -> tuple:
    """A whole level when floats decide it: ``(n, T, ET, prov, par, M, Pn)``: the endpoint
    table with the n cuts appended (left to right; provenance rows ``(lev, cell,
    unit)``), each piece's parent and mask, the new endpoint ids; n = -1 when anything is
    left open."""
    C, _, w = Z.shape
    t, et = T[P], ET[P]
    nid = len(T)
    base = np.empty((C, w), dtype=np.bool_)
    cc = np.empty(C * w, dtype=np.int64)
    jj = np.empty(C * w, dtype=np.int64)
    tb = np.empty(C * w)
    eb = np.empty(C * w)
    right = np.empty(C * w, dtype=np.bool_)
    k = np.empty(C, dtype=np.int64)
    n = _crossings(Z, E, t, et, base, cc, jj, tb, eb, right, k)
    if n < 0:
        return (-1, T, ET, cc.reshape(-1, 1)[:0], k[:0], base[:0], P[:0])
    T2 = np.concatenate((T, tb[:n]))
    ET2 = np.concatenate((ET, eb[:n]))
    prov = np.empty((n, 3), dtype=np.int64)
    par = np.empty(C + n, dtype=np.int64)
    M = np.empty((C + n, w), dtype=np.bool_)
    Pn = np.empty(C + n + 1, dtype=np.int64)
    row = 0
    i = 0
    for c in range(C):
        Pn[row] = P[c]
        for p in range(k[c] + 1):
            par[row + p] = c
            M[row + p] = base[c]
        for r in range(k[c]):
            Pn[row + 1 + r] = nid + i + r
            prov[i + r, 0], prov[i + r, 1], prov[i + r, 2] = lev, c, jj[i + r]
            for p in range(k[c] + 1):
                M[row + p, jj[i + r]] = (p > r) == right[i + r]
        row += k[c] + 1
        i += k[c]
    Pn[row] = P[C]
    return (n, T2, ET2, prov, par, M, Pn)


def level(Z: np.ndarray, E: np.ndarray, T: np.ndarray, ET: np.ndarray, P: np.ndarray,
          lev: int) -> tuple | None:
    """:func:`_level_kernel` compiled, or None (no numba, or something left open)."""
    out = _call(0, np.ascontiguousarray(Z), np.ascontiguousarray(E), T, ET, P, lev)
    return None if out is None or out[0] < 0 else out


# ---------------------------------------------------------------------- child maps
def _masked_rows(Zp: np.ndarray, Ep: np.ndarray, par: np.ndarray, M: np.ndarray,
                 g: float) -> tuple:
    """The GEMM inputs of :func:`child_maps`: rows ``M_i * Z[par_i]`` (2 per cell) and
    their error rows ``(E (1 + g) + g |Z|) * M_i``, in one pass."""
    C, w = M.shape
    A = np.empty((2 * C, w))
    EA = np.empty((2 * C, w))
    for i in range(C):
        p = par[i]
        for r in range(2):
            for j in range(w):
                if M[i, j]:
                    z = Zp[p, r, j]
                    A[2 * i + r, j] = z
                    EA[2 * i + r, j] = Ep[p, r, j] * (1 + g) + g * abs(z)
                else:
                    A[2 * i + r, j] = 0.0
                    EA[2 * i + r, j] = 0.0
    return A, EA


def _finish_maps(Z: np.ndarray, E: np.ndarray, bf: np.ndarray, gb: np.ndarray,
                 grow: float) -> bool:
    """The biases added to the constant rows (``g |b|`` to their errors), every error
    scaled by ``grow`` and padded by the tiny term, in place; False on a non-finite
    entry."""
    R, w2 = Z.shape
    ok = True
    for i in range(R):
        for k in range(w2):
            z, e = Z[i, k], E[i, k]
            if i % 2:
                z += bf[k]
                e += gb[k]
            e = e * grow + _TINY
            Z[i, k], E[i, k] = z, e
            ok = ok and np.isfinite(z) and np.isfinite(e)
    return ok


def child_maps(layer: tuple, Zp: np.ndarray, Ep: np.ndarray, par: np.ndarray,
               M: np.ndarray, g: float, grow: float) -> tuple | None:
    """:func:`relugeom.geometry.interval_regions._child_maps` (the same operations in the
    same order, so the same bound) for the cells with parents ``par``, the elementwise
    passes compiled around numpy's two GEMMs; None without numba or on a non-finite
    entry."""
    Wf, bf, Wa = layer
    rows = _call(1, Zp, Ep, par, M, g)
    if rows is None:
        return None
    Z, E = rows[0] @ Wf.T, rows[1] @ Wa.T
    if not _call(2, Z, E, bf, g * np.abs(bf), grow):
        return None
    C = len(par)
    return Z.reshape(C, 2, -1), E.reshape(C, 2, -1)

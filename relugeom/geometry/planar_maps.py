"""Compiled (numba) float maps of many small cells for
:mod:`relugeom.geometry.planar_regions`.

A cell's map of the next layer is ``W (m * Z) + b`` (its parent's float map ``Z``, 3 rows
of width w, masked by the cell's activation pattern ``m``), with the rigorous bound
``E = (|W| ((E_p (1 + g) + g |Z|) m) + g |b|) (1 + 2 (w + 4) u) + tiny`` on its error
(``g = (w + 3) u 1.01 + 4u``). The numpy route forms them with two batched GEMMs, the right
tool for wide layers; for small ones (a few thousand products per layer) the dozen numpy
calls around the GEMMs cost more than the arithmetic, so one compiled loop forms both.

The arithmetic is the same IEEE double arithmetic (no fast-math, no contraction into
fused multiply-adds): the error bound ``|fl(x . y) - x . y| <= gamma_n |x| . |y|`` holds
for any order of summation, and the bound on ``E``'s own rounding is the same factor.
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["child_maps_small", "SMALL_WORK"]

_U = 2.0 ** -53
_TINY = 1e-290
_CW = 4 * _U
SMALL_WORK = 1 << 16          # C x w x w' products per layer up to which the loop wins
_KERNEL: list = []


def _maps(Wf: np.ndarray, bf: np.ndarray, Wa: np.ndarray, Zp: np.ndarray,
          Ep: np.ndarray, M: np.ndarray, par: np.ndarray, Z: np.ndarray,
          E: np.ndarray) -> bool:
    """Z[i] and E[i] for cell i from its parent par[i]'s map and bound and its mask
    M[i] (coefficient-major, 3 x w); False when a value or bound is not finite."""
    C, w2, w = M.shape[0], Wf.shape[0], Wf.shape[1]
    u = _U
    g = (w + 3) * u * 1.01 + _CW
    grow = 1 + 2 * (w + 4) * u
    ok = True
    for i in range(C):
        p = par[i]
        for r in range(3):
            for k in range(w2):
                z = 0.0
                e = 0.0
                for j in range(w):
                    if M[i, j]:
                        zp = Zp[p, r, j]
                        z += Wf[k, j] * zp
                        e += Wa[k, j] * (Ep[p, r, j] * (1 + g) + g * abs(zp))
                if r == 2:
                    z += bf[k]
                    e += g * abs(bf[k])
                e = e * grow + _TINY
                Z[i, r, k] = z
                E[i, r, k] = e
                if not (abs(z) < np.inf and e < np.inf):
                    ok = False
    return ok


def _kernel() -> Any:
    if not _KERNEL:
        try:
            import numba
        except ImportError:          # pragma: no cover - numba is a dependency
            _KERNEL.append(None)
        else:
            _KERNEL.append(numba.njit(cache=True, nogil=True)(_maps))
    return _KERNEL[0]


def child_maps_small(layer: tuple, Zp: np.ndarray, Ep: np.ndarray, M: np.ndarray,
                     par: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """The maps and bounds of cells with parents ``par`` (rows of ``Zp``/``Ep``) and
    masks ``M``, compiled; None without numba or when a value is not finite (then the
    caller's route decides)."""
    fn = _kernel()
    if fn is None:
        return None
    Wf, bf, Wa = layer
    C, w2 = len(par), Wf.shape[0]
    Z, E = np.empty((C, 3, w2)), np.empty((C, 3, w2))
    if not fn(Wf, bf, Wa, Zp, Ep, M, par, Z, E):
        return None
    return Z, E

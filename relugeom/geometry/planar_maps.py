"""The float filter of :mod:`relugeom.geometry.planar_regions`: float64 maps of cells with
rigorous bounds on their errors.

* :func:`_float_layers`: each layer's float weights, every entry within 4u of the exact one;
* :func:`_child_maps` / :func:`child_maps_small`: a cell's map of the next layer,
  ``W (m * Z) + b`` (its parent's float map ``Z``, 3 rows of width w, masked by the cell's
  activation pattern ``m``), with the bound
  ``E = (|W| ((E_p (1 + g) + g |Z|) m) + g |b|) (1 + 2 (w + 4) u) + tiny``
  (``g = (w + 3) u 1.01 + 4u``). Two batched GEMMs for wide layers; for small ones (a few
  thousand products per layer) the dozen numpy calls around the GEMMs cost more than the
  arithmetic, so one compiled (numba) loop forms both;
* :func:`_line_bound` and :func:`_meet`: a line's value at a vertex and two lines'
  intersection, with their bounds.

The arithmetic is IEEE double arithmetic (no fast-math, no contraction into fused
multiply-adds): the bound ``|fl(x . y) - x . y| <= gamma_n |x| . |y|`` holds for any order
of summation, and the bound on ``E``'s own rounding is the same factor.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..numbers.jit import compile_once

__all__ = ["child_maps_small", "SMALL_WORK"]

_U = 2.0 ** -53
_TINY = 1e-290            # covers every underflow (each at most 2^-1074) many times over
_CW = 4 * _U              # relative error of a weight converted to float64
_DMAX = 1 << 900          # a denominator below it leaves int64 weights normal floats
SMALL_WORK = 1 << 16          # C x w x w' products per layer up to which the loop wins
_KERNEL: list = []


class _Unfit(Exception):
    """The network does not fit floats (overflow, non-finite): use the exact engine."""


# ---------------------------------------------------------------------- float filter
def _line_bound(h: np.ndarray, eh: np.ndarray, x: np.ndarray, y: np.ndarray,
                ex: np.ndarray, ey: np.ndarray) -> np.ndarray:
    """Rigorous bound on |(h0 x + h1 y + h2) - fl(h0^ x^ + h1^ y^ + h2^)| (arrays broadcast
    over the last axis of ``h``)."""
    ax, ay = np.abs(x), np.abs(y)
    B = ((np.abs(h[..., 0]) + eh[..., 0]) * (ex + 4 * _U * ax)
         + (np.abs(h[..., 1]) + eh[..., 1]) * (ey + 4 * _U * ay)
         + eh[..., 0] * ax + eh[..., 1] * ay + eh[..., 2] + 4 * _U * np.abs(h[..., 2]))
    return B * (1 + 16 * _U) + _TINY


def _meet(La: np.ndarray, Ea: np.ndarray, Lh: np.ndarray, Eh: np.ndarray
          ) -> tuple[np.ndarray, ...]:
    """Float intersections of lines a and h with rigorous error bounds (infinite where
    the lines are too close to parallel for floats to say)."""
    def det(i: int, j: int) -> tuple[np.ndarray, np.ndarray]:
        p, q = La[:, i] * Lh[:, j], La[:, j] * Lh[:, i]
        e = ((np.abs(La[:, i]) + Ea[:, i]) * Eh[:, j] + Ea[:, i] * np.abs(Lh[:, j])
             + (np.abs(La[:, j]) + Ea[:, j]) * Eh[:, i] + Ea[:, j] * np.abs(Lh[:, i])
             + 3 * _U * (np.abs(p) + np.abs(q)))
        return p - q, e * (1 + 8 * _U) + _TINY
    X, EX = det(1, 2)
    Y, EY = det(2, 0)
    W, EW = det(0, 1)
    aw = np.abs(W)
    ok = aw > EW * (1 + 4 * _U)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        x = np.where(ok, X / W, 0.0)
        y = np.where(ok, Y / W, 0.0)
        gap = (aw - EW) * (1 - 4 * _U)
        ex = np.where(ok, (EX + np.abs(x) * (1 + 4 * _U) * EW) / gap * (1 + 8 * _U)
                      + _U * np.abs(x) + _TINY, np.inf)
        ey = np.where(ok, (EY + np.abs(y) * (1 + 4 * _U) * EW) / gap * (1 + 8 * _U)
                      + _U * np.abs(y) + _TINY, np.inf)
    return x, y, ex, ey


def _float_layers(prep: list) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Each layer as float64 (W, b, |W|) from its exact integer form (relative error of
    every entry at most 4u); raises _Unfit beyond the float range."""
    out = []
    for W, b, D, _, _ in prep:
        try:
            d = float(D)
            if W.dtype != object and b.dtype != object:     # each int64 rounded once
                Wf, bf = W.astype(np.float64) / d, b.astype(np.float64) / d
                if D < _DMAX:      # |W| < 2^63 and nonzero |W| >= 1: finite, no underflow
                    out.append((Wf, bf, np.abs(Wf)))
                    continue
            else:
                Wf = np.array(W.tolist(), dtype=np.float64).reshape(W.shape) / d
                bf = np.array(b.tolist(), dtype=np.float64).reshape(b.shape) / d
        except OverflowError:
            raise _Unfit() from None
        if not (np.isfinite(Wf).all() and np.isfinite(bf).all()):
            raise _Unfit()
        # subnormal or underflowed weights would break the 4u relative error: refuse
        if (((np.abs(Wf) < 1e-290) & (W != 0)).any() or
                ((np.abs(bf) < 1e-290) & (b != 0)).any()):
            raise _Unfit()
        out.append((Wf, bf, np.abs(Wf)))
    return out


def _child_maps(layer: tuple, Zp: np.ndarray, Ep: np.ndarray, M: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """Float maps W (M_i * Z_i) + b of a layer for cells with parent maps Z_i and masks
    M_i, with rigorous error bounds (one GEMM for the values, one for the bounds). Maps
    are coefficient-major, C x 3 x w (x, y and constant rows), so that both GEMMs read
    and write them in place."""
    Wf, bf, Wa = layer
    C, _, w = Zp.shape
    w2 = Wf.shape[0]
    m = M[:, None, :]
    g = (w + 3) * _U * 1.01 + _CW
    Z = ((Zp * m).reshape(3 * C, w) @ Wf.T).reshape(C, 3, w2)
    Z[:, 2, :] += bf
    EA = (Ep * (1 + g) + g * np.abs(Zp)) * m
    E = (EA.reshape(3 * C, w) @ Wa.T).reshape(C, 3, w2)
    E[:, 2, :] += g * np.abs(bf)
    E *= 1 + 2 * (w + 4) * _U
    E += _TINY
    if not (np.isfinite(Z).all() and np.isfinite(E).all()):
        raise _Unfit()
    return Z, E


# ---------------------------------------------------------------------- compiled
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
    return compile_once(_KERNEL, lambda numba: numba.njit(cache=True, nogil=True)(_maps))


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

"""Exact integer arrays past int64 at numpy speed, for the states of the region engine.

The pre-activations of a cell are integer matrices (weights scaled by their common
denominators). With float32 weights their entries leave int64 after one or two layers
(about 33 bits per layer), and Python integers cost a Python operation per entry. Here such
arrays are kept as :class:`LimbArray`: ``value = sum_t L[t] 2^(b t)`` with ``int64`` limbs
``|L[t]| < 2^b``. With ``|W| 2^b w < 2^62`` a layer's product is one ``int64`` matrix
product per limb, exact, followed by a vectorised carry pass; the float value that feeds the
sign filter comes with a rigorous bound on its error, and exact Python integers are formed
only for the rows a cut needs and for the final affine maps. python-flint's ``fmpz_mat``
multiplies the remaining big-integer layers (weights beyond int64) in one product.

>>> import numpy as np
>>> from relugeom.limbs import LimbArray
>>> big = np.array([[3 ** 80, -(5 ** 60)], [7, -1]], dtype=object)
>>> A = LimbArray.from_ints(big, 20)
>>> bool((A.exact() == big).all()), A.L.shape[0]
(True, 8)
"""
from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["LimbArray", "limb_width", "limb_states"]

SAFE = 1 << 62
_U = 2.0 ** -53


def maxabs(a: np.ndarray) -> int:
    """The largest magnitude of an integer array (0 when empty), as a Python int."""
    return 0 if a.size == 0 else max(int(a.max()), -int(a.min()))


class LimbArray:
    """An exact integer array ``sum_t L[t] 2^(b t)``; ``L`` is ``int64`` of shape
    ``(T, *shape)`` with every ``|L[t]| < 2^b``."""

    __slots__ = ("L", "b")

    def __init__(self, L: np.ndarray, b: int):
        self.L = L
        self.b = b

    @property
    def shape(self) -> tuple[int, ...]:
        return self.L.shape[1:]

    @classmethod
    def from_int64(cls, A: np.ndarray, b: int) -> "LimbArray":
        """Limbs of an ``int64`` array (the lower limbs in [0, 2^b), the top one signed)."""
        A = np.asarray(A, dtype=np.int64)
        T = max(1, -(-64 // b))
        mask = (1 << b) - 1
        L = np.empty((T,) + A.shape, dtype=np.int64)
        for t in range(T - 1):
            L[t] = (A >> (b * t)) & mask
        L[T - 1] = A >> (b * (T - 1))
        return cls(L, b)._trim()

    @classmethod
    def from_ints(cls, A: Any, b: int) -> "LimbArray":
        """Limbs of an array of Python integers (one pass per limb)."""
        A = np.asarray(A, dtype=object)
        flat = [int(v) for v in A.ravel().tolist()]
        top = max((abs(v) for v in flat), default=0).bit_length() + 1
        T = max(1, -(-top // b))
        mask = (1 << b) - 1
        L = np.empty((T, len(flat)), dtype=np.int64)
        for t in range(T - 1):
            L[t] = [(v >> (b * t)) & mask for v in flat]
        L[T - 1] = [v >> (b * (T - 1)) for v in flat]
        return cls(L.reshape((T,) + A.shape), b)

    def _trim(self) -> "LimbArray":
        T = self.L.shape[0]
        while T > 1 and not self.L[T - 1].any():
            T -= 1
        if T < self.L.shape[0]:
            self.L = self.L[:T]
        return self

    def exact(self) -> np.ndarray:
        """The values as an object array of Python integers."""
        out = self.L[0].astype(object)
        for t in range(1, self.L.shape[0]):
            out = out + self.L[t].astype(object) * (1 << (self.b * t))
        return out

    def entry_row(self, idx: tuple) -> list[int]:
        """Exact values of ``self[idx]`` (a 1-D slice) as Python integers."""
        L = self.L[(slice(None),) + idx]
        b = self.b
        return [sum(int(L[t, r]) << (b * t) for t in range(L.shape[0]))
                for r in range(L.shape[1])]

    def floats(self) -> tuple[np.ndarray, np.ndarray]:
        """Float values and a rigorous bound on their absolute errors (every term
        ``L[t] 2^(b t)`` is exact in floats; T additions lose at most T u of their sum).
        Raises OverflowError when the values do not fit a float."""
        T = self.L.shape[0]
        if self.b * T > 1000:
            raise OverflowError("limb array beyond the float range")
        F = np.zeros(self.shape)
        A = np.zeros(self.shape)
        for t in range(T):
            term = self.L[t].astype(np.float64) * (2.0 ** (self.b * t))
            F += term
            A += np.abs(term)
        return F, A * ((T + 4) * _U)


def limb_width(prep: list) -> int | None:
    """One limb width b for every layer after the first: ``|W| 2^b w < 2^62`` for all
    (None when some layer's weights leave int64 or b would be below 8)."""
    b = 62
    for W, _, _, mw, _ in prep[1:]:
        if W.dtype == object:
            return None
        b = min(b, 62 - max(mw, 1).bit_length() - max(W.shape[1], 1).bit_length())
    return b if b >= 8 else None


def _carry(Y: np.ndarray, b: int) -> np.ndarray:
    """Normalise limbs (each below 2^62 in magnitude): lower limbs into [0, 2^b), the
    carries moved up, the top limb 0 or -1 beyond the last nonzero one."""
    mask = (1 << b) - 1
    out = []
    carry = np.zeros(Y.shape[1:], dtype=np.int64)
    t = 0
    while t < len(Y) or not ((carry == 0) | (carry == -1)).all():
        cur = Y[t] + carry if t < len(Y) else carry
        carry = cur >> b
        out.append(cur & mask)
        t += 1
    if carry.any():
        out.append(carry)
    while len(out) > 1 and not out[-1].any():
        out.pop()
    return np.stack(out)


def limb_states(W: np.ndarray, Z: LimbArray, po: np.ndarray, M: np.ndarray,
                bias: list[int]) -> LimbArray:
    """Exact ``W (M_i * Z[po[i]]) + bias`` (bias on the last column) for int64 ``W`` with
    ``|W| 2^b w < 2^62``: one int64 product per limb, then one carry pass.

    ``Z`` has shape (C, w, m); the result (k, w', m) with k = len(po)."""
    b = Z.b
    T = Z.L.shape[0]
    k = len(po)
    w2 = W.shape[0]
    m = Z.shape[2]
    Bl = LimbArray.from_ints(np.array(bias, dtype=object), b).L          # Tb x w'
    Tn = max(T, Bl.shape[0])
    Y = np.zeros((Tn, k, w2, m), dtype=np.int64)
    Mi = M[:, :, None]
    step = max(1, 4_000_000 // max(Z.shape[1] * m, 1))
    for t in range(T):
        Lt = Z.L[t]
        for a in range(0, k, step):
            sl = slice(a, a + step)
            Y[t, sl] = np.matmul(W, Lt[po[sl]] * Mi[sl])
    for t in range(Bl.shape[0]):
        Y[t, :, :, -1] += Bl[t][None, :]
    return LimbArray(_carry(Y, b), b)

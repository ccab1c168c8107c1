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
    """The largest magnitude of an integer array (0 when empty), as a Python int (the one
    copy: dyadic, arrays and the region engines import it)."""
    n = a.size
    if n <= 64 or a.dtype == object:   # one pass over Python ints (small: beats numpy)
        return max(map(abs, a.ravel().tolist())) if n else 0
    return max(int(a.max()), -int(a.min()))


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


# ---------------------------------------------------------------------- big-integer products
_FLINT: list = []
_FLINT_ROWS = 4
_FMATS: dict[int, tuple[np.ndarray, Any]] = {}


def _flint() -> Any:
    """python-flint, or None when it is not installed (then numpy object arrays)."""
    if not _FLINT:
        try:
            import flint
            _FLINT.append(flint)
        except ImportError:           # pragma: no cover - python-flint is a dependency
            _FLINT.append(None)
    return _FLINT[0]


def _fmat(W: np.ndarray) -> Any:
    hit = _FMATS.get(id(W))
    if hit is None or hit[0] is not W:
        if len(_FMATS) > 64:
            _FMATS.clear()
        hit = (W, _flint().fmpz_mat([[int(v) for v in r] for r in W.tolist()]))
        _FMATS[id(W)] = hit
    return hit[1]


def _big_states(layer: tuple, Zs: np.ndarray, po: np.ndarray, M: np.ndarray, den: int
                ) -> Any:
    """Exact next states of k pieces, piece i with parent state ``Zs[po[i]]`` (parents
    C x w x (n+1)) and mask ``M[i]`` (k x w), once the integers leave int64: one
    python-flint product W [A_1 | ... | A_k] for all pieces; for a one-row layer with few
    parents, int64 limb sums (:func:`_one_row_states`). ``int64`` again where it fits."""
    W, b = layer[0], layer[1]
    k = len(po)
    C, w, m = Zs.shape
    if W.shape[0] == 0 or w == 0:
        return np.zeros((k, W.shape[0], m), dtype=np.int64)
    if (W.dtype != object and Zs.dtype != object and b.dtype != object and den < SAFE
            and layer[3] * maxabs(Zs) * w + layer[4] * den < SAFE):    # int64 throughout
        Zn = np.matmul(W, np.where(M[:, :, None], Zs[po], 0))
        Zn[:, :, -1] += b * den
        return Zn
    if W.shape[0] == 1 and 4 * C <= k:
        Zn = _one_row_states(W[0], Zs, po, M)
    elif W.dtype != object and Zs.dtype != object and _limb_bits(layer, Zs) is not None:
        Zn = _limb_product(W, Zs, po, M, _limb_bits(layer, Zs))
    else:
        A = np.where(M[:, :, None], Zs[po].astype(object), 0)           # k x w x m
        if W.shape[0] >= _FLINT_ROWS and _flint() is not None:
            rows = A.transpose(1, 0, 2).reshape(w, k * m).tolist()
            F = _fmat(W) * _flint().fmpz_mat(rows)
            Zn = np.array([int(v) for v in F.entries()], dtype=object).reshape(
                W.shape[0], k, m).transpose(1, 0, 2)
        else:                         # few rows: converting costs more than it saves
            Zn = np.matmul(W.astype(object), A)
    Zn[:, :, -1] += b.astype(object) * den
    if maxabs(Zn) < SAFE:
        return Zn.astype(np.int64)
    return Zn


def _limb_bits(layer: tuple, Zs: np.ndarray) -> int | None:
    """Limb width b for :func:`_limb_product` (``mw 2^b w < 2^62``), or None when more
    than three limbs would be needed."""
    W, mw = layer[0], layer[3]
    if mw == 0:
        return None
    b = 62 - mw.bit_length() - max(W.shape[1], 1).bit_length()
    need = maxabs(Zs).bit_length() + 1
    if b < 8 or -(-need // b) > 3:
        return None
    return b


def _limb_product(W: np.ndarray, Zs: np.ndarray, po: np.ndarray, M: np.ndarray,
                  b: int) -> np.ndarray:
    """W (M_i * Zs[po[i]]) exactly for int64 W and states whose products overflow int64:
    the states cut into b-bit limbs (the top one signed), one int64 product per limb
    (each entry below 2^62 by the choice of b), the limbs recombined exactly."""
    A = Zs[po] * M[:, :, None]                                         # k x w x m
    T = max(1, -(-(maxabs(A).bit_length() + 1) // b))
    mask = (1 << b) - 1
    out = None
    for t in range(T):
        L = A >> (b * t)
        if t < T - 1:
            L = L & mask
        Y = np.matmul(W, L).astype(object)
        out = Y if out is None else out + Y * (1 << (b * t))
    return out


def _one_row_states(wrow: np.ndarray, Zs: np.ndarray, po: np.ndarray, M: np.ndarray
                    ) -> np.ndarray:
    """sum_j M[i, j] wrow[j] Zs[po[i], j] exactly: the products u = wrow[j] Zs[c, j] once
    per parent, cut into 31-bit limbs (the top one signed), each limb summed over the
    active units in int64 (at most w 2^31 in magnitude), the limbs recombined exactly."""
    U = wrow.astype(object)[None, :, None] * Zs.astype(object)           # C x w x m
    C, w, m = U.shape
    T = max(1, -(-(maxabs(U).bit_length() + 1) // 31))
    flat = U.ravel().tolist()
    lim = np.empty((T, len(flat)), dtype=np.int64)
    mask = (1 << 31) - 1
    for t in range(T - 1):
        lim[t] = [(u >> (31 * t)) & mask for u in flat]
    lim[T - 1] = [u >> (31 * (T - 1)) for u in flat]
    lim = lim.reshape(T, C, w, m)
    Mi = M.astype(np.int64)
    k = len(po)
    out = np.zeros((k, m), dtype=object)
    step = max(1, 2_000_000 // max(w * m, 1))
    for a in range(0, k, step):
        sl = slice(a, a + step)
        for t in range(T):
            S = np.einsum("iw,iwm->im", Mi[sl], lim[t][po[sl]])
            out[sl] += S.astype(object) * (1 << (31 * t))
    return out.reshape(k, 1, m)

"""Convolutions as exact integer matrices, vectorised: every (output, input) pair of a
kernel position found with numpy index arithmetic, the weights' integer mantissas placed
in one dense :class:`~relugeom.numbers.dyadic.IntMatrix` over one power-of-two scale."""
from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError
from ..numbers.dyadic import IntMatrix
from ._builder import pool_out_shape

__all__ = ["conv_matrix"]


def conv_matrix(in_shape: Sequence[int], weight: tuple[np.ndarray, int],
                bias: tuple[np.ndarray, int] | None, stride: Sequence[int],
                pads: Sequence[tuple[int, int]], dilation: Sequence[int], groups: int,
                what: str) -> tuple[IntMatrix, tuple[int, ...]]:
    """The cross-correlation (zero padding) of a value of shape ``(C_in, *spatial)`` with
    ``weight`` (dyadic mantissas of shape ``(C_out, C_in / groups, *kernel)``) as a dense
    exact map, size-checked from the shapes first; and the output shape."""
    MW, eW = weight
    C_in, spatial = in_shape[0], tuple(in_shape[1:])
    C_out, cpg_in, kernel = MW.shape[0], MW.shape[1], tuple(MW.shape[2:])
    if len(kernel) != len(spatial):
        raise DimensionError(f"{what}: a {len(kernel)}-D kernel on a value of shape "
                             f"{tuple(in_shape)}")
    if groups < 1 or C_in % groups or C_out % groups:
        raise DimensionError(f"{what}: {C_in} input and {C_out} output channels are not "
                             f"divisible by groups={groups}")
    if cpg_in * groups != C_in:
        raise DimensionError(f"{what}: weight expects {cpg_in * groups} input channels, "
                             f"the input has {C_in}")
    outs = pool_out_shape(spatial, kernel, stride, pads, dilation, what)
    n_sp, n_out = math.prod(spatial), math.prod(outs)
    check_size("max_matrix_entries", C_out * n_out * C_in * n_sp,
               f"{what}: a dense {C_out * n_out} x {C_in * n_sp} map")
    K = len(spatial)
    flat_o = np.zeros((1,) * (2 * K), dtype=np.intp)
    flat_x = np.zeros((1,) * (2 * K), dtype=np.intp)
    valid = np.ones((1,) * (2 * K), dtype=bool)
    for d in range(K):
        o = np.arange(outs[d])[:, None]
        x = o * stride[d] - pads[d][0] + np.arange(kernel[d])[None, :] * dilation[d]
        shape = [1] * (2 * K)
        shape[d], shape[K + d] = outs[d], kernel[d]
        sp_stride = math.prod(spatial[d + 1:])
        flat_x = flat_x + (x * sp_stride).reshape(shape)
        flat_o = flat_o + (o * math.prod(outs[d + 1:])).reshape(shape[:K] + [1] * K)
        valid = valid & ((x >= 0) & (x < spatial[d])).reshape(shape)
    full = (*outs, *kernel)
    flat_x, flat_o, valid = (np.broadcast_to(a, full) for a in (flat_x, flat_o, valid))
    co = np.arange(C_out)[:, None]
    ci = (co // (C_out // groups)) * cpg_in + np.arange(cpg_in)[None, :]   # global channel
    ext = (slice(None), slice(None)) + (None,) * (2 * K)
    rows = co[ext] * n_out + flat_o[None, None]
    cols = ci[ext] * n_sp + flat_x[None, None]
    wv = MW.reshape(C_out, cpg_in, *([1] * K), *kernel)
    mask = np.broadcast_to(valid[None, None], (C_out, cpg_in, *full))
    W = np.zeros((C_out * n_out, C_in * n_sp), dtype=MW.dtype)
    W[np.broadcast_to(rows, mask.shape)[mask], np.broadcast_to(cols, mask.shape)[mask]] = \
        np.broadcast_to(wv, mask.shape)[mask]
    if bias is None:
        b = None
    else:
        Mb, eb = bias
        b = (np.repeat(Mb.reshape(-1), n_out), eb)
    return IntMatrix.from_dyadic((W, eW), b), (C_out, *outs)

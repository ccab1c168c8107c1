"""The exact assembler behind every importer: a value tensor tracked as an affine map of
the last hidden layer, sparse until a ReLU layer is emitted.

Importers (:mod:`relugeom.interop.torch_io`, :mod:`relugeom.interop.onnx_io`) translate each
layer into one of three moves on a :class:`Builder`:

* ``affine(rows, bias, shape)``: the value becomes ``M v + c`` (a Linear, a convolution,
  an average pool, a folded batch norm, a reshape); composed exactly, sparse row by row;
* ``blocks([(net, indices), ...], shape)``: small exact ReLU networks read the listed
  entries of the value and their outputs are concatenated (an activation per unit, a max
  gadget per pooling window, a residual block); their hidden layers are emitted;
* ``result()``: the assembled :class:`~relugeom.network.ReLUNetwork`.

Every dense layer is size-checked against the limit ``max_matrix_entries`` before it is
built (:func:`relugeom.config.check_size`).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError

__all__ = ["Builder", "relu_block", "pl_block", "conv_rows", "pool_windows", "numel",
           "batchnorm_fold", "avgpool", "maxpool", "clip"]

Row = dict[int, Fraction]
_ZERO = Fraction(0)
_ONE = Fraction(1)


def numel(shape: Sequence[int]) -> int:
    """Number of entries of a tensor of ``shape`` (no batch dimension)."""
    return math.prod(shape)


class Builder:
    """The value of the network so far, as ``pending(h)`` of the last hidden vector ``h``.

    ``layers`` are the emitted affine maps (dense rows of Fractions, a ReLU after each);
    ``pending`` is a list of sparse rows ``{column: coefficient}`` with a bias per row.
    """

    def __init__(self, shape: Sequence[int], what: str):
        from ..numbers.rational import short
        try:
            shape = tuple(shape)
        except TypeError:
            raise DimensionError(f"{what}: input_shape must be a tuple of positive integers, "
                                 f"got {short(shape)}") from None
        if not shape or any(isinstance(s, bool) or not isinstance(s, (int, np.integer)) or
                            s < 1 for s in shape):
            raise DimensionError(f"{what}: input_shape must be a tuple of positive integers, "
                                 f"got {short(shape)}")
        shape = tuple(int(s) for s in shape)
        self.what = what
        self.shape = shape
        self.n_in = numel(shape)
        self.cols = self.n_in                       # length of h
        self.rows: list[Row] = [{i: _ONE} for i in range(self.n_in)]
        self.bias: list[Fraction] = [_ZERO] * self.n_in
        self.layers: list[tuple[tuple[tuple[Fraction, ...], ...], tuple[Fraction, ...]]] = []

    # ------------------------------------------------------------------ moves
    def reshape(self, shape: Sequence[int]) -> None:
        shape = tuple(int(s) for s in shape)
        if numel(shape) != numel(self.shape):
            raise DimensionError(f"{self.what}: cannot reshape {self.shape} to {shape}")
        self.shape = shape

    def affine(self, rows: Sequence[Row], bias: Sequence[Fraction], shape: Sequence[int]
               ) -> None:
        """The value becomes ``rows . value + bias`` (rows sparse over value entries)."""
        new_rows: list[Row] = []
        new_bias: list[Fraction] = []
        old_rows, old_bias = self.rows, self.bias
        for r, c in zip(rows, bias):
            acc: Row = {}
            b = c
            for j, m in r.items():
                if not m:
                    continue
                b += m * old_bias[j]
                for k, a in old_rows[j].items():
                    acc[k] = acc.get(k, _ZERO) + m * a
            new_rows.append({k: v for k, v in acc.items() if v})
            new_bias.append(b)
        self.rows, self.bias = new_rows, new_bias
        self.reshape_to(shape, len(new_rows))

    def reshape_to(self, shape: Sequence[int], n: int) -> None:
        shape = tuple(int(s) for s in shape)
        if numel(shape) != n:
            raise DimensionError(f"{self.what}: internal shape {shape} for {n} entries")
        self.shape = shape

    def _emit(self, rows: list[Row], bias: list[Fraction]) -> None:
        check_size("max_matrix_entries", len(rows) * self.cols,
                   f"{self.what}: a dense hidden layer of {len(rows)} x {self.cols}")
        dense = []
        for r in rows:
            full = [_ZERO] * self.cols
            for k, v in r.items():
                full[k] = v
            dense.append(tuple(full))
        self.layers.append((tuple(dense), tuple(bias)))
        self.cols = len(rows)

    def blocks(self, blocks: Sequence[tuple[Any, Sequence[int]]], shape: Sequence[int]
               ) -> None:
        """Apply exact ReLU networks to parts of the value; outputs concatenated in order.

        Each ``(net, indices)`` reads the value entries ``indices`` (``net.n_inputs`` of
        them). All networks must have the same depth (pad with identity blocks first).
        """
        if not blocks:
            raise DimensionError(f"{self.what}: an activation with no units")
        depth = blocks[0][0].depth
        if any(net.depth != depth for net, _ in blocks):
            raise DimensionError(f"{self.what}: internal: blocks of different depths")
        if depth == 1:        # affine blocks
            rows, bias = [], []
            for net, idx in blocks:
                W, b = net.layers[0]
                for wr, bi in zip(W, b):
                    rows.append({idx[j]: w for j, w in enumerate(wr) if w})
                    bias.append(bi)
            self.affine(rows, bias, shape)
            return
        # first layer: compose with the pending map, emit
        rows, bias = [], []
        for net, idx in blocks:
            W, b = net.layers[0]
            for wr, bi in zip(W, b):
                rows.append({idx[j]: w for j, w in enumerate(wr) if w})
                bias.append(bi)
        self.affine(rows, bias, (len(rows),))
        self._emit(self.rows, self.bias)
        # hidden layers: block diagonal
        for li in range(1, depth):
            rows, bias = [], []
            off = 0
            for net, _ in blocks:
                W, b = net.layers[li]
                for wr, bi in zip(W, b):
                    rows.append({off + j: w for j, w in enumerate(wr) if w})
                    bias.append(bi)
                off += len(net.layers[li][0][0])
            if li < depth - 1:
                self._emit(rows, bias)
            else:
                self.rows, self.bias = rows, bias
        self.reshape_to(shape, len(self.rows))

    def add_residual(self, inner: "Builder") -> None:
        """The value becomes ``value + g(value)``, ``g`` the network built in ``inner``
        (started from this value's shape). The skip is carried through g's hidden layers
        as ``relu(x) - relu(-x)``, or as ``relu(x)`` when the value is a nonnegative
        combination of the last ReLU layer's outputs."""
        from ..networks.network import ReLUNetwork, sum_networks
        if inner.shape != self.shape:
            raise DimensionError(f"{self.what}: a residual block maps shape {self.shape} "
                                 f"to {inner.shape}; x + f(x) needs equal shapes")
        g = inner.result()
        n = numel(self.shape)
        eye = tuple(tuple(Fraction(int(i == j)) for j in range(n)) for i in range(n))
        zero = (_ZERO,) * n
        if self.layers and all(v >= 0 for r in self.rows for v in r.values()) and \
                all(c >= 0 for c in self.bias):
            skip = ReLUNetwork._trusted([(eye, zero)] * g.depth)
        else:
            skip = ReLUNetwork._trusted([(eye, zero)])
        self.blocks([(sum_networks(g, skip), list(range(n)))], self.shape)

    def result(self) -> Any:
        from ..networks.network import ReLUNetwork
        check_size("max_matrix_entries", len(self.rows) * self.cols,
                   f"{self.what}: the dense output layer of {len(self.rows)} x {self.cols}")
        last = self.layers[:]
        dense = []
        for r in self.rows:
            full = [_ZERO] * self.cols
            for k, v in r.items():
                full[k] = v
            dense.append(tuple(full))
        last.append((tuple(dense), tuple(self.bias)))
        return ReLUNetwork._trusted(last)

    # ------------------------------------------------------------------ helpers
    def unitwise(self, make: Any) -> None:
        """An activation applied entry by entry: ``make(i)`` gives the one-input network
        for value entry ``i`` (the same depth for all)."""
        n = len(self.rows)
        self.blocks([(make(i), (i,)) for i in range(n)], self.shape)


def relu_block() -> Any:
    """relu as a one-input network of depth 2."""
    from ..networks.network import ReLUNetwork
    return ReLUNetwork._trusted([(((_ONE,),), (_ZERO,)), (((_ONE,),), (_ZERO,))])


def pl_block(const: Fraction, terms: Iterable[tuple[Fraction, Fraction, Fraction]]) -> Any:
    """``x -> const + sum_k c_k relu(s_k x + t_k)`` as a one-input network of depth 2."""
    from ..networks.network import ReLUNetwork
    terms = list(terms)
    W1 = tuple((Fraction(s),) for _, s, _ in terms)
    b1 = tuple(Fraction(t) for _, _, t in terms)
    W2 = (tuple(Fraction(c) for c, _, _ in terms),)
    return ReLUNetwork._trusted([(W1, b1), (W2, (Fraction(const),))])


def _out_size(n: int, k: int, s: int, p0: int, p1: int, d: int, what: str) -> int:
    span = d * (k - 1) + 1
    if n + p0 + p1 < span:
        raise DimensionError(f"{what}: the kernel span {span} exceeds the padded input "
                             f"size {n + p0 + p1}")
    return (n + p0 + p1 - span) // s + 1


def pool_windows(spatial: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
                 pads: Sequence[tuple[int, int]], dilation: Sequence[int], what: str
                 ) -> tuple[tuple[int, ...], list[tuple[list[int], int]]]:
    """Output spatial shape, and per output position the flat spatial input indices of its
    window that lie inside the input, with the full window size."""
    outs = tuple(_out_size(n, k, s, p[0], p[1], d, what)
                 for n, k, s, p, d in zip(spatial, kernel, stride, pads, dilation))
    windows: list[tuple[list[int], int]] = []
    full = math.prod(kernel)
    strides = [math.prod(spatial[i + 1:]) for i in range(len(spatial))]
    import itertools
    for opos in itertools.product(*(range(o) for o in outs)):
        idx = []
        for kpos in itertools.product(*(range(k) for k in kernel)):
            flat = 0
            ok = True
            for o, kk, s, p, d, n, st in zip(opos, kpos, stride, pads, dilation, spatial,
                                            strides):
                x = o * s - p[0] + kk * d
                if not 0 <= x < n:
                    ok = False
                    break
                flat += x * st
            if ok:
                idx.append(flat)
        windows.append((idx, full))
    return outs, windows


def conv_rows(in_shape: Sequence[int], weight: Any, bias: Any, stride: Sequence[int],
              pads: Sequence[tuple[int, int]], dilation: Sequence[int], groups: int,
              what: str) -> tuple[list[Row], list[Fraction], tuple[int, ...]]:
    """Sparse exact rows of a convolution (cross-correlation, zero padding).

    ``weight`` is a nested list of Fractions of shape (C_out, C_in/groups, *kernel).
    """
    import itertools
    C_in, spatial = in_shape[0], tuple(in_shape[1:])
    C_out = len(weight)
    if C_in % groups or C_out % groups:
        raise DimensionError(f"{what}: {C_in} input and {C_out} output channels are not "
                             f"divisible by groups={groups}")
    cpg_in, cpg_out = C_in // groups, C_out // groups
    kernel = _kernel_shape(weight[0][0]) if weight else ()
    if len(weight[0]) != cpg_in:
        raise DimensionError(f"{what}: weight expects {len(weight[0]) * groups} input "
                             f"channels, the input has {C_in}")
    outs = tuple(_out_size(n, k, s, p[0], p[1], d, what)
                 for n, k, s, p, d in zip(spatial, kernel, stride, pads, dilation))
    n_sp = math.prod(spatial)
    check_size("max_matrix_entries", C_out * math.prod(outs) * C_in * n_sp,
               f"{what}: a dense {C_out * math.prod(outs)} x {C_in * n_sp} map")
    sp_strides = [math.prod(spatial[i + 1:]) for i in range(len(spatial))]
    rows: list[Row] = []
    bvec: list[Fraction] = []
    kpositions = list(itertools.product(*(range(k) for k in kernel)))
    for co in range(C_out):
        g = co // cpg_out
        wco = weight[co]
        for opos in itertools.product(*(range(o) for o in outs)):
            row: Row = {}
            for kpos in kpositions:
                flat = 0
                ok = True
                for o, kk, s, p, d, n, st in zip(opos, kpos, stride, pads, dilation, spatial,
                                                sp_strides):
                    x = o * s - p[0] + kk * d
                    if not 0 <= x < n:
                        ok = False
                        break
                    flat += x * st
                if not ok:
                    continue
                for ci in range(cpg_in):
                    w = wco[ci]
                    for kk in kpos:
                        w = w[kk]
                    if w:
                        key = (g * cpg_in + ci) * n_sp + flat
                        row[key] = row.get(key, _ZERO) + w
            rows.append(row)
            bvec.append(bias[co] if bias is not None else _ZERO)
    return rows, bvec, (C_out, *outs)


def _kernel_shape(w: Any) -> tuple[int, ...]:
    shape = []
    while isinstance(w, (list, tuple)):
        shape.append(len(w))
        w = w[0]
    return tuple(shape)


# ---------------------------------------------------------------------- shared layers
def batchnorm_fold(B: Builder, mean: Sequence[Fraction], var: Sequence[Fraction],
                   eps: Fraction, gamma: Sequence[Fraction], beta: Sequence[Fraction],
                   mode: str) -> None:
    """Fold ``gamma (x - mean) / sqrt(var + eps) + beta`` per channel (axis 0 of the value)
    into the pending affine map. ``mode='float64'``: an irrational scale becomes the
    float64 value of ``gamma / sqrt(var + eps)``; ``mode='exact'`` refuses it."""
    from ..errors import DomainError, NotExactError
    from ..numbers.rational import short
    if mode not in ("float64", "exact"):
        raise DomainError(f"{B.what}: batchnorm must be 'float64' or 'exact', got "
                          f"{short(mode)}")
    C = len(mean)
    if B.shape[0] != C:
        raise DimensionError(f"{B.what}: has {C} channels, the value has shape {B.shape}")
    scale, shift = [], []
    for c in range(C):
        v = var[c] + eps
        if v <= 0:
            raise DomainError(f"{B.what}: var + eps = {short(v)} at channel {c}, expected > 0")
        rn, rd = math.isqrt(v.numerator), math.isqrt(v.denominator)
        if rn * rn == v.numerator and rd * rd == v.denominator:
            sc = gamma[c] / Fraction(rn, rd)
        elif mode == "exact":
            raise NotExactError(f"{B.what}: sqrt(var + eps) = sqrt({short(v)}) at channel "
                                f"{c} is irrational; pass batchnorm='float64' to use the "
                                f"float64 value of the scale")
        else:
            sc = Fraction(float(gamma[c]) / math.sqrt(float(v)))
        scale.append(sc)
        shift.append(beta[c] - sc * mean[c])
    per = numel(B.shape[1:])
    rows = [{i: scale[i // per]} for i in range(C * per)]
    B.affine(rows, [shift[i // per] for i in range(C * per)], B.shape)


def _check_spatial(B: Builder, k: int) -> None:
    if len(B.shape) != k + 1:
        raise DimensionError(f"{B.what}: expects a value of shape (C, {k} spatial dims), "
                             f"got {B.shape}; pass input_shape=")


def avgpool(B: Builder, kernel: Sequence[int], stride: Sequence[int],
            pads: Sequence[tuple[int, int]], count_include_pad: bool,
            divisor: int | None = None) -> None:
    """Average pooling as an exact sparse linear map (floor mode)."""
    from ..errors import DomainError
    _check_spatial(B, len(kernel))
    outs, windows = pool_windows(B.shape[1:], kernel, stride, pads, (1,) * len(kernel),
                                 B.what)
    C, n_sp = B.shape[0], numel(B.shape[1:])
    check_size("max_matrix_entries", C * len(windows) * C * n_sp,
               f"{B.what}: a dense {C * len(windows)} x {C * n_sp} map")
    rows = []
    for c in range(C):
        for idx, full in windows:
            d = divisor if divisor else (full if count_include_pad else len(idx))
            if d == 0 or not idx:
                raise DomainError(f"{B.what}: a pooling window with no input entries")
            w = Fraction(1, d)
            rows.append({c * n_sp + i: w for i in idx})
    B.affine(rows, [_ZERO] * len(rows), (C, *outs))


def maxpool(B: Builder, kernel: Sequence[int], stride: Sequence[int],
            pads: Sequence[tuple[int, int]], dilation: Sequence[int]) -> None:
    """Max pooling through the max gadget (Lemma D.3), one per window (floor mode)."""
    from ..errors import DomainError
    from ..networks.network import ReLUNetwork, _pad, maximum_network
    _check_spatial(B, len(kernel))
    outs, windows = pool_windows(B.shape[1:], kernel, stride, pads, dilation, B.what)
    C, n_sp = B.shape[0], numel(B.shape[1:])
    check_size("max_matrix_entries", C * len(windows) * 4 * max(len(w[0]) for w in windows)
               * B.cols, f"{B.what}: max gadgets of {C * len(windows)} windows")
    cache: dict[int, Any] = {}

    def gadget(m: int) -> Any:
        if m not in cache:
            sel = [ReLUNetwork._trusted([((tuple(Fraction(int(j == i)) for j in range(m)),),
                                          (_ZERO,))]) for i in range(m)]
            cache[m] = maximum_network(*sel)
        return cache[m]

    if any(not idx for idx, _ in windows):
        raise DomainError(f"{B.what}: a pooling window with no input entries")
    depth = max(gadget(len(idx)).depth for idx, _ in windows)
    blocks = [(_pad(gadget(len(idx)), depth), [c * n_sp + i for i in idx])
              for c in range(C) for idx, _ in windows]
    B.blocks(blocks, (C, *outs))


def clip(B: Builder, lo: Fraction | None, hi: Fraction | None) -> None:
    """``min(max(x, lo), hi)`` entry by entry, with ReLUs (either bound may be None)."""
    from ..errors import DomainError
    from ..numbers.rational import short
    if lo is not None and hi is not None:
        if not lo < hi:
            raise DomainError(f"{B.what}: the lower bound {short(lo)} must be below the "
                              f"upper bound {short(hi)}")
        blk = pl_block(lo, [(1, 1, -lo), (-1, 1, -hi)])
    elif lo is not None:
        blk = pl_block(lo, [(1, 1, -lo)])
    elif hi is not None:
        blk = pl_block(hi, [(-1, -1, hi)])
    else:
        return
    B.unitwise(lambda i: blk)

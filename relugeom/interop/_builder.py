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

from ..config import check_size, get_limit
from ..numbers.dyadic import IntMatrix, _narrow, fractions_of, int_matmul, ints_of, maxabs
from ..errors import DimensionError

__all__ = ["Builder", "relu_block", "pl_block", "conv_rows", "pool_windows", "numel",
           "pool_out_shape",
           "batchnorm_fold", "avgpool", "maxpool", "clip"]

Row = dict[int, Fraction]
_SAFE = 1 << 62
_ZERO = Fraction(0)
_ONE = Fraction(1)


def numel(shape: Sequence[int]) -> int:
    """Number of entries of a tensor of ``shape`` (no batch dimension)."""
    return math.prod(shape)


class Builder:
    """The value of the network so far, as ``pending(h)`` of the last hidden vector ``h``.

    ``layers`` are the emitted affine maps (a ReLU after each): exact integer layers
    (:class:`~relugeom.numbers.dyadic.IntMatrix`) or dense rows of Fractions. The pending
    map is one of three forms, so that no move costs more than it must:

    * ``"id"``: the identity (at the start and after every ReLU); a layer arriving on it
      becomes the pending map as it is, never multiplied;
    * ``"dense"``: an :class:`~relugeom.numbers.dyadic.IntMatrix` (Linear, Gemm, MatMul),
      composed with integer matrix products;
    * ``"sparse"``: rows ``{column: Fraction}`` and a bias (convolutions, pools, blocks).
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
        check_size("max_matrix_entries", numel(shape),
                   f"{what}: an input of shape {shape} (the first layer has a column per "
                   f"input entry)")
        self.what = what
        self.shape = shape
        self.n_in = numel(shape)
        self.cols = self.n_in                       # length of h
        self.kind = "id"
        self.dense: IntMatrix | None = None
        self._rows: list[Row] = []
        self._bias: list[Fraction] = []
        self.layers: list[Any] = []

    # ------------------------------------------------------------------ forms
    @property
    def rows(self) -> list[Row]:
        """The pending map as sparse rows (converted on demand)."""
        self._to_sparse()
        return self._rows

    @property
    def bias(self) -> list[Fraction]:
        self._to_sparse()
        return self._bias

    def _to_sparse(self) -> None:
        if self.kind == "sparse":
            return
        m = numel(self.shape)
        if self.kind == "id":
            self._rows, self._bias = [{i: _ONE} for i in range(m)], [_ZERO] * m
        else:
            W, b, D = self.dense
            self._rows = []
            for row in W:
                nz = np.flatnonzero(row)
                self._rows.append(dict(zip(nz.tolist(), fractions_of(row[nz], D))))
            self._bias = list(fractions_of(b, D))
            self.dense = None
        self.kind = "sparse"

    def _to_dense(self) -> IntMatrix:
        """The pending map as an IntMatrix (size-checked by the caller)."""
        if self.kind == "dense":
            return self.dense
        m = numel(self.shape)
        if self.kind == "id":
            return IntMatrix(np.eye(m, dtype=np.int64), np.zeros(m, dtype=np.int64), 1)
        return _sparse_to_int(self._rows, self._bias, self.cols)

    def _dense_ok(self, m_new: int) -> bool:
        return m_new * self.cols <= get_limit("max_matrix_entries")

    # ------------------------------------------------------------------ moves
    def reshape(self, shape: Sequence[int]) -> None:
        shape = tuple(int(s) for s in shape)
        if numel(shape) != numel(self.shape):
            raise DimensionError(f"{self.what}: cannot reshape {self.shape} to {shape}")
        self.shape = shape

    def linear(self, L: IntMatrix, shape: Sequence[int]) -> None:
        """The value becomes ``(L.W value + L.b) / L.D`` (dense, over the value entries);
        the caller has size-checked ``L``."""
        m_new = L.W.shape[0]
        check_size("max_matrix_entries", m_new * self.cols,
                   f"{self.what}: a dense map of {m_new} x {self.cols}")
        if self.kind == "id":
            self.dense, self.kind = L, "dense"
        elif self.kind == "dense":
            self.dense = _compose(L, self.dense)
        elif self._dense_ok(numel(self.shape)):
            self.dense = _dense_times_sparse(L, self._rows, self._bias, self.cols)
            self.kind, self._rows, self._bias = "dense", [], []
        else:
            W, b = L.fractions()
            self.affine([{j: w for j, w in enumerate(r) if w} for r in W], list(b), shape)
            return
        self.reshape_to(shape, m_new)

    def affine(self, rows: Sequence[Row], bias: Sequence[Fraction], shape: Sequence[int]
               ) -> None:
        """The value becomes ``rows . value + bias`` (rows sparse over value entries)."""
        if self.kind == "id":
            self._rows = [{k: v for k, v in r.items() if v} for r in rows]
            self._bias, self.kind = list(bias), "sparse"
        elif self.kind == "dense" and self._dense_ok(len(rows)) and \
                self._dense_ok(sum(len(r) for r in rows)):
            self.dense = _sparse_times_dense(rows, bias, self.dense)
        else:
            self._compose_sparse(rows, bias)
        self.reshape_to(shape, len(rows))

    def _compose_sparse(self, rows: Sequence[Row], bias: Sequence[Fraction]) -> None:
        old_rows, old_bias = self.rows, self.bias
        new_rows: list[Row] = []
        new_bias: list[Fraction] = []
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
        self._rows, self._bias = new_rows, new_bias

    def reshape_to(self, shape: Sequence[int], n: int) -> None:
        shape = tuple(int(s) for s in shape)
        if numel(shape) != n:
            raise DimensionError(f"{self.what}: internal shape {shape} for {n} entries")
        self.shape = shape

    def _emit(self, rows: list[Row], bias: list[Fraction]) -> None:
        check_size("max_matrix_entries", len(rows) * self.cols,
                   f"{self.what}: a dense hidden layer of {len(rows)} x {self.cols}")
        self.layers.append(_sparse_to_int(rows, bias, self.cols))
        self.cols = len(rows)

    def _emit_pending(self) -> None:
        """Emit the pending map as a hidden layer; the pending map becomes the identity."""
        m = numel(self.shape)
        if self.kind == "sparse":
            self._emit(self._rows, self._bias)
        else:
            check_size("max_matrix_entries", m * self.cols,
                       f"{self.what}: a dense hidden layer of {m} x {self.cols}")
            self.layers.append(self._to_dense())
            self.cols = m
        self.kind, self.dense, self._rows, self._bias = "id", None, [], []

    def relu(self) -> None:
        """relu entry by entry: the pending map is emitted as a hidden layer."""
        if numel(self.shape) == 0:
            raise DimensionError(f"{self.what}: an activation with no units")
        self._emit_pending()

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
        rows, bias = [], []
        for net, idx in blocks:
            W, b = net.layers[0]
            for wr, bi in zip(W, b):
                rows.append({idx[j]: w for j, w in enumerate(wr) if w})
                bias.append(bi)
        if depth == 1:        # affine blocks
            self.affine(rows, bias, shape)
            return
        # first layer: compose with the pending map, emit
        self.affine(rows, bias, (len(rows),))
        self._emit_pending()
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
                self._rows, self._bias, self.kind = rows, bias, "sparse"
        self.reshape_to(shape, len(self._rows))

    def _pending_nonnegative(self) -> bool:
        if self.kind == "id":
            return True
        if self.kind == "dense":
            W, b, _ = self.dense
            return bool((W >= 0).all() and (b >= 0).all())
        return all(v >= 0 for r in self._rows for v in r.values()) and \
            all(c >= 0 for c in self._bias)

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
        if self.layers and self._pending_nonnegative():
            skip = ReLUNetwork._trusted([(eye, zero)] * g.depth)
        else:
            skip = ReLUNetwork._trusted([(eye, zero)])
        self.blocks([(sum_networks(g, skip), list(range(n)))], self.shape)

    def result(self) -> Any:
        from ..networks.network import ReLUNetwork
        m = numel(self.shape)
        check_size("max_matrix_entries", m * self.cols,
                   f"{self.what}: the dense output layer of {m} x {self.cols}")
        if self.kind == "sparse":
            last = [*self.layers, _sparse_to_int(self._rows, self._bias, self.cols)]
        else:
            last = [*self.layers, self._to_dense()]
        return ReLUNetwork._from_integer(last)

    # ------------------------------------------------------------------ helpers
    def unitwise(self, make: Any) -> None:
        """An activation applied entry by entry: ``make(i)`` gives the one-input network
        for value entry ``i`` (the same depth for all)."""
        n = numel(self.shape)
        self.blocks([(make(i), (i,)) for i in range(n)], self.shape)


def _sparse_to_int(rows: Sequence[Row], bias: Sequence[Fraction], cols: int
                   ) -> IntMatrix:
    """Sparse Fraction rows as a dense IntMatrix over their least common denominator."""
    ri, cj, vals = _coo(rows)
    num, D = ints_of([*vals, *bias])
    W = np.zeros((len(rows), cols), dtype=num.dtype)
    if vals:
        W[np.array(ri, dtype=np.intp), np.array(cj, dtype=np.intp)] = num[:len(vals)]
    return IntMatrix(W, num[len(vals):].copy(), D)


def _coo(rows: Sequence[Row]) -> tuple[list[int], list[int], list[Fraction]]:
    ri, cj, vals = [], [], []
    for i, r in enumerate(rows):
        for j, v in r.items():
            if v:
                ri.append(i)
                cj.append(j)
                vals.append(v)
    return ri, cj, vals


def _dense_times_sparse(L: IntMatrix, rows: Sequence[Row], bias: Sequence[Fraction],
                        cols: int) -> IntMatrix:
    """A dense IntMatrix composed with sparse Fraction rows: one scatter-add per chunk of
    the rows' nonzero coefficients (m x nnz work, not m x n x cols)."""
    ri, cj, vals = _coo(rows)
    num, Dp = ints_of([*vals, *bias])
    coef, pb = num[:len(vals)], num[len(vals):]
    ri_a, cj_a = np.array(ri, dtype=np.intp), np.array(cj, dtype=np.intp)
    per_col = int(np.bincount(cj_a).max()) if len(cj) else 0
    obj = (coef.dtype == object or L.W.dtype == object or
           maxabs(coef) * maxabs(L.W) * max(per_col, 1) >= _SAFE)
    dt = object if obj else np.int64
    Wt = np.zeros((cols, L.W.shape[0]), dtype=dt)
    LW, c = L.W.astype(dt), coef.astype(dt)
    step = max(1, 4_000_000 // max(L.W.shape[0], 1))
    for s0 in range(0, len(ri), step):
        sl = slice(s0, s0 + step)
        np.add.at(Wt, cj_a[sl], (LW[:, ri_a[sl]] * c[sl]).T)
    b = _add(int_matmul(L.W, pb[:, None])[:, 0], _scale(L.b, Dp))
    return _reduce_twos(IntMatrix(_narrow(np.ascontiguousarray(Wt.T)), _narrow(b), L.D * Dp))


def _compose(L: IntMatrix, P: IntMatrix) -> IntMatrix:
    """``L o P``: ``(L.W (P.W x + P.b) / P.D + L.b) / L.D``, exact."""
    W = int_matmul(L.W, P.W)
    b = _narrow(_add(int_matmul(L.W, P.b[:, None])[:, 0], _scale(L.b, P.D)))
    return _reduce_twos(IntMatrix(W, b, L.D * P.D))


def _scale(a: np.ndarray, k: int) -> np.ndarray:
    if a.dtype != object and maxabs(a) * k < _SAFE:
        return a * k
    return a.astype(object) * k


def _add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype != object and b.dtype != object and maxabs(a) + maxabs(b) < _SAFE:
        return a + b
    return a.astype(object) + b.astype(object)


def _reduce_twos(L: IntMatrix) -> IntMatrix:
    """Cancel the common powers of two of the entries and the denominator."""
    W, b, D = L
    if D == 1 or W.dtype == object or b.dtype == object:
        return L
    t = (D & -D).bit_length() - 1
    acc = np.bitwise_or.reduce(np.concatenate([W.ravel(), b]), initial=0)
    if acc:
        t = min(t, (int(acc) & -int(acc)).bit_length() - 1)
    if t == 0:
        return L
    return IntMatrix(W >> t, b >> t, D >> t)


def _sparse_times_dense(rows: Sequence[Row], bias: Sequence[Fraction], P: IntMatrix
                        ) -> IntMatrix:
    """Sparse Fraction rows composed with a dense IntMatrix: one gather and one
    scatter-add over the nonzero coefficients."""
    ri, cj, vals = _coo(rows)
    num, L = ints_of([*vals, *bias])
    coef, bnum = num[:len(vals)], num[len(vals):]
    ri_a, cj_a = np.array(ri, dtype=np.intp), np.array(cj, dtype=np.intp)
    per_row = int(np.bincount(ri_a).max()) if len(ri) else 0
    obj = (coef.dtype == object or P.W.dtype == object or P.b.dtype == object or
           maxabs(coef) * max(maxabs(P.W), maxabs(P.b)) * max(per_row, 1) +
           maxabs(bnum) * P.D >= _SAFE)
    dt = object if obj else np.int64
    W = np.zeros((len(rows), P.W.shape[1]), dtype=dt)
    b = np.zeros(len(rows), dtype=dt)
    if len(ri):
        c = coef.astype(dt)
        np.add.at(W, ri_a, c[:, None] * P.W[cj_a].astype(dt))
        np.add.at(b, ri_a, c * P.b[cj_a].astype(dt))
    b = b + bnum.astype(dt) * P.D
    return _reduce_twos(IntMatrix(_narrow(W), _narrow(b), L * P.D))


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


def pool_out_shape(spatial: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
                   pads: Sequence[tuple[int, int]], dilation: Sequence[int], what: str
                   ) -> tuple[int, ...]:
    """The output spatial shape of a pooling or convolution window, from the shapes alone
    (every parameter checked: kernel, stride, dilation >= 1, pads >= 0)."""
    from ..errors import DomainError
    k = len(spatial)
    for name, vals, lo in (("kernel_shape", kernel, 1), ("strides", stride, 1),
                           ("dilations", dilation, 1)):
        if len(vals) != k or any(isinstance(v, bool) or not isinstance(v, (int, np.integer))
                                 or v < lo for v in vals):
            raise DomainError(f"{what}: {name} {list(vals)} must be {k} integers >= {lo}")
    if len(pads) != k or any(p < 0 for pp in pads for p in pp):
        raise DomainError(f"{what}: pads {list(pads)} must be {k} pairs of integers >= 0")
    return tuple(_out_size(n, kk, s, p[0], p[1], d, what)
                 for n, kk, s, p, d in zip(spatial, kernel, stride, pads, dilation))


def pool_windows(spatial: Sequence[int], kernel: Sequence[int], stride: Sequence[int],
                 pads: Sequence[tuple[int, int]], dilation: Sequence[int], what: str
                 ) -> tuple[tuple[int, ...], list[tuple[list[int], int]]]:
    """Output spatial shape, and per output position the flat spatial input indices of its
    window that lie inside the input, with the full window size (the work, outputs times
    kernel positions, is size-checked first)."""
    outs = pool_out_shape(spatial, kernel, stride, pads, dilation, what)
    full = math.prod(kernel)
    check_size("max_matrix_entries", math.prod(outs) * full,
               f"{what}: {math.prod(outs)} pooling windows of {full} positions")
    windows: list[tuple[list[int], int]] = []
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
    outs = pool_out_shape(spatial, kernel, stride, pads, dilation, what)
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
    C, n_sp = B.shape[0], numel(B.shape[1:])
    outs = pool_out_shape(B.shape[1:], kernel, stride, pads, (1,) * len(kernel), B.what)
    check_size("max_matrix_entries", C * math.prod(outs) * C * n_sp,
               f"{B.what}: a dense {C * math.prod(outs)} x {C * n_sp} map")
    outs, windows = pool_windows(B.shape[1:], kernel, stride, pads, (1,) * len(kernel),
                                 B.what)
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
    C, n_sp = B.shape[0], numel(B.shape[1:])
    outs = pool_out_shape(B.shape[1:], kernel, stride, pads, dilation, B.what)
    check_size("max_matrix_entries", C * math.prod(outs) * 4 * min(math.prod(kernel), n_sp)
               * B.cols, f"{B.what}: max gadgets of {C * math.prod(outs)} windows")
    outs, windows = pool_windows(B.shape[1:], kernel, stride, pads, dilation, B.what)
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

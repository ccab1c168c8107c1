"""ONNX graphs in, exactly: ``from_onnx(path_or_model)``.

The graph must be a chain (with residual blocks): every computing node reads the running
value (the single graph input at first) and constants (initialisers or ``Constant`` nodes); the float constants
become the Fractions of their exact binary values. Supported ops (``SUPPORTED_OPS``):

* affine: ``Gemm``, ``MatMul``, ``Add``/``Sub``/``Mul``/``Div`` with a constant,
  ``Conv`` (zero padding), ``AveragePool``, ``BatchNormalization`` (as in
  :func:`relugeom.interop.torch_io.from_torch`, ``batchnorm=``), ``Flatten``, ``Reshape``
  (constant shape), ``Identity``, ``Dropout`` (inference: the identity);
* with ReLUs: ``Relu``, ``LeakyRelu``, ``Clip`` (HardTanh; either bound may be absent),
  ``MaxPool`` (max gadget);
* ``Constant`` nodes;
* residual blocks: a fork of the running value ``x`` whose one branch computes ``f(x)``
  and meets ``x`` again in ``Add(x, f(x))`` (as torch exports
  :class:`relugeom.interop.torch_io.Residual`).

Anything else is refused with the op name. Float attributes (``alpha`` of LeakyRelu,
``epsilon``) are float32 in ONNX and are taken at their exact value; NaN and infinite ones
are refused, except an infinite ``Clip`` bound on its own side, which means "no bound".
Weight matrices are read at numpy speed (integer mantissas over one power-of-two scale).

Before anything is converted the graph is checked: the default-domain opset lies in
``OPSETS``, every node has an output, every tensor name is assigned once, and there is no
cycle; tensor sizes are checked against the limit ``max_matrix_entries`` from their shapes.

External data: a model given as a path reads its external tensors from the model's folder
(or ``base_dir=``); a model given as bytes or an ``onnx.ModelProto`` has no folder, so its
external tensors are refused unless ``base_dir=`` names one. Either way the file must
resolve (symlinks followed) inside that folder and be a regular file large enough for the
tensor; nothing is ever read relative to the current directory.

>>> import onnx, relugeom as rg
>>> from onnx import helper, TensorProto
>>> W = helper.make_tensor("W", TensorProto.FLOAT, [2, 1], [1.0, -1.0])
>>> g = helper.make_graph([helper.make_node("Gemm", ["x", "W"], ["h"], transB=1),
...                        helper.make_node("Relu", ["h"], ["y"])], "g",
...                       [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1])],
...                       [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2])],
...                       initializer=[W])
>>> net = rg.ReLUNetwork.from_onnx(helper.make_model(g))
>>> net("-3/2")
(Fraction(0, 1), Fraction(3, 2))
"""
from __future__ import annotations

import math
import os
import stat
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ..config import check_size
from ..numbers.dyadic import IntMatrix, _narrow, dyadic, fraction_array, maxabs
from ..errors import DimensionError, DomainError, NotExactError, SerializationError
from ..numbers.rational import short
from ._builder import (Builder, avgpool, batchnorm_fold, clip, conv_rows, maxpool, numel,
                       pl_block)
from ._checks import finite_param
from ._conv import conv_matrix
from ._onnx_graph import check_graph, check_opset, read_tensor

__all__ = ["from_onnx", "SUPPORTED_OPS", "OPSETS"]

#: The default-domain opsets read (6 up to the newest the installed onnx knows).
OPSETS = (6, None)

SUPPORTED_OPS = ("Gemm", "MatMul", "Add", "Sub", "Mul", "Div", "Conv", "AveragePool",
                 "BatchNormalization", "Flatten", "Reshape", "Identity", "Dropout", "Relu",
                 "LeakyRelu", "Clip", "MaxPool", "Constant")

_SMOOTH = ("Tanh", "Sigmoid", "Gelu", "Elu", "Selu", "Softplus", "Softmax", "LogSoftmax",
           "HardSwish", "Mish", "Exp", "Log", "Sqrt", "Erf")


# binary float formats numpy lacks (ml_dtypes); each widens to float32 exactly
_NARROW_FLOATS = ("bfloat16", "float8_e4m3fn", "float8_e4m3fnuz", "float8_e5m2",
                  "float8_e5m2fnuz", "float4_e2m1fn")


def _real(a: Any, what: str) -> np.ndarray:
    a = np.asarray(a)
    if a.dtype.name in _NARROW_FLOATS:
        a = a.astype(np.float32)
    if a.dtype.kind not in "fiub":
        raise NotExactError(f"{what}: constant of dtype {a.dtype} is not numeric")
    return a


def _fr_array(a: np.ndarray, what: str) -> np.ndarray:
    """An object array of exact Fractions of a numeric array (floats: binary value)."""
    return fraction_array(*dyadic(_real(a, what), f"{what}: a constant"))


def _times(M: np.ndarray, k: int) -> np.ndarray:
    if M.dtype != object and maxabs(M) * abs(k) < 1 << 62:
        return M * k
    return _narrow(M.astype(object) * k)


def _int_matrix(W: np.ndarray, c: np.ndarray | None, alpha: Fraction, beta: Fraction,
                what: str) -> IntMatrix:
    """``alpha W`` and ``beta c`` as one exact IntMatrix (W: outputs x inputs)."""
    MW, eW = dyadic(_real(W, what), f"{what}: the weight")
    Mc, ec = dyadic(_real(c, what), f"{what}: the bias") if c is not None else \
        (np.zeros(W.shape[0], dtype=np.int64), eW)
    an, ad, bn, bd = alpha.numerator, alpha.denominator, beta.numerator, beta.denominator
    L = IntMatrix.from_dyadic((_times(MW, an * bd), eW), (_times(Mc, bn * ad), ec))
    return IntMatrix(L.W, L.b, L.D * ad * bd)


class _Graph:
    def __init__(self, model: Any, batchnorm: str, base_dir: str | None):
        self.g = model.graph
        self.batchnorm = batchnorm
        self.base_dir = base_dir
        self.consts: dict[str, np.ndarray] = {
            i.name: read_tensor(i, base_dir, f"from_onnx: initializer {i.name!r}")
            for i in self.g.initializer}

    def attrs(self, node: Any) -> dict[str, Any]:
        from onnx import helper
        return {a.name: helper.get_attribute_value(a) for a in node.attribute}

    def const(self, name: str, what: str) -> np.ndarray:
        if name not in self.consts:
            raise DomainError(f"{what}: input {name!r} must be a constant (initialiser or "
                              f"Constant node); only chains of one running value are "
                              f"supported")
        return self.consts[name]

    # ------------------------------------------------------------------ run
    def run(self, input_shape: Sequence[int] | None) -> Any:
        inputs = [i for i in self.g.input if i.name not in self.consts]
        if len(inputs) != 1:
            raise DimensionError(f"from_onnx: expected one graph input, got "
                                 f"{[i.name for i in inputs]}")
        if input_shape is None:
            dims = inputs[0].type.tensor_type.shape.dim
            shape = [d.dim_value if d.HasField("dim_value") else None for d in dims]
            if len(shape) < 2 or any(s is None or s < 1 for s in shape[1:]):
                raise DimensionError(f"from_onnx: the input {inputs[0].name!r} has shape "
                                     f"{shape}; pass input_shape= (without the batch "
                                     f"dimension)")
            input_shape = shape[1:]
        self.compute = []
        for k, node in enumerate(self.g.node):
            op = node.op_type
            where = f"from_onnx: node {k} ({op} {node.name!r})"
            if op == "Constant":
                vals = [at.t for at in node.attribute if at.name == "value"]
                if not vals:
                    raise DomainError(f"{where}: only tensor constants ('value') are "
                                      f"supported")
                self.consts[node.output[0]] = read_tensor(vals[0], self.base_dir, where)
                continue
            if op == "Identity" and node.input[0] in self.consts:   # an alias of a constant
                self.consts[node.output[0]] = self.consts[node.input[0]]
                continue
            if node.domain not in ("", "ai.onnx"):
                raise DomainError(f"{where}: op domain {node.domain!r} is not supported")
            if getattr(self, "op_" + op, None) is None:
                kind = NotExactError if op in _SMOOTH else DomainError
                raise kind(f"{where}: the op {op} is not supported; supported: "
                           f"{', '.join(SUPPORTED_OPS)}")
            self.compute.append((k, node))
        self.users: dict[str, list] = {}
        for k, node in self.compute:
            for name in dict.fromkeys(i for i in node.input if i and i not in self.consts):
                self.users.setdefault(name, []).append((k, node))
        B = Builder(tuple(input_shape), "from_onnx")
        cur = self.walk(B, inputs[0].name, None)
        outs = [o.name for o in self.g.output]
        if outs != [cur]:
            raise DomainError(f"from_onnx: the graph output {outs} is not the end of the "
                              f"chain {cur!r}")
        return B.result()

    def _dynamic(self, node: Any) -> list[str]:
        return [i for i in node.input if i and i not in self.consts]

    def _is_merge(self, node: Any) -> bool:
        return node.op_type == "Add" and len(self._dynamic(node)) == 2

    def apply(self, B: Builder, k: int, node: Any, cur: str) -> str:
        op = node.op_type
        B.what = f"from_onnx: node {k} ({op} {node.name!r})"
        dyn = self._dynamic(node)
        if dyn != [cur] or node.input[0] != cur and op not in ("Add", "Mul", "MatMul"):
            raise DomainError(f"{B.what}: reads {dyn}, expected exactly the running value "
                              f"{cur!r} (only chains and residual blocks x + f(x) are "
                              f"supported)")
        getattr(self, "op_" + op)(B, node, self.attrs(node), cur)
        return node.output[0]

    def walk(self, B: Builder, cur: str, stop: str | None) -> str:
        """Follow the chain from ``cur`` (until ``stop``); a fork whose one branch ends in
        ``Add(cur, branch)`` is a residual block."""
        while cur != stop:
            users = self.users.get(cur, [])
            if not users:
                if stop is not None:
                    raise DomainError(f"from_onnx: the branch from {cur!r} does not reach "
                                      f"{stop!r}")
                return cur
            if len(users) == 1:
                k, node = users[0]
                if self._is_merge(node):
                    raise DomainError(f"from_onnx: node {k} (Add {node.name!r}) adds two "
                                      f"computed tensors that do not form x + f(x)")
                cur = self.apply(B, k, node, cur)
                continue
            merges = [(k, n) for k, n in users if self._is_merge(n)]
            if len(users) != 2 or len(merges) != 1:
                raise DomainError(f"from_onnx: the tensor {cur!r} feeds {len(users)} nodes; "
                                  f"only chains and residual blocks x + f(x) are supported")
            (mk, merge), (bk, first) = merges[0], next(u for u in users if u is not merges[0])
            other = next(i for i in self._dynamic(merge) if i != cur)
            inner = Builder(B.shape, B.what)
            inner.what = f"from_onnx: residual body from {cur!r}"
            nxt = self.apply(inner, bk, first, cur)
            self.walk(inner, nxt, other)
            B.what = f"from_onnx: node {mk} (Add {merge.name!r}, residual)"
            B.add_residual(inner)
            cur = merge.output[0]
        return cur

    # ------------------------------------------------------------------ affine ops
    def op_Identity(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        pass

    op_Dropout = op_Identity

    def op_Flatten(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        axis = a.get("axis", 1) % (len(B.shape) + 1)
        if axis != 1:
            raise DomainError(f"{B.what}: Flatten with axis={a.get('axis')} would mix the "
                              f"batch dimension; only axis=1 is supported")
        B.reshape((numel(B.shape),))

    def op_Reshape(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        shape = [int(v) for v in self.const(node.input[1], B.what).ravel()]
        full = [1, *B.shape]
        new = [full[i] if v == 0 and not a.get("allowzero", 0) else v
               for i, v in enumerate(shape)]
        if new.count(-1) > 1:
            raise DimensionError(f"{B.what}: more than one -1 in shape {shape}")
        if -1 in new:
            rest = math.prod(v for v in new if v != -1)
            new[new.index(-1)] = numel(full) // rest if rest else 0
        if not new or new[0] != 1:
            raise DomainError(f"{B.what}: reshape {shape} changes the batch dimension")
        B.reshape(new[1:])

    def _matrix(self, B: Builder, W: np.ndarray, c: Any, out_shape: tuple) -> None:
        """value (..., K) -> value (..., N) = value W + c, W of shape (K, N)."""
        K, N = W.shape
        if B.shape[-1] != K:
            raise DimensionError(f"{B.what}: expects {K} features, the value has shape "
                                 f"{B.shape}")
        lead = numel(B.shape[:-1])
        cols = [[W[k][n] for k in range(K)] for n in range(N)]
        rows, bias = [], []
        for p in range(lead):
            for n in range(N):
                rows.append({p * K + k: w for k, w in enumerate(cols[n]) if w})
                bias.append(Fraction(0))
        B.affine(rows, bias, (*B.shape[:-1], N))
        if c is not None:
            self._add_const(B, c)

    def op_Gemm(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        if a.get("transA", 0):
            raise DomainError(f"{B.what}: transA=1 is not supported")
        if len(B.shape) != 1:
            raise DimensionError(f"{B.what}: Gemm needs a flat value, got shape {B.shape}")
        alpha = finite_param(a.get("alpha", 1.0), B.what, "alpha")
        beta = finite_param(a.get("beta", 1.0), B.what, "beta")
        W = self.const(node.input[1], B.what)
        if W.ndim != 2:
            raise DimensionError(f"{B.what}: the weight {node.input[1]!r} has shape "
                                 f"{W.shape}; Gemm needs a 2-D matrix")
        W = W if a.get("transB", 0) else W.T              # rows = outputs
        N, K = W.shape
        if B.shape[0] != K:
            raise DimensionError(f"{B.what}: expects {K} features, the value has shape "
                                 f"{B.shape}")
        check_size("max_matrix_entries", N * K, f"{B.what}: a dense {N} x {K} map")
        c = None
        if len(node.input) > 2 and node.input[2]:
            c = self.const(node.input[2], B.what)
            try:
                c = np.broadcast_to(c, (1, N)).reshape(N) if c.ndim <= 2 else None
            except ValueError:
                c = None
            if c is None:
                raise DimensionError(f"{B.what}: the bias {node.input[2]!r} does not "
                                     f"broadcast to {N} outputs")
        B.linear(_int_matrix(W, c, alpha, beta, B.what), (N,))

    def op_MatMul(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        if node.input[0] != cur:
            raise DomainError(f"{B.what}: only value @ constant is supported")
        Wa = self.const(node.input[1], B.what)
        if Wa.ndim != 2:
            raise DimensionError(f"{B.what}: the constant matrix has shape {Wa.shape}")
        K, N = Wa.shape
        lead = numel(B.shape[:-1])
        check_size("max_matrix_entries", lead * lead * N * K,
                   f"{B.what}: a dense {lead * N} x {lead * K} map")
        if lead == 1 and B.shape[-1] == K:
            B.linear(_int_matrix(Wa.T, None, Fraction(1), Fraction(1), B.what),
                     (*B.shape[:-1], N))
            return
        self._matrix(B, _fr_array(Wa, B.what), None, ())

    def _broadcast(self, B: Builder, c: np.ndarray) -> list[Fraction]:
        try:
            full = np.broadcast_to(c, (1, *B.shape)) if c.ndim > len(B.shape) else \
                np.broadcast_to(c, B.shape)
        except ValueError:
            raise DimensionError(f"{B.what}: a constant of shape {c.shape} does not "
                                 f"broadcast to the value shape {B.shape}") from None
        return list(full.reshape(-1))

    def _add_const(self, B: Builder, c: np.ndarray, sign: int = 1) -> None:
        vals = self._broadcast(B, c)
        n = numel(B.shape)
        B.affine([{i: Fraction(1)} for i in range(n)], [sign * v for v in vals], B.shape)

    def _scale_const(self, B: Builder, c: np.ndarray, inverse: bool) -> None:
        vals = self._broadcast(B, c)
        if inverse:
            if any(v == 0 for v in vals):
                raise DomainError(f"{B.what}: division by zero")
            vals = [1 / v for v in vals]
        n = numel(B.shape)
        B.affine([{i: vals[i]} for i in range(n)], [Fraction(0)] * n, B.shape)

    def _other(self, B: Builder, node: Any, cur: str) -> np.ndarray:
        other = node.input[1] if node.input[0] == cur else node.input[0]
        return _fr_array(self.const(other, B.what), B.what)

    def op_Add(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        self._add_const(B, self._other(B, node, cur))

    def op_Sub(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        self._add_const(B, self._other(B, node, cur), -1)

    def op_Mul(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        self._scale_const(B, self._other(B, node, cur), False)

    def op_Div(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        self._scale_const(B, self._other(B, node, cur), True)

    def _pads(self, B: Builder, a: dict, k: int, kernel: Sequence[int],
              dil: Sequence[int], stride: Sequence[int]) -> list[tuple[int, int]]:
        auto = a.get("auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        if auto in ("NOTSET", ""):
            p = list(a.get("pads", [0] * (2 * k)))
            return [(p[i], p[i + k]) for i in range(k)]
        if auto == "VALID":
            return [(0, 0)] * k
        pads = []
        for n, kk, d, s in zip(B.shape[1:], kernel, dil, stride):
            out = -(-n // s)
            tot = max(0, (out - 1) * s + d * (kk - 1) + 1 - n)
            lo = tot // 2 if auto == "SAME_UPPER" else tot - tot // 2
            pads.append((lo, tot - lo))
        return pads

    def op_Conv(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        Wa = self.const(node.input[1], B.what)
        k = Wa.ndim - 2
        if k < 1:
            raise DimensionError(f"{B.what}: the weight has shape {Wa.shape}; Conv needs "
                                 f"(C_out, C_in / group, *kernel)")
        if len(B.shape) != k + 1:
            raise DimensionError(f"{B.what}: expects a value of shape (C, {k} spatial "
                                 f"dims), got {B.shape}")
        kernel = tuple(Wa.shape[2:])
        dil = tuple(a.get("dilations", [1] * k))
        stride = tuple(a.get("strides", [1] * k))
        pads = self._pads(B, a, k, kernel, dil, stride)
        if B.kind == "id":                   # nothing to compose with: one dense map
            c = self.const(node.input[2], B.what) if len(node.input) > 2 and \
                node.input[2] else None
            L, shape = conv_matrix(B.shape, dyadic(_real(Wa, B.what), B.what),
                                   dyadic(_real(c, B.what), B.what) if c is not None
                                   else None, stride, pads, dil, int(a.get("group", 1)),
                                   B.what)
            B.linear(L, shape)
            return
        W = _fr_array(Wa, B.what)
        bias = None
        if len(node.input) > 2 and node.input[2]:
            bias = list(_fr_array(self.const(node.input[2], B.what), B.what).ravel())
        rows, b, shape = conv_rows(B.shape, W.tolist(), bias, stride, pads, dil,
                                   int(a.get("group", 1)), B.what)
        B.affine(rows, b, shape)

    def _pool(self, B: Builder, a: dict) -> tuple:
        if a.get("ceil_mode", 0):
            raise DomainError(f"{B.what}: ceil_mode=1 is not supported")
        if "kernel_shape" not in a:
            raise DomainError(f"{B.what}: the attribute kernel_shape is required")
        kernel = tuple(a["kernel_shape"])
        k = len(kernel)
        stride = tuple(a.get("strides", [1] * k))
        dil = tuple(a.get("dilations", [1] * k))
        return kernel, stride, self._pads(B, a, k, kernel, dil, stride), dil

    def op_AveragePool(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        kernel, stride, pads, dil = self._pool(B, a)
        if any(d != 1 for d in dil):
            raise DomainError(f"{B.what}: dilated average pooling is not supported")
        avgpool(B, kernel, stride, pads, bool(a.get("count_include_pad", 0)))

    def op_MaxPool(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        if len(node.output) > 1 and node.output[1]:
            raise DomainError(f"{B.what}: the Indices output is not supported")
        kernel, stride, pads, dil = self._pool(B, a)
        maxpool(B, kernel, stride, pads, dil)

    def op_BatchNormalization(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        if a.get("training_mode", 0):
            raise DomainError(f"{B.what}: training_mode=1 is not supported")
        if a.get("spatial", 1) != 1:
            raise DomainError(f"{B.what}: spatial=0 (statistics per entry) is not "
                              f"supported")
        gamma, beta, mean, var = (list(_fr_array(self.const(n, B.what), B.what).ravel())
                                  for n in node.input[1:5])
        eps = finite_param(a.get("epsilon", np.float32(1e-5)), B.what, "epsilon")
        batchnorm_fold(B, mean, var, eps, gamma, beta, self.batchnorm)

    # ------------------------------------------------------------------ activations
    def op_Relu(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        B.relu()

    def op_LeakyRelu(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        al = finite_param(a.get("alpha", np.float32(0.01)), B.what, "alpha")
        blk = pl_block(0, [(1, 1, 0), (-al, -1, 0)])
        B.unitwise(lambda i: blk)

    def op_Clip(self, B: Builder, node: Any, a: dict, cur: str) -> None:
        def bound(pos: int, key: str, absent: float) -> Fraction | None:
            if len(node.input) > pos and node.input[pos]:
                v = _real(self.const(node.input[pos], B.what), B.what).ravel()
                if v.size != 1:
                    raise DimensionError(f"{B.what}: Clip bounds must be scalars")
                return finite_param(v[0], B.what, key, absent=absent)
            if key in a:
                return finite_param(a[key], B.what, key, absent=absent)
            return None
        clip(B, bound(1, "min", -math.inf), bound(2, "max", math.inf))


def from_onnx(model: Any, *, input_shape: Sequence[int] | None = None,
              batchnorm: str = "float64", base_dir: str | os.PathLike | None = None) -> Any:
    """An exact :class:`~relugeom.network.ReLUNetwork` of an ONNX model (a path, bytes or
    an ``onnx.ModelProto``); see the module docstring for the supported ops, the checks
    made first and the external-data rule (``base_dir=``: the folder external tensors are
    read from; default: the model file's folder, none for bytes and ModelProto)."""
    from ._extras import require
    onnx = require("onnx", "onnx", "from_onnx")
    if base_dir is not None:
        base_dir = _folder(base_dir)
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        model = _load_path(onnx, path)
        if base_dir is None:
            base_dir = os.path.dirname(os.path.realpath(path))
    elif isinstance(model, (bytes, bytearray)):
        try:
            model = onnx.load_from_string(bytes(model))
        except Exception as exc:
            raise SerializationError(f"from_onnx: bytes are not an ONNX model "
                                     f"({type(exc).__name__})") from None
    if not isinstance(model, onnx.ModelProto):
        raise DomainError(f"from_onnx: expected a path, bytes or onnx.ModelProto, got "
                          f"{type(model).__name__}")
    check_opset(model, OPSETS)
    check_graph(model.graph)
    try:
        return _Graph(model, batchnorm, base_dir).run(input_shape)
    except onnx.checker.ValidationError as exc:
        raise SerializationError(f"from_onnx: the model is not valid ONNX "
                                 f"({short(str(exc), 200)})") from None


def _folder(base_dir: Any) -> str:
    if not isinstance(base_dir, (str, os.PathLike)):
        raise NotExactError(f"from_onnx: base_dir must be a path, got {short(base_dir)}")
    d = os.path.realpath(os.fspath(base_dir))
    if not os.path.isdir(d):
        raise SerializationError(f"from_onnx: base_dir {os.fspath(base_dir)!r} is not a "
                                 f"folder")
    return d


def _load_path(onnx: Any, path: str) -> Any:
    """The model file, a regular file only; its external data is read later, checked."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SerializationError(f"from_onnx: no such file {path!r}") from None
    except OSError as exc:
        raise SerializationError(f"from_onnx: cannot read {path!r} ({exc.strerror})"
                                 ) from None
    if not stat.S_ISREG(st.st_mode):
        raise SerializationError(f"from_onnx: {path!r} is not a regular file")
    try:
        return onnx.load(path, load_external_data=False)
    except Exception as exc:  # onnx raises DecodeError and others
        raise SerializationError(f"from_onnx: cannot read {path!r} as ONNX "
                                 f"({type(exc).__name__})") from None

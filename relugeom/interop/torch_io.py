"""PyTorch in and out, exactly: ``from_torch`` (many layer types) and ``to_torch``.

Every float parameter is read as its exact binary value, so the imported
:class:`~relugeom.network.ReLUNetwork` computes, exactly, the real-number function the
float model approximates. Weight matrices are read at numpy speed: integer mantissas and
one power-of-two scale per layer (:func:`relugeom.numbers.dyadic.dyadic`), no Python
object per weight; Identity, Flatten and Dropout are never multiplied in.

The module is read with eval-mode semantics (Dropout is the identity, BatchNorm uses its
running statistics), whatever its ``training`` flag: a BatchNorm left in training mode
normalises with the statistics of each batch, which is not a function of one input, so
its eval-mode function is imported and a ``UserWarning`` says so (call ``.eval()`` first
to silence it).

What is not the documented module semantics is refused, never imported as something
else: subclasses of ``nn.Sequential`` or :class:`Residual` that override ``forward`` (or
``__call__``, ``__iter__``), a ``forward`` set on an instance, forward hooks and forward
pre-hooks (on a module or global), complex parameters (:class:`NotExactError`), NaN or
infinite parameters, modules nested more than ``MAX_NESTING`` deep. Every size is checked
from the shapes before anything is read (the limit ``max_matrix_entries``).

Supported layers (``SUPPORTED``):

* affine: ``Linear`` (on the last dimension), ``Conv1d``, ``Conv2d`` (zero padding, any
  stride, dilation, groups), ``AvgPool1d``, ``AvgPool2d``, ``BatchNorm1d``,
  ``BatchNorm2d``, ``Flatten``, ``Unflatten``, ``Identity``, ``Dropout`` (all kinds);
  consecutive affine layers are merged exactly;
* piecewise-linear activations written with ReLUs: ``ReLU``, ``LeakyReLU`` and ``PReLU``
  (``relu(x) - a relu(-x)``), ``ReLU6`` and ``Hardtanh`` (``lo + relu(x - lo) -
  relu(x - hi)``), ``Hardsigmoid``, ``Softshrink``;
* ``MaxPool1d``, ``MaxPool2d`` through the max gadget of Lemma D.3
  (:func:`relugeom.maximum_network`), one per window;
* residual blocks: :class:`Residual` ``(body)`` computes ``x + body(x)``; so does any
  ``nn.Sequential`` with the attribute ``residual = True``. The skip connection is carried
  through the body's hidden layers as ``x = relu(x) - relu(-x)`` (2 units per entry and
  hidden layer), or as ``x = relu(x)`` (1 unit) when ``x`` is known to be nonnegative
  (a nonnegative combination of the previous ReLU layer's outputs);
* nested ``nn.Sequential``.

BatchNorm's scale ``gamma / sqrt(var + eps)`` is irrational in general: with
``batchnorm="float64"`` (default) it is the float64 value of that quotient (exact when
``var + eps`` is the square of a rational), with ``batchnorm="exact"`` a non-square
``var + eps`` is refused.

Inputs of convolutions and pools need a shape: pass ``input_shape=`` (without the batch
dimension, e.g. ``(1, 28, 28)``); for a stack starting with ``Linear`` it is read off.

>>> import torch, relugeom as rg
>>> m = torch.nn.Sequential(torch.nn.Linear(1, 2), torch.nn.LeakyReLU(0.25),
...                         torch.nn.Linear(2, 1))
>>> net = rg.ReLUNetwork.from_torch(m)
>>> net.widths
(4,)
"""
from __future__ import annotations

import math
import warnings
from fractions import Fraction
from typing import Any, Sequence

import numpy as np
import torch
from torch import nn

from ..config import check_size
from ..numbers.dyadic import IntMatrix, dyadic, dyadic_matrix, fraction_array
from ..errors import DimensionError, DomainError, NotExactError
from ..numbers.rational import short
from ._builder import (Builder, avgpool, batchnorm_fold, clip, conv_rows, maxpool, numel,
                       pl_block)
from ._checks import check_global_hooks, check_module_tree, finite_param
from ._conv import conv_matrix

__all__ = ["from_torch", "to_torch", "Residual", "SUPPORTED", "MAX_NESTING"]

#: Modules nested deeper than this are refused (torch's own forward recurses as deep).
MAX_NESTING = 100

SUPPORTED = ("Sequential", "Linear", "Conv1d", "Conv2d", "AvgPool1d", "AvgPool2d",
             "BatchNorm1d", "BatchNorm2d", "Flatten", "Unflatten", "Identity", "Dropout",
             "ReLU", "LeakyReLU", "PReLU", "ReLU6", "Hardtanh", "Hardsigmoid", "Softshrink",
             "MaxPool1d", "MaxPool2d", "Residual (or residual=True)")

_SMOOTH = ("Tanh", "Sigmoid", "GELU", "SiLU", "ELU", "SELU", "CELU", "Softplus", "Mish",
           "Hardswish", "Softmax", "LogSoftmax", "Softsign", "Tanhshrink", "LogSigmoid")


class Residual(nn.Module):
    """``x -> x + body(x)``: the residual-block convention of :func:`from_torch`.

    >>> import torch
    >>> blk = Residual(torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU(),
    ...                                    torch.nn.Linear(2, 2)))
    >>> blk(torch.zeros(1, 2)).shape
    torch.Size([1, 2])
    """

    def __init__(self, body: nn.Module):
        super().__init__()
        self.body = body

    def forward(self, x: torch.Tensor) -> torch.Tensor:  # noqa: D102
        return x + self.body(x)


# float formats numpy lacks; each widens to float32 exactly
_NARROW = (torch.bfloat16, *(getattr(torch, n) for n in dir(torch) if n.startswith("float8_")))


_PLAIN = (torch.float32, torch.float64, torch.float16)


def _array(t: Any, what: str = "from_torch") -> np.ndarray:
    """A tensor's values as a real numpy array, exactly (bfloat16 and float8 widen to
    float32 exactly); complex and meta tensors are refused."""
    if t.dtype in _PLAIN and t.device.type == "cpu":   # the usual case, checked first
        return t.detach().numpy()
    t = t.detach()
    if t.is_complex():
        raise NotExactError(f"{what}: a parameter is complex ({t.dtype}); only real "
                            f"weights have an exact real value")
    if t.device.type == "meta":
        raise DomainError(f"{what}: a parameter is on the meta device (it has no values)")
    if t.dtype in _NARROW:
        t = t.to(torch.float32)
    return t.cpu().numpy()


def _fr(t: Any, what: str = "from_torch") -> Any:
    """Exact Fractions of a tensor, as nested lists (the binary value of each); a Fraction
    for a 0-d tensor."""
    a = fraction_array(*dyadic(_array(t, what), f"{what}: a parameter"))
    return a.tolist() if a.ndim else a.item()


def _int_matrix(weight: Any, bias: Any, what: str) -> IntMatrix:
    """A Linear's weight and bias as one exact IntMatrix (a power-of-two denominator)."""
    return dyadic_matrix(_array(weight, what),
                         _array(bias, what) if bias is not None else None, what)


def _tuple(v: Any, k: int) -> tuple[int, ...]:
    return tuple(v) if isinstance(v, (tuple, list)) else (int(v),) * k


_BN = (nn.BatchNorm1d, nn.BatchNorm2d)


class _Torch:
    def __init__(self, batchnorm: str):
        if batchnorm not in ("float64", "exact"):
            raise DomainError(f"from_torch: batchnorm must be 'float64' or 'exact', got "
                              f"{short(batchnorm)}")
        self.batchnorm = batchnorm

    # ------------------------------------------------------------------ dispatch
    def run(self, B: Builder, mod: nn.Module, where: str) -> None:
        kind = type(mod)
        if kind is nn.Linear or kind is nn.ReLU:         # the usual layers, dispatched first
            B.what = f"from_torch: module {where or '0'} ({kind.__name__})"
            return self.do_Linear(B, mod) if kind is nn.Linear else B.relu()
        name = kind.__name__
        if isinstance(mod, _BN) and mod.training:
            warnings.warn(f"from_torch: module {where or '0'} ({name}) is in training mode; "
                          f"its eval-mode function (running statistics) is imported; call "
                          f".eval() first", UserWarning, stacklevel=4)
        if isinstance(mod, Residual) or (isinstance(mod, nn.Sequential) and
                                         getattr(mod, "residual", False) is True):
            body = mod.body if isinstance(mod, Residual) else nn.Sequential(*mod)
            return self.residual(B, body, where)
        if isinstance(mod, nn.Sequential):
            for i, sub in enumerate(mod):
                self.run(B, sub, f"{where}.{i}" if where else str(i))
            return None
        handler = getattr(self, "do_" + name, None)
        if handler is None or type(mod) is not getattr(nn, name, None):
            kind = NotExactError if name in _SMOOTH else DomainError
            why = " (not piecewise linear)" if name in _SMOOTH else ""
            raise kind(f"from_torch: module {where or '0'} is {name}{why}; supported: "
                       f"{', '.join(SUPPORTED)}")
        B.what = f"from_torch: module {where or '0'} ({name})"
        return handler(B, mod)

    # ------------------------------------------------------------------ affine
    def do_Identity(self, B: Builder, mod: Any) -> None:
        pass

    def do_Dropout(self, B: Builder, mod: Any) -> None:
        pass

    do_Dropout1d = do_Dropout2d = do_Dropout3d = do_AlphaDropout = do_FeatureAlphaDropout = \
        do_Dropout

    def do_Flatten(self, B: Builder, mod: Any) -> None:
        full = (1, *B.shape)
        s, e = mod.start_dim % len(full), mod.end_dim % len(full)
        if s == 0:
            raise DomainError(f"{B.what}: flattening the batch dimension (start_dim=0) is "
                              f"not supported")
        if s > e:
            return
        new = full[:s] + (math.prod(full[s:e + 1]),) + full[e + 1:]
        B.reshape(new[1:])

    def do_Unflatten(self, B: Builder, mod: Any) -> None:
        full = list((1, *B.shape))
        d = mod.dim % len(full)
        if d == 0:
            raise DomainError(f"{B.what}: unflattening the batch dimension is not supported")
        full[d:d + 1] = list(mod.unflattened_size)
        B.reshape(full[1:])

    def do_Linear(self, B: Builder, mod: Any) -> None:
        weight = mod.weight
        n_out, n_in = weight.shape if weight.dim() == 2 else (None, None)
        if n_out is None or n_out < 1 or n_in < 1:
            raise DimensionError(f"{B.what}: a weight of shape {tuple(weight.shape)}; "
                                 f"expected (out_features, in_features), both >= 1")
        if B.shape[-1] != n_in:
            raise DimensionError(f"{B.what}: expects {n_in} input features, the value has "
                                 f"shape {B.shape}")
        lead = numel(B.shape[:-1])
        check_size("max_matrix_entries", lead * lead * n_out * n_in,
                   f"{B.what}: a dense {lead * n_out} x {lead * n_in} map")
        if lead == 1:
            B.linear(_int_matrix(weight, mod.bias, B.what), (n_out,))
            return
        W = _fr(weight, B.what)
        b = _fr(mod.bias, B.what) if mod.bias is not None else [Fraction(0)] * len(W)
        rows, bias = [], []
        for p in range(lead):
            for wr, bi in zip(W, b):
                rows.append({p * n_in + j: w for j, w in enumerate(wr) if w})
                bias.append(bi)
        B.affine(rows, bias, (*B.shape[:-1], len(W)))

    def do_BatchNorm1d(self, B: Builder, mod: Any) -> None:
        if mod.running_mean is None or mod.running_var is None:
            raise DomainError(f"{B.what}: needs running statistics (track_running_stats="
                              f"True); without them eval mode uses batch statistics")
        eps = finite_param(mod.eps, B.what, "eps")
        mean, var = _fr(mod.running_mean, B.what), _fr(mod.running_var, B.what)
        C = len(mean)
        gamma = _fr(mod.weight, B.what) if mod.weight is not None else [Fraction(1)] * C
        beta = _fr(mod.bias, B.what) if mod.bias is not None else [Fraction(0)] * C
        batchnorm_fold(B, mean, var, eps, gamma, beta, self.batchnorm)

    do_BatchNorm2d = do_BatchNorm1d

    def _conv(self, B: Builder, mod: Any, k: int) -> None:
        if len(B.shape) != k + 1:
            raise DimensionError(f"{B.what}: expects a value of shape (C, {k} spatial dims), "
                                 f"got {B.shape}; pass input_shape=")
        if mod.padding_mode != "zeros":
            raise DomainError(f"{B.what}: padding_mode={mod.padding_mode!r}; only 'zeros' "
                              f"is supported")
        kernel = tuple(mod.kernel_size)
        dil = _tuple(mod.dilation, k)
        if isinstance(mod.padding, str):
            if mod.padding == "valid":
                pads = [(0, 0)] * k
            else:                            # 'same': torch puts the extra one on the right
                pads = []
                for kk, d in zip(kernel, dil):
                    tot = d * (kk - 1)
                    pads.append((tot // 2, tot - tot // 2))
        else:
            pads = [(p, p) for p in _tuple(mod.padding, k)]
        check_size("max_matrix_entries", mod.weight.numel(),
                   f"{B.what}: a kernel of shape {tuple(mod.weight.shape)}")
        if B.kind == "id":                   # nothing to compose with: one dense map
            L, shape = conv_matrix(B.shape, dyadic(_array(mod.weight, B.what), B.what),
                                   dyadic(_array(mod.bias, B.what), B.what)
                                   if mod.bias is not None else None,
                                   _tuple(mod.stride, k), pads, dil, mod.groups, B.what)
            B.linear(L, shape)
            return
        rows, bias, shape = conv_rows(B.shape, _fr(mod.weight, B.what),
                                      _fr(mod.bias, B.what) if mod.bias is not None else None,
                                      _tuple(mod.stride, k), pads, dil, mod.groups, B.what)
        B.affine(rows, bias, shape)

    def do_Conv1d(self, B: Builder, mod: Any) -> None:
        self._conv(B, mod, 1)

    def do_Conv2d(self, B: Builder, mod: Any) -> None:
        self._conv(B, mod, 2)

    def _pool_args(self, B: Builder, mod: Any, k: int) -> Any:
        if mod.ceil_mode:
            raise DomainError(f"{B.what}: ceil_mode=True is not supported")
        kernel = _tuple(mod.kernel_size, k)
        stride = _tuple(mod.stride if mod.stride else mod.kernel_size, k)
        pads = [(p, p) for p in _tuple(mod.padding, k)]
        return kernel, stride, pads

    def _avgpool(self, B: Builder, mod: Any, k: int) -> None:
        kernel, stride, pads = self._pool_args(B, mod, k)
        avgpool(B, kernel, stride, pads, bool(mod.count_include_pad),
                getattr(mod, "divisor_override", None))

    def do_AvgPool1d(self, B: Builder, mod: Any) -> None:
        self._avgpool(B, mod, 1)

    def do_AvgPool2d(self, B: Builder, mod: Any) -> None:
        self._avgpool(B, mod, 2)

    def _maxpool(self, B: Builder, mod: Any, k: int) -> None:
        if mod.return_indices:
            raise DomainError(f"{B.what}: return_indices=True is not supported")
        kernel, stride, pads = self._pool_args(B, mod, k)
        maxpool(B, kernel, stride, pads, _tuple(mod.dilation, k))

    def do_MaxPool1d(self, B: Builder, mod: Any) -> None:
        self._maxpool(B, mod, 1)

    def do_MaxPool2d(self, B: Builder, mod: Any) -> None:
        self._maxpool(B, mod, 2)

    # ------------------------------------------------------------------ activations
    def do_ReLU(self, B: Builder, mod: Any) -> None:
        B.relu()

    def do_LeakyReLU(self, B: Builder, mod: Any) -> None:
        a = finite_param(mod.negative_slope, B.what, "negative_slope")
        blk = pl_block(0, [(1, 1, 0), (-a, -1, 0)])
        B.unitwise(lambda i: blk)

    def do_PReLU(self, B: Builder, mod: Any) -> None:
        a = _fr(mod.weight, B.what)
        a = a if isinstance(a, list) else [a]
        if len(a) == 1:
            blk = pl_block(0, [(1, 1, 0), (-a[0], -1, 0)])
            B.unitwise(lambda i: blk)
            return
        C = B.shape[0] if len(B.shape) > 1 else B.shape[0]
        if len(a) != C:
            raise DimensionError(f"{B.what}: {len(a)} slopes for {C} channels")
        per = numel(B.shape[1:])
        blks = [pl_block(0, [(1, 1, 0), (-s, -1, 0)]) for s in a]
        B.unitwise(lambda i: blks[i // per])

    def _clip(self, B: Builder, lo: Fraction | None, hi: Fraction | None) -> None:
        clip(B, lo, hi)

    def do_Hardtanh(self, B: Builder, mod: Any) -> None:
        self._clip(B, finite_param(mod.min_val, B.what, "min_val", absent=-math.inf),
                   finite_param(mod.max_val, B.what, "max_val", absent=math.inf))

    def do_ReLU6(self, B: Builder, mod: Any) -> None:
        self._clip(B, Fraction(0), Fraction(6))

    def do_Hardsigmoid(self, B: Builder, mod: Any) -> None:
        # relu6(x + 3) / 6 = relu(x/6 + 1/2) - relu(x/6 - 1/2)
        s = Fraction(1, 6)
        blk = pl_block(0, [(1, s, Fraction(1, 2)), (-1, s, Fraction(-1, 2))])
        B.unitwise(lambda i: blk)

    def do_Softshrink(self, B: Builder, mod: Any) -> None:
        lam = finite_param(mod.lambd, B.what, "lambd")
        if lam < 0:
            raise DomainError(f"{B.what}: lambd = {short(lam)}, expected >= 0")
        blk = pl_block(0, [(1, 1, -lam), (-1, -1, -lam)])
        B.unitwise(lambda i: blk)

    # ------------------------------------------------------------------ residual
    def residual(self, B: Builder, body: nn.Module, where: str) -> None:
        inner = Builder(B.shape, B.what)
        self.run(inner, body, where + ".body" if where else "body")
        B.what = f"from_torch: residual block {where or '0'}"
        B.add_residual(inner)


def _untouched(mod: Any) -> bool:
    """No forward (pre-)hook and no forward set on the instance."""
    return not (mod._forward_hooks or mod._forward_pre_hooks or "forward" in vars(mod))


def _plain_mlp(module: Any) -> Any:
    """The usual MLP read directly: an ``nn.Sequential`` (the class itself) of exactly
    ``Linear, ReLU, Linear, ..., Linear`` with no hook and no forward set on an instance.
    Each Linear becomes one exact layer, as the general route makes it (the same checks,
    the same :func:`_int_matrix`); None for anything else (then the general route, which
    also gives the errors)."""
    mods = list(module._modules.values()) if type(module) is nn.Sequential else []
    if len(mods) % 2 == 0 or not _untouched(module):
        return None
    for i, m in enumerate(mods):
        if type(m) is not (nn.Linear if i % 2 == 0 else nn.ReLU) or not _untouched(m):
            return None
    check_global_hooks()
    from ..networks.network import ReLUNetwork
    layers, n_prev = [], None
    for i in range(0, len(mods), 2):
        weight = mods[i].weight
        if weight.dim() != 2 or (n_prev is not None and weight.shape[1] != n_prev):
            return None                    # the general route names the mismatch
        n_out, n_in = weight.shape
        if n_out < 1 or n_in < 1:
            return None
        what = f"from_torch: module {i} (Linear)"
        check_size("max_matrix_entries", n_out * n_in, f"{what}: a dense {n_out} x {n_in} map")
        layers.append(_int_matrix(weight, mods[i].bias, what))
        n_prev = n_out
    return ReLUNetwork._from_integer(layers)


def from_torch(module: Any, *, input_shape: Sequence[int] | None = None,
               batchnorm: str = "float64") -> Any:
    """An exact :class:`~relugeom.network.ReLUNetwork` of a torch module (see the module
    docstring for the supported layers and conventions).

    ``input_shape`` is the shape of one input without the batch dimension; needed when the
    first layer is not a ``Linear``. The network's inputs and outputs are the flattened
    (C-order) tensors.
    """
    if not isinstance(module, nn.Module):
        raise DomainError(f"from_torch: expected a torch.nn.Module, got "
                          f"{type(module).__name__}")
    plain = _plain_mlp(module) if input_shape is None else None
    if plain is not None:
        return plain
    check_module_tree(module, Residual, MAX_NESTING)
    if input_shape is None:
        first = module
        while isinstance(first, nn.Sequential) or isinstance(first, Residual):
            if isinstance(first, Residual):
                first = first.body
                continue
            if len(first) == 0:
                raise DimensionError("from_torch: an empty Sequential needs input_shape=")
            first = first[0]
        if not isinstance(first, nn.Linear):
            raise DimensionError(f"from_torch: the first layer is {type(first).__name__}; "
                                 f"pass input_shape= (one input, without the batch "
                                 f"dimension)")
        input_shape = (first.in_features,)
    if isinstance(input_shape, int):
        input_shape = (input_shape,)
    try:
        shape = tuple(input_shape)
    except TypeError:
        raise DimensionError(f"from_torch: input_shape must be a tuple of positive "
                             f"integers, got {short(input_shape)}") from None
    B = Builder(shape, "from_torch")
    _Torch(batchnorm).run(B, module, "")
    return B.result()


def to_torch(net: Any, dtype: Any = None) -> Any:
    """A ``torch.nn.Sequential`` of ``Linear`` and ``ReLU`` layers computing ``net``
    (float64 by default; every weight is the nearest float, so this is the explicitly
    float direction).

    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])
    >>> net.to_torch()
    Sequential(
      (0): Linear(in_features=1, out_features=2, bias=True)
      (1): ReLU()
      (2): Linear(in_features=2, out_features=1, bias=True)
    )
    """
    dtype = torch.float64 if dtype is None else dtype
    mods: list[nn.Module] = []
    try:
        floats = net.float_layers()        # each weight correctly rounded
    except OverflowError:
        raise DomainError("to_torch: a weight is beyond the float range") from None
    last = len(floats) - 1
    for i, (Wf, bf) in enumerate(floats):
        Wt = torch.tensor(Wf, dtype=torch.float64).reshape(len(bf), net._dims[i])
        bt = torch.tensor(bf, dtype=torch.float64)
        lin = nn.Linear(Wt.shape[1], Wt.shape[0]).to(torch.float64)
        with torch.no_grad():
            lin.weight.copy_(Wt)
            lin.bias.copy_(bt)
        mods.append(lin.to(dtype))
        if i < last:
            mods.append(nn.ReLU())
    return nn.Sequential(*mods).eval()

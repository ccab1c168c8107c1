"""ReLU networks with exact rational weights, and the paper's combinators (Lemmas D.1-D.4).

A network with k hidden layers computes T_{k+1} o sigma o T_k o ... o sigma o T_1.
``depth = k + 1``, ``widths`` are the hidden widths, ``size`` their sum (hidden units only;
the output bias is allowed and not counted).
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Iterable, Sequence

import numpy as np

from ..numbers.encoding import (encode_rational, field, json_list, rational_list,
                                rational_rows, register_json_type)
from ..errors import DimensionError, DomainError, NotExactError
from ..numbers.rational import as_rational, as_rational_rows

__all__ = ["ReLUNetwork", "compose_networks", "sum_networks", "stack_networks",
           "maximum_network", "minimum_network", "affine_network", "identity_network"]

Matrix = tuple[tuple[Fraction, ...], ...]
Vector = tuple[Fraction, ...]


def _as_matrix(W: Any, what: str) -> Matrix:
    return as_rational_rows(W, what=what)


def _as_vector(b: Any, n: int, what: str) -> Vector:
    if isinstance(b, np.ndarray):
        b = b.tolist()
    if not isinstance(b, (list, tuple)):
        if n == 1 and not isinstance(b, (set, frozenset, dict)) and \
                (isinstance(b, str) or not isinstance(b, Iterable)):
            return (as_rational(b, what=what),)
        raise DimensionError(f"{what}: expected a list of {n} biases, got {b!r}")
    vec = tuple(as_rational(v, what=f"{what}[{i}]") for i, v in enumerate(b))
    if len(vec) != n:
        raise DimensionError(f"{what}: has {len(vec)} entries but its weight matrix has "
                             f"{n} rows")
    return vec


class ReLUNetwork:
    """A feed-forward ReLU network with exact rational weights.

    Parameters
    ----------
    layers : sequence of (W, b)
        Affine maps T_1, ..., T_{k+1}; ``W`` given as rows (outputs x inputs), ``b`` one
        entry per row. sigma is applied between consecutive maps, not after the last.

    Networks read from float models (``from_torch``, ``from_onnx``,
    ``from_arrays(exact_float=True)``) are stored as exact integer matrices over one
    denominator per layer (:meth:`integer_layers`); their Fractions are made when
    ``layers`` is first read. Both forms hold the same exact values.

    Examples
    --------
    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1], [1]], [0, "-1/2"]), ([[2, -4]], [0])])
    >>> net.depth, net.widths, net.size
    (2, (2,), 2)
    >>> net("1/4"), net.to_pwl().n_pieces_on(0, 1)
    (Fraction(1, 2), 2)

    ``net == other`` is structural (the same exact weights, layer by layer), unlike
    ``PiecewiseLinear ==``, which is functional: for functional equality use
    ``net.equals(other)`` or :func:`relugeom.networks_equal` (decided exactly), or compare
    ``net.to_pwl()`` for one input. So an ONNX export that folded a BatchNorm is ``!=``
    the torch import even when the two compute nearly the same function.
    """

    __slots__ = ("_fr", "_int", "_dims", "_float", "_hash")

    def __init__(self, layers: Sequence[tuple[Any, Any]]):
        if isinstance(layers, ReLUNetwork):
            layers = layers.layers
        if isinstance(layers, (str, bytes, dict, set, frozenset)) or \
                not isinstance(layers, Iterable):
            raise NotExactError(f"ReLUNetwork: expected a sequence of (W, b) layers, got "
                                f"{_short(layers)} ({type(layers).__name__})")
        layers = list(layers)
        if not layers:
            raise DimensionError("ReLUNetwork: need at least one affine layer")
        out = []
        prev = None
        for i, layer in enumerate(layers):
            if not isinstance(layer, (tuple, list)) or len(layer) != 2:
                raise DimensionError(f"ReLUNetwork: layer {i} must be a pair (W, b), got "
                                     f"{type(layer).__name__}")
            W = _as_matrix(layer[0], f"layer {i} W")
            b = _as_vector(layer[1], len(W), f"layer {i} b")
            if prev is not None and len(W[0]) != prev:
                raise DimensionError(f"ReLUNetwork: layer {i} W has {len(W[0])} columns but "
                                     f"layer {i - 1} has {prev} outputs")
            prev = len(W)
            out.append((W, b))
        self._set(tuple(out), None)

    def _set(self, fr: Any, ints: Any) -> None:
        self._fr, self._int = fr, ints
        if fr is not None:
            self._dims = (len(fr[0][0][0]) if fr[0][0] else 0, *(len(W) for W, _ in fr))
        else:
            self._dims = (ints[0].W.shape[1], *(L.W.shape[0] for L in ints))
        self._float = None
        self._hash = None

    @classmethod
    def _trusted(cls, layers: Sequence[tuple[Matrix, Vector]]) -> "ReLUNetwork":
        self = object.__new__(cls)
        self._set(tuple((tuple(tuple(r) for r in W), tuple(b)) for W, b in layers), None)
        return self

    @classmethod
    def _from_integer(cls, layers: Sequence[Any]) -> "ReLUNetwork":
        """A network from exact integer layers :class:`relugeom.numbers.dyadic.IntMatrix`
        ``(W, b, D)`` (trusted: shapes chain, ``D > 0``); its Fractions are made only
        when ``layers`` is read."""
        self = object.__new__(cls)
        self._set(None, tuple(layers))
        return self

    @property
    def _layers(self) -> tuple[tuple[Matrix, Vector], ...]:
        if self._fr is None:
            self._fr = tuple(L.fractions() for L in self._int)
        return self._fr

    def integer_layers(self) -> tuple[Any, ...]:
        """Each affine map as integer arrays over one positive common denominator,
        :class:`relugeom.numbers.dyadic.IntMatrix` ``(W, b, D)`` with value ``(W x + b) / D``
        (int64 arrays while entries stay below 2**62, else Python integers; cached)."""
        if self._int is None:
            from ..numbers.dyadic import IntMatrix, ints_of
            out = []
            for W, b in self._fr:
                flat, D = ints_of([*(q for r in W for q in r), *b])
                m, n = len(W), len(W[0])
                out.append(IntMatrix(flat[:m * n].reshape(m, n), flat[m * n:], D))
            self._int = tuple(out)
        return self._int

    # ----------------------------------------------------------------- structure
    @property
    def layers(self) -> tuple[tuple[Matrix, Vector], ...]:
        """The affine maps as ((rows of W), b) with Fraction entries."""
        return self._layers

    @property
    def depth(self) -> int:
        """Number of affine maps, k + 1 for k hidden layers."""
        return len(self._dims) - 1

    @property
    def n_hidden_layers(self) -> int:
        """Number of hidden layers k."""
        return len(self._dims) - 2

    @property
    def widths(self) -> tuple[int, ...]:
        """Widths of the hidden layers."""
        return self._dims[1:-1]

    @property
    def width(self) -> int:
        """Largest hidden width (0 without hidden layers)."""
        return max(self.widths, default=0)

    @property
    def size(self) -> int:
        """Number of hidden units (the output layer is not counted)."""
        return sum(self.widths)

    @property
    def n_inputs(self) -> int:
        """Input dimension."""
        return self._dims[0]

    @property
    def n_outputs(self) -> int:
        """Output dimension."""
        return self._dims[-1]

    # ----------------------------------------------------------------- evaluation
    def _input_vector(self, x: Any) -> Vector:
        n = self.n_inputs
        if isinstance(x, np.ndarray):
            x = x.tolist()
        if isinstance(x, (list, tuple)):
            if len(x) != n:
                raise DimensionError(f"network has {n} inputs, got a point with {len(x)} "
                                     f"coordinates")
            return tuple(as_rational(v, what=f"x[{i}]") for i, v in enumerate(x))
        if n != 1:
            raise DimensionError(f"network has {n} inputs, got the scalar {x!r}")
        return (as_rational(x, what="x"),)

    def __call__(self, x: Any) -> Fraction | tuple[Fraction, ...]:
        """Exact output at the rational point ``x`` (a scalar when there is one input).

        Returns a Fraction for one output, else a tuple of Fractions.
        """
        v = self._input_vector(x)
        last = len(self._layers) - 1
        for i, (W, b) in enumerate(self._layers):
            v = tuple(sum((w * a for w, a in zip(row, v)), bi) for row, bi in zip(W, b))
            if i < last:
                v = tuple(a if a > 0 else Fraction(0) for a in v)
        return v[0] if len(v) == 1 else v

    def activation_pattern(self, x: Any) -> tuple[tuple[bool, ...], ...]:
        """Which hidden units are active (pre-activation > 0) at ``x``, layer by layer."""
        v = self._input_vector(x)
        pattern = []
        for W, b in self._layers[:-1]:
            v = tuple(sum((w * a for w, a in zip(row, v)), bi) for row, bi in zip(W, b))
            pattern.append(tuple(a > 0 for a in v))
            v = tuple(a if a > 0 else Fraction(0) for a in v)
        return tuple(pattern)

    def float_layers(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights as float64 arrays (cached)."""
        if self._float is None:
            self._float = [_float_layer(self, i) for i in range(self.depth)]
        return self._float

    def evaluate(self, X: Any) -> np.ndarray:
        """Float outputs for a batch of inputs (explicitly float, vectorised).

        ``X`` has shape (N, n_inputs), or (N,) for one input; the result has shape (N,)
        for one output, else (N, n_outputs).
        """
        X = np.asarray(X, dtype=np.float64)
        squeeze_in = X.ndim <= 1 and self.n_inputs == 1
        if squeeze_in:
            X = X.reshape(-1, 1)
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise DimensionError(f"evaluate: network has {self.n_inputs} inputs, got an "
                                 f"array of shape {np.shape(X)}")
        layers = self.float_layers()
        H = X
        for i, (W, b) in enumerate(layers):
            H = H @ W.T + b
            if i < len(layers) - 1:
                H = np.maximum(H, 0.0)
        return H[:, 0] if self.n_outputs == 1 else H

    def to_pwl(self, output: int = 0):  # noqa: ANN201
        """The exact piecewise-linear function computed (one input), layer by layer.

        Never samples: each hidden unit's pre-activation is an exact linear combination
        of the previous layer's functions, then rectified.
        """
        from ..functions.pwl import PiecewiseLinear
        from ..functions.operations import linear_combination, relu
        if self.n_inputs != 1:
            raise DimensionError(f"to_pwl needs a network with one input, this one has "
                                 f"{self.n_inputs}; use relugeom.linear_regions for R^n")
        if isinstance(output, bool) or not isinstance(output, (int, np.integer)):
            from ..errors import NotExactError
            raise NotExactError(f"to_pwl: output must be an int index, got {output!r} of "
                                f"type {type(output).__name__}")
        if not 0 <= output < self.n_outputs:
            raise DimensionError(f"to_pwl: output {output} does not exist; the network has "
                                 f"{self.n_outputs} outputs")
        current = [PiecewiseLinear.identity()]
        for W, b in self._layers[:-1]:
            current = [relu(linear_combination(current, row, bi)) for row, bi in zip(W, b)]
        W, b = self._layers[-1]
        return linear_combination(current, W[output], b[output])

    # ----------------------------------------------------------------- protocol
    def __eq__(self, other: object) -> bool:
        """Structural equality: the same layers with the same exact weights. Two networks
        that compute the same function with different weights are ``!=`` (unlike
        ``PiecewiseLinear ==``, which is functional, the canonical form being unique in
        1-D): use ``net.equals(other)`` or :func:`relugeom.networks_equal` for functional
        equality, decided exactly.

        >>> import relugeom as rg
        >>> a = rg.ReLUNetwork([([[1]], [0]), ([[2]], [0])])
        >>> b = rg.ReLUNetwork([([[2]], [0]), ([[1]], [0])])
        >>> a == b, a.equals(b)
        (False, True)
        """
        if not isinstance(other, ReLUNetwork):
            return NotImplemented
        return self._layers == other._layers

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(("ReLUNetwork", self._layers))
        return self._hash

    def simplified(self, domain: Any = None, *, report: bool = False) -> Any:
        """An equal network (on ``domain``, default R^n) with fewer hidden units; with
        ``report=True`` also what was removed. See :func:`relugeom.simplify.simplified`."""
        from .simplify import simplified
        return simplified(self, domain, report=report)

    #: Networks with at most this many weights and biases show them in their repr.
    REPR_MAX_ENTRIES = 40

    def __repr__(self) -> str:
        """The weights when small (at most ``REPR_MAX_ENTRIES`` entries, each at most 40
        characters), as code that evaluates back to an equal network, e.g.
        ``ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])`` with fractions as
        strings (``'1/3'``); otherwise a summary of the shape."""
        n_entries = sum(m * (n + 1) for n, m in zip(self._dims, self._dims[1:]))
        if n_entries <= self.REPR_MAX_ENTRIES:
            def q(v: Fraction) -> str:
                return str(v) if v.denominator == 1 else f"'{v}'"
            nums = [v for W, b in self._layers for v in (*b, *(x for r in W for x in r))]
            if all(v.numerator.bit_length() <= 140 and v.denominator.bit_length() <= 140
                   and len(str(v)) <= 40 for v in nums):
                body = ", ".join(
                    "([" + ", ".join("[" + ", ".join(q(x) for x in r) + "]" for r in W)
                    + "], [" + ", ".join(q(x) for x in b) + "])" for W, b in self._layers)
                return f"ReLUNetwork([{body}])"
        w = ", ".join(str(x) for x in self.widths)
        return (f"<ReLUNetwork {self.n_inputs} -> [{w}] -> {self.n_outputs}, "
                f"depth {self.depth}, size {self.size}>")

    def __matmul__(self, other: Any) -> "ReLUNetwork":
        if isinstance(other, ReLUNetwork):
            return compose_networks(self, other)
        return NotImplemented

    def __add__(self, other: Any) -> "ReLUNetwork":
        if isinstance(other, ReLUNetwork):
            return sum_networks(self, other)
        return NotImplemented

    def __bool__(self) -> bool:
        raise TypeError("the truth value of a network is ambiguous")

    # ----------------------------------------------------------------- arrays
    def to_arrays(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """The weights as numpy object arrays of Fractions, [(W, b), ...]."""
        return [(np.array([list(r) for r in W], dtype=object), np.array(list(b), dtype=object))
                for W, b in self._layers]

    @classmethod
    def from_arrays(cls, layers: Sequence[tuple[Any, Any]], *,
                    exact_float: bool = False) -> "ReLUNetwork":
        """Build from numpy arrays; ``exact_float=True`` converts float weights exactly."""
        if not exact_float:
            return cls(layers)
        fast = _from_numeric_arrays(layers)
        if fast is not None:
            return fast
        conv = []
        for i, (W, b) in enumerate(layers):
            W = np.asarray(W)
            b = np.asarray(b)
            if W.ndim != 2:
                raise DimensionError(f"from_arrays: layer {i} W has shape {W.shape}, "
                                     f"expected a 2-D (outputs x inputs) array")
            if b.ndim > 1 or (b.ndim == 0 and W.shape[0] != 1):
                raise DimensionError(f"from_arrays: layer {i} b has shape {b.shape}, "
                                     f"expected ({W.shape[0]},), one bias per row of W")
            conv.append(([[as_rational(v, exact_float=True, what=f"layer {i} W") for v in r]
                          for r in W.tolist()],
                         [as_rational(v, exact_float=True, what=f"layer {i} b")
                          for v in np.ravel(b).tolist()]))
        return cls(conv)

    # ------------------------------- conveniences reaching up (one-line delegations)
    @classmethod
    def from_torch(cls, module: Any, *, input_shape: Any = None,
                   batchnorm: str = "float64") -> "ReLUNetwork":
        """Convert a torch module exactly (each float weight becomes the Fraction of its
        binary value): Linear, ReLU, LeakyReLU, Conv, pools, BatchNorm, residual blocks and
        more; see :func:`relugeom.interop.torch_io.from_torch`."""
        from ..interop import from_torch
        return from_torch(module, input_shape=input_shape, batchnorm=batchnorm)

    @classmethod
    def from_onnx(cls, model: Any, *, input_shape: Any = None,
                  batchnorm: str = "float64", base_dir: Any = None) -> "ReLUNetwork":
        """Convert an ONNX graph (a path, bytes or a ModelProto) exactly; ``base_dir``: the
        folder external data is read from; see :func:`relugeom.interop.onnx_io.from_onnx`."""
        from ..interop import from_onnx
        return from_onnx(model, input_shape=input_shape, batchnorm=batchnorm,
                         base_dir=base_dir)

    def to_torch(self, dtype: Any = None) -> Any:
        """A float64 ``torch.nn.Sequential`` of Linear and ReLU layers (nearest floats);
        see :func:`relugeom.interop.torch_io.to_torch`."""
        from ..interop import to_torch
        return to_torch(self, dtype)

    def restrict_to_line(self, a: Any, b: Any, *, output: int = 0,
                         exact_float: bool = False) -> Any:
        """The exact 1-D function ``t -> net(a + t (b - a))`` of output ``output``, as a
        PiecewiseLinear (float points only with ``exact_float=True``, as in
        :func:`relugeom.plane`); see :func:`relugeom.lines.restrict_to_line`."""
        from ..geometry.lines import restrict_to_line
        return restrict_to_line(self, a, b, output=output, exact_float=exact_float)

    def equals(self, other: "ReLUNetwork") -> bool:
        """Functional equality, decided exactly (``==`` is structural: the same weights);
        see :func:`relugeom.geometry.equality.network_equals`."""
        from ..geometry.equality import network_equals
        return network_equals(self, other)

    def _repr_svg_(self) -> str | None:
        from ..paper.reprs import repr_svg
        return repr_svg(self)


def _from_numeric_arrays(layers: Any) -> ReLUNetwork | None:
    """Real numeric arrays that chain: read exactly at numpy speed (integer mantissas
    over one power-of-two scale per layer); None for anything else (the general path)."""
    from ..numbers.dyadic import dyadic_matrix
    if not isinstance(layers, (list, tuple)) or not layers:
        return None
    out, prev = [], None
    for i, layer in enumerate(layers):
        if not isinstance(layer, (list, tuple)) or len(layer) != 2:
            return None
        W, b = (np.asarray(v) if isinstance(v, np.ndarray) else None for v in layer)
        if W is None or b is None or W.ndim != 2 or b.shape != (W.shape[0],) or \
                0 in W.shape or W.dtype.kind not in "fiu" or b.dtype.kind not in "fiu" or \
                (prev is not None and W.shape[1] != prev):
            return None
        out.append(dyadic_matrix(W, b, f"layer {i}"))
        prev = W.shape[0]
    return ReLUNetwork._from_integer(out)


def _float_layer(net: ReLUNetwork, i: int) -> tuple[np.ndarray, np.ndarray]:
    """Layer ``i`` as float64 arrays, each entry the correctly rounded float of the exact
    weight: from the integer form when its entries and ``D`` convert to floats exactly
    (then one IEEE division rounds correctly), else entry by entry from the Fractions."""
    if net._int is not None:
        W, b, D = net._int[i]
        if W.dtype != object and b.dtype != object and D < 1 << 1023 and \
                max(_maxabs_int(W), _maxabs_int(b)) <= 1 << 53 and \
                (D & (D - 1) == 0 or D <= 1 << 53):
            return W.astype(np.float64) / float(D), b.astype(np.float64) / float(D)
    W, b = net.layers[i]
    return np.array([[float(w) for w in r] for r in W]), np.array([float(v) for v in b])


def _maxabs_int(a: np.ndarray) -> int:
    return 0 if a.size == 0 else max(int(a.max()), -int(a.min()))


# ---------------------------------------------------------------------- combinators
def _matmul(A: Matrix, B: Matrix) -> Matrix:
    cols = list(zip(*B))
    return tuple(tuple(sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in cols)
                 for row in A)


def _matvec(A: Matrix, v: Vector) -> Vector:
    return tuple(sum((a * b for a, b in zip(row, v)), Fraction(0)) for row in A)


def _short(x: Any) -> str:
    from ..numbers.rational import short
    return short(x)


def _n_weights(net: ReLUNetwork) -> int:
    return sum(len(W) * len(W[0]) + len(W) for W, _ in net.layers)


def _check_weights(n: int, what: str) -> None:
    """Refuse up front a network (or an intermediate product) of more than
    ``max_weights`` weights; a weight is a Fraction, ~100 bytes."""
    from ..config import check_size
    check_size("max_weights", n, what)


def _need_networks(nets: Sequence[Any], what: str) -> None:
    for i, net in enumerate(nets):
        if not isinstance(net, ReLUNetwork):
            raise NotExactError(f"{what}: argument {i} is {_short(net)} "
                                f"({type(net).__name__}), expected a ReLUNetwork")


def identity_network(n: int = 1) -> ReLUNetwork:
    """One hidden layer of size 2n computing the identity: x = sigma(x) - sigma(-x).

    Raises
    ------
    NotExactError, DomainError
        ``n`` not an integer (bools refused) or < 1.
    TooLargeError
        The 4 n^2 weights are over ``relugeom.get_limit("max_weights")``.
    """
    if not isinstance(n, int) or isinstance(n, bool):
        raise NotExactError(f"identity_network: n must be a positive integer, got "
                            f"{_short(n)} ({type(n).__name__})")
    if n < 1:
        raise DomainError(f"identity_network: n must be a positive integer, got {_short(n)}")
    _check_weights(4 * n * n + 3 * n, "identity_network")
    one, zero = Fraction(1), Fraction(0)
    W1 = tuple(tuple(one if j == i else zero for j in range(n)) for i in range(n)) + \
        tuple(tuple(-one if j == i else zero for j in range(n)) for i in range(n))
    W2 = tuple(tuple(one if j == i else -one if j == i + n else zero for j in range(2 * n))
               for i in range(n))
    return ReLUNetwork._trusted([(W1, (zero,) * (2 * n)), (W2, (zero,) * n)])


def affine_network(W: Any, b: Any) -> ReLUNetwork:
    """Lemma D.4: an affine map R^n -> R^m as one hidden layer of size 2m."""
    Wm = _as_matrix(W, "W")
    bv = _as_vector(b, len(Wm), "b")
    return compose_networks(identity_network(len(Wm)), ReLUNetwork._trusted([(Wm, bv)]))


def compose_networks(outer: ReLUNetwork, inner: ReLUNetwork) -> ReLUNetwork:
    """Lemma D.1: ``x -> outer(inner(x))``; depth k1 + k2 + 1, size s1 + s2.

    The inner network's output map folds into the outer network's first affine map.
    A non-network argument raises :class:`~relugeom.errors.NotExactError` (a TypeError).
    """
    _need_networks([outer, inner], "compose_networks")
    if inner.n_outputs != outer.n_inputs:
        raise DimensionError(f"cannot compose: inner network has {inner.n_outputs} outputs, "
                             f"outer expects {outer.n_inputs} inputs")
    (Wi, bi), (Wo, bo) = inner.layers[-1], outer.layers[0]
    _check_weights(len(Wo) * len(Wi) * len(Wi[0]) + _n_weights(inner) + _n_weights(outer),
                   "compose_networks")
    W = _matmul(Wo, Wi)
    b = tuple(x + y for x, y in zip(_matvec(Wo, bi), bo))
    return ReLUNetwork._trusted(list(inner.layers[:-1]) + [(W, b)] + list(outer.layers[1:]))


def _pad(net: ReLUNetwork, depth: int) -> ReLUNetwork:
    """Add identity blocks after the last hidden layer until ``net`` has ``depth``."""
    while net.depth < depth:
        net = compose_networks(identity_network(net.n_outputs), net)
    return net


def stack_networks(*nets: ReLUNetwork) -> ReLUNetwork:
    """Run networks side by side on the same input; outputs concatenated.

    Shallower networks are padded with identity blocks to the largest depth.
    """
    return _stack(nets, "stack_networks")


def _stack(nets: Sequence[ReLUNetwork], what: str) -> ReLUNetwork:
    """:func:`stack_networks`, with errors naming the public function ``what``."""
    if not nets:
        raise DimensionError(f"{what}: need at least one network")
    _need_networks(nets, what)
    n = nets[0].n_inputs
    for i, net in enumerate(nets):
        if net.n_inputs != n:
            raise DimensionError(f"{what}: network 0 has {n} inputs but network {i} "
                                 f"has {net.n_inputs}")
    depth = max(net.depth for net in nets)
    # block-diagonal layers, zeros included: at most depth x R x (R + n) weights, R the
    # sum of the widest layer of each network (identity padding: 2 units per output)
    R = sum(max(max(len(W) for W, _ in net.layers),
                2 * net.n_outputs if net.depth < depth else 0) for net in nets)
    _check_weights(depth * R * (R + n), what)
    nets = [_pad(net, depth) for net in nets]
    zero = Fraction(0)
    layers = []
    for li in range(depth):
        rows: list[tuple[Fraction, ...]] = []
        bias: list[Fraction] = []
        in_sizes = [len(net.layers[li][0][0]) for net in nets]
        offset = 0
        for net, size in zip(nets, in_sizes):
            W, b = net.layers[li]
            for row, bb in zip(W, b):
                if li == 0:
                    rows.append(row)
                else:
                    full = [zero] * sum(in_sizes)
                    full[offset:offset + size] = row
                    rows.append(tuple(full))
                bias.append(bb)
            offset += size
        layers.append((tuple(rows), tuple(bias)))
    return ReLUNetwork._trusted(layers)


def sum_networks(*nets: ReLUNetwork, simplify: bool = False) -> ReLUNetwork:
    """Lemma D.2: the sum of networks with the same inputs and outputs; sizes add.

    Networks of equal depth run in parallel; shallower ones are first padded with
    identity blocks (which costs 2 units per output and extra layer). ``simplify=True``
    returns :meth:`ReLUNetwork.simplified` of the result (merged duplicate units).
    """
    if simplify:
        return sum_networks(*nets).simplified()
    if not nets:
        raise DimensionError("sum_networks: need at least one network")
    _need_networks(nets, "sum_networks")
    m = nets[0].n_outputs
    for i, net in enumerate(nets):
        if net.n_outputs != m:
            raise DimensionError(f"sum_networks: network 0 has {m} outputs but network {i} "
                                 f"has {net.n_outputs}")
    st = _stack(nets, "sum_networks")
    W, b = st.layers[-1]
    W2 = tuple(tuple(sum((W[k * m + i][j] for k in range(len(nets))), Fraction(0))
                     for j in range(len(W[0]))) for i in range(m))
    b2 = tuple(sum((b[k * m + i] for k in range(len(nets))), Fraction(0)) for i in range(m))
    return ReLUNetwork._trusted(list(st.layers[:-1]) + [(W2, b2)])


def _max_gadget_layer(m: int) -> ReLUNetwork:
    """One hidden layer mapping R^m -> R^ceil(m/2): pairwise maxima, the odd one copied.

    max(x, y) = (x + y)/2 + |x - y|/2 with hidden units sigma(+-(x+y)), sigma(+-(x-y)).
    """
    zero, one, half = Fraction(0), Fraction(1), Fraction(1, 2)
    W1: list[tuple[Fraction, ...]] = []
    W2: list[list[Fraction]] = []
    n_hidden = 4 * (m // 2) + 2 * (m % 2)
    for p in range(m // 2):
        i, j = 2 * p, 2 * p + 1
        for ci, cj in ((1, 1), (-1, -1), (1, -1), (-1, 1)):
            row = [zero] * m
            row[i], row[j] = Fraction(ci), Fraction(cj)
            W1.append(tuple(row))
        out = [zero] * n_hidden
        out[4 * p:4 * p + 4] = [half, -half, half, half]
        W2.append(out)
    if m % 2:
        for c in (1, -1):
            row = [zero] * m
            row[m - 1] = Fraction(c)
            W1.append(tuple(row))
        out = [zero] * n_hidden
        out[n_hidden - 2:] = [one, -one]
        W2.append(out)
    return ReLUNetwork._trusted([(tuple(W1), (zero,) * len(W1)),
                                 (tuple(tuple(r) for r in W2), (zero,) * len(W2))])


def maximum_network(*nets: ReLUNetwork, simplify: bool = False) -> ReLUNetwork:
    """Lemma D.3: the pointwise maximum of one-output networks.

    Depth: the largest depth plus ceil(log2 m) (a balanced tree of the size-4 gadget;
    shallower branches are padded with identity blocks). ``simplify=True`` returns
    :meth:`ReLUNetwork.simplified` of the result.
    """
    if simplify:
        return maximum_network(*nets).simplified()
    return _maximum(nets, "maximum_network")


def _maximum(nets: Sequence[ReLUNetwork], what: str) -> ReLUNetwork:
    if not nets:
        raise DimensionError(f"{what}: need at least one network")
    _need_networks(nets, what)
    for i, net in enumerate(nets):
        if net.n_outputs != 1:
            raise DimensionError(f"{what}: network {i} has {net.n_outputs} outputs, "
                                 f"expected 1")
    m = len(nets)
    _check_weights(8 * m * m, what)          # the first gadget layer: 2m rows, m columns
    out = _stack(nets, what)
    while m > 1:
        out = compose_networks(_max_gadget_layer(m), out)
        m = math.ceil(m / 2)
    return out


def minimum_network(*nets: ReLUNetwork) -> ReLUNetwork:
    """The pointwise minimum of one-output networks: -max(-f_1, ..., -f_m)."""
    if not nets:
        raise DimensionError("minimum_network: need at least one network")
    _need_networks(nets, "minimum_network")
    for i, net in enumerate(nets):
        if net.n_outputs != 1:
            raise DimensionError(f"minimum_network: network {i} has {net.n_outputs} "
                                 f"outputs, expected 1")
    neg = ReLUNetwork._trusted([(((Fraction(-1),),), (Fraction(0),))])
    return compose_networks(neg, _maximum([compose_networks(neg, n) for n in nets],
                                          "minimum_network"))


# ------------------------------------------------------------------- JSON
def encode_network(net: Any) -> dict:
    return {"layers": [{"W": [[encode_rational(w) for w in row] for row in W],
                        "b": [encode_rational(v) for v in b]} for W, b in net.layers]}


def decode_network(d: dict) -> Any:
    layers = json_list(field(d, "layers"), "layers")
    out = []
    for i, layer in enumerate(layers):
        where = f"ReLUNetwork layers[{i}]"
        out.append((rational_rows(field(layer, "W", where), f"layers[{i}].W"),
                    rational_list(field(layer, "b", where), f"layers[{i}].b")))
    return ReLUNetwork(out)


register_json_type("ReLUNetwork", ReLUNetwork, encode_network, decode_network)

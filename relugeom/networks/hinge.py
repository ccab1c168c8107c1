"""The canonical hinge form of a one-hidden-layer function, and fast exact equality.

A one-hidden-layer ReLU network computes

    f(x) = c + <l, x> + sum_i w_i relu(<a_i, x> + b_i).

Scale each unit to a *primitive integer hyperplane* h = (p, q) (integers, gcd 1, first
nonzero entry of p positive): (a_i, b_i) = s h with s rational. For s > 0,
relu(s h) = s relu(h); for s < 0, relu(s h) = |s| relu(-h) = |s| (relu(h) - h), so the
affine part absorbs -|s| w_i h (opposite normals merged). Units with a_i = 0 are constants.
Summing coefficients per hyperplane and dropping zeros gives the **hinge form**

    f = affine + sum_k c_k relu(h_k),   h_k distinct primitive hyperplanes, c_k != 0.

It is canonical: f has a kink exactly along each h_k, where its gradient jumps by c_k p_k,
and the affine part is then fixed. So two one-hidden-layer functions are equal if and only
if their hinge forms are equal: one pass over the units, a sort, a comparison; O(w log w)
for width w, with no region enumeration.

On a full-dimensional domain D (a box or a :class:`~relugeom.polyhedra.Polyhedron`), a
hinge whose hyperplane does not meet the interior of D is affine there: relu(h) = h when
h >= 0 on D, relu(h) = 0 when h <= 0 on D. Deciding this is one exact interval bound (box)
or two exact linear programs (polyhedron). After folding those, the remaining hinges all
cross the interior of D, and the form is canonical on D.

Reductions used by :func:`equal` (all sound, preconditions checked exactly):

* the same units up to order, positive scaling and merging (:func:`structural_form`):
  equal, with no geometry;
* on R^n, both sides symmetric by a relabelling of their hidden units under the generators
  of S_n (:func:`structurally_symmetric`, e.g. sums over all permutations): the sorted-cone
  reduction below;
* on R^n, one side structurally symmetric and the other no larger: the other side's
  symmetry is decided exactly (:func:`is_symmetric`); if it fails the networks differ
  (a = b would make it symmetric), else the sorted-cone reduction. A certificate network
  against a gadget-tree max network (n = 6: 2.5 s instead of over 10 minutes);

* one hidden layer on each side: compare hinge forms (on D);
* deeper networks whose first layer is linear on D (every first-layer unit always active
  or always dead on D, e.g. pairwise maxima max(x_a, x_b) on the sorted cone): fold that
  layer into the next affine map (:func:`relugeom.simplify.fold_linear_layers`) and recurse;
* anything else: exact enumeration of the regions of a - b on D
  (:func:`relugeom.geometry.equality.networks_equal` with ``method="enumerate"``).

For symmetric functions f(P x) = f(x) for every permutation P, equality on the sorted cone
C = {x_1 >= ... >= x_n} implies equality on R^n (every point is a permutation of a point of
C). This needs **both** sides symmetric: :func:`is_symmetric` checks f o tau = f for the two
generators of S_n (a transposition and the n-cycle) with this module's fast check.

The translation law f(x + t 1) = f(x) + t (pairwise maxima and max satisfy it) is a second,
independent reduction: if **both** sides satisfy it, f = g on R^n iff f = g on the
hyperplane x_n = 0 (x = (x - x_n 1) + x_n 1), so the check runs on R^(n-1); with symmetry
too, on the pointed cone y_1 >= ... >= y_(n-1) >= 0 (``equal_symmetric(...,
translation=True)``). :func:`is_translation_equivariant` decides the law exactly: for at
most one hidden layer algebraically (f(x + t 1) and f(x) + t are one-hidden-layer functions
of (x, t), so their hinge forms agree iff every hinge normal p has p . 1 = 0 and the linear
part sums to 1), else by :func:`equal` on R^(n+1). Neither reduction is sound when one
side lacks the property: g = max(x_1, x_2) + relu(-x_1) + relu(-x_2) is symmetric and
equals max on {x_1 >= x_2 = 0}, but g(-1, -1) = 1. So both sides are checked unless the
caller vouches.

The deciders (``equal``, ``is_symmetric``, ...) are in :mod:`relugeom.geometry.equality`,
which falls back on region enumeration when these algebraic routes do not decide.

>>> import relugeom as rg
>>> from relugeom.geometry.equality import equal
>>> f = rg.ReLUNetwork([([[1, -1], [-2, 2], [0, 0]], [0, 0, 3]), ([[1, 1, 1]], [0])])
>>> g = rg.ReLUNetwork([([[3, -3]], [0]), ([[1]], [3])])    # |x - y| + x - y + 3
>>> hinge_form(f) == hinge_form(g), equal(f, g)
(False, False)
>>> h = rg.ReLUNetwork([([[3, -3], [-1, 1], [1, -1]], [0, 0, 0]), ([[1, 2, -2]], [3])])
>>> hinge_form(f).n_hinges, equal(f, h)      # both relu(l) + 2 relu(-l) + 3, l = x - y
(1, True)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from ..errors import DimensionError, DomainError, NotExactError

__all__ = ["HingeForm", "hinge_form", "sign_on", "sorted_cone", "permuted_network",
           "structural_form", "structurally_symmetric"]

Hyperplane = tuple[int, ...]           # primitive integers (p_1, ..., p_n, q)


def _require_network(obj: Any, what: str, name: str = "net") -> None:
    """A NotExactError naming the value unless ``obj`` is a ReLUNetwork (at the entry of
    every public function here, so a wrong argument never ends in an AttributeError)."""
    from .network import ReLUNetwork
    if not isinstance(obj, ReLUNetwork):
        from ..numbers.rational import short
        raise NotExactError(f"{what}: {name} must be a ReLUNetwork, got {short(obj)} of "
                            f"type {type(obj).__name__}")


def primitive(coeffs: Sequence[Fraction]) -> tuple[Hyperplane, Fraction]:
    """``(h, s)`` with ``coeffs = s * h``, h primitive integer, first nonzero entry > 0."""
    den = math.lcm(*(Fraction(c).denominator for c in coeffs))
    ints = [int(Fraction(c) * den) for c in coeffs]
    g = math.gcd(*ints)
    if g == 0:
        raise DomainError("primitive: the zero vector has no hyperplane")
    lead = next(v for v in ints if v)
    if lead < 0:
        g = -g
    return tuple(v // g for v in ints), Fraction(g, den)


@dataclass(frozen=True)
class HingeForm:
    """``f(x) = constant + <linear, x> + sum_k c_k relu(<p_k, x> + q_k)`` in canonical form.

    ``hinges`` is a sorted tuple of ``((p_1, ..., p_n, q), c)`` with primitive integer
    hyperplanes, first nonzero entry of p positive, distinct, and c != 0.
    """

    n: int
    linear: tuple[Fraction, ...]
    constant: Fraction
    hinges: tuple[tuple[Hyperplane, Fraction], ...]

    @property
    def n_hinges(self) -> int:
        """Number of distinct kink hyperplanes."""
        return len(self.hinges)

    def __call__(self, x: Sequence[Any]) -> Fraction:
        """Exact value at a rational point."""
        pt = [Fraction(v) for v in x]
        if len(pt) != self.n:
            raise DimensionError(f"HingeForm: {self.n} inputs, got {len(pt)} coordinates")
        val = self.constant + sum((a * b for a, b in zip(self.linear, pt)), Fraction(0))
        for h, c in self.hinges:
            t = sum((a * b for a, b in zip(h, pt)), Fraction(h[-1]))
            if t > 0:
                val += c * t
        return val

    def difference(self, other: "HingeForm") -> "HingeForm":
        """The hinge form of ``self - other`` (same n)."""
        if other.n != self.n:
            raise DimensionError(f"HingeForm.difference: {self.n} and {other.n} inputs")
        acc = _Acc(self.n)
        acc.lin = list(self.linear)
        acc.const = self.constant
        for h, c in self.hinges:
            acc.hinge[h] = acc.hinge.get(h, 0) + c
        for i, v in enumerate(other.linear):
            acc.lin[i] -= v
        acc.const -= other.constant
        for h, c in other.hinges:
            acc.hinge[h] = acc.hinge.get(h, 0) - c
        return acc.form()

    @property
    def is_zero(self) -> bool:
        """True when the function is identically zero."""
        return not self.hinges and self.constant == 0 and not any(self.linear)


class _Acc:
    """Accumulator for a hinge form."""

    def __init__(self, n: int):
        self.n = n
        self.lin = [Fraction(0)] * n
        self.const = Fraction(0)
        self.hinge: dict[Hyperplane, Fraction] = {}

    def add_affine(self, h: Sequence[Any], w: Fraction) -> None:
        for i in range(self.n):
            self.lin[i] += w * h[i]
        self.const += w * h[self.n]

    def add_relu(self, coeffs: Sequence[Fraction], w: Fraction) -> None:
        """Add ``w * relu(<coeffs[:n], x> + coeffs[n])``."""
        if w == 0:
            return
        if not any(coeffs[:self.n]):
            if coeffs[self.n] > 0:
                self.const += w * coeffs[self.n]
            return
        h, s = primitive(coeffs)
        ws = w * abs(s)
        self.hinge[h] = self.hinge.get(h, Fraction(0)) + ws
        if s < 0:
            self.add_affine(h, -ws)

    def fold(self, domain: Any) -> None:
        """Replace hinges that do not cross the interior of ``domain`` by their affine part."""
        if domain is None:
            return
        for h in list(self.hinge):
            s = sign_on(h, domain)
            if s == 0:
                continue
            c = self.hinge.pop(h)
            if s > 0:
                self.add_affine(h, c)

    def form(self) -> HingeForm:
        hinges = tuple(sorted((h, c) for h, c in self.hinge.items() if c != 0))
        return HingeForm(self.n, tuple(self.lin), self.const, hinges)


def sign_on(h: Sequence[int], domain: Any) -> int:
    """+1 if ``<p, x> + q >= 0`` on the domain, -1 if ``<= 0``, 0 if it crosses the
    interior. Exact: interval arithmetic on a box, two exact LPs on a Polyhedron."""
    from ..convex.polyhedra import Polyhedron
    n = len(h) - 1
    if isinstance(domain, Polyhedron):
        if domain.n != n:
            raise DimensionError(f"domain is in R^{domain.n}, the hyperplane in R^{n}")
        hi = domain.maximize(h[:n])[0]
        if hi != math.inf and hi + h[n] <= 0:
            return -1
        lo = domain.maximize([-v for v in h[:n]])[0]
        if lo != math.inf and -lo + h[n] >= 0:
            return 1
        return 0
    from ..convex.polyhedra import as_box
    box = as_box(domain, n)
    lo = hi = Fraction(h[n])
    for a, (l, u) in zip(h[:n], box):
        if a > 0:
            lo, hi = lo + a * l, hi + a * u
        elif a < 0:
            lo, hi = lo + a * u, hi + a * l
    if hi <= 0:
        return -1
    if lo >= 0:
        return 1
    return 0


def _check_domain(domain: Any, n: int) -> Any:
    from ..convex.polyhedra import Polyhedron, as_box
    if domain is None:
        return None
    if isinstance(domain, Polyhedron):
        if domain.n != n:
            raise DimensionError(f"domain is in R^{domain.n}, the network has {n} inputs")
        if domain.is_empty:
            raise DomainError(f"domain {domain!r} has empty interior")
        return domain
    box = as_box(domain, n)
    if any(lo >= hi for lo, hi in box):
        raise DomainError(f"domain: the box {[(str(a), str(b)) for a, b in box]} has empty "
                          f"interior")
    return box


def hinge_form(net: Any, output: int = 0, domain: Any = None) -> HingeForm:
    """The canonical hinge form of output ``output`` of a network with at most one hidden
    layer, restricted to ``domain`` (None: R^n; a box of (lo, hi) pairs; a Polyhedron).

    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1, 0], [2, 0], [-1, 0]], [0, 0, 0]), ([[1, 1, 1]], [0])])
    >>> hf = hinge_form(net)                     # relu(x) + 2relu(x) + relu(-x)
    >>> hf.hinges, hf.linear
    ((((1, 0, 0), Fraction(4, 1)),), (Fraction(-1, 1), Fraction(0, 1)))
    >>> hinge_form(net, domain=[(1, 2), (0, 1)]).hinges      # x > 0 there: all active
    ()
    """
    _require_network(net, "hinge_form")
    if isinstance(output, bool) or not isinstance(output, int):
        raise DimensionError(f"hinge_form: output must be an int index, got {output!r}")
    if net.n_hidden_layers > 1:
        raise DimensionError(f"hinge_form: needs at most one hidden layer, the network has "
                             f"{net.n_hidden_layers} (fold linear layers first)")
    if not 0 <= output < net.n_outputs:
        raise DimensionError(f"hinge_form: output {output} does not exist; the network has "
                             f"{net.n_outputs} outputs")
    n = net.n_inputs
    domain = _check_domain(domain, n)
    acc = _Acc(n)
    Wo, bo = net.layers[-1]
    acc.const = bo[output]
    if net.n_hidden_layers == 0:
        acc.lin = list(Wo[output])
        return acc.form()
    W1, b1 = net.layers[0]
    for w, row, b in zip(Wo[output], W1, b1):
        acc.add_relu(tuple(row) + (b,), w)
    acc.fold(domain)
    return acc.form()


def _reduce(net: Any, domain: Any) -> Any:
    from .simplify import fold_linear_layers
    return fold_linear_layers(net, domain)


def sorted_cone(n: int) -> Any:
    """The closed sorted cone {x_1 >= x_2 >= ... >= x_n} as a Polyhedron."""
    from ..convex.polyhedra import Polyhedron
    if n < 2:
        raise DimensionError(f"sorted_cone: needs n >= 2, got {n}")
    rows = []
    for i in range(n - 1):
        r = [0] * (n + 1)
        r[i], r[i + 1] = 1, -1
        rows.append(r)
    return Polyhedron(rows, n)


def _first_layer_map(net: Any, cols: Any) -> Any:
    """``net`` with each row r of its first weight matrix replaced by ``cols(r)``."""
    from .network import ReLUNetwork
    W, b = net.layers[0]
    return ReLUNetwork._trusted([(tuple(tuple(cols(r)) for r in W), b), *net.layers[1:]])


def _on_hyperplane(net: Any) -> Any:
    """y -> net(y, 0) on R^(n-1)."""
    return _first_layer_map(net, lambda r: r[:-1])


def permuted_network(net: Any, perm: Sequence[int]) -> Any:
    """``x -> net(x_{perm[0]}, ..., x_{perm[n-1]})`` (0-based), exact."""
    from .network import ReLUNetwork
    _require_network(net, "permuted_network")
    n = net.n_inputs
    if sorted(perm) != list(range(n)):
        raise DimensionError(f"permuted_network: {list(perm)} is not a permutation of "
                             f"0..{n - 1}")
    W, b = net.layers[0]
    W2 = []
    for row in W:
        new = [Fraction(0)] * n
        for i, j in enumerate(perm):
            new[j] += row[i]
        W2.append(tuple(new))
    return ReLUNetwork._trusted([(tuple(W2), b), *net.layers[1:]])


def structural_form(net: Any) -> tuple:
    """A form of ``net`` that is equal for two networks that are the same up to the order
    of hidden units, positive rescaling of units (relu(s z) = s relu(z), s > 0), opposite
    first-layer units (relu(-z) = relu(z) - z), merging of equal units and dropping of zero
    units and weights. Equal forms imply equal functions; different forms decide nothing.
    O(size); no geometry.

    The second layer's pre-activations are one-hidden-layer functions of x, keyed by their
    canonical :class:`HingeForm`; each later unit by its weights over the previous layer's
    keys and its bias; every key divided by its largest magnitude (order independent).

    >>> import relugeom as rg
    >>> f = rg.ReLUNetwork([([[1, -1], [2, -2]], [0, 0]), ([[1, 1]], [0])])
    >>> g = rg.ReLUNetwork([([[3, -3]], [0]), ([[1]], [0])])      # the same relu, merged
    >>> structural_form(f) == structural_form(g)
    True
    """
    _require_network(net, "structural_form")
    layers = net.layers
    if len(layers) == 1:
        return ("affine", layers[0])
    forms = _second_layer_forms(layers, net.n_inputs)
    if len(layers) == 2:
        return ("hinge", tuple(forms))
    rows = _third_layer_rows(layers, net.n_inputs, forms)
    if len(layers) == 3:
        return ("two hidden layers", tuple(rows))
    return _deep_form(layers, rows)


def _second_layer_forms(layers: Sequence, n: int) -> list[HingeForm]:
    """The second layer's pre-activations, as canonical hinge forms of x."""
    W1, b1 = layers[0]
    prims = [primitive(tuple(r) + (c,)) if any(r) else None for r, c in zip(W1, b1)]

    def preactivation(row: Sequence[Fraction], bias: Fraction) -> HingeForm:
        acc = _Acc(n)
        acc.const = bias
        for w, c, p in zip(row, b1, prims):
            if not w:
                continue
            if p is None:                       # a constant unit relu(c)
                if c > 0:
                    acc.const += w * c
                continue
            h, sc = p
            ws = w * abs(sc)
            acc.hinge[h] = acc.hinge.get(h, Fraction(0)) + ws
            if sc < 0:
                acc.add_affine(h, -ws)
        return acc.form()

    return [preactivation(r, c) for r, c in zip(*layers[1])]


def _third_layer_rows(layers: Sequence, n: int, forms: list[HingeForm]) -> list:
    """Second-layer units relu(G): G scaled to largest magnitude 1 and oriented (relu(G) =
    relu(-G) + G moves G into a one-hidden-layer remainder), so opposite units merge; each
    third-layer row as (remainder form, {unit key: weight})."""
    units: list[Any] = []
    for f in forms:
        m = max([abs(v) for v in f.linear] + [abs(f.constant)] + [abs(c) for _, c in f.hinges])
        if m == 0:
            units.append(None)
            continue
        key = _hinge_key(f, m)
        neg = _hinge_key(f, -m)
        units.append((key, m, False) if key >= neg else (neg, m, True))
    Wn, bn = layers[2]
    rows = []
    for r, c in zip(Wn, bn):
        rem = _Acc(n)
        rem.const = c
        d: dict[Any, Fraction] = {}
        for w, u, f in zip(r, units, forms):
            if u is None or not w:
                continue
            key, m, flipped = u
            d[key] = d.get(key, Fraction(0)) + w * m
            if flipped:                          # w relu(G) = w relu(-G) + w G
                rem.const += w * f.constant
                for i, v in enumerate(f.linear):
                    rem.lin[i] += w * v
                for h, v in f.hinges:
                    rem.hinge[h] = rem.hinge.get(h, Fraction(0)) + w * v
        rows.append((rem.form(), frozenset((k, v) for k, v in d.items() if v)))
    return rows


def _deep_form(layers: Sequence, rows: list) -> tuple:
    """Layers four and up: each unit by its weights over the previous layer's keys (every
    key divided by its largest magnitude) and its bias."""
    keys: list[Any] = []
    scale: list[Fraction] = []
    for rf, items in rows:
        m = max([abs(v) for v in rf.linear] + [abs(rf.constant)] +
                [abs(c) for _, c in rf.hinges] + [abs(v) for _, v in items])
        scale.append(m)
        keys.append(None if m == 0 else (_hinge_key(rf, m),
                                         frozenset((k, v / m) for k, v in items)))
    for depth, (W, b) in enumerate(layers[3:], 4):
        rows2 = []
        for r, c in zip(W, b):
            d = {}
            for w, k, sc in zip(r, keys, scale):
                if k is not None and w:
                    d[k] = d.get(k, Fraction(0)) + w * sc
            rows2.append(({k: v for k, v in d.items() if v}, c))
        if depth == len(layers):
            return ("deep", tuple((frozenset(d.items()), c) for d, c in rows2))
        scale, keys = [], []
        for d, c in rows2:
            m = max([abs(v) for v in d.values()] + [abs(c)])
            scale.append(m)
            keys.append(None if m == 0 else
                        (frozenset((k, v / m) for k, v in d.items()), c / m))
    raise AssertionError("unreachable")  # pragma: no cover


def _hinge_key(f: HingeForm, m: Fraction) -> tuple:
    """``f / m`` as a comparable tuple (m != 0; m < 0 gives the key of -f / |m|)."""
    return (tuple(v / m for v in f.linear), f.constant / m,
            tuple((h, c / m) for h, c in f.hinges))


def _generators(n: int) -> list[list[int]]:
    swap = [1, 0] + list(range(2, n))
    cycle = list(range(1, n)) + [0]
    return [swap] if n == 2 else [swap, cycle]


def structurally_symmetric(net: Any, form: tuple | None = None) -> bool:
    """True when every generator of S_n only relabels ``net``'s hidden units
    (:func:`structural_form`; ``form`` is ``net``'s when already computed): a sound, fast
    sufficient test for symmetry. False decides nothing (:func:`is_symmetric` then decides
    exactly)."""
    _require_network(net, "structurally_symmetric")
    n = net.n_inputs
    base = structural_form(net) if form is None else form
    return n == 1 or all(structural_form(permuted_network(net, p)) == base
                         for p in _generators(n))

"""The tropical form of a ReLU network: a difference of two convex max-affine functions.

Zhang, Naitzat, Lim, *Tropical Geometry of Deep Neural Networks* (ICML 2018), and the
Julia package TropicalNN.jl: every ReLU network with rational weights is a tropical
rational function F - G, with F and G tropical polynomials, i.e. maxima of affine maps
("monomials"). Here everything is exact (Fractions) and in Python.

Layer by layer, each unit carries a pair (F_j, G_j) with value F_j - G_j (the inputs:
F = x_j, G = 0). A pre-activation sum_j w_j (F_j - G_j) + b splits by the sign of w_j:

    P = b + sum_{w_j > 0} w_j F_j + sum_{w_j < 0} |w_j| G_j,
    N =     sum_{w_j > 0} w_j G_j + sum_{w_j < 0} |w_j| F_j,

and relu(P - N) = max(P, N) - N. Sums of max-affine functions are maxima over all sums of
their monomials, positive multiples scale the monomials, max takes the union. After each
step, redundant monomials are removed, decided exactly: monomial (a, c) of max_i (a_i x + c_i)
is kept iff some x makes it strictly larger than every other, i.e. the exact linear
program max t s.t. (a - a_i) x + (c - c_i) >= t for all i has t > 0 (or is unbounded)
(:meth:`relugeom.polyhedra.Polyhedron.maximize`).

Sizes grow like products of monomial counts; the count is checked up front against the
``max_regions`` limit (a TooLargeError, never a MemoryError).

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])     # |x|
>>> t = tropical(net)
>>> [(str(a[0]), str(c)) for a, c in t.F], [(str(a[0]), str(c)) for a, c in t.G]
([('0', '0'), ('2', '0')], [('1', '0')])
>>> t.n_monomials                                   # |x| = max(0, 2x) - x
(2, 1)
>>> t(-3), t.verify(net)
(Fraction(3, 1), True)
>>> rg.tropical(net) == t                           # the module is callable too
True
"""
from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from ..config import check_size
from ..errors import DimensionError, NotExactError

__all__ = ["TropicalForm", "tropical", "prune"]

Monomial = tuple[tuple[Fraction, ...], Fraction]       # (a, c): a . x + c
MaxAffine = tuple[Monomial, ...]


def _value(ms: MaxAffine, x: Sequence[Fraction]) -> Fraction:
    return max(sum((a * b for a, b in zip(m[0], x)), m[1]) for m in ms)


def prune(ms: Sequence[Monomial]) -> MaxAffine:
    """The monomials of max_i (a_i . x + c_i) that are not redundant, sorted (exact)."""
    from ..convex.polyhedra import Polyhedron
    best: dict[tuple[Fraction, ...], Fraction] = {}
    for a, c in ms:
        if a not in best or c > best[a]:
            best[a] = c
    cand = sorted(best.items())
    if len(cand) <= 1:
        return tuple(cand)
    n = len(cand[0][0])
    keep = []
    for j, (a, c) in enumerate(cand):
        rows = [tuple(p - q for p, q in zip(a, ai)) + (Fraction(-1), c - ci)
                for i, (ai, ci) in enumerate(cand) if i != j]
        P = Polyhedron(rows, n + 1)
        val = P.maximize([Fraction(0)] * n + [Fraction(1)])[0]
        if val > 0:
            keep.append((a, c))
    return tuple(keep)


def _scale(ms: MaxAffine, w: Fraction) -> MaxAffine:
    return tuple((tuple(w * v for v in a), w * c) for a, c in ms)


def _add(p: MaxAffine, q: MaxAffine) -> MaxAffine:
    check_size("max_regions", len(p) * len(q), "tropical: monomials of a sum")
    return prune([(tuple(x + y for x, y in zip(a, b)), c + d) for a, c in p for b, d in q])


def _const(n: int, c: Fraction) -> MaxAffine:
    return (((Fraction(0),) * n, c),)


@dataclass(frozen=True)
class TropicalForm:
    """``f = F - G`` with ``F = max_i (a_i . x + c_i)`` and ``G`` likewise, both without
    redundant monomials."""

    n: int
    F: MaxAffine
    G: MaxAffine

    @property
    def n_monomials(self) -> tuple[int, int]:
        """Monomial counts (of F, of G)."""
        return len(self.F), len(self.G)

    def __call__(self, x: Any) -> Fraction:
        """Exact value F(x) - G(x)."""
        pt = [Fraction(v) for v in (x if isinstance(x, (list, tuple)) else [x])]
        if len(pt) != self.n:
            raise DimensionError(f"TropicalForm: {self.n} inputs, got {len(pt)}")
        return _value(self.F, pt) - _value(self.G, pt)

    def network(self) -> Any:
        """F - G as a ReLU network (gadget trees for both maxima, Lemma D.3)."""
        from .maxaffine import network_from_max_affine
        from .network import ReLUNetwork, compose_networks, sum_networks
        neg = ReLUNetwork._trusted([(((Fraction(-1),),), (Fraction(0),))])
        return sum_networks(network_from_max_affine(list(self.F)),
                            compose_networks(neg, network_from_max_affine(list(self.G))))

    # ------------------------------- conveniences reaching up (one-line delegations)
    def verify(self, net: Any) -> bool:
        """Exact check that F - G equals ``net`` on R^n (region enumeration of the
        difference, :func:`relugeom.regions.networks_equal`)."""
        from ..geometry.equality import networks_equal
        return networks_equal(self.network(), net)


def tropical(net: Any, output: int = 0, *, check: bool = False) -> TropicalForm:
    """The tropical form F - G of output ``output`` of ``net`` (exact).

    With ``check=True`` the equality F - G = net on R^n is decided exactly and a
    ValueError raised if it failed (it would be a bug).
    """
    from .network import ReLUNetwork
    if not isinstance(net, ReLUNetwork):
        raise NotExactError(f"tropical: expected a ReLUNetwork, got {type(net).__name__}")
    if not 0 <= output < net.n_outputs:
        raise DimensionError(f"tropical: output {output} does not exist; the network has "
                             f"{net.n_outputs} outputs")
    n = net.n_inputs
    zero = Fraction(0)
    units = [(((tuple(Fraction(int(i == j)) for i in range(n)), zero),), _const(n, zero))
             for j in range(n)]
    last = net.depth - 1
    for k, (W, b) in enumerate(net.layers):
        rows = [W[output]] if k == last else W
        bs = [b[output]] if k == last else b
        new = []
        for row, bi in zip(rows, bs):
            P, N = _const(n, bi), _const(n, zero)
            for w, (Fj, Gj) in zip(row, units):
                if w > 0:
                    P, N = _add(P, _scale(Fj, w)), _add(N, _scale(Gj, w))
                elif w < 0:
                    P, N = _add(P, _scale(Gj, -w)), _add(N, _scale(Fj, -w))
            if k < last:
                new.append((prune(P + N), N))
            else:
                new.append((P, N))
        units = new
    F, G = units[0]
    out = TropicalForm(n, prune(F), prune(G))
    if check and not out.verify(net):
        raise ValueError("tropical: F - G differs from the network (a bug)")
    return out


class _CallableModule(types.ModuleType):
    """``relugeom.tropical`` is both this module and its main function: the package
    attribute resolves to the module once it is imported, so the module itself is made
    callable (``rg.tropical(net)`` is :func:`tropical`)."""

    def __call__(self, net: Any, output: int = 0, *, check: bool = False) -> TropicalForm:
        return tropical(net, output, check=check)


sys.modules[__name__].__class__ = _CallableModule

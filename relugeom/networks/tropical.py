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

Sizes grow like products of monomial counts, and removing redundant monomials costs one
linear program per candidate. Both are bounded up front, from the widths and the nonzero
weights alone (:func:`size_estimate`): every F_j, G_j is affine on each activation region
of the layers so far, so a max-affine function has at most as many monomials as there are
regions, at most prod_l sum_{i <= min(n, w_l)} C(w_l, i) (Serra, Tjandraatmadja,
Ramalingam, *Bounding and Counting Linear Regions of Deep Neural Networks*, ICML 2018,
Theorem 1, with the larger d_l = min(n, w_l)); a partial sum over t units of the layer
before has at most (regions before that layer) x sum_{i <= n} C(t, i) monomials. The
monomial bound is checked against the ``max_regions`` limit and the number of linear
programs against ``max_programs`` (a TooLargeError before any work, never a hang or a
MemoryError); every sum is checked again against ``max_regions`` as it is formed.

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

import contextvars
import math
import sys
import types
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Sequence

from ..config import check_size
from ..errors import DimensionError, NotExactError, TooLargeError

__all__ = ["TropicalForm", "tropical", "prune", "size_estimate"]

Monomial = tuple[tuple[Fraction, ...], Fraction]       # (a, c): a . x + c
MaxAffine = tuple[Monomial, ...]


def _value(ms: MaxAffine, x: Sequence[Fraction]) -> Fraction:
    return max(sum((a * b for a, b in zip(m[0], x)), m[1]) for m in ms)


#: Constraint rows of the linear programs one :func:`prune`, or one :func:`tropical` call
#: in all, may solve (c candidates cost c programs of c - 1 rows). Measured: about 0.1-0.25 ms
#: a row (load 1-6), so the budget stops a computation within about a minute; the bounds of
#: :func:`size_estimate` refuse most hopeless networks before any work.
MAX_PRUNE_ROWS = 300_000
_ROWS_USED: contextvars.ContextVar[list[int] | None] = \
    contextvars.ContextVar("relugeom_tropical_rows", default=None)


def _charge(n_cand: int) -> None:
    """Count the rows of the next prune against :data:`MAX_PRUNE_ROWS`, before solving."""
    used = _ROWS_USED.get()
    before = used[0] if used is not None else 0
    total = before + n_cand * (n_cand - 1)
    if total > MAX_PRUNE_ROWS:
        so_far = f" after {before} rows already solved" if before else ""
        raise TooLargeError(f"tropical: removing redundant monomials needs {n_cand} linear "
                            f"programs of {n_cand - 1} rows{so_far}, over "
                            f"relugeom.networks.tropical.MAX_PRUNE_ROWS = {MAX_PRUNE_ROWS} (raise "
                            f"it to go on)")
    if used is not None:
        used[0] = total


def prune(ms: Sequence[Monomial]) -> MaxAffine:
    """The monomials of max_i (a_i . x + c_i) that are not redundant, sorted (exact).

    One exact linear program per distinct candidate; more than :data:`MAX_PRUNE_ROWS`
    constraint rows in all is a TooLargeError before solving any."""
    from ..convex.polyhedra import Polyhedron
    best: dict[tuple[Fraction, ...], Fraction] = {}
    for a, c in ms:
        if a not in best or c > best[a]:
            best[a] = c
    cand = sorted(best.items())
    if len(cand) <= 1:
        return tuple(cand)
    _charge(len(cand))
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
        difference, :func:`relugeom.geometry.equality.networks_equal`)."""
        from ..geometry.equality import networks_equal
        return networks_equal(self.network(), net)


def _partial_sums(n: int, c: int) -> int:
    """sum_{t < c} sum_{i <= n} C(t, i) = sum_{i <= n} C(c, i + 1) (hockey stick): the
    summed monomial bounds of the partial sums over c units of one arrangement."""
    return sum(math.comb(c, i + 1) for i in range(min(n, c - 1) + 1)) if c else 0


def size_estimate(net: Any, output: int = 0) -> tuple[int, int]:
    """Upper bounds (monomials of F and of G, linear programs of the pruning) for
    :func:`tropical`, from the widths and the nonzero weights only (see the module notes).

    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1]], [0])])     # |x|
    >>> size_estimate(net)                      # 1 + 2 regions; few programs
    (3, 16)
    """
    n = net.n_inputs
    regions = [1]                  # regions[k]: bound for the first k hidden layers
    programs = 0
    last = net.depth - 1
    cache: dict[int, int] = {}
    for k, (W, _) in enumerate(net.layers):
        rows = [W[output]] if k == last else W
        for row in rows:
            c = sum(1 for w in row if w)
            if k == 0:                                  # sums of affine inputs: 1 each
                programs += 2 * c
                continue
            if c not in cache:
                cache[c] = _partial_sums(n, c)
            # the t-th sum: (partial sum over t - 1 units) x (one unit's F or G: its
            # own hyperplane cuts each earlier region in two), for P and for N
            before = regions[k - 1]
            programs += 2 * min(2 * before * before * cache[c], c * regions[k] ** 2)
        if k < last:
            programs += 2 * len(W) * regions[k] * 2 if k else 0   # prune(P + N)
            regions.append(regions[k] * sum(math.comb(len(W), i)
                                            for i in range(min(n, len(W)) + 1)))
    return regions[-1], programs


def _check_estimate(net: Any, output: int) -> None:
    from ..config import get_limit
    from ..numbers.rational import short
    monomials, programs = size_estimate(net, output)
    for name, value, what in (("max_regions", monomials, "monomials in F or G"),
                              ("max_programs", programs, "linear programs to prune them")):
        limit = get_limit(name)
        if value > limit:
            raise TooLargeError(
                f"tropical: a network of {net.n_inputs} inputs and widths "
                f"{short(list(net.widths))} may need up to {short(value)} {what} (bound "
                f"from its widths: relugeom.networks.tropical.size_estimate), over the limit "
                f"{name}={limit} (raise it with relugeom.limits({name}=...))")


def tropical(net: Any, output: int = 0, *, check: bool = False) -> TropicalForm:
    """The tropical form F - G of output ``output`` of ``net`` (exact).

    With ``check=True`` the equality F - G = net on R^n is decided exactly and a
    ValueError raised if it failed (it would be a bug).

    Raises
    ------
    TooLargeError
        Up front, when the bounds of :func:`size_estimate` (monomials, linear programs)
        are over the limits ``max_regions`` / ``max_programs``.
    """
    from .network import ReLUNetwork
    if not isinstance(net, ReLUNetwork):
        raise NotExactError(f"tropical: expected a ReLUNetwork, got {type(net).__name__}")
    if isinstance(output, bool) or not isinstance(output, int) or \
            not 0 <= output < net.n_outputs:
        raise DimensionError(f"tropical: output {output!r} does not exist; the network has "
                             f"{net.n_outputs} outputs")
    _check_estimate(net, output)
    token = _ROWS_USED.set([0])
    try:
        out = _tropical(net, output)
    finally:
        _ROWS_USED.reset(token)
    if check and not out.verify(net):
        raise ValueError("tropical: F - G differs from the network (a bug)")
    return out


def _tropical(net: Any, output: int) -> TropicalForm:
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
    return TropicalForm(n, prune(F), prune(G))


class _CallableModule(types.ModuleType):
    """``relugeom.tropical`` is both this module and its main function: the package
    attribute resolves to the module once it is imported, so the module itself is made
    callable (``rg.tropical(net)`` is :func:`tropical`)."""

    def __call__(self, net: Any, output: int = 0, *, check: bool = False) -> TropicalForm:
        return tropical(net, output, check=check)


sys.modules[__name__].__class__ = _CallableModule

"""Deciding equality and symmetry of networks, exactly.

:func:`networks_equal` (also ``rg.networks_equal``) first tries the algebraic routes of
:mod:`relugeom.networks.hinge` (the canonical hinge form of one-hidden-layer networks,
the structural form of deeper ones, the sorted cone of symmetric ones; no geometry), and
enumerates the activation regions of ``a - b`` (:mod:`relugeom.geometry.regions`) only when
they do not decide. :func:`is_symmetric` and :func:`is_translation_equivariant` reduce to
it. Which reductions are sound is explained in :mod:`relugeom.networks.hinge`.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..config import check_size
from ..errors import DimensionError, DomainError
from ..networks.hinge import (_check_domain, _first_layer_map, _generators, _on_hyperplane,
                              _reduce, _require_network, hinge_form, permuted_network,
                              sorted_cone, structural_form, structurally_symmetric)
from .domains import _as_domain
from .regions import _enumerate

__all__ = ["networks_equal", "network_equals", "equal", "equal_symmetric", "is_symmetric",
           "is_translation_equivariant"]


def networks_equal(a: Any, b: Any, domain: Any = None, *, method: str = "auto") -> bool:
    """Functional equality of two networks with the same shape on ``domain`` (default
    R^n; a box or a Polyhedron), decided exactly.

    ``method="auto"``: the hinge-form route of :func:`equal` (one hidden
    layer, or first layers linear on the domain; O(w log w), no enumeration), else
    enumeration. ``method="enumerate"``: every activation region of ``a - b`` on the
    domain has the zero map."""
    _require_network(a, "networks_equal", "a")
    _require_network(b, "networks_equal", "b")
    from ..networks.network import ReLUNetwork, compose_networks, sum_networks
    if a.n_inputs != b.n_inputs or a.n_outputs != b.n_outputs:
        raise DimensionError(f"networks_equal: shapes differ ({a.n_inputs} -> {a.n_outputs} "
                             f"and {b.n_inputs} -> {b.n_outputs})")
    if method not in ("auto", "enumerate"):
        raise DomainError(f"networks_equal: method must be 'auto' or 'enumerate', got "
                          f"{method!r}")
    if method == "auto":
        return equal(a, b, domain)
    dbox, poly = _as_domain(domain, a.n_inputs)
    m = a.n_outputs
    neg = ReLUNetwork._trusted([(tuple(tuple(Fraction(-1) if i == j else Fraction(0)
                                             for j in range(m)) for i in range(m)),
                                 (Fraction(0),) * m)])
    d = sum_networks(a, compose_networks(neg, b))
    records, _ = _enumerate(d, dbox, None, False, poly)
    check_size("max_regions", len(records), "networks_equal")
    return all(not any(any(r) for r in rec[2]) for rec in records)


def equal(a: Any, b: Any, domain: Any = None) -> bool:
    """Exact functional equality of two networks on ``domain`` (default R^n).

    Routes, in order (all exact; see the module doc): the same units
    (:func:`structural_form`); on R^n, a side that is structurally symmetric and a side
    that is not smaller, whose symmetry is then decided exactly (not symmetric: the two
    differ; symmetric: the sorted cone decides); hinge forms when both sides have (after
    folding first layers that are linear on the domain) at most one hidden layer;
    otherwise exact region enumeration of a - b (:func:`networks_equal`).
    """
    _require_network(a, "networks_equal", "a")
    _require_network(b, "networks_equal", "b")
    if a.n_inputs != b.n_inputs or a.n_outputs != b.n_outputs:
        raise DimensionError(f"networks_equal: shapes differ ({a.n_inputs} -> {a.n_outputs} "
                             f"and {b.n_inputs} -> {b.n_outputs})")
    return _equal(a, b, _check_domain(domain, a.n_inputs), True)


def _equal(a: Any, b: Any, domain: Any, symmetric_route: bool) -> bool:
    deep = a.n_hidden_layers > 1 or b.n_hidden_layers > 1
    if deep:
        fa, fb = structural_form(a), structural_form(b)
        if fa == fb:
            return True                         # the same units, relabelled or rescaled
    if deep and domain is None and a.n_inputs > 1 and symmetric_route:
        sa, sb = structurally_symmetric(a, fa), structurally_symmetric(b, fb)
        if sa and sb:
            return equal_symmetric(a, b, check_symmetry=False)  # both shown symmetric
        if sa != sb:
            # one side is symmetric; if the smaller other side is not, they differ (a = b
            # would make it symmetric); if it is, both are and the sorted cone decides
            other = b if sa else a
            if other.size <= (a if sb else b).size:
                if not is_symmetric(other):
                    return False
                return equal_symmetric(a, b, check_symmetry=False)
    if domain is not None or deep:
        a, b = _reduce(a, domain), _reduce(b, domain)
    if a.n_hidden_layers <= 1 and b.n_hidden_layers <= 1:
        return all(hinge_form(a, i, domain) == hinge_form(b, i, domain)
                   for i in range(a.n_outputs))
    return networks_equal(a, b, domain=domain, method="enumerate")


def equal_symmetric(a: Any, b: Any, *, check_symmetry: bool = True,
                    translation: bool = False, check_translation: bool = True) -> bool:
    """Equality on R^n of two symmetric networks, decided on the sorted cone.

    Sound because every point is a permutation of a sorted one, *provided both sides are
    symmetric*: checked exactly with :func:`is_symmetric` unless ``check_symmetry=False``
    (then the caller vouches, e.g. a sum over all permutations). A DomainError if a side
    is not symmetric. On the cone, leading layers linear there fold away and the hinge
    form decides; otherwise exact enumeration on the cone.

    ``translation=True`` also uses f(x + t 1) = f(x) + t on both sides (checked with
    :func:`is_translation_equivariant` unless ``check_translation=False``; a DomainError
    if a side fails): the check then runs on x_n = 0, the cone
    y_1 >= ... >= y_(n-1) >= 0 of R^(n-1).

    >>> from relugeom.depth.maxfive import reference_max_network
    >>> m3 = reference_max_network(3)
    >>> equal_symmetric(m3, m3, translation=True)
    True
    """
    _require_network(a, "equal_symmetric", "a")
    _require_network(b, "equal_symmetric", "b")
    if a.n_inputs != b.n_inputs:
        raise DimensionError(f"equal_symmetric: {a.n_inputs} and {b.n_inputs} inputs")
    if check_symmetry:
        for name, f in (("first", a), ("second", b)):
            if not is_symmetric(f):
                raise DomainError(f"equal_symmetric: the {name} network is not symmetric "
                                  f"in its inputs; the sorted-cone reduction is unsound")
    n = a.n_inputs
    if translation:
        if check_translation:
            for name, f in (("first", a), ("second", b)):
                if not is_translation_equivariant(f):
                    raise DomainError(f"equal_symmetric: the {name} network does not "
                                      f"satisfy f(x + t1) = f(x) + t; the translation "
                                      f"reduction is unsound")
        if n == 1:          # f(t) = f(0) + t on both sides: compare the values at 0
            return a([0]) == b([0])
        from ..convex.polyhedra import Polyhedron
        rows = []
        for i in range(n - 1):
            r = [0] * n
            r[i] = 1
            if i + 1 < n - 1:
                r[i + 1] = -1
            rows.append(r)
        return equal(_on_hyperplane(a), _on_hyperplane(b), Polyhedron(rows, n - 1))
    if n == 1:
        return equal(a, b)
    return equal(a, b, sorted_cone(n))


def is_translation_equivariant(net: Any) -> bool:
    """Does ``net`` satisfy f(x + t 1) = f(x) + t for all x, t (every output)? Exact.

    At most one hidden layer: from the hinge form (every kink normal p has p . 1 = 0 and
    the linear part sums to 1). Deeper: :func:`equal` of the two networks
    (x, t) -> f(x + t 1) and (x, t) -> f(x) + t on R^(n+1).

    >>> import relugeom as rg
    >>> mx = rg.ReLUNetwork([([[1, -1]], [0]), ([[1]], [0])])     # relu(x - y): no
    >>> m2 = rg.ReLUNetwork([([[1, -1], [0, 1], [0, -1]], [0, 0, 0]),
    ...                      ([[1, 1, -1]], [0])])                  # max(x, y): yes
    >>> is_translation_equivariant(mx), is_translation_equivariant(m2)
    (False, True)
    """
    _require_network(net, "is_translation_equivariant")
    from ..networks.network import ReLUNetwork, sum_networks
    n, m = net.n_inputs, net.n_outputs
    if net.n_hidden_layers <= 1:
        for i in range(m):
            hf = hinge_form(net, i)
            if sum(hf.linear) != 1 or any(sum(h[:n]) != 0 for h, _ in hf.hinges):
                return False
        return True
    shifted = _first_layer_map(net, lambda r: list(r) + [sum(r, Fraction(0))])
    plain = _first_layer_map(net, lambda r: list(r) + [Fraction(0)])
    t = ReLUNetwork._trusted([(tuple(tuple(Fraction(int(j == n)) for j in range(n + 1))
                                     for _ in range(m)), (Fraction(0),) * m)])
    return equal(shifted, sum_networks(plain, t))


def is_symmetric(net: Any) -> bool:
    """Is ``net`` invariant under every permutation of its inputs? Exact: checked for the
    generators (0 1) and (0 1 ... n-1) of S_n by :func:`equal`, whose first route is
    :func:`structural_form` (a permutation that only relabels hidden units, e.g. a sum
    over all permutations)."""
    _require_network(net, "is_symmetric")
    n = net.n_inputs
    # without equal's symmetric-side route, which calls this (no recursion)
    return n == 1 or all(_equal(permuted_network(net, p), net, None, False)
                         for p in _generators(n))


def network_equals(a: Any, b: Any) -> bool:
    """``a.equals(b)``: functional equality of two networks, decided exactly (one input
    through ``to_pwl``, several through :func:`networks_equal`); False when the shapes
    differ."""
    _require_network(b, "equals", "other")
    if a.n_inputs != b.n_inputs or a.n_outputs != b.n_outputs:
        return False
    if a.n_inputs == 1:
        return all(a.to_pwl(i) == b.to_pwl(i) for i in range(a.n_outputs))
    return networks_equal(a, b)

"""The hard functions of higher dimension: H o gamma_Z, the hard family of Section 3 of
arXiv 1611.01491 composed with the support function of a zonotope Z (Theorem 3.9), as a
network and with its exact piece count beside the paper's formula."""
from __future__ import annotations

from fractions import Fraction
from typing import Any

from ..geometry.regions import linear_regions
from ..geometry.zonotope import Zonotope, paper_vertex_count
from ..networks.network import ReLUNetwork, compose_networks
from .families import hard_function, hard_network

__all__ = ["zonotope_network", "zonotope_piece_count"]


def zonotope_network(params: Any, M: Any, generators: Any) -> ReLUNetwork:
    """ZONOTOPE^n_{k,w,m}[a, b] = H_{a^1..a^k} o gamma_Z as a network (Proposition 3.8):
    depth k + 2, size 2m + wk.

    Examples
    --------
    >>> from relugeom.depth.zonotope_hard import zonotope_network
    >>> net = zonotope_network([["1/2"], ["1/2"]], 1, [(1, 0), (0, 1)])
    >>> net.depth, net.size
    (4, 8)
    """
    Z = generators if isinstance(generators, Zonotope) else Zonotope(generators)
    return compose_networks(hard_network(params, M), Z.support_network())


def zonotope_piece_count(params: Any, M: Any, generators: Any) -> dict[str, int]:
    """Exact piece count of H o gamma_Z over R^n, with what the structure predicts and the
    paper's formula.

    ``exact`` comes from the exact region enumeration. ``predicted`` counts connected
    components piece by piece of H on [0, inf) (gamma_Z >= 0 takes every value there):
    with r the rank of the generators,

    - r = 0: gamma_Z = 0 and the function is constant: 1 piece;
    - a non-constant piece of H gives one piece per vertex of Z (on the normal cone of the
      vertex v, gamma_Z = <v, x> sweeps the whole interval; distinct vertices give
      distinct gradients);
    - a constant piece of H on [t1, t2] gives the set {t1 <= gamma_Z <= t2}: connected
      when t1 = 0 (a convex set); otherwise a shell around the cylinder {gamma_Z < t1}
      = K x span(b)^perp with K bounded convex in span(b), whose complement in the r-
      dimensional span is connected for r >= 2 and two half-lines for r = 1: 1 component
      when r >= 2, 2 when r = 1.

    Distinct constant pieces of H never touch (H is continuous and its pieces maximal).
    ``paper`` = (sum_{i<n} C(m-1, i)) * w^k.

    Examples
    --------
    >>> from relugeom.depth.zonotope_hard import zonotope_piece_count
    >>> c = zonotope_piece_count([["1/2"], ["1/2"]], 1, [(1,)])   # n = 1: two outer rays
    >>> c["exact"], c["predicted"]
    (10, 10)
    """
    Z = generators if isinstance(generators, Zonotope) else Zonotope(generators)
    net = zonotope_network(params, M, Z)
    exact = linear_regions(net).n_pieces
    H = hard_function(params, M)
    bps = [x for x in H.breakpoints if x > 0]
    slopes = H.slopes[len(H.breakpoints) - len(bps):]
    lefts = [Fraction(0)] + bps                     # left end of each piece on [0, inf)
    V = Z.n_vertices
    r = Z.rank
    if r == 0:
        predicted = 1
    else:
        predicted = sum(V if s != 0 else (1 if t == 0 or r >= 2 else 2)
                        for s, t in zip(slopes, lefts))
    k, w = len(params), len(params[0]) + 1
    return {"exact": exact, "predicted": predicted, "vertices": V,
            "paper": paper_vertex_count(Z.n, Z.m) * w ** k}

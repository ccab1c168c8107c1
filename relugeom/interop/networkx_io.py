"""The adjacency graph of linear regions as a networkx graph (the dual graph of the
partition, as in relucent).

Nodes are region indices with the attributes ``activation_pattern``, ``affine_map``,
``interior_point``, ``bounded``, ``piece`` (index into ``pieces()``) and, for bounded
regions in the plane, the exact ``area``; an edge joins two regions that share an
(n-1)-dimensional boundary piece, with the attribute ``same_map`` (the function has the
same affine map on both sides, so the edge lies inside one piece).

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> G = rg.linear_regions(net, box=[(-1, 1), (-1, 1)]).to_networkx()
>>> G.number_of_nodes(), G.number_of_edges(), G.nodes[0]["area"]
(4, 4, Fraction(1, 1))
"""
from __future__ import annotations

from typing import Any

__all__ = ["to_networkx"]


def to_networkx(lr: Any) -> Any:
    """A ``networkx.Graph`` of the regions of ``lr`` and their adjacency (see above)."""
    from ._extras import require
    nx = require("networkx", "networkx", "to_networkx")
    G = nx.Graph()
    piece = {i: k for k, grp in enumerate(lr.pieces()) for i in grp}
    for i, r in enumerate(lr.regions):
        attrs = {"activation_pattern": r.activation_pattern, "affine_map": r.affine_map,
                 "interior_point": r.interior_point, "bounded": r.is_bounded,
                 "piece": piece[i]}
        if lr.n_inputs == 2 and r.is_bounded:
            attrs["area"] = r.area
        G.add_node(i, **attrs)
    for i, j in lr.adjacency:
        G.add_edge(i, j, same_map=lr.regions[i]._out == lr.regions[j]._out)
    return G

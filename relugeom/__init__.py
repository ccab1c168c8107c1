"""relugeom: exact computational geometry of ReLU networks.

Continuous piecewise-linear functions with rational breakpoints, ReLU networks with exact
weights, their pieces and linear regions, and the depth-separation theorems of Arora, Basu,
Mianjy and Mukherjee (ICLR 2018), checked exactly.

>>> import relugeom as rg
>>> t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
>>> (t @ t @ t).n_pieces_on(0, 1)
8
"""
from __future__ import annotations

import importlib
from typing import Any

from .config import get_limit, limits, set_limits
from .networks.convert import network_from_pwl
from .errors import (DimensionError, DomainError, NotExactError, RelugeomError,
                     SerializationError, TooLargeError)
from .interop.documents import from_json, to_json
from .networks.network import (ReLUNetwork, affine_network, compose_networks, identity_network,
                      maximum_network, minimum_network, stack_networks, sum_networks)
from .functions.pwl import PiecewiseLinear
from .functions.operations import add, compose, linear_combination, maximum, minimum, relu
from .numbers.rational import as_rational, exact

from ._aliases import install as _install_aliases

__version__ = "0.1.0"

# The layers, bottom to top; imports run down this list and never up (a convenience method
# on a core type that reaches up is a one-line delegation, grouped at the end of its class).
LAYERS = ("numbers", "convex", "functions", "networks", "geometry", "depth", "erm",
          "interop", "paper")

# rg.<name> for every documented module, loaded on first use (heavier dependencies)
_MODULES = {
    "rational": "numbers.rational", "limbs": "numbers.limbs", "surd": "numbers.surd",
    "encoding": "numbers.encoding",
    "polyhedra": "convex.polyhedra", "polygon": "convex.polygon",
    "planes": "convex.planes", "cells": "convex.cells",
    "pwl": "functions.pwl", "cpwl": "functions.cpwl",
    "network": "networks.network", "convert": "networks.convert",
    "simplify": "networks.simplify", "hinge": "networks.hinge",
    "maxaffine": "networks.maxaffine", "tropical": "networks.tropical",
    "regions": "geometry.regions", "regionset": "geometry.regionset",
    "boundary": "geometry.boundary", "lines": "geometry.lines",
    "zonotope": "geometry.zonotope", "equality": "geometry.equality",
    "families": "depth.families", "bounds": "depth.bounds",
    "certificates": "depth.certificates", "maxfive": "depth.maxfive",
    "symbolic": "depth.symbolic",
    "erm": "erm", "interop": "interop", "strategies": "interop.strategies",
    "io": "interop.documents",
    "verify": "paper.verify", "checks": "paper.checks", "figures": "paper.figures",
    "figures_paper": "paper.figures_paper", "figures_theorems": "paper.figures_theorems",
    "plotting": "paper.plotting", "reprs": "paper.reprs",
    "benchmarks": "benchmarks",
}
_LAZY_MODULES = tuple(m for m in _MODULES if m not in (
    "rational", "limbs", "encoding", "polygon", "pwl", "network", "convert", "io",
    "checks", "figures_paper", "figures_theorems")) + LAYERS
_LAZY_NAMES = {
    "linear_regions": "geometry.regions",
    "plane": "convex.planes",
    "Polyhedron": "convex.polyhedra",
    "CPWLFunction": "functions.cpwl",
    "Zonotope": "geometry.zonotope",
    "network_from_max_affine": "networks.maxaffine",
    "network_from_min_affine": "networks.maxaffine",
    "network_from_cpwl": "networks.maxaffine",
    "wang_sun_representation": "networks.maxaffine",
    "convex_representation": "networks.maxaffine",
    "network_from_terms": "networks.maxaffine",
    "simplified": "networks.simplify",
    "hinge_form": "networks.hinge",
    "load_certificate": "depth.certificates",
    "decide_certificate": "depth.certificates",
    "tropical": "networks.tropical",
    "networks_equal": "geometry.equality",
    "Surd": "numbers.surd",
}

__all__ = [
    "__version__",
    # numbers and limits
    "as_rational", "exact", "limits", "set_limits", "get_limit",
    # errors
    "RelugeomError", "NotExactError", "DimensionError", "DomainError", "TooLargeError",
    "SerializationError",
    # 1-D functions
    "PiecewiseLinear", "compose", "add", "linear_combination", "maximum", "minimum", "relu",
    # networks
    "ReLUNetwork", "compose_networks", "sum_networks", "stack_networks", "maximum_network",
    "minimum_network", "affine_network", "identity_network", "network_from_pwl",
    # serialisation
    "to_json", "from_json",
    # loaded on first use
    *_LAZY_NAMES, *_LAZY_MODULES,
]


def __getattr__(name: str) -> Any:
    if name in _MODULES or name in LAYERS:
        return importlib.import_module(f"{__name__}.{_MODULES.get(name, name)}")
    if name in _LAZY_NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_LAZY_NAMES[name]}"), name)
        globals()[name] = value          # found once: later lookups are plain attributes
        return value
    raise AttributeError(f"module 'relugeom' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


_install_aliases(__name__, _MODULES)

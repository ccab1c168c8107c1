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
from .convert import network_from_pwl
from .errors import (DimensionError, DomainError, NotExactError, RelugeomError,
                     SerializationError, TooLargeError)
from .io import from_json, to_json
from .network import (ReLUNetwork, affine_network, compose_networks, identity_network,
                      maximum_network, minimum_network, stack_networks, sum_networks)
from .pwl import (PiecewiseLinear, add, compose, linear_combination, maximum, minimum,
                  relu)
from .rational import as_rational, exact

__version__ = "0.1.0"

# submodules and names that load on first use (they pull in heavier dependencies)
_LAZY_MODULES = ("families", "bounds", "symbolic", "regions", "regionset", "zonotope",
                 "polyhedra", "maxfive", "cpwl", "maxaffine",
                 "simplify", "hinge", "certificates", "tropical",
                 "erm", "figures", "plotting", "strategies", "verify", "benchmarks",
                 "lines", "interop", "boundary", "surd")
_LAZY_NAMES = {
    "linear_regions": "regions",
    "plane": "polyhedra",
    "Polyhedron": "polyhedra",
    "CPWLFunction": "cpwl",
    "Zonotope": "zonotope",
    "network_from_max_affine": "maxaffine",
    "network_from_min_affine": "maxaffine",
    "network_from_cpwl": "maxaffine",
    "wang_sun_representation": "maxaffine",
    "convex_representation": "maxaffine",
    "network_from_terms": "maxaffine",
    "simplified": "simplify",
    "hinge_form": "hinge",
    "load_certificate": "certificates",
    "decide_certificate": "certificates",
    "tropical": "tropical",
    "networks_equal": "regions",
    "Surd": "surd",
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
    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _LAZY_NAMES:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY_NAMES[name]}"), name)
    raise AttributeError(f"module 'relugeom' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

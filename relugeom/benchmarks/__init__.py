"""Speed benchmarks behind ``relugeom bench``: each prints figures and ratios against a
baseline measured in the same process (machines are noisy; ratios hold)."""
from __future__ import annotations

import importlib
from typing import Callable

__all__ = ["run", "available"]

_MODULES = {"compose": "core", "hard": "depth", "regions": "regions", "erm": "erm",
            "frontier": "frontier", "importers": "imports", "hostile": "hostile",
            "trained": "torchnets", "search": "search"}
_ALSO = {"frontier": ("search",)}     # sections printed after a benchmark


def available() -> list[str]:
    """Benchmark names whose module exists."""
    out = []
    for name, mod in _MODULES.items():
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError:
            continue
        out.append(name)
    return out


def _get(name: str) -> Callable[..., None]:
    mod = importlib.import_module(f"{__name__}.{_MODULES[name]}")
    return getattr(mod, f"bench_{name}")


def run(name: str = "all", quick: bool = False) -> int:
    """Run one benchmark (or all); prints its figures. Returns an exit status."""
    names = available() if name == "all" else [name]
    for n in names:
        if n not in _MODULES:
            import sys
            print(f"relugeom: error: unknown benchmark {n!r}; known: {', '.join(_MODULES)}",
                  file=sys.stderr)
            return 2
        print(f"== bench {n}")
        _get(n)(quick=quick)
        for extra in _ALSO.get(n, ()) if name != "all" else ():
            _get(extra)(quick=quick)
    return 0

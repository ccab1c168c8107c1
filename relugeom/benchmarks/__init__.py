"""Speed benchmarks behind ``relugeom bench``: each prints figures and ratios against a
baseline measured in the same process (machines are noisy; ratios hold)."""
from __future__ import annotations

import importlib
import time
from typing import Any, Callable

__all__ = ["run", "available", "best_time"]

_MODULES = {"compose": "core", "hard": "depth", "regions": "regions", "erm": "erm",
            "frontier": "frontier", "importers": "imports", "hostile": "hostile",
            "trained": "torchnets", "search": "search", "memory": "memory"}
_ALSO = {"frontier": ("search",), "trained": ("memory",)}    # printed after a benchmark


def best_time(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The best wall time of ``repeat`` calls of ``fn`` and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


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

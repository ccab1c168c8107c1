"""Compiled kernels made on first use: numba when it imports (a dependency, wheels only),
else nothing, and each caller keeps its numpy route. Every kernel module keeps its kernels
in a one-element list (empty until first use, then the kernels or None) and builds them
here, once."""
from __future__ import annotations

from typing import Any, Callable

__all__ = ["compile_once"]


def compile_once(slot: list, build: Callable[[Any], Any]) -> Any:
    """``slot[0]``, made on the first call as ``build(numba)`` (None, remembered, when numba
    does not import)."""
    if not slot:
        try:
            import numba
        except ImportError:          # pragma: no cover - numba is a dependency
            slot.append(None)
        else:
            slot.append(build(numba))
    return slot[0]

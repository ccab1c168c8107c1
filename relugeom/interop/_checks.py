"""Up-front checks shared by the importers: what a torch module tree may contain, and
the exact reading of a scalar parameter (finite, or an absent bound)."""
from __future__ import annotations

import math
import numbers
from fractions import Fraction
from typing import Any

from ..errors import DomainError, NotExactError

__all__ = ["check_global_hooks", "check_module_tree", "finite_param"]

# methods whose override changes what a container computes
_CONTAINER_METHODS = ("forward", "__call__", "_call_impl", "_wrapped_call_impl", "__iter__")


def finite_param(v: Any, what: str, name: str, *, absent: float | None = None
                 ) -> Fraction | None:
    """The exact value of a scalar parameter (a float's binary value). ``absent`` is the
    one infinity that means "no bound" (``-inf`` for a lower bound): it gives ``None``;
    NaN and any other infinity are refused with :class:`DomainError` naming ``name``."""
    if hasattr(v, "item") and getattr(v, "ndim", 0) == 0:
        v = v.item()
    if isinstance(v, bool) or not isinstance(v, numbers.Real):
        raise NotExactError(f"{what}: {name} = {v!r} is not a real number")
    if isinstance(v, numbers.Integral):
        return Fraction(int(v))
    v = float(v)
    if absent is not None and v == absent:
        return None
    if not math.isfinite(v):
        raise DomainError(f"{what}: {name} = {v!r}, expected a finite number")
    return Fraction(v)


def _where(path: str) -> str:
    if len(path) > 60:
        return f"{path[:28]}...{path[-28:]}"
    return path or "0"


def check_global_hooks() -> None:
    """Refuse a global forward hook (it can change every module's output)."""
    from torch.nn.modules import module as tm
    for name in ("_global_forward_hooks", "_global_forward_pre_hooks"):
        if getattr(tm, name, None):
            raise DomainError(f"from_torch: a global forward hook is registered "
                              f"(torch.nn.modules.module.{name}); it can change every "
                              f"module's output, which the import would not follow; "
                              f"remove it first")


def check_module_tree(root: Any, residual_cls: type, max_nesting: int) -> None:
    """Refuse, before anything is read, a torch module tree whose forward is not the
    documented one: forward (pre-)hooks, a ``forward`` set on an instance, a subclass of
    ``nn.Sequential`` / ``residual_cls`` overriding how it calls its children, nesting
    deeper than ``max_nesting`` (walked iteratively: no recursion)."""
    from torch import nn
    check_global_hooks()
    stack = [(root, "", 0)]
    seen: set[int] = set()
    while stack:
        mod, path, depth = stack.pop()
        if id(mod) in seen:
            continue
        seen.add(id(mod))
        label = f"module {_where(path)} ({type(mod).__name__})"
        if depth > max_nesting:
            raise DomainError(f"from_torch: {label} is nested {depth} levels deep, over "
                              f"the limit of {max_nesting}")
        if getattr(mod, "_forward_hooks", None) or getattr(mod, "_forward_pre_hooks", None):
            raise DomainError(f"from_torch: {label} has a forward hook or pre-hook; it can "
                              f"change the module's output, which the import would not "
                              f"follow; remove it (handle.remove()) first")
        if "forward" in vars(mod):
            raise DomainError(f"from_torch: {label} has a forward set on the instance; "
                              f"only the class's documented forward is imported")
        for base in (nn.Sequential, residual_cls):
            if isinstance(mod, base) and type(mod) is not base:
                for meth in _CONTAINER_METHODS:
                    if getattr(type(mod), meth, None) is not getattr(base, meth, None):
                        raise DomainError(
                            f"from_torch: {label} subclasses {base.__name__} and overrides "
                            f"{meth}; only {base.__name__}'s own semantics are imported, "
                            f"so it would not be this module")
        for name, child in reversed(list(mod._modules.items())):
            if child is not None:
                stack.append((child, f"{path}.{name}" if path else name, depth + 1))

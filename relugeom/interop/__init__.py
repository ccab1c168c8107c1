"""Conversions between relugeom and other tools, each loaded on first use.

* :mod:`~relugeom.interop.torch_io`: ``from_torch`` / ``to_torch`` and the
  :class:`~relugeom.interop.torch_io.Residual` block convention (needs torch);
* :mod:`~relugeom.interop.onnx_io`: ``from_onnx`` (needs onnx);
* :mod:`~relugeom.interop.networkx_io`: the region adjacency graph (needs networkx);
* :mod:`~relugeom.interop.hypothesis_hook`: the hypothesis entry point that registers
  relugeom's strategies for ``st.from_type``.

torch, onnx and networkx are optional extras: when one is missing, using the functions
that need it raises :class:`~relugeom.errors.MissingExtraError` (a ``RelugeomError`` and
an ``ImportError``) naming the install command, e.g. ``pip install "relugeom[torch]"``.

>>> import relugeom.interop as io
>>> sorted(io.__all__)
['Residual', 'from_onnx', 'from_torch', 'networkx_io', 'onnx_io', 'to_networkx', 'to_torch', 'torch_io']
"""
from __future__ import annotations

import importlib
from typing import Any

_NAMES = {"from_torch": "torch_io", "to_torch": "torch_io", "Residual": "torch_io",
          "from_onnx": "onnx_io", "to_networkx": "networkx_io"}
_MODULES = ("torch_io", "onnx_io", "networkx_io")

__all__ = [*_NAMES, *_MODULES]


def _module(mod: str) -> Any:
    """Import an interop module; a missing optional dependency becomes a
    MissingExtraError naming the extra to install (``pip install "relugeom[torch]"``)."""
    try:
        return importlib.import_module(f"{__name__}.{mod}")
    except ImportError as exc:
        from ._extras import EXTRAS, missing
        root = (exc.name or "").split(".")[0]
        if root in EXTRAS:
            raise missing(root, f"relugeom.interop.{mod}") from None
        raise


def __getattr__(name: str) -> Any:
    if name in _MODULES:
        return _module(name)
    if name in _NAMES:
        return getattr(_module(_NAMES[name]), name)
    raise AttributeError(f"module 'relugeom.interop' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

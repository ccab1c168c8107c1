"""Optional dependencies: a missing one is a :class:`~relugeom.errors.MissingExtraError`
naming the extra that installs it."""
from __future__ import annotations

import importlib
from typing import Any

from ..errors import MissingExtraError

__all__ = ["require", "EXTRAS"]

#: module -> the relugeom extra that installs it
EXTRAS = {"torch": "torch", "onnx": "onnx", "networkx": "networkx"}


def missing(module: str, what: str) -> MissingExtraError:
    extra = EXTRAS.get(module, module)
    return MissingExtraError(f"{what} needs {module}, which is not installed: "
                             f'pip install "relugeom[{extra}]"')


def require(module: str, extra: str, what: str) -> Any:
    """Import ``module`` or raise MissingExtraError naming ``pip install relugeom[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        if exc.name is not None and exc.name.split(".")[0] != module:
            raise
        raise missing(module, what) from None

"""Old module paths keep importing: ``import relugeom.regions`` is
``relugeom.geometry.regions``, the same module object (so isinstance, pickling and JSON
type names are unaffected). relugeom's own code imports the layered paths only."""
from __future__ import annotations

import importlib
import importlib.abc
import importlib.util
import sys
from types import ModuleType
from typing import Any


class _AliasLoader(importlib.abc.Loader):
    def __init__(self, target: str) -> None:
        self.target = target

    def create_module(self, spec: Any) -> ModuleType:
        module = importlib.import_module(self.target)
        self.saved = (module.__spec__, module.__loader__)
        return module

    def exec_module(self, module: ModuleType) -> None:
        # the import machinery stamped the alias's spec on the real module: put it back
        module.__spec__, module.__loader__ = self.saved


class _AliasFinder(importlib.abc.MetaPathFinder):
    def __init__(self, package: str, table: dict[str, str]) -> None:
        self.aliases = {f"{package}.{old}": f"{package}.{new}"
                        for old, new in table.items() if old != new}
        self.package = package

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        # every import of the process passes here first: one dict lookup decides
        head, _, rest = name.partition(".")
        if head != self.package or not rest:
            return None
        old, _, below = rest.partition(".")            # relugeom.checks.depth: one down
        real = self.aliases.get(f"{head}.{old}")
        if real is None:
            return None
        if below:
            real = f"{real}.{below}"
        return importlib.util.spec_from_loader(name, _AliasLoader(real))


def install(package: str, table: dict[str, str]) -> None:
    if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _AliasFinder(package, table))

"""The package's layers: imports run one way, down.

Read from the package's own source (``ast``), not from a running interpreter: every
relative import is classified by the layer of the importing module and of the imported
one. An import that goes up is allowed in exactly one form, a convenience method on a core
type that is a one-line delegation (an import and a return), grouped at the end of its
class. The test fails on anything else, and a planted violation shows that it can.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

import relugeom

PKG = Path(relugeom.__file__).parent
# bottom to top; errors, config and files (the safe input-file reader) are the base that
# every layer may use
ORDER = ("errors", "numbers", "config", "files", "convex", "functions", "networks", "geometry",
         "depth", "erm", "interop", "paper", "<top>")


def _layer(module: str) -> int:
    head = module.split(".")[0]
    return ORDER.index(head) if head in ORDER else ORDER.index("<top>")


def _module_name(path: Path, root: Path = PKG) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, tree: ast.AST, root: Path) -> list[tuple[ast.ImportFrom, str]]:
    name = _module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".") if package else []
            if node.level > 1:
                base = base[:len(base) - (node.level - 1)]
            if node.module:
                out.append((node, ".".join(base + [node.module])))
            else:
                out.extend((node, ".".join(base + [a.name])) for a in node.names)
    return out


def _is_delegation(fn: ast.FunctionDef) -> bool:
    body = fn.body[1:] if (fn.body and isinstance(fn.body[0], ast.Expr)
                           and isinstance(fn.body[0].value, ast.Constant)) else fn.body
    return (len(body) == 2 and isinstance(body[0], ast.ImportFrom)
            and isinstance(body[1], (ast.Return, ast.Expr)))


def violations(root: Path = PKG) -> list[str]:
    """Every import that runs up a layer and is not a grouped one-line delegation."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text())
        parents = {c: p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
        me = _module_name(path, root)
        for node, target in _imports(path, tree, root):
            if _layer(target or "<top>") <= _layer(me):
                continue
            where = f"{me}:{node.lineno} imports {target}"
            fn = parents.get(node)
            while fn is not None and not isinstance(fn, (ast.FunctionDef, ast.ClassDef)):
                fn = parents.get(fn)
            cls = parents.get(fn) if fn is not None else None
            if not isinstance(fn, ast.FunctionDef) or not isinstance(cls, ast.ClassDef):
                found.append(f"{where} outside a method")
            elif not _is_delegation(fn):
                found.append(f"{where} in {cls.name}.{fn.name}, not a one-line delegation")
            else:
                methods = [n for n in cls.body if isinstance(n, ast.FunctionDef)]
                tail = methods[methods.index(fn):]
                if not all(_is_delegation(m) for m in tail):
                    found.append(f"{where} in {cls.name}.{fn.name}, not grouped at the end "
                                 f"of the class")
    return found


def test_imports_run_down():
    assert violations() == []


def test_every_subpackage_is_a_layer():
    folders = {p.name for p in PKG.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders - {"benchmarks"} == set(ORDER) - {"errors", "config", "files", "<top>"}
    assert relugeom.LAYERS == tuple(o for o in ORDER if o not in ("errors", "config",
                                                                  "files", "<top>"))


def test_a_planted_upward_import_is_caught(tmp_path):
    pkg = tmp_path / "relugeom"
    (pkg / "numbers").mkdir(parents=True)
    (pkg / "numbers" / "__init__.py").write_text("")
    (pkg / "numbers" / "bad.py").write_text(
        "from ..paper.verify import run\n"
        "class A:\n"
        "    def f(self):\n"
        "        from ..geometry import regions\n"
        "        x = 1\n"
        "        return regions.f(x)\n"
        "    def g(self):\n"
        "        from ..paper import plotting\n"
        "        return plotting\n"
        "    def h(self):\n"
        "        return 1\n")
    found = violations(pkg)
    assert len(found) == 3, found
    assert "outside a method" in found[0]
    assert "not a one-line delegation" in found[1]
    assert "not grouped" in found[2]


@pytest.mark.parametrize("old, new", [("regions", "geometry.regions"),
                                      ("pwl", "functions.pwl"),
                                      ("certificates", "depth.certificates"),
                                      ("io", "interop.documents"),
                                      ("checks.depth", "paper.checks.depth")])
def test_old_module_paths_are_the_new_modules(old, new):
    import importlib
    import importlib.util
    a = importlib.import_module(f"relugeom.{old}")
    b = importlib.import_module(f"relugeom.{new}")
    assert a is b and a.__spec__.name == f"relugeom.{new}"


def test_every_import_inside_the_package_resolves():
    """Function-level imports run only when called: read them all and resolve each name,
    so a name moved to another module cannot hide in a rarely used path (a benchmark)."""
    import importlib
    import importlib.util
    missing = []
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text())
        for node, target in _imports(path, tree, PKG):
            if node.module is None:
                continue                     # 'from . import x': x is the module itself
            module = importlib.import_module(f"relugeom.{target}")
            missing += [f"{_module_name(path)}:{node.lineno} {target}.{a.name}"
                        for a in node.names if not hasattr(module, a.name)
                        and importlib.util.find_spec(f"relugeom.{target}.{a.name}") is None]
    assert missing == []

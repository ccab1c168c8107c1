"""Messages name the layered module paths, and every path they name resolves.

Read from the package's own source (``ast``): every string that is not a docstring (error
messages, CLI help, verify notes) is searched for ``relugeom.a.b...``. A reference through
an old short module path (``relugeom.surd.MAX_RADICAND_BITS``, kept importable only as an
alias) fails, and so does one that does not resolve; a planted message shows both can.
"""
from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import relugeom

PKG = Path(relugeom.__file__).parent
_DOTTED = re.compile(r"(?<![\w.])relugeom(?:\.[A-Za-z_]\w*)+")
_LAYERS = set(relugeom.LAYERS) | {"errors", "config", "files", "benchmarks", "cli"}


def _docstring_ids(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef,
                             ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value,
                                                                     ast.Constant):
                out.add(id(body[0].value))
    return out


def _message_strings(source: str) -> list[str]:
    tree = ast.parse(source)
    skip = _docstring_ids(tree)      # and the parts of f-strings, read whole below
    skip |= {id(v) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr)
             for v in node.values}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            out.append("".join(v.value for v in node.values
                               if isinstance(v, ast.Constant) and isinstance(v.value, str)))
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in skip):
            out.append(node.value)
    return out


def _problem(dotted: str) -> str | None:
    parts = dotted.rstrip(".").split(".")
    if len(parts) < 2:
        return None
    if parts[1] not in _LAYERS and not hasattr(relugeom, parts[1]):
        return "no such name in relugeom"
    if parts[1] in relugeom._MODULES and parts[1] not in _LAYERS and len(parts) > 2:
        return f"old short module path relugeom.{parts[1]} (an alias)"
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            if not hasattr(obj, attr):
                return f"{attr!r} not found"
            obj = getattr(obj, attr)
        return None
    return "does not import"


def _problems(source: str) -> list[str]:
    return [f"{d}: {why}" for s in _message_strings(source) for d in _DOTTED.findall(s)
            if (why := _problem(d)) is not None]


def test_messages_name_layered_paths_that_resolve():
    """Every relugeom.a.b path in a non-docstring string resolves, through a layer."""
    bad = []
    for path in sorted(PKG.rglob("*.py")):
        if path.name == "_aliases.py":
            continue
        bad += [f"{path.relative_to(PKG)}: {p}" for p in _problems(path.read_text())]
    assert bad == []


def test_planted_old_paths_are_caught():
    """An alias path and an unresolvable path in a message are both reported."""
    src = ('def f():\n    """relugeom.surd.MAX_DEGREE in a docstring is not a message."""\n'
           '    raise ValueError(f"over relugeom.surd.MAX_RADICAND_BITS = {1}; "\n'
           '                     f"see relugeom.depth.certificates.no_such_name")\n')
    found = _problems(src)
    assert len(found) == 2
    assert "relugeom.surd.MAX_RADICAND_BITS: old short module path" in found[0]
    assert "no_such_name" in found[1]

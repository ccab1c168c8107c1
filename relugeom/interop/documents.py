"""Exact JSON round trip of relugeom's values.

Rationals are written as strings, so nothing is rounded; reading never uses pickle or
eval, and anything malformed raises :class:`~relugeom.errors.SerializationError` (a
``ValueError``) naming what is wrong.

The format: a JSON object with ``"format": "relugeom"``, ``"version": 1``, ``"type"``
(``PiecewiseLinear``, ``ReLUNetwork``, ``Zonotope``, ``CPWLFunction``) and the fields of
that type. A rational is a string ``"p/q"`` or ``"p"`` (``q > 0``, lowest terms). Each of
``p`` and ``q`` is written in decimal when it has at most 4,000 digits and in
hexadecimal with a ``0x`` prefix otherwise (``"1/0x1a2b..."``), so values of any size
serialise, beyond Python's 4,300-digit int-to-str limit, in linear time. Readers accept
both forms for either part, and JSON integer literals; a decimal part or literal over
200,000 digits is refused (write it in hexadecimal). Every type can be read in
a fresh process: the module defining it is imported on demand from its name.

>>> import relugeom as rg
>>> f = rg.PiecewiseLinear.from_points([(0, 0), ("1/3", 1)], right_slope=0)
>>> rg.from_json(rg.to_json(f)) == f
True

The encoding of numbers and the registry of types live in :mod:`relugeom.numbers.encoding`.
"""
from __future__ import annotations

import json
from typing import Any

from ..errors import SerializationError
from ..numbers.encoding import (_parse_int, decode_rational, encode_rational,  # noqa: F401
                                field, json_list, rational_list, rational_rows,
                                register_json_type, registered_types)
from ..numbers.rational import short

__all__ = ["to_json", "from_json", "register_json_type", "encode_rational",
           "decode_rational"]

FORMAT = "relugeom"
VERSION = 1
_TYPES = registered_types()
# where each type is defined: imported on demand, so every type reads in a fresh process
_MODULES = {"PiecewiseLinear": "functions.pwl", "ReLUNetwork": "networks.network",
            "Zonotope": "geometry.zonotope", "CPWLFunction": "functions.cpwl",
            "ERMResult": "erm._result", "Surd": "numbers.surd",
            "LinearRegions": "geometry.boundary"}


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialise a relugeom value (function, network, ...) to a JSON string, exactly.

    Another type is a :class:`~relugeom.errors.SerializationError` (also a TypeError)
    naming it and the known types."""
    _ensure_registered(obj)
    for name, (cls, encode, _) in _TYPES.items():
        if type(obj) is cls:
            data = {"format": FORMAT, "version": VERSION, "type": name}
            data.update(encode(obj))
            return json.dumps(data, indent=indent)
    known = ", ".join(sorted(set(_TYPES) | set(_MODULES)))
    raise _UnsupportedType(f"to_json: cannot serialise {short(obj)} of type "
                           f"{type(obj).__name__}; known types: {known}")


class _UnsupportedType(SerializationError, TypeError):
    """``to_json`` of a type it does not know: a SerializationError that is also the
    built-in TypeError (the wrong type of argument)."""


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    """``object_pairs_hook`` of :func:`from_json`: a key given twice is refused (JSON
    readers differ on which one wins, so the file is ambiguous)."""
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))
        raise SerializationError(f"from_json: the key {short(dup)} appears twice in one "
                                 f"object")
    return out


def from_json(text: str | bytes) -> Any:
    """Read a value written by :func:`to_json`.

    Anything malformed is a :class:`~relugeom.errors.SerializationError`, a key given
    twice in one object included (``"type"`` twice is ambiguous, not "the last wins")."""
    if not isinstance(text, (str, bytes, bytearray)):
        raise SerializationError(f"from_json: expected JSON text (str or bytes), got "
                                 f"{type(text).__name__}")
    try:
        data = json.loads(text, parse_int=_parse_int, object_pairs_hook=_no_duplicate_keys)
    except SerializationError:
        raise
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SerializationError(f"from_json: not valid JSON ({short(str(exc), 200)})") \
            from None
    except ValueError as exc:          # e.g. a float literal past the str limit
        raise SerializationError(f"from_json: not valid JSON ({short(str(exc), 200)})") \
            from None
    except RecursionError:
        raise SerializationError("from_json: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise SerializationError(f"from_json: expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise SerializationError(f"from_json: field 'format' must be {FORMAT!r}, got "
                                 f"{short(data.get('format'))}")
    if type(data.get("version")) is not int or data.get("version") != VERSION:
        raise SerializationError(f"from_json: unsupported version "
                                 f"{short(data.get('version'))}")
    name = data.get("type")
    if isinstance(name, str) and name not in _TYPES and name in _MODULES:
        import importlib
        importlib.import_module(f"relugeom.{_MODULES[name]}")   # registers it
    if not isinstance(name, str) or name not in _TYPES:
        raise SerializationError(f"from_json: unknown type {short(name)}; known: "
                                 f"{', '.join(sorted(set(_TYPES) | set(_MODULES)))}")
    try:
        return _TYPES[name][2](data)
    except SerializationError:
        raise
    except KeyError as exc:
        raise SerializationError(f"from_json: {name} is missing the field {exc}") from None
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise SerializationError(f"from_json: malformed {name}: {short(str(exc), 300)}") \
            from None


def _ensure_registered(obj: Any) -> None:
    """Import the module that defines ``obj``'s type (it registers itself)."""
    name = type(obj).__name__
    if name not in _TYPES and name in _MODULES:
        import importlib
        importlib.import_module(f"relugeom.{_MODULES[name]}")

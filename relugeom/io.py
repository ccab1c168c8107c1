"""Exact JSON round trip of relugeom's values.

Rationals are written as strings (``"3/7"``), so nothing is rounded; reading never uses
pickle or eval, and anything malformed raises :class:`~relugeom.errors.SerializationError`
(a ``ValueError``) naming what is wrong.

>>> import relugeom as rg
>>> f = rg.PiecewiseLinear.from_points([(0, 0), ("1/3", 1)], right_slope=0)
>>> rg.from_json(rg.to_json(f)) == f
True
"""
from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any, Callable

from .errors import SerializationError

__all__ = ["to_json", "from_json", "register_json_type", "encode_rational",
           "decode_rational"]

FORMAT = "relugeom"
VERSION = 1
_RATIONAL = re.compile(r"^[+-]?[0-9]+(/[0-9]+)?$")
_TYPES: dict[str, tuple[type, Callable[[Any], dict], Callable[[dict], Any]]] = {}


def encode_rational(q: Fraction) -> str:
    """``Fraction(3, 7)`` -> ``"3/7"``; integers without a slash."""
    return str(q)


def decode_rational(s: Any, where: str) -> Fraction:
    """Parse ``"p/q"`` or ``"p"`` (JSON integers accepted; floats refused)."""
    if isinstance(s, bool):
        raise SerializationError(f"{where}: expected a rational string like '3/7', got {s!r}")
    if isinstance(s, int):
        return Fraction(s)
    if not isinstance(s, str) or not _RATIONAL.match(s.strip()):
        raise SerializationError(f"{where}: expected a rational string like '3/7', got {s!r}")
    try:
        return Fraction(s.strip())
    except ZeroDivisionError:
        raise SerializationError(f"{where}: zero denominator in {s!r}") from None


def register_json_type(name: str, cls: type, encode: Callable[[Any], dict],
                       decode: Callable[[dict], Any]) -> None:
    """Register a value type: ``encode(obj) -> dict`` of JSON data, ``decode(dict) -> obj``."""
    _TYPES[name] = (cls, encode, decode)


def to_json(obj: Any, *, indent: int | None = None) -> str:
    """Serialise a relugeom value (function, network, ...) to a JSON string, exactly."""
    _ensure_registered()
    for name, (cls, encode, _) in _TYPES.items():
        if type(obj) is cls:
            data = {"format": FORMAT, "version": VERSION, "type": name}
            data.update(encode(obj))
            return json.dumps(data, indent=indent)
    known = ", ".join(sorted(_TYPES))
    raise TypeError(f"to_json: cannot serialise {type(obj).__name__}; known types: {known}")


def from_json(text: str | bytes) -> Any:
    """Read a value written by :func:`to_json`."""
    _ensure_registered()
    if not isinstance(text, (str, bytes, bytearray)):
        raise SerializationError(f"from_json: expected JSON text (str or bytes), got "
                                 f"{type(text).__name__}")
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SerializationError(f"from_json: not valid JSON ({exc})") from None
    except RecursionError:
        raise SerializationError("from_json: JSON nested too deeply") from None
    if not isinstance(data, dict):
        raise SerializationError(f"from_json: expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise SerializationError(f"from_json: field 'format' must be {FORMAT!r}, got "
                                 f"{data.get('format')!r}")
    if type(data.get("version")) is not int or data.get("version") != VERSION:
        raise SerializationError(f"from_json: unsupported version {data.get('version')!r}")
    name = data.get("type")
    if name not in _TYPES:
        raise SerializationError(f"from_json: unknown type {name!r}; known: "
                                 f"{', '.join(sorted(_TYPES))}")
    try:
        return _TYPES[name][2](data)
    except SerializationError:
        raise
    except KeyError as exc:
        raise SerializationError(f"from_json: {name} is missing the field {exc}") from None
    except (TypeError, ValueError, AttributeError, RecursionError) as exc:
        raise SerializationError(f"from_json: malformed {name}: {exc}") from None


def field(data: dict, key: str) -> Any:
    if key not in data:
        raise SerializationError(f"from_json: {data.get('type')} is missing the field {key!r}")
    return data[key]


def rational_list(data: Any, where: str) -> list[Fraction]:
    if not isinstance(data, list):
        raise SerializationError(f"{where}: expected a list, got {type(data).__name__}")
    return [decode_rational(v, f"{where}[{i}]") for i, v in enumerate(data)]


# ------------------------------------------------------------------- built-in types
def _encode_pwl(f: Any) -> dict:
    d = {"breakpoints": [encode_rational(q) for q in f.breakpoints],
         "values": [encode_rational(q) for q in f.values],
         "left_slope": encode_rational(f.left_slope),
         "right_slope": encode_rational(f.right_slope)}
    if f.is_affine:
        d["intercept"] = encode_rational(f(0))
    return d


def _decode_pwl(d: dict) -> Any:
    from .pwl import PiecewiseLinear
    xs = rational_list(field(d, "breakpoints"), "breakpoints")
    ys = rational_list(field(d, "values"), "values")
    sl = decode_rational(field(d, "left_slope"), "left_slope")
    sr = decode_rational(field(d, "right_slope"), "right_slope")
    if len(xs) != len(ys):
        raise SerializationError(f"from_json: {len(xs)} breakpoints but {len(ys)} values")
    if not xs:
        if sl != sr:
            raise SerializationError("from_json: an affine function has one slope, got "
                                     f"left_slope={sl} and right_slope={sr}")
        return PiecewiseLinear.affine(sl, decode_rational(field(d, "intercept"), "intercept"))
    return PiecewiseLinear.from_points(list(zip(xs, ys)), left_slope=sl, right_slope=sr)


def _encode_net(net: Any) -> dict:
    return {"layers": [{"W": [[encode_rational(w) for w in row] for row in W],
                        "b": [encode_rational(v) for v in b]} for W, b in net.layers]}


def _decode_net(d: dict) -> Any:
    from .network import ReLUNetwork
    layers = field(d, "layers")
    if not isinstance(layers, list):
        raise SerializationError("from_json: 'layers' must be a list")
    out = []
    for i, layer in enumerate(layers):
        if not isinstance(layer, dict):
            raise SerializationError(f"from_json: layer {i} must be an object with W and b")
        W = field(layer, "W")
        if not isinstance(W, list):
            raise SerializationError(f"from_json: layer {i} W must be a list of rows")
        out.append(([rational_list(r, f"layers[{i}].W[{j}]") for j, r in enumerate(W)],
                    rational_list(field(layer, "b"), f"layers[{i}].b")))
    return ReLUNetwork(out)


def _ensure_registered() -> None:
    if "PiecewiseLinear" not in _TYPES:
        from .network import ReLUNetwork
        from .pwl import PiecewiseLinear
        register_json_type("PiecewiseLinear", PiecewiseLinear, _encode_pwl, _decode_pwl)
        register_json_type("ReLUNetwork", ReLUNetwork, _encode_net, _decode_net)

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
>>> from fractions import Fraction
>>> from relugeom.io import encode_rational, decode_rational
>>> encode_rational(Fraction(-3, 7)), encode_rational(Fraction(2 ** 16000, 3))[:12]
('-3/7', '0x1000000000')
>>> decode_rational("0x10/3", "x")
Fraction(16, 3)
"""
from __future__ import annotations

import json
import re
from fractions import Fraction
from typing import Any, Callable

from .errors import NotExactError, SerializationError
from .rational import _int_from_digits, short

__all__ = ["to_json", "from_json", "register_json_type", "encode_rational",
           "decode_rational"]

FORMAT = "relugeom"
VERSION = 1
_PART = r"(?:[0-9]+|0x[0-9a-f]+)"
_RATIONAL = re.compile(rf"[+-]?{_PART}(?:/{_PART})?")
_DEC_LIMIT = 4000             # digits written in decimal; longer parts go to hex
_MAX_DECIMAL = 200_000        # decimal digits read per part (hex parts: any length)
_TYPES: dict[str, tuple[type, Callable[[Any], dict], Callable[[dict], Any]]] = {}
_MODULES = {"PiecewiseLinear": "pwl", "ReLUNetwork": "network", "Zonotope": "zonotope",
            "CPWLFunction": "cpwl", "ERMResult": "erm._result", "Surd": "surd"}


def _encode_int(n: int) -> str:
    if n.bit_length() <= _DEC_LIMIT * 3:         # 12,000 bits < 4,000 digits
        return str(n)
    return hex(n)


def encode_rational(q: Fraction) -> str:
    """``Fraction(3, 7)`` -> ``"3/7"``; integers without a slash; parts over 4,000
    digits in hexadecimal (``"0x..."``)."""
    q = Fraction(q)
    if q.denominator == 1:
        return _encode_int(q.numerator)
    return f"{_encode_int(q.numerator)}/{_encode_int(q.denominator)}"


def _decode_part(p: str, where: str) -> int:
    if p.startswith("0x"):
        return int(p, 16)
    if len(p) > _MAX_DECIMAL:
        raise SerializationError(f"{where}: a decimal integer of {len(p)} digits, over "
                                 f"{_MAX_DECIMAL}; write it in hexadecimal ('0x...')")
    return _int_from_digits(p)


def decode_rational(s: Any, where: str) -> Fraction:
    """Parse ``"p/q"`` or ``"p"``, parts in decimal or ``0x`` hexadecimal (JSON integers
    accepted; floats refused)."""
    if isinstance(s, bool):
        raise SerializationError(f"{where}: expected a rational string like '3/7', got "
                                 f"{short(s)}")
    if isinstance(s, int):
        return Fraction(s)
    if not isinstance(s, str) or not _RATIONAL.fullmatch(s.strip()):
        raise SerializationError(f"{where}: expected a rational string like '3/7', got "
                                 f"{short(s)}")
    t = s.strip()
    neg = t.startswith("-")
    num, _, den = t.lstrip("+-").partition("/")
    n = _decode_part(num, where)
    d = _decode_part(den, where) if den else 1
    if d == 0:
        raise SerializationError(f"{where}: zero denominator in {short(s)}")
    return Fraction(-n if neg else n, d)


def _parse_int(s: str) -> int:
    neg = s.startswith("-")
    digits = s.lstrip("-")
    if len(digits) > _MAX_DECIMAL:
        raise SerializationError(f"from_json: a JSON integer of {len(digits)} digits, over "
                                 f"{_MAX_DECIMAL}; write it as a '0x...' string")
    n = _int_from_digits(digits)
    return -n if neg else n


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
    known = ", ".join(sorted(set(_TYPES) | set(_MODULES)))
    raise NotExactError(f"to_json: cannot serialise {short(obj)} of type "
                        f"{type(obj).__name__}; known types: {known}")


def from_json(text: str | bytes) -> Any:
    """Read a value written by :func:`to_json`."""
    _ensure_registered()
    if not isinstance(text, (str, bytes, bytearray)):
        raise SerializationError(f"from_json: expected JSON text (str or bytes), got "
                                 f"{type(text).__name__}")
    try:
        data = json.loads(text, parse_int=_parse_int)
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
        importlib.import_module(f"{__package__}.{_MODULES[name]}")   # registers it
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


def field(data: Any, key: str, where: str | None = None) -> Any:
    """``data[key]``, or a SerializationError naming the object (``where``) and key."""
    if not isinstance(data, dict):
        raise SerializationError(f"from_json: {where or 'the value'} must be a JSON object, "
                                 f"got {short(data)}")
    if key not in data:
        owner = where or (data.get("type") if isinstance(data.get("type"), str)
                          else "the object")
        raise SerializationError(f"from_json: {owner} is missing the field {key!r}")
    return data[key]


def json_list(data: Any, where: str) -> list:
    """``data`` if it is a JSON array (never a string read as a sequence)."""
    if not isinstance(data, list):
        raise SerializationError(f"from_json: {where} must be a JSON array, got "
                                 f"{short(data)} of type {type(data).__name__}")
    return data


def rational_list(data: Any, where: str) -> list[Fraction]:
    """A JSON array of rationals."""
    return [decode_rational(v, f"{where}[{i}]")
            for i, v in enumerate(json_list(data, where))]


def rational_rows(data: Any, where: str) -> list[list[Fraction]]:
    """A JSON array of arrays of rationals."""
    return [rational_list(r, f"{where}[{i}]") for i, r in enumerate(json_list(data, where))]


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
                                     f"left_slope={short(sl)} and right_slope={short(sr)}")
        return PiecewiseLinear.affine(sl, decode_rational(field(d, "intercept"), "intercept"))
    return PiecewiseLinear.from_points(list(zip(xs, ys)), left_slope=sl, right_slope=sr)


def _encode_net(net: Any) -> dict:
    return {"layers": [{"W": [[encode_rational(w) for w in row] for row in W],
                        "b": [encode_rational(v) for v in b]} for W, b in net.layers]}


def _decode_net(d: dict) -> Any:
    from .network import ReLUNetwork
    layers = json_list(field(d, "layers"), "layers")
    out = []
    for i, layer in enumerate(layers):
        where = f"ReLUNetwork layers[{i}]"
        out.append((rational_rows(field(layer, "W", where), f"layers[{i}].W"),
                    rational_list(field(layer, "b", where), f"layers[{i}].b")))
    return ReLUNetwork(out)


def _ensure_registered() -> None:
    if "PiecewiseLinear" not in _TYPES:
        from .network import ReLUNetwork
        from .pwl import PiecewiseLinear
        register_json_type("PiecewiseLinear", PiecewiseLinear, _encode_pwl, _decode_pwl)
        register_json_type("ReLUNetwork", ReLUNetwork, _encode_net, _decode_net)
        from .boundary import regions_from_dict, regions_to_dict
        from .regionset import LinearRegions
        register_json_type("LinearRegions", LinearRegions, regions_to_dict, regions_from_dict)

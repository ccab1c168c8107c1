"""The JSON encoding of exact numbers, and the registry of value types.

A rational is a string ``"p/q"`` or ``"p"`` (``q > 0``, lowest terms). Each of ``p`` and
``q`` is written in decimal when it has at most 4,000 digits and in hexadecimal with a
``0x`` prefix otherwise (``"1/0x1a2b..."``), so values of any size serialise, beyond
Python's 4,300-digit int-to-str limit, in linear time. Readers accept both forms for either
part, and JSON integer literals; a decimal part or literal over 200,000 digits is refused
(write it in hexadecimal).

Each value type registers its encoder and decoder here, from its own module
(:func:`register_json_type`); :mod:`relugeom.interop.documents` writes and reads the
documents. This module imports nothing above the numbers layer.

>>> from fractions import Fraction
>>> from relugeom.numbers.encoding import encode_rational, decode_rational
>>> encode_rational(Fraction(-3, 7)), encode_rational(Fraction(2 ** 16000, 3))[:12]
('-3/7', '0x1000000000')
>>> decode_rational("0x10/3", "x")
Fraction(16, 3)
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Callable

from ..errors import SerializationError
from .rational import _int_from_digits, short

__all__ = ["encode_rational", "decode_rational", "register_json_type", "field", "json_list",
           "rational_list", "rational_rows", "registered_types"]

_PART = r"(?:[0-9]+|0x[0-9a-f]+)"
_RATIONAL = re.compile(rf"[+-]?{_PART}(?:/{_PART})?")
_DEC_LIMIT = 4000             # digits written in decimal; longer parts go to hex
_MAX_DECIMAL = 200_000        # decimal digits read per part (hex parts: any length)
_TYPES: dict[str, tuple[type, Callable[[Any], dict], Callable[[dict], Any]]] = {}


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



def registered_types() -> dict[str, tuple[type, Callable[[Any], dict], Callable[[dict], Any]]]:
    """The registry: type name -> (class, encoder, decoder)."""
    return _TYPES


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

"""The one error hierarchy of relugeom.

Every error is a :class:`RelugeomError` and also a built-in exception, so callers can
catch either ``rg.NotExactError`` or plain ``TypeError``. Messages name the value, printed
abbreviated when long (:func:`relugeom.rational.short`), and what was expected.
"""
from __future__ import annotations

__all__ = [
    "RelugeomError",
    "NotExactError",
    "DimensionError",
    "DomainError",
    "TooLargeError",
    "SerializationError",
    "MissingExtraError",
]


class RelugeomError(Exception):
    """Base class of every error raised by relugeom."""


class NotExactError(RelugeomError, TypeError):
    """A value of the wrong type: not an exact rational where one is needed (a float,
    ``None``, a boolean), or not the relugeom object an operation needs (``f * g`` of two
    functions, ``f(g)``, ``bool(f)``). Floats are refused everywhere;
    ``relugeom.exact(x)`` converts one to its binary value on purpose."""


class DimensionError(RelugeomError, ValueError):
    """Shapes or dimensions do not match (ragged weights, wrong number of inputs, ...)."""


class DomainError(RelugeomError, ValueError):
    """A value is of the right type but outside the allowed set (unsorted breakpoints,
    a parameter outside the open simplex, NaN, infinity, ...)."""


class TooLargeError(RelugeomError, MemoryError):
    """An operation would produce more pieces, regions or programs than the set limit."""


class SerializationError(RelugeomError, ValueError):
    """Malformed serialised data (unknown type tag, missing field, bad number, a key given
    twice, a file that is not a regular file), or ``to_json`` of a type it cannot write
    (that one is also a TypeError)."""


class MissingExtraError(RelugeomError, ImportError):
    """An optional dependency is not installed; the message names the extra that installs
    it (``pip install "relugeom[torch]"``)."""

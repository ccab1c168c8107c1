"""The one error hierarchy of relugeom.

Every error is a :class:`RelugeomError` and also a built-in exception, so callers can
catch either ``rg.NotExactError`` or plain ``TypeError``.
"""
from __future__ import annotations

__all__ = [
    "RelugeomError",
    "NotExactError",
    "DimensionError",
    "DomainError",
    "TooLargeError",
    "SerializationError",
]


class RelugeomError(Exception):
    """Base class of every error raised by relugeom."""


class NotExactError(RelugeomError, TypeError):
    """A value that is not an exact rational was given where one is needed (e.g. a float)."""


class DimensionError(RelugeomError, ValueError):
    """Shapes or dimensions do not match (ragged weights, wrong number of inputs, ...)."""


class DomainError(RelugeomError, ValueError):
    """A value is of the right type but outside the allowed set (unsorted breakpoints,
    a parameter outside the open simplex, NaN, infinity, ...)."""


class TooLargeError(RelugeomError, MemoryError):
    """An operation would produce more pieces, regions or programs than the set limit."""


class SerializationError(RelugeomError, ValueError):
    """Malformed serialised data (unknown type tag, missing field, bad number)."""

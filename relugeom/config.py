"""Size limits that guard every operation before it allocates.

>>> import relugeom as rg
>>> rg.get_limit("max_pieces") >= 10**7
True
>>> t = rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])
>>> with rg.limits(max_pieces=10):
...     t @ t @ t @ t
Traceback (most recent call last):
...
relugeom.errors.TooLargeError: compose: the result would have at least 16 pieces, over the limit max_pieces=10 (raise it with relugeom.limits(max_pieces=...))
"""
from __future__ import annotations

import contextlib
from typing import Iterator

from .errors import DomainError, TooLargeError

__all__ = ["limits", "set_limits", "get_limit", "check_size"]

_LIMITS: dict[str, int] = {
    "max_pieces": 20_000_000,       # pieces of one 1-D function (~100 bytes each: ~2 GB)
    "max_bytes": 2_000_000_000,     # estimated peak memory of one builder (hard_function)
    "max_weights": 20_000_000,      # weights of one network (identity_network, combinators)
    "max_regions": 5_000_000,       # linear regions enumerated
    "max_region_bound": 1_000_000_000,  # up-front bound on the regions over R^n (Serra et
                                    # al.): an enumeration over R^n is refused above it
    "max_programs": 5_000_000,      # convex programs of Algorithm 1
    "max_matrix_entries": 20_000_000,   # entries of one dense imported layer (interop)
    "max_file_bytes": 256_000_000,      # bytes of one input file read (relugeom.files)
}


def get_limit(name: str) -> int:
    """Current value of the limit ``name`` (``max_pieces``, ``max_regions``,
    ``max_region_bound``, ``max_programs``, ``max_matrix_entries``, ``max_file_bytes``,
    ...)."""
    if not isinstance(name, str) or name not in _LIMITS:
        from .numbers.rational import short
        raise DomainError(f"unknown limit {short(name)}; known: {sorted(_LIMITS)}")
    return _LIMITS[name]


def set_limits(**values: int) -> None:
    """Set limits for the rest of the session, e.g. ``set_limits(max_pieces=10**9)``."""
    for name, value in values.items():
        get_limit(name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            from .numbers.rational import short
            raise DomainError(f"limit {name} must be a positive integer, got {short(value)}")
    _LIMITS.update(values)


@contextlib.contextmanager
def limits(**values: int) -> Iterator[None]:
    """Context manager that sets limits temporarily (``with rg.limits(max_pieces=100): ...``)."""
    old = dict(_LIMITS)
    set_limits(**values)
    try:
        yield
    finally:
        _LIMITS.clear()
        _LIMITS.update(old)


def check_size(name: str, n: int, what: str) -> None:
    """Raise :class:`TooLargeError` when ``n`` exceeds the limit ``name``.

    ``n`` may be an integer of any size (it is printed abbreviated), e.g. the exact
    piece count ``2**(10**6)`` of a sawtooth of depth ``10**6``.
    """
    limit = get_limit(name)
    if n > limit:
        from .numbers.rational import short
        unit = name.removeprefix("max_")
        raise TooLargeError(f"{what}: the result would have at least {short(n)} {unit}, over the "
                            f"limit {name}={limit} (raise it with "
                            f"relugeom.limits({name}=...))")

"""Affine planes through rational points: :func:`plane` (the 2-D slices of R^n on which
regions are enumerated) and :class:`AffinePlane`."""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

from ..errors import DimensionError, DomainError
from ..numbers.rational import as_rational, short
from .polyhedra import _UNORDERED, _vector

__all__ = ["AffinePlane", "plane"]


class AffinePlane:
    """The 2-D affine plane ``{origin + u d_1 + v d_2}`` in R^n, exact (build it with
    :func:`plane`). Plane coordinates are ``(u, v)``.

    >>> from relugeom.convex.planes import plane
    >>> P = plane((0, 0, 1), (1, 0, 1), (0, 2, 1))
    >>> P.n, P.point(("1/2", 1))
    (3, (Fraction(1, 2), Fraction(2, 1), Fraction(1, 1)))
    """

    __slots__ = ("origin", "directions")

    def __init__(self, origin: Sequence[Fraction], directions: Sequence[Sequence[Fraction]]):
        self.origin = tuple(origin)
        self.directions = tuple(tuple(d) for d in directions)

    @property
    def n(self) -> int:
        """Dimension of the ambient space."""
        return len(self.origin)

    def point(self, uv: Sequence[Any]) -> tuple[Fraction, ...]:
        """The point of R^n with plane coordinates ``(u, v)``."""
        uv = _vector(uv, "point: plane coordinates")
        if len(uv) != 2:
            raise DimensionError(f"point: plane coordinates are (u, v), got {short(uv)}")
        u, v = uv
        return tuple(o + u * a + v * b for o, a, b in zip(self.origin, *self.directions))

    def integer_form(self) -> tuple[list[list[int]], int]:
        """``(M, E)``: the n x 3 integer matrix with columns ``E d_1, E d_2, E origin``
        and the common denominator ``E > 0``."""
        cols = (*self.directions, self.origin)
        E = math.lcm(*(q.denominator for c in cols for q in c))
        return [[c[i].numerator * (E // c[i].denominator) for c in cols]
                for i in range(self.n)], E

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AffinePlane):
            return NotImplemented
        return (self.origin, self.directions) == (other.origin, other.directions)

    def __hash__(self) -> int:
        return hash(("AffinePlane", self.origin, self.directions))

    def __repr__(self) -> str:
        return f"<AffinePlane in R^{self.n}>"


def plane(x0: Any = None, x1: Any = None, x2: Any = None, *, origin: Any = None,
          directions: Any = None, exact_float: bool = False) -> AffinePlane:
    """The affine plane through three points ``x0, x1, x2`` (origin ``x0``, directions
    ``x1 - x0`` and ``x2 - x0``), or from ``origin=`` and two ``directions=``.

    Coordinates are exact rationals (floats only with ``exact_float=True``, read as their
    exact binary values). The directions must be linearly independent (exactly).

    >>> import relugeom as rg
    >>> P = rg.plane(origin=(1, 1, 1, 1), directions=[(1, 0, 0, 0), (0, 1, 1, 0)])
    >>> P.point((2, 3))
    (Fraction(3, 1), Fraction(4, 1), Fraction(4, 1), Fraction(1, 1))
    >>> rg.plane((0, 0), (1, 1), (2, 2))
    Traceback (most recent call last):
    ...
    relugeom.errors.DomainError: plane: the directions (1, 1) and (2, 2) are linearly dependent; three points must not lie on a line
    """
    def vec(x: Any, what: str) -> tuple[Fraction, ...]:
        try:
            if isinstance(x, _UNORDERED):
                raise TypeError
            items = list(x)
        except TypeError:
            raise DimensionError(f"plane: {what} must be a sequence of coordinates, got "
                                 f"{_short(x)}") from None
        return tuple(as_rational(v, exact_float=exact_float, what=f"{what}[{i}]")
                     for i, v in enumerate(items))

    if origin is not None or directions is not None:
        if x0 is not None or x1 is not None or x2 is not None:
            raise DomainError("plane: give three points or origin= and directions=, "
                              "not both")
        if origin is None or directions is None:
            raise DomainError("plane: origin= and directions= go together")
        o = vec(origin, "origin")
        try:
            if isinstance(directions, _UNORDERED):
                raise TypeError
            ds = list(directions)
        except TypeError:
            raise DimensionError(f"plane: directions must be two vectors, got "
                                 f"{_short(directions)}") from None
        if len(ds) != 2:
            raise DimensionError(f"plane: expected 2 directions, got {len(ds)}")
        d1, d2 = vec(ds[0], "directions[0]"), vec(ds[1], "directions[1]")
    else:
        if x0 is None or x1 is None or x2 is None:
            raise DomainError("plane: give three points x0, x1, x2 (or origin= and "
                              "directions=)")
        o, p1, p2 = vec(x0, "x0"), vec(x1, "x1"), vec(x2, "x2")
        if not len(o) == len(p1) == len(p2):
            raise DimensionError(f"plane: the points have {len(o)}, {len(p1)} and "
                                 f"{len(p2)} coordinates")
        d1 = tuple(a - b for a, b in zip(p1, o))
        d2 = tuple(a - b for a, b in zip(p2, o))
    if not len(o) == len(d1) == len(d2):
        raise DimensionError(f"plane: origin has {len(o)} coordinates, directions "
                             f"{len(d1)} and {len(d2)}")
    if len(o) < 2:
        raise DimensionError(f"plane: needs an ambient space of dimension >= 2, got "
                             f"{len(o)}")
    dep = all(d1[i] * d2[j] == d1[j] * d2[i] for i in range(len(o)) for j in range(i))
    if dep:
        raise DomainError(f"plane: the directions {_short(d1)} and {_short(d2)} are "
                          f"linearly dependent; three points must not lie on a line")
    return AffinePlane(o, (d1, d2))


def _short(x: Any) -> str:
    """An abbreviated repr for error messages."""
    if isinstance(x, tuple) and all(isinstance(v, Fraction) for v in x):
        return "(" + ", ".join(short(v) for v in x) + ("," if len(x) == 1 else "") + ")"
    return short(x)

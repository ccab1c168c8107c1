"""A network along a line: the exact 1-D function ``t -> net(a + t (b - a))``.

The embedding ``t -> a + t (b - a)`` is composed into the first affine map once (exactly),
which leaves a one-input network; its pieces and breakpoints are then the 1-D engine's
work (:meth:`relugeom.ReLUNetwork.to_pwl`). Along the segment ``0 <= t <= 1`` this is the
exact form of the "trajectory" measurements of Raghu et al. (2017): the number of linear
pieces crossed and the length of the output curve.

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> f = net.restrict_to_line((-1, -1), (1, 1))     # relu(x) + relu(y) on the diagonal
>>> f.breakpoints, f(1)
((Fraction(1, 2),), Fraction(2, 1))
>>> rg.lines.pieces_along(net, (-1, -1), (1, 1))
2
>>> rg.lines.trajectory(net, (-1, -1), (1, 1))
((Fraction(0, 1), Fraction(1, 2), Fraction(1, 1)), (Fraction(0, 1), Fraction(4, 1)))
"""
from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence as _Sequence
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ..errors import DimensionError, DomainError
from ..numbers.rational import as_rational

__all__ = ["restrict_to_line", "line_network", "pieces_along", "trajectory"]


_UNORDERED = (set, frozenset, dict)
_TEXT = (str, bytes, bytearray)


def _point(p: Any, n: int, what: str, owner: str = "network", *,
           exact_float: bool = False) -> tuple[Fraction, ...]:
    """A point of R^n from an ordered sequence of n exact coordinates (list, tuple, range,
    1-D numpy array); a scalar only when n = 1 (a string is then one rational, ``"1/2"``).

    A string, bytes, a set or a dict is never read as coordinates (``'12'`` is not
    (1, 2), and a set has no order): a DimensionError naming the value."""
    from ..numbers.rational import short
    if hasattr(p, "tolist") and getattr(p, "ndim", None) in (0, 1):
        p = p.tolist()
    if isinstance(p, _UNORDERED) or (isinstance(p, _TEXT) and n != 1):
        raise DimensionError(f"{what}: expected a point, a sequence of {n} coordinates "
                             f"(list or tuple), got {short(p)} of type {type(p).__name__}; "
                             f"a {type(p).__name__} is not read as coordinates")
    if not isinstance(p, _Sequence) or isinstance(p, _TEXT):
        if n != 1 or isinstance(p, Iterable) and not isinstance(p, _TEXT):
            raise DimensionError(f"{what}: expected a point, a sequence of {n} "
                                 f"coordinates (list or tuple), got {short(p)} of type "
                                 f"{type(p).__name__}")
        p = [p]
    if len(p) != n:
        raise DimensionError(f"{what}: the {owner} has {n} inputs, the point has "
                             f"{len(p)} coordinates: {short(p)}")
    return tuple(as_rational(v, exact_float=exact_float, what=f"{what}[{i}]")
                 for i, v in enumerate(p))


def _dyadic_points(a: Any, b: Any, n: int, exact_float: bool
                   ) -> tuple[np.ndarray, np.ndarray, int] | None:
    """Both endpoints as integer vectors over one denominator ``E`` (a power of two),
    read from their bits at numpy speed, when both are 1-D numpy arrays of n reals
    (floats only with ``exact_float``); None otherwise (then :func:`_point` reads them,
    and refuses what it must)."""
    from ..numbers.dyadic import _compiled, _shift, dyadic, maxabs
    ok = "iubf" if exact_float else "iub"
    for p in (a, b):
        if not (isinstance(p, np.ndarray) and p.shape == (n,) and p.dtype.kind in ok):
            return None
    got = _compiled(a, b, cap=True) if a.dtype == b.dtype and a.dtype.kind == "f" \
        else None                              # both floats: one compiled pass
    if got is not None:
        Ma, Mb, e = got
    else:
        for p in (a, b):
            if p.dtype.kind == "f" and not np.isfinite(p).all():
                return None                    # _point names the bad coordinate
        (Ma, ea), (Mb, eb) = dyadic(a, "a"), dyadic(b, "b")
        e = min(ea if Ma.any() else 0, eb if Mb.any() else 0, 0)
        Ma = _shift(Ma, ea - e) if Ma.any() else Ma
        Mb = _shift(Mb, eb - e) if Mb.any() else Mb
    if Ma.dtype == object or Mb.dtype == object or \
            max(maxabs(Ma), maxabs(Mb)).bit_length() >= 61:
        Ma, Mb = Ma.astype(object), Mb.astype(object)
    return Ma, Mb, 1 << -e


def line_network(net: Any, a: Sequence[Any], b: Sequence[Any], *,
                 exact_float: bool = False) -> Any:
    """The one-input network ``t -> net(a + t (b - a))`` (first affine map composed with the
    embedding, exactly; ``a == b`` is allowed and gives a constant function).

    The points are exact rationals; float coordinates (a data point from numpy, say) are
    refused unless ``exact_float=True``, which reads each as its exact binary value, the
    same policy as :func:`relugeom.plane` and :meth:`relugeom.ReLUNetwork.from_arrays`."""
    from ..networks.network import ReLUNetwork
    if not isinstance(net, ReLUNetwork):
        raise DomainError(f"restrict_to_line: expected a ReLUNetwork, got "
                          f"{type(net).__name__}")
    n = net.n_inputs
    from ..numbers.dyadic import IntMatrix, _narrow, ints_of
    from .domains import _limb_matmul
    Wi, bi, D = net.integer_layers()[0]
    ends = _dyadic_points(a, b, n, exact_float)
    if ends is not None:                       # numpy arrays: integer mantissas, 2**e
        va, vb, E = ends
        B = np.stack([vb - va, va], 1)
    else:
        pa = _point(a, n, "a", exact_float=exact_float)
        pb = _point(b, n, "b", exact_float=exact_float)
        v, E = ints_of([*pa, *pb])             # both points over one denominator E
        v = v.astype(object)
        B = _narrow(np.stack([v[n:] - v[:n], v[:n]], 1))
    R = _limb_matmul(Wi, B)                    # W (b - a) and W a, exactly
    first = IntMatrix(R[:, :1], R[:, 1].astype(object) + bi.astype(object) * E, D * E)
    return ReLUNetwork._from_integer([first, *net.integer_layers()[1:]])


def restrict_to_line(net: Any, a: Sequence[Any], b: Sequence[Any], *,
                     output: int | None = 0, exact_float: bool = False) -> Any:
    """The exact :class:`~relugeom.pwl.PiecewiseLinear` ``t -> net(a + t (b - a))``.

    ``output`` picks the output of a multi-output network (default 0); ``output=None``
    returns a tuple with one function per output. ``t = 0`` is ``a``, ``t = 1`` is ``b``.
    Float coordinates are refused unless ``exact_float=True`` (their exact binary values,
    as in :func:`relugeom.plane`).

    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    >>> rg.lines.restrict_to_line(net, (-1.0, -1.0), (1.0, 1.0), exact_float=True)(1)
    Fraction(2, 1)
    """
    line = line_network(net, a, b, exact_float=exact_float)
    if output is None:
        return tuple(line.to_pwl(i) for i in range(line.n_outputs))
    if isinstance(output, bool) or not isinstance(output, int):
        raise DomainError(f"restrict_to_line: output must be an integer or None, got "
                          f"{output!r}")
    return line.to_pwl(output)


def pieces_along(net: Any, a: Sequence[Any], b: Sequence[Any], *, output: int = 0,
                 exact_float: bool = False) -> int:
    """Number of linear pieces of output ``output`` on the segment from ``a`` to ``b``
    (``0 <= t <= 1``; pieces of the function, neighbouring equal slopes merged). Floats
    only with ``exact_float=True``, as in :func:`restrict_to_line`."""
    return restrict_to_line(net, a, b, output=output,
                            exact_float=exact_float).n_pieces_on(0, 1)


def trajectory(net: Any, a: Sequence[Any], b: Sequence[Any], *, exact_float: bool = False
               ) -> tuple[tuple[Fraction, ...], tuple[Fraction, ...]]:
    """The output curve ``t -> net(a + t (b - a))``, ``0 <= t <= 1``, exactly: the knots
    ``0 = t_0 < ... < t_k = 1`` (every breakpoint of every output in between) and the
    exact squared Euclidean length of the output displacement on each of the k segments.

    The curve's length (Raghu et al. 2017's trajectory length) is
    ``sum(math.sqrt(q) for q in squared)`` (square roots: a float, explicitly). Floats
    only with ``exact_float=True``, as in :func:`restrict_to_line`.
    """
    fs = restrict_to_line(net, a, b, output=None, exact_float=exact_float)
    knots = sorted({Fraction(0), Fraction(1)} |
                   {t for f in fs for t in f.breakpoints if 0 < t < 1})
    vals = [tuple(f(t) for f in fs) for t in knots]
    sq = tuple(sum(((y - x) ** 2 for x, y in zip(u, v)), Fraction(0))
               for u, v in zip(vals, vals[1:]))
    return tuple(knots), sq

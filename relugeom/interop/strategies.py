"""Hypothesis strategies for relugeom's values (public, for testing your constructions).

Every strategy takes keyword-only arguments, validates them eagerly, and shrinks toward
fewer pieces and smaller denominators.

>>> import relugeom.strategies as rst
>>> from hypothesis import given
>>> @given(rst.piecewise_linears(max_breakpoints=3))
... def law(f):
...     assert f + (-f) == 0 * f
>>> law()

Importing this module also registers :func:`piecewise_linears` and :func:`relu_networks`
(with their defaults) for ``st.from_type``, so ``st.from_type(rg.PiecewiseLinear)`` and
``st.from_type(rg.ReLUNetwork)`` work, as do type-annotated ``st.builds`` arguments:

>>> import relugeom as rg
>>> from hypothesis import strategies as st
>>> @given(st.from_type(rg.PiecewiseLinear))
... def law2(f):
...     assert isinstance(f, rg.PiecewiseLinear) and f - f == 0 * f
>>> law2()
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from ..errors import DomainError
from ..numbers.rational import as_rational, short

__all__ = ["rationals", "piecewise_linears", "relu_networks", "simplex_points"]


def _check_int(name: str, value: Any, lo: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < lo:
        raise DomainError(f"{name} must be an integer >= {lo}, got {value!r}")
    return value


def _denominators(lo: Fraction, hi: Fraction, max_denominator: int) -> list[int]:
    """The denominators d <= max_denominator with a multiple of 1/d in [lo, hi], up to
    the first d with d * (hi - lo) >= 1 (from there on every d qualifies)."""
    top = max_denominator
    if hi > lo:
        top = min(top, math.ceil(1 / (hi - lo)))
    if top > 10 ** 6:
        raise DomainError(f"rationals: [{short(lo)}, {short(hi)}] is too narrow to search "
                          f"denominators up to {short(max_denominator)}")
    return [d for d in range(1, top + 1) if math.ceil(lo * d) <= math.floor(hi * d)]


def rationals(*, min_value: Any = -10, max_value: Any = 10,
              max_denominator: int = 12) -> st.SearchStrategy[Fraction]:
    """Fractions in [min_value, max_value] with denominators up to ``max_denominator``.

    Every value drawn honours both bounds and the denominator limit; when no fraction
    does (e.g. ``rationals(min_value='1/3', max_value='2/5', max_denominator=2)``) the
    call raises :class:`~relugeom.errors.DomainError` at once.
    """
    lo, hi = as_rational(min_value, what="min_value"), as_rational(max_value, what="max_value")
    if lo > hi:
        raise DomainError(f"rationals: min_value {short(lo)} exceeds max_value {short(hi)}")
    _check_int("max_denominator", max_denominator, 1)
    if lo == hi and lo.denominator <= max_denominator:
        return st.just(lo)
    dens = _denominators(lo, hi, max_denominator)
    if not dens:
        raise DomainError(f"rationals: no fraction with denominator at most "
                          f"{max_denominator} lies in [{short(lo)}, {short(hi)}]")

    def numerators(d: int) -> st.SearchStrategy[Fraction]:
        a, b = math.ceil(lo * d), math.floor(hi * d)
        return st.integers(a, b).map(lambda n: Fraction(n, d))

    top = dens[-1]
    denoms = st.sampled_from(dens)
    if max_denominator > top and top in dens and hi > lo and top * (hi - lo) >= 1:
        denoms = st.one_of(denoms, st.integers(top + 1, max_denominator))
    return denoms.flatmap(numerators)


def _n_values(b: Fraction, max_denominator: int, need: int) -> int:
    """How many distinct fractions of denominator <= max_denominator lie in [-b, b],
    counted up to ``need``."""
    seen: set[Fraction] = set()
    for d in range(1, max_denominator + 1):
        m = math.floor(b * d)
        for n in range(-m, m + 1):
            seen.add(Fraction(n, d))
            if len(seen) >= need:
                return len(seen)
    return len(seen)


def piecewise_linears(*, max_breakpoints: int = 6, min_breakpoints: int = 0,
                      max_denominator: int = 12, bound: Any = 10) -> st.SearchStrategy:
    """Continuous piecewise-linear functions with between ``min_breakpoints`` and
    ``max_breakpoints`` breakpoints in [-bound, bound] (every one a real slope change),
    slopes in [-bound, bound] (adjacent slopes made distinct, within the bound).

    Arguments that admit no such function (``bound=0`` with breakpoints required, or
    fewer distinct rationals in [-bound, bound] than ``min_breakpoints``) raise
    :class:`~relugeom.errors.DomainError` at once; with ``bound=0`` and
    ``min_breakpoints=0`` only the zero function is drawn.
    """
    from ..functions.pwl import PiecewiseLinear
    _check_int("max_breakpoints", max_breakpoints, 0)
    _check_int("min_breakpoints", min_breakpoints, 0)
    _check_int("max_denominator", max_denominator, 1)
    if min_breakpoints > max_breakpoints:
        raise DomainError("piecewise_linears: min_breakpoints exceeds max_breakpoints")
    b = as_rational(bound, what="bound")
    if b < 0:
        raise DomainError(f"piecewise_linears: bound must be >= 0, got {short(b)}")
    q = rationals(min_value=-b, max_value=b, max_denominator=max_denominator)
    # breakpoints need two distinct slopes and distinct x in [-b, b]
    two_slopes = b * max_denominator >= 1
    top = Fraction(math.floor(b * max_denominator), max_denominator)
    n_x = _n_values(b, max_denominator, max(max_breakpoints, 1))
    if min_breakpoints > 0 and (not two_slopes or n_x < min_breakpoints):
        raise DomainError(f"piecewise_linears: no function has {min_breakpoints} "
                          f"breakpoints with bound={short(b)} and max_denominator="
                          f"{max_denominator} (only {n_x} distinct values in "
                          f"[-bound, bound]{'' if two_slopes else ', one slope'})")
    most = min(max_breakpoints, n_x) if two_slopes else 0

    @st.composite
    def build(draw: Any) -> PiecewiseLinear:
        if most == 0:
            return PiecewiseLinear.affine(draw(q), draw(q))
        xs = sorted(draw(st.lists(q, min_size=max(min_breakpoints, 1),
                                  max_size=most, unique=True)))
        slopes = draw(st.lists(q, min_size=len(xs) + 1, max_size=len(xs) + 1))
        for i in range(1, len(slopes)):     # adjacent slopes differ: every point stays
            if slopes[i] == slopes[i - 1]:
                slopes[i] = top if slopes[i - 1] != top else Fraction(0)
        y = draw(q)
        ys = [y]
        for i in range(1, len(xs)):
            y += slopes[i] * (xs[i] - xs[i - 1])
            ys.append(y)
        return PiecewiseLinear.from_points(list(zip(xs, ys)), left_slope=slopes[0],
                                           right_slope=slopes[-1])

    return build()


def simplex_points(p: int, *, M: Any = 1, max_denominator: int = 24) -> st.SearchStrategy:
    """Points of the open ordered simplex Delta^p_M: 0 < a_1 < ... < a_p < M."""
    _check_int("p", p, 1)
    Mq = as_rational(M, what="M")
    if Mq <= 0:
        raise DomainError(f"simplex_points: M must be positive, got {Mq}")
    _check_int("max_denominator", max_denominator, 1)

    @st.composite
    def build(draw: Any) -> tuple[Fraction, ...]:
        gaps = draw(st.lists(st.integers(1, max_denominator), min_size=p + 1, max_size=p + 1))
        total = sum(gaps)
        acc, out = 0, []
        for g in gaps[:-1]:
            acc += g
            out.append(Mq * Fraction(acc, total))
        return tuple(out)

    return build()


def relu_networks(*, n_inputs: int = 1, n_outputs: int = 1, max_hidden_layers: int = 3,
                  max_width: int = 4, max_denominator: int = 6, bound: Any = 3
                  ) -> st.SearchStrategy:
    """ReLU networks with small rational weights in [-bound, bound]."""
    from ..networks.network import ReLUNetwork
    _check_int("n_inputs", n_inputs, 1)
    _check_int("n_outputs", n_outputs, 1)
    _check_int("max_hidden_layers", max_hidden_layers, 0)
    _check_int("max_width", max_width, 1)
    b = as_rational(bound, what="bound")
    q = rationals(min_value=-b, max_value=b, max_denominator=max_denominator)

    @st.composite
    def build(draw: Any) -> ReLUNetwork:
        widths = draw(st.lists(st.integers(1, max_width), max_size=max_hidden_layers))
        dims = [n_inputs, *widths, n_outputs]
        layers = []
        for a, c in zip(dims, dims[1:]):
            W = [draw(st.lists(q, min_size=a, max_size=a)) for _ in range(c)]
            layers.append((W, draw(st.lists(q, min_size=c, max_size=c))))
        return ReLUNetwork(layers)

    return build()


def _register_types() -> None:
    """``st.from_type`` for relugeom's classes (done once, when this module is imported)."""
    from ..networks.network import ReLUNetwork
    from ..functions.pwl import PiecewiseLinear
    st.register_type_strategy(PiecewiseLinear, piecewise_linears())
    st.register_type_strategy(ReLUNetwork, relu_networks())


_register_types()

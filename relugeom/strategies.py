"""Hypothesis strategies for relugeom's values (public, for testing your constructions).

Every strategy takes keyword-only arguments, validates them eagerly, and shrinks toward
fewer pieces and smaller denominators.

>>> import relugeom.strategies as rst
>>> from hypothesis import given
>>> @given(rst.piecewise_linears(max_breakpoints=3))
... def law(f):
...     assert f + (-f) == 0 * f
>>> law()
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from hypothesis import strategies as st

from .errors import DomainError
from .rational import as_rational

__all__ = ["rationals", "piecewise_linears", "relu_networks", "simplex_points"]


def _check_int(name: str, value: Any, lo: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < lo:
        raise DomainError(f"{name} must be an integer >= {lo}, got {value!r}")
    return value


def rationals(*, min_value: Any = -10, max_value: Any = 10,
              max_denominator: int = 12) -> st.SearchStrategy[Fraction]:
    """Fractions in [min_value, max_value] with denominators up to ``max_denominator``."""
    lo, hi = as_rational(min_value, what="min_value"), as_rational(max_value, what="max_value")
    if lo > hi:
        raise DomainError(f"rationals: min_value {lo} exceeds max_value {hi}")
    _check_int("max_denominator", max_denominator, 1)

    def numerators(d: int) -> st.SearchStrategy[Fraction]:
        a, b = math.ceil(lo * d), math.floor(hi * d)
        if a > b:
            return st.just(lo)
        return st.integers(a, b).map(lambda n: Fraction(n, d))

    return st.integers(1, max_denominator).flatmap(numerators)


def piecewise_linears(*, max_breakpoints: int = 6, min_breakpoints: int = 0,
                      max_denominator: int = 12, bound: Any = 10) -> st.SearchStrategy:
    """Continuous piecewise-linear functions with between ``min_breakpoints`` and
    ``max_breakpoints`` breakpoints in [-bound, bound] (every one a real slope change),
    slopes in [-bound, bound] (adjacent slopes made distinct)."""
    from .pwl import PiecewiseLinear
    _check_int("max_breakpoints", max_breakpoints, 0)
    _check_int("min_breakpoints", min_breakpoints, 0)
    if min_breakpoints > max_breakpoints:
        raise DomainError("piecewise_linears: min_breakpoints exceeds max_breakpoints")
    b = as_rational(bound, what="bound")
    q = rationals(min_value=-b, max_value=b, max_denominator=max_denominator)

    @st.composite
    def build(draw: Any) -> PiecewiseLinear:
        if max_breakpoints == 0:
            return PiecewiseLinear.affine(draw(q), draw(q))
        xs = sorted(draw(st.lists(q, min_size=max(min_breakpoints, 1),
                                  max_size=max_breakpoints, unique=True)))
        slopes = draw(st.lists(q, min_size=len(xs) + 1, max_size=len(xs) + 1))
        for i in range(1, len(slopes)):     # adjacent slopes differ: every point stays
            if slopes[i] == slopes[i - 1]:
                slopes[i] += 1
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
    from .network import ReLUNetwork
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

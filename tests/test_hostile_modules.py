"""Hostile inputs at the smaller doors: polyhedra, zonotope counts, float evaluation of huge
slopes. Each bad input gets a typed RelugeomError naming the value; each good one an exact
answer checked against an independent route."""
from __future__ import annotations

from fractions import Fraction
from math import comb

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import relugeom as rg
from relugeom.convex.polyhedra import (box_cone, integer_hyperplane, normalize_hyperplane, rank,
                                whole_space_cone)
from relugeom.geometry.zonotope import general_position_count, paper_vertex_count


@pytest.mark.parametrize("call, error, words", [
    (lambda: normalize_hyperplane([Fraction(1, 2), 1]), rg.DomainError, "1/2"),
    (lambda: normalize_hyperplane("12"), rg.DimensionError, "'12'"),
    (lambda: integer_hyperplane({1, 2}), rg.DimensionError, "set"),
    (lambda: rank([[1, 2], [3]]), rg.DimensionError, "different lengths"),
    (lambda: rank(5), rg.DimensionError, "sequence of rows"),
    (lambda: whole_space_cone(0), rg.DimensionError, "got 0"),
    (lambda: whole_space_cone(True), rg.DimensionError, "True"),
    (lambda: box_cone((p for p in [(0, 1)])), rg.DimensionError, "(lo, hi)"),
    (lambda: box_cone([(1, 0)]), rg.DomainError, "lo < hi"),
    (lambda: box_cone([(0, 1)] * 40), rg.TooLargeError, "max_matrix_entries"),
    (lambda: rg.Polyhedron("x >= 0"), rg.DimensionError, "str"),
    (lambda: rg.Polyhedron([[1, 0]]).contains({1}), rg.DimensionError, "set"),
    (lambda: rg.Polyhedron([[1, 0]]).maximize("1"), rg.DimensionError, "str"),
    (lambda: rg.Polyhedron([[1, 0]]).contains([0.5]), rg.NotExactError, "0.5"),
    (lambda: general_position_count(2.0, 3), rg.NotExactError, "2.0"),
    (lambda: paper_vertex_count(0, 3), rg.DomainError, "got 0"),
    (lambda: general_position_count(10**9, 10**12), rg.TooLargeError, "max_bytes"),
])
def test_bad_input_is_typed_and_named(call, error, words):
    with pytest.raises(error, match=None) as info:
        call()
    assert words in str(info.value)


@given(st.integers(1, 12), st.integers(1, 40))
def test_binomial_sums_agree_with_the_direct_sum(n, m):
    direct = sum(comb(m - 1, i) for i in range(n))
    assert paper_vertex_count(n, m) == direct
    assert general_position_count(n, m) == 2 * direct


def test_binomial_sum_at_scale_uses_the_short_side():
    # n close to m: the complement in 2^(m-1) has one term, so this is instant
    m = 10**5
    assert paper_vertex_count(m - 1, m) == 2 ** (m - 1) - 1
    assert paper_vertex_count(m + 7, m) == 2 ** (m - 1)


def test_rank_of_int64_arrays_does_not_overflow():
    a = np.array([2**62, 2**62], dtype=np.int64)
    b = np.array([2**62, 2**62 + 1], dtype=np.int64)
    assert rank([a, b]) == 2            # numpy's own products would wrap around
    assert rank([[1, 2], [2, 4]]) == 1
    assert rank([[Fraction(1, 3), 1], [1, 3]]) == 1


def test_float_evaluation_of_huge_slopes_is_infinite_not_an_error():
    f = rg.PiecewiseLinear.from_points([(0, 0), (1, 1)], left_slope=10**400,
                                       right_slope=-10**400)
    out = f.evaluate(np.array([-1.0, 0.5, 2.0, np.nan]))
    assert out[0] == -np.inf and out[1] == 0.5 and out[2] == -np.inf and np.isnan(out[3])
    assert f(-1) == -10**400          # the exact value stays exact
    g = rg.PiecewiseLinear.from_points([(0, 5)], left_slope=0, right_slope=0)
    assert list(g.evaluate(np.array([-np.inf, 0.0, np.inf]))) == [5.0, 5.0, 5.0]


def test_zonotope_drawing_refuses_coordinates_beyond_floats():
    z = rg.Zonotope([[10**400, 0], [0, 1]])
    with pytest.raises(rg.DomainError, match="float range"):
        z.to_shapely()
    assert z.n_vertices == 4                          # the exact geometry still works


def test_is_generic_refuses_too_many_subsets_up_front():
    gens = [[i, i * i + 1, i ** 3 + 2] for i in range(1, 200)]
    with rg.limits(max_regions=1000):
        with pytest.raises(rg.TooLargeError, match="max_regions"):
            rg.Zonotope(gens).is_generic()
    assert rg.Zonotope(gens[:6]).is_generic()


def test_polyhedron_is_exported():
    P = rg.Polyhedron([[1, 0, 0], [0, 1, 0], [-1, -1, 1]])   # the standard triangle
    assert P.contains([Fraction(1, 3), Fraction(1, 3)])
    assert not P.contains([1, 1])

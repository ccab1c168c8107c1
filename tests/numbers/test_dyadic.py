"""relugeom.numbers.dyadic: the compiled reader of float arrays (dyadic_matrix and the
fast route of dyadic) against exact Fractions, an independent referee."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.numbers.dyadic as D
from relugeom.numbers.dyadic import IntMatrix, dyadic, dyadic_matrix

_DTYPES = {16: np.float16, 32: np.float32, 64: np.float64}


def _exact(a: np.ndarray) -> list[Fraction]:
    return [Fraction(float(v)) for v in np.asarray(a, dtype=np.float64).ravel()]


def _matrices(width: int):
    vals = st.floats(width=width, allow_nan=False, allow_infinity=False)
    return st.integers(1, 6).flatmap(lambda m: st.integers(1, 9).flatmap(
        lambda n: st.tuples(st.lists(vals, min_size=m * n, max_size=m * n).map(
            lambda xs: np.array(xs, dtype=_DTYPES[width]).reshape(m, n)),
            st.lists(vals, min_size=m, max_size=m).map(
                lambda xs: np.array(xs, dtype=_DTYPES[width])))))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([16, 32, 64]).flatmap(_matrices), st.integers(-30, 30))
def test_dyadic_matrix_is_exact_and_minimal(Wb, spread):
    """W / D and b / D are the floats' exact values, D the least power of two (at most
    the integers' common twos): subnormals, signed zeros and wide spreads included."""
    W, b = Wb
    with np.errstate(over="ignore", under="ignore"):
        W = (W * np.float64(2.0) ** spread).astype(W.dtype)
    if not (np.isfinite(W).all() and np.isfinite(b).all()):
        return
    L = dyadic_matrix(W, b, "w")
    assert L.D >= 1 and L.D & (L.D - 1) == 0
    assert [Fraction(int(v), L.D) for v in L.W.ravel()] == _exact(W)
    assert [Fraction(int(v), L.D) for v in L.b.ravel()] == _exact(b)
    if L.D > 1:                                  # minimal: some numerator is odd
        assert any(int(v) % 2 for v in [*L.W.ravel(), *L.b.ravel()])
    ref = IntMatrix.from_dyadic(dyadic(W, "w"), dyadic(b, "b"))
    assert ref.D == L.D


def test_compiled_route_runs_and_agrees_with_the_numpy_bits():
    """The kernel is the route taken for a large float32 layer, and it gives the numpy
    bit route's integers (the numpy route alone when the kernel is withheld)."""
    rng = np.random.default_rng(0)
    W = (rng.standard_normal((64, 100)) / 10).astype(np.float32)
    b = (rng.standard_normal(64) / 10).astype(np.float32)
    assert D._compiled(W, b, cap=True) is not None
    fast = dyadic(W, "w")
    keep = list(D._KERNEL)
    D._KERNEL[:] = [None]
    try:
        assert D._compiled(W, b, cap=True) is None
        slow = dyadic(W, "w")
        L = dyadic_matrix(W, b, "w")
    finally:
        D._KERNEL[:] = keep
    assert fast[1] == slow[1] and (fast[0] == slow[0]).all()
    L2 = dyadic_matrix(W, b, "w")
    assert L.D == L2.D and (L.W == L2.W).all() and (L.b == L2.b).all()


def test_integer_valued_floats_keep_their_twos_in_the_matrix():
    """dyadic strips common twos into e; dyadic_matrix never lets D fall below 1."""
    W = np.array([[4.0, 8.0], [-16.0, 0.0]] * 30, dtype=np.float32)
    b = np.zeros(60, dtype=np.float32)
    L = dyadic_matrix(W, b, "w")
    assert L.D == 1 and L.W[0].tolist() == [4, 8]
    M, e = dyadic(W, "w")
    assert e == 2 and M[0].tolist() == [1, 2]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_non_finite_is_refused_by_name(dtype):
    W = np.ones((10, 10), dtype=dtype)
    W[3, 4] = np.nan
    with pytest.raises(rg.DomainError, match="layer 2: the weight.*nan"):
        dyadic_matrix(W, np.zeros(10, dtype=dtype), "layer 2")
    b = np.zeros(10, dtype=dtype)
    b[1] = -np.inf
    with pytest.raises(rg.DomainError, match="the bias.*inf"):
        dyadic_matrix(np.ones((10, 10), dtype=dtype), b, "layer 2")


def test_spread_beyond_int64_is_exact_through_python_integers():
    W = np.array([[1e30, 1e-30]] * 30, dtype=np.float64)
    L = dyadic_matrix(W, np.zeros(30), "w")
    assert L.W.dtype == object
    assert Fraction(int(L.W[0, 1]), L.D) == Fraction(1e-30)

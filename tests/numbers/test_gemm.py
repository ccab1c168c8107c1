"""exact_matmul: integer products as float64 GEMMs on limbs, against Python integers."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relugeom.numbers import gemm
from relugeom.numbers.gemm import exact_matmul

I64 = (-(1 << 63), (1 << 63) - 1)


def _reference(A, B):
    return np.asarray(A).astype(object) @ np.asarray(B).astype(object)


def _check(A, B):
    R = exact_matmul(A, B)
    ref = _reference(A, B)
    assert R.shape == ref.shape
    assert (R.astype(object) == ref).all()
    big = max((abs(int(v)) for v in ref.ravel()), default=0)
    assert R.dtype == (np.int64 if big < 1 << 62 else object)     # narrowed as int_matmul


def _ints(bits):
    return st.integers(-(1 << bits), 1 << bits)


@settings(max_examples=60, deadline=None)
@given(st.data(), st.integers(1, 6), st.integers(1, 40), st.integers(1, 5),
       st.integers(1, 62), st.integers(1, 62))
def test_random_int64(data, m, K, n, ba, bb):
    """Any shapes and magnitudes up to 2^62, negative values included."""
    A = np.array(data.draw(st.lists(_ints(ba), min_size=m * K, max_size=m * K)),
                 dtype=np.int64).reshape(m, K)
    B = np.array(data.draw(st.lists(_ints(bb), min_size=K * n, max_size=K * n)),
                 dtype=np.int64).reshape(K, n)
    _check(A, B)


@settings(max_examples=30, deadline=None)
@given(st.data(), st.integers(1, 4), st.integers(1, 12), st.integers(1, 4),
       st.integers(60, 400))
def test_python_integers_beyond_int64(data, m, K, n, bits):
    """Object arrays of integers far beyond int64 (either side, or both)."""
    A = np.array(data.draw(st.lists(_ints(bits), min_size=m * K, max_size=m * K)),
                 dtype=object).reshape(m, K)
    B = np.array(data.draw(st.lists(_ints(70), min_size=K * n, max_size=K * n)),
                 dtype=object).reshape(K, n)
    _check(A, B)
    _check(B.T.copy(), A.T.copy())


@pytest.mark.parametrize("K", [1, 2, 3, 784, 2049, 4000])
@pytest.mark.parametrize("top", [(1 << 31) - 1, (1 << 53) + 1, (1 << 62) - 1, 1 << 62])
def test_extreme_entries(K, top):
    """Every entry at the largest magnitude (sums at their worst), alternating signs and
    int64's most negative value: the limb bounds are tight there."""
    A = np.full((3, K), top, dtype=np.int64)
    A[1] = -top
    A[2, ::2] = I64[0]
    B = np.full((K, 2), top, dtype=np.int64)
    B[:, 1] = -top
    B[::3, 1] = I64[0]
    _check(A, B)
    _check(A, B.astype(object) * (1 << 90))


def test_long_inner_dimension_and_random_large():
    """K of a few thousand with random 40-bit and 62-bit entries (the first layer of an
    MLP on images, then its worst case)."""
    rng = np.random.default_rng(0)
    for bits in (40, 62):
        A = rng.integers(-(1 << bits), 1 << bits, (8, 3000), dtype=np.int64)
        B = rng.integers(-(1 << 31), 1 << 31, (3000, 3), dtype=np.int64)
        _check(A, B)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 1 << 200), st.integers(1, 1 << 200), st.integers(1, 1 << 20),
       st.booleans())
def test_every_plan_keeps_sums_below_2_53(ma, mb, K, a_float):
    """The limb plan's bound: K * (largest limb of A) * (largest limb of B) <= 2^53, and
    the limbs cover the magnitudes (balanced limbs: M + 2^(w (T-1)) <= 2^(w T - 1))."""
    plan = gemm._plan(ma, mb, K, 4, 4, a_float)
    if plan is None:
        return
    wa, tA, wb, tB = plan
    LA = ma if wa == 0 else 1 << (wa - 1)
    LB = mb if wb == 0 else 1 << (wb - 1)
    assert K * LA * LB <= 1 << 53
    for M, w, T in ((ma, wa, tA), (mb, wb, tB)):
        assert (T == 1 and w == 0) or M + (1 << (w * (T - 1))) <= 1 << (w * T - 1)


def test_no_plan_means_python_integers(monkeypatch):
    """When no limb width satisfies the bound the product is formed from Python
    integers (still exact)."""
    assert gemm._plan(1 << 30, 1 << 30, 1 << 52, 1, 1, True) is None
    monkeypatch.setattr(gemm, "_plan", lambda *a: None)
    rng = np.random.default_rng(1)
    _check(rng.integers(-(1 << 40), 1 << 40, (5, 300)), rng.integers(-9, 9, (300, 2)))


def test_shapes_and_types():
    assert exact_matmul(np.zeros((2, 0), dtype=np.int64),
                        np.zeros((0, 3), dtype=np.int64)).tolist() == [[0] * 3] * 2
    assert exact_matmul(np.array([[True, False]]), np.array([[3], [4]], dtype=np.uint8)
                        ).tolist() == [[3]]
    with pytest.raises(ValueError, match="do not chain"):
        exact_matmul(np.zeros((2, 3), dtype=np.int64), np.zeros((2, 3), dtype=np.int64))
    with pytest.raises(TypeError, match="integer arrays"):
        exact_matmul(np.zeros((2, 2)), np.zeros((2, 2)))


@pytest.mark.parametrize("bits", [20, 38, 53, 62])
def test_same_sign_sums_at_the_bound(bits):
    """Random entries of one sign near the largest magnitude: every limb product-sum is
    near the 2^53 bound with arbitrary low bits, so any slack in the bound would round."""
    rng = np.random.default_rng(bits)
    for K in (784, 3001):
        A = rng.integers(1 << (bits - 1), 1 << bits, (4, K), dtype=np.int64)
        B = rng.integers(1 << 30, 1 << 31, (K, 2), dtype=np.int64)
        _check(A, B)
        _check(-A, B)


def test_without_the_compiled_pass(monkeypatch):
    """numba missing or unable to compile the one-pass read: numpy's passes, same
    products."""
    from numba.core.errors import TypingError
    rng = np.random.default_rng(2)
    A = rng.integers(-(1 << 40), 1 << 40, (64, 200))
    B = rng.integers(-(1 << 31), 1 << 31, (200, 2))

    def broken(*args):
        raise TypingError("cannot compile")
    monkeypatch.setattr(gemm, "_FUSED", [broken])
    _check(A, B)
    assert gemm._FUSED == [None]
    _check(A, B)

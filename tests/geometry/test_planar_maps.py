"""relugeom.geometry.planar_maps: the compiled maps of small layers against the numpy
route (the same bounds) and against exact Fractions (the bounds hold)."""
from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from relugeom.geometry.planar_maps import child_maps_small
from relugeom.geometry.planar_regions import _child_maps

_U = 2.0 ** -53


def _case(seed: int, w: int, w2: int, C: int, P: int):
    rng = np.random.default_rng(seed)
    D = 1 << int(rng.integers(0, 30))
    Wi = rng.integers(-2**40, 2**40, (w2, w))
    bi = rng.integers(-2**40, 2**40, w2)
    Wf, bf = Wi.astype(np.float64) / D, bi.astype(np.float64) / D   # each rounded once
    # parents' exact maps (dyadic, exactly representable) and a float copy with errors
    Zt = rng.integers(-2**60, 2**60, (P, 3, w)).astype(object)
    Zp = np.array(Zt.tolist(), dtype=np.float64) * 2.0 ** -55
    Ep = np.abs(Zp) * 4 * _U + 1e-300
    M = rng.random((C, w)) < 0.6
    par = rng.integers(0, P, C)
    return (Wi, bi, D), (Wf, bf, np.abs(Wf)), Zt, Zp, Ep, M, par


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 12), st.integers(1, 12), st.integers(1, 20),
       st.integers(1, 5))
def test_compiled_maps_hold_their_bounds_and_match_the_numpy_route(seed, w, w2, C, P):
    exact, layer, Zt, Zp, Ep, M, par = _case(seed, w, w2, C, P)
    got = child_maps_small(layer, Zp, Ep, M, par)
    assert got is not None
    Z, E = got
    Zn, En = _child_maps(layer, Zp[par], Ep[par], M)
    # the same formula for the bound, up to the order of summation
    assert np.allclose(E, En, rtol=1e-9, atol=0)
    assert (np.abs(Z - Zn) <= E + En).all()
    # the bound holds against exact arithmetic: |Z - W (m Zp_true) - b| <= E, where Zp's
    # own error is covered by Ep (here Zp is exact up to its float rounding)
    Wi, bi, D = exact
    i = seed % C
    for r in range(3):
        for k in range(w2):
            true = sum((Fraction(int(Wi[k, j]), D) * Fraction(float(Zp[par[i], r, j]))
                        for j in range(w) if M[i, j]), Fraction(0))
            if r == 2:
                true += Fraction(int(bi[k]), D)
            assert abs(Fraction(float(Z[i, r, k])) - true) <= Fraction(float(E[i, r, k]))


def test_non_finite_leaves_it_to_the_numpy_route():
    _, layer, _, Zp, Ep, M, par = _case(1, 3, 3, 2, 1)
    Ep = Ep.copy()
    Ep[0, 0, 0] = np.inf
    M[:] = True
    assert child_maps_small(layer, Zp, Ep, M, np.zeros(2, dtype=np.int64)) is None

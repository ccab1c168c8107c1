"""relugeom.numbers.limbs._big_states: every route (int64, limbs, Python integers) gives
the exact next states W (m * Z_parent) + b den."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from relugeom.numbers.limbs import _big_states, maxabs


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), w2=st.integers(1, 5), w=st.integers(1, 6),
       k=st.integers(1, 8), zbits=st.sampled_from([3, 20, 40, 58, 70]),
       wbits=st.sampled_from([2, 12, 30]), dbits=st.sampled_from([0, 10, 61]))
def test_big_states_equal_python_integers(seed, w2, w, k, zbits, wbits, dbits):
    rng = np.random.default_rng(seed)
    W = rng.integers(-(1 << wbits), 1 << wbits, (w2, w))
    b = rng.integers(-(1 << wbits), 1 << wbits, w2)
    C = 3
    Z = np.array([[[int(v) for v in rng.integers(-(1 << 30), 1 << 30, 3)] for _ in range(w)]
                  for _ in range(C)], dtype=object) * (1 << max(0, zbits - 30))
    Zs = Z.astype(np.int64) if maxabs(Z) < (1 << 62) else Z
    po = rng.integers(0, C, k)
    M = rng.random((k, w)) < 0.6
    den = 1 << dbits
    layer = (W, b, den, maxabs(W), maxabs(b))
    got = _big_states(layer, Zs, po, M, den)
    Wo = W.astype(object)
    for i in range(k):
        A = np.where(M[i][:, None], Z[po[i]], 0)
        want = Wo.dot(A)
        want[:, -1] += b.astype(object) * den
        assert np.asarray(got[i]).astype(object).tolist() == want.tolist()

"""Tests of relugeom.geometry.domains: the starting cells of domain= and the plane=
restriction (also reachable from relugeom.geometry.regions)."""
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom.errors import DimensionError, DomainError
from relugeom.geometry import domains, regions


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 5), st.integers(1, 30), st.integers(1, 4),
       st.sampled_from([10, 31, 45, 55]), st.sampled_from([5, 40, 61, 100, 300]),
       st.integers(0, 2 ** 32))
def test_limb_matmul_is_the_exact_product(m, k, n, abits, bbits, seed):
    """restrict_to_plane's limb product equals the Python-integer product."""
    rng = random.Random(seed)
    A = np.array([[rng.randint(-2 ** abits, 2 ** abits) for _ in range(k)]
                  for _ in range(m)], dtype=np.int64)
    B = np.array([[rng.randint(-2 ** bbits, 2 ** bbits) for _ in range(n)]
                  for _ in range(k)], dtype=object)
    if bbits < 62:
        B = B.astype(np.int64)
    R = domains._limb_matmul(A, B)
    assert (R.astype(object) == A.astype(object) @ B.astype(object)).all()


def test_plane_restriction_is_the_network_on_the_plane():
    """restrict_to_plane composes the embedding into the first layer, exactly."""
    net = rg.ReLUNetwork([([[1, 2, 3], [0, -1, 1]], [1, 0]), ([[1, 1]], [0])])
    P = rg.plane(origin=(0, 0, 1), directions=[(1, 0, 0), (0, 1, 1)])
    small = domains.restrict_to_plane(net, P)
    for u in [(0, 0), (2, 3), (-1, 5)]:
        assert small(u) == net(P.point(u))
    assert regions.restrict_to_plane is domains.restrict_to_plane


def test_domains_are_checked():
    """A domain in the wrong dimension, or with empty interior, raises typed errors."""
    assert domains._as_domain(None, 2) == (None, None)
    box, poly = domains._as_domain([(0, 1), (0, 1)], 2)
    assert poly is None and box is not None
    with pytest.raises(DimensionError):
        domains._as_domain(rg.Polyhedron([(1, 0, 0, 0)]), 2)
    empty = rg.Polyhedron([(1, 0, -1), (-1, 0, 0)])            # x >= 1 and x <= 0
    with pytest.raises(DomainError):
        domains._start_cells(2, None, empty)

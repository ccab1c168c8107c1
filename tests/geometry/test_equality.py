"""net.equals refuses a non-network with the typed error of the other entry points."""
from __future__ import annotations

import pytest

import relugeom as rg


@pytest.mark.parametrize("other", [3, "x", None, rg.PiecewiseLinear.identity()])
def test_equals_refuses_a_non_network_typed(other):
    """net.equals(non-network) raises NotExactError (also a TypeError) naming the type."""
    net = rg.ReLUNetwork([([[1]], [0])])
    with pytest.raises(rg.NotExactError, match=type(other).__name__) as err:
        net.equals(other)
    assert isinstance(err.value, TypeError)

"""The curated public surface: every exported name exists and is documented."""
import importlib
import inspect

import pytest
from hypothesis import given

import relugeom as rg
import relugeom.interop.strategies as rst


@pytest.mark.parametrize("name", rg.__all__)
def test_exported_name_exists_and_has_docstring(name):
    """Each name in relugeom.__all__ resolves and carries a docstring."""
    obj = getattr(rg, name)
    if name == "__version__":
        assert isinstance(obj, str) and obj.count(".") == 2
        return
    assert inspect.getdoc(obj), f"relugeom.{name} has no docstring"


@pytest.mark.parametrize("module", ["rational", "pwl", "network", "convert", "io",
                                    "strategies", "config", "errors", "verify"])
def test_module_all_documented(module):
    """Every public name of a core module is in its __all__ and documented."""
    mod = importlib.import_module(f"relugeom.{module}")
    for name in mod.__all__:
        obj = getattr(mod, name)
        if callable(obj):
            assert inspect.getdoc(obj), f"relugeom.{module}.{name} has no docstring"


def test_errors_are_builtins_too():
    """Each relugeom error is also a built-in exception, so callers can catch either."""
    assert issubclass(rg.NotExactError, TypeError)
    assert issubclass(rg.DimensionError, ValueError)
    assert issubclass(rg.DomainError, ValueError)
    assert issubclass(rg.SerializationError, ValueError)
    assert issubclass(rg.TooLargeError, rg.RelugeomError)


@pytest.mark.parametrize("call", [
    lambda: rst.rationals(min_value=2, max_value=1),
    lambda: rst.rationals(max_denominator=0),
    lambda: rst.piecewise_linears(max_breakpoints=-1),
    lambda: rst.piecewise_linears(min_breakpoints=3, max_breakpoints=2),
    lambda: rst.relu_networks(max_width=0),
    lambda: rst.simplex_points(0),
    lambda: rst.rationals(min_value=0.5),
])
def test_strategies_validate_eagerly(call):
    """Bad strategy arguments raise at construction, not at draw time."""
    with pytest.raises((rg.DomainError, rg.NotExactError)):
        call()


@given(rst.rationals(min_value="-1/2", max_value=3, max_denominator=7))
def test_rationals_respect_bounds(q):
    """rationals() stays within its bounds and denominator limit."""
    assert -rg.as_rational("1/2") <= q <= 3 and q.denominator <= 7


@given(rst.simplex_points(3, M=2))
def test_simplex_points_are_in_the_open_simplex(a):
    """simplex_points(p, M) draws 0 < a_1 < ... < a_p < M."""
    assert len(a) == 3 and 0 < a[0] < a[1] < a[2] < 2


@given(rst.relu_networks(n_inputs=2, n_outputs=3, max_hidden_layers=2, max_width=3))
def test_relu_networks_respect_shape(net):
    """relu_networks() honours inputs, outputs, depth and width."""
    assert net.n_inputs == 2 and net.n_outputs == 3
    assert net.depth <= 3 and net.width <= 3


@given(rst.piecewise_linears(min_breakpoints=3, max_breakpoints=5))
def test_piecewise_linears_respect_breakpoint_counts(f):
    """piecewise_linears() draws between min_breakpoints and max_breakpoints breakpoints."""
    assert 3 <= f.n_breakpoints <= 5

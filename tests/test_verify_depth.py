"""The depth checks registered with relugeom.verify all hold at default parameters."""
import pytest

from relugeom import verify

NAMES = ["Theorem 3.2", "Telgarsky sawtooth", "Theorem 3.1", "Corollary 3.3",
         "Corollary 3.4", "Theorem 3.5", "Lemma D.6", "Symbolic proofs"]


@pytest.mark.parametrize("name", NAMES)
def test_depth_checks_hold(name):
    """Every row of the check is true or a documented erratum, and there is at least one."""
    rows = verify.run(only=name)
    assert rows
    assert all(r.holds in ("true", "erratum") for r in rows), [r for r in rows
                                                                if r.holds == "false"]
    assert all(r.note for r in rows if r.holds == "erratum")


def test_symbolic_rows_use_symbolic_method():
    """The symbolic proofs are reported with method 'symbolic'."""
    rows = verify.run(only="Symbolic proofs")
    assert {r.method for r in rows} == {"symbolic"}

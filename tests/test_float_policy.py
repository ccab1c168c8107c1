"""One float policy, said the same way everywhere it is documented (issue 27: N3-04,
N3-09, N3-15, N3-16)."""
import json
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import relugeom as rg

ROOT = Path(__file__).resolve().parents[1]

#: The policy sentence every erm text carries (case-insensitive, line breaks folded).
POLICY = "floats are refused, numpy float arrays included"
#: What the erm texts said before, contradicting the code.
STALE = ("may be floats", "floats (converted exactly)", "floats are converted")


def _fold(text):
    return " ".join(text.split()).lower()


def _notebook_text(name):
    nb = json.loads((ROOT / "notebooks" / name).read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"])


@pytest.mark.parametrize("where", ["erm module", "erm.fit", "notebook 05"])
def test_erm_texts_state_the_float_policy(where):
    """The erm module docstring, fit's docstring and notebook 05 say that floats are
    refused (the policy sentence), and none says they are accepted."""
    text = {"erm module": lambda: rg.erm.__doc__, "erm.fit": lambda: rg.erm.fit.__doc__,
            "notebook 05": lambda: _notebook_text("05_global_training.ipynb")}[where]()
    folded = _fold(text)
    assert POLICY in folded
    assert not any(s in folded for s in STALE)


@pytest.mark.parametrize("X, y", [([[0.0], [1.0], [2.0]], ["0", "1", "1/2"]),
                                  (np.array([[0.0], [1.0], [2.0]]), ["0", "1", "1/2"]),
                                  ([[0], [1], [2]], np.array([0.0, 1.0, 0.5]))])
def test_fit_does_what_the_policy_says(X, y):
    """fit refuses floats (lists and numpy arrays, inputs and labels) with the policy
    message, and rg.exact(...) of the same data fits."""
    with pytest.raises(rg.NotExactError, match="floats are refused by policy"):
        rg.erm.fit(X, y, width=1, workers=1, progress=False)
    res = rg.erm.fit(rg.exact(np.asarray(X, dtype=float)), rg.exact(np.asarray(
        [float(Fraction(v)) for v in y])), width=1, workers=1, progress=False)
    assert res.certified


def test_float_refusal_names_the_policy_and_both_spellings():
    """0.25 is exact in binary: the refusal says floats are refused by policy (not that
    0.25 is inexact) and shows "0.25" and rg.exact(0.25) = 1/4."""
    with pytest.raises(rg.NotExactError) as err:
        rg.as_rational(0.25)
    msg = str(err.value)
    assert "refused by policy" in msg and "not exact" not in msg
    assert '"0.25"' in msg and "relugeom.exact(0.25)" in msg and "1/4" in msg


def test_every_point_entry_point_has_the_same_opt_in():
    """plane, restrict_to_line (function and method), pieces_along and trajectory refuse
    float points by default and read them exactly with exact_float=True, giving the same
    function as the decimal strings of those binary values."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, -1]], [0, 0, "1/4"]), ([[1, 1, -1]], [0])])
    a, b = (-0.75, -1.0), (1.0, 0.5)
    exact = ((Fraction(-3, 4), -1), (1, Fraction(1, 2)))
    for call in (lambda **k: rg.lines.restrict_to_line(net, a, b, **k),
                 lambda **k: net.restrict_to_line(a, b, **k),
                 lambda **k: rg.lines.pieces_along(net, a, b, **k),
                 lambda **k: rg.lines.trajectory(net, a, b, **k),
                 lambda **k: rg.plane((0.0, 0.0), (1.0, 0.0), (0.0, 1.0), **k)):
        with pytest.raises(rg.NotExactError, match="refused by policy"):
            call()
        call(exact_float=True)
    assert net.restrict_to_line(a, b, exact_float=True) == net.restrict_to_line(*exact)
    assert rg.lines.pieces_along(net, a, b, exact_float=True) == \
        rg.lines.pieces_along(net, *exact)


def test_hard_function_message_gives_the_true_count():
    """N3-09: w = 3, k = 30 has 3^30 pieces on [0, M], and the refusal says so (not 2^30);
    the sawtooth, refused from k alone, says "at least"."""
    params = rg.families.random_hard_params(30, 3, seed=1)
    with pytest.raises(rg.TooLargeError, match=r"3\^30 = 205891132094649 pieces"):
        rg.families.hard_function(params)
    with pytest.raises(rg.TooLargeError, match=r"5\^16 = 152587890625 pieces"):
        rg.families.hard_function(rg.families.random_hard_params(16, 5, seed=1))
    with pytest.raises(rg.TooLargeError, match=r"at least 2\^40 pieces"):
        rg.families.sawtooth(40)
    assert 3 ** 30 == 205891132094649 and 5 ** 16 == 152587890625


def test_equality_is_documented_on_both_types():
    """N3-15: ReLUNetwork == is structural and PiecewiseLinear == functional, and both
    classes, both __eq__ and the README's first example say so."""
    a = rg.ReLUNetwork([([[1]], [0]), ([[2]], [0])])
    b = rg.ReLUNetwork([([[2]], [0]), ([[1]], [0])])
    assert a != b and a.equals(b) and a.to_pwl() == b.to_pwl()
    for doc in (rg.ReLUNetwork.__doc__, rg.ReLUNetwork.__eq__.__doc__):
        assert "structural" in _fold(doc) and "equals" in doc
    for doc in (rg.PiecewiseLinear.__doc__, rg.PiecewiseLinear.__eq__.__doc__):
        assert "functional" in _fold(doc)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = _fold(readme[readme.index("## A first example"):readme.index("Numbers enter")])
    assert re.search(r"on `piecewiselinear` it is functional equality", first)
    assert re.search(r"on `relunetwork` it is structural", first)

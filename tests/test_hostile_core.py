"""Hostile inputs against the core value types (findings in hostile-inputs.md, issue 11).

One test per finding ID fixed here, named after it, plus property tests: JSON round trips
of huge values (in this process and in a fresh one), the safe string parser of
``pwl_from_sympy`` against the sympy route, and the gate on generated junk strings.
"""
import json
import os
import subprocess
import sys
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
import relugeom.interop.strategies as rst
from relugeom.convex.polyhedra import as_box
from relugeom.numbers.rational import short
from relugeom.depth.symbolic import pwl_from_sympy, pwl_to_sympy

BIG = 10 ** 5000
TINY = Fraction(1, 10 ** 5000)
RELU_CELLS = [([(1, 0)], ((1,), 0)), ([(-1, 0)], ((0,), 0))]


def _header(type_name: str, **fields: object) -> str:
    return json.dumps({"format": "relugeom", "version": 1, "type": type_name, **fields})


def _net2() -> rg.ReLUNetwork:
    return rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])


# ------------------------------------------------------------------------- security
MALICIOUS = [
    "__import__('os').system('touch {m}')",
    "__import__('pathlib').Path('{m}').write_text('x') and 0",
    "open('{m}', 'w')",
    "x.__class__",
    "exec('1')",
]


@pytest.mark.parametrize("template", MALICIOUS)
def test_S1_from_sympy_never_evaluates_strings(template, tmp_path):
    marker = tmp_path / "pwned"
    text = template.format(m=marker)
    for fn in (pwl_from_sympy, rg.PiecewiseLinear.from_sympy):
        with pytest.raises(rg.DomainError):
            fn(text)
    assert not marker.exists()


def test_S1_safe_parser_reads_the_documented_grammar():
    x = sympy.Symbol("x")
    want = pwl_from_sympy(sympy.Max(0, 2 * x - 1) + sympy.Abs(x) / 3)
    assert pwl_from_sympy("max(0, 2*x - 1) + abs(x)/3") == want
    assert pwl_from_sympy("Max(0, 2*x - 1) + Abs(x)/3") == want
    assert pwl_from_sympy("relu(t) - relu(t - 1)", "t") == rg.PiecewiseLinear.from_points(
        [(0, 0), (1, 1)], left_slope=0, right_slope=0)
    assert pwl_from_sympy("3") == rg.PiecewiseLinear.constant(3)
    assert pwl_from_sympy(Fraction(1, 3)) == rg.PiecewiseLinear.constant(Fraction(1, 3))
    for bad in ["x**2", "x*x", "x + y", "x/0", "x/(x+1)", "2(x)", "foo(x)", "", "1e99999*x",
                "(" * 500 + "x" + ")" * 500, "x" * 20_000]:
        with pytest.raises(rg.RelugeomError):
            pwl_from_sympy(bad)
    for bad in [None, b"x", 0.5, object()]:
        with pytest.raises(rg.NotExactError):
            pwl_from_sympy(bad)


_leaf = st.one_of(st.just("x"), st.fractions(min_value=-5, max_value=5,
                                             max_denominator=6).map(str))


def _tree(children):
    two = st.tuples(children, children)
    const = st.fractions(min_value=-3, max_value=3, max_denominator=4).filter(bool)
    return st.one_of(
        two.map(lambda t: f"({t[0]}) + ({t[1]})"),
        two.map(lambda t: f"({t[0]}) - ({t[1]})"),
        two.map(lambda t: f"max({t[0]}, {t[1]})"),
        two.map(lambda t: f"min({t[0]}, {t[1]})"),
        children.map(lambda a: f"abs({a})"),
        st.tuples(const, children).map(lambda t: f"({t[0]}) * ({t[1]})"),
        st.tuples(children, const).map(lambda t: f"({t[0]}) / ({t[1]})"),
    )


@settings(max_examples=40)
@given(st.recursive(_leaf, _tree, max_leaves=8))
def test_S1_safe_parser_agrees_with_the_sympy_route(text):
    """The string parser and the sympy-object route give the same function."""
    x = sympy.Symbol("x")
    expr = sympy.parse_expr(text.replace("max", "Max").replace("min", "Min")
                            .replace("abs", "Abs"), local_dict={"x": x})   # trusted text
    assert pwl_from_sympy(text, "x") == pwl_from_sympy(expr, x)


# ---------------------------------------------------------------------- wrong results
def test_W2_cpwl_repeated_and_overlapping_cells_count_pieces():
    c = ([(1, 0)], ((1,), 0))
    assert rg.CPWLFunction([c, c, ([(-1, 0)], ((0,), 0))]).n_pieces == 2
    f = rg.CPWLFunction([([(1, 0), (-1, 2)], ((1,), 0)), ([(1, -1)], ((1,), 0)),
                         ([(-1, 0)], ((0,), 0))])
    assert f.n_pieces == 2
    # the same map on both sides of a different one: three pieces; a gap splits pieces
    g = rg.CPWLFunction([([(-1, 0)], ((0,), 0)), ([(1, 0), (-1, 1)], ((1,), 0)),
                         ([(1, -1)], ((0,), 1))])
    assert g.n_pieces == 3
    h = rg.CPWLFunction([([(1, 0), (-1, 1)], ((0,), 0)), ([(1, -2), (-1, 3)], ((0,), 0))])
    assert h.n_pieces == 2


def test_W2_cpwl_repeated_and_overlapping_cells_in_2d():
    c, d = ([(1, 0, 0)], ((1, 0), 0)), ([(-1, 0, 0)], ((0, 0), 0))
    upper = ([(1, 0, 0), (0, 1, 0)], ((1, 0), 0))
    shifted = ([(1, 0, 0), (0, 1, 1)], ((1, 0), 0))
    lower = ([(1, 0, 0), (0, -1, 0)], ((1, 0), 0))
    for cells in ([c, d], [c, c, d], [c, upper, d], [upper, lower, d], [shifted, lower, d]):
        assert rg.CPWLFunction(cells).n_pieces == 2


@settings(max_examples=6)
@given(rst.relu_networks(n_inputs=2, max_hidden_layers=1, max_width=3), st.integers(0, 9))
def test_W2_cpwl_2d_repeating_a_cell_keeps_the_pieces(net, k):
    f = rg.CPWLFunction.from_network(net)
    cells = list(f.cells)
    assert rg.CPWLFunction(cells + [cells[k % len(cells)]], 2).n_pieces == f.n_pieces


@settings(max_examples=15)
@given(rst.relu_networks(n_inputs=1, max_hidden_layers=2, max_width=3), st.integers(0, 3))
def test_W2_cpwl_pieces_match_the_1d_function(net, k):
    """1-D pieces from the cells equal those of the exact PWL function (another route),
    and repeating a cell changes nothing."""
    f = rg.CPWLFunction.from_network(net)
    assert f.n_pieces == net.to_pwl().n_pieces
    cells = [(ineqs, m) for ineqs, m in f.cells]
    again = rg.CPWLFunction(cells + [cells[k % len(cells)]], 1)
    assert again.n_pieces == f.n_pieces


def test_W3_region_contains_checks_the_dimension():
    r = rg.linear_regions(_net2(), box=[(0, 1), (0, 1)]).regions[0]
    for bad in ([Fraction(1, 2)], [Fraction(1, 2), Fraction(1, 2), 99]):
        with pytest.raises(rg.DimensionError):
            r.contains(bad)
    for bad in ("12", {0, 1}, None):
        with pytest.raises(rg.RelugeomError):
            r.contains(bad)
    inside = r.interior_point
    assert r.contains(inside) and r.contains(np.array(inside, dtype=object))


def test_W4_convex_representation_refuses_mixed_dimensions():
    with pytest.raises(rg.DimensionError):
        rg.convex_representation([((1,), 0), ((1, 2), 5)])


@pytest.mark.parametrize("text", [
    _header("Zonotope", generators=["12", "34"]),
    _header("Zonotope", generators="12"),
    _header("CPWLFunction", n_inputs=2, cells=[{"inequalities": ["100"],
                                               "coefficients": ["1", "0"], "constant": "0"}]),
    _header("CPWLFunction", n_inputs=2, cells=[{"inequalities": [["1", "0", "0"]],
                                               "coefficients": "10", "constant": "0"}]),
    _header("ReLUNetwork", layers=[{"W": ["11"], "b": ["0"]}]),
    _header("ReLUNetwork", layers=[{"W": [["1"]], "b": "0"}]),
    _header("PiecewiseLinear", breakpoints="01", values=["0", "1"], left_slope="0",
            right_slope="0"),
])
def test_W6_json_strings_are_not_sequences(text):
    with pytest.raises(rg.SerializationError) as err:
        rg.from_json(text)
    assert "JSON array" in str(err.value) or "rational" in str(err.value)


_FRESH_WRITE = """
import relugeom as rg
from fractions import Fraction
print(rg.to_json(rg.Zonotope([[1, 2], [3, 4]])))
print(rg.to_json(rg.CPWLFunction([([(1, 0)], ((1,), 0)), ([(-1, 0)], ((0,), 0))])))
print(rg.to_json(rg.PiecewiseLinear.from_points([(Fraction(1, 10**5000), 10**5000), (1, 0)],
                                                left_slope=0, right_slope=0)))
"""


def _fresh(code: str, stdin: str = "") -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.dirname(os.path.dirname(rg.__file__)), os.environ.get("PYTHONPATH", "")]))
    p = subprocess.run([sys.executable, "-c", code], input=stdin, capture_output=True,
                       text=True, timeout=120, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout


def test_W7_from_json_in_a_fresh_process():
    """Written in one process, read in this one and in another fresh one (where only
    ``relugeom`` is imported: types resolve by name)."""
    lines = _fresh(_FRESH_WRITE).splitlines()
    z, f, g = (rg.from_json(t) for t in lines)
    assert z == rg.Zonotope([[1, 2], [3, 4]])
    assert f == rg.CPWLFunction(RELU_CELLS)
    assert g.breakpoints == (TINY, 1) and g.values == (BIG, 0)
    read = ("import sys, relugeom as rg\n"
            "for t in sys.stdin.read().splitlines():\n"
            "    print(type(rg.from_json(t)).__name__)\n")
    assert _fresh(read, "\n".join(lines)).split() == ["Zonotope", "CPWLFunction",
                                                      "PiecewiseLinear"]


def test_W9_values_refused():
    f = rg.PiecewiseLinear.identity()
    for bad in ("12", None, 3, {1, 2}):
        with pytest.raises(rg.NotExactError):
            f.evaluate_exact(bad)
    assert f.evaluate_exact(np.array([1, 2])) == (1, 2)
    net = rg.ReLUNetwork([([[1]], [0]), ([[1], [2]], [0, 0])])
    for bad in (True, "0", 1.0, None):
        with pytest.raises(rg.NotExactError):
            net.to_pwl(bad)
    assert net.to_pwl(1)(3) == 6
    for bad in (True, "2", 2.0):
        with pytest.raises(rg.NotExactError):
            rg.CPWLFunction(RELU_CELLS, n_inputs=bad)
    with pytest.raises(rg.DomainError):
        rg.CPWLFunction(RELU_CELLS, n_inputs=0)
    for box in ("0101", {(0, 1), (0, 2)}, [{0, 1}, (0, 1)], [("01"), (0, 1)], {0: 1, 1: 2}):
        with pytest.raises(rg.DimensionError):
            as_box(box, 2)
        with pytest.raises(rg.DimensionError):
            rg.linear_regions(_net2(), box=box)


def test_W10_strategies_honour_their_contract():
    with pytest.raises(rg.DomainError):
        rst.rationals(min_value="1/3", max_value="2/5", max_denominator=2)
    with pytest.raises(rg.DomainError):
        rst.piecewise_linears(bound=0, min_breakpoints=1)
    with pytest.raises(rg.DomainError):
        rst.piecewise_linears(bound=-1)
    with pytest.raises(rg.DomainError):      # only 5 integers in [-2, 2]: the C7 case
        rst.piecewise_linears(min_breakpoints=6, max_breakpoints=6, max_denominator=1,
                              bound=2)

    @settings(max_examples=30)
    @given(rst.rationals(min_value="1/3", max_value="2/5", max_denominator=5),
           rst.piecewise_linears(bound=0), rst.piecewise_linears(bound="1/2",
                                                                 max_denominator=2))
    def law(r, zero, half):
        assert Fraction(1, 3) <= r <= Fraction(2, 5) and r.denominator <= 5
        assert zero == rg.PiecewiseLinear.constant(0)
        assert all(abs(s) <= Fraction(1, 2) for s in half.slopes)
        assert all(abs(b) <= Fraction(1, 2) for b in half.breakpoints)
    law()


@settings(max_examples=20)
@given(st.data())
def test_W10_rationals_stay_in_bounds(data):
    lo = data.draw(st.fractions(-3, 3, max_denominator=7))
    hi = lo + data.draw(st.fractions(0, 2, max_denominator=7))
    d = data.draw(st.integers(1, 9))
    try:
        s = rst.rationals(min_value=lo, max_value=hi, max_denominator=d)
    except rg.DomainError:       # refused only when no such fraction exists
        assert not any(Fraction(n, k) >= lo and Fraction(n, k) <= hi
                       for k in range(1, d + 1) for n in range(-30 * k, 30 * k + 1))
        return
    r = data.draw(s)
    assert lo <= r <= hi and r.denominator <= d


# ------------------------------------------------------------------- big integers
def test_C4_values_of_any_size_serialise_and_print():
    f = rg.PiecewiseLinear.constant(BIG)
    text = rg.to_json(f)
    assert rg.from_json(text) == f and "0x" in text
    assert "5001 digits" in repr(f)
    g = rg.PiecewiseLinear.from_points([(TINY, 0), (1, 1), (2, 0)])
    assert rg.from_json(rg.to_json(g)) == g
    with pytest.raises(rg.DomainError) as err:
        rg.PiecewiseLinear.from_points([(BIG, 0), (0, 1)])
    assert "5001 digits" in str(err.value) and len(str(err.value)) < 300
    lit = _header("PiecewiseLinear", values=["0"], left_slope="0", right_slope="1")
    lit = lit[:-1] + ', "breakpoints": [' + "1" * 5000 + "]}"
    assert rg.from_json(lit).breakpoints == ((10 ** 5000 - 1) // 9,)
    with pytest.raises(rg.TooLargeError) as err:
        rg.config.check_size("max_pieces", 2 ** (10 ** 6), "sawtooth")
    assert "digits" in str(err.value)
    with pytest.raises(rg.TooLargeError):
        rg.families.sawtooth(10 ** 6)
    z = rg.Zonotope([[BIG, 1], [TINY, 2]])
    assert rg.from_json(rg.to_json(z)) == z
    c = rg.CPWLFunction([([(1, -BIG)], ((1,), 0)), ([(-1, BIG)], ((0,), BIG))])
    assert rg.from_json(rg.to_json(c)) == c


huge = st.one_of(
    st.integers(4000, 6000).map(lambda k: 10 ** k + 7),
    st.integers(4000, 6000).map(lambda k: Fraction(-1, 3 ** k)),
    st.tuples(st.integers(13000, 20000), st.integers(1, 40000)).map(
        lambda t: Fraction(2 ** t[0] + 1, 3 ** (t[1] // 4) * 7)),
    st.fractions(max_denominator=10 ** 6),
)


@settings(max_examples=15)
@given(st.lists(huge, min_size=1, max_size=3, unique=True), huge)
def test_C4_json_round_trip_of_huge_values(xs, y):
    xs = sorted(xs)
    f = rg.PiecewiseLinear.from_points([(x, y) for x in xs[:1]] +
                                       [(x, i) for i, x in enumerate(xs[1:])],
                                       left_slope=y, right_slope=-y)
    assert rg.from_json(rg.to_json(f)) == f
    z = rg.Zonotope([[v, 1] for v in xs])
    assert rg.from_json(rg.to_json(z)) == z
    assert len(short(y)) < 100 and len(repr(f)) < 1000


def test_C4_json_round_trip_of_huge_values_in_a_fresh_process():
    values = [BIG, TINY, -BIG - 1, Fraction(2 ** 20000 + 1, 3 ** 9000)]
    fs = [rg.PiecewiseLinear.from_points([(0, v), (1, 0)], right_slope=0) for v in values]
    out = _fresh("import sys, relugeom as rg\n"
                 "for t in sys.stdin.read().splitlines():\n"
                 "    print(rg.to_json(rg.from_json(t)))\n",
                 "\n".join(rg.to_json(f) for f in fs))
    assert [rg.from_json(t) for t in out.splitlines()] == fs


# ------------------------------------------------------------------ wrong types
def test_C7_wrong_types_raise_typed_errors():
    with pytest.raises(rg.SerializationError):
        rg.from_json(_header("x").replace('"x"', '["x"]'))
    with pytest.raises(rg.DomainError):
        rg.get_limit(["x"])
    with pytest.raises(rg.NotExactError):
        pwl_to_sympy(None)
    with pytest.raises(rg.NotExactError):
        pwl_to_sympy(rg.PiecewiseLinear.relu(), 3)
    with pytest.raises(rg.NotExactError):
        rg.CPWLFunction.from_network(None)
    with pytest.raises(rg.NotExactError):
        rg.PiecewiseLinear.identity().evaluate_exact(None)
    with pytest.raises(rg.NotExactError):
        rg.PiecewiseLinear.from_points(None)
    with pytest.raises(rg.DimensionError):
        rg.PiecewiseLinear.from_points([{"x": 0, "y": 1}])
    with pytest.raises(rg.DimensionError):
        rg.PiecewiseLinear.from_points({(0, 1), (1, 2)})


def test_C8_operator_errors_are_relugeom_errors():
    f = rg.PiecewiseLinear.relu()
    c = rg.CPWLFunction(RELU_CELLS)
    cases = [
        (lambda: f / 0, ValueError), (lambda: f / 0, ZeroDivisionError),
        (lambda: rg.compose(f, 3), TypeError), (lambda: rg.to_json(3), TypeError),
        (lambda: c.equals(3), TypeError), (lambda: f(f), TypeError),
        (lambda: f * f, TypeError), (lambda: bool(f), TypeError),
        (lambda: bool(c), TypeError), (lambda: f < f, TypeError),
        (lambda: rg.add(f, None), TypeError),
    ]
    for thunk, builtin in cases:
        with pytest.raises(rg.RelugeomError) as err:
            thunk()
        assert isinstance(err.value, builtin)


# ----------------------------------------------------------------------- hangs
@pytest.mark.parametrize("bad", ["1e100_000_000", "1e1_0001", "1e" + "9" * 50,
                                 "-1.5e-1_0_0_0_1", "1" * 200_000, Decimal("1e100000000"),
                                 Decimal("1e-100000000"), Decimal("1" * 200_000)])
def test_H1_exponent_and_length_guards(bad):
    with pytest.raises(rg.DomainError) as err:
        rg.as_rational(bad)
    assert len(str(err.value)) < 400


def test_H1_forms_within_the_limits_are_exact():
    assert rg.as_rational("1e1_0000") == 10 ** 10000
    assert rg.as_rational("1_000.000_1") == Fraction(10000001, 10000)
    assert rg.as_rational(Decimal("-1.25e3")) == -1250
    assert rg.as_rational("7" * 5000) == 7 * (10 ** 5000 - 1) // 9


# ------------------------------------------------------------- float policy (issue 13)
def test_float_policy_advice_names_what_works_everywhere():
    with pytest.raises(rg.NotExactError) as err:
        rg.as_rational(0.1)
    msg = str(err.value)
    assert "relugeom.exact(0.1)" in msg and "exact_float" not in msg and '"0.1"' in msg
    assert rg.exact(0.1) == Fraction(0.1) and rg.exact("0.1") == Fraction(1, 10)
    with pytest.raises(rg.DomainError):
        rg.exact(float("nan"))
    with pytest.raises(rg.NotExactError):
        rg.as_rational_rows(np.array([[0.5, 1.0]])) if hasattr(rg, "as_rational_rows") \
            else rg.rational.as_rational_rows(np.array([[0.5, 1.0]]))
    assert rg.rational.as_rational_rows(np.array([[0.5, 1.0]]), exact_float=True) == \
        ((Fraction(1, 2), Fraction(1)),)
    with pytest.raises(rg.NotExactError):
        rg.PiecewiseLinear.identity().evaluate_exact(np.array([0.5]))


# ---------------------------------------------------------------------- messages
def test_U1_long_strings_are_abbreviated():
    for call in (lambda: rg.as_rational("7" * 5000 + "x"),
                 lambda: rg.from_json("x" * 10000),
                 lambda: rg.from_json(_header("PiecewiseLinear", breakpoints=["z" * 5000]))):
        with pytest.raises(rg.RelugeomError) as err:
            call()
        msg = str(err.value)
        assert len(msg) < 500 and "set_int_max_str_digits" not in msg


def test_U2_n_inputs_message_is_clear():
    with pytest.raises(rg.NotExactError) as err:
        rg.CPWLFunction(RELU_CELLS, n_inputs="2")
    assert "n_inputs" in str(err.value) and "str" in str(err.value)


def test_U3_missing_field_names_the_layer():
    with pytest.raises(rg.SerializationError) as err:
        rg.from_json(_header("ReLUNetwork", layers=[{"W": [["1"]]}]))
    assert "layers[0]" in str(err.value) and "'b'" in str(err.value)
    assert "None" not in str(err.value)


def test_U4_cells_as_a_string():
    with pytest.raises(rg.SerializationError) as err:
        rg.from_json(_header("CPWLFunction", n_inputs=1, cells="ab"))
    assert "cells" in str(err.value) and "string indices" not in str(err.value)


# ---------------------------------------------------------------- junk into the gate
_junk = st.text(alphabet="0123456789+-_./eE xi", max_size=24)


@settings(max_examples=200)
@given(_junk)
def test_gate_on_junk_strings_is_exact_or_refuses(s):
    """Either the exact value Python's own Fraction parser gives, or a DomainError; and
    every string Fraction accepts (within the exponent limit) is accepted."""
    try:
        want = Fraction(s)
    except (ValueError, ZeroDivisionError):
        want = None
    try:
        got = rg.as_rational(s)
    except rg.DomainError as err:
        assert want is None or "exponent" in str(err) or "zero denominator" in str(err)
        return
    assert got == want


@settings(max_examples=60)
@given(st.text(max_size=40) | st.binary(max_size=10) | st.sampled_from(
    ["1e" + "9" * 30, "1/" + "0" * 30, "-" * 40, "." * 40, "1" * 5000 + "e5"]))
def test_gate_on_any_junk_returns_or_raises_relugeom_error(s):
    try:
        r = rg.as_rational(s)
    except rg.RelugeomError as err:
        assert len(str(err)) < 500
        return
    assert isinstance(r, Fraction)


_json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from(
    ["0", "1", "-1/2", "3/0", "0x10", "1e3", "", "ab", "[]"]), st.floats(allow_nan=False,
                                                                          width=16))
_json_val = st.recursive(_json_leaf, lambda c: st.lists(c, max_size=3) | st.dictionaries(
    st.sampled_from(["W", "b", "inequalities", "coefficients", "constant", "x"]), c,
    max_size=3), max_leaves=8)
_FIELDS = {"PiecewiseLinear": ["breakpoints", "values", "left_slope", "right_slope",
                               "intercept"],
           "ReLUNetwork": ["layers"], "Zonotope": ["generators"],
           "CPWLFunction": ["n_inputs", "cells"]}


@settings(max_examples=150)
@given(st.sampled_from(sorted(_FIELDS)), st.data())
def test_from_json_on_junk_fields_returns_or_raises_serialization_error(name, data):
    fields = {k: data.draw(_json_val, label=k) for k in _FIELDS[name]
              if data.draw(st.booleans(), label=f"has {k}")}
    try:
        obj = rg.from_json(_header(name, **fields))
    except rg.SerializationError as err:
        assert len(str(err)) < 600
        return
    assert rg.from_json(rg.to_json(obj)) == obj

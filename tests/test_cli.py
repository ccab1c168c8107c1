"""The command line: ``relugeom count`` and ``relugeom figures``."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import relugeom as rg
from relugeom.cli import main


def _write(tmp_path: Path, obj, name: str = "obj.json") -> str:
    path = tmp_path / name
    path.write_text(rg.to_json(obj), encoding="utf-8")
    return str(path)


def _tent() -> rg.PiecewiseLinear:
    return rg.PiecewiseLinear.from_points([(0, 0), ("1/2", 1), (1, 0)])


def test_count_function(tmp_path, capsys):
    """count prints the exact pieces on R of a saved function."""
    t = _tent()
    f = t @ t @ t
    assert main(["count", _write(tmp_path, f)]) == 0
    assert f"pieces on R: {f.n_pieces}" in capsys.readouterr().out


def test_count_function_on_an_interval(tmp_path, capsys):
    """--lo/--hi count pieces on an interval: the sawtooth has 2^k on [0, 1]."""
    t = _tent()
    path = _write(tmp_path, t @ t @ t @ t)
    assert main(["count", path, "--lo", "0", "--hi", "1"]) == 0
    assert "pieces on [0, 1]: 16" in capsys.readouterr().out


def test_count_network(tmp_path, capsys):
    """count of a one-input network prints its structure and its function's pieces."""
    f = rg.PiecewiseLinear.from_points([(0, 0), (1, 1), (2, 0), (3, 1)], left_slope=0,
                                       right_slope=0)
    net = rg.network_from_pwl(f)
    assert main(["count", _write(tmp_path, net)]) == 0
    out = capsys.readouterr().out
    assert f"depth 2, widths [{net.size}], size {net.size}" in out
    assert "pieces on R: 5" in out


def test_count_two_input_network(tmp_path, capsys):
    """count of a 2-input network reports activation regions and pieces (Definition 3)."""
    pytest.importorskip("relugeom.geometry.regions")
    net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    assert main(["count", _write(tmp_path, net), "--box=-1,1,-1,1"]) == 0
    out = capsys.readouterr().out
    assert "activation regions: 4" in out
    assert "pieces (Definition 3): 4" in out


def test_count_refuses_malformed_json(tmp_path, capsys):
    """Malformed input exits with code 2 and a message naming the problem."""
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "relugeom", "version": 1, "type": "Nope"}', encoding="utf-8")
    assert main(["count", str(bad)]) == 2
    assert "unknown type 'Nope'" in capsys.readouterr().err


def test_figures_command(tmp_path, capsys):
    """figures --only writes the selected figure and prints its path."""
    assert main(["figures", "--out", str(tmp_path), "--only", "fig4*", "--format",
                 "png,svg"]) == 0
    printed = capsys.readouterr().out.split()
    assert [Path(p).name for p in printed] == ["fig4_relu_splits_pieces.png",
                                               "fig4_relu_splits_pieces.svg"]
    assert all(Path(p).stat().st_size > 0 for p in printed)


def test_module_entry_point(tmp_path):
    """`python -m relugeom count` works as a subprocess (the installed entry point)."""
    path = _write(tmp_path, _tent())
    out = subprocess.run([sys.executable, "-m", "relugeom", "count", path],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "pieces on R: 2"   # the end slopes continue


def test_erm_command(tmp_path, capsys):
    """erm reads a CSV with a header and prints the certified optimum (here 2/9)."""
    pytest.importorskip("relugeom.erm")
    data = tmp_path / "data.csv"
    data.write_text("x,y\n0,0\n1,1\n2,0\n", encoding="utf-8")
    assert main(["erm", str(data), "--width", "1", "--workers", "1", "--no-progress"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("objective: 2/9 ") and "certified" in out


def test_negative_option_values_need_no_equals_sign(tmp_path, capsys):
    """`--lo -1/2` and `--box -1,1,-1,1` are read as values, not as options."""
    f = rg.families.sawtooth(3)
    p = tmp_path / "f.json"
    p.write_text(rg.to_json(f))
    assert main(["count", str(p), "--lo", "-1/2", "--hi", "1"]) == 0
    assert f"pieces on [-1/2, 1]: {f.n_pieces_on('-1/2', 1)}" in capsys.readouterr().out
    net = rg.ReLUNetwork([([[1, 1], [1, -1]], [0, "1/2"]), ([[1, 1]], [0])])
    q = tmp_path / "n.json"
    q.write_text(rg.to_json(net))
    assert main(["count", str(q), "--box", "-1,1,-1,1"]) == 0
    assert "activation regions: 4" in capsys.readouterr().out


def test_verify_json_and_exit_status(capsys):
    """verify --json prints only a JSON list with the documented keys; exit 0 when all hold."""
    import json
    assert main(["verify", "--json", "--only", "Theorem 2.2"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"claim", "parameters", "paper", "computed", "method", "holds"} <= set(rows[0])
    assert all(r["holds"] in (True, "erratum") for r in rows)
    assert main(["verify", "--only", "no such claim at all"]) == 2


def test_version_and_help(capsys):
    """--version prints the version; --help lists the subcommands."""
    with pytest.raises(SystemExit):
        main(["--version"])
    assert rg.__version__ in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert all(c in out for c in ("verify", "figures", "count", "erm", "bench"))


# ------------------------------------------------------------------ hostile command lines
def _one_line_error(capsys) -> str:
    """The run printed exactly one line on stderr, ``relugeom: error: ...``, and no
    traceback; returns it."""
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert "Traceback" not in err
    assert len(lines) == 1 and lines[0].startswith("relugeom: error: "), err
    return lines[0]


def _two_d() -> rg.ReLUNetwork:
    return rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])


def _two_outputs() -> rg.ReLUNetwork:
    """x -> (relu(x) + relu(-x), relu(x)) = (|x|, relu(x))."""
    return rg.ReLUNetwork([([[1], [-1]], [0, 0]), ([[1, 1], [1, 0]], [0, 0])])


@pytest.mark.parametrize("argv, words", [
    (["--box", "-1,1,-1,1,5"], "even number of values"),
    (["--box", "-1,1"], "1 (lo, hi) pairs but the network has 2 inputs"),
    (["--box", "1,-1,-1,1"], "pair 1 needs lo < hi"),
    (["--box", "0,1,x,1"], "--box value 3"),
    (["--lo", "0", "--hi", "1"], "--lo/--hi are for functions of one input"),
    (["--output", "1"], "--output 1 does not exist"),
])
def test_count_two_inputs_refuses_bad_values_before_printing(tmp_path, capsys, argv, words):
    """W8: nothing is dropped or ignored silently: each bad value is refused with one line
    on stderr, exit 2, and nothing on stdout (values are checked before any output)."""
    path = _write(tmp_path, _two_d())
    assert main(["count", path, *argv]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert words in out.err and "Traceback" not in out.err


@pytest.mark.parametrize("argv, words", [
    (["--box", "0,1"], "--box is for functions of several inputs"),
    (["--lo", "1", "--hi", "0"], "--lo must be below --hi"),
    (["--lo", "1e99999"], "exponent"),
    (["--lo", "nan"], "--lo"),
    (["--output", "2"], "--output 2 does not exist; outputs are 0..1"),
    (["--output", "-1"], "--output -1 does not exist"),
])
def test_count_one_input_refuses_bad_values(tmp_path, capsys, argv, words):
    path = _write(tmp_path, _two_outputs())
    assert main(["count", path, *argv]) == 2
    out = capsys.readouterr()
    assert out.out == "" and words in out.err


def test_count_every_output(tmp_path, capsys):
    """W8: a network with two outputs has each output counted (|x|: 2 pieces, relu: 2;
    on [1, 2] both are one piece), or only the one --output names."""
    path = _write(tmp_path, _two_outputs())
    assert main(["count", path, "--lo", "1", "--hi", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["output 0: pieces on R: 2", "output 0: pieces on [1, 2]: 1",
                       "output 1: pieces on R: 2", "output 1: pieces on [1, 2]: 1"]
    assert main(["count", path, "--output", "1", "--lo", "-1", "--hi", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[1:] == ["output 1: pieces on R: 2", "output 1: pieces on [-1, 1]: 2"]


def test_count_huge_integer_bound_prints_abbreviated(tmp_path, capsys):
    """C9: a 5,000-digit bound is read exactly and printed abbreviated (no int-to-str
    traceback); relu has one piece right of it."""
    path = _write(tmp_path, rg.PiecewiseLinear.relu())
    assert main(["count", path, "--lo", "7" * 5000]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["pieces on R: 2",
                   "pieces on [777777777777...777777777777 (5000 digits), inf]: 1"]


def test_count_bad_files(tmp_path, capsys):
    """Missing, a directory, not UTF-8, not JSON, the wrong JSON type: one line each."""
    missing = str(tmp_path / "missing.json")
    assert main(["count", missing]) == 2
    assert "missing.json" in _one_line_error(capsys)
    assert main(["count", str(tmp_path)]) == 2
    _one_line_error(capsys)
    binary = tmp_path / "b.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert main(["count", str(binary)]) == 2
    _one_line_error(capsys)
    junk = tmp_path / "j.json"
    junk.write_text("{not json", encoding="utf-8")
    assert main(["count", str(junk)]) == 2
    _one_line_error(capsys)
    zon = _write(tmp_path, rg.Zonotope([[1, 0], [0, 1]]), "z.json")
    assert main(["count", zon]) == 2
    assert "holds a Zonotope" in _one_line_error(capsys)


def test_count_refuses_a_deep_network_quickly(tmp_path, capsys):
    """C6/H6: an 80-unit sawtooth network (2^40 pieces) is refused up front with
    TooLargeError's one line, not built for minutes until memory runs out."""
    path = _write(tmp_path, rg.families.sawtooth_network(40))
    assert main(["count", path]) == 2
    line = _one_line_error(capsys)
    assert "max_pieces" in line and "--max-pieces" in line


def test_count_max_pieces_option(tmp_path, capsys):
    """--max-pieces lowers (or raises) the limit for one run."""
    path = _write(tmp_path, rg.families.sawtooth_network(6))
    assert main(["count", path, "--max-pieces", "10"]) == 2
    assert "max_pieces" in _one_line_error(capsys)
    assert main(["count", path, "--max-pieces", "4000"]) == 0   # Lemma D.5 bound 3072
    assert "pieces on R: 66" in capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["count", path, "--max-pieces", "many"])


def test_figures_out_unusable(tmp_path, capsys):
    """C9: --out at a file, or a folder that cannot be created: one line, exit 2."""
    afile = tmp_path / "f"
    afile.write_text("x", encoding="utf-8")
    assert main(["figures", "--out", str(afile), "--only", "fig4*"]) == 2
    assert "is a file" in _one_line_error(capsys)
    assert main(["figures", "--out", str(afile / "sub"), "--only", "fig4*"]) == 2
    _one_line_error(capsys)


def test_verify_only_matching_nothing_lists_the_checks(capsys):
    """H7: `verify --only zzzzz` answers at once (no check runs) with the valid names."""
    assert main(["verify", "--only", "zzzzz"]) == 2
    line = _one_line_error(capsys)
    assert "no check matches" in line and "Theorem 2.2" in line and "Lemma D.5" in line


def test_verify_claim_filters_rows(capsys):
    """--claim keeps the rows whose claim text matches, within the checks --only picks."""
    assert main(["verify", "--json", "--only", "Theorem 2.2", "--claim", "zzzz"]) == 2
    assert "no claim matches --claim 'zzzz'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["verify", "--json", "--markdown"],
    ["count"],
    ["count", "x.json", "--output", "one"],
    ["erm", "x.csv"],
    ["erm", "x.csv", "--width", "two"],
    ["erm", "x.csv", "--width", "1", "--loss", "cubic"],
    ["nosuchcommand"],
])
def test_argparse_refusals(argv, capsys):
    """Bad flags are argparse errors: exit status 2, a usage line, no traceback."""
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "error:" in err and "Traceback" not in err


def test_erm_bad_files(tmp_path, capsys):
    """`relugeom erm missing.csv` and a directory: one line, exit 2."""
    pytest.importorskip("relugeom.erm")
    assert main(["erm", str(tmp_path / "missing.csv"), "--width", "1"]) == 2
    _one_line_error(capsys)
    assert main(["erm", str(tmp_path), "--width", "1"]) == 2
    _one_line_error(capsys)


def test_certify_bad_files(tmp_path, capsys):
    assert main(["certify", str(tmp_path / "missing.json")]) == 2
    _one_line_error(capsys)
    junk = tmp_path / "j.json"
    junk.write_text("[1, 2", encoding="utf-8")
    assert main(["certify", str(junk)]) == 2
    _one_line_error(capsys)


def test_every_option_has_help_and_every_subcommand_an_example():
    """Issue 13: every option of every subcommand has help text; every subcommand's
    help ends with an example."""
    import argparse
    from relugeom.cli import build_parser
    parser = build_parser()
    subs = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    assert set(subs.choices) >= {"verify", "figures", "count", "erm", "certify", "bench"}
    for name, sp in subs.choices.items():
        assert sp.epilog and "relugeom " + name in sp.epilog, name
        for action in sp._actions:
            assert action.help, (name, action.dest)


@pytest.mark.parametrize("exc, status", [(ZeroDivisionError("1/0"), 2),
                                         (MemoryError(), 2),
                                         (AttributeError("x"), 2),
                                         (KeyboardInterrupt(), 130)])
def test_a_crash_in_any_subcommand_is_never_exit_1(monkeypatch, capsys, exc, status):
    """Exit 1 means FALSE; an unexpected exception is one line and exit 2 (130 for
    Ctrl-C), whichever subcommand raised it."""
    import relugeom.cli as cli

    def boom(args):
        raise exc
    for name in ("_cmd_verify", "_cmd_count", "_cmd_erm", "_cmd_figures"):
        monkeypatch.setattr(cli, name, boom)
    for argv in (["verify"], ["count", "x.json"], ["erm", "x.csv", "--width", "1"],
                 ["figures"]):
        assert cli.main(argv) == status
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err


def test_a_broken_pipe_is_not_an_error(monkeypatch):
    import relugeom.cli as cli

    def pipe(args):
        raise BrokenPipeError(32, "Broken pipe")
    monkeypatch.setattr(cli, "_cmd_verify", pipe)
    monkeypatch.setattr("os.dup2", lambda *a: None)
    assert cli.main(["verify"]) == 0

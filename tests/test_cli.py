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
    pytest.importorskip("relugeom.regions")
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

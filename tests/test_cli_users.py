"""The command line where users work: ``count --output`` on several inputs, ``erm
--output-bias`` and the model printed, ``figures`` conflicts listed at once and
``--skip-existing`` (issue 27: N3-01, N3-02, N3-07)."""
import hashlib
import os

import pytest

import relugeom as rg
from relugeom.cli import main

NET2D = rg.ReLUNetwork([([[1, -1], [2, 1], [-1, 3]], [0, "1/2", -1]),
                        ([[1, -2, 1], [0, 1, 1]], [0, 0])])


def _write(tmp_path, obj, name="obj.json"):
    path = tmp_path / name
    path.write_text(rg.to_json(obj))
    return str(path)


def test_count_output_of_a_two_input_network(tmp_path, capsys):
    """N3-01: output 1 of the 2-input example has 4 pieces (as its one-output copy and
    linear_regions say); the map to R^2 has 7."""
    path = _write(tmp_path, NET2D)
    assert main(["count", path, "--output", "1"]) == 0
    out = capsys.readouterr().out
    assert "activation regions: 7" in out and "of output 1): 4" in out
    alone = rg.ReLUNetwork([NET2D.layers[0], ([[0, 1, 1]], [0])])
    assert rg.linear_regions(alone).n_pieces == 4
    assert main(["count", path]) == 0
    assert "of the map to R^2): 7" in capsys.readouterr().out


@pytest.mark.parametrize("i", [0, 1])
def test_count_output_agrees_with_the_one_output_network(tmp_path, capsys, i):
    """For each output, the CLI count equals linear_regions on that output's network, in a
    box too."""
    W, b = NET2D.layers[-1]
    alone = rg.ReLUNetwork([NET2D.layers[0], ((W[i],), (b[i],))])
    want = rg.linear_regions(alone, box=[(-1, 1), (-1, 1)]).n_pieces
    assert main(["count", _write(tmp_path, NET2D), "--output", str(i),
                 "--box", "-1,1,-1,1"]) == 0
    assert f"of output {i}): {want}" in capsys.readouterr().out


def _csv(tmp_path):
    xs = ["-1.5", "-1", "-0.25", "0", "0.5", "1.25", "2"]
    ys = ["1.2", "0.5", "-0.5", "-0.6", "-0.2", "0.6", "1.4"]
    path = tmp_path / "data.csv"
    path.write_text("x,y\n" + "".join(f"{x},{y}\n" for x, y in zip(xs, ys)))
    return str(path), xs, ys


def test_erm_prints_the_model_and_output_bias_lowers_the_optimum(tmp_path, capsys):
    """N3-02: the result names the model solved; --output-bias solves f + c, whose
    certified optimum is no higher, and agrees with the API."""
    path, xs, ys = _csv(tmp_path)
    assert main(["erm", path, "--width", "1", "--workers", "1", "--no-progress"]) == 0
    plain = capsys.readouterr().out
    assert "model: f(x) = sum_i s_i relu(a_i x + b_i), s_i = +-1, no output bias" in plain
    assert "--output-bias" in plain
    assert main(["erm", path, "--width", "1", "--workers", "1", "--no-progress",
                 "--output-bias"]) == 0
    biased = capsys.readouterr().out
    assert "+ c, s_i = +-1, with output bias c" in biased and "output bias: c=" in biased
    X = [[x] for x in xs]
    a = rg.erm.fit(X, ys, width=1, workers=1, progress=False)
    b = rg.erm.fit(X, ys, width=1, output_bias=True, workers=1, progress=False)
    assert b.objective < a.objective
    assert f"objective: {b.objective}" in biased and f"objective: {a.objective}" in plain


def test_erm_help_explains_the_output_bias(capsys):
    """`relugeom erm --help` says the default has no output bias and why it matters."""
    with pytest.raises(SystemExit):
        main(["erm", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--output-bias" in text and "NO output bias" in text and "torch" in text


def _md5(path):
    return hashlib.md5(open(path, "rb").read()).hexdigest()


def test_figures_lists_every_conflict_at_once_then_skips_them(tmp_path, capsys):
    """N3-07: every user file in the way is named in one error (exit 2, nothing touched);
    --skip-existing keeps them and writes the rest."""
    out = tmp_path / "figs"
    out.mkdir()
    mine = {"fig2_zigzag_composition.png": b"my png", "fig2_zigzag_composition.svg": b"<svg/>",
            "README.md": b"my notes"}
    for name, data in mine.items():
        (out / name).write_bytes(data)
    before = {n: _md5(out / n) for n in mine}
    argv = ["figures", "--out", str(out), "--only", "fig2", "--format", "png,svg",
            "--gallery"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "3 files" in err and "--skip-existing" in err
    assert all(n in err for n in mine)
    assert main([*argv[:-1], "--skip-existing"]) == 0
    assert {n: _md5(out / n) for n in mine} == before
    assert sorted(os.listdir(out)) == sorted(mine)      # nothing else was missing
    assert main(["figures", "--out", str(out), "--only", "fig4", "--skip-existing"]) == 0
    assert (out / "fig4_relu_splits_pieces.png").exists()
    assert {n: _md5(out / n) for n in mine} == before


def test_count_progress_and_force(tmp_path, capsys):
    """N3-06: --progress shows a bar on stderr; past max_region_bound, count refuses and
    --force goes ahead with the same count as within the limit."""
    path = _write(tmp_path, NET2D)
    assert main(["count", path, "--progress"]) == 0
    captured = capsys.readouterr()
    assert "linear regions" in captured.err and "activation regions: 7" in captured.out
    net3 = rg.ReLUNetwork([([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
                           ([[1, 1, 1]], [0])])
    path3 = _write(tmp_path, net3, "net3.json")
    with rg.limits(max_region_bound=5):
        assert main(["count", path3]) == 2
        assert "max_region_bound=5" in capsys.readouterr().err
        assert main(["count", path3, "--force"]) == 0
        assert "activation regions: 8" in capsys.readouterr().out

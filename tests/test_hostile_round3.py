"""Hostile inputs, round 3 (issue 26): the cases of hostile_repro_ae34435.py outside the
importers and the certificates. Each bad input gets a typed RelugeomError naming the value
(quickly, before the work), each good one an exact answer checked against an independent
route; on the command line, exit status 2 and one ``relugeom: error:`` line."""
from __future__ import annotations

import json
import math
import os
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import relugeom as rg
from relugeom import cli
from relugeom.erm._arrangement import cover_count
from relugeom.files import read_file_bytes, read_text_file
from relugeom.geometry import equality
from relugeom.numbers.surd import Surd

NET2 = rg.ReLUNetwork([([[1, 0], [0, 1], [1, -1]], [0, 0, 0]), ([[1, 1, -1]], [0])])
NET1_JSON = rg.to_json(rg.ReLUNetwork([([[1], [-1]], [0, 1]), ([[1, 1]], [0])]))
needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")


def _fifo(tmp_path) -> str:
    path = str(tmp_path / "fifo")
    os.mkfifo(path)
    return path


def _run(argv, capsys) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str, *words: str) -> None:
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("relugeom: error: "), err
    assert "Traceback" not in err
    for w in words:
        assert w in lines[0], (w, lines[0])


# ------------------------------------------------------------ H3-11, H3-15: special files
@needs_fifo
def test_fifo_and_devzero_refused_by_the_reader(tmp_path):
    """H3-11 / H3-15: a FIFO (no writer: opening it would block) and /dev/zero (endless)
    are refused before any read, a folder too; a regular file reads exactly."""
    fifo = _fifo(tmp_path)
    with pytest.raises(rg.SerializationError, match="FIFO"):
        read_file_bytes(fifo, what="test")
    if os.path.exists("/dev/zero"):
        with pytest.raises(rg.SerializationError, match="character device"):
            read_text_file("/dev/zero", what="test")
    with pytest.raises(rg.SerializationError, match="folder"):
        read_file_bytes(str(tmp_path))
    with pytest.raises(rg.SerializationError, match="No such file"):
        read_file_bytes(str(tmp_path / "missing"))
    with pytest.raises(rg.DomainError, match="FIFO"):          # the caller's error class
        read_file_bytes(fifo, error=rg.DomainError)
    p = tmp_path / "x.txt"
    p.write_bytes("a,b\n1,2\n".encode())
    assert read_text_file(str(p)) == "a,b\n1,2\n"


def test_file_size_cap_and_encoding(tmp_path):
    """The cap max_file_bytes is checked from the size before reading (TooLargeError);
    non-UTF-8 text and non-path arguments are typed errors."""
    p = tmp_path / "big.json"
    p.write_bytes(b"x" * 1000)
    assert len(read_file_bytes(str(p))) == 1000
    with rg.limits(max_file_bytes=999):
        with pytest.raises(rg.TooLargeError, match="max_file_bytes=999"):
            read_file_bytes(str(p))
    assert len(read_file_bytes(str(p), limit=1000)) == 1000
    (tmp_path / "bad.txt").write_bytes(b"1,2\xff\n")
    with pytest.raises(rg.SerializationError, match="not UTF-8 .* byte 3"):
        read_text_file(str(tmp_path / "bad.txt"))
    for bad in (3, b"/etc/passwd", None):
        with pytest.raises(rg.SerializationError, match="file path"):
            read_file_bytes(bad)


@needs_fifo
@pytest.mark.parametrize("command", [["count"], ["erm", "--width", "1"]])
def test_cli_refuses_special_files(command, tmp_path, capsys):
    """H3-11-fifo-cli-count / -cli-erm, H3-15-devzero-cli-count / -cli-erm: exit 2 with
    one line naming the kind of file (the FIFO has no writer: a read would block)."""
    targets = [(_fifo(tmp_path), "FIFO")]
    if os.path.exists("/dev/zero"):
        targets.append(("/dev/zero", "character device"))
    for path, kind in targets:
        argv = [command[0], path, *command[1:]]
        code, out, err = _run(argv, capsys)
        assert code == 2 and out == ""
        _one_error_line(err, kind)


def test_cli_count_reads_regular_files(tmp_path, capsys):
    """The safe reader keeps the normal path: a network file is counted."""
    p = tmp_path / "net1.json"
    p.write_text(NET1_JSON)
    code, out, _ = _run(["count", p], capsys)
    assert code == 0 and "pieces on R: 3" in out


# ------------------------------------------------------------ H3-08, H3-22: Surd
@pytest.mark.parametrize("make, words", [
    (lambda: Surd(2, 3, 2) ** 10 ** 10, "10000000000 bits"),            # H3-08-surd-pow-huge
    (lambda: Surd.rational(F(3, 2)) ** 10 ** 9, "1000000000 bits"),
    (lambda: Surd(1, 3, 2) ** (2 * 10 ** 7 + 1), "radicand"),
    (lambda: Surd(1, 2 ** (2 ** 22 - 64) + 1, 2), "4194242 bits"),      # -radicand-near-limit
])
def test_surd_sizes_refused_up_front(make, words):
    """H3-08: powers and radicands over the limits are TooLargeErrors from the sizes alone,
    before any big-integer arithmetic."""
    with pytest.raises(rg.TooLargeError, match=words):
        make()


def test_surd_radicands_below_the_limit_are_fast_and_exact():
    """H3-08-surd-degree-many-divisors and radicands just under the limit: put in canonical
    form with GMP roots, and compared exactly (the perfect-power cases reduce)."""
    near = Surd(1, 2 ** (2 ** 20 - 64) + 1, 2)          # sqrt(2^(2^20-64) + 1)
    assert near > 2 ** (2 ** 19 - 32) and math.floor(near) == 2 ** (2 ** 19 - 32)
    s = Surd(1, 3 ** 200000 + 1, 720720)                # 240 divisors of the degree
    assert s.m == 720720 and 1 < s < 2
    t = Surd(1, 3 ** 1000, 720720)                      # gcd(1000, 720720) = 40
    assert (t.r, t.m) == (3 ** 25, 18018) and t == Surd(1, 3 ** 25, 18018)
    u = Surd(1, 2 ** 600, 720720)                       # gcd(600, 720720) = 120
    assert (u.r, u.m) == (32, 6006)
    assert Surd(1, 3 ** 1001, 1001) == 3 and Surd(1, 3 ** 1001, 1001).is_rational
    assert Surd(2, 3, 2) ** 100001 == Surd(2 ** 100001 * 3 ** 50000, 3, 2)
    assert "digits" in repr(Surd(1, 2 ** 20000 + 1, 2))   # a repr never hits the 4,300 limit


def test_surd_json_huge_radicand_refused():
    """H3-08-surd-json-huge-radicand: a 4.2 Mbit radicand in JSON is refused at once."""
    js = json.dumps({"format": "relugeom", "version": 1, "type": "Surd", "a": "1",
                     "r": "0x" + "f" * 1048000 + "1", "m": 2, "b": "0"})
    with pytest.raises(rg.SerializationError, match="MAX_RADICAND_BITS"):
        rg.from_json(js)


def test_surd_division_by_zero_typed():
    """H3-22: Surd / 0 is a DomainError that is also the built-in ZeroDivisionError."""
    for zero in (0, F(0), Surd.rational(0)):
        with pytest.raises(rg.DomainError, match="by zero"):
            Surd(1, 2, 2) / zero
        with pytest.raises(ZeroDivisionError):
            Surd(1, 2, 2) / zero


def _old_canonical(r: F, m: int) -> tuple[F, int]:
    """The former route, independent of the new one: try every divisor d of m, largest
    first, with integer Newton roots (pure Python)."""
    def iroot(n: int, k: int) -> int:
        if n < 2:
            return n
        x = 1 << -(-n.bit_length() // k)
        while True:
            y = ((k - 1) * x + n // x ** (k - 1)) // k
            if y >= x:
                return x
            x = y
    for d in sorted((d for d in range(2, m + 1) if m % d == 0), reverse=True):
        u, v = iroot(r.numerator, d), iroot(r.denominator, d)
        if u ** d == r.numerator and v ** d == r.denominator:
            return F(u, v), m // d
    return r, m


@settings(max_examples=40)
@given(st.integers(1, 40), st.integers(1, 30), st.integers(1, 12), st.integers(1, 12),
       st.integers(1, 12))
def test_surd_degree_lowering_matches_divisor_search(base_n, base_d, power, m, a):
    """Law: the prime-by-prime degree lowering gives the value of the old largest-divisor
    search, and the surd equals its rational form when that is rational."""
    r = F(base_n, base_d) ** power
    s = Surd(a, r, m)
    root, k = _old_canonical(r, m)
    assert s == Surd(a, root, k) if k > 1 else s == a * root
    assert s.is_rational == (k == 1)


@given(st.integers(2, 50), st.integers(0, 300), st.integers(1, 10 ** 6))
def test_remove_valuation(q, k, w):
    """Law: _remove(w q^k, q) strips exactly the factors q (against a division loop)."""
    from relugeom.numbers.surd import _remove
    u = w * q ** k
    n, j = u, 0
    while n % q == 0:
        n, j = n // q, j + 1
    assert _remove(u, q) == (n, j)


# ------------------------------------------------------------ H3-09 tropical, H3-10 sawtooth
def test_tropical_deep_refused_up_front():
    """H3-09-tropical-deep: 7 hidden layers of width 4 in the plane may have 11^7
    monomials (the region bound): refused before any linear program."""
    L = [([[1, 1], [1, -1], [-1, 1], [-1, -1]], [0] * 4)]
    L += [([[1, -1, 1, -1], [1, 1, -1, -1], [-1, 1, 1, -1], [1, 1, 1, 1]], [1, 0, -1, 0])] * 6
    L += [([[1, -1, 1, -1]], [0])]
    net = rg.ReLUNetwork(L)
    assert rg.tropical.size_estimate(net)[0] == 11 ** 7
    with pytest.raises(rg.TooLargeError, match="max_regions"):
        rg.tropical(net)
    with rg.limits(max_regions=10 ** 9), pytest.raises(rg.TooLargeError, match="max_programs"):
        rg.tropical(net)


def test_tropical_row_budget_stops_the_work(monkeypatch):
    """H3-09-tropical-wide: a network under the up-front bounds runs, and the row budget
    of the pruning programs stops it (TooLargeError) when it passes MAX_PRUNE_ROWS; a small
    one stays exact (F - G equals the network at exact points)."""
    import relugeom.networks.tropical as trop
    net = rg.ReLUNetwork([([[i, 1] for i in range(1, 9)], [0] * 8),
                          ([[(-1) ** i for i in range(8)]], [0])])
    monomials, programs = trop.size_estimate(net)
    assert monomials == 1 + 8 + 28 and programs < rg.get_limit("max_programs")
    t = rg.tropical(net)
    for x in [(0, 0), (F(1, 3), -2), (5, F(7, 2))]:
        assert t(list(x)) == net(list(x))
    monkeypatch.setattr(trop, "MAX_PRUNE_ROWS", 50)
    with pytest.raises(rg.TooLargeError, match="MAX_PRUNE_ROWS"):
        rg.tropical(net)


@given(st.lists(st.integers(1, 5), min_size=1, max_size=3), st.integers(1, 3))
def test_tropical_monomial_bound_is_a_bound(widths, n):
    """Law: the monomial bound of size_estimate is at least the region bound of every
    prefix, and grows with every layer (it is a product over the hidden layers)."""
    dims = [n] + widths + [1]
    net = rg.ReLUNetwork([([[1] * a for _ in range(b)], [0] * b)
                          for a, b in zip(dims, dims[1:])])
    bound = rg.tropical.size_estimate(net)[0]
    want = math.prod(sum(math.comb(w, i) for i in range(min(n, w) + 1)) for w in widths)
    assert bound == want


def test_sawtooth_network_refused_from_memory_estimate():
    """H3-10-sawtooth_network-1e6: refused at once from its estimated 2.2 GB (over
    max_bytes); small ones still build and compute the sawtooth."""
    with pytest.raises(rg.TooLargeError, match="max_bytes"):
        rg.families.sawtooth_network(10 ** 6)
    with pytest.raises(rg.TooLargeError, match="max_weights"):
        rg.families.sawtooth_network(10 ** 9)
    with pytest.raises(rg.TooLargeError, match="max_bytes"):
        rg.families.hard_network([("1/2",)] * 10 ** 6)
    with rg.limits(max_bytes=10 ** 5):
        rg.families.sawtooth_network(10)
        with pytest.raises(rg.TooLargeError, match="max_bytes"):
            rg.families.sawtooth_network(100)
    net = rg.families.sawtooth_network(4)
    assert net.to_pwl() == rg.families.sawtooth(4)


# ------------------------------------------------------------ H3-16, H3-17: LinearRegions JSON
BIG = F(3 ** 20000 + 1, 7 ** 9000)


def test_linear_regions_json_any_size():
    """H3-16-linearregions-to_json-big-box / -big-weight: written and read back exactly
    (same text again, same affine maps), past Python's 4,300-digit limit."""
    for lr in (rg.linear_regions(NET2, box=[(0, BIG), (-1, 1)]),
               rg.linear_regions(rg.ReLUNetwork([([[BIG, 0], [0, 1]], [0, 0]),
                                                 ([[1, 1]], [0])]))):
        js = rg.to_json(lr)
        back = rg.from_json(js)
        assert rg.to_json(back) == js and back.n_regions == lr.n_regions
        assert [r.affine_map for r in back.regions] == [r.affine_map for r in lr.regions]
        assert back.n_pieces == lr.n_pieces


def _lr_dict():
    return json.loads(rg.to_json(rg.linear_regions(NET2, box=[(0, 1), (0, 1)])))


@pytest.mark.parametrize("lie, words", [
    (lambda d: d.update(regions=d["regions"] * 3), "listed twice"),   # H3-17 reproducer
    (lambda d: d.update(regions=d["regions"][:1]), "add up to 1/2"),
    (lambda d: d.update(box=[["0", "2"], ["0", "1"]]), "not to the box's 2"),
    (lambda d: d["regions"][0].update(key=[99]), "not an activation pattern"),
    (lambda d: d["regions"][0]["cells"][0]["polygon"][0].append(1), "3 coordinates"),
    (lambda d: d["regions"][0].update(out=[]), "output rows"),
    (lambda d: d.update(den=0), "den"),
    (lambda d: d["regions"][0]["cells"][0].update(polygon=[[0, 0, 1]]), "3 vertices"),
])
def test_linear_regions_json_lies_refused(lie, words):
    """H3-17-linearregions-json-lies: duplicated, missing, stray or malformed regions are
    SerializationErrors naming the problem; the genuine file reads back."""
    d = _lr_dict()
    assert rg.from_json(json.dumps(d)).n_regions == 2
    lie(d)
    with pytest.raises(rg.SerializationError, match=words):
        rg.from_json(json.dumps(d))


@settings(max_examples=15)
@given(st.lists(st.lists(st.integers(-3, 3), min_size=3, max_size=3), min_size=1,
                max_size=4), st.booleans())
def test_linear_regions_json_round_trip(rows, with_box):
    """Law: from_json(to_json(lr)) has the same regions, pieces and affine maps, and
    repeating any one region is refused."""
    net = rg.ReLUNetwork([([r[:2] for r in rows], [r[2] for r in rows]),
                          ([[1] * len(rows)], [0])])
    lr = rg.linear_regions(net, box=[(-2, 2), (-1, 3)] if with_box else None)
    d = json.loads(rg.to_json(lr))
    back = rg.from_json(json.dumps(d))
    assert (back.n_regions, back.n_pieces) == (lr.n_regions, lr.n_pieces)
    assert [r.affine_map for r in back.regions] == [r.affine_map for r in lr.regions]
    d["regions"].append(d["regions"][-1])
    with pytest.raises(rg.SerializationError, match="twice"):
        rg.from_json(json.dumps(d))


# ------------------------------------------------------------ H3-22, H3-24: entry points
@pytest.mark.parametrize("call, error, words", [
    (lambda: rg.hinge_form("net"), rg.NotExactError, "'net' of type str"),
    (lambda: rg.networks_equal(NET2, 3), rg.NotExactError, "b must be a ReLUNetwork"),
    (lambda: rg.networks_equal([1], NET2, method="enumerate"), rg.NotExactError, "a must"),
    (lambda: equality.equal(NET2, None), rg.NotExactError, "None"),
    (lambda: equality.is_symmetric({}), rg.NotExactError, "dict"),
    (lambda: equality.equal_symmetric(NET2, "x"), rg.NotExactError, "b must"),
    (lambda: rg.hinge.structural_form(7), rg.NotExactError, "7 of type int"),
    (lambda: rg.boundary.decision_boundary(NET2), rg.NotExactError, "linear_regions(net)"),
    (lambda: rg.boundary.locate(NET2, (1, 2)), rg.NotExactError, "LinearRegions"),
    (lambda: cover_count(-1, 2), rg.DomainError, "D must be >= 0, got -1"),
    (lambda: cover_count(3, -2), rg.DomainError, "n must be >= 0"),
    (lambda: cover_count(2.0, 1), rg.NotExactError, "2.0"),
    (lambda: cover_count(True, 1), rg.NotExactError, "True"),
    (lambda: cover_count(10 ** 12, 10 ** 6), rg.TooLargeError, "max_bytes"),
    (lambda: rg.lines.pieces_along(NET2, "12", "34"), rg.DimensionError, "'12' of type str"),
    (lambda: rg.lines.pieces_along(NET2, {1, 2}, {3, 4}), rg.DimensionError, "set"),
    (lambda: rg.lines.pieces_along(NET2, (1, 2), b"34"), rg.DimensionError, "bytes"),
    (lambda: rg.lines.pieces_along(NET2, (1, 2), {3: 4, 5: 6}), rg.DimensionError, "dict"),
    (lambda: rg.lines.pieces_along(NET2, (1, 2), 3), rg.DimensionError, "2 coordinates"),
    (lambda: rg.lines.pieces_along(NET2, (1, 2, 3), (1, 2)), rg.DimensionError, "2 inputs"),
    (lambda: rg.lines.pieces_along(NET2, (0.5, 2), (3, 4)), rg.NotExactError, "0.5"),
    (lambda: rg.boundary.locate(rg.linear_regions(NET2), "12"), rg.DimensionError, "str"),
    (lambda: rg.linear_regions(NET2).locate({1, 2}), rg.DimensionError, "set"),
])
def test_entry_points_typed(call, error, words):
    """H3-22-other-untyped and H3-24-strings-as-points: typed errors naming the value;
    never an AttributeError, never a string or set read as coordinates."""
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_points_still_read_in_every_ordered_form():
    """The same answer for a tuple, a list, a range and a 1-D array; a scalar or a string
    rational for one input."""
    import numpy as np
    want = rg.lines.pieces_along(NET2, (1, 2), (3, 4))
    for a, b in [([1, 2], [3, 4]), (range(1, 3), range(3, 5)),
                 (np.array([1, 2]), np.array([3, 4]))]:
        assert rg.lines.pieces_along(NET2, a, b) == want
    net1 = rg.from_json(NET1_JSON)
    assert rg.lines.pieces_along(net1, "-1", "1/2") == rg.lines.pieces_along(net1, [-1], [F(1, 2)])
    lr = rg.linear_regions(NET2)
    assert rg.boundary.locate(lr, [1, 2]) is rg.boundary.locate(lr, (1, 2))


@given(st.lists(st.integers(-10, 10), min_size=1, max_size=4))
def test_cover_count_against_formula(dn):
    """Law: cover_count(D, n) = 2 sum_{i <= n} C(D - 1, i) (1 for D = 0) for every D, n >= 0,
    also when n >= D - 1 (then 2^D)."""
    D, n = abs(dn[0]), abs(dn[-1])
    want = 1 if D == 0 else 2 * sum(math.comb(D - 1, i) for i in range(n + 1))
    assert cover_count(D, n) == want


# ------------------------------------------------------------ H3-23, H3-25, N3-13
def test_cli_messages_on_stderr(tmp_path, capsys):
    """H3-23-unclear-cli: `bench nosuch` and `figures --format ,` are one-line errors on
    stderr with exit 2 (no figure written)."""
    code, out, err = _run(["bench", "nosuch"], capsys)
    assert code == 2 and out == ""
    _one_error_line(err, "nosuch", "hostile")
    out_dir = tmp_path / "figs"
    code, out, err = _run(["figures", "--out", out_dir, "--format", ",", "--only", "fig1"],
                          capsys)
    assert code == 2 and not out_dir.exists()
    _one_error_line(err, "--format", "png, pdf, svg")


def test_json_duplicate_keys_and_unknown_types():
    """H3-25 (two "type" keys: refused, not "the last wins") and N3-13 (to_json of an
    unsupported type: a SerializationError, also a TypeError)."""
    js = ('{"format": "relugeom", "version": 1, "type": "ReLUNetwork", "type": '
          '"PiecewiseLinear", "breakpoints": [], "values": [], "left_slope": "1", '
          '"right_slope": "1", "intercept": "0"}')
    with pytest.raises(rg.SerializationError, match="'type' appears twice"):
        rg.from_json(js)
    inner = '{"format": "relugeom", "version": 1, "type": "PiecewiseLinear", ' \
            '"breakpoints": ["0"], "values": ["1"], "values": ["2"], "left_slope": "1", ' \
            '"right_slope": "1"}'
    with pytest.raises(rg.SerializationError, match="'values' appears twice"):
        rg.from_json(inner)
    for obj in (rg.bounds.corollary_3_4(3), 3, {"a": 1}):
        with pytest.raises(rg.SerializationError, match="cannot serialise") as info:
            rg.to_json(obj)
        assert isinstance(info.value, TypeError)

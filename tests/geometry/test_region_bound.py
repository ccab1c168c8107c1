"""The up-front bound on activation regions (Serra, Tjandraatmadja, Ramalingam 2018,
Theorem 1) and the refusal it drives in ``linear_regions`` and ``relugeom count``."""
import itertools
import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings, strategies as st

import relugeom as rg
from relugeom.geometry import arrangements as bounds
from relugeom.cli import main


def _tuples_bound(widths, n):
    """Theorem 1 by brute force: every tuple (j_1..j_L) of J, summed."""
    total = 0
    for js in itertools.product(*[range(w + 1) for w in widths]):
        d, term = n, 1
        for w, j in zip(widths, js):
            if j > min(d, w):
                break
            term *= math.comb(w, j)
            d = min(d, w - j)
        else:
            total += term
    return total


def _zaslavsky_product(widths, n):
    """The weaker layer-by-layer bound: prod_l sum_(j <= d_l) C(w_l, j)."""
    out, d = 1, n
    for w in widths:
        out *= sum(math.comb(w, j) for j in range(min(d, w) + 1))
        d = min(d, w)
    return out


def _random_net(rng, n, widths):
    dims = [n, *widths, 1]
    q = lambda: Fraction(rng.randint(-4, 4), rng.randint(1, 3))  # noqa: E731
    return rg.ReLUNetwork([([[q() for _ in range(a)] for _ in range(b)],
                            [q() for _ in range(b)]) for a, b in zip(dims, dims[1:])])


@given(st.lists(st.integers(1, 6), max_size=4), st.integers(1, 7))
def test_bound_is_theorem_1_summed_over_its_tuples(widths, n):
    """The grouped computation equals the sum over the index set J of Theorem 1, and never
    exceeds the layer-by-layer Zaslavsky product (equal for one hidden layer)."""
    b = bounds.region_count_upper_bound(widths, n)
    assert b == _tuples_bound(widths, n)
    assert b <= _zaslavsky_product(widths, n)
    if len(widths) == 1:
        assert b == _zaslavsky_product(widths, n)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 3), st.lists(st.integers(1, 4), min_size=1, max_size=3),
       st.integers(0, 10 ** 6))
def test_enumerated_regions_never_exceed_the_bound(n, widths, seed):
    """Exact enumeration over R^n finds at most region_count_upper_bound(widths, n)
    activation regions (random integer networks, degenerate ones included)."""
    net = _random_net(random.Random(seed), n, widths)
    assert rg.linear_regions(net).n_regions <= bounds.region_count_upper_bound(widths, n)


def test_bound_is_reached_by_lines_in_general_position():
    """Four lines in general position cut the plane into 1 + 4 + 6 = 11 regions."""
    net = rg.ReLUNetwork([([[1, 0], [0, 1], [1, 1], [1, -2]], [0, 0, -1, 3]),
                          ([[1, 1, 1, 1]], [0])])
    assert rg.linear_regions(net).n_regions == 11 == bounds.region_count_upper_bound([4], 2)


def test_known_values_and_bad_arguments():
    """Pinned values (the 64-16-16 net of the newcomer report: about 2.4e9), and typed
    errors for bad widths or dimensions; relugeom.bounds exports the same function."""
    assert rg.bounds.region_count_upper_bound is bounds.region_count_upper_bound
    assert bounds.region_count_upper_bound([], 5) == 1
    assert bounds.region_count_upper_bound([2, 2], 1) == 9
    assert bounds.region_count_upper_bound([16, 16], 64) == 2448023843
    assert bounds.region_count_upper_bound([64, 64], 2) <= 2081 ** 2
    with pytest.raises(rg.NotExactError):
        bounds.region_count_upper_bound("16,16", 2)
    with pytest.raises(rg.DomainError):
        bounds.region_count_upper_bound([16, 0], 2)
    with pytest.raises(rg.DomainError):
        bounds.region_count_upper_bound([16], 0)
    with pytest.raises(rg.TooLargeError):
        bounds.region_count_upper_bound([10 ** 6] * 3, 10 ** 6)


def _wide_net():
    """64 inputs, widths (16, 16): bound 2,448,023,843 over R^64, instant to build."""
    W1 = [[(i * 7 + j * 3) % 5 - 2 for j in range(64)] for i in range(16)]
    W2 = [[(i + j) % 3 - 1 for j in range(16)] for i in range(16)]
    return rg.ReLUNetwork([(W1, [0] * 16), (W2, [1] * 16), ([[1] * 16], [0])])


def test_linear_regions_refuses_before_the_work():
    """Over all of R^64 the enumeration is refused at once, with the bound and the ways
    out that work there (a plane, force=True; a box in R^64 is too large itself, so it is
    not offered); a plane is not refused."""
    net = _wide_net()
    with pytest.raises(rg.TooLargeError) as err:
        rg.linear_regions(net)
    msg = str(err.value)
    assert "2448023843" in msg and "plane" in msg and "force=True" in msg
    assert "2^64 vertices" in msg and "box=[" not in msg
    P = rg.plane(origin=[0] * 64, directions=[[1] + [0] * 63, [0, 1] + [0] * 62])
    assert rg.linear_regions(net, plane=P).n_regions >= 1


def test_a_box_is_offered_and_not_checked_in_low_dimension():
    """With 3 inputs the refusal offers a box, and a box is enumerated (not refused)."""
    net = _random_net(random.Random(5), 3, [4, 4])
    with rg.limits(max_region_bound=10):
        with pytest.raises(rg.TooLargeError, match=r"box=\[") as err:
            rg.linear_regions(net)
        assert "--box" in str(err.value)
        assert rg.linear_regions(net, box=[(-1, 1)] * 3).n_regions >= 1


def test_force_and_the_limit():
    """max_region_bound is the threshold for n >= 3; force=True goes ahead past it with
    the same count; on the line and in the plane nothing is refused (polygon path)."""
    net3 = rg.ReLUNetwork([([[1, 0, 0], [0, 1, 0], [0, 0, 1]], [0, 0, 0]),
                           ([[1, 1, 1]], [0])])
    net2 = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
    with rg.limits(max_region_bound=3):
        with pytest.raises(rg.TooLargeError, match="max_region_bound=3"):
            rg.linear_regions(net3)
        assert rg.linear_regions(net3, force=True).n_regions == 8
        assert rg.linear_regions(net2).n_regions == 4


def test_cli_count_refuses_with_a_way_out(tmp_path, capsys):
    """`relugeom count` on the 64-input net: exit 2, one line naming --box and --force."""
    path = tmp_path / "net64.json"
    path.write_text(rg.to_json(_wide_net()))
    assert main(["count", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "plane" in err
    assert "2448023843" in err


def test_library_checks_are_not_refused_user_calls_are():
    """The bound guards a user's enumeration: CPWLFunction.from_network is refused past
    the limit (force=True goes ahead), but network_from_cpwl's own verification of the
    network it built is not (measured: a 3-input source net gives widths (88, 50),
    bound 2.4e9, yet few regions)."""
    net = _random_net(random.Random(2), 3, [3])
    with rg.limits(max_region_bound=5):
        with pytest.raises(rg.TooLargeError, match="max_region_bound=5"):
            rg.CPWLFunction.from_network(net)
        f = rg.CPWLFunction.from_network(net, force=True)
        out = rg.network_from_cpwl(f)
    assert rg.networks_equal(out, net)


def test_a_box_is_offered_only_where_its_corners_stay_cheap():
    """The refusal names a box up to MAX_BOX_INPUTS inputs (2^n corners), not beyond."""
    from relugeom.geometry.arrangements import MAX_BOX_INPUTS, check_region_count
    widths = [4096] * 3
    with pytest.raises(rg.TooLargeError, match="to a box"):
        check_region_count(widths, MAX_BOX_INPUTS)
    with pytest.raises(rg.TooLargeError, match="too many to start from") as e:
        check_region_count(widths, MAX_BOX_INPUTS + 1)
    assert "to a box" not in str(e.value)

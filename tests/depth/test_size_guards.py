"""Tests of relugeom.depth.size_guards: the piece-count and memory guards of the hard
families (also reachable from relugeom.depth.families)."""
from fractions import Fraction

import pytest

import relugeom as rg
from relugeom import families as fam
from relugeom.depth import size_guards as sg


def test_count_text_exact_power_or_bound():
    """Small counts are printed exactly, huge ones as a power or a bit-length bound."""
    assert sg._count_text([3] * 4) == "3^4 = 81"
    assert sg._count_text([2, 3]) == "6"
    assert sg._count_text([3] * 5000) == "3^5000"
    assert sg._count_text([2, 3] * 3000).startswith("at least 2^")


def test_counts_refused_before_they_are_formed():
    """prod(widths) and w^k over max_pieces raise TooLargeError naming the limit."""
    with rg.limits(max_pieces=100):
        assert sg._count_pieces([3, 3, 3], "t") == 27
        with pytest.raises(rg.TooLargeError, match="max_pieces"):
            sg._count_pieces([3] * 10, "t")
        with pytest.raises(rg.TooLargeError, match="at least 2\\^"):
            sg._refuse_power(2, 10 ** 6, "t")
    sg._refuse_power(2, 3, "t")


def test_int_param_and_memory():
    """Integer parameters are checked by type and bound; memory against max_bytes."""
    assert sg._int_param(3, "k", 1) == 3
    with pytest.raises(rg.NotExactError):
        sg._int_param(True, "k", 1)
    with pytest.raises(rg.DomainError):
        sg._int_param(0, "k", 1)
    with rg.limits(max_bytes=10 ** 3), pytest.raises(rg.TooLargeError, match="max_bytes"):
        sg._check_memory(10 ** 4, "t")
    ps = fam._check_params([("1/3", "2/3")], Fraction(1))
    assert sg._hard_bytes(ps, Fraction(1), 3) == 3 * sg._BYTES_PER_PIECE


def test_guards_re_exported_by_families():
    """The helpers families uses stay reachable there (the same objects)."""
    assert fam._hard_bytes is sg._hard_bytes and fam._count_pieces is sg._count_pieces

"""The size guards of the hard-family builders (:mod:`relugeom.depth.families`).

Piece counts (w^k, prod w_i) are refused from bit lengths before they are formed, memory
from measured bytes per piece, weight and layer, both against the limits of
:func:`relugeom.limits` (``max_pieces``, ``max_bytes``); the messages give the count
exactly when it is small enough to print.

>>> from relugeom.depth.size_guards import _count_text
>>> _count_text([3] * 4)
'3^4 = 81'
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Sequence

from ..config import check_size, get_limit
from ..errors import TooLargeError
from ..geometry.arrangements import _pos_int as _int_param  # noqa: F401 (families uses it)
from ..numbers.rational import short as _short

# Measured peak memory of hard_function (ru_maxrss over the import baseline, w = 2, 3, 5,
# k up to 22, seeded random and equally spaced parameters): 72-106 bytes per piece while
# the shared denominator has under ~64 bits; each further 8 bits of the denominator add
# about 2 x 8 bytes (numerator and its scaled copy). See _hard_bytes.
_BYTES_PER_PIECE = 110
# Peak memory of hard_network / sawtooth_network, measured with tracemalloc: 1.6-1.9 KB
# per layer of width 2 (6 weights and biases, k = 1000 and 4000), 11 KB per layer of
# width 10 (110 weights); estimated as 160 bytes per weight plus 1,200 per layer, so
# sawtooth_network(10**6) (about 2.2 GB) is refused under max_bytes before building.
_BYTES_PER_WEIGHT = 160
_BYTES_PER_LAYER = 1200
_MAX_N_FRACTIONS = 10 ** 9          # n_fractions: about N^(2/3) steps, ~2 s at 10^9
_MAX_COUNT_BITS = 1 << 20           # exact counts (w^k) returned as int: at most ~1 Mbit


def _refuse_power(w: int, k: int, what: str, widths: Sequence[Any] | None = None) -> None:
    """Refuse w^k pieces from k and the bit length of w alone (w^k is never formed when it
    is far over the limit). ``widths``, when their lengths are known before validation,
    let the message give the true count instead of the lower bound w^k."""
    limit = get_limit("max_pieces")
    if k * (w.bit_length() - 1) > limit.bit_length():   # w^k >= 2^(k (bits - 1))
        count = _count_text(widths) if widths else f"at least {w}^{_short(k)}"
        raise TooLargeError(f"{what}: the result would have {count} pieces, over "
                            f"the limit max_pieces={limit} (raise it with "
                            f"relugeom.limits(max_pieces=...))")


def _count_text(widths: Sequence[int]) -> str:
    """``3^30 = 205891132094649``, or the product, or ``at least 2^b`` (from bit lengths)
    when the product is too large to form."""
    bits = sum(w.bit_length() for w in widths)
    if len(set(widths)) == 1 and len(widths) > 1:
        head = f"{widths[0]}^{_short(len(widths))}"
        return head if bits > 4096 else f"{head} = {_short(math.prod(widths))}"
    if bits > 4096:
        return f"at least 2^{_short(sum(w.bit_length() - 1 for w in widths))}"
    return _short(math.prod(widths))


def _param_widths(params: Any) -> list[int] | None:
    """w_i = len(a_i) + 1 for each layer's parameter sequence, or None if a length is
    unknown (params not validated yet)."""
    try:
        return [len(a) + 1 for a in params]
    except TypeError:
        return None


def _count_pieces(widths: Sequence[int], what: str) -> int:
    """prod(widths) pieces on [0, M], refused up front (from bit lengths, before the
    product is formed) when over ``max_pieces``."""
    limit = get_limit("max_pieces")
    bits = sum(w.bit_length() - 1 for w in widths)        # 2^bits <= the product
    if bits > limit.bit_length():
        raise TooLargeError(f"{what}: the result would have {_count_text(widths)} pieces, over "
                            f"the limit max_pieces={limit} (raise it with "
                            f"relugeom.limits(max_pieces=...))")
    n = math.prod(widths)
    check_size("max_pieces", n + 1, what)
    return n


def _hard_bytes(params: Sequence[Sequence[Fraction]], M: Fraction, n_pieces: int) -> int:
    """Estimated peak bytes of :func:`hard_function`: the measured bytes per piece, plus
    the extra bytes of the numerators (and their scaled copies) once the shared
    denominator, a product of one factor per layer, outgrows 64 bits."""
    bits = M.numerator.bit_length() + M.denominator.bit_length()
    for a in params:
        q = math.lcm(M.denominator, *(x.denominator for x in a))
        bits += q.bit_length() + M.numerator.bit_length()
    return n_pieces * (_BYTES_PER_PIECE + 2 * (max(0, bits - 64) // 8))


def _check_memory(n_bytes: int, what: str) -> None:
    limit = get_limit("max_bytes")
    if n_bytes > limit:
        raise TooLargeError(f"{what}: would need about {_short(n_bytes)} bytes of memory, "
                            f"over the limit max_bytes={limit} (raise it with "
                            f"relugeom.limits(max_bytes=...))")

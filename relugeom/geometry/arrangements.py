"""How many regions a ReLU network can cut R^n into, bounded before any enumeration.

A hidden layer of width w acting on a d-dimensional set is an arrangement of w hyperplanes
there, which has at most sum_(j <= d) C(w, j) regions (Zaslavsky 1975); through the
layers, the dimension a region's image keeps is capped by the units active on it. Serra,
Tjandraatmadja and Ramalingam (ICML 2018, Theorem 1) sum this over the layers:
:func:`region_count_upper_bound`. :func:`relugeom.linear_regions` calls
:func:`check_region_count` before it enumerates all of R^n (n >= 3), so a run that may be
out of reach is refused at once, with the bound and the ways out, instead of running
silently for minutes. Both are exported by :mod:`relugeom.bounds` too.

>>> from relugeom.geometry.arrangements import region_count_upper_bound
>>> region_count_upper_bound([3], 2), region_count_upper_bound([16, 16], 64)
(7, 2448023843)
"""
from __future__ import annotations

import itertools
from typing import Any, Sequence

from ..config import get_limit
from ..errors import DomainError, NotExactError, TooLargeError
from ..numbers.rational import short as _short

__all__ = ["region_count_upper_bound", "check_region_count"]

#: The bound is returned exactly while it has at most this many bits; larger ones (widths
#: in the millions) are refused before the integers grow.
MAX_BITS = 1 << 20


def _pos_int(v: Any, what: str, minimum: int = 1) -> int:
    """``v`` if it is an int (not a bool) at least ``minimum``; a typed error naming it
    otherwise (shared with :mod:`relugeom.depth.bounds`)."""
    if isinstance(v, bool) or not isinstance(v, int):
        raise NotExactError(f"{what} must be an integer >= {minimum}, got {_short(v)} "
                            f"({type(v).__name__})")
    if v < minimum:
        raise DomainError(f"{what} must be an integer >= {minimum}, got {_short(v)}")
    return v


def _widths(widths: Any) -> list[int]:
    if isinstance(widths, (str, bytes, set, frozenset, dict)) or \
            not hasattr(widths, "__iter__"):
        raise NotExactError(f"region_count_upper_bound: widths must be a sequence of "
                            f"integers, got {_short(widths)} ({type(widths).__name__})")
    if hasattr(widths, "__len__") and len(widths) > 10 ** 6:
        raise TooLargeError(f"region_count_upper_bound: {len(widths)} hidden layers, over "
                            f"10^6")
    return [_pos_int(w, f"widths[{i}]") for i, w in enumerate(widths)]


def region_count_upper_bound(widths: Sequence[int], n_inputs: int) -> int:
    """An upper bound on the activation regions of any ReLU network with ``n_inputs``
    inputs and hidden widths ``widths``, over all of R^n (Serra, Tjandraatmadja and
    Ramalingam 2018, Theorem 1):

        sum over (j_1, ..., j_L) in J of  prod_l C(w_l, j_l),
        J: 0 <= j_l <= min(n, w_1 - j_1, ..., w_(l-1) - j_(l-1), w_l).

    It never exceeds the layer-by-layer Zaslavsky bound prod_l sum_(j <= d_l) C(w_l, j)
    with d_l = min(n, w_1, ..., w_(l-1)); for one hidden layer the two are equal, and
    reached by hyperplanes in general position. Exact, in O(L n) big-integer operations:
    the tuples are grouped by their running minimum d = min(n, w_1 - j_1, ...), which a
    layer either keeps (j <= w - d) or lowers to exactly w - j.

    Parameters
    ----------
    widths : sequence of int
        Hidden widths w_1, ..., w_L (each >= 1); an empty sequence is an affine map.
    n_inputs : int
        Input dimension n >= 1.

    References
    ----------
    T. Serra, C. Tjandraatmadja, S. Ramalingam, "Bounding and counting linear regions of
    deep neural networks", ICML 2018, Theorem 1. T. Zaslavsky, "Facing up to
    arrangements", Mem. AMS 154 (1975).

    Examples
    --------
    >>> from relugeom.geometry.arrangements import region_count_upper_bound
    >>> region_count_upper_bound([3], 2)          # 3 lines in general position: 7
    7
    >>> region_count_upper_bound([2, 2], 1), region_count_upper_bound([64, 64], 2)
    (9, 4330561)
    """
    ws = _widths(widths)
    n = _pos_int(n_inputs, "n_inputs")
    # the result is at most prod_l min(2^w, (w + 1)^n): refuse before it passes MAX_BITS
    bits = sum(min(w, n * w.bit_length()) for w in ws)
    if bits > MAX_BITS:
        raise TooLargeError(f"region_count_upper_bound: the bound has about {_short(bits)} "
                            f"bits, over {MAX_BITS}")
    c = [0] * n + [1]               # c[d]: weighted count of tuples whose running min is d
    for w in ws:
        top = min(n, w)
        binom = [1]
        for j in range(1, top + 1):
            binom.append(binom[-1] * (w - j + 1) // j)
        prefix = list(itertools.accumulate(binom))          # sum_(j <= k) C(w, j)
        suffix = list(itertools.accumulate(reversed(c)))[::-1] + [0]   # sum_(d' >= d) c
        new = [0] * (n + 1)
        for e in range(n + 1):
            if c[e] and e <= w:     # j <= min(e, w - e): the running minimum stays e
                new[e] += c[e] * prefix[min(e, w - e, top)]
            j = w - e               # a minimum d >= max(e + 1, j) drops to e = w - j
            if 0 <= j <= top:
                new[e] += binom[j] * suffix[min(n + 1, max(e + 1, j))]
        c = new
    return sum(c)


#: Up to this many inputs a refusal offers a box (its 2^n corners stay cheap).
MAX_BOX_INPUTS = 10


def check_region_count(widths: Sequence[int], n_inputs: int, what: str = "linear_regions"
                       ) -> int:
    """Refuse, before any work, an enumeration over all of R^n whose
    :func:`region_count_upper_bound` is over the limit ``max_region_bound``: raise
    :class:`~relugeom.errors.TooLargeError` with the bound and the ways out (a box where
    a box is small enough to build, a plane, ``force=True`` / ``--force``, a higher
    limit). Returns the bound otherwise.

    >>> from relugeom.geometry.arrangements import check_region_count
    >>> check_region_count([16, 16], 3)
    485809
    """
    bound = region_count_upper_bound(widths, n_inputs)
    limit = get_limit("max_region_bound")
    if bound <= limit:
        return bound
    ws = list(widths)
    shown = f"{ws[:6]}{'...' if len(ws) > 6 else ''}"
    # a box in R^n has 2^n vertices: its enumeration starts from 2^n corners (about 4 s at
    # n = 10, 43 s at n = 12 for four hidden units), so a box is offered up to n = 10
    boxed = n_inputs <= MAX_BOX_INPUTS
    box = "to a box (box=[(lo, hi), ...], CLI --box lo1,hi1,...) or " if boxed else ""
    no_box = "" if boxed else (f"; a box in R^{n_inputs} has 2^{n_inputs} vertices, too "
                               f"many to start from")
    raise TooLargeError(
        f"{what}: a network with {n_inputs} inputs and hidden widths {shown} may have up "
        f"to {_short(bound)} activation regions over all of R^{n_inputs} (Serra et al. "
        f"2018, Theorem 1), over the limit max_region_bound={limit}: restrict {box}to a "
        f"2-D plane through your data (plane=relugeom.plane(x0, x1, x2){no_box}), or go "
        f"ahead anyway with force=True (CLI --force, best with --progress), or raise the "
        f"limit with relugeom.limits(max_region_bound=...)")

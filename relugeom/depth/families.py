"""The hard functions of the depth-separation theorems, documented like networkx generators.

Zig-zags h_a, their compositions H (Theorem 3.2, the family behind Theorem 3.1 and
Corollaries 3.3-3.4), Telgarsky's sawtooth, and their ReLU networks. Every builder checks
its parameters exactly and raises a typed error that names the offending entry.

Pieces on [0, M] and pieces on R differ (the tails outside [0, M]); use
``f.n_pieces_on(0, M)`` for the paper's count and ``f.n_pieces`` for all of R, or the
formulas :func:`n_pieces_hard`.

>>> import relugeom as rg
>>> rg.families.sawtooth(3).n_pieces_on(0, 1)
8
"""
from __future__ import annotations

import math
import random
from fractions import Fraction
from typing import Any, Sequence

import numpy as np

from ..config import check_size
from ..networks.convert import network_from_pwl
from ..errors import DomainError, NotExactError, TooLargeError
from ..networks.network import ReLUNetwork
from ..functions.pwl import PiecewiseLinear
from ..numbers.rational import as_rational
from ..numbers.arrays import RationalArray
from .size_guards import (_BYTES_PER_LAYER, _BYTES_PER_WEIGHT, _MAX_COUNT_BITS,
                          _MAX_N_FRACTIONS, _check_memory, _count_pieces, _hard_bytes,
                          _int_param, _param_widths, _refuse_power, _short)

__all__ = ["zigzag", "zigzag_network", "hard_function", "hard_network", "sawtooth",
           "sawtooth_network", "random_simplex_point", "random_hard_params",
           "n_pieces_hard", "zonotope_network", "zonotope_piece_count", "check_simplex_point", "n_fractions"]

_SAFE = 1 << 62
_HALF = Fraction(1, 2)


# ----------------------------------------------------------------------------- validation
def _as_M(M: Any) -> Fraction:
    m = as_rational(M, what="M")
    if not m > 0:
        raise DomainError(f"M must be positive, got M = {m}")
    return m


def check_simplex_point(a: Any, M: Any, *, what: str = "a") -> tuple[Fraction, ...]:
    """Return ``a`` as exact Fractions after checking it lies in the open simplex.

    Delta^p_M = { a in R^p : 0 < a_1 < ... < a_p < M }.

    Parameters
    ----------
    a : sequence of rationals
    M : positive rational
    what : str, keyword-only
        Name used in error messages.

    Raises
    ------
    NotExactError
        An entry is a float or not a number (the message names the entry).
    DomainError
        An entry is <= 0 or >= M, or the entries are not strictly increasing.

    Examples
    --------
    >>> from relugeom.families import check_simplex_point
    >>> check_simplex_point(["1/3", "1/2"], 1)
    (Fraction(1, 3), Fraction(1, 2))
    >>> check_simplex_point(["1/2", "1/3"], 1)
    Traceback (most recent call last):
    ...
    relugeom.errors.DomainError: a is not in the open simplex Delta^2_1: a[0] = 1/2 >= a[1] = 1/3 (entries must be strictly increasing)
    """
    from ..numbers.rational import short
    m = _as_M(M)
    if isinstance(a, (str, bytes)) or not hasattr(a, "__iter__"):
        raise NotExactError(f"{what}: expected a sequence of rationals, got {short(a)}")
    vals = tuple(as_rational(v, what=f"{what}[{i}]") for i, v in enumerate(a))
    p = len(vals)
    where = f"{what} is not in the open simplex Delta^{p}_{short(m)}"
    for i, v in enumerate(vals):
        if not v > 0:
            raise DomainError(f"{where}: {what}[{i}] = {short(v)} <= 0")
        if not v < m:
            raise DomainError(f"{where}: {what}[{i}] = {short(v)} >= M = {short(m)}")
    for i in range(1, p):
        if not vals[i - 1] < vals[i]:
            raise DomainError(f"{where}: {what}[{i - 1}] = {short(vals[i - 1])} >= "
                              f"{what}[{i}] = {short(vals[i])} (entries must be strictly "
                              f"increasing)")
    return vals


def _check_params(params: Any, M: Fraction) -> tuple[tuple[Fraction, ...], ...]:
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise NotExactError(f"params: expected a sequence [a^1, ..., a^k], got {_short(params)}")
    if isinstance(params, (set, frozenset, dict)):
        raise NotExactError(f"params: expected an ordered sequence [a^1, ..., a^k], got a "
                            f"{type(params).__name__}")
    out = tuple(check_simplex_point(a, M, what=f"params[{j}]") for j, a in enumerate(params))
    if not out:
        raise DomainError("params: need at least one zig-zag (k >= 1)")
    for j, a in enumerate(out):
        if not a:
            raise DomainError(f"params: each a^i needs at least one entry (w >= 2), but "
                              f"params[{j}] is empty")
    return out


# ----------------------------------------------------------------------------- zig-zags
def _zigzag_points(a: Sequence[Fraction], M: Fraction) -> list[tuple[Fraction, Fraction]]:
    xs = [Fraction(0), *a, M]
    return [(x, M * (i % 2)) for i, x in enumerate(xs)]


def zigzag(a: Any, M: Any = 1) -> PiecewiseLinear:
    """The zig-zag h_a of Theorem 3.2, for a in the open simplex Delta^p_M.

    Parameters
    ----------
    a : sequence of p rationals, 0 < a_1 < ... < a_p < M
    M : positive rational, default 1

    Returns
    -------
    PiecewiseLinear
        0 for x <= 0; on [0, M] it interpolates (0, 0), (a_1, M), (a_2, 0), ... ending at
        (M, 0) or (M, M) so that values alternate; for x >= M the last piece continues.

    Raises
    ------
    DomainError, NotExactError
        ``a`` outside the open simplex or inexact (the message names the entry).

    Notes
    -----
    With w = p + 1: w pieces on [0, M], each mapping onto [0, M]; w + 1 pieces on R
    (the flat piece left of 0). The left slope is 0, so Corollary A.1 gives a network
    with one hidden layer of w units (:func:`zigzag_network`).

    References
    ----------
    Arora, Basu, Mianjy, Mukherjee, ICLR 2018, Theorem 3.2 and Figure 2.

    Examples
    --------
    >>> import relugeom as rg
    >>> h = rg.families.zigzag(["1/3", "1/2"], 1)
    >>> h.n_pieces_on(0, 1), h.n_pieces, h("1/3"), h(2)
    (3, 4, Fraction(1, 1), Fraction(3, 1))
    """
    m = _as_M(M)
    vals = check_simplex_point(a, m)
    if not vals:
        raise DomainError("zigzag: a needs at least one entry (p >= 1)")
    return PiecewiseLinear.from_points(_zigzag_points(vals, m), left_slope=0)


def zigzag_network(a: Any, M: Any = 1) -> ReLUNetwork:
    """One hidden layer of exactly w = p + 1 units computing :func:`zigzag` (Cor. A.1).

    Examples
    --------
    >>> import relugeom as rg
    >>> net = rg.families.zigzag_network(["1/3", "1/2"], 1)
    >>> net.widths, net.to_pwl() == rg.families.zigzag(["1/3", "1/2"], 1)
    ((3,), True)
    """
    h = zigzag(a, M)
    net = network_from_pwl(h)
    assert net.size == h.n_pieces - 1  # Corollary A.1: flat left piece
    return net


# ----------------------------------------------------------------------------- hard family
def n_pieces_hard(w: int, k: int, domain: str = "[0,M]") -> int:
    """Number of pieces of H_{a^1..a^k} with a^i in Delta^{w-1}_M, on [0, M] or on R.

    On [0, M]: w^k (Theorem 3.2). On R: H is 0 left of 0, which adds one piece; for even
    w and k >= 2 the function is also 0 right of M (the first zig-zag sends x > M below 0,
    the others send that to 0), which adds another: w^k + 2. Otherwise (odd w, or k = 1)
    the last piece simply continues past M: w^k + 1.

    Examples
    --------
    >>> from relugeom.families import n_pieces_hard
    >>> n_pieces_hard(3, 2), n_pieces_hard(3, 2, "R"), n_pieces_hard(2, 3, "R")
    (9, 10, 10)
    """
    if (not (isinstance(w, int) and isinstance(k, int)) or isinstance(w, bool)
            or isinstance(k, bool) or w < 2 or k < 1):
        raise DomainError(f"n_pieces_hard: need integers w >= 2 and k >= 1 (not bools), "
                          f"got w={_short(w)}, k={_short(k)}")
    if k * (w - 1).bit_length() > _MAX_COUNT_BITS:
        raise TooLargeError(f"n_pieces_hard: w^k = {_short(w)}^{_short(k)} has about "
                            f"{_short(k * (w - 1).bit_length())} bits; refused (counts are "
                            f"returned as exact ints of at most {_MAX_COUNT_BITS} bits)")
    if domain in ("[0,M]", "[0, M]", "0M"):
        return w ** k
    if domain == "R":
        return w ** k + (2 if (w % 2 == 0 and k >= 2) else 1)
    raise DomainError(f"n_pieces_hard: domain must be '[0,M]' or 'R', got {_short(domain)}")


def _layer_maps(a: Sequence[Fraction], M: Fraction) -> list[tuple[Fraction, Fraction]]:
    """The w inverse branches y -> c + s y of h_a, mapping [0, M] onto its pieces."""
    e = [Fraction(0), *a, M]
    out = []
    for i in range(len(e) - 1):
        s = (e[i + 1] - e[i]) / M
        out.append((e[i], s) if i % 2 == 0 else (e[i + 1], -s))
    return out


def _hard_points(params: Sequence[Sequence[Fraction]], M: Fraction) -> RationalArray:
    """Breakpoints of H on [0, M], 0 and M included (w^k + 1 points), exact.

    Inside out: the breakpoints of h_{a^k} o ... o h_{a^j} are the images of those of
    h_{a^k} o ... o h_{a^(j+1)} under the w inverse branches of h_{a^j} (each piece of a
    zig-zag maps onto [0, M]); decreasing branches take the points in reverse order.
    All numerators share one denominator per layer, so a layer costs one multiply and one
    add per entry (int64 while it fits, Python integers after). Past int64 the result
    keeps the shared denominator unreduced (``RationalArray(..., lazy=True)``): equality
    and every other operation stay exact, and lowest terms are computed on demand.
    """
    pts = [Fraction(0), *params[-1], M]
    D = math.lcm(*(p.denominator for p in pts))
    ints = [int(p * D) for p in pts]
    fits = D < _SAFE and all(abs(v) < _SAFE for v in ints)
    N: np.ndarray = np.array(ints, dtype=np.int64 if fits else object)
    layers = len(params) - 1                      # inverse layers still to apply
    big = math.prod(len(a) + 1 for a in params) >= _REDUCE_BELOW
    for j, a in enumerate(reversed(params[:-1])):
        left = layers - j
        if left == 2 and (N.dtype == object or big):
            # the last two layers at once: nine (w^2) blocks, one add per output entry
            maps = _compose_maps(_layer_maps(params[0], M), _layer_maps(a, M))
            return _settle(_last_layer(N.astype(object), D, maps, M))
        if left == 1 and N.dtype == object:
            return _settle(_last_layer(N, D, _layer_maps(a, M), M))
        maps = _layer_maps(a, M)
        Q = math.lcm(*(c.denominator for c, _ in maps), *(s.denominator for _, s in maps))
        C = [int(c * Q) * D for c, _ in maps]
        E = [int(s * Q) for _, s in maps]
        n = len(N)
        if N.dtype != object:
            bound = max(abs(e) for e in E) * int(np.abs(N).max()) + max(abs(c) for c in C)
            if bound >= _SAFE or max(abs(e) for e in E) >= _SAFE:
                N = N.astype(object)
        obj = N.dtype == object
        out = np.empty(len(maps) * (n - 1) + 1, dtype=object if obj else np.int64)
        fwd, rev = N[:-1], N[::-1][:-1]
        for i, (c, e) in enumerate(zip(C, E)):
            src = fwd if i % 2 == 0 else rev
            blk = out[i * (n - 1):(i + 1) * (n - 1)]
            if obj:
                np.multiply(src, e, out=blk)
                if c:                       # the first branch starts at 0: no shift
                    np.add(blk, c, out=blk)
            else:
                np.multiply(src, np.int64(e), out=blk)
                if c:
                    np.add(blk, np.int64(c), out=blk)
        D *= Q
        out[-1] = int(M * D)
        N = out
    if N.dtype != object and D < _SAFE:
        return RationalArray(N, np.full(len(N), D, dtype=np.int64))
    N = N.astype(object) if N.dtype != object else N
    # one shared denominator, not reduced: exact as it stands, reduced on demand
    return _settle(RationalArray(N, np.full(len(N), D, dtype=object), lazy=True))


_REDUCE_BELOW = 10 ** 5


def _settle(x: RationalArray) -> RationalArray:
    """Lowest terms (``int64`` when the reduced entries fit) for fewer than
    ``_REDUCE_BELOW`` points, where reducing is cheap; past that, the lazy object array
    as it stands (reducing millions of big-integer gcds would dominate the build)."""
    return x.reduced() if len(x) < _REDUCE_BELOW else x


def _compose_maps(outer: list[tuple[Fraction, Fraction]],
                  inner: list[tuple[Fraction, Fraction]]) -> list[tuple[Fraction, Fraction]]:
    """Branches y -> c + t y of two consecutive inverse layers composed, in x order:
    outer branch by outer branch, the inner ones reversed under a decreasing outer one."""
    out = []
    for c1, t1 in outer:
        for c2, t2 in (inner if t1 > 0 else inner[::-1]):
            out.append((c1 + t1 * c2, t1 * t2))
    return out


def _last_layer(N: np.ndarray, D: int, maps: list[tuple[Fraction, Fraction]],
                M: Fraction) -> RationalArray:
    """The outermost inverse layer(s) with one denominator per branch, not one per layer.

    ``maps`` are the branches in x order (one layer's, or two layers' composed by
    :func:`_compose_maps`); a decreasing branch takes the points in reverse order.

    Branch i maps y = N/D to c_i + t_i y = t_i (N + K_i) / D with K_i = (c_i / t_i) D.
    Scaling N and D once by an integer R that clears every K_i R and R D / |t_i|, each
    output block is R N + K_i R over the denominator R D / |t_i|: one multiply of the
    input, then one add per output entry (none for the branch starting at 0) instead of
    a multiply and an add per output entry.
    """
    R = 1
    for c, t in maps:
        R = math.lcm(R, (c * D / t).denominator, (D / abs(t)).denominator)
    NR = N * R if R != 1 else N
    n = len(N)
    fwd, rev = NR[:-1], NR[::-1][:-1]
    num = np.empty(len(maps) * (n - 1) + 1, dtype=object)
    den = np.empty(len(num), dtype=object)
    for i, (c, t) in enumerate(maps):
        blk = slice(i * (n - 1), (i + 1) * (n - 1))
        K = int(c * D / t * R)
        if t > 0:
            if K:
                np.add(fwd, K, out=num[blk])
            else:
                num[blk] = fwd
        else:                                   # decreasing: reversed, sign flipped
            np.subtract(-K, rev, out=num[blk])
        den[blk] = int(Fraction(D * R) / abs(t))
    num[-1], den[-1] = M.numerator, M.denominator
    return RationalArray(num, den, lazy=True)


def hard_function(params: Any, M: Any = 1) -> PiecewiseLinear:
    """H_{a^1..a^k} = h_{a^k} o ... o h_{a^1} (h_{a^1} applied first), exact.

    Parameters
    ----------
    params : sequence [a^1, ..., a^k] of points of open simplices Delta^{w_i-1}_M,
        each of length w_i - 1 >= 1. The widths may differ (Figure 2 composes zig-zags
        of different widths): then H has w_1 w_2 ... w_k pieces on [0, M].
    M : positive rational, default 1

    Returns
    -------
    PiecewiseLinear
        w^k pieces on [0, M] (prod w_i for mixed widths), alternating between the values
        0 and M at its breakpoints; :func:`n_pieces_hard` pieces on R (for mixed widths:
        one more, two more when some w_i with i < k is even).

    Raises
    ------
    DomainError, NotExactError
        A parameter outside the open simplex, inexact, or empty.
    TooLargeError
        More than ``relugeom.get_limit("max_pieces")`` pieces, or an estimated peak
        memory over ``relugeom.get_limit("max_bytes")`` (about 110 bytes per piece,
        measured, more for parameters with large denominators), checked before any work.

    Notes
    -----
    Built inside out without generic composition: every piece of h_a maps [0, M] onto
    [0, M], so the breakpoints of H are the images of the outer breakpoints under the w
    inverse branches of the inner zig-zag, in alternating order. The result equals
    ``rg.compose(zigzag(a^k), ..., zigzag(a^1))`` exactly (tested), at a fraction of the
    cost (``relugeom bench hard``). Distinct parameters give distinct functions
    (Theorem 3.2). Any network with k' <= k hidden layers computing H needs at least
    ``bounds.gap_lower_bound(k, w, k')`` units (Theorem 3.1).

    References
    ----------
    Arora, Basu, Mianjy, Mukherjee, ICLR 2018, Theorem 3.2, Theorem 3.1, Figure 2.

    Examples
    --------
    >>> import relugeom as rg
    >>> H = rg.families.hard_function([["1/3", "1/2"], ["1/4", "2/3"]], 1)
    >>> H.n_pieces_on(0, 1), H.n_pieces
    (9, 10)
    >>> H == rg.families.zigzag(["1/4", "2/3"]) @ rg.families.zigzag(["1/3", "1/2"])
    True
    >>> rg.families.hard_function([["1/2"], ["1/4", "1/2", "3/4"]]).n_pieces_on(0, 1)
    8
    """
    m = _as_M(M)
    if hasattr(params, "__len__") and not isinstance(params, (str, bytes)):
        _refuse_power(2, len(params), "hard_function",   # k alone: at least 2^k pieces
                      _param_widths(params))
    ps = _check_params(params, m)
    n_pieces = _count_pieces([len(a) + 1 for a in ps], "hard_function")
    _check_memory(_hard_bytes(ps, m, n_pieces), "hard_function")
    x = _hard_points(ps, m)
    n = len(x)                              # w^k + 1 points, 0 and M included
    par = np.arange(n, dtype=np.int64) % 2
    if m.numerator < _SAFE and m.denominator < _SAFE:
        y = RationalArray(par * m.numerator,
                          np.where(par == 1, m.denominator, 1).astype(np.int64),
                          reduced=True)
    else:
        den = np.ones(n, dtype=object)
        den[1::2] = m.denominator
        y = RationalArray(par.astype(object) * m.numerator, den, reduced=True)
    last_up = y[n - 1] > y[n - 2]
    # x > M: each odd-width zig-zag keeps its input above M (last piece rising), an even
    # one sends it below 0, and every later one then to 0 (left slope 0): flat right of M
    # as soon as a zig-zag before the last has even width
    flat_right = any(len(a) % 2 == 1 for a in ps[:-1])
    if flat_right:
        return PiecewiseLinear._make(x, y, Fraction(0), Fraction(0))
    sr = (m if last_up else -m) / (m - x[n - 2])
    return PiecewiseLinear._make(x.slice(0, n - 1), y.slice(0, n - 1), Fraction(0), sr)


def hard_network(params: Any, M: Any = 1) -> ReLUNetwork:
    """A network with k hidden layers of exactly w units (size wk) computing H.

    The zig-zag networks of :func:`zigzag_network` chained by Lemma D.1 (each output map
    folds into the next first layer).

    Examples
    --------
    >>> import relugeom as rg
    >>> params = [["1/3", "1/2"], ["1/4", "2/3"]]
    >>> net = rg.families.hard_network(params, 1)
    >>> net.widths, net.size, net("1/5") == rg.families.hard_function(params, 1)("1/5")
    ((3, 3), 6, True)
    """
    m = _as_M(M)
    if isinstance(params, (list, tuple)):     # at least width 2 per layer: before validating
        _check_memory(len(params) * (6 * _BYTES_PER_WEIGHT + _BYTES_PER_LAYER),
                      "hard_network")
    ps = _check_params(params, m)
    _check_units(ps, "hard_network")
    return _chain([zigzag_network(a, m) for a in ps])


def _check_units(ps: Sequence[Sequence[Fraction]], what: str) -> None:
    """Weights of the chained network (w_i w_{i+1} per fold, plus the ends), and its
    estimated peak memory (:data:`_BYTES_PER_WEIGHT` per weight or bias plus
    :data:`_BYTES_PER_LAYER` per layer), up front."""
    ws = [len(a) + 1 for a in ps]
    n = 2 * ws[0] + ws[-1] + sum(a * b for a, b in zip(ws, ws[1:]))
    check_size("max_weights", n, what)
    _check_memory((n + sum(ws) + 1) * _BYTES_PER_WEIGHT + len(ws) * _BYTES_PER_LAYER, what)


def _chain(nets: Sequence[ReLUNetwork]) -> ReLUNetwork:
    """``nets[-1] o ... o nets[0]`` for one-hidden-layer, one-input, one-output networks,
    each output map folded into the next first layer (Lemma D.1), in one pass (linear in
    the number of layers; pairwise composition would copy the layers k times)."""
    layers = [nets[0].layers[0]]
    for prev, net in zip(nets, nets[1:]):
        (wo, bo), (wi, bi) = prev.layers[-1], net.layers[0]
        # first layer of net applied to prev's output o = wo . h + bo: W = wi wo, b = wi bo + bi
        W = tuple(tuple(r[0] * v for v in wo[0]) for r in wi)
        b = tuple(r[0] * bo[0] + c for r, c in zip(wi, bi))
        layers.append((W, b))
    layers.append(nets[-1].layers[-1])
    return ReLUNetwork._trusted(layers)


def sawtooth(k: int) -> PiecewiseLinear:
    """Telgarsky's sawtooth: the tent map t(x) = 2 sigma(x) - 4 sigma(x - 1/2), k times.

    Equal to :func:`hard_function` with w = 2, M = 1, a^i = (1/2,).

    Notes
    -----
    2^k pieces on [0, 1]. On R, written this way, t^k is 0 left of 0 and (for k >= 2)
    right of 1, so it has 2^k + 2 pieces (3 for k = 1).

    References
    ----------
    M. Telgarsky, Benefits of depth in neural networks, COLT 2016; Arora et al. 2018,
    Section 3.

    Examples
    --------
    >>> import relugeom as rg
    >>> rg.families.sawtooth(3).n_pieces_on(0, 1)
    8
    >>> rg.families.sawtooth(3).n_pieces
    10
    """
    _int_param(k, "sawtooth: k", 1)
    _refuse_power(2, k, "sawtooth")
    return hard_function([(_HALF,)] * k, 1)


def sawtooth_network(k: int) -> ReLUNetwork:
    """Telgarsky's network: k hidden layers of 2 units, size 2k, computing :func:`sawtooth`.

    Raises
    ------
    TooLargeError
        Up front, when the estimated peak memory (about 2.2 KB per layer) is over the limit
        ``max_bytes`` (k of about 925,000 and more), or the weights over ``max_weights``.

    Examples
    --------
    >>> import relugeom as rg
    >>> net = rg.families.sawtooth_network(3)
    >>> net.widths, net.to_pwl() == rg.families.sawtooth(3)
    ((2, 2, 2), True)
    """
    _int_param(k, "sawtooth_network: k", 1)
    check_size("max_weights", 4 * k + 2, "sawtooth_network")
    # k layers of width 2: 4k + 2 weights and 2k + 1 biases (see _check_units)
    _check_memory((6 * k + 3) * _BYTES_PER_WEIGHT + k * _BYTES_PER_LAYER, "sawtooth_network")
    return hard_network([(_HALF,)] * k, 1)


# ----------------------------------------------------------------------------- random
def random_simplex_point(p: int, M: Any = 1, *, seed: int | None = None,
                         max_denominator: int = 100) -> tuple[Fraction, ...]:
    """A seeded random point of the open simplex Delta^p_M with small denominators.

    Each entry is M times a fraction u/q with 2 <= q <= ``max_denominator``, redrawn until
    the p entries are distinct; the entries are then sorted. When p is more than a quarter
    of the :func:`n_fractions` available, the p fractions are instead drawn without
    replacement from the explicit list, so the draw always ends quickly.

    Raises
    ------
    DomainError
        ``p`` or ``max_denominator`` not an integer (bools refused) or out of range, or
        ``max_denominator`` too small to hold p distinct points in (0, 1) (the message
        names the number available).

    Examples
    --------
    >>> from relugeom.families import random_simplex_point
    >>> a = random_simplex_point(3, 1, seed=0)
    >>> len(a), all(0 < x < 1 for x in a), list(a) == sorted(set(a))
    (3, True, True)
    """
    m = _as_M(M)
    if not isinstance(p, int) or isinstance(p, bool) or p < 1:
        raise DomainError(f"random_simplex_point: p must be an integer >= 1, got {_short(p)}")
    if (not isinstance(max_denominator, int) or isinstance(max_denominator, bool)
            or max_denominator < 2):
        raise DomainError(f"random_simplex_point: max_denominator must be an integer >= 2, "
                          f"got {_short(max_denominator)}")
    if p < max_denominator and max_denominator > 10 ** 4:
        # 1/2, ..., 1/N alone are p distinct fractions, and the set holds ~0.3 N^2 > 4p:
        # no need to count it exactly
        avail = None
    else:
        avail = n_fractions(max_denominator)
    if avail is not None and avail < p:
        raise DomainError(f"random_simplex_point: only {avail} fractions in (0, 1) have "
                          f"denominator <= {max_denominator}; cannot draw {_short(p)} "
                          f"distinct ones")
    rng = random.Random(seed)
    if avail is not None and 4 * p > avail:
        # a large share of the available set: sample without replacement from the list
        # (avail < 4p, so listing it costs O(p) fractions)
        every = [Fraction(u, q) for q in range(2, max_denominator + 1)
                 for u in range(1, q) if math.gcd(u, q) == 1]
        vals = set(rng.sample(every, p))
    else:
        # at most a quarter of the set: rejection ends after O(p) draws in expectation
        vals = set()
        while len(vals) < p:
            q = rng.randint(2, max_denominator)
            vals.add(Fraction(rng.randint(1, q - 1), q))
    return tuple(m * v for v in sorted(vals))


def n_fractions(max_denominator: int) -> int:
    """Number of distinct fractions in (0, 1) with denominator <= ``max_denominator``.

    sum_{q=2}^{N} phi(q) (Euler's totient), computed exactly: a totient sieve up to
    N^(2/3) and the identity sum_{q<=n} phi(q) = n(n+1)/2 - sum_{d=2}^{n} Phi(n // d)
    above it (about N^(2/3) steps: N = 10^9 in a few seconds).

    Examples
    --------
    >>> from relugeom.families import n_fractions
    >>> n_fractions(2), n_fractions(5), n_fractions(100)
    (1, 9, 3043)
    """
    if (not isinstance(max_denominator, int) or isinstance(max_denominator, bool)
            or max_denominator < 1):
        raise DomainError(f"n_fractions: max_denominator must be an integer >= 1, "
                          f"got {_short(max_denominator)}")
    if max_denominator > _MAX_N_FRACTIONS:
        raise TooLargeError(f"n_fractions: max_denominator={_short(max_denominator)} is "
                            f"over {_MAX_N_FRACTIONS} (about N^(2/3) steps; ~2 s at 10^9)")
    n = max_denominator
    lim = min(n, max(100, int(n ** (2 / 3))), 1 << 22)
    phi = np.arange(lim + 1, dtype=np.int64)
    for i in range(2, lim + 1):
        if phi[i] == i:                       # prime: phi(j) *= (1 - 1/i) for i | j
            phi[i::i] -= phi[i::i] // i
    small = np.cumsum(phi).tolist()           # small[i] = sum_{q<=i} phi(q)
    small[0] = 0
    memo: dict[int, int] = {}

    def total(v: int) -> int:
        if v <= lim:
            return small[v]
        if v in memo:
            return memo[v]
        r, d = v * (v + 1) // 2, 2
        while d <= v:
            q = v // d
            d2 = v // q
            r -= (d2 - d + 1) * total(q)
            d = d2 + 1
        memo[v] = r
        return r

    return total(n) - 1                       # drop phi(1): the fraction 1/1


def random_hard_params(k: int, w: int, M: Any = 1, *, seed: int | None = None,
                       max_denominator: int = 100) -> list[tuple[Fraction, ...]]:
    """k seeded random points of Delta^{w-1}_M (parameters of a hard function).

    Examples
    --------
    >>> import relugeom as rg
    >>> ps = rg.families.random_hard_params(4, 3, seed=1)
    >>> rg.families.hard_function(ps).n_pieces_on(0, 1)
    81
    """
    _int_param(k, "random_hard_params: k", 1)
    _int_param(w, "random_hard_params: w", 2)
    check_size("max_pieces", k * (w - 1), "random_hard_params")
    rng = random.Random(seed)
    return [random_simplex_point(w - 1, M, seed=rng.randrange(2 ** 32),
                                 max_denominator=max_denominator) for _ in range(k)]


def zonotope_network(params: Any, M: Any, generators: Any) -> ReLUNetwork:
    """ZONOTOPE^n_{k,w,m}[a, b] = H_{a^1..a^k} o gamma_Z(b^1..b^m) as a network.

    Depth k + 2, size 2m + wk (Proposition 3.8). The same as
    :func:`relugeom.depth.zonotope_hard.zonotope_network`.
    """
    from .zonotope_hard import zonotope_network as _zn
    return _zn(params, M, generators)


def zonotope_piece_count(params: Any, M: Any, generators: Any) -> dict[str, int]:
    """Exact and predicted piece counts of H o gamma_Z: see
    :func:`relugeom.depth.zonotope_hard.zonotope_piece_count`."""
    from .zonotope_hard import zonotope_piece_count as _zc
    return _zc(params, M, generators)

"""Piece-counting bounds and the size lower bounds they give (Lemmas D.5-D.6, Theorems
3.1 and 3.5, Corollaries 3.3-3.4), exact.

Return types never depend on the arguments:

* counts and integer sizes (:func:`max_pieces`, :func:`max_pieces_integer`,
  :func:`min_size_exact`, :func:`gap_lower_bound_exact`) are ``int``;
* real-valued bounds (:func:`min_size`, :func:`gap_lower_bound`,
  :func:`max_pieces_for_size`, :func:`approximation_size_bound`,
  ``Separation.shallow_min_size``) are a :class:`~relugeom.surd.Surd`, the exact number
  a r^(1/m) + b, rational or not. It compares exactly with ints, Fractions and other
  surds, ``float()`` converts it, ``math.ceil`` gives the least integer size it allows,
  and ``symbolic=True`` returns the sympy expression instead;
* :func:`sawtooth_error_bound` and :func:`l1_distance` are always rational: ``Fraction``.

Depths follow the toolkit: a network with k hidden layers has ``depth = k + 1``.

>>> from relugeom import bounds
>>> bounds.max_pieces([3, 3]), bounds.min_size_exact(9, 2), bounds.min_size(9, 2)
(24, 8, 7/2)
>>> bounds.min_size(10, 4), bounds.min_size(10, 4, symbolic=True)
(3/2*10**(1/3) - 1, -1 + 3*10**(1/3)/2)
"""
from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any, Sequence

import sympy

from ..errors import DomainError, NotExactError, TooLargeError
from ..functions.pwl import PiecewiseLinear
# the bound on activation regions lives with the regions it guards (geometry, used before
# enumerating); it is one of this module's bounds, so it is exported here too
from ..geometry.arrangements import (_pos_int, _short, check_region_count,  # noqa: F401
                                     region_count_upper_bound)
from ..numbers.rational import as_rational
from ..numbers.surd import Surd

__all__ = ["max_pieces", "max_pieces_integer", "best_widths", "max_pieces_for_size",
           "min_size", "min_size_exact", "gap_lower_bound", "gap_lower_bound_exact",
           "Separation", "corollary_3_3", "corollary_3_4", "sawtooth_error_bound",
           "approximation_size_bound", "l1_distance", "best_sawtooth_fit",
           "region_count_upper_bound", "check_region_count"]


#: Exact counts and sizes are returned as Python ints of at most this many bits, and a
#: network is allowed at most this many hidden layers; larger requests are refused up
#: front (TooLargeError) instead of exhausting memory.
MAX_BITS = 1 << 20
MAX_LAYERS = 10 ** 6


def _layers_ok(k: int, what: str) -> int:
    if k > MAX_LAYERS:
        raise TooLargeError(f"{what}: needs at least {_short(k)} hidden layers, over "
                            f"relugeom.depth.bounds.MAX_LAYERS = {MAX_LAYERS}")
    return k


def _bits_ok(bits: Any, what: str) -> None:
    """Refuse a result of about 2^bits (bits may be a Fraction) over MAX_BITS bits."""
    if bits > MAX_BITS:
        raise TooLargeError(f"{what}: the exact value has about {_short(int(bits))} bits, "
                            f"over relugeom.depth.bounds.MAX_BITS = {MAX_BITS}")


def _log2_upper(w: int) -> int:
    return (w - 1).bit_length() if w > 1 else 0         # >= log2 w


def _radicand_ok(bits: int, what: str) -> None:
    from ..numbers.surd import MAX_RADICAND_BITS
    if bits > MAX_RADICAND_BITS:
        raise TooLargeError(f"{what}: the exact value needs a root of a {bits}-bit "
                            f"number, over relugeom.numbers.surd.MAX_RADICAND_BITS = "
                            f"{MAX_RADICAND_BITS}")


def _hidden(depth: Any) -> int:
    return _pos_int(depth, "depth", 2) - 1


def _out(value: Surd, symbolic: bool) -> Any:
    """The documented return: the Surd, or its sympy expression on request."""
    if not isinstance(symbolic, bool):
        raise NotExactError(f"symbolic must be True or False, got {_short(symbolic)}")
    return value.to_sympy() if symbolic else value


def _surd_from_sympy(e: Any, what: str) -> Surd:
    """A sympy number of the form a r^(p/q) + b (a, b, r rational) as a Surd."""
    if not (e.is_number and e.is_real) or e.has(sympy.Float):
        raise NotExactError(f"{what} must be an exact real number, got {_short(e)}")
    if e.is_Rational:
        return Surd.rational(Fraction(int(e.p), int(e.q)))
    b, rest = e.as_coeff_Add()
    a, pw = rest.as_coeff_Mul()
    if pw.is_Pow and pw.base.is_Rational and pw.base > 0 and pw.exp.is_Rational and \
            a.is_Rational and b.is_Rational:
        r = Fraction(int(pw.base.p), int(pw.base.q)) ** int(pw.exp.p)
        return Surd(Fraction(int(a.p), int(a.q)), r, int(pw.exp.q),
                    Fraction(int(b.p), int(b.q)))
    raise NotExactError(f"{what} must be a rational or a number a r^(1/m) + b "
                        f"(a relugeom.numbers.surd.Surd), got {_short(e)}")


# ----------------------------------------------------------------------------- Lemma D.5/D.6
def max_pieces(widths: Sequence[int]) -> int:
    """Lemma D.5: a network R -> R with hidden widths w_1..w_k has at most
    2^(k-1) (w_1 + 1) w_2 ... w_k pieces.

    Examples
    --------
    >>> from relugeom.bounds import max_pieces
    >>> max_pieces([3]), max_pieces([2, 2, 2])
    (4, 48)
    """
    if isinstance(widths, (str, bytes, set, frozenset, dict)) or \
            not hasattr(widths, "__iter__"):
        raise NotExactError(f"max_pieces: widths must be a sequence of integers, got "
                            f"{_short(widths)} ({type(widths).__name__})")
    if hasattr(widths, "__len__"):
        _layers_ok(len(widths), "max_pieces")
    ws = [_pos_int(w, f"widths[{i}]") for i, w in enumerate(widths)]
    if not ws:
        raise DomainError("max_pieces: need at least one hidden layer")
    _layers_ok(len(ws), "max_pieces")
    _bits_ok(len(ws) + sum(w.bit_length() - 1 for w in ws), "max_pieces")
    return 2 ** (len(ws) - 1) * (ws[0] + 1) * math.prod(ws[1:])


def best_widths(size: int, depth: int) -> tuple[int, ...]:
    """Integer widths (each >= 1) of total ``size`` maximising the Lemma D.5 bound.

    Balance v = (w_1 + 1, w_2, ..., w_k), whose sum is size + 1, as evenly as possible
    (for a fixed sum, a product of positive integers is largest when they differ by <= 1).

    Examples
    --------
    >>> from relugeom.bounds import best_widths
    >>> best_widths(8, 4)
    (2, 3, 3)
    """
    k = _layers_ok(_hidden(depth), "best_widths")
    s = _pos_int(size, "size")
    if s < k:
        raise DomainError(f"best_widths: size {_short(s)} cannot fill {k} hidden layers")
    q, r = divmod(s + 1, k)
    v = [q + 1] * r + [q] * (k - r)       # larger parts first; v[0] >= 2 since s >= k
    return (v[0] - 1, *v[1:])


def max_pieces_integer(size: int, depth: int) -> int:
    """Largest Lemma D.5 bound over integer width vectors of total ``size``.

    Examples
    --------
    >>> from relugeom.bounds import max_pieces_integer
    >>> max_pieces_integer(8, 4)
    108
    """
    k = _layers_ok(_hidden(depth), "max_pieces_integer")
    s = _pos_int(size, "size")
    if s >= k:      # about k log2((s + 1) / k) + k bits
        _bits_ok(k + k * max(0, ((s + 1) // k).bit_length() - 1), "max_pieces_integer")
    return max_pieces(best_widths(s, depth))


def max_pieces_for_size(size: Any, depth: int, *, symbolic: bool = False) -> Any:
    """Lemma D.6 (AM-GM form): depth k + 1 and size s give at most (2s/k)^k pieces.

    ``size`` is an exact rational, or an exact number a r^(1/m) (a
    :class:`~relugeom.surd.Surd` such as :func:`approximation_size_bound` returns, or the
    equal sympy number). Floats are refused. Returns a Surd (sympy with ``symbolic=True``).

    Examples
    --------
    >>> from relugeom.bounds import max_pieces_for_size
    >>> max_pieces_for_size(8, 3)
    64
    >>> import sympy
    >>> max_pieces_for_size(2 * sympy.sqrt(2), 3), max_pieces_for_size(3, 3)
    (8, 9)
    """
    k = _layers_ok(_hidden(depth), "max_pieces_for_size")
    if isinstance(size, sympy.Basic):
        size = _surd_from_sympy(size, "size")
    if isinstance(size, Surd):
        if size.is_rational:
            size = size.as_fraction()
        elif size.b:
            raise DomainError(f"max_pieces_for_size: (2s/k)^k of s = {size} is not a "
                              f"number a r^(1/m); pass a rational size or one a r^(1/m)")
        else:
            if size < 0:
                raise DomainError(f"size must be >= 0, got {size}")
            q = size * Fraction(2, k)
            _bits_ok(k * (q.r.numerator.bit_length() + q.r.denominator.bit_length()
                          + q.a.numerator.bit_length() + q.a.denominator.bit_length()),
                     "max_pieces_for_size")
            return _out(q ** k, symbolic)
    s = as_rational(size, what="size")
    if s < 0:
        raise DomainError(f"size must be >= 0, got {_short(s)}")
    q = 2 * s / k
    _bits_ok(k * (q.numerator.bit_length() + q.denominator.bit_length()),
             "max_pieces_for_size")
    return _out(Surd.rational(q ** k), symbolic)


def min_size(n_pieces: int, depth: int, *, symbolic: bool = False) -> Any:
    """Lemma D.6: a function with p pieces at depth k + 1 needs size >= (1/2) k p^(1/k) - 1.

    Exact, as a :class:`~relugeom.surd.Surd` (sympy with ``symbolic=True``).

    Examples
    --------
    >>> import math
    >>> from relugeom.bounds import min_size
    >>> min_size(8, 3), float(min_size(8, 3)), math.ceil(min_size(8, 3))
    (2*2**(1/2) - 1, 1.828..., 2)
    >>> min_size(8, 4), min_size(8, 3, symbolic=True)
    (2, -1 + 2*sqrt(2))
    """
    p = _pos_int(n_pieces, "n_pieces")
    k = _hidden(depth)
    _bits_ok(p.bit_length(), "min_size")
    if k > MAX_LAYERS:
        raise TooLargeError(f"min_size: depth {_short(depth)} is over relugeom.depth.bounds."
                            f"MAX_LAYERS = {MAX_LAYERS} hidden layers")
    return _out(Surd(Fraction(k, 2), p, k, -1), symbolic)


def min_size_exact(n_pieces: int, depth: int) -> int:
    """The least integer size s (at least one unit per hidden layer) whose best integer
    width vector reaches ``n_pieces`` under Lemma D.5.

    Sharper than :func:`min_size`, which relaxes the widths to reals (AM-GM). Report both.

    Examples
    --------
    >>> from relugeom.bounds import min_size_exact
    >>> min_size_exact(3 ** 6, 3), min_size_exact(2, 2)
    (38, 1)
    """
    p = _pos_int(n_pieces, "n_pieces")
    k = _hidden(depth)
    if p.bit_length() <= k:        # one unit per layer already gives 2^k >= p pieces
        return k
    _bits_ok(p.bit_length(), "min_size_exact")
    lo, hi = k, k
    while max_pieces_integer(hi, depth) < p:
        lo, hi = hi + 1, 2 * hi
    while lo < hi:                         # max_pieces_integer is increasing in the size
        mid = (lo + hi) // 2
        if max_pieces_integer(mid, depth) >= p:
            hi = mid
        else:
            lo = mid + 1
    return lo


# ----------------------------------------------------------------------------- Theorem 3.1
def gap_lower_bound(k: int, w: int, k_prime: int, *, symbolic: bool = False) -> Any:
    """Theorem 3.1: computing a member of the hard family (k layers of width w, w^k pieces)
    with k' <= k hidden layers needs size >= (1/2) k' w^(k/k') - 1.

    Exact, as a :class:`~relugeom.surd.Surd` (sympy with ``symbolic=True``).

    Examples
    --------
    >>> from relugeom.bounds import gap_lower_bound
    >>> gap_lower_bound(4, 3, 2), gap_lower_bound(3, 2, 2)
    (8, 2*2**(1/2) - 1)
    >>> gap_lower_bound(3, 2, 2, symbolic=True)
    -1 + 2*sqrt(2)
    """
    k = _pos_int(k, "k")
    w = _pos_int(w, "w", 2)
    kp = _pos_int(k_prime, "k_prime")
    if kp > k:
        raise DomainError(f"gap_lower_bound: need k' <= k, got k' = {_short(kp)} > "
                          f"k = {_short(k)}")
    _bits_ok(Fraction(k * _log2_upper(w), kp), "gap_lower_bound")
    g = math.gcd(k, kp)                        # w^(k/k') = (w^(k/g))^(1/(k'/g))
    _radicand_ok((k // g) * w.bit_length(), "gap_lower_bound")
    return _out(Surd(Fraction(kp, 2), w ** (k // g), kp // g, -1), symbolic)


def gap_lower_bound_exact(k: int, w: int, k_prime: int) -> int:
    """Theorem 3.1 without AM-GM: :func:`min_size_exact` of w^k pieces at depth k' + 1.

    Examples
    --------
    >>> from relugeom.bounds import gap_lower_bound_exact
    >>> gap_lower_bound_exact(4, 3, 2)
    12
    """
    if _pos_int(k_prime, "k_prime") > _pos_int(k, "k"):
        raise DomainError(f"need k' <= k, got k' = {_short(k_prime)} > k = {_short(k)}")
    _bits_ok(k * _log2_upper(_pos_int(w, "w", 2)), "gap_lower_bound_exact")
    return min_size_exact(_pos_int(w, "w", 2) ** k, k_prime + 1)


@dataclasses.dataclass(frozen=True)
class Separation:
    """A depth separation: the deep network and the bound on shallow ones."""

    deep_hidden_layers: int
    deep_width: int
    deep_size: int
    n_pieces: int
    shallow_hidden_layers: int
    shallow_min_size: Any          # a Surd (sympy with symbolic=True)
    shallow_min_size_exact: int | None

    @property
    def gap(self) -> Any:
        """shallow_min_size - deep_size (exact)."""
        return self.shallow_min_size - self.deep_size


def corollary_3_3(k: int, eps: Any, *, symbolic: bool = False) -> Separation:
    """Corollary 3.3: k^(1+eps) hidden layers of width k (size k^(2+eps)) against
    >= (1/2) k^(k^eps + 1) - 1 units at depth k + 1.

    ``eps`` is rational and k^(1+eps) must be an integer; then k^eps = k^(1+eps) / k is a
    rational algebraic integer, an integer, so the bound is rational. ``shallow_min_size``
    is a :class:`~relugeom.surd.Surd` (sympy with ``symbolic=True``); the integer bound
    ``shallow_min_size_exact`` is computed only when the piece count k^(k^(1+eps)) is
    small enough to handle.

    Examples
    --------
    >>> from relugeom.bounds import corollary_3_3
    >>> s = corollary_3_3(4, "1/2")
    >>> s.deep_hidden_layers, s.deep_size, s.shallow_min_size
    (8, 32, 31)
    """
    k = _pos_int(k, "k", 2)
    e = as_rational(eps, what="eps")
    if not e > 0:
        raise DomainError(f"corollary_3_3: eps must be > 0, got {_short(e)}")
    # k^(1 + eps) layers and k^(k^eps + 1) in the bound: refuse huge ones from bit counts
    lk = _log2_upper(k)
    _bits_ok((1 + e) * lk, "corollary_3_3 (k^(1+eps) hidden layers)")
    if (1 + e) * (k.bit_length() - 1) > MAX_LAYERS.bit_length():
        raise TooLargeError(f"corollary_3_3: k^(1+eps) = {_short(k)}^{_short(1 + e)} "
                            f"hidden layers is over relugeom.depth.bounds.MAX_LAYERS = "
                            f"{MAX_LAYERS}")
    _bits_ok(2 ** (e * lk) * lk, "corollary_3_3 (the bound k^(k^eps + 1))")
    layers = sympy.Integer(k) ** (1 + sympy.Rational(e.numerator, e.denominator))
    if not layers.is_Integer:
        raise DomainError(f"corollary_3_3: k^(1+eps) = {_short(k)}^{_short(1 + e)} is not "
                          f"an integer")
    L = int(layers)
    _layers_ok(L, "corollary_3_3")
    if L % k:                   # unreachable: k^(1+eps) integer forces k | k^(1+eps)
        raise DomainError(f"corollary_3_3: k^eps = {L}/{k} is not an integer")
    bound = Surd.rational(Fraction(k ** (L // k + 1), 2) - 1)
    exact = min_size_exact(k ** L, k + 1) if L * k.bit_length() <= 4000 else None
    return Separation(L, k, L * k, k ** L, k, _out(bound, symbolic), exact)


def corollary_3_4(k: int, *, symbolic: bool = False) -> Separation:
    """Corollary 3.4 (eps = 1): k^2 hidden layers of width k (size k^3) against
    >= (1/2) k^(k+1) - 1 units for any network with at most k hidden layers.

    Examples
    --------
    >>> from relugeom.bounds import corollary_3_4
    >>> s = corollary_3_4(3)
    >>> s.deep_size, s.shallow_min_size, s.shallow_min_size_exact
    (27, 79/2, 51)
    """
    return corollary_3_3(k, 1, symbolic=symbolic)


# ----------------------------------------------------------------------------- Theorem 3.5
def sawtooth_error_bound(w: int, k: int, p: int) -> Fraction:
    """Theorem 3.5: for the equally spaced sawtooth with w^k pieces on [0, 1] and any g
    with p pieces, int_0^1 |f - g| >= (1/4)(1 - 2p / w^k).

    Examples
    --------
    >>> from relugeom.bounds import sawtooth_error_bound
    >>> sawtooth_error_bound(2, 4, 3)
    Fraction(5, 32)
    """
    w, k, p = _pos_int(w, "w", 2), _pos_int(k, "k"), _pos_int(p, "p")
    _bits_ok(k * _log2_upper(w), "sawtooth_error_bound")
    return Fraction(1, 4) * (1 - Fraction(2 * p, w ** k))


def approximation_size_bound(w: int, k: int, k_prime: int, delta: Any, *,
                             symbolic: bool = False) -> Any:
    """Theorem 3.5: networks of depth k' + 1 and size at most
    k' w^(k/k') (1 - 4 delta)^(1/k') / 2^(1 + 1/k') have L1 error >= delta against the
    equally spaced sawtooth with w^k pieces (0 <= delta < 1/4). The value is
    (k'/2) (w^k (1 - 4 delta) / 2)^(1/k'), a :class:`~relugeom.surd.Surd` (sympy with
    ``symbolic=True``).

    Examples
    --------
    >>> from relugeom.bounds import approximation_size_bound
    >>> approximation_size_bound(2, 4, 1, 0)
    4
    """
    d = as_rational(delta, what="delta")
    if not (0 <= d < Fraction(1, 4)):
        raise DomainError(f"delta must satisfy 0 <= delta < 1/4, got {d}")
    kp = _pos_int(k_prime, "k_prime")
    _bits_ok(Fraction(_pos_int(k, "k") * _log2_upper(_pos_int(w, "w", 2)), kp),
             "approximation_size_bound")
    _radicand_ok(k * w.bit_length(), "approximation_size_bound")
    radicand = w ** k * (1 - 4 * d) / 2
    return _out(Surd(Fraction(kp, 2), radicand, kp), symbolic)


def l1_distance(f: PiecewiseLinear, g: PiecewiseLinear, lo: Any, hi: Any) -> Fraction:
    """Exact int_lo^hi |f - g|, piece by piece; a piece where f - g changes sign is split
    at its zero.

    Examples
    --------
    >>> import relugeom as rg
    >>> from relugeom.bounds import l1_distance
    >>> x = rg.PiecewiseLinear.identity()
    >>> l1_distance(x, rg.PiecewiseLinear.constant(0), -1, 1)
    Fraction(1, 1)
    """
    for name, v in (("f", f), ("g", g)):
        if not isinstance(v, PiecewiseLinear):
            raise NotExactError(f"l1_distance: {name} must be a PiecewiseLinear, got "
                                f"{_short(v)} ({type(v).__name__})")
    a, b = as_rational(lo, what="lo"), as_rational(hi, what="hi")
    if not a < b:
        raise DomainError(f"l1_distance: need lo < hi, got lo = {_short(a)}, "
                          f"hi = {_short(b)}")
    d = f - g
    xs = [a, *(x for x in d.breakpoints if a < x < b), b]
    hs = d.evaluate_exact(xs)
    total = Fraction(0)
    for x0, x1, h0, h1 in zip(xs, xs[1:], hs, hs[1:]):
        if (h0 >= 0) == (h1 >= 0) or h0 == 0 or h1 == 0:
            total += (x1 - x0) * (abs(h0) + abs(h1)) / 2
        else:                               # sign change inside: two triangles
            total += (x1 - x0) * (h0 * h0 + h1 * h1) / (2 * (abs(h0) + abs(h1)))
    return total


def best_sawtooth_fit(w: int, k: int, p: int) -> tuple[PiecewiseLinear, Fraction]:
    """The best of a few explicit p-piece competitors against the equally spaced sawtooth
    f (w^k pieces on [0, 1]), with its exact L1 error on [0, 1].

    Competitors: the constant 1/2; f itself up to the middle of piece m, then 1/2
    (m + 1 pieces on [0, 1] counting the constant); f itself when p >= w^k. Pieces are
    counted on [0, 1].

    Examples
    --------
    >>> from relugeom.bounds import best_sawtooth_fit, sawtooth_error_bound
    >>> g, err = best_sawtooth_fit(2, 3, 4)
    >>> g.n_pieces_on(0, 1) <= 4, err, err >= sawtooth_error_bound(2, 3, 4)
    (True, Fraction(11, 64), True)
    """
    from .families import hard_function
    w, k = _pos_int(w, "w", 2), _pos_int(k, "k")
    _bits_ok(k * _log2_upper(w), "best_sawtooth_fit")
    n = w ** k
    p = _pos_int(p, "p")
    f = hard_function([tuple(Fraction(i, w) for i in range(1, w))] * k, 1)
    half = Fraction(1, 2)
    cands = [PiecewiseLinear.constant(half)]
    if p >= n:
        cands.append(f)
    else:
        m = p - 1                           # follow f on m pieces, the last one to 1/2
        if m >= 1:
            xs = [Fraction(i, n) for i in range(m)] + [Fraction(2 * m - 1, 2 * n)]
            pts = [(x, half if i == m else Fraction(i % 2)) for i, x in enumerate(xs)]
            cands.append(PiecewiseLinear.from_points(pts, left_slope=0, right_slope=0))
    best = None
    for g in cands:
        if g.n_pieces_on(0, 1) > p:
            continue
        err = l1_distance(f, g, 0, 1)
        if best is None or err < best[1]:
            best = (g, err)
    assert best is not None
    return best


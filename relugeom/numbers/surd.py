"""Exact real numbers of the form a r^(1/m) + b (a, b, r rational, r > 0, m >= 1).

Every real-valued bound in :mod:`relugeom.bounds` has this form: Lemma D.6's
(k/2) p^(1/k) - 1, Theorem 3.1's (k'/2) w^(k/k') - 1, Theorem 3.5's size threshold. A
:class:`Surd` is exact and decides its comparisons with rationals, and with other surds,
exactly: a rigorous interval (an arb ball from python-flint) at rising precision decides
every sign that is not zero, and zero is decided exactly in rationals (the rational root
test), in the pattern of CGAL's filtered predicates; no tolerance anywhere. ``float()`` converts; ``to_sympy()`` gives the
symbolic form.

>>> from relugeom.surd import Surd
>>> s = Surd(2, 2, 2, -1)           # 2 sqrt 2 - 1
>>> s, float(s), s > Fraction(91, 50), s < Fraction(183, 100), math.ceil(s)
(2*2**(1/2) - 1, 1.828..., True, True, 2)
>>> Surd(3, 8, 3) == 6, Surd(3, 8, 3).is_rational
(True, True)
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from ..errors import DomainError, NotExactError, TooLargeError

__all__ = ["Surd", "iroot"]

#: Largest radicand (in bits) and degree m held exactly; larger ones are refused up front.
#: Roots and perfect-power tests run in GMP (python-flint), so a radicand at the limit is
#: put in canonical form in well under a second; powers (``s ** e``) are refused from the
#: sizes of their parts before computing.
MAX_RADICAND_BITS = 1 << 20
MAX_DEGREE = 10 ** 6
#: Largest coefficient a or rational part b (in bits) a power ``s ** e`` may produce.
MAX_PART_BITS = 1 << 20


def iroot(n: int, m: int) -> int:
    """floor(n^(1/m)) for integers n >= 0, m >= 1, exactly (GMP's integer root, through
    python-flint; linear-ish time even for million-bit n).

    >>> iroot(10 ** 30, 3), iroot(2, 2), iroot(0, 5)
    (10000000000, 1, 0)
    """
    if n < 2 or m == 1:
        return n
    if m >= n.bit_length():
        return 1
    from flint import fmpz
    return int(fmpz(n).root(m))


def _rational(v: Any, what: str) -> Fraction:
    if isinstance(v, bool) or not isinstance(v, (int, Fraction)):
        raise NotExactError(f"Surd: {what} must be an int or Fraction, got {v!r} "
                            f"({type(v).__name__})")
    return Fraction(v)


def _exact_root(q: Fraction, m: int) -> Fraction | None:
    """q^(1/m) when it is rational, else None (q > 0; the test in GMP integers)."""
    from flint import fmpz
    roots = []
    for part in (q.numerator, q.denominator):
        if part == 1:
            roots.append(1)
            continue
        if m >= part.bit_length():              # 1 < part < 2^m: no m-th power
            return None
        z = fmpz(part)
        u = z.root(m)
        if u ** m != z:
            return None
        roots.append(int(u))
    return Fraction(roots[0], roots[1])


def _prime_factors(m: int) -> list[int]:
    """The primes dividing m (1 <= m <= MAX_DEGREE), with multiplicity, ascending."""
    out, p = [], 2
    while p * p <= m:
        while m % p == 0:
            out.append(p)
            m //= p
        p += 1
    return out + ([m] if m > 1 else [])


def _lower_degree(r: Fraction, m: int) -> tuple[Fraction, int]:
    """(r', m') with r^(1/m) = r'^(1/m') and r' no perfect p-th power for a prime p | m'.

    r is a perfect d-th power exactly for the divisors d of some D, so taking p-th roots
    prime by prime reaches d = gcd(m, D), the largest divisor of m that works, with one
    GMP root per prime factor of m (not one per divisor: a degree such as 720720 has 240).
    """
    for p in _prime_factors(m):
        if m % p:
            continue
        root = _exact_root(r, p)
        while root is not None:
            r, m = root, m // p
            root = _exact_root(r, p) if m % p == 0 else None
    return r, m


class Surd:
    """The exact real number ``a * r**(1/m) + b``; immutable and hashable.

    Stored in a canonical form: the root is taken out when it is rational (then
    ``r == 1, m == 1``), and ``m`` is lowered while r is a perfect power, so two equal
    surds with the same radical compare in rationals. A rational surd hashes and compares
    like the equal :class:`~fractions.Fraction`.
    """

    __slots__ = ("a", "r", "m", "b")

    def __init__(self, a: Any, r: Any = 1, m: int = 1, b: Any = 0) -> None:
        a, r, b = _rational(a, "a"), _rational(r, "r"), _rational(b, "b")
        if isinstance(m, bool) or not isinstance(m, int) or m < 1:
            raise DomainError(f"Surd: m must be an integer >= 1, got {m!r}")
        if m > MAX_DEGREE:
            raise TooLargeError(f"Surd: degree m = {m} is over "
                                f"relugeom.numbers.surd.MAX_DEGREE = {MAX_DEGREE}")
        if r <= 0:
            raise DomainError(f"Surd: the radicand r must be > 0, got {r}")
        bits = r.numerator.bit_length() + r.denominator.bit_length()
        if bits > MAX_RADICAND_BITS:
            raise TooLargeError(f"Surd: a radicand of {bits} bits, over "
                                f"relugeom.numbers.surd.MAX_RADICAND_BITS = {MAX_RADICAND_BITS}")
        if a == 0:
            r, m = Fraction(1), 1
        elif m > 1:                              # a (u/v)^(1/m) = (a/v) (u v^(m-1))^(1/m)
            c, r = _take_out_powers(r, m)
            a *= c
        if m > 1:                                # r^(1/m) = root^(1/(m/d))
            r, m = _lower_degree(r, m)
        if m == 1:                               # rational: a r + b
            a, r, b = Fraction(0), Fraction(1), a * r + b
        self.a, self.r, self.m, self.b = a, r, m, b

    @classmethod
    def rational(cls, q: Any) -> Surd:
        """The rational number q as a surd."""
        return cls(0, 1, 1, q)

    # ------------------------------------------------------------------ inspection
    @property
    def is_rational(self) -> bool:
        """True when the value is rational (the canonical form has no root left)."""
        return self.m == 1

    def as_fraction(self) -> Fraction:
        """The value as a Fraction; :class:`DomainError` when it is irrational."""
        if not self.is_rational:
            raise DomainError(f"{self} is irrational: not a Fraction (float() it, or "
                              f"compare it exactly)")
        return self.b

    def __float__(self) -> float:
        if self.is_rational:
            return float(self.b)
        with _precision(64):
            return float(_ball(self).mid())        # inf beyond the float range

    def to_sympy(self) -> Any:
        """The exact sympy expression (sympy.Rational when the value is rational)."""
        import sympy
        R = sympy.Rational
        if self.is_rational:
            return R(self.b.numerator, self.b.denominator)
        return (R(self.a.numerator, self.a.denominator)
                * R(self.r.numerator, self.r.denominator) ** R(1, self.m)
                + R(self.b.numerator, self.b.denominator))

    def _sympy_(self) -> Any:                   # sympy.sympify protocol
        return self.to_sympy()

    def __repr__(self) -> str:
        if self.is_rational:
            return _text(self.b)
        a = "" if self.a == 1 else "-" if self.a == -1 else f"{_text(self.a)}*"
        s = f"{a}{_text(self.r)}**(1/{self.m})" if self.r.denominator == 1 else \
            f"{a}({_text(self.r)})**(1/{self.m})"
        if self.b:
            s += f" {'+' if self.b > 0 else '-'} {_text(abs(self.b))}"
        return s

    __str__ = __repr__

    def __hash__(self) -> int:
        # m (the degree of the value over Q, by Capelli's theorem once r is no perfect
        # p-th power for a prime p | m) and b (its trace / m) are invariants of the value
        return hash(self.b) if self.is_rational else hash((self.m, self.b))

    # ------------------------------------------------------------------ arithmetic
    @staticmethod
    def _other(x: Any) -> Fraction | None:
        if isinstance(x, bool) or not isinstance(x, (int, Fraction)):
            return None
        return Fraction(x)

    def __neg__(self) -> Surd:
        return Surd(-self.a, self.r, self.m, -self.b)

    def _add(self, other: Surd) -> Surd | None:
        """self + other when that is again a surd (same radical, or one is rational)."""
        if other.is_rational:
            return Surd(self.a, self.r, self.m, self.b + other.b)
        if self.is_rational:
            return Surd(other.a, other.r, other.m, other.b + self.b)
        if (other.r, other.m) == (self.r, self.m):
            return Surd(self.a + other.a, self.r, self.m, self.b + other.b)
        return None

    def __add__(self, other: Any) -> Surd:
        if isinstance(other, Surd):
            total = self._add(other)
            if total is None:
                raise DomainError(f"{self} + {other} is not a number a r^(1/m) + b; add "
                                  f"their .to_sympy() forms, or compare them directly")
            return total
        q = self._other(other)
        if q is None:
            return NotImplemented
        return Surd(self.a, self.r, self.m, self.b + q)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Surd:
        if isinstance(other, Surd):
            return self + (-other)
        q = self._other(other)
        return NotImplemented if q is None else self + (-q)

    def __rsub__(self, other: Any) -> Surd:
        q = self._other(other)
        return NotImplemented if q is None else (-self) + q

    def __mul__(self, other: Any) -> Surd:
        if isinstance(other, Surd) and other.is_rational:
            other = other.b
        q = self._other(other)
        if q is None:
            if isinstance(other, Surd) and self.is_rational:
                return other * self.b
            if isinstance(other, Surd):
                raise DomainError(f"({self}) * ({other}) is not a number a r^(1/m) + b; "
                                  f"multiply their .to_sympy() forms")
            return NotImplemented
        return Surd(self.a * q, self.r, self.m, self.b * q)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Surd:
        if isinstance(other, Surd) and other.is_rational:
            other = other.b
        q = self._other(other)
        if q is None:
            return NotImplemented
        if q == 0:
            raise _DivisionByZero(f"cannot divide the Surd {self} by zero")
        return self * (1 / q)

    def __pow__(self, e: Any) -> Surd:
        """An integer power, for surds without a rational part (a r^(1/m))^e.

        The sizes are checked before computing: a part a^e or b^e over
        :data:`MAX_PART_BITS` bits, or a radicand r^(e/g) over :data:`MAX_RADICAND_BITS`,
        is a :class:`~relugeom.errors.TooLargeError` at once (``Surd(2, 3, 2) ** 10**10``
        is refused, not computed).
        """
        if isinstance(e, bool) or not isinstance(e, int) or e < 0:
            return NotImplemented
        if self.is_rational:
            _check_power(self.b, e, MAX_PART_BITS, "the value")
            return Surd.rational(self.b ** e)
        if self.b:
            return NotImplemented
        g = math.gcd(e, self.m)
        _check_power(self.a, e, MAX_PART_BITS, "the coefficient a")
        _check_power(self.r, e // g, MAX_RADICAND_BITS, "the radicand r")
        return Surd(self.a ** e, self.r ** (e // g), self.m // g)

    # ------------------------------------------------------------------ comparison
    def sign(self) -> int:
        """-1, 0 or 1, decided exactly: a rational is signed in rationals; an irrational
        a R + b is never 0, so a rigorous arb ball at rising precision decides it (the
        ball contains the value; it is trusted only when it excludes 0)."""
        if self.is_rational:
            return (self.b > 0) - (self.b < 0)
        if self.b == 0 or (self.a > 0) == (self.b > 0):
            return 1 if self.a > 0 else -1
        return _ball_sign(lambda: _ball(self), self._bits())

    def _bits(self) -> int:
        """About log2 of the magnitudes involved: the first ball's precision."""
        return 64 + sum(q.numerator.bit_length() + q.denominator.bit_length()
                        for q in (self.a, self.b)) + \
            (self.r.numerator.bit_length() + self.r.denominator.bit_length()) // self.m

    def _cmp(self, other: Any) -> int | None:
        if isinstance(other, Surd):
            diff = self._add(-other)
            return _sign_of_two(self, other) if diff is None else diff.sign()
        q = self._other(other)
        if q is None:
            if isinstance(other, float):
                raise NotExactError(f"compare a Surd with exact numbers (int, Fraction, "
                                    f"Surd), not the float {other!r}")
            return None
        return (self - q).sign()

    def __eq__(self, other: Any) -> bool:
        c = self._cmp(other)
        return NotImplemented if c is None else c == 0

    def __lt__(self, other: Any) -> bool:
        c = self._cmp(other)
        return NotImplemented if c is None else c < 0

    def __le__(self, other: Any) -> bool:
        c = self._cmp(other)
        return NotImplemented if c is None else c <= 0

    def __gt__(self, other: Any) -> bool:
        c = self._cmp(other)
        return NotImplemented if c is None else c > 0

    def __ge__(self, other: Any) -> bool:
        c = self._cmp(other)
        return NotImplemented if c is None else c >= 0

    def __floor__(self) -> int:
        if self.is_rational:
            return math.floor(self.b)
        # an irrational value is no integer: a fine enough ball holds a unique floor
        prec = self._bits()
        while True:
            with _precision(prec):
                n = _ball(self).floor().unique_fmpz()
            if n is not None:
                return int(n)
            prec = _more(prec)

    def __ceil__(self) -> int:
        n = math.floor(self)
        return n if self == n else n + 1


class _DivisionByZero(DomainError, ZeroDivisionError):
    """``s / 0``: a DomainError that is also the built-in ZeroDivisionError."""


def _text(q: Fraction) -> str:
    """q exactly while its parts print (under 12,000 bits), else abbreviated (a repr
    never raises on Python's 4,300-digit limit)."""
    if q.numerator.bit_length() + q.denominator.bit_length() <= 12_000:
        return str(q)
    from .rational import short
    return short(q)


def _check_power(q: Fraction, e: int, limit: int, what: str) -> None:
    """Refuse q ** e before computing when a part would pass ``limit`` bits (a part
    x >= 2 has x^e >= 2^(e (bits(x) - 1)))."""
    bits = max(q.numerator.bit_length(), q.denominator.bit_length())
    if abs(q.numerator) > 1 or q.denominator > 1:
        low = e * (bits - 1)
        if low > limit:
            from .rational import short
            raise TooLargeError(f"Surd power: {what} to the power {short(e)} would have "
                                f"at least {short(low)} bits, over {limit} "
                                f"(relugeom.numbers.surd.MAX_PART_BITS / MAX_RADICAND_BITS)")


_SMALL_PRIMES = [p for p in range(2, 1000) if all(p % q for q in range(2, math.isqrt(p) + 1))]


def _take_out_powers(r: Fraction, m: int) -> tuple[Fraction, Fraction]:
    """(c, r') with r^(1/m) = c r'^(1/m): the denominator moved out when that stays
    small, and m-th powers of small primes pulled out. Only a tidier form (shorter reprs,
    more equal surds compared in rationals): the value and its invariants m, b stay."""
    c = Fraction(1)
    u, v = r.numerator, r.denominator
    if v > 1 and v.bit_length() * (m - 1) <= 4096:
        u, v, c = u * v ** (m - 1), 1, c / v
    for p in _SMALL_PRIMES:
        pm = p ** m
        if pm > u and pm > v:
            break
        u, k = _remove(u, pm)
        v, j = _remove(v, pm)
        c *= Fraction(p) ** (k - j)
    return c, Fraction(u, v)


def _remove(u: int, q: int) -> tuple[int, int]:
    """(u', k) with u = u' q^k and q not dividing u' (q >= 2), in O(log k) big
    divisions: by q, q^2, q^4, ... while they divide, then back down (one division per
    factor would be quadratic for u = 3^100000)."""
    if u % q:
        return u, 0
    powers = [q]
    while powers[-1].bit_length() * 2 <= u.bit_length() + 1 and u % (powers[-1] ** 2) == 0:
        powers.append(powers[-1] ** 2)
    k = 0
    for i in range(len(powers) - 1, -1, -1):
        if u % powers[i] == 0:
            u, k = u // powers[i], k + (1 << i)
    while u % q == 0:                      # at most once more per level: u < q^(2^len)
        u, k = u // q, k + 1
    return u, k


def _sign_of_two(x: Surd, y: Surd) -> int:
    """sign(x - y) for surds with different radicals, exactly. Equal irrational values
    share the degree m and the rational part b (both invariants, see ``__hash__``), and
    then a1 R1 = a2 R2 holds iff a1 / a2 > 0 is the m-th root of r2 / r1, a rational root
    test. Otherwise x - y is not 0 and a ball of rising precision decides its sign."""
    if x.is_rational or y.is_rational:
        return (x - y).sign()
    if x.m == y.m and x.b == y.b and (x.a > 0) == (y.a > 0) and \
            _exact_root(y.r / x.r, x.m) == x.a / y.a:
        return 0
    return _ball_sign(lambda: _ball(x) - _ball(y), max(x._bits(), y._bits()))


#: Precision cap (bits) of the balls that decide signs; a value closer to a decision
#: boundary than about 2^-MAX_PRECISION of its size is refused (TooLargeError).
MAX_PRECISION = 1 << 22


class _precision:
    """Set python-flint's working precision for a block, then restore it."""

    def __init__(self, bits: int) -> None:
        self.bits = bits

    def __enter__(self) -> None:
        from flint import ctx
        self.saved, ctx.prec = ctx.prec, self.bits

    def __exit__(self, *exc: Any) -> None:
        from flint import ctx
        ctx.prec = self.saved


def _more(prec: int) -> int:
    if prec > MAX_PRECISION:
        raise TooLargeError(f"Surd: deciding this needs over relugeom.numbers.surd.MAX_PRECISION "
                            f"= {MAX_PRECISION} bits of precision")
    return 2 * prec


def _ball(s: Surd) -> Any:
    """An arb ball (python-flint, rigorous) containing a r^(1/m) + b, at the current
    precision."""
    from flint import arb, fmpq

    def q(v: Fraction) -> Any:
        return arb(fmpq(v.numerator, v.denominator))
    return q(s.a) * q(s.r).root(s.m) + q(s.b)


def _ball_sign(make: Any, prec: int) -> int:
    """The sign of a value known to be non-zero, from balls of rising precision."""
    while True:
        with _precision(prec):
            v = make()
            if v > 0:
                return 1
            if v < 0:
                return -1
        prec = _more(prec)


# ---------------------------------------------------------------------------- JSON
def _encode(x: Surd) -> dict:
    from ..numbers.encoding import encode_rational
    return {"a": encode_rational(x.a), "r": encode_rational(x.r), "m": x.m,
            "b": encode_rational(x.b)}


def _decode(d: dict) -> Surd:
    from ..errors import RelugeomError, SerializationError
    from ..numbers.encoding import decode_rational, field
    m = field(d, "m")
    if isinstance(m, bool) or not isinstance(m, int):
        from .rational import short
        raise SerializationError(f"from_json: Surd m must be an integer, got {short(m)}")
    try:
        return Surd(decode_rational(field(d, "a"), "Surd a"),
                    decode_rational(field(d, "r"), "Surd r"), m,
                    decode_rational(field(d, "b"), "Surd b"))
    except SerializationError:
        raise
    except RelugeomError as exc:
        raise SerializationError(f"from_json: malformed Surd: {exc}") from None


def _register() -> None:
    from ..numbers.encoding import register_json_type
    register_json_type("Surd", Surd, _encode, _decode)


_register()

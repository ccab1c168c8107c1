"""Exact rational numbers: the one exactness gate and the fast exact array backend.

``as_rational`` is the only door through which numbers enter relugeom. Results are
:class:`fractions.Fraction`.

Inside, sequences of rationals live in :class:`RationalArray`: a numerator and a
denominator array. While every entry is small the arrays are ``int64`` and all arithmetic
runs in numpy's C loops; each operation first bounds its result exactly (from the largest
magnitudes) and switches to arrays of Python integers when ``int64`` could overflow, so
nothing is ever rounded. Measured on the development machine, an elementwise
multiply-add costs about 0.005 us per entry in ``int64`` and 0.2-0.6 us with Python
integers, against 3.3 us for ``Fraction`` (``python-flint``'s ``fmpq_mat`` is fast for
scalar-times-vector but has no elementwise products, slicing or concatenation, and
``gmpy2.mpq`` in object arrays measured no faster than Python integers).

Float shadows (``to_float``) are correctly rounded, hence monotone: ``x < y`` implies
``float(x) <= float(y)``. Searches and sorts use them as a filter and settle equal
shadows exactly.
"""
from __future__ import annotations

import math
import numbers
import re
from decimal import Decimal
from fractions import Fraction
from typing import Any, Iterable

import numpy as np

from ..errors import DomainError, NotExactError

__all__ = ["as_rational", "as_rationals", "as_rational_rows", "exact", "short",
           "Rational"]

Rational = Fraction
_MAX_EXPONENT = 10_000
_MAX_DIGITS = 100_000     # characters of a number written as a string
_SAFE = 1 << 62          # int64 entries stay below this in magnitude
_EXACT_FLOAT = 1 << 53   # below this an int64 converts to float exactly
_CHUNK = 4000            # below Python's 4,300-digit str <-> int limit
_DIGITS = r"\d+(?:_\d+)*"
_NUMBER = re.compile(
    rf"(?P<sign>[-+]?)(?:(?P<num>{_DIGITS})/(?P<den>{_DIGITS})"
    rf"|(?P<int>(?:{_DIGITS})?)(?:\.(?P<frac>(?:{_DIGITS})?))?"
    rf"(?:[eE](?P<esign>[-+]?)(?P<exp>{_DIGITS}))?)")


if hasattr(Fraction, "_from_coprime_ints"):          # Python >= 3.12
    def _frac(n: int, d: int) -> Fraction:
        return Fraction._from_coprime_ints(n, d)
else:                                                  # Python 3.10, 3.11
    def _frac(n: int, d: int) -> Fraction:
        return Fraction(n, d, _normalize=False)


# ----------------------------------------------------------------------------------
# printing values of any size

_LOG10_2 = 0.30102999566398120


def _n_digits(n: int) -> int:
    """Exact number of decimal digits of ``abs(n)`` (1 for 0), without ``str``."""
    n = abs(n)
    if n < 10 ** 18:
        return len(str(n))
    d = int((n.bit_length() - 1) * _LOG10_2) + 1     # within one of the truth
    return d + 1 if n >= 10 ** d else d


def _short_int(n: int, keep: int = 12) -> str:
    """``n`` in decimal, or its first and last ``keep`` digits and the digit count when
    it has more than ``3 * keep`` digits. Never hits Python's int-to-str limit."""
    if -10 ** (3 * keep) < n < 10 ** (3 * keep):
        return str(n)
    sign = "-" if n < 0 else ""
    a = abs(n)
    tail = str(a % 10 ** keep).rjust(keep, "0")
    if a.bit_length() > 700_000:                       # ~210,000 digits: estimate only
        return f"{sign}<an integer of about {int(a.bit_length() * _LOG10_2)} digits, " \
            f"ending {tail}>"
    d = _n_digits(a)
    head = str(a // 10 ** (d - keep))
    return f"{sign}{head}...{tail} ({d} digits)"


def short(x: Any, width: int = 80) -> str:
    """A short printable form of any value, for error messages and reprs.

    Rationals print exactly while small; an integer part with more than 36 digits is
    shown by its first and last digits and its length (so values beyond Python's
    4,300-digit conversion limit print too). Strings and other values are cut to about
    ``width`` characters.

    Examples
    --------
    >>> from fractions import Fraction
    >>> from relugeom.rational import short
    >>> short(Fraction(3, 7)), short(-5)
    ('3/7', '-5')
    >>> short(10 ** 5000)
    '100000000000...000000000000 (5001 digits)'
    >>> short(Fraction(1, 3 * 10 ** 40))
    '1/300000000000...000000000000 (41 digits)'
    >>> short("7" * 500)
    "'77777777777777777777777777777777777777777777777777'... (500 characters)"
    """
    if isinstance(x, bool):
        return repr(x)
    if isinstance(x, int):
        return _short_int(x)
    if isinstance(x, Fraction):
        if x.denominator == 1:
            return _short_int(x.numerator)
        return f"{_short_int(x.numerator)}/{_short_int(x.denominator)}"
    if isinstance(x, (np.integer, numbers.Rational)) and not isinstance(x, np.bool_):
        return short(Fraction(int(x.numerator), int(x.denominator)))
    if getattr(x, "is_Rational", False) and hasattr(x, "p") and hasattr(x, "q"):
        return short(Fraction(int(x.p), int(x.q)))          # sympy, without importing it
    if isinstance(x, str):
        if len(x) <= width:
            return repr(x)
        return f"{x[:50]!r}... ({len(x)} characters)"
    if isinstance(x, (bytes, bytearray)):
        if len(x) <= width:
            return repr(x)
        return f"{bytes(x[:50])!r}... ({len(x)} bytes)"
    if isinstance(x, (list, tuple)) and len(x) <= 8:
        inner = ", ".join(short(v, width) for v in x)
        if isinstance(x, tuple) and len(x) == 1:
            inner += ","
        s = f"[{inner}]" if isinstance(x, list) else f"({inner})"
        if len(s) <= 4 * width:
            return s
    try:
        s = repr(x)
    except Exception:                                  # e.g. a huge int inside
        return f"<{type(x).__name__} object>"
    if len(s) > width:
        s = s[:width - 20] + f"... <{type(x).__name__}>"
    return s


def _float_refusal(x: float, what: str) -> NotExactError:
    r = repr(float(x))
    return NotExactError(
        f"{what}: got the float {r}; floats are refused by policy, even exact ones (a "
        f"float does not say whether the decimal or the binary value is meant). Say it "
        f"exactly: the string \"{r}\" (the decimal {r}) or relugeom.exact({r}) (= "
        f"Fraction({r}), the binary value {short(Fraction(float(x)))}); ints and "
        f"Fractions are taken as they are."
    )


def _int_from_digits(s: str) -> int:
    """Decimal digits to int, of any length (divide and conquer past 4,000 digits)."""
    if len(s) <= _CHUNK:
        return int(s)
    half = len(s) // 2
    return _int_from_digits(s[:half]) * 10 ** (len(s) - half) + _int_from_digits(s[half:])


def _scaled(n: int, exp: int) -> Fraction:
    return Fraction(n * 10 ** exp) if exp >= 0 else Fraction(n, 10 ** -exp)


def _check_exponent(exp: int, where: str, what: str) -> None:
    if abs(exp) > _MAX_EXPONENT:
        raise DomainError(f"{what}: the exponent in {where} exceeds {_MAX_EXPONENT} in "
                          f"magnitude; write the number as a fraction 'p/q' or pass an int "
                          f"if you mean it")


def _from_string(x: str, what: str) -> Fraction:
    """Parse ``'3/7'``, ``'-0.25'``, ``'1e-3'``, ``'1_000'`` exactly. The grammar is
    checked, the length and the exponent bounded, before any digit is converted."""
    s = x.strip()
    if len(s) > _MAX_DIGITS:
        raise DomainError(f"{what}: the string {short(x)} is longer than {_MAX_DIGITS} "
                          f"characters; pass an int or a Fraction for numbers this large")
    if not s.isascii():
        raise DomainError(f"{what}: the string {short(x)} is not a rational number "
                          f"(use ASCII digits, e.g. '3/7', '-0.25', '1e-3')")
    m = _NUMBER.fullmatch(s)
    if m is None or (m.group("num") is None and not (m.group("int") or m.group("frac"))):
        special = s.lower().lstrip("+-") in ("inf", "infinity", "nan")
        hint = "expected a finite rational number" if special else \
            "expected forms like '3/7', '-0.25', '1e-3'"
        raise DomainError(f"{what}: the string {short(x)} is not a rational number "
                          f"({hint})")
    neg = m.group("sign") == "-"
    if m.group("num") is not None:
        num = _int_from_digits(m.group("num").replace("_", ""))
        den = _int_from_digits(m.group("den").replace("_", ""))
        if den == 0:
            raise DomainError(f"{what}: the string {short(x)} has a zero denominator")
        q = Fraction(num, den)
        return -q if neg else q
    exp = 0
    if m.group("exp") is not None:
        e = m.group("exp").replace("_", "").lstrip("0")
        if len(e) > 6:
            _check_exponent(_MAX_EXPONENT + 1, short(x), what)
        exp = int(e or "0") * (-1 if m.group("esign") == "-" else 1)
        _check_exponent(exp, short(x), what)
    ip = (m.group("int") or "").replace("_", "")
    fp = (m.group("frac") or "").replace("_", "")
    q = _scaled(_int_from_digits(ip + fp or "0"), exp - len(fp))
    return -q if neg else q


def _from_decimal(x: Decimal, what: str) -> Fraction:
    if not x.is_finite():
        raise DomainError(f"{what}: got {short(x)}, expected a finite rational number")
    sign, digits, exp = x.as_tuple()
    if len(digits) > _MAX_DIGITS:
        raise DomainError(f"{what}: the Decimal has {len(digits)} digits, over "
                          f"{_MAX_DIGITS}; pass an int or a Fraction")
    _check_exponent(int(exp), "the Decimal " + short(x), what)
    _check_exponent(int(exp) + len(digits) - 1, "the Decimal " + short(x), what)
    q = _scaled(_int_from_digits("".join(map(str, digits)) or "0"), int(exp))
    return -q if sign else q


def exact(x: Any, *, what: str = "value") -> Any:
    """Convert ``x`` exactly, floats included: a float becomes its binary value,
    ``Fraction(x)``; everything else goes through :func:`as_rational`.

    This is the one way to let a float in on purpose (``as_rational`` and every
    entry point refuse floats). NaN and infinities are still refused.

    Examples
    --------
    >>> import relugeom as rg
    >>> rg.exact(0.5), rg.exact(0.1) == rg.as_rational("3602879701896397/36028797018963968")
    (Fraction(1, 2), True)
    >>> rg.exact("0.1")
    Fraction(1, 10)

    Arrays and nested sequences (a numpy array of float32 or float64 data, a list of
    rows) are converted element by element into nested lists of Fractions, ready for
    ``erm.fit``, ``from_points`` or ``ReLUNetwork``:

    >>> import numpy as np
    >>> rg.exact(np.array([[0.5, -0.25], [1.0, 2.0]], dtype=np.float32))
    [[Fraction(1, 2), Fraction(-1, 4)], [Fraction(1, 1), Fraction(2, 1)]]
    """
    if _is_array_like(x):
        import numpy as np
        if isinstance(x, np.ndarray):
            if x.dtype.kind not in "biuf" and x.dtype != object:
                raise NotExactError(f"{what}: got an array of dtype {x.dtype}, expected "
                                    f"numbers")
            if x.ndim == 0:
                return exact(x.item(), what=what)
            return [exact(v, what=f"{what}[{i}]") for i, v in enumerate(x.tolist())]
        return [exact(v, what=f"{what}[{i}]") for i, v in enumerate(x)]
    if hasattr(x, "dtype") and hasattr(x, "item") and getattr(x, "shape", None) == ():
        return exact(x.item(), what=what)      # a numpy scalar such as np.float32(0.5)
    return as_rational(x, exact_float=True, what=what)


def _is_array_like(x: Any) -> bool:
    """A numpy array, a list or a tuple (strings, Fractions and scalars are not)."""
    if isinstance(x, (list, tuple)):
        return True
    return type(x).__name__ == "ndarray" and getattr(x, "shape", ()) != ()


def as_rational(x: Any, *, exact_float: bool = False, what: str = "value") -> Fraction:
    """Convert ``x`` to an exact :class:`~fractions.Fraction`; the one exactness gate.

    Parameters
    ----------
    x : int, Fraction, str, numpy integer, sympy Rational, Decimal, or any
        ``numbers.Rational`` (gmpy2 ``mpq``, python-flint ``fmpq``)
        Strings may be ``"3/7"``, ``"-0.25"``, ``"1e-3"`` or ``"1_000"`` (at most
        100,000 characters, exponents at most 10,000 in magnitude; both are checked
        before any conversion).
    exact_float : bool, keyword-only
        Accept floats, converted to their exact binary value (what :func:`exact` does).
        Off by default: a float is refused with :class:`~relugeom.errors.NotExactError`.
        Floats are refused everywhere in relugeom; convert them with
        ``relugeom.exact(x)`` when the binary value is what you mean.
    what : str, keyword-only
        Name of the value, used in error messages.

    Raises
    ------
    NotExactError
        ``x`` is a float (unless ``exact_float``), a sympy Float, or not a number.
    DomainError
        ``x`` is NaN or infinite, or a string that is not a number (or too long, or
        with too large an exponent).

    Examples
    --------
    >>> from relugeom import as_rational
    >>> as_rational("3/7"), as_rational("-0.25"), as_rational(2)
    (Fraction(3, 7), Fraction(-1, 4), Fraction(2, 1))
    >>> as_rational(0.1)
    Traceback (most recent call last):
    ...
    relugeom.errors.NotExactError: value: got the float 0.1; floats are refused by policy, even exact ones (a float does not say whether the decimal or the binary value is meant). Say it exactly: the string "0.1" (the decimal 0.1) or relugeom.exact(0.1) (= Fraction(0.1), the binary value 3602879701896397/36028797018963968); ints and Fractions are taken as they are.
    """
    if type(x) is Fraction:
        return x
    if isinstance(x, bool) or isinstance(x, np.bool_):
        raise NotExactError(f"{what}: got the boolean {x!r}, expected a rational number")
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, numbers.Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(float(x)):
            raise DomainError(f"{what}: got {float(x)!r}, expected a finite rational number")
        if exact_float:
            return Fraction(float(x))
        raise _float_refusal(float(x), what)
    if isinstance(x, str):
        return _from_string(x, what)
    if isinstance(x, Decimal):
        return _from_decimal(x, what)
    # sympy numbers, without importing sympy
    if getattr(x, "is_Rational", False) and hasattr(x, "p") and hasattr(x, "q"):
        return Fraction(int(x.p), int(x.q))
    if getattr(x, "is_number", False) and getattr(x, "is_finite", None) is not True:
        raise DomainError(f"{what}: got {short(x)}, expected a finite rational number")
    if getattr(x, "is_Float", False):
        raise NotExactError(f"{what}: got the sympy Float {short(x)}, which is not exact; "
                            f"use sympy.Rational or a string")
    if getattr(x, "is_number", False) and getattr(x, "is_real", False) is False:
        raise DomainError(f"{what}: got {short(x)}, expected a real rational number")
    if getattr(x, "is_number", False):
        raise NotExactError(f"{what}: got {short(x)}, which is not a rational number")
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return as_rational(x.item(), exact_float=exact_float, what=what)
    raise NotExactError(f"{what}: got {short(x)} of type {type(x).__name__}, "
                        f"expected a rational number (int, Fraction or a string like '3/7')")


def as_rationals(xs: Iterable[Any], *, exact_float: bool = False,
                 what: str = "values") -> list[Fraction]:
    """Convert every entry of ``xs`` with :func:`as_rational` (errors name the index).

    ``xs`` must be an ordered sequence (list, tuple, 1-D array, iterator); a string,
    bytes, a set or a dict is refused with :class:`~relugeom.errors.NotExactError`."""
    if isinstance(xs, (str, bytes, bytearray, set, frozenset, dict)) or \
            not isinstance(xs, Iterable):
        raise NotExactError(f"{what}: expected an ordered sequence of rationals, got "
                            f"{short(xs)} of type {type(xs).__name__}")
    return [as_rational(x, exact_float=exact_float, what=f"{what}[{i}]")
            for i, x in enumerate(xs)]


def as_rational_rows(rows: Any, *, what: str = "matrix", row: str = "row",
                     exact_float: bool = False) -> tuple[tuple[Fraction, ...], ...]:
    """A non-empty rectangular table of rationals given as ordered rows (lists, tuples
    or a 2-D numpy array); errors name the offending row.

    Raises
    ------
    DimensionError
        Not a list of ordered rows (a set or dict has no order), no rows, empty rows,
        or rows of different lengths.
    NotExactError, DomainError
        An entry that :func:`as_rational` refuses. Float entries, float numpy arrays
        included, follow the one float policy: refused unless ``exact_float=True``
        (their binary values, as :func:`exact` gives).

    Examples
    --------
    >>> from relugeom.rational import as_rational_rows
    >>> as_rational_rows([[1, "1/2"], ["3/4", 0]])
    ((Fraction(1, 1), Fraction(1, 2)), (Fraction(3, 4), Fraction(0, 1)))
    """
    from ..errors import DimensionError
    if isinstance(rows, np.ndarray):
        if rows.ndim != 2:
            raise DimensionError(f"{what}: expected a 2-D array ({row}s), got shape "
                                 f"{rows.shape}")
        rows = rows.tolist()
    if not isinstance(rows, (list, tuple)):
        raise DimensionError(f"{what}: expected a list of {row}s, got {type(rows).__name__}")
    out = []
    for i, r in enumerate(rows):
        if isinstance(r, np.ndarray):
            r = r.tolist()
        if not isinstance(r, (list, tuple)):
            raise DimensionError(f"{what}: {row} {i} is {short(r)}, expected a list or tuple "
                                 f"(an ordered sequence)")
        out.append(tuple(as_rational(v, exact_float=exact_float, what=f"{what}[{i}][{j}]")
                         for j, v in enumerate(r)))
    if not out:
        raise DimensionError(f"{what}: need at least one {row}")
    n = len(out[0])
    for i, r in enumerate(out):
        if len(r) != n:
            raise DimensionError(f"{what}: ragged, {row} 0 has {n} entries but {row} {i} "
                                 f"has {len(r)}")
    if n == 0:
        raise DimensionError(f"{what}: {row}s need at least one entry")
    return tuple(out)

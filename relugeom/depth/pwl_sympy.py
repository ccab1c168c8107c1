"""sympy bridges: exact conversion between :class:`~relugeom.PiecewiseLinear` and sympy.

``pwl_to_sympy`` turns a function into a sympy ``Piecewise``; ``pwl_from_sympy`` reads a
sympy expression (or a string, parsed by a small grammar and never evaluated) in one
variable built from rationals, +, rational *, Max, Min, Abs and continuous Piecewise.

>>> import relugeom as rg
>>> from relugeom.depth.pwl_sympy import pwl_from_sympy, pwl_to_sympy
>>> pwl_from_sympy(pwl_to_sympy(rg.PiecewiseLinear.relu())) == rg.PiecewiseLinear.relu()
True
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

import sympy

from ..errors import DomainError, NotExactError
from ..functions.pwl import PiecewiseLinear
from ..functions.operations import maximum, minimum
from ..numbers.rational import as_rational, short

__all__ = ["pwl_to_sympy", "pwl_from_sympy"]


def _R(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


def pwl_to_sympy(f: PiecewiseLinear, x: Any = None) -> sympy.Expr:
    """``f`` as an exact sympy ``Piecewise`` in the symbol ``x`` (default ``x``).

    Examples
    --------
    >>> import relugeom as rg
    >>> from relugeom.symbolic import pwl_to_sympy
    >>> pwl_to_sympy(rg.PiecewiseLinear.relu())
    Piecewise((0, x <= 0), (x, True))
    """
    if not isinstance(f, PiecewiseLinear):
        raise NotExactError(f"pwl_to_sympy: expected a PiecewiseLinear, got {short(f)} of "
                            f"type {type(f).__name__}")
    x = sympy.Symbol("x", real=True) if x is None else x
    if isinstance(x, str):
        if not x.isidentifier():
            raise DomainError(f"pwl_to_sympy: the variable name {short(x)} is not an "
                              f"identifier")
        x = sympy.Symbol(x, real=True)
    if not isinstance(x, sympy.Symbol):
        raise NotExactError(f"pwl_to_sympy: x must be a sympy Symbol or a name, got "
                            f"{short(x)} of type {type(x).__name__}")
    if f.is_affine:
        return _R(f.left_slope) * x + _R(f(0))
    bs, vs, ss = f.breakpoints, f.values, f.slopes
    pieces = []
    for i, s in enumerate(ss):
        bx, by = (bs[0], vs[0]) if i == 0 else (bs[i - 1], vs[i - 1])
        expr = _R(s) * x + _R(by - s * bx)
        cond = (x <= _R(bs[i])) if i < len(bs) else True
        pieces.append((expr, cond))
    return sympy.Piecewise(*pieces)


def _linear_root(rel: Any, x: sympy.Symbol) -> Fraction:
    d = sympy.expand(rel.lhs - rel.rhs)
    try:
        poly = sympy.Poly(d, x)
    except sympy.PolynomialError:
        raise DomainError(f"pwl_from_sympy: condition {rel} is not linear in {x}") from None
    if poly.degree() != 1:
        raise DomainError(f"pwl_from_sympy: condition {rel} is not linear in {x}")
    a, b = poly.all_coeffs()
    root = -b / a
    if not root.is_Rational:
        raise NotExactError(f"pwl_from_sympy: condition {rel} has the non-rational "
                            f"threshold {root}")
    return Fraction(int(root.p), int(root.q))


def _from(expr: Any, x: sympy.Symbol) -> PiecewiseLinear:
    if expr.is_Float:
        raise NotExactError(f"pwl_from_sympy: the float {expr} is not exact; use "
                            f"sympy.Rational")
    if expr.is_Rational:
        return PiecewiseLinear.constant(Fraction(int(expr.p), int(expr.q)))
    if expr.is_Symbol:
        if expr != x:
            raise DomainError(f"pwl_from_sympy: unexpected symbol {expr} (the variable is "
                              f"{x})")
        return PiecewiseLinear.identity()
    if expr.is_number:
        raise NotExactError(f"pwl_from_sympy: {expr} is not a rational number")
    if isinstance(expr, sympy.Add):
        out = _from(expr.args[0], x)
        for a in expr.args[1:]:
            out = out + _from(a, x)
        return out
    if isinstance(expr, sympy.Mul):
        consts = [a for a in expr.args if a.is_number]
        rest = [a for a in expr.args if not a.is_number]
        if len(rest) > 1:
            raise DomainError(f"pwl_from_sympy: {expr} is a product of non-constant factors, "
                              f"not piecewise linear")
        c = Fraction(1)
        for a in consts:
            c *= _from(a, x)(0)
        return _from(rest[0], x).scale(c) if rest else PiecewiseLinear.constant(c)
    if isinstance(expr, sympy.Max):
        return maximum(*[_from(a, x) for a in expr.args])
    if isinstance(expr, sympy.Min):
        return minimum(*[_from(a, x) for a in expr.args])
    if isinstance(expr, sympy.Abs):
        g = _from(expr.args[0], x)
        return maximum(g, -g)
    if isinstance(expr, sympy.Piecewise):
        return _from_piecewise(expr, x)
    raise DomainError(f"pwl_from_sympy: {expr} is not piecewise linear (supported: "
                      f"rationals, {x}, +, rational *, Max, Min, Abs, Piecewise)")


def _from_piecewise(expr: sympy.Piecewise, x: sympy.Symbol) -> PiecewiseLinear:
    branches = [(_from(e, x), c) for e, c in expr.args]
    crit = sorted({_linear_root(r, x) for _, c in expr.args if c is not sympy.true
                   for r in c.atoms(sympy.core.relational.Relational)})

    def pick(q: Fraction) -> PiecewiseLinear:
        for f, c in branches:
            if c is sympy.true or bool(c.subs(x, _R(q))):
                return f
        raise DomainError(f"pwl_from_sympy: the Piecewise is undefined at {x} = {q}")

    if not crit:
        return pick(Fraction(0))
    tests = [crit[0] - 1] + [(a + b) / 2 for a, b in zip(crit, crit[1:])] + [crit[-1] + 1]
    fs = [pick(t) for t in tests]
    bounds = [None, *crit, None]
    pts: list[tuple[Fraction, Fraction]] = []
    for j, f in enumerate(fs):
        lo, hi = bounds[j], bounds[j + 1]
        pts += [(b, v) for b, v in zip(f.breakpoints, f.values)
                if (lo is None or b > lo) and (hi is None or b < hi)]
        if hi is not None:
            left, right, at = f(hi), fs[j + 1](hi), pick(hi)(hi)
            if not left == right == at:
                raise DomainError(f"pwl_from_sympy: the Piecewise is discontinuous at "
                                  f"{x} = {hi} (values {left}, {at}, {right})")
            pts.append((hi, left))
    return PiecewiseLinear.from_points(pts, left_slope=fs[0].left_slope,
                                       right_slope=fs[-1].right_slope)


_TOKEN = re.compile(r"\s*(?:(?P<num>(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][-+]?\d+(?:_\d+)*)?"
                    r"|\d+(?:_\d+)*\.)|(?P<name>[A-Za-z_][A-Za-z0-9_]*)|(?P<op>\*\*|[-+*/(),]))")
_FUNCS = {"max": "max", "Max": "max", "min": "min", "Min": "min", "abs": "abs",
          "Abs": "abs", "relu": "relu"}
_MAX_TEXT = 10_000
_MAX_DEPTH = 200


class _Parser:
    """A tiny recursive-descent parser for strings such as ``"max(0, 2*x - 1) + abs(x)/3"``.

    It reads numbers (through :func:`~relugeom.as_rational`), one variable, ``+ - * /``,
    parentheses and ``max``/``Max``, ``min``/``Min``, ``abs``/``Abs``, ``relu``, and builds
    the :class:`~relugeom.PiecewiseLinear` directly. Nothing is ever evaluated as code."""

    def __init__(self, text: str, var: str | None):
        self.text, self.var, self.pos, self.depth = text, var, 0, 0
        self.toks: list[tuple[str, str, int]] = []
        pos = 0
        while pos < len(text):
            if text[pos:].strip() == "":
                break
            m = _TOKEN.match(text, pos)
            if m is None or m.end() == pos:
                self.fail(f"unexpected character {text[pos:].lstrip()[:1]!r} at position "
                          f"{pos}")
            kind = m.lastgroup
            self.toks.append((kind, m.group(kind), m.start(kind)))
            pos = m.end()

    def fail(self, msg: str) -> None:
        raise DomainError(f"pwl_from_sympy: cannot read {short(self.text)}: {msg} "
                          f"(supported: numbers, one variable, + - * /, parentheses, "
                          f"max, min, abs, relu; pass a sympy expression for Piecewise)")

    def peek(self) -> tuple[str, str, int] | None:
        return self.toks[self.pos] if self.pos < len(self.toks) else None

    def take(self, op: str | None = None) -> tuple[str, str, int]:
        t = self.peek()
        if t is None:
            self.fail("unexpected end" + (f", expected {op!r}" if op else ""))
        if op is not None and t[1] != op:
            self.fail(f"expected {op!r} at position {t[2]}, got {t[1]!r}")
        self.pos += 1
        return t

    def parse(self) -> PiecewiseLinear:
        f = self.expr()
        if self.peek() is not None:
            t = self.peek()
            self.fail(f"unexpected {t[1]!r} at position {t[2]}")
        return f

    def expr(self) -> PiecewiseLinear:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            self.fail(f"nested deeper than {_MAX_DEPTH}")
        f = self.term()
        while self.peek() is not None and self.peek()[1] in "+-":
            op = self.take()[1]
            g = self.term()
            f = f + g if op == "+" else f - g
        self.depth -= 1
        return f

    def term(self) -> PiecewiseLinear:
        f = self.unary()
        while self.peek() is not None and self.peek()[1] in ("*", "/", "**"):
            op = self.take()
            if op[1] == "**":
                self.fail(f"powers ('**' at position {op[2]}) are not piecewise linear")
            g = self.unary()
            if op[1] == "*":
                if _is_const(g):
                    f = f.scale(g(0))
                elif _is_const(f):
                    f = g.scale(f(0))
                else:
                    self.fail(f"the product at position {op[2]} has two non-constant "
                              f"factors, not piecewise linear")
            else:
                if not _is_const(g):
                    self.fail(f"division by a non-constant at position {op[2]}")
                if g(0) == 0:
                    self.fail(f"division by zero at position {op[2]}")
                f = f.scale(1 / g(0))
        return f

    def unary(self) -> PiecewiseLinear:
        t = self.peek()
        if t is not None and t[1] in "+-" and t[0] == "op":
            self.take()
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                self.fail(f"nested deeper than {_MAX_DEPTH}")
            f = self.unary()
            self.depth -= 1
            return -f if t[1] == "-" else f
        return self.atom()

    def atom(self) -> PiecewiseLinear:
        kind, val, at = self.take()
        if kind == "num":
            return PiecewiseLinear.constant(as_rational(val, what="pwl_from_sympy number"))
        if kind == "name":
            nxt = self.peek()
            if nxt is not None and nxt[1] == "(":
                if val not in _FUNCS:
                    self.fail(f"unknown function {val!r} at position {at}")
                self.take("(")
                args = [self.expr()]
                while self.peek() is not None and self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.expr())
                self.take(")")
                fn = _FUNCS[val]
                if fn in ("abs", "relu") and len(args) != 1:
                    self.fail(f"{val} takes one argument, got {len(args)}")
                if fn == "max":
                    return maximum(*args)
                if fn == "min":
                    return minimum(*args)
                if fn == "abs":
                    return maximum(args[0], -args[0])
                return maximum(args[0], PiecewiseLinear.constant(0))
            if self.var is None:
                self.var = val
            if val != self.var:
                self.fail(f"a second variable {val!r} (the variable is {self.var!r})")
            return PiecewiseLinear.identity()
        if val == "(":
            f = self.expr()
            self.take(")")
            return f
        self.fail(f"unexpected {val!r} at position {at}")
        raise AssertionError  # pragma: no cover


def _is_const(f: PiecewiseLinear) -> bool:
    return f.is_affine and f.left_slope == 0


def pwl_from_sympy(expr: Any, x: Any = None) -> PiecewiseLinear:
    """Exact conversion of a sympy expression in one variable built from rationals, +,
    rational *, Max, Min, Abs and continuous Piecewise.

    ``expr`` is a sympy expression, an exact number (int, Fraction, ...), or a string.
    Strings are never passed to sympy (``sympify`` evaluates them as code): a small
    safe parser reads numbers, one variable, ``+ - * /``, parentheses, ``max``,
    ``min``, ``abs`` and ``relu``, and refuses everything else.

    Raises
    ------
    NotExactError
        A float or irrational constant, or ``expr`` of another type.
    DomainError
        Not piecewise linear (``x**2``, a product of two non-constant factors, ...), more
        than one free symbol, or a discontinuous Piecewise.

    Examples
    --------
    >>> import sympy, relugeom as rg
    >>> from relugeom.symbolic import pwl_from_sympy
    >>> x = sympy.Symbol("x")
    >>> f = pwl_from_sympy(sympy.Max(0, 2 * x - 1) + sympy.Abs(x) / 3)
    >>> f.breakpoints, f(1)
    ((Fraction(0, 1), Fraction(1, 2)), Fraction(4, 3))
    >>> pwl_from_sympy(x ** 2)
    Traceback (most recent call last):
    ...
    relugeom.errors.DomainError: pwl_from_sympy: x**2 is not piecewise linear (supported: rationals, x, +, rational *, Max, Min, Abs, Piecewise)
    >>> pwl_from_sympy("max(0, 2*x - 1) + abs(x)/3") == f
    True
    """
    if isinstance(x, sympy.Symbol):
        name = x.name
    elif x is None or isinstance(x, str):
        name = x
    else:
        raise NotExactError(f"pwl_from_sympy: x must be a sympy Symbol or a name, got "
                            f"{short(x)} of type {type(x).__name__}")
    if isinstance(expr, str):
        if len(expr) > _MAX_TEXT:
            raise DomainError(f"pwl_from_sympy: the string {short(expr)} is longer than "
                              f"{_MAX_TEXT} characters")
        return _Parser(expr, name).parse()
    if not isinstance(expr, sympy.Basic):
        if isinstance(expr, (bytes, bytearray)) or expr is None or isinstance(expr, bool):
            raise NotExactError(f"pwl_from_sympy: expected a sympy expression or a string, "
                                f"got {short(expr)} of type {type(expr).__name__}")
        try:                                     # an exact number: a constant
            return PiecewiseLinear.constant(as_rational(expr, what="pwl_from_sympy"))
        except NotExactError:
            raise NotExactError(f"pwl_from_sympy: expected a sympy expression, a string or "
                                f"an exact number, got {short(expr)} of type "
                                f"{type(expr).__name__}") from None
    free = sorted(expr.free_symbols, key=str)
    if x is None:
        if len(free) > 1:
            raise DomainError(f"pwl_from_sympy: {expr} has several free symbols {free}; "
                              f"pass x=")
        x = free[0] if free else sympy.Symbol("x")
    elif isinstance(x, str):
        x = next((s for s in free if s.name == x), sympy.Symbol(x))
    return _from(expr, x)

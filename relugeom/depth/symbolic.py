"""Symbolic proofs over the whole parameter continuum.

The proofs build the hard family with *symbolic* parameters and show, for every point of
the open simplex at once, that its breakpoints are strictly increasing (hence w^k pieces
on [0, M]), and prove the closed-form claims of Corollary 3.4 for every integer k. The
sympy bridges ``pwl_to_sympy`` / ``pwl_from_sympy`` live in
:mod:`relugeom.depth.pwl_sympy` and are re-exported here.

>>> import relugeom as rg
>>> from relugeom.symbolic import prove_hard_family_pieces
>>> prove_hard_family_pieces(3, 2).holds
True
"""
from __future__ import annotations

import dataclasses
from fractions import Fraction
from typing import Any

import sympy

from ..errors import DomainError
from .pwl_sympy import pwl_from_sympy, pwl_to_sympy

__all__ = ["pwl_to_sympy", "pwl_from_sympy", "Proof", "symbolic_hard_breakpoints",
           "prove_hard_family_pieces", "prove_hard_family_induction", "construction_matches",
           "prove_corollary_3_4", "prove_gap_minimum", "prove_zigzag_step",
           "prove_hard_family_every_k", "prove_hard_family_alternation"]


# ----------------------------------------------------------------------------- proofs
@dataclasses.dataclass(frozen=True)
class Proof:
    """The outcome of a symbolic proof: the statement, whether it holds, and its steps."""

    statement: str
    holds: bool
    steps: tuple[str, ...]
    scope: str = "all parameters"


def _simplex_point(j: int, p: int, M: sympy.Symbol) -> tuple[list[sympy.Expr], list]:
    gaps = sympy.symbols(f"g{j}_0:{p + 1}", positive=True)
    total = sum(gaps)
    a = [M * sum(gaps[:i]) / total for i in range(1, p + 1)]
    return a, list(gaps)


def symbolic_hard_breakpoints(w: int, k: int) -> tuple[tuple[sympy.Expr, ...], list]:
    """Breakpoints on [0, M] (0 and M included) of H with symbolic parameters.

    Layer j's point is a^j_i = M (g_0 + ... + g_{i-1}) / (g_0 + ... + g_p) with positive
    gaps g: every point of Delta^{w-1}_M arises this way. Returns the breakpoints and the
    list of symbols (M first).

    Examples
    --------
    >>> from relugeom.symbolic import symbolic_hard_breakpoints
    >>> bps, syms = symbolic_hard_breakpoints(2, 2)
    >>> len(bps), len(syms)
    (5, 5)
    """
    from ..errors import NotExactError, TooLargeError
    from ..numbers.rational import short
    for name, v in (("w", w), ("k", k)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise NotExactError(f"symbolic_hard_breakpoints: {name} must be an integer, got "
                                f"{short(v)} ({type(v).__name__})")
    if w < 2 or k < 1:
        raise DomainError(f"need w >= 2 and k >= 1, got w={short(w)}, k={short(k)}")
    # w^k + 1 symbolic expressions: refused up front past 5,000 (sympy time and memory)
    if k * (w.bit_length() - 1) > 13 or w ** k > 5000:
        raise TooLargeError(f"symbolic_hard_breakpoints: w^k = {short(w)}^{short(k)} "
                            f"symbolic points, over the 5000 this builds (the numeric "
                            f"families.hard_function has no such limit)")
    M, syms, layers = _symbolic_layers(w, k)
    pts = [sympy.Integer(0), *layers[-1], M]
    for a in reversed(layers[:-1]):
        e = [sympy.Integer(0), *a, M]
        out = []
        for i in range(w):
            s = (e[i + 1] - e[i]) / M
            src = pts[:-1] if i % 2 == 0 else pts[::-1][:-1]
            c = e[i] if i % 2 == 0 else e[i + 1]
            sign = 1 if i % 2 == 0 else -1
            out += [c + sign * s * y for y in src]
        pts = out + [M]
    return tuple(pts), syms


def _symbolic_layers(w: int, k: int) -> tuple[sympy.Symbol, list, list]:
    """M, every symbol (M first), and the k layers' symbolic simplex points a^1..a^k."""
    M = sympy.Symbol("M", positive=True)
    syms: list = [M]
    layers = []
    for j in range(k):
        a, g = _simplex_point(j + 1, w - 1, M)
        layers.append(a)
        syms += g
    return M, syms, layers


def _positive_rational(expr: sympy.Expr, syms: list) -> bool:
    """True when ``expr`` is a ratio P/Q of polynomials in ``syms`` where each of P, Q has
    coefficients of one sign and the two signs agree: then ``expr`` > 0 for all positive
    values of the symbols."""
    num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))
    signs = []
    for part in (num, den):
        coeffs = sympy.Poly(sympy.expand(part), *syms).coeffs()
        if not coeffs:
            return False
        if all(c > 0 for c in coeffs):
            signs.append(1)
        elif all(c < 0 for c in coeffs):
            signs.append(-1)
        else:
            return False
    return signs[0] == signs[1]


def prove_hard_family_pieces(w: int, k: int) -> Proof:
    """Prove that every H_{a^1..a^k}, a^i in Delta^{w-1}_M, has exactly w^k pieces on
    [0, M], for all parameters at once.

    The inside-out construction gives w^k + 1 symbolic points with values alternating
    0, M. Each consecutive difference, in the positive gap variables, is a ratio of
    polynomials whose coefficients are all positive, so it is positive on the whole
    parameter set; the points are strictly increasing, the values alternate, hence every
    interior point is a genuine breakpoint and there are exactly w^k pieces.

    Examples
    --------
    >>> from relugeom.symbolic import prove_hard_family_pieces
    >>> prove_hard_family_pieces(2, 2).holds
    True
    """
    pts, syms = symbolic_hard_breakpoints(w, k)
    ok = len(pts) == w ** k + 1
    bad = None
    for i in range(len(pts) - 1):
        if not _positive_rational(pts[i + 1] - pts[i], syms):
            ok, bad = False, i
            break
    steps = (f"parametrise each a^j by {w} positive gaps and M > 0 ({len(syms)} symbols)",
             f"inside-out construction: {len(pts)} points x_0 = 0 < ... < x_{len(pts) - 1} = M,"
             f" values alternating 0, M",
             "each x_(i+1) - x_i = P/Q with P, Q polynomials with positive coefficients"
             if ok else f"difference {bad} is not a positive-coefficient ratio",
             f"so {w ** k} pieces on [0, M] for every parameter point" if ok else "no proof")
    return Proof(f"H has {w}^{k} = {w ** k} pieces on [0, M] (w={w}, k={k})", ok, steps,
                 "all of (Delta^{w-1}_M)^k, all M > 0")


def prove_corollary_3_4() -> Proof:
    """Prove: for every integer k >= 3, (1/2) k^(k+1) - 1 > k^3 (the shallow bound of
    Corollary 3.4 exceeds the deep network's size).

    Steps: k^(k+1) >= k^4 for k >= 3 (k > 1, exponent k + 1 >= 4); and with k = 3 + t,
    k^4/2 - 1 - k^3 expands to a polynomial in t >= 0 with positive coefficients. For
    k = 2 the claim fails (3 < 8): the row reports it.

    Examples
    --------
    >>> from relugeom.symbolic import prove_corollary_3_4
    >>> prove_corollary_3_4().holds
    True
    """
    t = sympy.Symbol("t", nonnegative=True)
    k = 3 + t
    poly = sympy.Poly(sympy.expand(k ** 4 / 2 - 1 - k ** 3), t)
    ok = all(c > 0 for c in poly.coeffs()) and poly.eval(0) > 0
    kk = sympy.Symbol("k", positive=True)
    mono = sympy.simplify(sympy.diff((kk + 1) * sympy.log(kk), kk)) == sympy.log(kk) + 1 + 1 / kk
    return Proof("(1/2) k^(k+1) - 1 > k^3 for all integers k >= 3", bool(ok and mono),
                 ("k^(k+1) >= k^4 for k >= 3 (log k^(k+1) = (k+1) log k, increasing)",
                  f"k = 3 + t: k^4/2 - 1 - k^3 = {poly.as_expr()}, all coefficients > 0"),
                 "all integers k >= 3")


def prove_gap_minimum() -> Proof:
    """Prove: for integers k >= 2, x -> (1/2) x k^(k^2/x) - 1 is decreasing on [1, k], so
    the Theorem 3.1 bound for the Corollary 3.4 family is smallest at k' = k.

    d/dx log(x k^(k^2/x)) = (x - k^2 log k) / x^2, negative for x <= k because
    k^2 log k > k (k log k > 1 for k >= 2: true at k = 2, increasing).

    Examples
    --------
    >>> from relugeom.symbolic import prove_gap_minimum
    >>> prove_gap_minimum().holds
    True
    """
    x, k = sympy.symbols("x k", positive=True)
    d = sympy.simplify(sympy.diff(sympy.log(x) + k ** 2 / x * sympy.log(k), x))
    ok1 = sympy.simplify(d - (x - k ** 2 * sympy.log(k)) / x ** 2) == 0
    ok2 = bool(2 * sympy.log(2) > 1)
    ok3 = sympy.simplify(sympy.diff(k * sympy.log(k), k) - (sympy.log(k) + 1)) == 0
    return Proof("(1/2) k' k^(k^2/k') - 1 is smallest at k' = k over 1 <= k' <= k",
                 bool(ok1 and ok2 and ok3),
                 (f"d/dx log(x k^(k^2/x)) = {d}",
                  "x <= k < k^2 log k since k log k >= 2 log 2 > 1 (k log k increasing)"),
                 "all integers k >= 2")


def prove_hard_family_induction() -> Proof:
    """The paper's prose induction for Theorem 3.2 written out, with its algebraic steps
    checked on its own symbols. It reads neither the toolkit's h_a nor H, so it cannot
    detect a wrong construction: ``relugeom verify`` uses
    :func:`prove_hard_family_every_k` (premises the toolkit's own h_a) and
    :func:`prove_hard_family_alternation` instead.

    Claim, for every w >= 2, k >= 1, M > 0 and every parameter point:
    H = h_{a^k} o ... o h_{a^1} has exactly w^k pieces on [0, M], that it interpolates its
    w^k + 1 breakpoints 0 = x_0 < ... < x_{w^k} = M with values alternating 0, M, M, ...
    (so every piece maps onto [0, M]), and that the inside-out construction of
    :func:`symbolic_hard_breakpoints` lists exactly these points.

    Induction on the number of layers, from the outside in. Hypothesis for
    G = h_{a^k} o ... o h_{a^(j+1)}: points 0 = y_0 < ... < y_N = M, G linear between
    consecutive ones, G(y_l) alternating 0, M. Base (G = h_{a^k}): the points
    0 < a_1 < ... < a_{w-1} < M with alternating values, by the definition of h_a. Step
    (G o h_a): h_a maps each branch [e_i, e_(i+1)] (e = 0, a_1, ..., M) linearly onto
    [0, M], increasing for even i and decreasing for odd i. The pulled-back points are
    e_i + s y_l (even i) and e_(i+1) - s y_l (odd i, l descending), s = (e_(i+1) - e_i)/M.
    Checked symbolically with e_i, the gap, y_l, the difference y_(l+1) - y_l and M as
    positive symbols (so for every branch of every w at once):

    * each new difference equals s (y_(l+1) - y_l): positive, as s > 0 (positivity
      propagates from the inner difference);
    * h_a at the pulled-back point equals y_l, so G o h_a takes the value G(y_l) there:
      values keep alternating, and G o h_a is linear between consecutive points (one
      branch of h_a, one piece of G);
    * branch ends coincide: e_i + s M = e_(i+1), e_(i+1) - s M = e_i; so w N + 1 points,
      and N_(j+1) = w N_j gives w^k;
    * alternating values at consecutive points make every interior point a strict local
      extremum: a genuine breakpoint; so exactly w^k pieces.

    Examples
    --------
    >>> from relugeom.symbolic import prove_hard_family_induction
    >>> pr = prove_hard_family_induction()
    >>> pr.holds, pr.scope
    (True, 'all w >= 2, k >= 1, M > 0, all of (Delta^{w-1}_M)^k')
    """
    M, e, g, y, d = sympy.symbols("M e_i gap y_l dy", positive=True)
    e1 = e + g                               # e_(i+1) > e_i
    s = (e1 - e) / M
    up = lambda t: M * (t - e) / (e1 - e)      # noqa: E731  h_a on an even branch
    down = lambda t: M * (e1 - t) / (e1 - e)   # noqa: E731  h_a on an odd branch
    ok = []
    # even branch: x_l = e + s y_l
    xe = lambda t: e + s * t                   # noqa: E731
    ok.append(sympy.simplify(xe(y + d) - xe(y) - s * d) == 0)
    ok.append(sympy.simplify(up(xe(y)) - y) == 0)
    ok.append(sympy.simplify(xe(M) - e1) == 0 and xe(0) == e)
    # odd branch: x = e1 - s y_l, points in descending l
    xo = lambda t: e1 - s * t                  # noqa: E731
    ok.append(sympy.simplify(xo(y) - xo(y + d) - s * d) == 0)
    ok.append(sympy.simplify(down(xo(y)) - y) == 0)
    ok.append(sympy.simplify(xo(M) - e) == 0 and sympy.simplify(xo(0) - e1) == 0)
    pos = _positive_rational(s * d, [M, g, d])
    w, j = sympy.symbols("w j", positive=True, integer=True)
    count = sympy.simplify(w * w ** j - w ** (j + 1)) == 0
    holds = bool(all(ok) and pos and count)
    steps = ("base: h_{a^k} interpolates 0 < a_1 < ... < a_{w-1} < M with values 0, M, 0, "
             "... (definition of h_a)",
             "step, even branch: (e_i + s y_(l+1)) - (e_i + s y_l) = s dy, h_a(e_i + s y_l) "
             "= y_l, e_i + s M = e_(i+1)",
             "step, odd branch: (e_(i+1) - s y_l) - (e_(i+1) - s y_(l+1)) = s dy, "
             "h_a(e_(i+1) - s y_l) = y_l, e_(i+1) - s M = e_i",
             "s dy = gap dy / M > 0 (positive-coefficient ratio): differences stay "
             "positive; values G(y_l) keep alternating 0, M",
             "w branches of N + 1 points sharing ends: w N + 1 points; w * w^j = w^(j+1)",
             "alternating values => each interior point is a breakpoint and each piece "
             "maps onto [0, M]: exactly w^k pieces")
    return Proof("H has w^k pieces on [0, M], values alternating 0, M at its breakpoints, "
                 "for every w, k, M and parameter point", holds, steps,
                 "all w >= 2, k >= 1, M > 0, all of (Delta^{w-1}_M)^k")


def construction_matches(w: int, k: int, seed: int = 0) -> bool:
    """At a random rational parameter point, the points of
    :func:`symbolic_hard_breakpoints` (gaps and M substituted) are exactly H's
    breakpoints on [0, M] with 0 and M, and H takes the values 0, M, 0, ... there
    (H built independently by :func:`relugeom.families.hard_function`).

    >>> from relugeom.symbolic import construction_matches
    >>> construction_matches(3, 2)
    True
    """
    import random
    from .families import hard_function
    rng = random.Random(seed)
    pts, syms = symbolic_hard_breakpoints(w, k)
    vals = {s: sympy.Rational(rng.randint(1, 9), rng.randint(1, 5)) for s in syms}
    xs = [sympy.Rational(sympy.cancel(p.subs(vals))) for p in pts]
    xs = [Fraction(int(x.p), int(x.q)) for x in xs]
    M = xs[-1]
    params: list[list[Fraction]] = []
    for j in range(k):
        gs = [vals[s] for s in syms if s.name.startswith(f"g{j + 1}_")]
        tot = sum(gs)
        params.append([Fraction(int(q.p), int(q.q)) for q in
                       (vals[syms[0]] * sum(gs[:i]) / tot for i in range(1, w))])
    H = hard_function(params, M)
    inner = [b for b in H.breakpoints if 0 < b < M]
    alt = all(H(x) == (M if i % 2 else 0) for i, x in enumerate(xs))
    return inner == xs[1:-1] and alt and xs[0] == 0


# ------------------------------------------------------- proofs on the toolkit's own h_a
def _sign(expr: Any, syms: list) -> int | None:
    """+1, -1 or 0 when ``expr`` is 0 or a ratio P/Q of polynomials in ``syms`` each
    with coefficients of one sign: then its sign is the same for all positive values of
    the symbols. ``None`` when this test cannot decide."""
    num, den = sympy.fraction(sympy.cancel(sympy.together(expr)))
    if num == 0:
        return 0
    out = 1
    for part in (num, den):
        coeffs = sympy.Poly(part, *syms).coeffs()
        if all(c > 0 for c in coeffs):
            continue
        if all(c < 0 for c in coeffs):
            out = -out
            continue
        return None
    return out


def _toolkit_branches(a: list, M: Any) -> tuple[list, list]:
    """The toolkit's own zig-zag, with symbolic entries: its interpolation points
    (``families._zigzag_points``, the points ``families.zigzag`` is built from) and its
    inverse branches (``families._layer_maps``, the maps ``hard_function`` uses)."""
    from . import families
    return families._zigzag_points(a, M), families._layer_maps(a, M)


def _h_on_branch(pts: list, i: int, y: Any) -> Any:
    """The broken line through ``pts`` evaluated on its i-th segment."""
    (x0, v0), (x1, v1) = pts[i], pts[i + 1]
    return v0 + (v1 - v0) * (y - x0) / (x1 - x0)


def _branch_signs(pts: list, y: Any, syms: list) -> list[int | None]:
    return [_sign(y - x, syms) for x, _ in pts]


def prove_zigzag_step(w: int) -> Proof:
    """The one-step lemma of Theorem 3.2 for one w, over the whole simplex, on the
    toolkit's own h_a: for a in Delta^{w-1}_M (positive gaps, M > 0) the points of
    ``families._zigzag_points`` increase from 0 to M with values alternating 0, M; each
    inverse branch (c, s) of ``families._layer_maps`` sends [0, M] onto the i-th segment
    (c + s*0 and c + s*M are its ends) and h_a(c + s y) = y for every y (the branch is
    a right inverse of h_a on its segment); increasing and decreasing branches alternate.

    >>> from relugeom.symbolic import prove_zigzag_step
    >>> prove_zigzag_step(3).holds
    True
    """
    M = sympy.Symbol("M", positive=True)
    y = sympy.Symbol("y", positive=True)
    a, gaps = _simplex_point(1, w - 1, M)
    syms = [M, *gaps]
    pts, maps = _toolkit_branches(a, M)
    ok = len(pts) == w + 1 and len(maps) == w and pts[0][0] == 0 and \
        sympy.simplify(pts[-1][0] - M) == 0
    ok = ok and all(_sign(q[0] - p[0], syms) == 1 for p, q in zip(pts, pts[1:]))
    ok = ok and all(sympy.simplify(v - (M if i % 2 else 0)) == 0
                    for i, (_, v) in enumerate(pts))
    for i, (c, s) in enumerate(maps):
        ends = sorted([c, c + s * M], key=lambda e: 0 if _sign(e - pts[i][0], syms) == 0
                      else 1)
        ok = ok and _sign(ends[0] - pts[i][0], syms) == 0 and \
            _sign(ends[1] - pts[i + 1][0], syms) == 0
        ok = ok and sympy.simplify(_h_on_branch(pts, i, c + s * y) - y) == 0
        ok = ok and _sign(s, syms) == (1 if i % 2 == 0 else -1)
    return Proof(f"one-step lemma for w={w}: the toolkit's h_a maps each of its {w} "
                 f"segments affinely onto [0, M], with right-inverse branches", bool(ok),
                 (f"{len(syms)} positive symbols (M and {w} gaps) cover Delta^{w - 1}_M",
                  "points of families._zigzag_points increase, values 0, M alternate",
                  "each families._layer_maps branch (c, s): ends c, c + sM are the segment's "
                  "ends, h_a(c + s y) = y, sign(s) alternates +, -"),
                 f"all of Delta^{w - 1}_M, all M > 0")


def prove_hard_family_every_k(W: int) -> Proof:
    """Theorem 3.2 for every k >= 1 and 2 <= w <= W, over the whole parameter set, from
    premises about the toolkit's own h_a: the one-step lemma (:func:`prove_zigzag_step`)
    for each w <= W, then induction over k carried out here on abstract symbols.

    Hypothesis for G (j layers): points 0 = y_0 < ... < y_N = M, G affine between
    consecutive ones, G(y_l) alternating 0, M. Step G o h_a: the points are the images
    of the y_l under the w branches (c, s) (reversed on decreasing branches); checked
    symbolically with c, s, y_l, dy > 0 as symbols: consecutive images differ by
    |s| dy > 0 on both kinds of branch; G(h_a(c + s y_l)) = G(y_l) by the lemma, so the
    values keep alternating and G o h_a is affine between consecutive points (one branch
    of h_a, one piece of G); branch ends are shared (lemma), so w N + 1 points; and
    alternating values make each interior point a breakpoint: exactly w^(j+1) pieces."""
    steps = []
    ok = True
    for w in range(2, W + 1):
        pr = prove_zigzag_step(w)
        ok &= pr.holds
        steps.append(f"w={w}: {'lemma proved' if pr.holds else 'LEMMA FAILS'}")
    c, s, y, d = sympy.symbols("c s y_l dy", positive=True)
    up = (c + s * (y + d)) - (c + s * y)                 # increasing branch
    down = (c - s * y) - (c - s * (y + d))               # decreasing branch, reversed
    ok &= sympy.simplify(up - s * d) == 0 and sympy.simplify(down - s * d) == 0
    j = sympy.Symbol("j", positive=True, integer=True)
    wv = sympy.Symbol("w", positive=True, integer=True)
    ok &= sympy.simplify(wv * wv ** j - wv ** (j + 1)) == 0
    steps += ["induction over k: consecutive pulled-back points differ by |s| dy > 0 on "
              "both kinds of branch (symbolic)",
              "values G(y_l) kept at the pulled-back points (lemma: h_a(c + s y) = y); w "
              "branches sharing ends: w N + 1 points, w * w^j = w^(j+1) pieces",
              "base k = 1: the lemma itself (w pieces on [0, M], values alternating)"]
    return Proof(f"H has w^k pieces on [0, M], values alternating 0, M, for every k >= 1 "
                 f"and 2 <= w <= {W}", bool(ok), tuple(steps),
                 f"every k >= 1, 2 <= w <= {W}, all M > 0, all of (Delta^{{w-1}}_M)^k")


def prove_hard_family_alternation(w: int, k: int) -> Proof:
    """Theorem 3.2 at one (w, k) over the whole parameter set, on the toolkit's own
    construction: the w^k + 1 points built inside out with ``families._layer_maps``
    increase (positive-coefficient differences); H = h_{a^k} o ... o h_{a^1}, evaluated
    with the toolkit's h_a (``families._zigzag_points``, the segment of each value
    located by exact sign tests), takes the values 0, M, 0, ... there; and on each
    [x_i, x_(i+1)] every layer sees both ends in one segment of its zig-zag, so H is
    affine there. Hence these points are exactly H's breakpoints and H has w^k pieces.

    >>> from relugeom.symbolic import prove_hard_family_alternation
    >>> prove_hard_family_alternation(2, 2).holds
    True
    """
    from ..errors import TooLargeError
    if w ** k > 40:
        raise TooLargeError(f"prove_hard_family_alternation: w^k = {w ** k} symbolic "
                            f"points, over the 40 this proof handles in seconds")
    M, syms, layers = _symbolic_layers(w, k)
    pts = [sympy.Integer(0), *layers[-1], M]
    for a in reversed(layers[:-1]):
        _, maps = _toolkit_branches(a, M)
        out = []
        for c, s in maps:
            src = pts if _sign(s, syms) == 1 else pts[::-1]
            out += [sympy.cancel(c + s * y) for y in src[:-1]]
        pts = out + [M]
    ok = len(pts) == w ** k + 1
    ok = ok and all(_sign(q - p, syms) == 1 for p, q in zip(pts, pts[1:]))
    # evaluate every point through the layers, keeping each layer's segment signs
    trace: list[list[list[int | None]]] = []
    vals = []
    for x in pts if ok else []:
        y, signs = x, []
        for a in layers:
            zp, _ = _toolkit_branches(a, M)
            sg = _branch_signs(zp, y, syms)
            signs.append(sg)
            i = next((i for i in range(w) if sg[i] in (0, 1) and sg[i + 1] in (0, -1)),
                     None)
            if i is None:
                ok = False
                break
            y = sympy.cancel(_h_on_branch(zp, i, y))
        trace.append(signs)
        vals.append(y)
    ok = ok and all(sympy.simplify(v - (M if i % 2 else 0)) == 0 for i, v in enumerate(vals))
    # affine between consecutive points: at every layer both ends in one segment
    for t0, t1 in zip(trace, trace[1:]) if ok else []:
        for s0, s1 in zip(t0, t1):
            if not any(s0[i] in (0, 1) and s1[i] in (0, 1) and s0[i + 1] in (0, -1)
                       and s1[i + 1] in (0, -1) for i in range(w)):
                ok = False
    return Proof(f"H has {w}^{k} = {w ** k} pieces on [0, M] (w={w}, k={k}), the toolkit's "
                 f"construction", bool(ok),
                 (f"{len(syms)} positive symbols cover (Delta^{w - 1}_M)^{k} and M > 0",
                  f"{len(pts)} points from families._layer_maps, strictly increasing",
                  "H at each point (the toolkit's h_a, segments located by exact sign "
                  "tests) alternates 0, M",
                  "between consecutive points each layer stays on one segment: H affine"),
                 "all of (Delta^{w-1}_M)^k, all M > 0")

"""Two-hidden-layer certificates for max(x_1, ..., x_n), decided exactly.

A certificate is the JSON object ``{"n": n, "terms": [{"coefficient": "p/q",
"pair": [L, R]}, ...]}``; L and R are lists of 1-based index pairs [a, b] ([a, a] means
x_a). It describes

    F(x) = sum_t c_t sum_{s in S_n} max( sum_{[a,b] in L_t} max(x_s(a), x_s(b)),
                                          sum_{[a,b] in R_t} max(x_s(a), x_s(b)) )

and claims F = max(x_1, ..., x_n) on R^n. F is a two-hidden-layer network (first layer:
pairwise maxima max(x_a, x_b) = x_b + relu(x_a - x_b); second: max(A, B) = A + relu(B - A)),
see :func:`certificate_network`. The published certificates for n = 5..10 (Rueß et al.,
arXiv 2607.21651) ship with relugeom: :func:`published`.

How the claim is decided (:func:`decide`), and why it is sound
--------------------------------------------------------------
1. *Symmetry.* F(P x) = F(x) for every permutation P, by construction: F sums a function
   over all of S_n, and re-indexing s -> s o P permutes the summands. max is symmetric too.
   Every x is a permutation of a point of the sorted cone C = {x_1 >= ... >= x_n}, so
   F = max on R^n iff F = max on C. (Nothing is assumed about the coefficients.)
2. *Linear first layer on C.* On C, max(x_a, x_b) = x_min(a,b): exact, so each
   A_t o s, B_t o s is a linear form and F|C = sum_t c_t sum_s (A + relu(B - A)), a
   one-hidden-layer function; max|C = x_1.
3. *The sum over S_n without n!* (:mod:`relugeom.depth.certificate_dp`): the linear part in
   closed form, the rows B - A with their multiplicities by a dynamic programme over the
   subsets of each term's indices (exponential in n, not factorial).
4. *Canonical hinge form on C*: primitive integer normals, opposite normals merged
   (relu(-h) = relu(h) - h); a hinge whose hyperplane misses the interior of C is affine on
   C (decided exactly from h . 1 and the prefix sums of h). The remaining hinges cross C's
   interior, so the form is canonical: F|C = x_1 iff no hinge is left and the linear part
   is x_1.

When the claim is false, :func:`decide` returns an exact rational point with distinct
coordinates where F and max differ, confirmed by evaluating F there again from the terms
(:func:`evaluate`: the point sorted once, the same rows, no sum over n!).

>>> cert = load_certificate(MAX5_EXAMPLE)
>>> res = decide(cert)
>>> res.holds, res.n, res.method
(True, 5, 'sorted cone + subset dynamic programme')
>>> bad = decide(load_certificate(MAX5_EXAMPLE.replace("1/80", "1/81")))
>>> bad.holds, evaluate(bad.cert, bad.counterexample) != max(bad.counterexample)
(False, True)
"""
from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import (
    DimensionError,
    DomainError,
    NotExactError,
    RelugeomError,
    SerializationError,
    TooLargeError,
)
from .certificate_dp import ConeCoefficients, cone_coefficients, evaluate_sorted
from .certificate_network import certificate_network, combinator_network, network_widths
from .certificate_orders import (
    ConeForm,
    decide_reference,
    evaluate_literal,
    orders_form,
    sorted_cone_form,
)

__all__ = ["Certificate", "CertificateResult", "load_certificate", "decide",
           "decide_reference", "evaluate", "certificate_network", "sorted_cone_form",
           "cone_form", "MAX5_EXAMPLE", "search", "search_certificate", "decide_certificate",
           "combinator_network", "network_widths", "published", "published_path",
           "orders_form", "ConeForm", "ConeCoefficients"]

MAX5_EXAMPLE = ('{"n": 5, "terms": ['
                '{"coefficient": "1/120", "pair": [[[1,1],[1,1]],[[2,3],[2,3]]]}, '
                '{"coefficient": "-1/60", "pair": [[[1,1],[2,3]],[[2,4],[3,5]]]}, '
                '{"coefficient": "1/80", "pair": [[[1,2],[1,3]],[[1,4],[1,5]]]}]}')

MAX_N = 12                          # n! orders exceed the int64 counters beyond 20
Pairs = tuple[tuple[int, int], ...]          # 0-based index pairs
_DATA_FILES = {5: "certificate_5_2.json", 6: "certificate_6_2.json",
               7: "certificate_7_3.json", 8: "certificate_8_3.json",
               9: "certificate_9_4.json", 10: "certificate_10_4.json"}


def _short(x: Any) -> str:
    from ..numbers.rational import short
    return short(x, 60)


def _decimal(v: int) -> str:
    """Decimal digits of an int of any size (past Python's 4,300-digit limit)."""
    if v.bit_length() < 13_000:
        return str(v)
    if v < 0:
        return "-" + _decimal(-v)
    m = int(v.bit_length() * 0.30103) // 2
    hi, lo = divmod(v, 10 ** m)
    return _decimal(hi) + _decimal(lo).rjust(m, "0")


def _fraction_text(c: Fraction) -> str:
    return _decimal(c.numerator) + ("" if c.denominator == 1 else
                                    "/" + _decimal(c.denominator))


def _coef_repr(c: Any) -> str:
    """repr of a coefficient, its digits abbreviated past about 1,000 (short())."""
    if isinstance(c, Fraction) and max(c.numerator.bit_length(),
                                       c.denominator.bit_length()) > 3000:
        return f"Fraction('{_short(c)}')"
    return repr(c)


@dataclass(frozen=True)
class Certificate:
    """A parsed certificate: ``n`` and terms ``(c, L, R)`` with 0-based index pairs."""

    n: int
    terms: tuple[tuple[Fraction, Pairs, Pairs], ...]

    def __repr__(self) -> str:
        """The dataclass form; coefficients past Python's 4,300-digit conversion limit
        abbreviated (never raises)."""
        terms = ", ".join(f"({_coef_repr(c)}, {L!r}, {R!r})" for c, L, R in self.terms)
        return f"Certificate(n={self.n}, terms=({terms}{',' if len(self.terms) == 1 else ''}))"

    def __post_init__(self) -> None:
        if isinstance(self.n, bool) or not isinstance(self.n, int) or self.n < 1:
            raise DomainError(f"Certificate: n must be a positive int, got {_short(self.n)}")
        if self.n > MAX_N:
            raise TooLargeError(f"Certificate: n = {self.n} is over the supported {MAX_N}")
        if not isinstance(self.terms, (tuple, list)):
            raise DomainError(f"Certificate: terms must be a tuple, got {_short(self.terms)}")
        try:                              # sides as tuples of tuples (lists accepted)
            terms = tuple((t[0], tuple(tuple(p) for p in t[1]), tuple(tuple(p) for p in t[2]))
                          if isinstance(t, (tuple, list)) and len(t) == 3
                          and all(isinstance(x, (tuple, list)) for x in t[1:]) else t
                          for t in self.terms)
        except TypeError:
            terms = tuple(self.terms)
        object.__setattr__(self, "terms", terms)
        for i, t in enumerate(self.terms):
            if not (isinstance(t, tuple) and len(t) == 3 and isinstance(t[0], Fraction)):
                raise DomainError(f"Certificate: term {i} must be (Fraction, L, R), got "
                                  f"{_short(t)}")
            for side in t[1:]:
                if not isinstance(side, tuple) or not side or any(
                        not (isinstance(p, tuple) and len(p) == 2 and all(
                            isinstance(v, int) and not isinstance(v, bool)
                            and 0 <= v < self.n for v in p)) for p in side):
                    raise DimensionError(f"Certificate: term {i} has pairs {_short(side)}; "
                                         f"need a non-empty tuple of 0-based index pairs "
                                         f"below n = {self.n}")

    def to_json(self) -> str:
        """The published format (1-based pairs); coefficients of any length."""
        return json.dumps({"n": self.n, "terms": [
            {"coefficient": _fraction_text(c),
             "pair": [[[a + 1, b + 1] for a, b in L], [[a + 1, b + 1] for a, b in R]]}
            for c, L, R in self.terms]})


# ------------------------------------------------------------------ reading
def _read_file(path: Any) -> str:
    """A certificate file's text (:mod:`relugeom.files`: regular files only, at most
    ``max_file_bytes``, UTF-8; typed errors)."""
    from ..files import read_text_file
    return read_text_file(path, what="certificate")


def _decode(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SerializationError(f"certificate: {where} is not UTF-8 text ({exc.reason} "
                                 f"at byte {exc.start})") from None


def _parse_json(text: str) -> Any:
    try:
        return json.loads(text)
    except RecursionError:
        raise SerializationError("certificate: the JSON is nested too deeply; expected "
                                 "{\"n\": n, \"terms\": [...]}") from None
    except ValueError as exc:
        raise SerializationError(f"certificate: not valid JSON ({_short(str(exc))})") \
            from None


def _coefficient(c: Any, i: int) -> Fraction:
    from ..numbers.rational import as_rational
    if isinstance(c, bool) or not isinstance(c, (str, int)):
        raise SerializationError(f"certificate: term {i} coefficient must be a string "
                                 f"'p/q' or an integer, got {_short(c)}")
    try:
        return as_rational(c, what=f"certificate: term {i} coefficient")
    except RelugeomError as exc:
        if isinstance(exc, DomainError) and "exponent" in str(exc):
            raise
        raise SerializationError(f"certificate: term {i} coefficient {_short(c)} is not "
                                 f"a rational 'p/q'") from None


def _pairs(side: Any, i: int, name: str, n: int) -> Pairs:
    if not isinstance(side, list) or not side:
        raise SerializationError(f"certificate: term {i} {name} must be a non-empty "
                                 f"list of index pairs, got {_short(side)}")
    ps = []
    for p in side:
        if not (isinstance(p, list) and len(p) == 2 and all(
                isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= n
                for v in p)):
            raise SerializationError(f"certificate: term {i} {name}: {_short(p)} is "
                                     f"not a pair [a, b] of indices in 1..{n}")
        ps.append((p[0] - 1, p[1] - 1))
    return tuple(ps)


def load_certificate(src: Any) -> Certificate:
    """Parse a certificate from a dict, a JSON string or bytes, or a path to a JSON file
    (regular files of at most ``max_file_bytes``, UTF-8).

    Malformed input raises :class:`~relugeom.errors.SerializationError` naming the field;
    a coefficient with an exponent over 10,000 a DomainError, n over 12 TooLargeError.
    """
    if isinstance(src, Certificate):
        return src
    if isinstance(src, os.PathLike) or (isinstance(src, str) and not src.lstrip()
                                        .startswith("{")):
        src = _read_file(src)
    if isinstance(src, (bytes, bytearray)):
        src = _decode(bytes(src), "the input")
    if isinstance(src, str):
        src = _parse_json(src)
    if not isinstance(src, dict):
        raise SerializationError(f"certificate: expected a JSON object, got {_short(src)}")
    n = src.get("n")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise SerializationError(f"certificate: 'n' must be a positive integer, got "
                                 f"{_short(n)}")
    if n > MAX_N:
        raise TooLargeError(f"certificate: n = {n} is over the supported {MAX_N}")
    terms = src.get("terms")
    if not isinstance(terms, list) or not terms:
        raise SerializationError(f"certificate: 'terms' must be a non-empty list, got "
                                 f"{_short(terms)}")
    out = []
    for i, t in enumerate(terms):
        if not isinstance(t, dict) or set(t) != {"coefficient", "pair"}:
            raise SerializationError(f"certificate: term {i} must be an object with keys "
                                     f"'coefficient' and 'pair', got {_short(t)}")
        c = _coefficient(t["coefficient"], i)
        pair = t["pair"]
        if not isinstance(pair, list) or len(pair) != 2:
            raise SerializationError(f"certificate: term {i} 'pair' must be [L, R], got "
                                     f"{_short(pair)}")
        out.append((c, _pairs(pair[0], i, "L", n), _pairs(pair[1], i, "R", n)))
    return Certificate(n, tuple(out))


def published_path(n: int) -> str:
    """The path of the published certificate for n = 5..10 shipped with relugeom."""
    if isinstance(n, bool) or n not in _DATA_FILES:
        raise DomainError(f"published: no certificate for n = {_short(n)}; relugeom ships "
                          f"n = {', '.join(map(str, sorted(_DATA_FILES)))}")
    return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "data", "certificates", _DATA_FILES[n])


def published(n: int) -> Certificate:
    """The published certificate for max(x_1..x_n), n = 5..10 (arXiv 2607.21651)."""
    return load_certificate(published_path(n))


def _as_certificate(cert: Any) -> Certificate:
    if isinstance(cert, Certificate):
        return cert
    if isinstance(cert, (dict, str, bytes, bytearray, os.PathLike)):
        return load_certificate(cert)
    raise NotExactError(f"expected a Certificate (or what load_certificate reads), got "
                        f"{_short(cert)}")


# ------------------------------------------------------------------ evaluation
def _point(cert: Certificate, x: Any, what: str = "evaluate") -> tuple[Fraction, ...]:
    """x as n exact rationals; strings, sets, mappings, floats and booleans refused."""
    from ..numbers.rational import as_rational
    if isinstance(x, (str, bytes, bytearray)):
        raise DimensionError(f"{what}: the point must be a sequence of {cert.n} rationals, "
                             f"got the string {_short(x)}")
    if isinstance(x, (set, frozenset, dict)) or not hasattr(x, "__len__") or \
            not hasattr(x, "__getitem__"):
        raise DimensionError(f"{what}: the point must be an ordered sequence of {cert.n} "
                             f"rationals, got {_short(x)}")
    if len(x) != cert.n:
        raise DimensionError(f"{what}: the certificate has n = {cert.n}, the point "
                             f"{len(x)} coordinates")
    return tuple(as_rational(v, what=f"{what}: coordinate {i + 1}") for i, v in
                 enumerate(x))


def evaluate(cert: Certificate, x: Sequence[Any], *, full: bool | None = None) -> Fraction:
    """F(x) exactly.

    Default: x sorted once (F is symmetric), then the subset programme's rows
    (:func:`relugeom.depth.certificate_dp.evaluate_sorted`): never a sum over n!.
    ``full=True`` sums over all n! permutations literally, ``full=False`` over the
    injections of each term's indices (weight (n - k)!); both are the brute force of the
    tests and are refused beyond their size limit.
    """
    cert = _as_certificate(cert)
    pt = _point(cert, x)
    if full is None:
        return evaluate_sorted(cert.n, cert.terms, [pt])[0]
    return evaluate_literal(cert, pt, full=bool(full))


def cone_form(cert: Certificate, *, executor: Any = None, workers: int | None = None,
              progress: bool = False,
              points: Sequence[Sequence[Fraction]] | None = None) -> ConeCoefficients:
    """F on the sorted cone x_1 >= ... >= x_n in canonical form (subset programme);
    with ``points``, F there too (``values``), from the same pass."""
    cert = _as_certificate(cert)
    if executor is not None and not callable(getattr(executor, "submit", None)):
        raise NotExactError(f"executor= needs a submit(fn, arg) method (a "
                            f"concurrent.futures executor, a dask Client), got "
                            f"{_short(executor)}")
    if workers is not None and executor is None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
            raise DomainError(f"workers must be a positive int, got {_short(workers)}")
        if workers > 1:
            from concurrent.futures import ProcessPoolExecutor
            ex = ProcessPoolExecutor(workers)
            try:
                out = cone_coefficients(cert.n, cert.terms, executor=ex, progress=progress,
                                        points=points)
            except BaseException:         # Ctrl-C: drop the queued shares, do not wait
                ex.shutdown(wait=False, cancel_futures=True)
                raise
            ex.shutdown()
            return out
    return cone_coefficients(cert.n, cert.terms, executor=executor, progress=progress,
                             points=points)


# ------------------------------------------------------------------ the decision
@dataclass
class CertificateResult:
    """The outcome of :func:`decide`."""

    cert: Certificate
    holds: bool
    n: int
    method: str
    seconds: float
    hinges: int                          # hyperplanes crossing the cone with c != 0
    counterexample: tuple[Fraction, ...] | None = None
    widths: tuple[int, ...] | None = None
    notes: list[str] = field(default_factory=list)
    value: Fraction | None = None        # F at the counterexample (confirmed)
    directions: int = 0                  # crossing hinge directions before cancelling

    def __repr__(self) -> str:
        """The fields, long numbers abbreviated (never raises)."""
        x = None if self.counterexample is None else \
            "(" + ", ".join(_coef_repr(v) for v in self.counterexample) + ")"
        return (f"CertificateResult(holds={self.holds}, n={self.n}, method={self.method!r}, "
                f"hinges={self.hinges}, counterexample={x}, "
                f"value={None if self.value is None else _coef_repr(self.value)}, "
                f"widths={self.widths}, seconds={self.seconds:.3f}, cert={self.cert!r})")

    def summary(self) -> str:
        """A few lines for the command line (long numbers shortened, never raises)."""
        from ..numbers.rational import short
        lines = [f"verdict: {'TRUE' if self.holds else 'FALSE'}: F "
                 f"{'=' if self.holds else '!='} max(x_1..x_{self.n}) on R^{self.n}",
                 f"n: {self.n}", f"terms: {len(self.cert.terms)}"]
        if self.widths is not None:
            lines.append(f"widths: {self.widths}")
        lines.append(f"method: {self.method} (exact; F symmetric by construction)")
        lines.append(f"hinge directions on the cone: {self.directions} before the terms "
                     f"cancel, {self.hinges} after")
        if self.counterexample is not None:
            x = self.counterexample
            lines.append(f"counterexample: x = ({', '.join(short(v) for v in x)}): "
                         f"F(x) = {short(self.value)}, max(x) = {short(max(x))}")
        lines += self.notes
        lines.append(f"time: {self.seconds:.3f} s")
        return "\n".join(lines)


def decide(cert: Certificate, *, counterexample: bool = True, executor: Any = None,
           workers: int | None = None, progress: bool = False) -> CertificateResult:
    """Decide F = max(x_1..x_n) on R^n exactly (sorted cone + subset programme).

    False: with ``counterexample`` (default) an exact point with distinct coordinates,
    F there confirmed by :func:`evaluate`. ``workers`` (processes) or ``executor`` (a
    concurrent.futures executor or a dask Client) split the terms; ``progress`` shows a
    tqdm bar. Too large a programme raises TooLargeError before it allocates.
    """
    t0 = time.perf_counter()
    cert = _as_certificate(cert)
    rng = random.Random(20261)
    first = [_interior_point(cert.n, rng) for _ in range(_PRE)] if counterexample else None
    form = cone_form(cert, executor=executor, workers=workers, progress=progress,
                     points=first)
    holds = form.is_max()
    pt = val = None
    if not holds and counterexample:
        pt, val = _counterexample(cert, form, rng, first)
    return CertificateResult(cert, holds, cert.n, "sorted cone + subset dynamic programme",
                             time.perf_counter() - t0, len(form.hinges), pt, value=val,
                             directions=form.directions)


decide_certificate = decide


# ------------------------------------------------------------------ counterexamples
def _dot(h: Sequence[int], x: Sequence[Fraction]) -> Fraction:
    return sum((a * b for a, b in zip(h, x)), Fraction(0))


def _interior_point(n: int, rng: random.Random) -> list[Fraction]:
    """A random point with distinct integer coordinates, decreasing."""
    return [Fraction(v) for v in sorted(rng.sample(range(-10 ** 6, 10 ** 6), n),
                                        reverse=True)]


def _crossing_points(form: ConeCoefficients, h: tuple[int, ...],
                     g: list[Fraction]) -> list[tuple[Fraction, ...]]:
    """Points y, y +- eps h around the hyperplane h . x = 0 inside the cone, where no other
    hinge changes sign: F - x_1 has a kink there, so it is nonzero at one of them."""
    n = form.n
    tot = sum(h)
    if tot != 0:
        up = [Fraction(1 if tot > 0 else -1)] * n
        dn = [-v for v in up]
    else:
        pref = [sum(h[:j + 1]) for j in range(n - 1)]
        kp = next((j for j, v in enumerate(pref) if v > 0), None)
        kn = next((j for j, v in enumerate(pref) if v < 0), None)
        if kp is None or kn is None:
            return []                     # h does not cross the cone's interior
        up = [Fraction(1 if i <= kp else 0) for i in range(n)]
        dn = [Fraction(1 if i <= kn else 0) for i in range(n)]
    T = abs(_dot(h, g)) / min(abs(_dot(h, up)), abs(_dot(h, dn))) + 1
    u = [a + T * b for a, b in zip(g, up)]
    w = [a + T * b for a, b in zip(g, dn)]
    hu, hw = _dot(h, u), _dot(h, w)
    y = [(hu * b - hw * a) / (hu - hw) for a, b in zip(u, w)]
    bounds = []
    for o in form.hinges:
        if o == h:
            continue
        oy, oh = _dot(o, y), _dot(o, h)
        if oy == 0:
            return []                     # on another hyperplane: try another g
        if oh != 0:                       # o . (y + t h) keeps its sign for |t| < bound
            bounds.append(abs(oy) / abs(oh))
    for i in range(n - 1):                # stay strictly decreasing
        dh = abs(h[i] - h[i + 1])
        if dh:
            bounds.append((y[i] - y[i + 1]) / dh)
    eps = min(bounds, default=Fraction(1)) / 2
    return [tuple(y), tuple(a + eps * b for a, b in zip(y, h)),
            tuple(a - eps * b for a, b in zip(y, h))]


_PRE = 4          # random points evaluated from the rows during the decision itself


def _counterexample(cert: Certificate, form: ConeCoefficients, rng: random.Random,
                    first: list[list[Fraction]]) -> tuple[tuple[Fraction, ...], Fraction]:
    """An exact point with distinct coordinates where F != max, and F there, confirmed by
    evaluating F from the terms' rows (the point sorted once, no sum over n!): for the
    ``first`` points that evaluation was done in the decision's own pass (``values``),
    for the others (near a hinge, when F - max vanishes at those) in a second pass."""
    n = cert.n

    def diff(x: Sequence[Fraction]) -> Fraction:
        return form(x) - x[0]

    for g, val in zip(first, form.values or []):
        if diff(g) != 0:
            if val == max(g):
                raise RelugeomError(f"internal error: the cone form and the evaluation "
                                    f"of F disagree at {tuple(g)} (please report)")
            return tuple(g), val
    for attempt in range(_PRE, 60):
        g = _interior_point(n, rng)
        cands: list[tuple[Fraction, ...]] = []
        if form.hinges:
            hs = list(form.hinges)
            cands = _crossing_points(form, hs[attempt % len(hs)], g)
        else:                             # affine and not x_1: n + 1 independent points
            cands = [tuple(g)] + [tuple(v + (1 if i <= j else 0) for i, v in enumerate(g))
                                  for j in range(n)]
        cands = [x for x in cands if diff(x) != 0]
        if not cands:
            continue
        vals = evaluate_sorted(n, cert.terms, cands[:1])
        if vals[0] != max(cands[0]):
            return cands[0], vals[0]
        raise RelugeomError(f"internal error: the cone form and the evaluation of F "
                            f"disagree at {cands[0]} (please report)")
    raise RelugeomError("internal error: no counterexample found for a false certificate "
                        "(please report)")


# ------------------------------------------------------------------ search
def search(n: int, k: int = 2, **options: Any) -> Any:
    """Find a certificate for max(x_1..x_n) among the templates with up to ``k`` pairs a
    side, exactly, or prove there is none (a separating functional); see
    :func:`relugeom.depth.search.search` for the options and the result."""
    from .search import search as _search
    return _search(n, k, **options)


def _term_vector(n: int, L: Pairs, R: Pairs) -> tuple[tuple[Fraction, ...],
                                                       dict[tuple[int, ...], Fraction]]:
    f = cone_coefficients(n, [(Fraction(1), L, R)])
    return f.linear, f.hinges
def search_certificate(n: int, candidates: Sequence[tuple[Pairs, Pairs]]) -> \
        Certificate | None:
    """A true certificate sum_t c_t term_t = max on R^n over the given candidate terms
    (0-based pairs), if one exists: the exact linear system "hinge coefficients zero,
    linear part x_1" solved over the rationals (python-flint). None when unsolvable."""
    import flint
    vecs = [_term_vector(n, L, R) for L, R in candidates]
    keys = sorted({h for _, hs in vecs for h in hs})
    kidx = {h: i for i, h in enumerate(keys)}
    m = n + len(keys)
    A = [[Fraction(0)] * len(vecs) for _ in range(m)]
    for j, (lin, hs) in enumerate(vecs):
        for i in range(n):
            A[i][j] = lin[i]
        for h, c in hs.items():
            A[n + kidx[h]][j] = c
    rhs = [Fraction(1 if i == 0 else 0) for i in range(m)]
    M = flint.fmpq_mat([[flint.fmpq(v.numerator, v.denominator) for v in r] + [
        flint.fmpq(b.numerator, b.denominator)] for r, b in zip(A, rhs)])
    R, rank = M.rref()
    cols = len(vecs)
    sol = [Fraction(0)] * cols
    for i in range(rank):
        row = [R[i, j] for j in range(cols + 1)]
        lead = next((j for j in range(cols + 1) if row[j] != 0), None)
        if lead == cols:
            return None                        # inconsistent
        val = row[cols]
        sol[lead] = Fraction(int(val.p), int(val.q))
    terms = tuple((c, L, R) for c, (L, R) in zip(sol, candidates) if c != 0)
    if not terms:
        return None
    cert = Certificate(n, terms)
    return cert if decide(cert, counterexample=False).holds else None



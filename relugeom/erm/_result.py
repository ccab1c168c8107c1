"""The outcome of Algorithm 1: :class:`ERMResult`, its repr and its JSON form.

``rg.to_json(result)`` writes every field exactly (rationals as strings, the network in
the ``ReLUNetwork`` format); ``rg.from_json`` reads it back, also in a fresh process
(the type is resolved by name). ``relugeom erm --json`` prints the same document.

>>> import relugeom as rg
>>> res = rg.erm.fit([[0], [1], [2]], [0, 1, 0], width=1, progress=False, workers=1)
>>> back = rg.from_json(rg.to_json(res))
>>> back.objective == res.objective and back.network == res.network, type(back).__name__
(True, 'ERMResult')
>>> big = rg.erm.fit([[0], [1], [2]], [0, 10**100, 3], width=1, progress=False, workers=1)
>>> big.objective > 10**190, len(repr(big)) < 200, "digits" in repr(big)
(True, True, True)
"""
from __future__ import annotations

import dataclasses
import math
from fractions import Fraction
from typing import Any, Mapping

from ..errors import SerializationError
from ..networks.network import ReLUNetwork
from ..numbers.rational import short

__all__ = ["ERMResult"]


@dataclasses.dataclass(frozen=True)
class ERMResult:
    """The outcome of :func:`fit`.

    Attributes
    ----------
    objective : Fraction
        (1/D) sum_j loss(network(x_j), y_j), computed exactly from ``network``.
    network : ReLUNetwork
        Width ``width``, exact rational weights, output weights +-1.
    fitted : tuple of Fraction
        ``network(x_j)`` for every data point.
    certified : bool
        True when ``objective`` is proven to be the *global* optimum, exactly: the best
        program's point has an exact subgradient certificate, and every other program
        has an exact lower bound >= ``objective`` (an exact dual bound, an exact re-solve
        or an exact coverage bound). Only with ``certify="all"`` and an uninterrupted run.
    program_certified : bool
        The weaker claim: ``objective`` is exactly optimal for its own convex program.
    certify : str
        ``"all"`` (global certificate) or ``"best"`` (only the best programs).
    n_certified_dual, n_certified_exact, n_pruned_exact : int
        Programs proven no better than ``objective`` by an exact dual bound, by an exact
        re-solve (with certificate), and skipped programs proven so by the exact coverage
        bound (0 with ``certify="best"``).
    partial : bool
        True when the run was interrupted (Ctrl-C): the best found so far.
    n_programs, n_programs_paper, n_combinations, n_pruned, n_dichotomies : int
        Programs actually solved; the paper's count 2^w * N^w; unordered sets of
        distinct items (ours, before pruning); sets skipped by the bound; N.
    timings : mapping of str to float
        Seconds for ``enumerate``, ``solve``, ``certify`` and ``total``.
    solver : mapping
        Solver names and statistics.
    """

    objective: Fraction
    network: ReLUNetwork
    fitted: tuple[Fraction, ...]
    loss: str
    width: int
    output_bias: bool
    method: str
    certified: bool
    partial: bool
    n_programs: int
    n_programs_paper: int
    n_combinations: int
    n_pruned: int
    n_dichotomies: int
    timings: Mapping[str, float]
    solver: Mapping[str, Any]
    program_certified: bool = False
    certify: str = "all"
    n_certified_dual: int = 0
    n_certified_exact: int = 0
    n_pruned_exact: int = 0

    def __repr__(self) -> str:
        flags = ("certified" if self.certified else "not certified") + \
            (", partial" if self.partial else "")
        return (f"<ERMResult {self.loss} loss, width {self.width}: objective "
                f"{short(self.objective, 60)} (~{_approx(self.objective)}), {flags}, "
                f"{self.n_programs} programs (paper: {short(self.n_programs_paper)})>")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (exact numbers as strings, hexadecimal parts when huge;
        ``rg.to_json(result)`` is the full document that ``rg.from_json`` reads back)."""
        from ..numbers.encoding import encode_rational as enc
        W, b = self.network.layers[0]
        (c,), (c0,) = self.network.layers[1]
        d = _encode(self)
        d.update({"objective_float": _ldexp_float(self.objective),
                  "units": [{"a": [enc(v) for v in row], "b": enc(bi), "c": enc(ci)}
                            for row, bi, ci in zip(W, b, c)], "c0": enc(c0)})
        return d

    # ------------------------------- conveniences reaching up (one-line delegations)
    def _repr_html_(self) -> str | None:
        from ..paper.reprs import repr_html
        return repr_html(self)


def _approx(q: Fraction) -> str:
    """~float(q) with 6 digits, for values of any size (no OverflowError)."""
    try:
        return f"{float(q):.6g}"
    except OverflowError:
        e = q.numerator.bit_length() - q.denominator.bit_length()
        return f"{'-' if q < 0 else ''}2^{e}"


def _ldexp_float(q: Fraction) -> Any:
    try:
        return float(q)
    except OverflowError:
        return None


# ------------------------------------------------------------------ JSON
_INTS = ("width", "n_programs", "n_programs_paper", "n_combinations", "n_pruned",
         "n_dichotomies", "n_certified_dual", "n_certified_exact", "n_pruned_exact")
_BOOLS = ("output_bias", "certified", "partial", "program_certified")
_STRS = ("loss", "method", "certify")


def _plain(v: Any) -> Any:
    """JSON-safe copy of the timings / solver statistics (non-finite floats -> None)."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, bool) or v is None or isinstance(v, str):
        return v
    if isinstance(v, int):
        return v if abs(v) < 10 ** 15 else str(v) if v.bit_length() < 12000 else hex(v)
    try:
        f = float(v)
    except (TypeError, ValueError, OverflowError):
        return short(v)
    return f if math.isfinite(f) else None


def _encode(res: ERMResult) -> dict:
    from ..networks.network import encode_network
    from ..numbers.encoding import encode_rational
    d: dict[str, Any] = {"objective": encode_rational(res.objective),
                         "network": encode_network(res.network),
                         "fitted": [encode_rational(v) for v in res.fitted]}
    for k in _INTS:
        v = getattr(res, k)
        d[k] = v if abs(v) < 10 ** 15 else encode_rational(Fraction(v))
    for k in _BOOLS + _STRS:
        d[k] = getattr(res, k)
    d["timings"] = _plain(dict(res.timings))
    d["solver"] = _plain(dict(res.solver))
    return d


def _decode(d: dict) -> ERMResult:
    from ..networks.network import decode_network
    from ..numbers.encoding import decode_rational, field, rational_list
    kw: dict[str, Any] = {
        "objective": decode_rational(field(d, "objective"), "objective"),
        "network": decode_network(field(d, "network", "ERMResult")),
        "fitted": tuple(rational_list(field(d, "fitted"), "fitted"))}
    for k in _INTS:
        v = field(d, k, "ERMResult")
        if isinstance(v, str):
            q = decode_rational(v, k)
            if q.denominator != 1:
                raise SerializationError(f"from_json: ERMResult.{k} must be an integer, "
                                         f"got {short(v)}")
            v = int(q)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise SerializationError(f"from_json: ERMResult.{k} must be an integer >= 0, "
                                     f"got {short(v)}")
        kw[k] = v
    for k in _BOOLS:
        v = field(d, k, "ERMResult")
        if not isinstance(v, bool):
            raise SerializationError(f"from_json: ERMResult.{k} must be true or false, "
                                     f"got {short(v)}")
        kw[k] = v
    for k in _STRS:
        v = field(d, k, "ERMResult")
        if not isinstance(v, str):
            raise SerializationError(f"from_json: ERMResult.{k} must be a string, got "
                                     f"{short(v)}")
        kw[k] = v
    for k in ("timings", "solver"):
        v = field(d, k, "ERMResult")
        if not isinstance(v, dict):
            raise SerializationError(f"from_json: ERMResult.{k} must be a JSON object, "
                                     f"got {short(v)}")
        kw[k] = v
    return ERMResult(**kw)


def _register() -> None:
    from ..numbers.encoding import register_json_type
    register_json_type("ERMResult", ERMResult, _encode, _decode)


_register()

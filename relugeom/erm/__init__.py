"""Algorithm 1: globally optimal training of one-hidden-layer ReLU networks (Theorem 4.1).

The model is the paper's, **without an output bias** by default::

    f(x) = sum_{i=1}^{w} c_i sigma(<a_i, x> + b_i),   c_i in {+1, -1}

(by positive homogeneity the output weights are +-1 without loss of generality: their
scale moves into a_i, b_i). ``output_bias=True`` adds a free constant c_0, the convention
of relugeom's networks in general; the counts of programs do not change, the objective can
only go down.

:func:`fit` minimises (1/D) sum_j loss(f(x_j), y_j) exactly:

1. the hyperplane dichotomies of the data are enumerated exactly
   (:func:`dichotomies`; n = 1 has a sorted-threshold fast path);
2. each hidden unit is a (dichotomy, output sign) *item*; units are interchangeable and
   two equal items add up to one, so one program per unordered set of w distinct items
   (the paper solves 2^w * N^w ordered tuples); sets whose coverage lower bound exceeds
   the best value found are skipped;
3. a program's parameter cone is written through its extreme rays, so it is a problem
   over mu >= 0 solved by a float solver (NNLS for squared loss, a small LP for absolute
   and hinge) in parallel;
4. the best programs are re-solved exactly in rationals and *certified*: an exact
   subgradient proves the exact rational point optimal for its program; the returned
   network attains ``objective`` when evaluated exactly;
5. with ``certify="all"`` (the default) the optimum is proven globally: every other
   program gets an exact lower bound (weak duality from its float dual, repaired in
   integers and checked exactly; exact coverage bounds for the skipped ones) or is
   re-solved exactly. ``certify="best"`` stops after step 4 (``certified`` is then
   False).

Data are exact rationals: ints, Fractions, strings such as ``"0.1"``. Floats are
refused, numpy float arrays included, as everywhere in relugeom: pass decimal strings, or
convert first with ``relugeom.exact(X)`` (each float's exact binary value, so ``0.1``
becomes 3602879701896397/2**55).

The default model has no output bias, while a torch ``Linear(n, w) - ReLU - Linear(w, 1)``
has one: compare gradient descent with ``output_bias=True`` (CLI ``--output-bias``), or
train torch with ``bias=False`` in its last layer. Without it, an ordinary torch MLP can
reach a lower loss than the certified optimum of the (smaller) model without a bias.

Examples
--------
>>> import relugeom as rg
>>> res = rg.erm.fit([[0], [1], [2], [3]], [0, 1, 0, 1], width=2, progress=False,
...                  workers=1)
>>> res.objective, res.certified
(Fraction(1, 6), True)
>>> [res.network(x) for x in (0, 1, 2, 3)] == list(res.fitted)
True
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any



from ..config import check_size
from ..errors import DimensionError, DomainError, NotExactError
from ..numbers.rational import as_rational
from ._arrangement import Arrangement, cover_count
from ._cone import brute_force
from ._exact import LOSSES
from ._fit import ERMResult, _dichotomy_bound, _prepare, _sequence, fit, max_workers

__all__ = ["fit", "ERMResult", "dichotomies", "cover_count", "brute_force_objective",
           "LOSSES", "read_csv", "estimate", "max_workers", "model_formula"]


# ---------------------------------------------------------------------------- input
def dichotomies(X: Any) -> tuple[frozenset[int], ...]:
    """The affine dichotomies {j : <a, x_j> + b > 0} of the points ``X``, exactly.

    Sets of indices, in increasing order of their bitmask (sum of 2^j). Repeated and
    degenerate (affinely dependent) points are handled; in general position there are
    ``cover_count(D, n)`` of them.

    Examples
    --------
    >>> import relugeom as rg
    >>> len(rg.erm.dichotomies([[0, 0], [1, 0], [0, 1], [1, 1]])), rg.erm.cover_count(4, 2)
    (14, 14)
    >>> rg.erm.dichotomies([[0], [1], [1]])
    (frozenset(), frozenset({0}), frozenset({1, 2}), frozenset({0, 1, 2}))
    """
    X = _sequence(X, "X")                # iterators: read once
    pts, _ = _prepare(X, [0] * len(X), 1, "squared")
    check_size("max_regions", _dichotomy_bound(pts), "dichotomies")
    arr = Arrangement(pts, rays=False)
    return tuple(frozenset(j for j in range(len(pts)) if m >> j & 1) for m in arr.masks)


def brute_force_objective(X: Any, y: Any, *, width: int, loss: str = "squared",
                          output_bias: bool = False) -> Fraction:
    """Exact ERM optimum by brute force over *all* 2^D activation patterns per unit
    (realisable or not), every program certified exactly. Only for tiny data.

    Examples
    --------
    >>> import relugeom as rg
    >>> rg.erm.brute_force_objective([[0], [1], [2]], [0, 1, 0], width=1)
    Fraction(2, 9)
    """
    pts, ys = _prepare(X, y, width, loss)
    check_size("max_programs", math.comb(2 ** (len(pts) + 1) + width - 1, width),
               "brute force")
    best, _, failed = brute_force(pts, ys, width, loss, output_bias)
    if failed:
        raise RuntimeError(f"brute force: {failed} programs could not be certified")
    return best


# ---------------------------------------------------------------------------- CLI
#: Programs per second per worker used for the CLI's time estimate (measured with
#: ``relugeom bench erm``: n = 1, w = 2, D = 40, squared loss, certify="all").
RATE_ESTIMATE = 1500


def read_csv(path: str) -> tuple[list[list[Fraction]], list[Fraction]]:
    """Read a data file for ``relugeom erm``: one point per line, the feature columns
    then the label, every cell an exact number (``3``, ``-1/2``, ``0.25``, ``1e-3``).
    A first line whose cells are *all* non-numeric is a header; any other unreadable
    cell (``nan``, ``abc``, a float overflow such as ``1e400`` is fine: it is exact) is
    an error naming its line. Errors are :class:`~relugeom.errors.DomainError` or
    :class:`~relugeom.errors.DimensionError` with a one-line message.
    """
    import csv
    import io
    from ..files import read_text_file
    # a regular file only, under the size cap (no FIFO or /dev/zero): typed errors
    text = read_text_file(path, what="erm: the data file", error=DomainError)
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise DomainError(f"{path}: cannot read the data file ({exc})") from None
    rows: list[list[Fraction]] = []
    for i, rec in enumerate(records):
        rec = [c.strip() for c in rec]
        if not any(rec):
            continue
        if not rows and i == _first_line(records) and all(_non_numeric(c) for c in rec):
            continue                                # a header line
        try:
            rows.append([as_rational(c, what=f"{path} line {i + 1}") for c in rec])
        except (DomainError, NotExactError) as exc:
            raise DomainError(str(exc)) from None
        if len(rows[-1]) != len(rows[0]):
            raise DimensionError(f"{path} line {i + 1}: {len(rows[-1])} cells, but the "
                                 f"first data line has {len(rows[0])}")
    if not rows or len(rows[0]) < 2:
        raise DimensionError(f"{path}: need at least one data line with a feature column "
                             f"and a label column")
    return [r[:-1] for r in rows], [r[-1] for r in rows]


def _first_line(records: list) -> int:
    return next((i for i, r in enumerate(records) if any(c.strip() for c in r)), -1)


def _non_numeric(cell: str) -> bool:
    """True for a header cell: not a number and not a number-like word (nan, inf)."""
    c = cell.strip().lower().lstrip("+-")
    if c in ("nan", "inf", "infinity", "") or any(ch.isdigit() for ch in c):
        return False
    return True


def estimate(X: Any, width: int) -> tuple[int, float]:
    """(upper bound on the programs of a fit, estimated seconds on one worker at
    :data:`RATE_ESTIMATE` programs per second), from Cover's bound; cheap."""
    pts = [tuple(r) for r in X]
    items = 2 * _dichotomy_bound(pts)
    n = (math.comb(items, width) if items > width else 1) + items
    return n, n / RATE_ESTIMATE * max(1.0, len(pts) / 40)


def model_formula(output_bias: bool, n_inputs: int = 1) -> str:
    """The model that :func:`fit` solves, in one line (printed by ``relugeom erm``).

    >>> from relugeom.erm import model_formula
    >>> model_formula(False)
    'f(x) = sum_i s_i relu(a_i x + b_i), s_i = +-1, no output bias'
    >>> model_formula(True, 2)
    'f(x) = sum_i s_i relu(<a_i, x> + b_i) + c, s_i = +-1, with output bias c'
    """
    inner = "a_i x" if n_inputs == 1 else "<a_i, x>"
    tail = " + c, s_i = +-1, with output bias c" if output_bias else \
        ", s_i = +-1, no output bias"
    return f"f(x) = sum_i s_i relu({inner} + b_i){tail}"


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

Inputs may be floats or rationals: floats are converted to their exact binary value
(``as_rational(v, exact_float=True)``), so ``0.1`` means 3602879701896397/2**55.

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

import argparse
import json
import math
import sys
from fractions import Fraction
from typing import Any

import numpy as np

from ..config import check_size
from ..errors import DimensionError, DomainError, NotExactError
from ..rational import as_rational
from ._arrangement import Arrangement, cover_count
from ._cone import brute_force
from ._exact import LOSSES
from ._fit import ERMResult, _dichotomy_bound, _prepare, _sequence, fit, max_workers

__all__ = ["fit", "ERMResult", "dichotomies", "cover_count", "brute_force_objective",
           "LOSSES", "cli_main"]


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
def cli_main(args: argparse.Namespace) -> int:
    """``relugeom erm DATA.csv --width w``: read a CSV (feature columns, then the label;
    a non-numeric first row is a header), fit, print the result. Returns an exit status.
    """
    import csv
    rows = []
    with open(args.data, encoding="utf-8", newline="") as fh:
        for i, rec in enumerate(csv.reader(fh)):
            rec = [c.strip() for c in rec if c.strip() != ""]
            if not rec:
                continue
            try:
                rows.append([as_rational(c, what=f"{args.data} line {i + 1}") for c in rec])
            except (DomainError, NotExactError):
                if i == 0 and not rows:
                    continue            # header
                raise
    if not rows or len(rows[0]) < 2:
        raise DimensionError(f"{args.data}: need at least one feature column and a label "
                             f"column")
    X = [r[:-1] for r in rows]
    y = [r[-1] for r in rows]
    res = fit(X, y, width=args.width, loss=args.loss, workers=args.workers,
              progress=not args.no_progress and sys.stderr.isatty(), force=args.force,
              certify=getattr(args, "certify", "all"))
    if args.json:
        print(json.dumps(res.to_dict(), indent=2))
    else:
        print(f"objective: {res.objective} (~{float(res.objective):.10g}), "
              f"{'certified' if res.certified else 'NOT certified'}"
              f"{', PARTIAL (interrupted)' if res.partial else ''}")
        print(f"programs: {res.n_programs} solved, {res.n_pruned} skipped by the bound, "
              f"{res.n_combinations} unordered sets; paper: {res.n_programs_paper}")
        W, b = res.network.layers[0]
        (c,), (c0,) = res.network.layers[1]
        for i, (row, bi, ci) in enumerate(zip(W, b, c)):
            print(f"unit {i}: c={ci}  a=({', '.join(map(str, row))})  b={bi}")
        if res.output_bias:
            print(f"output bias: {c0}")
    return 130 if res.partial else 0

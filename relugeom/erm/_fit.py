"""The implementation of :func:`relugeom.erm.fit`: Algorithm 1's sweep and certificate.

:mod:`relugeom.erm` is the public surface; this module holds :class:`ERMResult`, the input
gate ``_prepare``, the per-fit problem data, the chunk dispatcher (an Executor, a dask
client, or inline), the exact certification and reconciliation of the best programs, and
the n = 1 route through Theorem 2.2 (``method="breakpoints"``).
"""
from __future__ import annotations

import math
import os
import time
from fractions import Fraction
from typing import Any, Optional, Sequence

import numpy as np

from ..config import check_size
from ..errors import DimensionError, DomainError, NotExactError, TooLargeError
from ..networks.network import ReLUNetwork
from ..numbers.rational import as_rational, as_rational_rows, short
from ._arrangement import Arrangement, cover_count
from ._cone import fit_breakpoints
from ._dual import integer_rows
from ._exact import LOSSES, ZERO, certify, loss_value, mean_loss
from ._programs import Problem, program_matrix, solve_program, with_fast_path
from ._result import ERMResult
from ._simplex import solve_exact

__all__ = ["ERMResult", "fit"]


# ---------------------------------------------------------------------------- input
def _ldexp(v: float, e: int) -> Optional[float]:
    try:
        return math.ldexp(v, e)
    except OverflowError:
        return None


def _sequence(v: Any, name: str) -> list:
    """``v`` as a list: numpy arrays, lists, tuples, ranges and other ordered iterables;
    None, sets, dicts, strings and scalars are refused with a typed error."""
    if isinstance(v, np.ndarray):
        return v.tolist() if v.ndim else [v.item()]
    if v is None or isinstance(v, (set, frozenset, dict, str, bytes)) or \
            not hasattr(v, "__iter__"):
        raise NotExactError(f"{name} must be a sequence (list, tuple or numpy array) of "
                            f"{'points' if name == 'X' else 'labels'}, got "
                            f"{type(v).__name__} {short(v)}")
    return list(v)


_BITS_LIMIT = 60        # exponents of 2 beyond which a value's float image is meaningless


def _prepare(X: Any, y: Any, width: Any, loss: Any, *,
             precheck: Any = None) -> tuple[list[tuple[Fraction, ...]], tuple[Fraction, ...]]:
    """Validate and convert the data exactly (floats refused: the one float policy).
    ``precheck(D, n, width)`` runs on the raw sizes, before any conversion."""
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)):
        raise NotExactError(f"width must be an integer, got {short(width)}")
    width = int(width)
    if width < 1:
        raise DomainError(f"width must be at least 1, got {short(width)}")
    if not isinstance(loss, str) or loss not in LOSSES:
        raise DomainError(f"unknown loss {short(loss)}; known: {', '.join(LOSSES)}")
    rows = _sequence(X, "X")
    labels = _sequence(y, "y")
    if len(rows) != len(labels):
        raise DimensionError(f"X has {len(rows)} points but y has {len(labels)} labels")
    if not rows:
        raise DimensionError("fit needs at least one data point, got none")
    rows = [r if isinstance(r, (list, tuple)) else
            (r.tolist() if isinstance(r, np.ndarray) and r.ndim else [r]) for r in rows]
    if precheck is not None:
        precheck(len(rows), len(rows[0]), width)
    pts = list(as_rational_rows(rows, what="X", row="point"))
    ys = tuple(as_rational(v, what=f"y[{j}]") for j, v in enumerate(labels))
    if loss == "hinge":
        for j, v in enumerate(ys):
            if v not in (1, -1):
                raise DomainError(f"hinge loss needs labels in {{-1, +1}}, got y[{j}] = {v}")
    return pts, ys


def _exp2(q: Fraction) -> int:
    """An integer e with 2^(e-1) < |q| < 2^(e+1) (q != 0), from bit lengths: cheap."""
    return abs(q.numerator).bit_length() - q.denominator.bit_length()


def _pow2(e: int) -> Fraction:
    return Fraction(1 << e) if e >= 0 else Fraction(1, 1 << -e)


def _rescale(arr: Arrangement, ys: tuple[Fraction, ...],
             loss: str) -> tuple[tuple[Fraction, ...], int]:
    """Exact rescaling for the float solvers (in place on ``arr``): every ray and its
    column are divided by a power of two so the column's largest entry is O(1), and the
    labels by 2^t (not for the hinge loss, whose labels are +-1). Each program's cone is
    unchanged (rays are only rescaled), so solving on the scaled data and multiplying
    the units by 2^t gives the optimum of the original data exactly; the float images
    are then O(1) whatever the scale of X and y. Returns (scaled labels, t)."""
    rays, cols = [], []
    for h, c in zip(arr.rays, arr.columns):
        nz = [v for v in c if v != 0]
        if nz:
            f = _pow2(-max(_exp2(v) for v in nz))
            h, c = tuple(v * f for v in h), tuple(v * f for v in c)
        rays.append(h)
        cols.append(c)
    arr.rays, arr.columns = rays, cols
    nz = [v for v in ys if v != 0]
    if loss == "hinge" or not nz:
        return ys, 0
    t = max(_exp2(v) for v in nz)
    f = _pow2(-t)
    return tuple(v * f for v in ys), t


def _dichotomy_bound(pts: Sequence[tuple[Fraction, ...]]) -> int:
    """Cover's count for the distinct points in their affine hull: an upper bound on
    the number of dichotomies, computed before the enumeration."""
    from ._arrangement import _hull_coordinates
    distinct = list(dict.fromkeys(pts))
    return cover_count(len(distinct), len(_hull_coordinates(distinct)))


def _check_programs(n_dich: int, w: int, D: int) -> None:
    """Refuse from a cheap upper bound on the work: unordered sets of w of the 2 N items,
    plus the singles, each a program on D points (weighted by ceil(D / 200))."""
    items = 2 * n_dich
    n_comb = math.comb(items, w) if items > w else 1
    work = (n_comb + items) * max(1, -(-D // 200))
    try:
        check_size("max_programs", work, "erm")
    except TooLargeError as exc:
        raise TooLargeError(f"{exc}; up to {short(n_comb)} convex programs needed, on "
                            f"{D} points for width {w} (at most {items} dichotomy-sign "
                            f"items, Cover's bound; programs weighted by ceil(D/200)); "
                            f"pass force=True to go ahead") from None


def _precheck_sizes(D: int, n: int, w: int) -> None:
    """Before converting the data: the width against the number of distinct units and
    the work bound from D and n alone (general position)."""
    _check_programs(_check_width(D, n, w) // 2, w, D)


def _check_width(D: int, n: int, w: int) -> int:
    """Refuse a width above the number of distinct units (returns that number)."""
    top = 2 * cover_count(D, min(n, max(D - 1, 0)))
    if w > top:
        raise DomainError(f"width {short(w)} is more than the {top} distinct "
                          f"(dichotomy, output sign) units that {D} points in R^{n} allow; "
                          f"a wider network cannot fit better: use width <= {top}")
    return top


def _check_executor(executor: Any) -> None:
    if executor is None or callable(getattr(executor, "submit", None)):
        return
    raise NotExactError(f"executor must be None, a concurrent.futures.Executor or a "
                        f"dask.distributed.Client, got {type(executor).__name__} "
                        f"{short(executor)}")


def max_workers() -> int:
    """The largest ``workers`` that :func:`fit` accepts: 4 per core."""
    return 4 * (os.cpu_count() or 1)


def _check_workers(workers: Any) -> Optional[int]:
    if workers is None:
        return None
    if isinstance(workers, bool) or not isinstance(workers, (int, np.integer)):
        raise NotExactError(f"workers must be a positive integer or None, got "
                            f"{short(workers)} ({type(workers).__name__})")
    if not 1 <= workers <= max_workers():
        raise DomainError(f"workers must be between 1 and {max_workers()} (4 per core), "
                          f"got {short(workers)}")
    return int(workers)


# ---------------------------------------------------------------------------- fitting
def _problem(arr: Arrangement, ys: tuple[Fraction, ...], loss: str, bias: bool,
             items: list[tuple[int, int]]) -> Problem:
    D = len(ys)
    yf = np.array([float(v) for v in ys])
    cols = np.array([[float(v) for v in c] for c in arr.columns]).reshape(len(arr.columns), D)
    zero = [all(v == 0 for v in c) for c in arr.columns]
    item_rays = tuple(np.array([r for r in arr.region_rays[g] if not zero[r]], dtype=np.intp)
                      for g, _ in items)
    cover = np.array([[bool(arr.masks[g] >> j & 1) for j in range(D)] for g, _ in items],
                     dtype=bool).reshape(len(items), D)
    lb_none = np.array([float(loss_value(loss, ZERO, v)) for v in ys])
    if loss == "squared":
        lb_pos = np.array([float(min(v, ZERO) ** 2) for v in ys])
        lb_neg = np.array([float(max(v, ZERO) ** 2) for v in ys])
    elif loss == "absolute":
        lb_pos = np.array([float(max(-v, ZERO)) for v in ys])
        lb_neg = np.array([float(max(v, ZERO)) for v in ys])
    else:
        lb_pos = np.array([1.0 if v < 0 else 0.0 for v in ys])
        lb_neg = np.array([1.0 if v > 0 else 0.0 for v in ys])
    Ly = math.lcm(*(v.denominator for v in ys))
    Y = np.array([int(v * Ly) for v in ys] + [0], dtype=object)[:D]
    exact_lb = [[loss_value(loss, ZERO, v) for v in ys]]
    if loss == "squared":
        exact_lb += [[min(v, ZERO) ** 2 for v in ys], [max(v, ZERO) ** 2 for v in ys]]
    elif loss == "absolute":
        exact_lb += [[max(-v, ZERO) for v in ys], [max(v, ZERO) for v in ys]]
    else:
        exact_lb += [[Fraction(int(v < 0)) for v in ys], [Fraction(int(v > 0)) for v in ys]]
    den = math.lcm(*(v.denominator for r in exact_lb for v in r))
    lbi = [np.array([int(v * den) for v in r] + [0], dtype=object)[:D] for r in exact_lb]
    qcols = integer_rows(arr.columns) if arr.columns else np.empty((0, D), dtype=object)
    return with_fast_path(Problem(loss, bias, yf, cols, item_rays,
                                  np.array([s for _, s in items]), cover, lb_none, lb_pos,
                                  lb_neg, qcols, Y, Ly, lbi[0], lbi[1], lbi[2], den))


def fit(X: Any, y: Any, *, width: int, loss: str = "squared", output_bias: bool = False,
        method: str = "dichotomies", executor: Any = None, workers: Optional[int] = None,
        progress: bool = True, force: bool = False,
        chunk_size: Optional[int] = None, certify: str = "all") -> ERMResult:
    """Globally optimal one-hidden-layer ReLU network for the data (Algorithm 1).

    Parameters
    ----------
    X : array-like, shape (D, n) or (D,)
        Inputs: exact rationals (ints, Fractions, strings such as ``"0.1"``). Floats are
        refused, numpy float arrays included: pass decimal strings, or convert first
        with ``relugeom.exact(X)`` (each float's exact binary value).
    y : array-like, shape (D,)
        Labels, exact rationals likewise; in {-1, +1} for the hinge loss.
    width : int, keyword-only
        Number of hidden units w >= 1.
    loss : {"squared", "absolute", "hinge"}
        loss(f, y) = (f - y)^2, |f - y| or max(0, 1 - y f); the objective is the mean.
    output_bias : bool
        Add a free output constant c (the paper's model has none; default False). A torch
        ``Linear - ReLU - Linear`` MLP has one: compare gradient descent with
        ``output_bias=True``, or the torch optimum may lie below this model's.
    method : {"dichotomies", "breakpoints"}
        Algorithm 1 over dichotomies; or, for n = 1 only, the route through Theorem 2.2
        (serial, every program certified; for checks and small data).
    executor : concurrent.futures.Executor or dask.distributed.Client, optional
        Where chunks of programs run. Default: a local process pool of ``workers``
        processes (all cores), or inline when ``workers=1`` or the job is small.
    workers : int, optional
        Processes of that local pool, 1 to :func:`max_workers` (4 per core); 1 runs
        inline. Default None: every core from 4,000 programs on, inline below.
    progress : bool
        Show a tqdm progress bar.
    force : bool
        Go ahead even when the number of programs exceeds the limit ``max_programs``.
    chunk_size : int, optional
        Programs per task (default: about four contiguous chunks per worker, 2000 inline).
    certify : {"all", "best"}
        ``"all"`` (default: a reported optimum is a certificate): prove the optimum
        globally: every solved program gets an exact dual lower bound (computed by the
        workers, vectorised over each chunk for the squared loss, about 1.1-1.5x the
        time of ``"best"``), every skipped one an exact coverage bound, and any program
        whose bound falls short of the optimum is re-solved exactly. ``"best"``: only
        the best programs are certified exactly (``certified`` is then False;
        ``program_certified`` says whether the best program's optimum is exact).

    Returns
    -------
    ERMResult

    Raises
    ------
    NotExactError
        A float (or a numpy float array) in X or y.
    DimensionError
        X and y disagree in length, X is ragged or empty.
    DomainError
        width < 1, unknown loss or method, NaN / infinite data, hinge labels not +-1.
    TooLargeError
        More programs than the limit ``max_programs`` (the message gives the count),
        unless ``force=True``.

    Notes
    -----
    Exactness: dichotomies, rays, the certificate and the objective are exact. The float
    solver proposes; every program within a relative 1e-9 of the best float value is
    certified exactly (exact subgradient certificate) and the exact minimum taken. With
    ``certify="all"`` the rest is proven too, by weak duality: the float dual solution
    of each program is rounded, projected exactly onto its tight constraints and checked
    in integer arithmetic, giving an exact lower bound (see ``relugeom.erm._dual``);
    the skips' coverage bounds are recomputed exactly. ``certified`` is True only when
    all of that holds. If no candidate can be certified, the network is the float
    solution rounded to rationals, its objective still computed exactly.
    Ctrl-C stops the sweep and returns the best so far with ``partial=True``.

    Examples
    --------
    >>> import relugeom as rg
    >>> X = [[0], [1], [2], [3], [4]]
    >>> y = [0, 2, 0, 2, 0]
    >>> a = rg.erm.fit(X, y, width=2, workers=1, progress=False)
    >>> b = rg.erm.fit(X, y, width=2, method="breakpoints")
    >>> a.objective == b.objective, a.n_programs < a.n_programs_paper, a.certified
    (True, True, True)
    """
    from ._sweep import _presolve, _report, _select, _setup, _sweep
    t_start = time.perf_counter()
    _check_options(method, certify, output_bias, executor, chunk_size)
    workers = _check_workers(workers)
    if method == "breakpoints":
        pts, ys = _prepare(X, y, width, loss, precheck=_check_width)
        return _fit_breakpoints(pts, ys, width, loss, bool(output_bias), t_start)
    run = _setup(X, y, width, loss, bool(output_bias), certify == "all", force, t_start)
    bar = None
    if progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=run.n_comb + run.presolve, desc="erm", unit="prog", leave=False)
    try:
        if run.presolve:
            _presolve(run, bar)
        _sweep(run, executor, workers, chunk_size, bar)
    finally:
        if bar is not None:
            bar.close()
    best = _select(run)
    return _report(run, best, certify)


def _check_options(method: Any, certify: Any, output_bias: Any, executor: Any,
                   chunk_size: Any) -> None:
    """Phase 0: the options, checked before any work."""
    if not isinstance(method, str) or method not in ("dichotomies", "breakpoints"):
        raise DomainError(f"unknown method {short(method)}; known: dichotomies, breakpoints")
    if not isinstance(certify, str) or certify not in ("all", "best"):
        raise DomainError(f"unknown certify mode {short(certify)}; known: all, best")
    if not isinstance(output_bias, (bool, np.bool_)):
        raise NotExactError(f"output_bias must be True or False, got {short(output_bias)}")
    _check_executor(executor)
    if chunk_size is not None and (isinstance(chunk_size, bool) or
                                   not isinstance(chunk_size, (int, np.integer))):
        raise NotExactError(f"chunk_size must be a positive integer or None, got "
                            f"{short(chunk_size)}")
    if chunk_size is not None and chunk_size < 1:
        raise DomainError(f"chunk_size must be at least 1, got {short(chunk_size)}")


def _certify_combo(prob: Problem, arr: Arrangement, ys: tuple[Fraction, ...],
                   combo: Sequence[int], mu: Any, b0: Any, xi: Any) -> tuple[Any, list]:
    """Exact optimum (certificate or None) of one program, from its float solution (the
    program is solved in floats first when ``mu`` is None)."""
    A, keys = program_matrix(prob, np.array(combo, dtype=np.intp))
    if mu is None:
        _, mu, b0, xi = solve_program(A, prob.y, prob.loss, prob.bias)
    cols = [tuple(s * v for v in arr.columns[r]) for r, s in keys]
    cert = certify(cols, ys, prob.loss, prob.bias, mu, b0, xi)
    if cert is None:            # float solve failed or was inaccurate: the exact route
        cert = solve_exact(cols, ys, prob.loss, prob.bias)
    return cert, keys


def _reconcile(prob: Problem, arr: Arrangement, ys: tuple[Fraction, ...], outs: list,
               best: tuple, done: set) -> tuple[tuple, bool, int, int, int]:
    """Prove that no program beats ``best`` (exactly), re-solving exactly where the
    workers' exact bounds fall short. Returns (best, proven, n by dual bound, n re-solved
    exactly, n skipped programs proven by the exact coverage bound)."""
    D = len(ys)
    B = best[0].objective * D          # bounds are on the sum of losses
    proven = True
    n_dual = n_pruned_ex = 0
    todo: list[tuple[int, ...]] = []
    for out in outs:
        rest = out.n_dual - len(out.low)
        if rest and (out.dual_min is None or out.dual_min < B):
            proven = False
        else:
            n_dual += rest
        for combo, bd in out.low:
            if bd is not None and bd >= B:
                n_dual += 1
            elif combo not in done:
                todo.append(combo)
        rest = out.n_pruned - len(out.pruned_low)
        if rest and (out.pruned_min is None or out.pruned_min < B):
            proven = False
        else:
            n_pruned_ex += rest
        for combo, bd in out.pruned_low:
            if bd >= B:
                n_pruned_ex += 1
            elif combo not in done:
                todo.append(combo)
    n_exact = len(done)
    for combo in dict.fromkeys(todo):
        cert, keys = _certify_combo(prob, arr, ys, combo, None, None, None)
        if cert is None:
            proven = False
            continue
        n_exact += 1
        if cert.objective < best[0].objective:      # the float solver misjudged: a new best
            best = (cert, combo, keys, list(cert.mu), cert.b0)
    return best, proven, n_dual, n_exact, n_pruned_ex


def _eval(net: ReLUNetwork, p: tuple[Fraction, ...]) -> Fraction:
    v = net(p if len(p) > 1 else p[0])
    assert isinstance(v, Fraction)
    return v


def _network(arr: Arrangement, items: list[tuple[int, int]], combo: Sequence[int],
             keys: list[tuple[int, int]], mu: Sequence[Fraction], b0: Fraction, w: int,
             n: int, scale: Fraction = Fraction(1)) -> ReLUNetwork:
    """Units z_i = scale * sum of mu * ray over the columns assigned to item i; output
    sign s_i; output bias scale * b0 (``scale`` undoes the label rescaling)."""
    units = [[ZERO] * (n + 1) for _ in combo]
    b0 = b0 * scale
    for (r, s), m in zip(keys, mu):
        if m == 0:
            continue
        m = m * scale
        i = next(i for i, it in enumerate(combo)
                 if items[it][1] == s and r in arr.region_rays[items[it][0]])
        units[i] = [a + m * h for a, h in zip(units[i], arr.rays[r])]
    signs = [items[it][1] for it in combo]
    while len(units) < w:
        units.append([ZERO] * (n + 1))
        signs.append(1)
    W1 = tuple(tuple(u[:n]) for u in units)
    b1 = tuple(u[n] for u in units)
    return ReLUNetwork._trusted([(W1, b1), ((tuple(Fraction(s) for s in signs),), (b0,))])


def _fit_breakpoints(pts: list, ys: tuple, w: int, loss: str, bias: bool,
                     t0: float) -> ERMResult:
    if len(pts[0]) != 1:
        raise DimensionError(f"method='breakpoints' is the n = 1 route; the data have "
                             f"n = {len(pts[0])} coordinates")
    x = [p[0] for p in pts]
    m = len(set(x))
    check_size("max_programs", 8 ** w * max(m, 1) ** w, "erm breakpoints")
    cert, (units, c0), count, failed = fit_breakpoints(x, ys, w, loss, bias)
    W1 = tuple((a,) for _, a, _ in units)
    b1 = tuple(b for _, _, b in units)
    net = ReLUNetwork._trusted([(W1, b1), ((tuple(Fraction(s) for s, _, _ in units),),
                                            (c0,))])
    fitted = tuple(_eval(net, p) for p in pts)
    objective = mean_loss(loss, fitted, ys)
    if objective != cert.objective:
        raise RuntimeError(f"erm breakpoints: internal error, network objective "
                           f"{objective} differs from the certified {cert.objective}")
    t = time.perf_counter() - t0
    n_dich = 2 * m
    return ERMResult(
        objective=objective, network=net, fitted=fitted, loss=loss, width=w,
        output_bias=bias, method="breakpoints", certified=failed == 0, partial=False,
        n_programs=count, n_programs_paper=2 ** w * n_dich ** w, n_combinations=count,
        n_pruned=0, n_dichotomies=n_dich,
        timings={"enumerate": 0.0, "solve": t, "certify": 0.0, "total": t},
        solver={"float": "scipy nnls / HiGHS on generic cone rays",
                "exact": "every program certified", "n_uncertified": failed},
        program_certified=failed == 0, n_certified_exact=count - failed)


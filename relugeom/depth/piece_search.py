"""The largest number of pieces of a one-input network with two hidden layers, by an
exhaustive search over the sign types of its second-layer units (Lemma D.5 of
arXiv 1611.01491, and its sharper form prod(w_i + 1)).

Setting. The first layer has w1 units sigma(d_i (x - t_i)), d_i = +1 or -1, with kinks
t_1 < ... < t_w1. A second-layer unit sees z(x) = sum_i c_i sigma(d_i (x - t_i)) + b, a
broken line with breakpoints among the t_i; sigma(z) breaks at the kinks t_i where
z(t_i) > 0 and at one zero of z per sign change of the sequence

    z(-inf), z(t_1), ..., z(t_w1), z(+inf)

(the signs at +-inf are those of the end slopes: sum_{d_i = -1} c_i on the left,
sum_{d_i = +1} c_i on the right; an end slope identically 0 adds no sign). The values and
end slopes are linear in (c, b), so a *sign type* of a unit is realisable exactly when
the open cone {sign(row . (c, b)) = s for every row} is non-empty: an exact linear
program (:class:`~relugeom.polyhedra.Polyhedron`, rows scaled to ``>= 1`` since the cone
is homogeneous). The output sum_j v_j sigma(z_j) + e breaks at the union of the units'
breakpoints (generic v_j), so a choice of w2 unit types gives

    pieces = 1 + |union of the kinks kept| + sum of the zeros.

Every direction vector d, every realisable sign type and every multiset of w2 types is
examined; the best choices are then realised as actual networks (an interior point of
each cone, perturbed to generic rational weights) whose pieces are counted exactly by
``to_pwl``: the reported maximum is attained by the returned network.

Premises (stated, not searched): generic parameters (a zero of z at a kink, two units
with a common zero or a cancelling output weight only lose breakpoints); the kinks at the
positions given by ``gaps`` (for w1 = 2 any two kinks are equivalent by an affine change
of x; for w1 >= 3 the ratio of the gaps is a parameter, so several are tried).

>>> from relugeom.depth.piece_search import max_pieces_two_layers
>>> r = max_pieces_two_layers(3, 1)
>>> r.pieces, r.network.to_pwl().n_pieces
(7, 7)
"""
from __future__ import annotations

import dataclasses
import itertools
import random
from fractions import Fraction
from typing import Sequence

from ..convex.polyhedra import Polyhedron
from ..errors import DomainError, TooLargeError
from ..networks.network import ReLUNetwork

__all__ = ["SearchResult", "unit_types", "max_pieces_two_layers"]

_MAX_W1 = 4          # 2^w1 directions x 2^(w1+2) sign types, each an exact LP
_MAX_W2 = 3


@dataclasses.dataclass(frozen=True)
class SearchResult:
    """The largest piece count found, the network attaining it, and the size of the
    search (direction vectors, sign types tested by LP, realisable ones, multisets)."""

    widths: tuple[int, int]
    pieces: int
    network: ReLUNetwork
    n_directions: int
    n_types_tested: int
    n_types_realisable: int
    n_multisets: int
    gaps: tuple[tuple[Fraction, ...], ...]


def _kinks(gaps: Sequence[Fraction]) -> list[Fraction]:
    ts = [Fraction(0)]
    for g in gaps:
        ts.append(ts[-1] + g)
    return ts


def _rows(d: Sequence[int], ts: Sequence[Fraction]) -> list[list[Fraction] | None]:
    """Linear forms in (c_1..c_w1, b): the sign at -inf, z(t_1..t_w1), the sign at
    +inf; ``None`` for an end slope that is identically zero."""
    left = [Fraction(1 if di < 0 else 0) for di in d] + [Fraction(0)]
    right = [Fraction(1 if di > 0 else 0) for di in d] + [Fraction(0)]
    vals = [[max(Fraction(di) * (t - ti), Fraction(0)) for di, ti in zip(d, ts)]
            + [Fraction(1)] for t in ts]
    return [left if any(left) else None, *vals, right if any(right) else None]


def unit_types(d: Sequence[int], ts: Sequence[Fraction]
               ) -> tuple[list[tuple[frozenset, int, tuple]], int]:
    """Realisable sign types of one second-layer unit over first-layer directions ``d``
    and kinks ``ts``: (kinks kept, zeros, a point (c, b) of the open cone), and the
    number of types tested."""
    rows = _rows(d, ts)
    live = [i for i, r in enumerate(rows) if r is not None]
    n = len(d) + 1
    out, tested = [], 0
    for signs in itertools.product((1, -1), repeat=len(live)):
        tested += 1
        ineqs = [[s * v for v in rows[i]] + [Fraction(-1)] for s, i in zip(signs, live)]
        P = Polyhedron(ineqs, n)
        if P.is_empty:
            continue
        seq = list(signs)
        zeros = sum(a != b for a, b in zip(seq, seq[1:]))
        kept = frozenset(m for m, i in enumerate(range(1, len(d) + 1))
                         if signs[live.index(i)] > 0)
        out.append((kept, zeros, P.interior_point()))
    return out, tested


def _generic(point: tuple, ineqs: list, rng: random.Random) -> list[Fraction]:
    """A perturbation of ``point`` with every coordinate non-zero, still strictly inside
    the cone (checked exactly)."""
    eps = Fraction(1, 7)
    for _ in range(60):
        q = [x + eps * Fraction(rng.randint(1, 97), 97) for x in point]
        if all(v != 0 for v in q) and all(sum(a * x for a, x in zip(r[:-1], q)) > 0
                                          for r in ineqs):
            return q
        eps /= 3
    raise DomainError("piece_search: no generic point found")   # pragma: no cover


def _network(d: Sequence[int], ts: Sequence[Fraction], units: Sequence[list[Fraction]],
             rng: random.Random) -> ReLUNetwork:
    first = ([[di] for di in d], [-di * ti for di, ti in zip(d, ts)])
    second = ([u[:-1] for u in units], [u[-1] for u in units])
    out = ([[Fraction(rng.randint(1, 89), rng.randint(1, 13)) for _ in units]], [0])
    return ReLUNetwork([first, second, out])


def max_pieces_two_layers(w1: int, w2: int, *, gaps: Sequence[Sequence] | None = None,
                          seed: int = 0) -> SearchResult:
    """Exhaustive search (see the module notes) for the largest number of pieces of a
    network R -> R with hidden widths (w1, w2); w1 <= 4, w2 <= 3 (refused beyond).

    ``gaps``: the kink spacings tried (default: equal spacing, and for w1 >= 3 also
    spacings 1, 3 and 3, 1)."""
    for name, v, top in (("w1", w1, _MAX_W1), ("w2", w2, _MAX_W2)):
        if isinstance(v, bool) or not isinstance(v, int) or v < 1:
            raise DomainError(f"max_pieces_two_layers: {name} must be an integer >= 1, "
                              f"got {v!r}")
        if v > top:
            raise TooLargeError(f"max_pieces_two_layers: {name} = {v} is over {top} (the "
                                f"search is exponential in the widths)")
    if gaps is None:
        gaps = [[1] * (w1 - 1)]
        if w1 >= 3:
            gaps += [[1, 3] + [1] * (w1 - 3), [3, 1] + [1] * (w1 - 3)]
    gaps_q = tuple(tuple(Fraction(g) for g in gs) for gs in gaps)
    rng = random.Random(seed)
    best: tuple[int, ReLUNetwork] | None = None
    n_dir = n_tested = n_real = n_multi = 0
    for gs in gaps_q:
        ts = _kinks(gs)
        for d in itertools.product((1, -1), repeat=w1):
            n_dir += 1
            types, tested = unit_types(d, ts)
            n_tested += tested
            n_real += len(types)
            combos = list(itertools.combinations_with_replacement(range(len(types)), w2))
            n_multi += len(combos)
            scored = sorted(((1 + len(frozenset().union(*(types[i][0] for i in c)))
                              + sum(types[i][1] for i in c), c) for c in combos),
                            reverse=True)
            for est, c in scored:
                if best is not None and est <= best[0]:
                    break
                rows = _rows(d, ts)
                got = _realise(d, ts, rows, [types[i] for i in c], rng)
                if got is not None and (best is None or got[0] > best[0]):
                    best = got
    assert best is not None
    return SearchResult((w1, w2), best[0], best[1], n_dir, n_tested, n_real, n_multi, gaps_q)


def _realise(d, ts, rows, chosen, rng) -> tuple[int, ReLUNetwork] | None:
    """The chosen unit types as a network with generic weights; its exact piece count
    (the best of three draws)."""
    live = [r for r in rows if r is not None]
    best = None
    for _ in range(3):
        units = []
        for kept, zeros, point in chosen:
            signs = [1 if sum(a * x for a, x in zip(r, point)) > 0 else -1 for r in live]
            ineqs = [[s * v for v in r] + [Fraction(-1)] for s, r in zip(signs, live)]
            units.append(_generic(point, ineqs, rng))
        net = _network(d, ts, units, rng)
        p = net.to_pwl().n_pieces
        if best is None or p > best[0]:
            best = (p, net)
    return best

"""Exact simplification of ReLU networks: fewer units, the same function.

:func:`simplified` (also ``ReLUNetwork.simplified``) rewrites one hidden layer at a time,
each step an identity of exact rational functions:

* **constant units** (zero incoming row): relu(b) is a constant, added to the next bias;
* **dead units** (zero outgoing weights, or pre-activation provably <= 0 on the domain):
  dropped;
* **proportional units**: relu(s u) = s relu(u) for s > 0, so units whose (a, b) are
  positive multiples of each other merge, the scale folded into the outgoing weights;
* **affine units**: opposite pairs c relu(u) + d relu(-u) = (c + d) relu(u) - d u, and
  units provably active on the domain (relu(u) = u there) contribute an affine function u
  of the layer's input. Those affine contributions are collected into one affine map
  M z + m (m goes to the next bias); M z is carried through the layer by 2 rank(M) units
  relu(+-u_k) (u_k the rows of the reduced row echelon form of M). Applied only when it
  removes more units than it adds;
* **linear layers**: when every unit of a layer is active or dead on the domain, the
  layer is composed away (depth drops by one).

"Provably" means decided exactly: exact interval bounds layer by layer from a box, exact
LPs (:meth:`relugeom.polyhedra.Polyhedron.maximize`) for a polyhedral domain in the first
layer. Without a domain, only the algebraic steps apply and the result equals the network
on all of R^n.

Where the combinators call it: :func:`relugeom.network.sum_networks` and
:func:`relugeom.network.maximum_network` keep their widths by default (the widths of
Lemmas D.2/D.3) and simplify when given ``simplify=True``;
:func:`relugeom.certificates.certificate_network` always simplifies.

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1, -1], [2, -2], [0, 0], [-1, 1]], [0, 0, 1, 0]),
...                       ([[1, 1, 5, 0]], [0])])
>>> small, rep = simplified(net, report=True)
>>> small.widths, rep.merged, rep.constant, rep.dead
((1,), 1, 1, 1)
>>> all(small(x) == net(x) for x in ([0, 1], [3, -1], ["1/2", "1/3"]))
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ..errors import DimensionError, NotExactError

__all__ = ["simplified", "SimplifyReport", "fold_linear_layers", "unit_bounds"]

ZERO = Fraction(0)


@dataclass
class SimplifyReport:
    """What :func:`simplified` removed (unit counts, summed over layers)."""

    widths_before: tuple[int, ...] = ()
    widths_after: tuple[int, ...] = ()
    constant: int = 0          # zero incoming row, folded into the next bias
    dead: int = 0              # zero outgoing weight or never active on the domain
    merged: int = 0            # positive multiples of another unit
    affine: int = 0            # opposite-pair / always-active units turned affine
    carriers: int = 0          # relu(+-u) units added to carry those affine parts
    folded_layers: int = 0     # layers linear on the domain, composed away
    notes: list[str] = field(default_factory=list)

    @property
    def removed(self) -> int:
        """Hidden units removed in total."""
        return sum(self.widths_before) - sum(self.widths_after)

    def __str__(self) -> str:
        return (f"widths {self.widths_before} -> {self.widths_after}: {self.constant} "
                f"constant, {self.dead} dead, {self.merged} merged, {self.affine} affine "
                f"(+{self.carriers} carriers), {self.folded_layers} layers folded")


# ------------------------------------------------------------------ bounds
Bound = tuple[Fraction | None, Fraction | None]        # None = unbounded


def _affine_bounds(row: Any, b: Fraction, zb: list[Bound]) -> Bound:
    lo: Fraction | None = b
    hi: Fraction | None = b
    for a, (l, u) in zip(row, zb):
        if a == 0:
            continue
        lo_t, hi_t = (l, u) if a > 0 else (u, l)
        lo = None if lo is None or lo_t is None else lo + a * lo_t
        hi = None if hi is None or hi_t is None else hi + a * hi_t
    return lo, hi


def _first_bounds(W: Any, b: Any, domain: Any, n: int) -> list[Bound]:
    from ..convex.polyhedra import Polyhedron, as_box
    if domain is None:
        return [(bi, bi) if not any(r) else (None, None) for r, bi in zip(W, b)]
    if isinstance(domain, Polyhedron):
        out = []
        for r, bi in zip(W, b):
            if not any(r):
                out.append((bi, bi))
                continue
            hi = domain.maximize(r)[0]
            lo = domain.maximize([-v for v in r])[0]
            out.append((None if lo == math.inf else bi - lo,
                        None if hi == math.inf else bi + hi))
        return out
    box = as_box(domain, n)
    return [_affine_bounds(r, bi, [(lo, hi) for lo, hi in box]) for r, bi in zip(W, b)]


def unit_bounds(net: Any, domain: Any = None) -> list[list[Bound]]:
    """Exact bounds (lo, hi) of every hidden pre-activation over ``domain`` (None for an
    unbounded side): exact LPs or intervals in the first layer, intervals after."""
    bounds = []
    zb = None
    for i, (W, b) in enumerate(net.layers[:-1]):
        pre = _first_bounds(W, b, domain, net.n_inputs) if i == 0 else \
            [_affine_bounds(r, bi, zb) for r, bi in zip(W, b)]
        bounds.append(pre)
        zb = [(ZERO if lo is None or lo < 0 else lo, None if hi is None else max(hi, ZERO))
              for lo, hi in pre]
    return bounds


# ------------------------------------------------------------------ helpers
def _key(row: list[Fraction], b: Fraction) -> tuple[tuple[int, ...], Fraction]:
    from .hinge import primitive
    return primitive(list(row) + [b])


def _rref(M: list[list[Fraction]]) -> tuple[list[list[Fraction]], list[int]]:
    A = [list(r) for r in M]
    rows, cols = len(A), len(A[0]) if A else 0
    piv: list[int] = []
    r = 0
    for c in range(cols):
        p = next((i for i in range(r, rows) if A[i][c] != 0), None)
        if p is None:
            continue
        A[r], A[p] = A[p], A[r]
        inv = 1 / A[r][c]
        A[r] = [v * inv for v in A[r]]
        for i in range(rows):
            if i != r and A[i][c] != 0:
                f = A[i][c]
                A[i] = [x - f * y for x, y in zip(A[i], A[r])]
        piv.append(c)
        r += 1
        if r == rows:
            break
    return A[:r], piv


class _Layers:
    """Mutable copy of a network's layers (lists of Fractions)."""

    def __init__(self, net: Any):
        self.L = [([list(r) for r in W], list(b)) for W, b in net.layers]

    def drop(self, k: int, keep: list[int]) -> None:
        W, b = self.L[k]
        self.L[k] = ([W[i] for i in keep], [b[i] for i in keep])
        Wn, bn = self.L[k + 1]
        self.L[k + 1] = ([[r[i] for i in keep] for r in Wn], bn)

    def network(self) -> Any:
        from .network import ReLUNetwork
        return ReLUNetwork._trusted([(tuple(tuple(r) for r in W), tuple(b))
                                     for W, b in self.L])


def _compose_layer(L: _Layers, k: int, active: list[bool]) -> None:
    """Remove hidden layer k, every unit of which is affine (active or dead) on the domain."""
    W, b = L.L[k]
    Wn, bn = L.L[k + 1]
    n_in = len(W[0]) if W else (len(L.L[k - 1][0]) if k > 0 else None)
    if n_in is None:
        n_in = 0
    newW = [[sum((r[i] * W[i][j] for i in range(len(W)) if active[i]), ZERO)
             for j in range(n_in)] for r in Wn]
    newb = [bj + sum((r[i] * b[i] for i in range(len(W)) if active[i]), ZERO)
            for r, bj in zip(Wn, bn)]
    L.L[k:k + 2] = [(newW, newb)]


def _drop_constant_and_dead(L: _Layers, k: int, bounds: list[Bound] | None,
                            rep: SimplifyReport) -> tuple[list[int], list[bool], bool]:
    """Units with zero input weights become constants of the next layer; units with zero
    output weights or never active on the domain go. Returns (kept units, always-active
    flags, changed)."""
    W, b = L.L[k]
    Wn, bn = L.L[k + 1]
    changed = False
    keep = []
    active = [False] * len(W)
    for i in range(len(W)):
        lo, hi = bounds[i] if bounds is not None else (None, None)
        if not any(W[i]):
            if b[i] > 0:
                for r, j in zip(Wn, range(len(bn))):
                    bn[j] += r[i] * b[i]
            rep.constant += 1
            changed = True
            continue
        if all(r[i] == 0 for r in Wn) or (hi is not None and hi <= 0):
            rep.dead += 1
            changed = True
            continue
        active[i] = lo is not None and lo >= 0
        keep.append(i)
    return keep, active, changed


def _merge_proportional(L: _Layers, k: int, keep: list[int], rep: SimplifyReport
                        ) -> tuple[dict, list[int], bool]:
    """Units that are positive multiples of each other merge into one; returns (groups by
    direction and orientation, survivors, changed)."""
    W, b = L.L[k]
    Wn = L.L[k + 1][0]
    groups: dict[tuple[int, ...], dict[int, tuple[int, Fraction]]] = {}
    survivors = []
    changed = False
    for i in keep:
        h, s = _key(W[i], b[i])
        sign = 1 if s > 0 else -1
        g = groups.setdefault(h, {})
        if sign in g:
            j, sj = g[sign]
            f = s / sj                      # positive
            for r in Wn:
                r[j] += f * r[i]
                r[i] = ZERO
            rep.merged += 1
            changed = True
            continue
        g[sign] = (i, s)
        survivors.append(i)
    return groups, survivors, changed


def _fold_affine(L: _Layers, k: int, survivors: list[int], affine_units: list[int],
                 pairs: list, rep: SimplifyReport) -> bool:
    """Always-active units (relu(u) = u) and the negative member of opposite pairs
    (relu(u_neg) = relu(-u_neg) + u_neg) carried as an affine part: 2 carrier units per
    rank of that part; applied (True) only when it removes more units than it adds."""
    W, b = L.L[k]
    Wn, bn = L.L[k + 1]
    n_in = len(W[0])
    m = len(Wn)
    M = [[ZERO] * n_in for _ in range(m)]
    m0 = [ZERO] * m
    removed = set()

    def add(coef: list[Fraction], i: int, scale: Fraction) -> None:
        for t in range(m):
            c = coef[t] * scale
            if c:
                for j in range(n_in):
                    M[t][j] += c * W[i][j]
                m0[t] += c * b[i]

    for i in affine_units:                     # relu(u) = u
        add([r[i] for r in Wn], i, Fraction(1))
        removed.add(i)
    for ip, ineg, sp, sn in pairs:             # relu(u_neg) = relu(-u_neg) + u_neg
        f = -sn / sp                           # -u_neg = f u_pos, f > 0
        col = [r[ineg] for r in Wn]
        add(col, ineg, Fraction(1))
        for t, r in enumerate(Wn):
            r[ip] += col[t] * f
        removed.add(ineg)
    U, piv = _rref(M)
    cost = 2 * len(U)
    if cost >= len(removed):
        # not worth it: move the pairs' output weights back
        for ip, ineg, sp, sn in pairs:
            f = -sn / sp
            for r in Wn:
                r[ip] -= r[ineg] * f
        return False
    cols = [i for i in survivors if i not in removed]
    newW = [W[i] for i in cols]
    newb = [b[i] for i in cols]
    outW = [[r[i] for i in cols] for r in Wn]
    for u in U:
        newW += [list(u), [-v for v in u]]
        newb += [ZERO, ZERO]
    for t, r in enumerate(outW):
        for p in piv:
            r += [M[t][p], -M[t][p]]
        bn[t] += m0[t]
    L.L[k] = (newW, newb)
    L.L[k + 1] = (outW, bn)
    rep.affine += len(removed)
    rep.carriers += cost
    return True


def _layer_pass(L: _Layers, k: int, bounds: list[Bound] | None, rep: SimplifyReport) -> bool:
    """Simplify hidden layer k in place; True when something changed."""
    keep, active, changed = _drop_constant_and_dead(L, k, bounds, rep)
    groups, survivors, merged = _merge_proportional(L, k, keep, rep)
    changed = changed or merged
    affine_units = [i for i in survivors if active[i]]
    pairs = [(g[1][0], g[-1][0], g[1][1], g[-1][1]) for g in groups.values()
             if 1 in g and -1 in g and not active[g[1][0]] and not active[g[-1][0]]]
    if affine_units and len(affine_units) == len(survivors):
        # the whole layer is linear on the domain: compose it away
        L.drop(k, survivors)
        _compose_layer(L, k, [True] * len(survivors))
        rep.affine += len(survivors)
        rep.folded_layers += 1
        return True
    if (affine_units or pairs) and _fold_affine(L, k, survivors, affine_units, pairs, rep):
        return True
    if changed:
        if not survivors:
            # every unit constant or dead: the next layer sees a constant; compose away
            n_in = len(L.L[k][0][0])
            L.L[k:k + 2] = [([[ZERO] * n_in for _ in L.L[k + 1][0]], list(L.L[k + 1][1]))]
            rep.folded_layers += 1
        else:
            L.drop(k, survivors)
    return changed


def simplified(net: Any, domain: Any = None, *, report: bool = False) -> Any:
    """An equal network with fewer (or as many) hidden units; see the module docstring.

    Parameters
    ----------
    net : ReLUNetwork
    domain : box (sequence of (lo, hi)) or Polyhedron, optional
        The result equals ``net`` on this domain (default: all of R^n). With a domain,
        units always active or always dead there are folded.
    report : bool
        Also return a :class:`SimplifyReport`.
    """
    from .network import ReLUNetwork
    if not isinstance(net, ReLUNetwork):
        raise NotExactError(f"simplified: expected a ReLUNetwork, got {type(net).__name__}")
    if domain is not None:
        from .hinge import _check_domain
        domain = _check_domain(domain, net.n_inputs)
    rep = SimplifyReport(widths_before=net.widths)
    cur = net
    for _ in range(4 * (net.depth + 2)):
        L = _Layers(cur)
        bounds = unit_bounds(cur, domain) if domain is not None else None
        changed = False
        for k in range(len(L.L) - 1):
            b = bounds[k] if bounds is not None and len(L.L) == cur.depth else None
            if _layer_pass(L, k, b, rep):
                changed = True
                break                   # bounds of later layers are stale: restart
        cur = L.network()
        if not changed:
            break
    cur = _drop_zero_layers(cur)
    rep.widths_after = cur.widths
    return (cur, rep) if report else cur


def _drop_zero_layers(net: Any) -> Any:
    """A hidden layer of one unit with a zero row feeds a constant: compose it away."""
    L = _Layers(net)
    k = 0
    while k < len(L.L) - 1:
        W, b = L.L[k]
        if len(W) == 1 and not any(W[0]) and b[0] == 0:
            Wn, bn = L.L[k + 1]
            n_in = len(W[0])
            L.L[k:k + 2] = [([[ZERO] * n_in for _ in Wn], list(bn))]
            continue
        k += 1
    return L.network()


def fold_linear_layers(net: Any, domain: Any) -> Any:
    """Compose away leading hidden layers that are linear on ``domain`` (every unit
    provably active or dead there, decided exactly); without a domain only layers whose
    units are all constant fold. The result equals ``net`` on the domain."""
    from ..convex.polyhedra import Polyhedron
    if domain is not None and not isinstance(domain, Polyhedron):
        from ..convex.polyhedra import as_box
        domain = as_box(domain, net.n_inputs)
    cur = net
    while cur.n_hidden_layers >= 1:
        W, b = cur.layers[0]
        Wn = cur.layers[1][0]
        bnds = _first_bounds(W, b, domain, cur.n_inputs)
        active: list[bool | None] = []
        for lo, hi in bnds:
            if hi is not None and hi <= 0:
                active.append(False)
            elif lo is not None and lo >= 0:
                active.append(True)
            else:
                active.append(None)
        if any(a is None for a in active) and not _linear_pairs(W, b, Wn, active):
            return cur
        L = _Layers(cur)
        _compose_layer(L, 0, [bool(a) for a in active])
        cur = L.network()
    return cur


def _linear_pairs(W: Any, b: Any, Wn: Any, active: list) -> bool:
    """Resolve undecided units that only occur as c (relu(u) - relu(-u)) = c u downstream:
    an opposite pair i, j (u_j = -f u_i, f > 0) whose outgoing columns satisfy
    r_j = -r_i / f in every next row counts as i active, j dead. Updates ``active``;
    True when every unit is then decided."""
    open_units = [i for i, a in enumerate(active) if a is None]
    by_key: dict[tuple[int, ...], dict[int, list[tuple[int, Fraction]]]] = {}
    for i in open_units:
        if not any(W[i]):
            return False
        h, s = _key(list(W[i]), b[i])
        by_key.setdefault(h, {}).setdefault(1 if s > 0 else -1, []).append((i, s))
    for g in by_key.values():
        pos, neg = g.get(1, []), g.get(-1, [])
        if len(pos) != 1 or len(neg) != 1:
            return False
        (i, si), (j, sj) = pos[0], neg[0]
        f = -sj / si
        if any(r[j] != -r[i] / f for r in Wn):
            return False
        active[i], active[j] = True, False
    return True


def _check(net: Any) -> None:
    if net.n_outputs < 1:
        raise DimensionError("simplified: the network has no outputs")

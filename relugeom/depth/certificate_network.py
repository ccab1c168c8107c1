"""A MAX_n certificate as a two-hidden-layer network: widths by orbits, units by hashing.

Layer 1 has the units relu(x_a - x_b) (a < b) and relu(+-x_k), so that
max(x_a, x_b) = x_b + relu(x_a - x_b) (n(n-1)/2 + 2n units). Layer 2 has one unit
relu(B - A) per term and permutation, and relu(+-S) carrying the linear part S.

*Merging.* The second-layer row of term t under s is a linear image of the signed
multigraph ``M = s(R_t) - s(L_t)`` (unordered index pairs, loops for [a, a], multiplicities
R minus L), and the map M -> row is injective. So rows are positive multiples of each other
iff their graphs are (M divided by the gcd of its multiplicities), and opposite iff the
graphs are; relu(-r) = relu(r) - r folds an opposite pair into one unit (the -r goes to the
linear part). The rows of a term over all of S_n are the S_n-orbit of its graph, of size
n! / |Aut|, each row reached by |Aut| permutations. :func:`network_widths` counts the merged
units from the orbits (automorphisms and isomorphisms by backtracking over the at most n
vertices), with no enumeration of permutations; :func:`certificate_network` builds the
merged network by hashing the rows, refused up front (TooLargeError) when the estimate is
over ``max_weights``.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import TooLargeError

__all__ = ["network_widths", "NetworkWidths", "certificate_network", "combinator_network",
           "signed_graph"]

Graph = tuple[tuple[tuple[int, int], int], ...]       # sorted ((a, b), multiplicity)


def signed_graph(L: Sequence[tuple[int, int]], R: Sequence[tuple[int, int]]) \
        -> tuple[Graph, int]:
    """``(M / g, g)``: the term's graph R - L with the gcd g of its multiplicities."""
    w: Counter = Counter()
    for side, sg in ((R, 1), (L, -1)):
        for a, b in side:
            w[(min(a, b), max(a, b))] += sg
    items = tuple(sorted((p, v) for p, v in w.items() if v))
    g = math.gcd(*(v for _, v in items)) if items else 0
    return tuple((p, v // g) for p, v in items) if g else (), g


def _neg(G: Graph) -> Graph:
    return tuple((p, -v) for p, v in G)


def _vertex_invariants(G: Graph) -> dict[int, tuple]:
    inc: dict[int, list] = {}
    for (a, b), v in G:
        inc.setdefault(a, []).append((v, a == b))
        if a != b:
            inc.setdefault(b, []).append((v, False))
    return {u: tuple(sorted(x)) for u, x in inc.items()}


def _matches(G1: Graph, G2: Graph, count: bool) -> int:
    """Bijections of the vertices of G1 onto those of G2 carrying G1 to G2 (their number,
    or 1/0 for existence when ``count`` is False)."""
    d1, d2 = dict(G1), dict(G2)
    i1, i2 = _vertex_invariants(G1), _vertex_invariants(G2)
    if len(i1) != len(i2) or sorted(i1.values()) != sorted(i2.values()) or \
            sorted(d1.values()) != sorted(d2.values()):
        return 0
    adj: dict[int, set] = {u: set() for u in i1}
    for (a, b), _ in G1:
        adj[a].add(b)
        adj[b].add(a)
    order: list[int] = []                 # connected order: most constrained first
    left = set(i1)
    while left:
        nxt = max(left, key=lambda u: (sum(w in adj[u] for w in order), len(adj[u])))
        order.append(nxt)
        left.discard(nxt)
    phi: dict[int, int] = {}
    used: set[int] = set()

    def ok(u: int, x: int) -> bool:
        for w, y in phi.items():
            p, q = (min(u, w), max(u, w)), (min(x, y), max(x, y))
            if d1.get(p, 0) != d2.get(q, 0):
                return False
        return d1.get((u, u), 0) == d2.get((x, x), 0)

    def go(i: int) -> int:
        if i == len(order):
            return 1
        u = order[i]
        total = 0
        for x in i2:
            if x in used or i2[x] != i1[u] or not ok(u, x):
                continue
            phi[u] = x
            used.add(x)
            total += go(i + 1)
            del phi[u]
            used.discard(x)
            if total and not count:
                return total
        return total

    return go(0)


@dataclass
class NetworkWidths:
    """Second-layer widths of a certificate's network (first layer n(n-1)/2 + 2n)."""

    n: int
    first: int
    units: int              # one unit per term and injection (+ 2 for the linear part)
    merged: int             # distinct units, positive multiples merged, opposites folded
    nonzero: int            # of those, the ones whose net coefficient is not 0 (+ 2)
    classes: int            # orbit classes (up to sign) of the terms' graphs

    def as_tuple(self) -> tuple[int, int]:
        return (self.first, self.nonzero)


def _as_certificate(cert: Any) -> Any:
    """A Certificate, or a NotExactError naming the value (what load_certificate reads is
    read; certificates.py imports this module, so the import is here)."""
    from .certificates import _as_certificate as as_certificate
    return as_certificate(cert)


def network_widths(cert: Any) -> NetworkWidths:
    """Merged widths from the orbits of the terms' graphs (no enumeration of S_n)."""
    cert = _as_certificate(cert)
    n = cert.n
    fn = math.factorial(n)
    classes: list[tuple[Graph, int, bool, Fraction]] = []   # graph, orbit, self-opposite, C
    units = 2
    for c, L, R in cert.terms:
        used = {v for p in (*L, *R) for v in p}
        units += math.perm(n, len(used))
        G, g = signed_graph(L, R)
        if not G:
            continue
        verts = {v for (a, b), _ in G for v in (a, b)}
        aut = _matches(G, G, True) * math.factorial(n - len(verts))
        weight = c * g * aut              # coefficient of each row of the orbit
        for i, (H, orb, selfopp, C) in enumerate(classes):
            if _matches(G, H, False) or (not selfopp and _matches(G, _neg(H), False)):
                classes[i] = (H, orb, selfopp, C + weight * (2 if selfopp else 1))
                break
        else:
            selfopp = bool(_matches(G, _neg(G), False))
            classes.append((G, fn // aut, selfopp, weight * (2 if selfopp else 1)))
    merged = sum(orb // 2 if so else orb for _, orb, so, _ in classes)
    nonzero = sum(orb // 2 if so else orb for _, orb, so, C in classes if C != 0) + 2
    return NetworkWidths(n, n * (n - 1) // 2 + 2 * n, units, merged + 2, nonzero,
                         len(classes))


def _check_network_size(cert: Any, widths: NetworkWidths, what: str) -> None:
    """Refuse up front: the merged width times the first layer against max_weights, and
    the injections to hash against 20 x max_weights."""
    from ..config import get_limit
    limit = get_limit("max_weights")
    weights = widths.merged * (widths.first + 1)
    if weights > limit or widths.units * widths.first > 20 * limit:
        raise TooLargeError(
            f"{what}: the network of this n = {cert.n} certificate has {widths.merged:,} "
            f"second-layer units after merging ({widths.units:,} before), about "
            f"{weights:,} weights, over max_weights={limit:,} (raise it with "
            f"relugeom.limits(max_weights=...)); its widths without building it: "
            f"relugeom.depth.certificates.network_widths")


def certificate_network(cert: Any, *, simplify: bool = True, progress: bool = False) -> Any:
    """F as a two-hidden-layer ReLU network (exact weights).

    Second-layer units are merged as they are made (rows hashed: positive multiples
    merged, opposite pairs folded into the linear part, zero net coefficients dropped).
    With ``simplify`` (default) a network of at most 3,000 second-layer units is also
    passed through :meth:`ReLUNetwork.simplified`. Refused up front (TooLargeError) when
    :func:`network_widths` puts it over ``max_weights``; ``progress`` shows a tqdm bar.
    """
    from ..networks.network import ReLUNetwork
    cert = _as_certificate(cert)
    n = cert.n
    widths = network_widths(cert)
    _check_network_size(cert, widths, "certificate_network")
    pairs = [(a, b) for a in range(n) for b in range(a + 1, n)]
    pidx = {p: i for i, p in enumerate(pairs)}
    w1 = len(pairs) + 2 * n
    zero = Fraction(0)
    W1 = [[Fraction(1 if i == a else -1 if i == b else 0) for i in range(n)]
          for a, b in pairs]
    W1 += [[Fraction(s if i == k else 0) for i in range(n)] for s in (1, -1)
           for k in range(n)]

    units: dict[bytes, list] = {}
    S = [Fraction(0)] * w1
    it = list(cert.terms)
    if progress:
        from tqdm.auto import tqdm
        it = tqdm(it, desc="certificate network", unit="term", leave=False)
    for c, L, R in it:
        used = sorted({v for p in (*L, *R) for v in p})
        w = c * math.factorial(n - len(used))
        for P in _injection_blocks(n, len(used)):
            A, D = (_side_rows(n, pidx, side, used, P) for side in (L, R))
            D -= A
            for i, v in enumerate(A.sum(axis=0).tolist()):
                if v:
                    S[i] += w * v
            _add_units(units, S, w, D)
    rows2 = [[Fraction(v) for v in r] for r, c in units.values() if c != 0]
    outs = [c for _, c in units.values() if c != 0]
    rows2 += [S, [-v for v in S]]
    outs += [Fraction(1), Fraction(-1)]
    net = ReLUNetwork._trusted([(W1, [zero] * w1), (rows2, [zero] * len(rows2)),
                                ([outs], [zero])])
    return net.simplified() if simplify and len(rows2) <= 3000 else net


_BLOCK = 1 << 16


def _injection_blocks(n: int, k: int) -> Any:
    """All injections {0..k-1} -> {0..n-1} as int64 rows, in blocks."""
    import numpy as np
    it = itertools.permutations(range(n), k)
    while True:
        chunk = list(itertools.islice(it, _BLOCK))
        if not chunk:
            return
        yield np.array(chunk, dtype=np.int64).reshape(len(chunk), k)


def _side_rows(n: int, pidx: dict[tuple[int, int], int], side: Sequence[tuple[int, int]],
               used: list[int], P: Any) -> Any:
    """First-layer coefficients of sum max(x_s(a), x_s(b)) for every injection (rows):
    max(x_lo, x_hi) = x_hi + relu(x_lo - x_hi), x_hi = relu(x_hi) - relu(-x_hi)."""
    import numpy as np
    npairs = len(pidx)
    w1 = npairs + 2 * n
    pos = {v: i for i, v in enumerate(used)}
    tri = np.zeros((n, n), dtype=np.int64)
    for (a, b), i in pidx.items():
        tri[a, b] = i
    base = np.arange(len(P), dtype=np.int64) * w1
    M = np.zeros(len(P) * w1, dtype=np.int64)
    for a, b in side:
        x, y = P[:, pos[a]], P[:, pos[b]]
        lo, hi = np.minimum(x, y), np.maximum(x, y)
        M += np.bincount(base + npairs + hi, minlength=len(M))
        M -= np.bincount(base + npairs + n + hi, minlength=len(M))
        ne = lo != hi
        M += np.bincount((base + tri[lo, hi])[ne], minlength=len(M))
    return M.reshape(len(P), w1)


def _add_units(units: dict[bytes, list], S: list[Fraction], w: Fraction, D: Any) -> None:
    """Merge the rows D (weight w each) into units by hashing: relu(g r) = g relu(r),
    relu(-r) = relu(r) - r (the -r added to the linear part S)."""
    import numpy as np
    D = D[D.any(axis=1)]
    if not len(D):
        return
    U, cnt = np.unique(D, axis=0, return_counts=True)
    g = np.gcd.reduce(np.abs(U), axis=1)
    lead = U[np.arange(len(U)), (U != 0).argmax(axis=1)]
    sg = np.sign(lead)
    neg = sg < 0
    if neg.any():
        for i, v in enumerate((U[neg] * cnt[neg][:, None]).sum(axis=0).tolist()):
            if v:
                S[i] += w * v
    prim = U // (g * sg)[:, None]
    scale = cnt * g
    for r, sc in zip(prim, scale.tolist()):
        key = r.tobytes()
        ent = units.get(key)
        if ent is None:
            units[key] = [r.tolist(), w * sc]
        else:
            ent[1] += w * sc


def combinator_network(cert: Any, *, simplify: bool = True) -> Any:
    """F built from the public combinators only (Lemma D.3 gadgets for every pairwise
    max and every max(A, B), :func:`relugeom.network.sum_networks` for the sums), as a
    researcher would: for the n = 5 example that is widths (4800, 1440). With
    ``simplify=True`` each term's sum over S_n is simplified as it is formed (the full
    sum would exceed the weight limit), then the total (n = 5: (20, 107))."""
    from ..networks.maxaffine import network_from_max_affine
    from ..networks.network import (
        ReLUNetwork,
        compose_networks,
        maximum_network,
        sum_networks,
    )
    cert = _as_certificate(cert)
    n = cert.n

    def unit(i: int) -> tuple[Fraction, ...]:
        return tuple(Fraction(int(j == i)) for j in range(n))

    def pmax(a: int, b: int) -> Any:
        if a == b:
            return ReLUNetwork._trusted([((unit(a),), (Fraction(0),))])
        return network_from_max_affine([(unit(a), 0), (unit(b), 0)])

    parts = []
    for c, L, R in cert.terms:
        scale = ReLUNetwork._trusted([(((c,),), (Fraction(0),))])
        nets = []
        for s in itertools.permutations(range(n)):
            A = sum_networks(*[pmax(s[a], s[b]) for a, b in L])
            B = sum_networks(*[pmax(s[a], s[b]) for a, b in R])
            nets.append(compose_networks(scale, maximum_network(A, B)))
        parts.append(sum_networks(*nets, simplify=simplify))
    return sum_networks(*parts, simplify=simplify)



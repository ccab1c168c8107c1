"""Exact hyperplane dichotomies of a point set, with the extreme rays of their cones.

A dichotomy of data x_1..x_D in R^n is a set P = {j : <a, x_j> + b > 0} for some (a, b):
a full-dimensional region of the central arrangement {z : <(x_j, 1), z> = 0} in R^{n+1}.
The closure of region P is the cone C_P of parameters (a, b) of a hidden unit that is
active (>= 0) on P and inactive (<= 0) off P. On the data the unit then computes
sigma(<x~_j, z>) = sum_h mu_h sigma(<x~_j, h>) for z = sum_h mu_h h over the extreme rays
h of C_P, mu >= 0: so each program of Algorithm 1 is a problem over mu >= 0 whose
columns are the vectors sigma(X~ h).

Enumeration (all decisions exact, in rational / integer arithmetic):

* The data are first reduced to their affine hull (dimension k) by keeping k coordinates
  on which the projection is injective; repeated points share one hyperplane.
* k = 0: two dichotomies (all, none). k = 1 (the fast path, always used for n = 1):
  sort the m distinct values; the regions are all, none, {u >= v_i} and {u <= v_i}, with
  the thresholds as rays: 2m dichotomies.
* k >= 2: every extreme ray of a region is the normal h of a hyperplane through k
  affinely independent data points. For each such hyperplane (once per zero set Z) the
  regions whose closure contains h are sign(<x~, h>) off Z combined with each
  dichotomy of Z (recursively, in one dimension less); the same for -h.
"""
from __future__ import annotations

import itertools
from fractions import Fraction
from math import comb, lcm
from typing import Sequence

from ._exact import ONE, ZERO, dot, nullspace, rref

Point = tuple[Fraction, ...]


def cover_count(D: int, n: int) -> int:
    """Number of affine dichotomies of D points in general position in R^n (Cover 1965):
    2 * sum_{i=0}^{n} C(D-1, i) (for D >= 1; 1 for D = 0).

    ``D`` and ``n`` are non-negative ints (bools refused): another type is a
    NotExactError, a negative value a DomainError, and a count whose terms would take
    more than ``max_bytes`` a TooLargeError, all before computing.
    """
    from ..config import check_size
    from ..errors import DomainError, NotExactError
    from ..numbers.rational import short
    for name, v in (("D", D), ("n", n)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise NotExactError(f"cover_count: {name} must be a non-negative int, got "
                                f"{short(v)} of type {type(v).__name__}")
        if v < 0:
            raise DomainError(f"cover_count: {name} must be >= 0, got {short(v)}")
    if D == 0:
        return 1
    if n >= D - 1:                                    # every subset: 2 * 2^(D-1)
        check_size("max_bytes", D // 8, "cover_count")
        return 1 << D
    check_size("max_bytes", (n + 1) * (D.bit_length() * (n + 1)) // 8, "cover_count")
    return 2 * sum(comb(D - 1, i) for i in range(n + 1))


def _hull_coordinates(pts: Sequence[Point]) -> list[int]:
    """Coordinates on which projection is injective on the affine hull of ``pts``."""
    p0 = pts[0]
    dirs = [[a - b for a, b in zip(p, p0)] for p in pts[1:]]
    dirs = [d for d in dirs if any(v != 0 for v in d)]
    if not dirs:
        return []
    _, piv = rref(dirs, len(p0))
    return piv


def _integer_lift(pts: Sequence[Point]) -> list[tuple[int, ...]]:
    """(L u, L) with one positive integer L per point: same signs as (u, 1)."""
    out = []
    for p in pts:
        L = lcm(*(v.denominator for v in p)) if p else 1
        out.append(tuple(int(v * L) for v in p) + (L,))
    return out


class Arrangement:
    """The dichotomies of ``points`` (distinct or not) and the rays of their cones.

    Attributes (plain, built once): ``masks`` (bitmask of P over the input indices, one
    per region, in canonical order: increasing mask), ``region_rays`` (ray ids per
    region), ``rays`` ((a_1..a_n, b) exact), ``columns`` (sigma(<x~_j, h>) per ray).
    """

    def __init__(self, points: Sequence[Point], *, rays: bool = True):
        self.n = len(points[0]) if points else 0
        self.D = len(points)
        uniq: dict[Point, int] = {}
        self.point_of = [uniq.setdefault(tuple(p), len(uniq)) for p in points]
        self.distinct = list(uniq)
        self._want_rays = rays
        self._rays: dict[tuple[Fraction, ...], int] = {}
        self.rays: list[tuple[Fraction, ...]] = []
        regions: dict[int, set[int]] = {}
        if not points:
            self.masks, self.region_rays = [0], [[]]
            self.columns = []
            return
        coords = _hull_coordinates(self.distinct)
        self.coords = coords
        red = [tuple(p[c] for c in coords) for p in self.distinct]
        k = len(coords)
        if k == 0:
            self._add(regions, 1, self._ray([ZERO] * 0, ONE))
            self._add(regions, 0, self._ray([], -ONE))
        elif k == 1:
            self._one_dim(regions, [u[0] for u in red])
        else:
            self._general(regions, red, k)
        # expand masks over distinct points to masks over input indices
        order = sorted(regions)
        full = []
        for m in order:
            full.append(sum(1 << j for j, q in enumerate(self.point_of) if m >> q & 1))
        idx = sorted(range(len(order)), key=lambda i: full[i])
        self.masks = [full[i] for i in idx]
        self.region_rays = [sorted(regions[order[i]]) for i in idx]
        self.columns = [self._column(h) for h in self.rays] if rays else []

    # -------------------------------------------------------------- helpers
    def _ray(self, a_red: Sequence[Fraction], b: Fraction) -> int:
        if not self._want_rays:
            return -1
        a = [ZERO] * self.n
        for c, v in zip(getattr(self, "coords", []), a_red):
            a[c] = v
        h = tuple(a) + (b,)
        if h not in self._rays:
            self._rays[h] = len(self.rays)
            self.rays.append(h)
        return self._rays[h]

    @staticmethod
    def _add(regions: dict[int, set[int]], mask: int, ray: int) -> None:
        s = regions.setdefault(mask, set())
        if ray >= 0:
            s.add(ray)

    def _column(self, h: tuple[Fraction, ...]) -> tuple[Fraction, ...]:
        vals = [dot(p, h[:-1]) + h[-1] for p in self.distinct]
        vals = [v if v > 0 else ZERO for v in vals]
        return tuple(vals[q] for q in self.point_of)

    def _one_dim(self, regions: dict[int, set[int]], u: list[Fraction]) -> None:
        order = sorted(range(len(u)), key=lambda i: u[i])
        m = len(order)
        right = [self._ray([ONE], -u[i]) for i in order]   # sigma(u - v_i)
        left = [self._ray([-ONE], u[i]) for i in order]    # sigma(v_i - u)
        allm = (1 << m) - 1
        self._add(regions, allm, right[0])
        self._add(regions, allm, left[-1])
        self._add(regions, 0, right[-1])
        self._add(regions, 0, left[0])
        ge = 0
        for t in range(m - 1, 0, -1):          # {u >= v_t} (0-based t >= 1)
            ge |= 1 << order[t]
            self._add(regions, ge, right[t - 1])
            self._add(regions, ge, right[t])
            self._add(regions, allm ^ ge, left[t - 1])   # {u <= v_{t-1}}
            self._add(regions, allm ^ ge, left[t])

    def _general(self, regions: dict[int, set[int]], red: list[Point], k: int) -> None:
        lifted = _integer_lift(red)
        m = len(red)
        seen: set[frozenset[int]] = set()
        for S in itertools.combinations(range(m), k):
            if k == 2:              # the normal is a cross product, in integers
                (p1, p2, p3), (q1, q2, q3) = lifted[S[0]], lifted[S[1]]
                h = [p2 * q3 - p3 * q2, p3 * q1 - p1 * q3, p1 * q2 - p2 * q1]
                if not any(h):
                    continue
            else:
                ns = nullspace([[Fraction(v) for v in lifted[i]] for i in S], k + 1)
                if len(ns) != 1:
                    continue        # affinely dependent: not a hyperplane
                den = lcm(*(v.denominator for v in ns[0]))
                h = [int(v * den) for v in ns[0]]
            vals = [sum(a * b for a, b in zip(p, h)) for p in lifted]
            Z = frozenset(i for i in range(m) if vals[i] == 0)
            if Z in seen:
                continue
            seen.add(Z)
            zl = sorted(Z)
            if len(zl) == k:
                local = range(1 << k)
            else:
                sub = Arrangement([red[i] for i in zl], rays=False)
                local = sub.masks
            pos = sum(1 << i for i in range(m) if vals[i] > 0)
            neg = sum(1 << i for i in range(m) if vals[i] < 0)
            r_pos = self._ray([Fraction(v) for v in h[:-1]], Fraction(h[-1]))
            r_neg = self._ray([Fraction(-v) for v in h[:-1]], Fraction(-h[-1]))
            for tau in local:
                t = sum(1 << zl[i] for i in range(len(zl)) if tau >> i & 1)
                self._add(regions, pos | t, r_pos)
                self._add(regions, neg | t, r_neg)

"""Mutation tests of ``relugeom verify`` (issue 24): faults injected into the
constructions and counts by monkeypatching turn the matching rows false (or make the
check fail). Every row of the quick run is killed by at least one mutant; the mutation
score is printed (``pytest -s``) and must be 100%.

Each mutant reruns only the checks it targets (``verify.run(names=...)``)."""
from __future__ import annotations

import dataclasses
import math
import sys
from fractions import Fraction as F

import pytest

from relugeom import erm
from relugeom.depth import bounds, certificates, families, zonotope_hard
from relugeom.functions.pwl import PiecewiseLinear
from relugeom.geometry import equality, zonotope
from relugeom.geometry.regionset import LinearRegions
from relugeom.networks import convert, network
from relugeom.networks.network import ReLUNetwork
from relugeom.paper import verify


def _everywhere(mp: pytest.MonkeyPatch, module: object, name: str, new: object) -> None:
    """Replace ``module.name`` and every copy of it imported by name into a relugeom
    module (``from ..x import name``)."""
    real = getattr(module, name)
    mp.setattr(module, name, new)
    for modname, mod in list(sys.modules.items()):
        if modname.startswith("relugeom") and mod is not module and \
                getattr(mod, name, None) is real:
            mp.setattr(mod, name, new)


# ---------------------------------------------------------------------------- mutants
def zigzag_without_mirrored_branches(mp):
    def wrong(a, M):
        e = [F(0), *a, M]
        return [(e[i], (e[i + 1] - e[i]) / M) for i in range(len(e) - 1)]
    mp.setattr(families, "_layer_maps", wrong)


def h_with_one_piece_fewer(mp):
    real = families.hard_function

    def wrong(params, M=1):
        H = real(params, M)
        bs = list(H.breakpoints)
        drop = bs[len(bs) // 2]
        pts = [(b, H(b)) for b in bs if b != drop]
        return PiecewiseLinear.from_points(pts, left_slope=H.left_slope,
                                           right_slope=H.right_slope)
    _everywhere(mp, families, "hard_function", wrong)


def hard_function_ignores_last_layer(mp):
    real = families.hard_function

    def wrong(params, M=1):
        ps = [list(a) for a in params]
        if len(ps) > 1 and len(ps[0]) == len(ps[-1]):
            ps[-1] = ps[0]
        return real(ps, M)
    _everywhere(mp, families, "hard_function", wrong)


def sawtooth_one_tooth_short(mp):
    real = families.sawtooth

    def wrong(k):
        f = real(k)
        bs = list(f.breakpoints)
        return PiecewiseLinear.from_points([(b, f(b)) for b in bs[:-2] + bs[-1:]],
                                           left_slope=f.left_slope, right_slope=f.right_slope)
    _everywhere(mp, families, "sawtooth", wrong)


def zonotope_vertex_count_plus_one(mp):
    mp.setattr(zonotope.Zonotope, "n_vertices", property(lambda self: len(self.vertices()) + 1))


def support_function_off_on_one_generator(mp):
    real = zonotope.Zonotope.support_network

    def wrong(self):
        (W, b), out = real(self).layers
        W = [tuple(2 * x for x in W[0]), *W[1:]]
        return ReLUNetwork([(W, b), out])
    mp.setattr(zonotope.Zonotope, "support_network", wrong)


def lemma_d5_bound_off_by_one(mp):
    real = bounds.max_pieces
    mp.setattr(bounds, "max_pieces", lambda widths: real(widths) + 1)


def least_size_off_by_one(mp):
    real = bounds.min_size_exact
    mp.setattr(bounds, "min_size_exact", lambda *a: real(*a) + 1)


def gap_bound_off_by_one(mp):
    real = bounds.gap_lower_bound
    mp.setattr(bounds, "gap_lower_bound", lambda *a, **kw: real(*a, **kw) + 1)


def corollary_3_4_bound_off_by_one(mp):
    real = bounds.corollary_3_4

    def wrong(k, **kw):
        s = real(k, **kw)
        return dataclasses.replace(s, shallow_min_size=s.shallow_min_size + 1)
    mp.setattr(bounds, "corollary_3_4", wrong)


def threshold_off_by_a_tiny_amount(mp):
    import sympy
    real = bounds.approximation_size_bound
    mp.setattr(bounds, "approximation_size_bound",
               lambda *a, **kw: real(*a, **kw) + sympy.Rational(1, 10 ** 9))


def tooth_bound_off(mp):
    real = bounds.sawtooth_error_bound
    mp.setattr(bounds, "sawtooth_error_bound", lambda *a: real(*a) + F(1, 4))


def l1_distance_off(mp):
    real = bounds.l1_distance
    mp.setattr(bounds, "l1_distance", lambda *a: real(*a) + F(1, 1000))


def erm_optimum_off_by_a_thousandth(mp):
    real = erm.fit

    def wrong(*a, **kw):
        res = real(*a, **kw)
        return dataclasses.replace(res, objective=res.objective + F(1, 1000))
    mp.setattr(erm, "fit", wrong)


def cover_count_off_by_one(mp):
    real = erm.cover_count
    mp.setattr(erm, "cover_count", lambda *a: real(*a) + 1)


def binomial_off_in_the_running_time(mp):
    real = math.comb
    mp.setattr(math, "comb", lambda n, k: real(n, k) + (k == 2))


def certificate_coefficient_changed(mp):
    real = certificates.load_certificate

    def wrong(src):
        cert = real(src)
        (c, L, R), *rest = cert.terms
        return certificates.Certificate(cert.n, ((c + F(1, 3), L, R), *rest))
    mp.setattr(certificates, "load_certificate", wrong)


def _extra_layer(net: ReLUNetwork) -> ReLUNetwork:
    """The same function with one more hidden layer: y = sigma(y) - sigma(-y)."""
    *hidden, (Wo, bo) = net.layers
    m = len(Wo)
    W = [*Wo, *[tuple(-x for x in r) for r in Wo]]
    b = [*bo, *[-x for x in bo]]
    out = [[1 if j == i else (-1 if j == i + m else 0) for j in range(2 * m)]
           for i in range(m)]
    return ReLUNetwork([*hidden, (W, b), (out, [0] * m)])


def wrong_depth_in_combinators(mp):
    """Lemmas D.1-D.3 as the checks see them: one hidden layer too many."""
    from relugeom.paper.checks import core
    for name in ("compose_networks", "sum_networks", "maximum_network"):
        real = getattr(network, name)
        mp.setattr(core, name, lambda *a, _r=real, **kw: _extra_layer(_r(*a, **kw)))
    from relugeom.networks import maxaffine   # the gadget tree of Theorem 2.1 likewise
    real_max = maxaffine.network_from_max_affine
    mp.setattr(maxaffine, "network_from_max_affine",
               lambda *a, **kw: _extra_layer(real_max(*a, **kw)))
    real_z = zonotope_hard.zonotope_network       # and the ZONOTOPE net of Prop. 3.8
    _everywhere(mp, zonotope_hard, "zonotope_network", lambda *a: _extra_layer(real_z(*a)))


def flaps_with_a_spare_unit(mp):
    real = convert.network_from_pwl

    def wrong(f, *a, **kw):
        (W1, b1), (W2, b2) = real(f, *a, **kw).layers
        return ReLUNetwork([([*W1, (1,)], [*b1, 0]), ([[*W2[0], 0]], b2)])
    _everywhere(mp, convert, "network_from_pwl", wrong)


def networks_never_equal(mp):
    _everywhere(mp, equality, "networks_equal", lambda *a, **kw: False)


def pieces_of_regions_plus_one(mp):
    mp.setattr(LinearRegions, "n_pieces", property(lambda self: len(self.pieces()) + 1))


def one_region_dropped(mp):
    real = LinearRegions.regions.fget
    mp.setattr(LinearRegions, "regions", property(lambda self: real(self)[:-1]))
    mp.setattr(LinearRegions, "n_regions", property(lambda self: len(real(self)) - 1))


def pwl_pieces_plus_one(mp):
    real = PiecewiseLinear.n_pieces.fget
    mp.setattr(PiecewiseLinear, "n_pieces", property(lambda self: real(self) + 1))


def integral_off(mp):
    from relugeom.paper.checks import statements
    real = statements._poly_integral
    mp.setattr(statements, "_poly_integral", lambda *a: real(*a) + F(1, 10 ** 6))


# mutant -> the checks it targets
MUTANTS = {
    zigzag_without_mirrored_branches: ["Theorem 3.2", "Symbolic proofs", "Statements",
                                       "Corollary 3.4", "Coverage"],
    h_with_one_piece_fewer: ["Theorem 3.2", "Statements"],
    hard_function_ignores_last_layer: ["Theorem 3.2"],
    sawtooth_one_tooth_short: ["Telgarsky sawtooth", "Statements"],
    zonotope_vertex_count_plus_one: ["Zonotope vertices", "Lemma 3.7", "Proposition 3.8",
                                     "Coverage"],
    support_function_off_on_one_generator: ["Lemma 3.7", "Coverage"],
    lemma_d5_bound_off_by_one: ["Lemma D.5", "Lemma D.6", "Theorem 3.5 threshold",
                                "Theorem 3.1"],
    least_size_off_by_one: ["Lemma D.6", "Theorem 3.1"],
    gap_bound_off_by_one: ["Theorem 3.1", "Corollary 3.3", "Symbolic proofs", "Coverage"],
    corollary_3_4_bound_off_by_one: ["Corollary 3.4", "Symbolic proofs"],
    threshold_off_by_a_tiny_amount: ["Theorem 3.5", "Coverage"],
    tooth_bound_off: ["Theorem 3.5", "Theorem 3.5 threshold"],
    l1_distance_off: ["Theorem 3.5 threshold", "Statements"],
    erm_optimum_off_by_a_thousandth: ["Theorem 4.1"],
    cover_count_off_by_one: ["Theorem 4.1"],
    binomial_off_in_the_running_time: ["Statements"],
    certificate_coefficient_changed: ["Bakaev et al. 2025: max of 5"],
    wrong_depth_in_combinators: ["Lemma D.1-D.4", "Theorem 2.1", "Proposition 3.8"],
    flaps_with_a_spare_unit: ["Theorem 2.2", "Statements"],
    networks_never_equal: ["Lemma D.1-D.4", "Theorem 2.1", "Statements",
                           "Bakaev et al. 2025: max of 5"],
    pieces_of_regions_plus_one: ["Statements", "Proposition 3.8"],
    one_region_dropped: ["Zaslavsky", "Regions tile the box"],
    pwl_pieces_plus_one: ["Theorem 2.2", "Theorem 3.2", "Telgarsky sawtooth",
                          "Statements", "Lemma D.6"],
    integral_off: ["Statements"],
}


def _key(r: verify.Row) -> tuple[str, str]:
    return (r.claim, r.parameters)


def _run(names: list[str]) -> tuple[dict, set]:
    """Rows of the named checks by key, and the checks that raised."""
    rows, crashed = {}, set()
    for name in names:
        try:
            for r in verify.run(names=[name]):
                rows[_key(r)] = r
        except Exception:                       # a failed run kills every row of it
            crashed.add(name)
    return rows, crashed


@pytest.fixture(scope="module")
def baseline() -> dict:
    return {n: {_key(r): r for r in verify.run(names=[n])} for n in verify.checks()}


@pytest.fixture(scope="module")
def kills(baseline) -> dict:
    """For every mutant, the baseline rows it kills: verdict changed (true or erratum
    turned false) or the check failed."""
    out, by_crash = {}, {}
    for mutant, names in MUTANTS.items():
        with pytest.MonkeyPatch.context() as mp:
            mutant(mp)
            rows, crashed = _run(names)
        killed, crash = set(), set()
        for name in names:
            for key, r in baseline[name].items():
                if name in crashed:
                    crash.add(key)
                elif key not in rows or rows[key].holds != r.holds:
                    killed.add(key)
        out[mutant.__name__] = killed | crash
        by_crash[mutant.__name__] = crash - killed
    out["_by_crash_only"] = set().union(*by_crash.values()) - set().union(
        *(out[m] - by_crash[m] for m in by_crash))
    return out


def test_baseline_has_no_false_row(baseline):
    rows = [r for rs in baseline.values() for r in rs.values()]
    assert rows and not [r for r in rows if r.holds == "false"]


def test_every_row_is_killed_by_some_mutant(baseline, kills):
    every = {key for rs in baseline.values() for key in rs}
    crash_only = kills["_by_crash_only"]
    killed = set().union(*(v for k, v in kills.items() if k != "_by_crash_only"))
    score = len(every & killed) / len(every)
    print(f"\nmutation score: {len(every & killed)}/{len(every)} rows killed "
          f"({100 * score:.0f}%) by {len(kills) - 1} mutants; {len(crash_only & every)} of "
          f"them only by a failed run")
    assert every - killed == set(), sorted(every - killed)


@pytest.mark.parametrize("mutant,claim", [
    ("zigzag_without_mirrored_branches", "Theorem 3.2 (symbolic, every k"),
    ("zigzag_without_mirrored_branches", "Theorem 3.2 (symbolic, fixed w and k)"),
    ("h_with_one_piece_fewer", "Theorem 3.2: H has w^k pieces"),
    ("zonotope_vertex_count_plus_one", "Theorem 3.6 (i): zonotope vertices (general"),
    ("support_function_off_on_one_generator", "Lemma 3.7"),
    ("support_function_off_on_one_generator", "Theorem 3.6 (ii)"),
    ("lemma_d5_bound_off_by_one", "Lemma D.5"),
    ("erm_optimum_off_by_a_thousandth", "Algorithm 1 = brute force"),
    ("erm_optimum_off_by_a_thousandth", "Algorithm 1 optimum certified"),
    ("certificate_coefficient_changed", "Bakaev et al. 2025"),
    ("wrong_depth_in_combinators", "Lemma D.1"),
    ("pieces_of_regions_plus_one", "Definition 3"),
    ("threshold_off_by_a_tiny_amount", "Theorem 3.5: size threshold"),
])
def test_matching_rows_turn_false(kills, mutant, claim):
    """The rows the fault is about are among those it kills (all of them)."""
    hit = [k for k in kills[mutant] if k[0].startswith(claim)]
    assert hit, (mutant, claim)

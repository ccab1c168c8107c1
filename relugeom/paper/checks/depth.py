"""Checks of Section 3 in one dimension: the hard family, the gap, approximation, and
the symbolic proofs (Theorems 3.1, 3.2, 3.5, Corollaries 3.3-3.4, Lemma D.6)."""
from __future__ import annotations

import math
import random
from fractions import Fraction

import sympy

from ...depth import bounds
from ...config import get_limit, limits
from ...depth.families import (hard_function, hard_network, n_pieces_hard, random_hard_params,
                        random_simplex_point, sawtooth, sawtooth_network, zigzag,
                        zigzag_network)
from ...networks.convert import network_from_pwl
from ...functions.operations import compose
from ...depth.symbolic import (construction_matches, prove_corollary_3_4, prove_gap_minimum,
                        prove_hard_family_alternation, prove_hard_family_every_k)
from ..verify import Row, claim, verdict


_EXACT_NET_PIECES = 3000   # expand a network into its PWL function up to this many pieces


_EXACT_HARD_PIECES = 10 ** 5   # build H itself up to this many pieces


def chain_equals(net: object, maps: list) -> bool:
    """Exact proof that the one-input network ``net`` equals ``maps[-1] o ... o maps[0]``
    (1-D PiecewiseLinear functions), without expanding it.

    Every hidden weight matrix after the first must be rank one, W_j = u_j v^T (checked
    exactly), so layer j sees the scalar y = v . h_(j-1): the network is g_L o ... o g_1
    for 1-D one-hidden-layer functions g_j (the last with the output map). Then
    inductively g_j o A_(j-1) = A_j o maps[j-1] for affine A_j (A_0 = A_L = identity),
    each an exact equality of small PWL functions; so net = maps[-1] o ... o maps[0]."""
    from ...networks.network import ReLUNetwork
    from ...functions.pwl import PiecewiseLinear as P
    layers = net.layers  # type: ignore[attr-defined]
    if len(layers) != len(maps) + 1 or len(layers[0][0][0]) != 1:
        return False
    hidden = layers[:-1]
    vs = []                           # v for the scalar read out of hidden layer j
    us = [tuple(r[0] for r in hidden[0][0])]
    for W, _ in hidden[1:]:
        row = next((r for r in W if any(r)), None)
        if row is None:
            return False
        piv = next(i for i, v in enumerate(row) if v)
        v = tuple(x / row[piv] for x in row)
        u = tuple(r[piv] for r in W)
        if any(r[i] != ui * v[i] for r, ui in zip(W, u) for i in range(len(v))):
            return False              # not rank one: no scalar interface
        vs.append(v)
        us.append(u)
    Wo, bo = layers[-1]
    vs.append(tuple(Wo[0]))
    A = P.identity()
    for j, (_, b) in enumerate(hidden):
        out_b = [bo[0]] if j == len(hidden) - 1 else [0]
        g = ReLUNetwork([([[x] for x in us[j]], list(b)), ([list(vs[j])], out_b)]).to_pwl()
        lhs = g @ A                   # the block seen from the previous true value
        h = maps[j]
        if j == len(hidden) - 1:
            return lhs == h
        xs = [Fraction(0), *h.breakpoints, Fraction(1)]
        p, q = next(((a, c) for a in xs for c in xs if h(a) != h(c)), (None, None))
        if p is None:
            return False
        al = (lhs(p) - lhs(q)) / (h(p) - h(q))
        be = lhs(p) - al * h(p)
        if al == 0 or lhs != h.scale(al) + P.constant(be):
            return False
        A = P.affine(al, be)          # y_j = A_j(true value of layer j)
    return False                      # pragma: no cover


_T32A = "Theorem 3.2: h_a has w+1 pieces on R, 1 hidden layer of size w"
_T32H = "Theorem 3.2: H has w^k pieces on [0,M], k layers of w units"
_T32D = "Theorem 3.2: pieces of H, domain stated"
_T32P = "Theorem 3.2: distinct parameters give distinct functions"
_TELG = "Telgarsky: t^k has 2^k pieces on [0,1], size 2k"
_T31 = "Theorem 3.1: depth k'+1 needs size >= k'/2 w^(k/k') - 1"
_T31M = "Theorem 3.1: over k' <= k the bound is smallest at k' = k"
_T31R = "Theorem 3.1 remark: for w = 2 the bound is not smallest at k' = k"
_C33 = "Corollary 3.3: k^(1+e) layers, size k^(2+e) vs (1/2)k^(k^e+1)-1"
_C34 = "Corollary 3.4: k^2 layers of width k vs (1/2)k^(k+1)-1"
_C34N = "Corollary 3.4: the deep network itself equals H"
_T35C = "Theorem 3.5 against explicit competitors g: int|f-g| >= (1/4)(1-2p/w^k)"
_T35S = "Theorem 3.5: size threshold for error delta"
_D6A = "Lemma D.6: integer widths reach at most (2s/k)^k pieces"
_D6B = "Lemma D.6: p pieces at depth k+1 need size >= k/2 p^(1/k) - 1"
_SYMK = "Theorem 3.2 (symbolic, every k, w <= W): w^k pieces on [0,M] for every parameter point"
_SYMF = ("Theorem 3.2 (symbolic, fixed w and k): w^k pieces for every parameter point, "
         "the toolkit's construction")
_SC34 = "Corollary 3.4 (symbolic): (1/2) k^(k+1) - 1 > k^3 for all integers k >= 3"
_SMIN = ("Corollary 3.4 (symbolic): min at k'=k: (1/2) k' k^(k^2/k') - 1 is smallest at "
         "k' = k over 1 <= k' <= k")


@claim("Theorem 3.2", [_T32A, _T32H, _T32D, _T32P])
def theorem_3_2(full: bool) -> list[Row]:
    rng = random.Random(32)
    rows = []
    for w, M in ((2, Fraction(1)), (3, Fraction(5, 2)), (5, Fraction(1, 3))):
        a = random_simplex_point(w - 1, M, seed=rng.randrange(10 ** 6))
        h, net = zigzag(a, M), zigzag_network(a, M)
        ok = (h.n_pieces == w + 1 and h.n_pieces_on(0, M) == w and h.left_slope == 0 and
              net.widths == (w,) and net.to_pwl() == h)
        rows.append(Row(_T32A,
                        f"w={w}, M={M}", f"{w + 1} pieces, size {w}",
                        f"{h.n_pieces} on R ({h.n_pieces_on(0, M)} on [0,M]), size {net.size}",
                        "exact", verdict(ok)))
    cases = [(2, 3), (3, 3), (4, 2), (3, 6)] + ([(2, 12), (3, 9), (5, 5)] if full else [])
    for w, k in cases:
        M = Fraction(rng.randint(1, 9), rng.randint(1, 4))
        ps = random_hard_params(k, w, M, seed=rng.randrange(10 ** 6))
        H, net = hard_function(ps, M), hard_network(ps, M)
        small = w ** k <= _EXACT_NET_PIECES
        if small:   # exact: the network's own function, and the generic composition
            agree = net.to_pwl() == H
            same = H == compose(*[zigzag(a, M) for a in reversed(ps)])
            how = "net.to_pwl() == H and H == compose of the zig-zags, exactly"
        else:       # too many pieces to expand the network: prove it layer by layer
            agree = chain_equals(net, [zigzag(a, M) for a in ps])
            same = H == compose(*[zigzag(a, M) for a in reversed(ps)])
            how = ("net == H proved by chain_equals (rank-one layer interfaces, each block "
                   "equal to its zig-zag, exact PWL equalities; the network is not expanded "
                   f"as w^k > {_EXACT_NET_PIECES}) and H == compose of the zig-zags")
        ok = (H.n_pieces_on(0, M) == w ** k and net.widths == (w,) * k and
              net.size == w * k and agree and same)
        rows.append(Row(_T32H,
                        f"w={w}, k={k}, M={M}", f"{w ** k} pieces, size {w * k}",
                        f"{H.n_pieces_on(0, M)} on [0,M], size {net.size}, widths {w}x{k}",
                        "exact", verdict(ok), how))
        on_m, on_r = H.n_pieces_on(0, M), H.n_pieces
        rows.append(Row(_T32D, f"w={w}, k={k}",
                        f"{w ** k} (on [0,M])", f"{on_m} on [0,M], {on_r} on R", "exact",
                        verdict(on_m == w ** k and on_r == n_pieces_hard(w, k, "R")),
                        "one convention for every piece count of the hard functions: on the "
                        "domain where the statement lives ([0, M] here, {gamma_Z <= M} for "
                        "Proposition 3.8), the count on R beside it: H is 0 left of 0 (+1 "
                        "piece) and, for even w and k>=2, 0 right of M (+1 more)"))
    # distinct parameters give distinct functions
    n_pairs = 10 if not full else 60
    distinct = True
    for _ in range(n_pairs):
        w, k = rng.randint(2, 4), rng.randint(1, 4)
        ps = random_hard_params(k, w, seed=rng.randrange(10 ** 6))
        j, i = rng.randrange(k), rng.randrange(w - 1)
        qs = [list(a) for a in ps]
        lo = qs[j][i - 1] if i > 0 else Fraction(0)
        new = (lo + qs[j][i]) / 2
        qs[j][i] = new
        distinct &= hard_function(ps) != hard_function(qs)
    rows.append(Row(_T32P,
                    f"{n_pairs} pairs differing in one entry", "H differ",
                    "all differ" if distinct else "a pair coincides", "sampled",
                    verdict(distinct)))
    return rows


@claim("Telgarsky sawtooth", [_TELG])
def telgarsky(full: bool) -> list[Row]:
    rows = []
    for k in ([1, 3, 6] if not full else [1, 3, 6, 10, 14]):
        f = sawtooth(k)
        net = sawtooth_network(k)
        ok_net = net.widths == (2,) * k and (net.to_pwl() == f if k <= 10 else True)
        on_r = 2 ** k + (2 if k >= 2 else 1)
        ok = f.n_pieces_on(0, 1) == 2 ** k and f.n_pieces == on_r and ok_net
        rows.append(Row(_TELG,
                        f"k={k}", f"{2 ** k} pieces on [0,1]",
                        f"{f.n_pieces_on(0, 1)} on [0,1], {f.n_pieces} on R, size {net.size}",
                        "exact", verdict(ok), "on R: t^k = 0 left of 0 and right of 1 "
                        "(k>=2) with t = 2 sigma(x) - 4 sigma(x-1/2)", source="outside"))
    return rows


@claim("Theorem 3.1", [_T31, _T31M, _T31R])
def theorem_3_1(full: bool) -> list[Row]:
    rows = []
    rng = random.Random(31)
    cases = [(3, 3, 1), (4, 3, 2), (6, 3, 3), (6, 2, 3)] + ([(12, 3, 4), (10, 2, 5)]
                                                            if full else [])
    for k, w, kp in cases:
        b = bounds.gap_lower_bound(k, w, kp)
        ex = bounds.gap_lower_bound_exact(k, w, kp)
        least = kp                  # second route: the least size reaching w^k pieces
        while bounds.max_pieces_integer(least, kp + 1) < w ** k:
            least += 1
        closed = sympy.simplify(sympy.sympify(bounds.gap_lower_bound(k, w, kp, symbolic=True))
                                - _closed_gap(k, w, kp)) == 0
        ok = ex >= b and ex == least and closed
        extra = ""
        if kp == 1:   # a real shallow competitor: the flaps network of H
            ps = random_hard_params(k, w, seed=rng.randrange(10 ** 6))
            net = network_from_pwl(hard_function(ps))
            ok &= net.size >= b and net.size >= ex
            extra = f"; flaps network of H: size {net.size}"
        rows.append(Row(_T31,
                        f"k={k}, w={w}, k'={kp}", f">= {b}",
                        f">= {ex} (integer widths, Lemma D.5){extra}", "exact",
                        verdict(bool(ok)),
                        f"AM-GM bound = {float(b):.4g}; the integer bound is never below it"))
    # the bound over k' for the Corollary 3.4 family (w = k, k^2 layers) is smallest at
    # k' = k; for w = 2 it is not (the continuous minimum sits near k' = k ln 2)
    for layers, w in ((16, 4), (36, 6), (6, 2)):
        top = w if w > 2 else layers
        vals = {kp: bounds.gap_lower_bound(layers, w, kp) for kp in range(1, top + 1)}
        argmin = min(vals, key=lambda kp: float(vals[kp]))
        closed = all(sympy.simplify(sympy.sympify(bounds.gap_lower_bound(
            layers, w, kp, symbolic=True)) - _closed_gap(layers, w, kp)) == 0 for kp in vals)
        if w > 2:
            rows.append(Row(_T31M,
                            f"Cor. 3.4 family, k={w}", f"k'={w}", f"argmin k'={argmin}",
                            "exact", verdict(argmin == w and closed)))
        else:
            rows.append(Row(_T31R, f"w=2, k={layers}", "not claimed",
                            f"argmin k'={argmin} of 1..{layers}", "exact",
                            verdict(argmin != layers and closed),
                            "shallower networks can have a smaller bound when w < e",
                            source="toolkit"))
    return rows


@claim("Corollary 3.3", [_C33])
def corollary_3_3(full: bool) -> list[Row]:
    rows = []
    for k, e in ((4, Fraction(1, 2)), (9, Fraction(1, 2))) + (((16, Fraction(1, 2)),)
                                                                 if full else ()):
        s = bounds.corollary_3_3(k, e)
        L = s.deep_hidden_layers
        # the deep network itself: k^(1+e) hidden layers of k units each
        ps = random_hard_params(L, k, seed=33)
        with limits(max_pieces=max(get_limit("max_pieces"), k ** L)):
            net = hard_network(ps)     # L k units; the piece limit guards H, not this
        ok_net = (L ** 2 == k ** (2 + 2 * e) and net.depth == L + 1 and
                  net.widths == (k,) * L and net.size == s.deep_size == L * k)
        # the network's function is H: an exact proof layer by layer (no expansion)
        eq = chain_equals(net, [zigzag(a, 1) for a in ps])
        ok_net &= eq
        deep = (f"network built: depth {net.depth}, size {net.size}, "
                f"{'equal to' if eq else 'NOT equal to'} H (exact, layer by layer)")
        if k ** L <= _EXACT_HARD_PIECES:
            H = hard_function(ps)
            n_on = H.n_pieces_on(0, 1)
            ok_net &= n_on == k ** L == s.n_pieces
            if full:       # the network's own function (slow: ~4 s for 4^8 pieces)
                ok_net &= net.to_pwl() == H
                deep += f", {n_on} pieces on [0,1] (also net.to_pwl() == H)"
            else:
                deep += f", H has {n_on} pieces on [0,1]"
            pieces_note = "pieces of H counted exactly"
        else:
            pieces_note = (f"{k}^{L} pieces are too many to enumerate: the count is "
                           f"Theorem 3.2 (the symbolic 'every k, w <= W' row covers w = {k} "
                           f"when W >= {k}, else the paper's prose induction), not recounted")
        # the shallow bound: Theorem 3.1 with w = k, k' = k at k^(1+e) layers, computed
        # independently, and the integer (Lemma D.5) bound for the same piece count
        via_3_1 = bounds.gap_lower_bound(L, k, k)
        direct = sympy.Rational(1, 2) * sympy.Integer(k) ** (
            sympy.Integer(k) ** sympy.Rational(e.numerator, e.denominator) + 1) - 1
        ok_bound = (sympy.simplify(sympy.sympify(s.shallow_min_size) - direct) == 0 and
                    s.shallow_min_size == via_3_1 and
                    s.shallow_min_size_exact == bounds.gap_lower_bound_exact(L, k, k) and
                    s.shallow_min_size_exact >= s.shallow_min_size)
        sep = s.shallow_min_size > s.deep_size
        rows.append(Row(_C33,
                        f"k={k}, e={e}", f"deep size {s.deep_size}, shallow >= "
                        f"{s.shallow_min_size}", f"{deep}; shallow >= {via_3_1} "
                        f"(Theorem 3.1 with w=k'=k), integer bound "
                        f"{s.shallow_min_size_exact}; separation {'yes' if sep else 'no'}",
                        "exact", verdict(bool(ok_net and ok_bound)),
                        f"{pieces_note}; net == H proved by chain_equals (rank-one layer "
                        "interfaces, each block affinely conjugate to its zig-zag, exact "
                        "PWL equalities); the bound exceeds the deep size only for large "
                        "enough k"))
    return rows


@claim("Corollary 3.4", [_C34, _C34N])
def corollary_3_4(full: bool) -> list[Row]:
    rows = []
    for k in range(2, 7 if not full else 10):
        s = bounds.corollary_3_4(k)
        sep = s.shallow_min_size > s.deep_size
        rows.append(Row(_C34,
                        f"k={k}", f"deep {k ** 3}, shallow >= {s.shallow_min_size}",
                        f"shallow >= {s.shallow_min_size_exact} (integer); gap "
                        f"{'yes' if sep else 'no'}", "exact",
                        verdict(sep == (k >= 3) and s.shallow_min_size_exact >=
                                s.shallow_min_size and s.deep_size == k ** 3 and
                                sympy.sympify(str(s.shallow_min_size)) ==
                                sympy.Rational(k ** (k + 1), 2) - 1),
                        "k=2: the bound (3) is below the deep size (8): no separation"
                        if k == 2 else ""))
    k = 3
    ps = random_hard_params(k * k, k, seed=34)
    net, H = hard_network(ps), hard_function(ps)
    zs = [zigzag(a, 1) for a in ps]
    eq = chain_equals(net, zs) and H == compose(*reversed(zs))
    how = "chain_equals(net, zig-zags) and H == their composition"
    if full:
        eq = eq and net.to_pwl() == H
        how += "; net.to_pwl() == H"
    rows.append(Row(_C34N, "k=3",
                    "depth 10, size 27, 3^9 pieces", f"depth {net.depth}, size {net.size}, "
                    f"{H.n_pieces_on(0, 1)} pieces on [0,1], "
                    f"{'equal to' if eq else 'NOT equal to'} H", "exact",
                    verdict(eq and net.depth == 10 and net.size == 27 and
                            H.n_pieces_on(0, 1) == 3 ** 9), how + " (exact)"))
    return rows


@claim("Theorem 3.5", [_T35C, _T35S])
def theorem_3_5(full: bool) -> list[Row]:
    rows = []
    cases = [(2, 4, 1), (2, 4, 5), (3, 3, 7), (2, 6, 20)] + ([(2, 10, 100), (4, 4, 60)]
                                                             if full else [])
    for w, k, p in cases:
        g, err = bounds.best_sawtooth_fit(w, k, p)
        b = bounds.sawtooth_error_bound(w, k, p)
        rows.append(Row(_T35C, f"w={w}, k={k}, p={p}",
                        f">= {b}", f"{err} (best explicit competitor, exact L1)", "sampled",
                        verdict(err >= b and g.n_pieces_on(0, 1) <= p),
                        "the theorem is about every g with p pieces; only a few explicit "
                        "ones are tested (constant 1/2; f up to a tooth, then 1/2), their "
                        "errors computed exactly"))
    for w, k, kp, d in ((2, 8, 2, Fraction(1, 8)), (3, 6, 3, Fraction(1, 16))):
        s = bounds.approximation_size_bound(w, k, kp, d)
        # route 1: the printed formula k' w^(k/k') (1-4d)^(1/k') / 2^(1+1/k'), by sympy
        R = sympy.Rational
        printed = (kp * R(w) ** R(k, kp) * R(d.denominator - 4 * d.numerator, d.denominator) **
                   R(1, kp) / R(2) ** (1 + R(1, kp)))
        toolkit = bounds.approximation_size_bound(w, k, kp, d, symbolic=True)
        same = sympy.simplify(sympy.sympify(toolkit) - printed) == 0
        # route 2: networks of integer size floor(s) >= k' at depth <= k'+1 have at most
        # P pieces (the largest Lemma D.5 count over <= k' layers, integer widths); the
        # tooth count then gives error >= (1/4)(1 - 2P/w^k), which must be >= d
        s_int = int(math.floor(s))
        P = max(bounds.max_pieces_integer(s_int, j + 1) for j in range(1, min(kp, s_int) + 1))
        err = bounds.sawtooth_error_bound(w, k, P)
        ok = bool(same) and s_int >= kp and err >= d
        rows.append(Row(_T35S, f"w={w}, k={k}, k'={kp}, d={d}", f"size <= {s}",
                        f"printed formula {'==' if same else '!='} the toolkit's threshold; "
                        f"size {s_int} (floor, >= k'): <= {P} pieces at depth <= k'+1 "
                        f"(Lemma D.5), error >= {err} {'>=' if err >= d else '<'} d",
                        "exact", verdict(ok),
                        "two routes: the threshold recomputed from the printed statement "
                        "(sympy, exact) and compared with relugeom.bounds; then the largest "
                        "piece count of integer widths at that size fed to the tooth bound "
                        "(1/4)(1 - 2p/w^k), which must reach d (a wrong threshold or count "
                        "turns the row false)"))
    return rows


@claim("Lemma D.6", [_D6A, _D6B])
def lemma_d6(full: bool) -> list[Row]:
    smax, kmax = (40, 8) if not full else (150, 12)
    worst = None
    for k in range(1, kmax + 1):
        for s in range(k, smax + 1):
            if bounds.max_pieces_integer(s, k + 1) > bounds.max_pieces_for_size(s, k + 1):
                worst = (s, k)
                break
        if worst:
            break
    rows = [Row(_D6A,
                f"s<={smax}, k<={kmax}", "D.5 <= (2s/k)^k",
                "holds on the range" if worst is None else f"fails at s,k={worst}", "exact",
                verdict(worst is None),
                "holds for all real widths >= 1, not only integers: w1 + 1 <= 2 w1 gives "
                "2^(k-1)(w1+1)w2...wk <= 2^k w1...wk <= 2^k (s/k)^k = (2s/k)^k by AM-GM; "
                "the range is checked exactly with the integer-optimal widths")]
    for p, depth in ((3 ** 6, 3), (10 ** 4, 4), (2 ** 20, 5)):
        a, e = bounds.min_size(p, depth), bounds.min_size_exact(p, depth)
        rows.append(Row(_D6B,
                        f"p={p}, depth={depth}", f">= {a} ~ {float(a):.4g}",
                        f">= {e} (least integer size, Lemma D.5)", "exact",
                        verdict(e >= a and bounds.max_pieces_integer(e, depth) >= p and
                                bounds.max_pieces_integer(e - 1, depth) < p
                                if e - 1 >= depth - 1 else e >= a)))
    return rows


_W_QUICK, _W_FULL = 5, 8


@claim("Symbolic proofs", [_SYMK, _SYMF, _SC34, _SMIN])
def symbolic_proofs(full: bool) -> list[Row]:
    rows = []
    W = _W_FULL if full else _W_QUICK
    ind = prove_hard_family_every_k(W)
    rows.append(Row(_SYMK, ind.scope, "w^k pieces",
                    f"proved for every k and 2 <= w <= {W}" if ind.holds else "no proof",
                    "symbolic", verdict(ind.holds),
                    f"premises are the toolkit's own h_a: the one-step lemma (families."
                    f"_zigzag_points and families._layer_maps with symbolic gaps: segments "
                    f"onto [0, M], right-inverse branches, alternating directions) proved "
                    f"symbolically for each w <= {W}; the induction over k is carried out on "
                    f"abstract symbols; for w > {W} the statement rests on the paper's prose "
                    f"induction (Lemma B.1), with premises machine-checked for w <= {W}; "
                    + "; ".join(ind.steps[-3:])))
    cases = [(2, 2), (3, 2)] + ([(2, 3), (3, 3), (4, 2), (2, 4)] if full else [])
    for w, k in cases:
        pr = prove_hard_family_alternation(w, k)
        same = construction_matches(w, k, seed=w * 10 + k)
        rows.append(Row(_SYMF, f"w={w}, k={k}, all of the simplex, all M > 0",
                        f"{w ** k} pieces",
                        (f"{w ** k} pieces, proved" if pr.holds else "no proof") +
                        ("; hard_function agrees at a rational point" if same else
                         "; hard_function disagrees"), "symbolic", verdict(pr.holds and same),
                        "proved over the whole parameter continuum, on the toolkit's own "
                        "construction: " + "; ".join(pr.steps[1:]) + "; so these points are "
                        "exactly H's breakpoints on [0, M]; hard_function (numeric) is also "
                        "compared with them at one rational parameter point"))
    links = {_SC34: _toolkit_corollary_3_4(), _SMIN: _toolkit_gap_bound()}
    for pr, name in ((prove_corollary_3_4(), _SC34), (prove_gap_minimum(), _SMIN)):
        rows.append(Row(name, pr.scope, "holds",
                        ("proved" if pr.holds else "no proof") + "; relugeom.bounds "
                        + ("agrees" if links[name] else "DISAGREES") + " with the formula",
                        "symbolic", verdict(pr.holds and links[name]),
                        "; ".join(pr.steps) + ("; the step k^(k+1) >= k^4 is prose"
                                               if name == _SC34 else "")
                        + "; the formula proved is the one relugeom.bounds computes "
                        "(checked exactly at small k)"))
    return rows


def _closed_gap(layers: int, w: int, kp: int) -> sympy.Expr:
    """(1/2) k' w^(k/k') - 1, the bound of Theorem 3.1, in sympy."""
    R = sympy.Rational
    return R(kp, 2) * sympy.Integer(w) ** R(layers, kp) - 1


def _toolkit_gap_bound() -> bool:
    """relugeom.bounds.gap_lower_bound is the formula the symbolic rows prove things about
    (k^2 layers, w = k, every k' <= k, k = 2..4)."""
    return all(sympy.simplify(sympy.sympify(bounds.gap_lower_bound(k * k, k, kp,
                                                                   symbolic=True))
                              - _closed_gap(k * k, k, kp)) == 0
               for k in range(2, 5) for kp in range(1, k + 1))


def _toolkit_corollary_3_4() -> bool:
    """relugeom.bounds.corollary_3_4 gives deep size k^3 and shallow bound
    (1/2) k^(k+1) - 1 (k = 2..6)."""
    out = True
    for k in range(2, 7):
        s = bounds.corollary_3_4(k)
        out &= s.deep_size == k ** 3 and \
            sympy.sympify(str(s.shallow_min_size)) == sympy.Rational(k ** (k + 1), 2) - 1
    return bool(out)

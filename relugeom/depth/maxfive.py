"""The maximum of five numbers with two hidden layers (Bakaev et al. 2025).

E. Bakaev, F. Brunck, C. Hertrich, J. Stade, A. Yehudayoff, *Better Neural Network
Expressivity: Subdividing the Simplex*, arXiv 2505.14338 (STOC 2026), show that
max(x_1, ..., x_5) is computed by a ReLU network with **two** hidden layers, one fewer than
the ceil(log2 5) = 3 of the pairwise-max tree (so the depth bound of Theorem 2.1 in the
Arora et al. paper is not optimal for n = 5).

The formula
-----------
With support functions h_P(x) = max_{g in P} <g, x>, max(x) = h_Delta(x) for the simplex
Delta = conv(e_1, ..., e_5), so 2 max(x) = h_{2 Delta}(x). The construction subdivides 2 Delta
into cells that are *joins of two zonotopes* (conv(Z_1 u Z_2), support function
max(h_{Z_1}, h_{Z_2}), two hidden layers) and writes h_{2 Delta} by inclusion-exclusion over
the subdivision (support functions are valuations)::

    max(x_1..x_5) = 1/2 (P_1 + P_2 + P_3 + P_4 + Q - R_13 - R_14 - R_23 - R_24)

    P_1  = max( max(2 x5, x1 + x2), max(x1, x3) + max(x1, x4) )
    P_2  = max( max(2 x5, x1 + x2), max(x2, x3) + max(x2, x4) )
    P_3  = max( max(2 x5, x3 + x4), max(x3, x1) + max(x3, x2) )
    P_4  = max( max(2 x5, x3 + x4), max(x4, x1) + max(x4, x2) )
    Q    = max( 2 x5, max(x1 + x2, x3 + x4) )
    R_ij = max( max(2 x5, xi + xj), max(x1 + x2, x3 + x4) ),   i in {1,2}, j in {3,4}.

Geometrically: the facet T = conv(2e_1..2e_4) of 2 Delta is cut into its four corner
tetrahedra and the central octahedron conv(e_i + e_j), the octahedron split around its
diagonal [e_1+e_2, e_3+e_4] into four tetrahedra; corner i plus the adjacent octahedron
tetrahedron is a pyramid B_i over a parallelogram, and P_i = conv(2e_5 u B_i) is the join of
the segment [2e_5, apex of B_i] and that parallelogram. The interior walls are the
tetrahedra R_ij = conv(2e_5, e_1+e_2, e_3+e_4, e_i+e_j), all meeting in the triangle
Q = conv(2e_5, e_1+e_2, e_3+e_4); inclusion-exclusion gives cells - walls + Q.

Provenance (stated honestly): the overall shape (coefficient 1/2, terms P_1..P_4, Q and
R_13, R_14, R_23, R_24, and P_1 verbatim) is the paper's formula as quoted second-hand in a
public research repository (msun170/relu-max6, LITERATURE.md, citing BBHSY Prop. 3); the
body of the paper was not available here. P_2..P_4, Q and R_ij were reconstructed from the
subdivision they describe (the symmetric images of P_1 and the walls of that
subdivision). The identity itself is not taken on trust: :func:`verify_max_of_five` checks
it exactly.

The network
-----------
Each term is max(A, B) = A + sigma(B - A) with A, B one-hidden-layer functions (maxima of
two linear forms, or sums of such). Hidden layer 1 holds the 15 units sigma(l) for the
linear forms l inside A and B, and 10 units sigma(+-x_k) for the linear parts. Hidden
layer 2 holds the nine units sigma(B_t - A_t) and two units sigma(+-L), L = sum_t s_t A_t,
which carry the one-hidden-layer part to the output. Widths (25, 11), size 36, every bias
zero, every weight in {0, +-1, +-2, +-1/2}.

Why checking on a box suffices
------------------------------
All biases of both networks compared are zero, so both compute positively homogeneous
functions: f(t x) = t f(x) for t >= 0. If f = g on a box B around 0 (a neighbourhood of the
origin, e.g. [-1, 1]^5) then for any x, t = 1 / max(1, |x|_inf) puts t x in B, and
f(x) = f(t x) / t = g(t x) / t = g(x). So equality on [-1, 1]^5 is equality on all of R^5.
The default check (:func:`verify_max_of_five`) does not even need this: it decides
equality on all of R^5 directly (:func:`relugeom.geometry.equality.networks_equal`,
exact over every activation region of the difference network, about 2 s); ``box=True``
runs the [-1, 1]^5 variant.

Depth bounds, recomputed (hidden layers)
----------------------------------------
The pairwise gadget tree (Lemma D.3, the route of Theorem 2.1) computes max of n numbers
with ceil(log2 n) hidden layers; Bakaev et al.'s general bound is ceil(log3(n - 1)) + 1.
For n = 5 both give 3 (ceil(log3 4) + 1 = 2 + 1 = 3 = ceil(log2 5)): the general bound
gains nothing at n = 5; the two-hidden-layer network here is the paper's separate n = 5
construction. The general bound first beats the tree at n = 9 (3 against 4); it gains one
layer for n = 9, 10, then for 17 <= n <= 28, and for every n >= 33 (n = 11..16 and
29..32 tie; :func:`hidden_layer_bounds`).

The same identity in the certificate format (:mod:`relugeom.certificates`, the issue's
n = 5 example) is decided by the sorted-cone hinge-form route in milliseconds; the
``relugeom verify`` row reports both.

A further reduction, not needed at this speed: both sides satisfy f(x + t 1) = f(x) + t
(every linear form in every term has coefficient sum 2), so fixing x_5 = 0 would leave a
function on R^4.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..errors import DomainError, NotExactError
from ..networks.network import ReLUNetwork, maximum_network

__all__ = ["max_of_five_network", "max_of_five_formula", "reference_max_network",
           "verify_max_of_five", "hidden_layer_bounds"]

_N = 5
Form = tuple[int, ...]          # integer coefficients of x_1..x_5


def _form(**c: int) -> Form:
    v = [0] * _N
    for k, a in c.items():
        v[int(k[1:]) - 1] = a
    return tuple(v)


def _terms() -> list[tuple[int, tuple[Form, list[Form]], tuple[Form, list[Form]]]]:
    """(sign, A, B) per term of max = 1/2 sum_t sign_t max(A_t, B_t); a one-hidden-layer
    function is (linear part, [forms l with coefficient +1 on sigma(l)])."""
    x5x5 = _form(x5=2)

    def max2(a: Form, b: Form) -> tuple[Form, list[Form]]:      # max(a, b) = a + s(b - a)
        return a, [tuple(q - p for p, q in zip(a, b))]

    def add(*fs: tuple[Form, list[Form]]) -> tuple[Form, list[Form]]:
        lin = tuple(sum(f[0][k] for f in fs) for k in range(_N))
        return lin, [u for f in fs for u in f[1]]

    def e(i: int, j: int | None = None) -> Form:
        v = [0] * _N
        v[i - 1] += 1
        if j is not None:
            v[j - 1] += 1
        return tuple(v)

    pair12 = max2(e(1, 2), e(3, 4))                     # max(x1 + x2, x3 + x4)
    terms = []
    for i, (a, b), (c, d) in ((1, (1, 2), (3, 4)), (2, (1, 2), (3, 4)),
                              (3, (3, 4), (1, 2)), (4, (3, 4), (1, 2))):
        A = max2(x5x5, e(a, b))                         # max(2 x5, xa + xb)
        B = add(max2(e(i), e(c)), max2(e(i), e(d)))     # max(xi, xc) + max(xi, xd)
        terms.append((1, A, B))                         # P_i
    terms.append((1, (x5x5, []), pair12))               # Q
    for i in (1, 2):
        for j in (3, 4):
            terms.append((-1, max2(x5x5, e(i, j)), pair12))   # R_ij
    return terms


def hidden_layer_bounds(n: int) -> tuple[int, int]:
    """(gadget tree ceil(log2 n), Bakaev et al. ceil(log3(n - 1)) + 1) hidden layers for
    max of n numbers, in exact integer arithmetic.

    >>> [hidden_layer_bounds(n) for n in (5, 8, 9, 10, 11)]
    [(3, 3), (3, 3), (4, 3), (4, 3), (4, 4)]
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise NotExactError(f"hidden_layer_bounds: n must be an int, got {n!r:.60}")
    if n < 3:
        raise DomainError(f"hidden_layer_bounds: needs an integer n >= 3, got {n!r}")
    tree = (n - 1).bit_length()
    k = 0
    while 3 ** k < n - 1:
        k += 1
    return tree, k + 1


def max_of_five_formula(x: Sequence[Fraction]) -> Fraction:
    """The formula above evaluated directly (exact on rationals), for cross-checks."""
    x1, x2, x3, x4, x5 = (Fraction(v) for v in x)
    a12, a34 = max(2 * x5, x1 + x2), max(2 * x5, x3 + x4)
    pair = max(x1 + x2, x3 + x4)
    P = (max(a12, max(x1, x3) + max(x1, x4)) + max(a12, max(x2, x3) + max(x2, x4))
         + max(a34, max(x3, x1) + max(x3, x2)) + max(a34, max(x4, x1) + max(x4, x2)))
    Q = max(2 * x5, pair)
    xs = (x1, x2, x3, x4)
    R = sum(max(2 * x5, xs[i] + xs[j], pair) for i in (0, 1) for j in (2, 3))
    return (P + Q - R) / 2


def max_of_five_network() -> ReLUNetwork:
    """max(x_1, ..., x_5) as a ReLU network with two hidden layers (widths 25, 11).

    Bakaev, Brunck, Hertrich, Stade, Yehudayoff, arXiv 2505.14338:
    max(x) = 1/2 (P_1 + P_2 + P_3 + P_4 + Q - R_13 - R_14 - R_23 - R_24), each term the
    maximum of two one-hidden-layer functions (see the module docstring). All weights are
    exact rationals, all biases zero.

    >>> net = max_of_five_network()
    >>> net.n_hidden_layers, net.widths
    (2, (25, 11))
    >>> net([3, -1, "7/2", 0, 2])
    Fraction(7, 2)
    """
    terms = _terms()
    zero = Fraction(0)
    # hidden layer 1: sigma(x_k), sigma(-x_k), then the distinct forms inside A and B
    units: list[Form] = []
    for k in range(_N):
        units.append(tuple(1 if j == k else 0 for j in range(_N)))
    for k in range(_N):
        units.append(tuple(-1 if j == k else 0 for j in range(_N)))
    for _, A, B in terms:
        for u in A[1] + B[1]:
            if u not in units:
                units.append(u)
    index = {u: i for i, u in enumerate(units)}
    w1 = len(units)

    def vec(f: tuple[Form, list[Form]]) -> list[Fraction]:
        """A one-hidden-layer function as a row over layer-1 outputs."""
        row = [zero] * w1
        for k, a in enumerate(f[0]):                  # x_k = sigma(x_k) - sigma(-x_k)
            row[k] += a
            row[_N + k] -= a
        for u in f[1]:
            row[index[u]] += 1
        return row

    rows2: list[list[Fraction]] = []
    L = [zero] * w1
    for s, A, B in terms:
        a, b = vec(A), vec(B)
        rows2.append([q - p for p, q in zip(a, b)])   # sigma(B - A)
        L = [l + s * p for l, p in zip(L, a)]
    rows2.append(L)                                    # sigma(L)
    rows2.append([-v for v in L])                      # sigma(-L)
    half = Fraction(1, 2)
    out = [half * s for s, _, _ in terms] + [half, -half]
    W1 = [[Fraction(v) for v in u] for u in units]
    return ReLUNetwork([(W1, [zero] * w1), (rows2, [zero] * len(rows2)),
                        ([out], [zero])])


def reference_max_network(n: int = _N) -> ReLUNetwork:
    """max(x_1..x_n) by the pairwise gadget tree (Lemma D.3), ceil(log2 n) hidden layers."""
    proj = [ReLUNetwork([([[1 if j == i else 0 for j in range(n)]], [0])]) for i in range(n)]
    return maximum_network(*proj)


def verify_max_of_five(*, box: bool = False) -> bool:
    """Decide exactly that :func:`max_of_five_network` equals max(x_1..x_5) on R^5.

    Default: :func:`relugeom.geometry.equality.networks_equal` against the gadget-tree network
    (:func:`reference_max_network`), exact over every activation region of the difference
    on all of R^5 (about 2 s). ``box=True``: exact regions of the difference inside
    [-1, 1]^5 only, extended to R^5 by positive homogeneity (both networks bias-free,
    which is checked).
    """
    from ..networks.network import compose_networks, sum_networks
    from ..geometry.equality import networks_equal
    from ..geometry.regions import linear_regions
    net, ref = max_of_five_network(), reference_max_network()
    if not box:
        return networks_equal(net, ref)
    if any(v != 0 for m in (net, ref) for _, bb in m.layers for v in bb):
        raise ValueError("the box check needs bias-free (positively homogeneous) networks")
    neg = ReLUNetwork([([[-1]], [0])])
    d = sum_networks(net, compose_networks(neg, ref))
    res = linear_regions(d, box=[(-1, 1)] * _N)
    return all(all(c == 0 for c in r.affine_map[0]) and r.affine_map[1] == 0
               for r in res.regions)

"""From functions to networks: Theorem 2.2 and Corollary A.1 (one input).

Networks become functions through :meth:`relugeom.ReLUNetwork.to_pwl`.
"""
from __future__ import annotations

from fractions import Fraction

from ..errors import NotExactError
from .network import ReLUNetwork
from ..functions.pwl import PiecewiseLinear

__all__ = ["network_from_pwl"]


def network_from_pwl(f: PiecewiseLinear) -> ReLUNetwork:
    """A one-hidden-layer network computing ``f`` exactly (Theorem 2.2, "flaps").

    With breakpoints b_1 < ... < b_n (p = n + 1 pieces) and slopes s_0, ..., s_n::

        f(x) = f(b_n) + s_n sigma(x - b_n) - sum_j t_j sigma(b_j - x),
        t_n = s_{n-1},  t_j = s_{j-1} - s_j,

    p hidden units. When the right slope is 0 the unit sigma(x - b_n) is dropped, and when
    only the left slope is 0 the mirror image is used, so p - 1 units suffice
    (Corollary A.1). An affine ``f`` (p = 1) needs no hidden layer: the result has depth 1
    and size 0.

    Examples
    --------
    >>> import relugeom as rg
    >>> f = rg.PiecewiseLinear.from_points([(0, 0), (1, 1), (2, 0)], left_slope=0,
    ...                                    right_slope=0)
    >>> net = rg.network_from_pwl(f)
    >>> net.size, net.to_pwl() == f
    (3, True)
    """
    if not isinstance(f, PiecewiseLinear):
        from ..numbers.rational import short
        raise NotExactError(f"network_from_pwl: expected a PiecewiseLinear, got {short(f)} "
                            f"({type(f).__name__}); a network converts with .to_pwl()")
    one = Fraction(1)
    if f.is_affine:
        return ReLUNetwork._trusted([(((f.left_slope,),), (f(0),))])
    b, s = f.breakpoints, f.slopes
    n = len(b)
    rows: list[tuple[Fraction, ...]] = []
    bias: list[Fraction] = []
    out: list[Fraction] = []
    if s[n] == 0 or s[0] != 0:
        # right-anchored: f(b_n) + s_n sigma(x - b_n) - sum t_j sigma(b_j - x)
        const = f.values[-1]
        for j in range(n):
            t = s[n - 1] if j == n - 1 else s[j] - s[j + 1]
            rows.append((-one,))
            bias.append(b[j])
            out.append(-t)
        if s[n] != 0:
            rows.append((one,))
            bias.append(-b[-1])
            out.append(s[n])
    else:
        # left-anchored mirror image: f(b_1) - s_0 sigma(b_1 - x) + sum u_j sigma(x - b_j)
        const = f.values[0]
        for j in range(n):
            u = s[1] if j == 0 else s[j + 1] - s[j]
            rows.append((one,))
            bias.append(-b[j])
            out.append(u)
    return ReLUNetwork._trusted([(tuple(rows), tuple(bias)), ((tuple(out),), (const,))])

"""Where :func:`relugeom.geometry.regions.linear_regions` starts: ``domain=`` (a box or a
polyhedron) as the starting cells, and ``plane=`` as the network restricted to a 2-D affine
plane (the embedding composed into the first affine map by an exact integer product,
int64 limbs where the product could leave int64).

>>> import relugeom as rg
>>> from relugeom.geometry.domains import _start_cells
>>> len(_start_cells(2, [(-1, 1), (-1, 1)], None)[0])        # the box as a polygon
4
"""
from __future__ import annotations

import functools
from typing import Any

import numpy as np

from ..convex.polyhedra import (Polyhedron, as_box, box_cone, orthant_cones,
                                whole_space_cone)
from ..errors import DimensionError, DomainError, NotExactError
from ..numbers.gemm import exact_matmul
from ..numbers.rational import short
from .regionset import _cone_to_polygon

__all__ = ["restrict_to_plane"]

_SAFE = 1 << 62


# ---------------------------------------------------------------------- domain=
def _start_cells(n: int, box: Any, domain: Any, orthants: bool = False) -> list:
    """The starting cells: the box, the polyhedron ``domain`` (or both intersected), or
    R^n itself (one cone with lineality space R^n; ``orthants=True`` gives the old 2^n
    orthant split, kept only as an independent route for tests)."""
    if box is not None:
        cells = [box_cone(as_box(box, n))]
    elif orthants:
        cells = orthant_cones(n)
    else:
        cells = [whole_space_cone(n)]
    if domain is not None:
        for h in domain._rows:
            if not any(h[:-1]):
                if h[-1] < 0:
                    cells = []
                continue
            cells = [p for c in cells for p in (c.split(h)[0],) if p is not None]
        if not cells:
            raise DomainError(f"linear_regions: the domain {domain!r} has empty interior"
                              + (" inside the box" if box is not None else ""))
    if n == 2:
        cells = [_cone_to_polygon(c) for c in cells]
    return cells


def _as_domain(domain: Any, n: int) -> tuple[Any, Any]:
    """``(box, polyhedron)`` from ``domain=``: a Polyhedron, or a box of (lo, hi) pairs."""
    if domain is None:
        return None, None
    if isinstance(domain, Polyhedron):
        if domain.n != n:
            raise DimensionError(f"linear_regions: the domain is in R^{domain.n}, the "
                                 f"network has {n} inputs")
        return None, domain
    return as_box(domain, n), None


def _box_polygons(box: Any) -> tuple:
    """:func:`_start_cells` of a planar box, remembered (small networks pay it per call)."""
    box = as_box(box, 2)
    return _key_polygons(box.key)


@functools.lru_cache(maxsize=64)
def _key_polygons(key: tuple) -> tuple:
    from fractions import Fraction
    lo0, hi0, lo1, hi1 = (Fraction(*q) for q in key)
    box = [(lo0, hi0), (lo1, hi1)]
    return tuple(_start_cells(2, box, None))


# ---------------------------------------------------------------------- plane=
def _limb_matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """``A @ B`` of integer arrays, exactly, at BLAS speed: float64 GEMMs on limbs small
    enough that no sum rounds (:func:`relugeom.numbers.gemm.exact_matmul`)."""
    return exact_matmul(A, B)


def restrict_to_plane(net: Any, P: Any) -> Any:
    """The network ``(u, v) -> net(origin + u d_1 + v d_2)`` on plane coordinates, exact:
    the embedding is composed into the first affine map with one integer product.

    >>> import relugeom as rg
    >>> net = rg.ReLUNetwork([([[1, 2, 3], [0, -1, 1]], [1, 0]), ([[1, 1]], [0])])
    >>> P = rg.plane(origin=(0, 0, 1), directions=[(1, 0, 0), (0, 1, 1)])
    >>> small = restrict_to_plane(net, P)
    >>> small.layers[0][0], small((2, 3)) == net(P.point((2, 3)))
    (((Fraction(1, 1), Fraction(5, 1)), (Fraction(0, 1), Fraction(0, 1))), True)
    """
    from ..networks.network import ReLUNetwork
    from ..convex.planes import AffinePlane
    if not isinstance(P, AffinePlane):
        raise NotExactError(f"plane=: expected an AffinePlane from relugeom.plane(...), "
                            f"got {short(P)} of type {type(P).__name__}")
    if P.n != net.n_inputs:
        raise DimensionError(f"plane=: the plane lies in R^{P.n}, the network has "
                             f"{net.n_inputs} inputs")
    from ..numbers.dyadic import IntMatrix, _narrow
    Wi, bi, D = net.integer_layers()[0]
    M, E = P.integer_form()
    R = _limb_matmul(Wi, _narrow(np.array(M, dtype=object)))
    first = IntMatrix(R[:, :2], R[:, 2] + bi.astype(object) * E, D * E)
    return ReLUNetwork._from_integer([first, *net.integer_layers()[1:]])

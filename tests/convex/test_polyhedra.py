"""Exact polyhedra: double description, LP, facets."""
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from relugeom.convex.polyhedra import Polyhedron, sign_matrix

small = st.integers(-20, 20)


def test_simplex_known_values():
    """The unit triangle has 3 vertices, area 1/2, and max x + 2y = 2 at (0, 1)."""
    tri = Polyhedron([(1, 0, 0), (0, 1, 0), (-1, -1, 1)])
    assert len(tri.vertices()) == 3 and tri.volume() == Fraction(1, 2)
    assert tri.maximize((1, 2)) == (2, (0, 1))
    assert len(tri.facets()) == 3


def test_redundant_and_empty():
    """A redundant inequality is not a facet; contradictory ones give an empty interior."""
    P = Polyhedron([(1, 0, 0), (0, 1, 0), (-1, -1, 1), (-1, -1, 5)])
    assert len(P.facets()) == 3
    assert Polyhedron([(1, 0, 0), (-1, 0, -1)]).is_empty


def test_cube_cut_in_3d():
    """Cutting a corner off the cube [-1,1]^3 leaves 10 vertices and 7 facets."""
    cube = [(1, 0, 0, 1), (-1, 0, 0, 1), (0, 1, 0, 1), (0, -1, 0, 1), (0, 0, 1, 1),
            (0, 0, -1, 1)]
    P = Polyhedron(cube + [(1, 1, 1, 2)])
    assert len(P.vertices()) == 10 and len(P.facets()) == 7 and P.is_bounded


def test_unbounded_lp():
    """The first quadrant is unbounded in direction (1, 1)."""
    Q = Polyhedron([(1, 0, 0), (0, 1, 0)])
    assert Q.maximize((1, 1))[0] == float("inf") and not Q.is_bounded


@given(st.lists(st.tuples(small, small, small), min_size=1, max_size=6),
       st.lists(st.tuples(small, small, small), min_size=1, max_size=6))
def test_sign_matrix_exact(H, G):
    """Filtered signs equal the exact integer signs."""
    G = [(a, b, abs(c)) for a, b, c in G]
    S = sign_matrix(H, G)
    for i, h in enumerate(H):
        for j, g in enumerate(G):
            d = sum(x * y for x, y in zip(h, g))
            assert S[i, j] == (d > 0) - (d < 0)


@given(st.lists(st.tuples(small, small, small), min_size=1, max_size=5))
def test_interior_point_is_inside(rows):
    """A non-empty polyhedron's interior point satisfies every inequality strictly."""
    P = Polyhedron(rows)
    if not P.is_empty:
        x = P.interior_point()
        assert all(a * x[0] + b * x[1] + c > 0 for a, b, c in rows if (a, b) != (0, 0))

"""Layer 4, networks: :class:`ReLUNetwork` with exact weights, the combinators of Lemmas
D.1-D.4 of arXiv 1611.01491, conversions between networks and functions (Theorems 2.1 and
2.2; max-affine, Wang-Sun and tropical forms), simplification, and the hinge form that
decides equality of networks algebraically."""

"""Layer 2, convex sets: exact polyhedra (H-form, V-form, exact LP, cones) and the 2-D polygon
kernel. They sit below the functions because a :class:`~relugeom.functions.cpwl.CPWLFunction`
is a list of affine pieces on polyhedral cells."""

"""Layer 3, functions: the 1-D :class:`PiecewiseLinear` (canonical breakpoint form, the
operators) and the n-D :class:`CPWLFunction`."""

"""Layer 9, the paper: the claims registry behind ``relugeom verify``, one checks module per
part of arXiv 1611.01491, and the paper's figures."""

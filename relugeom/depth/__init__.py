"""Layer 6, depth: the hard families of arXiv 1611.01491 (Section 3), the size and depth
bounds, MAX_n certificates, Bakaev's MAX_5 construction and the symbolic proofs."""

"""Layer 1, numbers: the exactness gate (``as_rational``), int64 limb arrays, exact surds
``a r^(1/m) + b``, exact integer matrices read from float arrays at numpy speed
(``dyadic``), and the JSON encoding of numbers. Imports nothing above itself."""

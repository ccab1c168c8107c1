"""The JSON form of :class:`~relugeom.regionset.LinearRegions`, written exactly and read
with checks.

Writing: every integer (homogeneous vertices and rays, facet planes, the output rows, the
common denominator, activation-pattern bit masks) is a JSON integer while it has at most
4,000 digits and a ``"0x..."`` hexadecimal string beyond (a key part as ``{"hex":
"0x..."}``), as :mod:`relugeom.numbers.encoding` writes rationals; so regions of values of any size
serialise, past Python's 4,300-digit int-to-str limit, in linear time.

Reading checks, exactly and in about linear time, before the object is built:

* the structure: every vector has ``n_inputs + 1`` integer coordinates, ``n_outputs``
  output rows, polygons only in the plane with at least three vertices, a cone's
  incidence list as long as its rays;
* one region per activation pattern: no two regions with the same key; a network's key
  has one bit mask per layer, below ``2^width``;
* with a box: no generator outside the box and no ray (every region bounded), and, in the
  plane, the exact areas of the regions add up to the area of the box.

A duplicated, dropped or stray region is therefore refused (SerializationError). The file
does not hold the network, so the regions are not derived again: overlapping regions
whose areas still add up, or affine maps that are not the network's, are not detected.
Treat a LinearRegions file from elsewhere as trusted input for those two points, or
compute the regions again with :func:`relugeom.linear_regions`.

>>> import relugeom as rg
>>> net = rg.ReLUNetwork([([[1, 0], [0, 1]], [0, 0]), ([[1, 1]], [0])])
>>> lr = rg.linear_regions(net, box=[(-1, 1), (-1, 1)])
>>> back = rg.from_json(rg.to_json(lr))
>>> back.n_regions, back.n_pieces, back.total_area()
(4, 4, Fraction(4, 1))
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Sequence

from ..errors import SerializationError

__all__ = ["regions_to_dict", "regions_from_dict"]

_DEC_BITS = 12_000                   # ~4,000 digits: longer integers are written in hex
_INT_TEXT = re.compile(r"-?(?:[0-9]+|0x[0-9a-f]+)")


# ---------------------------------------------------------------------- writing
def _enc_int(a: int) -> Any:
    a = int(a)
    if a.bit_length() <= _DEC_BITS:
        return a
    return "-" + hex(-a) if a < 0 else hex(a)


def _enc_vecs(vs: Sequence[Sequence[int]]) -> list[list[Any]]:
    return [[_enc_int(a) for a in v] for v in vs]


def _enc_cell(c: Any) -> dict:
    from ..convex.polyhedra import Cone
    if isinstance(c, Cone):
        return {"rays": _enc_vecs(c.rays), "incs": [_enc_int(i) for i in c.incs],
                "planes": _enc_vecs(c.planes), "lin": _enc_vecs(c.lin)}
    return {"polygon": _enc_vecs(c)}


def _enc_key(k: Any) -> Any:
    if isinstance(k, tuple):
        return [_enc_key(v) for v in k]
    if isinstance(k, int) and not isinstance(k, bool):
        return k if k.bit_length() <= _DEC_BITS else {"hex": hex(k)}
    if isinstance(k, str):
        return k
    raise SerializationError(f"to_json: a region key {k!r} cannot be written")


def regions_to_dict(lr: Any) -> dict:
    """The JSON data of a LinearRegions (integers exact at any size, rationals as
    strings)."""
    from ..numbers.encoding import encode_rational
    return {"n_inputs": lr.n_inputs, "n_outputs": lr.n_outputs,
            "box": None if lr.box is None else [[encode_rational(Fraction(a)),
                                                 encode_rational(Fraction(b))]
                                                for a, b in lr.box],
            "den": _enc_int(lr._den),
            "widths": None if lr._widths is None else list(lr._widths),
            "regions": [{"key": _enc_key(r._key), "out": _enc_vecs(r._out),
                         "cells": [_enc_cell(c) for c in r._cells]} for r in lr.regions]}


# ---------------------------------------------------------------------- reading
def _int(v: Any, where: str) -> int:
    """A JSON integer, or an integer string (decimal or ``0x`` hex, optional ``-``)."""
    from ..numbers.encoding import _decode_part
    if type(v) is int:
        return v
    if isinstance(v, str) and _INT_TEXT.fullmatch(v):
        neg = v.startswith("-")
        a = _decode_part(v.lstrip("-"), f"from_json: {where}")
        return -a if neg else a
    from ..numbers.rational import short
    raise SerializationError(f"from_json: {where} must be an integer, got {short(v)}")


def _ints(v: Any, where: str, length: int | None = None) -> tuple[int, ...]:
    if not isinstance(v, list):
        raise SerializationError(f"from_json: {where} must be a list of integers")
    out = tuple(_int(a, where) for a in v)
    if length is not None and len(out) != length:
        raise SerializationError(f"from_json: {where} must have {length} coordinates, got "
                                 f"{len(out)}")
    return out


def _list(v: Any, where: str) -> list:
    if not isinstance(v, list):
        raise SerializationError(f"from_json: {where} must be a list")
    return v


def _dec_key(k: Any, where: str) -> Any:
    if isinstance(k, list):
        return tuple(_dec_key(v, where) for v in k)
    if isinstance(k, dict) and set(k) == {"hex"} and isinstance(k["hex"], str) and \
            k["hex"].startswith("0x"):
        return _int(k["hex"], where)
    if type(k) is int or isinstance(k, str):
        return k
    from ..numbers.rational import short
    raise SerializationError(f"from_json: {where} must be integers and strings, got "
                             f"{short(k)}")


def _cell(c: Any, n: int, where: str) -> Any:
    from ..numbers.encoding import field
    from ..convex.polyhedra import Cone
    if not isinstance(c, dict):
        raise SerializationError(f"from_json: {where} must be a JSON object")
    if "polygon" in c:
        P = [_ints(v, f"{where}.polygon", n + 1) for v in _list(c["polygon"], where)]
        if n != 2 or len(P) < 3:
            raise SerializationError(f"from_json: {where}: a polygon needs n_inputs = 2 and "
                                     f"at least 3 vertices")
        return P
    rays = [_ints(v, f"{where}.rays", n + 1) for v in _list(field(c, "rays", where), where)]
    incs = list(_ints(field(c, "incs", where), f"{where}.incs"))
    planes = [_ints(v, f"{where}.planes", n + 1)
              for v in _list(field(c, "planes", where), where)]
    lin = [_ints(v, f"{where}.lin", n + 1) for v in _list(field(c, "lin", where), where)]
    if len(incs) != len(rays) or not rays and not lin or \
            any(i < 0 or i >> len(planes) for i in incs):
        raise SerializationError(f"from_json: {where}: a cone needs one incidence set (of "
                                 f"its {len(planes)} planes) per ray, and a ray or a line")
    return Cone(rays, incs, planes, lin)


def regions_from_dict(d: dict) -> Any:
    """Inverse of :func:`regions_to_dict`, with the checks of the module notes."""
    from ..numbers.encoding import decode_rational, field
    from .regionset import LinearRegions, Region
    n, m = field(d, "n_inputs"), field(d, "n_outputs")
    for name, v in (("n_inputs", n), ("n_outputs", m)):
        if type(v) is not int or v < 1:
            raise SerializationError(f"from_json: {name} must be a positive integer, got {v!r}")
    den = _int(field(d, "den"), "den")
    if den < 1:
        raise SerializationError(f"from_json: den must be a positive integer, got {den}")
    box = field(d, "box")
    if box is not None:
        if not isinstance(box, list) or len(box) != n or \
                not all(isinstance(p, list) and len(p) == 2 for p in box):
            raise SerializationError(f"from_json: box must be {n} (lo, hi) pairs")
        box = [(decode_rational(p[0], "box"), decode_rational(p[1], "box")) for p in box]
        if any(not lo < hi for lo, hi in box):
            raise SerializationError("from_json: box needs lo < hi in every pair")
    widths = field(d, "widths")
    if widths is not None:
        widths = _ints(widths, "widths")
        if not widths or any(w < 1 for w in widths):
            raise SerializationError("from_json: widths must be positive integers")
    self = object.__new__(LinearRegions)
    self.n_inputs, self.n_outputs, self.box = n, m, box
    self._den, self._widths, self._adj, self._pieces = den, widths, None, None
    regs = []
    for i, r in enumerate(_list(field(d, "regions"), "regions")):
        where = f"regions[{i}]"
        cells = [_cell(c, n, f"{where}.cells[{j}]")
                 for j, c in enumerate(_list(field(r, "cells", where), where))]
        out = tuple(_ints(v, f"{where}.out", n + 1)
                    for v in _list(field(r, "out", where), where))
        if not cells or len(out) != m:
            raise SerializationError(f"from_json: {where} needs at least one cell and {m} "
                                     f"output rows of {n + 1} integers")
        regs.append(Region(self, cells, _dec_key(field(r, "key", where), f"{where}.key"),
                           out))
    self._regions = tuple(regs)
    _check_tiling(self)
    return self


def _check_tiling(lr: Any) -> None:
    """The checks of the module notes that need the whole object."""
    from ..config import check_size
    from ..numbers.rational import short
    from .regionset import _gens
    check_size("max_regions", len(lr._regions), "from_json: LinearRegions")
    seen: dict[Any, int] = {}
    for i, r in enumerate(lr._regions):
        if r._key in seen:
            raise SerializationError(f"from_json: regions[{seen[r._key]}] and regions[{i}] "
                                     f"have the same activation pattern "
                                     f"{short(r._key)}: a region is listed twice")
        seen[r._key] = i
        widths = lr._widths
        if widths is not None and (not isinstance(r._key, tuple) or len(r._key) !=
                                   len(widths) or any(type(k) is not int or k < 0 or
                                                      k >> w for k, w in zip(r._key, widths))):
            raise SerializationError(f"from_json: regions[{i}].key {short(r._key)} is not an "
                                     f"activation pattern of widths {list(widths)}")
    if lr.box is None:
        return
    for i, r in enumerate(lr._regions):
        for g in (g for c in r._cells for g in _gens(c)):
            if g[-1] <= 0 or any(not lo * g[-1] <= a <= hi * g[-1]
                                 for a, (lo, hi) in zip(g[:-1], lr.box)):
                raise SerializationError(f"from_json: regions[{i}] reaches outside the box "
                                         f"{short(lr.box)}")
    if lr.n_inputs == 2:
        (x0, x1), (y0, y1) = lr.box
        total = lr.total_area()
        if total != (x1 - x0) * (y1 - y0):
            raise SerializationError(f"from_json: the regions' areas add up to {short(total)}, "
                                     f"not to the box's {short((x1 - x0) * (y1 - y0))}: "
                                     f"regions are missing, repeated or overlap")

"""JSON documents written before the move into layers (at ae34435) read back after it, each
in a fresh process (the defining module is imported from the type name alone)."""
from __future__ import annotations

import subprocess
import sys

import pytest

import relugeom as rg

# written by relugeom at ae34435 (the flat layout), verbatim
OLD = {
    'pwl': '{"format": "relugeom", "version": 1, "type": "PiecewiseLinear", "breakpoints": ["0", "1/3", "1"], "values": ["0", "1", "0"], "left_slope": "0", "right_slope": "-3"}',
    'net': '{"format": "relugeom", "version": 1, "type": "ReLUNetwork", "layers": [{"W": [["1"], ["1"], ["1"]], "b": ["0", "-1/3", "-1/2"]}, {"W": [["3", "-9", "8"]], "b": ["0"]}]}',
    'zonotope': '{"format": "relugeom", "version": 1, "type": "Zonotope", "generators": [["1", "0"], ["0", "1"], ["1", "1"]]}',
    'cpwl': '{"format": "relugeom", "version": 1, "type": "CPWLFunction", "n_inputs": 2, "cells": [{"inequalities": [["-1", "-1", "0"], ["-1", "1", "0"]], "coefficients": ["0", "1"], "constant": "0"}, {"inequalities": [["-1", "-1", "0"], ["1", "-1", "0"]], "coefficients": ["1", "0"], "constant": "0"}, {"inequalities": [["-1", "1", "0"], ["1", "1", "0"]], "coefficients": ["0", "1"], "constant": "0"}, {"inequalities": [["1", "-1", "0"], ["1", "1", "0"]], "coefficients": ["1", "0"], "constant": "0"}]}',
    'surd': '{"format": "relugeom", "version": 1, "type": "Surd", "a": "3", "r": "3", "m": 2, "b": "-1"}',
    'regions': '{"format": "relugeom", "version": 1, "type": "LinearRegions", "n_inputs": 2, "n_outputs": 1, "box": [["-1", "1"], ["-1", "1"]], "den": 1, "widths": [2], "regions": [{"key": [0], "out": [[0, 0, 0]], "cells": [{"polygon": [[-1, -1, 1], [-1, 0, 1], [0, 0, 1], [0, -1, 1]]}]}, {"key": [1], "out": [[1, 0, 0]], "cells": [{"polygon": [[1, 0, 1], [1, -1, 1], [0, -1, 1], [0, 0, 1]]}]}, {"key": [2], "out": [[0, 1, 0]], "cells": [{"polygon": [[-1, 0, 1], [-1, 1, 1], [0, 1, 1], [0, 0, 1]]}]}, {"key": [3], "out": [[1, 1, 0]], "cells": [{"polygon": [[0, 1, 1], [1, 1, 1], [1, 0, 1], [0, 0, 1]]}]}]}',
}


def _values():
    return {
        "pwl": rg.PiecewiseLinear.from_points([(0, 0), ("1/3", 1), (1, 0)], left_slope=0,
                                              right_slope=-3),
        "net": rg.families.hard_network([["1/3", "1/2"]], 1),
        "zonotope": rg.Zonotope([(1, 0), (0, 1), (1, 1)]),
        "cpwl": rg.CPWLFunction.from_network(
            rg.network_from_max_affine([((1, 0), 0), ((0, 1), 0)])),
        "surd": rg.bounds.min_size(27, 3),
    }


@pytest.mark.parametrize("name", ["pwl", "net", "zonotope", "cpwl", "surd"])
def test_old_documents_read_back_equal(name):
    assert rg.from_json(OLD[name]) == _values()[name]
    assert rg.to_json(_values()[name]) == OLD[name]          # and are written the same


def test_old_regions_document_reads_back():
    lr = rg.from_json(OLD["regions"])
    assert (lr.n_regions, lr.n_pieces) == (4, 4)
    assert rg.to_json(lr) == OLD["regions"]


@pytest.mark.parametrize("name", ["pwl", "zonotope", "cpwl", "surd", "regions"])
def test_old_documents_read_in_a_fresh_process(name):
    code = ("import sys, relugeom as rg; v = rg.from_json(sys.stdin.read()); "
            "print(type(v).__module__, type(v).__name__)")
    out = subprocess.run([sys.executable, "-c", code], input=OLD[name], text=True,
                         capture_output=True, check=True).stdout.split()
    assert out[0].startswith("relugeom.") and out[0].count(".") == 2   # a layered module

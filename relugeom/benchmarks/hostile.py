"""Benchmark of the guards against hostile input: how fast each is refused.

``relugeom bench hostile`` times the refusals of inputs that once hung or ran out of
memory (huge Surd powers and radicands, ``sawtooth_network(10**6)``, a deep network's
tropical form, a FIFO and ``/dev/zero`` as input files), and the cost of the checks on
the normal path, as ratios against a baseline measured in the same process: reading a
genuine LinearRegions JSON with its checks against the parse alone, and the safe file
reader against a plain ``open().read()``.
"""
from __future__ import annotations

import os
import random
import tempfile
import time
from typing import Any, Callable

__all__ = ["bench_hostile"]


def _refusal(make: Callable[[], Any]) -> tuple[str, float]:
    from ..errors import RelugeomError
    t = time.perf_counter()
    try:
        make()
        outcome = "ACCEPTED"
    except RelugeomError as exc:
        outcome = type(exc).__name__
    return outcome, time.perf_counter() - t


def _cases(tmp: str) -> list[tuple[str, Callable[[], Any]]]:
    import relugeom as rg
    fifo = os.path.join(tmp, "fifo")
    if hasattr(os, "mkfifo"):
        os.mkfifo(fifo)
    deep = [([[1, 1], [1, -1], [-1, 1], [-1, -1]], [0] * 4)]
    deep += [([[1, -1, 1, -1], [1, 1, -1, -1], [-1, 1, 1, -1], [1, 1, 1, 1]],
              [1, 0, -1, 0])] * 6
    deep += [([[1, -1, 1, -1]], [0])]
    from ..files import read_file_bytes
    cases = [
        ("Surd(2, 3, 2) ** 10**10", lambda: rg.Surd(2, 3, 2) ** 10 ** 10),
        ("Surd(1, 2**(2**22 - 64) + 1, 2)", lambda: rg.Surd(1, 2 ** (2 ** 22 - 64) + 1, 2)),
        ("families.sawtooth_network(10**6)", lambda: rg.families.sawtooth_network(10 ** 6)),
        ("tropical(8 layers of width 4)", lambda: rg.tropical(rg.ReLUNetwork(deep))),
        ("read_file_bytes('/dev/zero')", lambda: read_file_bytes("/dev/zero")),
    ]
    if os.path.exists(fifo):
        cases.append(("read_file_bytes(a FIFO)", lambda: read_file_bytes(fifo)))
    return cases


def _regions_json(quick: bool) -> tuple[str, int]:
    import relugeom as rg
    rng = random.Random(11)
    w = 12 if quick else 30
    net = rg.ReLUNetwork([([[rng.randint(-5, 5) for _ in range(2)] for _ in range(w)],
                           [rng.randint(-9, 9) for _ in range(w)]),
                          ([[rng.randint(-3, 3) for _ in range(w)]], [0])])
    lr = rg.linear_regions(net, box=[(-10, 10), (-10, 10)])
    return rg.to_json(lr), lr.n_regions


def bench_hostile(quick: bool = False) -> None:
    """Print the refusal times and the ratios of the checks on the normal path."""
    import relugeom as rg
    rg.Surd(1, 2, 2) > 1                    # warm up: imports (python-flint) not timed
    rg.tropical(rg.ReLUNetwork([([[1]], [0]), ([[1]], [0])]))
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{'hostile input':40s} {'outcome':>16s} {'time':>10s}")
        for label, make in _cases(tmp):
            outcome, dt = _refusal(make)
            print(f"{label:40s} {outcome:>16s} {dt * 1e3:8.1f}ms")
        from ..geometry.regions_json import _check_tiling
        js, n_regions = _regions_json(quick)
        t = time.perf_counter()
        back = rg.from_json(js)
        full = time.perf_counter() - t
        t = time.perf_counter()
        _check_tiling(back)                 # the whole-object checks again, alone
        checks = time.perf_counter() - t
        base = max(full - checks, 1e-9)
        print(f"LinearRegions JSON of {n_regions} regions ({len(js)} characters): read in "
              f"{full * 1e3:.1f}ms, of which the tiling checks {checks * 1e3:.1f}ms "
              f"(x{full / base:.2f} of the read without them)")
        size = 2_000_000 if quick else 50_000_000
        path = os.path.join(tmp, "big.bin")
        with open(path, "wb") as fh:
            fh.write(os.urandom(size))
        from ..files import read_file_bytes
        t = time.perf_counter()
        with open(path, "rb") as fh:
            fh.read()
        plain = time.perf_counter() - t
        t = time.perf_counter()
        read_file_bytes(path)
        safe = time.perf_counter() - t
        print(f"a {size // 10**6} MB file: read_file_bytes {safe * 1e3:.1f}ms, open().read() "
              f"{plain * 1e3:.1f}ms (x{safe / max(plain, 1e-9):.2f})")

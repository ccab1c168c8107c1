"""relugeom.benchmarks.memory: the child process counts what the whole call counts."""
from __future__ import annotations

import pytest

pytest.importorskip("torch")


def test_peak_per_region_runs_the_whole_call_in_a_fresh_process():
    from relugeom.benchmarks.memory import peak_per_region
    got = peak_per_region("relugeom", [2, 8, 8, 1])
    import relugeom as rg
    from relugeom.benchmarks.torchnets import default_model
    want = rg.linear_regions(rg.ReLUNetwork.from_torch(default_model([2, 8, 8, 1])),
                             box=[(-4, 4), (-4, 4)]).n_regions
    assert got["regions"] == want == 104
    assert got["bytes"] >= 0 and got["per_region"] == got["bytes"] / 104

"""``relugeom bench memory`` (also printed after ``relugeom bench trained``): peak memory
per region of the whole call from a torch module, relugeom against regioncam, each tool in
a fresh process of its own.

A child process imports torch and the tool, builds the default-initialised float32 net
(``torch.manual_seed(0)``), restarts its peak resident set from the current one (Linux:
``/proc/self/clear_refs``; elsewhere the process's peak so far, ``ru_maxrss``), makes the
whole call (``ReLUNetwork.from_torch`` then ``linear_regions(net, box=[(-4, 4)] * 2)``, the result
kept alive; regioncam's ``Regioncam(size=4).add(model)``), and reads the peak again: the
growth over the regions is the figure. regioncam is an optional extra
(``pip install relugeom[bench]``), never a dependency.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys

__all__ = ["bench_memory", "peak_per_region"]

_CHILD = r"""
import json, resource, sys
import torch
tool, dims = sys.argv[1], [int(v) for v in sys.argv[2].split(",")]
if tool == "relugeom":
    import relugeom as rg
else:
    import regioncam
torch.manual_seed(0)
mods = []
for a, b in zip(dims, dims[1:]):
    mods += [torch.nn.Linear(a, b), torch.nn.ReLU()]
model = torch.nn.Sequential(*mods[:-1]).eval()
def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")               # the peak resident set restarts from now
        return True
    except OSError:
        return False
if reset_peak():
    before, kb = status("VmRSS"), lambda: status("VmHWM")
else:
    kb = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    before = kb()
if tool == "relugeom":
    res = rg.linear_regions(rg.ReLUNetwork.from_torch(model), box=[(-4, 4), (-4, 4)])
    n = res.n_regions
else:
    res = regioncam.Regioncam(size=4)
    res.add(model)
    n = res.num_faces
print(json.dumps({"regions": n, "before_kb": before, "after_kb": kb()}))
"""


def peak_per_region(tool: str, dims: list[int]) -> dict:
    """Run the whole call of ``tool`` on a fresh process; its regions and the growth of
    the peak resident set (bytes, and bytes per region)."""
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run([sys.executable, "-c", _CHILD, tool, ",".join(map(str, dims))],
                         capture_output=True, text=True, env=env, timeout=900, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    grow = max(got["after_kb"] - got["before_kb"], 0) * 1024
    return {"regions": got["regions"], "bytes": grow, "per_region": grow / got["regions"]}


def bench_memory(quick: bool = False) -> None:
    """Print peak bytes per region for relugeom and regioncam on the same nets."""
    try:
        import regioncam  # noqa: F401
    except ImportError:
        print("regioncam is not installed (pip install relugeom[bench]): nothing to compare")
        return
    print("memory: peak resident growth of the whole call per region, each tool in its own "
          "process")
    print("| net | regions | relugeom bytes/region | regioncam bytes/region | ratio |")
    print("|---|---|---|---|---|")
    for dims in ([2, 128, 128, 1],) if quick else ([2, 128, 128, 1], [2, 256, 256, 1]):
        ours, theirs = peak_per_region("relugeom", dims), peak_per_region("regioncam", dims)
        print(f"| {'-'.join(map(str, dims))} | {ours['regions']:,} | "
              f"{ours['per_region']:,.0f} | {theirs['per_region']:,.0f} | "
              f"**{ours['per_region'] / max(theirs['per_region'], 1):.2f}x** |", flush=True)

"""Hostile inputs against the public builders, bounds and combinators.

Every public function of ``families``, ``bounds``, ``maxaffine`` and the network
combinators is called with bad values (None, wrong types, floats, NaN/inf, huge and tiny
rationals, negative and oversize parameters, empty input). Allowed outcomes: a plain
return, or a ``RelugeomError``; also Python's own TypeError for a call with the wrong
number of arguments (a signature error, not a crash inside). Each call runs under a 2 s
alarm, and the whole walk in a child process under a 3 GB address-space cap, so a bomb
cannot take the suite down.
"""
from __future__ import annotations

import json
import subprocess
import sys

_WALK = r'''
import inspect, json, resource, signal, sys
from fractions import Fraction as F
resource.setrlimit(resource.RLIMIT_AS, (3 * 10**9, 3 * 10**9))
import relugeom as rg
from relugeom import families, bounds, maxaffine, network
from relugeom.errors import RelugeomError

class Budget(Exception):
    pass

def alarm(*_):
    raise Budget()

signal.signal(signal.SIGALRM, alarm)

def show(args):
    return ", ".join(rg.rational.short(a, 30) if isinstance(a, (int, F)) else repr(a)[:30]
                     for a in args)
BAD = [None, "x", 1.5, float("nan"), float("inf"), -1, 0, 10**5000, F(1, 10**5000),
       10**12, [], [[]], {"a": 1}, {1, 2}, True]
mods = [families, bounds, maxaffine]
names = [(m.__name__, n) for m in mods for n in getattr(m, "__all__", [])]
names += [("relugeom.networks.network", n) for n in ("compose_networks", "stack_networks",
          "sum_networks", "maximum_network", "minimum_network", "identity_network")]
bad = []
for modname, n in names:
    f = getattr(sys.modules[modname], n, None)
    if not callable(f) or inspect.isclass(f):
        continue
    for args in [(v,) for v in BAD] + [(v, v) for v in BAD] + [(3, v) for v in BAD]:
        signal.setitimer(signal.ITIMER_REAL, 2.0)
        try:
            f(*args)
        except RelugeomError:
            pass
        except TypeError as exc:
            if "argument" not in rg.rational.short(str(exc), 300):
                bad.append((n, show(args), "TypeError: " + rg.rational.short(str(exc), 200)))
        except Budget:
            bad.append((n, show(args), "over the 2 s budget"))
        except BaseException as exc:
            bad.append((n, show(args), f"{type(exc).__name__}: {rg.rational.short(str(exc), 200)}"))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
print(json.dumps(bad))
'''


def test_public_callables_refuse_bad_values_with_typed_errors():
    out = subprocess.run([sys.executable, "-c", _WALK], capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    bad = json.loads(out.stdout.strip().splitlines()[-1])
    assert bad == [], "\n".join(map(str, bad))

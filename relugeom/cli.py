"""The ``relugeom`` command: verify, figures, count, erm, bench."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

__all__ = ["main"]


def _version() -> str:
    from . import __version__
    return __version__


def _cmd_verify(args: argparse.Namespace) -> int:
    from . import verify
    rows = verify.run(only=args.only, full=args.full, progress=not args.json)
    if args.json:
        print(verify.to_json_rows(rows))
    elif args.markdown:
        print(verify.to_markdown(rows))
    else:
        print(verify.format_table(rows))
    if not rows:
        print(f"no claim matches {args.only!r}", file=sys.stderr)
        return 2
    return 1 if any(r.holds == "false" for r in rows) else 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from . import figures
    figures.make_all(out=args.out, formats=args.format.split(","), only=args.only,
                     gallery=True if args.gallery else None, progress=True,
                     echo=lambda p: print(p, flush=True))
    return 0


def _cmd_count(args: argparse.Namespace) -> int:
    from .io import from_json
    from .network import ReLUNetwork
    from .pwl import PiecewiseLinear
    try:
        with open(args.file, "rb") as fh:
            obj = from_json(fh.read())
    except OSError as exc:
        print(f"relugeom: error: cannot read {args.file}: {exc.strerror or exc}",
              file=sys.stderr)
        return 2
    lo, hi = args.lo, args.hi
    if isinstance(obj, ReLUNetwork) and obj.n_inputs == 1:
        print(f"network: depth {obj.depth}, widths {list(obj.widths)}, size {obj.size}")
        obj = obj.to_pwl()
    if isinstance(obj, PiecewiseLinear):
        print(f"pieces on R: {obj.n_pieces}")
        if lo is not None or hi is not None:
            print(f"pieces on [{lo if lo is not None else '-inf'}, "
                  f"{hi if hi is not None else 'inf'}]: {obj.n_pieces_on(lo, hi)}")
        return 0
    from . import regions
    box = None
    if args.box:
        b = [v for v in args.box.split(",")]
        box = [(b[2 * i], b[2 * i + 1]) for i in range(len(b) // 2)]
    res = regions.linear_regions(obj, box=box)
    print(f"activation regions: {res.n_regions}")
    print(f"pieces (Definition 3): {res.n_pieces}")
    return 0


def _cmd_erm(args: argparse.Namespace) -> int:
    from . import erm
    return erm.cli_main(args)


def _cmd_certify(args: argparse.Namespace) -> int:
    from .certificates import certificate_network, decide, load_certificate
    cert = load_certificate(args.file)
    res = decide(cert)
    if not args.no_network:
        res.widths = certificate_network(cert).widths
    print(res.summary())
    return 0 if res.holds else 1


def _cmd_bench(args: argparse.Namespace) -> int:
    from . import benchmarks
    return benchmarks.run(args.name, quick=args.quick)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="relugeom", description=(
        "Exact computational geometry of ReLU networks: verify the theorems of Arora, Basu, "
        "Mianjy and Mukherjee (ICLR 2018), draw their figures, count pieces and regions, "
        "train one-hidden-layer networks to global optimality."))
    p.add_argument("--version", action="version", version=f"relugeom {_version()}")
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("verify", help="check every registered claim of the paper")
    v.add_argument("--json", action="store_true", help="machine-readable rows on stdout")
    v.add_argument("--markdown", action="store_true",
                   help="a markdown table, one row per claim (for the README)")
    v.add_argument("--only", metavar="PATTERN", help="only claims matching PATTERN")
    v.add_argument("--full", action="store_true", help="larger parameters (slower)")
    v.set_defaults(func=_cmd_verify)

    f = sub.add_parser("figures", help="draw the paper's figures and ours")
    f.add_argument("--out", default="figures", help="output folder (default: figures)")
    f.add_argument("--format", default="png", help="comma-separated: png,pdf,svg")
    f.add_argument("--only", metavar="PATTERN", help="only figures whose name matches")
    f.add_argument("--gallery", action="store_true",
                   help="also write the gallery README.md in --out (by default only where "
                        "relugeom wrote one before); files relugeom did not write are "
                        "never overwritten")
    f.set_defaults(func=_cmd_figures)

    c = sub.add_parser("count", help="pieces / regions of a saved function or network")
    c.add_argument("file", help="a JSON file written by relugeom.to_json")
    c.add_argument("--lo", help="left end of the interval (1-D)")
    c.add_argument("--hi", help="right end of the interval (1-D)")
    c.add_argument("--box", help="lo1,hi1,lo2,hi2,... for n-D networks")
    c.set_defaults(func=_cmd_count)

    e = sub.add_parser("erm", help="globally optimal one-hidden-layer fit (Algorithm 1)")
    e.add_argument("data", help="CSV file: feature columns, then the label column")
    e.add_argument("--width", type=int, required=True)
    e.add_argument("--loss", default="squared", choices=["squared", "absolute", "hinge"])
    e.add_argument("--workers", type=int, default=None)
    e.add_argument("--no-progress", action="store_true")
    e.add_argument("--force", action="store_true", help="go ahead past the program limit")
    e.add_argument("--certify", choices=["best", "all"], default="all",
                   help="all: prove the global optimum with exact dual bounds (default); "
                        "best: certify only the best program exactly")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=_cmd_erm)

    ce = sub.add_parser("certify", help="decide a two-hidden-layer MAX_n certificate "
                        "(JSON) exactly; exit status 1 when false")
    ce.add_argument("file", help='{"n": n, "terms": [{"coefficient": "p/q", '
                    '"pair": [L, R]}, ...]}')
    ce.add_argument("--no-network", action="store_true",
                    help="skip building the simplified network (widths)")
    ce.set_defaults(func=_cmd_certify)

    b = sub.add_parser("bench", help="speed benchmarks (figures and ratios)")
    b.add_argument("name", nargs="?", default="all",
                   help="compose, hard, regions, erm or all")
    b.add_argument("--quick", action="store_true", help="smaller sizes")
    b.set_defaults(func=_cmd_bench)
    return p


_VALUE_OPTIONS = ("--lo", "--hi", "--box")


def _join_negative_values(argv: list[str]) -> list[str]:
    """Let ``--lo -1/2`` and ``--box -1,1,-1,1`` through: argparse would take a value
    that starts with '-' for an option, so glue it to its option as ``--lo=-1/2``."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok in _VALUE_OPTIONS and i + 1 < len(argv) and argv[i + 1][:2] not in ("--",) \
                and argv[i + 1].startswith("-") and len(argv[i + 1]) > 1 \
                and (argv[i + 1][1].isdigit() or argv[i + 1][1] == "."):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relugeom`` command."""
    argv = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    from .errors import RelugeomError
    try:
        return int(args.func(args) or 0)
    except RelugeomError as exc:
        print(f"relugeom: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("relugeom: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:             # e.g. `relugeom verify | head`
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0

"""The ``relugeom`` command: verify, figures, count, erm, bench."""
from __future__ import annotations

import argparse
import sys
from typing import Any, Sequence

__all__ = ["main"]


def _version() -> str:
    from . import __version__
    return __version__


class _UsageError(Exception):
    """A bad combination of command-line values: one line, exit status 2."""


def _cmd_verify(args: argparse.Namespace) -> int:
    from .paper import verify
    if args.only:
        names = verify.checks()
        if not any(verify._match(args.only, n) for n in names):
            raise _UsageError(f"no check matches --only {args.only!r}; the checks are: "
                              f"{', '.join(names)} (use --claim TEXT to filter rows by "
                              f"their claim text)")
    if args.claim:          # matched against the declared titles before anything runs
        titles = verify.claim_titles(args.only)
        if not any(verify._match(args.claim, t) for _, t in titles):
            raise _UsageError(f"no claim matches --claim {args.claim!r}"
                              + (f" among the checks matching --only {args.only!r}"
                                 if args.only else "")
                              + "; list the claims with: relugeom verify --list-claims")
    if args.list_claims:
        for name, title in verify.claim_titles(args.only):
            print(f"{name}: {title}")
        return 0
    names = None
    if args.claim:          # only the checks that declare a matching claim title
        names = {n for n, t in verify.claim_titles(args.only) if verify._match(args.claim, t)}
    rows = verify.run(only=args.only, full=args.full, progress=not args.json, names=names)
    if args.claim:
        rows = [r for r in rows if verify._match(args.claim, r.claim)]
    if args.json:
        print(verify.to_json_rows(rows))
    elif args.markdown:
        print(verify.to_markdown(rows))
    else:
        print(verify.format_table(rows))
    if not rows:
        what = f"--claim {args.claim!r}" if args.claim else f"--only {args.only!r}"
        print(f"relugeom: error: no claim matches {what}", file=sys.stderr)
        return 2
    return 1 if any(r.holds == "false" for r in rows) else 0


def _cmd_figures(args: argparse.Namespace) -> int:
    from .paper import figures
    formats = [f for f in args.format.split(",") if f.strip()]
    if not formats:                     # "--format ," is a mistake, not "png"
        raise _UsageError(f"--format needs at least one of png, pdf, svg (comma-separated), "
                          f"got {args.format!r}")
    figures.make_all(out=args.out, formats=formats, only=args.only,
                     gallery=True if args.gallery else None, progress=True,
                     skip_existing=args.skip_existing, echo=lambda p: print(p, flush=True))
    return 0


def _parse_box(text: str, n: int) -> list[tuple[Any, Any]]:
    from .numbers.rational import as_rational, short
    vals = [v.strip() for v in text.split(",")]
    if len(vals) % 2:
        raise _UsageError(f"--box needs an even number of values lo1,hi1,lo2,hi2,..., got "
                          f"{len(vals)}")
    if len(vals) != 2 * n:
        raise _UsageError(f"--box has {len(vals) // 2} (lo, hi) pairs but the network has "
                          f"{n} inputs")
    q = [as_rational(v, what=f"--box value {i + 1}") for i, v in enumerate(vals)]
    box = [(q[2 * i], q[2 * i + 1]) for i in range(n)]
    for i, (lo, hi) in enumerate(box):
        if not lo < hi:
            raise _UsageError(f"--box: pair {i + 1} needs lo < hi, got {short(lo)}, "
                              f"{short(hi)}")
    return box


def _cmd_count(args: argparse.Namespace) -> int:
    from .files import read_file_bytes
    from .functions.pwl import PiecewiseLinear
    from .interop.documents import from_json
    from .networks.network import ReLUNetwork
    from .numbers.rational import as_rational, short
    obj = from_json(read_file_bytes(args.file, what="count"))   # regular files, size cap
    # every value is checked before anything is printed
    lo = None if args.lo is None else as_rational(args.lo, what="--lo")
    hi = None if args.hi is None else as_rational(args.hi, what="--hi")
    if lo is not None and hi is not None and not lo < hi:
        raise _UsageError(f"--lo must be below --hi, got {short(lo)} and {short(hi)}")
    cpwl = type(obj).__name__ == "CPWLFunction"
    if not isinstance(obj, (ReLUNetwork, PiecewiseLinear)) and not cpwl:
        raise _UsageError(f"{args.file} holds a {type(obj).__name__}; count reads a "
                          f"PiecewiseLinear, a ReLUNetwork or a CPWLFunction")
    n_in = 1 if isinstance(obj, PiecewiseLinear) else obj.n_inputs
    n_out = obj.n_outputs if isinstance(obj, ReLUNetwork) else 1
    if n_in == 1 and args.box is not None:
        raise _UsageError("--box is for functions of several inputs; this one has 1 input: "
                          "use --lo/--hi")
    if n_in > 1 and (lo is not None or hi is not None):
        raise _UsageError(f"--lo/--hi are for functions of one input; this one has {n_in} "
                          f"inputs: use --box lo1,hi1,...")
    if args.output is not None and not 0 <= args.output < n_out:
        raise _UsageError(f"--output {args.output} does not exist; outputs are 0..{n_out - 1}")
    outputs = [args.output] if args.output is not None else list(range(n_out))
    box = _parse_box(args.box, n_in) if args.box is not None else None
    if n_in == 1:
        fs = []
        if isinstance(obj, ReLUNetwork):
            _check_network_pieces(obj)
            fs = [(i, obj.to_pwl(i)) for i in outputs]
            print(f"network: depth {obj.depth}, widths {list(obj.widths)}, size {obj.size}")
        elif cpwl:
            print(f"CPWL function: {obj.n_pieces} pieces")
            return 0
        else:
            fs = [(None, obj)]
        for i, f in fs:
            tag = "" if i is None or n_out == 1 else f"output {i}: "
            print(f"{tag}pieces on R: {f.n_pieces}")
            if lo is not None or hi is not None:
                print(f"{tag}pieces on [{short(lo) if lo is not None else '-inf'}, "
                      f"{short(hi) if hi is not None else 'inf'}]: {f.n_pieces_on(lo, hi)}")
        return 0
    from .geometry import regions
    if args.output is not None and n_out > 1:
        obj = _one_output(obj, args.output)
    res = regions.linear_regions(obj, box=box, progress=args.progress, force=args.force)
    print(f"activation regions: {res.n_regions}")
    if args.output is not None and n_out > 1:
        print(f"pieces (Definition 3, of output {args.output}): {res.n_pieces}")
    elif n_out == 1 or cpwl:
        print(f"pieces (Definition 3): {res.n_pieces}")
    else:
        print(f"pieces (Definition 3, of the map to R^{n_out}): {res.n_pieces}")
    return 0


def _one_output(net: Any, i: int) -> Any:
    """The network computing output ``i`` of ``net`` alone (its last layer cut to row i):
    same hidden layers, so the same activation regions, and the pieces of that output."""
    from .networks.network import ReLUNetwork
    *hidden, (W, b) = net.layers
    return ReLUNetwork._trusted([*hidden, ((W[i],), (b[i],))])


def _check_network_pieces(net: Any) -> None:
    """Refuse before the work a 1-D network whose piece count could pass ``max_pieces``
    (Lemma D.5: at most 2^(k-1) (w_1 + 1) w_2 ... w_k pieces), from that cheap bound."""
    from .depth.bounds import max_pieces
    from .config import get_limit
    from .errors import TooLargeError
    if not net.widths:
        return
    limit = get_limit("max_pieces")
    bits = len(net.widths) - 1 + sum(w.bit_length() for w in net.widths)
    bound = max_pieces(net.widths) if bits < 4096 else None
    if bound is None or bound > limit:
        # refused up front: building toward the limit takes minutes and gigabytes
        # (measured: ~300 bytes and ~25 us per piece, sawtooth k=20)
        from .numbers.rational import short
        shown = f"about 2^{bits}" if bound is None else short(bound)
        raise TooLargeError(f"count: this network (widths {list(net.widths)[:8]}"
                            f"{'...' if len(net.widths) > 8 else ''}) may have up to "
                            f"{shown} pieces (Lemma D.5), over max_pieces={limit} (raise "
                            f"it with --max-pieces)")


def _cmd_erm(args: argparse.Namespace) -> int:
    """``relugeom erm DATA.csv --width w``: read a CSV (:func:`read_csv`), warn on
    stderr before a long run, fit, print the result (``--json``: the document that
    ``rg.from_json`` reads). Returns an exit status (130 when interrupted)."""
    from .erm import RATE_ESTIMATE, estimate, fit, model_formula, read_csv
    from .erm._result import _approx
    from .interop.documents import to_json
    from .numbers.rational import short
    X, y = read_csv(args.data)
    width = args.width
    if isinstance(width, int) and width >= 1 and len(X) < 10 ** 5:
        try:
            count, secs = estimate(X, width)
        except Exception:           # noqa: BLE001  (fit reports bad input itself)
            count, secs = 0, 0.0
        if secs > 10:
            print(f"relugeom erm: up to {short(count)} convex programs (Cover's bound); "
                  f"estimated {secs:,.0f} s on one worker at ~{RATE_ESTIMATE} programs/s; "
                  f"Ctrl-C returns the best found so far", file=sys.stderr)
    res = fit(X, y, width=width, loss=args.loss, output_bias=args.output_bias,
              workers=args.workers, progress=not args.no_progress and sys.stderr.isatty(),
              force=args.force, certify=getattr(args, "certify", "all"))
    if args.json:
        print(to_json(res, indent=2))
    else:
        print(f"objective: {short(res.objective, 200)} (~{_approx(res.objective)}), "
              f"{'certified' if res.certified else 'NOT certified'}"
              f"{', PARTIAL (interrupted)' if res.partial else ''}")
        hint = "" if res.output_bias else \
            " (the paper's; torch MLPs have one: compare with --output-bias)"
        print(f"model: {model_formula(res.output_bias, len(X[0]) if X else 1)}{hint}")
        print(f"programs: {res.n_programs} solved, {res.n_pruned} skipped by the bound, "
              f"{res.n_combinations} unordered sets; paper: {short(res.n_programs_paper)}")
        W, b = res.network.layers[0]
        (c,), (c0,) = res.network.layers[1]
        for i, (row, bi, ci) in enumerate(zip(W, b, c)):
            print(f"unit {i}: s={ci}  a=({', '.join(short(v) for v in row)})  b={short(bi)}")
        if res.output_bias:
            print(f"output bias: c={short(c0)}")
    return 130 if res.partial else 0


def _cmd_certify(args: argparse.Namespace) -> int:
    """Exit 0 TRUE, 1 FALSE, 2 any error (one line); a crash is never exit 1."""
    from .errors import RelugeomError
    try:
        return _certify(args)
    except (RelugeomError, _UsageError, KeyboardInterrupt, OSError):
        raise
    except Exception as exc:            # noqa: BLE001 - never exit 1 on a crash
        raise RelugeomError(f"internal error in certify: {type(exc).__name__}: "
                            f"{str(exc)[:300]} (please report)") from None


def _certify(args: argparse.Namespace) -> int:
    import time
    from .depth import certificates as cm
    if args.search is not None:
        if args.file is not None or args.example is not None:
            raise _UsageError("give --search N alone, not with a FILE or --example")
        return _cmd_certify_search(args)
    t0 = time.perf_counter()
    if args.example is not None:
        if args.file is not None:
            raise _UsageError("give a FILE or --example N, not both")
        with open(cm.published_path(args.example), encoding="utf-8") as fh:
            sys.stdout.write(fh.read())
        return 0
    if args.file is None:
        raise _UsageError("certify needs a FILE (or --example N to print a published "
                          "certificate)")
    if args.workers is not None and args.workers < 1:
        raise _UsageError(f"--workers must be at least 1, got {args.workers}")
    cert = cm.load_certificate(args.file)
    widths = None
    if args.network or args.widths:          # the estimate first: refused up front
        widths = cm.network_widths(cert)
        if args.network:
            from .depth.certificate_network import _check_network_size
            _check_network_size(cert, widths, "certify --network")
    progress = not args.no_progress and cert.n >= 9
    res = cm.decide(cert, workers=args.workers, progress=progress)
    lines = res.summary().splitlines()[:-1]
    if widths is not None:
        lines.append(f"widths (from orbits, merged): ({widths.first}, {widths.nonzero}); "
                     f"{widths.units:,} second-layer units before merging, {widths.classes} "
                     f"orbit classes")
    print("\n".join(lines), flush=True)
    if args.network:
        t1 = time.perf_counter()
        net = cm.certificate_network(cert, progress=not args.no_progress and cert.n >= 7)
        print(f"network: widths {net.widths} (built, merged{', simplified' if len(net.widths) == 2 and net.widths[1] <= 3000 else ''}) in "
              f"{time.perf_counter() - t1:.3f} s")
    workers = f", {args.workers} worker processes" if args.workers and args.workers > 1 \
        else ""
    print(f"time: {time.perf_counter() - t0:.3f} s (all of it: reading, deciding"
          f"{', the counterexample' if res.counterexample else ''}"
          f"{', the widths' if widths else ''}{', the network' if args.network else ''}"
          f"{workers})")
    return 0 if res.holds else 1


def _cmd_certify_search(args: argparse.Namespace) -> int:
    """``certify --search N [--pairs K] [-o FILE]``: exit 0 found (and written), 1 the
    ansatz has no certificate (an exact separating functional is the proof)."""
    import os
    from .depth.search import search
    if args.output:                     # refused before the search, not after it
        where = os.path.dirname(os.path.abspath(args.output))
        if os.path.isdir(args.output) or not os.access(where, os.W_OK):
            raise _UsageError(f"-o {args.output}: not a writable file path (directory "
                              f"{where!r} missing or not writable, or a directory given)")
    res = search(args.search, args.pairs, workers=getattr(args, "workers", None),
                 progress=sys.stderr.isatty() and not getattr(args, "no_progress", False))
    print(res.summary())
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write((res.to_json() if res.holds else res.proof_json()) + "\n")
        print(f"written: {args.output} ({'certificate' if res.holds else 'separator'})")
    return 0 if res.holds else 1


def _add_search_options(ce: argparse.ArgumentParser) -> None:
    """certify --search N [--pairs K] [-o FILE] (issue 23)."""
    ce.add_argument("--search", type=int, metavar="N", help="find a certificate for "
                    "max(x_1..x_N) by exact linear algebra instead of deciding a file")
    ce.add_argument("--pairs", type=int, default=2, metavar="K",
                    help="with --search: up to K pairs a side in each template (default 2)")
    ce.add_argument("-o", "--output", metavar="FILE",
                    help="with --search: write the certificate found (published JSON), or "
                         "the separating functional when there is none")


def _cmd_bench(args: argparse.Namespace) -> int:
    from . import benchmarks
    known = benchmarks.available()
    if args.name != "all" and args.name not in known:
        raise _UsageError(f"unknown benchmark {args.name!r}; known: {', '.join(known)}, all")
    return benchmarks.run(args.name, quick=args.quick)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="relugeom", description=(
        "Exact computational geometry of ReLU networks: verify the theorems of Arora, Basu, "
        "Mianjy and Mukherjee (ICLR 2018), draw their figures, count pieces and regions, "
        "train one-hidden-layer networks to global optimality."))
    p.add_argument("--version", action="version", version=f"relugeom {_version()}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    fmt = argparse.RawDescriptionHelpFormatter

    for add in (_add_verify, _add_figures, _add_count, _add_erm):
        add(sub, fmt)
    _add_search_options(_add_certify(sub, fmt))
    _add_bench(sub, fmt)
    return p


def _add_verify(sub: Any, fmt: Any) -> None:
    v = sub.add_parser("verify", help="check every registered claim of the paper",
                       formatter_class=fmt, epilog=(
                           "examples:\n  relugeom verify --only 'Theorem 3.2'\n"
                           "  relugeom verify --markdown > claims.md\n"
                           "  relugeom verify --claim 'pieces' --json"))
    out = v.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="machine-readable rows on stdout")
    out.add_argument("--markdown", action="store_true",
                     help="a markdown table, one row per claim (for the README)")
    v.add_argument("--only", metavar="PATTERN",
                   help="only the checks whose name matches PATTERN (substring or glob, "
                        "case-insensitive); a pattern matching no check is an error that "
                        "lists the checks")
    v.add_argument("--claim", metavar="TEXT",
                   help="keep only the rows whose claim contains TEXT (substring or glob); "
                        "a TEXT matching no declared claim title is an error before "
                        "anything runs")
    v.add_argument("--list-claims", action="store_true",
                   help="print the claim titles of the checks (with --only, of those) and "
                        "run nothing")
    v.add_argument("--full", action="store_true", help="larger parameters (slower)")
    v.set_defaults(func=_cmd_verify)


def _add_figures(sub: Any, fmt: Any) -> None:
    f = sub.add_parser("figures", help="draw the paper's figures and ours",
                       formatter_class=fmt, epilog=(
                           "examples:\n  relugeom figures --out figs --format png,svg\n"
                           "  relugeom figures --only fig2\n"
                           "  relugeom figures --out figs --skip-existing"))
    f.add_argument("--out", default="figures", help="output folder (default: figures)")
    f.add_argument("--format", default="png", help="comma-separated: png,pdf,svg")
    f.add_argument("--only", metavar="PATTERN", help="only figures whose name matches")
    f.add_argument("--gallery", action="store_true",
                   help="also write the gallery README.md in --out (by default only where "
                        "relugeom wrote one before); files relugeom did not write are "
                        "never overwritten")
    f.add_argument("--skip-existing", action="store_true",
                   help="leave every file that already exists as it is (yours or "
                        "relugeom's) and write only the missing ones")
    f.set_defaults(func=_cmd_figures)


def _add_count(sub: Any, fmt: Any) -> None:
    c = sub.add_parser("count", help="pieces / regions of a saved function or network",
                       formatter_class=fmt, epilog=(
                           "examples:\n  relugeom count saw.json --lo 0 --hi 1\n"
                           "  relugeom count net2d.json --box -1,1,-1,1\n"
                           "  relugeom count net.json --output 1\n"
                           "  relugeom count big.json --max-pieces 100000000"))
    c.add_argument("file", help="a JSON file written by relugeom.to_json (PiecewiseLinear, "
                                "ReLUNetwork or CPWLFunction)")
    c.add_argument("--lo", help="left end of the interval (one input only), a rational "
                                "such as -1/2")
    c.add_argument("--hi", help="right end of the interval (one input only)")
    c.add_argument("--box", help="lo1,hi1,lo2,hi2,... one pair per input (several inputs "
                                 "only); default: all of R^n")
    c.add_argument("--output", type=int, default=None,
                   help="count only this output of a network (default: every output)")
    c.add_argument("--max-pieces", type=int, default=None, metavar="N",
                   help="raise or lower the max_pieces limit for this run")
    c.add_argument("--progress", action="store_true",
                   help="show a progress bar on stderr while regions are enumerated")
    c.add_argument("--force", action="store_true",
                   help="enumerate even when the up-front bound on the regions is over the "
                        "max_region_bound limit (it may take very long)")
    c.set_defaults(func=_cmd_count)


def _add_erm(sub: Any, fmt: Any) -> None:
    e = sub.add_parser("erm", help="globally optimal one-hidden-layer fit (Algorithm 1)",
                       formatter_class=fmt, description=(
                           "Globally optimal fit of f(x) = sum_i s_i relu(a_i x + b_i),\n"
                           "s_i = +-1, by default with NO output bias (the paper's model).\n"
                           "A torch Linear-ReLU-Linear MLP has an output bias, so gradient\n"
                           "descent on it can reach a lower loss than this optimum: to\n"
                           "compare, use --output-bias (f + c), or train torch with\n"
                           "bias=False in its last layer. The result names the model solved."),
                       epilog=(
                           "examples:\n  relugeom erm data.csv --width 2\n"
                           "  relugeom erm data.csv --width 2 --output-bias\n"
                           "  relugeom erm data.csv --width 1 --loss hinge --json"))
    e.add_argument("data", help="CSV file: feature columns, then the label column")
    e.add_argument("--width", type=int, required=True,
                   help="number of hidden units w")
    e.add_argument("--loss", default="squared", choices=["squared", "absolute", "hinge"],
                   help="loss function (default: squared)")
    e.add_argument("--output-bias", action="store_true",
                   help="add a free output constant c (as torch MLPs have); default: none, "
                        "the paper's model")
    e.add_argument("--workers", type=int, default=None,
                   help="worker processes (default: chosen from the problem size)")
    e.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    e.add_argument("--force", action="store_true", help="go ahead past the program limit")
    e.add_argument("--certify", choices=["best", "all"], default="all",
                   help="all: prove the global optimum with exact dual bounds (default); "
                        "best: certify only the best program exactly")
    e.add_argument("--json", action="store_true", help="the result as JSON on stdout")
    e.set_defaults(func=_cmd_erm)


def _add_bench(sub: Any, fmt: Any) -> None:
    b = sub.add_parser("bench", help="speed benchmarks (figures and ratios)",
                       formatter_class=fmt, epilog=(
                           "examples:\n  relugeom bench compose\n"
                           "  relugeom bench all --quick"))
    b.add_argument("name", nargs="?", default="all",
                   help="compose, hard, regions, trained, memory, erm, frontier, search, "
                        "importers, hostile or all")
    b.add_argument("--quick", action="store_true", help="smaller sizes")
    b.set_defaults(func=_cmd_bench)


def _add_certify(sub: Any, fmt: Any) -> argparse.ArgumentParser:
    """The certify subcommand; more options (e.g. a search) are added to what it returns."""
    ce = sub.add_parser(
        "certify", help="decide a two-hidden-layer MAX_n certificate (JSON) exactly; "
        "exit status 0 true, 1 false, 2 error", formatter_class=fmt,
        description="Decide exactly whether a certificate's two-hidden-layer network F "
        "equals max(x_1..x_n) on R^n. Prints the verdict, n, terms, method and the wall "
        "time of everything; when false, an exact counterexample with distinct "
        "coordinates. The format: " + '{"n": n, "terms": [{"coefficient": "p/q", '
        '"pair": [L, R]}, ...]} with L, R lists of 1-based index pairs [a, b]; see '
        "relugeom.depth.certificates.MAX5_EXAMPLE.",
        epilog="examples:\n  relugeom certify --example 5 > max5.json\n"
               "  relugeom certify max5.json\n"
               "  relugeom certify --example 10 > max10.json && relugeom certify max10.json "
               "--workers 2\n  relugeom certify max5.json --network")
    ce.add_argument("file", nargs="?", default=None,
                    help="the certificate (JSON file)")
    ce.add_argument("--example", type=int, metavar="N", default=None,
                    help="print the published certificate for n = N (5..10, shipped with "
                         "relugeom) and exit")
    ce.add_argument("--network", action="store_true",
                    help="also build the two-hidden-layer network (units merged by "
                         "hashing); refused up front when its estimated size is over "
                         "max_weights")
    ce.add_argument("--widths", action="store_true",
                    help="also print the merged network widths, counted from orbits "
                         "without building the network")
    ce.add_argument("--workers", type=int, default=None, metavar="N",
                    help="split the terms over N worker processes")
    ce.add_argument("--no-progress", action="store_true",
                    help="no progress bar on stderr (shown from n = 9 on)")
    ce.add_argument("--no-network", action="store_true",
                    help="accepted for compatibility: the network is built only with "
                         "--network")
    ce.set_defaults(func=_cmd_certify)
    return ce


_VALUE_OPTIONS = ("--lo", "--hi", "--box", "--output")


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


def _error(msg: str) -> None:
    """One line on stderr: ``relugeom: error: ...`` (newlines folded, cut at 2000)."""
    line = " ".join(msg.split())
    if len(line) > 2000:
        line = line[:1980] + " ... (cut)"
    print(f"relugeom: error: {line}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``relugeom`` command."""
    argv = _join_negative_values(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    from .errors import RelugeomError
    try:
        if getattr(args, "max_pieces", None) is not None:
            from .config import limits
            with limits(max_pieces=args.max_pieces):
                return int(args.func(args) or 0)
        return int(args.func(args) or 0)
    except (RelugeomError, _UsageError) as exc:
        _error(str(exc))
        return 2
    except BrokenPipeError:             # e.g. `relugeom verify | head`
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:
        where = exc.filename if exc.filename is not None else ""
        _error(f"cannot access {where}: {exc.strerror or exc}" if where else
               f"{exc.strerror or exc}")
        return 2
    except UnicodeDecodeError as exc:
        _error(f"cannot decode the input as UTF-8 ({exc.reason} at byte {exc.start})")
        return 2
    except KeyboardInterrupt:
        print("relugeom: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        _error("out of memory (lower the size limits with relugeom.set_limits, or use a "
               "larger machine)")
        return 2
    except Exception as exc:            # noqa: BLE001  a crash is never a verdict (exit 1)
        _error(f"internal error: {type(exc).__name__}: {str(exc)[:300]} (please report "
               f"it; exit status 2, not a verdict)")
        return 2

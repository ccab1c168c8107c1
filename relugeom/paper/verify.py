"""The registry of theorem checks behind ``relugeom verify``.

A check is a function ``check(full: bool) -> list[Row]`` registered with :func:`claim`.
Each row states one claim: the paper's value, the computed value, the method
(``exact``, ``symbolic`` or ``sampled``) and a verdict, ``"true"``, ``"false"`` or
``"erratum"`` (the paper's printed statement is wrong and the corrected one holds; the
note says which and why). Each row also says whose statement it checks (``source``):
``"paper"`` (a statement of arXiv 1611.01491), ``"toolkit"`` (a self-test of relugeom's
own machinery) or ``"outside"`` (a result from elsewhere: Zaslavsky, Cover, Telgarsky,
Bakaev et al., ...). Every check declares the claim titles its rows carry, so a
``--claim`` pattern is matched before anything runs.

>>> import relugeom as rg
>>> rows = rg.verify.run(only="Theorem 2.2")
>>> all(r.holds == "true" for r in rows) and len(rows) > 0
True
"""
from __future__ import annotations

import dataclasses
import fnmatch
import json
import time
from typing import Any, Callable, Iterable

__all__ = ["Row", "claim", "skip", "skipped", "run", "checks", "claim_titles",
           "format_table", "summary", "to_json_rows", "to_markdown"]

VERDICTS = ("true", "false", "erratum")
SOURCES = ("paper", "toolkit", "outside")


@dataclasses.dataclass(frozen=True)
class Row:
    """One verified claim."""

    claim: str
    parameters: str
    paper: str
    computed: str
    method: str
    holds: str
    note: str = ""
    seconds: float = 0.0
    source: str = "paper"

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"source must be one of {SOURCES}, got {self.source!r}")
        if self.holds not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}, got {self.holds!r}")
        if self.method not in ("exact", "symbolic", "sampled"):
            raise ValueError(f"method must be exact, symbolic or sampled, got {self.method!r}")


def verdict(ok: bool) -> str:
    """``"true"`` or ``"false"``."""
    return "true" if ok else "false"


_REGISTRY: list[tuple[str, Callable[[bool], list[Row]]]] = []
_TITLES: dict[str, tuple[str, ...]] = {}


def claim(name: str, titles: Iterable[str]) -> Callable[[Callable[[bool], Iterable[Row]]],
                                                          Callable]:
    """Decorator registering a check under ``name`` (e.g. ``"Theorem 2.2"``); ``titles``
    are the claim texts of its rows (every row must carry one of them: :func:`run`
    refuses a row with an undeclared title)."""
    declared = tuple(titles)

    def deco(fn: Callable[[bool], Iterable[Row]]) -> Callable:
        def checked(full: bool) -> list[Row]:
            rows = list(fn(full))
            bad = [r.claim for r in rows if r.claim not in declared]
            if bad:
                raise RuntimeError(f"verify: check {name!r} produced the undeclared claim "
                                   f"title {bad[0]!r}")
            return rows
        _REGISTRY.append((name, checked))
        _TITLES[name] = declared
        return fn
    return deco


def claim_titles(only: str | None = None) -> list[tuple[str, str]]:
    """(check name, claim title) for every declared title, without running anything;
    with ``only``, for the checks whose name matches it."""
    _load()
    return [(n, t) for n, _ in _REGISTRY if not only or _match(only, n)
            for t in _TITLES[n]]


_SKIPS: list[tuple[str, str, bool]] = []


def skip(name: str, reason: str, *, full_only: bool = False) -> None:
    """Record that part of check ``name`` is left out (with ``full_only``, only the
    larger ``--full`` parameters), and why; :func:`run` says so up front."""
    _SKIPS.append((name, reason, full_only))


def skipped(full: bool = False) -> list[tuple[str, str]]:
    """(check name, reason) for every recorded skip that applies."""
    _load()
    return [(n, r) for n, r, fo in _SKIPS if full or not fo]


def _load() -> None:
    from . import checks  # noqa: F401  (registers everything)


def checks() -> list[str]:
    """Names of all registered checks, in run order."""
    _load()
    return [name for name, _ in _REGISTRY]


def run(only: str | None = None, full: bool = False,
        progress: bool = False, names: Iterable[str] | None = None) -> list[Row]:
    """Run the registered checks and return their rows.

    ``only`` selects checks whose name matches (substring or glob, case-insensitive);
    when no check name matches, every check runs and rows are filtered by claim text.
    With ``progress``, one line per check goes to stderr as it finishes (its rows,
    verdicts and seconds). ``names``: run only the checks with exactly these names.
    """
    _load()
    items = list(_REGISTRY)
    if names is not None:
        keep = set(names)
        items = [(n, f) for n, f in items if n in keep]
    by_claim = False
    if only:
        named = [(n, f) for n, f in items if _match(only, n)]
        by_claim = not named
        items = named or items
    if progress:
        import sys
        for name, reason in skipped(full):
            if any(n == name for n, _ in items):
                print(f"verify: skipping part of {name}: {reason}", file=sys.stderr)
    rows: list[Row] = []
    start = time.perf_counter()
    for i, (name, fn) in enumerate(items, 1):
        t0 = time.perf_counter()
        out = fn(full)
        dt = time.perf_counter() - t0
        if by_claim:
            out = [r for r in out if _match(only or "", r.claim)]
        rows.extend(dataclasses.replace(r, seconds=dt / max(len(out), 1)) for r in out)
        if progress:
            _progress_line(i, len(items), name, out, dt, time.perf_counter() - start)
    return rows


def _progress_line(i: int, n: int, name: str, out: list[Row], dt: float,
                   total: float) -> None:
    """One line per claim on stderr: its rows, verdicts and time."""
    import sys
    counts = {v: sum(r.holds == v for r in out) for v in VERDICTS}
    tally = ", ".join(f"{c} {v}" for v, c in counts.items() if c) or "no rows"
    print(f"verify [{i}/{n}] {name}: {len(out)} rows ({tally}) in {dt:.1f} s "
          f"(total {total:.1f} s)", file=sys.stderr, flush=True)


def _match(pattern: str, text: str) -> bool:
    p = pattern.lower()
    t = text.lower()
    return p in t or fnmatch.fnmatch(t, p)


def to_json_rows(rows: list[Row]) -> str:
    """The rows as a JSON list of objects with keys claim, parameters, paper, computed,
    method, holds (``true``/``false`` as booleans, ``"erratum"`` as a string), note,
    source (``paper``, ``toolkit`` or ``outside``)."""
    out = []
    for r in rows:
        holds: Any = {"true": True, "false": False}.get(r.holds, r.holds)
        out.append({"claim": r.claim, "parameters": r.parameters, "paper": r.paper,
                    "computed": r.computed, "method": r.method, "holds": holds,
                    "note": r.note, "source": r.source})
    return json.dumps(out, indent=2)


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


def format_table(rows: list[Row], width: int = 160) -> str:
    """A plain-text table, one row per claim (long cells wrap), notes below."""
    import textwrap
    head = ("claim", "parameters", "paper", "computed", "method", "verdict")
    caps = (44, 24, 26, 26, 8, 11)
    notes: list[str] = []
    numbers: dict[str, int] = {}
    body = []
    for r in rows:
        mark = r.holds
        if r.note:
            key = f"{r.claim}: {r.note}"
            if key not in numbers:
                numbers[key] = len(notes) + 1
                notes.append(f"[{numbers[key]}] {key}")
            mark += f" [{numbers[key]}]"
        body.append((r.claim, r.parameters, r.paper, r.computed, r.method, mark))
    widths = [min(cap, max([len(h)] + [len(b[i]) for b in body]))
              for i, (h, cap) in enumerate(zip(head, caps))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for cells in body:
        wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, widths)]
        for k in range(max(len(x) for x in wrapped)):
            lines.append("  ".join((x[k] if k < len(x) else "").ljust(w)
                                   for x, w in zip(wrapped, widths)).rstrip())
    lines.append("")
    lines.append(summary(rows))
    if notes:
        lines.append("")
        lines.append("Notes:")
        lines.extend(textwrap.fill(n, width, subsequent_indent="    ") for n in notes)
    return "\n".join(lines)


def summary(rows: list[Row]) -> str:
    """One line: the paper's statements (true, errata, false) apart from the toolkit's
    self-tests and outside results, then the methods."""
    paper = [r for r in rows if r.source == "paper"]
    other = [r for r in rows if r.source != "paper"]
    tally = {v: sum(r.holds == v for r in paper) for v in VERDICTS}
    bad = sum(r.holds != "true" for r in other)
    methods = {m: sum(r.method == m for r in rows) for m in ("exact", "symbolic", "sampled")}
    return (f"{len(paper)} statements of the paper (arXiv 1611.01491): {tally['true']} true, "
            f"{tally['erratum']} errata (the printed statement is wrong, the corrected one "
            f"holds), {tally['false']} false; {len(other)} self-tests and outside results: "
            + ("all hold" if not bad else f"{bad} do not hold") + "; methods: "
            + ", ".join(f"{v} {k}" for k, v in methods.items() if v))


def to_markdown(rows: list[Row], *, one_per_claim: bool = True) -> str:
    """A markdown table of the rows; with ``one_per_claim`` the first row of each claim
    stands for it and the number of further parameter sets is given."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")
    groups: dict[str, list[Row]] = {}
    for r in rows:
        groups.setdefault(r.claim, []).append(r)
    lines = ["| claim | parameters | paper | computed | method | verdict | source |",
             "|---|---|---|---|---|---|---|"]
    for name, rs in groups.items():
        shown = rs[:1] if one_per_claim else rs
        for r in shown:
            more = f" (+{len(rs) - 1} more)" if one_per_claim and len(rs) > 1 else ""
            verdicts = sorted({x.holds for x in rs})
            lines.append(f"| {cell(r.claim)} | {cell(r.parameters)}{more} | {cell(r.paper)} | "
                         f"{cell(r.computed)} | {r.method} | {', '.join(verdicts)} | "
                         f"{_SOURCE_WORD[r.source]} |")
    lines += ["", summary(rows)]
    return "\n".join(lines)


_SOURCE_WORD = {"paper": "paper", "toolkit": "self-test", "outside": "outside result"}

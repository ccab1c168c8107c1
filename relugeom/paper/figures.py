"""The paper's figures and ours, drawn exactly and reproducibly (``relugeom figures``).

Each figure is a public function with parameters (the instance drawn, ``size``,
``colors``, ``ax=``) registered under a name (``fig1_*``, ``fig2_*``, ``fig4_*`` for the
paper's Figures 1, 2 and 4); :func:`make` draws one as a matplotlib ``Figure``,
:func:`make_all` writes them to files, never overwriting a file relugeom did not write
(every file it writes carries :data:`MARKER`). Every figure is deterministic: fixed
parameters and seeds, the Agg backend, a fixed dpi, and no timestamp or version in the
file metadata, so rerunning the command reproduces the committed PNGs byte for byte (for
one matplotlib and FreeType version).

Functions are drawn through their exact breakpoints and every count printed on a figure
is computed exactly by relugeom. The drawing functions are in :mod:`relugeom.figures_paper`
(the paper's) and :mod:`relugeom.figures_theorems` (ours); the registry below names them.

>>> import relugeom as rg
>>> "fig2_zigzag_composition" in rg.figures.names()
True
"""
from __future__ import annotations

import dataclasses
import fnmatch
import importlib
import os
import sys
from typing import Any, Callable, Iterable, Sequence

from . import figures_paper as _paper
from . import figures_theorems as _ours

__all__ = ["names", "make", "make_all", "describe", "readme", "FigureSpec", "MARKER"]


@dataclasses.dataclass(frozen=True)
class FigureSpec:
    """A registered figure: its name, what it shows, which result it illustrates, and the
    public function that draws it (``build(**params)``, see :func:`make`)."""

    name: str
    claim: str
    caption: str
    build: Callable[..., Any]
    needs: tuple[str, ...] = ()


_REGISTRY: dict[str, FigureSpec] = {}

#: The text every file written by :func:`make_all` carries (PNG text chunk, PDF and SVG
#: creator, the first line of the gallery README); a file without it is the user's and
#: is never overwritten.
MARKER = "relugeom figures"
_README_HEADER = (f"<!-- written by {MARKER}: regenerate with `relugeom figures --gallery`; "
                  "delete this line to keep your own edits -->")


def _figure(name: str, *, claim: str, caption: str, build: Callable[..., Any],
            needs: Sequence[str] = ()) -> None:
    _REGISTRY[name] = FigureSpec(name, claim, caption, build, tuple(needs))


def _available(spec: FigureSpec) -> bool:
    for mod in spec.needs:
        try:
            importlib.import_module(f"relugeom.{mod}")
        except ImportError:
            return False
    return True


def names(*, only: str | None = None) -> list[str]:
    """Names of the figures (those whose modules are installed), in drawing order: the
    paper's (``fig1_*``, ``fig2_*``, ``fig4_*``) first, then ours.

    ``only`` selects: a shell pattern (``fig*``) or else a substring of the name.
    """
    out = [n for n, s in _REGISTRY.items() if _available(s)]
    # the paper's figures first, in their order; then ours as registered
    out.sort(key=lambda n: (not n.startswith("fig"), n if n.startswith("fig") else ""))
    if only:
        pat = only if any(c in only for c in "*?[") else f"*{only}*"
        out = [n for n in out if fnmatch.fnmatchcase(n, pat)]
    return out


def describe(name: str) -> FigureSpec:
    """The :class:`FigureSpec` of the figure ``name``."""
    if name not in _REGISTRY:
        from ..errors import DomainError
        raise DomainError(f"unknown figure {name!r}; known: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]


def make(name: str, *, rc: dict | None = None, **params: Any) -> Any:
    """Draw the figure ``name`` and return it as a matplotlib ``Figure``.

    ``params`` go to the figure's public builder (``describe(name).build``, e.g.
    :func:`relugeom.figures_paper.zigzag_composition`): the instance drawn, ``size`` in
    inches, ``colors``, and ``ax`` (axes to draw into instead of a new figure). ``rc``
    overrides matplotlib rc parameters on top of relugeom's style.

    >>> import relugeom as rg
    >>> fig = rg.figures.make("fig2_zigzag_composition", a1=("1/3",), size=(6, 2))
    >>> fig.get_size_inches().tolist()
    [6.0, 2.0]
    """
    from .plotting import style
    spec = describe(name)
    with style(rc):
        return spec.build(**params)


def _has_marker(path: str) -> bool:
    import stat
    try:                        # a FIFO or a device in --out is not ours: never opened
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False
        with open(path, "rb") as fh:
            data = fh.read(4_000_000)
    except OSError:
        return False
    return MARKER.encode() in data


def _prepare_out(out: str | os.PathLike) -> str:
    """The output folder, created if needed; a typed one-line error when it is a file or
    cannot be created."""
    from ..errors import DomainError
    path = os.fspath(out)
    if os.path.exists(path) and not os.path.isdir(path):
        raise DomainError(f"figures: --out {path!r} is a file, expected a folder")
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as exc:
        raise DomainError(f"figures: cannot create the folder {path!r} "
                          f"({exc.strerror or exc})") from None
    return path


def make_all(out: str | os.PathLike = "figures", formats: Iterable[str] = ("png",),
             only: str | None = None, *, gallery: bool | None = None,
             skip_existing: bool = False, progress: bool = False,
             echo: Callable[[str], Any] | None = None) -> list[str]:
    """Draw every figure (or those matching ``only``) into the folder ``out``.

    Only the files asked for are written: ``out/NAME.FMT`` for each figure and format.
    The gallery ``README.md`` (:func:`readme`, linking only files present in ``out``) is
    written when ``gallery=True``, or by default (``gallery=None``) when ``out`` already
    holds a gallery README written by relugeom (the project's own ``figures/``) and PNGs
    are drawn.

    A file relugeom did not write (it lacks :data:`MARKER`) is never overwritten: every
    target is checked before anything is drawn, and a :class:`~relugeom.errors.DomainError`
    lists every foreign one at once. ``skip_existing=True`` (CLI ``--skip-existing``)
    leaves every existing target as it is, relugeom's or not, and writes the rest (a
    figure none of whose files is missing is not drawn). Unknown formats (png, pdf, svg),
    a pattern that matches no figure, and an ``out`` that is a file or cannot be created
    are refused before drawing too.

    ``progress`` prints ``[i/n] drawing NAME`` to stderr; ``echo`` is called with each
    path as soon as it is written. Returns the written paths, one per figure and format
    in drawing order, then the README when written.
    """
    from ..errors import DomainError
    from .plotting import check_formats, save_figure
    formats = check_formats(formats)           # all of them, before drawing anything
    todo = names(only=only)
    if only and not todo:
        raise DomainError(f"no figure matches {only!r}; known: {', '.join(names())}")
    folder = os.fspath(out)
    target_readme = os.path.join(folder, "README.md")
    readme_exists = os.path.exists(target_readme)
    if gallery is None:       # keep our own gallery (it links PNGs) current, nothing else
        gallery = "png" in formats and readme_exists and _has_marker(target_readme)
    if gallery and skip_existing and readme_exists:
        gallery = False
    plan = _plan(folder, todo, formats, gallery, skip_existing)
    folder = _prepare_out(folder)
    paths: list[str] = []
    for i, (name, fmts) in enumerate(plan, 1):
        if progress:
            print(f"[{i}/{len(plan)}] drawing {name}", file=sys.stderr, flush=True)
        fig = make(name)
        for p in save_figure(fig, os.path.join(folder, name), fmts):
            paths.append(p)
            if echo is not None:
                echo(p)
    if gallery:
        fmt = "png" if "png" in formats else formats[0]
        present = [n for n in names() if os.path.exists(os.path.join(folder, f"{n}.{fmt}"))]
        with open(target_readme, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(readme(present, fmt=fmt))
        paths.append(target_readme)
        if echo is not None:
            echo(target_readme)
    return paths


def _plan(folder: str, todo: Sequence[str], formats: Sequence[str], gallery: bool,
          skip_existing: bool) -> list[tuple[str, list[str]]]:
    """(figure, formats to write) in drawing order. Without ``skip_existing``, refuse with
    every file relugeom did not write listed at once; with it, drop existing targets."""
    from ..errors import DomainError
    plan = []
    for n in todo:
        fmts = [f for f in formats if not (skip_existing and
                                           os.path.exists(os.path.join(folder, f"{n}.{f}")))]
        if fmts:
            plan.append((n, fmts))
    targets = [os.path.join(folder, f"{n}.{f}") for n, fmts in plan for f in fmts]
    if gallery:
        targets.append(os.path.join(folder, "README.md"))
    foreign = [t for t in targets if os.path.exists(t) and not _has_marker(t)]
    if foreign:
        shown = ", ".join(repr(t) for t in foreign[:20])
        more = f" and {len(foreign) - 20} more" if len(foreign) > 20 else ""
        raise DomainError(f"figures: refusing to overwrite {len(foreign)} file"
                          f"{'s' if len(foreign) > 1 else ''} relugeom did not write: "
                          f"{shown}{more} (move them away, choose another --out, or pass "
                          f"--skip-existing to keep every existing file and write the rest)")
    return plan


def readme(figures: Sequence[str] | None = None, *, fmt: str = "png") -> str:
    """The text of ``figures/README.md``: each file, what it shows, its theorem, and the
    command that redraws it (``figures``: the names listed, default all; ``fmt``: the
    format linked). Its first line is the marker that lets ``relugeom figures`` rewrite
    it."""
    lines = [_README_HEADER, "# Figures", "",
             "Drawn by relugeom itself, exactly (functions through their true breakpoints, "
             "every count computed in rational arithmetic) and deterministically: "
             "`relugeom figures` redraws all of them here, byte for byte; "
             "`relugeom figures --only NAME --out DIR --format png,pdf` redraws one "
             "elsewhere. `fig1_*`, `fig2_*`, `fig4_*` are the paper's Figures 1, 2 and 4 "
             "(Arora, Basu, Mianjy, Mukherjee, ICLR 2018); the others are ours. "
             "Each is a public function with parameters and an `ax=` argument, listed "
             "in the last column: `rg.figures.make(NAME, **params)` draws it.", "",
             "| file | shows | result | function |", "| --- | --- | --- | --- |"]
    for name in (names() if figures is None else figures):
        spec = _REGISTRY[name]
        fn = f"{spec.build.__module__.rsplit('.', 1)[-1]}.{spec.build.__name__}"
        lines.append(f"| [`{name}.{fmt}`]({name}.{fmt}) | {spec.caption} | {spec.claim} | "
                     f"`{fn}` |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- the registry
# in this order: the paper's figures sort by name, ours draw in registration order
_figure("fig2_zigzag_composition", claim="Theorem 3.2, Figure 2",
        caption="h_{a1} (2 pieces on [0,M]), h_{a2} (3 pieces) and H = h_{a2} o h_{a1} "
                "(6 pieces), with the inner function dotted: every piece of the inner "
                "function carries a full copy of the outer one. Grey bands: outside "
                "[0, M]; dotted vertical line: the breakpoint a^1 of the inner function.",
        build=_paper.zigzag_composition)

_figure("fig4_relu_splits_pieces", claim="Lemma D.5 (the step), Figure 4",
        caption="sigma applied to a PWL function f: every piece that crosses zero splits "
                "into a rising part and a flat part, so sigma o f has at most twice as "
                "many pieces as f (flat neighbours may even merge).",
        build=_paper.relu_splits_pieces)

_figure("hard_family_depth", claim="Theorem 3.2 (w^k pieces on [0, M])",
        caption="The hard family across depth: top, Telgarsky's sawtooth (w = 2, equally "
                "spaced), k = 1..4 compositions; bottom, H with w = 3 and unequal "
                "parameters a^i in the open simplex. Each has exactly w^k pieces on "
                "[0, M] and is computed by a (k+1)-layer network of size wk.",
        build=_ours.hard_family_depth)

_figure("pieces_vs_depth_width", claim="Lemma D.5, Theorem 3.2",
        caption="Exact piece counts on R of random networks (dots, 12 seeds each), the hard "
                "family H (w^k pieces on [0,M]) and Lemma D.5's bound "
                "2^(k-1)(w_1+1)w_2...w_k: left against depth at width 3, right against "
                "width at k = 2 hidden layers. Random networks stay far below the bound. "
                "Against depth the hard family grows exponentially, like 3^k, but the "
                "bound like 6^k, so the gap widens; against width, H's w^2 pieces stay "
                "within a factor about 2 of the bound 2(w+1)w.",
        build=_ours.pieces_vs_depth_width)

_figure("thm22_flaps", claim="Theorem 2.2, Corollary A.1",
        caption="Theorem 2.2's construction: a function with p = 5 pieces is an output "
                "bias plus p one-unit 'flaps' c_i sigma(+-(x - b_i)), one hidden layer of "
                "size p. Right: the partial sums, adding the units from the right; each "
                "agrees with f right of its newest breakpoint (back-substitution). w "
                "hidden units give at most w + 1 pieces, so p - 1 units are needed.",
        build=_ours.flaps)

_figure("thm31_gap_bound", claim="Theorem 3.1, Corollary 3.4",
        caption="Left: Theorem 3.1's lower bound (1/2) k' w^(k/k') - 1 on the size of any "
                "network of depth k'+1 computing a member of the hard family (k = 8), "
                "against k' (log scale), the sharper bound over integer widths (crosses), "
                "and the size wk of the deep network that computes it (dashed). Right: "
                "Corollary 3.4, k^2 hidden layers of width k (size k^3) "
                "against the (1/2) k^(k+1) - 1 units that any network with at most k "
                "hidden layers needs.",
        build=_ours.gap_bound)

_figure("thm35_best_fit", claim="Theorem 3.5",
        caption="Theorem 3.5: the equally spaced sawtooth f (w = 2, k = 5: 32 pieces on "
                "[0,1]) and the best of relugeom's explicit few-piece competitors g "
                "(p = 3 and p = 9 pieces), the error |f - g| shaded with its exact L1 "
                "value; right, that error against p next to the lower bound "
                "(1/4)(1 - 2p/w^k) that no p-piece function can beat.",
        build=_ours.best_fit)

_figure("regions_2d", needs=("geometry.regions", "geometry.zonotope"),
        claim="Theorem 2.1, Proposition 3.8",
        caption="Exact linear regions in the plane. Left: a random network "
                "R^2 -> [8, 8] -> R on [-2,2]^2 (activation regions and pieces counted "
                "exactly), one colour per region, neighbours always different. Right: "
                "the ZONOTOPE function H o gamma_Z of Figure 1 (middle panel): a copy of the sawtooth's pieces "
                "in every cone of the zonotope's normal fan, coloured by the direction of "
                "the gradient (grey: flat; the activation regions there merge into one "
                "piece).",
        build=_ours.regions_2d)

_figure("fig1_zonotope_surfaces", needs=("geometry.regions", "geometry.zonotope"),
        claim="Proposition 3.8, Theorem 3.9, Figure 1",
        caption="The paper's Figure 1: ZONOTOPE^2 functions H o gamma_Z (w = 2, "
                "a^i = (1/2), M = 1), drawn exactly facet by facet from their linear "
                "regions (only the part above 0), coloured by gradient direction. Left: "
                "k = 2 on the l1 norm (2 generators); "
                "middle: 4 generators, k = 2; right: the same 4 generators, k = 3: deeper, "
                "more pieces.",
        build=_paper.zonotope_surfaces)

_figure("zonotope_support", needs=("geometry.regions", "geometry.zonotope"),
        claim="Section 3.2 (zonotope vertices, Lemma 3.7)",
        caption="A zonotope Z with m = 4 generators in general position (left; arrows: "
                "the generators b^i) has 2 sum_{i<2} C(3, i) = 8 vertices (the paper prints "
                "4: the factor 2 is missing). Right: its support function gamma_Z(r) = "
                "sum_i |<r, b^i>|, a one-hidden-layer network of size 2m, has one piece per "
                "vertex: the normal cone of v, where gamma_Z(r) = <v, r> (same colours), "
                "with level sets gamma_Z = 1, 2, 3.",
        build=_ours.zonotope_support)

_figure("erm_vs_gradient_descent", needs=("erm",), claim="Theorem 4.1, Algorithm 1",
        caption="Global training (Algorithm 1): the globally optimal width-3 network for "
                "12 points under squared loss, found by relugeom.erm.fit and certified "
                "exactly, against 20 runs of full-batch gradient descent from random "
                "starts (the best in orange, the others grey). Right: the final losses of "
                "the gradient-descent runs never go below the certified optimum.",
        build=_ours.erm_vs_gradient_descent)

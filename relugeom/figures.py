"""The paper's figures and ours, drawn exactly and reproducibly (``relugeom figures``).

Each figure is a function registered under a name (``fig1_*``, ``fig2_*``, ``fig4_*`` for
the paper's Figures 1, 2 and 4); :func:`make` draws one as a matplotlib ``Figure``,
:func:`make_all` writes them to files. Every figure is deterministic: fixed parameters and
seeds, the Agg backend, a fixed dpi, and no timestamp or version in the file metadata, so
rerunning the command reproduces the committed PNGs byte for byte (for one matplotlib
and FreeType version).

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

__all__ = ["names", "make", "make_all", "describe", "readme", "FigureSpec"]


@dataclasses.dataclass(frozen=True)
class FigureSpec:
    """A registered figure: its name, what it shows and which result it illustrates."""

    name: str
    claim: str
    caption: str
    build: Callable[[], Any]
    needs: tuple[str, ...] = ()


_REGISTRY: dict[str, FigureSpec] = {}


def _figure(name: str, *, claim: str, caption: str, build: Callable[[], Any],
            needs: Sequence[str] = ()) -> None:
    _REGISTRY[name] = FigureSpec(name, claim, caption, build, tuple(needs))


def _available(spec: FigureSpec) -> bool:
    for mod in spec.needs:
        try:
            importlib.import_module(f"{__package__}.{mod}")
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
        from .errors import DomainError
        raise DomainError(f"unknown figure {name!r}; known: {', '.join(_REGISTRY)}")
    return _REGISTRY[name]


def make(name: str) -> Any:
    """Draw the figure ``name`` and return it as a matplotlib ``Figure``."""
    from .plotting import style
    spec = describe(name)
    with style():
        return spec.build()


def make_all(out: str | os.PathLike = "figures", formats: Iterable[str] = ("png",),
             only: str | None = None, *, progress: bool = False) -> list[str]:
    """Draw every figure (or those matching ``only``) into the folder ``out``.

    Without ``only`` the folder's ``README.md`` (:func:`readme`) is rewritten too.
    Formats (png, pdf, svg) are checked before anything is drawn, and a pattern that
    matches no figure is refused, both with a :class:`~relugeom.errors.DomainError`.
    Returns the written paths, one per figure and format in drawing order, then the
    README when written.
    """
    from .errors import DomainError
    from .plotting import check_formats, save_figure
    formats = check_formats(formats)           # all of them, before drawing anything
    todo = names(only=only)
    if only and not todo:
        raise DomainError(f"no figure matches {only!r}; known: {', '.join(names())}")
    os.makedirs(out, exist_ok=True)
    paths: list[str] = []
    for name in todo:
        if progress:
            print(f"drawing {name}", file=sys.stderr)
        fig = make(name)
        paths += save_figure(fig, os.path.join(os.fspath(out), name), formats)
    if only is None:
        target = os.path.join(os.fspath(out), "README.md")
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(readme())
        paths.append(target)
    return paths


def readme() -> str:
    """The text of ``figures/README.md``: each file, what it shows, its theorem, and the
    command that redraws it."""
    lines = ["# Figures", "",
             "Drawn by relugeom itself, exactly (functions through their true breakpoints, "
             "every count computed in rational arithmetic) and deterministically: "
             "`relugeom figures` redraws all of them here, byte for byte; "
             "`relugeom figures --only NAME --out DIR --format png,pdf` redraws one "
             "elsewhere. `fig1_*`, `fig2_*`, `fig4_*` are the paper's Figures 1, 2 and 4 "
             "(Arora, Basu, Mianjy, Mukherjee, ICLR 2018); the others are ours.", "",
             "| file | shows | result | command |", "| --- | --- | --- | --- |"]
    for name in names():
        spec = _REGISTRY[name]
        lines.append(f"| [`{name}.png`]({name}.png) | {spec.caption} | {spec.claim} | "
                     f"`relugeom figures --only {name}` |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------- the registry
# in this order: the paper's figures sort by name, ours draw in registration order
_figure("fig2_zigzag_composition", claim="Theorem 3.2, Figure 2",
        caption="h_{a1} (2 pieces on [0,M]), h_{a2} (3 pieces) and H = h_{a2} o h_{a1} "
                "(6 pieces), with the inner function dotted: every piece of the inner "
                "function carries a full copy of the outer one.",
        build=_paper._fig2)

_figure("fig4_relu_splits_pieces", claim="Lemma D.5 (the step), Figure 4",
        caption="sigma applied to a PWL function f: every piece that crosses zero splits "
                "into a rising part and a flat part, so sigma o f has at most twice as "
                "many pieces as f (flat neighbours may even merge).",
        build=_paper._fig4)

_figure("hard_family_depth", claim="Theorem 3.2 (w^k pieces on [0, M])",
        caption="The hard family across depth: top, Telgarsky's sawtooth (w = 2, equally "
                "spaced), k = 1..4 compositions; bottom, H with w = 3 and unequal "
                "parameters a^i in the open simplex. Each has exactly w^k pieces on "
                "[0, M] and is computed by a (k+1)-layer network of size wk.",
        build=_ours._hard_depth)

_figure("pieces_vs_depth_width", claim="Lemma D.5, Theorem 3.2",
        caption="Exact piece counts on R of random networks (dots, 12 seeds each), the hard "
                "family H (w^k pieces on [0,M]) and Lemma D.5's bound "
                "2^(k-1)(w_1+1)w_2...w_k: left against depth at width 3, right against "
                "width at k = 2 hidden layers. Random networks stay far below the bound; "
                "the hard family grows at the bound's exponential rate.",
        build=_ours._pieces_depth_width)

_figure("thm22_flaps", claim="Theorem 2.2, Corollary A.1",
        caption="Theorem 2.2's construction: a function with p = 5 pieces is an output "
                "bias plus p one-unit 'flaps' c_i sigma(+-(x - b_i)), one hidden layer of "
                "size p. Right: the partial sums, adding the units from the right; each "
                "agrees with f right of its newest breakpoint (back-substitution). w "
                "hidden units give at most w + 1 pieces, so p - 1 units are needed.",
        build=_ours._thm22)

_figure("thm31_gap_bound", claim="Theorem 3.1, Corollary 3.4",
        caption="Left: Theorem 3.1's lower bound (1/2) k' w^(k/k') - 1 on the size of any "
                "network of depth k'+1 computing a member of the hard family (k = 8), "
                "against k' (log scale), the sharper bound over integer widths (crosses), "
                "and the size wk of the deep network that computes it (dashed). Right: "
                "Corollary 3.4, k^2 hidden layers of width k (size k^3) "
                "against the (1/2) k^(k+1) - 1 units that any network with at most k "
                "hidden layers needs.",
        build=_ours._thm31)

_figure("thm35_best_fit", claim="Theorem 3.5",
        caption="Theorem 3.5: the equally spaced sawtooth f (w = 2, k = 5: 32 pieces on "
                "[0,1]) and the best of relugeom's explicit few-piece competitors g "
                "(p = 3 and p = 9 pieces), the error |f - g| shaded with its exact L1 "
                "value; right, that error against p next to the lower bound "
                "(1/4)(1 - 2p/w^k) that no p-piece function can beat.",
        build=_ours._thm35)

_figure("regions_2d", needs=("regions", "zonotope"),
        claim="Theorem 2.1, Proposition 3.8",
        caption="Exact linear regions in the plane. Left: a random network "
                "R^2 -> [8, 8] -> R on [-2,2]^2 (activation regions and pieces counted "
                "exactly), one colour per region. Right: the ZONOTOPE function "
                "H o gamma_Z of Figure 1 (middle panel): a copy of the sawtooth's pieces "
                "in every cone of the zonotope's normal fan, coloured by the direction of "
                "the gradient (grey: flat; the activation regions there merge into one "
                "piece).",
        build=_ours._regions_2d)

_figure("fig1_zonotope_surfaces", needs=("regions", "zonotope"),
        claim="Proposition 3.8, Theorem 3.9, Figure 1",
        caption="The paper's Figure 1: ZONOTOPE^2 functions H o gamma_Z (w = 2, "
                "a^i = (1/2), M = 1), drawn exactly facet by facet from their linear "
                "regions (only the part above 0), coloured by gradient direction. Left: "
                "k = 2 on the l1 norm (2 generators); "
                "middle: 4 generators, k = 2; right: the same 4 generators, k = 3: deeper, "
                "more pieces.",
        build=_paper._fig1)

_figure("zonotope_support", needs=("regions", "zonotope"),
        claim="Section 3.2 (zonotope vertices, Lemma 3.7)",
        caption="A zonotope Z with m = 4 generators in general position (left; arrows: "
                "the generators b^i) has 2 sum_{i<2} C(3, i) = 8 vertices (the paper prints "
                "4: the factor 2 is missing). Right: its support function gamma_Z(r) = "
                "sum_i |<r, b^i>|, a one-hidden-layer network of size 2m, has one piece per "
                "vertex: the normal cone of v, where gamma_Z(r) = <v, r> (same colours), "
                "with level sets gamma_Z = 1, 2, 3.",
        build=_ours._zonotope_support)

_figure("erm_vs_gradient_descent", needs=("erm",), claim="Theorem 4.1, Algorithm 1",
        caption="Global training (Algorithm 1): the globally optimal width-3 network for "
                "12 points under squared loss, found by relugeom.erm.fit and certified "
                "exactly, against 20 runs of full-batch gradient descent from random "
                "starts (the best in orange, the others grey). Right: the final losses of "
                "the gradient-descent runs never go below the certified optimum.",
        build=_ours._erm_vs_gd)

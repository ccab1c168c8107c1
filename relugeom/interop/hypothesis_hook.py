"""Hypothesis plugin: ``st.from_type(rg.PiecewiseLinear)`` and ``st.from_type(rg.ReLUNetwork)``
work as soon as hypothesis is imported, without importing :mod:`relugeom.strategies` first.

Declared in ``pyproject.toml`` under ``[project.entry-points.hypothesis]``; hypothesis calls
:func:`setup` when it is imported (``HYPOTHESIS_NO_PLUGINS=1`` turns plugins off).
"""
from __future__ import annotations

import warnings

__all__ = ["setup"]


def setup() -> None:
    """Register relugeom's strategies for ``st.from_type``. A failure is reported as a
    warning, never raised: a broken relugeom install must not break ``import hypothesis``."""
    try:
        import relugeom.strategies  # noqa: F401  (registers its types on import)
    except Exception as exc:  # noqa: BLE001 - reported, see the docstring
        warnings.warn(f"relugeom: hypothesis strategies not registered ({exc!r})",
                      RuntimeWarning, stacklevel=2)

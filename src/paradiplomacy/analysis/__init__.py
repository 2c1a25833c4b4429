"""Analyses of the registry: the literature's tables recomputed from records, beside the published
figures (observations) and their coverage. Every function takes a :class:`Registry` and returns a
pandas DataFrame.

>>> from paradiplomacy.analysis import affiliations_by   # doctest: +SKIP
>>> affiliations_by(registry, "government_type", as_of="2001-04-01")   # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "BadDate",
    "BadGrouping",
    "affiliation_frame",
    "affiliation_series",
    "affiliations_by",
    "budget_frame",
    "budgets_by",
    "count_affiliations",
    "coverage",
    "coverage_summary",
    "observation_frame",
    "office_frame",
    "office_shifts",
    "offices_by",
    "strategies_before_after",
    "strategies_by_type",
    "strategies_by_year",
    "strategy_frame",
    "us_share_by_decade",
]

# name -> module: imported on first use, so that `analysis.directory` (used by `ties`) does
# not load every analysis and its dependencies.
_HOME = {
    "BadDate": "_frames",
    "BadGrouping": "affiliations",
    "affiliation_frame": "_frames",
    "affiliation_series": "affiliations",
    "affiliations_by": "affiliations",
    "budget_frame": "budgets",
    "budgets_by": "budgets",
    "count_affiliations": "affiliations",
    "coverage": "coverage",
    "coverage_summary": "coverage",
    "observation_frame": "_frames",
    "office_frame": "offices",
    "office_shifts": "offices",
    "offices_by": "offices",
    "strategies_before_after": "strategies",
    "strategies_by_type": "strategies",
    "strategies_by_year": "strategies",
    "strategy_frame": "strategies",
    "us_share_by_decade": "affiliations",
}


def _load(module_name: str) -> Any:
    """Import a submodule and bind the names it provides here (after the import, which binds the
    submodule itself: ``coverage`` must stay the function, not the module of that name)."""
    module = importlib.import_module(f"{__name__}.{module_name}")
    for name, home in _HOME.items():
        if home == module_name:
            globals()[name] = getattr(module, name)
    return module


def __getattr__(name: str) -> Any:
    if name in _HOME:
        _load(_HOME[name])
        return globals()[name]
    try:
        return _load(name)
    except ModuleNotFoundError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None

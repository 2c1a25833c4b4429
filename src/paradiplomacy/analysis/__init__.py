"""Analyses of the registry: the literature's tables recomputed from records, beside the published
figures (observations) and their coverage. Every function takes a :class:`Registry` and returns a
pandas DataFrame.

>>> from paradiplomacy.analysis import affiliations_by   # doctest: +SKIP
>>> affiliations_by(registry, "government_type", as_of="2001-04-01")   # doctest: +SKIP
"""

from paradiplomacy.analysis._frames import BadDate, affiliation_frame, observation_frame
from paradiplomacy.analysis.affiliations import (
    BadGrouping,
    affiliation_series,
    affiliations_by,
    count_affiliations,
    us_share_by_decade,
)
from paradiplomacy.analysis.budgets import budget_frame, budgets_by
from paradiplomacy.analysis.coverage import coverage, coverage_summary
from paradiplomacy.analysis.offices import office_frame, office_shifts, offices_by
from paradiplomacy.analysis.strategies import (
    strategies_before_after,
    strategies_by_type,
    strategies_by_year,
    strategy_frame,
)

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

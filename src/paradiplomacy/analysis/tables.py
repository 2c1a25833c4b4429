"""One entry point to the statistics tables by name, for faces that choose them by name (the API)."""

from __future__ import annotations

import pandas as pd

from paradiplomacy import analysis
from paradiplomacy.store.registry import Registry

__all__ = ["STATS", "stats_table"]

STATS: dict[str, tuple[str, ...]] = {
    "affiliations": ("government_type", "country", "partner_country", "year", "series", "decade"),
    "offices": ("shifts", *analysis.offices.OFFICE_GROUPINGS),
    "strategies": ("type", "year", "period"),
    "budgets": ("category", "actor"),
    "coverage": ("figure", "summary"),
}


def stats_table(
    registry: Registry,
    measure: str,
    *,
    by: str | None = None,
    as_of: str | None = None,
    home: str | None = "JP",
) -> pd.DataFrame:
    """The table ``paradiplomacy stats MEASURE --by BY`` prints; raise ValueError for unknown names."""
    if measure not in STATS:
        raise ValueError(f"unknown statistic {measure!r}: choose from {', '.join(STATS)}")
    by = (by or STATS[measure][0]).replace("-", "_")
    if by not in STATS[measure]:
        raise ValueError(f"{measure} cannot be grouped by {by!r}: choose from {', '.join(STATS[measure])}")
    if measure == "affiliations":
        if by == "series":
            return analysis.affiliation_series(registry, home=home, keep_empty=False)
        if by == "decade":
            return analysis.us_share_by_decade(registry, home=home)
        return analysis.affiliations_by(registry, by, as_of=as_of, home=home)
    if measure == "offices":
        return analysis.office_shifts(registry) if by == "shifts" else analysis.offices_by(registry, by)
    if measure == "strategies":
        return {
            "type": analysis.strategies_by_type,
            "year": analysis.strategies_by_year,
            "period": analysis.strategies_before_after,
        }[by](registry)
    if measure == "budgets":
        return analysis.budgets_by(registry, by)
    table = analysis.coverage(registry)
    return analysis.coverage_summary(table) if by == "summary" else table

"""Coverage: every published figure beside the count the registry's own records give for it.

A rule per measure says how records answer it (ties for affiliation counts, strategy records,
office records, actor counts). Figures no rule can recompute (populations, budgets in the text,
survey results...) are listed with ``status = no record rule`` so that nothing is hidden.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
from sqlalchemy import or_, select

from paradiplomacy.analysis._frames import (
    BadDate,
    affiliation_frame,
    as_date,
    in_force,
    observation_frame,
)
from paradiplomacy.analysis.affiliations import count_affiliations, held_frame
from paradiplomacy.analysis.offices import office_frame
from paradiplomacy.analysis.strategies import strategy_frame
from paradiplomacy.analysis.succession import eligible_municipalities
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Office, OfficeOwner

__all__ = ["coverage", "coverage_summary"]

_AFFILIATION_DIMS = {"government_type", "partner_country", "fiscal_year"}
_MUNICIPAL = {
    "municipality": ("city", "designated_city", "town", "village"),
    "city": ("city", "designated_city"),
    "other_municipality": ("town", "village", "special_ward"),
    "prefecture_and_city": ("prefecture", "city", "designated_city"),
}


class _Context:
    """Frames loaded once per coverage run."""

    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.ties = affiliation_frame(registry)
        self.offices = office_frame(registry)
        self.strategies = strategy_frame(registry)
        self._held: dict[dt.date | None, pd.DataFrame] = {}
        self._lg_counts: dict[dt.date | None, dict[str, int]] = {}

    def held(self, day: dt.date | None) -> pd.DataFrame:
        """Affiliations with the bodies that held them on ``day`` (see ``analysis.succession``)."""
        if day not in self._held:
            self._held[day] = held_frame(self.registry, self.ties, day)
        return self._held[day]

    def lg_counts(self, day: dt.date | None) -> dict[str, int]:
        """Local governments by type that existed on ``day`` (None: today)."""
        if day not in self._lg_counts:
            frame = eligible_municipalities(self.registry, day)
            self._lg_counts[day] = frame["lg_type"].value_counts().to_dict()
        return self._lg_counts[day]

    def types(self, value: str) -> tuple[str, ...]:
        return _MUNICIPAL.get(value, (value,))


def _when(obs: pd.Series) -> dt.date | None:
    if obs["as_of"] is None or pd.isna(obs["as_of"]):
        return None
    try:
        return as_date(obs["as_of"], end=True)
    except BadDate:
        return None


def _affiliations(ctx: _Context, obs: pd.Series) -> int | None:
    dims = obs["dimensions"]
    if not set(dims) <= _AFFILIATION_DIMS:
        return None
    day = _when(obs)
    frame = ctx.held(day)
    frame = frame[in_force(frame, day)]
    for key in ("government_type", "partner_country"):
        value = str(dims.get(key, "all"))
        if value != "all":
            wanted = ctx.types(value) if key == "government_type" else (value,)
            frame = frame[frame[key].isin(wanted)]
    return count_affiliations(frame)[obs["measure"]]


def _strategies(ctx: _Context, obs: pd.Series) -> int | None:
    kind = obs["dimensions"].get("government_type")
    if set(obs["dimensions"]) != {"government_type"}:
        return None
    frame = ctx.strategies[ctx.strategies["government_type"].isin(ctx.types(kind))]
    return int(frame["actor_id"].nunique())


def _local_governments(ctx: _Context, obs: pd.Series) -> int | None:
    kind = obs["dimensions"].get("government_type")
    if set(obs["dimensions"]) != {"government_type"}:
        return None
    counts = ctx.lg_counts(_when(obs))
    return int(sum(counts.get(t, 0) for t in ctx.types(kind)))


def _office_rows(ctx: _Context, obs: pd.Series) -> pd.DataFrame | None:
    dims = obs["dimensions"]
    frame = ctx.offices
    day = _when(obs)
    if day is not None:
        # an office counts at a date when it opened by then and had not closed; one known only by
        # its closing date is taken to have existed before; one with no date at all is left out
        year = str(day.year)
        has_open = frame["opened"].map(lambda d: isinstance(d, str))
        has_close = frame["closed"].map(lambda d: isinstance(d, str))
        opened = frame["opened"].map(lambda d: isinstance(d, str) and d[:4] <= year)
        not_closed = frame["closed"].map(lambda d: not isinstance(d, str) or d[:4] >= year)
        frame = frame[(opened | (~has_open & has_close)) & not_closed]
    if set(dims) == {"government_type"}:
        return frame[frame["owner_type"].isin(ctx.types(dims["government_type"]))]
    if set(dims) == {"actor"}:
        return frame[frame["owner_names"].map(lambda names: dims["actor"] in names)]
    return None


def _overseas_offices(ctx: _Context, obs: pd.Series) -> int | None:
    rows = _office_rows(ctx, obs)
    return None if rows is None else len(rows)


def _governments_with_offices(ctx: _Context, obs: pd.Series) -> int | None:
    rows = _office_rows(ctx, obs)
    return None if rows is None else int(rows["owner"].nunique())


_RULES: dict[str, Callable[[_Context, pd.Series], int | None]] = {
    "affiliations": _affiliations,
    "governments_with_affiliations": _affiliations,
    "governments_with_multiple_affiliations": _affiliations,
    "governments_with_strategies": _strategies,
    "local_governments": _local_governments,
    "overseas_offices": _overseas_offices,
    "governments_with_overseas_offices": _governments_with_offices,
}


def coverage(registry: Registry, *, measure: str | None = None) -> pd.DataFrame:
    """Every observation (or those of ``measure``) with the matching record count and the gap.

    Columns: ``key, measure, dimensions, as_of, unit, published, records, gap, coverage, status,
    source``; ``gap`` is published - records, ``coverage`` records / published, ``status`` one of
    ``complete``, ``partial``, ``exceeds`` (records above the figure), ``none`` (no record) or
    ``no record rule``.
    """
    ctx = _Context(registry)
    ctx.offices["owner_names"] = _owner_names(registry, ctx.offices)
    rows: list[dict[str, Any]] = []
    for _, obs in observation_frame(registry, measure).iterrows():
        rule = _RULES.get(obs["measure"])
        records = rule(ctx, obs) if rule and obs["unit"] == "count" else None
        published = float(obs["value"])
        rows.append(
            {
                "key": obs["key"],
                "measure": obs["measure"],
                "dimensions": ", ".join(f"{k}={v}" for k, v in obs["dimensions"].items()),
                "as_of": obs["as_of"],
                "unit": obs["unit"],
                "published": published,
                "records": records,
                "gap": None if records is None else published - records,
                "coverage": records / published if records is not None and published else None,
                "status": _status(records, published),
                "source": obs["source"],
            }
        )
    return pd.DataFrame(rows)


def _status(records: int | None, published: float) -> str:
    if records is None:
        return "no record rule"
    if records == 0:
        return "complete" if published == 0 else "none"
    if records == published:
        return "complete"
    return "exceeds" if records > published else "partial"


def coverage_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per measure: how many figures, how many a rule recomputes, how they fare, and one headline.

    Published figures of one measure overlap (a total and its breakdown; a cumulative series by
    year), so they are never added up. Instead: ``complete, partial, exceeds, none`` count the
    recomputable figures by status, ``median_coverage`` is the median of their coverage, and
    ``headline_*`` give the broadest figure (fewest breakdowns, latest date) with its records.
    """
    rows = []
    for measure, part in table.groupby("measure", sort=False):
        ruled = part[part["records"].notna()]
        row: dict[str, Any] = {"measure": measure, "figures": len(part), "recomputable": len(ruled)}
        for status in ("complete", "partial", "exceeds", "none"):
            row[status] = int((ruled["status"] == status).sum())
        row["median_coverage"] = (
            float(ruled["coverage"].dropna().median()) if ruled["coverage"].notna().any() else None
        )
        head = _headline(ruled)
        row["headline"] = None if head is None else head["key"]
        row["headline_as_of"] = None if head is None else head["as_of"]
        row["headline_published"] = None if head is None else head["published"]
        row["headline_records"] = None if head is None else head["records"]
        rows.append(row)
    out = pd.DataFrame(
        rows,
        columns=[
            "measure",
            "figures",
            "recomputable",
            "complete",
            "partial",
            "exceeds",
            "none",
            "median_coverage",
            "headline",
            "headline_as_of",
            "headline_published",
            "headline_records",
        ],
    )
    return out.sort_values(["recomputable", "measure"], ascending=[False, True], ignore_index=True)


def _headline(ruled: pd.DataFrame) -> pd.Series | None:
    """The broadest recomputable figure: fewest non-``all`` breakdowns, then the latest date."""
    if ruled.empty:
        return None

    def narrowness(dims: str) -> int:
        return sum(
            1
            for part in dims.split(", ")
            if part and not part.endswith("=all") and not part.startswith("fiscal_year=")
        )

    ranked = ruled.assign(
        _narrow=ruled["dimensions"].map(narrowness), _when=ruled["as_of"].fillna("").astype(str)
    )
    return ranked.sort_values(["_narrow", "_when"], ascending=[True, False]).iloc[0]


def _owner_names(registry: Registry, offices: pd.DataFrame) -> list[set[str]]:
    """Every name (English, Japanese, key) of each office's lead owner, to match ``actor`` dims."""
    keys = [k for k in offices["key"]]
    with registry.reader() as session:
        found: dict[str, set[str]] = {}
        query = (
            select(Office.key, Actor.key, Actor.name_en, Actor.name_ja)
            .join(OfficeOwner, OfficeOwner.office_id == Office.id)
            .join(Actor, Actor.id == OfficeOwner.actor_id)
            .where(or_(OfficeOwner.position == 0, OfficeOwner.position.is_(None)))
        )
        for office_key, *names in session.execute(query):
            found.setdefault(office_key, set()).update(n for n in names if n)
    return [found.get(k, set()) for k in keys]

"""Affiliation counts (sister, friendship, business, purpose-specific) computed from tie records,
set beside the published figures they correspond to.

Every function returns a tidy DataFrame: one row per cell, with ``records`` (computed from ties),
``published`` (the observation's value, if the literature gives one), ``coverage`` (records /
published) and ``source`` (the citation of the published figure). Date rules: see ``_frames``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import select

from paradiplomacy.analysis._frames import (
    BadDate,
    affiliation_frame,
    as_date,
    government_type,
    in_force,
    observation_frame,
)
from paradiplomacy.analysis.succession import effective_holders
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor

__all__ = [
    "AFFILIATION_MEASURES",
    "MENJU_YEARS",
    "BadGrouping",
    "affiliation_series",
    "affiliations_by",
    "count_affiliations",
    "held_frame",
    "match_observation",
    "us_share_by_decade",
]

AFFILIATION_MEASURES = (
    "affiliations",
    "governments_with_affiliations",
    "governments_with_multiple_affiliations",
)
MENJU_YEARS = (1955, 1960, 1965, 1970, 1975, 1980, 1985, 1990, 1995, 2000, 2001)
GROUPINGS = ("government_type", "country", "partner_country", "year")
PUBLISHED_HOME = "JP"  # every published figure in the corpus is about Japanese local governments


class BadGrouping(RegistryError):
    """A ``by`` value that is not one of the groupings offered."""


def count_affiliations(frame: pd.DataFrame) -> dict[str, int]:
    """The three counts of the papers over the rows of an affiliation frame.

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"tie_id": [1, 2, 3], "actor_id": [7, 7, 8]})
    >>> count_affiliations(frame)  # doctest: +NORMALIZE_WHITESPACE
    {'affiliations': 3, 'governments_with_affiliations': 2,
     'governments_with_multiple_affiliations': 1}
    """
    per_actor = frame.groupby("actor_id")["tie_id"].nunique()
    return {
        "affiliations": int(frame["tie_id"].nunique()),
        "governments_with_affiliations": len(per_actor),
        "governments_with_multiple_affiliations": int((per_actor > 1).sum()),
    }


def match_observation(
    observations: pd.DataFrame, measure: str, dims: dict[str, Any], as_of: dt.date | None
) -> pd.Series | None:
    """The published observation of ``measure`` whose dimensions are ``dims`` at ``as_of``.

    Dimensions the observation sets to ``all`` and does not appear in ``dims`` are ignored (``{
    government_type: all, partner_country: all}`` is the grand total whichever way it is grouped).
    """
    for _, obs in observations[observations["measure"] == measure].iterrows():
        own = {k: v for k, v in obs["dimensions"].items() if not (v == "all" and k not in dims)}
        if {k: str(v) for k, v in own.items()} != {k: str(v) for k, v in dims.items()}:
            continue
        try:
            when = None if pd.isna(obs["as_of"]) else as_date(obs["as_of"], end=True)
        except BadDate:
            continue
        if when == as_of:
            return obs
    return None


def _cell(
    group: dict[str, Any],
    measure: str,
    records: int,
    undated: int,
    observations: pd.DataFrame,
    as_of: dt.date | None,
) -> dict[str, Any]:
    obs = match_observation(observations, measure, group, as_of)
    published = float(obs["value"]) if obs is not None else None
    coverage = records / published if published else None
    return {
        **group,
        "measure": measure,
        "records": records,
        "undated": undated,
        "published": published,
        "coverage": coverage,
        "source": obs["source"] if obs is not None else None,
        "observation": obs["key"] if obs is not None else None,
    }


def affiliations_by(
    registry: Registry,
    by: str = "government_type",
    *,
    as_of: str | None = None,
    home: str | None = "JP",
    designated_as_city: bool = True,
) -> pd.DataFrame:
    """Affiliations, governments with affiliations and with several, grouped by ``by``.

    ``by`` is ``government_type`` (Menju's Table 1), ``country`` (of the home side),
    ``partner_country`` or ``year`` (affiliations started in each calendar year, with the running
    total). ``as_of`` is a partial ISO date; a tie signed by a former municipality counts for the
    body that held it on that date (its successor from the merger date on, see
    :func:`held_frame`), today's holder without ``as_of``;
    ``home`` the country whose local governments are counted (``None``: every country). A row
    ``all`` sums the groups. Returns columns ``<by>, measure, records, undated, published,
    coverage, source, observation``.
    """
    if by not in GROUPINGS:
        raise BadGrouping(f"cannot group by {by!r}: choose one of {', '.join(GROUPINGS)}")
    day = as_date(as_of, end=True)
    frame = held_frame(
        registry,
        affiliation_frame(registry, home=home, designated_as_city=designated_as_city),
        day,
        designated_as_city=designated_as_city,
    )
    observations = _observations(registry, list(AFFILIATION_MEASURES), home)
    if by == "year":
        return _by_year(frame, day)
    live = frame[in_force(frame, day)]
    undated = frame[frame["start"].isna() & frame["status"].ne("ended")] if day else frame.iloc[:0]
    groups = sorted(set(frame[by].dropna()) | _published_groups(observations, by, day))
    rows = []
    for group in [*groups, "all"]:
        part = live if group == "all" else live[live[by] == group]
        loose = undated if group == "all" else undated[undated[by] == group]
        counts, set_aside = count_affiliations(part), count_affiliations(loose)
        for measure in AFFILIATION_MEASURES:
            rows.append(_cell({by: group}, measure, counts[measure], set_aside[measure], observations, day))
    return pd.DataFrame(rows)


def held_frame(
    registry: Registry, frame: pd.DataFrame, as_of: dt.date | str | None, *, designated_as_city: bool = True
) -> pd.DataFrame:
    """An affiliation frame with each home side replaced by the body that held the tie on
    ``as_of`` (None: today): a former municipality's ties count for its successor from the merger
    date (``analysis.succession``). ``signatory_id`` keeps the side the tie names."""
    held = effective_holders(frame, as_of, registry)
    held["signatory_id"] = held["actor_id"]
    moved = held["holder_id"] != held["actor_id"]
    if moved.any():
        ids = sorted({int(i) for i in held.loc[moved, "holder_id"]})
        with registry.reader() as session:
            info = {a.id: a for a in session.scalars(select(Actor).where(Actor.id.in_(ids)))}
        targets = held.loc[moved, "holder_id"].map(lambda i: info[int(i)])
        held.loc[moved, "actor_key"] = targets.map(lambda a: a.key)
        held.loc[moved, "actor"] = targets.map(lambda a: a.label)
        held.loc[moved, "government_type"] = targets.map(
            lambda a: government_type(a.lg_type, a.kind, designated_as_city=designated_as_city)
        )
    held["actor_id"] = held["holder_id"]
    return held.drop(columns=["holder_id"])


def _observations(registry: Registry, measures: list[str], home: str | None) -> pd.DataFrame:
    """Published figures to set beside records: none unless the home side is Japan."""
    frame = observation_frame(registry, measures)
    return frame if home == PUBLISHED_HOME else frame.iloc[:0]


def _published_groups(observations: pd.DataFrame, by: str, day: dt.date | None) -> set[str]:
    """Values of dimension ``by`` the literature reports alone at ``day`` (``all`` excluded)."""
    found = set()
    for _, obs in observations.iterrows():
        dims = {k: v for k, v in obs["dimensions"].items() if v != "all"}
        when = None if pd.isna(obs["as_of"]) else as_date(obs["as_of"], end=True)
        if list(dims) == [by] and when == day:
            found.add(str(dims[by]))
    return found


def _by_year(frame: pd.DataFrame, as_of: dt.date | None) -> pd.DataFrame:
    dated = frame[frame["start_year"].notna()]
    if as_of is not None:
        dated = dated[dated["start"].map(lambda d: d <= as_of)]
    started = dated.groupby("start_year")["tie_id"].nunique().sort_index()
    out = pd.DataFrame({"year": started.index.astype(int), "started": started.to_numpy()})
    out["cumulative"] = out["started"].cumsum()
    out["undated"] = int(frame.loc[frame["start_year"].isna(), "tie_id"].nunique())
    return out


def affiliation_series(
    registry: Registry,
    *,
    countries: list[str] | None = None,
    years: list[int] | None = None,
    home: str | None = "JP",
    keep_empty: bool = True,
) -> pd.DataFrame:
    """Cumulative affiliations by partner country on 1 April of each year (Menju's column years).

    Column N of Menju's Tables 2-3 is read as the state on 1 April N (the end of fiscal year N-1),
    the reading under which its 2001 column equals Table 1's count as of 1 April 2001.
    ``countries`` defaults to the US, China, South Korea, ``all`` and every other partner
    country in the records; ``years`` to Menju's columns (1955-2001) extended to the latest start.
    Returns ``fiscal_year, partner_country, records, undated, published, coverage, source``.
    ``keep_empty=False`` leaves out the rows with no tie in force and no published figure: only
    their ``undated`` count, the same in every year, would remain (``affiliations_by(...,
    "partner_country")`` gives it once per country; the ``all`` rows sum it).
    """
    frame = affiliation_frame(registry, home=home)
    observations = _observations(registry, ["affiliations"], home)
    if countries is None:
        extra = sorted(set(frame["partner_country"]) - {"US", "CN", "KR"})
        countries = ["US", "CN", "KR", *extra, "all"]
    if years is None:
        latest = max([y for y in frame["start_year"].dropna()], default=2001)
        years = sorted(set(MENJU_YEARS) | set(range(2005, int(latest) + 5, 5)))
    rows = []
    for year in years:
        day = dt.date(year, 4, 1)
        live = frame[in_force(frame, day)]
        for country in countries:
            part = live if country == "all" else live[live["partner_country"] == country]
            loose = frame[frame["start"].isna()]
            loose = loose if country == "all" else loose[loose["partner_country"] == country]
            cell = _cell(
                {"partner_country": country, "fiscal_year": year},
                "affiliations",
                int(part["tie_id"].nunique()),
                int(loose["tie_id"].nunique()),
                observations,
                day,
            )
            rows.append(cell)
    out = pd.DataFrame(rows).drop(columns="measure")
    if not keep_empty:
        out = out[(out["records"] > 0) | out["published"].notna()].reset_index(drop=True)
    return out[
        [
            "fiscal_year",
            "partner_country",
            "records",
            "undated",
            "published",
            "coverage",
            "source",
            "observation",
        ]
    ]


def us_share_by_decade(registry: Registry, *, home: str | None = "JP", country: str = "US") -> pd.DataFrame:
    """Share of ``country`` among the affiliations concluded in each decade, records and published.

    Records: ties by calendar start year. Published: differences of Menju's cumulative columns, so
    the '1960s' are the ties added between the end of FY1960 and the end of FY1970, the 1950s start
    from zero and the 2000s hold FY2001 only (the last column).
    """
    frame = affiliation_frame(registry, home=home)
    dated = frame[frame["start_year"].notna()]
    decades = dated["start_year"].map(lambda y: int(y) // 10 * 10)
    series = affiliation_series(registry, countries=[country, "all"], years=list(MENJU_YEARS), home=home)
    published = {(r.partner_country, r.fiscal_year): r.published for r in series.itertuples()}

    def new(code: str, decade: int) -> float | None:
        low = 0.0 if decade < 1960 else published.get((code, decade))
        high = published.get((code, min(decade + 10, 2001)))
        if low is None or high is None or pd.isna(low) or pd.isna(high):
            return None
        return float(high - low)

    name = country.lower()
    rows = []
    for decade in range(1950, 2010, 10):
        in_decade = dated[decades == decade]
        ours = int(in_decade.loc[in_decade["partner_country"] == country, "tie_id"].nunique())
        total = int(in_decade["tie_id"].nunique())
        theirs, everyone = new(country, decade), new("all", decade)
        rows.append(
            {
                "decade": f"{decade}s",
                f"records_{name}": ours,
                "records_all": total,
                "records_share": ours / total if total else None,
                f"published_{name}": theirs,
                "published_all": everyone,
                "published_share": theirs / everyone if theirs is not None and everyone else None,
            }
        )
    return pd.DataFrame(rows)

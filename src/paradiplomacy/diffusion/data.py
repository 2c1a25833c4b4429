"""Adoption records of a policy, the eligible population at each date, and the published figures.

Dates: a partial date counts in the year it names (``2015-04`` is 2015). An adopter with no date is
*undated*: it is known to have adopted but not when. Undated adopters are reported in their own column
and never placed in a year; the hazard model leaves them out of the risk set, the inference treats them
as adopters at an unknown time (see :mod:`.inference`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select

from paradiplomacy.diffusion.population import ALL_TYPES, eligible_governments
from paradiplomacy.model.dates import parse_optional
from paradiplomacy.model.vocab import LgType, PolicyCode
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, Adoption

__all__ = [
    "POLICY_MEASURES",
    "POLICY_TYPES",
    "DiffusionData",
    "DiffusionError",
    "adoption_frame",
    "diffusion_data",
    "published_vs_records",
]


class DiffusionError(RegistryError):
    """A diffusion request the registry cannot answer (unknown policy, no adoptions, bad years)."""


#: Default eligible population per policy. Fujiwara surveyed the 47 prefectures and the 20 designated
#: cities for international strategies (fujiwara2025, section 'Method'); other policies: every government.
POLICY_TYPES: dict[str, tuple[str, ...]] = {
    PolicyCode.INTERNATIONAL_STRATEGY: (LgType.PREFECTURE, LgType.DESIGNATED_CITY),
}

#: Observation measures that publish a count of a policy's adopters.
POLICY_MEASURES: dict[str, tuple[str, ...]] = {
    PolicyCode.INTERNATIONAL_STRATEGY: ("governments_with_strategies",),
    PolicyCode.SUFFRAGE_RESOLUTION: ("governments_with_suffrage_resolution",),
    PolicyCode.NATIONALITY_CLAUSE_REMOVED: ("governments_without_nationality_clause",),
}

ADOPTION_COLUMNS = [
    "actor_id",
    "key",
    "name",
    "lg_type",
    "prefecture_id",
    "date",
    "year",
    "dated",
    "eligible",
    "source",
]


def check_policy(policy: str) -> str:
    """The policy code, or :class:`DiffusionError` naming the known ones."""
    known = {p.value for p in PolicyCode}
    if policy not in known:
        raise DiffusionError(f"unknown policy {policy!r}; known: {', '.join(sorted(known))}")
    return policy


def adoption_frame(registry: Registry, policy: str) -> pd.DataFrame:
    """One row per adoption of ``policy`` by any actor, with its year and its citations.

    Columns: ``actor_id, key, name, lg_type, prefecture_id, date, year, dated, eligible, source``
    (``eligible`` is filled by :func:`diffusion_data`; here it is True).
    """
    check_policy(policy)
    query = (
        select(Adoption, Actor)
        .join(Actor, Actor.id == Adoption.actor_id)
        .where(Adoption.policy == policy)
        .order_by(Adoption.date, Actor.lg_code)
    )
    rows = []
    with registry.reader() as session:
        found = list(session.execute(query))
        cites = citations(session, "adoption", [a.id for a, _ in found])
        for adoption, actor in found:
            year = _year(adoption.date)
            prefecture = (
                actor.id
                if actor.lg_type == LgType.PREFECTURE
                else (actor.parent_id if actor.parent and actor.parent.lg_type == LgType.PREFECTURE else None)
            )
            rows.append(
                {
                    "actor_id": actor.id,
                    "key": actor.key,
                    "name": actor.label,
                    "lg_type": actor.lg_type,
                    "prefecture_id": prefecture,
                    "date": adoption.date,
                    "year": year,
                    "dated": year is not None,
                    "eligible": True,
                    "source": "; ".join(cites.get(adoption.id, [])),
                }
            )
    frame = pd.DataFrame(rows, columns=ADOPTION_COLUMNS)
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _year(value: str | None) -> int | None:
    try:
        parsed = parse_optional(value)
    except ValueError:
        return None
    return parsed.earliest().year if parsed else None


@dataclass
class DiffusionData:
    """A policy's adoptions, its eligible population and the yearly adoption curve.

    ``curve`` columns: ``year, eligible, at_risk, new, cumulative, hazard, share, undated`` — ``eligible``
    counts governments existing at the end of the year, ``at_risk`` those eligible that had not adopted
    by the end of the previous year, ``hazard`` = new / at_risk (computed), ``share`` = cumulative /
    eligible, ``undated`` the adopters whose date is unknown (not in any year).
    """

    policy: str
    types: tuple[str, ...]
    years: tuple[int, int]
    adoptions: pd.DataFrame
    population: pd.DataFrame
    curve: pd.DataFrame
    published: pd.DataFrame = field(default_factory=pd.DataFrame)

    def to_frame(self) -> pd.DataFrame:
        """The yearly curve."""
        return self.curve.copy()

    @property
    def dated(self) -> pd.DataFrame:
        """Eligible adopters with a date."""
        return self.adoptions[self.adoptions["eligible"] & self.adoptions["dated"]]

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "policy": self.policy,
            "types": list(self.types),
            "years": list(self.years),
            "curve": self.curve.to_dict("records"),
            "adoptions": self.adoptions.astype(object).where(self.adoptions.notna(), None).to_dict("records"),
            "published": self.published.to_dict("records"),
        }


def diffusion_data(
    registry: Registry,
    policy: str,
    *,
    types: tuple[str, ...] | None = None,
    years: tuple[int, int] | None = None,
) -> DiffusionData:
    """The adoptions of ``policy`` with the population of eligible governments in each year.

    ``types`` are the local-government types at risk (default :data:`POLICY_TYPES` or every type);
    ``years`` the first and last year of the curve (default: the year before the first dated adoption
    to the last dated adoption).
    """
    types = tuple(str(t) for t in (types or POLICY_TYPES.get(policy, ALL_TYPES)))
    unknown = set(types) - {str(t) for t in ALL_TYPES}
    if unknown:
        raise DiffusionError(f"unknown government types: {', '.join(sorted(unknown))}")
    adoptions = adoption_frame(registry, policy)
    population = eligible_governments(registry, types=types)
    adoptions["eligible"] = adoptions["actor_id"].isin(population["actor_id"])
    dated_years = adoptions.loc[adoptions["eligible"] & adoptions["dated"], "year"]
    if years is None:
        if dated_years.empty:
            raise DiffusionError(f"no dated adoption of {policy} by governments of types {types}")
        years = (int(dated_years.min()) - 1, int(dated_years.max()))
    if years[0] > years[1]:
        raise DiffusionError(f"empty year range {years[0]}-{years[1]}")
    rows = []
    undated = int((adoptions["eligible"] & ~adoptions["dated"]).sum())
    adopted_before = int((dated_years < years[0]).sum())
    for year in range(years[0], years[1] + 1):
        eligible_ids = set(
            eligible_governments(registry, as_of=dt.date(year, 12, 31), types=types)["actor_id"]
        )
        mask = adoptions["actor_id"].isin(eligible_ids) & adoptions["dated"]
        new = int((adoptions.loc[mask, "year"] == year).sum())
        cumulative = int((adoptions.loc[mask, "year"] <= year).sum())
        at_risk = len(eligible_ids) - (cumulative - new)
        rows.append(
            {
                "year": year,
                "eligible": len(eligible_ids),
                "at_risk": at_risk,
                "new": new,
                "cumulative": cumulative,
                "hazard": new / at_risk if at_risk else float("nan"),
                "share": cumulative / len(eligible_ids) if eligible_ids else float("nan"),
                "undated": undated,
            }
        )
    curve = pd.DataFrame(rows)
    curve.attrs["adopted_before_window"] = adopted_before
    return DiffusionData(
        policy=policy,
        types=types,
        years=years,
        adoptions=adoptions,
        population=population,
        curve=curve,
        published=published_vs_records(registry, policy, adoptions=adoptions),
    )


def published_vs_records(
    registry: Registry, policy: str, *, adoptions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Each published count of the policy's adopters beside the count of adoption records (computed).

    A record counts towards a figure when its government type matches the figure's
    ``government_type`` (``municipality`` = any non-prefecture) and it is dated on or before the
    figure's ``as_of`` or undated. Columns: ``key, measure, government_type, as_of, published,
    records, coverage, source``.
    """
    from paradiplomacy.analysis._frames import observation_frame

    adoptions = adoption_frame(registry, policy) if adoptions is None else adoptions
    measures = list(POLICY_MEASURES.get(policy, ()))
    columns = ["key", "measure", "government_type", "as_of", "published", "records", "coverage", "source"]
    if not measures:
        return pd.DataFrame(columns=columns)
    rows = []
    for obs in observation_frame(registry, measures).itertuples(index=False):
        dims = obs.dimensions or {}
        if dims.get("policy", policy) != policy or obs.unit != "count":
            continue
        gtype = dims.get("government_type")
        chosen = adoptions
        if gtype == "municipality":
            chosen = chosen[chosen["lg_type"].notna() & (chosen["lg_type"] != LgType.PREFECTURE)]
        elif gtype:
            chosen = chosen[chosen["lg_type"] == gtype]
        else:
            chosen = chosen[chosen["lg_type"].notna()]
        as_of = obs.as_of if isinstance(obs.as_of, str) and obs.as_of else None
        parsed = parse_optional(as_of)
        if parsed is not None:
            limit = parsed.latest().year
            chosen = chosen[~chosen["dated"] | (chosen["year"].fillna(0) <= limit)]
        records = len(chosen)
        rows.append(
            {
                "key": obs.key,
                "measure": obs.measure,
                "government_type": gtype,
                "as_of": as_of,
                "published": obs.value,
                "records": records,
                "coverage": records / obs.value if obs.value else float("nan"),
                "source": obs.source,
            }
        )
    return pd.DataFrame(rows, columns=columns)

"""International strategies: adoption by year and by government type, shares of prefectures and
designated cities with a strategy, before and after a cut-off year, beside the published counts.

A government 'has a strategy' when the registry holds at least one strategy record for it, whatever
its date ("at any date"); its adoption year is that of its earliest dated strategy.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from paradiplomacy.analysis._frames import observation_frame
from paradiplomacy.analysis.affiliations import match_observation
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Citation, Source, Strategy

__all__ = ["strategies_before_after", "strategies_by_type", "strategies_by_year", "strategy_frame"]


def strategy_frame(registry: Registry, *, source: str | None = None) -> pd.DataFrame:
    """One row per strategy: ``strategy_id, actor_id, actor_key, actor, government_type, title,
    adopted, adopted_year``; ``source`` keeps only strategies cited by that source key."""
    query = select(
        Strategy.id,
        Actor.id,
        Actor.key,
        Actor.name_en,
        Actor.name_ja,
        Actor.lg_type,
        Actor.kind,
        Strategy.title,
        Strategy.adopted,
    ).join(Actor, Actor.id == Strategy.actor_id)
    if source is not None:
        cited = (
            select(Citation.entity_id)
            .join(Source, Source.id == Citation.source_id)
            .where(Citation.entity == "strategy", Source.key == source)
        )
        query = query.where(Strategy.id.in_(cited))
    with registry.reader() as session:
        rows = [
            {
                "strategy_id": sid,
                "actor_id": aid,
                "actor_key": key,
                "actor": name_en or name_ja or key,
                "government_type": lg_type or kind,
                "title": title,
                "adopted": adopted,
                "adopted_year": int(adopted[:4]) if adopted else None,
            }
            for sid, aid, key, name_en, name_ja, lg_type, kind, title, adopted in session.execute(
                query.order_by(Strategy.adopted, Strategy.id)
            )
        ]
    return pd.DataFrame(
        rows,
        columns=[
            "strategy_id",
            "actor_id",
            "actor_key",
            "actor",
            "government_type",
            "title",
            "adopted",
            "adopted_year",
        ],
    )


def _first_adoptions(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per government: its type and the year of its earliest dated strategy (or None)."""
    return frame.groupby(["actor_id", "government_type"], as_index=False)["adopted_year"].min()


def strategies_by_year(registry: Registry, *, source: str | None = None) -> pd.DataFrame:
    """Per year and government type: strategies adopted, governments adopting their first, and the
    running number of governments with a strategy. Undated strategies are left out."""
    frame = strategy_frame(registry, source=source)
    firsts = _first_adoptions(frame).dropna(subset=["adopted_year"])
    per_year = (
        frame.dropna(subset=["adopted_year"])
        .groupby(["government_type", "adopted_year"])
        .size()
        .rename("strategies")
    )
    new = firsts.groupby(["government_type", "adopted_year"]).size().rename("new_governments")
    out = pd.concat([per_year, new], axis=1).fillna(0).astype(int).reset_index()
    out = out.rename(columns={"adopted_year": "year"}).sort_values(["government_type", "year"])
    out["governments_with_strategy"] = out.groupby("government_type")["new_governments"].cumsum()
    return out.reset_index(drop=True)


def strategies_by_type(
    registry: Registry,
    *,
    source: str | None = None,
    types: tuple[str, ...] = ("prefecture", "designated_city"),
) -> pd.DataFrame:
    """Governments of each type with a strategy at any date, of all governments of that type.

    Columns: ``government_type, governments, with_strategy, share, published, published_of,
    published_share, published_percent, published_note, coverage, source``. ``published`` is the
    paper's count, ``published_of`` its denominator (e.g. 35 of 47), ``published_share`` their
    ratio; ``published_percent`` is a percentage the paper prints in words (75 for designated
    cities), kept as printed and set beside the count-derived share in ``published_note`` when the
    two disagree - neither is picked silently. ``coverage`` is records / published.
    """
    frame = strategy_frame(registry, source=source)
    firsts = _first_adoptions(frame)
    observations = observation_frame(
        registry, ["governments_with_strategies", "local_governments", "share_of_governments_with_strategies"]
    )
    with registry.reader() as session:
        totals = dict(
            session.execute(
                select(Actor.lg_type, func.count()).where(Actor.lg_type.in_(types)).group_by(Actor.lg_type)
            ).all()
        )
    rows = []
    for lg_type in types:
        having = int((firsts["government_type"] == lg_type).sum())
        total = int(totals.get(lg_type, 0))
        obs = match_observation(
            observations, "governments_with_strategies", {"government_type": lg_type}, None
        )
        of = match_observation(observations, "local_governments", {"government_type": lg_type}, None)
        pct = match_observation(
            observations, "share_of_governments_with_strategies", {"government_type": lg_type}, None
        )
        published = float(obs["value"]) if obs is not None else None
        published_of = float(of["value"]) if of is not None else None
        ratio = published / published_of if published and published_of else None
        percent = float(pct["value"]) if pct is not None else None
        rows.append(
            {
                "government_type": lg_type,
                "governments": total,
                "with_strategy": having,
                "share": having / total if total else None,
                "published": published,
                "published_of": published_of,
                "published_share": ratio,
                "published_percent": percent,
                "published_note": _percent_note(percent, published, published_of, ratio),
                "coverage": having / published if published else None,
                "source": "; ".join(o["source"] for o in (obs, of, pct) if o is not None) or None,
            }
        )
    return pd.DataFrame(rows)


def _percent_note(
    percent: float | None, count: float | None, of: float | None, ratio: float | None
) -> str | None:
    """Say where a printed percentage and the paper's own count disagree."""
    if percent is None or ratio is None or count is None or of is None:
        return None
    if round(ratio * 100) == round(percent):
        return None
    return (
        f"the paper prints {percent:g}% but its own count {count:g} of {of:g} is "
        f"{ratio * 100:.0f}%: the paper is inconsistent; both kept"
    )


def strategies_before_after(
    registry: Registry,
    *,
    cutoff: int = 2010,
    source: str | None = None,
) -> pd.DataFrame:
    """Governments whose first strategy is before ``cutoff``, from it on, or undated, by type."""
    firsts = _first_adoptions(strategy_frame(registry, source=source))
    period = firsts["adopted_year"].map(
        lambda y: "undated" if pd.isna(y) else f"before {cutoff}" if y < cutoff else f"{cutoff} on"
    )
    table = pd.crosstab(firsts["government_type"], period)
    for column in (f"before {cutoff}", f"{cutoff} on", "undated"):
        if column not in table:
            table[column] = 0
    table = table[[f"before {cutoff}", f"{cutoff} on", "undated"]]
    table["total"] = table.sum(axis=1)
    return table.reset_index().rename_axis(columns=None)

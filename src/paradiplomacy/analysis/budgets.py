"""Budget lines by category and actor, with each line's share of its total.

Categories read ``<scope>: <item>`` (see the corpus budget files). A line's ``share`` is taken
within its actor, fiscal year and scope: against the ``<scope>: total`` line when the paper gives
one (the parts then need not add up), else against the sum of the scope's lines.
``share_of_budget`` sets a line against the actor's whole budget (category ``total budget``)
where the paper gives it.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select

from paradiplomacy.analysis.affiliations import BadGrouping
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, BudgetLine

__all__ = ["budget_frame", "budgets_by"]


def budget_frame(registry: Registry) -> pd.DataFrame:
    """One row per budget line: ``line_id, actor, fiscal_year, category, amount, currency, source,
    scope, is_total, total, share, share_of_budget``; ``actor`` is ``all local governments`` for
    aggregate lines."""
    with registry.reader() as session:
        lines = list(
            session.execute(
                select(BudgetLine, Actor)
                .outerjoin(Actor, Actor.id == BudgetLine.actor_id)
                .order_by(BudgetLine.id)
            )
        )
        cites = citations(session, "budget_line", [line.id for line, _ in lines])
        rows = [
            {
                "line_id": line.id,
                "actor": actor.label if actor else "all local governments",
                "fiscal_year": line.fiscal_year,
                "category": line.category,
                "amount": line.amount,
                "currency": line.currency,
                "source": "; ".join(cites.get(line.id, [])),
            }
            for line, actor in lines
        ]
    frame = pd.DataFrame(
        rows, columns=["line_id", "actor", "fiscal_year", "category", "amount", "currency", "source"]
    )
    frame["scope"] = frame["category"].map(lambda c: c.split(":")[0].strip() if ":" in c else "")
    frame["is_total"] = frame["category"].str.endswith(": total")
    keys = ["actor", "fiscal_year", "currency", "scope"]
    stated = frame[frame["is_total"]].groupby(keys)["amount"].max()
    parts = frame[~frame["is_total"] & frame["category"].ne("total budget")]
    totals = stated.combine_first(parts.groupby(keys)["amount"].sum())
    frame["total"] = [totals.get(tuple(k), None) for k in frame[keys].itertuples(index=False)]
    frame.loc[frame["category"].eq("total budget"), "total"] = None
    frame["share"] = frame["amount"] / frame["total"]
    budget_lines = frame[frame["category"].eq("total budget")]
    whole = budget_lines.groupby(["actor", "fiscal_year"])["amount"].max()
    frame["share_of_budget"] = [
        row.amount / whole[(row.actor, row.fiscal_year)]
        if (row.actor, row.fiscal_year) in whole.index
        else None
        for row in frame.itertuples()
    ]
    return frame


def budgets_by(registry: Registry, by: str = "category") -> pd.DataFrame:
    """Budget lines grouped by ``category`` (every line with its share of its total) or ``actor``
    (per actor and year: lines, stated or summed total, currency)."""
    frame = budget_frame(registry)
    if by == "category":
        return frame.drop(columns=["is_total", "scope"])
    if by == "actor":
        grouped = frame.groupby(["actor", "fiscal_year", "currency"], as_index=False).agg(
            lines=("line_id", "count"), total=("total", "first")
        )
        return grouped.sort_values(["actor", "fiscal_year"]).reset_index(drop=True)
    raise BadGrouping(f"cannot group budgets by {by!r}: choose category or actor")

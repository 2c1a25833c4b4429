"""Themes of actors (environment, trade, tourism...) read from their strategies, offices and coalitions.

A theme is one of :data:`GOALS`; free text (a coalition's issue area, an office's focus, a strategy's
themes) is mapped to themes by the keywords below.
"""

from __future__ import annotations

import re

import numpy as np
from sqlalchemy import select

from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Coalition, CoalitionMember, Office, OfficeOwner, Strategy

__all__ = ["GOALS", "actor_themes", "themes_of_text"]

GOALS: dict[str, tuple[str, ...]] = {
    "environment": ("environment", "pollution", "climate", "energy", "green", "waste"),
    "trade": ("trade", "export", "business", "investment", "sme", "industr", "econom", "market"),
    "tourism": ("touris", "visitor", "travel", "inbound"),
    "education": ("education", "school", "student", "universit", "youth", "human resource"),
    "culture": ("cultur", "art", "sport", "heritage", "festival"),
    "disaster": ("disaster", "earthquake", "tsunami", "resilien", "reconstruction"),
    "health": ("health", "medical", "hospital", "welfare", "ageing", "aging"),
    "transport": ("transport", "air", "port", "logistic", "shipping"),
    "rights": ("rights", "suffrage", "foreign resident", "participation", "multicultural"),
    "agriculture": ("agricultur", "food", "fisher", "farm"),
    "technology": ("technolog", "innovation", "science", "research", "knowledge", "digital"),
}
"""Goals a user can ask for (``match --goal``), with the keywords that mark each in free text."""


def themes_of_text(text: str | None) -> set[str]:
    """The themes a free-text description mentions.

    >>> sorted(themes_of_text("environment / industrial pollution control"))
    ['environment', 'trade']
    """
    if not text:
        return set()
    low = text.lower()
    return {goal for goal, words in GOALS.items() if any(re.search(rf"\b{re.escape(w)}", low) for w in words)}


def actor_themes(registry: Registry, actor_ids: np.ndarray) -> dict[int, set[str]]:
    """Themes of each actor that has any: its strategies, its overseas offices' focus, its coalitions."""
    found: dict[int, set[str]] = {}
    with registry.reader() as session:
        for actor_id, themes in session.execute(select(Strategy.actor_id, Strategy.themes)):
            found.setdefault(actor_id, set()).update(*(themes_of_text(t) for t in themes or []))
        for actor_id, focus in session.execute(
            select(OfficeOwner.actor_id, Office.focus).join(Office, Office.id == OfficeOwner.office_id)
        ):
            found.setdefault(actor_id, set()).update(*(themes_of_text(t) for t in focus or []))
        for actor_id, area in session.execute(
            select(CoalitionMember.actor_id, Coalition.issue_area).join(
                Coalition, Coalition.id == CoalitionMember.coalition_id
            )
        ):
            found.setdefault(actor_id, set()).update(themes_of_text(area))
    wanted = {int(a) for a in actor_ids}
    return {a: t for a, t in found.items() if a in wanted and t}

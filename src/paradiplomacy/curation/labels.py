"""Records named as people name them: a tie as ``新潟市–Galveston (姉妹)``, an actor by its name in
the reader's language, an office or a strategy by its name or title; actor ids shown as names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.curation.checks import ACTOR_FIELDS
from paradiplomacy.i18n import normal_lang, translate, vocabulary
from paradiplomacy.resolve.ranking import japanese_form
from paradiplomacy.store.schema import Actor, ActorName, Coalition

__all__ = ["actor_ids", "actor_labels", "name_in", "record_label"]


def name_in(lang: str, name_en: str | None, name_ja: str | None, key: str) -> str:
    """The name a reader of ``lang`` knows: Japanese first for ``ja``, English first otherwise."""
    first, second = (name_ja, name_en) if normal_lang(lang) == "ja" else (name_en, name_ja)
    return first or second or key


def actor_ids(*states: dict[str, Any] | None) -> set[int]:
    """The actor ids the actor fields of these record states hold."""
    found: set[int] = set()
    for state in states:
        for name, value in (state or {}).items():
            if name in ACTOR_FIELDS and value is not None:
                found.update(v for v in (value if isinstance(value, list) else [value]) if isinstance(v, int))
    return found


def actor_labels(session: Session, ids: Iterable[int], lang: str) -> dict[int, str]:
    """Actor id -> its name in ``lang`` (an id that names nobody any more keeps ``#id``)."""
    wanted = sorted(set(ids))
    found = {i: f"#{i}" for i in wanted}
    unnamed: list[int] = []
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(Actor.id, Actor.name_en, Actor.name_ja, Actor.key).where(
                Actor.id.in_(wanted[start : start + 500])
            )
        )
        for actor_id, name_en, name_ja, key in rows:
            found[actor_id] = name_in(lang, name_en, name_ja, key)
            if normal_lang(lang) == "ja" and not name_ja:
                unnamed.append(actor_id)
    for actor_id, form in _japanese_forms(session, unnamed).items():
        found[actor_id] = form
    return found


def _japanese_forms(session: Session, ids: list[int]) -> dict[int, str]:
    """For actors without a Japanese name, the Japanese form among their other names (フェアバンクス),
    as search shows them."""
    names: dict[int, list[str]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(
            select(ActorName.actor_id, ActorName.name)
            .where(ActorName.actor_id.in_(ids[start : start + 500]))
            .order_by(ActorName.id)
        )
        for actor_id, name in rows:
            names.setdefault(actor_id, []).append(name)
    return {i: form for i, found in names.items() if (form := japanese_form(found))}


def record_label(
    session: Session, entity: str, entity_id: int, state: dict[str, Any] | None, lang: str
) -> str:
    """How a reader names the record ``state`` describes (its last state, for a deleted one)."""
    state = state or {}
    names = actor_labels(session, actor_ids(state), lang)
    if entity == "tie":
        pair = f"{names.get(state.get('subject_id'), '?')}–{names.get(state.get('object_id'), '?')}"
        return f"{pair} ({vocabulary(state.get('kind'), lang)})" if state.get("kind") else pair
    if entity == "actor":
        return name_in(lang, state.get("name_en"), state.get("name_ja"), state.get("key") or f"#{entity_id}")
    if entity == "office":
        owners = "・".join(names[i] for i in state.get("owners") or [] if i in names)
        name = state.get("name") or state.get("key") or f"#{entity_id}"
        return f"{name} ({owners})" if owners else name
    if entity == "strategy":
        title = name_in(lang, state.get("title"), state.get("title_ja"), f"#{entity_id}")
        actor = names.get(state.get("actor_id"))
        return f"{actor}: {title}" if actor else title
    if entity == "coalition_member":
        coalition = session.scalar(select(Coalition.name).where(Coalition.id == state.get("coalition_id")))
        return f"{coalition or '?'}: {names.get(state.get('actor_id'), '?')}"
    return f"{translate(entity, lang)} #{entity_id}"

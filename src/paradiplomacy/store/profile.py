"""Read-side queries: an actor's full profile with the sources of every fact."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from paradiplomacy.store.schema import (
    Actor,
    ActorName,
    Adoption,
    BudgetLine,
    Citation,
    Coalition,
    CoalitionMember,
    Office,
    OfficeOwner,
    Programme,
    Source,
    Strategy,
    Tie,
)
from paradiplomacy.store.succession import codes_of, former_label, predecessors, successors


def citations(session: Session, entity: str, ids: Iterable[int]) -> dict[int, list[str]]:
    """Human-readable citations (``key, locator`` or ``file, row N``) for records of one table."""
    ids = list(ids)
    found: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return found
    rows = session.execute(
        select(Citation.entity_id, Source.key, Source.kind, Source.title, Citation.locator,
               Citation.row)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.entity == entity, Citation.entity_id.in_(ids))
        .order_by(Citation.id)
    )
    for entity_id, key, kind, title, locator, row in rows:
        found[entity_id].append(format_citation(key, kind, title, locator, row))
    return found


def format_citation(key: str, kind: str, title: str | None, locator: str, row: int) -> str:
    """One citation as text."""
    if kind == "import":
        return f"{title or key}, row {row}"
    locator = locator.removeprefix(f"{key}, ").removeprefix(f"{key} ")  # "takao2003, section X"
    return f"{key}, {locator}" if locator else key


def _actor_brief(actor: Actor | None) -> dict[str, Any] | None:
    if actor is None:
        return None
    return {"id": actor.id, "key": actor.key, "name": actor.label, "kind": actor.kind,
            "country": actor.country}


def actor_profile(session: Session, actor_id: int) -> dict[str, Any]:
    """Everything the registry holds about one actor, each fact with its sources."""
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise KeyError(actor_id)
    profile: dict[str, Any] = {
        "id": actor.id, "key": actor.key, "kind": actor.kind, "name_en": actor.name_en,
        "name_ja": actor.name_ja, "name_kana": actor.name_kana, "country": actor.country,
        "lg_code": actor.lg_code, "lg_type": actor.lg_type, "lat": actor.lat, "lon": actor.lon,
        "population": actor.population, "population_year": actor.population_year,
        "founded": actor.founded, "dissolved": actor.dissolved, "note": actor.note,
        "parent": _actor_brief(actor.parent), "codes": codes_of(session, actor.id),
        "names": list(session.scalars(select(ActorName.name).where(ActorName.actor_id == actor.id))),
        "children": session.scalar(select(func.count()).where(Actor.parent_id == actor.id)),
        "sources": citations(session, "actor", [actor.id]).get(actor.id, []),
    }
    profile["successors"] = successors(session, actor.id) if actor.dissolved else []
    profile["predecessors"] = predecessors(session, actor.id)
    profile["ties"] = _ties(session, actor.id) + _ties_via(session, profile["predecessors"])
    profile["offices"] = _offices(session, actor.id)
    profile["hosted_offices"] = _offices(session, actor.id, hosted=True)
    profile["strategies"] = _records(session, Strategy, "strategy", Strategy.actor_id == actor.id,
                                     ("title", "title_ja", "adopted", "revised", "pillars", "themes"))
    profile["budgets"] = _records(session, BudgetLine, "budget_line",
                                  BudgetLine.actor_id == actor.id,
                                  ("fiscal_year", "category", "amount", "currency"))
    profile["programmes"] = _records(session, Programme, "programme",
                                     or_(Programme.actor_id == actor.id,
                                         Programme.partner_id == actor.id),
                                     ("key", "name", "kind", "start", "end"))
    profile["adoptions"] = _records(session, Adoption, "adoption", Adoption.actor_id == actor.id,
                                    ("policy", "date"))
    profile["coalitions"] = _coalitions(session, actor.id)
    return profile


def _records(session: Session, model, entity: str, where, fields: tuple[str, ...]
             ) -> list[dict[str, Any]]:
    rows = list(session.scalars(select(model).where(where).order_by(model.id)))
    cited = citations(session, entity, [r.id for r in rows])
    return [{**{f: getattr(r, f) for f in fields}, "note": r.note, "sources": cited.get(r.id, [])}
            for r in rows]


def _ties(session: Session, actor_id: int) -> list[dict[str, Any]]:
    ties = list(session.scalars(
        select(Tie).where(or_(Tie.subject_id == actor_id, Tie.object_id == actor_id))
        .order_by(Tie.start, Tie.id)
    ))
    cited = citations(session, "tie", [t.id for t in ties])
    result = []
    for tie in ties:
        other = tie.object if tie.subject_id == actor_id else tie.subject
        result.append({
            "id": tie.id, "kind": tie.kind, "direction": "out" if tie.subject_id == actor_id else "in",
            "other": _actor_brief(other), "role": tie.role or None, "start": tie.start,
            "end": tie.end, "status": tie.status, "note": tie.note, "sources": cited.get(tie.id, []),
            "via": None,
        })
    return result


def _ties_via(session: Session, formers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The ties of former bodies that became this actor, each with ``via`` (``旧清水市``),
    ``via_key``, ``merged`` (the former body's end date) and ``main_line`` (false when this actor
    is not the successor the tie is counted for, see ``analysis.succession``)."""
    result = []
    for former in formers:
        for tie in _ties(session, former["id"]):
            tie.update(via=former_label(former["name_ja"], former["key"]), via_key=former["key"],
                       merged=former["date"], reached=former["reached"],
                       main_line=former["main_line"])
            result.append(tie)
    return result


def _offices(session: Session, actor_id: int, *, hosted: bool = False) -> list[dict[str, Any]]:
    """The overseas offices the actor owns, or (``hosted``) those located in it (Seoul)."""
    query = (select(Office).where(Office.city_id == actor_id) if hosted else
             select(Office).join(OfficeOwner).where(OfficeOwner.actor_id == actor_id))
    offices = list(session.scalars(query.order_by(Office.opened, Office.key)))
    cited = citations(session, "office", [o.id for o in offices])
    return [{
        "key": o.key, "name": o.name, "city": _actor_brief(o.city), "country": o.country,
        "opened": o.opened, "closed": o.closed, "model": o.model, "functions": o.functions,
        "focus": o.focus, "owners": [_actor_brief(w.actor) for w in o.owners], "note": o.note,
        "sources": cited.get(o.id, []),
    } for o in offices]


def _coalitions(session: Session, actor_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(CoalitionMember, Coalition).join(Coalition)
        .where(CoalitionMember.actor_id == actor_id).order_by(Coalition.key)
    ).all()
    cited = citations(session, "coalition_member", [m.id for m, _ in rows])
    return [{"coalition": c.key, "name": c.name, "role": m.role or None,
             "sources": cited.get(m.id, [])} for m, c in rows]

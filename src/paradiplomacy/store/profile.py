"""Read-side queries: an actor's full profile with the sources of every fact."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from paradiplomacy.model.dates import existed_on, in_force, stored_date
from paradiplomacy.store.alternate_names import japanese_alternates
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
        select(Citation.entity_id, Source.key, Source.kind, Source.title, Citation.locator, Citation.row)
        .join(Source, Source.id == Citation.source_id)
        .where(Citation.entity == entity, Citation.entity_id.in_(ids))
        .order_by(Citation.id)
    )
    for entity_id, key, kind, title, locator, row in rows:
        found[entity_id].append(format_citation(key, kind, title, locator, row))
    return found


def format_citation(key: str, kind: str, title: str | None, locator: str, row: int) -> str:
    """One citation as text: the file and row of an imported or bundled list, the locator in a paper."""
    if kind == "import":
        return f"{title or key}, row {row}"
    locator = locator.removeprefix(f"{key}, ").removeprefix(f"{key} ")  # "takao2003, section X"
    if locator:
        return f"{key}, {locator}"
    return f"{key}, row {row}" if row else key


_BRIEF = (Actor.id, Actor.key, Actor.name_en, Actor.name_ja, Actor.kind, Actor.country)
_FIELDS = (
    "id",
    "key",
    "kind",
    "name_en",
    "name_ja",
    "name_kana",
    "country",
    "lg_code",
    "lg_type",
    "lat",
    "lon",
    "population",
    "population_year",
    "founded",
    "dissolved",
    "note",
)


def _label(key: str, name_en: str | None, name_ja: str | None) -> str:
    """:attr:`Actor.label` from the columns."""
    if name_en and name_ja and name_en != name_ja:
        return f"{name_en} ({name_ja})"
    return name_en or name_ja or key


def _briefs(session: Session, ids: set[int]) -> dict[int, dict[str, Any]]:
    """Id, key, label, names, kind and country of every actor in ``ids``; a foreign place without a
    Japanese name of its own takes one from its alternate names (ハルビン, ホノルル)."""
    if not ids:
        return {}
    rows = session.connection().execute(_BRIEFS, {"ids": sorted(ids)}).all()
    alternates = japanese_alternates(session, [i for i, _, _, ja, _, _ in rows if not ja])
    return {
        i: {
            "id": i,
            "key": key,
            "name": _label(key, en, ja),
            "name_en": en,
            "name_ja": ja or alternates.get(i),
            "kind": kind,
            "country": country,
        }
        for i, key, en, ja, kind, country in rows
    }


# The profile's fixed queries, built once and bound per call (about a third of the cost of building
# each statement anew; ``ids`` expand to the list given).
_ID, _IDS = bindparam("actor_id"), bindparam("ids", expanding=True)
_HEAD = select(*(getattr(Actor, f) for f in _FIELDS), Actor.parent_id).where(Actor.id == _ID)
_NAMES = select(ActorName.name).where(ActorName.actor_id == _ID)
_CHILDREN = select(func.count()).where(Actor.parent_id == _ID)
_BRIEFS = select(*_BRIEF).where(Actor.id.in_(_IDS))
_TIES = (
    select(
        Tie.id, Tie.kind, Tie.subject_id, Tie.object_id, Tie.role, Tie.start, Tie.end, Tie.status, Tie.note
    )
    .where(or_(Tie.subject_id.in_(_IDS), Tie.object_id.in_(bindparam("ids2", expanding=True))))
    .order_by(Tie.start, Tie.id)
)
_OFFICES = (
    select(
        Office.id,
        Office.key,
        Office.name,
        Office.city_id,
        Office.country,
        Office.opened,
        Office.closed,
        Office.model,
        Office.functions,
        Office.focus,
        Office.note,
    )
    .where(
        or_(
            Office.id.in_(select(OfficeOwner.office_id).where(OfficeOwner.actor_id == _ID)),
            Office.city_id == _ID,
        )
    )
    .order_by(Office.opened, Office.key)
)
_OWNERS = (
    select(OfficeOwner.office_id, OfficeOwner.actor_id)
    .where(OfficeOwner.office_id.in_(_IDS))
    .order_by(OfficeOwner.office_id, OfficeOwner.position)
)
_COALITIONS = (
    select(CoalitionMember.id, Coalition.key, Coalition.name, CoalitionMember.role)
    .join(Coalition)
    .where(CoalitionMember.actor_id == _ID)
    .order_by(Coalition.key)
)


def _record_query(model, where, fields: tuple[str, ...]) -> tuple[Any, tuple[str, ...]]:
    return (
        select(model.id, *(getattr(model, f) for f in fields), model.note).where(where).order_by(model.id),
        fields,
    )


_RECORDS = {
    "strategy": _record_query(
        Strategy, Strategy.actor_id == _ID, ("title", "title_ja", "adopted", "revised", "pillars", "themes")
    ),
    "budget_line": _record_query(
        BudgetLine, BudgetLine.actor_id == _ID, ("fiscal_year", "category", "amount", "currency")
    ),
    "programme": _record_query(
        Programme,
        or_(Programme.actor_id == _ID, Programme.partner_id == _ID),
        ("key", "name", "kind", "start", "end"),
    ),
    "adoption": _record_query(Adoption, Adoption.actor_id == _ID, ("policy", "date")),
}


class _Wanted:
    """What the records read so far point to: actors to describe and records whose sources to cite."""

    def __init__(self) -> None:
        self.actors: set[int] = set()
        self.cited: dict[str, set[int]] = defaultdict(set)


def _all_citations(session: Session, wanted: dict[str, set[int]]) -> dict[str, dict[int, list[str]]]:
    """:func:`citations` of records of several tables in one query."""
    found: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
    groups = [(entity, sorted(ids)) for entity, ids in wanted.items() if ids]
    if not groups:
        return found
    rows = session.execute(
        select(
            Citation.entity,
            Citation.entity_id,
            Source.key,
            Source.kind,
            Source.title,
            Citation.locator,
            Citation.row,
        )
        .join(Source, Source.id == Citation.source_id)
        .where(or_(*(and_(Citation.entity == entity, Citation.entity_id.in_(ids)) for entity, ids in groups)))
        .order_by(Citation.id)
    )
    for entity, entity_id, key, kind, title, locator, row in rows:
        found[entity][entity_id].append(format_citation(key, kind, title, locator, row))
    return found


def actor_profile(session: Session, actor_id: int) -> dict[str, Any]:
    """Everything the registry holds about one actor, each fact with its sources.

    A fixed number of queries whatever the actor's size (plus one per former body in its merger
    history): the records first, then every actor they name in one query and every citation in one.
    """
    run = session.connection().execute
    row = run(_HEAD, {"actor_id": actor_id}).first()
    if row is None:
        raise KeyError(actor_id)
    *values, parent_id = row
    wanted = _Wanted()
    wanted.cited["actor"].add(actor_id)
    if parent_id is not None:
        wanted.actors.add(parent_id)
    head = dict(zip(_FIELDS, values, strict=True))
    codes = codes_of(session, actor_id)
    names = list(run(_NAMES, {"actor_id": actor_id}).scalars())
    children = run(_CHILDREN, {"actor_id": actor_id}).scalar()
    heirs = successors(session, actor_id) if head["dissolved"] else []
    formers = predecessors(session, actor_id)
    ties = _ties(session, actor_id, formers, wanted)
    offices = _offices(session, actor_id, wanted)
    strategies, budgets, programmes, adoptions = (
        _records(session, entity, actor_id, wanted)
        for entity in ("strategy", "budget_line", "programme", "adoption")
    )
    coalitions = _coalitions(session, actor_id, wanted)
    briefs = _briefs(session, wanted.actors)
    cited = _all_citations(session, wanted.cited)

    def sourced(records: list[dict[str, Any]], entity: str) -> list[dict[str, Any]]:
        for record in records:
            record["sources"] = cited[entity].get(record.pop("_id"), [])
        return records

    for tie in ties:
        tie["other"] = briefs.get(tie["other"])
    for office, _, _ in offices:
        office["city"] = briefs.get(office["city"]) if office["city"] is not None else None
        office["owners"] = [briefs.get(owner) for owner in office["owners"]]
    sourced(ties, "tie")
    sourced([office for office, _, _ in offices], "office")
    return {
        **head,
        "parent": briefs.get(parent_id) if parent_id is not None else None,
        "codes": codes,
        "names": names,
        "children": children,
        "sources": cited["actor"].get(actor_id, []),
        "successors": heirs,
        "predecessors": formers,
        "ties": ties,
        "offices": [{**o} for o, owned, _ in offices if owned],
        "hosted_offices": [{**o} for o, _, hosted in offices if hosted],
        "strategies": sourced(strategies, "strategy"),
        "budgets": sourced(budgets, "budget_line"),
        "programmes": sourced(programmes, "programme"),
        "adoptions": sourced(adoptions, "adoption"),
        "coalitions": sourced(coalitions, "coalition_member"),
    }


def _records(session: Session, entity: str, actor_id: int, wanted: _Wanted) -> list[dict[str, Any]]:
    query, fields = _RECORDS[entity]
    rows = session.connection().execute(query, {"actor_id": actor_id}).all()
    wanted.cited[entity].update(r[0] for r in rows)
    return [{"id": r[0], **dict(zip(fields, r[1:-1], strict=True)), "note": r[-1], "_id": r[0]} for r in rows]


def _ties(
    session: Session, actor_id: int, formers: list[dict[str, Any]], wanted: _Wanted
) -> list[dict[str, Any]]:
    """The actor's ties, then those of each former body that became it, each with ``via``
    (``旧清水市``), ``via_key``, ``merged`` (the former body's end date), ``reached`` and ``main_line``
    (false when this actor is not the successor the tie is counted for, see ``analysis.succession``);
    ``other`` is the partner's id until the briefs are read."""
    owners = [actor_id, *(f["id"] for f in formers)]
    rows = session.connection().execute(_TIES, {"ids": owners, "ids2": owners}).all()
    by_owner: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for tie_id, kind, subject, obj, role, start, end, status, note in rows:
        for owner in dict.fromkeys((subject, obj)):
            if owner not in owners:
                continue
            other = obj if subject == owner else subject
            by_owner[owner].append(
                {
                    "id": tie_id,
                    "kind": kind,
                    "direction": "out" if subject == owner else "in",
                    "other": other,
                    "role": role or None,
                    "start": start,
                    "end": end,
                    "status": status,
                    "note": note,
                    "_id": tie_id,
                    "via": None,
                }
            )
            wanted.actors.add(other)
            wanted.cited["tie"].add(tie_id)
    result = by_owner.get(actor_id, [])
    for former in formers:
        for tie in by_owner.get(former["id"], []):
            tie.update(
                via=former_label(former["name_ja"], former["key"]),
                via_key=former["key"],
                merged=former["date"],
                reached=former["reached"],
                main_line=former["main_line"],
            )
            result.append(tie)
    return result


def _offices(session: Session, actor_id: int, wanted: _Wanted) -> list[tuple[dict[str, Any], bool, bool]]:
    """The overseas offices the actor owns or that are located in it (Seoul), each with whether it
    is owned and whether hosted; ``city`` and ``owners`` are ids until the briefs are read."""
    run = session.connection().execute
    rows = run(_OFFICES, {"actor_id": actor_id}).all()
    owners: dict[int, list[int]] = defaultdict(list)
    if rows:
        for office_id, owner in run(_OWNERS, {"ids": [r[0] for r in rows]}):
            owners[office_id].append(owner)
            wanted.actors.add(owner)
    result = []
    for office_id, key, name, city, country, opened, closed, model, functions, focus, note in rows:
        wanted.cited["office"].add(office_id)
        if city is not None:
            wanted.actors.add(city)
        result.append(
            (
                {
                    "id": office_id,
                    "key": key,
                    "name": name,
                    "city": city,
                    "country": country,
                    "opened": opened,
                    "closed": closed,
                    "model": model,
                    "functions": functions,
                    "focus": focus,
                    "owners": owners[office_id],
                    "note": note,
                    "_id": office_id,
                },
                actor_id in owners[office_id],
                city == actor_id,
            )
        )
    return result


def _coalitions(session: Session, actor_id: int, wanted: _Wanted) -> list[dict[str, Any]]:
    rows = session.connection().execute(_COALITIONS, {"actor_id": actor_id}).all()
    wanted.cited["coalition_member"].update(r[0] for r in rows)
    return [
        {"id": member_id, "coalition": key, "name": name, "role": role or None, "_id": member_id}
        for member_id, key, name, role in rows
    ]


def as_of_view(profile: dict[str, Any], day: dt.date) -> tuple[dict[str, Any], list[str]]:
    """The profile as it stood on ``day``, with notes on what was left out.

    Predecessors count from the day their line reached the actor (清水市 for 静岡市 from
    2003-04-01); ties are those in force on that day (start on or before it, no end before it),
    held directly or through a predecessor that had reached the actor by then. A tie without a start
    date cannot be placed in time and is left out, as ``ties --as-of`` does; the notes say how many
    and whether the actor itself existed on that day."""
    iso = day.isoformat()
    notes = []
    if not existed_on(profile.get("founded"), profile.get("dissolved"), day):
        if profile.get("dissolved") and profile["dissolved"] <= iso:
            heirs = ", ".join(f"{h['name']} ({h['date']})" for h in profile.get("successors") or [])
            notes.append(
                f"did not exist on {iso}: ended {profile['dissolved']}" + (f", into {heirs}" if heirs else "")
            )
        else:
            notes.append(f"did not exist on {iso}: founded {profile['founded']}")
    formers = [p for p in profile.get("predecessors") or [] if (p.get("reached") or p["date"]) <= iso]
    held = [t for t in profile["ties"] if t.get("via") is None or (t.get("reached") or t["merged"]) <= iso]
    undated = [t for t in held if stored_date(t["start"], last=False) is None]
    current = [t for t in held if in_force(t["start"], t["end"], day)]
    notes.append(
        f"{len(current):,} of {len(profile['ties']):,} ties in force on {iso}"
        + (f"; {len(undated):,} without a start date left out" if undated else "")
    )
    return {**profile, "predecessors": formers, "ties": current, "as_of": iso}, notes

"""Collect a coalition's records and match them against a rubric's signal selectors.

A signal (see ``rubrics/README.md``) names one record source (``members``, ``events``, ``ties``,
``programmes``, ``adoptions``, ``coalition``) and a ``where`` filter; each matching record is an
:class:`~paradiplomacy.frameworks.evidence.EvidenceItem` with its citations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.frameworks.evidence import RubricError
from paradiplomacy.store.profile import citations
from paradiplomacy.store.schema import Actor, Adoption, Coalition, Programme, Tie

__all__ = ["CoalitionRecords", "collect_records", "match_signal", "tidy_sources"]

SOURCES = ("members", "events", "ties", "programmes", "adoptions", "coalition")


@dataclass
class CoalitionRecords:
    """Everything the registry holds that bears on one coalition, as plain rows."""

    coalition: dict[str, Any]
    actors: dict[int, dict[str, Any]]
    roles: dict[int, set[str]]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _actor_row(actor: Actor) -> dict[str, Any]:
    return {"id": actor.id, "key": actor.key, "name": actor.label, "kind": actor.kind}


def collect_records(session: Session, coalition: Coalition) -> CoalitionRecords:
    """The coalition's members, events, and the ties, programmes, adoptions among its members."""
    roles: dict[int, set[str]] = {}
    actors: dict[int, dict[str, Any]] = {}
    members = []
    for member in coalition.members:
        roles.setdefault(member.actor_id, set()).add(member.role)
        actors[member.actor_id] = _actor_row(member.actor)
        members.append(
            {
                "entity": "coalition_member",
                "id": member.id,
                "actor": member.actor_id,
                "role": member.role,
                "date": None,
                "text": f"Member: {member.actor.label} as {member.role or 'member'}",
            }
        )
    ids = set(roles)
    event_actor_ids = {a for event in coalition.events for a in (event.actor_ids or [])} - ids
    for actor in session.scalars(select(Actor).where(Actor.id.in_(event_actor_ids))):
        actors[actor.id] = _actor_row(actor)
    events = []
    for event in coalition.events:
        names = ", ".join(actors[a]["name"] for a in event.actor_ids or [] if a in actors)
        channel = f" [{event.channel}]" if event.channel and event.channel != "none" else ""
        events.append(
            {
                "entity": "coalition_event",
                "id": event.id,
                "date": event.date,
                "title": event.title,
                "channel": event.channel or "none",
                "actors": list(event.actor_ids or []),
                "text": f"Event: {event.title}{channel} ({names})",
            }
        )
    ties = []
    for tie in session.scalars(select(Tie).where(Tie.subject_id.in_(ids), Tie.object_id.in_(ids))):
        role = f" - {tie.role}" if tie.role else ""
        ties.append(
            {
                "entity": "tie",
                "id": tie.id,
                "kind": tie.kind,
                "subject": tie.subject_id,
                "object": tie.object_id,
                "date": tie.start,
                "text": f"Tie ({tie.kind}): {tie.subject.label} -> {tie.object.label}{role}",
            }
        )
    programmes = []
    for programme in session.scalars(
        select(Programme).where(Programme.actor_id.in_(ids), Programme.partner_id.in_(ids))
    ):
        programmes.append(
            {
                "entity": "programme",
                "id": programme.id,
                "kind": programme.kind,
                "actor": programme.actor_id,
                "name": programme.name,
                "date": programme.start,
                "text": f"Programme ({programme.kind}): {programme.name}",
            }
        )
    adoptions = []
    for adoption in session.scalars(select(Adoption).where(Adoption.actor_id.in_(ids))):
        adoptions.append(
            {
                "entity": "adoption",
                "id": adoption.id,
                "policy": adoption.policy,
                "actor": adoption.actor_id,
                "date": adoption.date,
                "text": f"Adoption: {adoption.actor.label} - {adoption.policy}",
            }
        )
    record = {
        "entity": "coalition",
        "id": coalition.id,
        "key": coalition.key,
        "name": coalition.name,
        "scope": coalition.scope or "",
        "issue_area": coalition.issue_area or "",
        "date": coalition.started,
        "text": f"Coalition: scope {coalition.scope or 'not given'}; issue {coalition.issue_area}",
    }
    found = CoalitionRecords(
        record,
        actors,
        roles,
        {
            "members": members,
            "events": events,
            "ties": ties,
            "programmes": programmes,
            "adoptions": adoptions,
            "coalition": [record],
        },
    )
    _add_citations(session, found)
    return found


def _add_citations(session: Session, found: CoalitionRecords) -> None:
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for rows in found.rows.values():
        for row in rows:
            by_entity.setdefault(row["entity"], []).append(row)
    for entity, rows in by_entity.items():
        cited = citations(session, entity, [row["id"] for row in rows])
        for row in rows:
            row["sources"] = tidy_sources(cited.get(row["id"], []))


def tidy_sources(found: list[str]) -> list[str]:
    """Drop bare keys also cited with a locator and a locator's repeat of its key; keep order."""
    keep = []
    for text in found:
        if "," not in text and any(other.startswith(f"{text}, ") for other in found):
            continue
        key, _, rest = text.partition(", ")
        if rest.startswith(f"{key}, "):
            text = rest
        if text not in keep:
            keep.append(text)
    return keep


def _any_text(text: str, words: list[str]) -> bool:
    low = text.lower()
    return any(word.lower() in low for word in words)


def _has_role(found: CoalitionRecords, actor_id: int | None, wanted: list[str]) -> bool:
    return actor_id is not None and bool(found.roles.get(actor_id, set()) & set(wanted))


def _kind(found: CoalitionRecords, actor_id: int) -> str:
    return found.actors.get(actor_id, {}).get("kind", "")


def _match_event(found: CoalitionRecords, row: dict[str, Any], where: dict[str, Any]) -> bool:
    actors = row["actors"]
    if "channel" in where and row["channel"] not in where["channel"]:
        return False
    if "title_any" in where and not _any_text(row["title"], where["title_any"]):
        return False
    if "actors_kind" in where and not any(_kind(found, a) in where["actors_kind"] for a in actors):
        return False
    if "actors_kind_none" in where and any(_kind(found, a) in where["actors_kind_none"] for a in actors):
        return False
    if "actors_role_any" in where and not any(_has_role(found, a, where["actors_role_any"]) for a in actors):
        return False
    return all(any(_has_role(found, a, group) for a in actors) for group in where.get("actors_role_all", []))


def _match(found: CoalitionRecords, source: str, row: dict[str, Any], where: dict[str, Any]) -> bool:
    if source == "events":
        return _match_event(found, row, where)
    checks: list[tuple[str, Any]] = []
    if source == "members":
        checks = [("role", row["role"]), ("actor_kind", _kind(found, row["actor"]))]
    elif source == "ties":
        checks = [
            ("kind", row["kind"]),
            ("subject_kind", _kind(found, row["subject"])),
            ("object_kind", _kind(found, row["object"])),
        ]
        for end in ("subject", "object"):
            if f"{end}_role" in where and not _has_role(found, row[end], where[f"{end}_role"]):
                return False
    elif source == "programmes":
        checks = [("kind", row["kind"])]
        if "title_any" in where and not _any_text(row["name"], where["title_any"]):
            return False
    elif source == "adoptions":
        checks = [("policy", row["policy"])]
    elif source == "coalition":
        checks = [("scope", row["scope"])]
        if "issue_any" in where and not _any_text(row["issue_area"], where["issue_any"]):
            return False
    if (
        source in ("programmes", "adoptions")
        and "actor_role" in where
        and not _has_role(found, row["actor"], where["actor_role"])
    ):
        return False
    return all(value in where[name] for name, value in checks if name in where)


def match_signal(found: CoalitionRecords, name: str, signal: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of ``found`` that the rubric signal ``name`` selects."""
    source = signal.get("from")
    if source not in SOURCES:
        raise RubricError(f"signal {name!r}: 'from' must be one of {', '.join(SOURCES)}")
    where = signal.get("where") or {}
    return [row for row in found.rows[source] if _match(found, source, row, where)]

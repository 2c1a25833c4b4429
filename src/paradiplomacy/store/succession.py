"""Read-side queries on municipal history: codes an actor held, its successors and predecessors.

A former municipality (``Actor.dissolved`` set) has one ``succession`` row per successor; a body
split between several successors (上九一色村 → 甲府市 and 富士河口湖町) has several, ``position`` 0
first. Predecessors are followed transitively: 静岡市's include every body that merged into it and
the bodies that had merged into those.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.store.schema import Actor, ActorCode, Succession

__all__ = ["MAX_DEPTH", "actors_by_code", "codes_of", "former_label", "predecessors", "successors"]

MAX_DEPTH = 12  # longest chain of changes followed (real chains since 1970 are 1-3 steps)


def former_label(name_ja: str | None, fallback: str = "") -> str:
    """A former body as Japanese lists write it: ``旧清水市`` (a county prefix is kept)."""
    return f"旧{name_ja}" if name_ja else fallback


def _brief(actor: Actor) -> dict[str, Any]:
    return {
        "id": actor.id,
        "key": actor.key,
        "name": actor.label,
        "name_ja": actor.name_ja,
        "lg_code": actor.lg_code,
        "lg_type": actor.lg_type,
        "dissolved": actor.dissolved,
    }


def successors(session: Session, actor_id: int) -> list[dict[str, Any]]:
    """The direct successors of a former body, ``position`` 0 first, with date and change type."""
    heir = aliased(Actor)
    rows = session.execute(
        select(Succession, heir)
        .join(heir, heir.id == Succession.successor_id)
        .where(Succession.predecessor_id == actor_id)
        .order_by(Succession.position, Succession.id)
    ).all()
    return [
        {
            **_brief(actor),
            "date": s.date,
            "change_type": s.change_type,
            "change_type_ja": s.change_type_ja,
            "position": s.position,
        }
        for s, actor in rows
    ]


def predecessors(session: Session, actor_id: int) -> list[dict[str, Any]]:
    """Every body that ended into this one, directly or through other former bodies.

    Each entry has the predecessor's brief, ``date`` and ``change_type`` of its own ending,
    ``position`` (0 when this line is its first successor), ``through`` (the former bodies between
    it and this actor, nearest first) and ``reached`` (the date the line reached this actor).
    A designated city's predecessors include its wards': e-Stat records a town absorbed into the
    city as merged into the ward that took its area (蒲原町 into 静岡市清水区, 2006), and the ward
    is then named in ``through``.
    """
    found: list[dict[str, Any]] = []
    seen = {actor_id}
    frontier: list[tuple[int, list[dict[str, Any]], str | None, bool]] = [(actor_id, [], None, True)]
    wards = session.execute(
        select(Actor).where(
            Actor.parent_id == actor_id, Actor.kind == ActorKind.WARD.value, Actor.dissolved.is_(None)
        )
    ).scalars()
    frontier += [(ward.id, [{"name_ja": ward.name_ja or ward.label}], None, True) for ward in wards]
    pred = aliased(Actor)
    for _depth in range(MAX_DEPTH):
        if not frontier:
            break
        nxt = []
        for target, path, reached, main in frontier:
            rows = session.execute(
                select(Succession, pred)
                .join(pred, pred.id == Succession.predecessor_id)
                .where(Succession.successor_id == target)
                .order_by(Succession.date, pred.name_ja)
            ).all()
            for step, actor in rows:
                if actor.id in seen:
                    continue
                seen.add(actor.id)
                arrival = reached or step.date
                entry = {
                    **_brief(actor),
                    "date": step.date,
                    "change_type": step.change_type,
                    "change_type_ja": step.change_type_ja,
                    "position": step.position,
                    "main_line": main and step.position == 0,
                    "through": [p["name_ja"] for p in reversed(path)],
                    "reached": arrival,
                }
                found.append(entry)
                nxt.append((actor.id, [*path, entry], arrival, main and step.position == 0))
        frontier = nxt
    found.sort(key=lambda p: (p["date"], p["name_ja"] or ""))
    return found


def codes_of(session: Session, actor_id: int) -> list[dict[str, Any]]:
    """Every code an actor held, oldest first, with its period (``valid_until`` None: in force)."""
    rows = session.scalars(
        select(ActorCode).where(ActorCode.actor_id == actor_id).order_by(ActorCode.valid_from, ActorCode.code)
    )
    return [{"code": r.code, "valid_from": r.valid_from, "valid_until": r.valid_until} for r in rows]


def actors_by_code(session: Session, code: str) -> list[int]:
    """Actors that held a 6-digit code, the one holding it now first, then by latest holding.

    The code in ``Actor.lg_code`` (today's code) comes before ``actor_code`` history; a code held by
    several bodies in turn (a number reused after a merger) lists the most recent holder first.
    """
    current = session.scalar(select(Actor.id).where(Actor.lg_code == code))
    rows = session.execute(
        select(ActorCode.actor_id, ActorCode.valid_until).where(ActorCode.code == code)
    ).all()
    ordered = [r.actor_id for r in rows if r.valid_until is None]
    ordered += [
        r.actor_id
        for r in sorted(
            (r for r in rows if r.valid_until is not None), key=lambda r: r.valid_until, reverse=True
        )
    ]
    if current is not None:
        ordered.insert(0, current)
    return list(dict.fromkeys(ordered))

"""Read-side queries on the unresolved queue: imported rows kept aside, with why and what they name."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from paradiplomacy.store.schema import Source, UnresolvedDecision, UnresolvedRow

__all__ = [
    "DECISIONS",
    "STATUSES",
    "decisions_for",
    "reason_group",
    "record_digest",
    "record_names",
    "unresolved_rows",
    "unresolved_summary",
]

DECISIONS = ("picked", "created", "rejected")
"""What a curator can decide for a queued row; a row without a decision is ``open``."""
STATUSES = ("open", *DECISIONS, "all")

_NAME_FIELD = re.compile(r"name|city|actor|subject|object|partner|owner|member|country|place")
_DETAIL = re.compile(r"['\"“‘(\d]")


def record_names(record: dict[str, Any]) -> str:
    """The names a record gives (``Adelaide, Australia / Himeji, Japan``), in field order.

    Fields are grouped by their trailing digit (``city1``/``country1``), so a pair row reads as
    its two places; coordinates and other values are left out.
    """
    groups: dict[str, list[str]] = {}
    for field, value in record.items():
        if isinstance(value, str) and value.strip() and _NAME_FIELD.search(field.lower()):
            groups.setdefault(field[-1] if field[-1].isdigit() else "", []).append(value.strip())
    return " / ".join(", ".join(parts) for parts in groups.values())


def record_digest(record: dict[str, Any]) -> str:
    """The digest of a queued row's values: a decision holds for the row only while they are the same."""
    text = json.dumps(record or {}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def decisions_for(session: Session, source_ids: set[int]) -> dict[tuple[int, int, str], UnresolvedDecision]:
    """The decisions taken on these sources' rows, by (source id, row, digest); none in a registry
    made before the decision table (it is created on the first decision)."""
    if not source_ids or not inspect(session.connection()).has_table(UnresolvedDecision.__tablename__):
        return {}
    query = select(UnresolvedDecision).where(UnresolvedDecision.source_id.in_(source_ids))
    return {(d.source_id, d.row, d.digest): d for d in session.scalars(query)}


def _sources_named(session: Session, text: str) -> list[int]:
    """Sources whose key, title or title's stem is ``text`` (``ties`` is ``ties.csv``, even with
    nothing queued); else those whose key or title contains it."""
    sources = session.execute(select(Source.id, Source.key, Source.title)).all()
    exact = [i for i, key, title in sources if text in (key, title, PurePath(title or "").stem)]
    return exact or [i for i, key, title in sources if text in key or text in (title or "")]


def reason_group(reason: str) -> str:
    """A reason without its particulars, for counting: ``ambiguous 'Ikeda' in JP`` -> ``ambiguous``."""
    head = _DETAIL.split(reason, maxsplit=1)[0]
    return head.strip(" :;,-") or reason


def unresolved_rows(
    session: Session,
    *,
    source: str | None = None,
    field: str | None = None,
    reason: str | None = None,
    status: str = "open",
    row_id: int | None = None,
) -> list[dict[str, Any]]:
    """The queued rows, by source and row; ``source`` matches a source's key, title or file name
    without its extension exactly, else a part of a key or title; ``field`` exactly, ``reason`` as
    a case-insensitive substring; ``status`` is ``open`` (no decision yet), a decision
    (:data:`DECISIONS`) or ``all``; ``row_id`` one queue entry."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    query = (
        select(UnresolvedRow, Source)
        .join(Source, Source.id == UnresolvedRow.source_id)
        .order_by(Source.key, UnresolvedRow.row)
    )
    if row_id is not None:
        query = query.where(UnresolvedRow.id == row_id)
    if source:
        query = query.where(Source.id.in_(_sources_named(session, source)))
    if field:
        query = query.where(UnresolvedRow.field == field)
    if reason:
        query = query.where(func.lower(UnresolvedRow.reason).contains(reason.lower()))
    found = session.execute(query).all()
    decided = decisions_for(session, {u.source_id for u, _ in found})
    rows = []
    for u, s in found:
        decision = decided.get((u.source_id, u.row, record_digest(u.record or {})))
        state = decision.decision if decision is not None else "open"
        if status not in ("all", state):
            continue
        rows.append(
            {
                "id": u.id,
                "source": s.key,
                "source_title": s.title,
                "row": u.row,
                "kind": u.kind,
                "field": u.field,
                "reason": u.reason,
                "reason_group": reason_group(u.reason),
                "candidates": list(u.candidates or []),
                "names": record_names(u.record or {}),
                "record": dict(u.record or {}),
                "status": state,
                "decision": None
                if decision is None
                else {
                    "by": decision.user,
                    "at": decision.at,
                    "choice": decision.choice,
                    "tie_id": decision.tie_id,
                    "note": decision.note,
                },
            }
        )
    return rows


def unresolved_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many rows per reason (without its particulars) and field, most frequent first."""
    counts = Counter((reason_group(r["reason"]), r["field"]) for r in rows)
    return [{"reason": reason, "field": field, "rows": n} for (reason, field), n in counts.most_common()]

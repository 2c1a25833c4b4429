"""Read-side queries on the unresolved queue: imported rows kept aside, with why and what they name."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from paradiplomacy.store.schema import Source, UnresolvedRow

__all__ = ["reason_group", "record_names", "unresolved_rows", "unresolved_summary"]

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
    session: Session, *, source: str | None = None, field: str | None = None, reason: str | None = None
) -> list[dict[str, Any]]:
    """The queued rows, by source and row; ``source`` matches a source's key, title or file name
    without its extension exactly, else a part of a key or title; ``field`` exactly, ``reason`` as
    a case-insensitive substring."""
    query = (
        select(UnresolvedRow, Source)
        .join(Source, Source.id == UnresolvedRow.source_id)
        .order_by(Source.key, UnresolvedRow.row)
    )
    if source:
        query = query.where(Source.id.in_(_sources_named(session, source)))
    if field:
        query = query.where(UnresolvedRow.field == field)
    if reason:
        query = query.where(func.lower(UnresolvedRow.reason).contains(reason.lower()))
    return [
        {
            "source": s.key,
            "source_title": s.title,
            "row": u.row,
            "kind": u.kind,
            "field": u.field,
            "reason": u.reason,
            "candidates": list(u.candidates or []),
            "names": record_names(u.record or {}),
            "record": dict(u.record or {}),
        }
        for u, s in session.execute(query)
    ]


def unresolved_summary(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many rows per reason (without its particulars) and field, most frequent first."""
    counts = Counter((reason_group(r["reason"]), r["field"]) for r in rows)
    return [{"reason": reason, "field": field, "rows": n} for (reason, field), n in counts.most_common()]

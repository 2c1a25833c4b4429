"""The unresolved queue's write side: rows a partial import rejected, kept with why and what they
name so that they can be reviewed later (``paradiplomacy unresolved``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import delete, insert

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.store.schema import UnresolvedRow

__all__ = ["queued_row", "replace_queue"]


def queued_row(
    kind: str, row: int, field: str, reason: str, candidates: tuple[str, ...], record: dict[str, Any]
) -> dict[str, Any]:
    """One queue entry: the rejected row's number, field, reason, candidates and its values."""
    return {
        "row": row,
        "kind": kind,
        "field": field,
        "reason": reason,
        "record": {
            k: v.isoformat() if isinstance(v, (dt.date, dt.time)) else v  # a spreadsheet's date cell
            for k, v in record.items()
            if v not in (None, "", [], {})
        },
        "candidates": list(candidates),
    }


def replace_queue(ctx: LoadContext, queued: list[dict[str, Any]]) -> None:
    """Replace the file's entries in the unresolved queue with this import's rejections."""
    ctx.session.execute(delete(UnresolvedRow).where(UnresolvedRow.source_id == ctx.file_source.id))
    if queued:
        ctx.session.execute(
            insert(UnresolvedRow.__table__), [{**q, "source_id": ctx.file_source.id} for q in queued]
        )

"""The unresolved queue's write side: rows a partial import rejected, kept with why and what they
name so that they can be reviewed later (``paradiplomacy unresolved``); and the importer's part in
working the queue (:mod:`paradiplomacy.curation.queue`): loading a queued row again with a curator's
choice, creating the place it names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.fields import country as country_field
from paradiplomacy.ingest.loaders import create_place
from paradiplomacy.ingest.readers import RawFile, RawRow
from paradiplomacy.ingest.report import Rejection
from paradiplomacy.resolve.directory import HOME_COUNTRY, ActorDirectory
from paradiplomacy.resolve.ranking import is_japanese_script
from paradiplomacy.store.schema import Source, UnresolvedRow

__all__ = [
    "CREATABLE",
    "create_queued_place",
    "load_queued_row",
    "queued_row",
    "replace_queue",
]


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


#: the reference fields a place can be created for, per queued kind, and the field of its country
CREATABLE = {
    "pair": {"city1": "country1", "city2": "country2"},
    "tie": {"subject": "subject_country", "object": "object_country"},
}


def load_queued_row(
    session: Session, kind: str, source: Source, row: int, record: dict[str, Any]
) -> list[Rejection]:
    """Load one queued row's values (``record``) through the importer, cited to the queued row's
    ``source`` and ``row`` (the caller commits or rolls back); the rejections, empty when it loaded."""
    from paradiplomacy.ingest.importer import import_records  # the importer imports this module

    raw = RawFile(Path(source.title or source.key), "json", "utf-8", [RawRow(row, record)], kind=kind)
    return import_records(session, raw, kind, partial=True, source=source, queue=False).rejections


def create_queued_place(
    session: Session, source: Source, kind: str, field: str, record: dict[str, Any], row: int
) -> int:
    """Create the foreign place a queued row names in ``field`` (a pair's ``city1``/``city2``, a
    tie's ``subject``/``object``) as ``import --create-missing`` creates one: its name, country and,
    for a pair, the side's coordinates; cited to the queued row. Raise :class:`FieldError` when the
    row gives no name or country, or names a Japanese place (the gazetteer holds them all)."""
    creatable = CREATABLE.get(kind, {})
    if field not in creatable:
        fields = "; ".join(f"{k}: {', '.join(names)}" for k, names in CREATABLE.items())
        raise FieldError(field, f"a place is created only for the fields {fields}")
    name = str(record.get(field) or "").strip()
    country = country_field(creatable[field], record.get(creatable[field]))
    if country == HOME_COUNTRY or (country is None and is_japanese_script(name)):
        raise FieldError(
            field, f"{name!r} is Japanese: the gazetteer holds every Japanese local government, pick one"
        )
    if not name or country is None:
        missing = "name" if not name else "country"
        raise FieldError(field, f"the row gives no {missing} for {field}: no place can be created from it")
    side = field[-1] if kind == "pair" else ""
    lat, lon = (record.get(f"lat{side}"), record.get(f"lng{side}")) if side else (None, None)
    ctx = LoadContext(session, ActorDirectory(session), source)
    return create_place(ctx, name, country, lat, lon, row)

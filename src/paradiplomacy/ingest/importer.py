"""Transactional import of one file: all rows or none (or, with ``partial``, the good rows)."""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import ImportFailure
from paradiplomacy.ingest.office.headings import IGNORED, HeadingReader, parse_columns
from paradiplomacy.ingest.pairs import load_pairs
from paradiplomacy.ingest.queue import queued_row, replace_queue
from paradiplomacy.ingest.readers import RawFile, read_file
from paradiplomacy.ingest.report import ImportReport, Rejection
from paradiplomacy.ingest.restore import export_tables, restore_tables
from paradiplomacy.ingest.rows import load_row
from paradiplomacy.ingest.specs import parse_kind_map, spec_for
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.registry import (
    Registry,
)
from paradiplomacy.store.schema import Source

Progress = Callable[[int, int], None]


class _Abort(Exception):
    """Raised inside the transaction to roll it back."""


def import_file(
    registry: Registry,
    path: str | Path,
    kind: str | None = None,
    *,
    partial: bool = False,
    dry_run: bool = False,
    create_missing: bool = False,
    tie_kind: str = "twinning",
    progress: Progress | None = None,
    levels: bool = True,
    level_by: str = "name",
    allow_overwrite_builtin: bool = False,
    prefer: str | None = None,
    sheet: str | None = None,
    columns: str | Mapping[str, str] | None = None,
    kind_map: str | Mapping[str, str] | None = None,
    tie_kind_default: str | None = None,
) -> ImportReport:
    """Import ``path`` as records of ``kind`` (or the kind the file declares).

    A CSV or spreadsheet's headings may be Japanese (see :mod:`.headings`) and lie under a title
    line; ``columns`` maps other headings (``{"見出し": "field"}`` or ``"見出し=field,…"``),
    ``sheet`` picks a spreadsheet's sheet (the first by default) and ``kind_map`` maps other
    words of a tie's kind (``"経済交流=business_partner"``); ``tie_kind_default`` is the kind of
    every tie of a list without a kind column (a list of sister cities only).

    Nothing is stored unless every row loads, except with ``partial`` (good rows kept, rejected pair
    rows queued in ``unresolved_row``) and never with ``dry_run``. A dry run is the real import,
    rolled back at the end, so it reports exactly what the import would do. ``levels`` applies the
    level rule to Japanese names in pair lists; ``level_by="coordinates"`` lets a row's point choose
    between namesakes of different levels (see :mod:`.japanese_rules`). Built-in records are only changed with
    ``allow_overwrite_builtin``. A row naming a tie the registry holds enriches it (see :mod:`.ties`);
    a value it contradicts is settled by ``prefer`` (``new`` or ``old``), or the row is refused.
    Raises :class:`ImportFailure` for problems with the file as a whole
    and :class:`DatabaseUnavailable` when the database refuses (locked, read-only, full).
    """
    tables = export_tables(path, kind)
    if tables is not None:  # an export of this tool: restore it, table by table
        registry.require_initialised()
        return restore_tables(
            registry,
            path,
            tables,
            partial=partial,
            dry_run=dry_run,
            allow_overwrite_builtin=allow_overwrite_builtin,
        )
    raw = read_file(path, sheet=sheet, headings=_heading_reader(path, kind, columns))
    registry.require_initialised()
    report = ImportReport(str(path), "", dry_run=dry_run, partial=partial)
    try:
        with registry.session() as session:
            report = import_records(
                session,
                raw,
                kind,
                partial=partial,
                dry_run=dry_run,
                create_missing=create_missing,
                tie_kind=tie_kind,
                progress=progress,
                levels=levels,
                level_by=level_by,
                allow_overwrite_builtin=allow_overwrite_builtin,
                prefer=prefer,
                kind_map=kind_map,
                tie_kind_default=tie_kind_default,
            )
            if dry_run or (report.rejections and not partial) or not report.loaded:
                raise _Abort  # nothing of a file whose rows all failed is kept, not even its source
            report.committed = True
    except _Abort:
        report.committed = False
    return report


def import_records(
    session: Session,
    raw: RawFile,
    kind: str | None = None,
    *,
    partial: bool = False,
    dry_run: bool = False,
    create_missing: bool = False,
    tie_kind: str = "twinning",
    progress: Progress | None = None,
    directory: ActorDirectory | None = None,
    levels: bool = True,
    level_by: str = "name",
    source: Source | None = None,
    queue: bool | None = None,
    allow_overwrite_builtin: bool = False,
    prefer: str | None = None,
    kind_map: str | Mapping[str, str] | None = None,
    tie_kind_default: str | None = None,
) -> ImportReport:
    """Load the records of a read file inside ``session`` (the caller commits or rolls back).

    ``source`` cites the rows to a given source instead of the file itself; ``queue`` keeps
    rejected rows in ``unresolved_row`` (default: with ``partial``); ``prefer`` settles values that
    contradict a stored tie (``new``, ``old``; None refuses the row)."""
    if prefer not in (None, "new", "old"):
        raise ValueError(f"prefer must be 'new', 'old' or None, not {prefer!r}")
    kind_name = kind or raw.kind
    if not kind_name:
        raise ImportFailure(raw.path, "no kind given: pass --kind (or put `kind:` at the top of the file)")
    try:
        spec = spec_for(kind_name)
        declared = spec_for(raw.kind).name if raw.kind else spec.name
    except KeyError as error:
        raise ImportFailure(raw.path, str(error.args[0])) from None
    if declared != spec.name:
        raise ImportFailure(raw.path, f"the file declares kind {raw.kind!r} but --kind is {kind!r}")
    if tie_kind_default and spec.name == "tie" and "kind" not in raw.columns:
        raw.defaults = {**raw.defaults, "kind": tie_kind_default}
    _check_columns(raw, spec)
    _map_kinds(raw, spec, kind_map)
    report = ImportReport(
        str(raw.path), spec.name, raw.encoding, rows=len(raw.rows), dry_run=dry_run, partial=partial
    )
    if raw.headings is not None:
        report.sheet, report.heading_row, report.columns = (
            raw.sheet or "",
            raw.headings.row,
            raw.headings.mapping,
        )
    ctx = LoadContext(
        session,
        directory or ActorDirectory(session),
        source or _file_source(session, raw),
        create_missing=create_missing,
        tie_kind=tie_kind,
        allow_overwrite_builtin=allow_overwrite_builtin,
        prefer=prefer,
    )
    if spec.name == "pair":
        load_pairs(
            ctx,
            raw,
            spec,
            report,
            progress,
            levels=levels,
            level_by=level_by,
            queue=partial if queue is None else queue,
        )
    else:
        _load_rows(ctx, raw, spec, report, progress)
        if partial if queue is None else queue:
            values = {row.number: row.data for row in raw.rows}
            replace_queue(
                ctx,
                [
                    queued_row(spec.name, r.row, r.field, r.reason, r.candidates, values.get(r.row, {}))
                    for r in report.rejections
                ],
            )
    report.conflicts = [replace(c, file=report.file) for c in ctx.conflicts]
    report.changes = [replace(c, file=report.file) for c in ctx.changes]
    report.rejections.sort(key=lambda r: r.row)  # file order (a stable sort keeps a row's fields in order)
    if raw.headings is not None:
        report.rejections = located(raw, report.rejections)
    return report


def _load_rows(ctx: LoadContext, raw: RawFile, spec, report: ImportReport, progress: Progress | None) -> None:
    for done, row in enumerate(raw.rows, start=1):
        data = {**raw.defaults, **{k: v for k, v in row.data.items() if v is not None and v != ""}}
        load_row(ctx, spec, data, row.number, report, str(raw.path))
        if progress is not None:
            progress(done, len(raw.rows))


def _heading_reader(
    path: str | Path, kind: str | None, columns: str | Mapping[str, str] | None
) -> HeadingReader | None:
    """How the headings of a CSV or spreadsheet of ``kind`` are read (``None`` without a kind)."""
    try:
        spec = spec_for(kind) if kind else None
    except KeyError:
        spec = None  # import_records names the unknown kind
    if spec is None:
        if columns:
            raise ImportFailure(path, "--columns needs --kind")
        return None
    try:
        extra = parse_columns(columns, spec) if isinstance(columns, str) or columns is None else dict(columns)
    except ValueError as error:
        raise ImportFailure(path, str(error)) from None
    return HeadingReader(spec, extra)


def _check_columns(raw: RawFile, spec) -> None:
    if raw.headings is None:
        return
    heads = raw.headings
    pairs = zip(heads.written, heads.fields, strict=True)
    unknown = [w for w, f in pairs if w and f != IGNORED and not spec.accepts(f or w)]
    missing = sorted(f for f in spec.required if f not in raw.columns and f not in raw.defaults)
    if unknown or missing:
        parts = []
        if unknown:
            parts.append(f"unknown column(s) {', '.join(unknown)}")
        if missing:
            parts.append(f"missing required column(s) {', '.join(missing)}")
        known = ", ".join(spec.fields)
        hint = f'; map a heading with --columns "{unknown[0]}=FIELD"' if unknown else ""
        if "kind" in missing and spec.name == "tie":
            hint += "; for a list without a kind column, pass --tie-kind sister (or friendship, twinning)"
        raise ImportFailure(
            raw.path,
            f"{'; '.join(parts)} for kind {spec.name!r} in the headings on row {heads.row} "
            f"(fields: {known}{hint})",
            row=heads.row,
            sheet=raw.sheet,
        )


def _map_kinds(raw: RawFile, spec, kind_map: str | Mapping[str, str] | None) -> None:
    """Replace the kinds ``kind_map`` names (``--kind-map "経済交流=business_partner"``)."""
    if not kind_map or "kind" not in spec.fields:
        return
    try:
        words = parse_kind_map(kind_map) if isinstance(kind_map, str) else dict(kind_map)
    except ValueError as error:
        raise ImportFailure(raw.path, str(error)) from None
    folded = {unicodedata.normalize("NFKC", k).strip(): v for k, v in words.items()}
    for row in raw.rows:
        value = row.data.get("kind")
        if isinstance(value, str) and (found := folded.get(unicodedata.normalize("NFKC", value).strip())):
            row.data["kind"] = found


def located(raw: RawFile, rejections: list[Rejection]) -> list[Rejection]:
    """Rejections with the sheet, the column's heading as written and the cell's value."""
    values = {row.number: row.data for row in raw.rows}
    found = []
    for r in rejections:
        base = r.field.removesuffix("_parent") if r.field.endswith("_parent") else r.field
        value = values.get(r.row, {}).get(r.field, values.get(r.row, {}).get(base))
        found.append(
            replace(
                r,
                sheet=raw.sheet or "",
                heading=raw.heading_of(r.field) if r.field != "-" else "",
                value="" if value is None else str(value),
            )
        )
    return found


def _file_source(session: Session, raw: RawFile) -> Source:
    digest = hashlib.sha256(raw.path.read_bytes()).hexdigest()[:16]
    key = f"file:{raw.path.name}:{digest}"
    source = session.scalar(select(Source).where(Source.key == key))
    if source is None:
        source = Source(
            key=key, kind="import", title=raw.path.name, note=f"imported file {raw.path} (sha256 {digest}…)"
        )
        session.add(source)
        session.flush()
    return source

"""Importing this tool's own exports: a JSON export, a CSV export directory or one of its tables.

Each exported row becomes a record of the matching kind and passes the same validation and loaders
as any import (inside a savepoint per row); references are followed by key only, never by fuzzy
name, and each record is cited to exactly the sources its ``sources`` column lists, so
``export`` followed by ``import`` into a registry built by ``init`` gives back the same registry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import select

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import FieldError, ImportFailure
from paradiplomacy.ingest.readers import parse_json, read_file, read_json_document
from paradiplomacy.ingest.report import ImportReport, Rejection
from paradiplomacy.ingest.rows import load_row
from paradiplomacy.ingest.specs import SPECS, spec_for
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Citation

TABLE_KIND = {
    "source": "source",
    "actor": "actor",
    "coalition": "coalition",
    "office": "office",
    "tie": "tie",
    "strategy": "strategy",
    "budget_line": "budget",
    "programme": "programme",
    "adoption": "adoption",
    "coalition_member": "coalition_member",
    "coalition_event": "coalition_event",
    "observation": "observation",
}
"""Restorable tables in load order (what a record refers to is loaded before it)."""
COMPANIONS = ("office_owner",)
IGNORED = ("actor_name", "citation", "meta")
"""Tables an export may hold that are rebuilt rather than restored."""
JSON_COLUMNS = {
    "office": ("functions", "focus"),
    "strategy": ("revised", "pillars", "themes"),
    "coalition_event": ("actor_ids", "actor_keys"),
    "observation": ("dimensions",),
}
"""Columns a CSV export writes as JSON text."""
RENAMED = {
    "parent_key": "parent",
    "subject_key": "subject",
    "object_key": "object",
    "city_key": "city",
    "actor_key": "actor",
    "partner_key": "partner",
    "coalition_key": "coalition",
    "actor_keys": "actors",
}
_CITATION = re.compile(r"^(?P<key>.+?)(?: \((?P<locator>.*)\))?(?: row (?P<row>\d+))?$")


class _Abort(Exception):
    """Rolls the restore back (dry run, or rejections without ``partial``)."""


def export_tables(path: str | Path, kind: str | None = None) -> dict[str, list[dict]] | None:
    """The tables of an export at ``path``, or None when ``path`` is an ordinary import file."""
    path = Path(path)
    if path.is_dir():
        tables = {
            name: _csv_rows(path / f"{name}.csv", name)
            for name in (*TABLE_KIND, *COMPANIONS)
            if (path / f"{name}.csv").is_file()
        }
        if not tables:
            raise ImportFailure(
                path,
                "a directory is imported as a CSV export, but it holds no "
                "<table>.csv file (actor.csv, tie.csv, ...)",
            )
        return _only(tables, kind, path)
    suffix = path.suffix.lower()
    if suffix == ".csv" and path.stem in (*TABLE_KIND, *COMPANIONS) and path.is_file():
        try:
            raw = read_file(path)
        except ImportFailure:  # not an export's table (an office's list with a title line): import it
            return None
        marker = "office_id" if path.stem in COMPANIONS else "id"
        if marker in raw.columns and (
            path.stem in COMPANIONS or "sources" in raw.columns or path.stem == "source"
        ):
            return _only({path.stem: [_from_csv(path.stem, row.data) for row in raw.rows]}, kind, path)
        return None
    if suffix == ".json" and path.is_file() and _mentions_tables(path):
        document = read_json_document(path)
        if isinstance(document, Mapping) and "tables" in document and "meta" in document:
            return _only(_json_tables(path, document["tables"]), kind, path)
    return None


def _mentions_tables(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return b'"tables"' in handle.read(1 << 16) or b'"tables"' in path.read_bytes()[-(1 << 16) :]
    except OSError:
        return False


def _only(tables: dict[str, list[dict]], kind: str | None, path: Path) -> dict[str, list[dict]]:
    if kind is None:
        return tables
    try:
        wanted = spec_for(kind).name
    except KeyError as error:
        raise ImportFailure(path, str(error.args[0])) from None
    names = [t for t in tables if TABLE_KIND.get(t) == wanted]
    if not names:
        raise ImportFailure(path, f"this export holds no {wanted!r} records (tables: {', '.join(tables)})")
    return {name: rows for name, rows in tables.items() if name in names or name in COMPANIONS}


def _json_tables(path: Path, tables: Any) -> dict[str, list[dict]]:
    if not isinstance(tables, Mapping):
        raise ImportFailure(path, "'tables' of an export must be a mapping of table names to lists")
    unknown = [str(t) for t in tables if t not in TABLE_KIND and t not in COMPANIONS and t not in IGNORED]
    if unknown:
        raise ImportFailure(path, f"unknown table(s) {', '.join(unknown)[:200]} in the export")
    result: dict[str, list[dict]] = {}
    for name, rows in tables.items():
        if name in IGNORED:
            continue
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            raise ImportFailure(path, f"table {name!r} must be a list of records")
        result[name] = [{str(k): v for k, v in row.items()} for row in rows]
    return result


def _csv_rows(path: Path, name: str) -> list[dict[str, Any]]:
    return [_from_csv(name, row.data) for row in read_file(path).rows]


def _from_csv(name: str, row: dict[str, Any]) -> dict[str, Any]:
    """A CSV export row with its JSON-text columns parsed (a bad one is kept for the row's error)."""
    out = dict(row)
    for column in JSON_COLUMNS.get(name, ()):
        value = out.get(column)
        if isinstance(value, str) and value.strip():
            try:
                out[column] = parse_json(value)
            except (ValueError, RecursionError):
                out[column] = _BadJson(column)
    return out


class _BadJson:
    def __init__(self, column: str) -> None:
        self.column = column


class _KeyDirectory:
    """Resolves actor references by key only: an export names every actor by its key."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def by_key(self, key: str) -> int | None:
        return self.session.scalar(select(Actor.id).where(Actor.key == key))

    def resolve(self, field: str, ref: str, *, country: str | None = None, near: Any = None, **_: Any) -> int:
        """The actor an export names by its key (exports name every actor by key: no tie-breaking)."""
        found = self.by_key(ref)
        if found is None:
            raise FieldError(field, f"no actor with key {ref!r} (export and import its actor)")
        return found

    def register(self, actor: Actor, names: list[str]) -> None:
        """Nothing to cache: keys are looked up in the database."""


class _RestoreContext(LoadContext):
    """Cites each record to the sources its exported ``sources`` column lists, nothing else."""

    citations: list[tuple[str, str, int]]

    def cite(self, entity: str, entity_id: int, record: dict[str, Any], row: int) -> bool:
        added = False
        for key, locator, cited_row in getattr(self, "citations", []):
            source = self.source(key)
            exists = self.session.scalar(
                select(Citation.id).where(
                    Citation.source_id == source.id,
                    Citation.entity == entity,
                    Citation.entity_id == entity_id,
                    Citation.locator == locator,
                    Citation.row == cited_row,
                )
            )
            if exists is None:
                self.session.add(
                    Citation(
                        source_id=source.id,
                        entity=entity,
                        entity_id=entity_id,
                        locator=locator,
                        row=cited_row,
                    )
                )
                added = True
        return added

    def forget_rolled_back(self) -> None:
        self._countries.clear()


def parse_sources(text: Any) -> list[tuple[str, str, int]]:
    """``key (locator) row N|...`` (the export's ``sources`` column) as (key, locator, row)."""
    if text is None or text == "":
        return []
    if not isinstance(text, str):
        raise FieldError("sources", f"expected text, got {type(text).__name__}")
    found = []
    for part in text.split("|"):
        match = _CITATION.match(part.strip())
        if not match:
            raise FieldError("sources", f"not a citation: {part[:60]!r}")
        row = int(match["row"]) if match["row"] else 0
        if row > 2**31:
            raise FieldError("sources", f"row out of range in {part[:60]!r}")
        found.append((match["key"], match["locator"] or "", row))
    return found


def _record(table: str, row: dict[str, Any], owners: dict[str, list[str]]) -> dict[str, Any]:
    """The import record of one exported row (fields of the kind only; empty values dropped)."""
    spec = SPECS[TABLE_KIND[table]]
    for value in row.values():
        if isinstance(value, _BadJson):
            raise FieldError(value.column, "not valid JSON text")
    data = {RENAMED.get(k, k): v for k, v in row.items()}
    if table == "coalition_member":
        data["member"] = data.pop("actor", None)
    if table == "office":
        key = data.get("key")
        data["owners"] = owners.get(key, []) if isinstance(key, str) else []
    if table == "budget_line":
        data["unit"] = "yen"
    return {k: v for k, v in data.items() if k in spec.fields and v is not None and v != "" and v != []}


def _owners(rows: list[dict[str, Any]]) -> dict[str, list[str]]:
    grouped: dict[str, list[tuple[int, str]]] = {}
    for row in rows:
        office, actor = row.get("office_key"), row.get("actor_key")
        if not isinstance(office, str) or not isinstance(actor, str):
            continue
        try:
            position = int(row.get("position") or 0)
        except (TypeError, ValueError):
            position = 0
        grouped.setdefault(office, []).append((position, actor))
    return {office: [a for _, a in sorted(items)] for office, items in grouped.items()}


def restore_tables(
    registry: Registry,
    path: str | Path,
    tables: dict[str, list[dict]],
    *,
    partial: bool = False,
    dry_run: bool = False,
    allow_overwrite_builtin: bool = False,
) -> ImportReport:
    """Load exported tables in dependency order, all or nothing (or the good rows with
    ``partial``); outcomes are counted per table (``actor unchanged``, ``tie added``, ...)."""
    rows_total = sum(len(rows) for name, rows in tables.items() if name in TABLE_KIND)
    report = ImportReport(str(path), "export", "utf_8", rows=rows_total, dry_run=dry_run, partial=partial)
    owners = _owners(tables.get("office_owner", []))
    try:
        with registry.session() as session:
            ctx = _RestoreContext(
                session,
                _KeyDirectory(session),
                None,  # type: ignore[arg-type]
                allow_overwrite_builtin=allow_overwrite_builtin,
            )
            for table, kind in TABLE_KIND.items():
                spec = SPECS[kind]
                for number, row in enumerate(tables.get(table, []), start=1):
                    where = f"{path}#{table}"
                    try:
                        ctx.citations = parse_sources(row.get("sources"))
                        data = _record(table, row, owners)
                    except FieldError as error:
                        report.rejections.append(Rejection(where, number, error.field, error.reason))
                        continue
                    load_row(ctx, spec, data, number, report, where, outcome_prefix=f"{table} ")
            if dry_run or (report.rejections and not partial) or not report.loaded:
                raise _Abort
            report.committed = True
    except _Abort:
        report.committed = False
    return report

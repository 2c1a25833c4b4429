"""Exporting the registry, or a selection of it, as CSV, JSON, GraphML, GEXF or Parquet.

* ``csv`` — a directory: ``<table>.csv`` per table (UTF-8; JSON columns as JSON text; a
  ``sources`` column on record rows) and ``ties_readable.csv`` (names, codes and countries of both
  ends; UTF-8 with BOM so that spreadsheets show Japanese names).
* ``parquet`` — a directory: ``<table>.parquet`` per table; list columns as Arrow lists, mappings
  as JSON text.
* ``json`` — one file: ``{"meta": {...}, "tables": {table: [record, ...]}}``.
* ``xlsx`` — one workbook: a readable ties sheet (names in both scripts, date cells; headings and
  labels in ``lang``), then a sheet per table (see :mod:`.xlsx`).
* ``graphml`` / ``gexf`` — one file: the network of :func:`to_graph`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd
from sqlalchemy import JSON, URL

from paradiplomacy import __version__
from paradiplomacy.export.frames import (
    ALL_TABLES,
    DEFAULT_TABLES,
    EVERYTHING,
    TABLES,
    ExportError,
    ExportSelection,
    records,
    tables_as_frames,
)
from paradiplomacy.export.graph import gexf_ready, to_graph
from paradiplomacy.model.text import json_ready
from paradiplomacy.store.registry import Registry

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = [
    "ALL_TABLES",
    "DEFAULT_TABLES",
    "EVERYTHING",
    "FORMATS",
    "ExportError",
    "ExportSelection",
    "export_registry",
    "public_url",
    "tables_as_frames",
    "to_graph",
]

FORMATS = ("csv", "json", "graphml", "gexf", "parquet", "xlsx")
DIRECTORY_FORMATS = frozenset({"csv", "parquet"})
READABLE_TIES = "ties_readable.csv"
_JSON_COLUMNS = {
    name: {c.name for c in table.columns if isinstance(c.type, JSON)} for name, table in TABLES.items()
}
_JSON_COLUMNS["coalition_event"] = _JSON_COLUMNS["coalition_event"] | {"actor_keys"}


def export_registry(
    registry: Registry,
    out: str | os.PathLike[str],
    format: str,
    selection: ExportSelection = EVERYTHING,
    *,
    reshape: Callable[[nx.MultiDiGraph], nx.MultiDiGraph] | None = None,
    lang: str = "en",
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write the selection in ``format`` to ``out`` (a directory for csv/parquet, else a file);
    ``reshape`` changes the graph of the graph formats before it is written (a dated snapshot);
    ``lang`` is the language of the xlsx ties sheet, ``progress(done, total)`` follows its rows.

    Returns the paths written. Raises :class:`ExportError` for an unknown format, table, tie kind
    or country code, an ``out`` of the wrong sort (file vs directory), or a registry without tables.
    """
    if format not in FORMATS:
        raise ExportError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    selection = selection.checked()
    path = Path(out)
    _check_out(path, directory=format in DIRECTORY_FORMATS)
    _check_not_registry(registry, path, format)
    if format == "parquet":  # the optional [parquet] extra: missing, nothing is made
        import pyarrow.parquet  # noqa: F401
    if format == "csv":  # the actor rows name the ends in ties_readable.csv, even if not written
        wanted = selection.tables or DEFAULT_TABLES
        frames = tables_as_frames(registry, replace(selection, tables=(*wanted, "actor")))
        return _write_csv({name: frames[name] for name in wanted}, _made(path), frames["actor"])
    if format == "parquet":
        frames = tables_as_frames(registry, selection)
        return _write_parquet(frames, _made(path))
    _made(path.parent)
    if format == "xlsx":  # the ties sheet names both ends and titles the sources
        from paradiplomacy.export.xlsx import write_xlsx

        wanted = selection.tables or DEFAULT_TABLES
        frames = tables_as_frames(registry, replace(selection, tables=(*wanted, "actor", "source")))
        tables = {name: frames[name] for name in wanted}
        return [
            _atomic(
                path,
                lambda tmp: write_xlsx(
                    tmp,
                    tables,
                    frames["actor"],
                    frames["source"],
                    json_columns=_JSON_COLUMNS,
                    lang=lang,
                    progress=progress,
                ),
            )
        ]
    if format == "json":
        frames = tables_as_frames(registry, selection)
        meta = {
            "generator": f"paradiplomacy {__version__}",
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "registry": public_url(registry.engine.url),
            "selection": selection.as_dict(),
            "counts": {name: len(frame) for name, frame in frames.items()},
        }
        document = {"meta": meta, "tables": {name: records(frame) for name, frame in frames.items()}}
        text = json.dumps(json_ready(document), ensure_ascii=False, default=str, allow_nan=False)
        return [_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", errors="backslashreplace"))]
    graph = to_graph(registry, selection)
    if reshape is not None:
        graph = reshape(graph)
    if format == "graphml":
        return [_atomic(path, lambda tmp: nx.write_graphml(graph, tmp, encoding="utf-8"))]
    return [_atomic(path, lambda tmp: nx.write_gexf(gexf_ready(graph), tmp, encoding="utf-8"))]


def public_url(url: URL) -> str:
    """The database URL with any password masked."""
    return url.render_as_string(hide_password=True)


def _check_out(out: Path, *, directory: bool) -> None:
    """Refuse an ``out`` of the wrong sort before anything is read or written."""
    if directory and out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file; csv and parquet exports need a directory")
    if not directory and out.is_dir():
        raise ExportError(f"{out} is a directory; this format writes one file")
    if out.exists() and not out.is_dir() and not out.is_file():
        raise ExportError(
            f"{out} is not a regular file (a device, pipe or socket): "
            "exports are written to a temporary file and moved over the output"
        )


def _check_not_registry(registry: Registry, out: Path, format: str) -> None:
    """Refuse an output that would overwrite the registry file (or its journal files)."""
    database = registry.sqlite_path
    if database is None:
        return
    protected = {Path(f"{database.resolve()}{suffix}") for suffix in ("", "-wal", "-shm", "-journal")}
    if format in DIRECTORY_FORMATS:
        suffix = ".csv" if format == "csv" else ".parquet"
        targets = [out / f"{name}{suffix}" for name in ALL_TABLES] + [out / READABLE_TIES, out]
    else:
        targets = [out]
    for target in targets:
        if target.resolve() in protected:
            raise ExportError(f"{target} is the registry itself: choose another output path")


def _made(directory: Path) -> Path:
    """``directory``, created with its parents when missing."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ExportError(f"cannot create directory {directory}: {exc.strerror or exc}") from exc
    return directory


def _atomic(path: Path, write: Callable[[Path], Any]) -> Path:
    """Write through a temporary sibling so a failed export leaves no half-written file."""
    tmp = path.with_name(f".{path.stem}.partial{path.suffix}")  # keeps .gz for networkx
    try:
        write(tmp)
        tmp.replace(path)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _write_csv(frames: dict[str, pd.DataFrame], directory: Path, actors: pd.DataFrame) -> list[Path]:
    written = []
    for name, frame in frames.items():
        frame = frame.copy()
        for column in _JSON_COLUMNS.get(name, set()) & set(frame.columns):
            frame[column] = frame[column].map(
                lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
            )
        path = directory / f"{name}.csv"
        written.append(
            _atomic(
                path, lambda tmp, f=frame: f.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
            )
        )
    if "tie" in frames:
        readable = _spreadsheet_safe(_readable_ties(frames["tie"], actors))
        written.append(
            _atomic(
                directory / READABLE_TIES,
                lambda tmp: readable.to_csv(tmp, index=False, encoding="utf-8-sig", lineterminator="\n"),
            )
        )
    return written


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """Text a spreadsheet would run as a formula (``=HYPERLINK(...)``) quoted with a leading ``'``;
    only for the file meant for spreadsheets, the table files keep the data as stored."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or str(frame[column].dtype) == "string":
            frame[column] = frame[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return frame


def _readable_ties(ties: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per tie with both ends named, for spreadsheet users."""
    columns = ["key", "name_en", "name_ja", "lg_code", "country", "kind"]
    table = pd.DataFrame({"id": ties["id"], "kind": ties["kind"], "role": ties["role"]})
    lookup = actors[columns].drop_duplicates("key").set_index("key")
    for end in ("subject", "object"):
        keys = ties[f"{end}_key"]
        table[f"{end}_key"] = keys
        for column in columns[1:]:
            table[f"{end}_{column}"] = keys.map(lookup[column]).astype("string")
    for column in ("start", "end", "status", "sources", "note"):
        table[column] = ties[column]
    return table


def _write_parquet(frames: dict[str, pd.DataFrame], directory: Path) -> list[Path]:
    import pyarrow.parquet as pq  # lazy: the optional [parquet] extra

    written = []
    for name, frame in frames.items():
        arrow = _arrow_table(frame, _JSON_COLUMNS.get(name, set()))
        written.append(_atomic(directory / f"{name}.parquet", lambda tmp, t=arrow: pq.write_table(t, tmp)))
    return written


def _arrow_table(frame: pd.DataFrame, json_columns: set[str]) -> pa.Table:
    """Nullable columns as Arrow types; lists of str/int as Arrow lists, anything else JSON text."""
    import pyarrow as pa

    plain = frame.drop(columns=[c for c in frame.columns if c in json_columns])
    table = pa.Table.from_pandas(plain, preserve_index=False)
    for position, column in enumerate(frame.columns):
        if column in json_columns:
            table = table.add_column(position, column, _arrow_json(frame[column].tolist()))
    return table


def _arrow_json(values: list[Any]) -> pa.Array:
    import pyarrow as pa

    present = [v for v in values if v is not None]
    if all(isinstance(v, list) for v in present):
        items = [i for v in present for i in v]
        if all(isinstance(i, str) for i in items):
            return pa.array(values, type=pa.list_(pa.string()))
        if all(isinstance(i, int) and not isinstance(i, bool) for i in items):
            return pa.array(values, type=pa.list_(pa.int64()))
    return pa.array(
        [None if v is None else json.dumps(v, ensure_ascii=False) for v in values], type=pa.string()
    )

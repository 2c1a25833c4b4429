"""``init``: create the schema and fill it with the gazetteers and the cited corpus in one transaction."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.orm import Session

from paradiplomacy.corpus.files import corpus_files
from paradiplomacy.corpus.gazetteer import load_gazetteers
from paradiplomacy.corpus.pair_lists import PAIR_LISTS
from paradiplomacy.ingest.importer import import_records
from paradiplomacy.ingest.readers import read_file
from paradiplomacy.ingest.report import ImportReport
from paradiplomacy.ingest.validate import record_builtin
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.registry import SCHEMA_VERSION, Registry, RegistryError
from paradiplomacy.store.schema import Base, Source

Stage = Callable[[str, int, int], None]


class CorpusError(RegistryError):
    """A bundled corpus file has rows that do not load (a packaging defect)."""


class AlreadyInitialised(RegistryError):
    """``init`` on a database that is already filled (use ``reset``)."""


def initialise(
    registry: Registry, *, reset: bool = False, stage: Stage | None = None, pair_lists: bool = True
) -> dict[str, int]:
    """Create and fill the registry; return counts of what was loaded.

    Nothing existing is lost unless the new registry is complete: a SQLite file is built beside the
    target and moved over it at the end; a server database is dropped, created and filled in one
    transaction. ``pair_lists=False`` leaves out the bundled twinning lists. Raises
    :class:`AlreadyInitialised` unless ``reset``, and :class:`CorpusError` when the corpus does not
    load cleanly.
    """
    if registry.is_initialised() and not reset:
        raise AlreadyInitialised(f"{registry.display_url} is already initialised (use --reset to rebuild it)")
    report = stage or (lambda _name, _done, _total: None)
    target = registry.sqlite_path
    if target is None:
        with registry.session() as session:
            if reset:
                Base.metadata.drop_all(session.connection())
            Base.metadata.create_all(session.connection())
            return _fill(registry, session, report, pair_lists)
    if target.exists() and not target.is_file():
        raise RegistryError(f"{target} is not a file: give --db a file path")
    staging_path = target.with_name(target.name + ".building")
    _remove_sqlite(staging_path)
    staging = Registry(staging_path)
    try:
        staging.create_schema()
        with staging.session() as session:
            counts = _fill(staging, session, report, pair_lists)
    except BaseException:
        staging.engine.dispose()
        _remove_sqlite(staging_path)
        raise
    staging.engine.dispose()
    registry.engine.dispose()
    _remove_sqlite(target, keep_main=True)
    os.replace(staging_path, target)
    return counts


def _fill(registry: Registry, session: Session, report: Stage, pair_lists: bool = True) -> dict[str, int]:
    counts = load_gazetteers(session, report)
    session.flush()
    directory = ActorDirectory(session)
    reports: list[ImportReport] = []
    files = corpus_files()
    for done, (kind, path) in enumerate(files, start=1):
        report(f"corpus: {path.name}", done - 1, len(files))
        reports.append(import_records(session, read_file(path), kind, directory=directory))
    report("corpus", len(files), len(files))
    rejected = [str(r) for rep in reports for r in rep.rejections]
    if rejected:
        raise CorpusError("the bundled corpus does not load:\n" + "\n".join(rejected))
    for rep in reports:
        counts[rep.kind] = counts.get(rep.kind, 0) + rep.loaded
    if pair_lists:
        counts.update(_load_pair_lists(session, directory, report))
    record_builtin(session)
    registry.set_meta(session, "schema_version", SCHEMA_VERSION)
    registry.set_meta(session, "initialised", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return counts


def _load_pair_lists(session: Session, directory: ActorDirectory, report: Stage) -> dict[str, int]:
    """Load the bundled pair lists as ties of kind ``twinning``, queueing the rows that do not
    resolve; return counts of loaded and queued rows per list."""
    counts = {}
    for pair_list in PAIR_LISTS:
        source = Source(**pair_list.source_values())
        session.add(source)
        session.flush()
        raw = read_file(pair_list.path)
        rep = import_records(
            session,
            raw,
            "pair",
            partial=True,
            create_missing=True,
            tie_kind="twinning",
            directory=directory,
            source=source,
            queue=True,
            progress=lambda done, total, name=pair_list.filename: report(f"pairs: {name}", done, total),
        )
        counts[f"pairs: {pair_list.filename}"] = rep.loaded
        counts[f"unresolved: {pair_list.filename}"] = len(rep.rejections)
    return counts


def _remove_sqlite(path: Path, *, keep_main: bool = False) -> None:
    """Remove a SQLite file's journal files (and the file itself unless ``keep_main``)."""
    for suffix in ("-wal", "-shm", "-journal") + (() if keep_main else ("",)):
        Path(f"{path}{suffix}").unlink(missing_ok=True)

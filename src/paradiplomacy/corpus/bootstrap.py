"""``init``: create the schema and fill it with the gazetteers and the cited corpus in one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from paradiplomacy.corpus.files import corpus_files
from paradiplomacy.ingest.directory import ActorDirectory
from paradiplomacy.ingest.gazetteer import load_gazetteers
from paradiplomacy.ingest.importer import import_records
from paradiplomacy.ingest.readers import read_file
from paradiplomacy.ingest.report import ImportReport
from paradiplomacy.store.registry import SCHEMA_VERSION, Registry, RegistryError

Stage = Callable[[str, int, int], None]


class CorpusError(RegistryError):
    """A bundled corpus file has rows that do not load (a packaging defect)."""


class AlreadyInitialised(RegistryError):
    """``init`` on a database that is already filled (use ``reset``)."""


def initialise(registry: Registry, *, reset: bool = False, stage: Stage | None = None
               ) -> dict[str, int]:
    """Create and fill the registry; return counts of what was loaded.

    Raises :class:`AlreadyInitialised` unless ``reset`` and :class:`CorpusError` when the corpus does
    not load cleanly (in which case nothing is stored).
    """
    if registry.is_initialised() and not reset:
        raise AlreadyInitialised(f"{registry.display_url} is already initialised (use --reset to rebuild it)")
    if reset:
        registry.drop_schema()
    registry.create_schema()
    report = stage or (lambda _name, _done, _total: None)
    with registry.session() as session:
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
        registry.set_meta(session, "schema_version", SCHEMA_VERSION)
        registry.set_meta(session, "initialised", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    return counts

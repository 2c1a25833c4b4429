"""Import the bundled twinning pair lists with name resolution, against a plain CSV load.

Peer: the same CSV loaded into SQLite with Python's ``csv`` module and ``executemany`` and no
resolution at all, in the same run. Prints rows/second for both and their ratio; then, for the list of
pairs involving Japan, the share of rows loaded and the share of resolved Japanese places within 30 km
of the row's point (the tool's own figures), with and without the rows whose point was set aside, and
the same share when the coordinates choose between a city and a prefecture (``--level-by coordinates``).

    python benchmarks/bench_import_pairs.py [PAIRS_CSV ...]
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from paradiplomacy import Registry
from paradiplomacy.corpus import initialise
from paradiplomacy.corpus.pair_lists import PAIR_LISTS
from paradiplomacy.ingest import import_file
from paradiplomacy.ingest.pair_quality import japanese_place_distances
from paradiplomacy.store.schema import Source

#: How many times the peer runs (its fastest is taken).
PEER_RUNS = 3


def plain_load(path: Path, db: Path) -> tuple[int, float]:
    """The peer: csv + executemany into one table, no resolution."""
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute("create table pair (city1, country1, lat1, lng1, city2, country2, lat2, lng2)")
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        rows = list(reader)
    connection.executemany("insert into pair values (?,?,?,?,?,?,?,?)", rows)
    connection.commit()
    connection.close()
    return len(rows), time.perf_counter() - started


def _print_distances(registry: Registry, path: Path, how: str) -> None:
    """The share of resolved Japanese places within 30 km of the row's point (the tool's figure)."""
    with registry.reader() as session:
        source = session.scalar(select(Source.id).where(Source.title == path.name).order_by(Source.id.desc()))
    found = japanese_place_distances(registry, path, source)
    if found.places:
        print(
            f"  resolved Japanese places within 30 km of the row's point{how}: {found.near:,} of "
            f"{found.places:,} ({found.share_near:.1%}); leaving out points shared by "
            f"unrelated names or outside Japan: {found.trusted_near:,} of "
            f"{found.trusted_places:,} ({found.share_trusted_near:.1%})"
        )


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [p.path for p in reversed(PAIR_LISTS)]
    work = Path(tempfile.mkdtemp(prefix="bench-pairs-"))
    try:
        template = work / "template.db"
        started = time.perf_counter()
        initialise(Registry(template), pair_lists=False)
        print(
            f"init (gazetteers, history, corpus; without the bundled pair lists): "
            f"{time.perf_counter() - started:.1f} s"
        )
        for path in paths:
            timings = []
            for _ in range(PEER_RUNS):  # the peer's best of a few: one run is at the file system's mercy
                (work / "plain.db").unlink(missing_ok=True)
                rows, seconds = plain_load(path, work / "plain.db")
                timings.append(seconds)
            plain_seconds = min(timings)
            target = work / "resolved.db"
            shutil.copy(template, target)
            registry = Registry(target)
            started = time.perf_counter()
            report = import_file(registry, path, "pair", partial=True, create_missing=True)
            ours_seconds = time.perf_counter() - started
            print(f"\n{path.name}: {rows:,} rows")
            print(
                f"  peer  csv+executemany, no resolution, best of {PEER_RUNS}: "
                f"{rows / plain_seconds:9,.0f} rows/s  ({plain_seconds:.3f} s)"
            )
            print(
                f"  ours  import --kind pair --partial --create-missing: {rows / ours_seconds:8,.0f} "
                f"rows/s  ({ours_seconds:.2f} s)"
            )
            print(
                f"  ratio ours/peer: {ours_seconds / plain_seconds:.0f}x "
                f"({ours_seconds / rows * 1e6:.0f} µs/row with resolution)"
            )
            print(
                f"  rows loaded: {report.loaded:,} of {rows:,} ({report.loaded / rows:.1%}); "
                f"rejected {len(report.rejections):,}"
            )
            for note, count in sorted(report.notes.items()):
                print(f"    {count:>6,}  {note}")
            _print_distances(registry, path, "")
            registry.engine.dispose()
            if "japan" in path.name:
                shutil.copy(template, target)
                registry = Registry(target)
                import_file(registry, path, "pair", partial=True, create_missing=True, level_by="coordinates")
                _print_distances(registry, path, " (with --level-by coordinates)")
                registry.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

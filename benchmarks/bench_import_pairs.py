"""Import the development twinning pair list with name resolution, against a plain CSV load.

Peer: the same CSV loaded into SQLite with Python's ``csv`` module and ``executemany`` and no
resolution at all, in the same run. Prints rows/second for both, their ratio, and the share of rows and
of place names resolved.

    python benchmarks/bench_import_pairs.py [PAIRS_CSV]
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from paradiplomacy import Registry
from paradiplomacy.corpus import initialise
from paradiplomacy.ingest import import_file

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "world_twinning_pairs_excl_japan.csv"


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


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    work = Path(tempfile.mkdtemp(prefix="bench-pairs-"))
    try:
        template = work / "template.db"
        started = time.perf_counter()
        initialise(Registry(template), pair_lists=False)
        print(f"init (gazetteers + corpus, without the bundled pair lists): "
              f"{time.perf_counter() - started:.1f} s")

        rows, plain_seconds = plain_load(path, work / "plain.db")

        resolved_db = work / "resolved.db"
        shutil.copy(template, resolved_db)
        started = time.perf_counter()
        report = import_file(Registry(resolved_db), path, "pair", partial=True)
        ours_seconds = time.perf_counter() - started

        created_db = work / "created.db"
        shutil.copy(template, created_db)
        started = time.perf_counter()
        created = import_file(Registry(created_db), path, "pair", partial=True, create_missing=True)
        created_seconds = time.perf_counter() - started

        name_failures = len(report.rejections)
        print(f"rows in file: {rows:,}")
        print(f"peer  csv+executemany, no resolution: {rows / plain_seconds:12,.0f} rows/s"
              f"  ({plain_seconds:.2f} s)")
        print(f"ours  import --kind pair --partial:   {rows / ours_seconds:12,.0f} rows/s"
              f"  ({ours_seconds:.2f} s)")
        print(f"ours  ... --create-missing:           {rows / created_seconds:12,.0f} rows/s"
              f"  ({created_seconds:.2f} s)")
        print(f"ratio peer/ours: {ours_seconds / plain_seconds:.0f}x slower "
              f"({ours_seconds / rows * 1e6:.0f} µs/row with resolution)")
        print(f"rows with both places resolved: {report.loaded:,} of {rows:,} "
              f"({report.loaded / rows:.1%}); rejected rows: {name_failures:,}")
        reasons: dict[str, int] = {}
        for rejection in report.rejections:
            reasons[rejection.reason.split(" ")[0]] = reasons.get(rejection.reason.split(" ")[0], 0) + 1
        print(f"rejections by first word of reason: {reasons}")
        print(f"with --create-missing: {created.loaded:,} rows loaded ({created.loaded / rows:.1%}), "
              f"{len(created.rejections):,} rejected (ambiguous names)")
        print(f"outcomes: {dict(report.outcomes)} / with create-missing {dict(created.outcomes)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

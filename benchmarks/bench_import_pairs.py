"""Import the bundled twinning pair lists with name resolution, against a plain CSV load.

Peer: the same CSV loaded into SQLite with Python's ``csv`` module and ``executemany`` and no
resolution at all, in the same run. Prints rows/second for both and their ratio; then, for the list of
pairs involving Japan, the share of rows loaded and the share of resolved Japanese places within 30 km
of the row's point (the tool's own figures), with and without the rows whose point was set aside.

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
from paradiplomacy.ingest.pairs import in_japan, placeholder_points
from paradiplomacy.reference.resolver import distance_km
from paradiplomacy.store.schema import Citation, Source, Tie


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


def japanese_distances(registry: Registry, path: Path) -> tuple[int, int, int, int]:
    """(resolved Japanese places, of which within 30 km of the row's point; the same two counts
    leaving out the places whose point the import set aside as a placeholder or outside Japan)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = [(n, {f"{k}{side}": (float(r[f"{k}{side}"]) if k in ("lat", "lng") and r[f"{k}{side}"]
                                   else (r[f"{k}{side}"] or None) if k != "country" else
                                   ("JP" if r[f"country{side}"] == "Japan" else r[f"country{side}"]))
                    for side in ("1", "2") for k in ("city", "country", "lat", "lng")})
               for n, r in enumerate(rows, start=2)]
    set_aside = {point for country, point in placeholder_points(records) if country == "JP"}
    near = total = near_trusted = trusted = 0
    with registry.reader() as session:
        source = session.scalar(select(Source.id).where(Source.title == path.name)
                                .order_by(Source.id.desc()))
        cited = dict(session.execute(select(Citation.row, Citation.entity_id).where(
            Citation.source_id == source, Citation.entity == "tie")).all())
        for number, row in enumerate(rows, start=2):
            if number not in cited:
                continue
            tie = session.get(Tie, cited[number])
            for side in ("1", "2"):
                if row[f"country{side}"] != "Japan" or not row[f"lat{side}"]:
                    continue
                point = (float(row[f"lat{side}"]), float(row[f"lng{side}"]))
                km = min(distance_km(point, (a.lat, a.lon)) for a in (tie.subject, tie.object)
                         if a.country == "JP" and a.lat is not None)
                total += 1
                near += km <= 30
                if point not in set_aside and in_japan(point):
                    trusted += 1
                    near_trusted += km <= 30
    return total, near, trusted, near_trusted


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or [p.path for p in reversed(PAIR_LISTS)]
    work = Path(tempfile.mkdtemp(prefix="bench-pairs-"))
    try:
        template = work / "template.db"
        started = time.perf_counter()
        initialise(Registry(template), pair_lists=False)
        print(f"init (gazetteers, history, corpus; without the bundled pair lists): "
              f"{time.perf_counter() - started:.1f} s")
        for path in paths:
            (work / "plain.db").unlink(missing_ok=True)
            rows, plain_seconds = plain_load(path, work / "plain.db")
            target = work / "resolved.db"
            shutil.copy(template, target)
            registry = Registry(target)
            started = time.perf_counter()
            report = import_file(registry, path, "pair", partial=True, create_missing=True)
            ours_seconds = time.perf_counter() - started
            print(f"\n{path.name}: {rows:,} rows")
            print(f"  peer  csv+executemany, no resolution: {rows / plain_seconds:12,.0f} rows/s"
                  f"  ({plain_seconds:.2f} s)")
            print(f"  ours  import --kind pair --partial --create-missing: {rows / ours_seconds:8,.0f} "
                  f"rows/s  ({ours_seconds:.2f} s)")
            print(f"  ratio ours/peer: {ours_seconds / plain_seconds:.0f}x "
                  f"({ours_seconds / rows * 1e6:.0f} µs/row with resolution)")
            print(f"  rows loaded: {report.loaded:,} of {rows:,} ({report.loaded / rows:.1%}); "
                  f"rejected {len(report.rejections):,}")
            for note, count in sorted(report.notes.items()):
                print(f"    {count:>6,}  {note}")
            total, near, trusted, near_trusted = japanese_distances(registry, path)
            if total:
                print(f"  resolved Japanese places within 30 km of the row's point: {near:,} of "
                      f"{total:,} ({near / total:.1%}); leaving out points set aside as placeholders "
                      f"or outside Japan: {near_trusted:,} of {trusted:,} ({near_trusted / trusted:.1%})")
            registry.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Export a synthetic registry of 40,000 actors and 25,000 sourced ties in every format.

Peer: ``pandas.read_sql`` of the bare ``tie`` table written with ``DataFrame.to_csv`` (no sources, no
names, no selection), in the same run. Prints seconds per format and the ratio to the peer.

The xlsx export has a peer of its own: the same frames (``tables_as_frames``, JSON columns as text)
written with ``pandas.DataFrame.to_excel(engine="xlsxwriter")``, one sheet per table (no readable
ties sheet, no date cells, no widths). ``--db`` times that pair on a real registry instead (the
whole registry built by ``init``):

    python benchmarks/bench_export.py
    python benchmarks/bench_export.py --db /tmp/copy-of-registry.db
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

import pandas as pd
from sqlalchemy import insert

from paradiplomacy import Registry
from paradiplomacy.export.frames import tables_as_frames
from paradiplomacy.export.writers import FORMATS, export_registry
from paradiplomacy.store.schema import Actor, Citation, Meta, Source, Tie

ACTORS, TIES = 40_000, 25_000
COUNTRIES = ["CN", "KR", "US", "TH", "FR", "DE", "BR", "AU"]


def build(path: Path) -> Registry:
    """A registry shaped like the development pair list: Japanese subjects, foreign objects."""
    registry = Registry(path)
    registry.create_schema()
    with registry.engine.begin() as conn:
        conn.execute(insert(Meta), [{"key": "initialised", "value": "benchmark"}])
        conn.execute(
            insert(Source),
            [
                {"id": 1, "key": "gazetteer", "kind": "gazetteer"},
                {"id": 2, "key": "file:pairs.csv", "kind": "import"},
            ],
        )
        conn.execute(
            insert(Actor),
            [
                {
                    "id": i,
                    "key": f"a-{i}",
                    "kind": "municipality" if i <= 1700 else "foreign_city",
                    "name_en": f"Place {i}",
                    "name_ja": f"場所{i}" if i <= 1700 else None,
                    "country": "JP" if i <= 1700 else COUNTRIES[i % len(COUNTRIES)],
                    "lat": 35.0 + i / 1e5,
                    "lon": 135.0,
                    "population": 1000 + i,
                }
                for i in range(1, ACTORS + 1)
            ],
        )
        conn.execute(
            insert(Tie),
            [
                {
                    "id": i,
                    "kind": "sister" if i % 3 else "friendship",
                    "subject_id": 1 + i % 1700,
                    "object_id": 1701 + i,
                    "role": "",
                    "start": f"{1950 + i % 70}",
                    "status": "active",
                }
                for i in range(1, TIES + 1)
            ],
        )
        conn.execute(
            insert(Citation),
            [
                {"source_id": 2, "entity": "tie", "entity_id": i, "locator": "", "row": i}
                for i in range(1, TIES + 1)
            ]
            + [
                {"source_id": 1, "entity": "actor", "entity_id": i, "locator": "", "row": 0}
                for i in range(1, ACTORS + 1)
            ],
        )
    return registry


def excel_peer(registry: Registry, out: Path) -> float:
    """Seconds for ``DataFrame.to_excel(engine="xlsxwriter")`` of the export's frames."""
    started = time.perf_counter()
    frames = tables_as_frames(registry)
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        for name, frame in frames.items():
            frame = frame.copy()
            for column in frame.columns:
                if frame[column].dtype == object:
                    frame[column] = frame[column].map(
                        lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
                    )
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return time.perf_counter() - started


def xlsx_against_peer(registry: Registry, work: Path) -> None:
    """The xlsx export and its peer on ``registry``, best of two runs each."""
    peer = min(excel_peer(registry, work / f"peer-{i}.xlsx") for i in range(2))
    ours = []
    for i in range(2):
        started = time.perf_counter()
        export_registry(registry, work / f"out-{i}.xlsx", "xlsx")
        ours.append(time.perf_counter() - started)
    size = (work / "out-0.xlsx").stat().st_size / 1e6
    print(f"  xlsx     {min(ours):6.2f} s   ({size:.1f} MB; readable ties sheet + every table)")
    print(f"  peer DataFrame.to_excel(engine='xlsxwriter') of the same frames: {peer:.2f} s")
    print(f"  ratio to peer {min(ours) / peer:5.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="time the xlsx export of this registry (not written to)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-export-"))
    try:
        if args.db:
            registry = Registry(args.db, read_only=True)
            print(f"{registry.display_url}: xlsx export of the whole registry")
            xlsx_against_peer(registry, work)
            return
        registry = build(work / "registry.db")
        started = time.perf_counter()
        pd.read_sql("select * from tie", registry.engine).to_csv(work / "peer.csv", index=False)
        peer = time.perf_counter() - started
        print(f"{ACTORS:,} actors, {TIES:,} ties; peer read_sql+to_csv of bare tie table: {peer:.2f} s")
        for fmt in FORMATS:
            out = work / (f"out.{fmt}" if fmt in ("json", "graphml", "gexf", "xlsx") else f"out-{fmt}")
            started = time.perf_counter()
            export_registry(registry, out, fmt)
            seconds = time.perf_counter() - started
            print(f"  {fmt:8s} {seconds:6.2f} s   ratio to peer {seconds / peer:5.1f}x")
        xlsx_against_peer(registry, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

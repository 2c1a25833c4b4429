"""Import a 2,000-row office-style spreadsheet (title line, Japanese headings, era dates) into a
copy of an initialised registry, against reading the same sheet with pandas and storing its raw rows.

The list is built from the rows of the bundled Japanese pair list that the registry resolved: the
municipality and its prefecture in kanji, the partner as the registry names it (katakana where it
has a Japanese name, else Latin script) with its state or province, the country in Japanese, the
date in era form
(昭和40年11月8日, H7.4.1), as a date cell or as 1995年4月, the kind as 姉妹都市 or 友好都市.

Peer: ``pandas.read_excel(engine="calamine")`` + ``sqlite3`` ``executemany`` of the raw rows (no
headings mapped, no dates read, no names resolved), best of a few runs. Prints rows/second for
both and their ratio.

    python benchmarks/bench_import_xlsx.py REGISTRY_DB [ROWS]

REGISTRY_DB is a registry built by ``paradiplomacy init`` (copied, never written to).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import xlsxwriter
from sqlalchemy import select

from paradiplomacy import Registry
from paradiplomacy.corpus.pair_lists import PAIR_LISTS
from paradiplomacy.ingest import import_file
from paradiplomacy.model.eras import era_of
from paradiplomacy.reference.world import countries
from paradiplomacy.store.schema import Actor, Citation, Source, Tie

PEER_RUNS = 3
HEADINGS = ["都道府県", "自治体名", "提携先", "国名", "提携日", "種別", "備考"]


def office_rows(registry: Registry, wanted: int) -> list[list]:
    """``wanted`` rows of an office list from the resolved rows of the Japanese pair list (each
    pair again when more rows are wanted than it has, with the same kind and day written another way:
    the second row enriches nothing, refines or agrees)."""
    japanese = {
        c.alpha2: next(a for a in c.aliases if any("\u30a0" <= ch <= "\u9fff" for ch in a))
        for c in countries()
        if any(any("\u30a0" <= ch <= "\u9fff" for ch in a) for a in c.aliases)
    }
    japan = next(p for p in PAIR_LISTS if p.path.name == "japan_twinning_pairs.csv")
    pairs = []
    with registry.reader() as session:
        source = session.scalar(select(Source.id).where(Source.title == japan.source_values()["title"]))
        for number, subject_id, object_id in session.execute(
            select(Citation.row, Tie.subject_id, Tie.object_id)
            .join(Tie, Tie.id == Citation.entity_id)
            .where(Citation.source_id == source, Citation.entity == "tie")
            .order_by(Citation.row)
        ):
            subject, partner = session.get(Actor, subject_id), session.get(Actor, object_id)
            if subject.country != "JP" or not subject.name_ja or subject.parent is None:
                continue
            name = partner.name_ja or partner.name_en
            state = partner.parent and (partner.parent.name_ja or partner.parent.name_en)
            pairs.append(
                (
                    number,
                    subject.parent.name_ja,
                    subject.name_ja,
                    f"{name}（{state}）" if state and partner.kind != "foreign_region" else name,
                    japanese.get(partner.country or "", partner.country or ""),
                )
            )
    rows = []
    for index in range(wanted):
        number, prefecture, municipality, partner, country = pairs[index % len(pairs)]
        day = dt.date(1960 + (number * 7) % 60, number % 12 + 1, number % 28 + 1)
        era = era_of(day)
        year = day.year - era.first.year + 1
        start = (
            f"{era.name}{'元' if year == 1 else year}年{day.month}月{day.day}日",
            f"{era.letter}{year}.{day.month}.{day.day}",
            day,
            f"{day.year}年{day.month}月",
        )[index % 4]
        kind = "姉妹都市" if number % 2 == 0 else "友好都市"  # a pair's second row agrees with its first
        rows.append([prefecture, municipality, partner, country, start, kind, ""])
    return rows


def write_list(path: Path, rows: list[list]) -> None:
    book = xlsxwriter.Workbook(str(path))
    dated = book.add_format({"num_format": "yyyy/m/d"})
    sheet = book.add_worksheet("一覧")
    sheet.write(0, 0, "姉妹（友好）提携一覧（令和6年4月1日現在）")
    sheet.write_row(2, 0, HEADINGS)
    for r, row in enumerate(rows, start=3):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dated)
            elif value:
                sheet.write(r, c, value)
    sheet.write(len(rows) + 4, 0, "※ 提携日は協定の締結日")
    book.close()


def peer(path: Path, db: Path) -> float:
    """pandas.read_excel (calamine) + sqlite3 executemany of the raw rows."""
    import pandas as pd

    started = time.perf_counter()
    frame = pd.read_excel(path, engine="calamine", header=2).dropna(how="all")
    connection = sqlite3.connect(db)
    connection.execute(f"create table tie ({', '.join(f'c{i}' for i in range(len(frame.columns)))})")
    marks = ",".join("?" * len(frame.columns))
    connection.executemany(
        f"insert into tie values ({marks})", [[str(v) for v in row] for row in frame.itertuples(index=False)]
    )
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def main() -> None:
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    template = Path(sys.argv[1])
    wanted = int(sys.argv[2]) if len(sys.argv) > 2 else 2_000
    work = Path(tempfile.mkdtemp(prefix="bench-xlsx-"))
    try:
        target = work / "registry.db"
        shutil.copy(template, target)
        registry = Registry(target)
        rows = office_rows(registry, wanted)
        path = work / "姉妹友好提携一覧.xlsx"
        write_list(path, rows)
        timings = []
        for run in range(PEER_RUNS):
            timings.append(peer(path, work / f"plain{run}.db"))
        plain = min(timings)
        started = time.perf_counter()
        report = import_file(registry, path, "tie", partial=True)
        ours = time.perf_counter() - started
        print(f"{path.name}: {len(rows):,} rows (title line, Japanese headings on row 3, era dates)")
        print(
            f"  peer  pandas.read_excel(calamine) + sqlite3 executemany, raw rows, best of {PEER_RUNS}: "
            f"{len(rows) / plain:9,.0f} rows/s  ({plain:.3f} s)"
        )
        print(
            f"  ours  import --kind tie --partial (headings, era dates, resolution): "
            f"{len(rows) / ours:8,.0f} rows/s  ({ours:.2f} s)"
        )
        print(f"  ratio ours/peer: {ours / plain:.0f}x ({ours / len(rows) * 1e6:.0f} µs/row)")
        print(
            f"  rows loaded: {report.loaded:,} of {report.rows:,}; rejected {len(report.rejections):,}; "
            f"outcomes {dict(report.outcomes)}"
        )
        reasons: dict[str, int] = {}
        for rejection in report.rejections:
            key = f"{rejection.field}: {rejection.reason.split(' ')[0]}"
            reasons[key] = reasons.get(key, 0) + 1
        for reason, count in sorted(reasons.items(), key=lambda item: -item[1])[:5]:
            print(f"    {count:>6,}  {reason}")
        registry.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

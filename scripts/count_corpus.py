"""Count the bundled corpus records per paper and per record kind.

Usage: ``python scripts/count_corpus.py [DATA_DIR]`` (default: the package's data folder). A record's
paper is its own ``source`` if given, else the paper its ``locator`` starts with, else the file's
``source``. Prints a table and the per-paper totals.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml

PAPERS = ("takao2003", "takao2004", "menju2002", "fujiwara2025")


def paper_of(record: dict, file_source: str | None) -> str:
    """The paper a record cites."""
    if isinstance(record.get("source"), str):
        return record["source"]
    locator = str(record.get("locator") or "")
    match = re.match(r"\s*(takao2003|takao2004|menju2002|fujiwara2025)", locator)
    if match:
        return match.group(1)
    return file_source or "?"


def count(data_dir: Path) -> Counter:
    """``Counter`` of ``(paper, kind)`` over every record file in ``data_dir``."""
    counts: Counter = Counter()
    for path in sorted(data_dir.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or "records" not in doc or doc.get("kind") == "source":
            continue
        for record in doc["records"] or []:
            counts[(paper_of(record, doc.get("source")), doc["kind"])] += 1
    return counts


def main() -> None:
    here = Path(__file__).resolve().parent.parent / "src" / "paradiplomacy" / "corpus" / "data"
    data_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else here
    counts = count(data_dir)
    kinds = sorted({kind for _, kind in counts})
    papers = [p for p in PAPERS if any(k[0] == p for k in counts)] + sorted(
        {p for p, _ in counts} - set(PAPERS)
    )
    print("kind".ljust(18) + "".join(p.rjust(14) for p in papers) + "total".rjust(8))
    for kind in kinds:
        row = [counts[(p, kind)] for p in papers]
        print(kind.ljust(18) + "".join(str(n).rjust(14) for n in row) + str(sum(row)).rjust(8))
    totals = [sum(n for (p, _), n in counts.items() if p == paper) for paper in papers]
    print("TOTAL".ljust(18) + "".join(str(n).rjust(14) for n in totals) + str(sum(totals)).rjust(8))


if __name__ == "__main__":
    main()

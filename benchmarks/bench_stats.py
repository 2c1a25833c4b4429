"""Time the stats functions and the report on a registry; peer: one plain SQL GROUP BY in sqlite3.

Usage: python benchmarks/bench_stats.py REGISTRY.db
(import a pair list first, e.g. world_twinning_pairs_excl_japan.csv, to time it at scale)
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable

from paradiplomacy import Registry
from paradiplomacy.analysis import (
    affiliation_series,
    affiliations_by,
    coverage,
    office_shifts,
    strategies_by_type,
)
from paradiplomacy.report import render_html

PEER_SQL = """
select b.country, count(*) from tie t join actor a on a.id = t.subject_id
join actor b on b.id = t.object_id
where t.kind in ('sister', 'friendship', 'business_partner', 'purpose_specific')
group by b.country
"""


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main(path: str) -> None:
    registry = Registry(path)
    with sqlite3.connect(path) as connection:
        ties = connection.execute("select count(*) from tie").fetchone()[0]
        peer = timed(lambda: connection.execute(PEER_SQL).fetchall())
    print(f"registry {path}: {ties:,} ties; peer (sqlite3 GROUP BY partner country) {peer:.4f} s")
    cases = {
        "affiliations_by(partner_country, home=None)": lambda: affiliations_by(
            registry, "partner_country", home=None
        ),
        "affiliations_by(government_type, 2001-04-01)": lambda: affiliations_by(
            registry, "government_type", as_of="2001-04-01"
        ),
        "affiliation_series()": lambda: affiliation_series(registry),
        "office_shifts()": lambda: office_shifts(registry),
        "strategies_by_type()": lambda: strategies_by_type(registry),
        "coverage()": lambda: coverage(registry),
        "render_html()": lambda: render_html(registry),
    }
    for name, case in cases.items():
        seconds = timed(case, repeat=1 if name.startswith("render") else 3)
        print(f"{name:48s} {seconds:8.3f} s   x{seconds / peer:,.0f} the peer")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "paradiplomacy.db")

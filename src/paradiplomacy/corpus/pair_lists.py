"""The bundled twinning pair lists, each loaded by ``init`` as a dataset source of its own.

Both lists were compiled from Wikipedia's "List of twin towns and sister cities in …" pages
(CC BY-SA 4.0) and geocoded by the public repository Hekman/twincities (MIT). They do not say
whether a tie is a sister or a friendship affiliation, nor when it began: their ties are stored as
kind ``twinning`` with no dates. Rows that cannot be resolved stay in ``unresolved_row``.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

__all__ = ["PAIR_LISTS", "PairList"]

LICENCE = (
    "Wikipedia contributors, 'List of twin towns and sister cities in …' (CC BY-SA 4.0), "
    "scraped and geocoded by Hekman/twincities (MIT). Redistributed under CC BY-SA 4.0."
)


@dataclass(frozen=True)
class PairList:
    """One bundled pair list and how it is cited."""

    key: str
    filename: str
    title: str

    @property
    def path(self) -> Path:
        """Where the bundled file is."""
        return Path(str(files("paradiplomacy.corpus") / "pairs" / self.filename))

    def source_values(self) -> dict[str, str]:
        """The ``source`` row of the list."""
        return {
            "key": self.key,
            "kind": "dataset",
            "title": self.title,
            "author": "Wikipedia contributors; Hekman/twincities",
            "url": "https://github.com/Hekman/twincities",
            "note": LICENCE,
        }


PAIR_LISTS = (
    PairList(
        "dataset:twincities-japan",
        "japan_twinning_pairs.csv",
        "Twin towns and sister cities involving Japan (1,034 pairs)",
    ),
    PairList(
        "dataset:twincities-world",
        "world_twinning_pairs_excl_japan.csv",
        "Twin towns and sister cities worldwide, Japan excluded (24,821 pairs)",
    ),
)

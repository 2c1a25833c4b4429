"""How well a pair list's Japanese places were resolved: distance to the row's own point.

A figure computed by the tool from an import already in the registry (not a fact of any source):
for every loaded row, the resolved Japanese place's distance to the point the row gives it.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from paradiplomacy.ingest.pairs import in_japan, placeholder_points
from paradiplomacy.reference.resolver import distance_km
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Citation, Tie

__all__ = ["PlaceDistances", "japanese_place_distances"]


@dataclass(frozen=True)
class PlaceDistances:
    """Counts of resolved Japanese places, and of those within ``km`` of the row's point."""

    rows: int
    loaded: int
    places: int
    near: int
    trusted_places: int  # leaving out points the import sets aside (placeholders, outside Japan)
    trusted_near: int
    km: float

    @property
    def share_near(self) -> float:
        """Share of resolved Japanese places within ``km`` of their row's point."""
        return self.near / self.places if self.places else float("nan")

    @property
    def share_trusted_near(self) -> float:
        """The same share, leaving out the points the import set aside."""
        return self.trusted_near / self.trusted_places if self.trusted_places else float("nan")


def japanese_place_distances(
    registry: Registry, path: str | Path, source_id: int, km: float = 30.0
) -> PlaceDistances:
    """Measure the pair list ``path`` as imported under the source ``source_id``."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    japanese = [
        (
            number,
            {
                f"{field}{side}": _value(row, field, side)
                for side in ("1", "2")
                for field in ("city", "country", "lat", "lng")
            },
        )
        for number, row in enumerate(rows, start=2)
    ]
    set_aside = {point for country, point in placeholder_points(japanese) if country == "JP"}
    places = near = trusted = trusted_near = 0
    with registry.reader() as session:
        cited = dict(
            session.execute(
                select(Citation.row, Citation.entity_id).where(
                    Citation.source_id == source_id, Citation.entity == "tie"
                )
            ).all()
        )
        for number, row in enumerate(rows, start=2):
            if number not in cited:
                continue
            tie = session.get(Tie, cited[number])
            for side in ("1", "2"):
                if row[f"country{side}"] != "Japan" or not row[f"lat{side}"]:
                    continue
                point = (float(row[f"lat{side}"]), float(row[f"lng{side}"]))
                found = [
                    distance_km(point, (a.lat, a.lon))
                    for a in (tie.subject, tie.object)
                    if a.country == "JP" and a.lat is not None
                ]
                if not found:
                    continue
                close = min(found) <= km
                places += 1
                near += close
                if point not in set_aside and in_japan(point):
                    trusted += 1
                    trusted_near += close
    return PlaceDistances(len(rows), len(cited), places, near, trusted, trusted_near, km)


def _value(row: dict[str, str], field: str, side: str) -> object:
    """A raw CSV field as the importer reads it, with Japan's country as its code."""
    raw = row[f"{field}{side}"]
    if field == "country":
        return "JP" if raw == "Japan" else raw
    if field in ("lat", "lng"):
        return float(raw) if raw else None
    return raw or None

"""The registry's places as points: which country a point lies in, and which places lie near it.

Pair imports use it to tell a row's point that a geocoder put at a namesake abroad (Cambridge,
United States at Cambridge, England) from a point in the stated country, and to find the places
near a point whose name matches nothing. Every actor with a point and a country (GeoNames cities,
Japan's local governments, places created by earlier imports) goes into one KD-tree on the unit
sphere, loaded and built on first use, once per import.
"""

from __future__ import annotations

from math import cos, radians, sin
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.store.schema import Actor

if TYPE_CHECKING:
    import numpy as np

__all__ = ["RegistryPoints"]

Point = tuple[float, float]
EARTH_RADIUS_KM = 6371.0


class RegistryPoints:
    """The registry's places with a point, indexed for nearest-place and radius queries."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tree = None
        self._ids: np.ndarray | None = None
        self._countries: np.ndarray | None = None
        self._cache: dict[Point, str | None] = {}

    def country(self, point: Point) -> str | None:
        """The country of the place nearest to ``point`` (a tool's judgement, not a border test:
        a point a few kilometres from a border may get its neighbour's country); ``None`` when the
        registry has no place with a point."""
        if point not in self._cache:
            if self._load() is None:
                return None
            _distance, slot = self._tree.query(_unit(point))
            self._cache[point] = str(self._countries[int(slot)])
        return self._cache[point]

    def within(self, country: str, points: set[Point], radius_km: float) -> set[int]:
        """Ids of the places of ``country`` within ``radius_km`` of any of ``points``."""
        if not points or self._load() is None:
            return set()
        import numpy as np

        chord = 2 * sin(radius_km / EARTH_RADIUS_KM / 2)
        hits = self._tree.query_ball_point(np.array([_unit(p) for p in sorted(points)]), chord)
        slots = np.fromiter({s for found in hits for s in found}, dtype=np.int64)
        if not len(slots):
            return set()
        slots = slots[self._countries[slots] == country]
        return set(self._ids[slots].tolist())

    def _load(self):
        if self._tree is None:
            import numpy as np  # lazy: only imports whose points need checking pay for these
            from scipy.spatial import cKDTree

            query = select(Actor.id, Actor.country, Actor.lat, Actor.lon).where(
                Actor.lat.is_not(None), Actor.lon.is_not(None), Actor.country.is_not(None)
            )
            rows = self.session.connection().execute(query).fetchall()  # Core rows: no ORM cost
            if not rows:
                return None
            ids, countries, lats, lons = zip(*rows, strict=True)
            self._ids = np.array(ids, dtype=np.int64)
            self._countries = np.array(countries, dtype=object)
            lat, lon = np.radians(np.array(lats, dtype=float)), np.radians(np.array(lons, dtype=float))
            self._tree = cKDTree(
                np.column_stack((np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)))
            )
        return self._tree


def _unit(point: Point) -> tuple[float, float, float]:
    lat, lon = radians(point[0]), radians(point[1])
    return cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat)

"""Which country a point lies in, judged by the nearest place the registry knows.

Used by pair imports to tell a row's point that a geocoder put at a namesake abroad (Cambridge,
United States at Cambridge, England) from a point in the stated country. The registry's places
(GeoNames cities, Japan's local governments and places created by earlier imports) are indexed in
a KD-tree on the unit sphere, built on first use, once per import.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.store.schema import Actor

__all__ = ["PointCountries"]

Point = tuple[float, float]


class PointCountries:
    """The country of the registry's place nearest to a point (a tool's judgement, not a border
    test: a point within a few kilometres of a border may be given its neighbour's country)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._tree = None
        self._countries: list[str | None] = []
        self._cache: dict[Point, str | None] = {}

    def country(self, point: Point) -> str | None:
        """The country of the place nearest to ``point`` (``None`` when the registry has none)."""
        if point not in self._cache:
            tree = self._index()
            if tree is None:
                return None
            _distance, slot = tree.query(_unit(point))
            self._cache[point] = self._countries[int(slot)]
        return self._cache[point]

    def _index(self):
        if self._tree is None:
            import numpy as np  # lazy: only imports whose points need checking pay for it
            from scipy.spatial import cKDTree

            query = select(Actor.country, Actor.lat, Actor.lon).where(
                Actor.lat.is_not(None), Actor.lon.is_not(None), Actor.country.is_not(None))
            # plain tuples straight from the driver: the ORM's rows cost three times as much here
            rows = self.session.connection().exec_driver_sql(
                str(query.compile(compile_kwargs={"literal_binds": True}))).fetchall()
            if not rows:
                return None
            countries, lats, lons = zip(*rows, strict=True)
            self._countries = list(countries)
            lat, lon = np.radians(np.array(lats, dtype=float)), np.radians(np.array(lons, dtype=float))
            self._tree = cKDTree(np.column_stack(
                (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))))
        return self._tree


def _unit(point: Point) -> tuple[float, float, float]:
    from math import cos, radians, sin

    lat, lon = radians(point[0]), radians(point[1])
    return cos(lat) * cos(lon), cos(lat) * sin(lon), sin(lat)

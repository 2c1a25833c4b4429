"""The registry's places as points: which country a point lies in, and which places lie near it.

Pair imports use it to tell a row's point that a geocoder put at a namesake abroad (Cambridge,
United States at Cambridge, England) from a point in the stated country, and to find the places
near a point whose name matches nothing. Every actor with a point and a country (GeoNames cities,
Japan's local governments, places created by earlier imports) counts.

Each question looks at the places in a bounding box around the point and refines by great-circle
distance. The first :data:`QUERIES_BEFORE_LOADING` boxes are queries on the ``actor`` table's point
index (``ix_actor_point``), so a small file pays only for the points it asks about; a file that asks
more has every place loaded once into a quarter-degree grid in memory, which answers the rest.
"""

from __future__ import annotations

from collections import defaultdict
from math import cos, floor, radians

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from paradiplomacy.reference.resolver import distance_km
from paradiplomacy.store.schema import Actor

__all__ = ["NEAREST_RADII_KM", "QUERIES_BEFORE_LOADING", "RegistryPoints"]

Point = tuple[float, float]
KM_PER_DEGREE = 111.2
#: The boxes searched, widening, for the place nearest to a point; beyond the last, a point is
#: taken to lie in no country the registry knows (open sea).
NEAREST_RADII_KM = (30.0, 120.0, 500.0, 2000.0)
#: Boxes asked of the database before the registry's points are loaded into memory instead.
QUERIES_BEFORE_LOADING = 300
#: Cells of the in-memory grid per degree of latitude and longitude.
CELLS_PER_DEGREE = 4


class RegistryPoints:
    """The registry's places with a point, queried by distance."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[Point, tuple[int, str] | None] = {}
        self._queries = 0
        self._grid: dict[tuple[int, int], list[tuple]] | None = None

    def country(self, point: Point) -> str | None:
        """The country of the place nearest to ``point`` (a tool's judgement, not a border test:
        a point a few kilometres from a border may get its neighbour's country); ``None`` when no
        place lies within the widest of :data:`NEAREST_RADII_KM`."""
        found = self.nearest(point)
        return None if found is None else found[1]

    def nearest(self, point: Point) -> tuple[int, str] | None:
        """(id, country) of the place nearest to ``point``, or ``None`` when no place lies within the
        widest of :data:`NEAREST_RADII_KM`."""
        if point not in self._cache:
            self._cache[point] = self._nearest(point)
        return self._cache[point]

    def within(self, country: str, points: set[Point], radius_km: float) -> set[int]:
        """Ids of the places of ``country`` within ``radius_km`` of any of ``points``."""
        found: set[int] = set()
        for point in sorted(points):
            found.update(
                actor_id
                for actor_id, _country, lat, lon in self._box(point, radius_km, country)
                if distance_km(point, (lat, lon)) <= radius_km
            )
        return found

    def _nearest(self, point: Point) -> tuple[int, str] | None:
        for radius in NEAREST_RADII_KM:
            best = min(
                (
                    (km, actor_id, place_country)
                    for actor_id, place_country, lat, lon in self._box(point, radius)
                    if (km := distance_km(point, (lat, lon))) <= radius
                ),
                default=None,
            )
            if best is not None:  # the nearest in the box lies within its radius: nearest of all
                return int(best[1]), str(best[2])
        return None

    def _box(self, point: Point, radius_km: float, country: str | None = None) -> list[tuple]:
        """(id, country, lat, lon) of the places in (at least) the bounding box of a circle around
        ``point``."""
        lat, lon = point
        dlat = radius_km / KM_PER_DEGREE
        south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
        scale = cos(radians(min(89.0, max(abs(south), abs(north)))))
        dlon = radius_km / (KM_PER_DEGREE * scale)
        self._queries += 1
        if self._grid is None and self._queries > QUERIES_BEFORE_LOADING:
            self._grid = self._load_grid()
        if self._grid is not None:
            return self._from_grid(south, north, lon, dlon, country)
        if dlon >= 180.0:
            across = Actor.lon.is_not(None)
        elif lon - dlon < -180.0 or lon + dlon > 180.0:  # the box crosses the antimeridian
            west, east = (lon - dlon + 540.0) % 360.0 - 180.0, (lon + dlon + 540.0) % 360.0 - 180.0
            across = or_(Actor.lon >= west, Actor.lon <= east)
        else:
            across = Actor.lon.between(lon - dlon, lon + dlon)
        where = and_(Actor.lat.between(south, north), across, Actor.country.is_not(None))
        if country is not None:
            where = and_(where, Actor.country == country)
        query = select(Actor.id, Actor.country, Actor.lat, Actor.lon).where(where)
        return self.session.connection().execute(query).fetchall()  # Core rows: no ORM cost

    def _load_grid(self) -> dict[tuple[int, int], list[tuple]]:
        query = select(Actor.id, Actor.country, Actor.lat, Actor.lon).where(
            Actor.lat.is_not(None), Actor.lon.is_not(None), Actor.country.is_not(None)
        )
        grid: dict[tuple[int, int], list[tuple]] = defaultdict(list)
        for row in self.session.connection().execute(query):
            grid[(floor(row[2] * CELLS_PER_DEGREE), floor(row[3] * CELLS_PER_DEGREE))].append(tuple(row))
        return dict(grid)

    def _from_grid(
        self, south: float, north: float, lon: float, dlon: float, country: str | None
    ) -> list[tuple]:
        assert self._grid is not None
        rows = range(floor(south * CELLS_PER_DEGREE), floor(north * CELLS_PER_DEGREE) + 1)
        if dlon >= 180.0 or len(rows) * 2 * dlon * CELLS_PER_DEGREE > len(self._grid):
            cells = [cell for cell in self._grid.values()]  # a box wider than the grid: scan it
        else:
            span = range(floor((lon - dlon) * CELLS_PER_DEGREE), floor((lon + dlon) * CELLS_PER_DEGREE) + 1)
            turn = 360 * CELLS_PER_DEGREE
            columns = {(j + turn // 2) % turn - turn // 2 for j in span}
            cells = [self._grid.get((i, j), ()) for i in rows for j in columns]
        west, east = lon - dlon, lon + dlon
        return [
            place
            for cell in cells
            for place in cell
            if south <= place[2] <= north
            and (
                dlon >= 180.0 or west <= place[3] <= east or west <= place[3] - 360 or place[3] + 360 <= east
            )
            and (country is None or place[1] == country)
        ]

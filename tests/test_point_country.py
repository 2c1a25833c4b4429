"""Which country a point lies in and which places lie near it: the database boxes and the in-memory
grid that replaces them on a large file give the same answers, across the antimeridian too."""

from __future__ import annotations

import pytest

from paradiplomacy import Registry
from paradiplomacy.resolve import point_country
from paradiplomacy.resolve.point_country import RegistryPoints
from paradiplomacy.store.schema import Actor

PLACES = [  # key, country, lat, lon
    ("suva", "FJ", -18.14, 178.44),
    ("taveuni", "FJ", -16.85, -179.97),  # east of the antimeridian
    ("apia", "WS", -13.83, -171.76),
    ("niigata", "JP", 37.92, 139.04),
    ("sado", "JP", 38.02, 138.37),
    ("vladivostok", "RU", 43.12, 131.89),
]


@pytest.fixture(params=["database", "grid"])
def points(request: pytest.FixtureRequest, tmp_path, monkeypatch: pytest.MonkeyPatch) -> RegistryPoints:
    registry = Registry(tmp_path / "points.db")
    registry.create_schema()
    if request.param == "grid":
        monkeypatch.setattr(point_country, "QUERIES_BEFORE_LOADING", 0)
    with registry.session() as session:
        session.add_all(
            Actor(key=k, kind="foreign_city", country=c, lat=la, lon=lo) for k, c, la, lo in PLACES
        )
    reader = registry.reader()
    request.addfinalizer(reader.close)
    return RegistryPoints(reader)


def test_country_of_a_point_is_its_nearest_place(points: RegistryPoints) -> None:
    assert points.country((37.90, 139.10)) == "JP"
    assert points.country((43.0, 132.0)) == "RU"
    assert points.country((-16.9, 179.99)) == "FJ"  # nearest place lies across the antimeridian
    assert points.country((-14.0, -172.0)) == "WS"


def test_a_point_far_from_every_place_has_no_country(points: RegistryPoints) -> None:
    assert points.country((-60.0, -120.0)) is None  # the Southern Ocean, over 2,000 km from all


def test_places_within_a_radius(points: RegistryPoints) -> None:
    ids = {key: actor_id for actor_id, key in points.session.query(Actor.id, Actor.key)}
    assert points.within("JP", {(37.92, 139.0)}, 20.0) == {ids["niigata"]}
    assert points.within("JP", {(37.95, 138.7)}, 40.0) == {ids["niigata"], ids["sado"]}
    assert points.within("RU", {(37.95, 138.7)}, 40.0) == set()
    assert points.within("FJ", {(-16.85, 179.98)}, 20.0) == {ids["taveuni"]}

"""A small registry on SQLite or on PostgreSQL for the storage and API tests of the web layer."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert

from paradiplomacy import Registry
from paradiplomacy.store.schema import Actor, ActorName, Citation, Meta, Source, Tie

PG_URL = os.environ.get("PARADIPLOMACY_TEST_PG")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql", marks=pytest.mark.skipif(not PG_URL, reason="PARADIPLOMACY_TEST_PG is not set")
    ),
]


def small_registry(target: str | Path) -> Registry:
    """Two actors, one tie with a source, marked initialised: enough for edits, audit and profiles."""
    registry = Registry(target)
    registry.drop_schema()
    registry.create_schema()
    with registry.session() as session:
        session.execute(insert(Source).values(key="paper2003", kind="paper", title="A paper"))
        session.execute(
            insert(Actor),
            [
                {
                    "key": "jp-401005",
                    "kind": "municipality",
                    "name_en": "Kitakyushu",
                    "name_ja": "北九州市",
                    "country": "JP",
                    "lg_code": "401005",
                    "lat": 33.88,
                    "lon": 130.88,
                },
                {
                    "key": "geo-1814087",
                    "kind": "foreign_city",
                    "name_en": "Dalian",
                    "country": "CN",
                    "lat": 38.91,
                    "lon": 121.6,
                },
                {
                    "key": "geo-5812944",
                    "kind": "foreign_city",
                    "name_en": "Tacoma",
                    "country": "US",
                    "lat": 47.25,
                    "lon": -122.44,
                },
            ],
        )
        session.execute(
            insert(ActorName),
            [
                {"actor_id": 1, "name": "Kitakyushu", "norm": "kitakyushu"},
                {"actor_id": 2, "name": "Dalian", "norm": "dalian"},
            ],
        )
        session.execute(
            insert(Tie).values(
                kind="friendship",
                subject_id=1,
                object_id=2,
                start="1979-05-01",
                status="active",
                role="",
                note="first",
            )
        )
        session.execute(
            insert(Citation).values(source_id=1, entity="tie", entity_id=1, locator="p. 3", row=0)
        )
        session.add(Meta(key="initialised", value="test"))
    return registry


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Registry]:
    """The small registry on each backend (PostgreSQL only when PARADIPLOMACY_TEST_PG is set)."""
    target = tmp_path / "small.db" if request.param == "sqlite" else PG_URL
    registry = small_registry(target)
    yield registry
    if request.param != "sqlite":
        registry.drop_schema()
    registry.engine.dispose()

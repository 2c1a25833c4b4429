"""The profile cache: hits while nothing changes, never a stale profile after a write by this
server or by anyone else (another connection, another process), on SQLite and PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import update

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from paradiplomacy import Registry
from paradiplomacy.api.cache import ProfileCache
from paradiplomacy.store.schema import Tie
from paradiplomacy.web.app import create_app
from tests.web_fixtures import backend  # noqa: F401


def _status(client: TestClient) -> str:
    return client.get("/api/actors/id:1").json()["ties"][0]["status"]


def _line_status(client: TestClient) -> str:
    features = client.get("/api/actors/id:1/map").json()["features"]
    return next(f["properties"]["status"] for f in features if f["properties"]["role"] == "tie")


def test_repeated_reads_hit_and_any_write_invalidates(backend):  # noqa: F811
    app = create_app(backend)
    client = TestClient(app)
    cache: ProfileCache = app.state.profiles
    assert cache.enabled
    assert _status(client) == "active" and _status(client) == "active"
    assert (cache.hits, cache.misses) == (1, 1)

    assert _line_status(client) == "active" and _line_status(client) == "active"

    other = Registry(backend.url)  # another engine: as another process would write
    with other.session() as session:
        session.execute(update(Tie).where(Tie.id == 1).values(status="ended"))
    assert _status(client) == "ended" and _line_status(client) == "ended"
    with backend.session() as session:  # this server's own engine
        session.execute(update(Tie).where(Tie.id == 1).values(status="suspended"))
    assert _status(client) == "suspended"
    other.engine.dispose()


def test_a_write_by_another_process_is_seen(backend):  # noqa: F811
    client = TestClient(create_app(backend))
    assert _status(client) == "active"
    script = (
        "import sys; from sqlalchemy import update; from paradiplomacy import Registry; "
        "from paradiplomacy.store.schema import Tie\n"
        "with Registry(sys.argv[1]).session() as s:\n"
        "    s.execute(update(Tie).where(Tie.id == 1).values(note='from elsewhere'))"
    )
    subprocess.run([sys.executable, "-c", script, backend.url], check=True)
    assert client.get("/api/actors/id:1").json()["ties"][0]["note"] == "from elsewhere"


def test_cache_off_and_unknown_actor(backend):  # noqa: F811
    app = create_app(backend, cache=0)
    client = TestClient(app)
    assert not app.state.profiles.enabled and _status(client) == "active"
    assert client.get("/api/actors/id:999").status_code == 404
    assert app.state.profiles.hits == 0


def test_memory_registries_are_not_cached():
    assert not ProfileCache(Registry("sqlite://")).enabled

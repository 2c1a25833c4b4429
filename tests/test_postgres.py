"""The same registry on a real PostgreSQL server (set PARADIPLOMACY_TEST_PG to a SQLAlchemy URL).

`.ci/run` starts the machine's PostgreSQL and sets the variable; elsewhere these tests are skipped.
"""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.ingest import import_file
from paradiplomacy.store.schema import Actor, Tie
from tests.conftest import write

URL = os.environ.get("PARADIPLOMACY_TEST_PG")
pytestmark = pytest.mark.skipif(not URL, reason="PARADIPLOMACY_TEST_PG is not set")


@pytest.fixture(scope="module")
def pg_url() -> str:
    registry = Registry(URL)
    registry.drop_schema()
    result = CliRunner().invoke(cli, ["init", "--db", URL, "--json"])
    assert result.exit_code == 0, result.output
    password = Registry(URL).engine.url.password
    if password:
        assert f":{password}@" not in result.output and "***" in result.output
    yield URL
    registry.drop_schema()


def test_init_fills_postgres_like_sqlite(pg_url, shared_registry):
    with Registry(pg_url).reader() as pg, shared_registry.reader() as lite:
        for model in (Actor, Tie):
            count = select(func.count()).select_from(model)
            assert pg.scalar(count) == lite.scalar(count)
        assert pg.execute(text("select 1")).scalar() == 1


def test_search_and_show_on_postgres(pg_url):
    result = CliRunner().invoke(cli, ["search", "Fuchū", "--json", "--db", pg_url])
    assert len(json.loads(result.output)) >= 2
    result = CliRunner().invoke(cli, ["show", "北九州市", "--json", "--db", pg_url])
    assert json.loads(result.output)["lg_code"] == "401005"


def test_transactional_import_on_postgres(pg_url, tmp_path):
    registry = Registry(pg_url)
    path = write(
        tmp_path / "t.csv",
        "kind,subject,object,object_country,start,end\n"
        "sister,北九州市,Tacoma,US,1959,\nsister,北九州市,Dalian,CN,1990,1980\n",
    )
    with registry.reader() as session:
        before = session.scalar(select(func.count()).select_from(Tie))
    assert not import_file(registry, path, "tie").committed
    report = import_file(registry, path, "tie", partial=True)
    # the bundled undated Kitakyūshū-Tacoma tie is dated, not doubled
    assert report.committed and dict(report.outcomes) == {"enriched": 1}
    assert import_file(registry, path, "tie", partial=True).outcomes == {"unchanged": 1}
    with registry.reader() as session:
        assert session.scalar(select(func.count()).select_from(Tie)) == before

"""``search`` reads a SQLite registry through the stdlib ``sqlite3`` module (no SQLAlchemy import)
with the same results, in the same order, as the ORM path (issue 12)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradiplomacy.cli.main import cli
from paradiplomacy.resolve import ranking
from paradiplomacy.resolve.find import OrmSource, search_actors
from paradiplomacy.resolve.sqlite_read import DEFAULT_PATH, ENV_VAR, open_source, sqlite_file
from paradiplomacy.store import registry as store_registry
from paradiplomacy.store.registry import Registry

QUERIES = [
    "神戸市",
    "Kobe",
    "Kōbe",
    "Koube",
    "KOBE",
    "Fuchū",
    "Fuchu",
    "府中市",
    "府中市（東京都）",
    "Minami",
    "南区",
    "清水市",
    "旧清水市",
    "Shimizu",
    "40100",
    "401005",
    "222011",
    "13104",
    "99999",
    "Portland",
    "Portland (Oregon)",
    "白山市",
    "大連",
    "Dalian (China)",
    "Seoul",
    "ソウル",
    "Setagaya (Tokyo)",
    "Niigata",
    "新潟",
    "Kitakyushu",
    "Kitakyūshū",
    "北九州市",
    "Paris",
    "Sapporoo",
    "Tokio",
    "jp-401005",
    "US",
    "Springfield",
    "Saint Petersburg",
    "St. Louis",
    "東京都",
    "Tōkyō",
    "Zzzyxtown",
]


def test_constants_agree_with_the_orm_side() -> None:
    assert (ENV_VAR, DEFAULT_PATH) == (store_registry.ENV_VAR, store_registry.DEFAULT_PATH)


def test_only_plain_sqlite_files_take_the_fast_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert sqlite_file("reg.db") == Path("reg.db")
    assert sqlite_file("sqlite:///reg.db") == Path("reg.db")
    assert sqlite_file("~/reg.db") == Path("~/reg.db").expanduser()
    for other in (
        "postgresql+psycopg://u@h/db",
        "sqlite://",
        "sqlite:///:memory:",
        "sqlite:///file:/x.db?mode=ro&uri=true",
        ":memory:",
    ):
        assert sqlite_file(other) is None, other
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env.db"))
    assert sqlite_file(None) == tmp_path / "env.db"
    # a missing file, an empty database, a database never initialised: the ORM path explains
    empty = tmp_path / "empty.db"
    sqlite3.connect(empty).close()
    made = tmp_path / "made.db"
    Registry(made).create_schema()
    for path in (tmp_path / "missing.db", empty, made):
        with open_source(str(path)) as source:
            assert source is None, path


def test_uninitialised_registry_gets_the_usual_message(tmp_path: Path) -> None:
    made = tmp_path / "made.db"
    Registry(made).create_schema()
    result = CliRunner().invoke(cli, ["search", "Kobe", "--db", str(made)])
    assert result.exit_code == 2 and "is not initialised: run `paradiplomacy init" in result.output


def test_both_paths_rank_alike(template_db: Path) -> None:
    registry = Registry(template_db)
    with registry.reader() as session, open_source(str(template_db)) as fast:
        assert fast is not None
        orm = OrmSource(session)
        for query in QUERIES:
            for options in ({}, {"limit": 3}):
                expected = ranking.search(orm, query, **options)
                assert ranking.search(fast, query, **options) == expected, (query, options)
        for query, country in (("Portland", "US"), ("Minami", "JP"), ("Paris", "FR")):
            assert ranking.search(fast, query, country=country) == search_actors(
                registry, query, country=country
            )
    ranked = {q: search_actors(registry, q) for q in ("Fuchū", "Minami", "清水市", "40100")}
    assert len(ranked["Fuchū"]) > 1 and len(ranked["Minami"]) > 1
    assert ranked["清水市"][0]["dissolved"] and ranked["清水市"][0]["successors"]
    assert ranked["40100"][0]["lg_code"] == "401005"


def test_cli_search_is_the_same_through_sqlite3_and_the_orm(template_db: Path) -> None:
    orm_url = f"sqlite:///file:{template_db.as_posix()}?mode=ro&uri=true"
    for query in ("Fuchū", "旧清水市", "40100", "Portland", "大連"):
        fast = CliRunner().invoke(cli, ["search", query, "--db", str(template_db), "--json"])
        slow = CliRunner().invoke(cli, ["search", query, "--db", orm_url, "--json"])
        assert fast.exit_code == slow.exit_code == 0, (fast.output, slow.output)
        assert json.loads(fast.output) == json.loads(slow.output), query


def test_search_loads_no_sqlalchemy(template_db: Path) -> None:
    code = (
        "import sys\nfrom paradiplomacy.cli.main import cli\n"
        f"sys.argv = ['paradiplomacy', 'search', 'Fuchū', '--db', {str(template_db)!r}]\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stderr.split())
    assert "Fuchū" in done.stdout or "Fuchu" in done.stdout
    assert not {"sqlalchemy", "sqlalchemy.orm", "pandas", "numpy"} & loaded

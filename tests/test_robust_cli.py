"""Regression tests for each defect class of issue 10, through the CLI and the Python API.

Every hostile input ends in one clear line and a non-zero exit, or in valid data; after every
rejected input the registry is unchanged and passes ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.ingest import import_file
from paradiplomacy.store.registry import DatabaseUnavailable, RegistryError
from tests.robust_support import digest, integrity_ok, small_registry, tried


def run(*args: str, db=None, env=None) -> tuple[int, str]:
    argv = [*map(str, args)] + (["--db", str(db)] if db is not None else [])
    tried("cli")
    result = CliRunner().invoke(cli, argv, env=env)
    output = result.output
    assert "Traceback" not in output, output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{argv} raised {result.exception!r}") from result.exception
    return result.exit_code, output


@pytest.fixture
def small(tmp_path: Path) -> Path:
    registry = small_registry(tmp_path)
    path = registry.sqlite_path
    registry.engine.dispose()
    return path


def unchanged(path: Path, before: str) -> None:
    registry = Registry(path)
    assert digest(registry) == before, "a rejected input changed the registry"
    assert integrity_ok(registry)
    registry.engine.dispose()


def snapshot(path: Path) -> str:
    registry = Registry(path)
    value = digest(registry)
    registry.engine.dispose()
    return value


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# -- bad values: rejected with a reason, nothing stored ---------------------------------------

HOSTILE_FILES = {
    "year0.csv": ("tie", "kind,subject,object,start\nsister,Sapporo,Portland,0000\n", "year"),
    "feb30.yaml": ("tie", "- {kind: sister, subject: Sapporo, object: Portland, start: 2001-02-30}\n",
                   "day out of range"),
    "nan.csv": ("budget", "fiscal_year,category,amount\n2001,x,nan\n", "finite"),
    "inf.yaml": ("observation", "- {key: o-x, measure: m, value: .inf}\n", "finite"),
    "nan.json": ("observation", '[{"key": "o-x", "measure": "m", "value": NaN}]', "NaN"),
    "bigint.csv": ("actor", "key,kind,name_en,population\nx-1,bank,X,99999999999999999999999\n",
                   "out of range"),
    "bigstaff.json": ("office", '[{"key": "o-1", "staff": 9223372036854775808}]', "out of range"),
    "coords.csv": ("actor", "key,kind,name_en,lat,lon\nx-1,bank,X,1782,654\n", "out of range"),
    "negative.csv": ("budget", "fiscal_year,category,amount\n-2001,x,-5\n", "out of range"),
    "selfparent.csv": ("actor", "key,kind,name_en,parent\nx-1,bank,X,x-1\n", "own parent"),
    "longname.csv": ("actor", "key,kind,name_en\nx-1,bank," + "x" * 10_000 + "\n", "too long"),
    "dupkeys.yaml": ("actor", "- {key: x-1, kind: bank, kind: ngo, name_en: X}\n", "duplicate key"),
    "dupowner.csv": ("office", "key,owners\no-2,Kitakyushu;北九州市\n", "same actor"),
    "dupowner2.csv": ("office", "key,owners\no-2,Sapporo;Sapporo\n", "listed twice"),
    "kindnum.json": ("tie", '{"kind": 5, "records": [{"subject": "a"}]}', "must be text"),
    "unterminated.csv": ("tie", 'kind,subject,object,note\nsister,Sapporo,Portland,"open\n'
                         "sister,Kitakyushu,Dalian,lost\n", "never closed"),
    "evil.csv": ("actor", "key,kind,name_en,country\njp-401005,bank,Evil Bank,US\n", "conflict"),
    "ansi.csv": ("actor", "key,kind,name_en\nx-1,bank,\x1b[31mred\n", "control"),
    "bidi.csv": ("actor", "key,kind,name_en\nx-1,bank,\u202eevil\n", "control"),
    "deep.json": ("tie", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "currency.csv": ("budget", "fiscal_year,category,amount,currency\n2001,x,5,YENS\n", "3-letter"),
    "unit.csv": ("budget", "fiscal_year,category,amount,unit\n2001,x,5,gigayen\n", "unknown unit"),
    "budgetunit.csv": ("budget", "fiscal_year,category,amount,unit\n2001,x,1e15,billion_yen\n",
                       "out of range"),
    "dims.json": ("observation", '[{"key": "o-x", "measure": "m", "value": 1, '
                  '"dimensions": {"a": {"b": 1}}}]', "dimensions"),
    "boolnum.json": ("observation", '[{"key": "o-x", "measure": "m", "value": true}]',
                     "not a number"),
    "builtinkey.yaml": ("observation", "- {key: obs-1, measure: other, value: 5}\n", "conflict"),
    "builtinowner.csv": ("office", "key,owners\noff-1,Sapporo\n", "conflict"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
@pytest.mark.parametrize("mode", ["plain", "--dry-run", "--partial"])
def test_hostile_values_are_rejected_and_nothing_is_stored(small, tmp_path, name, mode):
    kind, text, reason = HOSTILE_FILES[name]
    path = write(tmp_path / name, text)
    before = snapshot(small)
    args = ["import", path, "--kind", kind, "--json", "--quiet"] + ([mode] if mode != "plain" else [])
    status, output = run(*args, db=small)
    assert status != 0
    assert reason.lower() in output.lower(), output
    unchanged(small, before)


def test_builtin_records_change_only_when_asked(small, tmp_path):
    path = write(tmp_path / "evil.csv", "key,kind,name_en,country\njp-401005,bank,Evil Bank,US\n")
    status, output = run("import", path, "--kind", "actor", "--quiet", db=small)
    assert status == 1 and "conflict" in output and "--allow-overwrite-builtin" in output
    status, output = run("import", path, "--kind", "actor", "--quiet", "--allow-overwrite-builtin",
                         db=small)
    assert status == 0 and "1 updated" in output
    # filling a value the built-in record lacks is not a conflict
    fill = write(tmp_path / "fill.csv",
                 "key,kind,name_en,population\ncn-dalian,foreign_city,Dalian,6000000\n")
    status, output = run("import", fill, "--kind", "actor", "--quiet", db=small)
    assert status == 0 and "1 updated" in output


def test_a_parent_cycle_is_refused(small, tmp_path):
    first = write(tmp_path / "a.csv", "key,kind,name_en,parent\nx-a,bank,A,\nx-b,bank,B,x-a\n")
    assert run("import", first, "--kind", "actor", "--quiet", db=small)[0] == 0
    before = snapshot(small)
    cycle = write(tmp_path / "b.csv", "key,kind,name_en,parent\nx-a,bank,A,x-b\n")
    status, output = run("import", cycle, "--kind", "actor", "--quiet", db=small)
    assert status == 1 and "cycle" in output
    unchanged(small, before)


def test_partial_keeps_good_rows_and_a_failed_row_leaves_no_trace(small, tmp_path):
    path = write(tmp_path / "o.csv", "key,owners,staff\no-2,Sapporo,2\no-3,Sapporo;札幌市,1\n")
    status, output = run("import", path, "--kind", "office", "--partial", "--json", "--quiet",
                         db=small)
    assert status == 0
    report = json.loads(output[output.index("{"):])
    assert report["committed"] and report["loaded"] == 1 and len(report["rejections"]) == 1
    registry = Registry(small)
    with registry.engine.connect() as conn:
        keys = [r[0] for r in conn.exec_driver_sql("SELECT key FROM office ORDER BY key")]
    assert keys == ["o-2", "off-1"] and integrity_ok(registry)


# -- bad databases and options: one line, non-zero exit ----------------------------------------

@pytest.mark.parametrize("url", ["mysql://user:secret@host/db", "foo://bar", "oracle://x/y",
                                 "sqlite+nosuchdriver:///x.db", "://", "postgresql+nosuch://u@h/d"])
@pytest.mark.parametrize("command", [("show", "Kobe"), ("search", "Kobe"), ("init",),
                                     ("export", "--format", "json", "--out", "x.json")])
def test_unsupported_database_urls_are_one_clear_line(url, command):
    status, output = run(*command, db=url)
    assert status == 2 and output.startswith("error:") and len(output.strip().splitlines()) == 1
    assert "secret" not in output


@pytest.mark.parametrize("args", [
    ("import", "missing.csv", "--kind", "tie"), ("import", ".", "--kind", "tie"),
    ("export", "--format", "xml", "--out", "x"), ("show", "no such actor anywhere"),
    ("search", "Kobe", "--limit", "abc"), ("stats", "affiliations", "--by", "nonsense"),
    ("export", "--format", "json", "--out", "x.json", "--country", "Atlantis"),
    ("stats", "affiliations", "--by", "government-type", "--as-of", "0000"),
    ("stats", "affiliations", "--by", "series", "--as-of", "2001-02-30"),
    ("classify", "Sapporo", "--as-of", "9999"),
])
def test_bad_arguments_are_clear_errors(small, args):
    status, output = run(*args, db=small)
    assert status != 0 and "Traceback" not in output


def test_a_locked_registry_waits_then_says_why(small, tmp_path):
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    before = snapshot(small)
    holder = sqlite3.connect(small, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        status, output = run("import", path, "--kind", "tie", "--quiet", db=small,
                             env={"PARADIPLOMACY_BUSY_TIMEOUT": "0.5"})
        assert status == 2 and "locked" in output and time.monotonic() - started >= 0.5
    finally:
        holder.rollback()
        holder.close()
    unchanged(small, before)


def test_concurrent_writers_wait_for_each_other(small, tmp_path):
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    holder = sqlite3.connect(small, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.7, holder.rollback)
    release.start()
    try:
        report = import_file(Registry(small), path, "tie")
    finally:
        release.join()
        holder.close()
    assert report.committed and report.outcomes["added"] == 1


def test_a_read_only_registry_can_be_queried_not_changed(small, tmp_path):
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    before = snapshot(small)
    uri = f"sqlite:///file:{small}?mode=ro&uri=true"
    status, output = run("show", "jp-401005", "--json", db=uri)
    assert status == 0 and json.loads(output)["key"] == "jp-401005"
    status, output = run("import", path, "--kind", "tie", "--quiet", db=uri)
    assert status == 2 and "read-only" in output
    registry = Registry(small, read_only=True)
    with registry.reader() as session:
        assert session.execute(registry_probe()).scalar() > 0
    with pytest.raises(DatabaseUnavailable, match="read-only"):
        import_file(registry, path, "tie")
    unchanged(small, before)


def registry_probe():
    from sqlalchemy import func, select

    from paradiplomacy.store.schema import Actor

    return select(func.count(Actor.id))


def test_read_only_files_are_opened_read_only(small, monkeypatch):
    import paradiplomacy.store.registry as module

    monkeypatch.setattr(module, "_read_only_file", lambda path: True)
    registry = Registry(small)
    assert registry.read_only and registry.is_initialised()
    assert "mode=ro" in str(registry.engine.url)


def test_a_full_disk_is_a_clear_error_and_rolls_back(small, tmp_path):
    rows = "\n".join(f"x-{i},bank,Bank {i},{'n' * 3000}" for i in range(300))
    path = write(tmp_path / "big.csv", "key,kind,name_en,note\n" + rows + "\n")
    before = snapshot(small)
    registry = Registry(small)

    @event.listens_for(registry.engine, "connect")
    def _cap(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    with pytest.raises(DatabaseUnavailable, match="full"):
        import_file(registry, path, "actor")
    registry.engine.dispose()
    unchanged(small, before)


# -- outputs that would overwrite inputs ---------------------------------------------------------

def test_outputs_never_overwrite_the_registry_or_the_input(small, tmp_path):
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    before = snapshot(small)
    for args in (("export", "--format", "json", "--out", small),
                 ("export", "--format", "graphml", "--out", f"{small}-wal"),
                 ("import", path, "--kind", "tie", "--rejections", path),
                 ("import", path, "--kind", "tie", "--rejections", small)):
        status, output = run(*args, db=small)
        assert status == 2 and "would overwrite" in output, output
    assert path.read_text(encoding="utf-8").startswith("kind,subject")
    unchanged(small, before)


def test_export_directory_holding_the_registry_is_refused(tmp_path):
    registry = small_registry(tmp_path)
    inside = tmp_path / "out"
    inside.mkdir()
    target = inside / "actor.csv"
    registry.sqlite_path.rename(target)
    status, output = run("export", "--format", "csv", "--out", inside, db=target)
    assert status == 2 and "registry" in output


def test_unwritable_rejection_report_fails_before_anything_is_stored(small, tmp_path):
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\nsister,X,Y\n")
    before = snapshot(small)
    status, output = run("import", path, "--kind", "tie", "--partial", "--rejections",
                         "/nonexistent/x.csv", db=small)
    assert status == 2 and "does not exist" in output
    unchanged(small, before)


# -- what leaves the registry: terminal, XML, JSON ------------------------------------------------

def _tamper(path: Path, sql: str, *params) -> None:
    """Store text the importer would refuse (as an older version or another tool could have)."""
    conn = sqlite3.connect(path)
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_names_with_markup_and_escapes_are_shown_literally(small, tmp_path):
    markup = write(tmp_path / "m.csv", "key,kind,name_en,country\nx-m,bank,[/bold] x [red]y,US\n")
    tie = write(tmp_path / "t.csv", "kind,subject,object\nfunding,x-m,Kitakyushu\n")
    assert run("import", markup, "--kind", "actor", db=small)[0] == 0
    assert run("import", tie, "--kind", "tie", db=small)[0] == 0
    _tamper(small, "UPDATE actor SET name_ja = ? WHERE key = 'x-m'", "\x1b[2J\x9b31m\x07evil")
    for args in (("show", "Kitakyushu"), ("show", "x-m"), ("search", "x-m"),
                 ("search", "[/bold] x")):
        status, output = run(*args, db=small)
        assert status in (0, 1), output
        assert "\x1b" not in output and "\x9b" not in output and "\x07" not in output
    status, output = run("show", "Kitakyushu", db=small)
    assert "[/bold] x" in output
    status, output = run("show", "x-m", "--json", db=small)
    assert json.loads(output)["name_ja"] == "\x1b[2J\x9b31m\x07evil" and "\x9b" not in output


def test_graph_exports_are_valid_xml_and_json_has_no_nan(small, tmp_path):
    tie = write(tmp_path / "t.csv", "kind,subject,object\nfunding,bank-x,Kitakyushu\n")
    assert run("import", tie, "--kind", "tie", db=small)[0] == 0
    _tamper(small, "UPDATE actor SET name_en = ?, note = ? WHERE key = 'bank-x'",
            "Bank\x00\x01\x0b\ufffe\x1b", "note\x02")
    _tamper(small, "UPDATE actor SET lat = ? WHERE key = 'bank-x'", float("nan"))
    _tamper(small, "UPDATE observation SET value = ? WHERE key = 'obs-1'", float("inf"))
    for fmt in ("graphml", "gexf"):
        out = tmp_path / f"g.{fmt}"
        status, output = run("export", "--format", fmt, "--out", out, db=small)
        assert status == 0, output
        ET.parse(out)
    out = tmp_path / "e.json"
    assert run("export", "--format", "json", "--out", out, db=small)[0] == 0

    def refuse(name):
        raise ValueError(name)

    document = json.loads(out.read_text(encoding="utf-8"), parse_constant=refuse)
    assert any(o["key"] == "obs-1" and o["value"] is None for o in document["tables"]["observation"])


# -- export, then import: the same registry ---------------------------------------------------------

def _tables(path: Path) -> dict[str, list[str]]:
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    return {name: sorted(json.dumps({k: v for k, v in row.items()
                                     if k != "id" and not k.endswith("_id") and k != "actor_ids"},
                                    sort_keys=True) for row in rows)
            for name, rows in tables.items()}


def _populate(path: Path, tmp_path: Path) -> None:
    files = {
        "actor": "key,kind,name_en,country,lat,lon,population,parent,note\n"
                 "us-bank,bank,Bank US,US,40.1,-75.2,12,,\"quoted, note\"\n"
                 "us-branch,bank,Branch,US,,,,us-bank,\n",
        "tie": "kind,subject,object,start,end,role,note\n"
               "funding,us-bank,Kitakyushu,1999,2003-04,lender,日本語のメモ\n"
               "sister,Sapporo,us-portland,1959-11-17,,,\n",
        "office": "key,name,owners,city,model,functions,focus,staff\n"
                  "off-y,Y office,Sapporo;jp-401005,us-portland,independent,"
                  "trade_promotion;other,SME support;food export,3\n",
        "observation": "key,measure,value,dimensions,as_of\n"
                       "obs-x,affiliations,12.5,government_type=city;partner_country=US,2001-04\n",
        "coalition_member": "coalition,member,role\nkd,us-bank,funder\n",
        "coalition_event": "coalition,date,title,actors,channel\n"
                           "kd,1981-05,Visit,Kitakyushu;Dalian,local_diplomacy\n",
        "budget": "actor,fiscal_year,category,amount,unit\nSapporo,2001,exchange,1.5,million_yen\n",
        "strategy": "actor,title,adopted,revised,pillars,themes\n"
                    "Sapporo,Plan,2010,2015;2020,acquire_external_demand,tourism\n",
        "programme": "key,actor,name,kind,partner,start\nprog-1,Sapporo,P,exchange,us-portland,1990\n",
        "adoption": "actor,policy,date\nSapporo,overseas_office,2005-04\n",
    }
    for kind, text in files.items():
        status, output = run("import", write(tmp_path / f"in-{kind}.csv", text), "--kind", kind,
                             "--quiet", db=path)
        assert status == 0, output


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_then_import_gives_the_same_registry(tmp_path, fmt):
    source = small_registry(tmp_path / "a" if (tmp_path / "a").mkdir() is None else tmp_path)
    _populate(source.sqlite_path, tmp_path)
    exported = tmp_path / ("a.json" if fmt == "json" else "a-csv")
    assert run("export", "--format", fmt, "--out", exported, db=source.sqlite_path)[0] == 0
    target = small_registry(tmp_path / "b" if (tmp_path / "b").mkdir() is None else tmp_path)
    status, output = run("import", exported, "--quiet", db=target.sqlite_path)
    assert status == 0, output
    status, output = run("import", exported, "--quiet", "--json", db=target.sqlite_path)
    report = json.loads(output)
    assert status == 0 and not any("added" in k or "updated" in k for k in report["outcomes"])
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    assert run("export", "--format", "json", "--out", first, db=source.sqlite_path)[0] == 0
    assert run("export", "--format", "json", "--out", second, db=target.sqlite_path)[0] == 0
    assert _tables(first) == _tables(second)
    assert integrity_ok(Registry(target.sqlite_path))


def test_a_single_exported_csv_table_is_accepted(tmp_path):
    source = small_registry(tmp_path)
    exported = tmp_path / "out"
    assert run("export", "--format", "csv", "--out", exported, db=source.sqlite_path)[0] == 0
    status, output = run("import", exported / "tie.csv", "--kind", "tie", "--quiet",
                         db=source.sqlite_path)
    assert status == 0 and "tie unchanged" in output


def test_export_round_trip_on_an_initialised_registry(template_db, tmp_path):
    exported = tmp_path / "full.json"
    assert run("export", "--format", "json", "--out", exported, db=template_db)[0] == 0
    copy = tmp_path / "copy.db"
    copy.write_bytes(Path(template_db).read_bytes())
    status, output = run("import", exported, "--quiet", "--json", db=copy)
    report = json.loads(output)
    assert status == 0 and report["committed"] and not report["rejections"]
    assert all(k.endswith("unchanged") for k in report["outcomes"]), report["outcomes"]


def test_registry_error_for_bad_url_in_the_api():
    with pytest.raises(RegistryError, match="unsupported database"):
        Registry("mysql://u:p@h/d")


def test_exports_never_replace_a_device_or_pipe(small, tmp_path):
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    status, output = run("export", "--format", "json", "--out", fifo, db=small)
    assert status == 2 and "pipe" in output
    from paradiplomacy.ingest.export import ExportError, export_registry

    with pytest.raises(ExportError, match="not a regular file"):
        export_registry(Registry(small), fifo, "json")
    assert fifo.is_fifo()


def test_conflicting_tie_values_are_conflicts_not_updates(small, tmp_path):
    builtin = write(tmp_path / "b.csv", "kind,subject,object,start\nfriendship,Kitakyushu,Dalian,1985\n")
    before = snapshot(small)
    status, output = run("import", builtin, "--kind", "tie", "--quiet", db=small)
    assert status == 1 and "conflict" in output and "1979" in output
    unchanged(small, before)
    first = write(tmp_path / "u1.csv", "kind,subject,object,start\nsister,Sapporo,us-portland,1959\n")
    again = write(tmp_path / "u2.csv", "kind,subject,object,start\nsister,Sapporo,us-portland,1960\n")
    assert run("import", first, "--kind", "tie", "--quiet", db=small)[0] == 0
    status, output = run("import", again, "--kind", "tie", "--quiet", "--json", db=small)
    assert status == 0 and json.loads(output)["outcomes"] == {"conflict (kept)": 1}


ARG_TEXT = st.one_of(
    st.sampled_from(["[/bold]", "\x1b[31m", "Kitakyushu", "jp-401005", "", "-", "--json", "0",
                     "-1", "99999999999999999999", "nan", "US", "Atlantis", "tie", "actor",
                     "sister", "json", "csv", "gexf", "xml", "2001-02-30", "0000", "../..",
                     "/nonexistent/x", "\u202e", "x" * 3000]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=15),
)
COMMAND_LINES = st.one_of(
    st.tuples(st.just("search"), ARG_TEXT, st.just("--limit"), ARG_TEXT),
    st.tuples(st.just("show"), ARG_TEXT, st.just("--country"), ARG_TEXT),
    st.tuples(st.just("show"), ARG_TEXT, st.just("--json")),
    st.tuples(st.just("export"), st.just("--format"), ARG_TEXT, st.just("--table"), ARG_TEXT,
              st.just("--country"), ARG_TEXT, st.just("--out")),
    st.tuples(st.just("stats"), st.sampled_from(["affiliations", "offices", "strategies",
                                                 "coverage"]), st.just("--by"), ARG_TEXT),
    st.tuples(st.just("network"), st.sampled_from(["metrics", "ego"]), ARG_TEXT),
    st.tuples(st.just("channels"), ARG_TEXT, st.just("--target"), ARG_TEXT),
)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(argv=COMMAND_LINES)
def test_hostile_command_lines_never_end_in_a_traceback(small, tmp_path, argv):
    argv = list(argv)
    if argv[-1] == "--out":
        argv.append(str(tmp_path / "out.any"))
    status, output = run(*argv, db=small)
    assert status in (0, 1, 2), output
    if status != 0 and "Usage:" not in output and "Error:" not in output:
        assert output.strip().splitlines()[-1].startswith(("error:", "No actor")), output


EXTREMES = {
    "tie": "kind,subject,object,start,end\nsister,Sapporo,Dalian,0001,2200-12-31\n"
           "friendship,Otaru,Dalian,2200,\nsister,Kobe,Dalian,0001-01-01,0001-01-02\n",
    "budget": "actor,fiscal_year,category,amount,unit\nSapporo,2200,x,1000000000,billion_yen\n"
              ",1868,y,0,yen\n",
    "observation": "key,measure,value,as_of,dimensions\n"
                   "obs-big,affiliations,1e18,2200-12-31,government_type=city\n"
                   "obs-neg,affiliations,-1e18,0001,government_type=city;partner_country=US\n",
    "adoption": "actor,policy,date\nSapporo,overseas_office,0001\n",
    "strategy": "actor,title,adopted,pillars\nSapporo,Plan,2200-12-31,acquire_external_demand\n",
    "office": "key,name,owners,city,opened,closed,staff\noff-z,Z,Sapporo,Dalian,0001,2200,1000000\n",
}


def test_the_most_extreme_accepted_values_break_no_other_command(registry_path, tmp_path):
    for kind, text in EXTREMES.items():
        status, output = run("import", write(tmp_path / f"{kind}.csv", text), "--kind", kind,
                             "--quiet", db=registry_path)
        assert status == 0, output
    for args in (("stats", "affiliations", "--by", "series"), ("stats", "coverage", "--summary"),
                 ("stats", "offices", "--by", "shifts"), ("stats", "strategies", "--by", "type"),
                 ("classify", "Sapporo"), ("show", "Sapporo"),
                 ("report", "--out", tmp_path / "r.html"),
                 ("export", "--format", "json", "--out", tmp_path / "e.json"),
                 ("export", "--format", "gexf", "--out", tmp_path / "e.gexf")):
        status, output = run(*args, db=registry_path)
        assert status == 0, (args, output)


def test_the_spreadsheet_file_does_not_carry_formulas(small, tmp_path):
    actor = write(tmp_path / "a.csv", 'key,kind,name_en\nx-f,bank,"=HYPERLINK(""http://x"",""y"")"\n')
    tie = write(tmp_path / "t.csv", "kind,subject,object,note\nfunding,x-f,Kitakyushu,@SUM(1)\n")
    assert run("import", actor, "--kind", "actor", db=small)[0] == 0
    assert run("import", tie, "--kind", "tie", db=small)[0] == 0
    assert run("export", "--format", "csv", "--out", tmp_path / "csv", db=small)[0] == 0
    readable = (tmp_path / "csv" / "ties_readable.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in readable and "'@SUM(1)" in readable
    assert '=HYPERLINK(""http://x""' in (tmp_path / "csv" / "actor.csv").read_text(encoding="utf-8")


def test_outputs_refuse_pipes_that_could_block_forever(small, tmp_path):
    import os

    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    for args in (("import", path, "--kind", "tie", "--rejections", pipe),
                 ("report", "--out", pipe)):
        status, output = run(*args, db=small)
        assert status == 2 and "pipe" in output

"""Regression tests for each defect class of issue 10, through the CLI and the Python API.

Every hostile input ends in one clear line and a non-zero exit, or in valid data; after every
rejected input the registry is unchanged and passes ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from paradiplomacy import Registry
from paradiplomacy.ingest import import_file
from paradiplomacy.store.registry import DatabaseUnavailable, RegistryError
from tests.robust_support import (
    integrity_ok,
    run,
    small_registry_file,
    snapshot,
    unchanged,
    write,
)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return small_registry_file(tmp_path)


# -- bad values: rejected with a reason, nothing stored ---------------------------------------

HOSTILE_FILES = {
    "year0.csv": ("tie", "kind,subject,object,start\nsister,Sapporo,Portland,0000\n", "year"),
    "feb30.yaml": (
        "tie",
        "- {kind: sister, subject: Sapporo, object: Portland, start: 2001-02-30}\n",
        "is not a day",
    ),
    "nan.csv": ("budget", "fiscal_year,category,amount\n2001,x,nan\n", "finite"),
    "inf.yaml": ("observation", "- {key: o-x, measure: m, value: .inf}\n", "finite"),
    "nan.json": ("observation", '[{"key": "o-x", "measure": "m", "value": NaN}]', "NaN"),
    "bigint.csv": (
        "actor",
        "key,kind,name_en,population\nx-1,bank,X,99999999999999999999999\n",
        "out of range",
    ),
    "bigstaff.json": ("office", '[{"key": "o-1", "staff": 9223372036854775808}]', "out of range"),
    "coords.csv": ("actor", "key,kind,name_en,lat,lon\nx-1,bank,X,1782,654\n", "out of range"),
    "negative.csv": ("budget", "fiscal_year,category,amount\n-2001,x,-5\n", "out of range"),
    "selfparent.csv": ("actor", "key,kind,name_en,parent\nx-1,bank,X,x-1\n", "own parent"),
    "longname.csv": ("actor", "key,kind,name_en\nx-1,bank," + "x" * 10_000 + "\n", "too long"),
    "dupkeys.yaml": ("actor", "- {key: x-1, kind: bank, kind: ngo, name_en: X}\n", "duplicate key"),
    "dupowner.csv": ("office", "key,owners\no-2,Kitakyushu;北九州市\n", "same actor"),
    "dupowner2.csv": ("office", "key,owners\no-2,Sapporo;Sapporo\n", "listed twice"),
    "kindnum.json": ("tie", '{"kind": 5, "records": [{"subject": "a"}]}', "must be text"),
    "unterminated.csv": (
        "tie",
        'kind,subject,object,note\nsister,Sapporo,Portland,"open\nsister,Kitakyushu,Dalian,lost\n',
        "never closed",
    ),
    "evil.csv": ("actor", "key,kind,name_en,country\njp-401005,bank,Evil Bank,US\n", "conflict"),
    "ansi.csv": ("actor", "key,kind,name_en\nx-1,bank,\x1b[31mred\n", "control"),
    "bidi.csv": ("actor", "key,kind,name_en\nx-1,bank,\u202eevil\n", "control"),
    "deep.json": ("tie", "[" * 100_000 + "]" * 100_000, "nested too deeply"),
    "currency.csv": ("budget", "fiscal_year,category,amount,currency\n2001,x,5,YENS\n", "3-letter"),
    "unit.csv": ("budget", "fiscal_year,category,amount,unit\n2001,x,5,gigayen\n", "unknown unit"),
    "budgetunit.csv": (
        "budget",
        "fiscal_year,category,amount,unit\n2001,x,1e15,billion_yen\n",
        "out of range",
    ),
    "dims.json": (
        "observation",
        '[{"key": "o-x", "measure": "m", "value": 1, "dimensions": {"a": {"b": 1}}}]',
        "dimensions",
    ),
    "boolnum.json": ("observation", '[{"key": "o-x", "measure": "m", "value": true}]', "not a number"),
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
    status, output = run("import", path, "--kind", "actor", "--quiet", "--allow-overwrite-builtin", db=small)
    assert status == 0 and "1 updated" in output
    # filling a value the built-in record lacks is not a conflict
    fill = write(
        tmp_path / "fill.csv", "key,kind,name_en,population\ncn-dalian,foreign_city,Dalian,6000000\n"
    )
    status, output = run("import", fill, "--kind", "actor", "--quiet", db=small)
    assert status == 0 and "1 updated" in output


def test_a_contradicted_value_is_named_with_its_row(small, tmp_path):
    """Two rows of one file give the same tie different start dates: the second is refused,
    reported with its row, field and both values, until --prefer settles it."""
    path = write(
        tmp_path / "dup.csv",
        "kind,subject,object,start\nsister,Sapporo,Portland,1959\nsister,Sapporo,Portland,1960\n",
    )
    status, output = run("import", path, "--kind", "tie", "--quiet", "--json", db=small)
    assert status == 1, output
    conflicts = json.loads(output[output.index("{") :])["conflicts"]
    assert [(c["row"], c["field"], c["old"], c["new"]) for c in conflicts] == [(3, "start", "1959", "1960")]
    status, output = run("import", path, "--kind", "tie", "--quiet", db=small)
    assert "conflict: row 3, start" in output and "the file says 1960" in output
    status, output = run("import", path, "--kind", "tie", "--quiet", "--prefer", "old", db=small)
    assert status == 0 and "kept the registry's value" in output


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
    status, output = run("import", path, "--kind", "office", "--partial", "--json", "--quiet", db=small)
    assert status == 0
    report = json.loads(output[output.index("{") :])
    assert report["committed"] and report["loaded"] == 1 and len(report["rejections"]) == 1
    registry = Registry(small)
    with registry.engine.connect() as conn:
        keys = [r[0] for r in conn.exec_driver_sql("SELECT key FROM office ORDER BY key")]
    assert keys == ["o-2", "off-1"] and integrity_ok(registry)


# -- bad databases and options: one line, non-zero exit ----------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "mysql://user:secret@host/db",
        "foo://bar",
        "oracle://x/y",
        "sqlite+nosuchdriver:///x.db",
        "://",
        "postgresql+nosuch://u@h/d",
    ],
)
@pytest.mark.parametrize(
    "command",
    [("show", "Kobe"), ("search", "Kobe"), ("init",), ("export", "--format", "json", "--out", "x.json")],
)
def test_unsupported_database_urls_are_one_clear_line(url, command):
    status, output = run(*command, db=url)
    assert status == 2 and output.startswith("error:") and len(output.strip().splitlines()) == 1
    assert "secret" not in output


@pytest.mark.parametrize(
    "args",
    [
        ("import", "missing.csv", "--kind", "tie"),
        ("import", ".", "--kind", "tie"),
        ("export", "--format", "xml", "--out", "x"),
        ("show", "no such actor anywhere"),
        ("search", "Kobe", "--limit", "abc"),
        ("stats", "affiliations", "--by", "nonsense"),
        ("export", "--format", "json", "--out", "x.json", "--country", "Atlantis"),
        ("stats", "affiliations", "--by", "government-type", "--as-of", "0000"),
        ("stats", "affiliations", "--by", "series", "--as-of", "2001-02-30"),
        ("classify", "Sapporo", "--as-of", "9999"),
    ],
)
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
        status, output = run(
            "import", path, "--kind", "tie", "--quiet", db=small, env={"PARADIPLOMACY_BUSY_TIMEOUT": "0.5"}
        )
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


def test_registry_error_for_bad_url_in_the_api():
    with pytest.raises(RegistryError, match="unsupported database"):
        Registry("mysql://u:p@h/d")


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
    assert status == 1 and json.loads(output)["conflicts"][0]["settled"] == "rejected"
    status, output = run("import", again, "--kind", "tie", "--quiet", "--json", "--prefer", "old", db=small)
    assert status == 0 and json.loads(output)["outcomes"] == {"conflict": 1}


ARG_TEXT = st.one_of(
    st.sampled_from(
        [
            "[/bold]",
            "\x1b[31m",
            "Kitakyushu",
            "jp-401005",
            "",
            "-",
            "--json",
            "0",
            "-1",
            "99999999999999999999",
            "nan",
            "US",
            "Atlantis",
            "tie",
            "actor",
            "sister",
            "json",
            "csv",
            "gexf",
            "xml",
            "2001-02-30",
            "0000",
            "../..",
            "/nonexistent/x",
            "\u202e",
            "x" * 3000,
        ]
    ),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=15),
)
COMMAND_LINES = st.one_of(
    st.tuples(st.just("search"), ARG_TEXT, st.just("--limit"), ARG_TEXT),
    st.tuples(st.just("show"), ARG_TEXT, st.just("--country"), ARG_TEXT),
    st.tuples(st.just("show"), ARG_TEXT, st.just("--json")),
    st.tuples(
        st.just("export"),
        st.just("--format"),
        ARG_TEXT,
        st.just("--table"),
        ARG_TEXT,
        st.just("--country"),
        ARG_TEXT,
        st.just("--out"),
    ),
    st.tuples(
        st.just("stats"),
        st.sampled_from(["affiliations", "offices", "strategies", "coverage"]),
        st.just("--by"),
        ARG_TEXT,
    ),
    st.tuples(st.just("network"), st.sampled_from(["metrics", "ego"]), ARG_TEXT),
    st.tuples(st.just("channels"), ARG_TEXT, st.just("--target"), ARG_TEXT),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=COMMAND_LINES)
def test_hostile_command_lines_never_end_in_a_traceback(small, tmp_path, argv):
    argv = list(argv)
    if argv[-1] == "--out":
        argv.append(str(tmp_path / "out.any"))
    status, output = run(*argv, db=small)
    assert status in (0, 1, 2), output
    if status != 0 and "Usage:" not in output and "Error:" not in output:
        assert output.strip().splitlines()[-1].startswith(("error:", "No actor")), output

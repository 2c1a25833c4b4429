"""Regression tests for what leaves the registry (issue 10): terminal, HTML, XML and JSON output,
output paths that would overwrite an input, and exports that import back as the same registry."""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from paradiplomacy import Registry
from tests.robust_support import (
    integrity_ok,
    run,
    small_registry,
    small_registry_file,
    snapshot,
    unchanged,
    write,
)


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return small_registry_file(tmp_path)


# -- outputs that would overwrite inputs ---------------------------------------------------------


def test_outputs_never_overwrite_the_registry_or_the_input(small, tmp_path):
    path = write(tmp_path / "t.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    before = snapshot(small)
    for args in (
        ("export", "--format", "json", "--out", small),
        ("export", "--format", "graphml", "--out", f"{small}-wal"),
        ("import", path, "--kind", "tie", "--rejections", path),
        ("import", path, "--kind", "tie", "--rejections", small),
    ):
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
    status, output = run(
        "import", path, "--kind", "tie", "--partial", "--rejections", "/nonexistent/x.csv", db=small
    )
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
    for args in (("show", "Kitakyushu"), ("show", "x-m"), ("search", "x-m"), ("search", "[/bold] x")):
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
    _tamper(
        small,
        "UPDATE actor SET name_en = ?, note = ? WHERE key = 'bank-x'",
        "Bank\x00\x01\x0b\ufffe\x1b",
        "note\x02",
    )
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
    return {
        name: sorted(
            json.dumps(
                {k: v for k, v in row.items() if k != "id" and not k.endswith("_id") and k != "actor_ids"},
                sort_keys=True,
            )
            for row in rows
        )
        for name, rows in tables.items()
    }


def _populate(path: Path, tmp_path: Path) -> None:
    files = {
        "actor": "key,kind,name_en,country,lat,lon,population,parent,note\n"
        'us-bank,bank,Bank US,US,40.1,-75.2,12,,"quoted, note"\n'
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
        name = "My Ties (1).csv" if kind == "tie" else f"in-{kind}.csv"  # any file name
        status, output = run("import", write(tmp_path / name, text), "--kind", kind, "--quiet", db=path)
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
    status, output = run("import", exported / "tie.csv", "--kind", "tie", "--quiet", db=source.sqlite_path)
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


def test_exports_never_replace_a_device_or_pipe(small, tmp_path):
    import os

    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    status, output = run("export", "--format", "json", "--out", fifo, db=small)
    assert status == 2 and "pipe" in output
    from paradiplomacy.export.writers import ExportError, export_registry

    with pytest.raises(ExportError, match="not a regular file"):
        export_registry(Registry(small), fifo, "json")
    assert fifo.is_fifo()


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
    for args in (("import", path, "--kind", "tie", "--rejections", pipe), ("report", "--out", pipe)):
        status, output = run(*args, db=small)
        assert status == 2 and "pipe" in output


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
        status, output = run(
            "import", write(tmp_path / f"{kind}.csv", text), "--kind", kind, "--quiet", db=registry_path
        )
        assert status == 0, output
    for args in (
        ("stats", "affiliations", "--by", "series"),
        ("stats", "coverage", "--summary"),
        ("stats", "offices", "--by", "shifts"),
        ("stats", "strategies", "--by", "type"),
        ("classify", "Sapporo"),
        ("show", "Sapporo"),
        ("report", "--out", tmp_path / "r.html"),
        ("export", "--format", "json", "--out", tmp_path / "e.json"),
        ("export", "--format", "gexf", "--out", tmp_path / "e.gexf"),
    ):
        status, output = run(*args, db=registry_path)
        assert status == 0, (args, output)


def test_file_names_with_markup_and_escapes_are_printed_literally(small, tmp_path):
    folder = tmp_path / "x[" / "b]"
    folder.mkdir(parents=True)
    hostile = write(folder / "[b]t\x1b[31m.csv", "kind,subject,object\nsister,Sapporo,Portland\n")
    status, output = run("import", hostile, "--kind", "tie", "--dry-run", db=small)
    assert status == 0 and "\x1b" not in output and "[b]t" in output
    status, output = run("report", "--out", folder / "r.html", db=small)
    assert status == 0 and "x[/b]" in output.replace("\n", "")

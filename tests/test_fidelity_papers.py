"""Fidelity: for each source paper, the claims the tool reproduces, checked through its commands.

Each table row is one claim: what is checked, the paper's locator, the expected value, and the figure
as the paper prints it. The expected value is checked against the commands' output (``--json``) or
the library, and - when the seed texts are present (``$PARADIPLOMACY_SEEDS``, default
``../shared/seeds`` beside the checkout) - the printed figure against the paper itself, so a change
that misquotes a paper, or a table row that misquotes it, fails.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.corpus import framework_file
from paradiplomacy.export.writers import tables_as_frames

SEEDS = Path(os.environ.get("PARADIPLOMACY_SEEDS", Path(__file__).resolve().parents[2] / "shared" / "seeds"))
SEED_FILE = {"takao2004": "000_", "takao2003": "001_", "menju2002": "003_", "fujiwara2025": "004_"}

# --- published figures: (paper, observation key, value, unit, as_of, locator part, printed) -------
OBSERVATIONS = [
    # Menju (c. 2002)
    ("menju2002", "menju-t1-affiliations-all", 1407, "count", "2001-04-01", "Table 1", "1,407"),
    ("menju2002", "menju-t1-with-all", 930, "count", "2001-04-01", "Table 1", "930"),
    ("menju2002", "menju-t1-multiple-all", 298, "count", "2001-04-01", "Table 1", "298"),
    ("menju2002", "menju-t1-with-prefecture", 39, "count", "2001-04-01", "Table 1", "39"),
    ("menju2002", "menju-t1-with-city", 430, "count", "2001-04-01", "Table 1", "430"),
    ("menju2002", "menju-table2-us-1990", 277, "count", "1990-04-01", "Table 2", "277"),
    ("menju2002", "menju-table2-us-2001", 424, "count", "2001-04-01", "Table 2", "424"),
    ("menju2002", "menju-tables2-3-all-2000", 1374, "count", "2000-04-01", "Tables 2 and 3", "1,374"),
    ("menju2002", "menju-tables2-3-all-2001", 1407, "count", "2001-04-01", "Tables 2 and 3", "1,407"),
    ("menju2002", "menju-table3-cn-2001", 273, "count", "2001-04-01", "Table 3", "273"),
    ("menju2002", "menju-table3-kr-1995", 63, "count", "1995-04-01", "Table 3", "63"),
    ("menju2002", "menju-table3-kr-2001", 96, "count", "2001-04-01", "Table 3", "96"),
    (
        "menju2002",
        "menju-new-affiliations-fy1992",
        80,
        "count",
        "1993-03-31",
        "paragraph on the 1990s",
        "80 in fiscal year 1992",
    ),
    ("menju2002", "menju-expenditure-fy2000", 104.4e9, "yen", "2001-03-31", "introduction", "104.4 billion"),
    (
        "menju2002",
        "menju-inward-investment-fy1994",
        433e9,
        "yen",
        "1995-03-31",
        "Economic Globalization",
        "433 billion in fiscal year 1994",
    ),
    (
        "menju2002",
        "menju-inward-investment-fy1999",
        2399e9,
        "yen",
        "2000-03-31",
        "Economic Globalization",
        "2,399 billion in fiscal year 1999",
    ),
    (
        "menju2002",
        "menju-nikkei-brazilians-2000",
        254000,
        "count",
        "2000",
        "Multiculturalism",
        "254,000 Brazilians",
    ),
    ("menju2002", "menju-korean-residents-2000", 635000, "count", "2000", "note 6", "635,000"),
    ("menju2002", "menju-jet-participants-fy2000", 6078, "count", "2001-03-31", "note 14", "6,078 people"),
    (
        "menju2002",
        "menju-most-active-sea-of-japan-prefectures",
        3,
        "count",
        None,
        "Sea of Japan linkages",
        "Niigata, Toyama, and Tottori prefectures are the most active",
    ),
    # Takao (2003)
    (
        "takao2003",
        "takao2003-niigata-own-export-control-1991",
        32.1,
        "percent",
        "1991",
        "footnote 65",
        "32.1 percent in 1991",
    ),
    (
        "takao2003",
        "takao2003-niigata-own-export-control-1993",
        42.5,
        "percent",
        "1993",
        "footnote 65",
        "42.5 percent of export goods",
    ),
    (
        "takao2003",
        "takao2003-mha-internationalisation-measures-per-fy",
        1e9,
        "usd_upper_bound",
        None,
        "Delegation of Decision-Making Authority",
        "1 billion every fiscal year",
    ),
    (
        "takao2003",
        "takao2003-grassroots-grant-projects-1998",
        1064,
        "count",
        "1998",
        "Delegation of Decision-Making Authority",
        "1,064",
    ),
    (
        "takao2003",
        "takao2003-specific-subsidies-1979",
        3833,
        "count",
        "1979",
        "Interest Coordination",
        "3,833 programs in 1979",
    ),
    (
        "takao2003",
        "takao2003-specific-subsidies-1996",
        2223,
        "count",
        "1996",
        "Interest Coordination",
        "2,223 programs by 1996",
    ),
    (
        "takao2003",
        "takao2003-near-exchange-ship-youths",
        358,
        "count",
        "1997",
        "Knowledge-Intensive Community",
        "358 youths",
    ),
    (
        "takao2003",
        "takao2003-dalian-model-zone-value",
        300e6,
        "USD",
        None,
        "Access to the Center",
        "300 million",
    ),
    # Takao (2004)
    (
        "takao2004",
        "takao2004-suffrage-resolutions-2001",
        1500,
        "count",
        "2001",
        "Intermediate Agent",
        "nearly 1,500 local governments",
    ),
    # Fujiwara (2025)
    ("fujiwara2025", "fujiwara-prefectures-with-strategy", 35, "count", None, "Table 2", "35 out of 47"),
    (
        "fujiwara2025",
        "fujiwara-designated-cities-with-strategy",
        14,
        "count",
        None,
        "Table 2",
        "14 out of 20",
    ),
    (
        "fujiwara2025",
        "fujiwara-designated-cities-with-strategy-share",
        75,
        "percent",
        None,
        "International Strategies",
        "75% of designated cities",
    ),
    (
        "fujiwara2025",
        "fujiwara-office-head-management-time",
        30,
        "percent",
        None,
        "Challenges and Evolution",
        "over 30%",
    ),
    (
        "fujiwara2025",
        "fujiwara-osaka-city-offices-closed-2012",
        3,
        "count",
        "2012",
        "History of Overseas Offices",
        "closed three of its four",
    ),
]

# --- dated records: (paper, table, match on columns, expected columns, printed) --------------------
RECORDS = [
    (
        "menju2002",
        "tie",
        {"subject_key": "jp-422011", "kind": "sister"},
        {"start": "1955-12"},
        "In December 1955",
    ),
    (
        "menju2002",
        "tie",
        {"subject_key": "jp-gov", "start": "1965"},
        {"role": "normalisation of diplomatic relations"},
        "South Korea in 1965",
    ),
    (
        "menju2002",
        "tie",
        {"subject_key": "jp-gov", "start": "1972"},
        {"role": "normalisation of diplomatic relations"},
        "China in 1972",
    ),
    (
        "menju2002",
        "adoption",
        {"actor_key": "jp-diet", "date": "1990"},
        {"policy": "other"},
        "amended in 1990",
    ),
    (
        "menju2002",
        "adoption",
        {"actor_key": "jp-gov", "date": "2000"},
        {"policy": "other"},
        "were, in 2000, imposed",
    ),
    (
        "menju2002",
        "adoption",
        {"actor_key": "jp-320005", "date": "2001"},
        {"policy": "other"},
        "foreign corporation settlement strategy study group). 2001",
    ),
    (
        "menju2002",
        "adoption",
        {"actor_key": "jp-140007", "date": None},
        {"policy": "other"},
        "Governor Nagasu Kazuji",
    ),
    (
        "takao2003",
        "adoption",
        {"actor_key": "jp-141305", "policy": "suffrage_resolution"},
        {"date": "1994"},
        "In 1994",
    ),
    (
        "takao2003",
        "adoption",
        {"actor_key": "jp-epa"},
        {"date": "1998"},
        "a 1998 report, produced by a study group in the Economic Planning Agency",
    ),
    (
        "takao2003",
        "adoption",
        {"actor_key": "jp-mofa", "policy": "other"},
        {"date": "1998"},
        "in 1998 a round-table conference",
    ),
    (
        "takao2003",
        "tie",
        {"subject_key": "jp-150002", "object_key": "ri-erina"},
        {"start": "1993", "role": "founder"},
        "In 1993 it took initiatives to create",
    ),
    (
        "takao2003",
        "tie",
        {"subject_key": "jp-160008", "object_key": "ngo-npec"},
        {"start": "1997", "role": "founder"},
        "In 1997 Toyama prefectural government created",
    ),
    (
        "takao2003",
        "tie",
        {"subject_key": "grp-tottori-sponsors", "object_key": "ri-tottori-rc"},
        {"start": "1995", "role": "sponsor"},
        "sponsored by local governments and business in Tottori",
    ),
    (
        "takao2003",
        "coalition_event",
        {"coalition_key": "niigata-russian-far-east", "date": "1993-12"},
        {"channel": "none"},
        "In December 1993, when the Japanese government made a historic decision to open its rice",
    ),
    (
        "takao2003",
        "coalition_event",
        {"coalition_key": "niigata-russian-far-east", "date": "1993-07"},
        {"channel": "none"},
        "The election for the House of Representatives in July 1993",
    ),
    (
        "takao2004",
        "programme",
        {"key": "takao2004-medical-subsidies-foreigners"},
        {"actor_key": None},
        "subsidies for foreigners' medical treatment",
    ),
    (
        "takao2004",
        "programme",
        {"key": "takao2004-relief-short-stay-overstay-foreigners"},
        {"actor_key": None},
        "direct relief to short-stay or overstay foreigners",
    ),
    (
        "takao2004",
        "programme",
        {"key": "takao2004-foreigners-as-local-civil-servants"},
        {"actor_key": None},
        "hiring foreigners as local civil servants",
    ),
    (
        "fujiwara2025",
        "office",
        {"key": "fujiwara-osaka-city-chicago"},
        {"opened": "1958"},
        "began in 1958, when Osaka City opened its first office in Chicago",
    ),
    (
        "fujiwara2025",
        "office",
        {"key": "fujiwara-kobe-city-seattle"},
        {"opened": "1961"},
        "Kobe City in 1961",
    ),
    (
        "fujiwara2025",
        "office",
        {"key": "fujiwara-yokohama-new-york"},
        {"opened": "2018"},
        "office in New York in 2018",
    ),
    (
        "fujiwara2025",
        "office",
        {"key": "fujiwara-okinawa-seoul"},
        {"opened": "2019"},
        "office in Seoul in 2019",
    ),
    (
        "fujiwara2025",
        "office",
        {"key": "fujiwara-tourism-representatives"},
        {"model": "outsourced"},
        "tourism reps",
    ),
]

# --- Fujiwara Table 1: office -> operational model as `office-models --json` gives it ------------
TABLE_1_MODELS = [
    ("fujiwara-lg01-hokkaido-singapore", "joint_bank", "Joint (Regional Bank)"),
    ("fujiwara-lg02-nagano-singapore", "hosted_clair", "Joint (CLAIR)"),
    ("fujiwara-lg03-kochi-singapore", "independent", "Independent (Later joint CLAIR)"),
    ("fujiwara-lg03-kochi-singapore-clair", "hosted_clair", "Independent (Later joint CLAIR)"),
    ("fujiwara-lg04-okinawa-singapore", "independent", "Okinawa\tIndependent"),
    ("fujiwara-lg05-shizuoka-singapore", "independent", "Shizuoka\tIndependent"),
    ("fujiwara-lg06-ishikawa-singapore", "hosted_jetro", "Ishikawa\tJoint (JETRO)"),
    ("fujiwara-lg07-aichi-bangkok", "hosted_jetro", "Aichi\tJoint (JETRO)"),
    ("fujiwara-lg08-tokyo-bangkok", "independent", "Tokyo\tIndependent"),
    ("fujiwara-lg09-shimane-bangkok", "hosted_other", "Shimane\tJoint (Thailand Government)"),
    ("fujiwara-lg10-wakayama-bangkok", "hosted_other", "Wakayama\tJoint (Thailand Government)"),
    ("fujiwara-lg11-fukui-bangkok", "joint_bank", "Fukui\tJoint (Regional Bank)"),
    ("fujiwara-lg12-fukuoka-bangkok", "independent", "Fukuoka\tIndependent"),
    ("fujiwara-lg13-oyama-singapore", "hosted_clair", "Oyama, Tochigi\tCLAIR"),
]

# --- Takao: what each paper states about a case under a heading (never a grade) ------------------
ASSESSMENTS = [
    ("takao2003", "kitakyushu-dalian", "fund_raising", "example", "'Fund-Raising'"),
    (
        "takao2003",
        "kitakyushu-dalian",
        "delegation_of_decision_making",
        "qualified_example",
        "'Delegation of Decision-Making Authority'",
    ),
    ("takao2003", "kitakyushu-dalian", "interest_coordination", "not_discussed", "'Interest Coordination'"),
    ("takao2003", "niigata-russian-far-east", "fund_raising", "qualified_example", "'Fund-Raising'"),
    ("takao2004", "kitakyushu-dalian", "norm_diffusion", "example", "'Norm diffusion'"),
    ("takao2004", "kitakyushu-dalian", "norm_evolution", "not_discussed", "'Norm evolution'"),
    (
        "takao2004",
        "kitakyushu-dalian",
        "delegated",
        "not_discussed",
        "'Civil Society Actors in Transnational Space'",
    ),
    ("takao2004", "kawasaki-foreign-residents", "norm_evolution", "qualified_example", "'Norm evolution'"),
]


@cache
def _seed(paper: str) -> str | None:
    found = sorted(SEEDS.glob(f"{SEED_FILE[paper]}*.txt")) if SEEDS.is_dir() else []
    return found[0].read_text(encoding="utf-8") if found else None


def _in_paper(paper: str, printed: str) -> None:
    text = _seed(paper)
    if text is None:
        pytest.skip("seed texts not available")
    assert printed in text.replace("\\$", "$"), f"{printed!r} is not in {paper}"


def _run(db: Path, *args: str) -> Any:
    result = CliRunner().invoke(cli, [*args, "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


@pytest.fixture(scope="module")
def published(template_db: Path) -> dict[str, dict[str, Any]]:
    """Every published figure as ``stats coverage --json`` gives it, by key."""
    return {row["key"]: row for row in _run(template_db, "stats", "coverage")}


@pytest.fixture(scope="module")
def frames(template_db: Path) -> dict[str, Any]:
    return tables_as_frames(Registry(template_db))


@pytest.mark.parametrize(
    ("paper", "key", "value", "unit", "as_of", "locator", "printed"),
    OBSERVATIONS,
    ids=[row[1] for row in OBSERVATIONS],
)
def test_published_figure(published, paper, key, value, unit, as_of, locator, printed) -> None:
    row = published[key]
    assert row["published"] == pytest.approx(value)
    assert (row["unit"], row["as_of"]) == (unit, as_of)
    assert row["source"].startswith(paper) and locator in row["source"]
    _in_paper(paper, printed)


@pytest.mark.parametrize(
    ("paper", "table", "match", "expected", "printed"),
    RECORDS,
    ids=[f"{r[1]}-{'-'.join(map(str, r[2].values()))}" for r in RECORDS],
)
def test_dated_record(frames, paper, table, match, expected, printed) -> None:
    frame = frames[table]
    for column, wanted in match.items():
        frame = frame[frame[column].isna()] if wanted is None else frame[frame[column] == wanted]
    assert len(frame) == 1, f"{match} matches {len(frame)} {table} records"
    row = frame.iloc[0]
    for column, wanted in expected.items():
        assert pd.isna(row[column]) if wanted is None else row[column] == wanted, (column, row[column])
    assert any(s.startswith(paper) for s in str(row["sources"]).split("|")), row["sources"]
    _in_paper(paper, printed)


@pytest.mark.parametrize(("key", "model", "printed"), TABLE_1_MODELS, ids=[row[0] for row in TABLE_1_MODELS])
def test_table_1_operational_model(template_db, key, model, printed) -> None:
    rows = {row["key"]: row for row in _office_models(template_db)}
    assert rows[key]["model"] == model
    _in_paper("fujiwara2025", printed)


@cache
def _office_models(db: Path) -> list[dict[str, Any]]:
    return _run(db, "office-models")


def test_fujiwara_offices_only_as_the_paper_says(template_db) -> None:
    rows = {row["key"]: row for row in _office_models(template_db)}
    # "one-person offices": Nagano in CLAIR, Kanagawa and Ishikawa in JETRO - nobody else
    assert {k for k, r in rows.items() if r["one_person"]} == {
        "fujiwara-lg02-nagano-singapore",
        "fujiwara-kanagawa-singapore",
        "fujiwara-lg06-ishikawa-singapore",
    }
    _in_paper("fujiwara2025", "the Nagano Prefecture Office is located within the Singapore office")
    assert rows["fujiwara-lg03-kochi-singapore"]["sequence"].startswith("1 of 2")
    assert not any(k.startswith("fujiwara-ng") for k in rows)  # national agencies' own offices
    pattern = framework_file("fujiwara_governance_model")["office_operational_structures"]
    assert pattern["location_pattern"]["concentrated_in"] == ["Shanghai", "Seoul"]
    _in_paper("fujiwara2025", "Shanghai in China and Seoul in South Korea")


def test_fujiwara_strategy_shares_both_kept(template_db) -> None:
    rows = {r["government_type"]: r for r in _run(template_db, "stats", "strategies", "--by", "type")}
    city = rows["designated_city"]
    assert (city["published"], city["published_of"], city["published_percent"]) == (14, 20, 75)
    assert city["published_share"] == pytest.approx(0.70)
    assert "inconsistent" in city["published_note"]
    assert (rows["prefecture"]["published"], rows["prefecture"]["published_of"]) == (35, 47)
    table = CliRunner().invoke(cli, ["stats", "strategies", "--by", "type", "--db", str(template_db)])
    assert table.exit_code == 0, table.output
    assert "75.0%" in table.output and "7500" not in table.output  # printed as the paper prints it


@pytest.mark.parametrize(
    ("paper", "case", "criterion", "stated", "locator"),
    ASSESSMENTS,
    ids=[f"{r[1]}-{r[2]}" for r in ASSESSMENTS],
)
def test_assessment_attributes_only_what_the_paper_states(
    template_db, paper, case, criterion, stated, locator
) -> None:
    data = _assessment(template_db, case)
    crit = next(c for c in data["criteria"] if c["criterion"] == criterion)
    assert crit["paper"]["stated"] == stated and crit["paper"]["source"] == paper
    assert locator in crit["paper"]["locator"]
    assert "strong" not in json.dumps(crit["paper"]) and "moderate" not in json.dumps(crit["paper"])
    assert crit["level_by"] == "rubric"


@cache
def _assessment(db: Path, case: str) -> dict[str, Any]:
    return _run(db, "assess", case)


def test_menju_tables_agree_with_table_1_on_the_same_day(published) -> None:
    total = published["menju-t1-affiliations-all"]
    column = published["menju-tables2-3-all-2001"]
    assert (total["as_of"], total["published"]) == (column["as_of"], column["published"])
    assert published["menju-tables2-3-all-2000"]["as_of"] < column["as_of"]


def test_no_record_names_a_body_the_papers_do_not(frames) -> None:
    assert "jp-moe" not in set(frames["actor"]["key"])
    budget = frames["budget_line"]
    assert budget[budget["actor_key"] == "jp-mic"].empty  # the US$1bn is a range, not FY1994


def test_every_corpus_record_is_its_own_row(frames) -> None:
    # The loader upserts on a record's identity (e.g. an adoption on actor + policy); two records
    # of the corpus with one identity would silently become one. Every record must stay a row.
    # Ties are left out: one tie stated by two papers is meant to merge into one cited twice.
    from paradiplomacy.corpus import corpus_files
    from paradiplomacy.ingest.readers import read_file

    table = {
        "office": "office",
        "strategy": "strategy",
        "budget": "budget_line",
        "programme": "programme",
        "adoption": "adoption",
        "coalition": "coalition",
        "coalition_member": "coalition_member",
        "coalition_event": "coalition_event",
        "observation": "observation",
    }
    written: dict[str, int] = {}
    for kind, path in corpus_files():
        if kind in table:
            written[kind] = written.get(kind, 0) + len(read_file(path).rows)
    loaded = {kind: len(frames[name]) for kind, name in table.items()}
    assert loaded == written

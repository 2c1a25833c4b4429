"""The report: findings first, a map of ties, the published figures compared, full references; one
self-contained HTML file and a PDF from the same template."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.report import ReportError, build_report
from paradiplomacy.report.findings import by_country, by_government_type, international_ties
from paradiplomacy.report.references import data_references, to_bibtex, to_csl_json


@pytest.fixture(scope="module")
def html_report(shared_registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--db", shared_registry.url])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_is_self_contained(html_report: str) -> None:
    assert not re.search(r'(src|href)="https?:', html_report)
    assert "<script" not in html_report
    assert html_report.count("<svg") >= 3  # countries, types, series
    assert 'src="data:image/png;base64,' in html_report  # the map of ties


def test_report_prose_reads_as_sentences(html_report: str) -> None:
    prose = re.sub(r"<(svg|style)\b.*?</\1>", "", html_report, flags=re.S)
    prose = re.sub(r"<[^>]+>", "", prose)
    assert not re.search(r"[a-z)%]\.[A-Z]", prose)  # "ties (638).The most likely..."
    assert "(tokyo)" not in prose  # a type's label lower-cased in a sentence keeps its proper noun
    assert "special wards (Tokyo)" in prose or "Special wards (Tokyo)" in prose


def test_findings_come_before_the_comparison(html_report: str) -> None:
    first = html_report.index("<h2>1. Partner countries")
    assert (
        first
        < html_report.index("<h2>6. Records and published figures")
        < html_report.index("<h2>7. References and licences")
    )
    lead = html_report[:first]
    assert (
        "the United States is the first partner country" in lead.lower()
        or "is the first partner country" in lead
    )
    assert "Map 1." in lead


def test_report_holds_the_tables_and_sources(html_report: str) -> None:
    assert "Menju, Table 1" in html_report and "Fujiwara, Table 2" in html_report
    assert "1,407" in html_report and "788" in html_report
    assert "menju2002, Table 1, row &#39;Total affiliations&#39;" in html_report
    assert "fujiwara2025, Table 2" in html_report
    for licence in ("CC BY 4.0", "CC BY-SA 4.0", "MIT"):
        assert f"Licence: {licence}" in html_report or licence in html_report
    assert "doi.org/10.30589/pgr.v9i2.1225" in html_report
    assert not re.search(r">(19|20)\d\d\.0<|>2,0[0-2]\ds?<|>1,9[5-9]0s<", html_report)  # no "2,010"


def test_findings_from_the_records(shared_registry: Registry) -> None:
    ties = international_ties(shared_registry)
    assert len(ties) > 500 and "JP" not in set(ties["partner_country"])
    countries = by_country(ties, top=5)
    assert countries["country"].iloc[0] == "United States"
    assert countries["ties"].sum() == len(ties)
    types = by_government_type(ties, shared_registry).set_index("government type")
    assert types.loc["Prefectures", "governments"] == 47
    assert 0 < types.loc["Designated cities", "share with ties"] <= 1


def test_pdf(shared_registry: Registry, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = build_report(shared_registry, tmp_path / "r.pdf", format="pdf")
    assert out.read_bytes()[:4] == b"%PDF"


def test_unknown_format(shared_registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(ReportError):
        build_report(shared_registry, tmp_path / "r.doc", format="doc")


def test_cite_exports_bibtex_and_csl_json(template_db: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["cite", "--format", "bibtex", "--db", str(template_db)])
    assert result.exit_code == 0, result.output
    assert "@article{fujiwara2025," in result.output and "@misc{geonames," in result.output
    assert "CC BY-SA 4.0" in result.output
    fujiwara = result.output.split("@article{fujiwara2025,")[1].split("\n}")[0]
    assert "journal = {Policy \\& Governance Review}," in fujiwara
    assert "volume = {9}" in fujiwara and "number = {2}" in fujiwara and "pages = {125--141}" in fujiwara
    assert "Seed paper" not in result.output  # the registry's own notes are not part of a citation
    result = runner.invoke(cli, ["cite", "--format", "csl-json", "--db", str(template_db)])
    items = {i["id"]: i for i in json.loads(result.output)}
    assert items["takao2004"]["type"] == "article-journal"
    assert items["geonames"]["license"] == "CC BY 4.0"
    assert items["fujiwara2025"]["container-title"] == "Policy & Governance Review"
    assert (items["fujiwara2025"]["volume"], items["fujiwara2025"]["issue"]) == ("9", "2")
    assert items["fujiwara2025"]["page"] == "125-141" and "note" not in items["fujiwara2025"]


def test_references_without_a_registry() -> None:
    refs = data_references()
    assert {r.licence for r in refs} >= {"CC BY 4.0", "MIT"}
    assert to_bibtex(refs).count("@misc{") == len(refs)
    assert len(json.loads(to_csl_json(refs))) == len(refs)

"""The report: one self-contained HTML file (and a PDF) with tables, charts, map and sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.report import ReportError, build_report


@pytest.fixture(scope="module")
def html_report(shared_registry: Registry, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(cli, ["report", "--out", str(out), "--db", shared_registry.url])
    assert result.exit_code == 0, result.output
    return out.read_text(encoding="utf-8")


def test_report_is_self_contained(html_report: str) -> None:
    assert not re.search(r'(src|href)="https?:', html_report)
    assert "<script" not in html_report
    assert html_report.count("<svg") >= 4          # series, bars, map...


def test_report_holds_the_tables_and_sources(html_report: str) -> None:
    assert "Menju, Table 1" in html_report and "Fujiwara, Table 2" in html_report
    assert "1,407" in html_report and "788" in html_report
    assert "menju2002, Table 1, row &#x27;Total affiliations&#x27;" in html_report
    assert "fujiwara2025, Table 2" in html_report
    assert "Coverage of the published figures" in html_report
    assert 'class="us country' in html_report      # the world map's shapes are embedded


def test_pdf(shared_registry: Registry, tmp_path: Path) -> None:
    pytest.importorskip("weasyprint")
    out = build_report(shared_registry, tmp_path / "r.pdf", format="pdf")
    assert out.read_bytes()[:4] == b"%PDF"


def test_unknown_format(shared_registry: Registry, tmp_path: Path) -> None:
    with pytest.raises(ReportError):
        build_report(shared_registry, tmp_path / "r.doc", format="doc")

"""Takao's coalition assessment: computed from records, checked against the papers' judgements."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from paradiplomacy.cli.main import cli
from paradiplomacy.corpus import framework_file
from paradiplomacy.frameworks.coalition_assessment import (
    CoalitionNotFound,
    assess_coalition,
    compare_with_paper,
    find_coalition,
    list_coalitions,
)
from paradiplomacy.frameworks.evidence import EvidenceFileError, rubric_path
from paradiplomacy.frameworks.signals import tidy_sources
from tests.conftest import write

CASES = framework_file("takao_assessment_framework")["cases"]
JUDGED = [
    (case, crit, spec["stated"])
    for case, body in CASES.items()
    for group in ("criteria", "sources_of_influence")
    for crit, spec in body[group].items()
    if spec["stated"] != "not_discussed"
]
# The rubric's calibration (ours, not the papers'): a case the paper uses as a plain example should
# come out strong, one it uses with a stated limit moderate.
CALIBRATION = {"example": "strong", "qualified_example": "moderate"}


def _levels(registry, key: str, **kwargs) -> dict[str, str]:
    return {c["criterion"]: c["level"] for c in assess_coalition(registry, key, **kwargs).criteria}


def test_rubric_calibration_against_the_papers_uses(shared_registry) -> None:
    # 25 case/heading uses in the answer key; the rubric is calibrated to reach each one.
    assert len(JUDGED) == 25
    computed = {case: _levels(shared_registry, case) for case in CASES}
    wrong = [
        (case, crit, stated, computed[case][crit])
        for case, crit, stated in JUDGED
        if computed[case][crit] != CALIBRATION[stated]
    ]
    assert wrong == []


def test_paper_statement_is_never_a_grade(shared_registry) -> None:
    for case in CASES:
        for crit in assess_coalition(shared_registry, case).criteria:
            paper = crit["paper"]
            assert paper["stated"] in ("example", "qualified_example", "not_discussed")
            assert crit["level_by"] == "rubric"
            if paper["stated"] == "not_discussed":
                assert crit["level"] in ("strong", "moderate", "weak", "not_enough_evidence")
            else:
                assert paper["says"] and paper["locator"].startswith(paper["source"])


def test_headline_characterisations(shared_registry) -> None:
    dalian = {c["criterion"]: c for c in assess_coalition(shared_registry, "Dalian").criteria}
    assert dalian["access_to_the_center"]["level"] == "strong"
    assert "local diplomacy" in dalian["access_to_the_center"]["note"]
    assert dalian["fund_raising"]["level"] == "strong"
    assert "ODA" in dalian["fund_raising"]["note"]
    kawasaki = {c["criterion"]: c for c in assess_coalition(shared_registry, "kawasaki").criteria}
    assert kawasaki["participatory_loci"]["level"] == "strong"
    assert "inside the local sphere" in kawasaki["participatory_loci"]["note"]
    assert dalian["participatory_loci"]["note"] == "a venue across borders"
    assert _levels(shared_registry, "niigata-russian-far-east")["fund_raising"] == "moderate"


def test_no_evidence_is_not_enough_evidence_not_zero(shared_registry) -> None:
    near = {c["criterion"]: c for c in assess_coalition(shared_registry, "NEAR").criteria}
    assert near["access_to_the_center"]["level"] == "not_enough_evidence"
    assert near["access_to_the_center"]["thin_evidence"] is False
    assert near["access_to_the_center"]["evidence"] == []
    assert set(near["access_to_the_center"]["counts"].values()) == {0}


def test_evidence_is_cited_and_consistent(shared_registry) -> None:
    result = assess_coalition(shared_registry, "kitakyushu-dalian")
    ids = {item.id for item in result.evidence}
    assert all(item.sources for item in result.evidence)
    assert all(any("takao200" in s for s in item.sources) for item in result.evidence)
    assert {i for c in result.criteria for i in c["evidence"]} == ids
    fund = next(c for c in result.criteria if c["criterion"] == "fund_raising")
    texts = [item.text for item in result.evidence if item.id in fund["evidence"]]
    assert any("ODA for the Dalian Environmental Model Zone" in t for t in texts)
    assert fund["counts"]["national_funding"] == 1


def test_compare_marks_not_discussed_as_none(shared_registry) -> None:
    frame = compare_with_paper(assess_coalition(shared_registry, "kitakyushu-dalian"))
    judged = frame[frame["paper"] != "not_discussed"]
    assert len(judged) == 9 and judged["agrees"].all()
    assert set(judged["paper"]) == {"example", "qualified_example"}
    assert frame[frame["paper"] == "not_discussed"]["agrees"].isna().all()


def test_thin_evidence_is_flagged(shared_registry, tmp_path: Path) -> None:
    crits = {c["criterion"]: c for c in assess_coalition(shared_registry, "Dalian").criteria}
    assert crits["norm_evolution"]["evidence_count"] == 1 and crits["norm_evolution"]["thin_evidence"]
    assert not crits["participatory_loci"]["thin_evidence"]
    spec = yaml.safe_load(rubric_path("coalition").read_text(encoding="utf-8"))
    spec["min_evidence"] = 2
    path = tmp_path / "strict.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    strict = {c["criterion"]: c for c in assess_coalition(shared_registry, "Dalian", rubric=path).criteria}
    assert strict["norm_evolution"]["level"] == "not_enough_evidence"


def test_find_coalition(shared_registry) -> None:
    assert find_coalition(shared_registry, "Dalian") == "kitakyushu-dalian"
    assert find_coalition(shared_registry, "harbin") == "niigata-harbin-khabarovsk-route"
    with pytest.raises(CoalitionNotFound, match="ambiguous"):
        find_coalition(shared_registry, "Niigata")
    with pytest.raises(CoalitionNotFound, match="no coalition"):
        find_coalition(shared_registry, "Atlantis")
    assert len(list_coalitions(shared_registry)) == 5


def test_user_evidence_and_override(shared_registry, tmp_path: Path) -> None:
    path = write(
        tmp_path / "ev.yaml",
        yaml.safe_dump(
            {
                "evidence": [
                    {
                        "signal": "rights_adoption",
                        "text": "Dalian-side hiring rule eased",
                        "source": "Field notes 2024",
                        "date": "2024",
                    }
                ],
                "overrides": [
                    {
                        "criterion": "delegation_of_decision_making",
                        "level": "strong",
                        "reason": "MOFA let the city pick contractors",
                        "source": "Interview 2024",
                    }
                ],
            }
        ),
    )
    before = {c["criterion"]: c for c in assess_coalition(shared_registry, "Dalian").criteria}
    result = assess_coalition(shared_registry, "Dalian", evidence=path)
    crits = {c["criterion"]: c for c in result.criteria}
    # one user item = one more adoption (the corpus has Kitakyushu's nationality-clause removal)
    counted = before["local_discretion"]["counts"].get("rights_adoption", 0)
    assert crits["local_discretion"]["counts"]["rights_adoption"] == counted + 1
    assert crits["local_discretion"]["level"] == ("moderate" if counted == 0 else "strong")
    assert crits["local_discretion"]["evidence"] == [*before["local_discretion"]["evidence"], "U1"]
    user = [item for item in result.evidence if item.origin == "user"]
    assert [u.sources for u in user] == [["Field notes 2024"]]
    delegation = crits["delegation_of_decision_making"]
    assert (delegation["level"], delegation["computed_level"], delegation["overridden"]) == (
        "strong",
        "moderate",
        True,
    )
    assert delegation["override_reason"] == "MOFA let the city pick contractors"


def test_bad_evidence_file_is_a_clean_error(shared_registry, template_db: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "bad.yaml", "evidence:\n  - signal: nonsense\n    text: x\n    source: y\n")
    with pytest.raises(EvidenceFileError, match="unknown signal"):
        assess_coalition(shared_registry, "Dalian", evidence=path)
    path = write(
        tmp_path / "bad2.yaml",
        "overrides:\n  - criterion: fund_raising\n    level: huge\n    reason: r\n",
    )
    with pytest.raises(EvidenceFileError, match="not one of"):
        assess_coalition(shared_registry, "Dalian", evidence=path)
    result = CliRunner().invoke(cli, ["assess", "Dalian", "--evidence", str(path), "--db", str(template_db)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_rubric_is_data(shared_registry, tmp_path: Path) -> None:
    spec = yaml.safe_load(rubric_path("coalition").read_text(encoding="utf-8"))
    spec["criteria"]["fund_raising"]["rules"][0]["all"][0]["min"] = 2  # demand two national grants
    path = tmp_path / "strict.yaml"
    path.write_text(yaml.safe_dump(spec), encoding="utf-8")
    assert _levels(shared_registry, "Dalian", rubric=path)["fund_raising"] == "moderate"
    assert _levels(shared_registry, "Dalian")["fund_raising"] == "strong"


def test_cli_assess(template_db: Path, tmp_path: Path) -> None:
    db = str(template_db)
    runner = CliRunner()
    listed = runner.invoke(cli, ["assess", "--list", "--json", "--db", db])
    assert listed.exit_code == 0 and len(json.loads(listed.output)) == 5
    html = tmp_path / "dalian.html"
    text = runner.invoke(cli, ["assess", "Dalian", "--compare", "--html", str(html), "--db", db])
    assert text.exit_code == 0, text.output
    assert "paper: strong" not in text.output and "paper (takao2003" in text.output
    assert "does not discuss this case under this heading" in text.output
    assert "tool (rubric coalition, 7 record(s)): strong" in text.output
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page and "Paper states</th>" in page
    assert "ODA for the Dalian Environmental Model Zone" in page and "takao2003" in page
    data = json.loads(runner.invoke(cli, ["assess", "kawasaki", "--json", "--db", db]).output)
    assert data["coalition"]["key"] == "kawasaki-foreign-residents"
    assert {c["criterion"]: c["level"] for c in data["criteria"]}["local_discretion"] == "strong"
    missing = runner.invoke(cli, ["assess", "Niigata", "--db", db])
    assert missing.exit_code == 2 and "ambiguous" in missing.output


def test_tidy_sources() -> None:
    found = ["takao2003", "takao2003, takao2003, section 'X'", "takao_ties.yaml, row 1"]
    assert tidy_sources(found) == ["takao2003, section 'X'", "takao_ties.yaml, row 1"]

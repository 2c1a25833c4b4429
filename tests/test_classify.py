"""Fujiwara's governance-stage profile and the sorting of overseas offices into models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from paradiplomacy.cli.main import cli
from paradiplomacy.frameworks.evidence import EvidenceFileError
from paradiplomacy.frameworks.governance_stage import classify_actor, office_operational_models
from paradiplomacy.frameworks.html import profile_html
from tests.conftest import write


def test_interviewed_offices_sort_into_the_papers_models(shared_registry) -> None:
    frame = office_operational_models(shared_registry).set_index("key")
    lg = frame[frame.index.str.startswith("fujiwara-lg")]
    assert len(lg) == 14  # LG-1..13, Kochi (LG-3) as two stages of one office
    # Table 1: Independent x5 (LG-3 first stage,4,5,8,12), Joint (Regional Bank) x2 (LG-1,11).
    assert lg["structure"].value_counts()["independent"] == 5
    assert sorted(lg[lg["structure"] == "joint"].index) == [
        "fujiwara-lg01-hokkaido-singapore",
        "fujiwara-lg11-fukui-bangkok",
    ]
    assert set(lg[lg["structure"] == "independent"]["stage"]) == {"traditional_administration"}
    assert set(lg[lg["structure"] == "joint"]["stage"]) == {"network_governance"}
    assert "CLAIR" in lg.loc["fujiwara-lg02-nagano-singapore", "structure"]
    assert "JETRO" in lg.loc["fujiwara-lg06-ishikawa-singapore", "structure"]
    assert "host country" in lg.loc["fujiwara-lg09-shimane-bangkok", "structure"]
    assert frame.loc["fujiwara-vietnam-desk", ["structure", "stage"]].tolist() == [
        "outsourced",
        "new_public_management",
    ]
    assert frame.loc["fujiwara-osaka-government-shanghai", "structure"] == "joint"
    # Kochi: "Independent (Later joint CLAIR)" is a stated change of model, not plain independent.
    assert frame.loc["fujiwara-lg03-kochi-singapore", "sequence"].startswith("1 of 2")
    assert frame.loc["fujiwara-lg03-kochi-singapore-clair", "model"] == "hosted_clair"
    # Only Nagano, Kanagawa and Ishikawa are one-person offices in the paper; Aichi is not.
    assert sorted(frame[frame["one_person"]].index) == [
        "fujiwara-kanagawa-singapore",
        "fujiwara-lg02-nagano-singapore",
        "fujiwara-lg06-ishikawa-singapore",
    ]
    assert "one-person" not in frame.loc["fujiwara-lg07-aichi-bangkok", "name"]
    # National agencies' own offices are not local governments' offices.
    assert not frame.index.str.startswith("fujiwara-ng").any()
    every = office_operational_models(shared_registry, include_national=True).set_index("key")
    assert every.loc["fujiwara-ng01-jetro-singapore", "owner_kind"] == "government_agency"


def test_hokkaido_profile_by_hand(shared_registry) -> None:
    # Records: one joint_bank office (trade, tourism) and one strategy (2017). Five dimensions get
    # weight: office model, organisational principle, inter-organisational relations -> network
    # governance; governance purpose and exchange purpose -> NPM. Overall NG 3/5, NPM 2/5.
    profile = classify_actor(shared_registry, "北海道")
    dims = {d["dimension"]: d for d in profile.dimensions}
    assert dims["office_operational_model"]["shares"]["network_governance"] == 1.0
    assert dims["exchange_purpose"]["leading"] == "new_public_management"
    assert dims["urban_exchange_form"]["leading"] == "not_enough_evidence"
    assert profile.basis["records_used"] == 2 and profile.basis["thin_evidence"]
    assert dims["office_operational_model"]["thin_evidence"]
    assert profile.overall == {
        "traditional_administration": 0.0,
        "new_public_management": 0.4,
        "network_governance": 0.6,
    }
    assert all(item.sources for item in profile.evidence)


def test_as_of_and_timeline(shared_registry) -> None:
    now = classify_actor(shared_registry, "jp-401005")
    then = classify_actor(shared_registry, "jp-401005", as_of="1990")
    assert not any("Strategy" in e.text for e in then.evidence)
    assert any("Strategy" in e.text for e in now.evidence)
    urban = {d["dimension"]: d for d in then.dimensions}["urban_exchange_form"]
    assert urban["leading"] == "traditional_administration"  # the 1979 Dalian friendship
    years = now.timeline["year"].tolist()
    assert years[0] == 1979 and 2016 in years and years == sorted(years)


def test_kitakyushu_1985_uses_no_later_and_no_undated_record(shared_registry) -> None:
    profile = classify_actor(shared_registry, "北九州市", as_of="1985")
    assert profile.evidence, "the 1979 friendship and 1981 know-how transfer are dated"
    assert all(e.date and int(e.date[:4]) <= 1985 for e in profile.evidence)
    assert profile.undated and all(e.date is None for e in profile.undated)
    assert {e.id for e in profile.undated}.isdisjoint({e.id for e in profile.evidence})
    assert profile.timeline["year"].max() <= 1985
    # 1979 holds only the dated friendship tie: nothing undated is projected back into it.
    first = profile.timeline.iloc[0]
    assert (first["year"], first["records"], first["traditional_administration"]) == (1979, 1, 1.0)
    assert first["thin_evidence"]


def test_as_of_leaves_out_undated_offices(shared_registry) -> None:
    # Hokkaido's Singapore office is known only from a 2022 interview: no opening date.
    profile = classify_actor(shared_registry, "北海道", as_of="2010")
    assert not any("office" in e.text.lower() for e in profile.evidence)
    assert any("Hokkaido office" in e.text for e in profile.undated)


def test_user_evidence_and_override(shared_registry, tmp_path: Path) -> None:
    path = write(
        tmp_path / "ev.yaml",
        yaml.safe_dump(
            {
                "evidence": [
                    {
                        "dimension": "urban_exchange_form",
                        "stage": "network_governance",
                        "text": "Joined a city network in 2021",
                        "source": "City website",
                        "date": "2021",
                    }
                ],
                "overrides": [
                    {
                        "dimension": "governance_purpose",
                        "stage": "network_governance",
                        "reason": "Plan stresses citizens' outcomes",
                    }
                ],
            }
        ),
    )
    profile = classify_actor(shared_registry, "北海道", evidence=path)
    dims = {d["dimension"]: d for d in profile.dimensions}
    assert dims["urban_exchange_form"]["shares"]["network_governance"] == 1.0
    assert dims["urban_exchange_form"]["evidence"] == ["U1"]
    assert dims["governance_purpose"]["leading"] == "network_governance"
    assert dims["governance_purpose"]["overridden"]
    bad = write(tmp_path / "bad.yaml", "overrides:\n  - dimension: nope\n    stage: x\n    reason: r\n")
    with pytest.raises(EvidenceFileError):
        classify_actor(shared_registry, "北海道", evidence=bad)


def test_profile_html(shared_registry) -> None:
    page = profile_html(classify_actor(shared_registry, "北海道"))
    assert "Hokkaido office in Singapore" in page and "fujiwara2025, Table 1, LG-1" in page


def test_cli_classify(template_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(template_db)
    out = runner.invoke(cli, ["classify", "010006", "--json", "--db", db])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["overall"]["network_governance"] == 0.6
    html = tmp_path / "p.html"
    text = runner.invoke(cli, ["classify", "北九州市", "--as-of", "1995", "--html", str(html), "--db", db])
    assert text.exit_code == 0 and html.exists() and "as of 1995" in text.output
    missing = runner.invoke(cli, ["classify", "Nowhere-shi-xyz", "--db", db])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    models = runner.invoke(cli, ["office-models", "--json", "--db", db])
    assert len(json.loads(models.output)) >= 13

"""Strategy pillars (recorded or inferred by keyword rubric) and office functions."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from paradiplomacy.cli.main import cli
from paradiplomacy.frameworks.evidence import load_rubric
from paradiplomacy.frameworks.profiles import (
    actor_summary,
    infer_pillars,
    office_functions,
    strategy_pillars,
)
from paradiplomacy.store.schema import Actor, Strategy


def test_infer_pillars_from_keywords() -> None:
    rubric = load_rubric("pillars")
    found = infer_pillars(
        {"title": "Tourism and Export Strategy", "themes": ["global human resources"]}, rubric
    )
    assert set(found) == {
        "acquire_external_demand",
        "attract_external_demand",
        "human_resource_development",
    }
    assert "export" in found["acquire_external_demand"]
    assert infer_pillars({"title": "国際観光振興計画"}, rubric) == {"attract_external_demand": ["観光"]}
    assert infer_pillars({"title": "Friendship Charter"}, rubric) == {}


def test_strategy_pillars_inferred_and_marked(shared_registry) -> None:
    frame = strategy_pillars(shared_registry, "沖縄県")
    row = frame[frame["strategy"] == "Okinawa Prefecture Asian Economic Strategy Plan"].iloc[0]
    assert (row["pillar"], row["status"], row["matched"]) == (
        "acquire_external_demand",
        "inferred",
        "economic",
    )
    assert row["sources"].startswith("fujiwara2025")
    everything = strategy_pillars(shared_registry)
    assert set(everything["status"]) <= {"recorded", "inferred", "not_enough_evidence"}
    inferred = everything[everything["status"] == "inferred"]
    assert inferred["by"].str.startswith("tool:").all()
    assert (inferred["thin_evidence"] == (inferred["evidence_count"] < 2)).all()


def test_recorded_pillars_are_kept(registry) -> None:
    with registry.session() as session:
        okinawa = session.scalar(select(Actor).where(Actor.key == "jp-470007"))
        strategy = session.scalar(select(Strategy).where(Strategy.actor_id == okinawa.id))
        strategy.pillars = ["human_resource_development"]
        title = strategy.title
    frame = strategy_pillars(registry, "jp-470007")
    rows = frame[frame["strategy"] == title]
    assert rows[["pillar", "status"]].values.tolist() == [["human_resource_development", "recorded"]]


def test_office_functions_map_to_the_paper(shared_registry) -> None:
    frame = office_functions(shared_registry, "沖縄県")
    lg4 = frame[frame["office"] == "fujiwara-lg04-okinawa-singapore"]
    assert sorted(lg4["function"]) == ["other", "tourism_promotion", "trade_promotion"]
    groups = dict(zip(lg4["function"], lg4["group"], strict=True))
    assert groups == {
        "trade_promotion": "primary",
        "tourism_promotion": "primary",
        "other": "additional",
    }
    assert "promote the home region" in lg4[lg4["function"] == "tourism_promotion"]["paper_function"].iloc[0]


def test_actor_summary_and_cli(shared_registry, template_db: Path) -> None:
    summary = actor_summary(shared_registry, "北海道")
    assert summary["function_counts"] == {"trade_promotion": 1, "tourism_promotion": 1}
    office = ["fujiwara-lg01-hokkaido-singapore"]
    assert summary["pillars_from_offices"] == {
        "acquire_external_demand": office,
        "attract_external_demand": office,
    }
    out = CliRunner().invoke(cli, ["pillars", "沖縄県", "--json", "--db", str(template_db)])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["pillar_counts"] == {"acquire_external_demand (inferred)": 1}

"""The unresolved queue: rows kept aside by an import, listed with reasons and candidates."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner
from sqlalchemy import delete

from paradiplomacy.cli.main import cli
from paradiplomacy.store.schema import Source, UnresolvedRow
from paradiplomacy.store.unresolved import reason_group, record_names

ROWS = [
    (
        2,
        "city2",
        "ambiguous 'Kanazawa' in JP",
        ["Kanazawa, Ishikawa = jp-172014", "Kanazawa-ku, Yokohama = jp-141089"],
        {
            "city1": "Buffalo",
            "country1": "United States",
            "lat1": "42.9",
            "city2": "Kanazawa",
            "country2": "Japan",
            "lat2": "36.56",
        },
    ),
    (
        5,
        "city1",
        "no actor named 'Lockyer Valley' in AU",
        [],
        {"city1": "Lockyer Valley", "country1": "Australia", "city2": "Kosai", "country2": "Japan"},
    ),
    (
        9,
        "city2",
        "ambiguous 'Ikeda' in JP",
        ["Ikeda, Osaka = jp-272043"],
        {"city1": "Launceston", "country1": "Australia", "city2": "Ikeda", "country2": "Japan"},
    ),
]


def _empty_queue(registry) -> None:
    """Leave out the rows that the bundled pair lists queued at init."""
    with registry.session() as session:
        session.execute(delete(UnresolvedRow))


@pytest.fixture
def queued(registry):
    _empty_queue(registry)
    with registry.session() as session:
        source = Source(key="file:pairs.csv:abc", kind="import", title="pairs.csv")
        other = Source(key="file:world.csv:def", kind="import", title="world.csv")
        session.add_all([source, other])
        session.flush()
        for row, field, reason, candidates, record in ROWS:
            session.add(
                UnresolvedRow(
                    source_id=source.id,
                    row=row,
                    kind="pair",
                    field=field,
                    reason=reason,
                    candidates=candidates,
                    record=record,
                )
            )
        session.add(
            UnresolvedRow(
                source_id=other.id,
                row=3,
                kind="pair",
                field="city1",
                reason="nearest candidate 84.2 km from the row's coordinates",
                candidates=["Paris = geo-2988507"],
                record={"city1": "Paris", "country1": "France"},
            )
        )
    return registry


def run(db, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["unresolved", *args, "--db", str(db)])
    return result.exit_code, result.output


def test_helpers() -> None:
    assert record_names(ROWS[0][4]) == "Buffalo, United States / Kanazawa, Japan"
    assert reason_group("ambiguous 'Ikeda' in JP") == "ambiguous"
    assert reason_group("nearest candidate 84.2 km from x") == "nearest candidate"


def test_json_lists_rows_and_counts_by_reason(queued) -> None:
    code, output = run(queued.sqlite_path, "--json")
    assert code == 0, output
    data = json.loads(output)
    assert data["total"] == 4
    assert {(s["reason"], s["field"], s["rows"]) for s in data["by_reason"]} == {
        ("ambiguous", "city2", 2),
        ("no actor named", "city1", 1),
        ("nearest candidate", "city1", 1),
    }
    first = data["rows"][0]
    assert (first["source"], first["row"], first["field"]) == ("file:pairs.csv:abc", 2, "city2")
    assert first["names"] == "Buffalo, United States / Kanazawa, Japan"
    assert len(first["candidates"]) == 2


def test_filters_and_formats(queued) -> None:
    db = queued.sqlite_path
    code, output = run(db, "--source", "pairs.csv", "--reason", "AMBIGUOUS", "--json")
    assert [r["row"] for r in json.loads(output)["rows"]] == [2, 9]
    code, output = run(db, "--field", "city1", "--json")
    assert {r["source"] for r in json.loads(output)["rows"]} == {"file:pairs.csv:abc", "file:world.csv:def"}
    code, output = run(db, "--source", "world", "--csv")
    rows = list(csv.DictReader(io.StringIO(output)))
    assert [(r["row"], r["candidates"]) for r in rows] == [("3", "Paris = geo-2988507")]
    code, output = run(db, "--limit", "1")
    assert code == 0 and "4 unresolved rows" in output and "3 more" in output
    assert "Kanazawa" in output


def test_empty_queue(registry) -> None:
    _empty_queue(registry)
    code, output = run(registry.sqlite_path)
    assert code == 0 and "No unresolved rows" in output


def test_a_file_name_without_extension_names_that_file_only(queued) -> None:
    with queued.session() as session:
        session.add(Source(key="file:ties.csv:123", kind="import", title="ties.csv"))  # nothing queued
        world = Source(key="pairs:twincities-world", kind="dataset", title="twincities world list")
        session.add(world)
        session.flush()
        session.add(
            UnresolvedRow(source_id=world.id, row=4, kind="pair", field="city1", reason="x", record={})
        )
    _code, output = run(queued.sqlite_path, "--source", "pairs", "--json")
    assert {r["source"] for r in json.loads(output)["rows"]} == {"file:pairs.csv:abc"}
    _code, output = run(queued.sqlite_path, "--source", "ties", "--json")
    assert json.loads(output)["rows"] == []  # not the twincities list, whose key contains "ties"


def test_a_partial_import_of_any_kind_queues_its_rejected_rows(registry, tmp_path) -> None:
    _empty_queue(registry)
    path = tmp_path / "ties.csv"
    path.write_text(
        "kind,subject,object,object_country,start\n"
        "sister,石巻市,Nowhere-upon-Nothing,US,2000\n"
        "sister,石巻市,geo-4161438,,2001\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli, ["import", str(path), "--kind", "tie", "--partial", "--db", str(registry.sqlite_path)]
    )
    assert result.exit_code == 0 and "1 rejected" in result.output, result.output
    _code, output = run(registry.sqlite_path, "--source", "ties", "--json")
    rows = json.loads(output)["rows"]
    assert [(r["row"], r["kind"], r["field"]) for r in rows] == [(2, "tie", "object")]
    assert "Nowhere-upon-Nothing" in rows[0]["names"]

"""Search and show with municipal history: former municipalities, successors, predecessors, codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from paradiplomacy.cli.main import cli
from paradiplomacy.ingest import import_file
from paradiplomacy.resolve.find import (
    ActorNotFound,
    as_code6,
    find_actor,
    find_prefecture,
    search_actors,
)
from tests.conftest import write


def run(db, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [*args, "--db", str(db)])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("name", "successor", "date", "change"),
    [
        ("清水市", "静岡市", "2003-04-01", "new_merger"),
        ("浦和市", "さいたま市", "2001-05-01", "new_merger"),
    ],
)
def test_search_finds_former_municipality_and_successor(
    shared_registry, name, successor, date, change
) -> None:
    results = search_actors(shared_registry, name)
    first = results[0]
    assert first["name_ja"] == name and first["dissolved"] == date
    assert [(s["name_ja"], s["date"], s["change_type"]) for s in first["successors"]] == [
        (successor, date, change)
    ]
    assert all(r["country"] == "JP" for r in results)  # never Eau Claire for 清水市


def test_search_kamikuishiki_names_both_successors(template_db) -> None:
    code, output = run(template_db, "search", "上九一色村", "--json")
    assert code == 0, output
    first = json.loads(output)[0]
    assert first["dissolved"] == "2006-03-01"
    assert [s["name_ja"] for s in first["successors"]] == ["甲府市", "南都留郡富士河口湖町"]
    assert {s["change_type"] for s in first["successors"]} == {"absorption"}
    code, output = run(template_db, "search", "上九一色村")
    assert "former municipality, ended 2006-03-01" in output and "富士河口湖町" in output


def test_japanese_script_prefers_japanese_places(shared_registry) -> None:
    shimizu = find_actor(shared_registry, "清水市")
    assert find_actor(shared_registry, "旧清水市") == shimizu
    profile_key = search_actors(shared_registry, "清水市")[0]["key"]
    assert profile_key == "jp-former-222046-20030401"
    # the alias still reaches Eau Claire when asked for the US
    assert find_actor(shared_registry, "Eau Claire", country="US") != shimizu
    # a Japanese-script name no Japanese place has still resolves abroad
    beijing = find_actor(shared_registry, "北京")
    assert search_actors(shared_registry, "北京")[0]["country"] == "CN"
    assert beijing != shimizu


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("40100", "北九州市"),
        ("401005", "北九州市"),
        ("22204", "清水市"),
        ("222011", "静岡市"),
        ("22100", "静岡市"),
    ],
)
def test_codes_with_five_or_six_digits_old_or_current(shared_registry, code, name) -> None:
    actor = find_actor(shared_registry, code)
    assert search_actors(shared_registry, code)[0]["id"] == actor
    assert search_actors(shared_registry, code)[0]["name_ja"] == name


def test_code_helpers(shared_registry) -> None:
    assert as_code6("40100") == "401005"
    assert as_code6("13104") == "131041"
    assert as_code6("Kobe") is None
    with pytest.raises(ActorNotFound, match="no local government has code"):
        find_actor(shared_registry, "99999")
    niigata = find_prefecture(shared_registry, "新潟県")
    assert {find_prefecture(shared_registry, r) for r in ("Niigata", "15", "150002", "新潟")} == {niigata}
    with pytest.raises(ActorNotFound):
        find_prefecture(shared_registry, "Atlantis")


def test_show_former_and_successor(template_db) -> None:
    code, output = run(template_db, "show", "22204", "--json")
    assert code == 0, output
    shimizu = json.loads(output)
    assert shimizu["dissolved"] == "2003-04-01"
    assert shimizu["successors"][0]["name_ja"] == "静岡市"
    assert shimizu["codes"] == [{"code": "222046", "valid_from": "1970-04-01", "valid_until": "2003-04-01"}]
    code, output = run(template_db, "show", "40100")
    assert code == 0 and "401005" in output
    code, output = run(template_db, "show", "静岡市", "--json")
    shizuoka = json.loads(output)
    predecessors = {p["name_ja"]: p for p in shizuoka["predecessors"]}
    assert predecessors["清水市"]["date"] == "2003-04-01"
    assert [c["code"] for c in shizuoka["codes"]] == ["222011", "221007"]
    code, output = run(template_db, "show", "清水市")
    assert code == 0 and "Eau Claire" not in output and "succeeded by" in output


def test_show_lists_ties_held_through_predecessors(registry, tmp_path) -> None:
    text = (
        "kind,subject,object,object_country,start,status\n"
        "sister,jp-former-222046-20030401,Omaha,US,1965,active\n"
        "friendship,jp-former-193411-20060301,Dalian,CN,1990,active\n"
    )
    report = import_file(registry, write(tmp_path / "old-ties.csv", text), "tie")
    assert report.ok, report.rejections
    code, output = run(registry.sqlite_path, "show", "静岡市", "--json")
    via = [
        t for t in json.loads(output)["ties"] if t["via"] and any("old-ties.csv" in s for s in t["sources"])
    ]
    assert [(t["other"]["name"], t["via"], t["merged"]) for t in via] == [("Omaha", "旧清水市", "2003-04-01")]
    # the bundled list's 静岡市–Omaha tie, dated by the row and passed back to 清水市: both sources
    assert via[0]["sources"] == ["dataset:twincities-japan, row 765", "old-ties.csv, row 2"]
    code, output = run(registry.sqlite_path, "show", "静岡市")
    assert code == 0 and "旧清水市" in output and "predecessors" in output
    # a split: the tie is shown on both successors, counted for the first
    code, output = run(registry.sqlite_path, "show", "富士河口湖町", "--json")
    split = [t for t in json.loads(output)["ties"] if t["via"]]
    assert split[0]["via"] == "旧西八代郡上九一色村" and split[0]["main_line"] is False
    code, output = run(registry.sqlite_path, "show", "甲府市", "--json")
    assert [t["main_line"] for t in json.loads(output)["ties"] if t["via"]] == [True]


def test_search_as_of_keeps_the_bodies_of_that_day(template_db) -> None:
    """清水市 existed in 2000 and 静岡市清水区 (2005) did not; in 2010 the other way round."""

    def found(day: str) -> set[str]:
        code, output = run(template_db, "search", "Shimizu", "--as-of", day, "--limit", "20", "--json")
        assert code == 0, output
        return {r["name_ja"] for r in json.loads(output)}

    assert "清水市" in found("2000") and "静岡市清水区" not in found("2000")
    assert "清水市" not in found("2010") and "静岡市清水区" in found("2010")
    code, output = run(template_db, "search", "Shimizu", "--as-of", "2000-13")
    assert code != 0 and "--as-of" in output
    code, output = run(template_db, "search", "清水市", "--as-of", "2010")  # says when it existed
    assert code == 1 and "2003-04-01" in output and "existed" in output


def test_show_as_of_counts_predecessors_and_ties_of_that_day(registry, tmp_path) -> None:
    text = (
        "kind,subject,object,object_country,start,end,status\n"
        "sister,jp-former-222046-20030401,Omaha,US,1965,,active\n"
        "sister,静岡市,Cannes,FR,1991,,active\n"
        "friendship,静岡市,Stockton (California),US,1959,1998,ended\n"
    )
    assert import_file(registry, write(tmp_path / "dated.csv", text), "tie").ok

    def shown(day: str) -> dict:
        code, output = run(registry.sqlite_path, "show", "静岡市", "--as-of", day, "--json")
        assert code == 0, output
        return json.loads(output)

    before = shown("2000")  # 清水市 not yet merged: its Omaha tie is its own; Stockton had ended
    assert "清水市" not in {p["name_ja"] for p in before["predecessors"]}
    assert {t["other"]["name"] for t in before["ties"]} == {"Cannes"}
    after = shown("2010-06")
    assert {t["other"]["name"] for t in after["ties"]} == {"Cannes", "Omaha"}
    assert any("ties in force on 2010-06-30" in note for note in after["as_of_notes"])
    code, output = run(registry.sqlite_path, "show", "清水市", "--as-of", "2010")
    assert code == 0 and "did not exist on 2010-12-31" in " ".join(output.split())


def test_a_name_read_as_the_current_body_names_its_former_namesakes(template_db) -> None:
    """河北町 is the Yamagata town today; the Miyagi town of the name (now 石巻市) is named, so the
    user can ask for it."""
    for command in ("show", "ties"):
        result = CliRunner().invoke(cli, [command, "河北町", "--db", str(template_db)])
        assert result.exit_code == 0, result.output
        assert (
            "西村山郡河北町" in result.stderr
            and "桃生郡河北町" in result.stderr
            and "石巻市" in result.stderr
        )
    result = CliRunner().invoke(cli, ["show", "新潟市", "--db", str(template_db)])
    assert "former bodies" not in result.stderr

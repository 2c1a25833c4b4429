"""Directory queries (``ties_frame``, ``paradiplomacy ties``) and counting through successors."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import delete, select

from paradiplomacy.analysis._frames import affiliation_frame
from paradiplomacy.analysis.affiliations import affiliations_by, held_frame
from paradiplomacy.analysis.directory import BadFilter, ties_frame
from paradiplomacy.cli.main import cli
from paradiplomacy.ingest import import_file
from paradiplomacy.resolve.find import find_actor
from paradiplomacy.store.schema import Citation, Source, Tie
from tests.conftest import write

TIES = (
    "kind,subject,object,object_country,start,end,status\n"
    "sister,jp-former-222046-20030401,Omaha,US,1965,,active\n"  # 清水市, merged 2003
    "sister,新潟市,Vladivostok,RU,1991,,active\n"
    "friendship,新潟市,Harbin,CN,1979-12,,active\n"
    "sister,長岡市,Fort Worth,US,1987,,active\n"
    "friendship,jp-former-193411-20060301,Dalian,CN,1990,,active\n"  # 上九一色村, split 2006
    "sister,長岡市,Trier,DE,2006,2010,ended\n"
)


@pytest.fixture
def directory(registry, tmp_path):
    """A registry with a few known ties, two of them signed by former municipalities (the ties of
    the bundled pair lists are taken out: they hold other 静岡市-Omaha ties)."""
    with registry.session() as session:
        bundled = list(
            session.scalars(
                select(Citation.entity_id)
                .join(Source, Source.id == Citation.source_id)
                .where(Citation.entity == "tie", Source.kind == "dataset")
            )
        )
        for start in range(0, len(bundled), 500):
            part = bundled[start : start + 500]
            session.execute(delete(Citation).where(Citation.entity == "tie", Citation.entity_id.in_(part)))
            session.execute(delete(Tie).where(Tie.id.in_(part)))
    report = import_file(registry, write(tmp_path / "ties.csv", TIES), "tie")
    assert report.ok, report.rejections
    return registry


def mine(frame):
    """The rows of the fixture file (the corpus has ties of its own)."""
    return frame[frame["sources"].str.contains("ties.csv, row", regex=False)]


def test_frame_is_readable_with_japanese_side_first(directory) -> None:
    frame = mine(ties_frame(directory, "新潟市"))
    assert list(frame.columns[:5]) == ["name_ja", "name_en", "code", "prefecture", "type"]
    harbin = frame[frame["partner"] == "Harbin"].iloc[0]
    assert (harbin["name_ja"], harbin["code"], harbin["prefecture"], harbin["type"]) == (
        "新潟市",
        "151009",
        "新潟県",
        "designated_city",
    )
    assert (harbin["partner_country"], harbin["kind"], harbin["start"]) == ("CN", "friendship", "1979-12")
    assert harbin["geonames_id"] == int(harbin["partner_key"].removeprefix("geo-"))
    assert harbin["sources"] == "ties.csv, row 4"
    assert frame["via"].isna().all()


def test_filters(directory) -> None:
    every = mine(ties_frame(directory))
    assert len(every) == 6
    assert set(mine(ties_frame(directory, country="RU"))["partner"]) == {"Vladivostok"}
    assert set(mine(ties_frame(directory, country=["US", "DE"]))["partner"]) == {
        "Omaha",
        "Fort Worth",
        "Trier",
    }
    assert set(mine(ties_frame(directory, prefecture="新潟県"))["partner"]) == {
        "Vladivostok",
        "Harbin",
        "Fort Worth",
        "Trier",
    }
    assert set(mine(ties_frame(directory, prefecture="静岡県"))["partner"]) == {"Omaha"}
    assert set(mine(ties_frame(directory, kind="friendship"))["partner"]) == {"Harbin", "Dalian"}
    assert set(mine(ties_frame(directory, since=1990))["partner"]) == {"Vladivostok", "Dalian", "Trier"}
    assert set(mine(ties_frame(directory, until="1979"))["partner"]) == {"Omaha", "Harbin"}
    assert set(mine(ties_frame(directory, status="ended"))["partner"]) == {"Trier"}
    in_2008 = set(mine(ties_frame(directory, as_of="2008-01-01"))["partner"])
    assert "Trier" in in_2008 and "Trier" not in set(mine(ties_frame(directory, as_of="2012"))["partner"])
    for bad in ({"kind": "bogus"}, {"status": "alive"}, {"country": "Korea"}, {"as_of": "soon"}):
        with pytest.raises(BadFilter):
            ties_frame(directory, **bad)


def test_former_signatory_is_held_by_its_successor(directory) -> None:
    omaha = mine(ties_frame(directory, "清水市"))
    assert len(omaha) == 1
    row = omaha.iloc[0]
    assert (row["name_ja"], row["code"], row["via"], row["merged"]) == (
        "静岡市",
        "221007",
        "旧清水市",
        "2003-04-01",
    )
    before = mine(ties_frame(directory, "清水市", as_of="2003-03-31")).iloc[0]
    assert (before["name_ja"], before["code"], before["via"]) == ("清水市", "222046", None)
    assert mine(ties_frame(directory, "静岡市")).empty
    held = mine(ties_frame(directory, "静岡市", with_predecessors=True))
    assert list(held["partner"]) == ["Omaha"]
    assert mine(ties_frame(directory, "静岡市", with_predecessors=True, as_of="2000")).empty
    split = mine(ties_frame(directory, "富士河口湖町", with_predecessors=True)).iloc[0]
    assert (split["name_ja"], split["via"]) == ("南都留郡富士河口湖町", "旧西八代郡上九一色村")
    assert (
        mine(ties_frame(directory, kind="friendship")).set_index("partner").loc["Dalian", "name_ja"]
        == "甲府市"
    )  # counted for the first successor


def test_counts_move_to_the_successor_on_the_merger_date(directory) -> None:
    shimizu, shizuoka = find_actor(directory, "清水市"), find_actor(directory, "静岡市")
    frame = affiliation_frame(directory)
    omaha = frame[(frame["partner"] == "Omaha") & (frame["kind"] == "sister")]  # the fixture's
    before = held_frame(directory, omaha, dt.date(2003, 3, 31))
    after = held_frame(directory, omaha, dt.date(2003, 4, 1))
    assert list(before["actor_id"]) == [shimizu]
    assert list(after["actor_id"]) == [shizuoka]
    assert list(after["signatory_id"]) == [shimizu]
    assert not (held_frame(directory, frame, None)["actor_id"] == shimizu).any()


def test_two_signatories_become_one_government(directory, tmp_path) -> None:
    extra = "kind,subject,object,object_country,start,status\nsister,静岡市,Cannes,FR,1991,active\n"
    assert import_file(directory, write(tmp_path / "more.csv", extra), "tie").ok

    def governments(as_of: str) -> tuple[int, int]:
        table = affiliations_by(directory, "government_type", as_of=as_of).set_index(
            ["government_type", "measure"]
        )
        return (
            int(table.loc[("all", "governments_with_affiliations"), "records"]),
            int(table.loc[("all", "governments_with_multiple_affiliations"), "records"]),
        )

    (before, multiple_before), (after, multiple_after) = governments("2003-03-31"), governments("2003-04-01")
    assert after == before - 1  # 清水市 and 静岡市 count as one
    assert multiple_after == multiple_before + 1  # 静岡市 now holds two


def run(db, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["ties", *args, "--db", str(db)])
    return result.exit_code, result.output


def test_cli(directory) -> None:
    db = directory.sqlite_path
    code, output = run(db, "--country", "South Korea", "--json")
    assert code == 0, output
    assert all(r["partner_country"] == "KR" for r in json.loads(output))
    code, output = run(db, "--country", "RU", "--prefecture", "15", "--json")
    assert [r["partner"] for r in json.loads(output) if "ties.csv" in r["sources"]] == ["Vladivostok"]
    code, output = run(db, "--country", "US", "--csv", "--kind", "sister,friendship")
    assert code == 0 and output.splitlines()[0].startswith("name_ja,name_en,code,prefecture")
    code, output = run(db, "静岡市", "--with-predecessors")
    assert code == 0 and "旧清水市" in output and "Omaha" in output
    code, output = run(db, "静岡市", "--kind", "sister")
    assert code == 0 and "Omaha" not in output and "1 more held through former" in output
    code, output = run(db, "--limit", "1")
    assert "more (raise --limit" in output
    for args, message in (
        (("--country", "Narnia"), "unknown country"),
        (("--prefecture", "Atlantis"), "no Japanese prefecture"),
        (("--kind", "bogus"), "unknown tie kind"),
        (("--as-of", "soon"), "not a date"),
    ):
        code, output = run(db, *args)
        assert code == 2 and message in output, output


def test_ties_module_does_not_import_pandas() -> None:
    code = "import sys, paradiplomacy.cli.ties_cmds; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_a_tie_inside_japan_is_listed_under_either_prefecture(shared_registry) -> None:
    """Sendai–Shiraoi (row 752 of the bundled list) is in Miyagi's list and in Hokkaidō's, each
    time under the side in the prefecture asked for."""
    miyagi = ties_frame(shared_registry, prefecture="宮城県")
    assert "jp-015784" in set(miyagi[miyagi["actor_key"] == "jp-041009"]["partner_key"])
    hokkaido = ties_frame(shared_registry, prefecture="北海道")
    assert "jp-041009" in set(hokkaido[hokkaido["actor_key"] == "jp-015784"]["partner_key"])


def test_foreign_partners_carry_a_japanese_name_from_their_alternates(shared_registry) -> None:
    """Galveston is ガルベストン; Hull has only a Chinese transcription in kanji, which is not one."""
    niigata = ties_frame(shared_registry, "新潟市")
    partners = dict(zip(niigata["partner"], niigata["partner_ja"], strict=True))
    assert partners["Galveston"] == "ガルベストン" and partners["Harbin"] == "ハルビン"
    assert not isinstance(partners["Kingston upon Hull"], str)  # missing

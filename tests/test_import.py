"""Importing files: resolution, rejection reports, all-or-nothing, partial, dry runs, idempotence."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from paradiplomacy.ingest import ImportFailure, import_file
from paradiplomacy.store.schema import Citation, Office, Source, Tie
from tests.conftest import write


def count(registry, model) -> int:
    with registry.reader() as session:
        return session.scalar(select(func.count()).select_from(model))


def snapshot(registry) -> tuple[int, int, int]:
    return count(registry, Tie), count(registry, Citation), count(registry, Office)


GOOD = (
    "kind,subject,object,object_country,start,end,status\n"
    "sister,北九州市,Tacoma,US,1959,,active\n"
    "sister,Kōbe,Seattle,US,1957-10-21,,active\n"
    "sister,Setagaya (Tokyo),Winnipeg,CA,1970,,\n"
)


def test_tie_file_loads_with_sources(registry, tmp_path):
    """The three ties are in the registry undated (a paper, the bundled list): the file dates them."""
    before = count(registry, Tie)
    report = import_file(registry, write(tmp_path / "ties.csv", GOOD), "tie")
    assert report.ok and report.committed, report.rejections
    assert report.outcomes["enriched"] == 3 and count(registry, Tie) == before
    with registry.reader() as session:
        tie = session.scalar(select(Tie).where(Tie.start == "1957-10-21"))
        assert tie.subject.lg_code == "281000"  # Kobe, JIS X 0402 with check digit
        assert tie.object.country == "US"
        rows = session.scalars(
            select(Citation.row)
            .join(Source, Source.id == Citation.source_id)
            .where(Citation.entity == "tie", Citation.entity_id == tie.id, Source.title == "ties.csv")
        )
        assert list(rows) == [3]


def test_same_file_twice_adds_nothing(registry, tmp_path):
    path = write(tmp_path / "ties.csv", GOOD)
    import_file(registry, path, "tie")
    before = snapshot(registry)
    again = import_file(registry, path, "tie")
    assert again.outcomes == {"unchanged": 3}
    assert snapshot(registry) == before


def test_bad_row_rolls_back_everything(registry, tmp_path):
    before = snapshot(registry)
    bad = GOOD + "sister,北九州市,Atlantis,ZZ,1980,,\n" + "sister,北九州市,Dalian,CN,1990,1980,\n"
    report = import_file(registry, write(tmp_path / "bad.csv", bad), "tie")
    assert not report.ok and not report.committed
    assert snapshot(registry) == before
    problems = {(r.row, r.field) for r in report.rejections}
    assert problems == {(5, "object_country"), (6, "end")}
    assert str(report.rejections[0]).startswith(str(tmp_path / "bad.csv") + ", row 5")


def test_partial_keeps_good_rows_and_reports_the_rest(registry, tmp_path):
    bad = GOOD + "sister,Fuchū,Ulm,DE,1980,,\n"
    report = import_file(registry, write(tmp_path / "p.csv", bad), "tie", partial=True)
    assert report.committed and report.outcomes["enriched"] == 3
    (rejection,) = report.rejections
    assert rejection.row == 5 and rejection.field == "subject"
    assert "ambiguous" in rejection.reason
    assert len(rejection.candidates) >= 2


def test_dry_run_stores_nothing(registry, tmp_path):
    before = snapshot(registry)
    report = import_file(registry, write(tmp_path / "d.csv", GOOD), "tie", dry_run=True)
    assert report.outcomes["enriched"] == 3 and not report.committed
    assert snapshot(registry) == before


def test_interrupted_import_leaves_database_as_it_was(registry, tmp_path):
    before = snapshot(registry)

    def interrupt(done: int, total: int) -> None:
        if done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        import_file(registry, write(tmp_path / "i.csv", GOOD), "tie", progress=interrupt)
    assert snapshot(registry) == before


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("subject,object,colour\na,b,red\n", "unknown column(s) colour"),
        ("subject,object\na,b\n", "missing required column(s) kind"),
    ],
)
def test_wrong_columns_fail_the_file(registry, tmp_path, text, message):
    with pytest.raises(ImportFailure, match=message.replace("(", r"\(").replace(")", r"\)")):
        import_file(registry, write(tmp_path / "c.csv", text), "tie")


def test_unknown_kind_and_enum(registry, tmp_path):
    with pytest.raises(ImportFailure, match="unknown kind"):
        import_file(registry, write(tmp_path / "k.csv", GOOD), "treaty")
    report = import_file(
        registry,
        write(tmp_path / "e.csv", "kind,subject,object,object_country\ntwinned,北九州市,Dalian,CN\n"),
        "tie",
    )
    assert report.rejections[0].field == "kind"
    assert "allowed" in report.rejections[0].reason


def test_duplicate_keys_in_one_file_merge_not_duplicate(registry, tmp_path):
    text = (
        "key,owners,city,city_country,model,opened\n"
        "fukuoka-bangkok,福岡県,Bangkok,TH,independent,1990\n"
        "fukuoka-bangkok,福岡県,Bangkok,TH,joint_government,1990\n"
    )
    report = import_file(registry, write(tmp_path / "o.csv", text), "office")
    assert report.ok
    with registry.reader() as session:
        offices = session.scalars(select(Office).where(Office.key == "fukuoka-bangkok")).all()
        assert len(offices) == 1 and offices[0].model == "joint_government"


def test_self_tie_rejected(registry, tmp_path):
    report = import_file(
        registry, write(tmp_path / "s.csv", "kind,subject,object\nsister,北九州市,401005\n"), "tie"
    )
    assert report.rejections[0].field == "object"
    assert "same" in report.rejections[0].reason


def test_pair_list_both_sides_is_one_tie(registry, tmp_path):
    text = (
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Novosibirsk,Russia,55.03,82.92,Yūbari,Japan,43.06,141.97\n"
        "Yūbari,Japan,43.06,141.97,Novosibirsk,Russia,55.03,82.92\n"
    )
    report = import_file(registry, write(tmp_path / "pairs.csv", text), "pair")
    assert report.ok, report.rejections
    assert report.outcomes == {"added": 1, "updated": 1}
    with registry.reader() as session:
        tie = session.scalar(select(Tie).order_by(Tie.id.desc()))
        assert tie.subject.lg_code == "012092" and tie.object.name_en == "Novosibirsk"
        assert tie.object.lat == pytest.approx(55.03, abs=0.2)


def test_create_missing_places_from_pair_list(registry, tmp_path):
    text = (
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Smallville Zzyzx,United States,38.0,-97.0,Sapporo,Japan,43.06,141.35\n"
    )
    path = write(tmp_path / "new.csv", text)
    assert not import_file(registry, path, "pair").ok
    report = import_file(registry, path, "pair", create_missing=True)
    assert report.ok, report.rejections
    with registry.reader() as session:
        tie = session.scalar(select(Tie).order_by(Tie.id.desc()))
        assert tie.object.name_en == "Smallville Zzyzx" and tie.object.key.startswith("place-us-")


def test_shift_jis_csv_from_a_japanese_office(registry, tmp_path):
    text = "kind,subject,object,object_country,start\nsister,北九州市,Norfolk (Virginia),US,1962\n"
    report = import_file(registry, write(tmp_path / "sjis.csv", text, "cp932"), "tie")
    assert report.ok and report.encoding == "cp932" and report.outcomes["enriched"] == 1


def test_json_and_yaml_records(registry, tmp_path):
    actors = write(
        tmp_path / "a.json",
        '[{"key": "ngo-test", "kind": "civil_society", '
        '"name_en": "Test NGO", "name_ja": "テストNGO", "country": "JP"}]',
    )
    assert import_file(registry, actors, "actor").outcomes["added"] == 1
    ties = write(
        tmp_path / "t.yaml",
        "kind: tie\nrecords:\n  - {kind: partnership, subject: 北九州市, object: ngo-test, start: 2001-04}\n",
    )
    report = import_file(registry, ties)
    assert report.ok and report.kind == "tie" and report.outcomes["added"] == 1
    with registry.reader() as session:
        tie = session.scalar(select(Tie).where(Tie.kind == "partnership", Tie.start == "2001-04"))
        assert tie.object.name_ja == "テストNGO"


def test_create_missing_rejects_the_same_new_place_on_both_sides(registry, tmp_path):
    text = (
        "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"
        "Zzyzx Flats,United States,35.1,-116.1,Zzyzx Flats,United States,35.1,-116.1\n"
    )
    report = import_file(registry, write(tmp_path / "same.csv", text), "pair", create_missing=True)
    assert not report.committed and report.rejections[0].field == "city2"

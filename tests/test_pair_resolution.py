"""Pair lists: the bundled lists in the registry, and the rules that resolve a row's places."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from paradiplomacy import Registry
from paradiplomacy.corpus.pair_lists import PAIR_LISTS
from paradiplomacy.ingest import import_file
from paradiplomacy.ingest.pair_quality import japanese_place_distances
from paradiplomacy.ingest.pairs import placeholder_points
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.schema import Actor, ActorName, Citation, Source, Tie, UnresolvedRow
from tests.conftest import write

HEADER = "city1,country1,lat1,lng1,city2,country2,lat2,lng2\n"


def _key(session, tie_id: int) -> tuple[str, str]:
    tie = session.get(Tie, tie_id)
    return tie.subject.key, tie.object.key


def _ties_of(session, key: str) -> set[str]:
    actor = session.scalar(select(Actor).where(Actor.key == key))
    rows = session.execute(
        select(Tie).where((Tie.subject_id == actor.id) | (Tie.object_id == actor.id), Tie.kind == "twinning")
    ).scalars()
    return {(t.object if t.subject_id == actor.id else t.subject).name_en for t in rows}


def test_bundled_lists_are_loaded_with_their_source(shared_registry: Registry) -> None:
    with shared_registry.reader() as session:
        for pair_list in PAIR_LISTS:
            source = session.scalar(select(Source).where(Source.key == pair_list.key))
            assert source is not None and "CC BY-SA 4.0" in (source.note or "")
            cited = session.scalar(
                select(func.count(func.distinct(Citation.row))).where(
                    Citation.source_id == source.id, Citation.entity == "tie"
                )
            )
            queued = session.scalar(
                select(func.count()).select_from(UnresolvedRow).where(UnresolvedRow.source_id == source.id)
            )
            with pair_list.path.open(encoding="utf-8") as handle:
                rows = sum(1 for _ in handle) - 1
            assert cited + queued == rows  # every row loaded or queued
            assert cited / rows > 0.95
        assert {"Harbin", "Khabarovsk", "Vladivostok", "Galveston"} <= _ties_of(session, "jp-151009")
        korean = session.scalar(
            select(func.count())
            .select_from(Tie)
            .join(Actor, Actor.id == Tie.object_id)
            .where(Tie.kind == "twinning", Actor.country == "KR")
        )
        assert korean > 100


def test_queue_keeps_the_reason_and_the_record(shared_registry: Registry) -> None:
    with shared_registry.reader() as session:
        row = session.scalar(
            select(UnresolvedRow)
            .where(UnresolvedRow.field.in_(("city1", "city2")))
            .order_by(UnresolvedRow.row)
        )
        assert row is not None and row.reason and row.record["city1"]


@pytest.mark.parametrize(
    ("name", "near", "key"),
    [
        ("Fukuoka", (33.59, 130.40), "jp-401307"),  # the city, not the prefecture or a ward
        ("Kawasaki", (35.53, 139.70), "jp-141305"),  # the city, not its Kawasaki ward
        ("Kanazawa", (35.34, 139.62), "jp-141089"),  # coordinates in Yokohama: the ward
        ("Kanazawa", (36.56, 136.65), "jp-172014"),  # coordinates in Ishikawa: the city
        ("Ikeda", (34.82, 135.43), "jp-272043"),  # five namesakes, one near
        ("Shimizu", (35.02, 138.49), "jp-former-222046-20030401"),  # merged into Shizuoka in 2003
        ("Susono", (35.17, 138.91), "jp-222208"),  # the city, not the town it was before 1971
        ("Urawa", None, "jp-former-112046-20010501"),  # the former city, not 浦和区
        ("Gumma", None, "jp-100005"),  # the prefecture, not the former town 群馬町
        ("Ohtsu", None, "jp-252018"),  # passport spelling of Ōtsu
        ("Ohita", None, "jp-442011"),
        ("Sado Island", None, "jp-152242"),  # a generic word dropped: the island's city
        ("Yokohama – Naka", None, "jp-141046"),  # "city – ward": the city qualifies the ward
        ("Sapporo – Chūō", None, "jp-011011"),
        ("Minami-Alps", (35.61, 138.47), "jp-192082"),
        # the list's point for these bare names is the prefecture's: the city lies inside it
        ("Wakayama", (33.807, 135.5931), "jp-302015"),
        ("Nagano", (36.1144, 138.0319), "jp-202011"),
        ("Niigata", (37.6452, 138.7669), "jp-151009"),
    ],
)
def test_japanese_names_resolve_with_row_evidence(
    shared_registry: Registry, name: str, near: tuple[float, float] | None, key: str
) -> None:
    with shared_registry.reader() as session:
        directory = ActorDirectory(session)
        resolution = directory.try_resolve(name, country="JP", near=near, levels=True)
        assert resolution.status == "resolved", resolution
        assert session.get(Actor, int(resolution.match.entity_id)).key == key


def test_like_with_like_and_level_by_coordinates(shared_registry: Registry) -> None:
    """A bare prefecture-and-city name is the prefecture when the other party is a region; with
    ``level_by="coordinates"`` the namesake within 30 km of the point, whatever its level."""
    with shared_registry.reader() as session:
        directory = ActorDirectory(session)

        def key(name: str, near: tuple[float, float], **options) -> str | None:
            found = directory.try_resolve(name, country="JP", near=near, levels=True, **options)
            return session.get(Actor, int(found.match.entity_id)).key if found.match else None

        wakayama, niigata = (33.807, 135.5931), (37.6452, 138.7669)
        assert key("Wakayama", wakayama, partner_level=1) == "jp-300004"
        assert key("Niigata", niigata) == "jp-151009"
        assert key("Niigata", niigata, level_by="coordinates") == "jp-150002"
        assert key("Niigata", (37.92, 139.04), level_by="coordinates") == "jp-151009"


@pytest.mark.parametrize(
    ("name", "country", "near", "region", "taken"),
    [
        ("São Paulo State", "BR", (-22.07, -48.4336), "iso-br-sp", True),  # a word for a state
        ("New South Wales", "AU", (-32.0, 147.0), "iso-au-nsw", True),  # no point of its own: holds this one
        ("Hawaii County", "US", (19.6273, -155.5646), "iso-us-hi", False),  # a county is not its state
        ("Montana", "BG", (47.0, -110.0), "iso-bg-12", False),  # the point lies in the US, not in Bulgaria
    ],
)
def test_foreign_regions_with_a_point(
    shared_registry: Registry, name: str, country: str, near: tuple[float, float], region: str, taken: bool
) -> None:
    with shared_registry.reader() as session:
        found = ActorDirectory(session).try_resolve(name, country=country, near=near, levels=True)
        key = session.get(Actor, int(found.match.entity_id)).key if found.match else None
        assert (key == region) is taken, key


def test_far_single_candidate_is_rejected_with_its_distance(shared_registry: Registry) -> None:
    with shared_registry.reader() as session:
        resolution = ActorDirectory(session).try_resolve(
            "Hitachi", country="JP", near=(35.38, 139.19), levels=True
        )
        assert resolution.status == "unresolved" and "km away" in resolution.reason


def test_level_rule_can_be_turned_off(shared_registry: Registry) -> None:
    with shared_registry.reader() as session:
        directory = ActorDirectory(session)
        near = (35.53, 139.70)  # 川崎市 and its 川崎区 share this point
        assert directory.try_resolve("Kawasaki", country="JP", near=near).status == "ambiguous"
        assert directory.try_resolve("Kawasaki", country="JP", near=near, levels=True).status == "resolved"


def test_within_a_level_the_namesake_near_the_point_wins(shared_registry: Registry) -> None:
    """清水町 (Shizuoka, a town) at its own point, not the former 清水市 49 km off, although the
    level rule puts a city before a town."""
    with shared_registry.reader() as session:
        resolution = ActorDirectory(session).try_resolve(
            "Shimizu", country="JP", near=(35.0991, 138.9027), levels=True
        )
        assert session.get(Actor, int(resolution.match.entity_id)).name_ja.endswith("清水町")


def test_prefecture_point_lies_among_its_municipalities(shared_registry: Registry) -> None:
    """A prefecture is placed at the median of its municipalities' points, not at its seat:
    長野県 lies in the middle of Nagano, 長野市 in its north."""
    with shared_registry.reader() as session:
        prefecture = session.scalar(select(Actor).where(Actor.name_ja == "長野県"))
        city = session.scalar(select(Actor).where(Actor.key == "jp-202011"))
        assert 35.9 < prefecture.lat < 36.3 and 137.8 < prefecture.lon < 138.3
        assert city.lat > 36.6


def test_japanese_script_never_resolves_abroad(shared_registry: Registry) -> None:
    with shared_registry.reader() as session:
        resolution = ActorDirectory(session).try_resolve("清水市")
        assert resolution.status == "resolved" and resolution.match.country == "JP"


def test_five_digit_and_old_codes(shared_registry: Registry) -> None:
    with shared_registry.reader() as session:
        directory = ActorDirectory(session)
        assert session.get(Actor, directory.exact("40100")).key == "jp-401005"
        assert session.get(Actor, directory.exact("222011")).key == "jp-221007"  # 静岡市 until 2005
        assert session.get(Actor, directory.exact("222046")).key == "jp-former-222046-20030401"


def test_placeholder_points_are_those_shared_by_unrelated_names() -> None:
    point = (38.322, 142.369)
    records = [
        (2, {"city1": "Yamatsuri", "country1": "JP", "lat1": point[0], "lng1": point[1]}),
        (3, {"city1": "Sugito", "country1": "JP", "lat1": point[0], "lng1": point[1]}),
        (4, {"city1": "Northern Beaches", "country1": "AU", "lat1": -33.6, "lng1": 151.3}),
        (5, {"city1": "Warringah (Northern Beaches)", "country1": "AU", "lat1": -33.6, "lng1": 151.3}),
    ]
    assert placeholder_points(records) == {("JP", point)}


def test_pair_import_resolves_sets_aside_and_queues(registry: Registry, tmp_path: Path) -> None:
    text = (
        HEADER
        + "Gresham,United States,45.50,-122.43,Ebetsu,Japan,43.10,141.54\n"
        + "Winthrop,United States,48.47,-120.18,Yamatsuri,Japan,38.322,142.369\n"
        + "Nowhereville,United States,,,Sugito,Japan,38.322,142.369\n"
        + "Ashland,United States,42.19,-122.71,Hitachi,Japan,35.38,139.19\n"
    )
    path = write(tmp_path / "pairs.csv", text)
    report = import_file(registry, path, "pair", partial=True, create_missing=True)
    assert report.committed and report.loaded == 2
    assert report.notes["coordinates set aside: the file gives the same point to other names"] >= 1
    fields = {(r.row, r.field) for r in report.rejections}
    assert fields == {(4, "city1"), (5, "city2")}  # no coordinates to create; far from Hitachi
    with registry.reader() as session:
        queued = session.scalars(select(UnresolvedRow.row)).all()
        assert {4, 5} <= set(queued)
    again = import_file(registry, path, "pair", partial=True, create_missing=True)
    assert again.outcomes.get("added", 0) == 0  # idempotent


def test_shared_point_is_tried_before_it_is_set_aside(registry: Registry, tmp_path: Path) -> None:
    """The file gives 河北町 (merged into 石巻市 in 2005) its successor's point: the point names the
    former town, not かほく市 (Ishikawa) that a bare "Kahoku" would mean."""
    path = write(
        tmp_path / "pairs.csv",
        HEADER
        + "Ishinomaki,Japan,38.4176,141.3027,Hitachinaka,Japan,36.3961,140.5353\n"
        + "Kahoku,Japan,38.4176,141.3027,Sigmaringen,Germany,48.0864,9.2163\n",
    )
    report = import_file(registry, path, "pair", partial=True)
    assert report.loaded == 2, report.rejections
    with registry.reader() as session:
        assert "Sigmaringen" in _ties_of(session, "jp-former-045616-20050401")


def test_foreign_name_without_usable_point_takes_the_prominent_namesake(
    registry: Registry, tmp_path: Path
) -> None:
    """Cambridge, United States with Cambridge (England)'s point: Cambridge, Massachusetts, over
    five times as populous as every other American Cambridge (an alias of Newton does not count);
    Rome, United States (Georgia and New York alike) stays ambiguous."""
    path = write(
        tmp_path / "pairs.csv",
        HEADER
        + "Ebetsu,Japan,43.10,141.54,Cambridge,United States,52.205,0.1225\n"
        + "Kumamoto,Japan,32.8031,130.7078,Rome,United States,41.8933,12.4828\n",
    )
    report = import_file(registry, path, "pair", partial=True)
    assert report.loaded == 1 and [r.row for r in report.rejections] == [3]
    assert report.notes["no usable point: the namesake over 5x as populous"] == 1
    with registry.reader() as session:
        ebetsu = session.scalar(select(Actor.id).where(Actor.key == "jp-012173"))
        partners = [
            t.object if t.subject_id == ebetsu else t.subject
            for t in session.scalars(
                select(Tie).where((Tie.subject_id == ebetsu) | (Tie.object_id == ebetsu))
            )
        ]
        cambridge = next(a for a in partners if a.name_en == "Cambridge")
        assert cambridge.country == "US" and cambridge.lat == pytest.approx(42.375, abs=0.05)


def test_dry_run_and_all_or_nothing_store_nothing(registry: Registry, tmp_path: Path) -> None:
    path = write(
        tmp_path / "p.csv",
        HEADER
        + "Gresham,United States,45.50,-122.43,Ebetsu,Japan,43.10,141.54\n"
        + "Atlantis,United States,,,Nowhere,Japan,,\n",
    )
    with registry.reader() as session:
        before = session.scalar(select(func.count()).select_from(Tie))
    assert not import_file(registry, path, "pair").committed
    assert not import_file(registry, path, "pair", partial=True, dry_run=True).committed
    with registry.reader() as session:
        assert session.scalar(select(func.count()).select_from(Tie)) == before
        assert (
            session.scalar(
                select(func.count())
                .select_from(UnresolvedRow)
                .where(UnresolvedRow.record["city1"].as_string() == "Atlantis")
            )
            == 0
        )


def test_bundled_japanese_rows_resolve_near_their_coordinates(shared_registry: Registry) -> None:
    """The tool's own figures: share of the bundled Japanese list loaded, and of its resolved
    Japanese places within 30 km of the row's point."""
    pair_list = PAIR_LISTS[0]
    with shared_registry.reader() as session:
        source = session.scalar(select(Source.id).where(Source.key == pair_list.key))
    found = japanese_place_distances(shared_registry, pair_list.path, source)
    assert found.loaded / found.rows > 0.95
    assert found.loaded / found.rows > 0.97
    assert found.share_near > 0.94 and found.share_trusted_near > found.share_near


def test_resolutions_report_what_each_row_named(registry: Registry, tmp_path: Path) -> None:
    """``import --resolutions`` writes each resolved row's two places, also in a dry run; the
    level reading changes the Japanese side (``--level-by coordinates``)."""
    from click.testing import CliRunner

    from paradiplomacy.cli.main import cli

    path = write(
        tmp_path / "pairs.csv",
        HEADER
        + "Niigata,Japan,37.6452,138.7669,Galveston,United States,29.3872,-94.9927\n"
        + "Xyzzyville,Japan,35,135,Paris,France,48.85,2.35\n",
    )
    found = {}
    for mode in ("name", "coordinates"):
        out = tmp_path / f"{mode}.csv"
        args = ["import", str(path), "--kind", "pair", "--partial", "--dry-run", "--level-by", mode]
        result = CliRunner().invoke(
            cli, [*args, "--resolutions", str(out), "--db", str(registry.sqlite_path)]
        )
        assert result.exit_code == 1, result.output  # one row rejected
        with out.open(encoding="utf-8") as handle:
            found[mode] = list(csv.DictReader(handle))
    assert [(r["row"], r["key1"], r["key2"]) for r in found["name"]] == [("2", "jp-151009", "geo-4692883")]
    assert found["coordinates"][0]["key1"] == "jp-150002"


def test_a_created_place_named_as_a_region_is_a_region(registry: Registry, tmp_path: Path) -> None:
    path = write(
        tmp_path / "pairs.csv",
        HEADER + "Ebetsu,Japan,43.10,141.54,Nowhere Province,Italy,45.5,11.9\n",
    )
    report = import_file(registry, path, "pair", partial=True, create_missing=True)
    assert report.loaded == 1, report.rejections
    with registry.reader() as session:
        kind = session.scalar(select(Actor.kind).where(Actor.key == "place-it-nowhere-province"))
    assert kind == "foreign_region"


def test_a_compound_name_is_its_last_part_never_the_first(registry: Registry, tmp_path: Path) -> None:
    """``Seoul – Mapo`` is Mapo: when the registry lacks it, the row is not given to Seoul; with
    ``create_missing`` it becomes a place inside Seoul, named Mapo, which ``Mapo (Seoul)`` names too;
    a later file's row finds it."""
    with registry.reader() as session:
        found = ActorDirectory(session).try_resolve("Seoul – Hanbyeol", country="KR", near=(37.55, 126.95))
        assert found.status == "unresolved", found
    path = write(
        tmp_path / "pairs.csv",
        HEADER
        + "Seoul – Hanbyeol,South Korea,37.55,126.95,Ebetsu,Japan,43.10,141.54\n"
        + "Hanbyeol (Seoul),South Korea,37.56,126.96,Otaru,Japan,43.19,141.00\n",
    )
    report = import_file(registry, path, "pair", partial=True, create_missing=True)
    assert report.loaded == 2, report.rejections
    with registry.reader() as session:
        place = session.scalar(select(Actor).where(Actor.key == "place-kr-seoul-hanbyeol"))
        assert place.name_en == "Hanbyeol" and place.parent.name_en == "Seoul"
        names = set(session.scalars(select(ActorName.name).where(ActorName.actor_id == place.id)))
        assert names == {"Hanbyeol", "Seoul – Hanbyeol", "Hanbyeol (Seoul)"}
        assert {key for (key,) in session.execute(select(Actor.key).where(Actor.name_en == "Hanbyeol"))} == {
            "place-kr-seoul-hanbyeol"
        }
    later = write(tmp_path / "later.csv", HEADER + "Seoul – Hanbyeol,South Korea,,,Sapporo,Japan,,\n")
    assert import_file(registry, later, "pair", partial=True, create_missing=True).loaded == 1
    with registry.reader() as session:
        assert "Sapporo" in _ties_of(session, "place-kr-seoul-hanbyeol")


def test_a_row_for_a_known_sister_tie_cites_it(
    shared_registry: Registry, registry: Registry, tmp_path: Path
) -> None:
    """Kobe–Tianjin is a sister tie in a paper and a row of the bundled list: one tie, both sources;
    a paper's sister tie imported after a twinning row is still counted once."""
    from paradiplomacy.analysis import affiliation_frame

    with shared_registry.reader() as session:
        kobe = session.scalar(select(Actor.id).where(Actor.key == "jp-281000"))
        tianjin = session.scalar(select(Actor.id).where(Actor.key == "geo-1792947"))
        ties = session.scalars(
            select(Tie).where(Tie.subject_id.in_((kobe, tianjin)), Tie.object_id.in_((kobe, tianjin)))
        ).all()
        assert [t.kind for t in ties] == ["sister"]
        sources = set(
            session.scalars(
                select(Source.key)
                .join(Citation, Citation.source_id == Source.id)
                .where(Citation.entity == "tie", Citation.entity_id == ties[0].id)
            )
        )
        assert len(sources) >= 2 and any("japan" in key for key in sources), sources
    path = write(tmp_path / "ties.csv", "kind,subject,object,start\nsister,jp-382027,geo-4161438,1980\n")
    before = len(affiliation_frame(registry))
    report = import_file(registry, path, "tie")
    assert report.loaded == 1, report.rejections
    frame = affiliation_frame(registry)
    assert len(frame) == before  # the list's twinning tie and the new sister tie: one affiliation
    assert list(frame[frame["partner_key"] == "geo-4161438"]["kind"]) == ["sister"]


@pytest.mark.parametrize(
    ("name", "country"), [("Prague 1", "CZ"), ("Budapest XVI", "HU"), ("Prague 6 (Prague)", "CZ")]
)
def test_a_numbered_district_is_not_its_city(shared_registry: Registry, name: str, country: str) -> None:
    """A look-alike name that lacks the number is another place: Prague 1 is not Prague."""
    with shared_registry.reader() as session:
        found = ActorDirectory(session).try_resolve(name, country=country)
        assert found.match is None or found.match.name not in ("Prague", "Budapest"), found

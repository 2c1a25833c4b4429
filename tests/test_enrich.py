"""An officer's dated list after ``init``: its rows date the ties the registry holds, never duplicate
them. The rows are built from the bundled pair list (names as it writes them) plus 新潟市 in
Japanese script."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from paradiplomacy.cli.main import cli
from paradiplomacy.ingest import import_file
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.store.schema import Actor, Citation, Source, Tie
from tests.conftest import write

HEADER = "subject,object,object_country,kind,start,note\n"
#: rows of corpus/pairs/japan_twinning_pairs.csv (Adelaide–Himeji, Blue Mountains–Sanda,
#: Fremantle–Yokosuka, Niigata–Galveston), as an office's dated list writes them
OFFICE_LIST = (
    HEADER + "Himeji,Adelaide,Australia,sister,1982-04-19,from the city's list\n"
    "Sanda,Blue Mountains,Australia,sister,1990,\n"
    "Yokosuka,Fremantle,Australia,friendship,1979-05,\n"
    '新潟市,"Galveston, Texas",US,sister,1965,\n'
)
PAIRS = [
    ("Himeji", "Adelaide", "sister", "1982-04-19", "day"),
    ("Sanda", "Blue Mountains", "sister", "1990", "year"),
    ("Yokosuka", "Fremantle", "friendship", "1979-05", "month"),
    ("Niigata", "Galveston", "sister", "1965", "year"),
]
AFFILIATIONS = ("sister", "friendship", "twinning")


def ties_between(registry, japanese: str, partner: str) -> list[Tie]:
    """Every affiliation tie (sister, friendship, twinning) between a Japanese place and a partner
    (English names), either way round."""
    home, other = aliased(Actor), aliased(Actor)
    with registry.session() as session:
        query = (
            select(Tie)
            .join(home, or_(home.id == Tie.subject_id, home.id == Tie.object_id))
            .join(other, or_(other.id == Tie.subject_id, other.id == Tie.object_id))
            .where(Tie.kind.in_(AFFILIATIONS), home.country == "JP", home.name_en == japanese)
            .where(other.id != home.id, other.name_en == partner)
        )
        ties = list(session.scalars(query))
        session.expunge_all()
        return ties


def citations(registry, tie_id: int) -> list[tuple[str, int]]:
    with registry.session() as session:
        return sorted(
            session.execute(
                select(Source.kind, Citation.row)
                .join(Source, Source.id == Citation.source_id)
                .where(Citation.entity == "tie", Citation.entity_id == tie_id)
            ).all()
        )


def counts(registry) -> tuple[int, int, int]:
    with registry.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(t)) for t in (Tie, Citation, Source))


def galveston(registry) -> Tie:
    (tie,) = ties_between(registry, "Niigata", "Galveston")
    return tie


def one_row(tmp_path: Path, name: str, kind: str, start: str) -> Path:
    return write(tmp_path / name, HEADER + f'新潟市,"Galveston, Texas",US,{kind},{start},\n')


def test_a_dated_list_enriches_the_bundled_ties_one_affiliation_per_pair(registry, tmp_path):
    before = {pair[:2]: ties_between(registry, *pair[:2]) for pair in PAIRS}
    assert all(len(t) == 1 and t[0].kind == "twinning" and t[0].start is None for t in before.values())
    total = counts(registry)[0]
    report = import_file(registry, write(tmp_path / "office.csv", OFFICE_LIST), "tie")
    assert report.committed and dict(report.outcomes) == {"enriched": 4}
    assert counts(registry)[0] == total  # no tie added
    for japanese, partner, kind, start, precision in PAIRS:
        (tie,) = ties_between(registry, japanese, partner)  # one affiliation per pair
        assert tie.id == before[(japanese, partner)][0].id
        assert (tie.kind, tie.start, tie.status) == (kind, start, "active")
        assert PartialDate.parse(tie.start).precision == precision
        kinds = [kind for kind, _row in citations(registry, tie.id)]
        assert "dataset" in kinds and "import" in kinds  # the new source beside the bundled list
    himeji = ties_between(registry, "Himeji", "Adelaide")[0]
    assert himeji.note == "from the city's list"
    assert ("import", 2) in citations(registry, himeji.id)
    assert [c.tie for c in report.changes][-1] == "新潟市–Galveston"


def test_importing_the_same_list_again_adds_and_changes_nothing(registry, tmp_path):
    path = write(tmp_path / "office.csv", OFFICE_LIST)
    import_file(registry, path, "tie")
    after_first = counts(registry)
    tie = galveston(registry)
    again = import_file(registry, path, "tie")
    assert dict(again.outcomes) == {"unchanged": 4}
    assert counts(registry) == after_first
    assert citations(registry, tie.id) == citations(registry, galveston(registry).id)


def test_a_more_precise_date_that_agrees_refines(registry, tmp_path):
    import_file(registry, one_row(tmp_path, "y.csv", "sister", "1979"), "tie")
    report = import_file(registry, one_row(tmp_path, "m.csv", "sister", "1979-05"), "tie")
    assert dict(report.outcomes) == {"refined": 1} and galveston(registry).start == "1979-05"
    report = import_file(registry, one_row(tmp_path, "d.csv", "sister", "1979-05-01"), "tie")
    assert dict(report.outcomes) == {"refined": 1} and galveston(registry).start == "1979-05-01"
    # a coarser date that agrees says less than the registry knows: kept, the file cited
    report = import_file(registry, one_row(tmp_path, "y2.csv", "twinning", "1979"), "tie")
    assert dict(report.outcomes) == {"unchanged": 1}
    tie = galveston(registry)
    assert (tie.kind, tie.start) == ("sister", "1979-05-01")
    assert len([k for k, _ in citations(registry, tie.id) if k == "import"]) == 4


def test_a_contradiction_is_refused_with_row_field_and_both_values(registry, tmp_path):
    import_file(registry, one_row(tmp_path, "first.csv", "sister", "1965"), "tie")
    before = counts(registry)
    report = import_file(registry, one_row(tmp_path, "second.csv", "friendship", "1972"), "tie")
    assert not report.ok and not report.committed
    found = {(c.row, c.field, c.old, c.new, c.tie, c.settled) for c in report.conflicts}
    assert found == {
        (2, "start", "1965", "1972", "新潟市–Galveston", "rejected"),
        (2, "kind", "sister", "friendship", "新潟市–Galveston", "rejected"),
    }
    assert all(c.file.endswith("second.csv") for c in report.conflicts)
    (rejection,) = report.rejections
    assert "1965" in rejection.reason and "1972" in rejection.reason and "--prefer" in rejection.reason
    assert counts(registry) == before  # nothing stored, not even the file as a source
    assert (galveston(registry).kind, galveston(registry).start) == ("sister", "1965")


def test_prefer_old_keeps_and_prefer_new_takes_both_cite_the_file(registry, tmp_path):
    import_file(registry, one_row(tmp_path, "first.csv", "sister", "1965"), "tie")
    second = one_row(tmp_path, "second.csv", "sister", "1972")
    old = import_file(registry, second, "tie", prefer="old")
    assert old.committed and dict(old.outcomes) == {"conflict": 1}
    assert [(c.field, c.old, c.new, c.settled) for c in old.conflicts] == [("start", "1965", "1972", "old")]
    tie = galveston(registry)
    assert tie.start == "1965" and len(citations(registry, tie.id)) == 3  # list, first, second
    new = import_file(registry, one_row(tmp_path, "third.csv", "sister", "1972"), "tie", prefer="new")
    assert new.committed and [c.settled for c in new.conflicts] == ["new"]
    assert galveston(registry).start == "1972" and len(ties_between(registry, "Niigata", "Galveston")) == 1


def test_a_town_merged_into_the_city_holds_the_tie_under_its_former_name(registry, tmp_path):
    (held,) = ties_between(registry, "Kahoku", "Meßkirch")  # 旧河北町, merged into 石巻市 in 2005
    total = counts(registry)[0]
    path = write(tmp_path / "ishinomaki.csv", HEADER + "石巻市,Meßkirch,DE,friendship,1992-07-01,\n")
    report = import_file(registry, path, "tie")
    assert dict(report.outcomes) == {"enriched": 1} and counts(registry)[0] == total
    (change,) = report.changes
    assert change.via == "former body 旧桃生郡河北町" and change.tie == "旧桃生郡河北町–Meßkirch"
    (tie,) = ties_between(registry, "Kahoku", "Meßkirch")
    assert (tie.id, tie.kind, tie.start) == (held.id, "friendship", "1992-07-01")


def test_a_dry_run_reports_exactly_what_the_import_does(registry, tmp_path):
    import_file(registry, one_row(tmp_path, "first.csv", "sister", "1965"), "tie")
    mixed = write(
        tmp_path / "mixed.csv",
        OFFICE_LIST.replace(
            '新潟市,"Galveston, Texas",US,sister,1965,', '新潟市,"Galveston, Texas",US,sister,1965-07-01,'
        )
        + "Himeji,Adelaide,Australia,memorandum,2001,\n",  # another kind: a tie of its own
    )
    before = counts(registry)
    dry = import_file(registry, mixed, "tie", dry_run=True)
    assert counts(registry) == before
    real = import_file(registry, mixed, "tie")
    assert dict(dry.outcomes) == dict(real.outcomes) == {"enriched": 3, "refined": 1, "added": 1}
    assert dry.changes == real.changes


def test_a_conflicting_row_with_partial_keeps_only_the_good_rows(registry, tmp_path):
    import_file(registry, one_row(tmp_path, "first.csv", "sister", "1965"), "tie")
    path = write(tmp_path / "office.csv", OFFICE_LIST.replace(",sister,1965,", ",sister,1972,"))
    report = import_file(registry, path, "tie", partial=True)
    assert report.committed and dict(report.outcomes) == {"enriched": 3}
    assert [(r.row, r.field) for r in report.rejections] == [(5, "start")]
    assert galveston(registry).start == "1965"
    assert ties_between(registry, "Sanda", "Blue Mountains")[0].start == "1990"


def test_a_papers_value_needs_allow_overwrite_builtin_even_with_prefer_new(registry, tmp_path):
    path = write(tmp_path / "kk.csv", HEADER + "Kitakyushu,Dalian,CN,friendship,1985,\n")
    report = import_file(registry, path, "tie", prefer="new")
    assert not report.committed and "--allow-overwrite-builtin" in report.rejections[0].reason
    report = import_file(registry, path, "tie", prefer="new", allow_overwrite_builtin=True)
    assert report.committed and dict(report.outcomes) == {"conflict": 1}


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def test_the_cli_summary_names_outcomes_conflicts_and_the_choice(registry_path, tmp_path):
    office = write(tmp_path / "office.csv", OFFICE_LIST)
    code, output = run("import", office, "--kind", "tie", "--quiet", "--db", registry_path)
    assert code == 0 and "loaded 4/4 rows (4 enriched)" in output
    assert "新潟市–Galveston enriched: kind twinning → sister, start - → 1965" in output
    code, output = run("import", office, "--kind", "tie", "--quiet", "--db", registry_path)
    assert code == 0 and "(4 unchanged)" in output
    later = one_row(tmp_path, "later.csv", "sister", "1972")
    code, output = run("import", later, "--kind", "tie", "--quiet", "--db", registry_path, "--lang", "ja")
    assert code == 1 and "登録簿と矛盾する行が1件" in output
    assert "矛盾: 2行目の開始: 登録簿の新潟市–Galvestonは1965、ファイルは1972" in output
    code, output = run(
        "import", later, "--kind", "tie", "--quiet", "--json", "--prefer", "new", "--db", registry_path
    )
    data = json.loads(output)
    assert code == 0 and data["outcomes"] == {"conflict": 1}
    assert data["conflicts"] == [
        {
            "file": str(later),
            "row": 2,
            "tie": "新潟市–Galveston",
            "field": "start",
            "old": "1965",
            "new": "1972",
            "settled": "new",
        }
    ]


def test_a_pair_list_of_sister_cities_tells_the_bundled_twinning_ties_apart(registry, tmp_path):
    bundled = Path(__file__).parents[1] / "src/paradiplomacy/corpus/pairs/japan_twinning_pairs.csv"
    lines = bundled.read_text(encoding="utf-8").splitlines()
    wanted = [lines[0]] + [line for line in lines if line.startswith(("Adelaide,", "Blue Mountains,"))]
    path = write(tmp_path / "sisters.csv", "\n".join(wanted) + "\n")
    total = counts(registry)[0]
    report = import_file(registry, path, "pair", tie_kind="sister")
    assert report.committed and dict(report.outcomes) == {"enriched": 2} and counts(registry)[0] == total
    assert [t.kind for t in ties_between(registry, "Himeji", "Adelaide")] == ["sister"]
    assert dict(import_file(registry, path, "pair", tie_kind="sister").outcomes) == {"unchanged": 2}
    friends = import_file(registry, path, "pair", tie_kind="friendship")
    assert not friends.committed and {(c.field, c.old, c.new) for c in friends.conflicts} == {
        ("kind", "sister", "friendship")
    }
    settled = import_file(registry, path, "pair", tie_kind="friendship", prefer="new")
    assert settled.committed and [t.kind for t in ties_between(registry, "Sanda", "Blue Mountains")] == [
        "friendship"
    ]


def test_a_row_naming_the_former_body_takes_its_successors_tie_back(registry, tmp_path):
    """The bundled list gives Omaha to 静岡市; a row for 旧清水市 (merged 2003) dated 1965 dates that
    tie and hands it to 清水市, who signed it: still one Omaha affiliation."""
    total = counts(registry)[0]
    path = write(tmp_path / "shimizu.csv", HEADER + "jp-former-222046-20030401,Omaha,US,sister,1965,\n")
    report = import_file(registry, path, "tie")
    assert dict(report.outcomes) == {"enriched": 1} and counts(registry)[0] == total
    (change,) = report.changes
    assert change.via == "successor 静岡市" and ("holder", "静岡市", "旧清水市", "refined") in change.fields
    with registry.session() as session:
        holders = session.scalars(
            select(Actor.key)
            .join(Tie, Tie.subject_id == Actor.id)
            .where(Tie.object_id == select(Tie.object_id).where(Tie.id == _omaha(session)).scalar_subquery())
            .where(Actor.key.in_(["jp-221007", "jp-former-222046-20030401"]))
        )
        assert list(holders) == ["jp-former-222046-20030401"]
    again = import_file(registry, path, "tie")  # matched directly now: nothing moves
    assert dict(again.outcomes) == {"unchanged": 1}


def _omaha(session) -> int:
    former = select(Actor.id).where(Actor.key == "jp-former-222046-20030401").scalar_subquery()
    return session.scalar(select(Tie.id).where(Tie.subject_id == former, Tie.kind == "sister"))

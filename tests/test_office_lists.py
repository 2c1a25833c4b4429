"""Office-style lists in: spreadsheets with a title line, Japanese headings, era dates and date cells,
Shift_JIS and semicolon CSVs, built from rows of the bundled Japanese pair list and imported after
``init``; what the clerk sees when a row is refused; the template round trip."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
import xlsxwriter
from click.testing import CliRunner
from python_calamine import CalamineWorkbook
from sqlalchemy import func, or_, select

from paradiplomacy.cli.main import cli
from paradiplomacy.corpus.pair_lists import PAIR_LISTS
from paradiplomacy.ingest import import_file
from paradiplomacy.ingest.errors import ImportFailure
from paradiplomacy.model.eras import era_of
from paradiplomacy.reference.world import countries
from paradiplomacy.store.schema import Actor, Citation, Source, Tie, UnresolvedRow
from tests.conftest import write

JAPAN_PAIRS = next(p for p in PAIR_LISTS if p.path.name == "japan_twinning_pairs.csv")
TITLE = "姉妹（友好）提携一覧（令和6年4月1日現在）"
KINDS = (
    ("姉妹都市", "sister"),
    ("友好都市", "friendship"),
    ("姉妹提携", "sister"),
    ("友好交流", "friendship"),
)


@dataclass
class OfficeRow:
    """One row of an office's list, and what the registry should make of it."""

    @property
    def partner_in(self) -> str:
        """The partner with its state, in one cell: ``Bayside（ニューサウスウェールズ）``."""
        return f"{self.partner}（{self.state}）" if self.state else self.partner

    prefecture: str
    municipality: str
    partner: str
    country: str
    state: str
    subject_id: int
    object_id: int
    day: dt.date


def _japanese_country_names() -> dict[str, str]:
    return {
        c.alpha2: next(a for a in c.aliases if re.search(r"[\u30a0-\u30ff\u4e00-\u9fff]", a))
        for c in countries()
        if any(re.search(r"[\u30a0-\u30ff\u4e00-\u9fff]", a) for a in c.aliases)
    }


def office_rows(registry, count: int, offset: int = 0) -> list[OfficeRow]:
    """Rows of the bundled Japanese pair list as an office would write them: the municipality and
    its prefecture in kanji, the partner in Latin script (or katakana where the registry has it),
    its state or province and its country in Japanese where the registry has them; only pairs the
    registry holds as a twinning tie and nothing else."""
    names = _japanese_country_names()
    found: list[OfficeRow] = []
    with registry.reader() as session:
        source = session.scalar(select(Source.id).where(Source.title == JAPAN_PAIRS.source_values()["title"]))
        rows = session.execute(
            select(Citation.row, Tie.subject_id, Tie.object_id)
            .join(Tie, Tie.id == Citation.entity_id)
            .where(Citation.source_id == source, Citation.entity == "tie", Tie.kind == "twinning")
            .order_by(Citation.row)
        ).all()
        seen: set[tuple[int, int]] = set()
        for number, subject_id, object_id in rows:
            subject, partner = session.get(Actor, subject_id), session.get(Actor, object_id)
            others = session.scalar(
                select(func.count(Tie.id)).where(
                    or_(
                        (Tie.subject_id == subject_id) & (Tie.object_id == object_id),
                        (Tie.subject_id == object_id) & (Tie.object_id == subject_id),
                    )
                )
            )
            if (
                others != 1
                or (subject_id, object_id) in seen
                or subject.country != "JP"
                or subject.parent is None
                or not subject.name_ja
                or partner.country not in names
                or not partner.name_en
            ):
                continue
            seen.add((subject_id, object_id))
            index = len(found)
            latin = index % 3 or not partner.name_ja
            found.append(
                OfficeRow(
                    subject.parent.name_ja,
                    subject.name_ja,
                    partner.name_en if latin else partner.name_ja,
                    names[partner.country],
                    (partner.parent.name_ja or partner.parent.name_en) if partner.parent else "",
                    subject_id,
                    object_id,
                    dt.date(1960 + (number * 7) % 60, number % 12 + 1, number % 28 + 1),
                )
            )
    return found[offset : offset + count]


def era_text(day: dt.date, form: str) -> str:
    """``day`` as offices write it: era in kanji, era letter, Japanese Gregorian, year-month..."""
    era = era_of(day)
    number = day.year - era.first.year + 1
    if form == "kanji":
        return f"{era.name}{'元' if number == 1 else number}年{day.month}月{day.day}日"
    if form == "letter":
        return f"{era.letter}{number}.{day.month}.{day.day}"
    if form == "fullwidth":
        return f"{day.year}年{day.month}月{day.day}日".translate(
            str.maketrans("0123456789", "０１２３４５６７８９")
        )
    if form == "month":
        return f"{era.name}{'元' if number == 1 else number}年{day.month}月"
    if form == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    assert form == "year"
    return f"{day.year}"


FORMS = ("kanji", "letter", "cell", "fullwidth", "month", "slash", "year")
PRECISION = {"month": "month", "year": "year"}


def expected_start(day: dt.date, form: str) -> str:
    precision = PRECISION.get(form, "day")
    return {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}"}.get(
        precision, day.isoformat()
    )


def write_xlsx(path: Path, sheets: dict[str, list[list]], date_cells: bool = True) -> Path:
    """A workbook whose sheets hold these rows (a ``dt.date`` written as a real date cell)."""
    book = xlsxwriter.Workbook(str(path))
    dated = book.add_format({"num_format": "yyyy/m/d"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date) and date_cells:
                    sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), dated)
                elif value not in (None, ""):
                    sheet.write(r, c, value)
    book.close()
    return path


def office_xlsx(path: Path, rows: list[OfficeRow]) -> tuple[Path, list[tuple[OfficeRow, str, str]]]:
    """The list as a prefecture keeps it: a title, the as-of note, headings on row 4, a note below."""
    table: list[list] = [[TITLE], [], ["", "", "", "", "", "単位：件"]]
    table.append(["都道府県", "自治体名", "提携先", "州・省", "国・地域", "提携年月日", "種別", "備考"])
    expected = []
    for index, row in enumerate(rows):
        form = FORMS[index % len(FORMS)]
        written, kind = KINDS[index % len(KINDS)]
        start = row.day if form == "cell" else era_text(row.day, form)
        table.append(
            [row.prefecture, row.municipality, row.partner, row.state, row.country, start, written, ""]
        )
        expected.append((row, kind, expected_start(row.day, form)))
    table += [[], ["※ 提携年月日は協定の締結日です。"]]
    return write_xlsx(path, {"一覧": table}), expected


def tie_between(registry, subject_id: int, object_id: int, kind: str) -> Tie | None:
    with registry.reader() as session:
        return session.scalar(
            select(Tie).where(Tie.kind == kind, Tie.subject_id == subject_id, Tie.object_id == object_id)
        )


def tie_count(registry) -> int:
    with registry.reader() as session:
        return session.scalar(select(func.count(Tie.id)))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def ties_of_pair(registry, subject_id: int, object_id: int) -> list[Tie]:
    """Every tie between two bodies, in either orientation."""
    with registry.reader() as session:
        return list(
            session.scalars(
                select(Tie).where(
                    ((Tie.subject_id == subject_id) & (Tie.object_id == object_id))
                    | ((Tie.subject_id == object_id) & (Tie.object_id == subject_id))
                )
            )
        )


def test_xlsx_with_title_line_japanese_headings_era_dates_and_date_cells(registry, registry_path, tmp_path):
    rows = office_rows(registry, 14)
    assert len(rows) == 14
    path, expected = office_xlsx(tmp_path / "姉妹友好提携一覧.xlsx", rows)
    before = tie_count(registry)
    code, output = run("import", str(path), "--kind", "tie", "--db", str(registry_path), "--json")
    report = json.loads(output[output.index("{") :])
    assert code == 0, output
    assert report["heading_row"] == 4 and report["sheet"] == "一覧"
    assert report["columns"] == {
        "都道府県": "subject_parent",
        "自治体名": "subject",
        "提携先": "object",
        "州・省": "object_parent",
        "国・地域": "object_country",
        "提携年月日": "start",
        "種別": "kind",
        "備考": "note",
    }
    assert report["committed"] and report["loaded"] == 14 and report["rows"] == 14  # title and note skipped
    for row, kind, start in expected:
        tie = tie_between(registry, row.subject_id, row.object_id, kind)
        assert tie is not None, (row, kind)
        assert tie.start == start, (row, start)
    precisions = {len(start) for _, _, start in expected}
    assert precisions == {4, 7, 10}  # year, month and day kept as written
    # the bundled undated twinning ties were dated and kinded, not doubled: one affiliation per pair
    assert report["outcomes"] == {"enriched": 14} and tie_count(registry) == before
    for row, kind, _ in expected:
        assert [t.kind for t in ties_of_pair(registry, row.subject_id, row.object_id)] == [kind]
    code, output = run("import", str(path), "--kind", "tie", "--db", str(registry_path), "--json")
    again = json.loads(output[output.index("{") :])
    assert code == 0 and again["outcomes"] == {"unchanged": 14} and tie_count(registry) == before


def test_shift_jis_csv_with_other_headings(registry, tmp_path):
    rows = office_rows(registry, 8, offset=20)
    lines = ["令和6年度 国際交流一覧", "団体名,相手先,相手国,締結日,区分"]
    expected = []
    for index, row in enumerate(rows):
        form = ("letter", "kanji", "slash", "fullwidth")[index % 4]
        written, kind = KINDS[index % len(KINDS)]
        municipality = f"{row.municipality}（{row.prefecture}）"
        lines.append(f"{municipality},{row.partner_in},{row.country},{era_text(row.day, form)},{written}")
        expected.append((row, kind, expected_start(row.day, form)))
    lines.append("注）区分は協定書の表記による")
    path = tmp_path / "kouryuu.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    report = import_file(registry, path, "tie")
    assert report.encoding == "cp932" and report.heading_row == 2
    assert report.columns == {
        "団体名": "subject",
        "相手先": "object",
        "相手国": "object_country",
        "締結日": "start",
        "区分": "kind",
    }
    assert report.ok and report.committed and report.loaded == len(rows), [str(r) for r in report.rejections]
    for row, kind, start in expected:
        tie = tie_between(registry, row.subject_id, row.object_id, kind)
        assert tie is not None and tie.start == start


def test_semicolon_csv_from_european_excel(registry, tmp_path):
    rows = office_rows(registry, 3, offset=40)
    text = "subject;subject_parent;object;object_country;start;kind;note\n" + "".join(
        f"{r.municipality};{r.prefecture};{r.partner_in};{r.country};{r.day.isoformat()};sister;"
        "a note, with a comma\n"
        for r in rows
    )
    path = tmp_path / "europe.csv"
    path.write_text(text, encoding="utf-8-sig")
    report = import_file(registry, path, "tie")
    assert report.committed and report.loaded == 3, [str(r) for r in report.rejections]
    tie = tie_between(registry, rows[0].subject_id, rows[0].object_id, "sister")
    assert tie.note == "a note, with a comma" and tie.start == rows[0].day.isoformat()


def test_impossible_era_dates_are_refused_naming_row_heading_and_value(registry, registry_path, tmp_path):
    rows = office_rows(registry, 5, offset=50)
    starts = ["昭和40年11月8日", "昭和70年4月1日", "平成32年1月1日", "1995年2月30日", "H7.4.1"]
    table = [[TITLE], ["都道府県", "自治体名", "提携先", "国名", "提携日", "種別"]]
    table += [
        [r.prefecture, r.municipality, r.partner_in, r.country, s, "姉妹都市"]
        for r, s in zip(rows, starts, strict=True)
    ]
    path = write_xlsx(tmp_path / "bad.xlsx", {"Sheet1": table})
    before = tie_count(registry)
    report = import_file(registry, path, "tie")
    assert not report.committed and tie_count(registry) == before  # nothing stored
    refused = {(r.row, r.heading, r.field, r.value, r.sheet): r.reason for r in report.rejections}
    assert set(refused) == {
        (4, "提携日", "start", "昭和70年4月1日", "Sheet1"),
        (5, "提携日", "start", "平成32年1月1日", "Sheet1"),
        (6, "提携日", "start", "1995年2月30日", "Sheet1"),
    }
    assert (
        "昭和 has no year 70 (its years are 1-64)"
        in refused[(4, "提携日", "start", "昭和70年4月1日", "Sheet1")]
    )
    assert "平成 has no year 32" in refused[(5, "提携日", "start", "平成32年1月1日", "Sheet1")]
    assert "1995-02-30 is not a day" in refused[(6, "提携日", "start", "1995年2月30日", "Sheet1")]
    assert "bad.xlsx, sheet 'Sheet1', row 4, column '提携日' (start)" in str(report.rejections[0])

    code, output = run("import", str(path), "--kind", "tie", "--db", str(registry_path), "--lang", "ja")
    assert code == 1
    shown = re.sub(r"[\s│┃]+", "", output)  # the terminal's wrapping and the table's borders aside
    assert "昭和に70年はありません" in shown and "見出しは2行目" in shown and "提携日(start)" in shown
    assert "何も保存していません" in shown

    rejections = tmp_path / "rejected.csv"
    code, output = run(
        "import",
        str(path),
        "--kind",
        "tie",
        "--db",
        str(registry_path),
        "--partial",
        "--rejections",
        str(rejections),
    )
    assert code == 0, output
    with rejections.open(encoding="utf-8-sig") as handle:
        written = list(csv.DictReader(handle))
    assert [(w["sheet"], w["row"], w["heading"], w["value"]) for w in written] == [
        ("Sheet1", "4", "提携日", "昭和70年4月1日"),
        ("Sheet1", "5", "提携日", "平成32年1月1日"),
        ("Sheet1", "6", "提携日", "1995年2月30日"),
    ]
    with registry.reader() as session:
        queued = session.scalars(select(UnresolvedRow.row).where(UnresolvedRow.kind == "tie")).all()
    assert sorted(queued) == [4, 5, 6]
    assert tie_between(registry, rows[4].subject_id, rows[4].object_id, "sister").start == "1995-04-01"


def test_sheet_option_and_unknown_sheet(registry, tmp_path):
    rows = office_rows(registry, 2, offset=60)
    data = [["都道府県", "自治体名", "提携先", "国名", "提携日", "種別"]]
    data += [[r.prefecture, r.municipality, r.partner_in, r.country, r.day, "友好"] for r in rows]
    path = write_xlsx(tmp_path / "book.xlsx", {"表紙": [["国際交流の概要"], ["令和6年4月"]], "一覧": data})
    with pytest.raises(ImportFailure, match="missing required column") as failure:
        import_file(registry, path, "tie")  # the first sheet is the cover
    assert failure.value.sheet == "表紙"
    with pytest.raises(ImportFailure, match=r"no sheet named '名簿' \(sheets: 表紙, 一覧\)"):
        import_file(registry, path, "tie", sheet="名簿")
    report = import_file(registry, path, "tie", sheet="一覧")
    assert report.committed and report.loaded == 2 and report.sheet == "一覧"
    assert (
        tie_between(registry, rows[0].subject_id, rows[0].object_id, "friendship").start
        == rows[0].day.isoformat()
    )


def test_columns_option_maps_other_headings(registry, registry_path, tmp_path):
    rows = office_rows(registry, 2, offset=70)
    data = [["市町村", "姉妹都市名", "国", "協定締結", "種別"]]
    data += [
        [f"{r.municipality}（{r.prefecture}）", r.partner_in, r.country, "平成元年", "姉妹県"] for r in rows
    ]
    path = write_xlsx(tmp_path / "other.xlsx", {"list": data})
    with pytest.raises(ImportFailure, match="unknown column\\(s\\) 姉妹都市名, 協定締結") as failure:
        import_file(registry, path, "tie")
    assert '--columns "姉妹都市名=FIELD"' in failure.value.reason and "object" in failure.value.reason
    code, output = run(
        "import",
        str(path),
        "--kind",
        "tie",
        "--db",
        str(registry_path),
        "--columns",
        "姉妹都市名=object,協定締結=start",
    )
    assert code == 0, output
    shown = re.sub(r"\s+", "", output)
    assert "姉妹都市名→object" in shown and "協定締結→start" in shown and "市町村→subject" in shown
    assert tie_between(registry, rows[1].subject_id, rows[1].object_id, "sister").start == "1989"


def test_office_kinds_and_kind_map(registry, tmp_path):
    rows = office_rows(registry, 2, offset=80)
    lines = [
        "自治体名,提携先,国名,種別",
        f"{rows[0].municipality}（{rows[0].prefecture}）,{rows[0].partner_in},{rows[0].country},経済交流",
        f"{rows[1].municipality}（{rows[1].prefecture}）,{rows[1].partner_in},{rows[1].country},友好提携",
    ]
    path = tmp_path / "kinds.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_file(registry, path, "tie")
    (refused,) = report.rejections
    assert refused.row == 2 and refused.heading == "種別" and refused.value == "経済交流"
    assert "姉妹都市" in refused.reason and "friendship" in refused.reason  # the accepted words
    report = import_file(registry, path, "tie", kind_map="経済交流=business_partner")
    assert report.committed and report.loaded == 2
    assert tie_between(registry, rows[0].subject_id, rows[0].object_id, "business_partner") is not None
    assert tie_between(registry, rows[1].subject_id, rows[1].object_id, "friendship") is not None


def test_template_round_trip(registry, registry_path, tmp_path):
    row, other = office_rows(registry, 2, offset=90)
    out = tmp_path / "template.xlsx"
    code, output = run("template", "tie", "--lang", "ja", "--format", "xlsx", "--out", str(out))
    assert code == 0 and "書き出しました" in output
    book = CalamineWorkbook.from_path(str(out))
    headings = book.get_sheet_by_index(0).to_python()[0]
    assert headings == ["都道府県", "自治体名", "提携先", "国名", "提携日", "種別", "備考"]
    assert len(book.get_sheet_by_index(1).to_python()) == 2  # the example
    empty = import_file(registry, out, "tie", dry_run=True)
    assert empty.rows == 0 and not empty.rejections
    filled = write_xlsx(
        tmp_path / "filled.xlsx",
        {
            "一覧": [
                headings,
                [row.prefecture, row.municipality, row.partner_in, row.country, "R2.4.1", "姉妹都市", ""],
            ]
        },
    )
    report = import_file(registry, filled, "tie")
    assert report.committed and report.loaded == 1
    assert tie_between(registry, row.subject_id, row.object_id, "sister").start == "2020-04-01"

    csv_out = tmp_path / "template.csv"
    assert run("template", "tie", "--lang", "ja", "--format", "csv", "--out", str(csv_out))[0] == 0
    with csv_out.open("a", encoding="utf-8") as handle:
        handle.write(
            f"{other.prefecture},{other.municipality},{other.partner_in},{other.country},平成7年,友好都市,\n"
        )
    report = import_file(registry, csv_out, "tie")
    assert report.committed and report.loaded == 1  # the example note under the headings is skipped
    assert tie_between(registry, other.subject_id, other.object_id, "friendship").start == "1995"


def test_a_prefectures_own_list_with_row_numbers_and_names_as_japanese_writes_them(registry, tmp_path):
    """新潟県's list: a row-number column, the prefecture's own tie (自治体名 left blank), a partner
    in Japanese kanji (哈爾浜市, 哈爾濱 where it lies), a municipality written after its prefecture."""
    lines = [
        "国際交流提携一覧（新潟県）",
        "No.,都道府県,自治体名,提携先,国・地域,提携日,種別,備考",
        "1,新潟県,,黒竜江省,中華人民共和国,S58.8.5,友好県,",
        "2,新潟県,新潟市,哈爾浜市,中国,昭和54年12月16日,友好都市,",
        "3,,新潟県新潟市,ガルベストン,アメリカ合衆国,昭和40年11月8日,姉妹都市,テキサス州",
        "",
        "（注）提携日は協定締結日",
    ]
    path = tmp_path / "niigata.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp932"))
    report = import_file(registry, path, "tie")
    assert report.committed and report.loaded == 3, [str(r) for r in report.rejections]
    assert report.columns["No."] == "-"  # read, and left out
    with registry.reader() as session:
        ids = {
            key: session.scalar(select(Actor.id).where(Actor.key == key))
            for key in ("jp-151009", "iso-cn-hl", "geo-2037013", "geo-4692883")
        }
        prefecture = session.scalar(
            select(Actor.id).where(Actor.name_ja == "新潟県", Actor.kind == "prefecture")
        )
    assert tie_between(registry, prefecture, ids["iso-cn-hl"], "friendship").start == "1983-08-05"
    assert tie_between(registry, ids["jp-151009"], ids["geo-2037013"], "friendship").start == "1979-12-16"
    galveston = tie_between(registry, ids["jp-151009"], ids["geo-4692883"], "sister")
    assert galveston.start == "1965-11-08" and galveston.note == "テキサス州"


def test_a_list_without_a_kind_column_takes_tie_kind(registry, registry_path, tmp_path):
    rows = office_rows(registry, 2, offset=100)
    lines = ["姉妹都市一覧", "都道府県,自治体名,提携先,国名,提携日"]
    lines += [
        f"{r.prefecture},{r.municipality},{r.partner_in},{r.country},{era_text(r.day, 'kanji')}" for r in rows
    ]
    path = tmp_path / "sister.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run("import", str(path), "--kind", "tie", "--db", str(registry_path))
    assert code != 0 and "missing required column(s) kind" in output and "--tie-kind sister" in output
    code, output = run(
        "import", str(path), "--kind", "tie", "--tie-kind", "sister", "--db", str(registry_path)
    )
    assert code == 0, output
    assert (
        tie_between(registry, rows[1].subject_id, rows[1].object_id, "sister").start
        == rows[1].day.isoformat()
    )


@pytest.mark.parametrize(
    ("written", "country", "key"),
    [
        ("ガルベストン", "US", "geo-4692883"),  # katakana
        ("テキサス州ガルベストン市", "US", "geo-4692883"),  # the state first, 市 added
        ("大連市", "CN", "geo-1814087"),  # kanji
        ("遼寧省大連市", "CN", "geo-1814087"),  # the province as Japanese writes it (辽宁省 there)
        ("大連市（遼寧省）", "CN", "geo-1814087"),
        ("哈爾浜市", "CN", "geo-2037013"),  # 浜 for 濱
        ("黒竜江省哈爾浜市", "CN", "geo-2037013"),
        ("ハルビン市", "CN", "geo-2037013"),
        ("Dalian", "CN", "geo-1814087"),  # Latin script
        ("Bayside（ニューサウスウェールズ州）", "AU", "place-au-bayside-new-south-wales"),
    ],
)
def test_partner_names_resolve_as_japanese_writes_them(shared_registry, written, country, key):
    from paradiplomacy.resolve.directory import ActorDirectory

    with shared_registry.reader() as session:
        found = ActorDirectory(session).resolve("object", written, country=country)
        assert session.get(Actor, found).key == key


def test_a_name_several_places_share_is_the_partner_the_registry_ties_already(registry, tmp_path):
    """新潟市's list writes Galveston (Texas and Indiana share it) without a state: the row names the
    affiliation the registry holds, with Galveston, Texas; a town with no tie to either stays refused."""
    lines = ["自治体名,提携先,国名,提携日,種別", "新潟市,Galveston,米国,昭和40年11月8日,姉妹都市"]
    path = write(tmp_path / "niigata.csv", "\n".join(lines) + "\n", "cp932")
    report = import_file(registry, path, "tie")
    assert report.committed and dict(report.outcomes) == {"enriched": 1}
    with registry.reader() as session:
        galveston = session.scalar(select(Tie).where(Tie.kind == "sister", Tie.start == "1965-11-08"))
        assert session.get(Actor, galveston.object_id).key == "geo-4692883"  # Galveston, Texas
    other = write(
        tmp_path / "other.csv",
        "自治体名,提携先,国名,提携日,種別\n上士幌町,Galveston,米国,1990,姉妹\n",
        "cp932",
    )
    refused = import_file(registry, other, "tie")
    assert not refused.committed and "ambiguous" in refused.rejections[0].reason


def test_an_ods_list_from_libreoffice(registry, tmp_path):
    """A list saved by LibreOffice Calc (.ods): title line, Japanese headings, a date cell, era text."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("odf", reason="odfpy writes the .ods fixture")
    first, second = office_rows(registry, 2, offset=70)
    table = [
        ["姉妹都市一覧（令和6年4月1日現在）", "", "", "", "", ""],
        ["都道府県", "自治体名", "提携先", "国名", "提携日", "種別"],
        [first.prefecture, first.municipality, first.partner_in, first.country, first.day, "姉妹都市"],
        [second.prefecture, second.municipality, second.partner_in, second.country, "平成元年", "友好"],
    ]
    path = tmp_path / "一覧.ods"
    pd.DataFrame(table).to_excel(path, engine="odf", header=False, index=False, sheet_name="一覧")
    report = import_file(registry, path, "tie")
    assert report.committed and report.loaded == 2 and report.heading_row == 2
    assert tie_between(registry, first.subject_id, first.object_id, "sister").start == first.day.isoformat()
    assert tie_between(registry, second.subject_id, second.object_id, "friendship").start == "1989"

"""Files in every encoding a Japanese office produces are read; broken files are named precisely."""

import pytest

from paradiplomacy.ingest.errors import ImportFailure
from paradiplomacy.ingest.readers import read_file
from tests.conftest import write

CSV = "subject,object,object_country,kind\n北九州市,大連,CN,sister\n新潟市,ハバロフスク,RU,sister\n"


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [
        ("utf-8", "utf_8"),
        ("utf-8-sig", "utf_8_sig"),
        ("cp932", "cp932"),
        ("euc_jp", "euc_jp"),
    ],
)
def test_japanese_encodings(tmp_path, encoding, expected):
    raw = read_file(write(tmp_path / "ties.csv", CSV, encoding))
    assert raw.encoding == expected
    assert raw.rows[0].data["subject"] == "北九州市"
    assert raw.rows[1].number == 3  # spreadsheet row: the header is row 1


def test_undecodable_file_names_the_line(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"subject,object\nok,ok\n\x80\x81,x\n")
    with pytest.raises(ImportFailure) as caught:
        read_file(path)
    assert caught.value.row == 3
    assert "bad.csv" in str(caught.value)


def test_latin1_is_not_taken_for_shift_jis(tmp_path):
    path = write(tmp_path / "latin.csv", "city1,country1\nZürich,Switzerland\nKöln,Germany\n", "latin-1")
    with pytest.raises(ImportFailure, match=r"decode|another encoding"):
        read_file(path)


def test_malformed_rows(tmp_path):
    with pytest.raises(ImportFailure, match="row 3"):
        read_file(write(tmp_path / "x.csv", "a,b\n1,2\n1,2,3\n"))
    with pytest.raises(ImportFailure, match="duplicated column"):
        read_file(write(tmp_path / "y.csv", "a,a\n1,2\n"))
    with pytest.raises(ImportFailure, match="empty"):
        read_file(write(tmp_path / "z.csv", ""))


def test_structured_files(tmp_path):
    raw = read_file(write(tmp_path / "t.yaml", "kind: tie\nsource: takao2004\nrecords:\n  - {subject: a}\n"))
    assert raw.kind == "tie" and raw.defaults == {"source": "takao2004"}
    assert raw.rows[0].data == {"subject": "a"}
    with pytest.raises(ImportFailure, match="malformed JSON"):
        read_file(write(tmp_path / "t.json", "[{"))
    with pytest.raises(ImportFailure, match="not a mapping"):
        read_file(write(tmp_path / "u.json", "[1]"))
    with pytest.raises(ImportFailure, match="unknown file type"):
        read_file(write(tmp_path / "t.txt", "x"))


def _tie_headings():
    from paradiplomacy.ingest.office.headings import HeadingReader
    from paradiplomacy.ingest.specs import spec_for

    return HeadingReader(spec_for("tie"))


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_delimiter_is_sniffed_under_a_title_line(tmp_path, delimiter):
    text = (
        "姉妹都市一覧（令和6年4月1日現在）\n\n"
        + delimiter.join(["自治体名", "提携先", "国名", "提携日", "種別"])
        + "\n"
    )
    text += delimiter.join(["新潟市", "Galveston", "米国", "昭和40年11月8日", "姉妹都市"]) + "\n"
    text += "※ 令和6年4月1日現在\n"
    raw = read_file(write(tmp_path / "list.csv", text, "cp932"), headings=_tie_headings())
    assert raw.headings.row == 3 and raw.encoding == "cp932"
    assert [r.number for r in raw.rows] == [4]  # the footnote on line 5 is not a row
    assert raw.rows[0].data == {
        "subject": "新潟市",
        "object": "Galveston",
        "object_country": "米国",
        "start": "昭和40年11月8日",
        "kind": "姉妹都市",
    }


def test_headings_are_normalised_and_brackets_dropped():
    reader = _tie_headings()
    assert reader.field_of("提携日（締結日）") == "start"
    assert reader.field_of(" 国・地域 ") == "object_country"
    assert reader.field_of("ＳＵＢＪＥＣＴ") == "subject"
    assert reader.field_of("（相手国）") == "object_country"
    assert reader.field_of("色") is None


def test_two_headings_for_one_field_fail_naming_both(tmp_path):
    path = write(tmp_path / "d.csv", "自治体名,提携先,提携日,締結日,種別\n新潟市,Galveston,1965,1965,姉妹\n")
    with pytest.raises(ImportFailure, match="提携日 and 締結日"):
        read_file(path, headings=_tie_headings())


def test_spreadsheet_cells_keep_their_types(tmp_path):
    import datetime as dt

    import xlsxwriter

    path = tmp_path / "cells.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("一覧")
    sheet.write(1, 1, "国際交流一覧")
    sheet.write_row(3, 1, ["自治体名", "提携先", "提携年", "提携日", "種別"])
    sheet.write_row(4, 1, ["新潟市", "Galveston", 1965])
    sheet.write_datetime(4, 4, dt.datetime(1965, 11, 8), book.add_format({"num_format": "yyyy/m/d"}))
    sheet.write(4, 5, "姉妹都市")
    sheet.write(6, 1, "※ 注記")
    book.add_worksheet("メモ")
    book.close()
    with pytest.raises(ImportFailure, match="duplicated column"):  # 提携年 and 提携日 are both start
        read_file(path, headings=_tie_headings())
    from paradiplomacy.ingest.office.headings import HeadingReader
    from paradiplomacy.ingest.specs import spec_for

    raw = read_file(path, headings=HeadingReader(spec_for("tie"), {"提携年": "note"}))
    assert raw.sheet == "一覧" and raw.headings.row == 4
    (row,) = raw.rows
    assert row.number == 5 and row.data["note"] == 1965 and row.data["start"] == dt.date(1965, 11, 8)
    with pytest.raises(ImportFailure, match=r"no sheet named 'x' \(sheets: 一覧, メモ\)"):
        read_file(path, sheet="x")
    with pytest.raises(ImportFailure, match="sheet 'メモ' is empty"):
        read_file(path, sheet="メモ")
    with pytest.raises(ImportFailure, match="spreadsheets"):
        read_file(write(tmp_path / "a.csv", "a\n1\n"), sheet="一覧")
    with pytest.raises(ImportFailure, match="not a readable spreadsheet"):
        read_file(write(tmp_path / "fake.xlsx", "not a workbook"))

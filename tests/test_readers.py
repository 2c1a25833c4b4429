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

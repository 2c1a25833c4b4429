"""Property-based and regression tests of the readers: any bytes in any format are read or refused
with :class:`ImportFailure`, never another exception, never a hang."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradiplomacy.ingest.errors import ImportFailure
from paradiplomacy.ingest.readers import RawFile, read_file
from tests.robust_support import tried

SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
FOLDER = Path(tempfile.mkdtemp(prefix="robust-readers-"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


def _read(name: str, data: bytes) -> RawFile | None:
    path = FOLDER / name
    path.write_bytes(data)
    tried("readers")
    try:
        raw = read_file(path)
    except ImportFailure as failure:
        assert str(failure)
        return None
    assert all(isinstance(row.data, dict) for row in raw.rows)
    assert raw.kind is None or isinstance(raw.kind, str)
    return raw


@SETTINGS
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".tsv", ".json", ".yaml"]))
def test_any_bytes_are_read_or_refused(data: bytes, suffix: str) -> None:
    _read(f"bytes{suffix}", data)


@SETTINGS
@given(text=st.text(max_size=300), suffix=st.sampled_from([".csv", ".json", ".yaml"]))
def test_any_text_is_read_or_refused(text: str, suffix: str) -> None:
    _read(f"text{suffix}", text.encode("utf-8", "surrogatepass"))


@SETTINGS
@given(document=json_values)
def test_any_json_document_is_read_or_refused(document) -> None:
    raw = _read("doc.json", json.dumps(document).encode())
    if raw is not None:
        for row in raw.rows:
            for value in row.data.values():
                assert not (isinstance(value, float) and value != value)


@SETTINGS
@given(document=st.fixed_dictionaries({"kind": json_values, "records": json_values}))
def test_any_records_mapping_is_read_or_refused(document) -> None:
    _read("records.json", json.dumps(document).encode())


@SETTINGS
@given(rows=st.lists(st.lists(st.text(alphabet='ab,"\n\r;\x00 ', max_size=8), max_size=4), max_size=5))
def test_csv_quoting_chaos_is_read_or_refused(rows) -> None:
    text = "a,b,c\n" + "\n".join(",".join(row) for row in rows)
    raw = _read("quotes.csv", text.encode())
    if raw is not None:
        # a file that ends inside a quoted field (its rows would vanish into it) is never read
        assert not _ends_inside_quotes(text)


def _ends_inside_quotes(text: str) -> bool:
    """Whether CSV text ends inside a quoted field (a quote opens a field only at its start)."""
    quoted, at_start, index = False, True, 0
    while index < len(text):
        char = text[index]
        if quoted:
            if char == '"':
                if text[index + 1 : index + 2] == '"':
                    index += 1
                else:
                    quoted = False
        elif char == '"' and at_start:
            quoted = True
        at_start = not quoted and char in ",\r\n"
        index += 1
    return quoted


# regressions: each defect class of issue 10 about reading files
CASES = {
    "nan.json": ('[{"value": NaN}]', "NaN"),
    "infinity.json": ('[{"value": Infinity}]', "Infinity"),
    "overflow.json": ('[{"value": 1e999}]', "out of range"),
    "kind.json": ('{"kind": 5, "records": []}', "'kind' must be text"),
    "kindlist.json": ('{"kind": ["tie"], "records": []}', "'kind' must be text"),
    "deep.json": ("[" * 50000 + "]" * 50000, "nested too deeply"),
    "deep.yaml": ("[" * 50000 + "]" * 50000, "nested too deeply"),
    "deepish.json": ("[" * 30 + "]" * 30, "levels deep"),
    "dupkey.yaml": ("- {key: a, key: b}\n", "duplicate key"),
    "bigint.json": ('[{"v": ' + "9" * 5000 + "}]", "JSON"),
    "bigint.yaml": ("- v: " + "9" * 5000 + "\n", "YAML"),
    "unterminated.csv": ('key,note\na,"never closed\nb,lost row\n', "never closed"),
    "nul.csv": ("key,note\na,b\x00c\n", "NUL"),
    "unhashable.yaml": ("- {? [a]: b}\n", "unhashable"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_files_are_refused_with_a_reason(name: str) -> None:
    text, reason = CASES[name]
    path = FOLDER / name
    path.write_text(text, encoding="utf-8")
    tried("readers")
    with pytest.raises(ImportFailure, match=reason):
        read_file(path)


def test_yaml_alias_bomb_is_refused_quickly() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        levels.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    levels.append("records: [{kind: friendship, subject: *i}]")
    path = FOLDER / "bomb.yaml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    tried("readers")
    with pytest.raises(ImportFailure, match="expands"):
        read_file(path)


def test_impossible_yaml_dates_stay_text_for_the_validator() -> None:
    path = FOLDER / "dates.yaml"
    path.write_text("- {start: 2001-02-30, end: 0000-01-01, ok: 2001-02-28}\n", encoding="utf-8")
    tried("readers")
    row = read_file(path).rows[0].data
    assert row == {"start": "2001-02-30", "end": "0000-01-01", "ok": "2001-02-28"}


def test_devices_and_pipes_are_not_read(tmp_path: Path) -> None:
    import os

    endless = tmp_path / "zero.csv"
    endless.symlink_to("/dev/zero")
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    for path in (endless, pipe, tmp_path):
        tried("readers")
        with pytest.raises(ImportFailure, match="cannot read"):
            read_file(path, format="csv")

"""Read CSV, JSON and YAML files into numbered raw records, in any encoding a Japanese office produces."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from charset_normalizer import from_bytes

from paradiplomacy.ingest.errors import ImportFailure
from paradiplomacy.ingest.office.headings import IGNORED, HeadingReader, Headings, first_row, is_footnote
from paradiplomacy.ingest.office.spreadsheets import read_sheet

ENCODINGS = ("utf_8", "cp932", "euc_jp")
MAX_DEPTH = 20
"""Deepest nesting a JSON/YAML document may have (records hold at most lists and mappings)."""
MAX_NODES = 2_000_000
"""Most values a JSON/YAML document may expand to (YAML aliases counted at every use)."""
MAX_BYTES = 512 * 1024 * 1024
FORMATS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    **dict.fromkeys((".xlsx", ".xlsm", ".xls", ".ods"), "spreadsheet"),
}
DELIMITERS = (",", "\t", ";")
SNIFF_LINES = 40


@dataclass
class RawRow:
    """One record as read, with its row number (spreadsheet row for CSV, 1-based index otherwise)."""

    number: int
    data: dict[str, Any]


@dataclass
class RawFile:
    """A file's records plus the defaults it declares at file level (``kind``, ``source``, ``locator``)."""

    path: Path
    format: str
    encoding: str
    rows: list[RawRow]
    columns: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    kind: str | None = None
    #: tabular files: the heading row and what each heading maps to
    headings: Headings | None = None
    #: spreadsheets: the sheet read
    sheet: str | None = None

    def heading_of(self, name: str) -> str:
        """The heading as written of a field (the field's name when the file has no heading)."""
        if self.headings is not None:
            for written, mapped in zip(self.headings.written, self.headings.fields, strict=True):
                if mapped == name and written:
                    return written
        return name


def decode(path: Path, data: bytes) -> tuple[str, str]:
    """Decode bytes as UTF-8 (with or without BOM), CP932/Shift_JIS or EUC-JP; name the encoding used."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(path, data[3:], "utf_8"), "utf_8_sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(path, data, "utf_16"), "utf_16"
    try:
        return data.decode("utf_8"), "utf_8"
    except UnicodeDecodeError as error:
        utf8_error = error
    decodable = [enc for enc in ENCODINGS[1:] if _decodes(data, enc)]
    if len(decodable) > 1:
        best = from_bytes(data, cp_isolation=list(decodable)).best()
        decodable = [best.encoding] if best is not None else decodable[:1]
    if not decodable:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise ImportFailure(
            path,
            f"cannot decode as UTF-8, CP932/Shift_JIS or EUC-JP (first bad byte on line {line})",
            row=line,
        )
    encoding = decodable[0]
    text = data.decode(encoding)
    if not _looks_japanese(text):
        raise ImportFailure(
            path,
            f"not UTF-8, and decoding as {encoding} gives no Japanese text: "
            "the file seems to be in another encoding (save it as UTF-8)",
        )
    return text, encoding


def _looks_japanese(text: str) -> bool:
    """True when most non-ASCII characters are kana, kanji or full-width forms."""
    foreign = [c for c in text if ord(c) > 127]
    if not foreign:
        return True
    japanese = sum(
        1
        for c in foreign
        if "\u3000" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff" or "\uff00" <= c <= "\uffef"
    )
    return japanese / len(foreign) >= 0.8


def _decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _strict(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise ImportFailure(path, f"invalid {encoding} at byte {error.start}") from error


def read_file(
    path: str | Path,
    *,
    format: str | None = None,
    sheet: str | None = None,
    headings: HeadingReader | None = None,
) -> RawFile:
    """Read a CSV/TSV/spreadsheet/JSON/YAML file; raise :class:`ImportFailure` naming the file on
    any problem. Tabular files take their headings from the row ``headings`` finds (a title line
    or notes above it are skipped), or from the first row; ``sheet`` names a spreadsheet's sheet."""
    path = Path(path)
    fmt = format or FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ImportFailure(
            path, f"unknown file type {path.suffix!r}: use .csv, .tsv, .xlsx, .xls, .ods, .json or .yaml"
        )
    if fmt == "spreadsheet":
        _read_bytes(path)  # the same checks: a regular file of a bounded size
        grid, sheet_name = read_sheet(path, sheet)
        return tabulate(path, grid, path.suffix.lower().lstrip("."), "", headings, sheet_name)
    if sheet is not None:
        raise ImportFailure(path, "--sheet applies to spreadsheets (.xlsx, .xls, .ods) only")
    data = _read_bytes(path)
    text, encoding = decode(path, data)
    if fmt in ("csv", "tsv"):
        return _read_delimited(path, text, encoding, "\t" if fmt == "tsv" else None, headings)
    return _read_structured(path, text, encoding, fmt)


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most :data:`MAX_BYTES` (never a device or a pipe, which
    could be endless)."""
    try:
        if path.exists() and not path.is_file():
            kind = "a directory" if path.is_dir() else "not a regular file (a device, pipe or socket)"
            raise ImportFailure(path, f"cannot read: {kind}")
        if path.stat().st_size > MAX_BYTES:
            raise ImportFailure(path, f"the file is larger than {MAX_BYTES // 2**20} MB: split it")
        return path.read_bytes()
    except OSError as error:
        raise ImportFailure(path, f"cannot read: {error.strerror or error}") from error


def read_json_document(path: str | Path) -> Any:
    """A whole JSON document, with the same protections as :func:`read_file` (size, encoding,
    depth, expansion, finite numbers)."""
    path = Path(path)
    text, _ = decode(path, _read_bytes(path))
    try:
        document = parse_json(text)
        _check_shape(document)
    except json.JSONDecodeError as error:
        raise ImportFailure(path, f"malformed JSON: {error.msg}", row=error.lineno) from error
    except RecursionError:
        raise ImportFailure(path, "malformed JSON: nested too deeply") from None
    except ValueError as error:
        raise ImportFailure(path, f"refused JSON: {error}") from None
    return document


def _read_delimited(
    path: Path, text: str, encoding: str, delimiter: str | None, headings: HeadingReader | None
) -> RawFile:
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise ImportFailure(path, "malformed CSV: the file holds NUL bytes (is it binary?)", row=line)
    delimiter = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    grid: list[tuple[int, list[Any]]] = []
    try:
        for values in reader:
            grid.append((reader.line_num, values))
    except csv.Error as error:
        reason = str(error)
        if reason == "unexpected end of data":
            reason = 'a quoted value is never closed (unterminated ")'
        raise ImportFailure(path, f"malformed CSV: {reason}", row=reader.line_num) from error
    return tabulate(path, grid, "csv", encoding, headings)


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one that splits most of the first lines into the same number
    of (more than one) values; a title line above the headings does not count."""
    lines = text.splitlines()[:SNIFF_LINES]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1)
        except csv.Error:
            continue
        if counts:
            width, rows = max(counts.items(), key=lambda item: (item[1], item[0]))
            if (rows, width) > best_score:
                best, best_score = delimiter, (rows, width)
    return best


def tabulate(
    path: Path,
    grid: list[tuple[int, list[Any]]],
    fmt: str,
    encoding: str,
    headings: HeadingReader | None,
    sheet: str | None = None,
) -> RawFile:
    """Records from numbered rows of cells: the heading row found by ``headings`` (the first row
    without), blank rows and footnotes below the data skipped, each record keyed by field."""
    where = {"sheet": sheet} if sheet else {}
    filled = [(n, cells) for n, cells in grid if any(_filled(v) for v in cells)]
    if not filled:
        raise ImportFailure(path, "the file is empty" if sheet is None else f"sheet {sheet!r} is empty")
    found = headings.choose(filled) if headings is not None else first_row(filled)
    pairs = zip(found.written, found.fields, strict=True)
    columns = ["" if name == IGNORED else name or written for written, name in pairs]
    if not any(columns):
        raise ImportFailure(path, "the header row is empty", row=found.row, **where)
    named: dict[str, list[str]] = {}
    for written, column in zip(found.written, columns, strict=True):
        if column:
            named.setdefault(column, []).append(written)
    duplicated = sorted(c for c, heads in named.items() if len(heads) > 1)
    if duplicated:
        shown = "; ".join(" and ".join(named[c]) + (f" (both {c})" if headings else "") for c in duplicated)
        raise ImportFailure(path, f"duplicated column(s): {shown}", row=found.row, **where)
    rows: list[RawRow] = []
    for number, cells in filled:
        if number <= found.row or is_footnote(cells):
            continue
        if len(cells) > len(columns) and any(_filled(v) for v in cells[len(columns) :]):
            raise ImportFailure(
                path,
                f"{len(cells)} values but the header (row {found.row}) has {len(columns)} columns",
                row=number,
                **where,
            )
        rows.append(RawRow(number, {c: cell_value(v) for c, v in zip(columns, cells, strict=False) if c}))
    return RawFile(path, fmt, encoding, rows, columns=[c for c in columns if c], headings=found, sheet=sheet)


def cell_value(value: Any) -> Any:
    """A cell as the converters take it: text trimmed, a whole number without ``.0``, a date cell
    (or a date-time at midnight) as a date."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return value


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _read_structured(path: Path, text: str, encoding: str, fmt: str) -> RawFile:
    label = "JSON" if fmt == "json" else "YAML"
    try:
        document = parse_json(text) if fmt == "json" else yaml.load(text, Loader=_StrictLoader)
        _check_shape(document)
    except json.JSONDecodeError as error:
        raise ImportFailure(path, f"malformed JSON: {error.msg}", row=error.lineno) from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise ImportFailure(
            path, f"malformed YAML: {getattr(error, 'problem', None) or error}", row=line
        ) from error
    except RecursionError:
        raise ImportFailure(path, f"malformed {label}: nested too deeply") from None
    except _Refused as error:
        raise ImportFailure(path, f"refused {label}: {error}") from None
    except ValueError as error:  # e.g. an integer literal with thousands of digits
        raise ImportFailure(path, f"malformed {label}: {error}") from None
    defaults: dict[str, Any] = {}
    kind = None
    if isinstance(document, Mapping):
        if "records" not in document:
            raise ImportFailure(path, "a mapping at top level needs a 'records' list")
        kind = document.get("kind")
        if kind is not None and not isinstance(kind, str):
            raise ImportFailure(path, f"'kind' must be text, got {type(kind).__name__}")
        defaults = {k: v for k, v in document.items() if k in ("source", "locator")}
        document = document["records"]
    if document is None:
        document = []
    if not isinstance(document, list):
        raise ImportFailure(path, "expected a list of records")
    rows = []
    for index, item in enumerate(document, start=1):
        if not isinstance(item, Mapping):
            raise ImportFailure(path, f"record is a {type(item).__name__}, not a mapping", row=index)
        rows.append(RawRow(index, {str(k): v for k, v in item.items()}))
    columns = sorted({c for row in rows for c in row.data})
    return RawFile(path, fmt, encoding, rows, columns=columns, defaults=defaults, kind=kind)


class _Refused(ValueError):
    """A document refused before it is used: too deep, too large, a non-finite number."""


def parse_json(text: str) -> Any:
    """Parse JSON text, refusing NaN/Infinity (not JSON, though Python writes them) and floats
    that overflow to infinity."""

    def constant(name: str) -> Any:
        raise _Refused(f"{name} is not a JSON number")

    def finite(literal: str) -> float:
        value = float(literal)
        if value in (float("inf"), float("-inf")):
            raise _Refused(f"number {literal[:40]} is out of range")
        return value

    return json.loads(text, parse_constant=constant, parse_float=finite)


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML with dates kept as text (so 2001-02-30 is a field error, not a crash) and no
    duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set[Any] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    duplicate = key in seen
                except TypeError:
                    continue  # unhashable: the base class reports it
                if duplicate:
                    raise yaml.constructor.ConstructorError(
                        "while constructing a mapping",
                        node.start_mark,
                        f"found duplicate key {str(key)[:60]!r}",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _check_shape(document: Any) -> None:
    """Refuse documents nested deeper than :data:`MAX_DEPTH` or expanding beyond :data:`MAX_NODES`
    values (a YAML alias bomb is small on disk and enormous once walked)."""
    budget = MAX_NODES
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        budget -= 1
        if budget < 0:
            raise _Refused(f"the document expands to more than {MAX_NODES:,} values (repeated YAML aliases?)")
        if isinstance(value, (Mapping, list)):
            if depth >= MAX_DEPTH:
                raise _Refused(f"nested more than {MAX_DEPTH} levels deep")
            items = value.values() if isinstance(value, Mapping) else value
            stack.extend((item, depth + 1) for item in items)

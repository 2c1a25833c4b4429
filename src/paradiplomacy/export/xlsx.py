"""The Excel export (``export --format xlsx``): a readable ties sheet first, then one sheet per table.

* ``ties`` (``提携一覧`` with ``lang="ja"``) — one row per tie for people: both parties' names in
  Japanese (kanji), kana and English where the registry has them, their local-government codes and
  keys, their countries by name, kind and status as labels, start and end as date cells, the
  sources by title with locator and row, the note; headings and labels in ``lang``. Text that a
  spreadsheet would run as a formula is quoted with ``'`` (the rule of ``ties_readable.csv``).
* ``<table>`` — the same tables and columns as the CSV export (JSON columns as JSON text), values
  as stored (dates as their ISO text), for re-use as data.

Dates on the ties sheet keep their precision: a day is a date cell shown ``yyyy/mm/dd``, a year
the year as a number (``1979``), a month the text ``1979-05``: a date cell on the month's first day
would read back as that day (a reader sees the value, not the cell's ``yyyy/mm`` format), so a
re-import would change the date. Anything else stays text.
Every sheet has a frozen heading row and an autofilter. Written with xlsxwriter in
``constant_memory`` mode (rows streamed to disk: the whole registry in a few tens of MB of memory),
with ``strings_to_formulas``, ``strings_to_urls`` and ``strings_to_numbers`` off, so no text cell
ever becomes a formula, a link or a number.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from paradiplomacy.export.frames import SEP, ExportError
from paradiplomacy.i18n import normal_lang, translate, vocabulary

__all__ = ["TIES_SHEET", "country_label", "date_cell", "import_options", "write_xlsx"]

Progress = Callable[[int, int], None]
TIES_SHEET = "ties"
"""The readable sheet's name in English; in Japanese ``translate("ties sheet", "ja")``, ``提携一覧``."""
_MAX_SHEET = 31
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_CITATION = re.compile(r"^(?P<key>.+?)(?: \((?P<locator>.*)\))?(?: row (?P<row>\d+))?$")
#: the readable sheet's columns: (heading, in English), kind of cell
_TIES_COLUMNS: tuple[tuple[str, str], ...] = (
    ("tie id", "number"),
    ("party (Japanese)", "text"),
    ("party (kana)", "text"),
    ("party (English)", "text"),
    ("party code", "text"),
    ("party key", "text"),
    ("party country", "text"),
    ("partner (Japanese)", "text"),
    ("partner (kana)", "text"),
    ("partner (English)", "text"),
    ("partner code", "text"),
    ("partner key", "text"),
    ("partner country", "text"),
    ("kind", "text"),
    ("role", "text"),
    ("start", "date"),
    ("end", "date"),
    ("status", "text"),
    ("sources", "text"),
    ("note", "text"),
)


#: the ties sheet's columns that the tie importer reads back (the keys resolve exactly); the others
#: are for reading (names in other scripts, codes, labels) and are left out on import
_IMPORTED = {
    "party key": "subject",
    "partner key": "object",
    "kind": "kind",
    "role": "role",
    "start": "start",
    "end": "end",
    "note": "note",
}


def import_options(lang: str = "en") -> dict[str, str]:
    """The ``--columns`` and ``--kind-map`` values with which ``import FILE.xlsx --kind tie --sheet
    SHEET`` reads the ties sheet back as ties: the parties by key, kinds from their labels, the
    reading-only columns left out (``=-``); the status labels are left out too (a re-import does
    not change a tie's status)."""
    from paradiplomacy.model.vocab import TieKind

    lang = normal_lang(lang)
    columns = ",".join(f"{translate(h, lang)}={_IMPORTED.get(h, '-')}" for h, _kind in _TIES_COLUMNS)
    kinds = ",".join(
        f"{vocabulary(k.value, lang)}={k.value}" for k in TieKind if vocabulary(k.value, lang) != k.value
    )
    return {"columns": columns, "kind_map": kinds}


def write_xlsx(
    path: Path,
    tables: dict[str, pd.DataFrame],
    actors: pd.DataFrame,
    sources: pd.DataFrame,
    *,
    json_columns: dict[str, set[str]],
    lang: str = "en",
    progress: Progress | None = None,
) -> None:
    """Write ``tables`` (with the readable ties sheet first, when ``tie`` is among them) to ``path``."""
    import xlsxwriter  # lazy: only the xlsx export needs it

    lang = normal_lang(lang)
    sheets: list[tuple[str, pd.DataFrame, Sequence[str]]] = []
    if "tie" in tables:
        readable = _readable(tables["tie"], actors, sources, lang)
        title = TIES_SHEET if lang == "en" else translate("ties sheet", lang)
        sheets.append((title, readable, [kind for _h, kind in _TIES_COLUMNS]))
    for name, frame in tables.items():
        sheets.append((name[:_MAX_SHEET], _as_text(frame, json_columns.get(name, set())), ()))
    names = [sheet for sheet, _f, _k in sheets]
    if len(set(names)) != len(names):
        raise ExportError(f"two sheets would share a name: {', '.join(names)}")
    total, done = sum(len(frame) for _s, frame, _k in sheets), 0
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    workbook = xlsxwriter.Workbook(str(path), options)
    formats = {
        "heading": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "year": workbook.add_format({"num_format": "0"}),
        "day": workbook.add_format({"num_format": "yyyy/mm/dd"}),
    }
    try:
        for sheet, frame, kinds in sheets:
            done = _write_sheet(workbook.add_worksheet(sheet), frame, kinds, formats, done, total, progress)
        workbook.close()
    except (xlsxwriter.exceptions.XlsxWriterException, OSError) as error:
        raise ExportError(f"cannot write {path}: {error}") from error
    if progress is not None:
        progress(total, total)


def _write_sheet(
    worksheet: Any,
    frame: pd.DataFrame,
    kinds: Sequence[str],
    formats: dict[str, Any],
    done: int,
    total: int,
    progress: Progress | None,
) -> int:
    """Headings, widths, frozen heading row and autofilter, then the rows (in order: streamed)."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
    for at, (heading, cells) in enumerate(zip(columns, values, strict=True)):
        kind = kinds[at] if kinds else "text"
        worksheet.set_column(at, at, 12 if kind == "date" else _width(heading, cells[:500]))
        worksheet.write_string(0, at, heading, formats["heading"])
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, max(len(frame), 1), max(len(columns) - 1, 0))
    for row, cells in enumerate(zip(*values, strict=True), start=1):
        for at, cell in enumerate(cells):
            if cell is None:
                continue
            if kinds and kinds[at] == "date":
                value, precision = date_cell(cell)
                if precision:
                    worksheet.write(row, at, value, formats[precision])
                    continue
            if isinstance(cell, str):
                worksheet.write_string(row, at, cell)
            elif isinstance(cell, bool):
                worksheet.write_boolean(row, at, cell)
            elif isinstance(cell, int | float):
                worksheet.write_number(row, at, cell)
            else:
                worksheet.write_string(row, at, str(cell))
        done += 1
        if progress is not None and done % 5000 == 0:
            progress(done, total)
    return done


def date_cell(text: str) -> tuple[Any, str]:
    """A stored partial date as a cell value and its precision (``year``, ``day``; ``""``: written
    as text, which a month is: see the module's docstring).

    >>> date_cell("1979"), date_cell("1979-05-17"), date_cell("1979-05"), date_cell("circa 1979")
    ((1979, 'year'), (datetime.datetime(1979, 5, 17, 0, 0), 'day'), ('1979-05', ''), ('circa 1979', ''))
    """
    match = _DATE.match(str(text).strip())
    if match is None:
        return text, ""
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is None:
        return year, "year"
    if day is None:
        return text, ""
    try:
        return dt.datetime(year, month, day), "day"
    except ValueError:
        return text, ""


@cache
def country_label(code: str | None, lang: str) -> str:
    """A country's name in ``lang`` (``中国``, ``China``); the code itself when it has none."""
    if not code:
        return ""
    from paradiplomacy.reference._aliases import translations
    from paradiplomacy.reference.world import countries

    names = {c.alpha2: c.name for c in countries()}
    english = names.get(code)
    if english is None:
        return code
    if normal_lang(lang) == "ja":
        japanese = translations("iso3166-1", english, ("ja",))
        return japanese[0] if japanese else english
    return english


def _readable(ties: pd.DataFrame, actors: pd.DataFrame, sources: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ties sheet: one row per tie, both parties named, labels in ``lang``."""
    from paradiplomacy.export.writers import _spreadsheet_safe  # the rule of ties_readable.csv

    people = actors.drop_duplicates("key").set_index("key")
    titles = {
        key: title
        for key, title in zip(sources["key"].tolist(), sources["title"].tolist(), strict=True)
        if isinstance(title, str) and title
    }
    columns: dict[str, Any] = {"tie id": ties["id"]}
    for end, word in (("subject", "party"), ("object", "partner")):
        keys = ties[f"{end}_key"]
        for field, label in (("name_ja", "Japanese"), ("name_kana", "kana"), ("name_en", "English")):
            columns[f"{word} ({label})"] = keys.map(people[field]).astype("string")
        columns[f"{word} code"] = keys.map(people["lg_code"]).astype("string")
        columns[f"{word} key"] = keys
        columns[f"{word} country"] = keys.map(people["country"]).map(
            lambda code: country_label(code, lang) if isinstance(code, str) else None
        )
    columns["kind"] = ties["kind"].map(lambda v: vocabulary(v, lang) if isinstance(v, str) else None)
    columns["role"] = ties["role"].where(ties["role"] != "", None)
    columns["start"], columns["end"] = ties["start"], ties["end"]
    columns["status"] = ties["status"].map(lambda v: vocabulary(v, lang) if isinstance(v, str) else None)
    columns["sources"] = ties["sources"].map(lambda text: _source_titles(text, titles, lang))
    columns["note"] = ties["note"]
    frame = pd.DataFrame(columns)
    frame.columns = [translate(heading, lang) for heading, _kind in _TIES_COLUMNS]
    return _spreadsheet_safe(frame)


def _source_titles(text: Any, titles: dict[str, Any], lang: str) -> str | None:
    """``key (locator) row N|...`` as ``title (locator), row N; ...``."""
    if not isinstance(text, str) or not text:
        return None
    cited = []
    for item in text.split(SEP):
        match = _CITATION.match(item)
        if match is None:
            cited.append(item)
            continue
        title = titles.get(match["key"]) or match["key"]
        cited.append(
            title
            + (f" ({match['locator']})" if match["locator"] else "")
            + (translate(", row {n}", lang, n=match["row"]) if match["row"] else "")
        )
    return "; ".join(cited)


def _as_text(frame: pd.DataFrame, json_columns: set[str]) -> pd.DataFrame:
    """A table as the CSV export writes it: JSON columns as JSON text."""
    frame = frame.copy()
    for column in json_columns & set(frame.columns):
        frame[column] = frame[column].map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
    return frame


def _width(heading: str, cells: Sequence[Any]) -> float:
    """A column width that shows the heading and most values (wide characters count twice)."""
    longest = max((_display(str(c)) for c in cells if c is not None), default=0)
    return min(max(_display(heading) + 2, min(longest, 60) + 1, 6), 62)


def _display(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[:80])

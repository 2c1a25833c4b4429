"""Column headings as offices write them (提携先, 国・地域, 提携日（締結日）...) mapped to the fields of
a record kind, and the heading row found under a title line or notes.

Every tabular reader (CSV, TSV, spreadsheets) asks :class:`HeadingReader` which row holds the headings
and which field each heading names; ``--columns "見出し=field,…"`` adds the user's own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from paradiplomacy.ingest.specs import KindSpec

#: Headings (normalised by :func:`heading_key`) that name a field, per kind; every kind also takes
#: its own field names. ``subject_parent`` is the prefecture the subject lies in (a qualifier).
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "tie": {
        "subject_parent": ("都道府県", "都道府県名", "prefecture"),
        "subject": (
            "自治体名",
            "自治体",
            "団体名",
            "地方公共団体",
            "地方公共団体名",
            "市区町村",
            "市区町村名",
            "市町村",
            "市町村名",
            "日本側自治体",
            "municipality",
            "localgovernment",
        ),
        "object": (
            "提携先",
            "提携先自治体",
            "提携先自治体名",
            "提携先都市",
            "提携先名",
            "相手自治体",
            "相手自治体名",
            "相手先",
            "相手先自治体",
            "相手都市",
            "提携相手",
            "partner",
        ),
        "object_parent": (
            "州・省",
            "州・省名",
            "州",
            "州名",
            "省",
            "省名",
            "相手州・省",
            "state",
            "province",
        ),
        "object_country": (
            "国名",
            "国・地域",
            "国・地域名",
            "国/地域",
            "相手国",
            "相手国名",
            "相手国・地域",
            "国",
            "country",
            "partnercountry",
        ),
        "start": ("提携日", "提携年月日", "締結日", "締結年月日", "提携年", "提携年月", "date", "since"),
        "end": ("解消日", "終了日", "提携解消日"),
        "kind": ("種別", "提携種別", "種類", "区分", "提携区分", "type"),
        "note": ("備考", "注記", "notes", "remarks"),
    },
}

#: What ``--columns "見出し=-"`` and the headings of :data:`IGNORED_HEADINGS` map to: a column
#: that is not read (a row number, a page reference).
IGNORED = "-"
IGNORED_HEADINGS = ("no", "no.", "№", "番号", "連番", "通し番号", "順番", "項番", "#")

#: Texts that begin a footnote below the data (a row with one filled cell).
FOOTNOTE_MARKS = ("※", "注", "（注", "(注", "*", "＊", "出典", "資料")
#: Rows examined for the heading row before giving up.
SCAN_ROWS = 30


def heading_key(text: Any) -> str:
    """A heading as compared: NFKC (full-width to half-width), casefolded, without spaces,
    underscores or a trailing colon.

    >>> [heading_key(h) for h in ("提携日 ", "Object_Country", "国・地域：", "ＮＯＴＥ")]
    ['提携日', 'objectcountry', '国・地域', 'note']
    """
    folded = unicodedata.normalize("NFKC", str(text or "")).casefold()
    return re.sub(r"[\s_\u3000]+", "", folded).rstrip(":")


_BRACKETED = re.compile(r"[(\[［【〔<＜][^)\]］】〕>＞]*[)\]］】〕>＞]")


@dataclass
class Headings:
    """The heading row chosen and what each of its columns maps to."""

    row: int
    """The row number, as the spreadsheet (or the file's lines) numbers it."""
    written: list[str]
    """Each column's heading as written (blank for a column without one)."""
    fields: list[str | None]
    """The field each column maps to; ``None`` for a heading that maps to none (an error)."""

    @property
    def mapping(self) -> dict[str, str]:
        """Heading as written -> field, for the mapped columns."""
        return {w: f for w, f in zip(self.written, self.fields, strict=True) if w and f}

    @property
    def unknown(self) -> list[str]:
        """Headings that map to no field."""
        return [w for w, f in zip(self.written, self.fields, strict=True) if w and f is None]


@dataclass
class HeadingReader:
    """Maps the headings of one kind's lists to its fields; ``extra`` is ``--columns``."""

    spec: KindSpec
    extra: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        table: dict[str, str] = {}
        for name in (*self.spec.fields, *(f"{r}_country" for r in self.spec.refs)):
            table[heading_key(name)] = name
        for name in self.spec.refs:
            table[heading_key(f"{name}_parent")] = f"{name}_parent"
        for name, words in HEADINGS.get(self.spec.name, {}).items():
            table.update((heading_key(w), name) for w in words)
        table.update((heading_key(w), IGNORED) for w in IGNORED_HEADINGS)
        table.update((heading_key(w), name) for w, name in self.extra.items())
        self._table = table

    def field_of(self, written: Any) -> str | None:
        """The field a heading names (``提携日（締結日）`` as ``提携日``), or ``None``."""
        key = heading_key(written)
        if not key:
            return None
        if key in self._table:
            return self._table[key]
        bare = _BRACKETED.sub("", key)
        if bare and bare in self._table:
            return self._table[bare]
        inner = [heading_key(m[1:-1]) for m in _BRACKETED.findall(key)]
        return next((self._table[k] for k in inner if k in self._table), None)

    def choose(self, grid: Sequence[tuple[int, Sequence[Any]]]) -> Headings:
        """The heading row of ``grid`` (numbered rows): the first that maps every required field,
        else the one that maps most cells (its unknown headings are then reported)."""
        best: Headings | None = None
        best_score = 0
        for number, cells in grid[:SCAN_ROWS]:
            written = [_cell_text(c) for c in cells]
            fields = [self.field_of(w) if w else None for w in written]
            mapped = {f for f in fields if f and f != IGNORED}
            found = Headings(number, written, fields)
            if mapped >= self.spec.required and len(mapped) >= min(2, len(self.spec.required) or 1):
                return found
            if len(mapped) > best_score:
                best, best_score = found, len(mapped)
        if best is not None:
            return best
        number, cells = grid[0]
        return Headings(number, [_cell_text(c) for c in cells], [self.field_of(c) for c in cells])

    def choices(self) -> list[str]:
        """Every heading it reads, for messages and templates."""
        return sorted(self._table)


def first_row(grid: Sequence[tuple[int, Sequence[Any]]]) -> Headings:
    """The first row as headings, each taken as the field it names (files of this tool's own
    shape: pair lists, exports)."""
    number, cells = grid[0]
    written = [_cell_text(c) for c in cells]
    return Headings(number, written, [w or None for w in written])


def is_footnote(cells: Sequence[Any]) -> bool:
    """True for a row whose only filled cell is a note (※, 注, *...), as offices put below a list."""
    filled = [c for c in cells if _cell_text(c)]
    return len(filled) == 1 and _cell_text(filled[0]).startswith(FOOTNOTE_MARKS)


def parse_columns(text: str | None, spec: KindSpec) -> dict[str, str]:
    """``--columns "見出し=field,…"`` as a mapping; ``ValueError`` naming a bad entry or field."""
    found: dict[str, str] = {}
    for part in re.split(r"[,，、]", text or ""):
        if not part.strip():
            continue
        heading, sep, name = part.partition("=")
        if not sep:
            sep_index = part.find("＝")
            if sep_index < 0:
                raise ValueError(f"--columns: expected heading=field, got {part.strip()!r}")
            heading, name = part[:sep_index], part[sep_index + 1 :]
        name = name.strip()
        if not (name == IGNORED or spec.accepts(name)):
            raise ValueError(
                f"--columns: {name!r} is not a field of kind {spec.name!r} "
                f"(fields: {', '.join(spec.fields)}; {IGNORED} to leave the column out)"
            )
        found[heading.strip()] = name
    return found


def _cell_text(value: Any) -> str:
    return "" if value is None else str(value).strip().lstrip("\ufeff")

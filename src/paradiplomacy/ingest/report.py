"""The outcome of one import: counts per outcome and a rejection report naming file, row and field."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from paradiplomacy.i18n import translate, vocabulary


@dataclass(frozen=True)
class Rejection:
    """One row that could not be loaded, and why."""

    file: str
    row: int
    field: str
    reason: str
    candidates: tuple[str, ...] = ()
    #: tabular files: the column's heading as written, the value in the cell, the sheet
    heading: str = ""
    value: str = ""
    sheet: str = ""

    def __str__(self) -> str:
        sheet = f", sheet {self.sheet!r}" if self.sheet else ""
        renamed = self.heading and self.heading != self.field
        column = f"column {self.heading!r} ({self.field})" if renamed else f"field {self.field!r}"
        text = f"{self.file}{sheet}, row {self.row}, {column}: {self.reason}"
        if self.value and self.value not in self.reason:
            text += f" (value {self.value!r})"
        if self.candidates:
            text += " (candidates: " + "; ".join(self.candidates) + ")"
        return text


@dataclass(frozen=True)
class Conflict:
    """A value a row gives a stored tie that contradicts the registry's, and how it was settled:
    ``rejected`` (the row was refused), ``old`` (the registry's kept) or ``new`` (the file's taken)."""

    file: str
    row: int
    tie: str  # as people name it: 新潟市–Galveston
    field: str
    old: str
    new: str
    settled: str = "rejected"


@dataclass(frozen=True)
class Enrichment:
    """What one row did to a tie the registry held: ``outcome`` (enriched, refined, conflict),
    ``via`` (how a tie held under a former name was found) and each changed field as (field, old,
    new, how)."""

    file: str
    row: int
    tie: str
    outcome: str
    via: str
    fields: tuple[tuple[str, str, str, str], ...]


@dataclass
class ImportReport:
    """What an import did (or, for a dry run or a failed import, would have done)."""

    file: str
    kind: str
    encoding: str = ""
    rows: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    rejections: list[Rejection] = field(default_factory=list)
    dry_run: bool = False
    partial: bool = False
    committed: bool = False
    notes: Counter[str] = field(default_factory=Counter)  # how rows were resolved, by rule
    #: pair lists: (row, the first place's key and name, the second's) for every row resolved
    resolutions: list[tuple[int, str, str, str, str]] = field(default_factory=list)
    #: each value the file contradicts, with file, row, tie, field, both values and how it was settled
    conflicts: list[Conflict] = field(default_factory=list)
    #: what each row did to a tie the registry already held (enriched, refined, settled conflicts)
    changes: list[Enrichment] = field(default_factory=list)
    #: tabular files: the sheet read, the heading row and each heading as written -> its field
    sheet: str = ""
    heading_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every row loaded (or, with ``partial``, when the good rows were kept)."""
        return not self.rejections or (self.partial and self.committed)

    @property
    def loaded(self) -> int:
        """Rows accepted (added, updated or unchanged)."""
        return sum(self.outcomes.values())

    def summary(self, lang: str = "en") -> str:
        """One line for humans, in ``lang``."""
        verb = translate("would load" if self.dry_run or not self.committed else "loaded", lang)
        counts = ", ".join(
            translate("{n} {outcome}", lang, n=n, outcome=translate(k, lang))
            for k, n in sorted(self.outcomes.items())
        ) or translate("nothing", lang)
        read = ", ".join(
            bit
            for bit in (
                vocabulary(self.kind, lang) if lang != "en" else self.kind,
                self.encoding,
                translate("sheet {sheet}", lang, sheet=repr(self.sheet)) if self.sheet else "",
                translate("headings on row {row}", lang, row=self.heading_row)
                if self.heading_row and self.heading_row > 1
                else "",
            )
            if bit
        )
        text = translate(
            "{file} ({read}): {verb} {loaded}/{rows} rows ({counts})",
            lang,
            file=self.file,
            read=read,
            verb=verb,
            loaded=self.loaded,
            rows=self.rows,
            counts=counts,
        )
        refused = {c.row for c in self.conflicts if c.settled == "rejected"}
        if refused:
            text += translate(
                "; {n} in conflict with the registry (choose --prefer new or --prefer old)",
                lang,
                n=len(refused),
            )
        if self.rejections:
            text += translate("; {n} rejected", lang, n=len(self.rejections))
            if not self.partial:
                text += translate(", so nothing was stored (use --partial to keep the good rows)", lang)
        if self.dry_run:
            text += translate(" [dry run: nothing stored]", lang)
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form."""
        return {
            "file": self.file,
            "kind": self.kind,
            "encoding": self.encoding,
            "rows": self.rows,
            "outcomes": dict(self.outcomes),
            "loaded": self.loaded,
            "committed": self.committed,
            "dry_run": self.dry_run,
            "partial": self.partial,
            "ok": self.ok,
            "notes": dict(self.notes),
            "sheet": self.sheet or None,
            "heading_row": self.heading_row,
            "columns": dict(self.columns),
            "conflicts": [asdict(c) for c in self.conflicts],
            "changes": [
                asdict(c) | {"fields": [dict(zip(_FIELD_KEYS, f, strict=True)) for f in c.fields]}
                for c in self.changes
            ],
            "rejections": [asdict(r) | {"candidates": list(r.candidates)} for r in self.rejections],
        }

    def write_rejections(self, path: str | Path) -> None:
        """Write the rejection report as CSV (file, sheet, row, heading, field, value, reason,
        candidates), with a BOM so that Excel reads the Japanese text."""
        with open(path, "w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "sheet", "row", "heading", "field", "value", "reason", "candidates"])
            for r in self.rejections:
                writer.writerow(
                    [r.file, r.sheet, r.row, r.heading, r.field, r.value, r.reason, "; ".join(r.candidates)]
                )

    def write_resolutions(self, path: str | Path) -> None:
        """Write what each resolved row of a pair list named, as CSV (row, key and name of each
        place), in file order; rejected rows are in the rejection report instead."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "key1", "name1", "key2", "name2"])
            writer.writerows(sorted(self.resolutions))


_FIELD_KEYS = ("field", "old", "new", "how")

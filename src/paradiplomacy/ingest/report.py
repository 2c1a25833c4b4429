"""The outcome of one import: counts per outcome and a rejection report naming file, row and field."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """One row that could not be loaded, and why."""

    file: str
    row: int
    field: str
    reason: str
    candidates: tuple[str, ...] = ()

    def __str__(self) -> str:
        text = f"{self.file}, row {self.row}, field {self.field!r}: {self.reason}"
        if self.candidates:
            text += " (candidates: " + "; ".join(self.candidates) + ")"
        return text


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
    #: (row, record, field, stored value kept, the file's value) for each value the file contradicts
    conflicts: list[tuple[int, str, str, str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every row loaded (or, with ``partial``, when the good rows were kept)."""
        return not self.rejections or (self.partial and self.committed)

    @property
    def loaded(self) -> int:
        """Rows accepted (added, updated or unchanged)."""
        return sum(self.outcomes.values())

    def summary(self) -> str:
        """One line for humans."""
        verb = "would load" if self.dry_run or not self.committed else "loaded"
        counts = ", ".join(f"{n} {k}" for k, n in sorted(self.outcomes.items())) or "nothing"
        text = f"{self.file} ({self.kind}, {self.encoding}): {verb} {self.loaded}/{self.rows} rows ({counts})"
        if self.rejections:
            text += f"; {len(self.rejections)} rejected"
            if not self.partial:
                text += ", so nothing was stored (use --partial to keep the good rows)"
        if self.dry_run:
            text += " [dry run: nothing stored]"
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
            "conflicts": [
                {"row": row, "record": what, "field": name, "kept": kept, "file": offered}
                for row, what, name, kept, offered in self.conflicts
            ],
            "rejections": [asdict(r) | {"candidates": list(r.candidates)} for r in self.rejections],
        }

    def write_rejections(self, path: str | Path) -> None:
        """Write the rejection report as CSV (file, row, field, reason, candidates)."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["file", "row", "field", "reason", "candidates"])
            for r in self.rejections:
                writer.writerow([r.file, r.row, r.field, r.reason, "; ".join(r.candidates)])

    def write_resolutions(self, path: str | Path) -> None:
        """Write what each resolved row of a pair list named, as CSV (row, key and name of each
        place), in file order; rejected rows are in the rejection report instead."""
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["row", "key1", "name1", "key2", "name2"])
            writer.writerows(sorted(self.resolutions))

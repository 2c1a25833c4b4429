"""Named errors of the import layer; each names the file, row and field it concerns."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from pathlib import Path

from paradiplomacy.errors import FieldError, ParadiplomacyError

__all__ = ["FieldError", "ImportFailure"]


@dataclass
class ImportFailure(ParadiplomacyError):
    """A whole file cannot be imported (unreadable, undecodable, wrong columns, unknown kind)."""

    path: Path | str
    reason: str
    row: int | None = None
    field: str | None = None
    details: list[str] = dataclass_field(default_factory=list)
    sheet: str | None = None
    """The spreadsheet's sheet, for a spreadsheet."""

    def __str__(self) -> str:
        where = str(self.path)
        if self.sheet:
            where += f", sheet {self.sheet!r}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.field:
            where += f", field {self.field!r}"
        return f"{where}: {self.reason}"

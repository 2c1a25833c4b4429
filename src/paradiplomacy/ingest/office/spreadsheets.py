"""Read one sheet of an office's spreadsheet (.xlsx, .xlsm, .xls, .ods) as numbered rows of cells.

python-calamine reads the workbook (imported when a spreadsheet is read, not before). Rows keep the
numbers the spreadsheet shows (row 1 is the sheet's first row, blank rows above the list included),
so that an error's row is the row a clerk finds; a date cell is a ``date``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from paradiplomacy.ingest.errors import ImportFailure

#: Most cells a sheet may hold (rows x columns) before it is refused as not a list.
MAX_CELLS = 20_000_000


def sheet_names(path: Path) -> list[str]:
    """The names of a workbook's sheets, in order."""
    return list(_workbook(path).sheet_names)


def read_sheet(path: Path, sheet: str | None = None) -> tuple[list[tuple[int, list[Any]]], str]:
    """The rows of ``sheet`` (the first sheet when ``None``) as ``(row number, cells)``, and the
    sheet's name; :class:`ImportFailure` for an unreadable workbook or an unknown sheet, listing
    the sheets."""
    book = _workbook(path)
    names = list(book.sheet_names)
    if not names:
        raise ImportFailure(path, "the workbook has no sheet")
    name = names[0] if sheet is None else _sheet_named(path, names, sheet)
    try:
        found = book.get_sheet_by_name(name)
        if found.total_height * found.total_width > MAX_CELLS:
            raise ImportFailure(path, f"the sheet has more than {MAX_CELLS:,} cells: split it", sheet=name)
        rows = found.to_python(skip_empty_area=False)
    except ImportFailure:
        raise
    except Exception as error:  # calamine's own errors (a damaged sheet) have no common base class
        raise ImportFailure(path, f"cannot read the sheet: {error}", sheet=name) from None
    return [(number, list(cells)) for number, cells in enumerate(rows, start=1)], name


def _sheet_named(path: Path, names: list[str], wanted: str) -> str:
    if wanted in names:
        return wanted
    folded = {n.strip().casefold(): n for n in names}
    if wanted.strip().casefold() in folded:
        return folded[wanted.strip().casefold()]
    raise ImportFailure(path, f"no sheet named {wanted!r} (sheets: {', '.join(names)})")


def _workbook(path: Path) -> Any:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:  # pragma: no cover - a core dependency
        raise ImportFailure(
            path, "reading spreadsheets needs python-calamine (pip install python-calamine)"
        ) from None
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as error:  # a file that is not a workbook, or a damaged one
        reason = str(error).splitlines()[0][:200] if str(error) else type(error).__name__
        raise ImportFailure(path, f"not a readable spreadsheet ({reason})") from None

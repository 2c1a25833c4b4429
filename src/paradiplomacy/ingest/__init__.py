"""Reading, validating and loading records: read -> validate -> load, all or nothing.

The names below are imported on first use, so that ``from paradiplomacy.ingest.errors import ...``
does not load the importer and its readers.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paradiplomacy.ingest.errors import FieldError, ImportFailure
    from paradiplomacy.ingest.importer import import_file, import_records
    from paradiplomacy.ingest.report import ImportReport, Rejection

__all__ = ["FieldError", "ImportFailure", "ImportReport", "Rejection", "import_file", "import_records"]

_HOME = {
    "FieldError": "errors",
    "ImportFailure": "errors",
    "import_file": "importer",
    "import_records": "importer",
    "ImportReport": "report",
    "Rejection": "report",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

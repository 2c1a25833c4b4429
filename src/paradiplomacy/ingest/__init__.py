"""Reading, validating, resolving and loading records; exporting the registry."""

from paradiplomacy.ingest.errors import FieldError, ImportFailure
from paradiplomacy.ingest.importer import import_file, import_records
from paradiplomacy.ingest.report import ImportReport, Rejection

__all__ = ["FieldError", "ImportFailure", "ImportReport", "Rejection", "import_file",
           "import_records"]

"""Loading one validated row inside a savepoint: the step every import (files, exports) shares."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.loaders import LOADERS
from paradiplomacy.ingest.report import ImportReport, Rejection
from paradiplomacy.ingest.specs import KindSpec
from paradiplomacy.ingest.validate import check_record
from paradiplomacy.store.registry import DatabaseUnavailable, RegistryError, describe_database_error

__all__ = ["load_row"]


def load_row(
    ctx: LoadContext,
    spec: KindSpec,
    data: dict[str, Any],
    number: int,
    report: ImportReport,
    file: str,
    outcome_prefix: str = "",
) -> None:
    """Validate and load one raw record inside a savepoint; count it or record its rejection.

    Every check runs and every write is flushed inside the savepoint, so a dry run (the same work,
    rolled back) meets every error the real import would meet, and a rejected row leaves no trace.
    """
    try:
        with ctx.session.begin_nested():
            record = spec.convert(data)
            check_record(spec.name, record)
            outcome = LOADERS[spec.name](ctx, record, number)
            ctx.session.flush()
    except FieldError as error:
        ctx.forget_rolled_back()
        report.rejections.append(Rejection(file, number, error.field, error.reason, error.candidates))
    except OperationalError as error:  # locked, read-only, full: the whole import stops
        raise DatabaseUnavailable(describe_database_error(error)) from None
    except (SQLAlchemyError, ValueError, TypeError, OverflowError, ArithmeticError) as error:
        ctx.forget_rolled_back()
        reason = (str(getattr(error, "orig", None) or error).splitlines() or [""])[0][:300]
        report.rejections.append(Rejection(file, number, "-", f"cannot be stored: {reason}"))
    except (RegistryError, KeyboardInterrupt, MemoryError):
        raise
    except Exception as error:  # a loader defect must not lose the other rows: the savepoint undid it
        ctx.forget_rolled_back()
        report.rejections.append(
            Rejection(
                file,
                number,
                "-",
                f"internal error ({type(error).__name__}: {str(error)[:200]}); "
                "the row was not stored - please report it",
            )
        )
    else:
        report.outcomes[outcome_prefix + outcome] += 1

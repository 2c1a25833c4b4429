"""Shared options and output helpers of the CLI (one place, not copied into each command)."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click
from rich.console import Console

from paradiplomacy.cli.safety import message_for
from paradiplomacy.errors import ParadiplomacyError
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.model.text import json_ready, json_text_safe, terminal
from paradiplomacy.resolve.sqlite_read import ENV_VAR

if TYPE_CHECKING:
    from paradiplomacy.store.registry import Registry

console = Console()
errors = Console(stderr=True, soft_wrap=True)


def db_option(command: Callable) -> Callable:
    """``--db PATH_OR_URL`` (default ``$PARADIPLOMACY_DB``, else ./paradiplomacy.db)."""
    return click.option(
        "--db",
        "db",
        envvar=ENV_VAR,
        default=None,
        metavar="PATH_OR_URL",
        help=f"SQLite path or SQLAlchemy URL (default: ${ENV_VAR}, else ./paradiplomacy.db).",
    )(command)


def json_option(command: Callable) -> Callable:
    """``--json``: machine-readable output on stdout."""
    return click.option("--json", "as_json", is_flag=True, help="Print JSON instead of tables.")(command)


def _handled() -> tuple[type[BaseException], ...]:
    """The errors :func:`handle_errors` reports: the library's own, OS and database errors
    (SQLAlchemy's only when it was loaded: a command that did not load it cannot raise them)."""
    kinds: list[type[BaseException]] = [ParadiplomacyError, OSError, sqlite3.Error]
    if (exc := sys.modules.get("sqlalchemy.exc")) is not None:
        kinds.append(exc.DBAPIError)
    return tuple(kinds)


def handle_errors(command: Callable) -> Callable:
    """Turn the library's named errors into a clear message and a non-zero exit, not a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except Exception as error:
            if isinstance(error, BrokenPipeError) or not isinstance(error, _handled()):
                raise  # a broken pipe (`| head`) ends quietly in SafeGroup, the top level
            message, code = message_for(error)
            lines = "\n".join(terminal(line) for line in message.split("\n"))  # candidates one per line
            errors.print(f"[red]error:[/red] {lines}", highlight=False)
            sys.exit(code)

    return wrapper


class BadOption(ParadiplomacyError):
    """An option value the command cannot use (e.g. an unknown country)."""


def as_of_day(value: str | None) -> dt.date | None:
    """An ``--as-of`` value as one day (a year or month means its last day)."""
    from paradiplomacy.model.dates import user_day

    if value is None:
        return None
    try:
        return user_day(value)
    except ValueError as error:
        raise BadOption(f"--as-of: {error}") from None


def iso_countries(values: Iterable[str]) -> tuple[str, ...]:
    """ISO 3166-1 codes for ``--country`` values given as codes or names."""
    from paradiplomacy.ingest.fields import country as parse_country  # lazy: loads pycountry

    try:
        return tuple(code for value in values if (code := parse_country("--country", value)) is not None)
    except FieldError as error:
        raise BadOption(str(error)) from None


def iso_country(value: str | None) -> str | None:
    """One ``--country`` value as an ISO code (None when not given)."""
    return iso_countries([value])[0] if value else None


def open_registry(db: str | None, *, initialised: bool = True) -> Registry:
    """The registry named by ``--db``; by default it must already be initialised."""
    from paradiplomacy.store.registry import Registry  # lazy: loads SQLAlchemy

    registry = Registry(db)
    if initialised:
        registry.require_initialised()
    return registry


def print_json(data: Any) -> None:
    """Write ``data`` as JSON to stdout (dates and other objects as strings; NaN and infinities as
    null; C1 controls and bidi overrides, which JSON leaves raw, as ``\\uXXXX`` escapes)."""
    text = json.dumps(json_ready(data), ensure_ascii=False, indent=2, default=str, allow_nan=False)
    click.echo(json_text_safe(text))

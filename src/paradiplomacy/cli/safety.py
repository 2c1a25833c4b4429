"""The CLI's last line of defence: one clear line instead of a traceback, and no output path that
would overwrite an input (the registry itself, the file being imported).

Every command runs inside :class:`SafeGroup`, which turns any exception that escapes a command into
``error: ...`` on stderr and a non-zero exit (2 for bad input or an unusable database, 1 for an
unexpected failure). ``PARADIPLOMACY_DEBUG=1`` shows the traceback instead. Output piped into a
reader that stops early (``| head``) ends the command quietly with exit code 1.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import Any

import click

from paradiplomacy.model.text import plain

DEBUG_ENV_VAR = "PARADIPLOMACY_DEBUG"
OUTPUT_PARAMS = ("out", "html_path", "draw", "rejections", "resolutions")
"""Options that name a file or directory a command writes."""
INPUT_PARAMS = ("file",)
DATE_PARAMS = ("as_of",)
"""Options that take a partial ISO date: checked like an imported date (years 1 to 2200)."""
"""Options that name a file a command reads."""
_SIDECARS = ("", "-wal", "-shm", "-journal", ".building")


class OutputRefused(click.ClickException):
    """An option the command refuses before any work: an output path that would overwrite an
    input or cannot be written, a date no analysis can use."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {plain(self.message, one_line=True)}", err=True)


def message_for(error: BaseException) -> tuple[str, int]:
    """The one-line message and exit code for an exception that escaped a command."""
    import sqlite3

    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    from paradiplomacy.errors import ParadiplomacyError
    from paradiplomacy.extras import missing_extra
    from paradiplomacy.store.registry import describe_database_error

    if (message := missing_extra(error)) is not None:
        return message, 2
    if isinstance(error, ParadiplomacyError):
        return str(error), 2
    if isinstance(error, (DBAPIError, sqlite3.Error)):
        return describe_database_error(error), 2
    if isinstance(error, SQLAlchemyError):
        return f"database error: {error}", 2
    if isinstance(error, MemoryError):
        return "out of memory (is the input unreasonably large?)", 2
    if isinstance(error, RecursionError):
        return "the input is nested too deeply", 2
    if isinstance(error, UnicodeError):
        return f"cannot encode or decode text: {error}", 2
    if isinstance(error, OSError):
        where = f" {error.filename}" if error.filename else ""
        return f"cannot use{where}: {error.strerror or error}", 2
    return f"unexpected {type(error).__name__}: {error} (set {DEBUG_ENV_VAR}=1 for details)", 1


class SafeGroup(click.Group):
    """A command group whose commands never end in a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            result = super().invoke(ctx)
            sys.stdout.flush()  # a reader that has gone (`| head`) shows here, not at exit
            return result
        except BrokenPipeError:  # the reader of stdout has gone: stop quietly
            silence_stdout()
            sys.exit(1)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, SystemExit):
            flush_stdout()
            raise
        except KeyboardInterrupt:
            click.echo("interrupted: nothing more was stored", err=True)
            sys.exit(130)
        except Exception as error:  # the last line of defence: one line, non-zero exit
            if os.environ.get(DEBUG_ENV_VAR):
                raise
            message, code = message_for(error)
            first = (str(message).strip().splitlines() or [""])[0]
            click.echo(f"error: {plain(first, one_line=True)[:2000]}", err=True)
            flush_stdout()
            sys.exit(code)


def silence_stdout() -> None:
    """Point stdout at the null device once its reader has gone (``paradiplomacy ... | head``), so
    the interpreter's last flush does not fail again (Python's documented way: "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (e.g. a test runner's)
        pass


def flush_stdout() -> None:
    """Flush stdout, silencing it if its reader has gone (the exit code in flight stays)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except (OSError, ValueError):  # closed or unusable: nothing more can be written anyway
        pass


def protect(command: click.Command) -> click.Command:
    """Wrap ``command`` (and the commands of a group) so output paths are checked first."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            protect(sub)
        return command
    callback = command.callback
    if callback is None or getattr(callback, "_outputs_checked", False):
        return command

    @functools.wraps(callback)
    def checked(*args: Any, **kwargs: Any) -> Any:
        check_dates(kwargs)
        check_outputs(kwargs)
        return callback(*args, **kwargs)

    checked._outputs_checked = True  # type: ignore[attr-defined]
    command.callback = checked
    return command


def check_dates(params: dict[str, Any]) -> None:
    """Refuse a date option the analyses cannot use (``--as-of 0000``, ``2001-02-30``)."""
    for name in DATE_PARAMS:
        value = params.get(name)
        if value in (None, ""):
            continue
        from paradiplomacy.ingest.errors import FieldError
        from paradiplomacy.ingest.fields import date

        option = f"--{name.replace('_', '-')}"
        try:
            date(option, value)
        except FieldError as error:
            raise OutputRefused(f"{option}: not a date the analyses can use ({error.reason})") from None


def check_outputs(params: dict[str, Any]) -> None:
    """Refuse output paths that are an input (the registry and its journal files, the imported
    file), and a rejection report that could not be written after the import."""
    if all(params.get(name) in (None, "") for name in OUTPUT_PARAMS):
        return
    protected = _protected_paths(params)
    for name in OUTPUT_PARAMS:
        value = params.get(name)
        if value in (None, ""):
            continue
        out = _resolved(value)
        same = next((what for path, what in protected.items() if _same_file(out, path)), None)
        if out in protected or same:
            raise OutputRefused(
                f"--{name.removesuffix('_path')} {value} would overwrite "
                f"{protected.get(out) or same}: choose another path"
            )
        if _is_pipe(Path(value)) and not str(value).startswith("/dev/"):
            raise OutputRefused(
                f"--{name.removesuffix('_path')} {value} is a pipe or socket: "
                "writing to it could wait forever; name a file"
            )
        if name == "rejections":
            _check_writable_file(Path(value))


def _protected_paths(params: dict[str, Any]) -> dict[Path, str]:
    from paradiplomacy.store.registry import database_url

    protected: dict[Path, str] = {}
    try:
        url = database_url(params.get("db"))
    except Exception:
        url = ""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///file:"):
        registry = _resolved(url.removeprefix("sqlite:///"))
        for suffix in _SIDECARS:
            protected[Path(f"{registry}{suffix}")] = "the registry"
    for name in INPUT_PARAMS:
        value = params.get(name)
        if value not in (None, ""):
            protected[_resolved(value)] = "the input file"
    return protected


def _is_pipe(path: Path) -> bool:
    import stat

    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)


def _same_file(first: Path, second: Path) -> bool:
    """True when both paths exist and are one file (hard links included)."""
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False


def _resolved(value: Any) -> Path:
    try:
        return Path(value).expanduser().resolve()
    except (OSError, RuntimeError, ValueError):
        return Path(os.path.abspath(str(value)))


def _check_writable_file(path: Path) -> None:
    """Fail before any work when ``path`` cannot be created or replaced."""
    if path.is_dir():
        raise OutputRefused(f"--rejections {path} is a directory: name a CSV file")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputRefused(f"--rejections {path}: the directory {parent} does not exist")
    if not os.access(parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise OutputRefused(f"--rejections {path} cannot be written (permission denied)")

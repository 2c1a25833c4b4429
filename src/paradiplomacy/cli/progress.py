"""Rich progress bars for long operations, fed by the library's plain callbacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from paradiplomacy.cli.options import errors
from paradiplomacy.model.text import terminal


@contextmanager
def staged_progress(enabled: bool = True) -> Iterator[Callable[[str, int, int], None]]:
    """A ``stage(name, done, total)`` callback drawing one bar per stage on stderr."""
    if not enabled:
        yield lambda _name, _done, _total: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=False) as progress:
        tasks: dict[str, TaskID] = {}

        def stage(name: str, done: int, total: int) -> None:
            if name not in tasks:  # names hold file names: no markup, no escape sequences
                tasks[name] = progress.add_task(terminal(name), total=total)
            progress.update(tasks[name], completed=done, total=total)

        yield stage

"""Entry point: ``paradiplomacy COMMAND``.

Commands live in ``cli/*_cmds.py`` modules, each exporting ``COMMANDS``; :class:`.lazy.LazyGroup`
imports a module only when one of its commands runs (register it in ``lazy.COMMAND_MODULES`` so that
``--help`` lists it without importing it), so start-up stays fast.
"""

from __future__ import annotations

import re

import click

from paradiplomacy import __version__
from paradiplomacy.cli.lazy import LazyGroup
from paradiplomacy.cli.safety import SafeGroup, protect

_EXAMPLES = re.compile(r"^([ \t]*)(Examples?:\n)\n(?![ \t]*\x08)", re.M)


def keep_examples(command: click.Command) -> click.Command:
    """Print the ``Example:`` block of a command's help line by line, as written (Click rewraps
    paragraphs unless they start with ``\\b``); subcommands of a group too."""
    if command.help:
        command.help = _EXAMPLES.sub(lambda m: f"{m[1]}{m[2]}\n{m[1]}\b\n", command.help.rstrip())
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            keep_examples(sub)
    return command


class _Group(SafeGroup, LazyGroup):
    """Commands imported on demand (:class:`LazyGroup`) that never end in a traceback
    (:class:`SafeGroup`, :func:`protect`), their examples printed as written."""

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(keep_examples(protect(cmd)), name)


@click.group(
    cls=_Group, package="paradiplomacy.cli", context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(__version__, prog_name="paradiplomacy")
def cli() -> None:
    """A sourced registry of local governments' international ties, with the analyses of the literature.

    Start with `paradiplomacy init`, then `search`, `show`, `import` and `export`.
    """


if __name__ == "__main__":
    cli()

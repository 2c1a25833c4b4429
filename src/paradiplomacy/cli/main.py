"""Entry point: ``paradiplomacy COMMAND``.

Commands live in ``cli/*_cmds.py`` modules, each exporting ``COMMANDS``; they are found here, so a new
family of commands is one new module.
"""

from __future__ import annotations

import importlib
import pkgutil

import click

import paradiplomacy.cli as cli_package
from paradiplomacy import __version__
from paradiplomacy.cli.safety import SafeGroup, protect


@click.group(cls=SafeGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="paradiplomacy")
def cli() -> None:
    """A sourced registry of local governments' international ties, with the analyses of the literature.

    Start with `paradiplomacy init`, then `search`, `show`, `import` and `export`.
    """


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(cli_package.__path__), key=lambda i: i.name):
        if info.name.endswith("_cmds"):
            module = importlib.import_module(f"{cli_package.__name__}.{info.name}")
            for command in module.COMMANDS:
                cli.add_command(protect(command))


_register()

if __name__ == "__main__":
    cli()

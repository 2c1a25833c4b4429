"""A Click group that imports a command's module only when that command is run.

``paradiplomacy --version`` and ``--help`` then load Click and nothing else of weight; ``search``
loads the registry and the resolver, not pandas, networkx or matplotlib. Commands are listed in
:data:`COMMAND_MODULES` with their one-line help (a test checks that it matches the command's own
docstring); a ``*_cmds`` module not listed there is still found, by importing it, so a new family of
commands works before it is registered here.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import click

#: command name -> (module in ``paradiplomacy.cli``, one-line help shown by ``paradiplomacy --help``)
COMMAND_MODULES: dict[str, tuple[str, str]] = {
    "assess": (
        "framework_cmds",
        "Assess a transnational coalition on Takao's criteria, autonomy and sources of influence.",
    ),
    "channels": (
        "network_cmds",
        "Access channels from ORIGIN to a target state: conventional, local diplomacy, boomerang.",
    ),
    "cite": (
        "cite_cmds",
        "Export the references of the papers and data sources, as BibTeX or CSL-JSON.",
    ),
    "classify": (
        "framework_cmds",
        "Profile an actor on Fujiwara's governance stages over the six dimensions, with a timeline.",
    ),
    "diffusion": (
        "diffusion_cmds",
        "Spread of policies among local governments: data, hazard models, inference, simulation.",
    ),
    "export": (
        "exchange_cmds",
        "Export the registry, or a selection, for Gephi, pandas, R or a spreadsheet.",
    ),
    "import": (
        "exchange_cmds",
        "Import a CSV, spreadsheet, JSON or YAML file of records of one kind, all or nothing.",
    ),
    "init": (
        "registry_cmds",
        (
            "Create the database and fill it with the gazetteers, the municipal history, the cited corpus "
            "and the bundled twinning pair lists (rows that do not resolve: `paradiplomacy unresolved`)."
        ),
    ),
    "network": (
        "network_cmds",
        "The multi-level network of actors and ties: metrics, neighbourhoods, Gephi export.",
    ),
    "office-models": (
        "framework_cmds",
        "Sort local governments' overseas offices into the paper's structures and Table 3 stages.",
    ),
    "pillars": (
        "framework_cmds",
        "An actor's strategies with their pillars (recorded or inferred) and its offices' functions.",
    ),
    "report": (
        "stats_cmds",
        "Write one self-contained report: findings, map, comparison with the literature, references.",
    ),
    "search": (
        "registry_cmds",
        (
            "Find actors by a name in kanji, kana, romaji (with or without macrons) or English, or by a "
            "local-government code (6 digits, 5 as e-Stat writes them, or an old one)."
        ),
    ),
    "show": (
        "registry_cmds",
        "Show one actor's profile: names, code, type, ties, offices, strategies, adoptions, sources.",
    ),
    "stats": (
        "stats_cmds",
        "Tables of the literature recomputed from the registry, beside the published figures.",
    ),
    "template": (
        "exchange_cmds",
        "Write an empty list (xlsx or CSV) with the headings the importer reads, in Japanese or English.",
    ),
    "ties": (
        "ties_cmds",
        "List the ties of Japanese local governments, Japanese side first, with sources.",
    ),
    "unresolved": (
        "ties_cmds",
        "List imported rows that could not be resolved, with the reason and the candidates.",
    ),
    "match": (
        "match_cmds",
        "Who should a local government twin with, and why: ranked partners with their reasons.",
    ),
    "serve": (
        "serve_cmds",
        "Serve the web workbench and its JSON API (OpenAPI at /api/openapi.json).",
    ),
    "user": (
        "serve_cmds",
        "Accounts of the web workbench (editors change records, viewers read).",
    ),
    "datasette-metadata": (
        "serve_cmds",
        "Print Datasette metadata for the SQLite registry (titles, descriptions, licences, facets).",
    ),
    "tie-map": (
        "serve_cmds",
        "Print an actor's ties as GeoJSON: its point, its partners and a line to each.",
    ),
}


class LazyGroup(click.Group):
    """A group whose commands live in ``package.<module>.COMMANDS`` and are imported on demand."""

    def __init__(self, *args, package: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.package = package
        self._loaded: set[str] = set()

    def _load(self, module_name: str) -> ModuleType:
        module = importlib.import_module(f"{self.package}.{module_name}")
        if module_name not in self._loaded:
            self._loaded.add(module_name)
            for command in module.COMMANDS:
                self.add_command(command)
        return module

    def _unlisted(self) -> list[str]:
        """``*_cmds`` modules of the package that :data:`COMMAND_MODULES` does not name."""
        package = importlib.import_module(self.package)
        listed = {module for module, _ in COMMAND_MODULES.values()}
        return sorted(
            info.name
            for info in pkgutil.iter_modules(package.__path__)
            if info.name.endswith("_cmds") and info.name not in listed
        )

    def list_commands(self, ctx: click.Context) -> list[str]:
        for module_name in self._unlisted():
            self._load(module_name)
        return sorted(set(COMMAND_MODULES) | set(self.commands))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            if cmd_name in COMMAND_MODULES:
                self._load(COMMAND_MODULES[cmd_name][0])
            else:
                for module_name in self._unlisted():
                    self._load(module_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from :data:`COMMAND_MODULES`, without importing the listed modules."""
        rows = []
        width = formatter.width - 6 - max(len(name) for name in self.list_commands(ctx))
        for name in self.list_commands(ctx):
            if name in self.commands:
                text = self.commands[name].get_short_help_str(width)
            else:
                text = click.Command(name, help=COMMAND_MODULES[name][1]).get_short_help_str(width)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

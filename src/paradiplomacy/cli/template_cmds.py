"""``template``: an empty list with the headings the importer reads, for an office to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from paradiplomacy.cli.lang import lang_option
from paradiplomacy.cli.options import console, handle_errors, json_option, print_json
from paradiplomacy.i18n import translate
from paradiplomacy.ingest.specs import SPECS, spec_for
from paradiplomacy.model.text import terminal


@click.command()
@click.argument("kind", type=click.Choice(sorted(SPECS)))
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: KIND_template.xlsx or .csv in the current directory).",
)
@lang_option
@json_option
@handle_errors
def template(kind: str, fmt: str, out: Path | None, lang: str, as_json: bool) -> None:
    """Write an empty list (xlsx or CSV) with the headings the importer reads, in Japanese or English.

    The xlsx's first sheet is the list (fill it in and `paradiplomacy import FILE --kind KIND`);
    its second sheet shows a filled row.

    Example:

        paradiplomacy template tie --lang ja --format xlsx --out 姉妹都市一覧.xlsx
    """
    from paradiplomacy.ingest.office.template import template_columns, write_template

    spec = spec_for(kind)
    path = write_template(spec, out or Path(f"{spec.name}_template.{fmt}"), lang=lang, fmt=fmt)
    if as_json:
        columns = template_columns(spec, lang)
        print_json({"written": str(path), "columns": [{"heading": h, "field": f} for h, f in columns]})
    else:
        console.print(translate("wrote {path}", lang, path=terminal(path)), highlight=False)


COMMANDS = [template]

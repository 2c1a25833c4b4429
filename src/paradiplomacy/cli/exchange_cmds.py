"""Commands that move data in and out: import, export, and the template of a list to import."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from paradiplomacy.cli.enrich_report import print_ties_changed
from paradiplomacy.cli.lang import lang_option
from paradiplomacy.cli.options import (
    console,
    db_option,
    errors,
    handle_errors,
    json_option,
    open_registry,
    print_json,
)
from paradiplomacy.cli.progress import staged_progress
from paradiplomacy.export.writers import FORMATS, ExportSelection, export_registry
from paradiplomacy.i18n import translate
from paradiplomacy.ingest import import_file
from paradiplomacy.ingest.office.messages import localised
from paradiplomacy.ingest.specs import SPECS, spec_for
from paradiplomacy.model.text import terminal
from paradiplomacy.model.vocab import TieKind


@click.command(name="import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--kind", type=click.Choice(sorted(SPECS)), help="Record kind (default: the file's `kind:`).")
@click.option("--partial", is_flag=True, help="Keep the good rows when some are rejected.")
@click.option("--dry-run", is_flag=True, help="Check and resolve everything, store nothing.")
@click.option(
    "--create-missing",
    is_flag=True,
    help="pair files: create places the gazetteers lack (from the file's names and coordinates).",
)
@click.option(
    "--tie-kind",
    type=click.Choice([k.value for k in TieKind]),
    default="twinning",
    show_default=True,
    help="pair files: the kind of tie each row records (twinning: sister or friendship, "
    "the list does not say which); tie lists without a kind column (種別): the kind of every row, "
    "when given.",
)
@click.option(
    "--no-level-rule",
    is_flag=True,
    help="pair files: keep a bare Japanese name that a city, a ward and a prefecture share "
    "ambiguous instead of reading it as the city.",
)
@click.option(
    "--level-by",
    type=click.Choice(["name", "coordinates"]),
    default="name",
    show_default=True,
    help="pair files: what decides between a city and a prefecture of the same name. name: the "
    "bare name is the city (the prefecture when the other party is a region), and a prefecture's "
    "point fits the city inside it; coordinates: the namesake within 30 km of the row's point.",
)
@click.option(
    "--rejections",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the rejection report to this CSV file.",
)
@click.option(
    "--resolutions",
    type=click.Path(dir_okay=False, path_type=Path),
    help="pair files: write what each row's two places resolved to (CSV: row, key and name of each); "
    "with --dry-run, what they would resolve to.",
)
@click.option(
    "--allow-overwrite-builtin",
    is_flag=True,
    help="Let the file change gazetteer and corpus records (refused as conflicts otherwise).",
)
@click.option(
    "--prefer",
    type=click.Choice(["new", "old"]),
    help="A row that contradicts a tie the registry holds (1965 against 1972, sister against "
    "friendship): take the file's value (new) or keep the registry's (old); the file is cited either "
    "way. Without it such a row is refused.",
)
@click.option("--sheet", help="Spreadsheets: the sheet to read (default: the first).")
@click.option(
    "--columns",
    metavar="HEADING=FIELD,…",
    help='Map headings the importer does not know to fields, e.g. "姉妹都市名=object,締結=start".',
)
@click.option(
    "--kind-map",
    metavar="WORD=KIND,…",
    help='ties: map other words of the kind column, e.g. "経済交流=business_partner".',
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@lang_option
@db_option
@json_option
@handle_errors
def import_(
    file: Path,
    kind: str | None,
    partial: bool,
    dry_run: bool,
    create_missing: bool,
    tie_kind: str,
    no_level_rule: bool,
    level_by: str,
    rejections: Path | None,
    resolutions: Path | None,
    allow_overwrite_builtin: bool,
    prefer: str | None,
    sheet: str | None,
    columns: str | None,
    kind_map: str | None,
    quiet: bool,
    lang: str,
    db: str | None,
    as_json: bool,
) -> None:
    """Import a CSV, spreadsheet, JSON or YAML file of records of one kind, all or nothing.

    A CSV or spreadsheet (.xlsx, .xls, .ods) may have a title line above its headings and notes
    below; its headings may be Japanese (自治体名, 提携先, 国名, 提携日, 種別...) and its dates era
    dates (昭和40年11月8日, H7.4.1). The summary shows which heading was read as which field;
    `paradiplomacy template tie --lang ja` writes an empty list with the headings it reads.

    An export of this tool (a JSON export, a CSV export directory or one of its tables) is imported
    back as it was written: `export --format json` then `import` gives the same registry.

    Names are resolved against the registry; unresolved or ambiguous rows are reported with file, row,
    field, reason and candidates. Importing the same file twice adds nothing. Field lists per kind:
    docs/formats.md.

    Example:

        paradiplomacy import ties.csv --kind tie
        paradiplomacy import 姉妹都市一覧.xlsx --kind tie --sheet 一覧 --partial
        paradiplomacy import world_twinning_pairs_excl_japan.csv --kind pair --partial --create-missing
    """
    registry = open_registry(db)
    with staged_progress(not quiet and not as_json) as stage:
        report = import_file(
            registry,
            file,
            kind,
            partial=partial,
            dry_run=dry_run,
            create_missing=create_missing,
            tie_kind=tie_kind,
            levels=not no_level_rule,
            level_by=level_by,
            allow_overwrite_builtin=allow_overwrite_builtin,
            prefer=prefer,
            sheet=sheet,
            columns=columns,
            kind_map=kind_map,
            tie_kind_default=tie_kind if _given("tie_kind") else None,
            progress=lambda done, total: stage(f"import {file.name}", done, total),
        )
    unwritten = None
    for path, write in ((rejections, report.write_rejections), (resolutions, report.write_resolutions)):
        if path is None:
            continue
        try:
            write(path)
        except OSError as error:  # checked beforehand; a race or a full disk can still refuse
            unwritten = f"{path}: {error.strerror or error}"
    if as_json:
        print_json(report.to_dict() | ({"rejections_not_written": unwritten} if unwritten else {}))
    else:
        _print_report(report, lang)
    if unwritten:
        stored = "the import was committed" if report.committed else "nothing was stored"
        errors.print(
            f"[red]error:[/red] {stored}, but a report could not be written: {terminal(unwritten)}",
            highlight=False,
        )
        raise SystemExit(2)
    if not report.ok:
        raise SystemExit(1)


def _given(option: str) -> bool:
    """True when the user passed ``option`` (not its default)."""
    source = click.get_current_context().get_parameter_source(option)
    return source not in (None, click.core.ParameterSource.DEFAULT)


def _print_report(report, lang: str = "en") -> None:
    console.print(terminal(report.summary(lang)), highlight=False)
    if any(written != name for written, name in report.columns.items()):  # not already field names
        read = ", ".join(f"{terminal(w)} → {f}" for w, f in report.columns.items())
        console.print(f"  {translate('columns', lang)}: {read}", highlight=False)
    for note, count in sorted(report.notes.items()):
        console.print(f"  {count:>6,}  {terminal(note)}", highlight=False)
    print_ties_changed(report, lang)
    if not report.rejections:
        return
    shown = report.rejections[:25]
    where = any(r.file != report.file for r in shown)  # an export: name the table of each row
    cells = any(r.heading or r.value for r in shown)  # a CSV or spreadsheet: heading and value
    words = ("where", "row", *(("column", "value") if cells else ("field",)), "reason", "candidates")
    if report.sheet:
        words = ("sheet", *words)
    table = Table(
        *(translate(w, lang) for w in words if w != "where" or where),
        title=translate("rejected rows", lang),
        title_justify="left",
    )
    for shown_column in table.columns:
        shown_column.overflow = "fold"  # Japanese has no spaces to wrap at: fold, never cut with …
    for r in shown:
        column = f"{r.heading} ({r.field})" if r.heading and r.heading != r.field else r.field
        table.add_row(
            *((terminal(r.sheet),) if report.sheet else ()),
            *((terminal(r.file.removeprefix(report.file)),) if where else ()),
            str(r.row),
            *((terminal(column), terminal(r.value)) if cells else (terminal(r.field),)),
            terminal(localised(r.reason, lang)),
            "\n".join(terminal(c) for c in r.candidates[:4]),
        )
    errors.print(table)
    if len(report.rejections) > len(shown):
        errors.print(f"… and {len(report.rejections) - len(shown)} more (use --rejections FILE.csv)")


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="Output file (json, graphml, gexf, xlsx) or directory (csv, parquet).",
)
@click.option("--table", "tables", multiple=True, help="Only these tables (repeatable).")
@click.option("--country", "countries", multiple=True, help="Only ties touching this country.")
@click.option(
    "--tie-kind",
    "tie_kinds",
    multiple=True,
    type=click.Choice([k.value for k in TieKind]),
    help="Only ties of this kind.",
)
@click.option("--all-actors", is_flag=True, help="Include gazetteer actors that hold no record.")
@lang_option
@click.option("--quiet", is_flag=True, help="No progress bar.")
@db_option
@json_option
@handle_errors
def export(
    fmt: str,
    out: Path,
    tables: tuple[str, ...],
    countries: tuple[str, ...],
    tie_kinds: tuple[str, ...],
    all_actors: bool,
    lang: str,
    quiet: bool,
    db: str | None,
    as_json: bool,
) -> None:
    """Export the registry, or a selection, for Gephi, pandas, R or a spreadsheet.

    xlsx: a readable ties sheet (both parties in both scripts, date cells; --lang ja for Japanese
    headings and labels), then one sheet per table.

    Example:

        paradiplomacy export --format gexf --out ties.gexf --country CN
        paradiplomacy export --format parquet --out registry-parquet/
        paradiplomacy export --format xlsx --out ties.xlsx --lang ja
    """
    selection = ExportSelection(
        tables=tables or None,
        countries=tuple(c.upper() for c in countries),
        tie_kinds=tie_kinds,
        only_linked_actors=not all_actors,
    )
    with staged_progress(fmt == "xlsx" and not quiet and not as_json) as stage:
        written = export_registry(
            open_registry(db),
            out,
            fmt,
            selection,
            lang=lang,
            progress=lambda done, total: stage(f"export {out.name}", done, total),
        )
    if as_json:
        print_json({"format": fmt, "written": [str(p) for p in written]})
    else:
        for path in written:
            console.print(f"wrote {terminal(path)}", highlight=False)


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


COMMANDS = [import_, export, template]

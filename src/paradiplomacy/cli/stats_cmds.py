"""Commands reproducing the literature's figures from the registry: ``stats ...`` and ``report``."""

from __future__ import annotations

from collections.abc import Callable

import click
import pandas as pd

from paradiplomacy import analysis
from paradiplomacy.cli.options import (
    console,
    db_option,
    handle_errors,
    iso_country,
    json_option,
    open_registry,
)
from paradiplomacy.cli.render import emit_frame
from paradiplomacy.model.text import terminal


def csv_option(command: Callable) -> Callable:
    """``--csv``: the table as CSV on stdout."""
    return click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")(command)


def _emit(frame: pd.DataFrame, title: str, as_json: bool, as_csv: bool) -> None:
    # long citations: the terminal view names the observation instead
    emit_frame(frame, title, as_json=as_json, as_csv=as_csv, hide=("source",))


def _home(value: str) -> str | None:
    """``--country``: an ISO code or name (``Japan`` -> ``JP``), or ``all``; unknown names are
    rejected like ``network metrics --country`` does."""
    return None if value.lower() == "all" else iso_country(value)


@click.group()
def stats() -> None:
    """Tables of the literature recomputed from the registry, beside the published figures.

    Example:

        paradiplomacy stats affiliations --by government-type --as-of 2001-04-01
    """


@stats.command()
@click.option(
    "--by",
    "by",
    default="government-type",
    show_default=True,
    type=click.Choice(["government-type", "country", "partner-country", "year", "series", "decade"]),
    help="Grouping; 'series' = cumulative by partner country per fiscal year (the years with a tie "
    "in force or a published figure), 'decade' = share of the US among new affiliations per decade.",
)
@click.option("--as-of", help="Count ties in force at this (partial) ISO date.")
@click.option(
    "--country",
    default="JP",
    show_default=True,
    help="Home country whose local governments are counted ('all' = every country).",
)
@db_option
@json_option
@csv_option
@handle_errors
def affiliations(
    by: str, as_of: str | None, country: str, db: str | None, as_json: bool, as_csv: bool
) -> None:
    """Affiliations, governments with affiliations and with several, from tie records.

    Each cell shows the published figure (where the literature has one), its source and the
    coverage (records / published).

    Example:

        paradiplomacy stats affiliations --by government-type --as-of 2001-04-01
        paradiplomacy stats affiliations --by series --csv
        paradiplomacy stats affiliations --by country --country all
    """
    registry = open_registry(db)
    if by == "series":
        frame = analysis.affiliation_series(registry, home=_home(country), keep_empty=False)
    elif by == "decade":
        frame = analysis.us_share_by_decade(registry, home=_home(country))
    else:
        frame = analysis.affiliations_by(registry, by.replace("-", "_"), as_of=as_of, home=_home(country))
    _emit(frame, f"Affiliations by {by}", as_json, as_csv)


@stats.command()
@click.option(
    "--by",
    "by",
    default="model",
    show_default=True,
    type=click.Choice([g.replace("_", "-") for g in analysis.offices.OFFICE_GROUPINGS] + ["shifts"]),
    help="Grouping; 'shifts' = the three shifts as series by decade opened.",
)
@db_option
@json_option
@csv_option
@handle_errors
def offices(by: str, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Overseas offices by operational model, function, host country or decade, or the shifts.

    Example:

        paradiplomacy stats offices --by function
        paradiplomacy stats offices --by shifts --json
    """
    registry = open_registry(db)
    frame = (
        analysis.office_shifts(registry)
        if by == "shifts"
        else analysis.offices_by(registry, by.replace("-", "_"))
    )
    _emit(frame, f"Overseas offices by {by}", as_json, as_csv)


@stats.command()
@click.option(
    "--by",
    "by",
    default="type",
    show_default=True,
    type=click.Choice(["type", "year", "period"]),
    help="'type' = share of prefectures / designated cities with a strategy; 'period' = "
    "before / after the cut-off year.",
)
@click.option("--cutoff", default=2010, show_default=True, help="Cut-off year of --by period.")
@click.option("--source", help="Only strategies cited by this source key (e.g. fujiwara2025).")
@db_option
@json_option
@csv_option
@handle_errors
def strategies(by: str, cutoff: int, source: str | None, db: str | None, as_json: bool, as_csv: bool) -> None:
    """International strategies by government type, by year, or before/after a cut-off year.

    Example:

        paradiplomacy stats strategies
        paradiplomacy stats strategies --by period --cutoff 2010
    """
    registry = open_registry(db)
    if by == "type":
        frame = analysis.strategies_by_type(registry, source=source)
    elif by == "year":
        frame = analysis.strategies_by_year(registry, source=source)
    else:
        frame = analysis.strategies_before_after(registry, cutoff=cutoff, source=source)
    _emit(frame, f"Strategies by {by}", as_json, as_csv)


@stats.command()
@click.option("--by", "by", default="category", show_default=True, type=click.Choice(["category", "actor"]))
@db_option
@json_option
@csv_option
@handle_errors
def budgets(by: str, db: str | None, as_json: bool, as_csv: bool) -> None:
    """Budget lines by category (with shares of their total) or totals by actor.

    Example:

        paradiplomacy stats budgets --by actor
    """
    frame = analysis.budgets_by(open_registry(db), by)
    _emit(frame, f"Budget lines by {by}", as_json, as_csv)


@stats.command()
@click.option("--measure", help="Only observations of this measure (e.g. affiliations).")
@click.option("--summary", is_flag=True, help="One row per measure instead of per figure.")
@click.option(
    "--all",
    "show_all",
    is_flag=True,
    help="Also list figures no record rule can recompute (populations, money...).",
)
@db_option
@json_option
@csv_option
@handle_errors
def coverage(
    measure: str | None, summary: bool, show_all: bool, db: str | None, as_json: bool, as_csv: bool
) -> None:
    """Every published figure with the matching count from records, the gap and the coverage.

    Example:

        paradiplomacy stats coverage --measure affiliations
        paradiplomacy stats coverage --summary --csv
    """
    frame = analysis.coverage(open_registry(db), measure=measure)
    if summary:
        frame = analysis.coverage_summary(frame)
    elif not (show_all or as_json or as_csv):
        frame = frame[frame["records"].notna()].drop(columns=["source", "unit"])
    _emit(frame, "Coverage of published figures by records", as_json, as_csv)


@click.command()
@click.option(
    "--out", "out", required=True, type=click.Path(dir_okay=False), help="File to write (.html or .pdf)."
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "pdf"]),
    default=None,
    help="Output format (default: from the file's extension, else html).",
)
@click.option("--as-of", default="2001-04-01", show_default=True, help="Date of the government-type table.")
@click.option(
    "--country",
    default="JP",
    show_default=True,
    help="Home country of the affiliation tables (published figures exist for JP only).",
)
@db_option
@handle_errors
def report(out: str, fmt: str | None, as_of: str, country: str, db: str | None) -> None:
    """Write one self-contained report: findings, map, comparison with the literature, references.

    Findings from the records come first (ties by partner country and government type, a map of
    ties, partner-country shifts, offices, strategies), then how the records compare with the
    published figures, then every paper and data source with its licence. The PDF is the same
    HTML printed by WeasyPrint (`pip install 'paradiplomacy[pdf]'`).

    Example:

        paradiplomacy report --out report.html
        paradiplomacy report --out report.pdf --format pdf
    """
    fmt = fmt or ("pdf" if out.lower().endswith(".pdf") else "html")
    from paradiplomacy.report import build_report  # matplotlib: loaded only when a report is made

    path = build_report(open_registry(db), out, format=fmt, as_of=as_of, home=_home(country) or "JP")
    console.print(f"Wrote {terminal(path)}", highlight=False)


COMMANDS = [stats, report]

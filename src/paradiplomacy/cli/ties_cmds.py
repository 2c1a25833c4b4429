"""Directory commands: ``ties`` (a CLAIR-style list of affiliations) and ``unresolved`` (the queue of
imported rows that could not be resolved). pandas is imported inside the commands, so ``--help``
stays fast."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from typing import Any

import click
from rich.table import Table

from paradiplomacy.cli.lang import heading, lang_option, name, value
from paradiplomacy.cli.options import (
    console,
    db_option,
    errors,
    handle_errors,
    iso_countries,
    json_option,
    open_registry,
    print_json,
)
from paradiplomacy.cli.render import KEY_COLUMNS, via_label
from paradiplomacy.model.text import terminal


def _csv_option(command):
    return click.option("--csv", "as_csv", is_flag=True, help="Print CSV instead of a table.")(command)


def _split(values: tuple[str, ...]) -> list[str]:
    """``--kind sister,friendship --kind twinning`` -> three values."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@click.command()
@click.argument("actor", required=False)
@click.option("--prefecture", help="Ties of this prefecture and its municipalities (name or code).")
@click.option("--country", multiple=True, help="Partner country (ISO code or name); repeatable.")
@click.option(
    "--kind",
    multiple=True,
    help="Tie kind (sister, friendship, twinning...; 'all' for every kind). Default: affiliations.",
)
@click.option("--since", help="Started in or after this year (or date).")
@click.option("--until", help="Started in or before this year (or date).")
@click.option("--status", multiple=True, help="active, ended, suspended, planned or unknown.")
@click.option(
    "--with-predecessors",
    is_flag=True,
    help="With ACTOR: also the ties of the former municipalities that became it.",
)
@click.option(
    "--as-of",
    help="Ties in force on this date (dated ones: a tie without a start date is left out and "
    "counted), held by the bodies of that day.",
)
@click.option("--limit", type=int, default=None, help="Show at most N ties.")
@db_option
@lang_option
@json_option
@_csv_option
@handle_errors
def ties(
    actor: str | None,
    prefecture: str | None,
    country: tuple[str, ...],
    kind: tuple[str, ...],
    since: str | None,
    until: str | None,
    status: tuple[str, ...],
    with_predecessors: bool,
    as_of: str | None,
    limit: int | None,
    db: str | None,
    lang: str,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List the ties of Japanese local governments, Japanese side first, with sources.

    ACTOR (a name, key or code) keeps its own ties; a tie signed by a former municipality is
    shown held by its successor ("via 旧清水市, merged 2003-04-01").

    Example:

        paradiplomacy ties 新潟市
        paradiplomacy ties 静岡市 --with-predecessors
        paradiplomacy ties --country KR --csv > jp-kr.csv
        paradiplomacy ties --prefecture 新潟県 --since 1990
        paradiplomacy ties --as-of 2001-04-01 --country CN --json
        paradiplomacy ties 新潟市 --lang ja
    """
    from paradiplomacy.analysis.directory import COLUMNS, held_through_predecessors, tie_records

    registry = open_registry(db)
    filters: dict[str, Any] = {
        "prefecture": prefecture,
        "country": list(iso_countries(_split(country))) or None,
        "kind": _split(kind) or None,
        "since": since,
        "until": until,
        "status": _split(status) or None,
        "as_of": as_of,
    }
    if actor:
        from paradiplomacy.resolve.find import find_actor, former_namesakes

        if (namesakes := former_namesakes(registry, actor, find_actor(registry, actor))) is not None:
            errors.print(f"note: {namesakes}", highlight=False)
    left_out: Counter[str] = Counter()
    records = tie_records(registry, actor, with_predecessors=with_predecessors, left_out=left_out, **filters)
    total = len(records)
    if limit is not None:
        records = records[:limit]
    if as_csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in r.items()} for r in records)
        _report_left_out(left_out)
        return
    if as_json:
        print_json(records)
        return
    with_via = any(r["via"] for r in records)
    headers = (
        "local government",
        "partner",
        "kind",
        "start–end",
        "status",
        *(("via",) if with_via else ()),
        "sources",
    )
    title = f"{total:,} {heading('ties found', lang)}" if lang == "ja" else f"{total:,} ties"
    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(
            heading(header, lang), overflow="fold", min_width=8 if header in KEY_COLUMNS else None
        )
    for r in records:
        home = f"{name(r['name_en'], r['name_ja'], lang)} {r['code'] or ''}\n{r['prefecture'] or ''}"
        partner = f"{name(r['partner'], r['partner_ja'], lang)} ({r['partner_country'] or '-'})"
        period = "–".join(p for p in (r["start"] or "?", r["end"] or "") if p)
        via = (via_label({"via": r["via"], "merged": r["merged"]}, lang),) if with_via else ()
        table.add_row(
            home, partner, value(r["kind"], lang), period, value(r["status"], lang), *via, r["sources"]
        )
    console.print(table)
    if total > len(records):
        console.print(f"… and {total - len(records):,} more (raise --limit, or use --csv)")
    if actor and not with_predecessors:
        held = held_through_predecessors(registry, actor, total, **filters)
        if held > 0:
            console.print(
                f"{held:,} more held through former municipalities that became it: add --with-predecessors"
            )
    _report_left_out(left_out)


def _report_left_out(left_out: Counter[str]) -> None:
    """Say how many ties the dates left out (on stderr: a CSV on stdout stays a clean table)."""
    dropped = "; ".join(f"{count:,} {why}" for why, count in left_out.items() if count)
    if dropped:
        errors.print(f"left out by the dates: {dropped}", highlight=False)


@click.group(invoke_without_command=True)
@click.option("--source", help="Source key or file name (a part of the key is enough).")
@click.option("--field", help="Only rows kept aside for this field (e.g. city1).")
@click.option("--reason", help="Only reasons containing this text (e.g. ambiguous).")
@click.option(
    "--status",
    type=click.Choice(["open", "picked", "created", "rejected", "all"]),
    default="open",
    show_default=True,
    help="open: not yet worked; picked, created, rejected: what `unresolved resolve` decided.",
)
@click.option("--limit", type=int, default=None, help="Show at most N rows.")
@db_option
@json_option
@_csv_option
@click.pass_context
@handle_errors
def unresolved(
    ctx: click.Context,
    source: str | None,
    field: str | None,
    reason: str | None,
    status: str,
    limit: int | None,
    db: str | None,
    as_json: bool,
    as_csv: bool,
) -> None:
    """List imported rows that could not be resolved, with the reason and the candidates.

    Each row has an id: work it with `paradiplomacy unresolved resolve ID --pick N | --create |
    --reject`.

    Example:

        paradiplomacy unresolved
        paradiplomacy unresolved --source japan_twinning_pairs --reason ambiguous
        paradiplomacy unresolved --csv > unresolved.csv
        paradiplomacy unresolved resolve 12 --pick 2
    """
    if ctx.invoked_subcommand is not None:  # `unresolved --db X resolve ...` works on X
        ctx.meta["unresolved_db"] = db
        return
    from paradiplomacy.store.unresolved import unresolved_rows, unresolved_summary

    registry = open_registry(db)
    with registry.reader() as session:
        rows = unresolved_rows(session, source=source, field=field, reason=reason, status=status)
    summary = unresolved_summary(rows)
    shown = rows[:limit] if limit is not None else rows
    if as_csv:
        _write_csv(shown)
        return
    if as_json:
        print_json({"total": len(rows), "status": status, "by_reason": summary, "rows": shown})
        return
    if not rows:
        console.print("No unresolved rows." if status == "open" else f"No {status} rows.")
        return
    label = "unresolved" if status == "open" else status
    counts = Table("reason", "field", "rows", title=f"{len(rows):,} {label} rows", title_justify="left")
    for s in summary:
        counts.add_row(s["reason"], s["field"], f"{s['rows']:,}")
    console.print(counts)
    table = Table("id", "source", "row", "kind", "field", "names", "reason", "candidates")
    for r in shown:
        table.add_row(
            str(r["id"]),
            r["source_title"] or r["source"],
            str(r["row"]),
            r["kind"],
            r["field"],
            r["names"],
            r["reason"],
            "\n".join(f"{n}. {c}" for n, c in enumerate(r["candidates"][:5], start=1)),
        )
    console.print(table)
    if len(rows) > len(shown):
        console.print(f"… and {len(rows) - len(shown):,} more (raise --limit, or use --csv)")


@unresolved.command(name="resolve")
@click.argument("row_id", metavar="ID", type=int)
@click.option("--pick", type=int, help="Take the N-th candidate (as listed, from 1) and load the row.")
@click.option("--create", is_flag=True, help="Create the missing foreign place from the row and load it.")
@click.option("--reject", is_flag=True, help="Mark the row rejected: kept, out of the open queue.")
@click.option("--note", help="Why (kept in the audit log).")
@click.option("--user", envvar="USER", help="Who takes the step (default: $USER).")
@db_option
@json_option
@handle_errors
def resolve(
    row_id: int,
    pick: int | None,
    create: bool,
    reject: bool,
    note: str | None,
    user: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Work one queued row (ID as `paradiplomacy unresolved` lists it): pick, create or reject.

    The row is loaded through the importer (the same checks as `import`), cited to its file and
    row; every step is written to the audit log.

    Example:

        paradiplomacy unresolved resolve 12 --pick 2
        paradiplomacy unresolved resolve 13 --create --note "not in GeoNames"
        paradiplomacy unresolved resolve 14 --reject --note "a festival, not a tie"
    """
    from paradiplomacy.curation.queue import resolve_row

    if db is None:
        db = click.get_current_context().meta.get("unresolved_db")
    result = resolve_row(
        open_registry(db),
        row_id,
        pick=pick,
        create=create,
        reject=reject,
        user=user or "",
        note=note,
    )
    if as_json:
        print_json(result)
    else:
        console.print(terminal(result["message"]), highlight=False)


def _write_csv(rows: list[dict[str, Any]]) -> None:
    fields = ["id", "source", "row", "kind", "field", "names", "reason", "candidates", "status"]
    writer = csv.DictWriter(sys.stdout, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, "candidates": " | ".join(row["candidates"])})


COMMANDS = [ties, unresolved]

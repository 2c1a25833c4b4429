"""Commands that build and read the registry: init, search, show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click
from rich.table import Table

from paradiplomacy.cli import lang as names
from paradiplomacy.cli.lang import heading, lang_option
from paradiplomacy.cli.options import (
    as_of_day,
    console,
    db_option,
    errors,
    handle_errors,
    iso_country,
    json_option,
    open_registry,
    print_json,
)
from paradiplomacy.cli.render import history_label, render_profile
from paradiplomacy.model.text import terminal


@click.command()
@db_option
@click.option("--reset", is_flag=True, help="Drop and rebuild an existing database.")
@click.option("--quiet", is_flag=True, help="No progress bars.")
@click.option(
    "--no-pair-lists",
    is_flag=True,
    help="Leave out the bundled twinning pair lists (Japan's and the world's).",
)
@json_option
@handle_errors
def init(db: str | None, reset: bool, quiet: bool, no_pair_lists: bool, as_json: bool) -> None:
    """Create the database and fill it with the gazetteers, the municipal history, the cited corpus
    and the bundled twinning pair lists (rows that do not resolve: `paradiplomacy unresolved`).

    Example:

        paradiplomacy init --db registry.db
    """
    from paradiplomacy.cli.progress import staged_progress
    from paradiplomacy.corpus import initialise

    registry = open_registry(db, initialised=False)
    with staged_progress(not quiet and not as_json) as stage:
        counts = initialise(registry, reset=reset, stage=stage, pair_lists=not no_pair_lists)
    if as_json:
        print_json({"db": registry.display_url, "loaded": counts})
        return
    table = Table("what", "records", title=f"Initialised {registry.display_url}")
    for name, count in counts.items():
        table.add_row(terminal(name.replace("_", " ")), f"{count:,}")
    console.print(table)


def search_registry(
    db: str | None, text: str, *, country: str | None, limit: int, as_of: dt.date | None = None
) -> list[dict[str, Any]]:
    """:func:`.ranking.search` on the registry ``--db`` names: through ``sqlite3`` on a SQLite file
    (no SQLAlchemy to import: the command answers at once), else through the ORM."""
    from paradiplomacy.resolve.ranking import search
    from paradiplomacy.resolve.sqlite_read import open_source

    with open_source(db) as source:
        if source is not None:
            return search(source, text, country=country, limit=limit, as_of=as_of)
    from paradiplomacy.resolve.find import search_actors

    return search_actors(open_registry(db), text, country=country, limit=limit, as_of=as_of)


@click.command()
@click.argument("text")
@click.option("--country", help="Only actors of this country (ISO code or name).")
@click.option("--limit", default=10, show_default=True, help="How many candidates.")
@click.option("--as-of", help="Only the bodies that existed on this date (YYYY, YYYY-MM or YYYY-MM-DD).")
@db_option
@lang_option
@json_option
@handle_errors
def search(
    text: str, country: str | None, limit: int, as_of: str | None, db: str | None, lang: str, as_json: bool
) -> None:
    """Find actors by a name in kanji, kana, romaji (with or without macrons) or English, or by a
    local-government code (6 digits, 5 as e-Stat writes them, or an old one).

    Ambiguous names list every candidate, ranked. Former municipalities (merged away since 1970)
    show their end date and successors; `旧清水市` searches former ones only.

    Example:

        paradiplomacy search Kōbe
        paradiplomacy search "Setagaya (Tokyo)"
        paradiplomacy search Portland --country US
        paradiplomacy search 清水市
        paradiplomacy search Shimizu --as-of 2000
        paradiplomacy search 22204
        paradiplomacy search Fuchū --lang ja
    """
    day = as_of_day(as_of)
    results = search_registry(db, text, country=iso_country(country), limit=limit, as_of=day)
    if as_json:
        print_json(results)
        return
    if day is not None:
        from paradiplomacy.reference.history import START

        if day.isoformat() < START:
            console.print(
                f"The municipal history starts on {START}: the bodies of that day stand for "
                "those of earlier dates.",
                highlight=False,
            )
    if not results:
        message = (
            f"{terminal(repr(text))} に一致するものはありません。"
            if lang == "ja"
            else f"No actor matches {terminal(repr(text))}."
        )
        if day is not None and (elsewhen := search_registry(db, text, country=iso_country(country), limit=5)):
            when = "; ".join(f"{r['name_ja'] or r['name_en']} ({_lifetime(r)})" for r in elsewhen)
            message = f"No actor of that name existed on {day}; at other dates: {terminal(when)}."
        console.print(message, highlight=False)
        raise SystemExit(1)
    table = Table(title=None)
    other = "English" if lang == "ja" else "日本語"
    for header in ("#", "name", other, "kind", "country", "in", "code / key", "score"):
        table.add_column(heading(header, lang), overflow="fold", no_wrap=header in ("#", "score", "country"))
    for r in results:
        first = names.name(r["name_en"], r["name_ja"], lang)
        second = r["name_en"] if lang == "ja" else r["name_ja"]
        parent = (r["parent_ja"] if lang == "ja" else None) or r["parent"] or ""
        table.add_row(
            str(r["rank"]),
            terminal(first),
            terminal(second if second != first else ""),
            terminal(names.value(r["lg_type"] or r["kind"], lang)),
            terminal(r["country"] or ""),
            terminal(parent),
            terminal(r["lg_code"] or r["key"]),
            f"{r['score']:.2f}",
        )
    console.print(table)
    for r in results:
        if r["dissolved"]:
            what = heading("former municipality", lang)
            console.print(
                f"#{r['rank']} {terminal(r['name_ja'] or r['name_en'])}: {what}, "
                f"{terminal(history_label(r, lang))}",
                highlight=False,
            )


def _lifetime(result: dict[str, Any]) -> str:
    """``1970–2003-04-01``-style span of a search result (``founded`` or the history's start)."""
    start = result["founded"] or "by 1970-04-01"
    return f"{start} – {result['dissolved'] or 'today'}"


@click.command()
@click.argument("actor")
@click.option("--country", help="Narrow an ambiguous name to this country.")
@click.option(
    "--as-of",
    help="As it stood on this date: predecessors merged by then, ties in force then (dated ones).",
)
@db_option
@lang_option
@json_option
@handle_errors
def show(
    actor: str, country: str | None, as_of: str | None, db: str | None, lang: str, as_json: bool
) -> None:
    """Show one actor's profile: names, code, type, ties, offices, strategies, adoptions, sources.

    ACTOR is a name, a key or a local-government code (6 digits, or 5 as e-Stat writes them; old
    codes too). A municipality lists its predecessors and the ties it holds through them; a former
    municipality names its successors.

    Example:

        paradiplomacy show 北九州市
        paradiplomacy show 401005 --json
        paradiplomacy show 40100
        paradiplomacy show 清水市
        paradiplomacy show 静岡市 --as-of 2000
        paradiplomacy show Kobe --lang ja
    """
    from paradiplomacy.resolve.find import find_actor, former_namesakes
    from paradiplomacy.store.profile import actor_profile, as_of_view

    day = as_of_day(as_of)
    registry = open_registry(db)
    actor_id = find_actor(registry, actor, country=iso_country(country))
    if (namesakes := former_namesakes(registry, actor, actor_id)) is not None:
        errors.print(f"note: {namesakes}", highlight=False)
    with registry.reader() as session:
        profile = actor_profile(session, actor_id)
    notes: list[str] = []
    if day is not None:
        profile, notes = as_of_view(profile, day)
    if as_json:
        print_json({**profile, "as_of_notes": notes} if day is not None else profile)
        return
    render_profile(profile, lang)
    for note in notes:
        console.print(f"as of {day}: {terminal(note)}", highlight=False)


COMMANDS = [init, search, show]

"""Network commands: ``network metrics|ego|export`` and ``channels`` (access routes to a state)."""

from __future__ import annotations

from collections import Counter

import click
import pandas as pd

from paradiplomacy.analysis.channels import access_channels
from paradiplomacy.analysis.network import export_network, network_metrics
from paradiplomacy.analysis.network_ego import draw_ego, ego_network
from paradiplomacy.cli.options import (
    as_of_day,
    console,
    db_option,
    handle_errors,
    iso_countries,
    iso_country,
    json_option,
    open_registry,
    print_json,
)
from paradiplomacy.cli.render import frame_table
from paradiplomacy.model.text import terminal
from paradiplomacy.model.vocab import TieKind

_KINDS = click.Choice(sorted(k.value for k in TieKind))


def _show(frame: pd.DataFrame, title: str) -> None:
    console.print(frame_table(frame, title))


@click.group()
def network() -> None:
    """The multi-level network of actors and ties: metrics, neighbourhoods, Gephi export.

    Example:

        paradiplomacy network metrics --country JP
    """


@network.command()
@click.option("--country", "countries", multiple=True, help="Only ties touching this country.")
@click.option("--kind", "kinds", multiple=True, type=_KINDS, help="Only ties of this kind.")
@click.option(
    "--by",
    type=click.Choice(["level", "country"]),
    default="level",
    show_default=True,
    help="Groups of the brokerage (gatekeeper) measure.",
)
@click.option("--horizontal", is_flag=True, help="Leave out parent and national links.")
@click.option("--top", default=15, show_default=True, help="Rows of the broker/community tables.")
@click.option("--pivots", type=int, help="Betweenness sources to sample (0 = exact).")
@click.option("--seed", default=0, show_default=True, help="Seed of communities and sampling.")
@click.option("--as-of", help="Ties in force on this date, held by the bodies of that day.")
@db_option
@json_option
@handle_errors
def metrics(
    countries: tuple[str, ...],
    kinds: tuple[str, ...],
    by: str,
    horizontal: bool,
    top: int,
    pivots: int | None,
    seed: int,
    as_of: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Degree by country and type, brokers, communities, components, bilateral vs multilateral.

    Example:

        paradiplomacy network metrics
        paradiplomacy network metrics --country JP --kind sister --by country --json
        paradiplomacy network metrics --country JP --as-of 2001-04-01
    """
    result = network_metrics(
        open_registry(db),
        countries=iso_countries(countries),
        kinds=kinds,
        vertical=not horizontal,
        by=by,
        top=top,
        seed=seed,
        pivots=pivots,
        as_of=as_of,
    )
    if as_json:
        print_json(result.to_dict())
        return
    console.print(terminal(", ".join(f"{k}: {v}" for k, v in result.summary.items())), highlight=False)
    for name, frame in result.tables().items():
        if name == "brokers":  # the terminal view is narrow: keys and kinds are in --json
            frame = frame.drop(columns=["key", "kind"])
        _show(frame.head(top) if name.startswith("degree") else frame, name.replace("_", " "))


@network.command()
@click.argument("actor")
@click.option("--depth", default=1, show_default=True, help="Links away from the actor (1-6).")
@click.option("--country", help="Narrow an ambiguous name to this country.")
@click.option(
    "--draw", "draw", type=click.Path(dir_okay=False), help="Also draw it to this .png, .svg or .pdf file."
)
@click.option("--horizontal", is_flag=True, help="Leave out parent and national links.")
@click.option("--as-of", help="Ties in force on this date, held by the bodies of that day.")
@db_option
@json_option
@handle_errors
def ego(
    actor: str,
    depth: int,
    country: str | None,
    draw: str | None,
    horizontal: bool,
    as_of: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    """An actor's neighbourhood: the actors within DEPTH links and the links among them.

    Example:

        paradiplomacy network ego Kitakyushu --depth 2 --draw kitakyushu.png
    """
    home = iso_country(country)
    result = ego_network(
        open_registry(db), actor, depth=depth, country=home, vertical=not horizontal, as_of=as_of
    )
    if draw:
        draw_ego(result, draw)
    if as_json:
        print_json(result.to_dict())
        return
    _show(result.nodes, f"{result.centre} at depth {depth}")
    _show(result.edges.drop(columns="record"), "links")
    if draw:
        console.print(f"Drawn to {terminal(draw)}", highlight=False)


def graph_format(out: str) -> str:
    """The graph format an output file's suffix names (``x.gexf`` -> ``gexf``), else ``graphml``.

    >>> graph_format("ties.GEXF"), graph_format("ties.graphml"), graph_format("ties.xml")
    ('gexf', 'graphml', 'graphml')
    """
    return "gexf" if out.lower().endswith(".gexf") else "graphml"


@network.command(name="export")
@click.option("--out", required=True, type=click.Path(), help="File to write.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["graphml", "gexf"]),
    default=None,
    help="graphml or gexf (default: from the suffix of --out, else graphml).",
)
@click.option("--country", "countries", multiple=True, help="Only ties touching this country.")
@click.option("--kind", "kinds", multiple=True, type=_KINDS, help="Only ties of this kind.")
@click.option(
    "--as-of",
    help="As it stood on this date: ties in force then (dated ones), held by the bodies of that day.",
)
@db_option
@handle_errors
def export_(
    out: str,
    format_: str | None,
    countries: tuple[str, ...],
    kinds: tuple[str, ...],
    as_of: str | None,
    db: str | None,
) -> None:
    """Write the network with every attribute for Gephi, Cytoscape or NetworkX.

    Example:

        paradiplomacy network export --out ties.gexf
        paradiplomacy network export --out ties.graphml --country CN
        paradiplomacy network export --out ties-2001.gexf --as-of 2001-04-01
    """
    format_ = format_ or graph_format(out)
    left_out: Counter[str] = Counter()
    paths = export_network(
        open_registry(db),
        out,
        format=format_,
        countries=iso_countries(countries),
        kinds=kinds,
        as_of=as_of_day(as_of),
        left_out=left_out,
    )
    console.print("Wrote " + ", ".join(map(terminal, paths)), highlight=False)
    if left_out:
        console.print(
            f"as of {as_of_day(as_of)}, left out: "
            + "; ".join(f"{count:,} {what}" for what, count in sorted(left_out.items())),
            highlight=False,
        )


@click.command()
@click.argument("origin")
@click.option("--target", required=True, help="A country code (its government) or any actor.")
@click.option("--max-hops", default=4, show_default=True, help="Longest route searched (1-8).")
@click.option("--limit", default=10, show_default=True, help="How many channels to list.")
@click.option("--country", help="Narrow an ambiguous origin to this country.")
@db_option
@json_option
@handle_errors
def channels(
    origin: str, target: str, max_hops: int, limit: int, country: str | None, db: str | None, as_json: bool
) -> None:
    """Access channels from ORIGIN to a target state: conventional, local diplomacy, boomerang.

    ORIGIN is an actor (name, key or code) or a coalition key. Each hop is shown with the ties
    that support it and their sources.

    Example:

        paradiplomacy channels Kitakyushu --target CN
        paradiplomacy channels 新潟県 --target CN --json
    """
    home = iso_country(country)
    report = access_channels(open_registry(db), origin, target, max_hops=max_hops, limit=limit, country=home)
    if as_json:
        print_json(report.to_dict())
        return
    title = f"{report.origin['name']} -> {report.target['name']}"
    if report.reason:
        console.print(terminal(f"{title}: {report.reason}"), highlight=False)
        return
    _show(report.frame(), f"Access channels, {title}")
    if report.truncated:
        console.print(f"(scored the {report.searched:,} shortest routes only)")
    for channel in report.channels:
        console.print(
            f"[bold]#{channel['rank']} {terminal(channel['type'])}[/bold] (score {channel['score']})"
        )
        for hop in channel["hops"]:
            links = "; ".join(
                f"{s['link']}{' ' + repr(s['role']) if s.get('role') else ''}"
                f" [{' | '.join(s['sources']) or 'no source'}]"
                for s in hop["support"]
            )
            console.print(terminal(f"  {hop['from_name']} -> {hop['to_name']}: {links}"), highlight=False)
        for event in channel["events"]:
            console.print(
                terminal(f"  event {event['date'] or 'undated'} ({event['channel']}): {event['title']}"),
                highlight=False,
            )


COMMANDS = [network, channels]

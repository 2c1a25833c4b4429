"""``match ACTOR``: partner suggestions with reasons; ``match evaluate``: how often they come true."""

from __future__ import annotations

from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from paradiplomacy.cli.options import (
    console,
    db_option,
    errors,
    handle_errors,
    iso_country,
    json_option,
    open_registry,
    print_json,
)

_GOALS = (
    "environment",
    "trade",
    "tourism",
    "education",
    "culture",
    "disaster",
    "health",
    "transport",
    "rights",
    "agriculture",
    "technology",
)  # matching.themes.GOALS, kept light


class _ActorOrCommand(click.Group):
    """A group whose first argument is a subcommand (``evaluate``) or else an actor to match."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[Any, Any, list[str]]:
        if args and args[0] in self.commands:
            return super().resolve_command(ctx, args)
        command = self.commands["actor"]
        return "actor", command, args

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "ACTOR [OPTIONS] | evaluate [OPTIONS]")


@click.group(cls=_ActorOrCommand)
def match() -> None:
    """Who should a local government twin with, and why: ranked partners with their reasons.

    The ranking is learned from the registry's own ties (a conditional logit over size, distance,
    country priors of the actor, its prefecture and country, partners of partners, ties of the
    prefecture with the candidate and its region, networks, themes, names); `match evaluate` measures
    it on hidden real ties against the classical link predictors.

    Options of ACTOR (--goal, --country, --kind, --top, --explain, --json): `match ACTOR --help`.

    \b
    Examples:
        paradiplomacy match Kitakyushu --top 10
        paradiplomacy match 北九州市 --country US --explain
        paradiplomacy match evaluate --holdout 0.2 --seeds 5
    """


def _fmt(value: Any) -> str:
    return "" if value is None else str(value)


@match.command("actor", hidden=True)
@click.argument("actor")
@click.option("--goal", type=click.Choice(_GOALS), help="Prefer partners working on this theme.")
@click.option("--country", help="Only candidates in this country (code or name).")
@click.option("--kind", type=click.Choice(["city", "region", "network"]), help="Only this kind of partner.")
@click.option("--top", default=10, show_default=True, help="Number of candidates.")
@click.option("--explain", is_flag=True, help="Learned weights and every feature's contribution.")
@click.option("--actor-country", help="Country of ACTOR when its name is ambiguous.")
@click.option(
    "--domestic",
    is_flag=True,
    help="Also candidates in ACTOR's own country (domestic sister cities); by default only partners abroad.",
)
@db_option
@json_option
@handle_errors
def match_actor(
    actor: str,
    goal: str | None,
    country: str | None,
    kind: str | None,
    top: int,
    explain: bool,
    actor_country: str | None,
    domestic: bool,
    db: str | None,
    as_json: bool,
) -> None:
    """Ranked candidate partners of ACTOR (name, key or local-government code), with reasons.

    \b
    Example:
        paradiplomacy match Kitakyushu --country US --top 5 --explain
    """
    from paradiplomacy.matching.recommend import recommend

    result = recommend(
        open_registry(db),
        actor,
        goal=goal,
        country=iso_country(country),
        kind=kind,
        top=top,
        explain=explain,
        actor_country=iso_country(actor_country),
        domestic=domestic,
        notify=lambda text: errors.print(text, highlight=False),
    )
    if as_json:
        print_json(result)
        return
    me = result["actor"]
    console.print(
        f"[bold]{escape(_fmt(me['name_en']))}[/bold] {escape(_fmt(me['name_ja']))} "
        f"({me['key']}, {result['partners']} partners); "
        f"{result.get('candidate_pool', len(result['candidates']))} candidates"
    )
    table = Table(
        "#",
        "name",
        "country",
        "code / GeoNames / key",
        "lat, lon",
        "score",
        "main reasons",
        title="suggested partners",
        title_justify="left",
    )
    for row in result["candidates"]:
        code = row["lg_code"] or (f"gn:{row['geonames_id']}" if row["geonames_id"] else row["key"])
        where = f"{row['lat']:.2f}, {row['lon']:.2f}" if row["lat"] is not None else ""
        name = " ".join(n for n in (row["name_en"], row["name_ja"]) if n)
        reasons = ", ".join(f"{r['feature']} {r['contribution']:+.1f}" for r in row["reasons"][:3])
        table.add_row(
            str(row["rank"]), escape(name), _fmt(row["country"]), code, where, f"{row['score']:.2f}", reasons
        )
    console.print(table)
    if explain and "weights" in result:
        weights = Table(
            "kind", "feature", "weight / sd", "meaning", title="learned weights", title_justify="left"
        )
        for w in result["weights"]:
            weights.add_row(w.get("stage", ""), w["feature"], f"{w['weight']:+.3f}", w["meaning"])
        console.print(weights)
        for row in result["candidates"]:
            parts = Table(
                "feature",
                "value",
                "contribution",
                title=f"{row['rank']}. {row['name_en']}: score {row['score']:.3f} = sum of contributions",
                title_justify="left",
            )
            for r in row["reasons"]:
                if r["contribution"]:
                    parts.add_row(r["feature"], f"{r['value']:.3g}", f"{r['contribution']:+.3f}")
            console.print(parts)


@match.command("evaluate")
@click.option(
    "--pairs",
    "pairs",
    type=click.Path(exists=True, dir_okay=False),
    help="Hide only ties named in this pair file (default: every tie of a --home place).",
)
@click.option("--holdout", default=0.2, show_default=True, help="Share of the ties hidden per seed.")
@click.option("--seeds", default=5, show_default=True, help="Number of random holdouts.")
@click.option("--home", default="JP", show_default=True, help="Country whose places are queried.")
@click.option(
    "--protocol",
    type=click.Choice(["issue", "world"]),
    default="issue",
    show_default=True,
    help="issue: hide ties of --home places, query those places (the headline); world: hide "
    "ties anywhere, query both ends (a generic link-prediction study).",
)
@click.option(
    "--min-degree",
    default=0,
    show_default=True,
    help="Only query places that had at least this many ties before hiding.",
)
@click.option(
    "--two-stage",
    is_flag=True,
    help="Fit the two-stage variant (country logit x within-country logit) instead.",
)
@click.option(
    "--named/--no-named",
    default=True,
    show_default=True,
    help="Untied places with a Japanese (katakana) name are candidates for Japanese actors.",
)
@db_option
@json_option
@handle_errors
def evaluate_cmd(
    pairs: str | None,
    holdout: float,
    seeds: int,
    home: str,
    protocol: str,
    min_degree: int,
    two_stage: bool,
    named: bool,
    db: str | None,
    as_json: bool,
) -> None:
    """Hide real ties, rank candidates for the places that lost one: ours vs classical predictors.

    Reports hit@1/5/10/50, MRR and AUC (mean and sd over seeds) for the recommender, preferential
    attachment, common neighbours, Adamic–Adar, truncated Katz, a gravity model and random.

    \b
    Example:
        paradiplomacy match evaluate --holdout 0.2 --seeds 5
        paradiplomacy match evaluate --protocol world --seeds 2
        paradiplomacy match evaluate --min-degree 2
    """
    import numpy as np

    from paradiplomacy.matching.evaluate import evaluate
    from paradiplomacy.matching.graph import load_graph
    from paradiplomacy.matching.pairs import edges_of_pairs
    from paradiplomacy.matching.themes import actor_themes

    registry = open_registry(db)
    code = iso_country(home) or "JP"
    graph = load_graph(registry)
    eligible, missed = (None, 0)
    if pairs:
        eligible, missed = edges_of_pairs(registry, graph, pairs)
    themes = actor_themes(registry, graph.actors["id"].to_numpy())
    result = evaluate(
        graph,
        home=code,
        holdout=holdout,
        seeds=seeds,
        eligible=eligible,
        themes=themes,
        protocol=protocol,
        min_degree=min_degree,
        two_stage=two_stage,
        named=named,
        progress=None if as_json else lambda s: errors.print(f"seed {s} done"),
    )
    if as_json:
        print_json({**result.to_dict(), "pairs_not_in_registry": missed})
        return
    if pairs:
        console.print(
            f"{escape(str(pairs))}: {int(eligible.sum())} ties in the registry, {missed} rows not",
            highlight=False,
        )
    summary = result.summary()
    metrics = ["hit@1", "hit@5", "hit@10", "hit@50", "mrr", "auc"]
    table = Table(
        "method",
        *metrics,
        title=f"{protocol} protocol, held-out "
        f"{'world' if protocol == 'world' else code} ties: {holdout:.0%} hidden, {seeds} seeds "
        "(mean ± sd)",
        title_justify="left",
    )
    for row in summary.to_dict(orient="records"):
        table.add_row(row["method"], *(f"{row[m + '_mean']:.3f} ± {row[m + '_sd']:.3f}" for m in metrics))
    console.print(table)
    first = result.details["per_seed"][0]
    console.print(
        f"{first['queries']} hidden partners per seed, {first['candidates']} candidates, "
        f"{first['partners_in_candidates']} hidden partners among them (seed 0)"
    )
    known = [s["hit@10_country_known"] for s in result.details["per_seed"]]
    console.print(
        f"recommender hit@10 if the partner's country were known: {np.mean(known):.3f} "
        f"(the top 10 of that country's candidates)"
    )


COMMANDS = [match]

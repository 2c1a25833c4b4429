"""``classify``, ``assess``, ``office-models``, ``pillars``: the papers' frameworks."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd

from paradiplomacy.cli.options import (
    console,
    db_option,
    handle_errors,
    json_option,
    open_registry,
    print_json,
)
from paradiplomacy.cli.render import frame_table, records
from paradiplomacy.frameworks.coalition_assessment import (
    NOT_ENOUGH,
    assess_coalition,
    compare_with_paper,
    list_coalitions,
)
from paradiplomacy.frameworks.governance_stage import classify_actor, office_operational_models
from paradiplomacy.frameworks.html import assessment_html, profile_html
from paradiplomacy.frameworks.profiles import actor_summary
from paradiplomacy.model.text import terminal

_FILE = click.Path(dir_okay=False, path_type=Path)
_LEVEL_STYLE = {
    "strong": "bold green",
    "moderate": "green",
    "weak": "yellow",
    "not_enough_evidence": "dim italic",
}


def _frame(title: str, frame: pd.DataFrame) -> None:
    console.print(frame_table(frame, title))


def _missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and arrays are values, not missing
        return False


def _write(path: Path | None, html: str) -> None:
    if path is not None:
        path.write_text(html, encoding="utf-8")
        console.print(f"HTML page written to {terminal(path)}", highlight=False)


@click.command()
@click.argument("coalition", required=False)
@click.option("--list", "list_", is_flag=True, help="List the coalitions in the registry.")
@click.option(
    "--evidence",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file adding evidence or overriding levels.",
)
@click.option("--rubric", default="coalition", show_default=True, help="Bundled rubric name or a YAML path.")
@click.option(
    "--compare",
    is_flag=True,
    help="Also list each rule's signal counts, and (JSON) a paper-vs-tool comparison table.",
)
@click.option("--html", "html_path", type=_FILE, help="Also write a self-contained HTML page here.")
@db_option
@json_option
@handle_errors
def assess(
    coalition: str | None,
    list_: bool,
    evidence: str | None,
    rubric: str,
    compare: bool,
    html_path: Path | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Assess a transnational coalition on Takao's criteria, autonomy and sources of influence.

    COALITION is a coalition key or any unambiguous part of its name. For each criterion it shows
    what the paper states about the case (our summary and locator; the papers grade nothing), the
    level the rubric computes from the coalition's records (labelled as the tool's, with the number
    of records; thin evidence flagged), or "not enough evidence". The evidence table lists every
    record used, with its sources.

    Example:

        paradiplomacy assess --list
        paradiplomacy assess Dalian
        paradiplomacy assess kawasaki --json --html kawasaki.html --evidence my_evidence.yaml
    """
    registry = open_registry(db)
    if list_ or not coalition:
        frame = list_coalitions(registry)
        print_json(frame.to_dict(orient="records")) if as_json else _frame("Coalitions", frame)
        return
    result = assess_coalition(registry, coalition, rubric=rubric, evidence=evidence)
    _write(html_path, assessment_html(result, compare=compare))
    if as_json:
        data = result.as_dict()
        if compare:
            data["comparison"] = compare_with_paper(result).to_dict(orient="records")
        print_json(data)
        return
    console.print(
        f"[bold]{terminal(result.coalition['name'])}[/bold] ({terminal(result.coalition['key'])})",
        highlight=False,
    )
    console.print(
        "[dim]paper: what the paper states about this case (our words, with locator; the papers "
        "grade nothing). tool: level computed by the rubric "
        f"'{terminal(result.rubric)}' from registry records, with the number of records.[/]",
        highlight=False,
    )
    for group, spec in result.groups.items():
        console.print(f"\n[bold underline]{terminal(spec.get('label', group))}[/]")
        for c in (c for c in result.criteria if c["group"] == group):
            _print_criterion(c, compare)
    _frame(
        "Evidence",
        pd.DataFrame(
            [
                {"id": e.id, "date": e.date, "record": e.text, "sources": "; ".join(e.sources)}
                for e in result.evidence
            ]
        ),
    )


_STANCE_TEXT = {
    "example": "uses this case as an example",
    "qualified_example": "uses this case as an example, with a stated limit",
    "not_discussed": "does not discuss this case under this heading",
}


def _print_criterion(c: dict, compare: bool) -> None:
    """One criterion: the paper's statement, the tool's computation, and what is unknown."""
    console.print(f"  [bold]{terminal(c['criterion'])}[/]", highlight=False)
    paper = c["paper"]
    where = f" ({terminal(paper['locator'])})" if paper["locator"] else ""
    line = f"    paper{where}: {_STANCE_TEXT[paper['stated']]}"
    if paper["says"] and paper["stated"] != "not_discussed":
        line += f" - {terminal(paper['says'])}"
    console.print(line, highlight=False)
    style = _LEVEL_STYLE.get(c["level"], "")
    if c["level"] == NOT_ENOUGH:
        console.print(f"    tool: [{style}]not enough evidence[/] ({terminal(c['note'])})", highlight=False)
    else:
        thin = " [yellow]thin evidence[/]" if c["thin_evidence"] else ""
        console.print(
            f"    tool (rubric {terminal(c['rubric'])}, {c['evidence_count']} record(s)): "
            f"[{style}]{c['level']}[/]{thin}  {terminal(c['note'])}",
            highlight=False,
        )
    if c["overridden"]:
        console.print(
            f"    [red]overridden by the user[/] (computed {c['computed_level']}): "
            f"{terminal(c['override_reason'])} {terminal('[' + c['override_source'] + ']')}",
            highlight=False,
        )
    if compare:
        for line in c["basis"]:
            console.print(f"      - {terminal(line)}", highlight=False)
    if c["evidence"]:
        console.print(f"      evidence: {terminal(', '.join(c['evidence']))}", highlight=False)


@click.command()
@click.argument("actor")
@click.option(
    "--as-of",
    "as_of",
    help="Score only records dated to be in force in this year (partial ISO date); "
    "undated records are listed apart.",
)
@click.option(
    "--evidence",
    type=click.Path(exists=True, dir_okay=False),
    help="YAML file adding evidence or overriding stages.",
)
@click.option("--html", "html_path", type=_FILE, help="Also write a self-contained HTML page here.")
@db_option
@json_option
@handle_errors
def classify(
    actor: str,
    as_of: str | None,
    evidence: str | None,
    html_path: Path | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Profile an actor on Fujiwara's governance stages over the six dimensions, with a timeline.

    ACTOR is a name, key or 6-digit local-government code. The profile gives each dimension's
    share of
    Traditional Administration, New Public Management and Network Governance from its offices, ties,
    strategies and programmes (rubric `governance.yaml`), not a single label.

    Example:

        paradiplomacy classify 北海道
        paradiplomacy classify 401005 --as-of 1995 --json
    """
    registry = open_registry(db)
    result = classify_actor(registry, actor, as_of=as_of, evidence=evidence)
    _write(html_path, profile_html(result))
    if as_json:
        print_json(result.as_dict())
        return
    console.print(
        f"[bold]{result.actor['name']}[/bold] ({result.actor['key']})"
        + (f", as of {as_of}" if as_of else ", at any date")
    )
    paper, basis = result.paper, result.basis
    console.print(
        f"paper ({terminal(paper['source'])}, {terminal(paper['locator'])}): {terminal(paper['states'])}",
        highlight=False,
    )
    thin = " [yellow]thin evidence[/]" if basis["thin_evidence"] else ""
    console.print(
        f"tool: profile computed by the rubric '{terminal(basis['rubric'])}' from "
        f"{basis['records_used']} record(s){thin}; {terminal(basis['time_rule'])}.",
        highlight=False,
    )
    _frame("Profile computed by the tool (share of stage)", result.to_frame())
    _frame("Timeline (dated records only)", result.timeline)
    _frame("Evidence used", _evidence_frame(result.evidence))
    if result.undated:
        _frame(
            "Undated records (not placed in any year"
            + (", not used as of a date)" if as_of else "; used only in the at-any-date profile)"),
            _evidence_frame(result.undated),
        )


def _evidence_frame(items: list) -> pd.DataFrame:
    return pd.DataFrame(
        [{"id": e.id, "date": e.date, "record": e.text, "sources": "; ".join(e.sources)} for e in items]
    )


@click.command("office-models")
@click.option(
    "--include-national", is_flag=True, help="Also list national agencies' own offices (JETRO, CLAIR, JNTO)."
)
@db_option
@json_option
@handle_errors
def office_models(include_national: bool, db: str | None, as_json: bool) -> None:
    """Sort local governments' overseas offices into the paper's structures and Table 3 stages.

    `one_person` is true only for the offices the paper calls one-person offices; `sequence` shows a
    change of model the paper states (Kochi: independent, later with CLAIR).

    Example:

        paradiplomacy office-models --json
    """
    frame = office_operational_models(open_registry(db), include_national=include_national)
    if as_json:
        print_json(records(frame))
    else:  # names, not keys: the keys are in --json
        _frame("Overseas offices", frame.drop(columns=["key", "owner_keys"]))


@click.command()
@click.argument("actor")
@db_option
@json_option
@handle_errors
def pillars(actor: str, db: str | None, as_json: bool) -> None:
    """An actor's strategies with their pillars (recorded or inferred) and its offices' functions.

    Example:

        paradiplomacy pillars 沖縄県
    """
    summary = actor_summary(open_registry(db), actor)
    if as_json:
        print_json(summary)
        return
    console.print(
        f"[bold]{terminal(summary['actor']['name'])}[/bold] ({terminal(summary['actor']['key'])})",
        highlight=False,
    )
    paper = summary["paper"]
    console.print(
        f"paper ({paper['source']}, {terminal(paper['locator'])}): {paper['states']}", highlight=False
    )
    strategies = pd.DataFrame(summary["strategies"])
    offices = pd.DataFrame(summary["offices"])
    if len(strategies):
        columns = ["strategy", "adopted", "pillar", "status", "by", "matched", "thin_evidence", "sources"]
        _frame("Strategies and pillars", strategies[columns])
    if len(offices):
        _frame("Office functions", offices[["office", "model", "function", "group", "sources"]])
    for pillar, offices in summary["pillars_from_offices"].items():
        console.print(terminal(f"{pillar}: served by {', '.join(offices)}"), highlight=False)


COMMANDS = [assess, classify, office_models, pillars]

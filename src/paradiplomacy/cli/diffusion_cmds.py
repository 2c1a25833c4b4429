"""Diffusion commands: ``diffusion data|fit|infer|simulate`` (policy spread among local governments)."""

from __future__ import annotations

from pathlib import Path

import click
import pandas as pd
from rich.markup import escape

from paradiplomacy.cli.options import (
    BadOption,
    console,
    db_option,
    handle_errors,
    json_option,
    open_registry,
    print_json,
)
from paradiplomacy.cli.progress import staged_progress
from paradiplomacy.cli.render import frame_table
from paradiplomacy.model.vocab import PolicyCode

_POLICIES = click.Choice(sorted(p.value for p in PolicyCode))
_TYPES = click.Choice(["prefecture", "designated_city", "city", "special_ward", "town", "village"])


def _show(frame: pd.DataFrame, title: str) -> None:
    console.print(frame_table(frame, title))


def _years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        first, _, last = value.partition("-")
        return int(first), int(last or first)
    except ValueError:
        raise BadOption(f"--years {value!r}: use A-B, e.g. 1990-2021") from None


def _events(values: tuple[str, ...]) -> dict[str, int]:
    events = {}
    for value in values:
        name, _, year = value.partition("=")
        if not name or not year.isdigit():
            raise BadOption(f"--event {value!r}: use NAME=YEAR, e.g. guidance=1989")
        events[name] = int(year)
    return events


def _types(values: tuple[str, ...]) -> tuple[str, ...] | None:
    return tuple(values) or None


@click.group()
def diffusion() -> None:
    """Spread of policies among local governments: data, hazard models, inference, simulation.

    Example:

        paradiplomacy diffusion data international_strategy
        paradiplomacy diffusion simulate international_strategy --runs 1000 --model fitted
    """


@diffusion.command("data")
@click.argument("policy", type=_POLICIES)
@click.option(
    "--type",
    "types",
    multiple=True,
    type=_TYPES,
    help="Government types at risk (default: by policy; strategies: prefectures and designated cities).",
)
@click.option("--years", help="First and last year, A-B (default: from the records).")
@click.option("--adopters", is_flag=True, help="Also list the adoption records with their sources.")
@db_option
@json_option
@handle_errors
def data_command(
    policy: str, types: tuple[str, ...], years: str | None, adopters: bool, db: str | None, as_json: bool
) -> None:
    """Adoptions of POLICY per year with the eligible governments at each date.

    Example:

        paradiplomacy diffusion data foreign_residents_assembly --adopters
        paradiplomacy diffusion data international_strategy --years 1989-2021 --json
    """
    from paradiplomacy.diffusion.data import diffusion_data

    result = diffusion_data(open_registry(db), policy, types=_types(types), years=_years(years))
    if as_json:
        print_json(result.to_dict())
        return
    _show(result.curve, f"{policy}: adoption by year (hazard and share computed)")
    if adopters:
        _show(result.adoptions[["name", "lg_type", "date", "eligible", "source"]], "adoption records")
    if not result.published.empty:
        _show(result.published.drop(columns=["measure"]), "published figures vs records (computed)")


@diffusion.command()
@click.argument("policy", type=_POLICIES)
@click.option(
    "--covariates",
    default="lg_type,log_population,neighbours,prefecture,ties,year",
    show_default=True,
    help="Comma-separated: lg_type, log_population, region, "
    "neighbours, prefecture, ties, year, prefecture_fe.",
)
@click.option(
    "--event",
    "events",
    multiple=True,
    metavar="NAME=YEAR",
    help="A national or foreign event: a dummy from YEAR on (repeatable).",
)
@click.option("--type", "types", multiple=True, type=_TYPES, help="Government types at risk.")
@click.option("--years", help="First and last year, A-B.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write observed vs fitted cumulative adoption (PNG or SVG).",
)
@db_option
@json_option
@handle_errors
def fit(
    policy: str,
    covariates: str,
    events: tuple[str, ...],
    types: tuple[str, ...],
    years: str | None,
    plot: Path | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Discrete-time (logit) hazard model of adopting POLICY, with covariates from the registry.

    Example:

        paradiplomacy diffusion fit international_strategy --plot strategy_fit.png
        paradiplomacy diffusion fit international_strategy --covariates year,neighbours --json
    """
    from paradiplomacy.diffusion.data import diffusion_data
    from paradiplomacy.diffusion.hazard import fit_hazard
    from paradiplomacy.diffusion.peers import peer_network

    registry = open_registry(db)
    data = diffusion_data(registry, policy, types=_types(types), years=_years(years))
    chosen = tuple(c.strip() for c in covariates.split(",") if c.strip())
    result = fit_hazard(
        data, peer_network(registry, data.population), covariates=chosen, events=_events(events)
    )
    if plot:
        result.plot(plot)
    if as_json:
        print_json(result.to_dict() | {"plot": str(plot) if plot else None})
        return
    _show(result.coefficients, f"{policy}: logit hazard coefficients (computed)")
    console.print(
        ", ".join(
            f"{k}: {v:.4g}" if isinstance(v, float) else f"{k}: {v}"
            for k, v in result.stats.items()
            if k != "warnings"
        )
    )
    for note in result.stats["warnings"]:
        console.print(f"[yellow]warning:[/yellow] {escape(note)}")
    _show(result.curve, "observed vs fitted cumulative adoption")
    if plot:
        console.print(f"plot written to {escape(str(plot))}", highlight=False)


@diffusion.command()
@click.argument("policies", nargs=-1, required=True, type=_POLICIES)
@click.option("--type", "types", multiple=True, type=_TYPES, help="Government types at risk.")
@click.option(
    "--ties",
    type=click.Choice(["split", "exclude"]),
    default="split",
    show_default=True,
    help="Same-year adopters: either may be the other's source (split) or neither.",
)
@click.option(
    "--missing",
    type=click.Choice(["marginalise", "drop"]),
    default="marginalise",
    show_default=True,
    help="Undated adopters: integrate their date out, or leave them out.",
)
@click.option("--alpha", default=1.0, show_default=True, help="Rate of the exponential delay (1/year).")
@click.option("--beta", default=0.5, show_default=True, help="Transmission probability of an edge.")
@click.option("--epsilon", default=0.01, show_default=True, help="Density of spontaneous adoption.")
@click.option("--max-edges", type=int, help="Stop after this many edges.")
@click.option(
    "--within-peers", is_flag=True, help="Only edges between peers (neighbours, same prefecture, ties)."
)
@db_option
@json_option
@handle_errors
def infer(
    policies: tuple[str, ...],
    types: tuple[str, ...],
    ties: str,
    missing: str,
    alpha: float,
    beta: float,
    epsilon: float,
    max_edges: int | None,
    within_peers: bool,
    db: str | None,
    as_json: bool,
) -> None:
    """Who learned from whom: a NetInf-style network behind the adoption order of POLICIES.

    Each policy is one cascade. Same-year adoptions and unknown dates are handled explicitly
    (see --ties and --missing).

    Example:

        paradiplomacy diffusion infer international_strategy nationality_clause_removed \\
            --type prefecture --type designated_city
    """
    from paradiplomacy.diffusion.inference import infer_policies

    result = infer_policies(
        open_registry(db),
        policies,
        types=_types(types),
        alpha=alpha,
        beta=beta,
        epsilon=epsilon,
        ties=ties,
        missing=missing,
        max_edges=max_edges,
        within_peers=within_peers,
    )
    if as_json:
        print_json(result.to_dict())
        return
    _show(result.edges.drop(columns=["source", "target"]), "inferred edges (computed), strongest first")
    console.print(", ".join(f"{k}: {v}" for k, v in result.settings.items()))


@diffusion.command()
@click.argument("policy", type=_POLICIES)
@click.option("--runs", default=1000, show_default=True, help="Monte Carlo runs.")
@click.option("--years", help="First and last year, A-B (default: from the records).")
@click.option(
    "--model",
    type=click.Choice(["threshold", "cascade", "bass", "fitted"]),
    default="fitted",
    show_default=True,
)
@click.option(
    "--scenario",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="YAML scenario: never_adopt, adopt, events, drop_events.",
)
@click.option("-p", "p", type=float, help="Spontaneous adoption rate (default: calibrated).")
@click.option("-q", "q", type=float, help="Peer influence (default: calibrated).")
@click.option(
    "--event",
    "events",
    multiple=True,
    metavar="NAME=YEAR",
    help="Event term of the fitted model (repeatable).",
)
@click.option("--type", "types", multiple=True, type=_TYPES, help="Government types at risk.")
@click.option("--level", default=0.9, show_default=True, help="Width of the band.")
@click.option("--seed", default=0, show_default=True)
@click.option("--backend", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--address", help="Address of a dask scheduler (default: a local cluster).")
@click.option("--chunk", default=250, show_default=True, help="Runs per task.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path), help="Write the band plot.")
@db_option
@json_option
@handle_errors
def simulate(
    policy: str,
    runs: int,
    years: str | None,
    model: str,
    scenario: Path | None,
    p: float | None,
    q: float | None,
    events: tuple[str, ...],
    types: tuple[str, ...],
    level: float,
    seed: int,
    backend: str,
    address: str | None,
    chunk: int,
    plot: Path | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Monte Carlo of POLICY over the eligible governments and their peers, against the records.

    Example:

        paradiplomacy diffusion simulate international_strategy --runs 1000 --plot band.png
        paradiplomacy diffusion simulate foreign_residents_assembly --model bass --years 1995-2005 \\
            --scenario kawasaki_never.yaml --backend dask
    """
    from paradiplomacy.diffusion.backends import require_backend

    require_backend(backend)  # a missing [diffusion] extra stops here, before any work
    from paradiplomacy.diffusion.simulate import load_scenario, simulate_policy

    with staged_progress(not as_json) as stage:
        result = simulate_policy(
            open_registry(db),
            policy,
            years=_years(years),
            model=model,
            runs=runs,
            seed=seed,
            scenario=load_scenario(scenario) if scenario else None,
            p=p,
            q=q,
            events=_events(events),
            types=_types(types),
            backend=backend,
            address=address,
            chunk=chunk,
            progress=stage,
        )
    if plot:
        result.plot(plot, level)
    if as_json:
        print_json(result.to_dict(level))
        return
    _show(result.band(level), f"{policy}: {model} model, scenario {result.scenario}, {runs} runs (computed)")
    console.print(
        f"observed inside the {level:.0%} band in {result.brackets(level):.0%} of years; "
        + ", ".join(f"{k}: {v}" for k, v in result.params.items() if k != "coefficients")
    )
    if plot:
        console.print(f"plot written to {escape(str(plot))}", highlight=False)


def _grid(value: str, name: str) -> tuple[float, ...]:
    try:
        return tuple(float(v) for v in value.split(",") if v.strip())
    except ValueError:
        raise BadOption(f"{name} {value!r}: use comma-separated numbers, e.g. 0.001,0.01") from None


@diffusion.command("sweep")
@click.argument("policy", type=_POLICIES)
@click.option(
    "--model", type=click.Choice(["threshold", "cascade", "bass"]), default="bass", show_default=True
)
@click.option(
    "-p",
    "p_grid",
    default="0.0001,0.0003,0.001,0.003,0.01,0.03,0.1",
    show_default=True,
    help="Spontaneous adoption rates to try.",
)
@click.option(
    "-q", "q_grid", default="0,0.1,0.25,0.5,0.75,1", show_default=True, help="Peer influences to try."
)
@click.option("--runs", default=100, show_default=True, help="Runs per grid point.")
@click.option("--years", help="First and last year, A-B.")
@click.option("--type", "types", multiple=True, type=_TYPES, help="Government types at risk.")
@click.option("--seed", default=0, show_default=True)
@click.option("--backend", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--address", help="Address of a dask scheduler (default: a local cluster).")
@db_option
@json_option
@handle_errors
def sweep_command(
    policy: str,
    model: str,
    p_grid: str,
    q_grid: str,
    runs: int,
    years: str | None,
    types: tuple[str, ...],
    seed: int,
    backend: str,
    address: str | None,
    db: str | None,
    as_json: bool,
) -> None:
    """Parameter sweep: every (p, q) against POLICY's observed curve, best first (one task per point).

    Example:

        paradiplomacy diffusion sweep international_strategy --model bass --backend dask
    """
    from paradiplomacy.diffusion.backends import require_backend

    require_backend(backend)  # a missing [diffusion] extra stops here, before any work
    from paradiplomacy.diffusion.simulate import sweep_policy

    with staged_progress(not as_json) as stage:
        frame = sweep_policy(
            open_registry(db),
            policy,
            model=model,
            years=_years(years),
            types=_types(types),
            runs=runs,
            seed=seed,
            p_grid=_grid(p_grid, "-p"),
            q_grid=_grid(q_grid, "-q"),
            backend=backend,
            address=address,
            progress=stage,
        )
    if as_json:
        print_json(frame.to_dict("records"))
        return
    _show(
        frame,
        f"{policy}: {model} sweep, {runs} runs per point (computed; sse = squared distance "
        "of the mean run to the records, brackets = share of years inside the 90% band)",
    )


COMMANDS = [diffusion]

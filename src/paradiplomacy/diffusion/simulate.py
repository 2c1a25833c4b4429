"""Monte Carlo simulation of a policy's spread over the eligible governments and their peer networks.

One step is one year. The simulation starts from the governments that had adopted before the first
year (from the records) and runs ``runs`` times to the last year; the result holds every run's
cumulative adoption curve, the observed curve, and bands (e.g. the 5th-95th percentiles = 90%).

Models: ``threshold``, ``cascade`` and ``bass`` (see :mod:`.engine`) on the union of the peer layers,
with ``p`` and ``q`` calibrated to the observed curve by a grid search unless given; ``fitted`` uses the
discrete-time hazard model of :mod:`.hazard` fitted to the same years.

A scenario (YAML) changes the world the runs see::

    name: Kawasaki never adopts
    never_adopt: [川崎市]                 # actor references (names, keys or codes)
    adopt: [{actor: 札幌市, year: 2000}]   # forced adoptions
    events:                               # national or foreign events: adoption probability x factor
      - {year: 1989, until: 1991, multiplier: 0.5}
    drop_events: [guidance]               # fitted model: remove an event term fitted with --event
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from paradiplomacy.diffusion.backends import Progress, chunk_sizes, map_chunks, map_tasks, require_backend
from paradiplomacy.diffusion.data import DiffusionData, DiffusionError, diffusion_data
from paradiplomacy.diffusion.engine import (
    IndependentCascade,
    LinearThreshold,
    LogitHazard,
    Model,
    NetworkBass,
    Schedule,
    adoption_curves,
    run_model,
)
from paradiplomacy.diffusion.hazard import DEFAULT_COVARIATES, fit_hazard
from paradiplomacy.diffusion.peers import LAYERS, PeerNetwork, peer_network
from paradiplomacy.diffusion.plotting import save_cumulative_plot
from paradiplomacy.store.registry import Registry

__all__ = [
    "MODELS",
    "Scenario",
    "SimulationResult",
    "build_model",
    "calibrate",
    "load_scenario",
    "simulate_policy",
    "sweep",
    "sweep_policy",
]

MODELS = ("threshold", "cascade", "bass", "fitted")
_SIMPLE = {"threshold": LinearThreshold, "cascade": IndependentCascade, "bass": NetworkBass}
P_GRID = tuple(float(v) for v in np.geomspace(1e-4, 0.1, 7))
Q_GRID = (0.0, 0.1, 0.25, 0.5, 0.75, 1.0)


@dataclass
class Scenario:
    """Interventions on the simulated world (see the module doc for the file format)."""

    name: str = "baseline"
    never_adopt: list[str] = field(default_factory=list)
    adopt: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    drop_events: list[str] = field(default_factory=list)


def load_scenario(path: str | Path) -> Scenario:
    """A scenario from a YAML file; unknown keys are an error."""
    with Path(path).open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    if not isinstance(raw, dict):
        raise DiffusionError(f"{path}: a scenario is a mapping")
    allowed = set(Scenario.__dataclass_fields__)
    extra = set(raw) - allowed
    if extra:
        raise DiffusionError(f"{path}: unknown scenario keys {sorted(extra)}; allowed {sorted(allowed)}")
    return Scenario(**raw)


@dataclass
class SimulationResult:
    """Simulated cumulative adoption (``curves``: runs x years) beside the observed curve."""

    policy: str
    model: str
    years: list[int]
    observed: np.ndarray
    curves: np.ndarray
    params: dict[str, Any]
    scenario: str = "baseline"
    adoption_share: pd.DataFrame = field(default_factory=pd.DataFrame)

    def band(self, level: float = 0.9) -> pd.DataFrame:
        """Per year: observed, mean, median and the central ``level`` band of the runs (computed)."""
        tail = (1 - level) / 2
        return pd.DataFrame(
            {
                "year": self.years,
                "observed": self.observed,
                "mean": self.curves.mean(axis=0),
                "median": np.median(self.curves, axis=0),
                "lo": np.quantile(self.curves, tail, axis=0),
                "hi": np.quantile(self.curves, 1 - tail, axis=0),
            }
        )

    def to_frame(self) -> pd.DataFrame:
        """The 90% band table."""
        return self.band()

    def brackets(self, level: float = 0.9) -> float:
        """Share of years whose observed count lies inside the band."""
        table = self.band(level)
        inside = (table["observed"] >= table["lo"]) & (table["observed"] <= table["hi"])
        return float(inside.mean())

    def to_dict(self, level: float = 0.9) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "policy": self.policy,
            "model": self.model,
            "scenario": self.scenario,
            "runs": int(self.curves.shape[0]),
            "params": self.params,
            "level": level,
            "brackets": self.brackets(level),
            "band": self.band(level).to_dict("records"),
            "most_likely_adopters": self.adoption_share.head(20).to_dict("records"),
        }

    def plot(self, path: str | Path, level: float = 0.9) -> Path:
        """The band, the median and the observed curve as an image."""
        table = self.band(level)

        def draw(axis: Any) -> None:
            axis.fill_between(
                table["year"],
                table["lo"],
                table["hi"],
                alpha=0.3,
                label=f"{level:.0%} of {self.curves.shape[0]} runs (computed)",
            )
            axis.plot(table["year"], table["median"], label="median run")
            axis.step(
                table["year"], table["observed"], where="post", color="black", label="observed (records)"
            )

        return save_cumulative_plot(
            path, f"{self.policy}: {self.model} model, scenario {self.scenario}", draw
        )


def _chunk(shared: dict[str, Any], size: int, seed: np.random.SeedSequence) -> dict[str, np.ndarray]:
    """One chunk of runs: cumulative curves (size x steps) and adoptions per government."""
    times = run_model(
        shared["model"],
        steps=shared["steps"],
        runs=size,
        initial=shared["initial"],
        schedule=shared["schedule"],
        seed=seed,
    )
    return {"curves": adoption_curves(times, shared["steps"])[:, 1:], "adopted": (times >= 0).sum(axis=1)}


def build_model(
    kind: str,
    peers: PeerNetwork,
    *,
    p: float = 0.0,
    q: float = 0.0,
    hazard: Any = None,
    years: tuple[int, int] | None = None,
    drop_events: list[str] | None = None,
) -> Model:
    """A model of ``kind`` on the peer network (``hazard``: a fitted :class:`.hazard.HazardResult`)."""
    if kind in _SIMPLE:
        return _SIMPLE[kind](peers.combined(), p=p, q=q)
    if kind != "fitted":
        raise DiffusionError(f"unknown model {kind!r}; use one of {', '.join(MODELS)}")
    if hazard is None or years is None:
        raise DiffusionError("the fitted model needs a fitted hazard model and its years")
    static = hazard.static
    base = np.full(peers.size, hazard.coefficient("const"))
    for term in static.columns:
        base += hazard.coefficient(term) * static[term].to_numpy(dtype=float)
    names = [name for name in LAYERS if name in hazard.terms]
    offsets: dict[int, float] = {}
    for term in hazard.terms:
        if term.startswith("event["):
            name = term[len("event[") : -1]
            when = int(hazard.stats["events"][name])
            if name in (drop_events or []):
                continue
            for step in range(max(1, when - years[0] + 1), years[1] - years[0] + 2):
                offsets[step] = offsets.get(step, 0.0) + hazard.coefficient(term)
    return LogitHazard(
        peers.combined(),
        base=base,
        trend=hazard.coefficient("year_trend"),
        start_value=-1.0,
        layers=[peers.layers[n] for n in names],
        betas=[hazard.coefficient(n) for n in names],
        offsets=offsets,
    )


def _grid_point(shared: dict[str, Any], point: tuple[float, float]) -> dict[str, float]:
    """One sweep point: distance of the mean curve to the observed one, and the 90% band's fit."""
    p, q = point
    observed = shared["observed"]
    steps = len(observed)
    model = build_model(shared["kind"], shared["peers"], p=p, q=q)
    times = run_model(model, steps=steps, runs=shared["runs"], initial=shared["initial"], seed=shared["seed"])
    curves = adoption_curves(times, steps)[:, 1:]
    lo, hi = np.quantile(curves, 0.05, axis=0), np.quantile(curves, 0.95, axis=0)
    return {
        "p": p,
        "q": q,
        "sse": float(np.sum((curves.mean(axis=0) - observed) ** 2)),
        "brackets": float(np.mean((observed >= lo) & (observed <= hi))),
    }


def sweep(
    kind: str,
    peers: PeerNetwork,
    observed: np.ndarray,
    initial: np.ndarray,
    *,
    runs: int = 32,
    seed: int = 0,
    p_grid: tuple[float, ...] = P_GRID,
    q_grid: tuple[float, ...] = Q_GRID,
    backend: str = "local",
    address: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> pd.DataFrame:
    """Every ``(p, q)`` of the grid with its squared distance to ``observed`` and band fit, best first.

    Each grid point is one task of the backend (see :mod:`.backends`); all points share ``seed``.
    """
    shared = {
        "kind": kind,
        "peers": peers,
        "observed": np.asarray(observed, float),
        "initial": initial,
        "runs": runs,
        "seed": seed,
    }
    points = list(itertools.product(p_grid, q_grid))
    rows = map_tasks(
        _grid_point,
        shared,
        points,
        backend=backend,
        address=address,
        client=client,
        progress=progress,
        label="sweep",
    )
    return pd.DataFrame(rows).sort_values(["sse", "p", "q"], kind="stable").reset_index(drop=True)


def calibrate(
    kind: str,
    peers: PeerNetwork,
    observed: np.ndarray,
    initial: np.ndarray,
    *,
    runs: int = 32,
    seed: int = 0,
    **options: Any,
) -> dict[str, float]:
    """The grid point whose mean curve is nearest ``observed`` (least squares); see :func:`sweep`."""
    best = sweep(kind, peers, observed, initial, runs=runs, seed=seed, **options).iloc[0]
    return {"p": float(best["p"]), "q": float(best["q"]), "sse": float(best["sse"])}


def sweep_policy(
    registry: Registry,
    policy: str,
    *,
    model: str = "bass",
    years: tuple[int, int] | None = None,
    types: tuple[str, ...] | None = None,
    runs: int = 100,
    seed: int = 0,
    **options: Any,
) -> pd.DataFrame:
    """A parameter sweep of a ``threshold``, ``cascade`` or ``bass`` model against a policy's records."""
    if model not in _SIMPLE:
        raise DiffusionError(f"a sweep needs one of {', '.join(_SIMPLE)}, not {model!r}")
    require_backend(options.get("backend", "local"), options.get("client"))
    data = diffusion_data(registry, policy, types=types, years=years)
    peers = peer_network(registry, data.population)
    initial, observed = _start(data)
    return sweep(model, peers, observed, initial, runs=runs, seed=seed, **options)


def _start(data: DiffusionData) -> tuple[np.ndarray, np.ndarray]:
    """Adopters before the first year, and the observed cumulative curve."""
    adopted_year = data.dated.set_index("actor_id")["year"]
    year_of = pd.Series(data.population["actor_id"].to_numpy()).map(adopted_year).to_numpy(dtype=float)
    initial = np.nan_to_num(year_of, nan=np.inf) < data.years[0]
    return initial, data.curve["cumulative"].to_numpy(dtype=float)


def _rows(registry: Registry, refs: list[str], data: DiffusionData) -> list[int]:
    from paradiplomacy.resolve.find import find_actor

    index = {int(a): i for i, a in enumerate(data.population["actor_id"])}
    rows = []
    for ref in refs:
        actor = find_actor(registry, str(ref), country="JP")
        if actor not in index:
            raise DiffusionError(f"{ref}: not among the governments eligible for {data.policy}")
        rows.append(index[actor])
    return rows


def simulate_policy(
    registry: Registry,
    policy: str,
    *,
    years: tuple[int, int] | None = None,
    model: str = "fitted",
    runs: int = 1000,
    seed: int = 0,
    scenario: Scenario | None = None,
    p: float | None = None,
    q: float | None = None,
    covariates: tuple[str, ...] = DEFAULT_COVARIATES,
    events: dict[str, int] | None = None,
    types: tuple[str, ...] | None = None,
    backend: str = "local",
    address: str | None = None,
    client: Any = None,
    chunk: int = 250,
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate ``policy`` over ``years`` (default: the data's years) and compare with the records."""
    if model not in MODELS:
        raise DiffusionError(f"unknown model {model!r}; use one of {', '.join(MODELS)}")
    require_backend(backend, client)
    scenario = scenario or Scenario()
    data = diffusion_data(registry, policy, types=types, years=years)
    first, last = data.years
    steps = last - first + 1
    peers = peer_network(registry, data.population)
    ids = data.population["actor_id"].to_numpy()
    year_of = pd.Series(ids).map(data.dated.set_index("actor_id")["year"]).to_numpy(dtype=float)
    initial, observed = _start(data)
    params: dict[str, Any] = {
        "years": [first, last],
        "governments": len(ids),
        "initial_adopters": int(initial.sum()),
    }
    if model == "fitted":
        hazard = fit_hazard(data, peers, covariates=covariates, events=events)
        hazard.stats["events"] = dict(events or {})
        built = build_model(
            "fitted", peers, hazard=hazard, years=(first, last), drop_events=scenario.drop_events
        )
        params["coefficients"] = dict(
            zip(hazard.coefficients["term"], hazard.coefficients["coef"].round(4), strict=True)
        )
    else:
        if p is None or q is None:
            fitted = calibrate(
                model,
                peers,
                observed,
                initial,
                seed=seed,
                backend=backend,
                address=address,
                client=client,
                progress=progress,
            )
            p = fitted["p"] if p is None else p
            q = fitted["q"] if q is None else q
            params["calibrated"] = True
        built = build_model(model, peers, p=p, q=q)
        params.update({"p": p, "q": q})
    schedule = Schedule()
    if scenario.never_adopt:
        blocked = np.zeros(len(ids), bool)
        blocked[_rows(registry, scenario.never_adopt, data)] = True
        schedule.blocked = blocked
    for item in scenario.adopt:
        (row,) = _rows(registry, [item["actor"]], data)
        schedule.scheduled.append((row, int(item["year"]) - first + 1))
    for event in scenario.events:
        until = int(event.get("until", event["year"]))
        for year in range(int(event["year"]), until + 1):
            step = year - first + 1
            schedule.multiplier[step] = schedule.multiplier.get(step, 1.0) * float(event["multiplier"])
    shared = {"model": built, "steps": steps, "initial": initial, "schedule": schedule}
    parts = map_chunks(
        _chunk,
        shared,
        chunk_sizes(runs, chunk),
        seed,
        backend=backend,
        address=address,
        client=client,
        progress=progress,
    )
    curves = np.concatenate([part["curves"] for part in parts], axis=0)
    adopted = sum(part["adopted"] for part in parts) / runs
    share = pd.DataFrame(
        {
            "actor_id": ids,
            "name": data.population["name"],
            "observed_year": year_of,
            "simulated_share": adopted,
        }
    )
    share = share.sort_values("simulated_share", ascending=False, kind="stable").reset_index(drop=True)
    return SimulationResult(
        policy=policy,
        model=model,
        years=list(range(first, last + 1)),
        observed=observed,
        curves=curves,
        params=params,
        scenario=scenario.name,
        adoption_share=share,
    )

"""Partner matching and policy diffusion over HTTP, computed in the background.

Each endpoint answers ``{"status", "seconds", "error", "result"}``: ``200`` with the result when it
is ready, ``202`` (``Retry-After``) while it is queued or running, ``400`` when the library refuses
the request. ``wait`` (seconds, at most 60) holds the answer until the result is ready or the time
is up. The result is what the library function returns (as ``paradiplomacy match --json`` and
``paradiplomacy diffusion ... --json`` print).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, Response

from paradiplomacy.api.convert import jsonable
from paradiplomacy.api.jobs import Job
from paradiplomacy.api.routes import Reader, resolve
from paradiplomacy.errors import ParadiplomacyError
from paradiplomacy.model.vocab import PolicyCode

__all__ = ["POLICIES", "diffusion_job", "match_job", "router"]

router = APIRouter(prefix="/api")
POLICIES = tuple(p.value for p in PolicyCode if p != PolicyCode.OTHER)
Wait = Annotated[float, Query(ge=0, le=60, description="seconds to hold the answer for the result")]


def _answer(job: Job, response: Response) -> dict[str, Any]:
    if job.status == "error":
        raise HTTPException(400, job.error)
    if job.status != "done":
        response.status_code = 202
        response.headers["Retry-After"] = "2"
    return {**job.state(), "result": job.result if job.status == "done" else None}


def _graph(request: Request, stamp: object):
    """The tie graph matching ranks on, built once per registry state."""
    from paradiplomacy.matching.graph import load_graph

    held = request.app.state.graph
    if held.get("stamp") != stamp or "graph" not in held:
        held.clear()
        held.update(stamp=stamp, graph=load_graph(request.app.state.registry))
    return held["graph"]


def match_job(
    request: Request,
    ref: str,
    *,
    top: int = 10,
    goal: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    domestic: bool = False,
    wait: float = 0.0,
) -> Job:
    """Start (or find) the ranking of partner candidates for ``ref``; 404 for an unknown actor."""
    from paradiplomacy.matching.recommend import recommend
    from paradiplomacy.store.schema import Actor

    registry = request.app.state.registry
    actor_id = resolve(registry, ref)
    with registry.reader() as session:
        key = session.get(Actor, actor_id)
        if key is None:
            raise HTTPException(404, f"no actor {ref}")
        key = key.key
    stamp = request.app.state.profiles.stamp()
    country = country.upper() if country else None

    def work() -> dict[str, Any]:
        graph = _graph(request, stamp)
        return jsonable(
            recommend(
                registry,
                key,
                top=top,
                goal=goal,
                country=country,
                kind=kind,
                explain=True,
                graph=graph,
                domestic=domestic,
            )
        )

    return request.app.state.jobs["match"].run(
        ("match", key, top, goal, country, kind, domestic, stamp),
        work,
        wait=wait,
        expected=(ParadiplomacyError,),
    )


@router.get("/match/{ref}", tags=["analysis"])
def match(
    request: Request,
    response: Response,
    _: Reader,
    ref: str,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    goal: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    domestic: bool = False,
    wait: Wait = 0.0,
) -> dict[str, Any]:
    """Ranked partner candidates for an actor with each feature's contribution to the score (as
    ``paradiplomacy match ACTOR --explain``). The first request fits the model on every tie (a minute
    or more; then cached until the registry changes): poll until ``status`` is ``done``."""
    return _answer(
        match_job(
            request,
            ref,
            top=top,
            goal=goal or None,
            country=country or None,
            kind=kind or None,
            domestic=domestic,
            wait=wait,
        ),
        response,
    )


def _types(value: str | None) -> tuple[str, ...] | None:
    return tuple(t.strip() for t in value.split(",") if t.strip()) if value else None


def _years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    first, _, last = value.partition("-")
    try:
        return int(first), int(last or first)
    except ValueError:
        raise HTTPException(400, f"years {value!r}: use A-B, e.g. 1990-2021") from None


def diffusion_job(
    request: Request,
    policy: str,
    view: str,
    *,
    types: str | None = None,
    years: str | None = None,
    model: str = "fitted",
    runs: int = 200,
    seed: int = 0,
    level: float = 0.9,
    wait: float = 0.0,
) -> Job:
    """Start (or find) one diffusion computation: ``data``, ``fit`` or ``simulate``."""
    if policy not in POLICIES:
        raise HTTPException(404, f"unknown policy {policy!r}: choose one of {', '.join(POLICIES)}")
    registry = request.app.state.registry
    chosen_types, chosen_years = _types(types), _years(years)

    def work() -> dict[str, Any]:
        from paradiplomacy.diffusion.data import diffusion_data

        if view == "simulate":
            from paradiplomacy.diffusion.simulate import simulate_policy

            result = simulate_policy(
                registry, policy, years=chosen_years, model=model, runs=runs, seed=seed, types=chosen_types
            )
            return jsonable(result.to_dict(level))
        data = diffusion_data(registry, policy, types=chosen_types, years=chosen_years)
        if view == "data":
            return jsonable(data.to_dict())
        from paradiplomacy.diffusion.hazard import fit_hazard
        from paradiplomacy.diffusion.peers import peer_network

        fitted = fit_hazard(data, peer_network(registry, data.population))
        return jsonable(fitted.to_dict() | {"observed": data.curve.to_dict("records")})

    key = (
        "diffusion",
        policy,
        view,
        chosen_types,
        chosen_years,
        (model, runs, seed, level) if view == "simulate" else None,
        request.app.state.profiles.stamp(),
    )
    return request.app.state.jobs["diffusion"].run(key, work, wait=wait, expected=(ParadiplomacyError,))


@router.get("/diffusion/{policy}/data", tags=["analysis"])
def diffusion_data(
    request: Request,
    response: Response,
    _: Reader,
    policy: str,
    types: str | None = None,
    years: str | None = None,
    wait: Wait = 0.0,
) -> dict[str, Any]:
    """Adoptions of a policy per year with the eligible governments (as ``paradiplomacy diffusion
    data``); ``types`` comma-separated government types, ``years`` A-B."""
    return _answer(diffusion_job(request, policy, "data", types=types, years=years, wait=wait), response)


@router.get("/diffusion/{policy}/fit", tags=["analysis"])
def diffusion_fit(
    request: Request,
    response: Response,
    _: Reader,
    policy: str,
    types: str | None = None,
    years: str | None = None,
    wait: Wait = 0.0,
) -> dict[str, Any]:
    """The discrete-time hazard model of adoption with the default covariates: coefficients, fit
    statistics, observed vs fitted cumulative adoption (as ``paradiplomacy diffusion fit``)."""
    return _answer(diffusion_job(request, policy, "fit", types=types, years=years, wait=wait), response)


@router.get("/diffusion/{policy}/simulate", tags=["analysis"])
def diffusion_simulate(
    request: Request,
    response: Response,
    _: Reader,
    policy: str,
    model: str = "fitted",
    runs: Annotated[int, Query(ge=10, le=5000)] = 200,
    seed: int = 0,
    level: Annotated[float, Query(gt=0, lt=1)] = 0.9,
    types: str | None = None,
    years: str | None = None,
    wait: Wait = 0.0,
) -> dict[str, Any]:
    """Monte Carlo runs of a diffusion model against the records: the band of simulated cumulative
    adoption per year (as ``paradiplomacy diffusion simulate``)."""
    return _answer(
        diffusion_job(
            request,
            policy,
            "simulate",
            types=types,
            years=years,
            model=model,
            runs=runs,
            seed=seed,
            level=level,
            wait=wait,
        ),
        response,
    )

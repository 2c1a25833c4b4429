"""Pages of partner matching and policy diffusion. Their computations run in the background: a page
whose result is not ready says so and reloads itself every few seconds until it is."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse

from paradiplomacy.api import analysis
from paradiplomacy.i18n import translate, vocabulary
from paradiplomacy.web.charts import Series, line_chart
from paradiplomacy.web.pages import Reader, page_lang, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
FIRST_WAIT = 1.5  # seconds a page waits for a quick result before answering "computing"


def _query(**params: Any) -> str:
    return urlencode({k: v for k, v in params.items() if v not in (None, "")})


@router.get("/match", response_class=HTMLResponse)
def match_page(
    request: Request,
    _: Reader,
    actor: str = "",
    goal: str = "",
    country: str = "",
    kind: str = "",
    top: int = 10,
) -> HTMLResponse:
    """Partner candidates for an actor, each with the features that put it there."""
    from paradiplomacy.matching.recommend import KINDS
    from paradiplomacy.matching.themes import GOALS

    top = max(1, min(top, 100))
    job, error = None, None
    if actor.strip():
        try:
            job = analysis.match_job(
                request,
                actor.strip(),
                top=top,
                goal=goal or None,
                country=country or None,
                kind=kind or None,
                wait=FIRST_WAIT,
            )
        except HTTPException as problem:
            if problem.status_code != 404:
                raise
            error = problem.detail
    query = _query(top=top, goal=goal, country=country, kind=kind)
    json_url = f"/api/match/{quote(actor.strip(), safe='')}?{query}" if job else None
    return render(
        request,
        "match.html",
        json_url,
        actor=actor,
        goal=goal,
        country=country,
        kind=kind,
        top=top,
        goals=list(GOALS),
        kinds=list(KINDS),
        job=job,
        not_found=error,
        result=job.result if job and job.status == "done" else None,
    )


VIEWS = ("data", "fit", "simulate")


@router.get("/diffusion", response_class=HTMLResponse)
def diffusion_page(
    request: Request,
    _: Reader,
    policy: str = "international_strategy",
    view: str = "data",
    model: str = "fitted",
    runs: int = 200,
    years: str = "",
) -> HTMLResponse:
    """A policy's adoption curve, its fitted hazard model or simulated runs, with the chart."""
    from paradiplomacy.diffusion.simulate import MODELS

    if view not in VIEWS:
        raise HTTPException(404, f"no view {view!r}: choose one of {', '.join(VIEWS)}")
    if model not in MODELS:
        raise HTTPException(400, f"unknown model {model!r}: choose one of {', '.join(MODELS)}")
    runs = max(10, min(runs, 5000))
    job = analysis.diffusion_job(
        request, policy, view, years=years or None, model=model, runs=runs, wait=FIRST_WAIT
    )
    result = job.result if job.status == "done" else None
    extra = _query(model=model, runs=runs) if view == "simulate" else ""
    json_url = f"/api/diffusion/{policy}/{view}?{_query(years=years)}&{extra}".rstrip("?&")
    return render(
        request,
        "diffusion.html",
        json_url,
        policy=policy,
        view=view,
        model=model,
        runs=runs,
        years=years,
        policies=analysis.POLICIES,
        views=VIEWS,
        models=MODELS,
        job=job,
        result=result,
        chart=_chart(policy, view, result, page_lang(request)) if result else None,
    )


def _chart(policy: str, view: str, result: dict[str, Any], lang: str = "en"):
    """The cumulative adoption chart of one result, its text in ``lang``."""

    def _(message: str, **values: Any) -> str:
        return translate(message, lang, **values)

    name = vocabulary(policy, lang)
    if view == "data":
        curve = result["curve"]
        years = [r["year"] for r in curve]
        series = [Series(_("adopters (records)"), years, [r["cumulative"] for r in curve], "step")]
        title = _("{policy}: cumulative adoption", policy=name)
    elif view == "fit":
        curve = result["curve"]
        years = [r["year"] for r in curve]
        series = [
            Series(_("observed (records)"), years, [r["observed"] for r in curve], "step"),
            Series(_("fitted (computed)"), years, [r["fitted"] for r in curve]),
        ]
        title = _("{policy}: discrete-time hazard model", policy=name)
    else:
        band = result["band"]
        years = [r["year"] for r in band]
        series = [
            Series(
                _("{level} of {runs} runs", level=f"{result['level']:.0%}", runs=result["runs"]),
                years,
                [r["lo"] for r in band],
                "band",
                [r["hi"] for r in band],
            ),
            Series(_("median run"), years, [r["median"] for r in band]),
            Series(_("observed (records)"), years, [r["observed"] for r in band], "step"),
        ]
        title = _(
            "{policy}: {model} model, {runs} runs",
            policy=name,
            model=vocabulary(result["model"], lang),
            runs=result["runs"],
        )
    return line_chart(
        series,
        title=title,
        x_label=_("year"),
        y_label=_("governments that adopted"),
        empty=_("nothing to draw"),
    )

"""HTML pages. Each page shows what its JSON twin under ``/api`` returns, from the same function."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jinja2
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from paradiplomacy.api import routes as api
from paradiplomacy.api.convert import records
from paradiplomacy.api.security import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    check_csrf,
    csrf_token,
    current_user,
    require_reader,
)
from paradiplomacy.i18n import translate, vocabulary
from paradiplomacy.model.formatting import date_text
from paradiplomacy.web.language import (
    LANG_COOKIE,
    LANG_COOKIE_AGE,
    install_language,
    page_lang,
    page_message,
    switch_urls,
)

__all__ = ["error_page", "page_lang", "router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]
_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
install_language(_env)  # _("..."), |vocab, |date, |when, |number, |cell, page_message() for every template
templates = Jinja2Templates(env=_env)
SHOWN_TIES = 200


def render(
    request: Request, name: str, json_url: str | None = None, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page in the reader's language (:func:`page_lang`) with the signed-in user, the CSRF token,
    the language switch and the link to its JSON twin; ``?lang=`` is kept in a cookie."""
    lang = page_lang(request)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "user": current_user(request),
            "csrf": csrf_token(request),
            "json_url": json_url,
            "lang": lang,
            "lang_urls": switch_urls(request),
            **context,
        },
        status_code=status,
    )
    secure = request.app.state.secure_cookies
    if not request.cookies.get(CSRF_COOKIE):
        response.set_cookie(CSRF_COOKIE, csrf_token(request), samesite="strict", secure=secure)
    if request.query_params.get("lang") == lang and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=LANG_COOKIE_AGE, samesite="lax", secure=secure)
    return response


def error_page(request: Request, status: int, detail: Any) -> HTMLResponse:
    """An error as a page (the API answers the same error as JSON)."""
    if isinstance(detail, dict):
        message, candidates = detail.get("reason", ""), detail.get("candidates", [])
    else:
        message, candidates = str(detail), []
    message = page_message(message, page_lang(request))
    return render(request, "error.html", status=status, code=status, message=message, candidates=candidates)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, _: Reader, q: str = "", country: str = "") -> HTMLResponse:
    """Search in Japanese or English; ambiguous names show ranked candidates."""
    found = api.search(request, None, q, country or None, 20)["candidates"] if q.strip() else []
    return render(
        request, "search.html", f"/api/search?{urlencode({'q': q})}" if q else None, q=q, candidates=found
    )


@router.get("/actor/{ref}", response_class=HTMLResponse)
def actor_page(request: Request, _: Reader, ref: str) -> HTMLResponse:
    """Names, code, history, ties on a map, offices, strategies, adoptions: each fact with sources."""
    profile = json.loads(api.actor_json(request, ref))
    return render(
        request,
        "actor.html",
        f"/api/actors/id:{profile['id']}",
        p=profile,
        map_url=f"/api/actors/id:{profile['id']}/map",
        map_labels=map_labels(page_lang(request), profile["ties"]),
    )


def map_labels(lang: str, ties: list[dict[str, Any]]) -> dict[str, Any]:
    """The actor map's text in ``lang`` (``map.js`` reads it from a data attribute): the notes, the
    labels of tie kinds and statuses and each tie's start date as the page writes it."""
    from paradiplomacy.model.vocab import TieKind, TieStatus

    return {
        "no_coordinates": translate("This actor has no coordinates: no map.", lang),
        "one_line": translate("1 tie line drawn", lang),
        "lines": translate("{n} tie lines drawn", lang),
        "unplaced": translate("{n} partners without coordinates not drawn", lang),
        "failed": translate("The map could not be drawn:", lang),
        "separator": "、" if lang == "ja" else "; ",
        "end": "。" if lang == "ja" else ".",
        "vocabulary": {str(v): vocabulary(str(v), lang) for v in (*TieKind, *TieStatus)},
        "starts": {str(t["id"]): date_text(t["start"], lang) for t in ties if t.get("start")},
    }


@router.get("/ties", response_class=HTMLResponse)
def ties_page(request: Request, _: Reader) -> HTMLResponse:
    """The tie explorer: filters, the first rows, CSV and JSON downloads."""
    params = {k: v for k, v in request.query_params.items() if k in api.TIE_FILTERS and v.strip()}
    frame, left_out = api.ties_query(request.app.state.registry, params)
    query = urlencode(params)
    return render(
        request,
        "ties.html",
        f"/api/ties?{query}",
        params=params,
        left_out=left_out,
        total=len(frame),
        rows=records(frame.head(SHOWN_TIES)),
        shown=SHOWN_TIES,
        csv_url=f"/api/ties?{urlencode({**params, 'format': 'csv'})}",
        kinds=_tie_kinds(),
        statuses=_statuses(),
    )


@router.get("/stats", response_class=HTMLResponse)
def stats_page(
    request: Request, _: Reader, measure: str = "affiliations", by: str = "", as_of: str = ""
) -> HTMLResponse:
    """The statistics and coverage dashboard (each table as in ``paradiplomacy stats``)."""
    from paradiplomacy.analysis.tables import STATS

    data = api.stats(request, None, measure, by or None, as_of or None)
    query = urlencode({k: v for k, v in {"by": by, "as_of": as_of}.items() if v})
    rows = data["rows"]
    return render(
        request,
        "stats.html",
        f"/api/stats/{measure}?{query}",
        measure=measure,
        by=by,
        as_of=as_of,
        stats=STATS,
        rows=rows,
        columns=list(rows[0]) if rows else [],
    )


@router.get("/report", response_class=HTMLResponse)
def report_page(request: Request, _: Reader, as_of: str = "2001-04-01") -> HTMLResponse:
    """The report document (self-contained HTML, as ``paradiplomacy report``)."""
    return api.report(request, None, as_of)


@router.get("/network", response_class=HTMLResponse)
def network_page(request: Request, _: Reader, actor: str = "", depth: int = 1) -> HTMLResponse:
    """An actor's ego network, drawn in the browser from its JSON twin."""
    url = f"/api/network/ego/{actor}?depth={depth}" if actor else None
    ego = api.ego(request, None, actor, depth, 200) if actor else None
    return render(request, "network.html", url, actor=actor, depth=depth, ego=ego)


@router.get("/coalitions", response_class=HTMLResponse)
def coalitions_page(request: Request, _: Reader) -> HTMLResponse:
    """The coalitions, each linking to its assessment."""
    return render(
        request, "coalitions.html", "/api/coalitions", coalitions=api.coalitions(request, None)["coalitions"]
    )


@router.get("/coalitions/{ref}", response_class=HTMLResponse)
def assessment_page(request: Request, _: Reader, ref: str) -> HTMLResponse:
    """Takao's criteria for one coalition, with levels, the paper's statements and evidence."""
    return render(
        request, "assessment.html", f"/api/coalitions/{ref}/assessment", a=api.assessment(request, None, ref)
    )


@router.get("/channels", response_class=HTMLResponse)
def channels_page(
    request: Request, _: Reader, origin: str = "", target: str = "", max_hops: int = 4
) -> HTMLResponse:
    """The channel finder: conventional, local-diplomacy and boomerang routes, hop by hop."""
    report = api.channels(request, None, origin, target, max_hops, 10) if origin and target else None
    url = f"/api/channels?{urlencode({'origin': origin, 'target': target})}" if report else None
    return render(request, "channels.html", url, origin=origin, target=target, report=report)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    """The sign-in form."""
    return render(request, "login.html", None, next=_safe_next(next), error=None)


def _safe_next(target: str) -> str:
    """Only local paths, never another site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    name: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Check the password (rate-limited), open a session, go back where the user was."""
    from paradiplomacy.curation.accounts import SESSION_TTL, authenticate, issue_token

    check_csrf(request, csrf)
    limiter = request.app.state.limiter
    key = f"{request.client.host if request.client else '-'}:{name}"
    limiter.check(key)
    user = authenticate(request.app.state.registry, name, password)
    if user is None:
        limiter.failed(key)
        return render(
            request, "login.html", None, status=401, next=_safe_next(next), error="wrong name or password"
        )
    limiter.succeeded(key)
    token, _ = issue_token(request.app.state.registry, user["id"], "session")
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request.app.state.secure_cookies,
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
    """End the session."""
    from paradiplomacy.curation.accounts import revoke_token

    check_csrf(request, csrf)
    if token := request.cookies.get(SESSION_COOKIE):
        revoke_token(request.app.state.registry, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _tie_kinds() -> list[str]:
    from paradiplomacy.model.vocab import TieKind

    return [str(k) for k in TieKind]


def _statuses() -> list[str]:
    from paradiplomacy.model.vocab import TieStatus

    return [str(s) for s in TieStatus]

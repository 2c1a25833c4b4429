"""The JSON endpoints. Each calls one library function, the same one the CLI command calls."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response

from paradiplomacy.api.convert import jsonable, records
from paradiplomacy.api.security import require_editor, require_reader
from paradiplomacy.store.registry import Registry

__all__ = ["TIE_FILTERS", "resolve", "router", "tie_filters"]

router = APIRouter(prefix="/api")
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]
Editor = Annotated[dict[str, Any], Depends(require_editor)]
TIE_FILTERS = (
    "actor",
    "prefecture",
    "country",
    "kind",
    "since",
    "until",
    "status",
    "as_of",
    "with_predecessors",
)
_TRUE = {"1", "true", "yes", "on"}


def _registry(request: Request) -> Registry:
    return request.app.state.registry


def resolve(registry: Registry, ref: str) -> int:
    """An actor id from ``id:N`` (or N unless it has 5 or 6 digits, a code), a key, a code or a name;
    404 with candidates when it names none or several."""
    from paradiplomacy.resolve.find import ActorNotFound, find_actor

    if ref.startswith("id:") and ref[3:].isdigit():
        return int(ref[3:])
    if ref.isdigit() and len(ref) not in (5, 6):  # 5 or 6 digits are a local-government code
        return int(ref)
    try:
        return find_actor(registry, ref)
    except ActorNotFound as error:
        raise HTTPException(404, {"reason": error.reason, "candidates": list(error.candidates)}) from None


@router.get("/search", tags=["actors"])
def search(
    request: Request,
    _: Reader,
    q: str,
    country: str | None = None,
    limit: int = 10,
    as_of: str | None = None,
) -> dict[str, Any]:
    """Ranked candidates for a name in any script, or a code (as ``paradiplomacy search``);
    ``as_of`` keeps the bodies that existed on that date."""
    from paradiplomacy.model.dates import user_day
    from paradiplomacy.resolve.find import search_actors

    try:
        day = user_day(as_of) if as_of else None
    except ValueError as error:
        raise HTTPException(400, {"reason": f"as_of: {error}"}) from None
    registry = _registry(request)
    found = search_actors(registry, q, country=country, limit=min(limit, 100), as_of=day) if q.strip() else []
    return {"query": q, "candidates": jsonable(found)}


JSON_OBJECT = {200: {"content": {"application/json": {"schema": {"type": "object"}}}}}


def actor_json(request: Request, ref: str) -> bytes:
    """The profile of the actor ``ref`` names, as JSON (kept until the registry changes)."""
    actor_id = resolve(_registry(request), ref)
    try:
        return request.app.state.profiles.profile_json(actor_id)
    except KeyError:
        raise HTTPException(404, f"no actor {ref}") from None


@router.get("/actors/{ref}", tags=["actors"], response_class=Response, responses=JSON_OBJECT)
def actor(request: Request, _: Reader, ref: str) -> Response:
    """An actor's profile, every fact with its sources (as ``paradiplomacy show --json``)."""
    return Response(actor_json(request, ref), media_type="application/json")


@router.get("/actors/{ref}/map", tags=["actors"], response_class=Response, responses=JSON_OBJECT)
def actor_map(request: Request, _: Reader, ref: str) -> Response:
    """The actor's ties as GeoJSON: its point, its partners and a line to each."""
    from paradiplomacy.analysis.tie_map import tie_map

    registry = _registry(request)
    actor_id = resolve(registry, ref)
    try:
        body = request.app.state.profiles.json(
            ("map", actor_id), lambda: jsonable(tie_map(registry, actor_id))
        )
    except KeyError:
        raise HTTPException(404, f"no actor {ref}") from None
    return Response(body, media_type="application/geo+json")


def tie_filters(params: dict[str, str | None]) -> dict[str, Any]:
    """Query parameters -> ``ties_frame`` keyword arguments (comma lists split, blanks dropped)."""
    out: dict[str, Any] = {}
    for name in TIE_FILTERS:
        value = (params.get(name) or "").strip()
        if not value:
            continue
        if name == "country":
            out[name] = [_country(v.strip()) for v in value.split(",") if v.strip()]
        elif name in ("kind", "status"):
            out[name] = [v.strip() for v in value.split(",") if v.strip()]
        elif name == "with_predecessors":
            out[name] = value.lower() in _TRUE
        else:
            out[name] = value
    return out


def _country(text: str) -> str:
    """An ISO code for a country code, name or alias (``UK``, ``韓国``); 400 when none."""
    from paradiplomacy.ingest.errors import FieldError
    from paradiplomacy.ingest.fields import country

    try:
        return country("country", text) or ""
    except FieldError as error:
        raise HTTPException(400, error.reason) from None


def ties_query(registry: Registry, params: dict[str, str | None]) -> tuple[Any, dict[str, int]]:
    """``ties_frame`` with the request's filters, and what they left out that a user would miss:
    ``{"without a start date": n, ...}`` for the dates, ``held through former municipalities`` for
    an actor's ties signed by its predecessors; 400 for a bad filter, 404 for an unknown actor."""
    from collections import Counter

    from paradiplomacy.analysis.directory import held_through_predecessors, ties_frame
    from paradiplomacy.resolve.find import ActorNotFound
    from paradiplomacy.store.registry import RegistryError

    filters = tie_filters(params)
    actor_ref = filters.pop("actor", None)
    left_out: Counter[str] = Counter()
    try:
        frame = ties_frame(registry, actor_ref, left_out=left_out, **filters)
        if actor_ref and not filters.get("with_predecessors"):
            held = held_through_predecessors(registry, actor_ref, len(frame), **filters)
            left_out["held through former municipalities"] = held
        return frame, {why: n for why, n in left_out.items() if n}
    except ActorNotFound as error:
        raise HTTPException(404, {"reason": error.reason, "candidates": list(error.candidates)}) from None
    except RegistryError as error:
        raise HTTPException(400, str(error)) from None


@router.get("/ties", tags=["ties"], response_model=None)
def ties(
    request: Request,
    _: Reader,
    actor: str | None = None,
    prefecture: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    since: str | None = None,
    until: str | None = None,
    status: str | None = None,
    as_of: str | None = None,
    with_predecessors: bool = False,
    limit: Annotated[int, Query(ge=0, le=100_000)] = 1000,
    offset: int = 0,
    format: str = "json",
) -> Any:
    """Ties of Japanese local governments (as ``paradiplomacy ties``); ``format=csv`` for a file
    (UTF-8 with a byte-order mark, so that Excel reads the kanji). ``left_out`` counts the ties the
    filters hid that a user would miss (undated ties under a date filter; an actor's ties held
    through its former municipalities without ``with_predecessors``)."""
    frame, left_out = ties_query(_registry(request), dict(request.query_params))
    total = len(frame)
    if format == "csv":
        return Response(
            "\ufeff" + frame.to_csv(index=False),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="ties.csv"'},
        )
    page = frame.iloc[offset : offset + limit]
    return {"total": total, "offset": offset, "limit": limit, "left_out": left_out, "ties": records(page)}


@router.get("/stats/{measure}", tags=["statistics"])
def stats(
    request: Request, _: Reader, measure: str, by: str | None = None, as_of: str | None = None
) -> dict[str, Any]:
    """A statistics table (as ``paradiplomacy stats MEASURE --by BY``)."""
    from paradiplomacy.analysis.tables import stats_table

    try:
        frame = stats_table(_registry(request), measure, by=by, as_of=as_of)
    except ValueError as error:
        raise HTTPException(400, str(error)) from None
    return {"measure": measure, "by": by, "rows": records(frame)}


@router.get("/report", tags=["statistics"], response_class=HTMLResponse)
def report(request: Request, _: Reader, as_of: str = "2001-04-01") -> HTMLResponse:
    """The report: the literature's figures reproduced from the registry (as ``paradiplomacy report``)."""
    from paradiplomacy.curation.audit import audit_log
    from paradiplomacy.report.document import render_html

    registry = _registry(request)
    latest = audit_log(registry, limit=1)
    key = (as_of, latest[0]["id"] if latest else 0)  # a new edit makes a new report
    cache: dict[tuple[str, int], str] = request.app.state.reports
    if key not in cache:
        cache.clear()
        cache[key] = render_html(registry, as_of=as_of)
    return HTMLResponse(cache[key])


@router.get("/network/ego/{ref}", tags=["network"])
def ego(
    request: Request,
    _: Reader,
    ref: str,
    depth: Annotated[int, Query(ge=1, le=3)] = 1,
    max_nodes: Annotated[int, Query(ge=2, le=2000)] = 200,
) -> dict[str, Any]:
    """The neighbourhood of an actor (as ``paradiplomacy network ego``)."""
    from paradiplomacy.analysis.network_ego import ego_network
    from paradiplomacy.resolve.find import ActorNotFound

    try:
        return jsonable(ego_network(_registry(request), ref, depth=depth, max_nodes=max_nodes).to_dict())
    except ActorNotFound as error:
        raise HTTPException(404, {"reason": error.reason, "candidates": list(error.candidates)}) from None


@router.get("/coalitions", tags=["coalitions"])
def coalitions(request: Request, _: Reader) -> dict[str, Any]:
    """The coalitions in the registry (as ``paradiplomacy assess --list``)."""
    from paradiplomacy.frameworks.coalition_assessment import list_coalitions

    return {"coalitions": records(list_coalitions(_registry(request)))}


@router.get("/coalitions/{ref}/assessment", tags=["coalitions"])
def assessment(request: Request, _: Reader, ref: str) -> dict[str, Any]:
    """Takao's coalition criteria, evidence by evidence (as ``paradiplomacy assess``)."""
    from paradiplomacy.frameworks.coalition_assessment import assess_coalition
    from paradiplomacy.store.registry import RegistryError

    try:
        return jsonable(assess_coalition(_registry(request), ref).as_dict())
    except RegistryError as error:
        raise HTTPException(404, str(error)) from None


@router.get("/channels", tags=["network"])
def channels(
    request: Request,
    _: Reader,
    origin: str,
    target: str,
    max_hops: Annotated[int, Query(ge=1, le=6)] = 4,
    limit: int = 10,
) -> dict[str, Any]:
    """Access channels from an actor or coalition to a state or actor (as ``paradiplomacy channels``)."""
    from paradiplomacy.analysis.channels import access_channels
    from paradiplomacy.store.registry import RegistryError

    try:
        return jsonable(
            access_channels(_registry(request), origin, target, max_hops=max_hops, limit=limit).to_dict()
        )
    except RegistryError as error:
        raise HTTPException(404, str(error)) from None


@router.post("/tokens", tags=["accounts"])
def token(request: Request, name: Annotated[str, Body()], password: Annotated[str, Body()]) -> dict[str, Any]:
    """An API token (``Authorization: Bearer ...``) for a user, valid 30 days; sign-ins are rate-limited."""
    from paradiplomacy.curation.accounts import authenticate, issue_token

    limiter = request.app.state.limiter
    key = f"{request.client.host if request.client else '-'}:{name}"
    limiter.check(key)
    user = authenticate(_registry(request), name, password)
    if user is None:
        limiter.failed(key)
        raise HTTPException(401, "wrong name or password")
    limiter.succeeded(key)
    value, expires = issue_token(_registry(request), user["id"], "api")
    return {"token": value, "expires": expires, "user": user}


from paradiplomacy.api.editing import router as _editing  # noqa: E402  (its routes join /api)

router.include_router(_editing)

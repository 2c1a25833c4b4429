"""The unresolved queue in the browser: ``/unresolved`` lists the rows an import kept aside, with
their candidates; editors choose a candidate, create the place or reject the row (POST, CSRF-checked,
then a redirect), each step audited. The JSON twin is ``/api/unresolved``."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from paradiplomacy.api.queue_routes import queue_listing, resolve_step
from paradiplomacy.api.security import check_csrf, current_user, require_reader
from paradiplomacy.web.pages import error_page, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]
_FILTERS = ("source", "field", "reason", "status")


@router.get("/unresolved", response_class=HTMLResponse)
def unresolved_page(
    request: Request,
    _: Reader,
    source: str = "",
    field: str = "",
    reason: str = "",
    status: str = "open",
) -> HTMLResponse:
    """The queue, filtered by source, field, reason and status, with the counts by reason."""
    params = {"source": source, "field": field, "reason": reason, "status": status or "open"}
    listing = queue_listing(request, source or None, field or None, reason or None, params["status"])
    query = urlencode({k: v for k, v in params.items() if v})
    return render(
        request,
        "unresolved.html",
        f"/api/unresolved?{query}",
        params=params,
        listing=listing,
        back=f"?{query}" if query else "",
        statuses=("open", "picked", "created", "rejected", "all"),
    )


@router.post("/unresolved/{row_id}/resolve")
def resolve_form(
    request: Request,
    row_id: int,
    step: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    pick: Annotated[int | None, Form()] = None,
    note: Annotated[str, Form()] = "",
    back: Annotated[str, Form()] = "",
) -> Response:
    """One step from the queue page: ``step`` is pick (with ``pick``), create or reject."""
    check_csrf(request, csrf)
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "sign in as an editor")
    if user["role"] != "editor":
        raise HTTPException(403, "viewers may only read")
    if step not in ("pick", "create", "reject"):
        return error_page(request, 400, f"unknown step {step!r}: pick, create or reject")
    body: dict[str, Any] = {"note": note} | ({"pick": pick} if step == "pick" else {step: True})
    try:
        resolve_step(request, user, row_id, body)
    except HTTPException as error:
        return error_page(request, error.status_code, error.detail)
    target = "/unresolved" + (back if back.startswith("?") and "\n" not in back else "")
    return RedirectResponse(f"{target}#done-{row_id}", status_code=303)

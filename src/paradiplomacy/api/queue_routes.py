"""The unresolved queue as JSON: the list (``GET /api/unresolved``) and one step on a row
(``POST /api/unresolved/{id}/resolve``), the same functions as ``paradiplomacy unresolved``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Request

from paradiplomacy.api.convert import jsonable
from paradiplomacy.api.security import require_editor, require_reader

__all__ = ["queue_listing", "resolve_step", "router"]

router = APIRouter(prefix="/api", tags=["unresolved queue"])
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]
Editor = Annotated[dict[str, Any], Depends(require_editor)]


def queue_listing(
    request: Request,
    source: str | None = None,
    field: str | None = None,
    reason: str | None = None,
    status: str = "open",
) -> dict[str, Any]:
    """The queued rows and their counts by reason, as ``paradiplomacy unresolved --json`` prints them."""
    from paradiplomacy.store.unresolved import STATUSES, unresolved_rows, unresolved_summary

    if status not in STATUSES:
        raise HTTPException(400, f"status: choose one of {', '.join(STATUSES)}")
    with request.app.state.registry.reader() as session:
        rows = unresolved_rows(session, source=source, field=field, reason=reason, status=status)
    return {"total": len(rows), "status": status, "by_reason": unresolved_summary(rows), "rows": rows}


def resolve_step(request: Request, user: dict[str, Any], row_id: int, step: dict[str, Any]) -> dict[str, Any]:
    """One step on a queued row: ``{"pick": N}``, ``{"create": true}`` or ``{"reject": true}``,
    with an optional ``"note"``; 404 for no such row, 400 for a step that cannot be taken."""
    from paradiplomacy.curation.queue import QueueError, resolve_row

    pick = step.get("pick")
    if pick is not None and (isinstance(pick, bool) or not isinstance(pick, int)):
        raise HTTPException(400, "pick: the number of a candidate, as listed (from 1)")
    try:
        return resolve_row(
            request.app.state.registry,
            row_id,
            pick=pick,
            create=step.get("create") is True,
            reject=step.get("reject") is True,
            user=user["name"],
            note=str(step.get("note") or "") or None,
        )
    except QueueError as error:
        status = 404 if str(error).startswith("no queued row") else 400
        raise HTTPException(status, str(error)) from None


@router.get("/unresolved")
def unresolved(
    request: Request,
    _: Reader,
    source: str | None = None,
    field: str | None = None,
    reason: str | None = None,
    status: str = "open",
) -> dict[str, Any]:
    """Imported rows kept aside (``status``: open, picked, created, rejected or all), with reason,
    candidates and the counts by reason."""
    return jsonable(queue_listing(request, source, field, reason, status))


@router.post("/unresolved/{row_id}/resolve")
def resolve(
    request: Request,
    user: Editor,
    row_id: int,
    step: Annotated[dict[str, Any], Body(examples=[{"pick": 1}, {"create": True}, {"reject": True}])],
) -> dict[str, Any]:
    """Pick the N-th candidate, create the missing place, or reject the row (editors); audited."""
    return resolve_step(request, user, row_id, step)

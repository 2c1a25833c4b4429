"""The audit log as people read it, and the revert of one entry after a confirmation page."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from paradiplomacy.api.editing import request_lang
from paradiplomacy.web.edit_pages import (
    ENTITY_LABELS,
    FIELD_LABELS,
    SINGLE_ACTORS,
    Reader,
    _editor,
    _editor_view,
    _page,
)
from paradiplomacy.web.pages import error_page

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, _: Reader, entity: str = "", entity_id: str = "") -> HTMLResponse:
    """The audit log: each record named as people name it, its source, the change with field labels
    and names; a revert link per entry (editors)."""
    from paradiplomacy.curation.audit import audit_log

    record_id = int(entity_id) if entity_id.isdigit() else None
    lang = request_lang(request)
    entries = audit_log(
        request.app.state.registry, entity=entity or None, entity_id=record_id, limit=200, lang=lang
    )
    return _page(
        request,
        "audit.html",
        "/api/audit",
        entries=[_shown_entry(e) for e in entries],
        labels=FIELD_LABELS,
        entities=ENTITY_LABELS,
    )


def _shown_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """An audit entry with its changed fields as (field, before, after) values a reader reads."""
    before, after = entry["before"] or {}, entry["after"] or {}
    names = {int(k): v for k, v in entry["actors"].items()}
    changes = [
        (field, _value(field, before.get(field), names), _value(field, after.get(field), names))
        for field in dict.fromkeys([*after, *before])
        if before.get(field) != after.get(field)
    ]
    changes = [(f, old, new) for f, old, new in changes if old != new]  # '' and None alike
    url = entry.get("source_url")
    return {**entry, "changes": changes, "source_link": url if url and re.match(r"https?://", url) else None}


def _value(field: str, value: Any, names: dict[int, str]) -> dict[str, Any]:
    """A stored value for display: actor ids as names, vocabulary values marked for their labels."""
    if value is None or value == [] or value == "":
        return {"text": None}
    if field in (*SINGLE_ACTORS, "owners"):
        ids = value if isinstance(value, list) else [value]
        return {"text": "; ".join(names.get(i, f"#{i}") for i in ids)}
    if field in ("kind", "status", "model", "functions", "pillars"):
        return {"vocab": value if isinstance(value, list) else [value]}
    return {"text": "; ".join(map(str, value)) if isinstance(value, list) else str(value)}


@router.get("/audit/{audit_id}/revert", response_class=HTMLResponse)
def revert_confirm(request: Request, audit_id: int) -> HTMLResponse:
    """Ask before reverting: what the record goes back to, and the button that does it."""
    from paradiplomacy.curation.audit import audit_entry
    from paradiplomacy.curation.edits import EditError

    _editor_view(request)
    try:
        entry = audit_entry(request.app.state.registry, audit_id, lang=request_lang(request))
    except EditError as error:
        return error_page(request, 404, str(error))
    shown = _shown_entry(entry)
    back = [(field, new, old) for field, old, new in shown["changes"]]
    return _page(
        request, "revert_confirm.html", None, e=shown, back=back, labels=FIELD_LABELS, entities=ENTITY_LABELS
    )


@router.post("/audit/{audit_id}/revert")
def revert_form(request: Request, audit_id: int, csrf: Annotated[str, Form()] = "") -> Response:
    """Revert one entry (after its confirmation page)."""
    from paradiplomacy.curation.audit import revert
    from paradiplomacy.curation.edits import EditError

    user = _editor(request, csrf)
    try:
        revert(request.app.state.registry, audit_id, user=user["name"])
    except EditError as error:
        return error_page(request, 409, str(error))
    return RedirectResponse("/audit", status_code=303)

"""The editing pages: add and correct records, the audit log and its revert (editors)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from paradiplomacy.api import routes as api
from paradiplomacy.api.security import check_csrf, current_user, require_reader
from paradiplomacy.web.pages import error_page, render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, _: Reader, entity: str = "", entity_id: str = "") -> HTMLResponse:
    """The audit log with a revert button per entry (editors)."""
    record_id = int(entity_id) if entity_id.isdigit() else None
    entries = api.audit(request, None, entity or None, record_id, 200)["entries"]
    return render(request, "audit.html", "/api/audit", entries=entries)


@router.post("/audit/{audit_id}/revert")
def revert_form(request: Request, audit_id: int, csrf: Annotated[str, Form()] = "") -> Response:
    """Revert one entry from the audit page."""
    from paradiplomacy.curation.audit import revert
    from paradiplomacy.curation.edits import EditError

    user = _editor(request, csrf)

    try:
        revert(request.app.state.registry, audit_id, user=user["name"])
    except EditError as error:
        return error_page(request, 409, str(error))
    return RedirectResponse("/audit", status_code=303)


def _editor(request: Request, csrf: str) -> dict[str, Any]:
    """An editor after the form's CSRF token was checked."""
    check_csrf(request, csrf)
    return _editor_view(request)


def _shown(value: Any) -> str:
    """A field's value as a form shows it (lists comma-separated)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _form(
    request: Request,
    entity: str,
    record_id: int | None,
    fields: dict[str, Any],
    version: str,
    error: str | None,
    status: int = 200,
) -> HTMLResponse:
    """The add/correct form of one record, with each field's allowed values."""
    from paradiplomacy.curation.edits import REQUIRED, choices

    url = f"/api/records/{entity}/{record_id}" if record_id and error is None else None
    return render(
        request,
        "edit.html",
        url,
        status=status,
        entity=entity,
        record_id=record_id,
        fields={k: _shown(v) for k, v in fields.items()},
        version=version,
        error=error,
        choices=choices(entity),
        required=REQUIRED.get(entity, ()),
    )


@router.get("/edit/{entity}/{record_id}", response_class=HTMLResponse)
def edit_form(request: Request, entity: str, record_id: int) -> HTMLResponse:
    """A form to correct a record: tie, actor, office, strategy or membership (editors)."""
    _editor_view(request)
    state = api._edit_errors(_record_state, request, entity, record_id)
    return _form(request, entity, record_id, state["fields"], state["version"], None)


def _record_state(request: Request, entity: str, record_id: int) -> dict[str, Any]:
    from paradiplomacy.curation.edits import record_state

    return record_state(request.app.state.registry, entity, record_id)


def _editor_view(request: Request) -> dict[str, Any]:
    """The signed-in editor (401 when nobody is signed in, 403 for a viewer)."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "sign in as an editor")
    if user["role"] != "editor":
        raise HTTPException(403, "viewers may only read")
    return user


@router.post("/edit/{entity}/{record_id}", response_class=HTMLResponse)
async def edit_submit(request: Request, entity: str, record_id: int) -> Response:
    """Save a correction with its source; back to the form with the reason when it fails."""
    from paradiplomacy.curation.edits import EDITABLE, EditError, update_record

    form = await request.form()
    user = _editor(request, str(form.get("csrf", "")))
    if entity not in EDITABLE:
        raise HTTPException(404, f"no form for {entity}")
    fields = EDITABLE[entity][1]
    changes = {f: str(form[f]) for f in fields if f in form}
    try:
        state = _record_state(request, entity, record_id)
        current = {k: _shown(v) for k, v in state["fields"].items()}
        changes = {k: v for k, v in changes.items() if v.strip() != current.get(k, "")}
        update_record(
            request.app.state.registry,
            entity,
            record_id,
            changes,
            user=user["name"],
            source=str(form.get("source", "")),
            version=str(form.get("version", "")),
            note=str(form.get("change_note", "")) or None,
        )
    except EditError as error:
        state = _record_state(request, entity, record_id)
        return _form(
            request,
            entity,
            record_id,
            {**state["fields"], **changes},
            str(form.get("version", "")),
            str(error),
            status=409 if "changed" in str(error) else 400,
        )
    return RedirectResponse(_back(request, entity, record_id), status_code=303)


def _back(request: Request, entity: str, record_id: int) -> str:
    """The actor page a record is shown on."""
    if entity == "actor":
        return f"/actor/id:{record_id}"
    fields = _record_state(request, entity, record_id)["fields"]
    actor = {"tie": "subject_id", "office": "owners"}.get(entity, "actor_id")
    value = fields[actor][0] if entity == "office" else fields[actor]
    return f"/actor/id:{value}"


@router.get("/new/{entity}", response_class=HTMLResponse)
def new_form(request: Request, entity: str) -> HTMLResponse:
    """A form to add a tie, actor, office, strategy or membership (editors); query parameters
    pre-fill fields."""
    from paradiplomacy.curation.edits import EDITABLE

    _editor_view(request)
    if entity not in EDITABLE:
        raise HTTPException(404, f"no form for {entity}")
    fields = {f: request.query_params.get(f, "") for f in EDITABLE[entity][1]}
    return _form(request, entity, None, fields, "", None)


@router.post("/new/{entity}", response_class=HTMLResponse)
async def new_submit(request: Request, entity: str) -> Response:
    """Add the record with its source."""
    from paradiplomacy.curation.edits import EDITABLE, EditError, create_record

    form = await request.form()
    user = _editor(request, str(form.get("csrf", "")))
    if entity not in EDITABLE:
        raise HTTPException(404, f"no form for {entity}")
    fields = EDITABLE[entity][1]
    values = {f: str(form[f]) for f in fields if str(form.get(f, "")).strip()}
    try:
        entry = create_record(
            request.app.state.registry,
            entity,
            values,
            user=user["name"],
            source=str(form.get("source", "")),
            note=str(form.get("change_note", "")) or None,
        )
    except EditError as error:
        return _form(
            request, entity, None, {f: str(form.get(f, "")) for f in fields}, "", str(error), status=400
        )
    return RedirectResponse(_back(request, entity, entry["entity_id"]), status_code=303)

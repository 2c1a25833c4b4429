"""The editing pages: add and correct records (editors); the audit log is in :mod:`.audit_pages`.

Fields that name an actor are text inputs with suggestions as you type (``/static/suggest.js``
asking ``/api/suggest``); a picked suggestion sends the actor's key in ``<field>_key``, a typed
name is resolved by the importer's resolver, and an ambiguous one comes back with its candidates
to choose from. Vocabulary fields are select lists; every value is checked by the importer's
checks (:mod:`paradiplomacy.curation.checks`), a refusal shown beside its field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from paradiplomacy.api import routes as api
from paradiplomacy.api.editing import edit_errors, request_lang
from paradiplomacy.api.security import check_csrf, current_user, require_reader
from paradiplomacy.web.pages import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]
SINGLE_ACTORS = ("subject_id", "object_id", "actor_id", "city_id")
FIELD_LABELS = {
    "kind": "Kind",
    "subject_id": "Actor (subject)",
    "object_id": "Partner",
    "role": "Role",
    "start": "Start",
    "end": "End",
    "status": "Status",
    "note": "Note",
    "key": "Key",
    "name_en": "Name (English)",
    "name_ja": "Name (Japanese)",
    "name_kana": "Name (kana)",
    "country": "Country",
    "lat": "Latitude",
    "lon": "Longitude",
    "population": "Population",
    "founded": "Founded",
    "dissolved": "Dissolved",
    "name": "Name",
    "owners": "Owners",
    "city_id": "City",
    "opened": "Opened",
    "closed": "Closed",
    "model": "Operating model",
    "functions": "Functions",
    "focus": "Focus",
    "staff": "Staff",
    "actor_id": "Actor",
    "title": "Title",
    "title_ja": "Title (Japanese)",
    "adopted": "Adopted",
    "revised": "Revised",
    "pillars": "Pillars",
    "themes": "Themes",
    "coalition_id": "Coalition",
    "source": "Source",
}
"""Each editable field as a reader calls it (English; Japanese in the catalogue)."""
ENTITY_LABELS = {
    "tie": "tie",
    "actor": "actor",
    "office": "overseas office",
    "strategy": "international strategy",
    "coalition_member": "coalition membership",
}


def _page(request: Request, name: str, json_url: str | None = None, status: int = 200, **context: Any):
    return render(request, name, json_url, status, **context)


def _editor(request: Request, csrf: str) -> dict[str, Any]:
    """An editor after the form's CSRF token was checked."""
    check_csrf(request, csrf)
    return _editor_view(request)


def _editor_view(request: Request) -> dict[str, Any]:
    """The signed-in editor (401 when nobody is signed in, 403 for a viewer)."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "sign in as an editor")
    if user["role"] != "editor":
        raise HTTPException(403, "viewers may only read")
    return user


def _shown(value: Any) -> str:
    """A field's value as a text input shows it (lists separated by ';' as in an import file)."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _form_values(request: Request, entity: str, fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each field's input: ``text`` shown, ``key`` of a chosen actor, ``chosen`` values of a list."""
    from sqlalchemy import select

    from paradiplomacy.curation.labels import actor_labels
    from paradiplomacy.store.schema import Actor

    lang = request_lang(request)
    ids = {
        v
        for name, value in fields.items()
        if name in (*SINGLE_ACTORS, "owners")
        for v in (value if isinstance(value, list) else [value])
        if isinstance(v, int)
    }
    with request.app.state.registry.reader() as session:
        names = actor_labels(session, ids, lang)
        keys = dict(session.execute(select(Actor.id, Actor.key).where(Actor.id.in_(ids))).all())
    shown: dict[str, dict[str, Any]] = {}
    for name, value in fields.items():
        if name in SINGLE_ACTORS and isinstance(value, int):
            shown[name] = {"text": names.get(value, ""), "key": keys.get(value, "")}
        elif name == "owners" and isinstance(value, list):
            refs = [keys.get(v, str(v)) if isinstance(v, int) else str(v) for v in value]
            shown[name] = {"text": "; ".join(refs), "names": [names.get(v, str(v)) for v in value]}
        elif isinstance(value, list):
            shown[name] = {"text": _shown(value), "chosen": [str(v) for v in value]}
        else:
            shown[name] = {"text": _shown(value), "chosen": [_shown(value)]}
    return shown


def _form(
    request: Request,
    entity: str,
    record_id: int | None,
    fields: dict[str, Any],
    version: str,
    error: Any = None,
    status: int = 200,
) -> HTMLResponse:
    """The add/correct form of one record: actors by name, vocabularies as select lists, a refused
    value's reason beside its field (with the candidates of an ambiguous name)."""
    from paradiplomacy.curation.checks import error_json
    from paradiplomacy.curation.edits import choices, required_fields

    url = f"/api/records/{entity}/{record_id}" if record_id and error is None else None
    problem = error_json(error) if error is not None else None
    given = (problem or {}).get("candidates", [])
    candidates = [{"text": c, "key": c.rsplit(" = ", 1)[-1]} for c in given if " = " in c]
    return _page(
        request,
        "edit.html",
        url,
        status=status,
        entity=entity,
        entity_label=ENTITY_LABELS.get(entity, entity),
        record_id=record_id,
        fields=_form_values(request, entity, fields),
        version=version,
        problem=problem,
        candidates=candidates,
        choices=choices(entity),
        required=required_fields(entity),
        labels=FIELD_LABELS,
        single_actors=SINGLE_ACTORS,
    )


def _submitted(form: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The form's values by field: a chosen actor's key over the typed name, select lists as lists."""
    values: dict[str, Any] = {}
    for name in fields:
        if name not in form:
            continue
        items = [str(v) for v in form.getlist(name)]
        if len(items) > 1 or name in ("functions", "pillars"):
            values[name] = [v for v in items if v.strip()]
            continue
        text = items[0] if items else ""
        key = str(form.get(f"{name}_key", "")).strip()
        values[name] = key if key and text.strip() else text
    return values


@router.get("/edit/{entity}/{record_id}", response_class=HTMLResponse)
def edit_form(request: Request, entity: str, record_id: int) -> HTMLResponse:
    """A form to correct a record: tie, actor, office, strategy or membership (editors)."""
    _editor_view(request)
    state = edit_errors(_record_state, request, entity, record_id)
    return _form(request, entity, record_id, state["fields"], state["version"])


def _record_state(request: Request, entity: str, record_id: int) -> dict[str, Any]:
    from paradiplomacy.curation.edits import record_state

    return record_state(request.app.state.registry, entity, record_id)


def _unchanged(shown: dict[str, Any], value: Any) -> bool:
    """True when a submitted value is what the form showed (so it is not sent as a change)."""
    if isinstance(value, list):
        return sorted(value) == sorted(shown.get("chosen") or [])
    text = str(value).strip()
    if shown.get("key"):
        return text in (shown["key"], shown["text"])
    return text == (shown.get("text") or "").strip()


@router.post("/edit/{entity}/{record_id}", response_class=HTMLResponse)
async def edit_submit(request: Request, entity: str, record_id: int) -> Response:
    """Save a correction with its source; back to the form with the reason when it fails."""
    from paradiplomacy.curation.edits import EDITABLE, EditConflict, EditError, update_record

    form = await request.form()
    user = _editor(request, str(form.get("csrf", "")))
    if entity not in EDITABLE:
        raise HTTPException(404, f"no form for {entity}")
    changes = _submitted(form, EDITABLE[entity][1])
    try:
        state = _record_state(request, entity, record_id)
        shown = _form_values(request, entity, state["fields"])
        changes = {k: v for k, v in changes.items() if not _unchanged(shown[k], v)}
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
            error,
            status=409 if isinstance(error, EditConflict) else 400,
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
    pre-fill fields (an actor field takes an id, a key or a name)."""
    from paradiplomacy.curation.edits import EDITABLE

    _editor_view(request)
    if entity not in EDITABLE:
        raise HTTPException(404, f"no form for {entity}")
    fields: dict[str, Any] = {f: request.query_params.get(f, "") for f in EDITABLE[entity][1]}
    for name in SINGLE_ACTORS:
        given = str(fields.get(name) or "")
        if given:
            fields[name] = _prefilled_actor(request, given)
    return _form(request, entity, None, fields, "")


def _prefilled_actor(request: Request, ref: str) -> int | str:
    """The actor a pre-filled field names (its id), or the text as given when it names none."""
    from paradiplomacy.store.schema import Actor

    if ref.isdigit():  # the pages' own links pass ids
        with request.app.state.registry.reader() as session:
            if session.get(Actor, int(ref)) is not None:
                return int(ref)
    try:
        return api.resolve(request.app.state.registry, ref)
    except HTTPException:
        return ref


@router.post("/new/{entity}", response_class=HTMLResponse)
async def new_submit(request: Request, entity: str) -> Response:
    """Add the record with its source."""
    from paradiplomacy.curation.edits import EDITABLE, EditError, create_record

    form = await request.form()
    user = _editor(request, str(form.get("csrf", "")))
    if entity not in EDITABLE:
        raise HTTPException(404, f"no form for {entity}")
    submitted = _submitted(form, EDITABLE[entity][1])
    values = {k: v for k, v in submitted.items() if v not in ("", [])}
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
        kept = {f: submitted.get(f, "") for f in EDITABLE[entity][1]}
        return _form(request, entity, None, kept, "", error, status=400)
    return RedirectResponse(_back(request, entity, entry["entity_id"]), status_code=303)

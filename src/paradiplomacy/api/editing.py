"""The editing endpoints: records (read, add, correct), the audit log and its revert, and the
actor suggestions of the editing forms. Each calls one library function of :mod:`paradiplomacy.curation`
or :mod:`paradiplomacy.resolve`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query, Request

from paradiplomacy.api.convert import jsonable
from paradiplomacy.api.security import require_editor, require_reader
from paradiplomacy.store.registry import Registry

__all__ = ["edit_errors", "request_lang", "router"]

router = APIRouter()
Reader = Annotated[dict[str, Any] | None, Depends(require_reader)]
Editor = Annotated[dict[str, Any], Depends(require_editor)]


def _registry(request: Request) -> Registry:
    return request.app.state.registry


def edit_errors(call, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The edit's result; 409 for a conflict, 422 naming the field for a value the importer's checks
    refuse (``{"detail": {"field", "reason", "value", "candidates", "message"}}``), 400 otherwise."""
    from paradiplomacy.curation.checks import error_json
    from paradiplomacy.curation.edits import BadField, EditConflict, EditError

    try:
        return call(*args, **kwargs)
    except EditConflict as error:
        raise HTTPException(409, str(error)) from None
    except BadField as error:
        raise HTTPException(422, jsonable(error_json(error))) from None
    except EditError as error:
        raise HTTPException(400, str(error)) from None


@router.get("/records/{entity}/{record_id}", tags=["editing"])
def record(request: Request, _: Reader, entity: str, record_id: int) -> dict[str, Any]:
    """A record's editable fields and its ``version`` (pass it back when updating)."""
    from paradiplomacy.curation.edits import record_state

    return jsonable(edit_errors(record_state, _registry(request), entity, record_id))


@router.post("/records/{entity}", tags=["editing"], status_code=201)
def create(
    request: Request,
    user: Editor,
    entity: str,
    values: Annotated[dict[str, Any], Body()],
    source: Annotated[str, Body()],
    note: Annotated[str | None, Body()] = None,
) -> dict[str, Any]:
    """Add a record: ``tie``, ``actor``, ``office`` (``owners``: actor ids or keys, lead first),
    ``strategy`` or ``coalition_member``; ``source`` is a source key, a URL or a reference (required).
    Fields naming an actor take its id or key; list fields a list or comma-separated text."""
    from paradiplomacy.curation.edits import create_record

    return jsonable(
        edit_errors(
            create_record, _registry(request), entity, values, user=user["name"], source=source, note=note
        )
    )


@router.patch("/records/{entity}/{record_id}", tags=["editing"])
def correct(
    request: Request,
    user: Editor,
    entity: str,
    record_id: int,
    changes: Annotated[dict[str, Any], Body()],
    source: Annotated[str, Body()],
    version: Annotated[str, Body()],
    note: Annotated[str | None, Body()] = None,
) -> dict[str, Any]:
    """Correct a record at ``version`` (409 if it changed meanwhile); returns the audit entry."""
    from paradiplomacy.curation.edits import update_record

    return jsonable(
        edit_errors(
            update_record,
            _registry(request),
            entity,
            record_id,
            changes,
            user=user["name"],
            source=source,
            version=version,
            note=note,
        )
    )


@router.get("/audit", tags=["editing"])
def audit(
    request: Request,
    _: Reader,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    lang: str | None = None,
) -> dict[str, Any]:
    """The audit log, newest first: who, when, before, after, source; each entry names its record
    (``label``, in ``lang``: ``新潟市–Galveston (姉妹)``), its source (``source_title``,
    ``source_url``) and the actors its states point to (``actors``: id -> name)."""
    from paradiplomacy.curation.audit import audit_log

    entries = audit_log(
        _registry(request), entity=entity, entity_id=entity_id, limit=limit, lang=request_lang(request, lang)
    )
    return {"entries": jsonable(entries)}


def request_lang(request: Request, given: str | None = None) -> str:
    """The reader's language: ``lang`` given, else the ``lang`` query parameter, the ``lang`` cookie,
    the browser's ``Accept-Language`` (:func:`paradiplomacy.i18n.choose_lang`), else English."""
    from paradiplomacy.i18n import choose_lang

    return choose_lang(
        given or request.query_params.get("lang"),
        request.cookies.get("lang"),
        request.headers.get("accept-language"),
    )


@router.get("/suggest", tags=["actors"])
def suggest(
    request: Request,
    _: Reader,
    q: str,
    kind: str | None = None,
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
    lang: str | None = None,
) -> dict[str, Any]:
    """Actors for a name being typed, in any script (フェアバンクス and Fairbanks both find Fairbanks):
    the ranked search of ``/api/search``, each with its key, names in both scripts, kind label,
    country and parent, for the editing forms; ``kind`` keeps one actor kind."""
    from paradiplomacy.i18n import vocabulary
    from paradiplomacy.resolve.find import search_actors

    text = q.strip()
    if len(text) < 2 and not text.isdigit():
        return {"query": q, "suggestions": []}
    language = request_lang(request, lang)
    found = search_actors(_registry(request), text[:200], limit=limit * 3 if kind else limit)
    suggestions = []
    for c in found:
        if kind and c["kind"] != kind:
            continue
        first, second = (c["name_ja"], c["name_en"]) if language == "ja" else (c["name_en"], c["name_ja"])
        suggestions.append(
            {
                "key": c["key"],
                "id": c["id"],
                "label": first or second or c["key"],
                "name_en": c["name_en"],
                "name_ja": c["name_ja"],
                "kind": c["kind"],
                "kind_label": vocabulary(c.get("lg_type") or c["kind"], language),
                "country": c["country"],
                "parent": (c.get("parent_ja") if language == "ja" else None) or c.get("parent"),
                "dissolved": c.get("dissolved"),
            }
        )
    return {"query": q, "suggestions": jsonable(suggestions[:limit])}


@router.post("/audit/{audit_id}/revert", tags=["editing"])
def revert_entry(request: Request, user: Editor, audit_id: int) -> dict[str, Any]:
    """Undo one audit entry (409 if the record changed after it)."""
    from paradiplomacy.curation.audit import revert

    return jsonable(edit_errors(revert, _registry(request), audit_id, user=user["name"]))

"""The importer's checks for edits: one set of checks for every way a record gets in.

Every submitted field goes through the converter the importer uses for the same field
(``SPECS[kind].fields[name]`` of :mod:`paradiplomacy.ingest.specs`), then the whole record
through the spec's own record checks (required fields, a date before its start) and
:func:`~paradiplomacy.ingest.validate.check_record` (column lengths). Nothing is converted here:
this module only says which importer field an edit field is, and resolves the fields that name an
actor with the importer's resolver (:class:`~paradiplomacy.resolve.directory.ActorDirectory`):
an id (``id:12``), a key, a local-government code or a name in either script; an ambiguous name
is refused with its candidates, never guessed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.curation.records import BadField, EditError, record_model
from paradiplomacy.errors import FieldError
from paradiplomacy.ingest.specs import SPECS
from paradiplomacy.ingest.validate import check_owners, check_record
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.schema import Actor, Coalition

__all__ = [
    "ACTOR_FIELDS",
    "LIST_FIELDS",
    "actor_ref",
    "check_edit",
    "required_fields",
    "spec_field",
]

SPEC_NAMES: dict[str, dict[str, str]] = {
    "tie": {"subject_id": "subject", "object_id": "object"},
    "actor": {"dissolved": "founded"},
    "office": {"city_id": "city"},
    "strategy": {"actor_id": "actor"},
    "coalition_member": {"coalition_id": "coalition", "actor_id": "member"},
}
"""Edit fields whose importer field has another name (an actor's ``dissolved`` is a date like its
``founded``); every other edit field has the importer field of its own name."""
ACTOR_FIELDS = frozenset({"subject_id", "object_id", "actor_id", "city_id", "owners"})
"""Edit fields that name actors (``owners``: a list of them)."""
LIST_FIELDS = frozenset({"owners", "functions", "focus", "revised", "pillars", "themes"})
STORED_DEFAULTS = {"role": "", "model": "unknown", "status": "unknown"}
"""What a blank value of these fields is stored as (their columns are not nullable)."""


def spec_field(entity: str, name: str) -> str:
    """The importer's field that checks the edit field ``name`` of ``entity``."""
    return SPEC_NAMES.get(entity, {}).get(name, name)


def required_fields(entity: str) -> tuple[str, ...]:
    """The edit fields a new record must have: the importer's required fields, and an office's
    owners (the editing pages show an office on its owners' pages)."""
    back = {v: k for k, v in SPEC_NAMES.get(entity, {}).items()}
    fields = record_model(entity)[1]
    found = [back.get(s, s) for s in sorted(SPECS[entity].required)]
    extra = ["owners"] if entity == "office" else []
    return tuple(f for f in fields if f in found or f in extra)


def _converted(entity: str, name: str, value: Any) -> Any:
    """``value`` through the importer's converter of the field, the error naming the edit field."""
    converter = SPECS[entity].fields[spec_field(entity, name)]
    try:
        return converter(name, value)
    except FieldError as error:
        raise BadField(name, error.reason, value, error.candidates) from None


def actor_ref(directory: ActorDirectory, field: str, value: Any) -> int:
    """The id of the one actor ``value`` names: an id (a number or ``id:N``; digits that are not
    five or six long), a key, a local-government code, or a name in any script."""
    text = str(value).strip()
    digits = text[3:] if text.startswith("id:") else text
    if digits.isdigit() and (text.startswith("id:") or isinstance(value, int) or len(digits) not in (5, 6)):
        if directory.session.get(Actor, int(digits)) is None:
            raise BadField(field, f"no actor with id {digits}", value)
        return int(digits)
    try:
        return directory.resolve(field, text)
    except FieldError as error:
        raise BadField(field, error.reason, value, error.candidates) from None


def _coalition(session: Session, value: str) -> int:
    found = session.scalar(
        select(Coalition.id).where(Coalition.id == int(value) if value.isdigit() else Coalition.key == value)
    )
    if found is None:
        raise BadField("coalition_id", f"no coalition with id or key {value!r}", value)
    return found


def _stored(session: Session, directory: ActorDirectory, entity: str, name: str, value: Any) -> Any:
    """One submitted field as it is stored: converted by the importer's converter, actors resolved."""
    if name == "owners":
        refs = _converted(entity, name, value)
        if isinstance(value, list):  # ids given as numbers stay ids
            refs = [
                v if isinstance(v, int) and not isinstance(v, bool) else _converted(entity, name, v)[0]
                for v in value
                if str(v).strip()
            ]
        ids = [actor_ref(directory, name, ref) for ref in refs]
        try:
            check_owners(ids, refs)
        except FieldError as error:
            raise BadField(name, error.reason, value) from None
        return ids
    if name in ACTOR_FIELDS:
        if isinstance(value, int) and not isinstance(value, bool):
            return actor_ref(directory, name, value)
        ref = _converted(entity, name, value)
        return None if ref is None else actor_ref(directory, name, ref)
    if name == "coalition_id":
        key = _converted(entity, name, None if value is None else str(value))
        return None if key is None else _coalition(session, key)
    converted = _converted(entity, name, value)
    if converted is None and name in STORED_DEFAULTS:
        return STORED_DEFAULTS[name]
    return converted


def _record_checks(
    session: Session, entity: str, after: dict[str, Any], submitted: set[str], *, new: bool
) -> None:
    """The importer's record checks (required fields, date order, column lengths) on the record as
    the edit leaves it: the submitted fields, the required ones and the dates they are ordered with."""
    spec = SPECS[entity]
    back = {v: k for k, v in SPEC_NAMES.get(entity, {}).items()}
    ordered = {f for pair in spec.date_order for f in pair}
    raw: dict[str, Any] = {}
    for name, value in after.items():
        target = spec_field(entity, name)
        if back.get(target, target) != name or target not in spec.fields:
            continue  # a field checked under another's name (an actor's dissolved) is done
        if not (new or name in submitted or target in spec.required or target in ordered):
            continue
        if name in ACTOR_FIELDS:
            value = [f"id:{v}" for v in value] if name == "owners" else (f"id:{value}" if value else None)
        elif name == "coalition_id" and value is not None:
            value = session.scalar(select(Coalition.key).where(Coalition.id == value))
        raw[target] = value
    try:
        record = spec.convert(raw)
        check_record(entity, record)
    except FieldError as error:
        name = back.get(error.field, error.field)
        raise BadField(name, error.reason, after.get(name)) from None
    if entity == "office" and (new or "owners" in submitted) and not after.get("owners"):
        raise BadField("owners", "an office needs at least one owner", after.get("owners"))


def check_edit(
    session: Session,
    entity: str,
    values: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The submitted ``values`` as stored, checked as the importer checks them; ``before`` is the
    record's current state (``None`` for a new record). Raise :class:`BadField` on the first bad
    field (nothing is written here)."""
    if entity not in SPECS:
        record_model(entity)  # the error listing the kinds
    _, fields = record_model(entity)
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise BadField(unknown[0], f"unknown field for {entity!r} (fields: {', '.join(fields)})", None)
    directory = ActorDirectory(session)
    clean = {name: _stored(session, directory, entity, name, raw) for name, raw in values.items()}
    if before is None:
        after = {name: clean.get(name) for name in fields}
        for name in fields:
            if after[name] is None and name in LIST_FIELDS:
                after[name] = []
            elif after[name] is None and name in STORED_DEFAULTS:
                after[name] = STORED_DEFAULTS[name]
    else:
        after = {**before, **clean}
    _record_checks(session, entity, after, set(values), new=before is None)
    taken = before is None and entity == "actor"
    if taken and session.scalar(select(Actor.id).where(Actor.key == after["key"])) is not None:
        raise BadField("key", f"an actor with key {after['key']!r} exists already", after["key"])
    if before is None:
        return after
    return {name: after[name] for name in clean}


def error_json(error: EditError) -> dict[str, Any]:
    """An edit error as the API answers it: the field, the reason, the value and candidates."""
    if isinstance(error, BadField):
        return {
            "field": error.field,
            "reason": error.reason,
            "value": error.value if not isinstance(error.value, str) else error.value[:200],
            "candidates": list(error.candidates),
            "message": str(error),
        }
    return {"reason": str(error), "message": str(error)}

"""Record-level validation: the checks between field conversion and storage.

:mod:`paradiplomacy.ingest.fields` checks one value at a time; this module checks what needs the
whole record or the database: lengths against the schema's columns, duplicate owners, an actor that
would be its own ancestor, money after its unit, and whether an update would overwrite a built-in
(gazetteer or corpus) record. Every check raises :class:`FieldError` before anything is written.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.fields import MAX_NUMBER
from paradiplomacy.ingest.specs import UNITS
from paradiplomacy.store.schema import (
    Actor,
    Adoption,
    Base,
    BudgetLine,
    Citation,
    Coalition,
    CoalitionEvent,
    CoalitionMember,
    Meta,
    Observation,
    Office,
    Programme,
    Source,
    Strategy,
    Tie,
)

TABLE_OF_KIND: dict[str, type[Base]] = {
    "source": Source,
    "actor": Actor,
    "tie": Tie,
    "office": Office,
    "strategy": Strategy,
    "budget": BudgetLine,
    "programme": Programme,
    "adoption": Adoption,
    "coalition": Coalition,
    "coalition_member": CoalitionMember,
    "coalition_event": CoalitionEvent,
    "observation": Observation,
}
BUILTIN_META = "builtin_max_ids"
"""Meta key: the highest id of every record table when ``init`` finished (built-in records)."""
MAX_PARENT_DEPTH = 64


def _column_lengths(model: type[Base]) -> dict[str, int]:
    return {
        column.name: column.type.length
        for column in model.__table__.columns
        if isinstance(column.type, String) and column.type.length
    }


_LENGTHS = {kind: _column_lengths(model) for kind, model in TABLE_OF_KIND.items()}


def check_record(kind: str, record: dict[str, Any]) -> None:
    """Checks that need the whole converted record; raise :class:`FieldError` on the first failure."""
    for name, limit in _LENGTHS.get(kind, {}).items():
        value = record.get(name)
        if isinstance(value, str) and len(value) > limit:
            raise FieldError(name, f"too long: {len(value):,} characters (at most {limit:,})")
    check = _CHECKS.get(kind)
    if check is not None:
        check(record)


def _check_actor(record: dict[str, Any]) -> None:
    parent = record.get("parent")
    if parent and parent.strip().lower() == record["key"]:
        raise FieldError("parent", "an actor cannot be its own parent")


def _check_office(record: dict[str, Any]) -> None:
    seen: set[str] = set()
    for owner in record.get("owners") or []:
        folded = owner.casefold()
        if folded in seen:
            raise FieldError("owners", f"owner {owner!r} is listed twice")
        seen.add(folded)


def _check_budget(record: dict[str, Any]) -> None:
    amount = record.get("amount")
    factor = UNITS.get((record.get("unit") or "yen").lower(), 1)
    if amount is not None and amount * factor > MAX_NUMBER:
        raise FieldError("amount", f"{amount:g} {record.get('unit') or 'yen'} is out of range")


def _check_observation(record: dict[str, Any]) -> None:
    try:
        json.dumps(record.get("dimensions") or {}, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise FieldError("dimensions", f"cannot be stored: {error}") from None


_CHECKS = {
    "actor": _check_actor,
    "office": _check_office,
    "budget": _check_budget,
    "observation": _check_observation,
}


def check_owners(owner_ids: list[int], refs: list[str]) -> None:
    """Refuse an office whose owners resolve to the same actor twice (under different names)."""
    seen: dict[int, str] = {}
    for actor_id, ref in zip(owner_ids, refs, strict=False):
        if actor_id in seen:
            raise FieldError("owners", f"{ref!r} and {seen[actor_id]!r} are the same actor")
        seen[actor_id] = ref


def check_parent(session: Session, key: str, parent_id: int | None) -> None:
    """Refuse a parent that is the actor itself or one of its descendants (a cycle)."""
    if parent_id is None:
        return
    own = session.scalar(select(Actor.id).where(Actor.key == key))
    current: int | None = parent_id
    for _ in range(MAX_PARENT_DEPTH):
        if current is None:
            return
        if current == own:
            raise FieldError("parent", "the parent is this actor itself or one of its parts (a cycle)")
        current = session.scalar(select(Actor.parent_id).where(Actor.id == current))
    raise FieldError("parent", f"the chain of parents is deeper than {MAX_PARENT_DEPTH}")


def record_builtin(session: Session) -> None:
    """Remember the highest id of every record table: those records are built in (``init``)."""
    session.flush()
    marks = {
        model.__tablename__: session.scalar(select(func.max(model.id))) or 0
        for model in TABLE_OF_KIND.values()
    }
    session.merge(Meta(key=BUILTIN_META, value=json.dumps(marks, sort_keys=True)))


class BuiltinGuard:
    """Decides whether a stored record is built in and refuses conflicting overwrites of it."""

    def __init__(self, session: Session, *, allow_overwrite: bool = False) -> None:
        self.session = session
        self.allow_overwrite = allow_overwrite
        self._marks: dict[str, int] | None = None

    def _watermarks(self) -> dict[str, int]:
        if self._marks is None:
            raw = self.session.scalar(select(Meta.value).where(Meta.key == BUILTIN_META))
            try:
                marks = json.loads(raw) if raw else {}
            except ValueError:
                marks = {}
            self._marks = marks if isinstance(marks, dict) else {}
            initialised = self.session.scalar(select(Meta.value).where(Meta.key == "initialised"))
            if not self._marks and initialised is not None:  # built before the watermark
                self._marks = self._legacy_marks()
        return self._marks

    def _legacy_marks(self) -> dict[str, int]:
        """Registries built before the watermark: records cited by a gazetteer or a paper."""
        marks: dict[str, int] = {}
        for model in TABLE_OF_KIND.values():
            table = model.__tablename__
            query = (
                select(func.max(Citation.entity_id))
                .join(Source, Source.id == Citation.source_id)
                .where(Citation.entity == table, Source.kind.in_(("gazetteer", "paper")))
            )
            marks[table] = self.session.scalar(query) or 0
        marks["source"] = (
            self.session.scalar(select(func.max(Source.id)).where(Source.kind.in_(("gazetteer", "paper"))))
            or 0
        )
        return marks

    def is_builtin(self, obj: Base) -> bool:
        """True for a record that ``init`` stored (gazetteer or corpus)."""
        record_id = getattr(obj, "id", None)
        table = getattr(obj, "__tablename__", "")
        return record_id is not None and record_id <= self._watermarks().get(table, 0)

    def check(self, obj: Base, values: dict[str, Any], label: str) -> None:
        """Raise a conflict when ``values`` would replace a non-empty value of a built-in record."""
        if self.allow_overwrite or not self.is_builtin(obj):
            return
        for name, new in values.items():
            if new is None or new == [] or new == {}:
                continue
            old = getattr(obj, name)
            if old is None or old == "" or old == [] or old == {} or old == new:
                continue
            raise FieldError(
                name,
                f"conflict: built-in record {label} has {name} {_short(old)}, the file says "
                f"{_short(new)} (nothing changed; pass --allow-overwrite-builtin to replace it)",
            )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."

"""State shared by the loaders during one import: session, directory, provenance, caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.report import Conflict, Enrichment
from paradiplomacy.ingest.validate import BuiltinGuard
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.schema import Actor, Citation, Source


@dataclass
class LoadContext:
    """Everything a loader needs; ``file_source`` is the import file itself as a source."""

    session: Session
    directory: ActorDirectory
    file_source: Source
    create_missing: bool = False
    tie_kind: str = "sister"
    allow_overwrite_builtin: bool = False
    #: how a value the file contradicts is settled: ``new``, ``old`` or None (the row is refused)
    prefer: str | None = None
    _guard: BuiltinGuard | None = None
    _sources: dict[str, Source] = field(default_factory=dict)
    _cited: set[tuple[int, str, int, str, int]] | None = None
    _countries: dict[int, str | None] = field(default_factory=dict)
    #: values a row offered that contradict what is stored, and how each was settled
    conflicts: list[Conflict] = field(default_factory=list)
    #: what each row did to a tie the registry already held
    changes: list[Enrichment] = field(default_factory=list)

    @property
    def guard(self) -> BuiltinGuard:
        """The check that keeps built-in records from being overwritten by an import."""
        if self._guard is None:
            self._guard = BuiltinGuard(self.session, allow_overwrite=self.allow_overwrite_builtin)
        return self._guard

    def forget_rolled_back(self) -> None:
        """Drop caches that may hold work of a row that was rolled back."""
        self._cited = None
        self._countries.clear()

    def country_of(self, actor_id: int) -> str | None:
        """An actor's country (cached for the import)."""
        if actor_id not in self._countries:
            self._countries[actor_id] = self.session.scalar(select(Actor.country).where(Actor.id == actor_id))
        return self._countries[actor_id]

    def source(self, key: str) -> Source:
        """The source with ``key``; raise :class:`FieldError` when it does not exist."""
        if key not in self._sources:
            found = self.session.scalar(select(Source).where(Source.key == key))
            if found is None:
                raise FieldError("source", f"unknown source key {key!r} (import it with --kind source)")
            self._sources[key] = found
        return self._sources[key]

    def check_source(self, record: dict[str, Any]) -> None:
        """Validate a record's ``source`` before anything is written."""
        if record.get("source"):
            self.source(record["source"])

    def cite(self, entity: str, entity_id: int, record: dict[str, Any], row: int) -> bool:
        """Cite the record's own source (with locator) and the file row; True when anything was new."""
        added = False
        if record.get("source"):
            added |= self._add(
                self.source(record["source"]), entity, entity_id, record.get("locator") or "", 0
            )
        added |= self._add(self.file_source, entity, entity_id, "", row)
        return added

    def _add(self, source: Source, entity: str, entity_id: int, locator: str, row: int) -> bool:
        if source.id is None:
            self.session.flush()
        key = (source.id, entity, entity_id, locator, row)
        if self._cited is None:
            self._cited = set(
                self.session.execute(
                    select(
                        Citation.source_id,
                        Citation.entity,
                        Citation.entity_id,
                        Citation.locator,
                        Citation.row,
                    ).where(Citation.source_id == self.file_source.id)
                )
            )
        if key in self._cited:
            return False
        if source.id != self.file_source.id and self.session.scalar(
            select(Citation.id).where(
                Citation.source_id == source.id,
                Citation.entity == entity,
                Citation.entity_id == entity_id,
                Citation.locator == locator,
                Citation.row == row,
            )
        ):
            self._cited.add(key)
            return False
        self.session.add(
            Citation(source_id=source.id, entity=entity, entity_id=entity_id, locator=locator, row=row)
        )
        self._cited.add(key)
        return True

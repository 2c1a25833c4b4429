"""The relational schema (SQLAlchemy 2 declarative); the same tables serve SQLite and PostgreSQL.

Dates are stored as partial ISO strings (``1979``, ``1979-05``, ``1979-05-01``) so that their precision is
kept; string order equals chronological order for dates of equal precision and a year sorts before its
months. Every record can be cited by any number of sources through :class:`Citation`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Source(Base):
    """Where a fact comes from: a paper, an official list, a gazetteer, an import file, a user."""

    __tablename__ = "source"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(String(200))
    year: Mapped[int | None] = mapped_column(Integer)
    publication: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Citation(Base):
    """Links one record (``entity`` table name + id) to a source, with a locator or file row."""

    __tablename__ = "citation"
    __table_args__ = (
        UniqueConstraint("source_id", "entity", "entity_id", "locator", "row"),
        Index("ix_citation_entity", "entity", "entity_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"))
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    locator: Mapped[str] = mapped_column(String(300), default="")
    row: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[Source] = relationship()


class Actor(Base):
    """Any body that can hold ties: governments at every level, networks, NGOs, agencies, firms."""

    __tablename__ = "actor"
    __table_args__ = (
        Index("ix_actor_country_kind", "country", "kind"),
        # bounding-box queries: which places lie near a point (resolve.point_country)
        Index("ix_actor_point", "lat", "lon"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    name_en: Mapped[str | None] = mapped_column(String(300))
    name_ja: Mapped[str | None] = mapped_column(String(300))
    name_kana: Mapped[str | None] = mapped_column(String(300))
    country: Mapped[str | None] = mapped_column(String(2))
    lg_code: Mapped[str | None] = mapped_column(String(6), unique=True)
    lg_type: Mapped[str | None] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    population: Mapped[int | None] = mapped_column(Integer)
    population_year: Mapped[int | None] = mapped_column(Integer)
    founded: Mapped[str | None] = mapped_column(String(10))
    dissolved: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    parent: Mapped[Actor | None] = relationship(remote_side=[id])

    @property
    def label(self) -> str:
        """A one-line human name: English and Japanese where both exist."""
        if self.name_en and self.name_ja and self.name_en != self.name_ja:
            return f"{self.name_en} ({self.name_ja})"
        return self.name_en or self.name_ja or self.key


class ActorName(Base):
    """Every name an actor is known by (all scripts and spellings), for search and resolution.

    ``norm`` is the matching key of the name (see ``reference.names.normalize``), indexed so that an
    exact lookup is one index probe in SQLite or PostgreSQL.
    """

    __tablename__ = "actor_name"
    __table_args__ = (UniqueConstraint("actor_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    norm: Mapped[str] = mapped_column(String(300), index=True)


class ActorCode(Base):
    """A code an actor held over a period (Japanese local-government codes, old ones included).

    ``Actor.lg_code`` is the code in force today; former municipalities and the old codes of
    bodies that changed code (静岡市 222011 until 2005) are found here.
    """

    __tablename__ = "actor_code"
    __table_args__ = (UniqueConstraint("actor_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    code: Mapped[str] = mapped_column(String(6), index=True)
    valid_from: Mapped[str | None] = mapped_column(String(10))
    valid_until: Mapped[str | None] = mapped_column(String(10))


class Succession(Base):
    """A body that ended and one of its successors, with the date and kind of the change."""

    __tablename__ = "succession"
    __table_args__ = (UniqueConstraint("predecessor_id", "successor_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    predecessor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    date: Mapped[str] = mapped_column(String(10))
    change_type: Mapped[str] = mapped_column(String(30))
    change_type_ja: Mapped[str | None] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer, default=0)
    predecessor: Mapped[Actor] = relationship(foreign_keys=[predecessor_id])
    successor: Mapped[Actor] = relationship(foreign_keys=[successor_id])


class UnresolvedRow(Base):
    """An imported row kept aside because a reference in it could not be resolved."""

    __tablename__ = "unresolved_row"
    __table_args__ = (UniqueConstraint("source_id", "row"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    record: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    field: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
    candidates: Mapped[list[str]] = mapped_column(JSON, default=list)
    source: Mapped[Source] = relationship()


class UnresolvedDecision(Base):
    """What a curator decided for a queued row (picked a candidate, created the place, rejected it).

    Kept beside :class:`UnresolvedRow` and keyed by the row's source, row number and the digest of
    its values, not by the queue entry's id: a re-import replaces a file's queue entries, and the
    decision still holds for the same row (a rejected row stays out of the open queue). A side table
    because ``Registry.create_schema`` creates missing tables but never alters existing ones.
    """

    __tablename__ = "unresolved_decision"
    __table_args__ = (UniqueConstraint("source_id", "row", "digest"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id"), index=True)
    row: Mapped[int] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(10))  # picked | created | rejected
    field: Mapped[str] = mapped_column(String(60))
    choice: Mapped[str | None] = mapped_column(Text)
    tie_id: Mapped[int | None] = mapped_column(Integer)
    user: Mapped[str] = mapped_column(String(100))
    at: Mapped[str] = mapped_column(String(32))
    note: Mapped[str | None] = mapped_column(Text)


class Tie(Base):
    """A dated, sourced relation between two actors."""

    __tablename__ = "tie"
    __table_args__ = (
        UniqueConstraint("kind", "subject_id", "object_id", "role"),
        Index("ix_tie_object", "object_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    subject_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    object_id: Mapped[int] = mapped_column(ForeignKey("actor.id"))
    role: Mapped[str] = mapped_column(String(100), default="")
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(20), default="unknown")
    note: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[Actor] = relationship(foreign_keys=[subject_id])
    object: Mapped[Actor] = relationship(foreign_keys=[object_id])


class Office(Base):
    """An overseas office of one or more local governments."""

    __tablename__ = "office"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str | None] = mapped_column(String(300))
    city_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))
    country: Mapped[str | None] = mapped_column(String(2))
    opened: Mapped[str | None] = mapped_column(String(10))
    closed: Mapped[str | None] = mapped_column(String(10))
    model: Mapped[str] = mapped_column(String(30), default="unknown")
    functions: Mapped[list[str]] = mapped_column(JSON, default=list)
    focus: Mapped[list[str]] = mapped_column(JSON, default=list)
    staff: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    city: Mapped[Actor | None] = relationship()
    owners: Mapped[list[OfficeOwner]] = relationship(
        order_by="OfficeOwner.position", cascade="all, delete-orphan"
    )


class OfficeOwner(Base):
    """An owner of an office; position 0 is the lead owner."""

    __tablename__ = "office_owner"
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"), primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    actor: Mapped[Actor] = relationship()


class Strategy(Base):
    """An international strategy or plan of an actor."""

    __tablename__ = "strategy"
    __table_args__ = (UniqueConstraint("actor_id", "title"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    title_ja: Mapped[str | None] = mapped_column(String(300))
    adopted: Mapped[str | None] = mapped_column(String(10))
    revised: Mapped[list[str]] = mapped_column(JSON, default=list)
    pillars: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[Actor] = relationship()


class BudgetLine(Base):
    """A budget or expenditure figure of an actor (or of all local governments when actor is null)."""

    __tablename__ = "budget_line"
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(200))
    amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="JPY")
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[Actor | None] = relationship()


class Programme(Base):
    """An exchange, trainee or cooperation programme, or an exchange association."""

    __tablename__ = "programme"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30), default="other")
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("actor.id"))
    start: Mapped[str | None] = mapped_column(String(10))
    end: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[Actor | None] = relationship(foreign_keys=[actor_id])
    partner: Mapped[Actor | None] = relationship(foreign_keys=[partner_id])


class Adoption(Base):
    """An actor's adoption of a policy or norm at a date: the raw material of diffusion."""

    __tablename__ = "adoption"
    __table_args__ = (UniqueConstraint("actor_id", "policy"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    policy: Mapped[str] = mapped_column(String(40))
    date: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[Actor] = relationship()


class Coalition(Base):
    """A named advocacy coalition case."""

    __tablename__ = "coalition"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    issue_area: Mapped[str | None] = mapped_column(String(200))
    scope: Mapped[str | None] = mapped_column(String(30))
    started: Mapped[str | None] = mapped_column(String(10))
    ended: Mapped[str | None] = mapped_column(String(10))
    note: Mapped[str | None] = mapped_column(Text)
    members: Mapped[list[CoalitionMember]] = relationship(cascade="all, delete-orphan")
    events: Mapped[list[CoalitionEvent]] = relationship(
        order_by="CoalitionEvent.date", cascade="all, delete-orphan"
    )


class CoalitionMember(Base):
    """An actor's membership in a coalition, with its role."""

    __tablename__ = "coalition_member"
    __table_args__ = (UniqueConstraint("coalition_id", "actor_id", "role"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalition.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actor.id"), index=True)
    role: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[Actor] = relationship()


class CoalitionEvent(Base):
    """A dated event in a coalition's history and the channel it used."""

    __tablename__ = "coalition_event"
    __table_args__ = (UniqueConstraint("coalition_id", "date", "title"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    coalition_id: Mapped[int] = mapped_column(ForeignKey("coalition.id"), index=True)
    date: Mapped[str | None] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(300))
    channel: Mapped[str | None] = mapped_column(String(30))
    actor_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)


class Observation(Base):
    """A published aggregate figure, kept apart from record-level facts."""

    __tablename__ = "observation"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    measure: Mapped[str] = mapped_column(String(100), index=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(30), default="count")
    as_of: Mapped[str | None] = mapped_column(String(10))
    dimensions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)


class Meta(Base):
    """Key/value facts about the database itself (schema version, what init loaded)."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


RECORD_TABLES: dict[str, type[Base]] = {
    cls.__tablename__: cls
    for cls in (
        Actor,
        Tie,
        Office,
        Strategy,
        BudgetLine,
        Programme,
        Adoption,
        Coalition,
        CoalitionMember,
        CoalitionEvent,
        Observation,
        Source,
    )
}

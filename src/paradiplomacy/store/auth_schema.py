"""Tables of the web workbench: user accounts, expiring tokens (sessions and API) and the audit log.

Declared on the registry's ``Base`` so ``Registry.create_schema`` creates them with the rest.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from paradiplomacy.store.schema import Base

__all__ = ["AuditEntry", "AuthToken", "User"]


class User(Base):
    """An account: ``editor`` may change records, ``viewer`` may only read."""

    __tablename__ = "app_user"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), default="viewer")
    created: Mapped[str] = mapped_column(String(32))


class AuthToken(Base):
    """A sign-in session or an API token; only its SHA-256 is stored, and it expires."""

    __tablename__ = "auth_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # session | api
    created: Mapped[str] = mapped_column(String(32))
    expires: Mapped[str] = mapped_column(String(32))


class AuditEntry(Base):
    """One change to a record: who, when, the record before and after, and the source given."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[str] = mapped_column(String(32), index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))  # create | update | revert
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer, index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("source.id"))
    reverts: Mapped[int | None] = mapped_column(Integer)
    reverted_by: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)

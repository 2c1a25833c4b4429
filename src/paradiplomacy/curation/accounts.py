"""User accounts, password hashing (Argon2id) and expiring tokens for sessions and the API."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from sqlalchemy import delete, select

from paradiplomacy.store.auth_schema import AuthToken, User
from paradiplomacy.store.registry import Registry, RegistryError

__all__ = [
    "ROLES",
    "AccountError",
    "add_user",
    "authenticate",
    "issue_token",
    "revoke_token",
    "user_for_token",
]

ROLES = ("editor", "viewer")
SESSION_TTL = dt.timedelta(hours=8)
API_TTL = dt.timedelta(days=30)


class AccountError(RegistryError):
    """An account that cannot be created (bad role, taken name, empty password)."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _hasher():
    try:
        from argon2 import PasswordHasher  # the `web` extra
    except ImportError:
        raise AccountError("accounts need the web extra: pip install 'paradiplomacy[web]'") from None
    return PasswordHasher()


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _brief(user: User) -> dict[str, Any]:
    return {"id": user.id, "name": user.name, "role": user.role}


def add_user(registry: Registry, name: str, password: str, role: str = "viewer") -> dict[str, Any]:
    """Create an account with an Argon2id password hash."""
    if role not in ROLES:
        raise AccountError(f"unknown role {role!r}: choose from {', '.join(ROLES)}")
    if not name.strip() or len(password) < 8:
        raise AccountError("a user needs a name and a password of at least 8 characters")
    registry.create_schema()
    with registry.session() as session:
        if session.scalar(select(User.id).where(User.name == name)) is not None:
            raise AccountError(f"user {name!r} exists already")
        user = User(
            name=name,
            password_hash=_hasher().hash(password),
            role=role,
            created=_now().isoformat(timespec="seconds"),
        )
        session.add(user)
        session.flush()
        return _brief(user)


def authenticate(registry: Registry, name: str, password: str) -> dict[str, Any] | None:
    """The user when ``password`` is right, else None (the same work either way)."""
    from argon2.exceptions import VerificationError

    hasher = _hasher()
    with registry.reader() as session:
        user = session.scalar(select(User).where(User.name == name))
        stored = user.password_hash if user else hasher.hash("not-a-password")
        try:
            hasher.verify(stored, password)
        except VerificationError:
            return None
        return _brief(user) if user else None


def issue_token(
    registry: Registry, user_id: int, kind: str = "session", ttl: dt.timedelta | None = None
) -> tuple[str, str]:
    """A new random token for a user and its expiry (ISO); only the token's hash is stored."""
    token = secrets.token_urlsafe(32)
    now = _now()
    expires = now + (ttl or (SESSION_TTL if kind == "session" else API_TTL))
    with registry.session() as session:
        session.execute(delete(AuthToken).where(AuthToken.expires < now.isoformat()))
        session.add(
            AuthToken(
                token_hash=_digest(token),
                user_id=user_id,
                kind=kind,
                created=now.isoformat(timespec="seconds"),
                expires=expires.isoformat(timespec="seconds"),
            )
        )
    return token, expires.isoformat(timespec="seconds")


def user_for_token(registry: Registry, token: str | None, kind: str | None = None) -> dict[str, Any] | None:
    """The user a live (unexpired) token belongs to, else None."""
    if not token:
        return None
    query = (
        select(User, AuthToken.expires)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(AuthToken.token_hash == _digest(token))
    )
    if kind:
        query = query.where(AuthToken.kind == kind)
    with registry.reader() as session:
        row = session.execute(query).first()
    if row is None or row[1] <= _now().isoformat(timespec="seconds"):
        return None
    return _brief(row[0])


def revoke_token(registry: Registry, token: str) -> None:
    """End a session or API token."""
    with registry.session() as session:
        session.execute(delete(AuthToken).where(AuthToken.token_hash == _digest(token)))

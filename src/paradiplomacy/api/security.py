"""Who is asking: session cookies and bearer tokens, roles, CSRF (double submit) and sign-in limits."""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict, deque
from typing import Any

from fastapi import HTTPException, Request

from paradiplomacy.curation.accounts import user_for_token

__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "SignInLimiter",
    "check_csrf",
    "csrf_token",
    "current_user",
    "require_editor",
    "require_reader",
]

SESSION_COOKIE = "pd_session"
CSRF_COOKIE = "pd_csrf"


def current_user(request: Request) -> dict[str, Any] | None:
    """The user of the request's bearer token or session cookie (cached on the request)."""
    if "user" in request.state._state:
        return request.state.user
    registry = request.app.state.registry
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(registry, header[7:].strip(), "api")
    else:
        user = user_for_token(registry, request.cookies.get(SESSION_COOKIE), "session")
    request.state.user = user
    return user


def require_reader(request: Request) -> dict[str, Any] | None:
    """Anyone when anonymous reading is on, else a signed-in user."""
    user = current_user(request)
    if user is None and not request.app.state.anonymous_read:
        raise HTTPException(401, "sign in to read this registry", headers={"WWW-Authenticate": "Bearer"})
    return user


def require_editor(request: Request) -> dict[str, Any]:
    """A signed-in editor; cookie-authenticated writes must also pass the CSRF check."""
    user = current_user(request)
    if user is None:
        raise HTTPException(401, "sign in as an editor", headers={"WWW-Authenticate": "Bearer"})
    if user["role"] != "editor":
        raise HTTPException(403, "viewers may only read")
    if not request.headers.get("authorization"):
        check_csrf(request, request.headers.get("x-csrf-token"))
    return user


def csrf_token(request: Request) -> str:
    """The request's CSRF token (the cookie's, or a new one the response will set)."""
    token = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not token:
        token = secrets.token_urlsafe(24)
        request.state.new_csrf = token
    return token


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a cookie-authenticated write whose token does not match the CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not submitted or not secrets.compare_digest(cookie, submitted):
        raise HTTPException(403, "CSRF check failed: reload the form and submit again")


class SignInLimiter:
    """At most ``attempts`` failed sign-ins per client and name in ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 300.0) -> None:
        self.attempts, self.window = attempts, window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: str) -> deque[float]:
        stamps = self._failures[key]
        while stamps and stamps[0] < time.monotonic() - self.window:
            stamps.popleft()
        return stamps

    def check(self, key: str) -> None:
        """Raise 429 when ``key`` has failed too often lately."""
        with self._lock:
            if len(self._recent(key)) >= self.attempts:
                raise HTTPException(
                    429,
                    "too many failed sign-ins: wait a few minutes",
                    headers={"Retry-After": str(int(self.window))},
                )

    def failed(self, key: str) -> None:
        """Record one failure."""
        with self._lock:
            self._recent(key).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""
        with self._lock:
            self._failures.pop(key, None)

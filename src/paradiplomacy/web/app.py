"""The application: JSON API under ``/api`` (OpenAPI at ``/api/openapi.json``), pages at ``/``."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from paradiplomacy import __version__
from paradiplomacy.api.routes import router as api_router
from paradiplomacy.api.security import CSRF_COOKIE, SignInLimiter
from paradiplomacy.store.registry import Registry

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"


def create_app(registry: Registry | str | None = None, *, anonymous_read: bool = True,
               secure_cookies: bool = False) -> FastAPI:
    """The web workbench over ``registry`` (a Registry, a path or a URL).

    ``anonymous_read=False`` makes every page and endpoint ask for a signed-in user.
    """
    from paradiplomacy.web.pages import router as page_router

    registry = registry if isinstance(registry, Registry) else Registry(registry)
    registry.require_initialised()
    registry.create_schema()  # the account and audit tables of registries made before them
    app = FastAPI(title="paradiplomacy", version=__version__, openapi_url="/api/openapi.json",
                  docs_url="/api/docs", redoc_url=None,
                  description="The sourced registry of local governments' international ties: "
                              "the same functions as the Python library and the CLI.")
    app.state.registry = registry
    app.state.anonymous_read = anonymous_read
    app.state.secure_cookies = secure_cookies
    app.state.limiter = SignInLimiter()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(page_router)

    @app.middleware("http")
    async def csrf_cookie(request: Request, call_next):
        response = await call_next(request)
        new = getattr(request.state, "new_csrf", None)
        if new and not request.cookies.get(CSRF_COOKIE):
            response.set_cookie(CSRF_COOKIE, new, samesite="strict", secure=secure_cookies)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self' "
                                    "'unsafe-inline'; frame-ancestors 'none'")
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse({"detail": error.detail}, status_code=error.status_code,
                                headers=getattr(error, "headers", None))
        if error.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        from paradiplomacy.web.pages import error_page

        return error_page(request, error.status_code, error.detail)

    return app


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` with several workers (``$PARADIPLOMACY_DB``,
    ``$PARADIPLOMACY_PRIVATE=1`` to turn anonymous reading off)."""
    import os

    return create_app(None, anonymous_read=os.environ.get("PARADIPLOMACY_PRIVATE") != "1")

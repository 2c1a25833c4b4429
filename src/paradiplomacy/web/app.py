"""The application: JSON API under ``/api`` (OpenAPI at ``/api/openapi.json``), pages at ``/``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import ClassVar

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from paradiplomacy import __version__
from paradiplomacy.api.analysis import router as analysis_router
from paradiplomacy.api.cache import ProfileCache
from paradiplomacy.api.jobs import Jobs
from paradiplomacy.api.queue_routes import router as queue_api
from paradiplomacy.api.routes import router as api_router
from paradiplomacy.api.security import SignInLimiter
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.web_indexes import ensure_indexes

__all__ = ["create_app"]

STATIC = Path(__file__).parent / "static"
#: The interactive API documentation (Swagger UI).
DOCS = "/api/docs"


@asynccontextmanager
async def _few_threads(app: FastAPI) -> AsyncIterator[None]:
    """Run the (synchronous, database-bound) endpoints on a few threads, not anyio's 40: under load
    many threads only fight over the GIL and the connection pool (as Datasette keeps 3 SQL threads)."""
    import anyio.to_thread

    anyio.to_thread.current_default_thread_limiter().total_tokens = app.state.threads
    yield
    for jobs in app.state.jobs.values():
        jobs.shutdown()
    app.state.profiles.close()


class SecurityHeaders:
    """Plain ASGI middleware (no body buffering): strict content policy, no MIME sniffing."""

    HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"x-content-type-options", b"nosniff"),
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; "
            b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        ),
    ]

    def __init__(self, app) -> None:
        self.app = app

    #: The API's documentation page starts Swagger UI (served from the package) with an inline script.
    DOCS_HEADERS: ClassVar[list[tuple[bytes, bytes]]] = [
        (b"x-content-type-options", b"nosniff"),
        (
            b"content-security-policy",
            b"default-src 'self'; img-src 'self' data:; script-src 'self' 'unsafe-inline'; "
            b"style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
        ),
    ]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = self.DOCS_HEADERS if scope.get("path") == DOCS else self.HEADERS

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + headers
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(
    registry: Registry | str | None = None,
    *,
    anonymous_read: bool = True,
    secure_cookies: bool = False,
    threads: int = 4,
    cache: int = 2048,
) -> FastAPI:
    """The web workbench over ``registry`` (a Registry, a path or a URL).

    ``anonymous_read=False`` makes every page and endpoint ask for a signed-in user; ``cache`` is
    how many actor profiles are kept between requests (0: none), dropped on any change to the
    registry (see :mod:`paradiplomacy.api.cache`).
    """
    from paradiplomacy.web.analysis_pages import router as analysis_pages
    from paradiplomacy.web.pages import router as page_router
    from paradiplomacy.web.queue_pages import router as queue_pages

    registry = registry if isinstance(registry, Registry) else Registry(registry)
    registry.require_initialised()
    registry.create_schema()  # the account and audit tables of registries made before them
    ensure_indexes(registry)
    app = FastAPI(
        title="paradiplomacy",
        version=__version__,
        openapi_url="/api/openapi.json",
        docs_url=None,  # served below from the package's own copy of Swagger UI: no CDN
        redoc_url=None,
        description="The sourced registry of local governments' international ties: "
        "the same functions as the Python library and the CLI.",
        lifespan=_few_threads,
    )
    app.state.threads = threads
    app.state.registry = registry
    app.state.profiles = ProfileCache(registry, cache)
    # CPU-bound: one computation of each kind at a time; a long matching fit never holds up diffusion
    app.state.jobs = {"match": Jobs(), "diffusion": Jobs()}
    app.state.graph = {}
    app.state.anonymous_read = anonymous_read
    app.state.secure_cookies = secure_cookies
    app.state.limiter = SignInLimiter()
    app.state.reports = {}
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _mount_docs(app)
    app.include_router(api_router)
    app.include_router(analysis_router)
    app.include_router(queue_api)
    app.include_router(page_router)
    from paradiplomacy.web import audit_pages, edit_pages

    app.include_router(edit_pages.router)
    app.include_router(audit_pages.router)
    app.include_router(analysis_pages)
    app.include_router(queue_pages)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        if request.url.path.startswith("/api") or request.url.path.startswith("/static"):
            return JSONResponse(
                {"detail": error.detail},
                status_code=error.status_code,
                headers=getattr(error, "headers", None),
            )
        if error.status_code == 401:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        from paradiplomacy.web.pages import error_page

        return error_page(request, error.status_code, error.detail)

    return app


def _mount_docs(app: FastAPI) -> None:
    """The interactive API documentation at :data:`DOCS`, with Swagger UI from the
    ``swagger-ui-bundle-v2`` package (web extra) rather than a CDN, so it works offline and within
    the content policy."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from swagger_ui_bundle import swagger_ui_path

    assets = f"{DOCS}/assets"
    app.mount(assets, StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get(DOCS, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/api/openapi.json",
            title="paradiplomacy API",
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
        )


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` with several workers (``$PARADIPLOMACY_DB``,
    ``$PARADIPLOMACY_PRIVATE=1`` to turn anonymous reading off, ``$PARADIPLOMACY_PROFILE_CACHE``
    profiles kept, 0 for none)."""
    import os

    return create_app(
        None,
        anonymous_read=os.environ.get("PARADIPLOMACY_PRIVATE") != "1",
        cache=int(os.environ.get("PARADIPLOMACY_PROFILE_CACHE", "2048")),
    )

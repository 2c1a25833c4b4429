"""Web commands: ``serve`` (the workbench and JSON API), ``user add``, ``datasette-metadata``,
``tie-map``.

The web stack (FastAPI, uvicorn) is imported inside the commands, so the CLI starts fast without it.
"""

from __future__ import annotations

import json

import click

from paradiplomacy.cli.options import db_option, handle_errors, open_registry


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--private", is_flag=True, help="Turn anonymous reading off: every page needs a sign-in.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Worker processes (each with its own profile cache; safe on SQLite and PostgreSQL).",
)
@click.option(
    "--cache",
    default=2048,
    show_default=True,
    type=click.IntRange(0),
    help="Actor profiles kept in memory per worker, dropped on any change (0: none).",
)
@click.option("--get", "get_path", metavar="PATH", help="Request PATH once, print the answer and exit.")
@handle_errors
def serve(
    db: str | None, host: str, port: int, private: bool, workers: int, cache: int, get_path: str | None
) -> None:
    """Serve the web workbench and its JSON API (OpenAPI at /api/openapi.json).

    Pages: search, actor (with its ties on a map), tie explorer with CSV/JSON downloads, statistics,
    report, network, coalitions, channels, audit log; editors sign in to add and correct records.
    Create accounts with `paradiplomacy user add`.

    Example:

        paradiplomacy serve                          # http://127.0.0.1:8000
        paradiplomacy serve --db postgresql+psycopg://localhost/paradiplomacy --port 8080
        paradiplomacy serve --workers 2                # two processes on one port
        paradiplomacy serve --get "/api/search?q=Fuchū"
    """
    registry = open_registry(db)
    try:
        from paradiplomacy.web.app import create_app
    except ImportError as error:
        raise click.ClickException(
            f"the web extra is missing ({error.name}): pip install 'paradiplomacy[web]'"
        ) from None
    app = create_app(registry, anonymous_read=not private, cache=cache)
    if get_path:
        from fastapi.testclient import TestClient  # drives the app in this process (httpx2: web extra)

        response = TestClient(app).get(get_path)
        click.echo(response.text)
        raise SystemExit(0 if response.status_code < 400 else 1)
    import uvicorn

    click.echo(f"paradiplomacy on http://{host}:{port}/ over {registry.display_url}", err=True)
    if workers > 1:  # each worker builds its own app from the environment
        import os

        os.environ["PARADIPLOMACY_DB"] = registry.url
        os.environ["PARADIPLOMACY_PRIVATE"] = "1" if private else "0"
        os.environ["PARADIPLOMACY_PROFILE_CACHE"] = str(cache)
        run_workers(host, port, workers)
    else:
        uvicorn.run(app, host=host, port=port, log_level="warning")


def run_workers(host: str, port: int, workers: int) -> None:
    """Serve ``app_from_env`` from ``workers`` processes sharing one listening socket.

    The socket is made here with its protocol named (TCP): asyncio then turns Nagle's algorithm off
    on every connection. uvicorn's own multi-worker socket leaves the protocol 0, so Nagle stays on
    and each kept-alive response (headers and body written apart) waits ~40 ms for a delayed ACK.
    """
    import socket

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    config = uvicorn.Config(
        "paradiplomacy.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
    )
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        raise click.ClickException(f"cannot listen on {host}:{port}: {error}") from None
    sock.set_inheritable(True)
    Multiprocess(config, sockets=[sock]).run()


@click.group()
def user() -> None:
    """Accounts of the web workbench (editors change records, viewers read)."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["editor", "viewer"]), default="viewer", show_default=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="PARADIPLOMACY_PASSWORD",
    help="At least 8 characters (prompted if not given).",
)
@db_option
@handle_errors
def user_add(name: str, role: str, password: str, db: str | None) -> None:
    """Create an account; the password is stored as an Argon2id hash.

    Example:

        paradiplomacy user add hanako --role editor
    """
    from paradiplomacy.curation.accounts import add_user

    created = add_user(open_registry(db), name, password, role)
    click.echo(f"user {created['name']} ({created['role']}) created")


@click.command("datasette-metadata")
@handle_errors
def datasette_metadata() -> None:
    """Print Datasette metadata for the SQLite registry (titles, descriptions, licences, facets).

    Example:

        paradiplomacy datasette-metadata > metadata.json
        datasette paradiplomacy.db --metadata metadata.json
    """
    from paradiplomacy.export.datasette import datasette_metadata as build

    click.echo(json.dumps(build(), ensure_ascii=False, indent=2))


@click.command("tie-map")
@click.argument("actor")
@db_option
@handle_errors
def tie_map_command(actor: str, db: str | None) -> None:
    """Print an actor's ties as GeoJSON: its point, its partners and a line to each (the actor
    page's map).

    Example:

        paradiplomacy tie-map 北九州市 > kitakyushu.geojson
    """
    from paradiplomacy.analysis.tie_map import tie_map
    from paradiplomacy.resolve.find import find_actor

    registry = open_registry(db)
    click.echo(json.dumps(tie_map(registry, find_actor(registry, actor)), ensure_ascii=False))


COMMANDS = [serve, user, datasette_metadata, tie_map_command]

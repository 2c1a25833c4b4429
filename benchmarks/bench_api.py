"""Read-endpoint latency and throughput of our API, on SQLite and on PostgreSQL, against Datasette
serving the same SQLite file, in one run, at ``--clients`` concurrent clients (50 by default).

Two comparable reads, each rotated over the actors that hold ties (so no single row stays hot):

- ``record``: one tie by id — ours ``/api/records/tie/{id}`` (fields and version) vs Datasette's
  ``/{db}/tie/{id}.json``;
- ``actor``: one actor's ties — ours ``/api/actors/{id}`` (the full profile: names, codes, history,
  ties with partners and sources, offices...) vs Datasette's ``/{db}/tie.json?subject_id={id}``
  (the tie rows alone, so Datasette does less work).

Each server runs in its own process (ours: uvicorn with ``--workers`` processes; Datasette: its own
server, read-only on the file). Printed: p50, p99 (ms), requests/s, and ours over Datasette.
The goal is p99 under 100 ms for ours.

Ours keeps recently read profiles until the registry changes (:mod:`paradiplomacy.api.cache`);
with ~300 actors rotated, most requests after the first pass are served from it. ``--uncached``
adds lines for ours with that cache off, where every profile is read from the database.

    python benchmarks/bench_api.py --db /tmp/web.db [--pg postgresql+psycopg://...] [--clients 50]
        [--requests 3000] [--workers 2] [--uncached]

``--pg`` (default ``$PARADIPLOMACY_TEST_PG``) must be an initialised registry (``paradiplomacy
init --db URL``); without it the PostgreSQL line is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from sqlalchemy import func, select

from paradiplomacy import Registry
from paradiplomacy.store.schema import Tie


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start(command: list[str], env: dict[str, str], port: int, probe: str) -> subprocess.Popen:
    process = subprocess.Popen(
        command, env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}{probe}", timeout=5).status_code < 500:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
        if process.poll() is not None:
            raise RuntimeError(f"{command[0]} stopped: {process.stderr.read().decode()[-2000:]}")
    process.kill()
    raise RuntimeError(f"{' '.join(command)} did not start")


def ours(db: str, workers: int, cache: bool = True) -> tuple[subprocess.Popen, int]:
    """``paradiplomacy serve`` as a user starts it."""
    port = free_port()
    exe = str(Path(sys.executable).with_name("paradiplomacy"))
    command = [
        exe,
        "serve",
        "--db",
        db,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--cache",
        "2048" if cache else "0",
    ]
    return start(command, {}, port, "/api/openapi.json"), port


def datasette(path: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    exe = shutil.which("datasette") or str(Path(sys.executable).with_name("datasette"))
    command = [exe, "serve", str(path), "--port", str(port), "--setting", "sql_time_limit_ms", "10000"]
    return start(command, {}, port, "/-/versions.json"), port


async def load(urls: list[str], clients: int, total: int, rate: float | None = None) -> dict[str, float]:
    """``total`` requests from ``clients`` concurrent clients; latency percentiles and throughput.

    Without ``rate`` each client sends its next request as soon as the last is answered (closed
    loop: the server's saturation throughput, where latency is mostly queueing, clients/throughput).
    With ``rate`` the clients together start ``rate`` requests per second on a fixed schedule (open
    loop: the latency a user sees at that load)."""
    latencies: list[float] = []
    errors = 0
    kinds: dict[str, int] = {}
    queue = iter(range(total))
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        for url in urls[:clients]:  # warm up
            await client.get(url, timeout=120)

        start_at = time.perf_counter()

        async def worker(seed: int) -> None:
            nonlocal errors
            rng = random.Random(seed)
            for number in queue:
                if rate:
                    await asyncio.sleep(max(0.0, start_at + number / rate - time.perf_counter()))
                url = rng.choice(urls)
                began = time.perf_counter()
                try:
                    response = await client.get(url)
                except httpx.HTTPError as error:  # a dropped connection: an error, not a latency
                    errors += 1
                    kinds[type(error).__name__] = kinds.get(type(error).__name__, 0) + 1
                    continue
                latencies.append(time.perf_counter() - began)
                if response.status_code != 200:
                    errors += 1
                    kinds[str(response.status_code)] = kinds.get(str(response.status_code), 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - began
    latencies.sort()
    return {
        "p50": 1000 * statistics.median(latencies),
        "p99": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "rps": len(latencies) / elapsed,
        "errors": errors,
        "kinds": kinds,
    }


def sample(db: str, n: int = 300) -> tuple[list[int], list[int]]:
    """Tie ids and the actors that signed them (a fixed random sample)."""
    registry = Registry(db)
    with registry.reader() as session:
        rows = session.execute(select(Tie.id, Tie.subject_id).order_by(func.random()).limit(n)).all()
    rows = sorted(rows)
    return [r[0] for r in rows], sorted({r[1] for r in rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="paradiplomacy.db", help="an initialised SQLite registry")
    parser.add_argument("--pg", default=os.environ.get("PARADIPLOMACY_TEST_PG"))
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of ours")
    parser.add_argument(
        "--rate", type=float, default=100.0, help="requests/s of the paced (open-loop) run; 0 to skip it"
    )
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="also run ours with the profile cache off (every profile read afresh)",
    )
    parser.add_argument("--skip-saturation", action="store_true", help="only the paced run")
    args = parser.parse_args()
    path = Path(args.db)
    ties, actors = sample(str(path))
    name = path.stem
    targets: list[tuple[str, subprocess.Popen, int, dict[str, list[str]]]] = []

    def our_paths() -> dict[str, list[str]]:
        return {
            "record": [f"/api/records/tie/{t}" for t in ties],
            "actor": [f"/api/actors/id:{a}" for a in actors],
        }

    try:
        process, port = ours(str(path), args.workers)
        targets.append(("ours/SQLite", process, port, our_paths()))
        if args.uncached:
            process, port = ours(str(path), args.workers, cache=False)
            targets.append(("ours/SQLite nocache", process, port, {"actor": our_paths()["actor"]}))
        if args.pg:
            pg_ties, pg_actors = sample(args.pg)
            pg_paths = {
                "record": [f"/api/records/tie/{t}" for t in pg_ties],
                "actor": [f"/api/actors/id:{a}" for a in pg_actors],
            }
            process, port = ours(args.pg, args.workers)
            targets.append(("ours/PostgreSQL", process, port, pg_paths))
            if args.uncached:
                process, port = ours(args.pg, args.workers, cache=False)
                targets.append(("ours/PG nocache", process, port, {"actor": pg_paths["actor"]}))
        process, port = datasette(path)
        targets.append(
            (
                "Datasette/SQLite",
                process,
                port,
                {
                    "record": [f"/{name}/tie/{t}.json" for t in ties],
                    "actor": [f"/{name}/tie.json?subject_id={a}&_size=max" for a in actors],
                },
            )
        )
        results: dict[tuple[str, str], dict[str, float]] = {}
        print(
            f"{args.clients} concurrent clients, {args.requests} requests per line, "
            f"ours with {args.workers} worker(s); {len(ties)} ties, {len(actors)} actors rotated"
        )
        modes = ([] if args.skip_saturation else [("saturation", None)]) + (
            [(f"{args.rate:g} req/s", args.rate)] if args.rate else []
        )
        print(f"{'mode':12} {'server':20} {'query':7} {'p50 ms':>8} {'p99 ms':>8} {'req/s':>8} {'errors':>6}")
        for mode, rate in modes:
            for label, _, port, paths in targets:
                for query, rel in paths.items():
                    urls = [f"http://127.0.0.1:{port}{p}" for p in rel]
                    result = asyncio.run(load(urls, args.clients, args.requests, rate))
                    results[(mode, label, query)] = result
                    print(
                        f"{mode:12} {label:20} {query:7} {result['p50']:8.1f} {result['p99']:8.1f} "
                        f"{result['rps']:8.0f} {result['errors']:6d} {result['kinds'] or ''}",
                        flush=True,
                    )
        for mode, _ in modes:
            for query in ("record", "actor"):
                mine = results[(mode, "ours/SQLite", query)]
                peer = results[(mode, "Datasette/SQLite", query)]
                print(
                    f"{mode}, {query}: ours/Datasette throughput {mine['rps'] / peer['rps']:.2f}, "
                    f"p99 {mine['p99'] / peer['p99']:.2f}; ours p99 under 100 ms: "
                    f"{'yes' if mine['p99'] < 100 else 'NO'}"
                )
    finally:
        for _, process, _, _ in targets:
            process.terminate()
            process.wait(timeout=20)


if __name__ == "__main__":
    main()

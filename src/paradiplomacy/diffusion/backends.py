"""Where Monte Carlo chunks and sweep points run: in this process (``local``) or on dask (``dask``).

Monte Carlo runs are cut into chunks, each with its own child of one ``numpy.random.SeedSequence``,
and the chunks' results are put back in chunk order — so a seed gives the same runs on every backend
and any number of workers. Parameter sweeps send one task per grid point (:func:`map_tasks`).
``dask`` uses the cluster at ``address`` (or a ``client`` passed in), else starts a ``LocalCluster``
for the call. Ray is not offered: it is not installed by the project's extras.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from paradiplomacy.errors import ParadiplomacyError

__all__ = ["BACKENDS", "BackendError", "chunk_sizes", "map_chunks", "map_tasks", "require_backend"]

BACKENDS = ("local", "dask")
Progress = Callable[[str, int, int], None]


class BackendError(ParadiplomacyError, RuntimeError):
    """A backend that is unknown or cannot start."""


def require_backend(backend: str, client: Any = None) -> None:
    """Fail at once, before any work, when ``backend`` is unknown or its libraries are missing.

    A missing library raises its ``ImportError`` (the CLI prints :func:`paradiplomacy.extras.missing_extra`'s
    line); a ``client`` passed in means dask is there.
    """
    if backend not in BACKENDS:
        raise BackendError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")
    if backend == "dask" and client is None:
        import dask  # noqa: F401
        import distributed  # noqa: F401


def chunk_sizes(runs: int, chunk: int) -> list[int]:
    """Split ``runs`` into chunks of at most ``chunk``."""
    if runs < 1 or chunk < 1:
        raise BackendError("runs and chunk size must be positive")
    return [min(chunk, runs - start) for start in range(0, runs, chunk)]


def map_chunks(
    task: Callable[..., Any],
    shared: Any,
    sizes: Sequence[int],
    seed: int | None,
    *,
    backend: str = "local",
    address: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
) -> list[Any]:
    """``task(shared, size, seed_sequence)`` for every chunk, results in chunk order."""
    seeds = np.random.SeedSequence(seed).spawn(len(sizes))
    items = list(zip(sizes, seeds, strict=True))
    return map_tasks(
        _chunk_call,
        (task, shared),
        items,
        backend=backend,
        address=address,
        client=client,
        progress=progress,
        label="monte carlo",
    )


def _chunk_call(payload: tuple[Callable[..., Any], Any], item: tuple[int, Any]) -> Any:
    task, shared = payload
    return task(shared, *item)


def map_tasks(
    task: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    *,
    backend: str = "local",
    address: str | None = None,
    client: Any = None,
    progress: Progress | None = None,
    label: str = "tasks",
) -> list[Any]:
    """``task(shared, item)`` for every item (a chunk of runs, a point of a sweep), in item order."""
    report = progress or (lambda _name, _done, _total: None)
    if backend == "local":
        results = []
        for done, item in enumerate(items, start=1):
            results.append(task(shared, item))
            report(label, done, len(items))
        return results
    if backend == "dask":
        return _dask(task, shared, items, address=address, client=client, report=report, label=label)
    raise BackendError(f"unknown backend {backend!r}; use one of {', '.join(BACKENDS)}")


def _dask(
    task: Callable[[Any, Any], Any],
    shared: Any,
    items: Sequence[Any],
    *,
    address: str | None,
    client: Any,
    report: Progress,
    label: str,
) -> list[Any]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError as error:  # pragma: no cover - depends on the installed extras
        from paradiplomacy.extras import missing_extra

        raise BackendError(
            missing_extra(error) or "the dask backend needs `pip install 'paradiplomacy[diffusion]'`"
        ) from error
    own_cluster = None
    if client is None:
        if address is None:
            own_cluster = LocalCluster(
                n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
            )
        client = Client(own_cluster or address)
    try:
        remote = client.scatter(shared, broadcast=True)
        futures = [client.submit(task, remote, item, pure=False) for item in items]
        position = {future.key: index for index, future in enumerate(futures)}
        results: list[Any] = [None] * len(futures)
        for done, future in enumerate(as_completed(futures), start=1):
            results[position[future.key]] = future.result()
            report(f"{label} (dask)", done, len(futures))
        return results
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()

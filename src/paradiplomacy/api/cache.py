"""Actor profiles kept in memory between requests, dropped as soon as the registry changes.

Every read first takes the registry's *change stamp*, a value that differs whenever anything was
committed since it was last taken, by this process or any other (a CLI import, another server
worker); cached profiles are served only under the stamp they were read at, and the data is always
read after its stamp, so a stale profile is never served:

- SQLite: ``PRAGMA data_version`` on one connection kept for the purpose, which never writes; its
  value changes exactly when another connection has committed.
- PostgreSQL: ``pg_current_snapshot()``; two equal snapshots see the same committed transactions.
  Transaction ids are the cluster's, so a write to another database of the same server also drops
  the cache (never stale, but fewer hits on a busy shared server).

Registries in memory (each connection its own database) are not cached.

Values are kept as JSON bytes, one object each: a few thousand nested profiles as Python dicts
would be millions of objects for the garbage collector to walk, in pauses that show in the tail.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import text

from paradiplomacy.api.convert import jsonable
from paradiplomacy.store.registry import Registry

__all__ = ["ProfileCache", "to_json"]


def to_json(value: Any) -> bytes:
    """Compact UTF-8 JSON, as FastAPI writes it."""
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


class ProfileCache:
    """The JSON-ready profiles (and tie maps) of the ``size`` most recently read actors at the
    current stamp."""

    def __init__(self, registry: Registry, size: int = 2048) -> None:
        self.registry, self.size = registry, size
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()
        self._stamp: object = None
        self._lock = threading.Lock()
        self._probe_lock = threading.Lock()
        self._probe: Any = None
        self.hits = self.misses = 0
        self.stampable = registry.engine.dialect.name == "postgresql" or registry.sqlite_path is not None
        self.enabled = size > 0 and self.stampable

    def stamp(self) -> object:
        """The registry's change stamp now (None for a registry in memory): one round trip."""
        if not self.stampable:
            return None
        if self.registry.engine.dialect.name == "postgresql":  # no BEGIN/ROLLBACK around it
            with self.registry.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                return connection.execute(text("SELECT pg_current_snapshot()::text")).scalar_one()
        with self._probe_lock:
            if self._probe is None:  # a pooled connection of our own, detached from the pool
                self._probe = self.registry.engine.raw_connection()
                self._probe.detach()
            cursor = self._probe.cursor()
            try:
                return cursor.execute("PRAGMA data_version").fetchone()[0]
            finally:
                cursor.close()

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The value of ``key`` at the current stamp, from ``compute()`` (which reads the registry)
        when not kept. Callers must not change the value returned."""
        stamp = self.stamp() if self.enabled else None  # taken before the data is read
        if stamp is not None:
            with self._lock:
                if stamp != self._stamp:
                    self._entries.clear()
                    self._stamp = stamp
                found = self._entries.get(key)
                if found is not None:
                    self._entries.move_to_end(key)
                    self.hits += 1
                    return found
        value = compute()
        with self._lock:
            self.misses += 1
            if stamp is not None and stamp == self._stamp:
                self._entries[key] = value
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value

    def json(self, key: Hashable, compute: Callable[[], Any]) -> bytes:
        """:meth:`get` of ``compute()``'s JSON-ready value, kept and returned as JSON bytes."""
        return self.get(key, lambda: to_json(compute()))

    def profile_json(self, actor_id: int) -> bytes:
        """:func:`~paradiplomacy.store.profile.actor_profile` of ``actor_id`` as JSON; raise
        KeyError for no such actor."""
        from paradiplomacy.store.profile import actor_profile

        def read() -> dict[str, Any]:
            with self.registry.reader() as session:
                return jsonable(actor_profile(session, actor_id))

        return self.json(("profile", actor_id), read)

    def profile(self, actor_id: int) -> dict[str, Any]:
        """:meth:`profile_json` as a dict (the caller's own copy)."""
        return json.loads(self.profile_json(actor_id))

    def close(self) -> None:
        """Close the SQLite probe connection."""
        with self._probe_lock:
            if self._probe is not None:
                self._probe.close()
                self._probe = None

"""Read a SQLite registry with the stdlib ``sqlite3`` module: the fast path of ``search``.

Importing SQLAlchemy's ORM and the declarative schema costs more than a whole lookup, so ``search``
on a SQLite file reads the rows :func:`.ranking.search` needs with plain SQL here, read-only. The
queries are those :class:`~paradiplomacy.resolve.directory.ActorDirectory` and
:mod:`paradiplomacy.store.succession` issue (same text, so SQLite returns rows in the same order
and ties rank alike); a test compares both paths on the full registry. Anything this module does
not recognise (a server URL, a missing or uninitialised file) gets ``None`` from
:func:`open_source`, and the caller takes the ORM path with its own messages.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import NameIndex
from paradiplomacy.resolve.ranking import (
    ACTOR_ROW_COLUMNS,
    HOME_COUNTRY,
    HOME_KINDS,
    ActorRow,
    NameSource,
    actor_label,
    ancestor_names,
    index_actors,
)

__all__ = ["SqliteSource", "open_source", "sqlite_file"]

ENV_VAR = "PARADIPLOMACY_DB"  # as store.registry.ENV_VAR (a test checks)
DEFAULT_PATH = "paradiplomacy.db"  # as store.registry.DEFAULT_PATH
_KEY = re.compile(r"^[a-z0-9][a-z0-9._:\-]*$")
_CODE5 = re.compile(r"^\d{5}$")
_CODE6 = re.compile(r"^\d{6}$")
_ISO2 = re.compile(r"^[A-Z]{2}$")
_CHUNK = 500
_ACTOR = (
    "SELECT actor.id, actor.kind, actor.country, actor.lat, actor.lon, actor.population, "
    "actor.parent_id, actor.name_en, actor.name_ja FROM actor"
)
_NAMES = "SELECT actor_name.actor_id, actor_name.name, actor_name.norm FROM actor_name"


def sqlite_file(db: str | None) -> Path | None:
    """The file a ``--db`` value names when it is a plain SQLite path or ``sqlite:///`` URL
    (``$PARADIPLOMACY_DB``, else ./paradiplomacy.db, when None); None for anything else."""
    raw = db if db is not None else os.environ.get(ENV_VAR) or DEFAULT_PATH
    if "://" in raw:
        if not raw.startswith("sqlite:///") or "?" in raw or raw.startswith("sqlite:///file:"):
            return None
        raw = raw.removeprefix("sqlite:///")
    if not raw or raw == ":memory:":
        return None
    return Path(raw).expanduser()


@contextmanager
def open_source(db: str | None) -> Iterator[SqliteSource | None]:
    """A read-only :class:`SqliteSource` on an initialised SQLite registry, else None."""
    path = sqlite_file(db)
    connection = _connect(path) if path is not None and path.is_file() else None
    try:
        yield SqliteSource(connection) if connection is not None else None
    finally:
        if connection is not None:
            connection.close()


def _connect(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to an initialised registry, or None (the ORM path then explains)."""
    directory = path.resolve().parent
    immutable = "&immutable=1" if not os.access(directory, os.W_OK) else ""
    uri = f"file:{quote(path.resolve().as_posix())}?mode=ro{immutable}"
    try:
        connection = sqlite3.connect(uri, uri=True, timeout=30.0)
        done = connection.execute("SELECT value FROM meta WHERE key = 'initialised'").fetchone()
    except sqlite3.Error:
        return None
    if done is None or done[0] is None:
        connection.close()
        return None
    return connection


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


class SqliteSource:
    """The rows :func:`.ranking.search` reads, through a ``sqlite3`` connection."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._indexes: dict[str | None, NameIndex] = {}
        self._keys: dict[str, int | None] = {}

    def _rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return self.connection.execute(sql, tuple(params)).fetchall()

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = self.connection.execute(sql, tuple(params)).fetchone()
        return row[0] if row is not None else None

    # -- exact references (as ActorDirectory.exact) -------------------------------------------
    def _by_key(self, key: str) -> int | None:
        if key not in self._keys:
            self._keys[key] = self._one('SELECT actor.id FROM actor WHERE actor."key" = ?', [key])
        return self._keys[key]

    def exact(self, ref: str) -> int | None:
        ref = ref.strip()
        if _KEY.match(ref) and (found := self._by_key(ref)) is not None:
            return found
        if _CODE5.match(ref):
            from paradiplomacy.reference.japan import check_digit  # lazy: loads the postal module

            ref = ref + check_digit(ref)
        if _CODE6.match(ref):
            found = self._one("SELECT actor.id FROM actor WHERE actor.lg_code = ?", [ref])
            if found is None:
                found = self._one(
                    "SELECT actor_code.actor_id FROM actor_code WHERE actor_code.code = ? "
                    "ORDER BY actor_code.valid_until DESC LIMIT ? OFFSET ?",
                    [ref, 1, 0],
                )
            return found
        if _ISO2.match(ref):
            return self._by_key(f"{ref.lower()}-gov")
        return None

    # -- name indexes (as ActorDirectory.index, preload, _build) ------------------------------
    def countries_naming(self, ref: str) -> list[str | None]:
        key = normalize(split_qualifier(ref)[0])
        rows = self._rows(
            "SELECT DISTINCT actor.country FROM actor JOIN actor_name ON "
            "actor_name.actor_id = actor.id WHERE actor_name.norm = ?",
            [key],
        )
        return sorted((r[0] for r in rows), key=lambda c: (c != HOME_COUNTRY, c or ""))

    def index(self, country: str | None) -> NameIndex:
        if country not in self._indexes:
            self._indexes[country] = self._build(country)
        return self._indexes[country]

    def preload(self, refs: dict[str, list[tuple[frozenset[str], tuple[float, float] | None]]]) -> None:
        """Each country's index from the actors bearing one of the keys (the points, which only
        bulk imports give, are not used by a search)."""
        for country, wanted in sorted(refs.items()):
            if country in self._indexes:
                continue
            keys = sorted({k for ref_keys, _point in wanted for k in ref_keys})
            names: dict[int, list[tuple[str, str]]] = defaultdict(list)
            for start in range(0, len(keys), _CHUNK):
                chunk = keys[start : start + _CHUNK]
                for actor_id, name, norm in self._rows(
                    f"{_NAMES} JOIN actor ON actor.id = actor_name.actor_id WHERE actor.country = ? "
                    f"AND actor_name.norm IN ({_marks(chunk)})",
                    [country, *chunk],
                ):
                    names[actor_id].append((name, norm))
            self._indexes[country] = self._build(country, sorted(names), names)

    def fresh(self) -> NameSource:
        return SqliteSource(self.connection)

    def _build(
        self,
        country: str | None,
        only: list[int] | None = None,
        given: dict[int, list[tuple[str, str]]] | None = None,
    ) -> NameIndex:
        where, params = (
            ("actor.country = ?", [country]) if country is not None else ("actor.country IS NULL", [])
        )
        if only is not None:
            actors = []
            for start in range(0, len(only), _CHUNK):
                chunk = only[start : start + _CHUNK]
                actors.extend(self._rows(f"{_ACTOR} WHERE actor.id IN ({_marks(chunk)})", chunk))
            names = given if given is not None else (self._names(only, where, params) if only else {})
        else:
            actors = self._rows(f"{_ACTOR} WHERE {where}", params)
            ids = [a[0] for a in actors] if len(actors) < 900 else None
            names = self._names(ids, where, params)
        parent_names = self._parent_names({a[6] for a in actors if a[6] is not None})
        return index_actors(actors, names, parent_names)

    def _names(
        self, ids: list[int] | None, where: str = "", params: Sequence[Any] = ()
    ) -> dict[int, list[tuple[str, str]]]:
        names: dict[int, list[tuple[str, str]]] = defaultdict(list)
        if ids is not None:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                for actor_id, name, norm in self._rows(
                    f"{_NAMES} WHERE actor_name.actor_id IN ({_marks(chunk)}) ORDER BY actor_name.id", chunk
                ):
                    names[actor_id].append((name, norm))
            return names
        for actor_id, name, norm in self._rows(
            f"{_NAMES} JOIN actor ON actor.id = actor_name.actor_id WHERE {where} ORDER BY actor_name.id",
            params,
        ):
            names[actor_id].append((name, norm))
        return names

    def _parent_names(self, ids: set[int]) -> dict[int, list[tuple[str, str]]]:
        """Names of each parent and of its own parents (see :func:`.ranking.ancestor_names`)."""
        return ancestor_names(ids, self._parents_of, self._names)

    def _parents_of(self, ids: list[int]) -> dict[int, int | None]:
        found: dict[int, int | None] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            found.update(
                self._rows(
                    f"SELECT actor.id, actor.parent_id FROM actor WHERE actor.id IN ({_marks(chunk)})", chunk
                )
            )
        return found

    # -- rows of results ---------------------------------------------------------------------
    def actors_by_code(self, code: str) -> list[int]:
        current = self._one("SELECT actor.id FROM actor WHERE actor.lg_code = ?", [code])
        rows = self._rows(
            "SELECT actor_code.actor_id, actor_code.valid_until FROM actor_code WHERE actor_code.code = ?",
            [code],
        )
        ordered = [actor_id for actor_id, until in rows if until is None]
        ordered += [
            actor_id
            for actor_id, until in sorted(
                (r for r in rows if r[1] is not None), key=lambda r: r[1], reverse=True
            )
        ]
        if current is not None:
            ordered.insert(0, current)
        return list(dict.fromkeys(ordered))

    def home_namesakes(self, key: str, *, former_only: bool = False) -> list[int]:
        former = " AND actor.dissolved IS NOT NULL" if former_only else ""
        rows = self._rows(
            "SELECT actor.id FROM actor JOIN actor_name ON actor_name.actor_id = actor.id "
            f"WHERE actor_name.norm = ? AND actor.country = ? AND actor.kind IN (?, ?, ?){former} "
            "ORDER BY actor.dissolved IS NOT NULL, actor.id",
            [key, HOME_COUNTRY, *HOME_KINDS],
        )
        return list(dict.fromkeys(r[0] for r in rows))

    def dissolved(self, ids: list[int]) -> set[int]:
        return {
            r[0]
            for r in self._rows(
                f"SELECT actor.id FROM actor WHERE actor.id IN ({_marks(ids)}) "
                "AND actor.dissolved IS NOT NULL",
                ids,
            )
        }

    def actors(self, ids: list[int]) -> dict[int, ActorRow]:
        own = ", ".join(f'a."{column}"' for column in ACTOR_ROW_COLUMNS)
        rows = self._rows(
            f'SELECT {own}, p.name_en, p.name_ja, p."key" FROM actor AS a '
            f"LEFT OUTER JOIN actor AS p ON p.id = a.parent_id WHERE a.id IN ({_marks(ids)})",
            ids,
        )
        return {row[0]: ActorRow.from_row(row) for row in rows}

    def names(self, ids: list[int]) -> dict[int, list[str]]:
        names: dict[int, list[str]] = {}
        for actor_id, name in self._rows(
            "SELECT actor_name.actor_id, actor_name.name FROM actor_name "
            f"WHERE actor_name.actor_id IN ({_marks(ids)}) "
            "ORDER BY actor_name.id",
            ids,
        ):
            names.setdefault(actor_id, []).append(name)
        return names

    def successors(self, actor_id: int) -> list[dict[str, Any]]:
        rows = self._rows(
            'SELECT heir.id, heir."key", heir.name_en, heir.name_ja, heir.lg_code, heir.lg_type, '
            "heir.dissolved, s.date, s.change_type, s.change_type_ja, s.position FROM succession AS s "
            "JOIN actor AS heir ON heir.id = s.successor_id WHERE s.predecessor_id = ? "
            "ORDER BY s.position, s.id",
            [actor_id],
        )
        return [
            {
                "id": i,
                "key": key,
                "name": actor_label(en, ja, key),
                "name_ja": ja,
                "lg_code": code,
                "lg_type": lg_type,
                "dissolved": gone,
                "date": date,
                "change_type": change,
                "change_type_ja": change_ja,
                "position": position,
            }
            for i, key, en, ja, code, lg_type, gone, date, change, change_ja, position in rows
        ]

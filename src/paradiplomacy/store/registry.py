"""The registry: one entry object that owns the database connection."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, inspect, make_url, select
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from paradiplomacy.errors import ParadiplomacyError
from paradiplomacy.store.schema import Base, Meta

DEFAULT_PATH = "paradiplomacy.db"
ENV_VAR = "PARADIPLOMACY_DB"
SCHEMA_VERSION = "2"
BUSY_ENV_VAR = "PARADIPLOMACY_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 30.0
"""Seconds a writer waits for another writer to finish before giving up."""
BACKENDS = ("sqlite", "postgresql")


class RegistryError(ParadiplomacyError):
    """Base class of the registry's own errors."""


class NotInitialised(RegistryError):
    """The database exists but has not been created and filled by ``init``."""


class DatabaseUnavailable(RegistryError):
    """The database refused the work: locked by another writer, read-only, full, unreachable."""


def describe_database_error(error: BaseException, where: str = "the registry") -> str:
    """One line saying why the database refused, in the user's terms.

    The chain of exceptions is searched: after ``database or disk is full`` SQLite rolls the
    transaction back itself, and the error that surfaces is only the failed savepoint release.
    """
    chain, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    texts = []
    for item in chain:
        orig = getattr(item, "orig", None) or item
        text = str(orig).strip()
        texts.append(text.splitlines()[0] if text else type(orig).__name__)
    for text in texts:
        message = _known_database_error(text.lower(), where)
        if message is not None:
            return message
    return f"database error on {where}: {texts[0]}"


def _known_database_error(lowered: str, where: str) -> str | None:
    if "locked" in lowered or "busy" in lowered:
        return (
            f"{where} is locked by another process (waited {busy_timeout():g} s; "
            f"set ${BUSY_ENV_VAR} to wait longer): nothing was stored"
        )
    if "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        return f"{where} is read-only: it can be queried but not changed, so nothing was stored"
    if "full" in lowered and ("disk" in lowered or "database" in lowered):
        return f"the disk holding {where} is full: nothing was stored (the registry is unchanged)"
    if "unable to open" in lowered:
        return f"cannot open {where}: check the path and its permissions"
    if "malformed" in lowered or "not a database" in lowered:
        return f"cannot open {where}: not a registry (the file is damaged or not SQLite): {lowered}"
    return None


def busy_timeout() -> float:
    """Seconds to wait on a locked database (``$PARADIPLOMACY_BUSY_TIMEOUT``, default 30)."""
    try:
        value = float(os.environ.get(BUSY_ENV_VAR, DEFAULT_BUSY_TIMEOUT))
    except ValueError:
        return DEFAULT_BUSY_TIMEOUT
    return value if 0 <= value <= 86_400 else DEFAULT_BUSY_TIMEOUT


def database_url(target: str | os.PathLike[str] | None = None) -> str:
    """A SQLAlchemy URL from a path, a URL, or nothing (``$PARADIPLOMACY_DB``, else ./paradiplomacy.db)."""
    raw = str(target) if target is not None else os.environ.get(ENV_VAR) or DEFAULT_PATH
    if "://" in raw:
        return raw
    return f"sqlite:///{Path(raw).expanduser()}"


class Registry:
    """A registry of actors, ties, instruments and observations in one database.

    >>> registry = Registry("sqlite://")      # in memory
    >>> registry.create_schema()
    >>> registry.is_initialised()
    False
    """

    def __init__(
        self,
        target: str | os.PathLike[str] | None = None,
        *,
        echo: bool = False,
        read_only: bool | None = None,
    ) -> None:
        self.url = database_url(target)
        url = _checked_url(self.url)
        self._file: Path | None = None
        self.read_only = bool(read_only)
        connect_args: dict[str, object] = {}
        if url.get_backend_name() == "sqlite":
            connect_args["timeout"] = busy_timeout()
            is_uri = str(url.query.get("uri", "")).lower() in ("true", "1")
            if url.database not in (None, "", ":memory:") and not is_uri:
                self._file = Path(url.database)
                if read_only is None:
                    self.read_only = _read_only_file(self._file)
                if self.read_only:
                    url = _read_only_url(self._file)
        try:
            self.engine: Engine = create_engine(url, echo=echo, connect_args=connect_args)
        except (ArgumentError, NoSuchModuleError, ImportError) as error:
            raise RegistryError(f"cannot use database {_masked(url)}: {error}") from None
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", self._sqlite_connect)
            event.listen(self.engine, "begin", _sqlite_begin)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        writer = self.engine.execution_options(paradiplomacy_begin="IMMEDIATE")
        self._writers = sessionmaker(writer, expire_on_commit=False)

    def _sqlite_connect(self, dbapi_connection, _record) -> None:
        """Own the transactions (SAVEPOINTs work), enforce foreign keys, wait on locks, use WAL."""
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout() * 1000)}")
            if not self.read_only and self._file is not None:
                with contextlib.suppress(Exception):  # read-only medium or busy: keep its mode
                    cursor.execute("PRAGMA journal_mode=WAL")
        finally:
            cursor.close()

    def __repr__(self) -> str:
        return f"Registry({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """The database URL with any password masked, for messages."""
        if self._file is not None:
            return f"sqlite:///{self._file}"
        return self.engine.url.render_as_string(hide_password=True)

    def create_schema(self) -> None:
        """Create every table that does not exist yet."""
        Base.metadata.create_all(self.engine)

    def drop_schema(self) -> None:
        """Drop every table (used by ``init --reset``)."""
        Base.metadata.drop_all(self.engine)

    @property
    def sqlite_path(self) -> Path | None:
        """The file of a SQLite registry (None for in-memory or server databases)."""
        return self._file

    def has_schema(self) -> bool:
        """True when the tables exist; raise :class:`RegistryError` when the database cannot be read."""
        try:
            inspector = inspect(self.engine)
            return inspector.has_table("actor") and inspector.has_table("meta")
        except DBAPIError as error:
            raise DatabaseUnavailable(describe_database_error(error, self.display_url)) from None

    def is_initialised(self) -> bool:
        """True when ``init`` has completed on this database."""
        path = self.sqlite_path
        if path is not None and not path.is_file():
            return False
        return self.has_schema() and self.meta("initialised") is not None

    def require_initialised(self) -> None:
        """Raise :class:`NotInitialised` with the command that fixes it."""
        if not self.is_initialised():
            raise NotInitialised(
                f"{self.display_url} is not initialised: run "
                f"`paradiplomacy init --db {self.display_url}` first"
            )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session, committed on success and rolled back on any error.

        On SQLite it takes the write lock at once (``BEGIN IMMEDIATE``), waiting up to
        :func:`busy_timeout` seconds for another writer; a database that refuses the work (locked,
        read-only, full) raises :class:`DatabaseUnavailable` after the rollback.
        """
        if self.read_only:
            raise DatabaseUnavailable(f"{self.display_url} is read-only: it can be queried but not changed")
        try:
            with self._writers() as session, session.begin():
                yield session
        except OperationalError as error:
            raise DatabaseUnavailable(describe_database_error(error, self.display_url)) from None

    def reader(self) -> Session:
        """A session for reading (use as a context manager)."""
        return self._sessions()

    def meta(self, key: str) -> str | None:
        """A value from the ``meta`` table."""
        with self.reader() as session:
            return session.scalar(select(Meta.value).where(Meta.key == key))

    def set_meta(self, session: Session, key: str, value: str) -> None:
        """Set a value in the ``meta`` table inside ``session``."""
        session.merge(Meta(key=key, value=value))


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get("paradiplomacy_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".strip())


def _masked(url: URL | str) -> str:
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    return url


def _checked_url(raw: str) -> URL:
    """The parsed URL of a supported backend; raise :class:`RegistryError` otherwise."""
    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        shown = raw.split("@")[-1] if "@" in raw else raw
        raise RegistryError(f"not a database path or URL: {shown!r}") from None
    backend = url.get_backend_name()
    if backend not in BACKENDS:
        raise RegistryError(
            f"unsupported database {backend!r} in {_masked(url)}: use a SQLite file path or a "
            "postgresql+psycopg:// URL"
        )
    return url


def _read_only_file(path: Path) -> bool:
    """True for an existing SQLite file this process may read but not write (the file itself, or
    its directory, where SQLite keeps the journal, is read-only)."""
    if not (path.is_file() and os.access(path, os.R_OK)):
        return False
    directory = path.resolve().parent
    return not os.access(path, os.W_OK) or not os.access(directory, os.W_OK | os.X_OK)


def _read_only_url(path: Path) -> URL:
    """A read-only SQLite URI; immutable when the directory cannot hold the WAL index either."""
    directory = path.resolve().parent
    immutable = "&immutable=1" if not os.access(directory, os.W_OK) else ""
    return make_url(f"sqlite:///file:{path.resolve().as_posix()}?mode=ro{immutable}&uri=true")

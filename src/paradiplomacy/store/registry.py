"""The registry: one entry object that owns the database connection."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from paradiplomacy.errors import ParadiplomacyError
from paradiplomacy.store.schema import Base, Meta

DEFAULT_PATH = "paradiplomacy.db"
ENV_VAR = "PARADIPLOMACY_DB"
SCHEMA_VERSION = "2"


class RegistryError(ParadiplomacyError):
    """Base class of the registry's own errors."""


class NotInitialised(RegistryError):
    """The database exists but has not been created and filled by ``init``."""


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

    def __init__(self, target: str | os.PathLike[str] | None = None, *, echo: bool = False) -> None:
        self.url = database_url(target)
        self.engine: Engine = create_engine(self.url, echo=echo)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Registry({self.display_url!r})"

    @property
    def display_url(self) -> str:
        """The database URL with any password masked, for messages."""
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
        if self.engine.dialect.name != "sqlite" or self.engine.url.database in (None, "", ":memory:"):
            return None
        return Path(self.engine.url.database)

    def has_schema(self) -> bool:
        """True when the tables exist; raise :class:`RegistryError` when the database cannot be read."""
        try:
            inspector = inspect(self.engine)
            return inspector.has_table("actor") and inspector.has_table("meta")
        except DBAPIError as error:
            raise RegistryError(f"cannot open {self.display_url}: {error.orig}") from None

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
        """A session whose work is committed on success and rolled back on any error."""
        with self._sessions() as session, session.begin():
            yield session

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


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()

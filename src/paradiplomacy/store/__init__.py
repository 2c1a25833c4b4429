"""Persistence: the schema, the :class:`Registry` entry object, and queries."""

from paradiplomacy.store import auth_schema as _auth_schema  # noqa: F401  (tables for create_all)
from paradiplomacy.store import web_indexes as _web_indexes  # noqa: F401  (indexes for create_all)
from paradiplomacy.store.registry import NotInitialised, Registry, RegistryError, database_url

__all__ = ["NotInitialised", "Registry", "RegistryError", "database_url"]

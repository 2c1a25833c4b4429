"""Persistence: the schema, the :class:`Registry` entry object, and queries."""

from paradiplomacy.store.registry import NotInitialised, Registry, RegistryError, database_url

__all__ = ["NotInitialised", "Registry", "RegistryError", "database_url"]

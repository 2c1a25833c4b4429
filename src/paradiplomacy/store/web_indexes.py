"""Indexes for the web workbench's per-actor reads (an actor page in a few milliseconds, not tens).

Without them an actor's profile scans ``tie`` for the ties it signed and ``actor`` for its children.
They are declared on the registry's tables, so new registries get them; :func:`ensure_indexes`
adds them to registries made before.
"""

from __future__ import annotations

from sqlalchemy import Index

from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Tie

__all__ = ["WEB_INDEXES", "ensure_indexes"]

WEB_INDEXES = (
    Index("ix_web_tie_subject", Tie.subject_id),
    Index("ix_web_actor_parent", Actor.parent_id),
)


def ensure_indexes(registry: Registry) -> None:
    """Create the indexes a registry lacks (idempotent)."""
    for index in WEB_INDEXES:
        index.create(registry.engine, checkfirst=True)

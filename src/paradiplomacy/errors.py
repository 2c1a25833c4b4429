"""The one base exception of paradiplomacy, so a script can catch every error of the library.

Every named error derives from :class:`ParadiplomacyError`: :class:`~.store.registry.RegistryError`
and its family (``NotInitialised``, ``ActorNotFound``, ``BadFilter``, ``NetworkError``,
``ReportError``, ``CorpusError``, ``DiffusionError``...), :class:`FieldError` (a bad
value in one field) and :class:`~.ingest.errors.ImportFailure` (a rejected import). Messages name
the library's parameters (``country``, ``as_of``); the CLI maps them to its flags.

This module imports nothing, so any layer may use it.

>>> from paradiplomacy.errors import ParadiplomacyError
>>> from paradiplomacy.store.registry import RegistryError
>>> issubclass(RegistryError, ParadiplomacyError)
True
"""

from __future__ import annotations

__all__ = ["FieldError", "ParadiplomacyError"]


class ParadiplomacyError(Exception):
    """Base class of every error the library raises on purpose."""


class FieldError(ParadiplomacyError, ValueError):
    """A value that cannot be accepted for a field of one record."""

    def __init__(self, field: str, reason: str, candidates: tuple[str, ...] = ()) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.candidates = candidates

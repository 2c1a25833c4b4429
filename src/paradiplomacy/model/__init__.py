"""Typed domain vocabulary: enumerations, partial dates and record types. Imports nothing of ours."""

from paradiplomacy.model.dates import PartialDate
from paradiplomacy.model.vocab import (
    ActorKind,
    Channel,
    LgType,
    OfficeFunction,
    OfficeModel,
    Pillar,
    PolicyCode,
    SourceKind,
    TieKind,
    TieStatus,
)

__all__ = [
    "ActorKind",
    "Channel",
    "LgType",
    "OfficeFunction",
    "OfficeModel",
    "PartialDate",
    "Pillar",
    "PolicyCode",
    "SourceKind",
    "TieKind",
    "TieStatus",
]

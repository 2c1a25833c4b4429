"""Deprecated home of the exporters: use :mod:`paradiplomacy.export` (kept for one release, as the
README of 0.1 showed this path)."""

from __future__ import annotations

import warnings

from paradiplomacy.export.frames import tables_as_frames
from paradiplomacy.export.writers import ExportSelection, export_registry

__all__ = ["ExportSelection", "export_registry", "tables_as_frames"]

warnings.warn("paradiplomacy.ingest.export moved to paradiplomacy.export", DeprecationWarning, stacklevel=2)

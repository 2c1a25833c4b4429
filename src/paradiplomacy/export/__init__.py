"""Writing the registry out: tables as CSV, JSON, Parquet; the network as GraphML and GEXF; pandas
frames; Datasette metadata.

The names below are imported on first use, so that importing the package loads neither pandas nor
NetworkX.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paradiplomacy.export.frames import tables_as_frames
    from paradiplomacy.export.writers import ExportSelection, export_registry

__all__ = ["ExportSelection", "export_registry", "tables_as_frames"]

_HOME = {"ExportSelection": "writers", "export_registry": "writers", "tables_as_frames": "frames"}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

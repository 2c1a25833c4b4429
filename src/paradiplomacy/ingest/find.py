"""Deprecated home of registry search: use :mod:`paradiplomacy.resolve.find` (kept for one release,
as the README of 0.1 showed this path)."""

from __future__ import annotations

import warnings

from paradiplomacy.resolve.find import *  # noqa: F403
from paradiplomacy.resolve.find import __all__  # noqa: F401

warnings.warn(
    "paradiplomacy.ingest.find moved to paradiplomacy.resolve.find", DeprecationWarning, stacklevel=2
)

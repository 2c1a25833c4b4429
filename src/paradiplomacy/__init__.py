"""paradiplomacy: a sourced registry and analysis workbench for local governments' international ties.

The public entry point is :class:`paradiplomacy.store.Registry`::

    from paradiplomacy import Registry
    registry = Registry("sqlite:///paradiplomacy.db")
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paradiplomacy.store.registry import Registry

__all__ = ["Registry"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    """``Registry`` on first use, so that ``import paradiplomacy`` does not load SQLAlchemy."""
    if name == "Registry":
        from paradiplomacy.store.registry import Registry

        return Registry
    raise AttributeError(f"module 'paradiplomacy' has no attribute {name!r}")

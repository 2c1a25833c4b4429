"""paradiplomacy: a sourced registry and analysis workbench for local governments' international ties.

The public entry point is :class:`paradiplomacy.store.Registry`::

    from paradiplomacy import Registry
    registry = Registry("sqlite:///paradiplomacy.db")
"""

from paradiplomacy.store.registry import Registry

__all__ = ["Registry"]
__version__ = "0.1.0"

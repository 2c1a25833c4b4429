"""Datasette metadata for a SQLite registry: titles, descriptions, licences, sources and facets.

``paradiplomacy datasette-metadata > metadata.json`` then ``datasette paradiplomacy.db --metadata
metadata.json``. Table descriptions are the model classes' docstrings, so they cannot drift.
"""

from __future__ import annotations

from typing import Any

from paradiplomacy.store import auth_schema
from paradiplomacy.store.schema import Base

__all__ = ["FACETS", "HIDDEN", "datasette_metadata"]

FACETS: dict[str, list[str]] = {
    "actor": ["kind", "country", "lg_type"],
    "tie": ["kind", "status"],
    "source": ["kind"],
    "citation": ["entity"],
    "office": ["country", "model"],
    "adoption": ["policy"],
    "budget_line": ["fiscal_year", "currency"],
    "programme": ["kind"],
    "coalition_member": ["role"],
    "coalition_event": ["channel"],
    "observation": ["measure", "unit"],
    "succession": ["change_type"],
    "unresolved_row": ["kind", "field"],
}
LABELS = {
    "actor": "name_en",
    "source": "title",
    "coalition": "name",
    "office": "name",
    "strategy": "title",
    "programme": "name",
}
HIDDEN = (auth_schema.User.__tablename__, auth_schema.AuthToken.__tablename__)


def _doc(cls: type) -> str:
    return " ".join((cls.__doc__ or "").split())


def datasette_metadata(database: str = "paradiplomacy") -> dict[str, Any]:
    """Metadata for the database named ``database`` (the SQLite file's stem)."""
    classes = {m.class_.__tablename__: m.class_ for m in Base.registry.mappers}
    tables: dict[str, Any] = {}
    for name in sorted(Base.metadata.tables):
        entry: dict[str, Any] = {"title": name.replace("_", " ").capitalize()}
        if name in classes and _doc(classes[name]):
            entry["description"] = _doc(classes[name])
        if name in FACETS:
            entry["facets"] = FACETS[name]
        if name in LABELS:
            entry["label_column"] = LABELS[name]
        if name in HIDDEN:
            entry["hidden"] = True
            entry["allow"] = False  # accounts and token hashes are never published
        tables[name] = entry
    return {
        "title": "paradiplomacy: the international ties of local governments",
        "description": "A sourced registry of Japanese local governments' sister and friendship "
        "affiliations, overseas offices, strategies, coalitions and policy adoptions; "
        "every record cites its source in the citation table.",
        "license": "Code MIT; GeoNames data CC BY 4.0; pair lists CC BY-SA 4.0 (Wikipedia)",
        "license_url": "https://creativecommons.org/licenses/by-sa/4.0/",
        "source": "paradiplomacy (bundled gazetteers, cited papers and pair lists)",
        "source_url": "https://www.geonames.org/",
        "databases": {database: {"tables": tables}},
    }

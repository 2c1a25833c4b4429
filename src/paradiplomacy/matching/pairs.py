"""The registry ties a pair file names (``match evaluate --pairs FILE``), resolved like an import."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.fields import country as parse_country
from paradiplomacy.ingest.fields import number
from paradiplomacy.ingest.readers import read_file
from paradiplomacy.matching.graph import MatchingError, TieGraph
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.registry import Registry

__all__ = ["edges_of_pairs"]


def edges_of_pairs(registry: Registry, graph: TieGraph, path: str | Path) -> tuple[np.ndarray, int]:
    """Mask of the graph's edges that rows of a pair file (``city1,country1,lat1,lng1,city2,...``)
    name, and the number of rows that named no tie of the registry (unresolved or absent)."""
    raw = read_file(path)
    wanted: set[tuple[int, int]] = set()
    missed = 0
    with registry.reader() as session:
        directory = ActorDirectory(session)
        for row in raw.rows:
            ids = []
            for side in ("1", "2"):
                data = row.data
                try:
                    code = parse_country(f"country{side}", data.get(f"country{side}"))
                    lat = number(f"lat{side}", data.get(f"lat{side}"))
                    lon = number(f"lng{side}", data.get(f"lng{side}"))
                except FieldError:
                    code, lat, lon = None, None, None
                near = (lat, lon) if lat is not None and lon is not None else None
                found = directory.try_resolve(str(data.get(f"city{side}") or ""), country=code, near=near)
                ids.append(
                    int(found.match.entity_id)
                    if found.status == "resolved" and found.match is not None
                    else None
                )
            if None in ids:
                missed += 1
                continue
            pair = sorted(graph.vertex(i) for i in ids)
            wanted.add((pair[0], pair[1]))
    if not raw.rows:
        raise MatchingError(f"{path}: no rows")
    mask = np.array([(int(a), int(b)) in wanted for a, b in graph.edges], dtype=bool)
    missed += len(wanted) - int(mask.sum())
    return mask, missed

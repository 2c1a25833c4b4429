"""An actor's ties as map geometry: its point, each partner's point and a line to each (GeoJSON)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from paradiplomacy.store.profile import actor_profile
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor

__all__ = ["tie_map"]


def tie_map(registry: Registry, actor_id: int) -> dict[str, Any]:
    """A GeoJSON ``FeatureCollection``: the actor (``role: self``), its partners (``role: partner``)
    and one ``LineString`` per tie with a placed partner; ``unplaced`` counts ties whose partner has
    no coordinates (nor has the actor's parent, e.g. a national government)."""
    with registry.reader() as session:
        profile = actor_profile(session, actor_id)
        ids = {actor_id} | {t["other"]["id"] for t in profile["ties"] if t["other"]}
        rows = session.execute(
            select(Actor.id, Actor.lat, Actor.lon, Actor.parent_id).where(Actor.id.in_(ids))
        ).all()
        where = {i: (lon, lat) for i, lat, lon, _ in rows if lat is not None and lon is not None}
        parents = {i: p for i, lat, _, p in rows if lat is None and p is not None}
        for i, lat, lon, _ in session.execute(
            select(Actor.id, Actor.lat, Actor.lon, Actor.parent_id).where(Actor.id.in_(set(parents.values())))
        ):
            for child, parent in parents.items():
                if parent == i and lat is not None and lon is not None:
                    where[child] = (lon, lat)
    home = where.get(actor_id)
    features: list[dict[str, Any]] = []
    if home:
        features.append(
            _point(
                home,
                {
                    "role": "self",
                    "id": actor_id,
                    "name": profile["name_en"] or profile["name_ja"] or profile["key"],
                },
            )
        )
    unplaced, seen = 0, set()
    for tie in profile["ties"]:
        other = tie["other"]
        spot = where.get(other["id"]) if other else None
        if spot is None or home is None:
            unplaced += 1
            continue
        props = {
            "tie_id": tie["id"],
            "kind": tie["kind"],
            "start": tie["start"],
            "status": tie["status"],
            "partner": other["name"],
            "partner_id": other["id"],
            "country": other["country"],
            "via": tie.get("via"),
        }
        features.append(
            {
                "type": "Feature",
                "properties": {**props, "role": "tie"},
                "geometry": {"type": "LineString", "coordinates": [list(home), list(spot)]},
            }
        )
        if other["id"] not in seen:
            seen.add(other["id"])
            features.append(_point(spot, {**props, "role": "partner", "name": other["name"]}))
    return {
        "type": "FeatureCollection",
        "features": features,
        "unplaced": unplaced,
        "actor": {"id": actor_id, "key": profile["key"]},
    }


def _point(lonlat: tuple[float, float], props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Point", "coordinates": list(lonlat)},
    }

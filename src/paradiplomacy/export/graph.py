"""The registry as a network for Gephi, Cytoscape or networkx.

Nodes are actors (id = actor key), overseas offices (``office:<key>``) and coalitions
(``coalition:<key>``); edges are ties (``tie:<id>``), office ownership (``owns_office``), office
location (``located_in``) and coalition membership (``coalition_member``). Every edge carries a
unique ``id`` and a ``kind``; attributes are plain str, int or float and missing ones are left off.
"""

from __future__ import annotations

import calendar
import json
import math
import re
from typing import Any

import networkx as nx
import pandas as pd

from paradiplomacy.export.frames import (
    EVERYTHING,
    SEP,
    ExportSelection,
    records,
    select_frames,
)
from paradiplomacy.model.text import xml_text
from paradiplomacy.store.registry import Registry

ACTOR_ATTRS = (
    "key",
    "kind",
    "name_en",
    "name_ja",
    "country",
    "lg_code",
    "lg_type",
    "parent_key",
    "lat",
    "lon",
    "population",
    "note",
    "sources",
)
TIE_ATTRS = ("kind", "role", "start", "end", "status", "note", "sources")
OFFICE_ATTRS = (
    "key",
    "name",
    "country",
    "opened",
    "closed",
    "model",
    "functions",
    "focus",
    "staff",
    "note",
    "sources",
)
COALITION_ATTRS = ("key", "name", "issue_area", "scope", "started", "ended", "note", "sources")
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def to_graph(registry: Registry, selection: ExportSelection = EVERYTHING) -> nx.MultiDiGraph:
    """The selected actors, ties, offices and coalitions as a directed multigraph.

    ``selection.tables`` chooses the edge layers: ``tie``; ``office``/``office_owner``;
    ``coalition``/``coalition_member`` (all of them when ``None``). Actor nodes are the selected
    actors, whatever the layers.
    """
    selection = selection.checked()
    frames = select_frames(registry, selection)
    tables = set(selection.tables or frames)
    graph = nx.MultiDiGraph(
        name="paradiplomacy registry", selection=json.dumps(selection.as_dict(), ensure_ascii=False)
    )
    for actor in records(frames["actor"]):
        graph.add_node(
            actor["key"], **_attrs(actor, ACTOR_ATTRS, node_type="actor", label=xml_text(_actor_label(actor)))
        )
    for actor in records(frames["actor"]):  # the levels of government: ward -> city -> prefecture
        parent = actor.get("parent_key")
        if parent is not None and parent in graph:
            edge_id = f"part_of:{actor['key']}"
            graph.add_edge(actor["key"], parent, key=edge_id, id=edge_id, kind="part_of")
    if "tie" in tables:
        for tie in records(frames["tie"]):
            edge_id = f"tie:{tie['id']}"
            graph.add_edge(
                tie["subject_key"], tie["object_key"], key=edge_id, **_attrs(tie, TIE_ATTRS, id=edge_id)
            )
    if tables & {"office", "office_owner"}:
        _add_offices(graph, frames)
    if tables & {"coalition", "coalition_member"}:
        _add_coalitions(graph, frames)
    return graph


def _add_offices(graph: nx.MultiDiGraph, frames: dict[str, pd.DataFrame]) -> None:
    actors = frames["actor"].set_index("key")
    node_of: dict[int, str] = {}
    for office in records(frames["office"]):
        node = node_of[office["id"]] = f"office:{office['key']}"
        city = office.get("city_key")
        where = {}
        if city is not None and city in actors.index:
            where = {k: float(actors.at[city, k]) for k in ("lat", "lon") if pd.notna(actors.at[city, k])}
        graph.add_node(
            node,
            **_attrs(
                office,
                OFFICE_ATTRS,
                node_type="office",
                kind="office",
                label=office.get("name") or office["key"],
                **where,
            ),
        )
        if city is not None:
            edge_id = f"located_in:{office['key']}"
            graph.add_edge(node, city, key=edge_id, id=edge_id, kind="located_in")
    for owner in records(frames["office_owner"]):
        node = node_of[owner["office_id"]]
        edge_id = f"owns_office:{owner['office_key']}:{owner['actor_key']}"
        graph.add_edge(
            owner["actor_key"],
            node,
            key=edge_id,
            id=edge_id,
            kind="owns_office",
            position=int(owner["position"] or 0),
        )


def _add_coalitions(graph: nx.MultiDiGraph, frames: dict[str, pd.DataFrame]) -> None:
    for coalition in records(frames["coalition"]):
        graph.add_node(
            f"coalition:{coalition['key']}",
            **_attrs(
                coalition, COALITION_ATTRS, node_type="coalition", kind="coalition", label=coalition["name"]
            ),
        )
    for member in records(frames["coalition_member"]):
        edge_id = f"coalition_member:{member['id']}"
        graph.add_edge(
            member["actor_key"],
            f"coalition:{member['coalition_key']}",
            key=edge_id,
            **_attrs(member, ("role", "note", "sources"), id=edge_id, kind="coalition_member"),
        )


def gexf_ready(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy shaped for Gephi: tie dates as GEXF spells, edge labels, no clashing attributes.

    GEXF reads ``start``/``end`` as the time interval of an element, so the registry's partial
    dates (``1979``, ``1979-05``) move to ``start_date``/``end_date`` and ``start``/``end`` become
    full dates covering the whole period (``1979-01-01`` … ``2005-12-31``): Gephi's timeline then
    shows when each tie was in force. Edges are labelled with their kind; the node ``key``
    attribute is dropped (it is the node id, and networkx would rename it ``networkx_key``).
    """
    ready = graph.copy()
    for _, data in ready.nodes(data=True):
        data.pop("key", None)
    for *_, data in ready.edges(keys=True, data=True):
        data["label"] = data["kind"]
        start, end = data.pop("start", None), data.pop("end", None)
        if start is not None:
            data["start_date"] = start
        if end is not None:
            data["end_date"] = end
        first = _full_date(start, last=False) if start else None
        last = _full_date(end, last=True) if end else None
        if first and last and first > last:
            continue
        if first:
            data["start"] = first
        if last:
            data["end"] = last
    return ready


def _full_date(value: str, *, last: bool) -> str | None:
    match = _DATE.fullmatch(value)
    if not match:
        return None
    year, month, day = match.groups()
    if day:
        return value
    if month is None:
        return f"{year}-12-31" if last else f"{year}-01-01"
    if not 1 <= int(month) <= 12:
        return None
    return f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1] if last else 1:02d}"


def _attrs(record: dict[str, Any], names: tuple[str, ...], **extra: Any) -> dict[str, Any]:
    """The attributes GraphML and GEXF accept: no missing or empty values, lists as text."""
    out = {
        name: value
        for name in names
        if (value := record.get(name)) is not None and value != "" and value != []
    }
    for name, value in out.items():
        if isinstance(value, list):
            out[name] = SEP.join(map(str, value))
        elif isinstance(value, dict):
            out[name] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    out.update(extra)
    return {
        name: _xml_value(value)
        for name, value in out.items()
        if not (isinstance(value, float) and not math.isfinite(value))
    }


def _xml_value(value: Any) -> Any:
    """Text without the characters XML 1.0 cannot carry (GraphML and GEXF are XML)."""
    return xml_text(value) if isinstance(value, str) else value


def _actor_label(actor: dict[str, Any]) -> str:
    """English and Japanese name where both exist (as :attr:`Actor.label`)."""
    en, ja = actor.get("name_en"), actor.get("name_ja")
    if en and ja and en != ja:
        return f"{en} ({ja})"
    return en or ja or actor["key"]

"""The exported network as it stood on one day (``network export --as-of``).

Ties not in force on that day are left out (and undated ones, as everywhere ``--as-of`` is used:
the date rule of :mod:`._frames`); a tie signed by a municipality that had merged away by then is
moved onto the body that held it (``via`` names the signatory); bodies that did not exist on that
day, and the actors left with no tie, office or membership (but the bodies they lie in), are left
out too, so that the file holds the network of that day rather than the whole gazetteer.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import networkx as nx
from sqlalchemy import or_, select

from paradiplomacy.analysis.succession import SuccessionIndex
from paradiplomacy.model.dates import existed_on, in_force, stored_date
from paradiplomacy.model.text import xml_text
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor

__all__ = ["graph_as_of"]


def graph_as_of(
    graph: nx.MultiDiGraph, registry: Registry, day: dt.date, left_out: Counter[str] | None = None
) -> nx.MultiDiGraph:
    """A copy of an exported graph (see :func:`~paradiplomacy.export.graph.to_graph`) as
    it stood on ``day``; the graph attribute ``as_of`` gives the day and ``left_out`` the counts
    (also added to ``left_out`` when given)."""
    iso = day.isoformat()
    index = SuccessionIndex(registry)
    out = graph.copy()
    with registry.reader() as session:
        key_of = dict(session.execute(select(Actor.id, Actor.key)).all())
        id_of = {key: actor_id for actor_id, key in key_of.items()}
        lifetimes = {
            key: (founded, dissolved)
            for key, founded, dissolved in session.execute(
                select(Actor.key, Actor.founded, Actor.dissolved).where(
                    or_(Actor.founded.is_not(None), Actor.dissolved.is_not(None))
                )
            )
        }
        left: Counter[str] = Counter()
        for u, v, key, data in list(out.edges(keys=True, data=True)):
            if not str(key).startswith("tie:"):
                continue
            if not in_force(data.get("start"), data.get("end"), day):
                first = stored_date(data.get("start"), last=False)
                why = (
                    "undated ties"
                    if first is None
                    else "ties not yet signed"
                    if first > day
                    else "ties ended"
                )
                left[why] += 1
                out.remove_edge(u, v, key)
                continue
            ends = [_holder(node, index, iso, id_of, key_of) for node in (u, v)]
            if ends != [u, v]:
                out.remove_edge(u, v, key)
                for node in ends:
                    if node not in out:
                        _add_actor(out, session, node)
                moved = [node for node, held in zip((u, v), ends, strict=True) if node != held]
                out.add_edge(*ends, key=key, **{**data, "via": " ".join(moved)})
                left["ties moved to the body holding them"] += 1
    linked = {node for node in out if _linked(out, node)}
    levels = nx.DiGraph((u, v) for u, v, kind in out.edges(data="kind") if kind == "part_of")
    kept = set(linked)
    for node in linked & set(levels):  # and the bodies they lie in (ward -> city -> prefecture)
        kept.update(nx.descendants(levels, node))
    for node, data in list(out.nodes(data=True)):
        if data.get("node_type") != "actor" or node in kept:
            continue
        gone = node in lifetimes and not existed_on(*lifetimes[node], day)
        left["bodies that did not exist then" if gone else "actors with nothing left to link"] += 1
        out.remove_node(node)
    out.graph["as_of"] = iso
    if left_out is not None:
        left_out.update(left)
    out.graph["left_out"] = "; ".join(f"{what}: {count}" for what, count in sorted(left.items()))
    return out


def _linked(graph: nx.MultiDiGraph, node: str) -> bool:
    """Whether anything but the levels of government (``part_of``) links to a node."""
    edges = [*graph.in_edges(node, data="kind"), *graph.out_edges(node, data="kind")]
    return any(kind != "part_of" for *_, kind in edges)


def _holder(
    node: str, index: SuccessionIndex, iso: str, id_of: dict[str, int], key_of: dict[int, str]
) -> str:
    actor_id = id_of.get(node)
    return node if actor_id is None else key_of[index.holder(actor_id, iso).actor_id]


def _add_actor(graph: nx.MultiDiGraph, session, key: str) -> None:
    actor = session.scalar(select(Actor).where(Actor.key == key))
    attrs = {"node_type": "actor", "kind": actor.kind, "label": xml_text(actor.label)}
    attrs.update({k: v for k in ("name_en", "name_ja", "country", "lg_code") if (v := getattr(actor, k))})
    graph.add_node(key, **attrs)

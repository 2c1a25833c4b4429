"""The multi-level actor network read from a registry: node and edge tables plus an igraph view.

Nodes are the actors that hold a tie or a coalition membership, their parents up to the top of the
chain (ward -> designated city -> prefecture; city -> region), the national government of every
country present (``<cc>-gov``) and, as ``coalition:<key>`` nodes, the coalitions. Edges are

* ``tie`` — a registry tie (``kind`` is the tie kind, ``record`` the tie id);
* ``parent`` — child -> parent (the vertical structure), cited by the actor record;
* ``national`` — the top of a chain -> its country's national government;
* ``coalition_member`` — member -> coalition node (``record`` the membership id).

igraph (C core, maintained since 2006, wheels for every platform) computes the metrics: exact
betweenness, components, triangles and Leiden communities on tens of thousands of edges take well
under a second to a few seconds, where pure-Python NetworkX needs minutes.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select

from paradiplomacy.model.vocab import ActorKind, TieKind
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, Coalition, CoalitionMember, Tie

if TYPE_CHECKING:  # imported when a graph is built, so that the CLI starts without it
    import igraph as ig

__all__ = [
    "BILATERAL_KINDS",
    "LEVELS",
    "MULTILATERAL_KINDS",
    "NetworkError",
    "NetworkGraph",
    "level_of",
    "load_network",
]

LEVELS: dict[str, str] = {
    ActorKind.NATIONAL_GOVERNMENT: "national",
    ActorKind.GOVERNMENT_AGENCY: "national",
    ActorKind.PREFECTURE: "regional",
    ActorKind.FOREIGN_REGION: "regional",
    ActorKind.MUNICIPALITY: "local",
    ActorKind.FOREIGN_CITY: "local",
    ActorKind.WARD: "local",
    ActorKind.INTERNATIONAL_ORGANISATION: "international",
    ActorKind.CITY_NETWORK: "international",
    ActorKind.REGIONAL_BODY: "international",
    "coalition": "coalition",
}
"""Level of government of each actor kind; every other kind is ``non_state``."""
BILATERAL_KINDS = frozenset(
    {
        TieKind.SISTER,
        TieKind.FRIENDSHIP,
        TieKind.BUSINESS_PARTNER,
        TieKind.PURPOSE_SPECIFIC,
        TieKind.PARTNERSHIP,
        TieKind.MEMORANDUM,
    }
)
"""One-to-one ties between two actors."""
MULTILATERAL_KINDS = frozenset(
    {TieKind.NETWORK_MEMBERSHIP, TieKind.MEMBERSHIP, TieKind.COALITION_MEMBERSHIP, "coalition_member"}
)
"""Membership of a multi-actor network, body or coalition."""
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_CHUNK = 5_000


class NetworkError(RegistryError):
    """A network request that cannot be answered as asked (bad option, empty selection)."""


def level_of(kind: str) -> str:
    """The level of government of an actor kind (``national``, ``regional``, ``local``, ...)."""
    return LEVELS.get(kind, "non_state")


@dataclass
class NetworkGraph:
    """Node and edge tables of the network and the igraph graph built from them.

    ``nodes`` is indexed by vertex number (columns ``id``, ``key``, ``name``, ``kind``, ``level``,
    ``country``, ``type``); ``edges`` has ``source``/``target`` vertex numbers, ``layer``
    (tie/parent/national/coalition_member), ``kind``, ``record``, ``role``, ``start``, ``end``.
    ``dropped`` counts the self-ties left out.
    """

    nodes: pd.DataFrame
    edges: pd.DataFrame
    dropped: dict[str, int] = field(default_factory=dict)
    _simple: ig.Graph | None = None

    @property
    def vertex_of(self) -> dict[str, int]:
        """Vertex number of each node key."""
        return dict(zip(self.nodes["key"], self.nodes.index, strict=True))

    def directed(self) -> ig.Graph:
        """The directed multigraph (every edge, as recorded)."""
        import igraph as ig

        return ig.Graph(
            n=len(self.nodes),
            edges=list(zip(self.edges["source"], self.edges["target"], strict=True)),
            directed=True,
        )

    def simple(self) -> ig.Graph:
        """The undirected simple graph: duplicated and reciprocal edges merged, no loops."""
        if self._simple is None:
            import igraph as ig

            graph = ig.Graph(
                n=len(self.nodes),
                edges=list(zip(self.edges["source"], self.edges["target"], strict=True)),
                directed=False,
            )
            graph.simplify(multiple=True, loops=True)
            self._simple = graph
        return self._simple


def load_network(
    registry: Registry,
    *,
    countries: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    vertical: bool = True,
    coalitions: bool = True,
    as_of: str | dt.date | None = None,
) -> NetworkGraph:
    """Read the network of ties (of ``kinds``, touching ``countries``) with its vertical links.

    ``vertical=False`` leaves out parent and national links (the horizontal network alone);
    ``coalitions=False`` leaves out coalition nodes. ``as_of`` keeps the ties and memberships in
    force on that date (the date rule of :mod:`._frames`: undated ties are left out and counted in
    ``dropped["undated"]``) and puts each on the body that held it then, so that a former
    municipality's tie sits on its successor from the merger date. Raises :class:`NetworkError` for
    a bad country code, tie kind or date.
    """
    countries = tuple(c.strip().upper() for c in countries)
    bad = [c for c in countries if not _COUNTRY.match(c)]
    if bad:
        raise NetworkError(f"not an ISO 3166 alpha-2 country code: {', '.join(bad)}")
    known = {k.value for k in TieKind}
    bad = [k for k in kinds if k not in known]
    if bad:
        raise NetworkError(f"unknown tie kind {', '.join(bad)}; known: {', '.join(sorted(known))}")
    with registry.reader() as session:
        ties = pd.DataFrame(
            session.execute(
                select(
                    Tie.id, Tie.kind, Tie.subject_id, Tie.object_id, Tie.role, Tie.start, Tie.end, Tie.status
                )
            ).all(),
            columns=["record", "kind", "subject", "object", "role", "start", "end", "status"],
        )
        members = pd.DataFrame(
            session.execute(
                select(
                    CoalitionMember.id,
                    CoalitionMember.actor_id,
                    Coalition.key,
                    Coalition.name,
                    CoalitionMember.role,
                    Coalition.started,
                    Coalition.ended,
                ).join(Coalition, Coalition.id == CoalitionMember.coalition_id)
            ).all(),
            columns=["record", "subject", "coalition", "coalition_name", "role", "start", "end"],
        )
        if kinds:
            ties = ties[ties["kind"].isin(kinds)]
        if as_of is not None:
            ties, members = _on(registry, ties, members, as_of)
        actors = _actors(session, {*ties["subject"], *ties["object"], *members["subject"]})
    if not coalitions or (kinds and "coalition_membership" not in kinds):
        members = members.iloc[0:0]
    if countries:
        country = actors["country"]
        ties = ties[
            ties["subject"].map(country).isin(countries) | ties["object"].map(country).isin(countries)
        ]
        members = members[members["subject"].map(country).isin(countries)]
    dropped: dict[str, int] = {}
    if as_of is not None:  # counted after the country filter, so that the figure fits the selection
        dropped["undated"] = int(ties["undated"].sum())
        ties = ties[~ties["undated"]].drop(columns="undated")
    loops = ties["subject"] == ties["object"]
    dropped["self_ties"] = int(loops.sum())
    ties = ties[~loops]
    return _assemble(actors, ties, members, vertical=vertical, dropped=dropped)


def _on(
    registry: Registry, ties: pd.DataFrame, members: pd.DataFrame, as_of: str | dt.date
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ties and memberships in force on ``as_of``, each on the body that held it that day;
    the ties with no start date are kept, flagged in an ``undated`` column, to be counted."""
    from paradiplomacy.analysis._frames import as_date, stored_date
    from paradiplomacy.analysis.succession import SuccessionIndex

    try:
        day = as_date(as_of, end=True)
    except RegistryError as error:
        raise NetworkError(str(error)) from None
    index = SuccessionIndex(registry)
    iso = day.isoformat()
    kept = []
    for frame, sides in ((ties, ("subject", "object")), (members, ("subject",))):
        start = frame["start"].map(lambda v: stored_date(v, last=False))
        end = frame["end"].map(lambda v: stored_date(v, last=True))
        live = frame[
            start.map(lambda d: d is not None and d <= day).astype(bool)
            & end.map(lambda d: d is None or d >= day).astype(bool)
        ].copy()
        for side in sides:
            live[side] = [index.holder(int(a), iso).actor_id for a in live[side]]
        kept.append(live)
    undated = ties[ties["start"].isna()]
    return pd.concat([kept[0].assign(undated=False), undated.assign(undated=True)]), kept[1]


def _actors(session: Any, wanted: set[int]) -> pd.DataFrame:
    """The actors ``wanted``, their ancestors and every national government, indexed by id."""
    columns = (
        Actor.id,
        Actor.key,
        Actor.kind,
        Actor.country,
        Actor.lg_type,
        Actor.parent_id,
        Actor.name_en,
        Actor.name_ja,
    )
    rows = list(session.execute(select(*columns).where(Actor.key.like("%-gov"))))
    seen = {row[0] for row in rows}
    pending = sorted(set(wanted) - seen)
    while pending:
        found = []
        for at in range(0, len(pending), _CHUNK):
            found += session.execute(select(*columns).where(Actor.id.in_(pending[at : at + _CHUNK]))).all()
        rows += found
        seen.update(row[0] for row in found)
        pending = sorted({row[5] for row in found if row[5] is not None} - seen)
    frame = pd.DataFrame(
        rows, columns=["id", "key", "kind", "country", "lg_type", "parent_id", "name_en", "name_ja"]
    )
    frame["parent_id"] = frame["parent_id"].astype("Int64")
    return frame.set_index("id", drop=False)


def _assemble(
    actors: pd.DataFrame,
    ties: pd.DataFrame,
    members: pd.DataFrame,
    *,
    vertical: bool,
    dropped: dict[str, int],
) -> NetworkGraph:
    ids: dict[int, None] = dict.fromkeys(
        [*ties["subject"].tolist(), *ties["object"].tolist(), *members["subject"].tolist()]
    )
    parent = actors["parent_id"].dropna().astype(int).to_dict()
    rows: list[tuple] = []
    if vertical:
        gov = {k: i for k, i in zip(actors["key"], actors["id"], strict=True) if k.endswith("-gov")}
        pending = list(ids)
        while pending:
            actor = pending.pop()
            up = parent.get(actor)
            if up is not None:
                rows.append(("parent", actor, up))
            else:
                country = actors.at[actor, "country"]
                state = gov.get(f"{str(country).lower()}-gov") if country else None
                if state is not None and state != actor:
                    rows.append(("national", actor, state))
                    up = state
            if up is not None and up not in ids:
                ids[up] = None
                pending.append(up)
    nodes = actors.loc[
        list(ids), ["id", "key", "kind", "country", "lg_type", "name_en", "name_ja"]
    ].reset_index(drop=True)
    nodes["name"] = nodes["name_en"].fillna(nodes["name_ja"]).fillna(nodes["key"])
    nodes = nodes.drop(columns=["name_en", "name_ja"])
    coalition_nodes = members.drop_duplicates("coalition")
    nodes = pd.concat(
        [
            nodes,
            pd.DataFrame(
                {
                    "id": pd.NA,
                    "key": "coalition:" + coalition_nodes["coalition"],
                    "kind": "coalition",
                    "country": None,
                    "lg_type": None,
                    "name": coalition_nodes["coalition_name"],
                }
            ),
        ],
        ignore_index=True,
    )
    nodes["level"] = nodes["kind"].map(level_of)
    nodes["type"] = nodes["lg_type"].fillna(nodes["kind"])
    vertex = {int(i): n for n, i in enumerate(nodes["id"]) if pd.notna(i)}
    edges = [
        pd.DataFrame(
            {
                "source": ties["subject"].map(vertex),
                "target": ties["object"].map(vertex),
                "layer": "tie",
                "kind": ties["kind"],
                "record": ties["record"],
                "role": ties["role"],
                "start": ties["start"],
                "end": ties["end"],
            }
        )
    ]
    if rows:
        layer, child, up = zip(*rows, strict=True)
        edges.append(
            pd.DataFrame(
                {
                    "source": [vertex[c] for c in child],
                    "target": [vertex[u] for u in up],
                    "layer": list(layer),
                    "kind": list(layer),
                    "record": list(child),
                }
            )
        )
    if len(members):
        coalition_vertex = {k: n for n, k in enumerate(nodes["key"]) if k.startswith("coalition:")}
        edges.append(
            pd.DataFrame(
                {
                    "source": members["subject"].map(vertex),
                    "target": ("coalition:" + members["coalition"]).map(coalition_vertex),
                    "layer": "coalition_member",
                    "kind": "coalition_member",
                    "record": members["record"],
                    "role": members["role"],
                    "start": members["start"],
                    "end": members["end"],
                }
            )
        )
    frame = (
        pd.concat([e for e in edges if len(e)], ignore_index=True)
        if any(len(e) for e in edges)
        else pd.DataFrame(columns=["source", "target", "layer", "kind", "record", "role", "start", "end"])
    )
    frame["source"] = frame["source"].astype(int)
    frame["target"] = frame["target"].astype(int)
    return NetworkGraph(nodes=nodes, edges=frame, dropped=dropped)

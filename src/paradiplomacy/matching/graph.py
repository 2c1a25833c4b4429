"""The tie graph that partner matching reads from a registry: actors as vertices, sparse matrices.

Every actor is a vertex (row ``i`` of :attr:`TieGraph.actors`). Bilateral ties of any kind
(sister, friendship, business partner, purpose-specific, partnership, memorandum) form the symmetric
adjacency ``adjacency``; memberships of networks, bodies and coalitions form the bipartite
``membership`` matrix (actors x bodies). Ties are read generically from the ``tie`` table, whatever
file or corpus they came from.

Succession: a local government inherits the ties of the former municipalities merged into it.
:func:`inherited_actors` follows the ``succession`` table (position 0 for a split body, transitively)
and :func:`load_graph` merges the ties of every inherited actor into its heir. Former municipalities
(``dissolved`` set) are kept as vertices without ties and are never places that may be suggested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from sqlalchemy import case, func, select

from paradiplomacy.model.vocab import SYMMETRIC_KINDS, ActorKind, TieKind
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, ActorName, CoalitionMember, Succession, Tie
from paradiplomacy.store.succession import MAX_DEPTH

if TYPE_CHECKING:
    from scipy import sparse

__all__ = [
    "MEMBERSHIP_KINDS",
    "PLACE_KINDS",
    "MatchingError",
    "TieGraph",
    "heir_vertex",
    "heirs_of",
    "inherited_actors",
    "load_graph",
]

PLACE_KINDS = frozenset(
    {
        ActorKind.MUNICIPALITY,
        ActorKind.WARD,
        ActorKind.PREFECTURE,
        ActorKind.FOREIGN_CITY,
        ActorKind.FOREIGN_REGION,
    }
)
"""Actors that can be a twinning partner (governments of places)."""
REGIONAL_KINDS = frozenset({ActorKind.PREFECTURE, ActorKind.FOREIGN_REGION})
MEMBERSHIP_KINDS = frozenset({TieKind.NETWORK_MEMBERSHIP, TieKind.MEMBERSHIP, TieKind.COALITION_MEMBERSHIP})
_KATAKANA = ("\u30a1", "\u30fb")
"""Names starting in this range are written in katakana (how Japanese writes foreign place names)."""
_ACTOR_COLUMNS = (
    "id",
    "key",
    "kind",
    "name_en",
    "name_ja",
    "country",
    "lg_code",
    "lg_type",
    "parent_id",
    "lat",
    "lon",
    "population",
    "dissolved",
)


class MatchingError(RegistryError):
    """A matching request that cannot be answered (unknown actor, empty graph, bad option)."""


def heirs_of(registry: Registry) -> dict[int, int]:
    """Former body id -> the current body its ties count for.

    Each former body passes to its first successor (``position`` 0, so a split body to the first one
    listed), followed through further changes until a body that has not ended (at most
    :data:`~paradiplomacy.store.succession.MAX_DEPTH` steps; a line ending in another former body
    that has no successor stops there).
    """
    with registry.reader() as session:
        rows = session.execute(
            select(Succession.predecessor_id, Succession.successor_id).order_by(
                Succession.predecessor_id, Succession.position, Succession.id
            )
        ).all()
    first: dict[int, int] = {}
    for predecessor, successor in rows:
        first.setdefault(int(predecessor), int(successor))
    heirs: dict[int, int] = {}
    for former, heir in first.items():
        for _ in range(MAX_DEPTH):
            if heir not in first or heir == former:
                break
            heir = first[heir]
        if heir != former:
            heirs[former] = heir
    return heirs


def inherited_actors(registry: Registry | None, actor_ids: np.ndarray) -> dict[int, list[int]]:
    """For each actor id, the actors whose ties it inherits: itself first, then every former
    municipality whose line (position 0, transitively) ends in it. Former bodies map to nothing
    (an empty list: their ties belong to their heir); without a registry, the identity."""
    ids = [int(a) for a in actor_ids]
    if registry is None:
        return {a: [a] for a in ids}
    heirs = heirs_of(registry)
    wanted = set(ids)
    result: dict[int, list[int]] = {a: ([] if a in heirs else [a]) for a in ids}
    for former, heir in sorted(heirs.items()):
        if heir in wanted and heir not in heirs:
            result[heir].append(former)
    return result


@dataclass
class TieGraph:
    """Vertices, bilateral adjacency and memberships of a registry, with per-vertex attributes.

    ``actors`` columns: the actor fields plus ``vertex``, ``prefecture`` (vertex of the Japanese
    prefecture at the top of the parent chain, -1 otherwise), ``region`` (vertex of a foreign city's
    region, or of the region itself, -1 otherwise), ``regional`` (is a prefecture or region) and
    ``place`` (may be a partner: a place that has not ended), ``former`` (a dissolved body),
    ``names`` (number of alternate names, e.g. GeoNames' names in other languages) and ``kana`` (one
    of them is written in katakana: the place has a Japanese name).
    ``edges`` is an (m, 2) array of vertex pairs, one per bilateral tie.
    """

    actors: pd.DataFrame
    edges: np.ndarray
    members: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))
    _vertex_of: dict[int, int] | None = None

    @property
    def n(self) -> int:
        """Number of vertices."""
        return len(self.actors)

    def vertex(self, actor_id: int) -> int:
        """The vertex of an actor id."""
        if self._vertex_of is None:
            self._vertex_of = {int(a): i for i, a in enumerate(self.actors["id"].to_numpy())}
        try:
            return self._vertex_of[int(actor_id)]
        except KeyError:
            raise MatchingError(f"actor id {actor_id} is not in the graph") from None

    def adjacency(self, edges: np.ndarray | None = None) -> sparse.csr_matrix:
        """Symmetric 0/1 adjacency of ``edges`` (default: all bilateral ties)."""
        from scipy import sparse

        pairs = self.edges if edges is None else edges
        n = self.n
        data = np.ones(2 * len(pairs), dtype=np.float64)
        rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
        cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
        matrix = sparse.csr_matrix((data, (rows, cols)), shape=(n, n))
        matrix.data[:] = 1.0  # duplicate ties (two kinds between one pair) count once
        matrix.setdiag(0)
        matrix.eliminate_zeros()
        return matrix

    def membership(self) -> sparse.csr_matrix:
        """Actors x bodies 0/1 matrix of network, body and coalition memberships."""
        from scipy import sparse

        if len(self.members) == 0:
            return sparse.csr_matrix((self.n, 1))
        bodies, column = np.unique(self.members[:, 1], return_inverse=True)
        matrix = sparse.csr_matrix(
            (np.ones(len(self.members)), (self.members[:, 0], column)), shape=(self.n, len(bodies))
        )
        matrix.data[:] = 1.0
        return matrix


def _top_ancestor(parent: np.ndarray, kinds: np.ndarray, wanted: frozenset[str]) -> np.ndarray:
    """For each vertex, the nearest ancestor-or-self whose kind is in ``wanted`` (-1 if none)."""
    found = np.where(np.isin(kinds, list(wanted)), np.arange(len(parent)), -1)
    current = parent.copy()
    for _ in range(4):  # ward -> designated city -> prefecture: chains are short
        open_ = (found < 0) & (current >= 0)
        if not open_.any():
            break
        hit = open_ & np.isin(kinds[np.maximum(current, 0)], list(wanted))
        found[hit] = current[hit]
        current = np.where(open_ & ~hit, parent[np.maximum(current, 0)], -1)
    return found


def load_graph(registry: Registry) -> TieGraph:
    """Read every actor and tie of the registry into a :class:`TieGraph`."""
    with registry.reader() as session:
        rows = session.execute(select(*[getattr(Actor, c) for c in _ACTOR_COLUMNS])).all()
        ties = session.execute(select(Tie.kind, Tie.subject_id, Tie.object_id)).all()
        coalition = session.execute(select(CoalitionMember.actor_id, CoalitionMember.coalition_id)).all()
        katakana = case(((ActorName.name >= _KATAKANA[0]) & (ActorName.name < _KATAKANA[1]), 1), else_=0)
        names = session.execute(
            select(ActorName.actor_id, func.count(), func.max(katakana)).group_by(ActorName.actor_id)
        ).all()
    if not rows:
        raise MatchingError("the registry has no actors: run `paradiplomacy init` first")
    actors = pd.DataFrame(rows, columns=list(_ACTOR_COLUMNS))
    actors["vertex"] = np.arange(len(actors))
    index = pd.Series(actors["vertex"].to_numpy(), index=actors["id"].to_numpy())
    parent = actors["parent_id"].map(index).fillna(-1).astype(np.int64).to_numpy()
    kinds = actors["kind"].to_numpy(dtype=object)
    actors["prefecture"] = _top_ancestor(parent, kinds, frozenset({ActorKind.PREFECTURE}))
    actors["region"] = _top_ancestor(parent, kinds, frozenset({ActorKind.FOREIGN_REGION}))
    actors["regional"] = np.isin(kinds, list(REGIONAL_KINDS))
    actors["former"] = actors["dissolved"].notna().to_numpy()
    actors["place"] = np.isin(kinds, list(PLACE_KINDS)) & ~actors["former"].to_numpy()
    counted = pd.DataFrame(names, columns=["id", "names", "kana"]).set_index("id")
    actors["names"] = actors["id"].map(counted["names"]).fillna(0).astype(np.int64).to_numpy()
    actors["kana"] = actors["id"].map(counted["kana"]).fillna(0).astype(bool).to_numpy()

    heirs = _heir_of(registry, index)
    tie_frame = pd.DataFrame(ties, columns=["kind", "subject", "object"])
    subject = heirs[tie_frame["subject"].map(index).to_numpy(dtype=np.int64)]
    obj = heirs[tie_frame["object"].map(index).to_numpy(dtype=np.int64)]
    bilateral = tie_frame["kind"].isin([str(k) for k in SYMMETRIC_KINDS]).to_numpy() & (subject != obj)
    member = tie_frame["kind"].isin([str(k) for k in MEMBERSHIP_KINDS]).to_numpy()
    edges = np.unique(np.sort(np.stack([subject[bilateral], obj[bilateral]], axis=1), axis=1), axis=0)
    members = [np.stack([subject[member], obj[member]], axis=1)]
    if coalition:
        frame = pd.DataFrame(coalition, columns=["actor", "coalition"])
        # coalition bodies get column ids after every actor vertex so they never collide
        members.append(
            np.stack(
                [
                    heirs[frame["actor"].map(index).to_numpy(dtype=np.int64)],
                    len(actors) + frame["coalition"].to_numpy(dtype=np.int64),
                ],
                axis=1,
            )
        )
    return TieGraph(
        actors=actors,
        edges=edges.reshape(-1, 2).astype(np.int64),
        members=np.concatenate(members).astype(np.int64),
    )


def _heir_of(registry: Registry, index: pd.Series) -> np.ndarray:
    """Vertex whose ties each vertex's ties count for (itself unless it is a former municipality)."""
    heir = np.arange(len(index))
    for former, successor in heirs_of(registry).items():
        if former in index.index and successor in index.index:
            heir[index[former]] = index[successor]
    return heir


def heir_vertex(graph: TieGraph, registry: Registry, vertex: int) -> int:
    """The vertex that answers for ``vertex``: its heir when it is a former municipality."""
    if not bool(graph.actors["former"].iloc[vertex]):
        return vertex
    heir = heirs_of(registry).get(int(graph.actors["id"].iloc[vertex]))
    return graph.vertex(heir) if heir is not None else vertex

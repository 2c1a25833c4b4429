"""Peer networks among eligible governments: who could learn from whom.

Three layers, each a symmetric 0/1 sparse matrix over the population's rows:

- ``neighbours``: the ``k`` nearest governments by great-circle position (either side's list
  suffices). Prefectures have no coordinates in the gazetteer: they get the mean position of their
  municipalities; a municipality without coordinates gets its prefecture's.
- ``prefecture``: governments of the same prefecture, and a prefecture with its own municipalities.
- ``ties``: a tie between two members of the population (any kind), or a shared counterpart — two
  governments tied to the same network, coalition or foreign partner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import CoalitionMember, Tie

__all__ = ["LAYERS", "PeerNetwork", "peer_network", "peer_network_from_edges"]

LAYERS = ("neighbours", "prefecture", "ties")


@dataclass
class PeerNetwork:
    """Peer layers over ``ids`` (actor ids, in the population's row order)."""

    ids: np.ndarray
    layers: dict[str, Any]  # name -> scipy.sparse.csr_matrix (n x n, 0/1, symmetric)

    @property
    def size(self) -> int:
        """Number of governments."""
        return len(self.ids)

    def combined(self, names: tuple[str, ...] = LAYERS) -> Any:
        """The union of the named layers as one 0/1 matrix."""
        import scipy.sparse as sp

        total = sp.csr_matrix((self.size, self.size))
        for name in names:
            total = total + self.layers[name]
        total.data[:] = 1.0
        total.eliminate_zeros()
        return total

    def edge_frame(self, names: tuple[str, ...] = LAYERS) -> pd.DataFrame:
        """Undirected edges (``source, target`` actor ids, ``layer``), each pair once per layer."""
        import scipy.sparse as sp

        frames = []
        for name in names:
            upper = sp.triu(self.layers[name], k=1).tocoo()
            frames.append(
                pd.DataFrame({"source": self.ids[upper.row], "target": self.ids[upper.col], "layer": name})
            )
        return pd.concat(frames, ignore_index=True)


def peer_network(registry: Registry, population: pd.DataFrame, *, k: int = 5) -> PeerNetwork:
    """The three peer layers of ``population`` (a frame from ``eligible_governments``)."""
    ids = population["actor_id"].to_numpy()
    index = {int(a): i for i, a in enumerate(ids)}
    layers = {
        "neighbours": _symmetric(_nearest(population, k), len(ids)),
        "prefecture": _symmetric(_same_prefecture(population, index), len(ids)),
        "ties": _symmetric(_tie_pairs(registry, index), len(ids)),
    }
    return PeerNetwork(ids=ids, layers=layers)


def peer_network_from_edges(ids: np.ndarray, edges: dict[str, list[tuple[int, int]]]) -> PeerNetwork:
    """A peer network from explicit row-index pairs per layer (for synthetic populations and tests)."""
    layers = {
        name: _symmetric(np.asarray(pairs, dtype=int).reshape(-1, 2), len(ids))
        for name, pairs in edges.items()
    }
    for name in LAYERS:
        layers.setdefault(name, _symmetric(np.empty((0, 2), dtype=int), len(ids)))
    return PeerNetwork(ids=np.asarray(ids), layers=layers)


def _symmetric(pairs: np.ndarray, n: int) -> Any:
    import scipy.sparse as sp

    pairs = pairs[pairs[:, 0] != pairs[:, 1]] if len(pairs) else pairs
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]]) if len(pairs) else np.empty(0, int)
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]]) if len(pairs) else np.empty(0, int)
    matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    matrix.data[:] = 1.0
    return matrix


def positions(population: pd.DataFrame) -> np.ndarray:
    """Latitude/longitude per row, filling prefectures and gaps from the prefecture's municipalities."""
    frame = population[["actor_id", "prefecture_id", "lat", "lon"]].copy()
    located = frame.dropna(subset=["lat", "lon"])
    centre = located.groupby("prefecture_id")[["lat", "lon"]].mean()
    for column in ("lat", "lon"):
        fill = frame["prefecture_id"].map(centre[column])
        frame[column] = frame[column].fillna(fill)
        frame[column] = frame[column].fillna(located[column].mean() if len(located) else 0.0)
    return frame[["lat", "lon"]].to_numpy(dtype=float)


def _nearest(population: pd.DataFrame, k: int) -> np.ndarray:
    from scipy.spatial import cKDTree

    n = len(population)
    if n < 2 or k < 1:
        return np.empty((0, 2), dtype=int)
    lat, lon = np.radians(positions(population)).T
    xyz = np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    _, found = cKDTree(xyz).query(xyz, k=min(k, n - 1) + 1)
    rows = np.repeat(np.arange(n), found.shape[1] - 1)
    return np.column_stack([rows, found[:, 1:].ravel()])


def _same_prefecture(population: pd.DataFrame, index: dict[int, int]) -> np.ndarray:
    pairs: list[tuple[int, int]] = []
    for prefecture, group in population.groupby("prefecture_id"):
        rows = [index[int(a)] for a in group["actor_id"]]
        pairs.extend((a, b) for i, a in enumerate(rows) for b in rows[i + 1 :])
        if int(prefecture) in index:
            pairs.extend((index[int(prefecture)], r) for r in rows)
    return np.asarray(pairs, dtype=int).reshape(-1, 2)


def _tie_pairs(registry: Registry, index: dict[int, int]) -> np.ndarray:
    """Direct ties inside the population, and pairs sharing a tie counterpart or a coalition."""
    pairs: set[tuple[int, int]] = set()
    by_counterpart: dict[tuple[str, int], set[int]] = {}
    with registry.reader() as session:
        for subject, obj in session.execute(select(Tie.subject_id, Tie.object_id)):
            if subject in index and obj in index:
                pairs.add((index[subject], index[obj]))
            for side, other in ((subject, obj), (obj, subject)):
                if side in index and other not in index:
                    by_counterpart.setdefault(("actor", other), set()).add(index[side])
        for coalition, member in session.execute(
            select(CoalitionMember.coalition_id, CoalitionMember.actor_id)
        ):
            if member in index:
                by_counterpart.setdefault(("coalition", coalition), set()).add(index[member])
    for members in by_counterpart.values():
        rows = sorted(members)
        pairs.update((a, b) for i, a in enumerate(rows) for b in rows[i + 1 :])
    return np.asarray(sorted(pairs), dtype=int).reshape(-1, 2)

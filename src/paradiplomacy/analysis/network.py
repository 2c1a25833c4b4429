"""Network metrics of the multi-level actor graph: degree, brokerage, communities, components, mix.

Free functions over a :class:`~paradiplomacy.analysis.network_graph.NetworkGraph` return pandas
frames; :func:`network_metrics` reads a registry and gathers them all. Brokerage follows Gould and
Fernandez (1989) on the undirected graph: for every broker ``b`` and every pair of its neighbours
``a``/``c`` that are not linked to each other, the pair is a *coordinator* pair (all three in one
group), *gatekeeper* (``b`` shares its group with exactly one of them: it stands at the border of
its group; the directed measure's gatekeeper and representative roles together), *itinerant*
(``a`` and ``c`` share a group that is not ``b``'s) or *liaison* (three different groups). Groups
are levels of government (``by="level"``) or countries (``by="country"``).
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.analysis.network_graph import (
    BILATERAL_KINDS,
    MULTILATERAL_KINDS,
    NetworkError,
    NetworkGraph,
    load_network,
)
from paradiplomacy.export.writers import ExportSelection, export_registry
from paradiplomacy.store.registry import Registry

__all__ = [
    "EXACT_LIMIT",
    "PIVOTS",
    "NetworkMetrics",
    "betweenness",
    "brokerage",
    "communities",
    "components",
    "degree_table",
    "export_network",
    "metrics_of",
    "network_metrics",
    "tie_mix",
]

GROUPINGS = ("level", "country")
EXACT_LIMIT = 5_000
"""Largest network whose betweenness is computed exactly by default."""
PIVOTS = 500
"""Default number of sampled sources for the betweenness estimate of larger networks."""
ROLES = ("coordinator", "gatekeeper", "itinerant", "liaison")


@dataclass
class NetworkMetrics:
    """Every table of ``network metrics`` and a summary of the graph."""

    summary: dict[str, Any]
    degree_by_country: pd.DataFrame
    degree_by_type: pd.DataFrame
    brokers: pd.DataFrame
    communities: pd.DataFrame
    components: pd.DataFrame
    tie_mix: pd.DataFrame
    nodes: pd.DataFrame = field(repr=False)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The result tables by name."""
        return {
            "degree_by_country": self.degree_by_country,
            "degree_by_type": self.degree_by_type,
            "brokers": self.brokers,
            "communities": self.communities,
            "components": self.components,
            "tie_mix": self.tie_mix,
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the summary and every table as a list of records."""
        out: dict[str, Any] = {"summary": self.summary}
        for name, frame in self.tables().items():
            out[name] = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        return out


def degree_table(net: NetworkGraph, *, by: str = "country") -> pd.DataFrame:
    """Actors, mean and maximum degree (undirected, distinct neighbours) per country or type.

    ``by`` is ``country``, ``type`` (Japanese government type, else actor kind) or ``level``.
    """
    if by not in ("country", "type", "level"):
        raise NetworkError(f"unknown grouping {by!r}; choose country, type or level")
    frame = net.nodes.assign(degree=net.simple().degree())
    frame[by] = frame[by].fillna("(none)")
    top = frame.sort_values("degree", ascending=False).drop_duplicates(by).set_index(by)
    table = frame.groupby(by).agg(
        actors=("key", "size"),
        degree_sum=("degree", "sum"),
        mean_degree=("degree", "mean"),
        max_degree=("degree", "max"),
    )
    table["mean_degree"] = table["mean_degree"].round(2)
    table["most_connected"] = top["name"]
    return table.sort_values(["degree_sum", "actors"], ascending=False).reset_index()


def brokerage(net: NetworkGraph, *, by: str = "level") -> pd.DataFrame:
    """Gould-Fernandez brokerage counts of every node (open two-paths by role), grouped ``by``."""
    if by not in GROUPINGS:
        raise NetworkError(f"unknown brokerage grouping {by!r}; choose {' or '.join(GROUPINGS)}")
    graph = net.simple()
    codes, _ = pd.factorize(net.nodes[by].fillna("(none)"))
    n, groups = len(codes), int(codes.max()) + 1 if len(codes) else 0
    counts = np.zeros((n, max(groups, 1)), dtype=np.int64)
    edges = np.array(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
    np.add.at(counts, (edges[:, 0], codes[edges[:, 1]]), 1)
    np.add.at(counts, (edges[:, 1], codes[edges[:, 0]]), 1)
    degree = counts.sum(axis=1)
    own = counts[np.arange(n), codes] if n else np.zeros(0, dtype=np.int64)
    other = degree - own
    squares = (counts**2).sum(axis=1) - own**2
    roles = {
        "coordinator": own * (own - 1) // 2,
        "gatekeeper": own * other,
        "itinerant": ((counts * (counts - 1)).sum(axis=1) - own * (own - 1)) // 2,
        "liaison": (other**2 - squares) // 2,
    }
    triangles = np.array(graph.list_triangles(), dtype=np.int64).reshape(-1, 3)
    for shift in range(3):  # each corner of a closed triad is not a broker for the other two
        b, a, c = np.roll(triangles, -shift, axis=1).T
        gb, ga, gc = codes[b], codes[a], codes[c]
        role = np.where(
            (ga == gb) & (gc == gb), 0, np.where((ga == gb) | (gc == gb), 1, np.where(ga == gc, 2, 3))
        )
        for index, name in enumerate(ROLES):
            np.subtract.at(roles[name], b[role == index], 1)
    table = pd.DataFrame(roles)
    table.insert(0, "key", net.nodes["key"])
    table["total"] = table[list(ROLES)].sum(axis=1)
    return table


def betweenness(net: NetworkGraph, *, pivots: int | None = None, seed: int = 0) -> pd.Series:
    """Normalised betweenness (undirected, as NetworkX's ``normalized=True``) of every node.

    Exact up to :data:`EXACT_LIMIT` nodes; above it (or when ``pivots`` is given) the Brandes-Pich
    estimate from ``pivots`` random sources (default :data:`PIVOTS`), scaled by ``n / pivots``, as
    NetworkX's ``betweenness_centrality(k=...)``. ``pivots=0`` forces the exact computation.
    """
    graph = net.simple()
    n = graph.vcount()
    if pivots is None:
        pivots = PIVOTS if n > EXACT_LIMIT else 0
    if pivots < 0:
        raise NetworkError("--pivots must be 0 (exact) or more")
    if pivots == 0 or pivots >= n:
        values = np.asarray(graph.betweenness(directed=False), dtype=float)
    else:
        sources = random.Random(seed).sample(range(n), pivots)
        values = np.asarray(graph.betweenness(directed=False, sources=sources), dtype=float) * n / pivots
    scale = 2.0 / ((n - 1) * (n - 2)) if n > 2 else 1.0
    return pd.Series(values * scale, index=net.nodes.index, name="betweenness")


def communities(net: NetworkGraph, *, seed: int = 0) -> tuple[pd.Series, float]:
    """Leiden communities (modularity objective) of every node and the partition's modularity.

    Isolated nodes get a community of their own. ``seed`` fixes the result.
    """
    graph = net.simple()
    if graph.ecount() == 0:
        return pd.Series(range(graph.vcount()), index=net.nodes.index, name="community"), 0.0
    state = random.getstate()
    random.seed(seed)
    try:
        partition = graph.community_leiden(objective_function="modularity", n_iterations=-1)
    finally:
        random.setstate(state)
    return (
        pd.Series(partition.membership, index=net.nodes.index, name="community"),
        float(partition.modularity),
    )


def components(net: NetworkGraph) -> pd.DataFrame:
    """Connected components by size: how many components have each size."""
    sizes = pd.Series(net.simple().connected_components().sizes(), dtype=int)
    table = sizes.value_counts().rename_axis("size").reset_index(name="components")
    table["nodes"] = table["size"] * table["components"]
    return table.sort_values("size", ascending=False).reset_index(drop=True)


def tie_mix(net: NetworkGraph) -> pd.DataFrame:
    """Bilateral and multilateral (membership) ties started per decade, and the multilateral share.

    Coalition memberships count from the coalition's start. Undated ties form their own row.
    """
    edges = net.edges[net.edges["layer"].isin(["tie", "coalition_member"])]
    sort = np.where(
        edges["kind"].isin(BILATERAL_KINDS),
        "bilateral",
        np.where(edges["kind"].isin(MULTILATERAL_KINDS), "multilateral", "other"),
    )
    year = pd.to_numeric(edges["start"].astype("string").str[:4], errors="coerce")
    period = (year // 10 * 10).astype("Int64").astype("string").fillna("undated")
    period = period.where(period == "undated", period + "s")
    frame = pd.DataFrame({"period": period.to_numpy(), "sort": sort})
    table = pd.crosstab(frame["period"], frame["sort"]).reindex(
        columns=["bilateral", "multilateral", "other"], fill_value=0
    )
    table = table.sort_index(key=lambda i: i.map(lambda p: (p == "undated", p)))
    both = table["bilateral"] + table["multilateral"]
    table["multilateral_share"] = (table["multilateral"] / both.replace(0, np.nan)).round(3)
    dated = table.drop(index="undated", errors="ignore")
    cumulative = dated[["bilateral", "multilateral"]].cumsum()
    table["cumulative_share"] = (
        cumulative["multilateral"] / cumulative.sum(axis=1).replace(0, np.nan)
    ).round(3)
    return table.reset_index().rename_axis(None, axis=1)


def network_metrics(
    registry: Registry,
    *,
    countries: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    vertical: bool = True,
    by: str = "level",
    top: int = 20,
    seed: int = 0,
    pivots: int | None = None,
    as_of: str | None = None,
) -> NetworkMetrics:
    """Every metric of the network of ``registry`` (see :func:`load_network` for the selection
    and ``as_of``).

    ``pivots`` chooses exact (0) or sampled betweenness (see :func:`betweenness`).
    """
    net = load_network(registry, countries=countries, kinds=kinds, vertical=vertical, as_of=as_of)
    return metrics_of(net, by=by, top=top, seed=seed, pivots=pivots)


def metrics_of(
    net: NetworkGraph, *, by: str = "level", top: int = 20, seed: int = 0, pivots: int | None = None
) -> NetworkMetrics:
    """:class:`NetworkMetrics` of an already loaded network."""
    if top < 1:
        raise NetworkError("--top must be at least 1")
    if net.edges.empty:
        raise NetworkError(
            "no tie matches the selection: the network is empty (check --country, --kind and --as-of)"
        )
    roles = brokerage(net, by=by)
    membership, modularity = communities(net, seed=seed)
    between = betweenness(net, pivots=pivots, seed=seed)
    nodes = net.nodes.assign(
        degree=net.simple().degree(),
        betweenness=between,
        community=membership,
        **{r: roles[r] for r in (*ROLES, "total")},
    )
    brokers = nodes.sort_values(["betweenness", "total"], ascending=False).head(top)[
        ["key", "name", "kind", "country", "level", "degree", "betweenness", *ROLES]
    ]
    brokers = brokers.assign(betweenness=brokers["betweenness"].round(4)).reset_index(drop=True)
    comps = components(net)
    graph = net.simple()
    giant = int(comps["size"].max()) if len(comps) else 0
    summary = {
        "nodes": graph.vcount(),
        "edges": len(net.edges),
        "distinct_links": graph.ecount(),
        "layers": {k: int(v) for k, v in net.edges["layer"].value_counts().items()},
        "self_ties_dropped": net.dropped.get("self_ties", 0),
        **({"undated_ties_left_out": net.dropped["undated"]} if "undated" in net.dropped else {}),
        "duplicate_edges_merged": len(net.edges) - graph.ecount(),
        "components": int(comps["components"].sum()) if len(comps) else 0,
        "giant_component_share": round(giant / graph.vcount(), 3) if graph.vcount() else 0.0,
        "communities": int(membership.nunique()),
        "modularity": round(modularity, 3),
        "density": round(graph.density(), 6) if graph.vcount() > 1 else 0.0,
        "brokerage_groups": by,
        "betweenness": ("exact" if _exact(net, pivots) else f"estimated from {pivots or PIVOTS} pivots"),
    }
    return NetworkMetrics(
        summary=summary,
        degree_by_country=degree_table(net, by="country"),
        degree_by_type=degree_table(net, by="type"),
        brokers=brokers,
        communities=_community_table(nodes, top),
        components=comps,
        tie_mix=tie_mix(net),
        nodes=nodes,
    )


def export_network(
    registry: Registry,
    out: str | Path,
    *,
    format: str = "graphml",
    countries: tuple[str, ...] = (),
    kinds: tuple[str, ...] = (),
    as_of: dt.date | None = None,
    left_out: Counter[str] | None = None,
) -> list[Path]:
    """Write the network (actors, ties, offices, coalitions, every attribute) as GraphML or GEXF;
    with ``as_of``, as it stood on that day (:func:`.graph_snapshot.graph_as_of`; what it left out
    is counted in ``left_out`` when given)."""
    if format not in ("graphml", "gexf"):
        raise NetworkError(f"unknown network format {format!r}; choose graphml or gexf")
    reshape = None
    if as_of is not None:
        from paradiplomacy.analysis.graph_snapshot import graph_as_of

        reshape = functools.partial(graph_as_of, registry=registry, day=as_of, left_out=left_out)
    selection = ExportSelection(countries=countries, tie_kinds=kinds)
    return export_registry(registry, out, format, selection, reshape=reshape)


def _exact(net: NetworkGraph, pivots: int | None) -> bool:
    n = len(net.nodes)
    return pivots == 0 or (pivots is None and n <= EXACT_LIMIT) or (pivots or 0) >= n


def _community_table(nodes: pd.DataFrame, top: int) -> pd.DataFrame:
    rows = []
    for community, group in nodes.groupby("community"):
        leaders = group.sort_values("degree", ascending=False)["name"].head(3)
        countries = group["country"].dropna().value_counts()
        rows.append(
            {
                "community": int(community),
                "size": len(group),
                "countries": ", ".join(countries.index[:5]),
                "main_level": group["level"].mode().iat[0],
                "members": "; ".join(leaders),
            }
        )
    table = pd.DataFrame(rows, columns=["community", "size", "countries", "main_level", "members"])
    return table.sort_values("size", ascending=False).head(top).reset_index(drop=True)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if value is pd.NA:
        return None
    return value

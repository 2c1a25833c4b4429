"""``network metrics`` on the full development pair list, against the same metrics in NetworkX.

Ours: :func:`paradiplomacy.analysis.network.network_metrics` (igraph: degree tables, Brandes-Pich
betweenness from 500 pivots, Gould-Fernandez brokerage by vectorised counting minus closed triads,
Leiden communities, components, bilateral/multilateral mix). Peer, in the same run on the same
graph: NetworkX with the straightforward code a researcher would write — ``degree``,
``betweenness_centrality(k=500)``, a loop over every pair of neighbours for brokerage,
``louvain_communities``, ``connected_components`` and a loop for the tie mix. Prints the time of
each part, the totals and their ratio, and checks that both give the same brokerage and components.

Build the registry once (the import takes a few minutes)::

    paradiplomacy init --db /tmp/pairs.db
    paradiplomacy import /work/shared/data/world_twinning_pairs_excl_japan.csv --kind pair \\
        --partial --create-missing --db /tmp/pairs.db
    python benchmarks/bench_network.py [/tmp/pairs.db] [--exact]

``--exact`` also times igraph's exact betweenness and reports how well the estimate ranks brokers.
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from paradiplomacy import Registry
from paradiplomacy.analysis.network import PIVOTS, betweenness, brokerage, metrics_of
from paradiplomacy.analysis.network_graph import (
    BILATERAL_KINDS,
    MULTILATERAL_KINDS,
    NetworkGraph,
    load_network,
)

DEFAULT = Path("/tmp/pairs.db")


def timed(label: str, times: dict[str, float], function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    times[label] = time.perf_counter() - started
    return result


def naive_brokerage(graph: nx.Graph, group: dict[int, str]) -> dict[int, Counter]:
    """Gould-Fernandez roles by looping over every pair of neighbours."""
    roles: dict[int, Counter] = {}
    for b in graph:
        counts: Counter = Counter()
        for a, c in combinations(graph[b], 2):
            if graph.has_edge(a, c):
                continue
            ga, gb, gc = group[a], group[b], group[c]
            if ga == gb == gc:
                counts["coordinator"] += 1
            elif ga == gb or gc == gb:
                counts["gatekeeper"] += 1
            elif ga == gc:
                counts["itinerant"] += 1
            else:
                counts["liaison"] += 1
        roles[b] = counts
    return roles


def naive(net: NetworkGraph) -> tuple[dict[str, float], dict[int, Counter], int]:
    """The peer: the same metrics written directly against NetworkX."""
    times: dict[str, float] = {}
    started = time.perf_counter()
    graph = nx.Graph()
    graph.add_nodes_from(net.nodes.index)
    graph.add_edges_from(
        (s, t) for s, t in zip(net.edges["source"], net.edges["target"], strict=True) if s != t
    )
    times["build graph"] = time.perf_counter() - started
    country = net.nodes["country"].fillna("(none)").to_dict()
    kind = net.nodes["type"].to_dict()
    level = net.nodes["level"].to_dict()

    def degrees() -> None:
        for labels in (country, kind):
            table: dict[str, list[int]] = {}
            for node, degree in graph.degree():
                table.setdefault(labels[node], []).append(degree)
            {k: (len(v), sum(v), max(v)) for k, v in table.items()}

    timed("degree tables", times, degrees)
    timed("betweenness", times, nx.betweenness_centrality, graph, k=PIVOTS, seed=0)
    roles = timed("brokerage", times, naive_brokerage, graph, level)
    timed("communities", times, nx.community.louvain_communities, graph, seed=0)
    parts = timed("components", times, lambda: list(nx.connected_components(graph)))

    def mix() -> None:
        table: Counter = Counter()
        for kind_, start in zip(net.edges["kind"], net.edges["start"], strict=True):
            sort = (
                "bilateral"
                if kind_ in BILATERAL_KINDS
                else "multilateral"
                if kind_ in MULTILATERAL_KINDS
                else "other"
            )
            decade = f"{str(start)[:3]}0s" if isinstance(start, str) else "undated"
            table[decade, sort] += 1

    timed("tie mix", times, mix)
    return times, roles, len(parts)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT
    if not path.exists():
        sys.exit(f"{path} not found: build it as the module docstring says")
    registry = Registry(path)
    started = time.perf_counter()
    net = load_network(registry)
    load_seconds = time.perf_counter() - started
    ties = int((net.edges["layer"] == "tie").sum())
    print(
        f"registry {path}: {len(net.nodes):,} nodes, {len(net.edges):,} edges "
        f"({ties:,} ties); read in {load_seconds:.2f} s"
    )

    ours: dict[str, float] = {}
    result = timed("all metrics", ours, metrics_of, net, seed=0)
    for part, function in (
        ("betweenness", lambda: betweenness(net, seed=0)),
        ("brokerage", lambda: brokerage(net)),
    ):
        timed(part, ours, function)
    theirs, roles, parts = naive(net)
    theirs_total = sum(theirs.values())

    print(
        f"\nours (igraph), all of network metrics: {ours['all metrics']:.2f} s "
        f"(+ {load_seconds:.2f} s reading) = {ours['all metrics'] + load_seconds:.2f} s"
    )
    print(f"  of which betweenness {ours['betweenness']:.2f} s, brokerage {ours['brokerage']:.2f} s")
    print("networkx, same metrics:")
    for part, seconds in theirs.items():
        print(f"  {part:<14} {seconds:8.2f} s")
    print(f"  {'total':<14} {theirs_total:8.2f} s")
    print(f"ratio networkx / ours (metrics only): {theirs_total / ours['all metrics']:.1f}x")

    table = brokerage(net).set_index(net.nodes.index)
    same = all(
        table.at[node, role] == counts.get(role, 0)
        for node, counts in roles.items()
        for role in ("coordinator", "gatekeeper", "itinerant", "liaison")
    )
    print(
        f"brokerage identical to the naive loop: {same}; components ours "
        f"{result.summary['components']} vs networkx {parts}"
    )
    print(f"summary: {result.summary}")

    if "--exact" in sys.argv:
        started = time.perf_counter()
        exact = betweenness(net, pivots=0)
        seconds = time.perf_counter() - started
        estimate = betweenness(net, seed=0)
        top = set(exact.nlargest(20).index)
        overlap = len(top & set(estimate.nlargest(20).index))
        rho = pd.Series(exact).corr(pd.Series(estimate), method="spearman")
        print(
            f"exact igraph betweenness: {seconds:.1f} s; top-20 brokers shared with the "
            f"{PIVOTS}-pivot estimate: {overlap}/20; Spearman rho {rho:.3f}; "
            f"max abs error {np.abs(exact - estimate).max():.4f}"
        )


if __name__ == "__main__":
    main()

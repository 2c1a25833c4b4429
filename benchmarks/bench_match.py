"""Rank partner candidates for every Japanese local government against every candidate place.

Reads a registry with ties (``--db``, default ``$PARADIPLOMACY_DB`` or ./paradiplomacy.db), fits
(or loads) the recommender, then times the vectorised ranking (numpy + scipy sparse): all features,
scores and the top 10 for every Japanese municipality, prefecture and ward, against every candidate.
Peer, in the same run over the same graph and candidates: NetworkX ``adamic_adar_index`` for a
sample of the same municipalities (extrapolated to all of them), and our own Adamic-Adar alone.

    python benchmarks/bench_match.py --db paradiplomacy.db [--sample 40]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from paradiplomacy import Registry
from paradiplomacy.matching.baselines import baseline_scores
from paradiplomacy.matching.features import FeatureContext, candidate_vertices
from paradiplomacy.matching.graph import load_graph
from paradiplomacy.matching.recommend import load_model, top_partners
from paradiplomacy.matching.themes import actor_themes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--sample", type=int, default=40, help="municipalities for the NetworkX peer")
    args = parser.parse_args()
    registry = Registry(args.db)

    t0 = time.perf_counter()
    graph = load_graph(registry)
    themes = actor_themes(registry, graph.actors["id"].to_numpy())
    t_load = time.perf_counter() - t0
    t0 = time.perf_counter()
    model = load_model(registry, graph, "JP", themes)
    t_fit = time.perf_counter() - t0

    actors = graph.actors
    japanese = np.flatnonzero(actors["lg_code"].notna().to_numpy() & actors["place"].to_numpy())
    t0 = time.perf_counter()
    adjacency = graph.adjacency()
    candidates = candidate_vertices(
        graph, adjacency, model.min_population, home="JP", named=model.named_places
    )
    ctx = FeatureContext.build(graph, graph.edges, candidates, themes)
    t_ctx = time.perf_counter() - t0
    t0 = time.perf_counter()
    best, _ = top_partners(ctx, model, japanese, top=10)
    t_rank = time.perf_counter() - t0
    total = t_ctx + t_rank

    t0 = time.perf_counter()
    rng = np.random.default_rng(0)
    for start in range(0, len(japanese), 128):
        baseline_scores(ctx, japanese[start : start + 128], rng)["adamic_adar"]
    t_aa = time.perf_counter() - t0

    import networkx as nx

    nx_graph = nx.Graph()
    nx_graph.add_nodes_from(range(graph.n))
    nx_graph.add_edges_from(map(tuple, graph.edges.tolist()))
    sample = np.random.default_rng(1).choice(japanese, size=min(args.sample, len(japanese)), replace=False)
    t0 = time.perf_counter()
    for s in sample:
        pairs = [(int(s), int(c)) for c in candidates if c != s]
        for _ in nx.adamic_adar_index(nx_graph, pairs):
            pass
    t_nx = (time.perf_counter() - t0) / len(sample)

    print(
        f"graph: {graph.n:,} actors, {len(graph.edges):,} bilateral ties; load {t_load:.1f} s, "
        f"model fit/load {t_fit:.1f} s"
    )
    print(
        f"ranked {len(japanese):,} Japanese local governments x {len(candidates):,} candidates "
        f"({len(japanese) * len(candidates) / 1e6:.1f} M pairs, {len(model.country_names)} country + "
        f"{len(model.names)} place features)"
    )
    print(
        f"  ours (features + learned scores + top 10): {total:.2f} s total "
        f"(context {t_ctx:.2f} s, ranking {t_rank:.2f} s), "
        f"{1000 * total / len(japanese):.2f} ms per municipality"
    )
    print(
        f"  ours, Adamic-Adar alone (scipy sparse): {t_aa:.2f} s, "
        f"{1000 * t_aa / len(japanese):.2f} ms per municipality"
    )
    print(
        f"  peer NetworkX adamic_adar_index: {1000 * t_nx:.1f} ms per municipality "
        f"({len(sample)} sampled), {t_nx * len(japanese):.1f} s extrapolated to all"
    )
    print(
        f"  ratio NetworkX AA / ours (full model): {t_nx * len(japanese) / total:.1f}x; "
        f"NetworkX AA / ours AA: {t_nx * len(japanese) / t_aa:.1f}x"
    )
    print(
        f"  under 30 s: {'yes' if total < 30 else 'NO'}; example: {actors['name_en'].iloc[japanese[0]]} -> "
        f"{', '.join(str(actors['name_en'].iloc[v]) for v in best[0][:3])}"
    )


if __name__ == "__main__":
    main()

"""The linear-threshold model on one graph, in our engine and in NDlib, in the same run.

Graph: the peer network of every Japanese local government in a registry (geographic neighbours,
same prefecture, ties; ``--db PATH``), or without a registry a seeded random geometric graph of the
same size. Both engines get the same fixed thresholds (uniform on [0, 1]) and the same initial
adopters (5 percent), and run the same number of synchronous steps:

- identity: the adoption curve (adopters after each step) and every agent's final state must be equal;
- distribution: with thresholds drawn afresh in every run, the final adoption counts of the two engines
  are compared (mean, sd, two-sample Kolmogorov-Smirnov test);
- speed: agent-steps per second (agents x steps x runs / seconds). NDlib runs one simulation at a time;
  ours runs ``--runs`` simulations as the columns of one matrix (each with its own thresholds), and is
  also timed for a single run. The ratio printed is ours (batched) over NDlib. Each timing is the
  best of ``--repeat`` (the machine may be shared).

    python benchmarks/bench_diffusion.py [--db /tmp/diff.db] [--steps 30] [--runs 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
import warnings

import networkx as nx
import numpy as np

from paradiplomacy.diffusion.engine import LinearThreshold, adoption_curves, run_model


def registry_graph(db: str) -> nx.Graph:
    """The peer network of all Japanese local governments in the registry at ``db``."""
    from paradiplomacy import Registry
    from paradiplomacy.diffusion.peers import peer_network
    from paradiplomacy.diffusion.population import eligible_governments

    registry = Registry(db)
    population = eligible_governments(registry)
    matrix = peer_network(registry, population).combined().tocoo()
    graph = nx.Graph()
    graph.add_nodes_from(range(len(population)))
    graph.add_edges_from(zip(matrix.row.tolist(), matrix.col.tolist(), strict=True))
    return graph


def ndlib_curve(
    graph: nx.Graph, thresholds: np.ndarray, initial: list[int], steps: int
) -> tuple[list[int], dict[int, int], float]:
    """NDlib's ThresholdModel: adopters after each step, final states, seconds for the steps."""
    import ndlib.models.epidemics as ep
    import ndlib.models.ModelConfig as mc

    model = ep.ThresholdModel(graph, seed=0)
    config = mc.Configuration()
    for node in graph.nodes:
        config.add_node_configuration("threshold", node, float(thresholds[node]))
    config.add_model_initial_configuration("Infected", initial)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.set_initial_status(config)
    curve = [len(initial)]
    model.iteration()  # NDlib's iteration 0 only reports the initial state
    started = time.perf_counter()
    for _ in range(steps):
        result = model.iteration()
        curve.append(result["node_count"][1])
    seconds = time.perf_counter() - started
    return curve, dict(model.status), seconds


def ours(
    graph: nx.Graph, thresholds: np.ndarray | None, initial: list[int], steps: int, runs: int, seed: int = 0
) -> tuple[np.ndarray, np.ndarray, float]:
    """Our engine: curves (runs x steps+1), adoption times, seconds."""
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=range(graph.number_of_nodes()), format="csr")
    import scipy.sparse as sp

    model = LinearThreshold(sp.csr_matrix(adjacency), p=0.0, q=1.0, thresholds=thresholds)
    start = np.zeros(graph.number_of_nodes(), bool)
    start[initial] = True
    started = time.perf_counter()
    times = run_model(model, steps=steps, runs=runs, initial=start, seed=seed)
    seconds = time.perf_counter() - started
    return adoption_curves(times, steps), times, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="registry to take the peer network from")
    parser.add_argument("--nodes", type=int, default=1788, help="size of the synthetic graph")
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--runs", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="timings are the best of this many")
    parser.add_argument(
        "--distribution",
        type=int,
        default=30,
        help="runs per engine for the random-threshold comparison (0 = skip)",
    )
    args = parser.parse_args()

    graph = (
        registry_graph(args.db) if args.db else nx.random_geometric_graph(args.nodes, 0.045, seed=args.seed)
    )
    graph = nx.convert_node_labels_to_integers(graph)
    n, m = graph.number_of_nodes(), graph.number_of_edges()
    rng = np.random.default_rng(args.seed)
    thresholds = rng.random(n)
    initial = sorted(rng.choice(n, size=max(1, n // 20), replace=False).tolist())
    print(
        f"graph: {'registry ' + args.db if args.db else 'random geometric'}, {n} agents, {m} edges; "
        f"{args.steps} steps, {len(initial)} initial adopters"
    )

    peer = [ndlib_curve(graph, thresholds, initial, args.steps) for _ in range(args.repeat)]
    peer_curve, peer_status, _ = peer[0]
    peer_seconds = min(seconds for _, _, seconds in peer)
    our_curve, our_times, _ = ours(graph, thresholds, initial, args.steps, runs=1)
    single_seconds = min(ours(graph, thresholds, initial, args.steps, runs=1)[2] for _ in range(args.repeat))
    same_curve = our_curve[0].tolist() == peer_curve
    same_states = all((our_times[node, 0] >= 0) == (peer_status[node] == 1) for node in graph.nodes)
    print(f"NDlib curve: {peer_curve}")
    print(f"ours  curve: {our_curve[0].tolist()}")
    print(f"identical curves: {same_curve}; identical final states: {same_states}")

    batch_seconds = min(
        ours(graph, None, initial, args.steps, runs=args.runs, seed=k)[2] for k in range(args.repeat)
    )
    peer_rate = n * args.steps / peer_seconds
    single_rate = n * args.steps / single_seconds
    batch_rate = n * args.steps * args.runs / batch_seconds
    print(f"best of {args.repeat} timings each")
    print(f"NDlib ThresholdModel: {peer_seconds:.3f} s for 1 run  -> {peer_rate:,.0f} agent-steps/s")
    print(
        f"ours, 1 run:          {single_seconds:.4f} s          -> {single_rate:,.0f} agent-steps/s "
        f"({single_rate / peer_rate:,.1f}x NDlib)"
    )
    print(
        f"ours, {args.runs} runs:      {batch_seconds:.3f} s          -> {batch_rate:,.0f} agent-steps/s "
        f"({batch_rate / peer_rate:,.1f}x NDlib)"
    )
    print(f"ratio (ours batched / NDlib): {batch_rate / peer_rate:,.1f}x (target >= 80x)")
    if args.distribution:
        compare_distributions(graph, initial, args.steps, args.distribution, args.seed)
    if not (same_curve and same_states):
        raise SystemExit("the engines disagree")


def compare_distributions(graph: nx.Graph, initial: list[int], steps: int, runs: int, seed: int) -> None:
    """Final adopters over ``runs`` runs with random thresholds: NDlib (one run each) vs our engine."""
    from scipy.stats import ks_2samp

    rng = np.random.default_rng(seed + 1)
    n = graph.number_of_nodes()
    peer = np.array([ndlib_curve(graph, rng.random(n), initial, steps)[0][-1] for _ in range(runs)])
    curves, _, _ = ours(graph, None, initial, steps, runs=runs, seed=seed + 2)
    mine = curves[:, -1]
    test = ks_2samp(peer, mine)
    print(
        f"random thresholds, {runs} runs each: final adopters NDlib {peer.mean():.1f} "
        f"(sd {peer.std():.1f}), ours {mine.mean():.1f} (sd {mine.std():.1f}); "
        f"two-sample KS p = {test.pvalue:.2f}"
    )


if __name__ == "__main__":
    main()

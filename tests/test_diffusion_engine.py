"""The Monte Carlo engine: hand-checked steps, NDlib parity, interventions, seeds and backends."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from paradiplomacy.diffusion.backends import BackendError, chunk_sizes, map_chunks, require_backend
from paradiplomacy.diffusion.engine import (
    IndependentCascade,
    LinearThreshold,
    LogitHazard,
    NetworkBass,
    Schedule,
    adoption_curves,
    run_model,
)


def _path(n: int) -> sp.csr_matrix:
    return sp.csr_matrix(nx.to_scipy_sparse_array(nx.path_graph(n), nodelist=range(n)))


def test_threshold_on_a_path_spreads_one_hop_per_step() -> None:
    # every inner node has 2 neighbours: threshold 0.5 is met by one adopted neighbour
    model = LinearThreshold(_path(5), thresholds=np.full(5, 0.5))
    start = np.array([True, False, False, False, False])
    times = run_model(model, steps=6, runs=1, initial=start)
    assert times[:, 0].tolist() == [0, 1, 2, 3, 4]
    assert adoption_curves(times, 6)[0].tolist() == [1, 2, 3, 4, 5, 5, 5]
    # threshold 0.6: one of two neighbours is not enough, so the spread stops at node 1
    model = LinearThreshold(_path(5), thresholds=np.array([0.5, 0.5, 0.6, 0.6, 0.6]))
    assert run_model(model, steps=6, runs=1, initial=start)[:, 0].tolist() == [0, 1, -1, -1, -1]


def test_threshold_matches_ndlib_step_for_step() -> None:
    ep = pytest.importorskip("ndlib.models.epidemics")
    mc = pytest.importorskip("ndlib.models.ModelConfig")
    graph = nx.random_geometric_graph(300, 0.1, seed=4)
    rng = np.random.default_rng(4)
    thresholds = rng.random(300)
    initial = sorted(rng.choice(300, 20, replace=False).tolist())
    peer = ep.ThresholdModel(graph, seed=0)
    config = mc.Configuration()
    for node in graph.nodes:
        config.add_node_configuration("threshold", node, float(thresholds[node]))
    config.add_model_initial_configuration("Infected", initial)
    peer.set_initial_status(config)
    peer.iteration()
    expected = [len(initial)] + [peer.iteration()["node_count"][1] for _ in range(12)]
    matrix = sp.csr_matrix(nx.to_scipy_sparse_array(graph, nodelist=range(300)))
    start = np.zeros(300, bool)
    start[initial] = True
    times = run_model(LinearThreshold(matrix, thresholds=thresholds), steps=12, runs=1, initial=start)
    assert adoption_curves(times, 12)[0].tolist() == expected
    assert expected[-1] > expected[0]  # the test graph does spread
    assert {n for n in graph.nodes if peer.status[n] == 1} == set(np.flatnonzero(times[:, 0] >= 0))


def test_bass_without_peers_follows_the_innovation_rate() -> None:
    model = NetworkBass(sp.csr_matrix((400, 400)), p=0.1, q=0.9)
    curves = adoption_curves(run_model(model, steps=5, runs=200, seed=1), 5) / 400
    expected = 1 - (1 - 0.1) ** np.arange(6)
    assert np.allclose(curves.mean(axis=0), expected, atol=0.01)


def test_cascade_converts_only_through_fresh_adopters() -> None:
    model = IndependentCascade(_path(3), p=0.0, q=1.0)
    times = run_model(model, steps=4, runs=3, initial=np.array([True, False, False]), seed=0)
    assert (times.T == [0, 1, 2]).all()
    model = IndependentCascade(_path(3), p=0.0, q=0.0)
    assert (run_model(model, steps=4, runs=3, initial=np.array([True, False, False]))[1:] == -1).all()


def test_schedule_blocks_forces_and_scales() -> None:
    matrix = _path(4)
    blocked = np.array([False, True, False, False])
    model = LinearThreshold(matrix, thresholds=np.zeros(4) + 0.1)
    times = run_model(
        model,
        steps=5,
        runs=2,
        initial=np.array([True, True, False, False]),
        schedule=Schedule(blocked=blocked, scheduled=[(3, 2)]),
    )
    assert (times[1] == -1).all()  # blocked, even as an initial adopter
    assert (times[3] == 2).all() and (times[2] == 3).all()
    silent = NetworkBass(sp.csr_matrix((50, 50)), p=0.5)
    times = run_model(silent, steps=3, runs=4, schedule=Schedule(multiplier={1: 0.0, 2: 0.0}), seed=2)
    assert not (times[(times >= 0)] < 3).any()  # no adoption while the event scales it to zero
    assert (times == 3).any()


def test_logit_hazard_uses_base_trend_and_peer_shares() -> None:
    matrix = _path(3)
    never = LogitHazard(matrix, base=np.full(3, -50.0), layers=[matrix], betas=[0.0])
    assert (run_model(never, steps=5, runs=5, seed=0) == -1).all()
    # a huge peer coefficient: the neighbours of an adopter adopt in the next step
    social = LogitHazard(matrix, base=np.full(3, -50.0), layers=[matrix], betas=[200.0])
    times = run_model(social, steps=3, runs=2, initial=np.array([True, False, False]), seed=0)
    assert (times.T == [0, 1, 2]).all()
    event = LogitHazard(matrix, base=np.full(3, -50.0), offsets={2: 100.0})
    assert (run_model(event, steps=3, runs=2, seed=0) == 2).all()


def test_seed_fixes_the_runs() -> None:
    model = NetworkBass(_path(30), p=0.05, q=0.5)
    first = run_model(model, steps=10, runs=20, seed=9)
    assert np.array_equal(first, run_model(model, steps=10, runs=20, seed=9))
    assert not np.array_equal(first, run_model(model, steps=10, runs=20, seed=10))


def _task(shared: dict, size: int, seed: np.random.SeedSequence) -> np.ndarray:
    return run_model(shared["model"], steps=8, runs=size, seed=seed)


def test_chunks_give_the_same_runs_locally_and_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    shared = {"model": NetworkBass(_path(40), p=0.05, q=0.6)}
    sizes = chunk_sizes(50, 16)
    assert sizes == [16, 16, 16, 2]
    local = np.concatenate(map_chunks(_task, shared, sizes, 5), axis=1)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = np.concatenate(map_chunks(_task, shared, sizes, 5, backend="dask", client=client), axis=1)
        assert len(client.scheduler_info()["workers"]) == 2
    assert np.array_equal(local, remote)
    with pytest.raises(BackendError, match="unknown backend"):
        map_chunks(_task, shared, sizes, 5, backend="spark")


def test_require_backend_names_a_missing_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from paradiplomacy.extras import missing_extra

    require_backend("local")
    with pytest.raises(BackendError, match="unknown backend"):
        require_backend("spark")
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if the [diffusion] extra were missing
    with pytest.raises(ImportError) as raised:
        require_backend("dask")
    assert "pip install 'paradiplomacy[diffusion]'" in (missing_extra(raised.value) or "")
    require_backend("dask", client=object())  # a client passed in: dask is there


def test_sweep_finds_the_generating_parameters_on_every_backend() -> None:
    distributed = pytest.importorskip("distributed")
    from paradiplomacy.diffusion.peers import peer_network_from_edges
    from paradiplomacy.diffusion.simulate import sweep

    graph = nx.random_geometric_graph(300, 0.08, seed=2)
    peers = peer_network_from_edges(np.arange(300), {"neighbours": list(graph.edges())})
    truth = NetworkBass(peers.combined(), p=0.01, q=0.5)
    observed = adoption_curves(run_model(truth, steps=15, runs=400, seed=99), 15)[:, 1:].mean(axis=0)
    start = np.zeros(300, bool)
    options = {"runs": 200, "seed": 3, "p_grid": (0.001, 0.01, 0.05), "q_grid": (0.0, 0.5, 1.0)}
    local = sweep("bass", peers, observed, start, **options)
    assert (local.loc[0, "p"], local.loc[0, "q"]) == (0.01, 0.5)
    assert local.loc[0, "brackets"] == 1.0 and local["sse"].is_monotonic_increasing
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = sweep("bass", peers, observed, start, backend="dask", client=client, **options)
    assert local.equals(remote)

"""NetInf-style inference: recovery of a known network from yearly cascades with ties and gaps."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from paradiplomacy.diffusion.inference import (
    _edge_weight,
    infer_network,
    precision_recall,
    synthetic_cascades,
)

NODES = 50


@pytest.fixture(scope="module")
def known() -> tuple[set[tuple[int, int]], pd.DataFrame]:
    """A random directed network and 400 cascades on it: yearly times, 20% of dates missing."""
    truth = set(nx.gnp_random_graph(NODES, 0.05, seed=3, directed=True).edges())
    cascades = synthetic_cascades(
        truth, NODES, cascades=400, beta=0.5, alpha=1.0, horizon=10, resolution=1.0, missing=0.2, seed=1
    )
    return truth, cascades


def _infer(cascades: pd.DataFrame, **options: object):
    windows = {c: (-1.0, 11.0) for c in cascades["cascade"].unique()}
    return infer_network(cascades, universe=range(NODES), windows=windows, alpha=1.0, beta=0.5, **options)


def test_synthetic_cascades_have_ties_and_missing_dates(known) -> None:
    _, cascades = known
    assert cascades["time"].isna().mean() == pytest.approx(0.2, abs=0.03)
    dated = cascades.dropna(subset=["time"])
    tied = dated.duplicated(["cascade", "time"], keep=False).mean()
    assert tied > 0.3  # most adopters share their year with another


def test_recovers_the_known_network_with_stated_precision_and_recall(known) -> None:
    truth, cascades = known
    result = _infer(cascades)  # defaults: ties split, missing dates marginalised
    precision, recall = precision_recall(result.edge_set(), truth)
    # measured: precision 0.89, recall 0.98 (119 edges found, 108 true)
    assert precision >= 0.85
    assert recall >= 0.9
    assert result.edges["gain"].is_monotonic_decreasing  # greedy gains only shrink


def test_explicit_tie_and_missing_handling_beats_the_naive_choices(known) -> None:
    truth, cascades = known
    split = precision_recall(_infer(cascades).edge_set(), truth)
    strict = precision_recall(_infer(cascades, ties="exclude").edge_set(), truth)
    dropped = precision_recall(_infer(cascades, missing="drop").edge_set(), truth)
    assert split[1] > strict[1]  # same-year transmissions are not thrown away
    assert split[1] >= dropped[1]  # undated adopters still carry information
    assert sum(split) > sum(dropped)


def test_edge_weights_for_ties_and_unknown_dates() -> None:
    options = {"alpha": 1.0, "beta": 0.5, "resolution": 1.0}
    assert _edge_weight(2.0, 1.0, 0, 10, ties="split", **options) is None  # later cannot cause
    assert _edge_weight(1.0, 1.0, 0, 10, ties="exclude", **options) is None  # tie excluded
    tie = _edge_weight(1.0, 1.0, 0, 10, ties="split", **options)
    assert tie == pytest.approx(math.log(0.25) - 0.5)
    assert _edge_weight(1.0, 3.0, 0, 10, ties="split", **options) == pytest.approx(math.log(0.5) - 2)
    unknown_target = _edge_weight(2.0, math.nan, 0, 10, ties="split", **options)
    assert unknown_target == pytest.approx(math.log(0.5 * (1 - math.exp(-8)) / 10))
    assert _edge_weight(math.nan, math.nan, 0, 10, ties="split", **options) is None


def test_censored_non_adopters_penalise_edges_that_carry_nothing() -> None:
    # a always adopts first and b follows a year later; c never adopts
    rows = [{"cascade": k, "node": n, "time": t} for k in range(5) for n, t in (("a", 0.0), ("b", 1.0))]
    result = infer_network(pd.DataFrame(rows), universe=["a", "b", "c"])
    assert result.edge_set() == {("a", "b")}
    # with b adopting only once in ten cascades of a, the edge costs more than it explains
    rows = [{"cascade": k, "node": "a", "time": 0.0} for k in range(10)] + [
        {"cascade": 0, "node": "b", "time": 1.0}
    ]
    assert infer_network(pd.DataFrame(rows), universe=["a", "b"]).edge_set() == set()


def test_bad_options_are_rejected() -> None:
    with pytest.raises(ValueError, match="ties"):
        infer_network(pd.DataFrame(columns=["cascade", "node", "time"]), ties="guess")
    assert precision_recall(set(), {(1, 2)}) == (0.0, 0.0)
    assert np.isfinite(precision_recall({(1, 2)}, {(1, 2)})).all()

"""The discrete-time hazard model recovers known effects from adoptions simulated on a synthetic world."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from paradiplomacy.diffusion.data import ADOPTION_COLUMNS, DiffusionData, DiffusionError
from paradiplomacy.diffusion.engine import LogitHazard, run_model
from paradiplomacy.diffusion.hazard import fit_hazard, person_periods
from paradiplomacy.diffusion.peers import peer_network_from_edges
from paradiplomacy.diffusion.population import COLUMNS

N, FIRST, LAST = 1500, 2001, 2020
TRUE = {"const": -5.0, "year_trend": 0.08, "neighbours": 3.0}


def _world(seed: int = 0) -> tuple[DiffusionData, object]:
    graph = nx.random_geometric_graph(N, 0.04, seed=seed)
    pairs = list(graph.edges())
    peers = peer_network_from_edges(np.arange(1, N + 1), {"neighbours": pairs})
    matrix = peers.layers["neighbours"]
    model = LogitHazard(
        matrix,
        base=np.full(N, TRUE["const"]),
        trend=TRUE["year_trend"],
        start_value=-1.0,
        layers=[matrix],
        betas=[TRUE["neighbours"]],
    )
    times = run_model(model, steps=LAST - FIRST + 1, runs=1, seed=seed)[:, 0]
    population = pd.DataFrame(
        {
            "actor_id": np.arange(1, N + 1),
            "key": "x",
            "name": "x",
            "lg_code": None,
            "lg_type": "city",
            "prefecture_id": 1,
            "population": 1000,
            "lat": 0.0,
            "lon": 0.0,
            "founded": None,
        },
        columns=COLUMNS,
    )
    adopted = np.flatnonzero(times > 0)
    adoptions = pd.DataFrame(
        {
            "actor_id": adopted + 1,
            "key": "x",
            "name": "x",
            "lg_type": "city",
            "prefecture_id": 1,
            "date": None,
            "year": FIRST - 1 + times[adopted],
            "dated": True,
            "eligible": True,
            "source": "synthetic",
        },
        columns=ADOPTION_COLUMNS,
    )
    adoptions["year"] = adoptions["year"].astype("Int64")
    curve = pd.DataFrame({"year": range(FIRST, LAST + 1)})
    data = DiffusionData(
        policy="other",
        types=("city",),
        years=(FIRST, LAST),
        adoptions=adoptions,
        population=population,
        curve=curve,
    )
    return data, peers


def test_person_periods_stop_at_adoption() -> None:
    data, peers = _world()
    periods = person_periods(data, peers, covariates=("neighbours", "year"))
    assert periods["event"].sum() == len(data.adoptions)
    assert periods.groupby("actor_id")["event"].sum().max() == 1
    last_row = periods.sort_values("year").groupby("actor_id").tail(1).set_index("actor_id")
    adopted_in = data.adoptions.set_index("actor_id")["year"]
    assert (last_row.loc[adopted_in.index, "year"] == adopted_in).all()
    never = sorted(set(data.population["actor_id"]) - set(adopted_in.index))[:5]
    assert (last_row.loc[never, "year"] == LAST).all()
    assert (periods.loc[periods["year"] == FIRST, "neighbours"] == 0).all()  # nobody before


def test_hazard_recovers_the_simulated_coefficients() -> None:
    data, peers = _world()
    result = fit_hazard(data, peers, covariates=("neighbours", "year"))
    table = result.to_frame().set_index("term")
    for term, value in TRUE.items():
        estimate, se = table.loc[term, "coef"], table.loc[term, "se"]
        assert abs(estimate - value) < 3 * se, (term, estimate, se)
    assert table.loc["neighbours", "p"] < 0.001
    assert result.stats["adoptions"] == len(data.adoptions)
    fitted_end = result.curve["fitted"].iloc[-1]
    assert fitted_end == pytest.approx(result.curve["observed"].iloc[-1], rel=0.02)


def test_hazard_needs_events_and_known_covariates() -> None:
    data, peers = _world()
    with pytest.raises(DiffusionError, match="unknown covariates"):
        fit_hazard(data, peers, covariates=("charisma",))
    empty = DiffusionData(
        policy="other",
        types=("city",),
        years=(FIRST, LAST),
        adoptions=data.adoptions.iloc[0:0],
        population=data.population,
        curve=data.curve,
    )
    with pytest.raises(DiffusionError, match="at least 5"):
        fit_hazard(empty, peers, covariates=("year",))
    few = DiffusionData(
        policy="other",
        types=("city",),
        years=(FIRST, LAST),
        adoptions=data.adoptions.iloc[:8],
        population=data.population,
        curve=data.curve,
    )
    fragile = fit_hazard(few, peers, covariates=("year", "neighbours"))
    assert any("fewer than 10 per term" in note for note in fragile.stats["warnings"])
    assert fit_hazard(data, peers, covariates=("year",)).stats["warnings"] == []


def test_hazard_plot_is_written(tmp_path) -> None:
    data, peers = _world()
    path = fit_hazard(data, peers, covariates=("neighbours",)).plot(tmp_path / "fit.png")
    assert path.stat().st_size > 1000


def test_regions_follow_the_prefecture_number() -> None:
    from paradiplomacy.diffusion.hazard import region_of

    assert [region_of(c) for c in ("011002", "131016", "271004", "401005", "472018")] == [
        "Hokkaido",
        "Kanto",
        "Kinki",
        "Kyushu",
        "Kyushu",
    ]
    assert region_of(None) is None and region_of("xx") is None

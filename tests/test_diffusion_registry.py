"""Diffusion on the bundled registry: the papers' figures from the adoption records, the fitted
model, the simulation band against the observed strategy curve, scenarios and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.diffusion import diffusion_data, eligible_governments
from paradiplomacy.diffusion.data import DiffusionError
from paradiplomacy.diffusion.hazard import fit_hazard
from paradiplomacy.diffusion.inference import infer_policies
from paradiplomacy.diffusion.peers import peer_network
from paradiplomacy.diffusion.simulate import Scenario, load_scenario, simulate_policy

pytestmark = pytest.mark.slow

# The designated cities as of January 2002 (the date of Takao's nationality-clause figure).
DESIGNATED_2002 = {
    "札幌市",
    "仙台市",
    "千葉市",
    "川崎市",
    "横浜市",
    "名古屋市",
    "京都市",
    "大阪市",
    "神戸市",
    "広島市",
    "北九州市",
    "福岡市",
}


def _ja(name: str) -> str:
    return name.split("(")[-1].rstrip(")")


def test_foreign_residents_assemblies_spread_as_takao_dates_them(shared_registry: Registry) -> None:
    data = diffusion_data(shared_registry, "foreign_residents_assembly")
    order = [(_ja(n), int(y)) for n, y in zip(data.adoptions["name"], data.adoptions["year"], strict=True)]
    assert order[0] == ("川崎市", 1996) and order[1] == ("東京都", 1997)
    assert sorted(order[2:4]) == [("京都市", 1998), ("神奈川県", 1998)] and order[4] == ("三鷹市", 1999)
    assert data.curve["cumulative"].tolist() == [0, 1, 2, 4, 5]  # 1995-1999
    assert data.adoptions["source"].str.contains("takao2003").all()


def test_nationality_clause_all_designated_cities_but_chiba_by_2002(shared_registry: Registry) -> None:
    data = diffusion_data(shared_registry, "nationality_clause_removed")
    cities = data.adoptions[data.adoptions["lg_type"] == "designated_city"]
    adopters = {_ja(n) for n in cities["name"]}
    assert DESIGNATED_2002 - adopters == {"千葉市"}
    dated = cities[cities["dated"]]
    assert [_ja(n) for n in dated["name"]] == ["川崎市"] and dated["year"].tolist() == [1996]
    assert data.curve["undated"].iloc[0] == 10
    published = data.published.set_index("government_type")
    assert published.loc["prefecture", "published"] == 11  # 11 of 47 prefectures (Takao)
    assert published.loc["prefecture", "records"] == 0  # no prefecture is named


def test_suffrage_resolutions_published_counts_and_first_adopter(shared_registry: Registry) -> None:
    data = diffusion_data(shared_registry, "suffrage_resolution")
    assert [(_ja(n), int(y)) for n, y in zip(data.dated["name"], data.dated["year"], strict=True)] == [
        ("川崎市", 1994)
    ]
    assert sorted(data.published["published"]) == [1400, 1500]
    assert (data.published["records"] == 1).all()


def test_international_strategies_reproduce_fujiwara_table_2(shared_registry: Registry) -> None:
    data = diffusion_data(shared_registry, "international_strategy")
    curve = data.curve.set_index("year")["eligible"]
    assert (curve[curve.index >= 2002] == 67).all()  # 47 prefectures + 20 cities
    assert (curve[curve.index <= 2000] == 66).all()  # さいたま市 formed 2001-05-01
    adopters = data.dated
    by_type = adopters.groupby("lg_type").size().to_dict()
    assert by_type == {"prefecture": 34, "designated_city": 14}
    published = data.published.set_index("government_type")
    assert published.loc["prefecture", "published"] == 35  # Akita is listed twice
    assert published.loc["designated_city", "records"] == published.loc["designated_city", "published"] == 14
    after_2010 = adopters[adopters["year"] > 2010].groupby("lg_type").size()
    assert after_2010["prefecture"] / 34 > 0.5 and after_2010["designated_city"] / 14 > 0.5
    assert data.curve["cumulative"].iloc[-1] == 48 and data.curve["year"].iloc[-1] == 2021


def test_eligible_population_covers_every_acting_government(shared_registry: Registry) -> None:
    everyone = eligible_governments(shared_registry)
    assert len(everyone) == 47 + 20 + 772 + 23 + 743 + 183
    assert "ward" not in set(everyone["lg_type"])
    prefectures = everyone[everyone["lg_type"] == "prefecture"]
    assert (prefectures["population"] > 100_000).all()  # summed from municipalities
    with pytest.raises(DiffusionError, match="unknown policy"):
        diffusion_data(shared_registry, "jazz_festival")


def test_peer_layers_and_fitted_strategy_hazard(shared_registry: Registry) -> None:
    data = diffusion_data(shared_registry, "international_strategy")
    peers = peer_network(shared_registry, data.population)
    for name, matrix in peers.layers.items():
        assert (matrix != matrix.T).nnz == 0, name
    assert peers.layers["neighbours"].sum(axis=1).min() >= 5
    result = fit_hazard(data, peers)
    table = result.to_frame().set_index("term")
    assert table.loc["year_trend", "coef"] > 0 and table.loc["year_trend", "p"] < 0.01
    assert result.stats["government_years"] == int(data.curve["at_risk"].sum())
    assert result.curve["fitted"].iloc[-1] == pytest.approx(48, abs=0.5)


def test_simulation_band_brackets_the_observed_strategy_curve(shared_registry: Registry) -> None:
    result = simulate_policy(shared_registry, "international_strategy", model="fitted", runs=1000, seed=0)
    band = result.band(0.9)
    assert len(band) == 33 and result.curves.shape == (1000, 33)
    outside = band[(band["observed"] < band["lo"]) | (band["observed"] > band["hi"])]
    assert outside.empty, outside
    assert (band["hi"] - band["lo"]).max() > 5  # a real band, not a replay
    bass = simulate_policy(shared_registry, "international_strategy", model="bass", runs=500, seed=0)
    assert bass.params["calibrated"] and bass.brackets(0.9) >= 0.9


def test_scenario_kawasaki_never_adopts(shared_registry: Registry, tmp_path: Path) -> None:
    path = tmp_path / "kawasaki.yaml"
    path.write_text(
        "name: Kawasaki never adopts\nnever_adopt: [川崎市]\n"
        "events: [{year: 1998, until: 1999, multiplier: 0.0}]\n",
        encoding="utf-8",
    )
    scenario = load_scenario(path)
    options = {"years": (1995, 1999), "model": "bass", "p": 0.002, "q": 0.3, "runs": 300, "seed": 1}
    base = simulate_policy(shared_registry, "foreign_residents_assembly", **options)
    changed = simulate_policy(shared_registry, "foreign_residents_assembly", scenario=scenario, **options)
    share = changed.adoption_share.set_index("name")["simulated_share"]
    assert share["Kawasaki (川崎市)"] == 0
    assert (changed.curves[:, -1] == changed.curves[:, 2]).all()  # nothing after the 1998 stop
    assert changed.curves[:, -1].mean() < base.curves[:, -1].mean()
    with pytest.raises(DiffusionError, match="unknown scenario keys"):
        path.write_text("remove: [川崎市]\n", encoding="utf-8")
        load_scenario(path)
    with pytest.raises(DiffusionError, match="not among"):
        simulate_policy(
            shared_registry,
            "international_strategy",
            scenario=Scenario(never_adopt=["三鷹市"]),
            model="bass",
            p=0.01,
            q=0.1,
            runs=10,
        )


def test_inference_on_registry_policies(shared_registry: Registry) -> None:
    result = infer_policies(
        shared_registry,
        ["international_strategy", "nationality_clause_removed"],
        types=("prefecture", "designated_city"),
    )
    edges = result.to_frame()
    assert not edges.empty and set(edges.columns) >= {"source_name", "target_name", "gain"}
    assert result.settings["cascades"] == 2 and result.settings["nodes"] == 67
    peers = infer_policies(shared_registry, ["international_strategy"], within_peers=True)
    network = peer_network(
        shared_registry, diffusion_data(shared_registry, "international_strategy").population
    )
    allowed = set(zip(*network.edge_frame()[["source", "target"]].to_numpy().T, strict=True))
    found = peers.edge_set()
    assert found and all((a, b) in allowed or (b, a) in allowed for a, b in found)


def test_cli_diffusion_commands(template_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    db = ["--db", str(template_db), "--json"]
    out = runner.invoke(cli, ["diffusion", "data", "foreign_residents_assembly", *db])
    assert out.exit_code == 0, out.output
    assert [row["cumulative"] for row in json.loads(out.output)["curve"]] == [0, 1, 2, 4, 5]
    plot = tmp_path / "fit.png"
    out = runner.invoke(
        cli,
        [
            "diffusion",
            "fit",
            "international_strategy",
            "--covariates",
            "year,neighbours",
            "--event",
            "tokyo=2014",
            "--plot",
            str(plot),
            *db,
        ],
    )
    assert out.exit_code == 0, out.output
    terms = {row["term"] for row in json.loads(out.output)["coefficients"]}
    assert terms == {"const", "year_trend", "neighbours", "event[tokyo]"} and plot.exists()
    out = runner.invoke(
        cli, ["diffusion", "infer", "international_strategy", "--type", "prefecture", "--max-edges", "3", *db]
    )
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.output)["edges"]) == 3
    out = runner.invoke(
        cli,
        [
            "diffusion",
            "simulate",
            "international_strategy",
            "--runs",
            "200",
            "--model",
            "cascade",
            "-p",
            "0.005",
            "-q",
            "0.2",
            *db,
        ],
    )
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["runs"] == 200
    simulate = [
        "diffusion",
        "simulate",
        "international_strategy",
        "--runs",
        "100",
        "--chunk",
        "25",
        "--model",
        "bass",
        "-p",
        "0.002",
        "-q",
        "0.4",
        "--seed",
        "4",
        *db,
    ]
    local = runner.invoke(cli, simulate)
    on_dask = runner.invoke(cli, [*simulate, "--backend", "dask"])
    assert local.exit_code == on_dask.exit_code == 0, on_dask.output
    assert json.loads(local.output)["band"] == json.loads(on_dask.output)["band"]
    out = runner.invoke(
        cli, ["diffusion", "simulate", "international_strategy", "--years", "20x0", "--db", str(template_db)]
    )
    assert out.exit_code == 2 and "--years" in out.output

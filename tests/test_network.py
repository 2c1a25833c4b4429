"""Network metrics: hand-counted fixtures, the bundled corpus, bad input and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from paradiplomacy import Registry
from paradiplomacy.analysis.network import (
    betweenness,
    brokerage,
    components,
    metrics_of,
    network_metrics,
    tie_mix,
)
from paradiplomacy.analysis.network_ego import draw_ego, ego_network
from paradiplomacy.analysis.network_graph import NetworkError, NetworkGraph, load_network
from paradiplomacy.cli.main import cli
from paradiplomacy.model.vocab import TieKind
from paradiplomacy.store.schema import Actor, Tie


def _net(nodes: list[tuple[str, str, str]], edges: list[tuple[str, str, str, str | None]]) -> NetworkGraph:
    """A network from (key, level, country) nodes and (source, target, kind, start) edges."""
    frame = pd.DataFrame(nodes, columns=["key", "level", "country"])
    frame = frame.assign(id=range(1, len(frame) + 1), name=frame["key"], kind="other", type="other")
    index = {k: i for i, k in enumerate(frame["key"])}
    rows = pd.DataFrame(edges, columns=["source", "target", "kind", "start"])
    rows = rows.assign(
        source=rows["source"].map(index),
        target=rows["target"].map(index),
        layer="tie",
        record=range(len(rows)),
        role="",
        end=None,
    )
    return NetworkGraph(nodes=frame, edges=rows)


@pytest.fixture
def star() -> NetworkGraph:
    # b brokers for a (its own level), c and d (level 2, linked to each other) and e (level 3)
    return _net(
        [("a", "L1", "JP"), ("b", "L1", "JP"), ("c", "L2", "CN"), ("d", "L2", "CN"), ("e", "L3", "US")],
        [
            ("b", "a", "sister", None),
            ("b", "c", "sister", None),
            ("b", "d", "sister", None),
            ("b", "e", "sister", None),
            ("c", "d", "sister", None),
        ],
    )


def test_brokerage_counts_open_two_paths_by_role(star: NetworkGraph) -> None:
    table = brokerage(star, by="level").set_index("key")
    assert table.loc["b"].to_dict() == {
        "coordinator": 0,
        "gatekeeper": 3,
        "itinerant": 0,
        "liaison": 2,
        "total": 5,
    }
    assert table.loc["c", "total"] == 0  # its two neighbours are linked: a closed triad
    by_country = brokerage(star, by="country").set_index("key")
    assert by_country.loc["b", "gatekeeper"] == 3
    with pytest.raises(NetworkError, match="unknown brokerage grouping"):
        brokerage(star, by="planet")


def test_betweenness_matches_networkx(star: NetworkGraph) -> None:
    ours = betweenness(star).to_numpy()
    graph = nx.Graph(
        [
            (star.nodes.at[s, "key"], star.nodes.at[t, "key"])
            for s, t in zip(star.edges["source"], star.edges["target"], strict=True)
        ]
    )
    theirs = nx.betweenness_centrality(graph)
    assert ours.tolist() == pytest.approx([theirs[k] for k in star.nodes["key"]])
    assert ours[1] == pytest.approx(5 / 6)  # b lies on 5 of the 6 pairs of the other four
    assert betweenness(star, pivots=5).to_numpy() == pytest.approx(ours)  # all pivots = exact


def test_tie_mix_by_decade() -> None:
    net = _net(
        [("a", "local", "JP"), ("b", "local", "US"), ("n", "international", None)],
        [
            ("a", "b", "sister", "1985"),
            ("a", "b", "friendship", "1992-04"),
            ("a", "n", "network_membership", "1995"),
            ("b", "n", "membership", None),
            ("a", "n", "coalition_member", "2001"),
            ("a", "b", "funding", "1990"),
        ],
    )
    table = tie_mix(net).set_index("period")
    assert table.index.tolist() == ["1980s", "1990s", "2000s", "undated"]
    assert table.loc["1990s", ["bilateral", "multilateral", "other"]].tolist() == [1, 1, 1]
    assert table.loc["1990s", "multilateral_share"] == 0.5
    assert table["cumulative_share"].tolist()[:3] == [0.0, 0.333, 0.5]
    assert table.loc["undated", "multilateral"] == 1


def test_components_and_duplicates() -> None:
    net = _net(
        [
            ("a", "local", "JP"),
            ("b", "local", "US"),
            ("c", "local", "FR"),
            ("d", "local", "FR"),
            ("e", "local", "DE"),
        ],
        [
            ("a", "b", "sister", None),
            ("b", "a", "friendship", None),
            ("a", "b", "sister", None),
            ("c", "d", "sister", None),
        ],
    )
    assert components(net).to_dict(orient="records") == [
        {"size": 2, "components": 2, "nodes": 4},
        {"size": 1, "components": 1, "nodes": 1},
    ]
    result = metrics_of(net)
    assert result.summary["duplicate_edges_merged"] == 2
    assert result.summary["components"] == 3
    assert result.summary["giant_component_share"] == 0.4


def test_corpus_network_holds_every_tie_and_the_vertical_structure(shared_registry: Registry) -> None:
    corpus = tuple(k.value for k in TieKind if k != TieKind.TWINNING)  # without the pair lists
    with shared_registry.reader() as session:
        ties = session.scalar(select(func.count()).select_from(Tie).where(Tie.kind.in_(corpus)))
        loops = session.scalar(
            select(func.count()).where(Tie.subject_id == Tie.object_id, Tie.kind.in_(corpus))
        )
    result = network_metrics(shared_registry, kinds=corpus)
    assert result.summary["layers"]["tie"] == ties - loops
    assert result.summary["components"] == 1  # national links join every country
    brokers = result.brokers.set_index("key")
    assert brokers.index[0] == "jp-gov"  # Japan's state is the main broker
    assert brokers.loc["jp-gov", "gatekeeper"] > 0
    by_country = result.degree_by_country.set_index("country")
    assert by_country.loc["JP", "actors"] > by_country.loc["CN", "actors"] > 0
    horizontal = network_metrics(shared_registry, vertical=False, kinds=corpus)
    assert horizontal.summary["components"] > 1
    assert "parent" not in horizontal.summary["layers"]
    json.dumps(result.to_dict())  # JSON-ready


def test_selection_by_country_and_kind(shared_registry: Registry) -> None:
    net = load_network(shared_registry, countries=("CN",), kinds=("access_channel",))
    ties = net.edges[net.edges["layer"] == "tie"]
    assert set(ties["kind"]) == {"access_channel"}
    ends = set(net.nodes.loc[ties["source"], "country"]) | set(net.nodes.loc[ties["target"], "country"])
    assert "CN" in ends
    with pytest.raises(NetworkError, match="alpha-2"):
        load_network(shared_registry, countries=("China!",))
    with pytest.raises(NetworkError, match="unknown tie kind"):
        load_network(shared_registry, kinds=("nonsense",))
    with pytest.raises(NetworkError, match="network is empty"):
        network_metrics(shared_registry, countries=("AQ",))


def test_self_ties_are_dropped_and_counted(registry: Registry) -> None:
    with registry.session() as session:
        kitakyushu = session.scalar(select(Actor.id).where(Actor.key == "jp-401005"))
        session.add(Tie(kind="partnership", subject_id=kitakyushu, object_id=kitakyushu, role="self"))
    result = network_metrics(registry)
    assert result.summary["self_ties_dropped"] == 1


def test_as_of_keeps_ties_in_force_on_the_body_of_that_day(registry: Registry) -> None:
    """A 1990 tie of 清水市 sits on 清水市 in 2001 and on 静岡市 (which absorbed it in 2003) in
    2010; a tie ended in 1995 and an undated one are not in the 2001 network."""
    with registry.session() as session:
        shimizu = session.scalar(select(Actor.id).where(Actor.key == "jp-former-222046-20030401"))
        a, b = Actor(key="x-partner", kind="foreign_city"), Actor(key="x-old", kind="foreign_city")
        session.add_all([a, b])
        session.flush()
        session.add(Tie(kind="sister", subject_id=shimizu, object_id=a.id, start="1990"))
        session.add(Tie(kind="sister", subject_id=shimizu, object_id=b.id, start="1980", end="1995"))

    def holders(as_of: str) -> tuple[set[str], NetworkGraph]:
        net = load_network(registry, as_of=as_of, countries=("JP",))
        ties = net.edges[(net.edges["layer"] == "tie") & (net.edges["target"] == net.vertex_of["x-partner"])]
        return set(net.nodes.loc[ties["source"], "key"]), net

    on_2001, net = holders("2001-04-01")
    assert on_2001 == {"jp-former-222046-20030401"}
    assert "x-old" not in set(net.nodes["key"]) and net.dropped["undated"] > 0
    assert holders("2010")[0] == {"jp-221007"}
    with pytest.raises(NetworkError, match="not a date"):
        load_network(registry, as_of="2001-02-30x")


def test_parent_cycle_and_duplicated_tie_do_not_hang(registry: Registry) -> None:
    with registry.session() as session:
        a, b = Actor(key="x-alpha", kind="foreign_city"), Actor(key="x-beta", kind="foreign_city")
        session.add_all([a, b])
        session.flush()
        a.parent_id, b.parent_id = b.id, a.id  # a broken gazetteer: a cycle
        kitakyushu = session.scalar(select(Actor.id).where(Actor.key == "jp-401005"))
        session.add(Tie(kind="sister", subject_id=kitakyushu, object_id=a.id, role="one"))
        session.add(Tie(kind="sister", subject_id=kitakyushu, object_id=a.id, role="two"))
    result = network_metrics(registry)
    assert result.summary["duplicate_edges_merged"] >= 1
    assert {"x-alpha", "x-beta"} <= set(result.nodes["key"])


def test_ego_lists_and_draws(shared_registry: Registry, tmp_path: Path) -> None:
    ego = ego_network(shared_registry, "jp-401005", depth=1)
    keys = set(ego.nodes["key"])
    assert {"jp-401005", "geo-1814087", "ngo-kita", "jp-mofa", "jp-400009"} <= keys
    assert ego.nodes.loc[ego.nodes["key"] == "jp-401005", "distance"].item() == 0
    assert set(ego.nodes["distance"]) == {0, 1}
    assert len(ego_network(shared_registry, "jp-401005", depth=2).nodes) > len(ego.nodes)
    for suffix in ("png", "svg"):
        path = draw_ego(ego, tmp_path / f"ego.{suffix}")
        assert path.stat().st_size > 1000
    with pytest.raises(NetworkError, match=r"\.png"):
        draw_ego(ego, tmp_path / "ego.txt")
    with pytest.raises(NetworkError, match="depth"):
        ego_network(shared_registry, "jp-401005", depth=0)


def test_cli_metrics_ego_export(shared_registry: Registry, tmp_path: Path) -> None:
    db = str(shared_registry.engine.url.database)
    runner = CliRunner()
    corpus = [arg for k in TieKind if k != TieKind.TWINNING for arg in ("--kind", k.value)]
    result = runner.invoke(cli, ["network", "metrics", "--db", db, "--json", "--top", "3", *corpus])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data["brokers"]) == 3 and data["summary"]["betweenness"] == "exact"
    result = runner.invoke(cli, ["network", "metrics", "--db", db, "--country", "China"])
    assert result.exit_code == 0 and "degree by country" in result.output
    result = runner.invoke(
        cli, ["network", "ego", "Kitakyushu", "--db", db, "--draw", str(tmp_path / "k.png")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "k.png").exists() and "Dalian" in result.output
    out = tmp_path / "net.graphml"
    result = runner.invoke(cli, ["network", "export", "--db", db, "--out", str(out)])
    assert result.exit_code == 0, result.output
    graph = nx.read_graphml(out)
    assert graph.nodes["jp-401005"]["kind"] == "municipality"
    result = runner.invoke(
        cli, ["network", "export", "--db", db, "--format", "gexf", "--out", str(tmp_path / "net.gexf")]
    )
    assert result.exit_code == 0, result.output
    for args in (["network", "metrics", "--country", "Atlantis"], ["network", "ego", "Nowhere-on-earth-xyz"]):
        result = runner.invoke(cli, [*args, "--db", db])
        assert result.exit_code == 2 and "error:" in result.output
        assert "Traceback" not in result.output


def test_network_export_as_of_a_day(registry: Registry, tmp_path: Path) -> None:
    """Ties in force on the day, a merged town's tie on the body that held it then, and the
    former town itself gone once it has nothing left to link."""
    from paradiplomacy.ingest import import_file
    from tests.conftest import write

    text = (
        "kind,subject,object,object_country,start,end,status\n"
        "sister,jp-former-222046-20030401,Omaha,US,1965,,active\n"
        "friendship,静岡市,Stockton (California),US,1959,1998,ended\n"
    )
    assert import_file(registry, write(tmp_path / "dated.csv", text), "tie").ok

    def ties_on(day: str) -> tuple[dict, set[tuple[str, str, str]]]:
        out = tmp_path / f"net-{day}.graphml"
        result = CliRunner().invoke(
            cli, ["network", "export", "--out", str(out), "--as-of", day, "--db", str(registry.sqlite_path)]
        )
        assert result.exit_code == 0, result.output
        graph = nx.read_graphml(out, force_multigraph=True)
        ties = {
            (u, v, d.get("via", ""))
            for u, v, k, d in graph.edges(keys=True, data=True)
            if k.startswith("tie:") and {u, v} & {"jp-221007", "jp-former-222046-20030401"}
        }
        return graph, ties

    graph, ties = ties_on("1990")
    omaha = next(v for u, v, _via in ties if u == "jp-former-222046-20030401")
    assert ("jp-221007", omaha, "") not in ties and len(ties) == 2  # 清水市's own, and Stockton
    graph, ties = ties_on("2010")
    assert ties == {("jp-221007", omaha, "jp-former-222046-20030401")}
    assert "jp-former-222046-20030401" not in graph
    assert graph.graph["as_of"] == "2010-12-31" and "undated ties" in graph.graph["left_out"]

"""Partner matching on small synthetic registries with a planted structure (issue 13)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import insert, select

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.matching.countries import COUNTRY_FEATURES
from paradiplomacy.matching.evaluate import evaluate, rank_of
from paradiplomacy.matching.features import FEATURES, FeatureContext, candidate_vertices, haversine
from paradiplomacy.matching.graph import MatchingError, inherited_actors, load_graph
from paradiplomacy.matching.model import STAGE_TERMS, fit_conditional_logit, fit_recommender, population_floor
from paradiplomacy.matching.recommend import recommend, top_partners
from paradiplomacy.resolve.directory import name_row
from paradiplomacy.store.schema import Actor, ActorName, Meta, Succession, Tie

COUNTRIES = ("US", "CN", "KR", "FR")
PREFECTURES = 4
PER_PREFECTURE = 15
PER_COUNTRY = 60


def build_registry(path: Path, seed: int = 0) -> Registry:
    """Japanese municipalities in four prefectures; each prefecture twins with one country, each
    municipality with 2-3 places of that country of about its own size, some near the prefecture's
    other partners. Foreign places also twin among themselves at random."""
    rng = np.random.default_rng(seed)
    registry = Registry(path)
    registry.create_schema()
    actors: list[dict] = []
    ties: list[dict] = []
    next_id = 1

    def add(**values: object) -> int:
        nonlocal next_id
        actors.append({"id": next_id, **values})
        next_id += 1
        return next_id - 1

    prefectures = [
        add(
            key=f"jp-pref-{p}",
            kind="prefecture",
            name_en=f"Pref{p}",
            name_ja=f"県{p}",
            country="JP",
            lg_code=f"{p + 1:02d}0000",
            lg_type="prefecture",
        )
        for p in range(PREFECTURES)
    ]
    municipalities = []
    for p, pref in enumerate(prefectures):
        for m in range(PER_PREFECTURE):
            municipalities.append(
                (
                    p,
                    add(
                        key=f"jp-{p}-{m}",
                        kind="municipality",
                        name_en=f"Town{p}x{m}",
                        name_ja=f"町{p}_{m}",
                        country="JP",
                        lg_code=f"{p + 1:02d}{m + 1:03d}1",
                        lg_type="city",
                        parent_id=pref,
                        lat=35.0 + p,
                        lon=135.0 + m / 10,
                        population=int(10 ** (3.5 + 3 * m / PER_PREFECTURE)),
                    ),
                )
            )
    foreign: dict[str, list[tuple[int, float]]] = {}
    for i, country in enumerate(COUNTRIES):
        region = add(
            key=f"region-{country}", kind="foreign_region", name_en=f"Region {country}", country=country
        )
        foreign[country] = []
        for j in range(PER_COUNTRY):
            pop = int(10 ** (3.5 + 3 * j / PER_COUNTRY))
            foreign[country].append(
                (
                    add(
                        key=f"geo-{1000 * (i + 1) + j}",
                        kind="foreign_city",
                        name_en=f"City{country}{j}",
                        country=country,
                        parent_id=region,
                        lat=10.0 * i + j / 20,
                        lon=-100.0 + 40 * i + j / 30,
                        population=pop,
                    ),
                    np.log10(pop),
                )
            )

    def tie(a: int, b: int) -> None:
        ties.append({"kind": "sister", "subject_id": a, "object_id": b, "role": "", "status": "active"})

    for p, muni in municipalities:
        places = foreign[COUNTRIES[p]]
        size = np.log10(next(a["population"] for a in actors if a["id"] == muni))
        gaps = np.array([abs(size - s) for _, s in places])
        for choice in rng.choice(
            len(places), size=rng.integers(2, 4), replace=False, p=np.exp(-4 * gaps) / np.exp(-4 * gaps).sum()
        ):
            tie(muni, places[choice][0])
    every = [a for places in foreign.values() for a, _ in places]
    for _ in range(150):
        a, b = rng.choice(len(every), size=2, replace=False)
        tie(every[a], every[b])
    unique = {(t["subject_id"], t["object_id"]): t for t in ties}
    with registry.engine.begin() as conn:
        conn.execute(insert(Meta), [{"key": "initialised", "value": "test"}])
        keys = (
            "key",
            "kind",
            "name_en",
            "name_ja",
            "country",
            "lg_code",
            "lg_type",
            "parent_id",
            "lat",
            "lon",
            "population",
        )
        conn.execute(insert(Actor), [{"id": a["id"], **{k: a.get(k) for k in keys}} for a in actors])
        conn.execute(
            insert(ActorName),
            [name_row(a["id"], n) for a in actors for n in {a["name_en"], a.get("name_ja")} if n],
        )
        conn.execute(insert(Tie), list(unique.values()))
    return registry


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    return build_registry(tmp_path_factory.mktemp("match") / "synthetic.db")


@pytest.fixture(autouse=True, scope="module")
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One partner-model cache per module: the tests on one registry share its fitted model (the
    cache is keyed by the registry's content, so a test that changes it gets a fresh fit)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARADIPLOMACY_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


def test_learned_model_beats_random_and_baselines_on_planted_structure(synthetic: Registry) -> None:
    result = evaluate(load_graph(synthetic), holdout=0.2, seeds=2)
    summary = result.summary().set_index("method")
    ours = summary.loc["recommender", "hit@10_mean"]
    assert ours > 0.3
    assert ours > 3 * summary.loc["random", "hit@10_mean"]
    assert summary.loc["recommender", "auc_mean"] > 0.8
    assert set(summary.index) == {
        "recommender",
        "preferential_attachment",
        "common_neighbours",
        "adamic_adar",
        "katz",
        "gravity",
        "random",
    }


def test_world_protocol_asks_both_ends_of_ties_anywhere(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    place = graph.actors["place"].to_numpy()
    between_places = int((place[graph.edges[:, 0]] & place[graph.edges[:, 1]]).sum())
    world = evaluate(graph, holdout=0.2, seeds=1, protocol="world")
    issue = evaluate(graph, holdout=0.2, seeds=1)
    assert world.details["eligible_ties"] == between_places > issue.details["eligible_ties"]
    assert world.details["per_seed"][0]["queries"] == 2 * round(0.2 * between_places)
    # random foreign-foreign ties are unpredictable, the planted Japanese ones are not
    assert world.details["protocol"] == "world"
    assert (
        world.summary().set_index("method").loc["recommender", "hit@10_mean"]
        < issue.summary().set_index("method").loc["recommender", "hit@10_mean"]
    )
    with pytest.raises(MatchingError):
        evaluate(graph, protocol="nonsense")


def test_min_degree_keeps_only_places_with_enough_ties(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    every = evaluate(graph, holdout=0.2, seeds=1)
    busy = evaluate(graph, holdout=0.2, seeds=1, min_degree=3)
    assert 0 < busy.details["per_seed"][0]["queries"] < every.details["per_seed"][0]["queries"]


def test_within_country_and_interaction_features(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    candidates = candidate_vertices(graph, graph.adjacency(), float("inf"))
    ctx = FeatureContext.build(graph, graph.edges, candidates)
    sources = np.flatnonzero(graph.actors["key"].str.startswith("jp-0-").to_numpy())
    feats = ctx.block(sources)
    assert (feats["home_share_in_country"] <= 0).all()  # a log share
    assert ((feats["size_rank_gap"] >= 0) & (feats["size_rank_gap"] <= 1)).all()
    us = graph.actors["country"].to_numpy(dtype=object)[candidates] == "US"
    # the US candidates' shares of the US's Japanese partners sum to at most one
    assert np.exp(feats["home_share_in_country"][0, us]).sum() <= 1.0 + 1e-5
    own = np.log(graph.actors["population"].to_numpy()[sources])
    np.testing.assert_allclose(
        feats["size_by_size"][:, 0], own * feats["candidate_population"][0, 0], rtol=1e-4
    )


def test_learned_weights_follow_the_planted_rule(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    model = fit_recommender(graph, graph.edges, home="JP")
    weights = dict(zip(model.names, model.weights, strict=True))
    countries = dict(zip(model.country_names, model.country_weights, strict=True))
    assert countries["prefecture_share"] > 0  # the prefecture's country
    assert weights["size_gap"] < 0  # similar size


def test_already_tied_candidates_are_excluded(synthetic: Registry) -> None:
    result = recommend(synthetic, "jp-0-3", top=200)
    graph = load_graph(synthetic)
    me = graph.vertex(graph.actors.set_index("key").loc["jp-0-3", "id"])
    tied = set(graph.actors["key"].iloc[graph.adjacency()[me].indices])
    suggested = {row["key"] for row in result["candidates"]}
    assert tied and not tied & suggested
    assert "jp-0-3" not in suggested
    assert result["partners"] == len(tied)


def test_explanations_sum_to_the_score(synthetic: Registry) -> None:
    result = recommend(synthetic, "Town1x7", top=5, explain=True)
    assert [r["rank"] for r in result["candidates"]] == [1, 2, 3, 4, 5]
    scores = [row["score"] for row in result["candidates"]]
    assert scores == sorted(scores, reverse=True)
    for row in result["candidates"]:
        assert {r["feature"] for r in row["reasons"]} == set(FEATURES) | set(STAGE_TERMS)
        assert sum(r["contribution"] for r in row["reasons"]) == pytest.approx(row["score"], abs=1e-6)
    assert {w["feature"] for w in result["weights"]} == set(FEATURES) | set(COUNTRY_FEATURES)
    assert {w["stage"] for w in result["weights"]} == {"country", "place"}


def test_suggestions_follow_the_prefectures_country(synthetic: Registry) -> None:
    result = recommend(synthetic, "jp-2-5", top=10)
    countries = [row["country"] for row in result["candidates"]]
    assert countries.count("KR") >= 8
    first = result["candidates"][0]
    assert first["geonames_id"] is not None and first["lat"] is not None and first["name_en"]


def test_partners_abroad_unless_domestic(synthetic: Registry) -> None:
    abroad = recommend(synthetic, "jp-2-5", top=200)["candidates"]
    assert abroad and "JP" not in {row["country"] for row in abroad}
    everywhere = recommend(synthetic, "jp-2-5", top=200, domestic=True)["candidates"]
    assert "JP" in {row["country"] for row in everywhere}


def test_country_and_kind_filters(synthetic: Registry) -> None:
    result = recommend(synthetic, "jp-2-5", top=5, country="FR")
    assert {row["country"] for row in result["candidates"]} == {"FR"}
    cities = recommend(synthetic, "jp-2-5", top=50, kind="city")
    assert {row["kind"] for row in cities["candidates"]} <= {"foreign_city", "municipality", "ward"}
    regions = recommend(synthetic, "jp-2-5", top=50, kind="region", domestic=True)["candidates"]
    # foreign regions have no tie, no population, no Japanese name: only domestic prefectures remain
    assert regions and {row["kind"] for row in regions} == {"prefecture"}
    with pytest.raises(MatchingError):  # without --domestic, partners abroad only: none is a region
        recommend(synthetic, "jp-2-5", top=50, kind="region")
    with pytest.raises(MatchingError):
        recommend(synthetic, "jp-2-5", goal="astrology")


def test_ranking_in_blocks_matches_single_queries(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    model = fit_recommender(graph, graph.edges, home="JP")
    candidates = candidate_vertices(graph, graph.adjacency(), model.min_population)
    ctx = FeatureContext.build(graph, graph.edges, candidates)
    sources = np.flatnonzero(graph.actors["kind"].eq("municipality").to_numpy())
    together, _ = top_partners(ctx, model, sources, top=5, block=7)
    alone, _ = top_partners(ctx, model, sources[:1], top=5)
    assert (together[0] == alone[0]).all()
    adjacency = graph.adjacency()
    for s, best in zip(sources, together, strict=True):
        assert not set(best) & set(adjacency[s].indices) and s not in best


def test_succession_hook_without_records_is_identity(synthetic: Registry) -> None:
    ids = np.array([3, 5, 8])
    assert inherited_actors(synthetic, ids) == {3: [3], 5: [5], 8: [8]}


@pytest.fixture()
def with_history(tmp_path: Path) -> tuple[Registry, dict[str, int]]:
    """The synthetic registry plus former municipalities: A merged into Town0x0, B split between
    Town0x1 (position 0) and Town0x2, C renamed D which merged into Town0x3; A and C hold ties."""
    registry = build_registry(tmp_path / "history.db")
    with registry.reader() as session:
        by_key = {k: i for i, k in session.execute(select(Actor.id, Actor.key)).all()}
    ids = {"A": 9001, "B": 9002, "C": 9003, "D": 9004}
    town = {m: by_key[f"jp-0-{m}"] for m in range(4)}
    with registry.engine.begin() as conn:
        conn.execute(
            insert(Actor),
            [
                {
                    "id": i,
                    "key": f"jp-former-{name}",
                    "kind": "municipality",
                    "name_en": f"Former{name}",
                    "name_ja": f"旧{name}",
                    "country": "JP",
                    "lg_type": "town",
                    "parent_id": by_key["jp-pref-0"],
                    "lat": 35.0,
                    "lon": 135.0,
                    "population": 5000,
                    "dissolved": "2005-04-01",
                }
                for name, i in ids.items()
            ],
        )
        conn.execute(insert(ActorName), [name_row(i, f"Former{name}") for name, i in ids.items()])
        conn.execute(
            insert(Succession),
            [
                {
                    "predecessor_id": ids["A"],
                    "successor_id": town[0],
                    "date": "2005-04-01",
                    "change_type": "merger",
                    "position": 0,
                },
                {
                    "predecessor_id": ids["B"],
                    "successor_id": town[1],
                    "date": "2005-04-01",
                    "change_type": "split",
                    "position": 0,
                },
                {
                    "predecessor_id": ids["B"],
                    "successor_id": town[2],
                    "date": "2005-04-01",
                    "change_type": "split",
                    "position": 1,
                },
                {
                    "predecessor_id": ids["C"],
                    "successor_id": ids["D"],
                    "date": "1999-04-01",
                    "change_type": "rename",
                    "position": 0,
                },
                {
                    "predecessor_id": ids["D"],
                    "successor_id": town[3],
                    "date": "2005-04-01",
                    "change_type": "merger",
                    "position": 0,
                },
            ],
        )
        conn.execute(
            insert(Tie),
            [
                {
                    "kind": "sister",
                    "subject_id": ids["A"],
                    "object_id": by_key["geo-4005"],
                    "role": "",
                    "status": "active",
                },
                {
                    "kind": "friendship",
                    "subject_id": ids["C"],
                    "object_id": by_key["geo-4006"],
                    "role": "",
                    "status": "active",
                },
            ],
        )
    return registry, {
        **ids,
        **{f"town{m}": v for m, v in town.items()},
        "partner_a": by_key["geo-4005"],
        "partner_c": by_key["geo-4006"],
    }


def test_succession_hook_follows_the_first_successor_transitively(
    with_history: tuple[Registry, dict[str, int]],
) -> None:
    registry, ids = with_history
    found = inherited_actors(
        registry, np.array([ids[k] for k in ("town0", "town1", "town2", "town3", "A", "D")])
    )
    assert found[ids["town0"]] == [ids["town0"], ids["A"]]
    assert found[ids["town1"]] == [ids["town1"], ids["B"]]  # a split: position 0 only
    assert found[ids["town2"]] == [ids["town2"]]
    assert sorted(found[ids["town3"]]) == sorted([ids["town3"], ids["C"], ids["D"]])
    assert found[ids["A"]] == [] and found[ids["D"]] == []  # former bodies answer for nothing


def test_former_ties_count_for_the_successor_and_formers_are_never_candidates(
    with_history: tuple[Registry, dict[str, int]],
) -> None:
    registry, ids = with_history
    graph = load_graph(registry)
    edges = {tuple(sorted(map(int, graph.actors["id"].to_numpy()[e]))) for e in graph.edges}
    assert tuple(sorted((ids["town0"], ids["partner_a"]))) in edges
    assert tuple(sorted((ids["town3"], ids["partner_c"]))) in edges
    former = {ids[k] for k in "ABCD"}
    assert not any(a in former or b in former for a, b in edges)
    candidates = set(
        graph.actors["id"].to_numpy()[candidate_vertices(graph, graph.adjacency(), 0.0)].tolist()
    )  # even with no population floor
    assert not candidates & former
    result = recommend(registry, "jp-former-A", top=200)
    assert result["actor"]["key"] == "jp-0-0"  # a former name: its successor
    keys = {row["key"] for row in result["candidates"]}
    assert "geo-4005" not in keys and not any(k.startswith("jp-former-") for k in keys)


def test_rank_of_breaks_ties_at_random_and_skips_excluded() -> None:
    rng = np.random.default_rng(0)
    scores = np.array([5.0, 3.0, 3.0, 9.0, 1.0])
    excluded = np.array([False, False, False, True, False])
    assert rank_of(scores, 0, excluded, rng) == 1
    assert {rank_of(scores, 1, excluded, rng) for _ in range(50)} == {2, 3}
    assert rank_of(scores, 4, excluded, rng) == 4


def test_conditional_logit_recovers_the_driving_feature() -> None:
    rng = np.random.default_rng(1)
    sets, rows = 300, []
    for _ in range(sets):
        x = rng.normal(size=(20, 2))
        utility = 2.0 * x[:, 0]
        chosen = rng.choice(20, p=np.exp(utility) / np.exp(utility).sum())
        rows.append(np.vstack([x[chosen], np.delete(x, chosen, axis=0)]))
    weights = fit_conditional_logit(np.concatenate(rows), np.full(sets, 20))
    assert 1.4 < weights[0] < 2.6
    assert abs(weights[1]) < 0.4


def test_population_floor_admits_untied_places_only_when_they_pay(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    edges = graph.edges
    floor = population_floor(graph, edges, edges[:5])
    assert floor == float("inf")  # every hidden partner is tied: no untied place is worth ranking


def test_haversine_km() -> None:
    tokyo, osaka = np.radians([35.68, 139.69]), np.radians([34.69, 135.50])
    km = haversine(tokyo[:1], tokyo[1:], osaka[:1], osaka[1:])[0, 0]
    assert 390 < km < 400


def test_cli_match_and_evaluate(synthetic: Registry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARADIPLOMACY_CACHE", str(tmp_path / "cache"))  # a first use: nothing cached
    db = synthetic.sqlite_path
    runner = CliRunner()
    shown = runner.invoke(cli, ["match", "Town0x2", "--top", "3", "--db", str(db), "--json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert len(data["candidates"]) == 3 and data["actor"]["lg_code"] == "010031"
    assert "fitting the partner model" in shown.stderr  # the first use says why it takes a while
    table = runner.invoke(cli, ["match", "Town0x2", "--top", "2", "--explain", "--db", str(db)])
    assert table.exit_code == 0, table.output
    assert "learned weights" in table.output
    scored = runner.invoke(cli, ["match", "evaluate", "--seeds", "1", "--db", str(db), "--json"])
    assert scored.exit_code == 0, scored.output
    methods = {row["method"] for row in json.loads(scored.output)["summary"]}
    assert "recommender" in methods and "katz" in methods
    missing = runner.invoke(cli, ["match", "Nowhere-at-all", "--db", str(db)])
    assert missing.exit_code != 0


def test_evaluate_on_a_pair_file(synthetic: Registry, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    rows = ["city1,country1,lat1,lng1,city2,country2,lat2,lng2"]
    graph = load_graph(synthetic)
    names = graph.actors.set_index("vertex")
    for a, b in graph.edges[:40]:
        rows.append(
            f"{names.loc[a, 'name_en']},{names.loc[a, 'country']},,,"
            f"{names.loc[b, 'name_en']},{names.loc[b, 'country']},,"
        )
    rows.append("Atlantis,Greece,,,Town0x1,Japan,,")
    pairs.write_text("\n".join(rows) + "\n")
    result = CliRunner().invoke(
        cli,
        [
            "match",
            "evaluate",
            "--pairs",
            str(pairs),
            "--seeds",
            "1",
            "--db",
            str(synthetic.sqlite_path),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["eligible_ties"] == 40
    assert data["pairs_not_in_registry"] == 1


DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.mark.slow
@pytest.mark.skipif(not (DATA / "japan_twinning_pairs.csv").exists(), reason="development pair lists absent")
def test_bundled_pairs_recommender_beats_classical_predictors(registry_path: Path) -> None:
    """On the real lists: the learned ranking beats every classical predictor on AUC and hit@50."""
    runner = CliRunner()
    for name in ("world_twinning_pairs_excl_japan.csv", "japan_twinning_pairs.csv"):
        imported = runner.invoke(
            cli,
            [
                "import",
                str(DATA / name),
                "--kind",
                "pair",
                "--partial",
                "--create-missing",
                "--quiet",
                "--db",
                str(registry_path),
                "--json",
            ],
        )
        assert imported.exit_code in (0, 1), imported.output
    result = evaluate(load_graph(Registry(registry_path)), holdout=0.2, seeds=1)
    summary = result.summary().set_index("method")
    for baseline in summary.index.drop("recommender"):
        assert summary.loc["recommender", "auc_mean"] > summary.loc[baseline, "auc_mean"]
        assert summary.loc["recommender", "hit@50_mean"] >= summary.loc[baseline, "hit@50_mean"]


def test_cli_goals_are_the_library_goals() -> None:
    from paradiplomacy.cli.match_cmds import _GOALS
    from paradiplomacy.matching.themes import GOALS, themes_of_text

    assert tuple(GOALS) == _GOALS
    assert themes_of_text("Food Export; Tourism") == {"agriculture", "trade", "tourism"}


def test_baselines_agree_with_networkx(synthetic: Registry) -> None:
    import networkx as nx

    from paradiplomacy.matching.baselines import baseline_scores

    graph = load_graph(synthetic)
    candidates = candidate_vertices(graph, graph.adjacency(), float("inf"))
    ctx = FeatureContext.build(graph, graph.edges, candidates)
    sources = candidates[:6]
    scores = baseline_scores(ctx, sources, np.random.default_rng(0))
    nx_graph = nx.Graph(list(map(tuple, graph.edges.tolist())))
    for row, s in enumerate(sources):
        pairs = [(int(s), int(c)) for c in candidates if c != s]
        expected = {v: p for _, v, p in nx.adamic_adar_index(nx_graph, pairs)}
        common = {v: len(list(nx.common_neighbors(nx_graph, int(s), v))) for _, v in pairs}
        for column, c in enumerate(candidates):
            if c != s:
                assert scores["adamic_adar"][row, column] == pytest.approx(expected[int(c)])
                assert scores["common_neighbours"][row, column] == common[int(c)]

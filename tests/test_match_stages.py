"""Partner matching, round 3: country features, the two-stage variant, Japanese-named candidates."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from sqlalchemy import insert

from paradiplomacy import Registry
from paradiplomacy.matching.countries import COUNTRY_FEATURES, country_block, country_columns
from paradiplomacy.matching.evaluate import evaluate
from paradiplomacy.matching.features import FeatureContext, candidate_vertices
from paradiplomacy.matching.graph import load_graph
from paradiplomacy.matching.model import Recommender, fit_recommender
from paradiplomacy.resolve.directory import name_row
from paradiplomacy.store.schema import ActorName
from tests.test_match import build_registry


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Registry:
    registry = build_registry(tmp_path_factory.mktemp("stages") / "synthetic.db")
    graph = load_graph(registry)
    actors = graph.actors
    # one untied US city gets a Japanese name, one untied French city none
    untied = np.diff(graph.adjacency().indptr) == 0
    us = actors.index[(actors["country"] == "US") & untied & (actors["kind"] == "foreign_city")]
    with registry.engine.begin() as conn:
        conn.execute(insert(ActorName), [name_row(int(actors["id"].iloc[us[0]]), "ポートランド")])
    return registry


@pytest.fixture(autouse=True, scope="module")
def _cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """One partner-model cache per module: the tests on one registry share its fitted model (the
    cache is keyed by the registry's content, so a test that changes it gets a fresh fit)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PARADIPLOMACY_CACHE", str(tmp_path_factory.mktemp("cache")))
        yield


def test_katakana_names_are_read_and_make_untied_places_candidates(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    named = np.flatnonzero(graph.actors["kana"].to_numpy())
    foreign = named[graph.actors["country"].to_numpy(dtype=object)[named] == "US"]
    assert len(foreign) == 1
    adjacency = graph.adjacency()
    assert foreign[0] not in candidate_vertices(graph, adjacency, float("inf"))
    assert foreign[0] in candidate_vertices(graph, adjacency, float("inf"), home="JP", named=True)
    assert foreign[0] not in candidate_vertices(graph, adjacency, float("inf"), home="KR", named=True)
    # every Japanese place is a candidate for Japanese actors, tied or not
    home = candidate_vertices(graph, adjacency, float("inf"), home="JP")
    japanese = np.flatnonzero((graph.actors["country"] == "JP").to_numpy() & graph.actors["place"].to_numpy())
    assert set(japanese) <= set(home)
    assert graph.actors["names"].min() >= 0


def test_country_block_shapes_and_prefecture_share(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    candidates = candidate_vertices(graph, graph.adjacency(), float("inf"), home="JP")
    ctx = FeatureContext.build(graph, graph.edges, candidates)
    town = int(graph.actors.index[graph.actors["key"] == "jp-2-5"][0])
    block = country_block(ctx, np.array([town]))
    assert set(block) == set(COUNTRY_FEATURES)
    width = ctx.n_countries + 1
    assert all(v.shape == (1, width) for v in block.values())
    codes = graph.actors["country"].to_numpy(dtype=object)
    korea = int(ctx.country[np.flatnonzero(codes == "KR")[0]])
    france = int(ctx.country[np.flatnonzero(codes == "FR")[0]])
    # prefecture 2 twins with Korea only: its fellows' partners make Korea its prefecture's country
    assert block["prefecture_share"][0, korea] > block["prefecture_share"][0, france]
    japan = int(ctx.country[town])
    assert block["domestic"][0, japan] == 1 and block["domestic"][0].sum() == 1
    assert country_columns(ctx).max() < width


def test_two_stage_scores_are_log_chances(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    model = fit_recommender(graph, graph.edges, home="JP", two_stage=True)
    assert model.two_stage and len(model.country_weights) == len(COUNTRY_FEATURES)
    candidates = candidate_vertices(
        graph, graph.adjacency(), model.min_population, home="JP", named=model.named_places
    )
    ctx = FeatureContext.build(graph, graph.edges, candidates)
    sources = np.flatnonzero((graph.actors["kind"] == "municipality").to_numpy())[:5]
    scores, features = model.rank(ctx, sources)
    np.testing.assert_allclose(np.exp(scores).sum(1), 1.0, rtol=1e-6)
    # within one country, the ranking is the second-stage utility's
    utility = model.score(features)
    columns = country_columns(ctx)
    same = columns == columns[0]
    np.testing.assert_allclose(
        scores[:, same] - utility[:, same],
        np.repeat((scores - utility)[:, :1], same.sum(), axis=1),
        atol=1e-9,
    )


def test_one_logit_model_round_trips_through_json(synthetic: Registry) -> None:
    graph = load_graph(synthetic)
    model = fit_recommender(graph, graph.edges, home="JP")
    assert not model.two_stage and np.any(model.country_weights != 0)
    again = Recommender.from_json(model.to_json())
    candidates = candidate_vertices(graph, graph.adjacency(), model.min_population, home="JP")
    ctx = FeatureContext.build(graph, graph.edges, candidates)
    sources = np.array([int(graph.actors.index[graph.actors["key"] == "jp-1-3"][0])])
    np.testing.assert_allclose(model.rank(ctx, sources)[0], again.rank(ctx, sources)[0])


def test_evaluation_reports_the_known_country_ceiling(synthetic: Registry) -> None:
    result = evaluate(load_graph(synthetic), holdout=0.2, seeds=1, two_stage=True)
    seed = result.details["per_seed"][0]
    hit10 = result.summary().set_index("method").loc["recommender", "hit@10_mean"]
    assert seed["hit@10_country_known"] >= hit10 > 0.2
    assert result.details["model"] == "two-stage"

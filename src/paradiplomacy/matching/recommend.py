"""``match ACTOR``: ranked candidate partners of one actor, with the reasons that put them there.

The model is fitted on every tie of the registry (see :mod:`.model`) and cached per registry state
(ties and actors unchanged -> same model) under ``$PARADIPLOMACY_CACHE`` (default
``~/.cache/paradiplomacy``), so that a second query does not refit it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select

from paradiplomacy.matching.features import FEATURES, FeatureContext, candidate_vertices
from paradiplomacy.matching.graph import MatchingError, TieGraph, heir_vertex, load_graph
from paradiplomacy.matching.model import STAGE_TERMS, Recommender, fit_recommender
from paradiplomacy.matching.themes import GOALS, actor_themes
from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.resolve.find import find_actor
from paradiplomacy.store.alternate_names import japanese_alternates
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Tie

__all__ = ["KINDS", "load_model", "recommend", "top_partners"]

KINDS: dict[str, frozenset[str]] = {
    "city": frozenset({ActorKind.FOREIGN_CITY, ActorKind.MUNICIPALITY, ActorKind.WARD}),
    "region": frozenset({ActorKind.FOREIGN_REGION, ActorKind.PREFECTURE}),
    "network": frozenset(
        {ActorKind.CITY_NETWORK, ActorKind.REGIONAL_BODY, ActorKind.INTERNATIONAL_ORGANISATION}
    ),
}
"""``--kind`` choices and the actor kinds each covers."""
_CACHE_VERSION = "5"
MEANINGS = {**FEATURES, **STAGE_TERMS}
"""Every reason a suggestion can carry -> what it measures."""


def _cache_path(registry: Registry, home: str) -> Path:
    with registry.reader() as session:
        ties = session.execute(select(func.count(Tie.id), func.max(Tie.id))).one()
        actors = session.execute(select(func.count(Actor.id), func.max(Actor.id))).one()
    state = json.dumps([_CACHE_VERSION, registry.display_url, list(ties), list(actors), home, list(FEATURES)])
    digest = hashlib.sha256(state.encode()).hexdigest()[:20]
    root = Path(os.environ.get("PARADIPLOMACY_CACHE", Path.home() / ".cache" / "paradiplomacy"))
    return root / f"match-{digest}.json"


def load_model(
    registry: Registry,
    graph: TieGraph,
    home: str,
    themes: dict[int, set[str]] | None = None,
    *,
    refit: bool = False,
    notify: Callable[[str], None] | None = None,
) -> Recommender:
    """The recommender fitted on all of the registry's ties (cached per registry state);
    ``notify`` is told before a fit, which takes a while."""
    path = _cache_path(registry, home)
    if path.exists() and not refit:
        try:
            return Recommender.from_json(json.loads(path.read_text()))
        except (ValueError, KeyError, TypeError):
            pass  # a stale or damaged cache file: fit again
    if notify is not None:
        notify(
            f"fitting the partner model on the registry's {len(graph.edges):,} ties (once per state of "
            "the registry: about a minute, then cached)"
        )
    model = fit_recommender(graph, graph.edges, home=home, themes=themes)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(model.to_json()))
    except OSError:
        pass  # an unwritable cache only costs a refit next time
    return model


def _japanese_names(registry: Registry, actor_ids: list[int]) -> dict[int, str]:
    """Japanese names of actors that have none of their own, from their alternate names."""
    with registry.reader() as session:
        return japanese_alternates(session, actor_ids)


def _geonames_id(key: str) -> int | None:
    return int(key[4:]) if key.startswith("geo-") and key[4:].isdigit() else None


def _describe(graph: TieGraph, vertex: int) -> dict[str, Any]:
    row = graph.actors.iloc[vertex]

    def clean(value: Any) -> Any:
        return None if value is None or (isinstance(value, float) and np.isnan(value)) else value

    return {
        "key": row["key"],
        "lg_code": clean(row["lg_code"]),
        "geonames_id": _geonames_id(row["key"]),
        "name_en": clean(row["name_en"]),
        "name_ja": clean(row["name_ja"]),
        "kind": row["kind"],
        "country": clean(row["country"]),
        "lat": clean(row["lat"]),
        "lon": clean(row["lon"]),
        "population": None if clean(row["population"]) is None else int(row["population"]),
    }


def recommend(
    registry: Registry,
    actor: str,
    *,
    goal: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    top: int = 10,
    explain: bool = False,
    actor_country: str | None = None,
    graph: TieGraph | None = None,
    model: Recommender | None = None,
    domestic: bool = False,
    notify: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Ranked partner candidates for ``actor`` (name, key or code), each with its reasons.

    ``country`` keeps candidates of that ISO country; without it, candidates in the actor's own
    country are left out unless ``domestic`` (partners abroad are what matching is for). ``kind``
    is one of :data:`KINDS`; ``goal`` one of :data:`.themes.GOALS` (candidates working on it score
    on ``shared_themes``); ``notify`` is told when the model must be fitted. Candidates the actor
    (or a former municipality it succeeds) is already tied to are left out; former municipalities
    are never candidates, and matching a former name matches its successor.
    """
    if goal is not None and goal not in GOALS:
        raise MatchingError(f"unknown goal {goal!r}: choose one of {', '.join(GOALS)}")
    if kind is not None and kind not in KINDS:
        raise MatchingError(f"unknown kind {kind!r}: choose one of {', '.join(KINDS)}")
    if top < 1:
        raise MatchingError("--top must be at least 1")
    actor_id = find_actor(registry, actor, country=actor_country)
    graph = graph if graph is not None else load_graph(registry)
    source = heir_vertex(graph, registry, graph.vertex(actor_id))  # a former name: its successor
    home = graph.actors["country"].iloc[source] or "JP"
    adjacency = graph.adjacency()
    partners = adjacency[source].indices
    result: dict[str, Any] = {
        "actor": _describe(graph, source),
        "partners": len(partners),
        "goal": goal,
        "country": country,
        "kind": kind,
        "domestic": bool(country == home or domestic),
    }
    if kind == "network":
        result["candidates"] = _networks(graph, source, adjacency, top)
        return result
    themes = actor_themes(registry, graph.actors["id"].to_numpy())
    model = model if model is not None else load_model(registry, graph, home, themes, notify=notify)
    candidates = candidate_vertices(
        graph,
        adjacency,
        model.min_population,
        KINDS[kind] if kind else None,
        home=home,
        named=model.named_places,
    )
    countries = graph.actors["country"].to_numpy(dtype=object)[candidates]
    if country:
        candidates = candidates[countries == country]
    elif not domestic:
        candidates = candidates[countries != home]
    candidates = candidates[~np.isin(candidates, [source, *partners])]
    if len(candidates) == 0:
        raise MatchingError("no candidate partner matches these options")
    ctx = FeatureContext.build(graph, graph.edges, candidates, themes)
    goal_bits = 1 << list(GOALS).index(goal) if goal else 0
    scores, feats = model.rank(ctx, np.array([source]), goal_bits)
    scores = scores[0]
    order = np.argsort(-scores, kind="stable")[:top]
    rows = []
    for rank, column in enumerate(order, start=1):
        parts = model.contributions(feats, 0, int(column))
        reasons = [
            {
                "feature": name,
                "value": float(feats[name][0, column]),
                "contribution": value,
                "meaning": MEANINGS[name],
            }
            for name, value in sorted(parts.items(), key=lambda kv: -kv[1])
        ]
        rows.append(
            {
                "rank": rank,
                **_describe(graph, int(candidates[column])),
                "score": float(scores[column]),
                "reasons": reasons if explain else [r for r in reasons if r["contribution"] > 0][:4],
            }
        )
    missing = [
        int(graph.actors["id"].iloc[candidates[c]])
        for c in order
        if not isinstance(graph.actors["name_ja"].iloc[candidates[c]], str)
    ]
    alternate = _japanese_names(registry, missing) if missing else {}
    for row, column in zip(rows, order, strict=True):
        if row["name_ja"] is None:
            row["name_ja"] = alternate.get(int(graph.actors["id"].iloc[candidates[column]]))
    result["candidates"] = rows
    result["candidate_pool"] = len(candidates)
    if explain:
        result["weights"] = model.weights_table()
        result["training"] = model.training
    return result


def top_partners(
    ctx: FeatureContext, model: Recommender, sources: np.ndarray, top: int = 10, block: int = 128
) -> tuple[np.ndarray, np.ndarray]:
    """The ``top`` best candidates (vertices) and their scores for every source, in blocks of
    ``block`` sources; candidates already tied to a source (and the source itself) are left out."""
    sources = np.asarray(sources, dtype=np.int64)
    k = min(top, len(ctx.candidates))
    best = np.zeros((len(sources), k), dtype=np.int64)
    best_scores = np.zeros((len(sources), k))
    for start in range(0, len(sources), block):
        chunk = sources[start : start + block]
        scores = model.rank(ctx, chunk)[0]
        tied = ctx.adjacency[chunk][:, ctx.candidates]
        scores[tied.nonzero()] = -np.inf
        scores[ctx.candidates[None, :] == chunk[:, None]] = -np.inf
        part = np.argpartition(-scores, k - 1, axis=1)[:, :k]
        part_scores = np.take_along_axis(scores, part, axis=1)
        order = np.argsort(-part_scores, axis=1, kind="stable")
        best[start : start + len(chunk)] = ctx.candidates[np.take_along_axis(part, order, axis=1)]
        best_scores[start : start + len(chunk)] = np.take_along_axis(part_scores, order, axis=1)
    return best, best_scores


def _networks(graph: TieGraph, source: int, adjacency: Any, top: int) -> list[dict[str, Any]]:
    """Networks ranked by how many of the actor's partners and prefecture fellows belong to them.

    Memberships are too few in the registry to learn weights from, so this is a plain count.
    """
    members = graph.members
    if len(members) == 0:
        return []
    actors = graph.actors
    group = actors["prefecture"].to_numpy()
    fellows = set(np.flatnonzero((group == group[source]) & (group >= 0)).tolist()) - {source}
    partners = set(adjacency[source].indices.tolist())
    own = set(members[members[:, 0] == source, 1].tolist())
    counts: dict[int, dict[str, int]] = {}
    for member, body in members:
        if body >= graph.n or body in own:
            continue
        entry = counts.setdefault(int(body), {"partners": 0, "prefecture": 0, "members": 0})
        entry["members"] += 1
        entry["partners"] += int(member) in partners
        entry["prefecture"] += int(member) in fellows
    ranked = sorted(
        counts.items(), key=lambda kv: (-kv[1]["partners"], -kv[1]["prefecture"], -kv[1]["members"])
    )[:top]
    return [
        {
            "rank": i,
            **_describe(graph, body),
            "score": float(c["partners"] + c["prefecture"]),
            "reasons": [
                {
                    "feature": f"{name}_members",
                    "value": float(value),
                    "contribution": float(value),
                    "meaning": f"members of the network among the actor's {name}",
                }
                for name, value in c.items()
                if name != "members" and value
            ],
        }
        for i, (body, c) in enumerate(ranked, start=1)
    ]

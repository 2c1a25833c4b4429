"""Held-out evaluation: hide a share of the real ties, rank candidates for the places that lost one.

For each seed, ``holdout`` of the ties touching the home country's places (or of the ties listed in a
pairs file) are hidden; the recommender is fitted on the rest (it never sees the hidden ties), and
for every home place that lost a partner, every method ranks the same candidate set with the same
remaining graph. A hidden partner outside the candidate set counts as a miss. Ranks break ties at
random. hit@k: share of hidden partners in the top k; MRR: mean of 1/rank; AUC: chance that the hidden
partner outranks a random non-partner candidate (over hidden partners that are candidates).
``hit@10_country_known`` (per seed, the recommender only): share of hidden partners in the top 10 of
their own country's candidates, what hit@10 would be if the partner's country were known.

Two protocols (``protocol``):

* ``issue`` (the headline, issue 13's judgement): hide ties touching a ``home`` place; the queries
  are the home places that lost a partner, asked for their top k.
* ``world`` (how a generic link-prediction study of the twinning graph measures): hide ties among
  all places of the world graph; every hidden tie is asked from both ends (each endpoint ranks all
  places with ties). ``min_degree`` keeps only queries whose place had at least that many ties before
  hiding (e.g. ``--min-degree 2``: a place that keeps a partner to start from).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.matching.baselines import BASELINES, baseline_scores
from paradiplomacy.matching.countries import country_columns
from paradiplomacy.matching.features import FeatureContext, candidate_vertices
from paradiplomacy.matching.graph import MatchingError, TieGraph
from paradiplomacy.matching.model import fit_recommender, home_edges, home_queries

__all__ = ["KS", "PROTOCOLS", "Evaluation", "evaluate", "rank_of"]

PROTOCOLS = ("issue", "world")

KS = (1, 5, 10, 50)
OURS = "recommender"
_BLOCK = 128


@dataclass
class Evaluation:
    """Per-seed metrics of every method and their summary (mean and standard deviation)."""

    runs: pd.DataFrame
    details: dict[str, Any]

    def summary(self) -> pd.DataFrame:
        """One row per method: mean and sd over seeds of each metric, best hit@10 first."""
        metrics = [c for c in self.runs.columns if c not in ("method", "seed")]
        grouped = self.runs.groupby("method")[metrics]
        table = grouped.mean().add_suffix("_mean").join(grouped.std(ddof=0).add_suffix("_sd"))
        ordered = [f"{m}_{s}" for m in metrics for s in ("mean", "sd")]
        return table[ordered].sort_values("hit@10_mean", ascending=False).reset_index()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary, per-seed runs and the setup."""
        return {
            "summary": self.summary().to_dict(orient="records"),
            "runs": self.runs.to_dict(orient="records"),
            **self.details,
        }


def rank_of(scores: np.ndarray, target: int, excluded: np.ndarray, rng: np.random.Generator) -> int:
    """1-based rank of column ``target`` among the non-excluded columns, ties broken at random."""
    value = scores[target]
    live = ~excluded
    greater = int(np.count_nonzero((scores > value) & live))
    equal = int(np.count_nonzero((scores == value) & live)) - 1
    return greater + 1 + (int(rng.integers(0, equal + 1)) if equal > 0 else 0)


def _metrics(ranks: np.ndarray, pool: np.ndarray) -> dict[str, float]:
    """hit@k, MRR and AUC from ranks (inf for a partner outside the candidates) and pool sizes."""
    found = np.isfinite(ranks)
    out = {f"hit@{k}": float(np.mean(ranks <= k)) for k in KS}
    out["mrr"] = float(np.mean(np.where(found, 1.0 / ranks, 0.0)))
    auc = 1.0 - (ranks[found] - 1) / np.maximum(pool[found] - 1, 1)
    out["auc"] = float(auc.mean()) if found.any() else float("nan")
    return out


def evaluate(
    graph: TieGraph,
    *,
    home: str = "JP",
    holdout: float = 0.2,
    seeds: int = 5,
    eligible: np.ndarray | None = None,
    themes: dict[int, set[str]] | None = None,
    protocol: str = "issue",
    min_degree: int = 0,
    progress: Any = None,
    two_stage: bool = False,
    named: bool = True,
) -> Evaluation:
    """Hide ``holdout`` of the eligible ties (default: those touching ``home`` places, or every tie
    between places under the ``world`` protocol) per seed and score the recommender and every
    baseline on the same hidden partners."""
    if not 0 < holdout < 1:
        raise MatchingError("--holdout must be between 0 and 1")
    if protocol not in PROTOCOLS:
        raise MatchingError(f"unknown protocol {protocol!r}: choose one of {', '.join(PROTOCOLS)}")
    edges = graph.edges
    place = graph.actors["place"].to_numpy()
    degree = np.diff(graph.adjacency().indptr)
    if eligible is not None:
        mask = eligible
    elif protocol == "world":
        mask = place[edges[:, 0]] & place[edges[:, 1]]
    else:
        mask = home_edges(graph, edges, home)
    pool_edges = np.flatnonzero(mask)
    if len(pool_edges) < 2:
        raise MatchingError(f"too few ties of {home} places to evaluate on ({len(pool_edges)})")
    runs: list[dict[str, Any]] = []
    details: dict[str, Any] = {
        "home": home,
        "holdout": holdout,
        "seeds": seeds,
        "protocol": protocol,
        "model": "two-stage" if two_stage else "one logit",
        "named": named,
        "min_degree": min_degree,
        "eligible_ties": len(pool_edges),
        "per_seed": [],
    }
    for seed in range(seeds):
        rng = np.random.default_rng(1000 + seed)
        hidden = rng.choice(pool_edges, size=max(1, round(holdout * len(pool_edges))), replace=False)
        kept = np.delete(edges, hidden, axis=0)
        model = fit_recommender(
            graph, kept, home=home, seed=seed, themes=themes, two_stage=two_stage, named=named
        )
        candidates = candidate_vertices(
            graph, graph.adjacency(kept), model.min_population, home=home, named=model.named_places
        )
        ctx = FeatureContext.build(graph, kept, candidates, themes)
        if protocol == "world":
            queries = np.concatenate([edges[hidden], edges[hidden][:, ::-1]])
        else:
            queries = home_queries(graph, edges[hidden], home)
        queries = queries[degree[queries[:, 0]] >= min_degree]
        ranks = _rank_queries(ctx, model, queries, rng)
        pool = ranks.pop("_pool")
        in_country = ranks.pop("_in_country")
        runs.extend(
            {"method": method, "seed": seed, **_metrics(values, pool)} for method, values in ranks.items()
        )
        details["per_seed"].append(
            {
                "seed": seed,
                "queries": len(queries),
                "candidates": len(candidates),
                "partners_in_candidates": int(np.isfinite(ranks[OURS]).sum()),
                "hit@10_country_known": float(np.mean(in_country <= 10)),
                "min_population": model.min_population,
                "weights": {r["feature"]: round(r["weight"], 3) for r in model.weights_table()},
            }
        )
        if progress is not None:
            progress(seed)
    return Evaluation(runs=pd.DataFrame(runs), details=details)


def _rank_queries(
    ctx: FeatureContext, model: Any, queries: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Rank of each hidden partner under every method (inf when it is not a candidate)."""
    column_of = {int(v): i for i, v in enumerate(ctx.candidates)}
    columns = country_columns(ctx)
    methods = (OURS, *BASELINES)
    ranks = {m: np.full(len(queries), np.inf) for m in methods}
    ranks["_pool"] = np.zeros(len(queries))
    ranks["_in_country"] = np.full(len(queries), np.inf)
    sources = np.unique(queries[:, 0])
    for start in range(0, len(sources), _BLOCK):
        block = sources[start : start + _BLOCK]
        scores = baseline_scores(ctx, block, rng)
        scores[OURS] = model.rank(ctx, block)[0]
        tied = ctx.adjacency[block][:, ctx.candidates].toarray() > 0
        tied |= ctx.candidates[None, :] == block[:, None]
        for row, s in enumerate(block):
            for q in np.flatnonzero(queries[:, 0] == s):
                ranks["_pool"][q] = (~tied[row]).sum()
                column = column_of.get(int(queries[q, 1]))
                if column is None:
                    continue
                for m in methods:
                    ranks[m][q] = rank_of(scores[m][row], column, tied[row], rng)
                elsewhere = tied[row] | (columns != columns[column])
                ranks["_in_country"][q] = rank_of(scores[OURS][row], column, elsewhere, rng)
    return ranks

"""The recommender: a conditional logit over the pair features, learned from the registry's own ties.

Training hides each fold of the known ties of the home country's places in turn (five folds), computes
the features on the remaining ties, and asks which of a choice set - the hidden partner plus candidates
drawn uniformly from the same candidate set (negative sampling) - the place chose. The conditional
(multinomial) logit of McFadden fits the weights by maximum likelihood (with a small ridge penalty);
uniformly sampled choice sets keep its estimates consistent, and as a within-place choice model it
ranks candidates for a place without spending weight on traits of the place itself. The weights are
whatever fits those real ties best; nothing is set by hand. A candidate's score is its utility,
``sum(contribution)`` with one contribution per feature (``weight * standardised value``); the chance
the model gives it among a choice set is ``exp(score)`` over the sum of the set's ``exp(score)``.
``--explain`` shows the weights and the contributions.

The candidate set is measured too: places with a tie, plus untied places whose population is at least
``min_population``, the lowest floor at which the untied places it adds recover the training folds'
hidden partners at least as often per candidate as the tied places do (median over folds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from paradiplomacy.matching.features import FEATURES, FeatureContext, candidate_vertices
from paradiplomacy.matching.graph import MatchingError, TieGraph

__all__ = ["FOLDS", "NEGATIVES", "RIDGE", "Recommender", "fit_conditional_logit", "fit_recommender",
           "home_edges", "home_queries", "population_floor"]

FOLDS = 5
"""Folds of the training ties hidden in turn (each fold is the issue's 20% holdout)."""
NEGATIVES = 200
"""Random non-partners drawn per hidden partner (its choice set)."""
ABROAD = 0.0
"""Ties between places abroad added to training per home tie (0: learn from home ties only)."""
RIDGE = 1e-2
"""L2 penalty on the standardised weights (keeps rare, separating features finite)."""
_BLOCK = 128


@dataclass
class Recommender:
    """Learned weights over standardised features, and the candidate-set rule they were fitted with."""

    names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    min_population: float
    home: str
    training: dict[str, Any] = field(default_factory=dict)

    def score(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """Utility (score) of every pair of a feature block."""
        shape = next(iter(features.values())).shape
        coef = self.weights / self.scale
        total = np.full(shape, -float(coef @ self.mean), dtype=np.float64)
        for i, name in enumerate(self.names):
            if coef[i]:
                values = features[name]
                if values.strides[0] == 0:       # a broadcast candidate trait: add one row
                    total += coef[i] * values[:1].astype(np.float64)
                else:
                    total += coef[i] * values
        return total

    def contributions(self, features: dict[str, np.ndarray], row: int, column: int) -> dict[str, float]:
        """Each feature's share of one pair's score (they sum to the score)."""
        return {name: float(self.weights[i] * (features[name][row, column] - self.mean[i])
                            / self.scale[i]) for i, name in enumerate(self.names)}

    def weights_table(self) -> list[dict[str, Any]]:
        """Learned weight per feature (per standard deviation; per "yes" for yes/no features),
        largest effect first."""
        rows = [{"feature": n, "weight": float(w), "meaning": FEATURES[n]}
                for n, w in zip(self.names, self.weights, strict=True)]
        return sorted(rows, key=lambda r: -abs(r["weight"]))


def home_queries(graph: TieGraph, edges: np.ndarray, home: str) -> np.ndarray:
    """(actor, partner) rows of ``edges`` seen from each side that is a place of country ``home``."""
    actors = graph.actors
    is_home = (actors["country"].to_numpy(dtype=object) == home) & actors["place"].to_numpy()
    rows = [edges[is_home[edges[:, 0]]], edges[is_home[edges[:, 1]]][:, ::-1]]
    return np.concatenate(rows).reshape(-1, 2)


def home_edges(graph: TieGraph, edges: np.ndarray, home: str) -> np.ndarray:
    """Mask of the edges between two places (partners that can be suggested) with at least one
    side a place of country ``home``."""
    actors = graph.actors
    place = actors["place"].to_numpy()
    is_home = (actors["country"].to_numpy(dtype=object) == home) & place
    both = place[edges[:, 0]] & place[edges[:, 1]]
    return both & (is_home[edges[:, 0]] | is_home[edges[:, 1]])


def population_floor(graph: TieGraph, edges: np.ndarray, hidden: np.ndarray) -> float:
    """The population above which untied places are worth ranking, measured on hidden ties.

    For each floor (every population of an untied hidden partner), the hidden partners it recovers
    per candidate it adds; the lowest floor whose yield is at least that of the tied places themselves
    is kept (infinity when no untied place is worth adding).
    """
    train = graph.adjacency(edges)
    degree = np.diff(train.indptr)
    population = graph.actors["population"].fillna(0).to_numpy()
    place = graph.actors["place"].to_numpy()
    partners = hidden[:, 1]
    tied_yield = (degree[partners] > 0).sum() / max(int((place & (degree > 0)).sum()), 1)
    untied = partners[(degree[partners] == 0) & place[partners]]
    pool = np.sort(population[place & (degree == 0)])[::-1]
    for value in np.unique(population[untied][population[untied] > 0]):
        found = (population[untied] >= value).sum()
        added = np.searchsorted(-pool, -value, side="right")
        if added and found / added >= tied_yield:
            return float(value)
    return float("inf")


def _sample(ctx: FeatureContext, queries: np.ndarray, rng: np.random.Generator,
            negatives: int) -> tuple[np.ndarray, np.ndarray]:
    """Feature rows of each choice set (hidden partner first, then ``negatives`` random candidates of
    the same place) and the size of each set."""
    column_of = {int(v): i for i, v in enumerate(ctx.candidates)}
    rows: list[np.ndarray] = []
    sizes: list[int] = []
    sources = np.unique(queries[:, 0])
    for start in range(0, len(sources), _BLOCK):
        block = sources[start:start + _BLOCK]
        feats = ctx.block(block)
        stacked = np.stack([feats[name] for name in FEATURES], axis=-1)
        where = {int(s): i for i, s in enumerate(block)}
        for s, t in queries[np.isin(queries[:, 0], block)]:
            if int(t) not in column_of:
                continue
            tied = set(ctx.adjacency[s].indices.tolist()) | {int(s), int(t)}
            draws = rng.integers(0, len(ctx.candidates), size=negatives * 2)
            draws = [d for d in draws if int(ctx.candidates[d]) not in tied][:negatives]
            rows.append(stacked[where[int(s)], [column_of[int(t)], *draws]])
            sizes.append(len(draws) + 1)
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=np.int64)
    return np.concatenate(rows).astype(np.float64), np.asarray(sizes, dtype=np.int64)


def fit_conditional_logit(x: np.ndarray, sizes: np.ndarray, ridge: float = RIDGE) -> np.ndarray:
    """Weights maximising the conditional-logit likelihood that the first row of each choice set of
    ``sizes`` consecutive rows of ``x`` is the one chosen (minus ``ridge`` * squared norm)."""
    from scipy.optimize import minimize

    starts = np.r_[0, np.cumsum(sizes)[:-1]]
    owner = np.repeat(np.arange(len(sizes)), sizes)
    chosen = x[starts]

    def objective(w: np.ndarray) -> tuple[float, np.ndarray]:
        utility = x @ w
        top = np.maximum.reduceat(utility, starts)
        expu = np.exp(utility - top[owner])
        total = np.add.reduceat(expu, starts)
        loglik = float(np.sum(utility[starts] - top - np.log(total)))
        prob = expu / total[owner]
        grad = chosen.sum(0) - prob @ x
        return -loglik + ridge * float(w @ w), -grad + 2 * ridge * w

    result = minimize(objective, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    return result.x


def fit_recommender(graph: TieGraph, edges: np.ndarray, *, home: str = "JP", seed: int = 0,
                    folds: int = FOLDS, negatives: int = NEGATIVES, abroad: float | None = None,
                    themes: dict[int, set[str]] | None = None) -> Recommender:
    """Learn the weights from ``edges`` (the known ties): hide each fold of the home country's ties,
    compute features without it, and fit the conditional logit of hidden partner vs random candidates.

    ``abroad`` (default :data:`ABROAD`) adds that many ties between places abroad per home tie to the
    hidden folds, seen from one side, as further training choices.
    """
    rng = np.random.default_rng(seed)
    abroad = ABROAD if abroad is None else abroad
    at_home = home_edges(graph, edges, home)
    eligible = np.flatnonzero(at_home)
    if len(eligible) < folds:
        raise MatchingError(f"too few ties of {home} places to learn from ({len(eligible)})")
    fold_of = rng.permutation(len(eligible)) % folds
    place = graph.actors["place"].to_numpy()
    foreign = np.flatnonzero(~at_home & place[edges[:, 0]] & place[edges[:, 1]])
    foreign = rng.permutation(foreign)[:round(abroad * len(eligible))]
    foreign_fold = np.arange(len(foreign)) % folds
    floors = []
    for fold in range(folds):
        hidden = eligible[fold_of == fold]
        kept = np.delete(edges, hidden, axis=0)
        floors.append(population_floor(graph, kept, home_queries(graph, edges[hidden], home)))
    min_population = float(np.median(floors))
    xs, sizes = [], []
    for fold in range(folds):
        hidden = eligible[fold_of == fold]
        others = foreign[foreign_fold == fold]
        kept = np.delete(edges, np.concatenate([hidden, others]), axis=0)
        ctx = FeatureContext.build(graph, kept, _candidates(graph, kept, min_population), themes)
        queries = np.concatenate([home_queries(graph, edges[hidden], home), edges[others]])
        x, size = _sample(ctx, queries, rng, negatives)
        xs.append(x)
        sizes.append(size)
    x, size = np.concatenate(xs), np.concatenate(sizes)
    if len(size) == 0:
        raise MatchingError("no hidden partner is a candidate: nothing to learn from")
    mean, scale = x.mean(0), x.std(0)
    constant = scale == 0
    # yes/no features keep their own scale (weight = effect of "yes"): standardising a rare flag
    # would blow its few occurrences up to dozens of standard deviations at prediction time
    binary = np.all((x == 0) | (x == 1), axis=0)
    mean[binary], scale[binary | constant] = 0.0, 1.0
    weights = fit_conditional_logit((x - mean) / scale, size)
    weights[constant] = 0.0
    return Recommender(names=list(FEATURES), mean=mean, scale=scale, weights=weights,
                       min_population=min_population, home=home,
                       training={"choice_sets": len(size), "alternatives": int(size.sum()),
                                 "folds": folds, "min_population": min_population})


def _candidates(graph: TieGraph, edges: np.ndarray, min_population: float) -> np.ndarray:
    return candidate_vertices(graph, graph.adjacency(edges), min_population)

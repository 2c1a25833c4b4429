"""The recommender: a conditional logit over the pair and country features, learned from real ties.

Training hides each fold of the known ties of the home country's places in turn (five folds), computes
the features on the remaining ties, and asks which of a choice set - the hidden partner plus candidates
drawn uniformly from the same candidate set (negative sampling) - the place chose. The conditional
(multinomial) logit of McFadden fits the weights by maximum likelihood (with a small ridge penalty);
uniformly sampled choice sets keep its estimates consistent, and as a within-place choice model it
ranks candidates for a place without spending weight on traits of the place itself. The weights are
whatever fits those real ties best; nothing is set by hand. A candidate's score is its utility,
``sum(contribution)`` with one contribution per feature (``weight * standardised value``); the chance
the model gives it among a choice set is ``exp(score)`` over the sum of the set's ``exp(score)``.
``--explain`` shows the weights and the contributions. The features are the place features of
:mod:`.features` and, for each candidate, its country's features of :mod:`.countries`. With
``two_stage`` the two kinds are fitted apart instead: a logit over countries times a logit over the
candidates of one country (negatives drawn within the partner's country).

The candidate set is measured too: places with a tie (plus, for a home actor, every home place and,
for a Japanese one, every place with a katakana name), plus untied places whose population is at least
``min_population``, the lowest floor at which the untied places it adds recover the training folds'
hidden partners at least as often per candidate as the tied places do (median over folds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from paradiplomacy.matching.countries import COUNTRY_FEATURES, country_block, country_columns
from paradiplomacy.matching.features import FEATURES, FeatureContext, candidate_vertices
from paradiplomacy.matching.graph import MatchingError, TieGraph

__all__ = [
    "FOLDS",
    "NEGATIVES",
    "RIDGE",
    "Recommender",
    "fit_conditional_logit",
    "fit_recommender",
    "home_edges",
    "home_queries",
    "population_floor",
]

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
    """Learned weights of both stages over standardised features, and the candidate-set rule.

    First stage (``country_*``): a conditional logit over the countries holding a candidate; second
    stage (``names``/``weights``): a conditional logit over the candidates of one country. A
    candidate's score is ``log P(its country) + utility - log(sum of exp(utility) over its country's
    candidates)``: the log of the chance the model gives it.
    """

    names: list[str]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    min_population: float
    home: str
    training: dict[str, Any] = field(default_factory=dict)
    country_names: list[str] = field(default_factory=list)
    country_mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    country_scale: np.ndarray = field(default_factory=lambda: np.zeros(0))
    country_weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    named_places: bool = True
    two_stage: bool = False

    def to_json(self) -> dict[str, Any]:
        """JSON-ready fields (the cache format)."""
        data: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            data[name] = value.tolist() if isinstance(value, np.ndarray) else value
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Recommender:
        """The recommender :meth:`to_json` wrote."""
        arrays = {"mean", "scale", "weights", "country_mean", "country_scale", "country_weights"}
        return cls(
            **{
                name: np.asarray(data[name], dtype=np.float64) if name in arrays else data[name]
                for name in cls.__dataclass_fields__
            }
        )

    def score(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """Second-stage utility of every pair of a feature block."""
        return _linear(features, self.names, self.mean, self.scale, self.weights)

    def country_logprob(self, nations: dict[str, np.ndarray], present: np.ndarray) -> np.ndarray:
        """log P(country) for each source over the country columns (``-inf`` where not ``present``)."""
        utility = _linear(
            nations, self.country_names, self.country_mean, self.country_scale, self.country_weights
        )
        utility = np.where(present[None, :], utility, -np.inf)
        top = utility.max(1, keepdims=True)
        return utility - top - np.log(np.exp(utility - top).sum(1, keepdims=True))

    def rank(
        self, ctx: FeatureContext, sources: np.ndarray, goal_bits: int = 0
    ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
        """Scores of ``sources`` x the context's candidates, and the feature block with two more
        entries per pair: ``country_choice`` (the country features' part of the score; with two
        stages, log P(country)) and ``country_competition`` (two stages: minus the log-sum of
        exp(utility) over the country's candidates; 0 otherwise)."""
        features = ctx.block(sources, goal_bits)
        utility = self.score(features)
        columns = country_columns(ctx)
        nations = country_block(ctx, sources)
        if not self.two_stage:
            features["country_choice"] = _linear(
                nations, self.country_names, self.country_mean, self.country_scale, self.country_weights
            )[:, columns]
            features["country_competition"] = np.zeros_like(utility)
            return utility + features["country_choice"], features
        order = np.argsort(columns, kind="stable")
        present, starts = np.unique(columns[order], return_index=True)
        sorted_u = utility[:, order]
        top = np.maximum.reduceat(sorted_u, starts, axis=1)
        owner = np.repeat(np.arange(len(present)), np.diff(np.r_[starts, len(order)]))
        total = np.add.reduceat(np.exp(sorted_u - top[:, owner]), starts, axis=1)
        width = ctx.n_countries + 1
        lse = np.zeros((len(sources), width))
        lse[:, present] = top + np.log(total)
        mask = np.zeros(width, dtype=bool)
        mask[present] = True
        logp = self.country_logprob(nations, mask)
        features["country_choice"] = logp[:, columns]
        features["country_competition"] = -lse[:, columns]
        return utility + features["country_choice"] + features["country_competition"], features

    def contributions(self, features: dict[str, np.ndarray], row: int, column: int) -> dict[str, float]:
        """Each feature's share of one pair's score (they sum to the score of :meth:`rank`)."""
        parts = {
            name: float(self.weights[i] * (features[name][row, column] - self.mean[i]) / self.scale[i])
            for i, name in enumerate(self.names)
        }
        for name in STAGE_TERMS:
            if name in features:
                parts[name] = float(features[name][row, column])
        return parts

    def weights_table(self) -> list[dict[str, Any]]:
        """Learned weight per feature of both stages (per standard deviation; per "yes" for yes/no
        features), largest effect first within each stage (the country stage first)."""
        first = [
            {"feature": n, "weight": float(w), "meaning": COUNTRY_FEATURES[n], "stage": "country"}
            for n, w in zip(self.country_names, self.country_weights, strict=True)
        ]
        second = [
            {"feature": n, "weight": float(w), "meaning": FEATURES[n], "stage": "place"}
            for n, w in zip(self.names, self.weights, strict=True)
        ]
        return sorted(first, key=lambda r: -abs(r["weight"])) + sorted(
            second, key=lambda r: -abs(r["weight"])
        )


STAGE_TERMS: dict[str, str] = {
    "country_choice": "the candidate's country: its share of the partners of the actor's country, "
    "prefecture, neighbours and own partners, its places, distance (the country "
    "features' part of the score)",
    "country_competition": "two-stage model only: minus the log-sum of exp(utility) of the candidates "
    "of the same country (how crowded it is with strong candidates)",
}
"""The country features' terms, shown among the reasons of a candidate."""


def _linear(
    features: dict[str, np.ndarray],
    names: list[str],
    mean: np.ndarray,
    scale: np.ndarray,
    weights: np.ndarray,
) -> np.ndarray:
    """``sum(weight * (value - mean) / scale)`` over ``names``, in float64."""
    shape = features[names[0]].shape
    coef = weights / scale
    total = np.full(shape, -float(coef @ mean), dtype=np.float64)
    for i, name in enumerate(names):
        if coef[i]:
            values = features[name]
            if values.strides[0] == 0:  # a broadcast candidate trait: add one row
                total += coef[i] * values[:1].astype(np.float64)
            else:
                total += coef[i] * values
    return total


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


def _sample(
    ctx: FeatureContext,
    queries: np.ndarray,
    rng: np.random.Generator,
    negatives: int,
    two_stage: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Choice sets of both stages for each hidden partner that is a candidate.

    Second stage: feature rows of the hidden partner first, then up to ``negatives`` random
    candidates of the same country not tied to the place; first stage: the place's country-feature
    rows, the partner's country first, then every other country holding a candidate. Returns both
    row arrays and both set-size arrays. Without ``two_stage``, one stage instead: the negatives
    drawn from every candidate and each row carrying its place's country features after the place
    features (the first-stage arrays are then empty).
    """
    columns = country_columns(ctx)
    by_country = {int(k): np.flatnonzero(columns == k) for k in np.unique(columns)}
    present = np.unique(columns)
    column_of = {int(v): i for i, v in enumerate(ctx.candidates)}
    rows: list[np.ndarray] = []
    sizes: list[int] = []
    country_rows: list[np.ndarray] = []
    country_sizes: list[int] = []
    sources = np.unique(queries[:, 0])
    for start in range(0, len(sources), _BLOCK):
        block = sources[start : start + _BLOCK]
        feats = ctx.block(block)
        stacked = np.stack([feats[name] for name in FEATURES], axis=-1)
        nations = country_block(ctx, block)
        nation_stack = np.stack([nations[name] for name in COUNTRY_FEATURES], axis=-1)
        where = {int(s): i for i, s in enumerate(block)}
        for s, t in queries[np.isin(queries[:, 0], block)]:
            if int(t) not in column_of:
                continue
            target = column_of[int(t)]
            tied = set(ctx.adjacency[s].indices.tolist()) | {int(s), int(t)}
            if not two_stage:
                draws = rng.integers(0, len(ctx.candidates), size=negatives * 2)
                draws = np.array(
                    [d for d in draws if int(ctx.candidates[d]) not in tied][:negatives], dtype=np.int64
                )
                picked = np.r_[target, draws]
                rows.append(
                    np.hstack([stacked[where[int(s)], picked], nation_stack[where[int(s)], columns[picked]]])
                )
                sizes.append(len(picked))
                continue
            pool = by_country[int(columns[target])]
            pool = pool[~np.isin(ctx.candidates[pool], list(tied))]
            draws = pool if len(pool) <= negatives else rng.choice(pool, negatives, replace=False)
            rows.append(stacked[where[int(s)], [target, *draws]])
            sizes.append(len(draws) + 1)
            k = int(columns[target])
            country_rows.append(nation_stack[where[int(s)], [k, *present[present != k]]])
            country_sizes.append(len(present))
    empty = np.zeros(0, dtype=np.int64)
    width = len(FEATURES) + (0 if two_stage else len(COUNTRY_FEATURES))
    if not rows:
        return np.zeros((0, width)), empty, np.zeros((0, len(COUNTRY_FEATURES))), empty
    if not country_rows:
        country_rows, country_sizes = [np.zeros((0, len(COUNTRY_FEATURES)))], []
    return (
        np.concatenate(rows).astype(np.float64),
        np.asarray(sizes, dtype=np.int64),
        np.concatenate(country_rows),
        np.asarray(country_sizes, dtype=np.int64),
    )


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


def fit_recommender(
    graph: TieGraph,
    edges: np.ndarray,
    *,
    home: str = "JP",
    seed: int = 0,
    folds: int = FOLDS,
    negatives: int = NEGATIVES,
    abroad: float | None = None,
    themes: dict[int, set[str]] | None = None,
    two_stage: bool = False,
    named: bool = True,
) -> Recommender:
    """Learn the weights from ``edges`` (the known ties): hide each fold of the home country's ties,
    compute features without it, and fit the conditional logit of hidden partner vs random candidates.

    ``two_stage``: a country logit times a within-country logit instead of one logit over place and
    country features; ``named``: places with a katakana name are candidates (Japanese actors).

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
    foreign = rng.permutation(foreign)[: round(abroad * len(eligible))]
    foreign_fold = np.arange(len(foreign)) % folds
    floors = []
    for fold in range(folds):
        hidden = eligible[fold_of == fold]
        kept = np.delete(edges, hidden, axis=0)
        floors.append(population_floor(graph, kept, home_queries(graph, edges[hidden], home)))
    min_population = float(np.median(floors))
    xs, sizes, cxs, csizes = [], [], [], []
    for fold in range(folds):
        hidden = eligible[fold_of == fold]
        others = foreign[foreign_fold == fold]
        kept = np.delete(edges, np.concatenate([hidden, others]), axis=0)
        ctx = FeatureContext.build(graph, kept, _candidates(graph, kept, min_population, home, named), themes)
        queries = np.concatenate([home_queries(graph, edges[hidden], home), edges[others]])
        x, size, cx, csize = _sample(ctx, queries, rng, negatives, two_stage)
        xs.append(x)
        sizes.append(size)
        cxs.append(cx)
        csizes.append(csize)
    size = np.concatenate(sizes)
    if len(size) == 0:
        raise MatchingError("no hidden partner is a candidate: nothing to learn from")
    mean, scale, weights = _fit_standardised(np.concatenate(xs), size)
    if not two_stage:
        p = len(FEATURES)
        mean, cmean, scale, cscale, weights, cweights = (
            mean[:p],
            mean[p:],
            scale[:p],
            scale[p:],
            weights[:p],
            weights[p:],
        )
    else:
        cmean, cscale, cweights = _fit_standardised(np.concatenate(cxs), np.concatenate(csizes))
    return Recommender(
        names=list(FEATURES),
        mean=mean,
        scale=scale,
        weights=weights,
        min_population=min_population,
        home=home,
        training={
            "choice_sets": len(size),
            "alternatives": int(size.sum()),
            "folds": folds,
            "min_population": min_population,
        },
        country_names=list(COUNTRY_FEATURES),
        country_mean=cmean,
        country_scale=cscale,
        country_weights=cweights,
        named_places=named,
        two_stage=two_stage,
    )


def _fit_standardised(x: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Means, scales and conditional-logit weights of standardised features (yes/no features keep
    their own scale, constant ones get no weight)."""
    mean, scale = x.mean(0), x.std(0)
    constant = scale == 0
    # yes/no features keep their own scale (weight = effect of "yes"): standardising a rare flag
    # would blow its few occurrences up to dozens of standard deviations at prediction time
    binary = np.all((x == 0) | (x == 1), axis=0)
    mean[binary], scale[binary | constant] = 0.0, 1.0
    weights = fit_conditional_logit((x - mean) / scale, sizes, RIDGE)
    weights[constant] = 0.0
    return mean, scale, weights


def _candidates(
    graph: TieGraph, edges: np.ndarray, min_population: float, home: str, named: bool
) -> np.ndarray:
    return candidate_vertices(graph, graph.adjacency(edges), min_population, home=home, named=named)

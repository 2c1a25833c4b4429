"""Classical link predictors, scored on the same candidates and graph as the recommender.

Preferential attachment (degree x degree), common neighbours, Adamic–Adar, truncated Katz (paths of
length 2 and 3, beta = 0.05; direct ties are excluded from ranking anyway), a gravity model
(population / distance squared) and random scores.
"""

from __future__ import annotations

import numpy as np

from paradiplomacy.matching.features import FeatureContext, haversine

__all__ = ["BASELINES", "KATZ_BETA", "baseline_scores"]

KATZ_BETA = 0.05
BASELINES = ("preferential_attachment", "common_neighbours", "adamic_adar", "katz", "gravity", "random")


def baseline_scores(
    ctx: FeatureContext, sources: np.ndarray, rng: np.random.Generator
) -> dict[str, np.ndarray]:
    """Scores of every baseline for ``sources`` x the context's candidates (higher is better)."""
    s = np.asarray(sources, dtype=np.int64)
    c = ctx.candidates
    a_s = ctx.adjacency[s]
    a_c = ctx.adjacency[:, c]
    common = (a_s @ a_c).toarray()
    paths3 = ((a_s @ ctx.adjacency) @ a_c).toarray()
    shape = (len(s), len(c))
    pa = np.broadcast_to((ctx.degree[s][:, None] * ctx.degree[c][None, :]), shape)
    dist = haversine(ctx.lat[s], ctx.lon[s], ctx.lat[c], ctx.lon[c])
    log_pop = np.nan_to_num(ctx.log_population[c], nan=0.0)
    gravity = np.where(np.isnan(dist), -np.inf, log_pop[None, :] - 2 * np.log(np.maximum(dist, 1.0)))
    return {
        "preferential_attachment": pa,
        "common_neighbours": common,
        "adamic_adar": (ctx.aa_weight[s] @ a_c).toarray(),
        "katz": KATZ_BETA**2 * common + KATZ_BETA**3 * paths3,
        "gravity": gravity,
        "random": rng.random(shape),
    }

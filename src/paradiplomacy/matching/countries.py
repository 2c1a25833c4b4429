"""The first stage of the two-stage recommender: which country will a place's next partner be in?

Features of (actor, country) pairs for a block of actors against every country that holds a
candidate (plus one column for candidates of unknown country). The second stage (which place of that
country) is the pair model of :mod:`.features`, fitted on choice sets drawn within one country.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from paradiplomacy.matching.features import NEIGHBOURS, haversine

if TYPE_CHECKING:
    from paradiplomacy.matching.features import FeatureContext

__all__ = ["COUNTRY_FEATURES", "country_block", "country_columns"]

COUNTRY_FEATURES: dict[str, str] = {
    "national_share": "share of this country among the partners of all places of the actor's country",
    "prefecture_share": "share of this country among the partners of the actor's prefecture and its members",
    "own_share": "share of this country among the actor's own partners",
    "neighbour_share": f"share of this country among the partners of the {NEIGHBOURS} nearest places "
    "of the actor's country that have partners",
    "domestic": "the actor's own country (a domestic affiliation)",
    "country_places": "places of this country that may be suggested (log)",
    "country_places_tied_home": "places of this country that already partner the actor's country (log)",
    "country_distance": "distance to the nearest candidate of this country (log km)",
    "national_share_by_size": "national share x the actor's population (log): large and small places "
    "lean on different countries",
    "national_share_by_degree": "national share x the actor's partners (log)",
}
"""First-stage feature name -> what it measures."""


def country_columns(ctx: FeatureContext) -> np.ndarray:
    """Country column of every candidate (``ctx.n_countries`` for an unknown country)."""
    cc = ctx.country[ctx.candidates]
    return np.where(cc >= 0, cc, ctx.n_countries)


def _log_share(counts: np.ndarray) -> np.ndarray:
    k = counts.shape[1]
    return np.log((counts + 1.0) / (counts.sum(1, keepdims=True) + k))


def _neighbour_counts(ctx: FeatureContext, sources: np.ndarray) -> np.ndarray:
    """Partners per country of each source's nearest fellows (:meth:`FeatureContext.fellows`)."""
    out = np.zeros((len(sources), ctx.n_countries))
    for row, picked in enumerate(ctx.fellows(sources)):
        if len(picked):
            out[row] = np.asarray(ctx.partner_countries[picked].sum(0)).ravel()
    return out


def country_block(
    ctx: FeatureContext, sources: np.ndarray, distance: np.ndarray | None = None
) -> dict[str, np.ndarray]:
    """Every first-stage feature of ``sources`` x countries (``ctx.n_countries + 1`` columns, the
    last for candidates of unknown country); ``distance`` (sources x candidates km) if already known."""
    s = np.asarray(sources, dtype=np.int64)
    k = ctx.n_countries
    width = k + 1
    cs = ctx.country[s]
    own = ctx.partner_countries[s].toarray()
    gs = ctx.group[s]
    group = np.where(gs[:, None] >= 0, ctx.group_countries[np.maximum(gs, 0)] - own, 0.0)
    pad = np.full((len(s), 1), -np.log(width))
    out: dict[str, np.ndarray] = {
        "national_share": np.hstack([ctx.national_log_share[cs], pad]),
        "prefecture_share": np.hstack([_log_share(group), pad]),
        "own_share": np.hstack([_log_share(own), pad]),
        "neighbour_share": np.hstack([_log_share(_neighbour_counts(ctx, s)), pad]),
    }
    domestic = np.zeros((len(s), width))
    domestic[np.flatnonzero(cs >= 0), cs[cs >= 0]] = 1.0
    out["domestic"] = domestic
    columns = country_columns(ctx)
    per_country = np.bincount(columns, minlength=width).astype(np.float64)
    out["country_places"] = np.broadcast_to(np.log1p(per_country), (len(s), width))
    home_tied = ctx.cand_partner_countries[:, np.maximum(cs, 0)] > 0  # candidates x sources
    tied_counts = np.zeros((width, len(s)))
    np.add.at(tied_counts, columns, home_tied.astype(np.float64))
    out["country_places_tied_home"] = np.where(cs[:, None] >= 0, np.log1p(tied_counts.T), 0.0)
    if distance is None:
        c = ctx.candidates
        distance = haversine(ctx.lat[s], ctx.lon[s], ctx.lat[c], ctx.lon[c])
    order = np.argsort(columns, kind="stable")
    present, starts = np.unique(columns[order], return_index=True)
    filled = np.where(np.isnan(distance[:, order]), np.inf, distance[:, order])
    nearest = np.full((len(s), width), np.inf)
    nearest[:, present] = np.minimum.reduceat(filled, starts, axis=1)
    far = np.nanmax(np.where(np.isfinite(nearest), nearest, np.nan)) if np.isfinite(nearest).any() else 1.0
    out["country_distance"] = np.log1p(np.where(np.isfinite(nearest), nearest, far))
    size = np.nan_to_num(ctx.log_population[s])[:, None]
    degree = np.log1p(ctx.degree[s])[:, None]
    out["national_share_by_size"] = out["national_share"] * size
    out["national_share_by_degree"] = out["national_share"] * degree
    return {name: np.asarray(out[name], dtype=np.float64) for name in COUNTRY_FEATURES}

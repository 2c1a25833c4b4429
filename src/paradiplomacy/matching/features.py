"""Features of (actor, candidate partner) pairs, computed for a block of actors against all candidates.

:class:`FeatureContext` precomputes, from a tie graph and the ties it may use, the sparse matrices and
per-vertex arrays the features need; :meth:`FeatureContext.block` returns one dense ``(actors x
candidates)`` array per feature, all vectorised with numpy and scipy sparse products. The features
(``FEATURES``) are the reasons a partner is suggested; the model learns how much each weighs.

"Group" is the actor's prefecture (a Japanese municipality's prefecture, or the prefecture itself)
or, abroad, its region: the prefecture's other members' partner countries and partners are evidence
for the actor's next partner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from paradiplomacy.matching.graph import TieGraph
from paradiplomacy.reference.names import normalize, split_qualifier

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["FEATURES", "NEIGHBOURS", "FeatureContext", "candidate_vertices", "haversine", "nearest_km"]

NEIGHBOURS = 10
"""Nearest places of the actor's country (with a partner) whose partners are evidence."""

FEATURES: dict[str, str] = {
    "candidate_degree": "partners the candidate already has (log)",
    "candidate_home_partners": "partners the candidate already has in the actor's country (log)",
    "home_share_in_country": "the candidate's share of its country's partners in the actor's country "
    "(log; with country_national: choose the country, then the place)",
    "degree_share_in_country": "the candidate's share of its country's partners (log)",
    "region_home_partners": "partners in the actor's country of the other places of the candidate's "
    "region (log)",
    "common_partners": "partners the actor and the candidate share (log)",
    "adamic_adar": "shared partners, each weighted by 1/log(its number of partners)",
    "partner_paths3": "paths actor-partner-partner-candidate (partners of partners' partners, log)",
    "group_ties_candidate": "ties of the actor's prefecture and its members with the candidate (log)",
    "group_ties_region": "ties of the actor's prefecture and its members with the candidate's region (log)",
    "group_region_share": "share of the candidate's region among the partners the actor's prefecture and "
    "its members have in the candidate's country",
    "neighbour_region_share": "share of the candidate's region among the partners the nearest places of "
    "the actor's country have in the candidate's country",
    "prefecture_region_tie": "the actor's prefecture is tied to the candidate's region (sister state)",
    "home_partner_distance": "distance from the actor to the nearest partner the candidate already has in "
    "the actor's country (log km)",
    "home_partner_distance_unknown": "the candidate has no located partner in the actor's country",
    "home_affinity": "how typical the candidate's partner countries are of places that partner the "
    "actor's country (mean log lift)",
    "latitude_gap": "difference of the two places' latitudes (degrees; similar climate)",
    "co_membership": "networks and coalitions both belong to (log)",
    "shared_themes": "themes (environment, trade...) both work on",
    "same_name": "same name (Portland-Portland)",
    "japanese_name": "the candidate has a name in katakana (known in Japan; for Japanese actors)",
    "name_count": "alternate names the candidate has (log; how widely it is known)",
    "same_level": "both regional (prefecture/province) or both local (city/town)",
    "distance": "great-circle distance actor-candidate (log km)",
    "distance_unknown": "no coordinates for the actor or the candidate",
    "partner_distance": "distance from the candidate to the actor's nearest partner (log km)",
    "partner_distance_unknown": "the actor has no located partner",
    "group_partner_distance": "distance from the candidate to the nearest partner of the actor's "
    "prefecture or of any of its members (log km)",
    "group_partner_distance_unknown": "the actor's prefecture and its members have no located partner",
    "candidate_population": "candidate's population (log)",
    "population_unknown": "candidate's population unknown",
    "size_gap": "difference of the two populations (absolute log ratio)",
    "size_gap_unknown": "one of the two populations unknown",
    "size_rank_gap": "difference of the two places' population ranks within their own countries "
    "(0-1 quantiles)",
    "size_by_size": "actor's population x candidate's population (logs): larger places pick larger partners",
    "degree_by_degree": "actor's partners x candidate's partners (logs): busy places pick busy partners",
    "degree_by_home_partners": "actor's partners x candidate's partners in the actor's country (logs)",
    **{
        f"{name}_squared": f"square of {name} (lets its effect bend: e.g. best at a middle value)"
        for name in ("distance", "partner_distance", "candidate_population", "size_gap", "candidate_degree")
    },
}
"""Feature name -> what it measures (the reasons shown with each suggestion)."""

_EARTH_KM = 6371.0


def candidate_vertices(
    graph: TieGraph,
    adjacency: sparse.csr_matrix,
    min_population: float,
    kinds: frozenset[str] | None = None,
    home: str | None = None,
    named: bool = False,
) -> np.ndarray:
    """Places that may be suggested: every place with a tie, every place of the ``home`` country
    (domestic partners: a few thousand places, all known), with ``named`` (for a Japanese ``home``)
    every place with a katakana name (known in Japan), and untied places of at least
    ``min_population`` inhabitants (optionally only of the actor ``kinds`` given)."""
    actors = graph.actors
    degree = np.diff(adjacency.indptr)
    population = actors["population"].fillna(0).to_numpy()
    keep = (degree > 0) | (population >= min_population)
    if home is not None:
        keep |= actors["country"].to_numpy(dtype=object) == home
    if named and home == "JP":
        keep |= actors["kana"].to_numpy(dtype=bool)
    keep &= actors["place"].to_numpy()
    if kinds is not None:
        keep &= actors["kind"].isin(list(kinds)).to_numpy()
    return np.flatnonzero(keep)


def _onehot(codes: np.ndarray, width: int) -> sparse.csr_matrix:
    from scipy import sparse

    rows = np.flatnonzero(codes >= 0)
    return sparse.csr_matrix((np.ones(len(rows)), (rows, codes[rows])), shape=(len(codes), width))


def _codes(values: np.ndarray) -> tuple[np.ndarray, int]:
    """Integer codes of labels (-1 for missing) and the number of distinct labels."""
    present = np.array([v is not None and v == v and v != "" for v in values])
    codes = np.full(len(values), -1, dtype=np.int64)
    if present.any():
        _, inverse = np.unique(values[present].astype(str), return_inverse=True)
        codes[present] = inverse
    return codes, int(codes.max()) + 1 if present.any() else 0


def _name_key(name: object) -> str:
    if not isinstance(name, str) or not name:
        return ""
    return normalize(split_qualifier(name)[0])


def _share(part: np.ndarray, whole: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """``part / whole`` (0 where ``whole`` is 0 or a column is not ``valid``) as float32."""
    share = np.where(whole > 0, np.maximum(part, 0) / np.maximum(whole, 1), 0.0)
    return np.where(valid[None, :], share, 0.0).astype(np.float32)


def _log_known(km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """log(1 + km) as float32 with 0 where unknown, and the 0/1 unknown flags."""
    value = km.astype(np.float32)
    unknown = np.isnan(value)
    value[unknown] = 0.0
    np.log1p(value, out=value)
    return value, unknown.astype(np.float32)


def _unit(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Unit vectors (n x 3) of points given in radians."""
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=1)


def _arc_km(cosine: np.ndarray) -> np.ndarray:
    return _EARTH_KM * np.arccos(np.clip(cosine, -1.0, 1.0))


def haversine(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle km between every point 1 (rows) and every point 2 (columns); inputs in radians
    (NaN where a point is unknown). One matrix product of unit vectors, then one arccos."""
    return _arc_km(_unit(lat1, lon1) @ _unit(lat2, lon2).T)


def nearest_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """For every point 2, the great-circle km to the nearest of the points 1 (all must be known)."""
    if len(lat1) == 0:
        return np.full(len(lat2), np.nan)
    return _arc_km((_unit(lat1, lon1) @ _unit(lat2, lon2).T).max(0))


def _size_quantile(country: np.ndarray, log_population: np.ndarray, place: np.ndarray) -> np.ndarray:
    """Each place's population quantile (0 smallest, 1 largest) among the places of its own country
    with a known population (NaN for unknown population or country)."""
    import pandas as pd

    known = place & (country >= 0) & ~np.isnan(log_population)
    quantile = np.full(len(country), np.nan)
    frame = pd.DataFrame({"country": country[known], "pop": log_population[known]})
    quantile[known] = frame.groupby("country")["pop"].rank(pct=True).to_numpy()
    return quantile


@dataclass
class FeatureContext:
    """Everything the features of one graph state need; build with :meth:`build`."""

    graph: TieGraph
    adjacency: sparse.csr_matrix
    candidates: np.ndarray
    degree: np.ndarray
    country: np.ndarray
    n_countries: int
    group: np.ndarray
    partner_countries: sparse.csr_matrix  # n x K: partners of each vertex per country
    national_log_share: np.ndarray  # K x K (+1 row/col for unknown country)
    group_countries: np.ndarray  # G x K
    group_ties: sparse.csr_matrix  # G x n
    group_group: np.ndarray  # G x G
    aa_weight: sparse.csr_matrix  # A with columns scaled by 1/log(degree)
    group_members: sparse.csr_matrix  # G x n: members of each group
    membership: sparse.csr_matrix
    themes: np.ndarray  # bitmask per vertex
    name_id: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    log_population: np.ndarray
    regional: np.ndarray
    cand_partner_countries: np.ndarray  # candidates x K dense
    cand_adjacency: sparse.csr_matrix  # n x candidates
    cand_select: sparse.csr_matrix  # n x candidates: 1 where the vertex is the candidate
    group_ties_cand: sparse.csr_matrix  # G x candidates
    cand_membership: sparse.csr_matrix  # bodies x candidates
    country_home_totals: np.ndarray  # K x K: partners in country k of candidates of country j
    country_degree_totals: np.ndarray  # K: partners of the candidates of each country
    country_candidates: np.ndarray  # K: candidates per country
    size_quantile: np.ndarray  # population quantile within the own country (NaN unknown)
    partner_groups: sparse.csr_matrix  # n x G: partners of each vertex per prefecture/region
    kana: np.ndarray  # has a katakana name
    log_names: np.ndarray  # log(1 + alternate names)
    _nearest_cache: dict[int, np.ndarray] = field(default_factory=dict)
    _affinity_cache: dict[int, np.ndarray] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        graph: TieGraph,
        edges: np.ndarray,
        candidates: np.ndarray,
        themes: dict[int, set[str]] | None = None,
    ) -> FeatureContext:
        """Precompute the matrices for a graph restricted to ``edges`` (the ties features may use)."""
        from scipy import sparse

        actors = graph.actors
        candidates = np.asarray(candidates, dtype=np.int64)
        adjacency = graph.adjacency(edges)
        degree = np.diff(adjacency.indptr).astype(np.float64)
        country, n_countries = _codes(actors["country"].to_numpy(dtype=object))
        k = max(n_countries, 1)
        partner_countries = (adjacency @ _onehot(country, k)).tocsr()
        national = (_onehot(country, k).T @ partner_countries).toarray()
        national_log_share = np.log((national + 1.0) / (national.sum(1, keepdims=True) + k))
        uniform = np.full((1, k), -np.log(k))
        national_log_share = np.vstack([national_log_share, uniform])  # row -1: unknown country
        prefecture = actors["prefecture"].to_numpy()
        region = actors["region"].to_numpy()
        group_vertex = np.where(prefecture >= 0, prefecture, region)
        group, n_groups = _codes(np.where(group_vertex >= 0, group_vertex, None).astype(object))
        members = _onehot(group, max(n_groups, 1))
        group_ties = (members.T @ adjacency).tocsr()
        group_group = (group_ties @ members).toarray()
        group_countries = (members.T @ partner_countries).toarray()
        with np.errstate(divide="ignore"):
            inverse_log = np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0)
        aa_weight = (adjacency @ sparse.diags(inverse_log)).tocsr()
        bitmask = np.zeros(len(actors), dtype=np.int64)
        if themes:
            from paradiplomacy.matching.themes import GOALS

            bits = {goal: 1 << i for i, goal in enumerate(GOALS)}
            index = dict(zip(actors["id"].to_numpy().tolist(), range(len(actors)), strict=True))
            for actor_id, found in themes.items():
                if actor_id in index:
                    bitmask[index[actor_id]] = sum(bits[t] for t in found if t in bits)
        names = actors["name_en"].map(_name_key).to_numpy(dtype=object)
        name_id, _ = _codes(np.where(names != "", names, None).astype(object))
        population = actors["population"].to_numpy(dtype=np.float64)
        log_population = np.where(population > 0, np.log(np.where(population > 0, population, 1)), np.nan)
        cand_countries = partner_countries[candidates].toarray().astype(np.float32)
        cand_country = _onehot(country[candidates], k)
        return cls(
            graph=graph,
            adjacency=adjacency,
            candidates=candidates,
            degree=degree,
            country=country,
            n_countries=k,
            group=group,
            partner_countries=partner_countries,
            national_log_share=national_log_share,
            group_countries=group_countries,
            group_ties=group_ties,
            group_group=group_group,
            aa_weight=aa_weight,
            group_members=members.T.tocsr(),
            membership=graph.membership(),
            themes=bitmask,
            name_id=name_id,
            lat=np.radians(actors["lat"].to_numpy(dtype=np.float64)),
            lon=np.radians(actors["lon"].to_numpy(dtype=np.float64)),
            log_population=log_population,
            regional=actors["regional"].to_numpy(),
            cand_partner_countries=cand_countries,
            cand_adjacency=adjacency[:, candidates].tocsr(),
            cand_select=sparse.csr_matrix(
                (np.ones(len(candidates)), (candidates, np.arange(len(candidates)))),
                shape=(len(actors), len(candidates)),
            ),
            group_ties_cand=group_ties[:, candidates].tocsr(),
            cand_membership=graph.membership()[candidates].T.tocsr(),
            country_home_totals=np.asarray(cand_country.T @ cand_countries),
            country_degree_totals=np.asarray(cand_country.T @ degree[candidates]).ravel(),
            country_candidates=np.asarray(cand_country.sum(0)).ravel(),
            size_quantile=_size_quantile(country, log_population, actors["place"].to_numpy()),
            partner_groups=(adjacency @ members).tocsr(),
            kana=actors["kana"].to_numpy(dtype=bool),
            log_names=np.log1p(actors["names"].to_numpy(dtype=np.float64)),
        )

    def fellows(self, sources: np.ndarray, count: int = NEIGHBOURS) -> list[np.ndarray]:
        """For each source, the ``count`` nearest located places of its own country that have a
        partner (the source left out; empty when unlocated or without country)."""
        result = [np.zeros(0, dtype=np.int64) for _ in sources]
        place = self.graph.actors["place"].to_numpy()
        tied = np.flatnonzero((self.degree > 0) & ~np.isnan(self.lat) & place)
        for country in np.unique(self.country[sources]):
            rows = np.flatnonzero((self.country[sources] == country) & ~np.isnan(self.lat[sources]))
            pool = tied[self.country[tied] == country]
            if country < 0 or len(pool) < 2 or len(rows) == 0:
                continue
            s = sources[rows]
            dist = haversine(self.lat[s], self.lon[s], self.lat[pool], self.lon[pool])
            dist[pool[None, :] == s[:, None]] = np.inf
            m = min(count, len(pool) - 1)
            nearest = np.argpartition(dist, m - 1, axis=1)[:, :m]
            for row, picked in zip(rows, nearest, strict=True):
                result[row] = pool[picked]
        return result

    def block(self, sources: np.ndarray, goal_bits: int = 0) -> dict[str, np.ndarray]:
        """Every feature of ``sources`` x ``candidates`` as float32 arrays of that shape.

        ``goal_bits`` replaces the sources' own themes (a ``--goal``) when non-zero.
        """
        s = np.asarray(sources, dtype=np.int64)
        c = self.candidates
        a_s = self.adjacency[s]
        a_c = self.cand_adjacency
        out: dict[str, np.ndarray] = {}
        f32 = np.float32

        cs = self.country[s]
        cc = self.country[c]
        known = cc >= 0
        col = np.maximum(cc, 0)
        gs = self.group[s]

        # the candidate's standing and its ties to the actor's country
        out["candidate_degree"] = np.broadcast_to(np.log1p(self.degree[c]).astype(f32), (len(s), len(c)))
        home = self.cand_partner_countries[:, np.maximum(cs, 0)].T
        out["candidate_home_partners"] = np.where(cs[:, None] >= 0, np.log1p(home), 0).astype(f32)
        # within the candidate's country: its share of that country's partners in the actor's country
        # and of all its partners (the second stage of "choose the country, then the place")
        n_c = self.country_candidates[col]
        totals = self.country_home_totals[col][:, np.maximum(cs, 0)].T
        out["home_share_in_country"] = np.where(
            (cs[:, None] >= 0) & known[None, :], np.log((home + 1.0) / (totals + n_c[None, :])), 0
        ).astype(f32)
        share = np.log((self.degree[c] + 1.0) / (self.country_degree_totals[col] + n_c))
        out["degree_share_in_country"] = np.broadcast_to(
            np.where(known, share, 0).astype(f32), (len(s), len(c))
        )
        gc = self.group[c]
        region_home = (
            self.group_countries[np.maximum(gc, 0)][:, np.maximum(cs, 0)].T
            - self.cand_partner_countries[:, np.maximum(cs, 0)].T
        )
        out["region_home_partners"] = np.where(
            (gc[None, :] >= 0) & (cs[:, None] >= 0), np.log1p(np.maximum(region_home, 0)), 0
        ).astype(f32)

        # neighbourhood: common partners, Adamic-Adar, paths of length 3
        out["common_partners"] = np.log1p((a_s @ a_c).toarray()).astype(f32)
        out["adamic_adar"] = (self.aa_weight[s] @ a_c).toarray().astype(f32)
        out["partner_paths3"] = np.log1p(((a_s @ self.adjacency) @ a_c).toarray()).astype(f32)

        # the prefecture's ties with the candidate and with the candidate's region
        gsafe = np.maximum(gs, 0)
        with_candidate = self.group_ties_cand[gsafe].toarray() - (a_s @ self.cand_select).toarray()
        with_candidate = np.where(gs[:, None] >= 0, np.maximum(with_candidate, 0), 0)
        out["group_ties_candidate"] = np.log1p(with_candidate).astype(f32)
        region_ties = self.group_group[gsafe][:, np.maximum(gc, 0)]
        out["group_ties_region"] = np.where(
            (gs[:, None] >= 0) & (gc[None, :] >= 0), np.log1p(region_ties), 0
        ).astype(f32)

        self._region_features(s, out)
        out["home_partner_distance"], out["home_partner_distance_unknown"] = _log_known(
            self._home_partner_distance(s)
        )
        out["home_affinity"] = self._home_affinity(cs)
        lat_gap = np.abs(np.degrees(self.lat[s])[:, None] - np.degrees(self.lat[c])[None, :])
        out["latitude_gap"] = np.nan_to_num(lat_gap, nan=0.0).astype(f32)

        # networks, themes, names, level
        shared = (self.membership[s] @ self.cand_membership).toarray()
        out["co_membership"] = np.log1p(shared).astype(f32)
        themes_s = np.full(len(s), goal_bits) if goal_bits else self.themes[s]
        out["shared_themes"] = ((themes_s[:, None] & self.themes[c][None, :]) != 0).astype(f32)
        ns, nc = self.name_id[s], self.name_id[c]
        out["same_name"] = ((ns[:, None] == nc[None, :]) & (ns[:, None] >= 0)).astype(f32)
        japanese = np.asarray(self.graph.actors["country"].to_numpy(dtype=object)[s] == "JP")
        out["japanese_name"] = (japanese[:, None] & self.kana[c][None, :]).astype(f32)
        out["name_count"] = np.broadcast_to(self.log_names[c].astype(f32), (len(s), len(c)))
        out["same_level"] = (self.regional[s][:, None] == self.regional[c][None, :]).astype(f32)

        # geography and size
        dist = haversine(self.lat[s], self.lon[s], self.lat[c], self.lon[c])
        out["distance"], out["distance_unknown"] = _log_known(dist)
        nearest = self._partner_distance(a_s)
        out["partner_distance"], out["partner_distance_unknown"] = _log_known(nearest)
        nearest = self._group_partner_distance(s)
        out["group_partner_distance"], out["group_partner_distance_unknown"] = _log_known(nearest)
        pop_c = self.log_population[c]
        out["population_unknown"] = np.broadcast_to(np.isnan(pop_c).astype(f32), (len(s), len(c)))
        out["candidate_population"] = np.broadcast_to(np.nan_to_num(pop_c).astype(f32), (len(s), len(c)))
        gap = np.abs(self.log_population[s][:, None] - pop_c[None, :]).astype(f32)
        unknown = np.isnan(gap)
        gap[unknown] = 0.0
        out["size_gap"], out["size_gap_unknown"] = gap, unknown.astype(f32)
        rank_gap = np.abs(self.size_quantile[s][:, None] - self.size_quantile[c][None, :]).astype(f32)
        out["size_rank_gap"] = np.nan_to_num(rank_gap, nan=0.0)
        # interactions with the actor's own standing (a choice model cancels the actor's own terms, not
        # these): how the candidate's size and popularity matter depends on the actor's
        own_size = np.nan_to_num(self.log_population[s]).astype(f32)[:, None]
        out["size_by_size"] = own_size * out["candidate_population"]
        own_degree = np.log1p(self.degree[s]).astype(f32)[:, None]
        out["degree_by_degree"] = own_degree * out["candidate_degree"]
        out["degree_by_home_partners"] = own_degree * out["candidate_home_partners"]
        for name in ("distance", "partner_distance", "candidate_population", "size_gap", "candidate_degree"):
            value = out[name]
            out[f"{name}_squared"] = (
                np.broadcast_to(value[:1] ** 2, value.shape) if value.strides[0] == 0 else value**2
            )
        return {name: out[name] for name in FEATURES}

    def _region_features(self, s: np.ndarray, out: dict[str, np.ndarray]) -> None:
        """Shares of the candidate's region among the partners the actor's prefecture (and its
        members) and its nearest fellows have in the candidate's country; prefecture-region ties."""
        c = self.candidates
        gs, gc, cc = self.group[s], self.group[c], self.country[c]
        has_region = gc >= 0
        gcol, ccol = np.maximum(gc, 0), np.maximum(cc, 0)
        own_groups = self.partner_groups[s].toarray()
        own_countries = self.partner_countries[s].toarray()
        in_region = np.where(gs[:, None] >= 0, self.group_group[np.maximum(gs, 0)], 0.0) - own_groups
        in_country = np.where(gs[:, None] >= 0, self.group_countries[np.maximum(gs, 0)], 0.0) - own_countries
        out["group_region_share"] = _share(in_region[:, gcol], in_country[:, ccol], has_region & (cc >= 0))
        fellows = self.fellows(s)
        near_groups = np.zeros((len(s), own_groups.shape[1]))
        near_countries = np.zeros((len(s), own_countries.shape[1]))
        for row, picked in enumerate(fellows):
            if len(picked):
                near_groups[row] = np.asarray(self.partner_groups[picked].sum(0)).ravel()
                near_countries[row] = np.asarray(self.partner_countries[picked].sum(0)).ravel()
        out["neighbour_region_share"] = _share(
            near_groups[:, gcol], near_countries[:, ccol], has_region & (cc >= 0)
        )
        actors = self.graph.actors
        prefecture = actors["prefecture"].to_numpy()[s]
        region = actors["region"].to_numpy()[c]
        ties = self.adjacency[np.maximum(prefecture, 0)][:, np.maximum(region, 0)].toarray() > 0
        out["prefecture_region_tie"] = (ties & (prefecture[:, None] >= 0) & (region[None, :] >= 0)).astype(
            np.float32
        )

    def _home_partner_distance(self, sources: np.ndarray) -> np.ndarray:
        """km from each source to the nearest located partner each candidate has in the source's
        country (NaN if none)."""
        result = np.full((len(sources), len(self.candidates)), np.nan)
        by_candidate = self.cand_adjacency.T.tocsr()  # candidates x n
        for country in np.unique(self.country[sources]):
            rows = np.flatnonzero(self.country[sources] == country)
            if country < 0:
                continue
            partners = by_candidate.indices
            keep = (self.country[partners] == country) & ~np.isnan(self.lat[partners])
            owner = np.repeat(np.arange(len(self.candidates)), np.diff(by_candidate.indptr))[keep]
            counts = np.bincount(owner, minlength=len(self.candidates))
            if not counts.any():
                continue
            targets = partners[keep]
            s = sources[rows]
            dist = haversine(self.lat[s], self.lon[s], self.lat[targets], self.lon[targets])
            starts = np.r_[0, np.cumsum(counts)[:-1]]
            has = counts > 0
            block = np.full((len(rows), len(self.candidates)), np.nan)
            block[:, has] = np.minimum.reduceat(dist, starts[has], axis=1)
            result[rows] = block
        return result

    def _home_affinity(self, countries: np.ndarray) -> np.ndarray:
        """Per source country, each candidate's mean log lift of its partners' countries among the
        partners of places that partner that country (0 without partners or country)."""
        out = np.zeros((len(countries), len(self.candidates)), dtype=np.float32)
        for country in np.unique(countries):
            if country < 0:
                continue
            if country not in self._affinity_cache:
                self._affinity_cache[int(country)] = self._affinity(int(country))
            out[countries == country] = self._affinity_cache[int(country)]
        return out

    def _affinity(self, home: int) -> np.ndarray:
        counts = self.partner_countries
        linked = np.asarray(counts[:, home].toarray()).ravel() > 0
        linked &= self.country != home
        overall = np.asarray(counts.sum(0)).ravel() + 1.0
        near = np.asarray(counts[linked].sum(0)).ravel() + 1.0
        lift = np.log(near / near.sum()) - np.log(overall / overall.sum())
        lift[home] = 0.0
        cand = self.cand_partner_countries.astype(np.float64).copy()
        cand[:, home] = 0.0
        total = cand.sum(1)
        return np.where(total > 0, (cand @ lift) / np.maximum(total, 1), 0.0).astype(np.float32)

    def _group_partner_distance(self, sources: np.ndarray) -> np.ndarray:
        """km from each candidate to the nearest located partner of each source's group (the
        prefecture and all its members, the source included; NaN if none), computed once per group."""
        result = np.full((len(sources), len(self.candidates)), np.nan)
        groups = self.group[sources]
        for g in np.unique(groups[groups >= 0]):
            result[groups == g] = self._group_nearest(int(g))
        return result

    def _group_nearest(self, g: int) -> np.ndarray:
        if g not in self._nearest_cache:
            members = self.group_members
            fellows = members.indices[members.indptr[g] : members.indptr[g + 1]]
            partners = np.unique(self.adjacency[fellows].indices)
            partners = partners[~np.isnan(self.lat[partners])]
            c = self.candidates
            self._nearest_cache[g] = nearest_km(
                self.lat[partners], self.lon[partners], self.lat[c], self.lon[c]
            )
        return self._nearest_cache[g]

    def _partner_distance(self, a_s: sparse.csr_matrix) -> np.ndarray:
        """km from each candidate to the nearest located partner of each source (NaN if none)."""
        c = self.candidates
        result = np.full((a_s.shape[0], len(c)), np.nan)
        lat_c, lon_c = self.lat[c], self.lon[c]
        for row in range(a_s.shape[0]):
            partners = a_s.indices[a_s.indptr[row] : a_s.indptr[row + 1]]
            partners = partners[~np.isnan(self.lat[partners])]
            if len(partners):
                result[row] = nearest_km(self.lat[partners], self.lon[partners], lat_c, lon_c)
        return result

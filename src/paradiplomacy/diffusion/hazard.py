"""Discrete-time event-history model of adoption: a logit of the yearly hazard (statsmodels).

The person-period frame has one row per government and year at risk: from the first year of the
window until the year it adopts (event = 1) or the window ends (censored). Governments that adopted
before the window are left out; undated adopters are left out too (their year at risk of adoption is
unknown) and counted in the fit statistics. Covariates (all computed from the registry):

- ``lg_type``: dummies of the government type (reference: the most common type);
- ``log_population``: log of the gazetteer population (prefectures: the sum of their municipalities,
  see :mod:`.population`; missing values: the median of the type);
- ``region``: dummies of the eight conventional regions (reference: the most common), from the code;
- ``neighbours``, ``prefecture``, ``ties``: the share of the government's peers in that layer (see
  :mod:`.peers`) that had adopted by the end of the previous year;
- ``year``: a linear trend (years since the window's first year);
- ``prefecture_fe``: one dummy per prefecture (optional, many terms);
- events: named national or foreign events, each a dummy equal to 1 from its year on.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from paradiplomacy.diffusion.data import DiffusionData, DiffusionError
from paradiplomacy.diffusion.peers import LAYERS, PeerNetwork
from paradiplomacy.diffusion.plotting import save_cumulative_plot

__all__ = ["COVARIATES", "DEFAULT_COVARIATES", "HazardResult", "fit_hazard", "person_periods", "region_of"]

COVARIATES = ("lg_type", "log_population", "region", *LAYERS, "year", "prefecture_fe")

#: The conventional eight regions by the first two digits of the local-government code (JIS X 0401
#: prefecture numbers); Mie (24) is placed in Kinki, as in the traditional division.
REGIONS = (
    (1, 1, "Hokkaido"),
    (2, 7, "Tohoku"),
    (8, 14, "Kanto"),
    (15, 23, "Chubu"),
    (24, 30, "Kinki"),
    (31, 35, "Chugoku"),
    (36, 39, "Shikoku"),
    (40, 47, "Kyushu"),
)


def region_of(lg_code: str | None) -> str | None:
    """The region of a Japanese local-government code (``"131016"`` -> ``"Kanto"``)."""
    if not lg_code or not lg_code[:2].isdigit():
        return None
    number = int(lg_code[:2])
    return next((name for first, last, name in REGIONS if first <= number <= last), None)


DEFAULT_COVARIATES = ("lg_type", "log_population", *LAYERS, "year")
MIN_ADOPTIONS = 5


def _static_terms(population: pd.DataFrame, covariates: tuple[str, ...]) -> pd.DataFrame:
    """Static covariate columns per government (row order of ``population``)."""
    out = pd.DataFrame(index=population.index)
    if "lg_type" in covariates:
        types = population["lg_type"].astype(str)
        reference = types.value_counts().idxmax()
        for value in sorted(set(types) - {reference}):
            out[f"type[{value}]"] = (types == value).astype(float)
    if "log_population" in covariates:
        people = population["population"].astype(float)
        people = people.fillna(people.groupby(population["lg_type"]).transform("median"))
        out["log_population"] = np.log(people.fillna(people.median()).clip(lower=1.0))
    if "region" in covariates:
        regions = population["lg_code"].map(region_of).fillna("unknown")
        reference = regions.value_counts().idxmax()
        for value in sorted(set(regions) - {reference}):
            out[f"region[{value}]"] = (regions == value).astype(float)
    if "prefecture_fe" in covariates:
        codes = population["prefecture_id"].astype("Int64").astype(str)
        for value in sorted(set(codes))[1:]:
            out[f"prefecture[{value}]"] = (codes == value).astype(float)
    return out


def person_periods(
    data: DiffusionData,
    peers: PeerNetwork,
    *,
    covariates: tuple[str, ...] = DEFAULT_COVARIATES,
    events: dict[str, int] | None = None,
) -> pd.DataFrame:
    """The person-period frame: ``actor_id, row, year, event`` plus one column per covariate term."""
    unknown = set(covariates) - set(COVARIATES)
    if unknown:
        raise DiffusionError(
            f"unknown covariates: {', '.join(sorted(unknown))}; known: {', '.join(COVARIATES)}"
        )
    population = data.population.reset_index(drop=True)
    first, last = data.years
    adopted_year = data.dated.set_index("actor_id")["year"].astype(int)
    undated = set(data.adoptions.loc[data.adoptions["eligible"] & ~data.adoptions["dated"], "actor_id"])
    year_of = population["actor_id"].map(adopted_year).to_numpy(dtype=float)  # NaN = no adoption
    static = _static_terms(population, covariates)
    layers = [name for name in LAYERS if name in covariates]
    degrees = {name: np.asarray(peers.layers[name].sum(axis=1)).ravel() for name in layers}
    founded_year = (
        population["founded"].map(lambda d: d.year if d is not None and not pd.isna(d) else -1).to_numpy()
    )
    frames = []
    for year in range(first, last + 1):
        before = np.nan_to_num(year_of, nan=np.inf) < year  # adopted by end of year - 1
        at_risk = ~before & ~population["actor_id"].isin(undated).to_numpy()
        at_risk &= founded_year <= year
        rows = np.flatnonzero(at_risk)
        frame = pd.DataFrame(
            {
                "actor_id": population["actor_id"].to_numpy()[rows],
                "row": rows,
                "year": year,
                "event": (year_of[rows] == year).astype(int),
            }
        )
        for name in layers:
            counts = peers.layers[name] @ before.astype(float)
            with np.errstate(divide="ignore", invalid="ignore"):
                share = np.where(degrees[name] > 0, counts / degrees[name], 0.0)
            frame[name] = share[rows]
        if "year" in covariates:
            frame["year_trend"] = float(year - first)
        for name, when in (events or {}).items():
            frame[f"event[{name}]"] = float(year >= when)
        frames.append(pd.concat([frame, static.iloc[rows].reset_index(drop=True)], axis=1))
    return pd.concat(frames, ignore_index=True)


@dataclass
class HazardResult:
    """A fitted hazard model: coefficients, fit statistics and observed vs fitted cumulative adoption."""

    policy: str
    coefficients: pd.DataFrame
    stats: dict[str, Any]
    curve: pd.DataFrame
    terms: list[str]
    periods: pd.DataFrame = field(repr=False)
    static: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """Coefficients with standard errors, z, p and odds ratios."""
        return self.coefficients.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON output."""
        return {
            "policy": self.policy,
            "stats": self.stats,
            "coefficients": self.coefficients.to_dict("records"),
            "curve": self.curve.to_dict("records"),
        }

    def coefficient(self, term: str) -> float:
        """One coefficient (0 when the term is not in the model)."""
        table = self.coefficients.set_index("term")["coef"]
        return float(table.get(term, 0.0))

    def plot(self, path: str | Path) -> Path:
        """Observed vs fitted cumulative adoption as an image (PNG/SVG by suffix)."""

        def draw(axis: Any) -> None:
            axis.step(self.curve["year"], self.curve["observed"], where="post", label="observed (records)")
            axis.plot(self.curve["year"], self.curve["fitted"], marker="o", ms=3, label="fitted (computed)")

        return save_cumulative_plot(path, f"{self.policy}: discrete-time hazard model", draw)


def fit_hazard(
    data: DiffusionData,
    peers: PeerNetwork,
    *,
    covariates: tuple[str, ...] = DEFAULT_COVARIATES,
    events: dict[str, int] | None = None,
) -> HazardResult:
    """Fit the logit hazard of adoption; raise :class:`DiffusionError` when there is nothing to fit."""
    import statsmodels.api as sm

    periods = person_periods(data, peers, covariates=covariates, events=events)
    events_total = int(periods["event"].sum())
    if events_total < MIN_ADOPTIONS or events_total == len(periods):
        raise DiffusionError(
            f"{data.policy}: {events_total} dated adoptions in {len(periods)} "
            f"government-years; a hazard model needs at least {MIN_ADOPTIONS} "
            "adoptions and some non-adoptions"
        )
    candidates = [c for c in periods.columns if c not in ("actor_id", "row", "year", "event")]
    terms = [c for c in candidates if periods[c].nunique() > 1]
    design = sm.add_constant(periods[terms].astype(float), has_constant="add")
    model = sm.GLM(periods["event"].astype(float), design, family=sm.families.Binomial())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fitted = model.fit()
    notes = sorted({str(w.message).splitlines()[0] for w in caught})
    if events_total < 10 * len(terms):
        notes.append(
            f"{events_total} adoptions for {len(terms)} terms (fewer than 10 per term): estimates are fragile"
        )
    if (fitted.bse > 100).any():
        notes.append("some standard errors exceed 100: (quasi-)separation, drop those terms")
    null = sm.GLM(
        periods["event"].astype(float), np.ones((len(periods), 1)), family=sm.families.Binomial()
    ).fit()
    table = pd.DataFrame(
        {
            "term": fitted.params.index,
            "coef": fitted.params.to_numpy(),
            "se": fitted.bse.to_numpy(),
            "z": fitted.tvalues.to_numpy(),
            "p": fitted.pvalues.to_numpy(),
        }
    )
    table["odds_ratio"] = np.exp(table["coef"])
    periods = periods.assign(hazard=fitted.predict(design))
    before = int(data.curve.attrs.get("adopted_before_window", 0))
    by_year = periods.groupby("year").agg(observed=("event", "sum"), fitted=("hazard", "sum"))
    curve = pd.DataFrame(
        {
            "year": by_year.index,
            "observed": before + by_year["observed"].cumsum(),
            "fitted": before + by_year["fitted"].cumsum(),
        }
    ).reset_index(drop=True)
    undated = int((data.adoptions["eligible"] & ~data.adoptions["dated"]).sum())
    stats = {
        "government_years": len(periods),
        "adoptions": events_total,
        "governments": int(periods["actor_id"].nunique()),
        "undated_left_out": undated,
        "log_likelihood": float(fitted.llf),
        "null_log_likelihood": float(null.llf),
        "pseudo_r2": float(1 - fitted.llf / null.llf) if null.llf else float("nan"),
        "aic": float(fitted.aic),
        "bic": float(-2 * fitted.llf + np.log(len(periods)) * len(table)),
        "dropped_constant_terms": sorted(set(candidates) - set(terms)),
        "warnings": notes,
        "years": list(data.years),
    }
    static = _static_terms(data.population.reset_index(drop=True), covariates)
    return HazardResult(
        policy=data.policy,
        coefficients=table,
        stats=stats,
        curve=curve,
        terms=terms,
        periods=periods,
        static=static,
    )

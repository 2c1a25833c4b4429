"""Diffusion of policies and norms among local governments: data, hazard models, inference, simulation.

Modules, one job each:

- :mod:`.population` — which governments could adopt at a date (the risk set);
- :mod:`.data` — adoption records of a policy with the eligible population per year, and the papers'
  published figures beside the records;
- :mod:`.peers` — the peer networks (geographic neighbours, same prefecture, ties);
- :mod:`.hazard` — discrete-time event-history (logit hazard) models;
- :mod:`.inference` — NetInf-style inference of who learned from whom;
- :mod:`.engine` — vectorised Monte Carlo models (threshold, cascade, Bass, fitted);
- :mod:`.simulate` — simulations of a registry policy, scenarios and bands against the observed curve;
- :mod:`.backends` — where Monte Carlo chunks run (in process, or a dask cluster).

Heavy libraries (statsmodels, dask, matplotlib, scipy) are imported inside the functions that need them.
"""

from __future__ import annotations

from paradiplomacy.diffusion.data import DiffusionData, diffusion_data, published_vs_records
from paradiplomacy.diffusion.population import eligible_governments

__all__ = ["DiffusionData", "diffusion_data", "eligible_governments", "published_vs_records"]

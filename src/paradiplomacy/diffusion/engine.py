"""The vectorised Monte Carlo engine: many runs of one adoption model as columns of one matrix.

State is a boolean ``(n, runs)`` matrix; one step is one sparse product ``A @ X`` for the count of
adopted peers, plus elementwise draws — no Python loop over agents or runs. Models:

- :class:`LinearThreshold` — adopt when ``q * share of adopted peers >= threshold`` (thresholds uniform
  on [0, 1] per run, or fixed), plus spontaneous adoption with probability ``p`` per step. With
  ``p = 0``, ``q = 1`` and fixed thresholds it is NDlib's ``ThresholdModel`` step for step.
- :class:`IndependentCascade` — each peer that adopted in the previous step converts with probability
  ``q`` once; plus spontaneous ``p``.
- :class:`NetworkBass` — adoption probability ``p + q * share of adopted peers`` per step.
- :class:`LogitHazard` — the fitted discrete-time hazard: ``logit P = base + trend * step +
  sum(beta_layer * share in layer)`` (see :mod:`.hazard`).

Every model accepts ``blocked`` rows (never adopt), ``scheduled`` adoptions (row, step) and a
per-step ``multiplier`` of adoption probability (a national event); a model's random draws come only
from the generator passed in, so a seed fixes a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "IndependentCascade",
    "LinearThreshold",
    "LogitHazard",
    "Model",
    "NetworkBass",
    "Schedule",
    "adoption_curves",
    "run_model",
]


@dataclass
class Schedule:
    """Interventions: rows that never adopt, forced adoptions and event multipliers per step."""

    blocked: np.ndarray | None = None  # bool (n,)
    scheduled: list[tuple[int, int]] = field(default_factory=list)  # (row, step) forced adoptions
    multiplier: dict[int, float] = field(default_factory=dict)  # step -> factor on probability


@dataclass
class Model:
    """Base of the models: a peer matrix (0/1, n x n) and the spontaneous rate ``p``."""

    adjacency: Any
    p: float = 0.0
    q: float = 0.0

    def __post_init__(self) -> None:
        self.adjacency = self.adjacency.tocsr().astype(np.float32)  # exact counts, half the traffic
        self.degree = np.asarray(self.adjacency.sum(axis=1), dtype=np.float64).ravel()

    @property
    def size(self) -> int:
        """Number of agents."""
        return self.adjacency.shape[0]

    def prepare(self, runs: int, rng: np.random.Generator) -> None:
        """Draw per-run parameters (thresholds) before the first step."""

    def share(self, adopted: np.ndarray) -> np.ndarray:
        """Share of each agent's peers that adopted (0 for isolates), per run."""
        counts = self.adjacency @ adopted.astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = counts / self.degree[:, None]
        out[self.degree == 0] = 0.0
        return out

    def propose(
        self, step: int, adopted: np.ndarray, fresh: np.ndarray, factor: float, rng: np.random.Generator
    ) -> np.ndarray:
        """Agents that adopt at ``step`` (before masking those already adopted or blocked)."""
        raise NotImplementedError


def _draw(probability: np.ndarray | float, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    return rng.random(shape) < probability


@dataclass
class LinearThreshold(Model):
    """Linear threshold with spontaneous adoption; ``q`` weighs peer influence (1 = classic)."""

    q: float = 1.0
    thresholds: np.ndarray | None = None

    def prepare(self, runs: int, rng: np.random.Generator) -> None:
        """Fixed thresholds are shared by all runs; otherwise each run draws its own."""
        if self.thresholds is not None:
            self._theta = np.broadcast_to(np.asarray(self.thresholds, float)[:, None], (self.size, runs))
        else:
            self._theta = rng.random((self.size, runs))

    def propose(
        self, step: int, adopted: np.ndarray, fresh: np.ndarray, factor: float, rng: np.random.Generator
    ) -> np.ndarray:
        """Threshold crossings, plus spontaneous adopters."""
        counts = self.adjacency @ adopted.astype(np.float32)
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = counts / self.degree[:, None]  # the same division NDlib does; 0/0 = NaN
            crossed = (ratio if self.q == 1.0 else self.q * ratio) >= self._theta  # NaN: isolates never
        if self.p > 0:
            crossed |= _draw(min(1.0, self.p * factor), adopted.shape, rng)
        return crossed


@dataclass
class IndependentCascade(Model):
    """Independent cascade: one chance per new adopter and peer, probability ``q``."""

    def propose(
        self, step: int, adopted: np.ndarray, fresh: np.ndarray, factor: float, rng: np.random.Generator
    ) -> np.ndarray:
        """Conversions by last step's adopters, plus spontaneous adopters."""
        exposures = self.adjacency @ fresh.astype(np.float32)
        probability = 1.0 - (1.0 - self.q) ** exposures
        probability = 1.0 - (1.0 - probability) * (1.0 - self.p)
        return _draw(np.minimum(1.0, probability * factor), adopted.shape, rng)


@dataclass
class NetworkBass(Model):
    """Bass diffusion on a network: innovation ``p`` plus imitation ``q`` times the adopted share."""

    def propose(
        self, step: int, adopted: np.ndarray, fresh: np.ndarray, factor: float, rng: np.random.Generator
    ) -> np.ndarray:
        """Draws against ``p + q * share``."""
        probability = np.minimum(1.0, (self.p + self.q * self.share(adopted)) * factor)
        return _draw(probability, adopted.shape, rng)


@dataclass
class LogitHazard(Model):
    """A fitted discrete-time logit hazard with static and peer-share terms.

    ``base`` (n,) holds the intercept and static covariate terms, ``trend`` the coefficient of the step
    (``start_value + step``), ``layers`` the peer matrices and ``betas`` their coefficients.
    """

    base: np.ndarray = field(default_factory=lambda: np.zeros(0))
    trend: float = 0.0
    start_value: float = 0.0
    layers: list[Any] = field(default_factory=list)
    betas: list[float] = field(default_factory=list)
    offsets: dict[int, float] = field(default_factory=dict)  # step -> added to the logit (events)

    def __post_init__(self) -> None:
        super().__post_init__()
        self.layers = [m.tocsr().astype(np.float32) for m in self.layers]
        self._degrees = [np.asarray(m.sum(axis=1), dtype=np.float64).ravel() for m in self.layers]

    def propose(
        self, step: int, adopted: np.ndarray, fresh: np.ndarray, factor: float, rng: np.random.Generator
    ) -> np.ndarray:
        """Draws against the logistic hazard of the step, given last step's peer shares."""
        eta = np.repeat(self.base[:, None], adopted.shape[1], axis=1)
        eta += self.trend * (self.start_value + step) + self.offsets.get(step, 0.0)
        x = adopted.astype(np.float32)
        for matrix, degree, beta in zip(self.layers, self._degrees, self.betas, strict=True):
            with np.errstate(divide="ignore", invalid="ignore"):
                share = (matrix @ x) / degree[:, None]
            share[degree == 0] = 0.0
            eta += beta * share
        probability = np.minimum(1.0, factor / (1.0 + np.exp(-eta)))
        return _draw(probability, adopted.shape, rng)


def run_model(
    model: Model,
    *,
    steps: int,
    runs: int,
    initial: np.ndarray | None = None,
    schedule: Schedule | None = None,
    seed: int | np.random.SeedSequence | None = None,
) -> np.ndarray:
    """Adoption step of every agent in every run: an ``(n, runs)`` int array, -1 = never adopted.

    Step 0 is the initial state (``initial`` bool (n,), the adopters before the first step).
    """
    rng = np.random.default_rng(seed)
    schedule = schedule or Schedule()
    n = model.size
    adopted = np.zeros((n, runs), dtype=bool)
    if initial is not None:
        adopted[np.asarray(initial, bool)] = True
    blocked = np.zeros(n, bool) if schedule.blocked is None else np.asarray(schedule.blocked, bool)
    adopted[blocked] = False
    times = np.where(adopted, 0, -1).astype(np.int32)
    forced: dict[int, list[int]] = {}
    for row, step in schedule.scheduled:
        forced.setdefault(step, []).append(row)
    model.prepare(runs, rng)
    fresh = adopted.copy()
    for step in range(1, steps + 1):
        new = model.propose(step, adopted, fresh, schedule.multiplier.get(step, 1.0), rng)
        if step in forced:
            new[forced[step]] = True
        new &= ~adopted
        new[blocked] = False
        adopted |= new
        times[new] = step
        fresh = new
    return times


def adoption_curves(times: np.ndarray, steps: int) -> np.ndarray:
    """Cumulative adopters per run and step: ``(runs, steps + 1)`` from an adoption-time matrix."""
    counts = np.zeros((times.shape[1], steps + 1), dtype=np.int64)
    for step in range(steps + 1):
        counts[:, step] = ((times >= 0) & (times <= step)).sum(axis=0)
    return counts

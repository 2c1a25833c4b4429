"""The one figure layout of diffusion results: cumulative adopters by year, saved by suffix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


def save_cumulative_plot(path: str | Path, title: str, draw: Callable[[Any], None]) -> Path:
    """Draw on a fresh cumulative-adopters axis with ``draw(axis)``, label it and save it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(7, 4))
    draw(axis)
    axis.set_xlabel("year")
    axis.set_ylabel("cumulative adopters")
    axis.set_title(title)
    axis.legend()
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path)
    plt.close(figure)
    return path

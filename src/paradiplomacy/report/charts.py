"""Charts of the report, drawn with matplotlib and returned as inline SVG text (no files, no
network), and a world map of ties shaded on the country shapes bundled with ``pygal_maps_world``."""

from __future__ import annotations

import importlib.util
import io
import re
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["bar_chart", "series_chart", "world_map"]

_COLOURS = {"US": "#1f77b4", "CN": "#d62728", "KR": "#2ca02c", "all": "#333333"}
plt.rcParams.update({"font.size": 11, "axes.titlesize": 13, "svg.fonttype": "none",
                     "font.family": ["DejaVu Sans", "sans-serif"]})


def _svg(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def series_chart(series: pd.DataFrame, *, title: str, countries: list[str] | None = None) -> str:
    """Published (solid) and recorded (dashed) cumulative affiliations per country, log scale."""
    countries = countries or ["US", "CN", "KR", "all"]
    figure, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for country in countries:
        part = series[series["partner_country"] == country].sort_values("fiscal_year")
        colour = _COLOURS.get(country)
        published = part.dropna(subset=["published"])
        if not published.empty:
            axes[0].plot(published["fiscal_year"], published["published"], marker="o",
                         label=country, color=colour)
        axes[1].plot(part["fiscal_year"], part["records"], marker="s", linestyle="--",
                     label=country, color=colour)
    axes[0].set_title("Published (Menju, Tables 2-3)")
    axes[1].set_title("Computed from tie records")
    for axis in axes:
        axis.set_xlabel("fiscal year (end)")
        axis.set_ylabel("affiliations in force")
        axis.grid(alpha=0.3)
        axis.legend(frameon=False)
    figure.suptitle(title)
    return _svg(figure)


def bar_chart(frame: pd.DataFrame, *, label: str, value: str, title: str,
              compare: str | None = None) -> str:
    """Horizontal bars of ``value`` (and ``compare`` beside it, if given) per ``label``."""
    frame = frame.iloc[::-1]
    height = max(2.2, 0.42 * len(frame) + 1.2)
    figure, axis = plt.subplots(figsize=(8, height))
    positions = range(len(frame))
    if compare:
        axis.barh([p + 0.2 for p in positions], frame[compare].fillna(0), height=0.4,
                  color="#bbbbbb", label=compare)
        axis.barh([p - 0.2 for p in positions], frame[value].fillna(0), height=0.4,
                  color="#1f77b4", label=value)
        axis.legend(frameon=False)
    else:
        axis.barh(list(positions), frame[value].fillna(0), color="#1f77b4")
    axis.set_yticks(list(positions), [str(v) for v in frame[label]])
    axis.set_title(title)
    axis.grid(axis="x", alpha=0.3)
    return _svg(figure)


@lru_cache(maxsize=1)
def _world_svg() -> str:
    spec = importlib.util.find_spec("pygal_maps_world")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("pygal_maps_world is not installed: pip install pygal_maps_world")
    return (Path(spec.submodule_search_locations[0]) / "worldmap.svg").read_text(encoding="utf-8")


def world_map(counts: dict[str, int], *, home: str | None = "JP", title: str = "") -> str:
    """The world's countries shaded by ``counts`` (ISO alpha-2 -> ties), ``home`` outlined in red.

    Geometry: the Natural-Earth-derived country outlines that ``pygal_maps_world`` ships, so the map
    needs no network when built or viewed.
    """
    svg = _world_svg()
    top = max(counts.values(), default=0) or 1
    rules = [".country{fill:#eeeeee;stroke:#999999;stroke-width:0.4}"]
    for code, count in counts.items():
        if count > 0 and re.fullmatch(r"[A-Z]{2}", code):
            shade = 0.25 + 0.75 * (count / top) ** 0.5
            rules.append(f".{code.lower()}{{fill:rgba(31,119,180,{shade:.2f})}}")
    if home:
        rules.append(f".{home.lower()}{{fill:#ffdddd;stroke:#d62728;stroke-width:1.5}}")
    style = "<style>" + "".join(rules) + "</style>"
    body = svg[svg.index(">", svg.index("<svg")) + 1:]
    legend = (f'<text x="20" y="1360" font-size="34" fill="#333">{title} - darker = more ties '
              f'(max {top}); red outline = {home or "none"}</text>') if title else ""
    return ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2475 1388" '
            'style="width:100%;height:auto">' + style + body.replace("</svg>", legend + "</svg>"))

"""Charts of the report, drawn with matplotlib for print: sized for an A4 column (7 in wide), labelled
axes, a title that says what is counted. Charts are inline SVG text; the map is an inline PNG (its
background holds every place of the registry). No files, no network.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["bar_chart", "great_circle", "series_chart", "tie_map"]

WIDTH = 7.0  # inches: the text width of an A4 page with 14 mm margins
_BLUE, _GREY = "#1f5f99", "#b8b8b8"
_COLOURS = {"US": "#1f77b4", "CN": "#e07b00", "KR": "#2ca02c", "all": "#333333"}
_NAMES = {"US": "United States", "CN": "China", "KR": "South Korea", "all": "All countries"}


def _fonts() -> list[str]:
    """DejaVu Sans, then a Japanese font when one is installed (no warning for a missing one)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in ("DejaVu Sans", "IPAGothic", "IPAexGothic", "Noto Sans CJK JP") if f in installed] or [
        "sans-serif"
    ]


plt.rcParams.update(
    {
        "font.size": 9,
        "axes.titlesize": 10,
        "axes.labelsize": 9,
        "svg.fonttype": "none",
        "axes.spines.top": False,
        "axes.spines.right": False,
        "font.family": _fonts(),
    }
)


def _svg(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def series_chart(series: pd.DataFrame, *, countries: list[str] | None = None) -> str:
    """Cumulative affiliations per partner country as published (Menju, Tables 2-3), log scale."""
    countries = countries or ["all", "US", "CN", "KR"]
    figure, axis = plt.subplots(figsize=(WIDTH, 3.0))
    for country in countries:
        part = series[series["partner_country"] == country].dropna(subset=["published"])
        part = part[part["published"] > 0]  # log scale: a country's series starts at its first tie
        part = part.sort_values("fiscal_year")
        if part.empty:
            continue
        axis.plot(
            part["fiscal_year"],
            part["published"],
            marker="o",
            markersize=3,
            label=_NAMES.get(country, country),
            color=_COLOURS.get(country),
        )
        last = part.iloc[-1]
        axis.annotate(
            f"{int(last['published']):,}",
            (last["fiscal_year"], last["published"]),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axis.set_yscale("log")
    axis.set_xlabel("end of Japanese fiscal year")
    axis.set_ylabel("affiliations in force (log scale)")
    axis.set_title("Sister affiliations of Japanese local governments, by partner country")
    axis.grid(alpha=0.3, which="both", axis="y")
    axis.legend(frameon=False, ncols=2, loc="lower right")
    return _svg(figure)


def bar_chart(
    frame: pd.DataFrame,
    *,
    label: str,
    value: str,
    title: str,
    xlabel: str,
    percent_of: float | None = None,
    percent: bool = False,
) -> str:
    """Horizontal bars of ``value`` per ``label``, largest at the top, each with its count (and
    its share of ``percent_of``, when given; or the value as a percentage when ``percent``)
    printed at the end of the bar."""
    frame = frame.iloc[::-1]
    height = max(1.6, 0.24 * len(frame) + 0.8)
    figure, axis = plt.subplots(figsize=(WIDTH, height))
    values = frame[value].fillna(0).astype(float).to_numpy()
    positions = np.arange(len(frame))
    axis.barh(positions, values, color=_BLUE, height=0.7)
    axis.set_yticks(positions, [str(v) for v in frame[label]])
    top = values.max() if len(values) else 1
    for y, v in zip(positions, values, strict=True):
        text = (
            f"{100 * v:.0f}%"
            if percent
            else f"{v:,.0f}" + (f" ({100 * v / percent_of:.0f}%)" if percent_of else "")
        )
        axis.text(v + top * 0.01, float(y), text, va="center", fontsize=8)
    axis.set_xlim(0, top * 1.15 if top else 1)
    if percent:
        axis.xaxis.set_major_formatter(lambda x, _pos: f"{100 * x:.0f}%")
    axis.set_xlabel(xlabel)
    axis.set_title(title, loc="left")
    axis.grid(axis="x", alpha=0.3)
    axis.tick_params(axis="y", length=0)
    return _svg(figure)


def great_circle(
    lat0: float, lon0: float, lat1: float, lon1: float, points: int = 48
) -> tuple[np.ndarray, np.ndarray]:
    """Latitudes and longitudes along the great circle from one point to another.

    >>> lat, lon = great_circle(0, 0, 0, 90, points=3)
    >>> [round(float(x)) for x in lon]
    [0, 45, 90]
    """
    a = np.radians([lat0, lon0])
    b = np.radians([lat1, lon1])
    va = np.array([np.cos(a[0]) * np.cos(a[1]), np.cos(a[0]) * np.sin(a[1]), np.sin(a[0])])
    vb = np.array([np.cos(b[0]) * np.cos(b[1]), np.cos(b[0]) * np.sin(b[1]), np.sin(b[0])])
    omega = np.arccos(np.clip(va @ vb, -1.0, 1.0))
    t = np.linspace(0.0, 1.0, points)[:, None]
    if omega < 1e-9:
        path = np.repeat(va[None, :], points, axis=0)
    else:
        path = (np.sin((1 - t) * omega) * va + np.sin(t * omega) * vb) / np.sin(omega)
    lat = np.degrees(np.arcsin(np.clip(path[:, 2], -1, 1)))
    lon = np.degrees(np.arctan2(path[:, 1], path[:, 0]))
    return lat, lon


def _shift(lon: np.ndarray, centre: float) -> np.ndarray:
    """Longitudes relative to ``centre`` in [-180, 180)."""
    return (np.asarray(lon) - centre + 180.0) % 360.0 - 180.0


def tie_map(
    lines: pd.DataFrame,
    background: pd.DataFrame,
    *,
    centre: float = 150.0,
    highlight: tuple[str, ...] = ("US", "CN", "KR"),
) -> str:
    """A world map of ties as great-circle lines from Japan, as a PNG ``data:`` URI.

    The land is drawn from ``background`` (every place of the registry with coordinates: GeoNames
    cities and Japanese municipalities), so no coastline file is needed; the map is centred on the
    Pacific (``centre`` degrees east) so that lines to the Americas do not wrap."""
    figure, axis = plt.subplots(figsize=(WIDTH, 3.6), dpi=220)
    axis.scatter(
        _shift(background["lon"], centre),
        background["lat"],
        s=0.08,
        c="#bdbdbd",
        linewidths=0,
        rasterized=True,
    )
    colours = {c: _COLOURS[c] for c in highlight if c in _COLOURS}
    # other countries first, so the short lines to China and Korea stay visible on top
    ordered = sorted(lines.itertuples(index=False), key=lambda r: r.country in colours)
    for row in ordered:
        lat, lon = great_circle(row.lat0, row.lon0, row.lat1, row.lon1)
        x = _shift(lon, centre)
        jumps = np.where(np.abs(np.diff(x)) > 180)[0] + 1
        colour = colours.get(row.country, "#7a5195")
        near = row.country in ("CN", "KR")
        for seg_x, seg_y in zip(np.split(x, jumps), np.split(lat, jumps), strict=True):
            axis.plot(
                seg_x,
                seg_y,
                color=colour,
                linewidth=0.8 if near else 0.35,
                alpha=0.6 if near else 0.35,
                zorder=2 if near else 1,
            )
    if not lines.empty:
        axis.scatter(_shift(lines["lon1"], centre), lines["lat1"], s=1.5, c="#222222", zorder=3, linewidths=0)
        axis.scatter(_shift(lines["lon0"], centre), lines["lat0"], s=1.5, c="#b3001b", zorder=3, linewidths=0)
    handles = [plt.Line2D([], [], color=c, linewidth=1.5, label=_NAMES[k]) for k, c in colours.items()]
    handles.append(plt.Line2D([], [], color="#7a5195", linewidth=1.5, label="other countries"))
    axis.legend(handles=handles, loc="lower left", frameon=False, fontsize=7)
    axis.set_xlim(-180, 180)
    axis.set_ylim(-50, 75)
    axis.set_aspect("equal")
    axis.axis("off")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight", pad_inches=0.02)
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

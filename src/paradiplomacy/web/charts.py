"""Small SVG charts drawn on the server (no script, no CDN): cumulative adoption curves and bands."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = ["Series", "line_chart"]

COLOURS = ("#1f4e79", "#c0392b", "#2e7d32", "#8e44ad", "#d35400")


@dataclass
class Series:
    """One line: ``step`` draws a staircase (observed counts), ``band`` fills between ``ys`` and
    ``upper``."""

    name: str
    xs: Sequence[float]
    ys: Sequence[float | None]
    style: str = "line"
    upper: Sequence[float | None] | None = None


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``low``..``high``."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 5, 10) if raw <= m * step)
    first = math.ceil(low / step) * step
    return [first + i * step for i in range(int((high - first) / step) + 1)]


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e6 else f"{value:.3g}"


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    width: int = 640,
    height: int = 320,
    empty: str = "nothing to draw",
) -> Markup:
    """An SVG chart of ``series`` with axes, ticks and a legend; text (given in the page's language:
    ``title``, the labels, series names and ``empty``, shown when there is no point) is escaped."""
    points = [(x, y) for s in series for x, y in zip(s.xs, s.ys, strict=True) if _finite(y)]
    points += [
        (x, y)
        for s in series
        if s.upper is not None
        for x, y in zip(s.xs, s.upper, strict=True)
        if _finite(y)
    ]
    if not points:
        return Markup('<p class="muted">{}</p>').format(empty)
    left, right, top, bottom = 56, 16, 28, 44
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = 0.0, max(max(p[1] for p in points), 1e-9)
    x1 = x1 if x1 > x0 else x0 + 1

    def sx(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def sy(y: float) -> float:
        return height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}">',
        f'<text x="{left}" y="16" class="chart-title">{escape(title)}</text>',
    ]
    for tick in _ticks(y0, y1):
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{sy(tick):.1f}" y2="{sy(tick):.1f}" '
            'stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{sy(tick) + 4:.1f}" text-anchor="end">'
            f"{_number(tick)}</text>"
        )
    for tick in _ticks(x0, x1, 8):
        parts.append(
            f'<text x="{sx(tick):.1f}" y="{height - bottom + 16}" text-anchor="middle">{_number(tick)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{width - right}" y1="{height - bottom}" '
        f'y2="{height - bottom}" stroke="#555"/>'
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{height - bottom}" stroke="#555"/>'
        f'<text x="{(left + width - right) / 2}" y="{height - 6}" text-anchor="middle">'
        f"{escape(x_label)}</text>"
        f'<text transform="translate(14 {(top + height - bottom) / 2}) rotate(-90)" '
        f'text-anchor="middle">{escape(y_label)}</text>'
    )
    for number, line in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        parts.append(_path(line, colour, sx, sy))
        parts.append(
            f'<rect x="{width - right - 190}" y="{top + 4 + 16 * number}" width="12" '
            f'height="4" fill="{colour}"/><text x="{width - right - 172}" '
            f'y="{top + 10 + 16 * number}">{escape(line.name)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _finite(value: float | None) -> bool:
    return value is not None and math.isfinite(value)


def _path(line: Series, colour: str, sx, sy) -> str:
    pairs = [(x, y) for x, y in zip(line.xs, line.ys, strict=True) if _finite(y)]
    if line.style == "band" and line.upper is not None:
        uppers = [(x, y) for x, y in zip(line.xs, line.upper, strict=True) if _finite(y)]
        outline = pairs + list(reversed(uppers))
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in outline)
        return f'<polygon points="{coords}" fill="{colour}" fill-opacity="0.25" stroke="none"/>'
    if line.style == "step":
        steps: list[tuple[float, float]] = []
        for i, (x, y) in enumerate(pairs):
            if i:
                steps.append((x, pairs[i - 1][1]))
            steps.append((x, y))
        pairs = steps
    coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in pairs)
    return f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>'

"""Terminal rendering of library results (tables and panels); no logic beyond layout."""

from __future__ import annotations

import math
from typing import Any

from rich.panel import Panel
from rich.table import Table

from paradiplomacy.cli.options import console
from paradiplomacy.model.text import terminal as t


def _sources(items: list[str]) -> str:
    return "; ".join(t(item) for item in items)


def render_profile(p: dict[str, Any]) -> None:
    """Print an actor profile (every stored text escaped: names may hold markup or escapes)."""
    lines = [f"[bold]{t(p['name_en'] or '')}[/bold] {t(p['name_ja'] or '')} "
             f"{t(p['name_kana'] or '')}",
             f"key {t(p['key'])}   kind {t(p['lg_type'] or p['kind'])}   "
             f"country {t(p['country'] or '-')}"]
    if p["lg_code"]:
        lines.append(f"local-government code {t(p['lg_code'])}")
    if p["parent"]:
        lines.append(f"part of {t(p['parent']['name'])}")
    if p["population"]:
        year = f" ({p['population_year']})" if p["population_year"] else ""
        lines.append(f"population {p['population']:,}{year}")
    if p["lat"] is not None:
        lines.append(f"coordinates {p['lat']:.4f}, {p['lon']:.4f}")
    lines.append(f"also known as: {', '.join(t(n) for n in p['names'][:12])}")
    lines.append(f"sources: {_sources(p['sources'])}")
    console.print(Panel("\n".join(lines), title="actor", expand=False), highlight=False)
    sections = [
        ("ties", p["ties"], ("kind", "other", "role", "start", "end", "status")),
        ("overseas offices", p["offices"], ("name", "city", "model", "opened", "closed", "functions")),
        ("strategies", p["strategies"], ("title", "adopted", "pillars")),
        ("budget lines", p["budgets"], ("fiscal_year", "category", "amount", "currency")),
        ("programmes", p["programmes"], ("name", "kind", "start", "end")),
        ("policy adoptions", p["adoptions"], ("policy", "date")),
        ("coalitions", p["coalitions"], ("name", "role")),
    ]
    for title, rows, fields in sections:
        if rows:
            console.print(_table(title, rows, fields))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return t(value.get("name", ""))
    if isinstance(value, list):
        return ", ".join(t(v) for v in value)
    if isinstance(value, float):
        return f"{value:,.0f}" if math.isfinite(value) else str(value)
    return t(value)


def _table(title: str, rows: list[dict[str, Any]], fields: tuple[str, ...]) -> Table:
    table = Table(*fields, "sources", title=title, title_justify="left", highlight=False)
    for row in rows:
        table.add_row(*(_cell(row.get(f)) for f in fields), _sources(row["sources"]))
    return table

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
        lines.append(f"local-government code {p['lg_code']}")
    if len(p.get("codes") or []) > 1 or (p.get("codes") and not p["lg_code"]):
        lines.append("codes: " + ", ".join(_period(c) for c in p["codes"]))
    if p.get("dissolved"):
        lines.append(f"[bold]former municipality[/bold], ended {p['dissolved']}")
    for heir in p.get("successors") or []:
        lines.append(f"  succeeded by {t(heir['name'])} {heir['lg_code'] or ''} on {heir['date']} "
                     f"({change_label(heir)})")
    if p["parent"]:
        lines.append(f"part of {t(p['parent']['name'])}")
    if p["population"]:
        year = f" ({p['population_year']})" if p["population_year"] else ""
        lines.append(f"population {p['population']:,}{year}")
    if p["lat"] is not None:
        lines.append(f"coordinates {p['lat']:.4f}, {p['lon']:.4f}")
    lines.append(f"also known as: {', '.join(t(n) for n in p['names'][:12])}")
    lines.append(f"sources: {_sources(p['sources'])}")
    console.print(Panel("\n".join(lines), title="actor", expand=False))
    if p.get("predecessors"):
        console.print(_predecessor_table(p["predecessors"]))
    ties = [{**tie, "via": via_label(tie)} for tie in p["ties"]]
    tie_fields = ("kind", "other", "role", "start", "end", "status")
    if any(tie["via"] for tie in ties):
        tie_fields = (*tie_fields, "via")
    sections = [
        ("ties", ties, tie_fields),
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


def change_label(step: dict[str, Any]) -> str:
    """A change as ``new merger 新設合併``."""
    kind = (step.get("change_type") or "").replace("_", " ")
    return f"{kind} {step.get('change_type_ja') or ''}".strip()


def history_label(result: dict[str, Any]) -> str:
    """A search result's history: ``ended 2003-04-01 → 静岡市 (new merger 新設合併)``."""
    if not result.get("dissolved"):
        return ""
    heirs = ", ".join(f"{h['name_ja'] or h['name']} {h['lg_code'] or ''} ({change_label(h)})"
                      for h in result.get("successors") or [])
    return f"ended {result['dissolved']} → {heirs}" if heirs else f"ended {result['dissolved']}"


def via_label(tie: dict[str, Any]) -> str:
    """``via 旧清水市, merged 2003-04-01`` for a tie held through a former municipality."""
    if not tie.get("via"):
        return ""
    text = f"via {t(tie['via'])}, merged {tie['merged']}"
    if tie.get("main_line") is False:
        text += " (counted for another successor)"
    return text


def _period(code: dict[str, Any]) -> str:
    start, until = code.get("valid_from"), code.get("valid_until")
    if until:
        return f"{code['code']} ({start or '?'} to {until})"
    return f"{code['code']} (from {start})" if start else code["code"]


def _predecessor_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("predecessor", "code", "ended", "change", "through", title="predecessors",
                  title_justify="left")
    for row in rows:
        table.add_row(t(row["name"]), row["lg_code"] or t(row["key"].split("-")[2]), row["date"],
                      t(change_label(row)), t(" → ".join(row["through"])))
    return table


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        country = value.get("country")
        return f"{t(value.get('name', ''))} ({t(country)})" if country else t(value.get("name", ""))
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

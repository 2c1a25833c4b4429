"""Rendering of library results: one table renderer for the terminal, CSV and JSON (values
formatted by :mod:`paradiplomacy.model.formatting`), and the actor profile panel; no logic beyond
layout."""

from __future__ import annotations

import csv
import json
import sys
from typing import TYPE_CHECKING, Any

import click
from rich.panel import Panel
from rich.table import Table

from paradiplomacy.cli.lang import date, heading, value
from paradiplomacy.cli.options import console
from paradiplomacy.model.formatting import is_percent, is_year, plain, text
from paradiplomacy.model.text import terminal as t

if TYPE_CHECKING:
    import pandas as pd

#: Columns that carry the meaning of a row: they fold onto several lines instead of being cut.
KEY_COLUMNS = {
    "kind",
    "sources",
    "source",
    "name",
    "actor",
    "partner",
    "other",
    "title",
    "key",
    "owner",
    "owners",
    "local government",
    "measure",
    "observation",
    "city",
    "model",
}


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of plain values (no NaN, no numpy types, integral floats
    as ints, money rounded): what ``--json`` and ``--csv`` print."""
    columns = [str(c) for c in frame.columns]
    return [
        {c: plain(v, c) for c, v in zip(columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def emit_frame(
    frame: pd.DataFrame,
    title: str,
    *,
    as_json: bool = False,
    as_csv: bool = False,
    hide: tuple[str, ...] = (),
) -> None:
    """Print ``frame`` as a terminal table (``hide``: columns left out there), JSON or CSV."""
    if as_json:
        click.echo(json.dumps(records(frame), ensure_ascii=False, indent=2, default=str))
        return
    if as_csv:
        rows = records(frame)
        writer = csv.DictWriter(sys.stdout, fieldnames=[str(c) for c in frame.columns], lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
        return
    shown = [c for c in frame.columns if str(c) not in hide]
    console.print(frame_table(frame[shown], title))
    if any(str(c) in hide for c in frame.columns):
        console.print(f"({', '.join(h for h in hide if h in frame.columns)}: --json or --csv)", style="dim")


def frame_table(frame: pd.DataFrame, title: str = "") -> Table:
    """A rich table of ``frame``: numbers right-aligned and formatted, key columns folded."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    table = Table(title=t(title) if title else None, title_justify="left")
    for column in frame.columns:
        name = str(column)
        numeric = is_numeric_dtype(frame[column]) and not is_bool_dtype(frame[column])
        table.add_column(
            t(name.replace("_", " ")),
            justify="right" if numeric and not is_year(name) else "left",
            overflow="fold",
            min_width=min(len(name), 12) if name in KEY_COLUMNS or is_percent(name) else None,
        )
    for row in frame.itertuples(index=False, name=None):
        table.add_row(*(t(text(v, str(c))) for c, v in zip(frame.columns, row, strict=True)))
    return table


def _sources(items: list[str]) -> str:
    return "; ".join(t(item) for item in items)


def render_profile(p: dict[str, Any], lang: str = "en") -> None:
    """Print an actor profile (every stored text escaped: names may hold markup or escapes), its
    names and headings in ``lang`` where both exist."""

    def h(word: str) -> str:
        return heading(word, lang)

    first, second = (p["name_ja"], p["name_en"]) if lang == "ja" else (p["name_en"], p["name_ja"])
    lines = [
        f"[bold]{t(first or second or '')}[/bold] {t(second if first else '') or ''} "
        f"{t(p['name_kana'] or '')}".rstrip(),
        f"{h('key')} {t(p['key'])}   {h('kind')} {t(value(p['lg_type'] or p['kind'], lang))}   "
        f"{h('country')} {t(p['country'] or '-')}",
    ]
    if p["lg_code"]:
        lines.append(f"{h('local-government code')} {p['lg_code']}")
    if len(p.get("codes") or []) > 1 or (p.get("codes") and not p["lg_code"]):
        lines.append(f"{h('codes')}: " + ", ".join(_period(c) for c in p["codes"]))
    if p.get("dissolved"):
        ended = f"{date(p['dissolved'], lang)} {h('ended')}" if lang == "ja" else f"ended {p['dissolved']}"
        lines.append(f"[bold]{h('former municipality')}[/bold], {ended}")
    for heir in p.get("successors") or []:
        lines.append(
            f"  {h('succeeded by')} {t(heir['name'])} {heir['lg_code'] or ''} "
            f"({heir['date']}, {t(change_label(heir, lang))})"
        )
    if p["parent"]:
        lines.append(f"{h('part of')} {t(p['parent']['name'])}")
    if p["population"]:
        year = f" ({p['population_year']})" if p["population_year"] else ""
        lines.append(f"{h('population')} {p['population']:,}{year}")
    if p["lat"] is not None:
        lines.append(f"{h('coordinates')} {p['lat']:.4f}, {p['lon']:.4f}")
    lines.append(f"{h('also known as')}: {', '.join(t(n) for n in p['names'][:12])}")
    lines.append(f"{h('sources')}: {_sources(p['sources'])}")
    console.print(Panel("\n".join(lines), title=h("actor"), expand=False))
    if p.get("predecessors"):
        console.print(_predecessor_table(p["predecessors"], lang))
    ties = [
        {
            **tie,
            "via": via_label(tie, lang),
            "kind": value(tie["kind"], lang),
            "status": value(tie["status"], lang),
        }
        for tie in p["ties"]
    ]
    tie_fields: tuple[str, ...] = ("kind", "other", "role", "start", "end", "status")
    if any(tie["via"] for tie in ties):
        tie_fields = (*tie_fields, "via")
    sections = [
        ("ties", ties, tie_fields),
        ("overseas offices", p["offices"], ("name", "city", "model", "opened", "closed", "functions")),
        (
            "overseas offices hosted here",
            [{**o, "owners": [w["name"] for w in o["owners"]]} for o in p.get("hosted_offices") or []],
            ("name", "owners", "model", "opened", "closed", "functions"),
        ),
        ("strategies", p["strategies"], ("title", "adopted", "pillars")),
        ("budget lines", p["budgets"], ("fiscal_year", "category", "amount", "currency")),
        ("programmes", p["programmes"], ("name", "kind", "start", "end")),
        ("policy adoptions", p["adoptions"], ("policy", "date")),
        ("coalitions", p["coalitions"], ("name", "role")),
    ]
    for title, rows, fields in sections:
        if rows:
            console.print(_table(title, rows, fields, lang))


def change_label(step: dict[str, Any], lang: str = "en") -> str:
    """A change as ``new merger 新設合併`` (``新設合併`` in Japanese)."""
    if lang == "ja" and step.get("change_type_ja"):
        return step["change_type_ja"]
    kind = (step.get("change_type") or "").replace("_", " ")
    return f"{kind} {step.get('change_type_ja') or ''}".strip()


def history_label(result: dict[str, Any], lang: str = "en") -> str:
    """A search result's history: ``ended 2003-04-01 → 静岡市 (new merger 新設合併)``
    (``2003-04-01 廃止 → 静岡市 (新設合併)`` in Japanese)."""
    if not result.get("dissolved"):
        return ""
    heirs = ", ".join(
        f"{h['name_ja'] or h['name']} {h['lg_code'] or ''} ({change_label(h, lang)})"
        for h in result.get("successors") or []
    )
    ended = (
        f"{result['dissolved']} {heading('ended', lang)}" if lang == "ja" else f"ended {result['dissolved']}"
    )
    return f"{ended} → {heirs}" if heirs else ended


def via_label(tie: dict[str, Any], lang: str = "en") -> str:
    """``via 旧清水市, merged 2003-04-01`` for a tie held through a former municipality."""
    if not tie.get("via"):
        return ""
    if lang == "ja":
        text = f"{t(tie['via'])}（{tie['merged']} 合併）"
        return text + ("（他の承継団体に計上）" if tie.get("main_line") is False else "")
    text = f"via {t(tie['via'])}, merged {tie['merged']}"
    if tie.get("main_line") is False:
        text += " (counted for another successor)"
    return text


def _period(code: dict[str, Any]) -> str:
    start, until = code.get("valid_from"), code.get("valid_until")
    if until:
        return f"{code['code']} ({start or '?'} to {until})"
    return f"{code['code']} (from {start})" if start else code["code"]


def _predecessor_table(rows: list[dict[str, Any]], lang: str = "en") -> Table:
    table = Table(
        *(heading(h, lang) for h in ("predecessor", "code", "ended", "change", "through")),
        title=heading("predecessors", lang),
        title_justify="left",
    )
    for row in rows:
        table.add_row(
            t(row["name"]),
            row["lg_code"] or t(row["key"].split("-")[2]),
            date(row["date"], lang),
            t(change_label(row, lang)),
            t(" → ".join(row["through"])),
        )
    return table


def _table(title: str, rows: list[dict[str, Any]], fields: tuple[str, ...], lang: str = "en") -> Table:
    table = Table(title=heading(title, lang), title_justify="left")
    for field in (*fields, "sources"):
        table.add_column(
            heading(field.replace("_", " "), lang),
            overflow="fold",
            min_width=8 if field in KEY_COLUMNS else None,
        )
    for row in rows:
        table.add_row(*(t(_cell(row.get(f), f, lang)) for f in fields), _sources(row["sources"]))
    return table


#: Profile fields holding dates, and fields holding vocabulary identifiers (one or a list).
DATE_FIELDS = frozenset({"start", "end", "opened", "closed", "adopted", "date"})
VOCABULARY_FIELDS = frozenset({"model", "functions", "pillars", "policy"})


def _cell(item: Any, field: str, lang: str) -> str:
    """One profile value in ``lang``: dates with the era year in Japanese, vocabulary as labels."""
    if field in DATE_FIELDS and isinstance(item, str):
        return date(item, lang)
    if field in VOCABULARY_FIELDS and item:
        return ", ".join(value(v, lang) for v in item) if isinstance(item, list) else value(item, lang)
    return text(item, field)

"""The report: one self-contained HTML (or PDF) document of the literature's tables recomputed from
the registry, with charts, a world map, the source of every published figure and the coverage."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import pandas as pd

from paradiplomacy import analysis
from paradiplomacy.report.charts import bar_chart, series_chart, world_map
from paradiplomacy.store.registry import Registry, RegistryError

__all__ = ["ReportError", "build_report", "render_html"]

_CSS = """
body{font-family:'DejaVu Sans',Arial,'Noto Sans CJK JP','IPAGothic',sans-serif;
max-width:1100px;margin:2em auto;color:#222;
line-height:1.45;font-size:15px;padding:0 1em}
h1{font-size:1.8em;border-bottom:2px solid #1f77b4}h2{margin-top:2em;color:#1f4e79;
border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.8em 0;font-size:13px}
th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}td{white-space:nowrap}
td.l{white-space:normal}
th{background:#eef3f8}td.l,th.l{text-align:left}
.note{color:#555;font-size:13px}.fn{color:#1f77b4;font-size:11px;vertical-align:super}
svg{max-width:100%;height:auto}.sources li{font-size:12px}
@page{size:A4;margin:14mm}
"""


class ReportError(RegistryError):
    """The report cannot be written (unknown format, PDF engine missing)."""


class _Notes:
    """Numbered footnotes: every published figure points at its citation."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def mark(self, source: Any) -> str:
        if source is None or (isinstance(source, float) and pd.isna(source)) or not source:
            return ""
        if source not in self.items:
            self.items.append(source)
        return f'<span class="fn">[{self.items.index(source) + 1}]</span>'


_PLAIN = {"year", "fiscal_year", "fiscal year", "decade"}


def _fmt(value: Any, *, percent: bool = False, plain: bool = False) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "–"
    if plain and isinstance(value, int | float):
        return str(int(value))
    if percent:
        share = 100 * float(value)
        return f"{share:.2f}%" if 0 < abs(share) < 1 else f"{share:.1f}%"
    if isinstance(value, float) and abs(value - round(value)) <= 1e-9 * max(1.0, abs(value)):
        return f"{round(value):,}"
    return f"{value:,.2f}" if isinstance(value, float) else html.escape(str(value))


def _table(frame: pd.DataFrame, *, percent: tuple[str, ...] = (), left: int = 1,
           notes: _Notes | None = None, cite: dict[str, str] | None = None) -> str:
    """An HTML table; ``cite`` maps a value column to the column holding its source."""
    cite = cite or {}
    hidden = set(cite.values())
    columns = [c for c in frame.columns if c not in hidden]
    head = "".join(f'<th class="{"l" if i < left else ""}">{html.escape(str(c))}</th>'
                   for i, c in enumerate(columns))
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for i, column in enumerate(columns):
            text = _fmt(record[column], percent=column in percent, plain=column in _PLAIN)
            if notes is not None and column in cite and text != "–":
                text += notes.mark(record[cite[column]])
            cells.append(f'<td class="{"l" if i < left else ""}">{text}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def _wide(tidy: pd.DataFrame, index: str) -> pd.DataFrame:
    """Menju-style table: one row per group, published / records / coverage per measure."""
    out = pd.DataFrame({index: list(dict.fromkeys(tidy[index]))})
    for measure in dict.fromkeys(tidy["measure"]):
        part = tidy[tidy["measure"] == measure].set_index(index)
        short = measure.replace("governments_with_", "govts with ").replace("_", " ")
        out[f"{short}: published"] = out[index].map(part["published"])
        out[f"{short}: source"] = out[index].map(part["source"])
        out[f"{short}: records"] = out[index].map(part["records"])
        out[f"{short}: coverage"] = out[index].map(part["coverage"])
    return out


def _section(title: str, *parts: str) -> str:
    return f"<h2>{html.escape(title)}</h2>" + "".join(parts)


def _p(text: str) -> str:
    return f'<p class="note">{text}</p>'


def render_html(registry: Registry, *, as_of: str = "2001-04-01", home: str = "JP") -> str:
    """The whole report as one HTML string (charts inline as SVG)."""
    notes = _Notes()
    parts: list[str] = []

    table1 = _wide(analysis.affiliations_by(registry, "government_type", as_of=as_of, home=home),
                   "government_type")
    cite = {c: c.replace("published", "source") for c in table1.columns if c.endswith("published")}
    parts.append(_section(
        f"1. Affiliations by government type, as of {as_of} (Menju, Table 1)",
        _p("Published cells come from the paper (numbered sources at the end); record cells count "
           "the registry's affiliation ties in force at that date. Designated cities and their "
           "wards count as cities, as in the paper. Ties without a start date cannot be dated "
           "and are left out (see the coverage section). The corpus holds only the ties the "
           "papers name one by one, so coverage is low by design: importing a full pair list "
           "raises it."),
        _table(table1, percent=tuple(c for c in table1 if c.endswith("coverage")), notes=notes,
               cite=cite)))

    series = analysis.affiliation_series(registry, home=home)
    menju = series[series["fiscal_year"].isin(analysis.affiliations.MENJU_YEARS)]
    wide = menju.pivot_table(index="fiscal_year", columns="partner_country",
                             values=["published", "records"], aggfunc="first")
    ordered = [c for c in ("US", "CN", "KR", "all") if c in set(menju["partner_country"])]
    rows = []
    for year in wide.index:
        row: dict[str, Any] = {"fiscal year": year}
        for country in ordered:
            cell = menju[(menju["fiscal_year"] == year) & (menju["partner_country"] == country)]
            row[f"{country} published"] = cell["published"].iloc[0]
            row[f"{country} src"] = cell["source"].iloc[0]
            row[f"{country} records"] = cell["records"].iloc[0]
        rows.append(row)
    table23 = pd.DataFrame(rows)
    parts.append(_section(
        "2. Cumulative affiliations by partner country, FY1955-2001 (Menju, Tables 2-3)",
        _p("Counts at the end of each Japanese fiscal year (31 March of the next year)."),
        _table(table23, notes=notes, cite={f"{c} published": f"{c} src" for c in ordered}),
        series_chart(series, title="Sister affiliations of Japanese local governments")))

    share = analysis.us_share_by_decade(registry, home=home)
    parts.append(_section(
        "3. Share of the United States among new affiliations, per decade",
        _p("Published shares are differences of Menju's cumulative columns (FY1960-1970 for the "
           "1960s, and so on; the 2000s hold FY2001 only). Record shares use the start year."),
        _table(share, percent=("records_share", "published_share"))))

    by_country = analysis.affiliations_by(registry, "partner_country", home=home)
    counts = by_country[(by_country["measure"] == "affiliations")
                        & (by_country["partner_country"] != "all")]
    map_counts = dict(zip(counts["partner_country"], counts["records"].astype(int), strict=True))
    parts.append(_section(
        "4. Affiliations in force today by partner country (records)",
        world_map(map_counts, home=home, title="Affiliation ties in the registry"),
        _table(_wide(by_country, "partner_country"), notes=notes,
               percent=tuple(c for c in _wide(by_country, "partner_country") if
                             c.endswith("coverage")),
               cite={c: c.replace("published", "source")
                     for c in _wide(by_country, "partner_country") if c.endswith("published")})))

    office_parts = [_p("Overseas offices whose lead owner is a Japanese local government. "
                       "Operation: direct = independent; shared = joint, hosted or outsourced. "
                       "Scope: specialised = every recorded function in one area (tourism, or "
                       "business support); comprehensive = general representation beside an "
                       "economic function, or both areas. The offices are the papers' sample "
                       "(mostly Fujiwara's Singapore/Bangkok interviews, undated), not the "
                       "population: see the 'sample' column of the shifts.")]
    for by in ("model", "function", "region", "host_country", "decade_opened", "decade_closed"):
        frame = analysis.offices_by(registry, by)
        office_parts.append(f"<h3>by {by.replace('_', ' ')}</h3>" + _table(frame,
                                                                           percent=("share",)))
    office_parts.append(bar_chart(analysis.offices_by(registry, "model"), label="model",
                                  value="offices", title="Offices by operational model"))
    shifts = analysis.office_shifts(registry)
    office_parts.append("<h3>The three shifts (share on the 'to' side by decade opened)</h3>"
                        + _table(shifts, percent=("share",), left=3))
    parts.append(_section("5. Overseas offices (Fujiwara; Menju)", *office_parts))

    by_type = analysis.strategies_by_type(registry)
    by_year = analysis.strategies_by_year(registry)
    by_year["year"] = by_year["year"].astype(int)
    running = (by_year.pivot_table(index="year", columns="government_type",
                                   values="governments_with_strategy", aggfunc="last")
               .ffill().fillna(0).astype(int).reset_index().rename_axis(columns=None))
    parts.append(_section(
        "6. International strategies (Fujiwara, Table 2)",
        _p("A government has a strategy when the registry holds one for it, at any date. The "
           "paper's Table 2 lists 35 prefectural entries but Akita twice, so the records hold 34 "
           "distinct prefectures against the caption's 35."),
        _table(by_type, percent=("share", "published_share", "coverage"), notes=notes,
               cite={"published": "source"}),
        "<h3>before and after 2010 (first strategy of each government)</h3>",
        _table(analysis.strategies_before_after(registry)),
        "<h3>governments with a strategy, running total by year of first adoption</h3>",
        _table(running),
        bar_chart(by_year.groupby("year", as_index=False)["strategies"].sum(), label="year",
                  value="strategies", title="Strategies adopted per year (all types)")))

    budgets = analysis.budgets_by(registry, "category")
    parts.append(_section(
        "7. Budget lines and shares of their total",
        _table(budgets[["actor", "fiscal_year", "category", "amount", "currency", "share",
                        "share_of_budget", "source"]], left=3,
               percent=("share", "share_of_budget"), notes=notes, cite={"amount": "source"})))

    table = analysis.coverage(registry)
    ruled = table[table["records"].notna()]
    parts.append(_section(
        "8. Coverage of the published figures by the registry's records",
        _p(f"{len(table)} published figures; {len(ruled)} can be recomputed from records "
           "(affiliations, strategies, offices, numbers of governments); the others (populations, "
           "surveys, money) are listed in the JSON/CSV output of <code>stats coverage</code>."),
        _table(analysis.coverage_summary(table).query("recomputable > 0"),
               percent=("median_coverage",)),
        _table(ruled[["key", "measure", "dimensions", "as_of", "published", "records", "gap",
                      "coverage", "status", "source"]], left=4, percent=("coverage",),
               notes=notes, cite={"published": "source"})))

    sources = "".join(f"<li>{html.escape(s)}</li>" for s in notes.items)
    parts.append(_section("Sources of the published figures",
                          f'<ol class="sources">{sources}</ol>'))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    built = _p(f"Built {stamp} from {html.escape(registry.display_url)}.")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>paradiplomacy '
            f"report</title><style>{_CSS}</style></head><body><h1>The literature's figures, "
            f"reproduced from the registry</h1>{built}"
            + "".join(parts) + "</body></html>")


def build_report(registry: Registry, out: str | Path, *, format: str = "html",
                 as_of: str = "2001-04-01", home: str = "JP") -> Path:
    """Write the report to ``out`` as ``html`` or ``pdf`` (PDF through WeasyPrint) and return it."""
    if format not in ("html", "pdf"):
        raise ReportError(f"unknown report format {format!r}: use html or pdf")
    document = render_html(registry, as_of=as_of, home=home)
    path = Path(out)
    if format == "html":
        path.write_text(document, encoding="utf-8")
        return path
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as error:
        raise ReportError(
            "PDF output needs WeasyPrint and the Pango libraries: `pip install weasyprint` and "
            f"`apt-get install libpango-1.0-0 libpangoft2-1.0-0` (HTML always works): {error}"
        ) from None
    HTML(string=document).write_pdf(path)
    return path

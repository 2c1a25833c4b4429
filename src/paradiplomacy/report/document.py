"""The report: findings from the registry's records first (ties by country and government type, the
map of ties, partner-country shifts, offices, strategies), then how the records compare with the
published figures, then full references with licences. One Jinja2 template renders the HTML, and
the PDF is that HTML printed by WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

from paradiplomacy import analysis
from paradiplomacy.model.formatting import is_percent, text
from paradiplomacy.report import charts, findings
from paradiplomacy.report.references import as_dicts, references
from paradiplomacy.store.registry import Registry, RegistryError

__all__ = ["ReportError", "build_report", "render_html", "report_context"]

_ENV = Environment(
    loader=PackageLoader("paradiplomacy.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def in_sentence(label: str) -> str:
    """A table label inside a sentence: its first letter lower-cased, proper nouns kept.

    >>> in_sentence("Special wards (Tokyo)")
    'special wards (Tokyo)'
    """
    label = str(label)
    return label[:1].lower() + label[1:]


_ENV.filters["in_sentence"] = in_sentence


class ReportError(RegistryError):
    """The report cannot be written (unknown format, PDF engine missing)."""


class _Notes:
    """Numbered notes: every published figure points at its citation."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def number(self, source: Any) -> int | None:
        if source is None or (isinstance(source, float) and pd.isna(source)) or not source:
            return None
        if source not in self.items:
            self.items.append(str(source))
        return self.items.index(str(source)) + 1


def table(
    frame: pd.DataFrame,
    *,
    left: int = 1,
    notes: _Notes | None = None,
    cite: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A DataFrame as the template's table: headers, and rows of (text, note number, left-aligned)
    cells formatted by :mod:`paradiplomacy.model.formatting`; ``cite`` maps a value column to the
    column holding its source (shown as a numbered note, not as a column)."""
    cite = cite or {}
    hidden = set(cite.values())
    columns = [c for c in frame.columns if c not in hidden]
    aligned = [i < left or not _numeric(frame[c]) for i, c in enumerate(columns)]
    rows = []
    for record in frame.to_dict("records"):
        cells = []
        for i, column in enumerate(columns):
            value = text(record[column], str(column), missing="–")
            if isinstance(record[column], str) and column != "key":
                value = value.replace("_", " ")
            note = notes.number(record[cite[column]]) if notes and column in cite and value != "–" else None
            cells.append({"text": value, "note": note, "left": aligned[i]})
        rows.append(cells)
    labels = [(headers or {}).get(str(c), str(c).replace("_", " ")) for c in columns]
    return {"headers": [{"text": h, "left": aligned[i]} for i, h in enumerate(labels)], "rows": rows}


def _numeric(column: pd.Series) -> bool:
    """Whether every value of ``column`` is a number (missing ones aside): right-aligned."""
    values = column.dropna()
    return not values.empty and all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in values.tolist()
    )


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


def _findings(registry: Registry) -> dict[str, Any]:
    ties = findings.international_ties(registry)
    head = findings.headline(ties, registry)
    countries = findings.by_country(ties, top=15)
    types = findings.by_government_type(ties, registry)
    lines = findings.tie_lines(ties, registry)
    by_share = types.dropna(subset=["share with ties"]).sort_values("share with ties", ascending=False)
    by_count = types.sort_values("ties", ascending=False)
    return {
        "headline": head,
        "most_likely": by_share.head(2).to_dict("records"),
        "most_ties": by_count.iloc[0].to_dict() if not by_count.empty else None,
        "map": charts.tie_map(lines, findings.world_points(registry)),
        "mapped": len(lines),
        "countries": table(countries.drop(columns="code")),
        "countries_chart": charts.bar_chart(
            countries,
            label="country",
            value="ties",
            percent_of=head["ties"] or None,
            title="Ties of Japanese local governments by partner country",
            xlabel="ties",
        ),
        "types": table(types),
        "types_chart": charts.bar_chart(
            types,
            label="government type",
            value="share with ties",
            title="Share of each type of Japanese local government holding a tie abroad",
            xlabel="share of the governments of that type",
            percent=True,
        ),
        "decades": table(findings.by_decade(ties)),
        "holders": table(findings.top_holders(ties), left=2),
    }


def _shifts(registry: Registry, home: str) -> dict[str, Any]:
    series = analysis.affiliation_series(registry, home=home)
    share = analysis.us_share_by_decade(registry, home=home)
    share = share[["decade", "published_us", "published_all", "published_share"]].rename(
        columns={
            "published_us": "new with the US",
            "published_all": "new, all countries",
            "published_share": "US share",
        }
    )
    dated = share.dropna(subset=["US share"])
    ends = (
        [{"decade": r["decade"], "share": r["US share"]} for r in (dated.iloc[0], dated.iloc[-1])]
        if len(dated) > 1
        else []
    )
    return {"chart": charts.series_chart(series), "us_share": table(share), "ends": ends}


def _offices_and_strategies(registry: Registry, notes: _Notes) -> dict[str, Any]:
    models = analysis.offices_by(registry, "model")
    regions = analysis.offices_by(registry, "region")
    by_type = analysis.strategies_by_type(registry)
    keep = [
        c
        for c in (
            "government_type",
            "governments",
            "governments_with_strategy",
            "share",
            "published",
            "published_share",
            "source",
        )
        if c in by_type
    ]
    return {
        "offices_total": int(models["offices"].sum()),
        "models": table(models),
        "regions": table(regions),
        "shifts": table(analysis.office_shifts(registry).drop(columns="sample", errors="ignore"), left=3),
        "strategies": table(by_type[keep], notes=notes, cite={"published": "source"}),
        "before_after": table(analysis.strategies_before_after(registry)),
    }


def _comparison(registry: Registry, notes: _Notes, as_of: str, home: str) -> dict[str, Any]:
    table1 = _wide(
        analysis.affiliations_by(registry, "government_type", as_of=as_of, home=home), "government_type"
    )
    cite = {c: c.replace("published", "source") for c in table1.columns if c.endswith("published")}
    coverage = analysis.coverage(registry)
    ruled = coverage[coverage["records"].notna()]
    summary = analysis.coverage_summary(coverage).query("recomputable > 0")
    return {
        "table1": table(table1, notes=notes, cite=cite),
        "figures": len(coverage),
        "recomputable": len(ruled),
        "summary": table(summary),
        "ruled": table(
            ruled[["key", "measure", "as_of", "published", "records", "coverage", "status", "source"]],
            left=2,
            notes=notes,
            cite={"published": "source"},
        ),
    }


def report_context(registry: Registry, *, as_of: str = "2001-04-01", home: str = "JP") -> dict[str, Any]:
    """Everything the template shows, computed from the registry (tables already formatted)."""
    notes = _Notes()
    context = {
        "findings": _findings(registry),
        "shifts": _shifts(registry, home),
        "instruments": _offices_and_strategies(registry, notes),
        "comparison": _comparison(registry, notes, as_of, home),
        "as_of": as_of,
        "references": as_dicts(references(registry)),
        "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "registry": registry.display_url,
    }
    context["notes"] = notes.items
    return context


def render_html(registry: Registry, *, as_of: str = "2001-04-01", home: str = "JP") -> str:
    """The whole report as one self-contained HTML string (charts inline, no scripts)."""
    context = report_context(registry, as_of=as_of, home=home)
    return _ENV.get_template("report.html.j2").render(**context, is_percent=is_percent)


def build_report(
    registry: Registry, out: str | Path, *, format: str = "html", as_of: str = "2001-04-01", home: str = "JP"
) -> Path:
    """Write the report to ``out`` as ``html`` or ``pdf`` (the same HTML printed by WeasyPrint)."""
    if format not in ("html", "pdf"):
        raise ReportError(f"unknown report format {format!r}: use html or pdf")
    if format == "pdf":
        try:
            from weasyprint import HTML
        except (ImportError, OSError) as error:
            raise ReportError(
                "PDF output needs WeasyPrint and the Pango libraries: `pip install "
                "'paradiplomacy[pdf]'` and `apt-get install libpango-1.0-0 libpangoft2-1.0-0` "
                f"(HTML always works): {error}"
            ) from None
    document = render_html(registry, as_of=as_of, home=home)
    path = Path(out)
    if format == "html":
        path.write_text(document, encoding="utf-8")
        return path
    HTML(string=document).write_pdf(path)
    return path

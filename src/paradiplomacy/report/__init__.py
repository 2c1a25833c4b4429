"""The report layer: the analyses' tables, charts and map in one self-contained HTML or PDF file."""

from paradiplomacy.report.document import ReportError, build_report, render_html

__all__ = ["ReportError", "build_report", "render_html"]

"""The report layer: findings from the records, a map of ties, the comparison with the published
figures and full references, in one self-contained HTML or PDF document (one Jinja2 template).

Names are imported on first use: ``report.references`` (used by ``cite``) does not load matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from paradiplomacy.report.document import ReportError, build_report, render_html

__all__ = ["ReportError", "build_report", "render_html"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from paradiplomacy.report import document

        return getattr(document, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

"""Self-contained HTML pages (inline CSS, no scripts) for an assessment or a governance profile.

The Jinja2 templates live in ``templates/`` beside this module; edit them to change the pages.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from paradiplomacy.frameworks.coalition_assessment import CoalitionAssessment, compare_with_paper
from paradiplomacy.frameworks.governance_stage import GovernanceProfile

__all__ = ["assessment_html", "profile_html"]

_ENV = Environment(
    loader=PackageLoader("paradiplomacy.frameworks", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
)


def assessment_html(assessment: CoalitionAssessment, *, compare: bool = False) -> str:
    """One coalition assessment as a self-contained HTML page with its evidence table.

    With ``compare`` a column shows the papers' own judgement beside each computed level.
    """
    data: dict[str, Any] = assessment.as_dict()
    paper = {}
    if compare:
        rows = compare_with_paper(assessment).to_dict(orient="records")
        paper = {row["criterion"]: row for row in rows}
    return _ENV.get_template("assessment.html.j2").render(
        c=data["coalition"], rubric=data["rubric"], groups=data["groups"],
        criteria=data["criteria"], evidence=data["evidence"], paper=paper,
    )


def profile_html(profile: GovernanceProfile) -> str:
    """One governance-stage profile as a self-contained HTML page with its evidence table."""
    data = profile.as_dict()
    css = dict(zip(data["stages"], ("ta", "npm", "ng"), strict=False))
    return _ENV.get_template("profile.html.j2").render(
        a=data["actor"], as_of=data["as_of"], stages=data["stages"], labels=data["stage_labels"],
        dimensions=data["dimensions"], overall=data["overall"], timeline=data["timeline"],
        evidence=data["evidence"], css=css,
    )

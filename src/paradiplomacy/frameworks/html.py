"""Self-contained HTML pages (inline CSS, no scripts) for an assessment or a governance profile.

The Jinja2 templates live in ``templates/`` beside this module; edit them to change the pages.
"""

from __future__ import annotations

from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from paradiplomacy.frameworks.coalition_assessment import CoalitionAssessment
from paradiplomacy.frameworks.governance_stage import GovernanceProfile

__all__ = ["assessment_html", "profile_html"]

_ENV = Environment(
    loader=PackageLoader("paradiplomacy.frameworks", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
)


def assessment_html(assessment: CoalitionAssessment, *, compare: bool = False) -> str:
    """One coalition assessment as a self-contained HTML page with its evidence table.

    Every row shows what the paper states beside the tool's computed level (``compare`` is kept for
    the CLI's signature; the paper column is always shown).
    """
    data: dict[str, Any] = assessment.as_dict()
    return _ENV.get_template("assessment.html.j2").render(
        c=data["coalition"],
        rubric=data["rubric"],
        groups=data["groups"],
        criteria=data["criteria"],
        evidence=data["evidence"],
    )


def profile_html(profile: GovernanceProfile) -> str:
    """One governance-stage profile as a self-contained HTML page with its evidence table."""
    data = profile.as_dict()
    css = dict(zip(data["stages"], ("ta", "npm", "ng"), strict=False))
    return _ENV.get_template("profile.html.j2").render(
        a=data["actor"],
        as_of=data["as_of"],
        stages=data["stages"],
        labels=data["stage_labels"],
        dimensions=data["dimensions"],
        overall=data["overall"],
        timeline=data["timeline"],
        evidence=data["evidence"],
        css=css,
        paper=data["paper"],
        basis=data["basis"],
        undated=data["undated"],
    )

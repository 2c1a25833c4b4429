"""The papers' analytical frameworks run on the registry's evidence; rubrics are YAML data."""

from paradiplomacy.frameworks.coalition_assessment import (
    CoalitionAssessment,
    CoalitionNotFound,
    assess_coalition,
    compare_with_paper,
    find_coalition,
    list_coalitions,
)
from paradiplomacy.frameworks.evidence import EvidenceFileError, RubricError, load_rubric
from paradiplomacy.frameworks.governance_stage import (
    GovernanceProfile,
    classify_actor,
    office_operational_models,
)
from paradiplomacy.frameworks.html import assessment_html, profile_html
from paradiplomacy.frameworks.profiles import actor_summary, office_functions, strategy_pillars

__all__ = [
    "CoalitionAssessment",
    "CoalitionNotFound",
    "EvidenceFileError",
    "GovernanceProfile",
    "RubricError",
    "actor_summary",
    "assess_coalition",
    "assessment_html",
    "classify_actor",
    "compare_with_paper",
    "find_coalition",
    "list_coalitions",
    "load_rubric",
    "office_functions",
    "office_operational_models",
    "profile_html",
    "strategy_pillars",
]

"""Evidence items, rubric files and user evidence files shared by every framework.

An evidence item is one record (or a user's statement) that a rubric signal picked up, with sources.
A user evidence file (YAML) adds items or overrides a criterion's level with a stated reason::

    evidence:
      - signal: national_funding          # (assess) or dimension: + stage: (classify)
        text: Prefecture grant for the 2024 follow-up project
        source: "Interview with the city's international division, 2024-05"
        date: "2024"
    overrides:
      - criterion: delegation_of_decision_making   # (assess) or dimension: (classify)
        level: strong                              # (assess) or stage: (classify)
        reason: MOFA let the city choose the contractors
        source: "Interview, 2024-05"
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from paradiplomacy.store.registry import RegistryError

__all__ = [
    "EvidenceFileError",
    "EvidenceItem",
    "Override",
    "RubricError",
    "UserEvidence",
    "load_rubric",
    "load_user_evidence",
    "rubric_path",
]


class RubricError(RegistryError):
    """A rubric file is missing or malformed."""


class EvidenceFileError(RegistryError):
    """A user evidence file cannot be read or names an unknown criterion, signal or level."""


@dataclass
class EvidenceItem:
    """One piece of evidence: a registry record or a user's statement, with its sources."""

    id: str
    entity: str
    record_id: int | None
    text: str
    date: str | None = None
    sources: list[str] = field(default_factory=list)
    signals: list[str] = field(default_factory=list)
    origin: str = "registry"

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return asdict(self)


@dataclass
class Override:
    """A user's replacement of a computed level (or stage), with the reason and its source."""

    target: str
    value: str
    reason: str
    source: str = ""


@dataclass
class UserEvidence:
    """The contents of a user evidence file."""

    items: list[dict[str, Any]] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)
    path: str = ""


def rubric_path(name: str) -> Path:
    """The bundled rubric file ``rubrics/<name>.yaml``."""
    return Path(str(files("paradiplomacy.frameworks") / "rubrics" / f"{name}.yaml"))


def load_rubric(name_or_path: str | Path) -> dict[str, Any]:
    """A rubric by bundled name (``coalition``, ``governance``, ``pillars``) or by file path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = rubric_path(str(name_or_path))
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        raise RubricError(f"cannot read rubric {path}: {error}") from error
    if not isinstance(data, dict):
        raise RubricError(f"rubric {path} is not a mapping")
    return data


def load_user_evidence(path: str | Path | None, *, target_key: str, value_key: str) -> UserEvidence:
    """Read a user evidence file; overrides are keyed by ``target_key`` and carry ``value_key``."""
    if path is None:
        return UserEvidence()
    try:
        with Path(path).open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as error:
        raise EvidenceFileError(f"cannot read evidence file {path}: {error}") from error
    if not isinstance(data, dict):
        raise EvidenceFileError(f"{path}: expected a mapping with 'evidence' and/or 'overrides'")
    items = data.get("evidence") or []
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict) or not item.get("text") or not item.get("source"):
            raise EvidenceFileError(f"{path}: evidence item {number} needs 'text' and 'source'")
    overrides = []
    for number, raw in enumerate(data.get("overrides") or [], 1):
        if not isinstance(raw, dict) or not raw.get(target_key) or not raw.get(value_key):
            raise EvidenceFileError(f"{path}: override {number} needs '{target_key}' and '{value_key}'")
        if not raw.get("reason"):
            raise EvidenceFileError(f"{path}: override {number} needs a 'reason'")
        overrides.append(
            Override(
                str(raw[target_key]),
                str(raw[value_key]),
                str(raw["reason"]),
                str(raw.get("source") or ""),
            )
        )
    return UserEvidence(items=list(items), overrides=overrides, path=str(path))

"""Takao's coalition assessment computed from the registry's records through a YAML rubric.

Every criterion (sustainability, accountability, advocacy; the three autonomies; the five sources of
influence) gets a level from the first rubric rule whose signal counts hold, with the evidence items
that fed those signals. No evidence at all gives ``unknown``, never zero. The papers' own judgements
(``takao_assessment_framework.yaml``) are used only by :func:`compare_with_paper`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from paradiplomacy.corpus import framework_file
from paradiplomacy.frameworks.evidence import (
    EvidenceFileError,
    EvidenceItem,
    RubricError,
    load_rubric,
    load_user_evidence,
)
from paradiplomacy.frameworks.signals import collect_records, match_signal
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Coalition

__all__ = [
    "LEVELS",
    "CoalitionAssessment",
    "CoalitionNotFound",
    "assess_coalition",
    "compare_with_paper",
    "find_coalition",
    "list_coalitions",
]

LEVELS = ("strong", "moderate", "weak", "unknown")


class CoalitionNotFound(RegistryError):
    """A coalition reference that matches no coalition, or several."""


@dataclass
class CoalitionAssessment:
    """The result of :func:`assess_coalition`: per-criterion levels and the evidence table."""

    coalition: dict[str, Any]
    criteria: list[dict[str, Any]]
    evidence: list[EvidenceItem]
    rubric: str
    groups: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "coalition": self.coalition,
            "rubric": self.rubric,
            "groups": self.groups,
            "criteria": self.criteria,
            "evidence": [item.as_dict() for item in self.evidence],
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per criterion: group, dimension, criterion, level, note, evidence ids."""
        return pd.DataFrame(
            [
                {
                    k: c[k]
                    for k in (
                        "group",
                        "dimension",
                        "criterion",
                        "level",
                        "computed_level",
                        "overridden",
                        "note",
                    )
                }
                | {"evidence": ",".join(c["evidence"])}
                for c in self.criteria
            ]
        )


def list_coalitions(registry: Registry) -> pd.DataFrame:
    """Every coalition in the registry: key, name, scope, started, ended, members, events."""
    with registry.reader() as session:
        rows = [
            {
                "key": c.key,
                "name": c.name,
                "scope": c.scope,
                "started": c.started,
                "ended": c.ended,
                "members": len(c.members),
                "events": len(c.events),
            }
            for c in session.scalars(select(Coalition).order_by(Coalition.key))
        ]
    return pd.DataFrame(
        rows, columns=["key", "name", "scope", "started", "ended", "members", "events"]
    )


def find_coalition(registry: Registry, ref: str) -> str:
    """The key of the one coalition keyed ``ref`` or whose key/name contains it (any case)."""
    with registry.reader() as session:
        pairs = [(c.key, c.name) for c in session.scalars(select(Coalition))]
    exact = [key for key, _ in pairs if key == ref]
    if exact:
        return exact[0]
    needle = ref.casefold()
    hits = [key for key, name in pairs if needle in key.casefold() or needle in name.casefold()]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        known = ", ".join(sorted(key for key, _ in pairs)) or "none"
        raise CoalitionNotFound(f"no coalition matches {ref!r} (known: {known})")
    raise CoalitionNotFound(f"{ref!r} is ambiguous: {', '.join(sorted(hits))}")


def _signals_of(rules: list[dict[str, Any]], extra: list[str]) -> list[str]:
    names = list(extra)
    for rule in rules:
        for cond in rule.get("all", []) + rule.get("any", []):
            if cond["signal"] not in names:
                names.append(cond["signal"])
    return names


def _holds(rule: dict[str, Any], counts: dict[str, int]) -> bool:
    def ok(cond: dict[str, Any]) -> bool:
        return counts.get(cond["signal"], 0) >= int(cond.get("min", 1))

    if "all" in rule and not all(ok(c) for c in rule["all"]):
        return False
    return not ("any" in rule and not any(ok(c) for c in rule["any"]))


def _describe(rule: dict[str, Any]) -> str:
    def one(cond: dict[str, Any]) -> str:
        return f"{cond['signal']} >= {cond.get('min', 1)}"

    parts = []
    if rule.get("all"):
        parts.append(" and ".join(one(c) for c in rule["all"]))
    if rule.get("any"):
        parts.append("(" + " or ".join(one(c) for c in rule["any"]) + ")")
    return " and ".join(parts)


def _user_items(user: Any, signals: dict[str, Any], start: int) -> list[EvidenceItem]:
    items = []
    for number, raw in enumerate(user.items, start):
        if raw.get("signal") not in signals:
            raise EvidenceFileError(
                f"{user.path}: evidence {raw.get('text')!r} names unknown signal "
                f"{raw.get('signal')!r} (known: {', '.join(sorted(signals))})"
            )
        items.append(
            EvidenceItem(
                id=f"U{number}",
                entity="user",
                record_id=None,
                text=str(raw["text"]),
                date=str(raw["date"]) if raw.get("date") else None,
                sources=[str(raw["source"])],
                signals=[raw["signal"]],
                origin="user",
            )
        )
    return items


def assess_coalition(
    registry: Registry,
    coalition: str,
    *,
    rubric: str | Path = "coalition",
    evidence: str | Path | None = None,
) -> CoalitionAssessment:
    """Score ``coalition`` (key or unambiguous part of its name) on every criterion of ``rubric``.

    ``evidence`` is an optional user evidence file (see :mod:`paradiplomacy.frameworks.evidence`).
    """
    key = find_coalition(registry, coalition)
    spec = load_rubric(rubric)
    signals: dict[str, Any] = spec.get("signals") or {}
    user = load_user_evidence(evidence, target_key="criterion", value_key="level")
    with registry.reader() as session:
        found = collect_records(
            session, session.scalar(select(Coalition).where(Coalition.key == key))
        )
    items: dict[tuple[str, int], EvidenceItem] = {}
    hits: dict[str, list[EvidenceItem]] = {}
    for name, signal in signals.items():
        hits[name] = []
        for row in match_signal(found, name, signal):
            ident = (row["entity"], row["id"])
            if ident not in items:
                items[ident] = EvidenceItem(
                    id=f"E{len(items) + 1}",
                    entity=row["entity"],
                    record_id=row["id"],
                    text=row["text"],
                    date=row.get("date"),
                    sources=row.get("sources", []),
                )
            items[ident].signals.append(name)
            hits[name].append(items[ident])
    extra = _user_items(user, signals, 1)
    for item in extra:
        hits[item.signals[0]].append(item)
    labels = {name: signal.get("label", name) for name, signal in signals.items()}
    criteria = [
        _score(name, crit, hits, labels) for name, crit in (spec.get("criteria") or {}).items()
    ]
    _apply_overrides(criteria, user)
    used = {ident for c in criteria for ident in c["evidence"]}
    table = [item for item in items.values() if item.id in used]
    renumber = {item.id: f"E{number}" for number, item in enumerate(table, 1)}
    for item in table:
        item.id = renumber[item.id]
    for crit in criteria:
        crit["evidence"] = [renumber.get(ident, ident) for ident in crit["evidence"]]
    table += [item for item in extra if item.id in used]
    return CoalitionAssessment(
        coalition={
            k: found.coalition[k] for k in ("key", "name", "scope", "issue_area", "date", "sources")
        },
        criteria=criteria,
        evidence=table,
        rubric=str(rubric),
        groups=spec.get("groups") or {},
    )


def _score(
    name: str, crit: dict[str, Any], hits: dict[str, list[EvidenceItem]], labels: dict[str, str]
) -> dict[str, Any]:
    rules = crit.get("rules") or []
    names = _signals_of(rules, crit.get("uses", []))
    missing = [s for s in names if s not in hits]
    if missing:
        raise RubricError(f"criterion {name!r} uses undefined signal(s): {', '.join(missing)}")
    counts = {s: len(hits[s]) for s in names}
    evidence: list[str] = []
    for signal in names:
        evidence.extend(item.id for item in hits[signal] if item.id not in evidence)
    evidence.sort(key=lambda ident: (ident[0], int(ident[1:])))
    level, note, rule_text = "unknown", "no record matched any signal of this criterion", ""
    basis = [f"{labels.get(s, s)}: {counts[s]}" for s in names if counts[s]]
    if evidence:
        level, note = "weak", "evidence found, but no rule for a higher level holds"
        for rule in rules:
            if _holds(rule, counts):
                level, note, rule_text = rule["level"], rule.get("note", ""), _describe(rule)
                break
    return {
        "criterion": name,
        "group": crit.get("group", "criteria"),
        "dimension": crit.get("dimension", ""),
        "level": level,
        "computed_level": level,
        "note": note,
        "rule": rule_text,
        "basis": basis,
        "counts": counts,
        "evidence": evidence,
        "overridden": False,
        "override_reason": "",
        "override_source": "",
    }


def _apply_overrides(criteria: list[dict[str, Any]], user: Any) -> None:
    by_name = {c["criterion"]: c for c in criteria}
    for override in user.overrides:
        if override.target not in by_name:
            raise EvidenceFileError(
                f"{user.path}: override names unknown criterion {override.target!r}"
            )
        if override.value not in LEVELS:
            raise EvidenceFileError(f"{user.path}: level {override.value!r} is not one of {LEVELS}")
        crit = by_name[override.target]
        crit.update(
            level=override.value,
            overridden=True,
            override_reason=override.reason,
            override_source=override.source,
        )


def compare_with_paper(assessment: CoalitionAssessment) -> pd.DataFrame:
    """Computed levels beside the papers' judgements (``takao_assessment_framework.yaml``).

    ``agrees`` is True/False where the paper judges the case (strong/moderate/weak/absent) and None
    where it does not discuss the case under that heading.
    """
    case = (
        framework_file("takao_assessment_framework")
        .get("cases", {})
        .get(assessment.coalition["key"], {})
    )
    paper: dict[str, dict[str, Any]] = {}
    for group in ("criteria", "sources_of_influence"):
        paper.update(case.get(group, {}))
    for name in ("delegated", "administrative", "political"):
        if name in case.get("autonomy", {}):
            paper[name] = case["autonomy"][name]
    rows = []
    for crit in assessment.criteria:
        judged = paper.get(crit["criterion"], {})
        level = judged.get("level", "not_discussed")
        agrees = None if level == "not_discussed" else level == crit["level"]
        rows.append(
            {
                "group": crit["group"],
                "criterion": crit["criterion"],
                "computed": crit["level"],
                "paper": level,
                "agrees": agrees,
                "paper_locator": judged.get("locator", ""),
            }
        )
    return pd.DataFrame(rows)

"""Takao's coalition assessment: what the papers state beside what our rubric computes.

The criteria (sustainability, accountability, advocacy; the three autonomies; the five sources of
influence) are the papers'. The *levels* are not: the papers grade nothing on a scale. Each criterion
of a result therefore keeps three things apart:

* ``paper`` - whether and how the paper uses this case under this heading (``example``,
  ``qualified_example`` or ``not_discussed``), with our summary and the locator
  (``takao_assessment_framework.yaml``);
* the tool's computation - ``level`` from the first rule of the YAML rubric whose signal counts hold,
  with the rule, the evidence items and their number, labelled ``level_by = "rubric"``;
* what is unknown - ``not_enough_evidence`` when fewer than the rubric's ``min_evidence`` items were
  found (never zero), and ``thin_evidence`` when fewer than ``thin_below``.
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
    "NOT_ENOUGH",
    "PAPER_STANCES",
    "CoalitionAssessment",
    "CoalitionNotFound",
    "assess_coalition",
    "compare_with_paper",
    "find_coalition",
    "list_coalitions",
    "paper_statements",
]

LEVELS = ("strong", "moderate", "weak", "not_enough_evidence")
NOT_ENOUGH = "not_enough_evidence"
PAPER_STANCES = ("example", "qualified_example", "not_discussed")
TOOL_LABEL = "computed by the paradiplomacy rubric from registry records; not a grade from the paper"


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
            "legend": {
                "paper": "what the paper states about this case under the heading, in our words, "
                "with its locator; the papers use no graded scale",
                "level": TOOL_LABEL,
                NOT_ENOUGH: "the rubric found too few records to compute a level",
                "thin_evidence": "a level resting on fewer records than the rubric's thin_below",
            },
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
                        "evidence_count",
                        "thin_evidence",
                    )
                }
                | {"paper": c["paper"]["stated"], "paper_locator": c["paper"]["locator"]}
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
    return pd.DataFrame(rows, columns=["key", "name", "scope", "started", "ended", "members", "events"])


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
        found = collect_records(session, session.scalar(select(Coalition).where(Coalition.key == key)))
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
    thresholds = (int(spec.get("min_evidence", 1)), int(spec.get("thin_below", 3)))
    statements = paper_statements(key)
    criteria = [
        _score(name, crit, hits, labels, thresholds)
        | {"rubric": str(rubric)}
        | {"paper": statements.get(name, _unstated())}
        for name, crit in (spec.get("criteria") or {}).items()
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
        coalition={k: found.coalition[k] for k in ("key", "name", "scope", "issue_area", "date", "sources")},
        criteria=criteria,
        evidence=table,
        rubric=str(rubric),
        groups=spec.get("groups") or {},
    )


def _score(
    name: str,
    crit: dict[str, Any],
    hits: dict[str, list[EvidenceItem]],
    labels: dict[str, str],
    thresholds: tuple[int, int] = (1, 3),
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
    minimum, thin_below = thresholds
    level, note, rule_text = NOT_ENOUGH, "no record matched any signal of this criterion", ""
    if evidence and len(evidence) < minimum:
        note = f"only {len(evidence)} record(s) matched; the rubric needs {minimum}"
    basis = [f"{labels.get(s, s)}: {counts[s]}" for s in names if counts[s]]
    if len(evidence) >= max(minimum, 1):
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
        "level_by": "rubric",
        "computed_level": level,
        "evidence_count": len(evidence),
        "thin_evidence": level != NOT_ENOUGH and len(evidence) < thin_below,
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
            raise EvidenceFileError(f"{user.path}: override names unknown criterion {override.target!r}")
        if override.value not in LEVELS:
            raise EvidenceFileError(f"{user.path}: level {override.value!r} is not one of {LEVELS}")
        crit = by_name[override.target]
        crit.update(
            level=override.value,
            overridden=True,
            override_reason=override.reason,
            override_source=override.source,
        )


def paper_statements(key: str) -> dict[str, dict[str, Any]]:
    """Per criterion, what the papers state about coalition ``key`` (``takao_assessment_framework``).

    Each value: ``source, stated`` (one of :data:`PAPER_STANCES`), ``says`` (our summary),
    ``locator`` and ``related`` (facts stated elsewhere in the papers). No grade is attributed.
    """
    model = framework_file("takao_assessment_framework")
    case = model.get("cases", {}).get(key, {})
    found: dict[str, dict[str, Any]] = {}
    for group in ("criteria", "sources_of_influence"):
        source = model.get(group, {}).get("source", "")
        for name, body in (case.get(group) or {}).items():
            found[name] = _statement(source, body, body)
    autonomy = case.get("autonomy") or {}
    for name in ("delegated", "administrative", "political"):
        if name in autonomy:
            found[name] = _statement(model.get("autonomy", {}).get("source", ""), autonomy[name], autonomy)
    return found


def _statement(source: str, body: dict[str, Any], shared: dict[str, Any]) -> dict[str, Any]:
    stated = body.get("stated", "not_discussed")
    if stated not in PAPER_STANCES:
        raise RubricError(f"takao_assessment_framework: unknown stance {stated!r}")
    return {
        "source": source,
        "stated": stated,
        "says": " ".join(str(body.get("judgement") or shared.get("judgement") or "").split()),
        "locator": " ".join(str(body.get("locator") or shared.get("locator") or "").split()),
        "related": " ".join(str(body.get("related") or shared.get("related") or "").split()),
    }


def _unstated() -> dict[str, Any]:
    """The paper statement of a criterion the answer key does not cover (e.g. a user rubric's)."""
    return {"source": "", "stated": "not_discussed", "says": "", "locator": "", "related": ""}


def compare_with_paper(assessment: CoalitionAssessment) -> pd.DataFrame:
    """The rubric's computation beside what the papers state, one row per criterion.

    ``paper`` is the stance (``example``, ``qualified_example``, ``not_discussed``), never a grade.
    ``agrees`` is None where the paper does not use the case under that heading; else True when the
    rubric found enough evidence to compute a level (the paper's use of the case is matched by
    records), False when it did not.
    """
    rows = []
    for crit in assessment.criteria:
        paper = crit["paper"]
        stated = paper["stated"]
        agrees = None if stated == "not_discussed" else crit["computed_level"] != NOT_ENOUGH
        rows.append(
            {
                "group": crit["group"],
                "criterion": crit["criterion"],
                "computed": crit["level"],
                "evidence_count": crit["evidence_count"],
                "paper": stated,
                "paper_says": paper["says"],
                "agrees": agrees,
                "paper_locator": paper["locator"],
            }
        )
    return pd.DataFrame(rows)

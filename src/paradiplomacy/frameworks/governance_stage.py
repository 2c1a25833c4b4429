"""Fujiwara's governance-stage model scored on an actor's records: a profile per dimension.

The stages and dimensions are the paper's (Table 3); the paper places no individual government in a
stage, so every profile is the tool's computation, labelled as such. Each rubric indicator
(``rubrics/governance.yaml``) picks out offices, ties, strategies or programmes of the actor and adds
weight to a stage on some of the six dimensions. The result is a profile (shares of the stages per
dimension and overall), not a single label.

Time: a record is *dated* when its start (opened, adopted, start) is known. A dated question - a
profile ``as_of`` a year, or a year of the timeline - uses only dated records in force that year;
undated records are listed apart (``undated``) and never projected into a year. Without ``as_of`` the
profile uses every record "at any date" and says how many are undated. A dimension, a timeline year or
the whole profile resting on fewer records than the rubric's ``thin_below`` is flagged.
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
    load_rubric,
    load_user_evidence,
)
from paradiplomacy.frameworks.signals import tidy_sources
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.resolve.find import find_actor
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import Actor, Office, OfficeOwner, Programme, Strategy, Tie

__all__ = ["GovernanceProfile", "classify_actor", "office_operational_models"]


@dataclass
class GovernanceProfile:
    """The result of :func:`classify_actor`."""

    actor: dict[str, Any]
    as_of: str | None
    stages: list[str]
    stage_labels: dict[str, str]
    dimensions: list[dict[str, Any]]
    overall: dict[str, float]
    evidence: list[EvidenceItem]
    timeline: pd.DataFrame = field(default_factory=pd.DataFrame)
    undated: list[EvidenceItem] = field(default_factory=list)
    basis: dict[str, Any] = field(default_factory=dict)
    paper: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping."""
        return {
            "actor": self.actor,
            "as_of": self.as_of,
            "paper": self.paper,
            "basis": self.basis,
            "stages": self.stages,
            "stage_labels": self.stage_labels,
            "dimensions": self.dimensions,
            "overall": self.overall,
            "evidence": [e.as_dict() for e in self.evidence],
            "undated": [e.as_dict() for e in self.undated],
            "timeline": self.timeline.to_dict(orient="records"),
        }

    def to_frame(self) -> pd.DataFrame:
        """One row per dimension, then ``Overall``: the share of each stage, the leading stage,
        the records used (``thin`` when few) and the evidence ids."""
        rows = [
            {
                "dimension": d["label"],
                **d["shares"],
                "leading": d["leading"] + (" (overridden)" if d["overridden"] else ""),
                "records": str(d["evidence_count"]) + (" thin" if d["thin_evidence"] else ""),
                "evidence": ",".join(d["evidence"]),
            }
            for d in self.dimensions
        ]
        rows.append({"dimension": "Overall", **self.overall, "leading": "", "records": "", "evidence": ""})
        return pd.DataFrame(rows)


class BadDate(RegistryError):
    """An ``--as-of`` that is not a date."""


def _checked_year(as_of: str | None) -> int | None:
    """The year of ``as_of`` (profiles are computed at year precision); reject non-dates."""
    if as_of is None:
        return None
    try:
        return PartialDate.parse(as_of).year
    except ValueError as error:
        raise BadDate(f"--as-of: {error}") from None


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _records(session: Any, actor_id: int) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offices = session.scalars(select(Office).join(OfficeOwner).where(OfficeOwner.actor_id == actor_id))
    for office in offices:
        rows.append(
            {
                "entity": "office",
                "id": office.id,
                "model": office.model,
                "functions": list(office.functions or []),
                "start": office.opened,
                "end": office.closed,
                "text": f"Office: {office.name or office.key} ({office.model}; "
                f"{', '.join(office.functions or []) or 'no functions'})",
            }
        )
    for tie in session.scalars(select(Tie).where((Tie.subject_id == actor_id) | (Tie.object_id == actor_id))):
        other = tie.object if tie.subject_id == actor_id else tie.subject
        if tie.kind == "network_membership" and tie.subject_id != actor_id:
            continue
        rows.append(
            {
                "entity": "tie",
                "id": tie.id,
                "kind": tie.kind,
                "other_kind": other.kind,
                "start": tie.start,
                "end": tie.end,
                "text": f"Tie ({tie.kind}): {tie.subject.label} -> {tie.object.label}"
                + (f" - {tie.role}" if tie.role else ""),
            }
        )
    for strategy in session.scalars(select(Strategy).where(Strategy.actor_id == actor_id)):
        rows.append(
            {
                "entity": "strategy",
                "id": strategy.id,
                "start": strategy.adopted,
                "end": None,
                "text": f"Strategy: {strategy.title}",
            }
        )
    for programme in session.scalars(select(Programme).where(Programme.actor_id == actor_id)):
        rows.append(
            {
                "entity": "programme",
                "id": programme.id,
                "kind": programme.kind,
                "start": programme.start,
                "end": programme.end,
                "text": f"Programme ({programme.kind}): {programme.name}",
            }
        )
    by_entity: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_entity.setdefault(row["entity"], []).append(row)
    for entity, group in by_entity.items():
        cited = citations(session, entity, [r["id"] for r in group])
        for row in group:
            row["sources"] = tidy_sources(cited.get(row["id"], []))
    return rows


_SOURCE_ENTITY = {
    "offices": "office",
    "ties": "tie",
    "strategies": "strategy",
    "programmes": "programme",
}


def _matches(row: dict[str, Any], indicator: dict[str, Any]) -> bool:
    if _SOURCE_ENTITY.get(indicator.get("from", "")) != row["entity"]:
        return False
    for name, allowed in (indicator.get("where") or {}).items():
        value = row.get(name)
        if isinstance(value, list):
            if not set(value) & set(allowed):
                return False
        elif value not in allowed:
            return False
    return True


def _dated(row: dict[str, Any]) -> bool:
    """A record whose start is known (an end date alone does not date its start)."""
    return _year(row.get("start")) is not None


def _active(row: dict[str, Any], year: int | None) -> bool:
    """In force in ``year``: every record when ``year`` is None, else dated ones that started by
    then and had not ended before it. Undated records are never active in a given year."""
    if year is None:
        return True
    start, end = _year(row.get("start")), _year(row.get("end"))
    return start is not None and start <= year and (end is None or end >= year)


def _profile(
    hits: list[tuple[dict[str, Any], dict[str, Any], str]],
    dims: list[str],
    stages: list[str],
    year: int | None,
) -> dict[str, dict[str, float]]:
    totals = {d: dict.fromkeys(stages, 0.0) for d in dims}
    for row, indicator, _ in hits:
        if not _active(row, year):
            continue
        for dim, adds in (indicator.get("adds") or {}).items():
            for stage, weight in adds.items():
                totals.setdefault(dim, dict.fromkeys(stages, 0.0))[stage] += float(weight)
    return totals


def _shares(weights: dict[str, float]) -> dict[str, float]:
    total = sum(weights.values())
    return {s: round(w / total, 3) if total else 0.0 for s, w in weights.items()}


def _overall(totals: dict[str, dict[str, float]], stages: list[str]) -> dict[str, float]:
    with_data = [_shares(w) for w in totals.values() if sum(w.values())]
    if not with_data:
        return dict.fromkeys(stages, 0.0)
    return {s: round(sum(d[s] for d in with_data) / len(with_data), 3) for s in stages}


def classify_actor(
    registry: Registry,
    actor: str,
    *,
    as_of: str | None = None,
    rubric: str | Path = "governance",
    evidence: str | Path | None = None,
    country: str | None = None,
) -> GovernanceProfile:
    """Score ``actor`` on the six dimensions of Fujiwara's Table 3 from its records."""
    spec = load_rubric(rubric)
    model = framework_file("fujiwara_governance_model")
    stages: list[str] = spec.get("stages") or model["stages"]
    dims = [d["key"] for d in model["dimensions"]]
    labels = {d["key"]: d["label"] for d in model["dimensions"]}
    user = load_user_evidence(evidence, target_key="dimension", value_key="stage")
    actor_id = find_actor(registry, actor, country=country)
    with registry.reader() as session:
        record = session.get(Actor, actor_id)
        info = {"key": record.key, "name": record.label, "kind": record.kind}
        rows = _records(session, actor_id)
    hits: list[tuple[dict[str, Any], dict[str, Any], str]] = []
    items: dict[tuple[str, int], EvidenceItem] = {}
    for row in rows:
        for indicator in spec.get("indicators") or []:
            if _matches(row, indicator):
                ident = (row["entity"], row["id"])
                if ident not in items:
                    items[ident] = EvidenceItem(
                        f"E{len(items) + 1}",
                        row["entity"],
                        row["id"],
                        row["text"],
                        row.get("start"),
                        row["sources"],
                    )
                items[ident].signals.append(indicator["key"])
                hits.append((row, indicator, items[ident].id))
    extra = _user_hits(user, dims, stages, hits)
    year = _checked_year(as_of)
    thin_below = int(spec.get("thin_below", 3))
    totals = _profile(hits, dims, stages, year)
    dimensions = []
    for dim in dims:
        shares = _shares(totals[dim])
        in_dim = [
            (row, ident) for row, ind, ident in hits if _active(row, year) and dim in (ind.get("adds") or {})
        ]
        used = sorted({ident for _, ident in in_dim}, key=_order)
        undated_here = sorted({ident for row, ident in in_dim if not _dated(row)}, key=_order)
        dimensions.append(
            {
                "dimension": dim,
                "label": labels[dim],
                "weights": totals[dim],
                "shares": shares,
                "leading": _leading(shares, spec.get("mixed_margin", 0.2)),
                "evidence": used,
                "evidence_count": len(used),
                "undated_evidence": undated_here,
                "thin_evidence": 0 < len(used) < thin_below,
                "overridden": False,
                "override_reason": "",
            }
        )
    _apply_overrides(dimensions, user, stages)
    used_ids = {i for d in dimensions for i in d["evidence"]}
    everything = list(items.values()) + extra
    table = [e for e in everything if e.id in used_ids]
    undated_ids = {ident for row, _, ident in hits if not _dated(row)}
    undated = [e for e in everything if e.id in undated_ids]
    dated_count = len({ident for row, _, ident in hits if _dated(row)})
    basis = {
        "computed_by": "paradiplomacy governance rubric (not a stage the paper assigns)",
        "rubric": str(rubric),
        "records_used": len(table),
        "dated_records": dated_count,
        "undated_records": len(undated),
        "thin_below": thin_below,
        "thin_evidence": len(table) < thin_below,
        "time_rule": (
            f"as of {year}: only records dated to start by {year} and not ended before it; "
            "undated records are listed apart and not used"
            if year is not None
            else "at any date: every record, dated or not; the timeline uses dated records only"
        ),
    }
    return GovernanceProfile(
        actor=info,
        as_of=as_of,
        stages=stages,
        stage_labels=model["stage_labels"],
        dimensions=dimensions,
        overall=_overall(totals, stages),
        evidence=table,
        timeline=_timeline(hits, dims, stages, year, thin_below),
        undated=undated,
        basis=basis,
        paper=_paper_statement(model),
    )


def _paper_statement(model: dict[str, Any]) -> dict[str, Any]:
    """What Fujiwara states that bears on a profile: the stages and their order, not a placement."""
    return {
        "source": model.get("source", "fujiwara2025"),
        "locator": model.get("locator", "Table 3"),
        "states": "Table 3 defines three stages (Traditional Administration, New Public Management, "
        "Network Governance) over six dimensions, as a sequence over time; the paper does not place "
        "any single local government in a stage.",
        "about_this_actor": "not_discussed",
    }


def _order(ident: str) -> tuple[str, int]:
    return ident[0], int(ident[1:])


def _leading(shares: dict[str, float], margin: float) -> str:
    ranked = sorted(shares.items(), key=lambda kv: -kv[1])
    if ranked[0][1] == 0:
        return "not_enough_evidence"
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < margin:
        return "mixed"
    return ranked[0][0]


def _user_hits(
    user: Any,
    dims: list[str],
    stages: list[str],
    hits: list[tuple[dict[str, Any], dict[str, Any], str]],
) -> list[EvidenceItem]:
    extra = []
    for number, raw in enumerate(user.items, 1):
        dim, stage = raw.get("dimension"), raw.get("stage")
        if dim not in dims or stage not in stages:
            raise EvidenceFileError(
                f"{user.path}: evidence {raw.get('text')!r} needs a dimension in "
                f"{dims} and a stage in {stages}"
            )
        item = EvidenceItem(
            f"U{number}",
            "user",
            None,
            str(raw["text"]),
            str(raw["date"]) if raw.get("date") else None,
            [str(raw["source"])],
            ["user"],
            "user",
        )
        row = {"start": item.date, "end": None}
        hits.append((row, {"adds": {dim: {stage: float(raw.get("weight", 1))}}}, item.id))
        extra.append(item)
    return extra


def _apply_overrides(dimensions: list[dict[str, Any]], user: Any, stages: list[str]) -> None:
    by_key = {d["dimension"]: d for d in dimensions}
    for override in user.overrides:
        if override.target not in by_key or override.value not in stages:
            raise EvidenceFileError(
                f"{user.path}: override needs a dimension in {sorted(by_key)} and a stage in {stages}"
            )
        by_key[override.target].update(
            leading=override.value,
            overridden=True,
            override_reason=f"{override.reason} ({override.source})" if override.source else override.reason,
        )


def _timeline(
    hits: list[tuple[dict[str, Any], dict[str, Any], str]],
    dims: list[str],
    stages: list[str],
    until: int | None,
    thin_below: int = 3,
) -> pd.DataFrame:
    """The overall profile in each year a dated record starts or ends (dated records only)."""
    dated = [hit for hit in hits if _dated(hit[0])]
    years = sorted(
        {
            y
            for row, _, _ in dated
            for y in (_year(row.get("start")), _year(row.get("end")))
            if y is not None and (until is None or y <= until)
        }
    )
    rows = []
    for year in years:
        totals = _profile(dated, dims, stages, year)
        active = len({ident for row, _, ident in dated if _active(row, year)})
        rows.append(
            {
                "year": year,
                **_overall(totals, stages),
                "records": active,
                "thin_evidence": active < thin_below,
            }
        )
    return pd.DataFrame(rows, columns=["year", *stages, "records", "thin_evidence"])


_LOCAL_KINDS = {"prefecture", "municipality", "ward"}


def office_operational_models(registry: Registry, *, include_national: bool = False) -> pd.DataFrame:
    """Local governments' overseas offices sorted into the paper's operational structures and stages.

    Columns: key, name, owners (names), owner_keys, owner_kind, model, structure (independent /
    joint / outsourced from the paper's three types, else the further form's label), stage (Table 3
    column, or None),
    one_person (True only where the paper says so), sequence (a stated change of model: "1 of 2,
    then <key>"), opened, closed. National agencies' own offices (JETRO, CLAIR, JNTO) are not local
    governments' offices: they are left out unless ``include_national`` (owner_kind then shows them).
    An office with no owner (an outsourced desk whose clients the paper does not name) is kept.
    """
    model = framework_file("fujiwara_governance_model")
    structures = model["office_operational_structures"]
    by_enum = {e: t["key"] for t in structures["types"] for e in t["enum"]}
    further: dict[str, str] = {}
    for form in structures["further_forms"]:
        for enum in form["enum"]:
            further.setdefault(enum, form["label"])
    office_dim = next(d for d in model["dimensions"] if d["key"] == "office_operational_model")
    stage_of = {e: s for s, enums in office_dim["enum_by_stage"].items() for e in enums}
    one_person = set((structures.get("one_person_offices") or {}).get("offices") or [])
    sequence: dict[str, str] = {}
    for change in structures.get("model_changes") or []:
        sequence[change["office"]] = f"1 of 2, then {change['then']}"
        sequence[change["then"]] = f"2 of 2, after {change['office']}"
    rows = []
    with registry.reader() as session:
        for office in session.scalars(select(Office).order_by(Office.key)):
            kinds = {o.actor.kind for o in office.owners}
            owner_kind = (
                "local_government"
                if kinds & _LOCAL_KINDS
                else "local_government (not named)"
                if not kinds
                else ", ".join(sorted(kinds))
            )
            if not owner_kind.startswith("local_government") and not include_national:
                continue
            rows.append(
                {
                    "key": office.key,
                    "name": office.name,
                    "owners": ", ".join(o.actor.label for o in office.owners),
                    "owner_keys": ", ".join(o.actor.key for o in office.owners),
                    "owner_kind": owner_kind,
                    "model": office.model,
                    "structure": by_enum.get(office.model)
                    or further.get(office.model, "model not stated in the source"),
                    "stage": stage_of.get(office.model),
                    "one_person": office.key in one_person,
                    "sequence": sequence.get(office.key, ""),
                    "opened": office.opened,
                    "closed": office.closed,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "key",
            "name",
            "owners",
            "owner_keys",
            "owner_kind",
            "model",
            "structure",
            "stage",
            "one_person",
            "sequence",
            "opened",
            "closed",
        ],
    )

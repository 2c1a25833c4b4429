"""Strategy and office profiles: Fujiwara's three pillars and overseas-office functions.

The pillars are Fujiwara's, but the paper classifies no individual strategy, so every pillar of a
strategy is said to come from one of: ``recorded`` (the record's own pillars, with its source),
``inferred`` (the tool's keyword rubric ``rubrics/pillars.yaml``, with the words that matched, their
number, and ``thin_evidence`` when a single word carries it) or ``not_enough_evidence`` (nothing
matched). Office functions map to the paper's four primary functions and its list of additional ones
(``fujiwara_governance_model.yaml``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import select

from paradiplomacy.corpus import framework_file
from paradiplomacy.frameworks.evidence import load_rubric
from paradiplomacy.frameworks.signals import tidy_sources
from paradiplomacy.resolve.find import find_actor
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Actor, Office, OfficeOwner, Strategy

__all__ = ["actor_summary", "infer_pillars", "office_functions", "strategy_pillars"]

PILLAR_COLUMNS = [
    "actor",
    "strategy",
    "adopted",
    "pillar",
    "status",
    "by",
    "matched",
    "evidence_count",
    "thin_evidence",
    "sources",
]
FUNCTION_COLUMNS = [
    "actor",
    "office",
    "model",
    "function",
    "group",
    "paper_function",
    "focus",
    "sources",
]


def infer_pillars(text_fields: dict[str, Any], rubric: dict[str, Any]) -> dict[str, list[str]]:
    """Pillar -> the rubric keywords found in ``text_fields`` (only pillars with a match)."""
    parts = []
    for name in rubric.get("fields", ["title", "themes"]):
        value = text_fields.get(name)
        parts.extend(value if isinstance(value, list) else [value or ""])
    text = " ".join(str(p) for p in parts).lower()
    found = {}
    for pillar, spec in (rubric.get("pillars") or {}).items():
        words = [w for w in spec.get("keywords", []) if w.lower() in text]
        if words:
            found[pillar] = words
    return found


def strategy_pillars(
    registry: Registry, actor: str | None = None, *, rubric: str | Path = "pillars"
) -> pd.DataFrame:
    """One row per strategy and pillar (recorded or inferred); pillar None where neither."""
    spec = load_rubric(rubric)
    query = select(Strategy).order_by(Strategy.adopted, Strategy.title)
    if actor is not None:
        query = query.where(Strategy.actor_id == find_actor(registry, actor))
    rows = []
    with registry.reader() as session:
        strategies = list(session.scalars(query))
        cited = citations(session, "strategy", [s.id for s in strategies])
        for s in strategies:
            base = {
                "actor": s.actor.key,
                "strategy": s.title,
                "adopted": s.adopted,
                "sources": "; ".join(tidy_sources(cited.get(s.id, []))),
            }
            if s.pillars:
                rows += [
                    base
                    | {
                        "pillar": p,
                        "status": "recorded",
                        "by": "the record's source",
                        "matched": "",
                        "evidence_count": None,
                        "thin_evidence": False,
                    }
                    for p in s.pillars
                ]
                continue
            fields = {"title": s.title, "title_ja": s.title_ja, "themes": s.themes, "note": s.note}
            inferred = infer_pillars(fields, spec)
            by = f"tool: keyword rubric {Path(str(rubric)).stem}"
            rows += [
                base
                | {
                    "pillar": p,
                    "status": "inferred",
                    "by": by,
                    "matched": ", ".join(w),
                    "evidence_count": len(w),
                    "thin_evidence": len(w) < 2,
                }
                for p, w in inferred.items()
            ]
            if not inferred:
                rows.append(
                    base
                    | {
                        "pillar": None,
                        "status": "not_enough_evidence",
                        "by": by,
                        "matched": "",
                        "evidence_count": 0,
                        "thin_evidence": False,
                    }
                )
    return pd.DataFrame(rows, columns=PILLAR_COLUMNS)


def _function_map() -> list[tuple[str, str, list[str]]]:
    spec = framework_file("fujiwara_governance_model")["office_functions"]
    entries = [("primary", f["label"], f["enum"]) for f in spec["primary"]]
    entries += [("additional", f["label"], f["enum"]) for f in spec["additional"]]
    return entries


def office_functions(registry: Registry, actor: str | None = None) -> pd.DataFrame:
    """One row per office and recorded function, with the paper's function(s) it stands for."""
    entries = _function_map()
    query = select(Office).order_by(Office.key)
    if actor is not None:
        actor_id = find_actor(registry, actor)
        query = query.join(OfficeOwner).where(OfficeOwner.actor_id == actor_id)
    rows = []
    with registry.reader() as session:
        offices = list(session.scalars(query))
        cited = citations(session, "office", [o.id for o in offices])
        for office in offices:
            owner = office.owners[0].actor.key if office.owners else ""
            for function in office.functions or []:
                matches = [(g, label) for g, label, enums in entries if function in enums]
                group = matches[0][0] if matches else "unmapped"
                rows.append(
                    {
                        "actor": owner,
                        "office": office.key,
                        "model": office.model,
                        "function": function,
                        "group": group,
                        "paper_function": " | ".join(label for _, label in matches),
                        "focus": ", ".join(office.focus or []),
                        "sources": "; ".join(tidy_sources(cited.get(office.id, []))),
                    }
                )
    return pd.DataFrame(rows, columns=FUNCTION_COLUMNS)


def actor_summary(registry: Registry, actor: str, *, rubric: str | Path = "pillars") -> dict[str, Any]:
    """An actor's strategies with pillars, offices with functions, and counts of each."""
    actor_id = find_actor(registry, actor)
    with registry.reader() as session:
        record = session.get(Actor, actor_id)
        info = {"key": record.key, "name": record.label, "kind": record.kind}
    pillars = strategy_pillars(registry, record.key, rubric=rubric)
    functions = office_functions(registry, record.key)
    known = pillars.dropna(subset=["pillar"])
    by_function = load_rubric(rubric).get("office_functions") or {}
    from_offices = {
        pillar: sorted(set(functions[functions["function"].isin(enums)]["office"]))
        for pillar, enums in by_function.items()
    }
    spec = framework_file("fujiwara_governance_model")["strategy_pillars"]
    return {
        "actor": info,
        "paper": {
            "source": "fujiwara2025",
            "locator": spec["locator"],
            "states": "defines three pillars of international strategies in general; classifies "
            "no individual strategy, so every pillar below is recorded or inferred, not the paper's",
        },
        "strategies": pillars.to_dict(orient="records"),
        "pillar_counts": {
            f"{p} ({s})": int(n) for (p, s), n in known.groupby(["pillar", "status"]).size().items()
        },
        "pillars_from_offices": {p: keys for p, keys in from_offices.items() if keys},
        "offices": functions.to_dict(orient="records"),
        "function_counts": {k: int(v) for k, v in functions["function"].value_counts().items()},
    }

"""A tie row names a tie the registry may already hold: find it, then enrich it, never duplicate it.

Which tie a row names (:func:`find_tie`):

* a ``sister``, ``friendship`` or ``twinning`` row (:data:`AFFILIATION_FAMILY`) names any tie of
  those kinds between the same two bodies, in either orientation; where one of them has the row's
  own kind, that one;
* failing that, the same tie held under a former name: by a predecessor of a party (a town merged
  into the row's city: 石巻市's Meßkirch tie is held by 旧河北町) or by a successor of a former body
  the row names;
* other kinds keep their own identity: same kind, same parties, same role.

Two ties that could both be the one named are a conflict (the row is refused), never a guess.

What a match does (:func:`compare`): a ``twinning`` tie given ``sister`` or ``friendship``, and an
empty start, end or note filled, are enrichment; a more precise date that agrees (1979 ->
1979-05-01) is a refinement; a contradiction (1965 against 1972, sister against friendship, an end
date for a tie recorded as active) is a conflict, settled by ``prefer`` (``old`` keeps the
registry's value, ``new`` takes the file's) or, without it, refused with both values named. An
undated tie whose status is ``unknown`` given a start becomes ``active`` (``ended`` with an end)
unless the row gives a status. A successor's tie that a row names by the former body and dates before
that body ended passes to the former body (the holder is refined: 静岡市 -> 旧清水市 for Omaha, 1965).
Whatever the outcome, the row (and its own source) is cited on the tie.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.report import Conflict, Enrichment
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.model.vocab import SYMMETRIC_KINDS, TieKind, TieStatus
from paradiplomacy.store.schema import Actor, Citation, Source, Tie
from paradiplomacy.store.succession import former_label, predecessors, successors

__all__ = [
    "AFFILIATION_FAMILY",
    "compare",
    "find_tie",
    "kind_conflict",
    "kind_outcome",
    "kinds_named_by",
    "orient",
    "store_tie",
    "tie_label",
]

#: The kinds a sister-city list's row may be recorded as: one affiliation, told apart or not.
AFFILIATION_FAMILY = frozenset({TieKind.SISTER.value, TieKind.FRIENDSHIP.value, TieKind.TWINNING.value})
_PREFER = ("new", "old")


def kinds_named_by(kind: str) -> frozenset[str]:
    """The kinds of stored tie a row of ``kind`` may be: the affiliation family, or the kind itself."""
    return AFFILIATION_FAMILY if kind in AFFILIATION_FAMILY else frozenset({kind})


def orient(kind: str, subject: tuple[int, str | None], obj: tuple[int, str | None]) -> tuple[int, int]:
    """Canonical direction of a symmetric tie between ``(id, country)`` pairs: the Japanese side
    first, else the lower id first; other kinds keep their direction."""
    if kind in SYMMETRIC_KINDS:
        if (subject[1] == "JP") != (obj[1] == "JP"):
            subject, obj = (subject, obj) if subject[1] == "JP" else (obj, subject)
        elif subject[0] > obj[0]:
            subject, obj = obj, subject
    return subject[0], obj[0]


@dataclass(frozen=True)
class Match:
    """The stored tie a row names; ``via`` says how when it is held under a former name."""

    tie: Tie
    via: str = ""
    #: (the successor holding the tie, the former body the row names) when the row names a former body
    heir: tuple[int, int] | None = None


@dataclass(frozen=True)
class Change:
    """One field of a matched tie: ``how`` is ``enriched``, ``refined`` or ``conflict``."""

    field: str
    old: str | None
    new: str | None
    how: str


def tie_label(session: Any, tie: Tie) -> str:
    """A tie as people name it: ``新潟市–Galveston`` (a former body as ``旧…``)."""
    return "–".join(_actor_label(session.get(Actor, i)) for i in (tie.subject_id, tie.object_id))


def _actor_label(actor: Actor) -> str:
    if actor.country == "JP" and actor.name_ja:
        return former_label(actor.name_ja) if actor.dissolved else actor.name_ja
    return actor.name_en or actor.name_ja or actor.key


def _between(
    session: Any, kinds: frozenset[str], a: set[int], b: set[int], role: str, symmetric: bool
) -> list[Tie]:
    pairs = [and_(Tie.subject_id.in_(a), Tie.object_id.in_(b))]
    if symmetric:
        pairs.append(and_(Tie.subject_id.in_(b), Tie.object_id.in_(a)))
    query = select(Tie).where(Tie.kind.in_(sorted(kinds)), Tie.role == role, or_(*pairs)).order_by(Tie.id)
    return list(session.scalars(query))


def _former_names(session: Any, actor_id: int) -> dict[int, str]:
    """The bodies that hold an actor's ties under a former name: its predecessors (``former body
    旧河北町``) and, for a former body, its successors (``successor 石巻市``), transitively."""
    found = {
        p["id"]: f"former body {former_label(p['name_ja'], p['name'])}"
        for p in predecessors(session, actor_id)
    }
    frontier, seen = [actor_id], {actor_id}
    while frontier:
        nxt = []
        for body in frontier:
            for heir in successors(session, body):
                if heir["id"] not in seen:
                    seen.add(heir["id"])
                    found.setdefault(heir["id"], f"successor {heir['name_ja'] or heir['name']}")
                    nxt.append(heir["id"])
        frontier = nxt
    found.pop(actor_id, None)
    return found


def find_tie(ctx: LoadContext, kind: str, subject_id: int, object_id: int, role: str = "") -> Match | None:
    """The stored tie a row of ``kind`` between two (oriented) actors names, or None; raise
    :class:`FieldError` when two ties could be the one."""
    session, kinds = ctx.session, kinds_named_by(kind)
    symmetric = kind in SYMMETRIC_KINDS
    direct = _between(session, kinds, {subject_id}, {object_id}, role, symmetric)
    own = [t for t in direct if t.kind == kind]
    if len(own) == 1 or len(direct) == 1:
        return Match((own or direct)[0])
    if direct:
        raise _ambiguous(session, direct)
    if kind not in AFFILIATION_FAMILY:
        return None
    names = {subject_id: {}, object_id: {}}
    for party in names:
        if ctx.country_of(party) == "JP":  # municipal history is Japan's
            names[party] = _former_names(session, party)
    if not names[subject_id] and not names[object_id]:
        return None
    sides = [{party, *names[party]} for party in (subject_id, object_id)]
    found = [
        t
        for t in _between(session, kinds, sides[0], sides[1], role, symmetric)
        if {t.subject_id, t.object_id} != {subject_id, object_id}
    ]
    if len(found) > 1:
        raise _ambiguous(session, found)
    if not found:
        return None
    tie = found[0]
    via = [names[p][i] for p in names for i in (tie.subject_id, tie.object_id) if i in names[p]]
    heir = next(
        (
            (i, p)
            for p in names
            for i in (tie.subject_id, tie.object_id)
            if names[p].get(i, "").startswith("successor")
        ),
        None,
    )
    return Match(tie, "; ".join(via), heir)


def _holder_change(ctx: LoadContext, match: Match, start: str | None) -> Change | None:
    """A tie the successor holds that a row names by the former body and dates before that body
    ended was the former body's: the holder is refined (静岡市 -> 旧清水市 for a 1965 tie)."""
    if match.heir is None or start is None:
        return None
    heir, former = (ctx.session.get(Actor, i) for i in match.heir)
    try:
        began, ended = PartialDate.parse(start), PartialDate.parse(former.dissolved or "")
    except ValueError:
        return None
    if began.latest() >= ended.earliest():
        return None
    return Change("holder", _actor_label(heir), _actor_label(former), "refined")


def _ambiguous(session: Any, ties: list[Tie]) -> FieldError:
    named = tuple(f"{t.kind} {tie_label(session, t)}" for t in ties)
    return FieldError(
        "object",
        "conflict: the registry holds more than one tie this row may name (nothing stored for this row; "
        "merge them first)",
        named,
    )


def kind_outcome(stored: str, kind: str) -> str:
    """How a row of ``kind`` meets the stored tie it names: ``unchanged`` (the same kind, or a
    ``twinning`` row for a sister or friendship tie), ``enriched`` (a ``twinning`` tie told apart) or
    ``conflict`` (sister against friendship)."""
    if kind == stored or (kind == TieKind.TWINNING and stored in AFFILIATION_FAMILY):
        return "unchanged"
    if stored == TieKind.TWINNING and kind in AFFILIATION_FAMILY:
        return "enriched"
    return "conflict"


def kind_conflict(ctx: LoadContext, tie_id: int, stored: str, row: int) -> str:
    """Record that a row of ``ctx.tie_kind`` (a pair list's) contradicts the stored kind of a tie;
    return the reason the row is refused, or "" when ``prefer`` settles it."""
    label = tie_label(ctx.session, ctx.session.get(Tie, tie_id))
    ctx.conflicts.append(Conflict("", row, label, "kind", stored, ctx.tie_kind, ctx.prefer or "rejected"))
    if ctx.prefer:
        return ""
    return (
        f"conflict with the registry's tie {label}: kind is {stored} there, the file says "
        f"{ctx.tie_kind} (nothing stored for this row; choose --prefer new or --prefer old)"
    )


def _date_change(name: str, old: str | None, new: str | None) -> Change | None:
    if new is None or old == new:
        return None
    if old is None:
        return Change(name, old, new, "enriched")
    try:
        stored, offered = PartialDate.parse(old), PartialDate.parse(new)
    except ValueError:
        return Change(name, old, new, "conflict")
    if _within(offered, stored):
        return Change(name, old, new, "refined")
    if _within(stored, offered):
        return None  # the file says less than the registry knows, and agrees
    return Change(name, old, new, "conflict")


def _within(fine: PartialDate, coarse: PartialDate) -> bool:
    """True when ``fine`` is ``coarse`` told more precisely (1979-05-01 within 1979)."""
    return coarse.earliest() <= fine.earliest() and fine.latest() <= coarse.latest() and fine != coarse


def compare(tie: Tie, kind: str, record: dict[str, Any]) -> list[Change]:
    """What the row would change on ``tie``, field by field."""
    changes: list[Change] = []
    how = kind_outcome(tie.kind, kind)
    if how != "unchanged":
        changes.append(Change("kind", tie.kind, kind, how))
    for name in ("start", "end"):
        change = _date_change(name, getattr(tie, name), record.get(name))
        if change is not None:
            changes.append(change)
    if record.get("note") and not tie.note:
        changes.append(Change("note", tie.note, record["note"], "enriched"))
    status = _offered_status(tie, record)
    if status is not None and status != tie.status:
        unknown = tie.status in (None, "", TieStatus.UNKNOWN)
        changes.append(Change("status", tie.status, status, "enriched" if unknown else "conflict"))
    return changes


def _offered_status(tie: Tie, record: dict[str, Any]) -> str | None:
    """The status the row gives: its own, ``ended`` with an end, ``active`` when it dates an
    undated tie of unknown status without an end; None when it says nothing."""
    if record.get("status"):
        return record["status"]
    if record.get("end"):
        return TieStatus.ENDED.value
    if record.get("start") and tie.start is None and tie.end is None and tie.status == TieStatus.UNKNOWN:
        return TieStatus.ACTIVE.value
    return None


def _protected(ctx: LoadContext, tie: Tie) -> bool:
    """True when a built-in source that records facts (a paper, not a bundled pair list, whose
    ties are undated ``twinning``) cites this built-in tie: its values are then built in."""
    if not ctx.guard.is_builtin(tie):
        return False
    sources = ctx.session.scalars(
        select(Source)
        .join(Citation, Citation.source_id == Source.id)
        .where(Citation.entity == "tie", Citation.entity_id == tie.id, Source.kind != "dataset")
    )
    return any(ctx.guard.is_builtin(source) for source in sources)


def store_tie(
    ctx: LoadContext, kind: str, subject_id: int, object_id: int, record: dict[str, Any], row: int
) -> str:
    """Add the tie a row records, or enrich the stored tie it names; return the outcome
    (``added``, ``enriched``, ``refined``, ``unchanged`` or ``conflict``)."""
    if subject_id == object_id:
        raise FieldError("object", "a tie needs two different actors (subject and object are the same)")
    subject_id, object_id = orient(
        kind, (subject_id, ctx.country_of(subject_id)), (object_id, ctx.country_of(object_id))
    )
    role = record.get("role") or ""
    match = find_tie(ctx, kind, subject_id, object_id, role)
    if match is None:
        status = record.get("status") or ("ended" if record.get("end") else "unknown")
        values = {k: record.get(k) for k in ("start", "end", "note")}
        tie = Tie(kind=kind, subject_id=subject_id, object_id=object_id, role=role, status=status, **values)
        ctx.session.add(tie)
        ctx.session.flush()
        ctx.cite("tie", tie.id, record, row)
        return "added"
    tie, label = match.tie, tie_label(ctx.session, match.tie)
    changes = compare(tie, kind, record)
    clashes = [c for c in changes if c.how == "conflict"]
    settled = ctx.prefer if ctx.prefer in _PREFER else "rejected"
    ctx.conflicts.extend(
        Conflict("", row, label, c.field, c.old or "", c.new or "", settled) for c in clashes
    )
    if clashes and settled == "rejected":
        said = "; ".join(f"{c.field} is {c.old or '-'} there, the file says {c.new or '-'}" for c in clashes)
        raise FieldError(
            clashes[0].field,
            f"conflict with the registry's tie {label}: {said} (nothing stored for this row; "
            "choose --prefer new or --prefer old)",
        )
    taken = [c for c in changes if c.how != "conflict" or settled == "new"]
    if settled == "new" and clashes and _protected(ctx, tie):
        ctx.guard.check(tie, {c.field: c.new for c in clashes}, f"tie {label}")
    for change in taken:
        setattr(tie, change.field, change.new)
    holder = _holder_change(ctx, match, tie.start)
    if holder is not None and match.heir is not None:
        heir, former = match.heir
        tie.subject_id, tie.object_id = (former if i == heir else i for i in (tie.subject_id, tie.object_id))
        changes.append(holder)
    ctx.session.flush()
    ctx.cite("tie", tie.id, record, row)
    outcome = next(
        (how for how in ("conflict", "enriched", "refined") if any(c.how == how for c in changes)),
        "unchanged",
    )
    if changes:
        shown = tuple((c.field, c.old or "", c.new or "", c.how) for c in changes)
        ctx.changes.append(Enrichment("", row, label, outcome, match.via, shown))
    return outcome


def one_partner_of(session: Any, actor_id: int, candidates: list[int]) -> int | None:
    """The one of ``candidates`` that already has a tie with ``actor_id`` (either way), else None."""
    held = set(
        session.scalars(
            select(Tie.object_id).where(Tie.subject_id == actor_id, Tie.object_id.in_(candidates))
        )
    ) | set(
        session.scalars(
            select(Tie.subject_id).where(Tie.object_id == actor_id, Tie.subject_id.in_(candidates))
        )
    )
    return held.pop() if len(held) == 1 else None

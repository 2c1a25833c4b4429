"""Bulk import of twinning pair lists (``city1,country1,lat1,lng1,city2,...``).

Each distinct place reference (name, country, point) is resolved once, however many rows repeat it;
ties, names and citations are written with bulk inserts. What a row's coordinates can say is used:

* A point that the file gives to several different names of one country may be a geocoder's
  placeholder (one point for "somewhere in Japan") or a successor's point for a merged town: the
  point is tried first, and when no place of the name lies near it, the name is resolved as if no
  point were given. A point outside Japan for a Japanese place is set aside (counted in the notes).
* Japanese names follow :mod:`.japanese_rules` with the level rule on (``levels``): a bare
  "Fukuoka" is the city. Foreign names use the gazetteer's ranked resolver.
* A point that fits no place of the name and lies in another country than the row says (the
  registry's nearest place is abroad: the geocoder found a namesake there) is set aside too.
* A foreign name left ambiguous with no usable point is taken for its namesake over
  :data:`PROMINENT_RATIO` times as populous as every other, if there is one (:func:`prominent`).
* With ``create_missing``, a foreign place the gazetteers lack — no place of that name, or none
  near the row's (trusted) coordinates — is created from the file's name and coordinates; never a
  Japanese one, never an ambiguous name, never one without coordinates.

Rows that cannot be resolved are rejected with file, row, field, reason and candidates, and with
``queue`` kept in ``unresolved_row`` so that they can be reviewed later (``paradiplomacy unresolved``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from sqlalchemy import insert, select, update

from paradiplomacy.ingest.context import LoadContext
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.ingest.queue import queued_row, replace_queue
from paradiplomacy.ingest.readers import RawFile
from paradiplomacy.ingest.report import ImportReport, Rejection
from paradiplomacy.ingest.ties import kind_conflict, kind_outcome, kinds_named_by, orient
from paradiplomacy.ingest.validate import check_record
from paradiplomacy.model.vocab import ActorKind, TieKind
from paradiplomacy.reference.names import normalize, split_qualifier
from paradiplomacy.reference.resolver import (
    REGIONAL_WORDS,
    Candidate,
    Resolution,
    dominant,
    lookup_keys,
    place_parts,
)
from paradiplomacy.resolve.directory import HOME_COUNTRY, ActorDirectory, name_row
from paradiplomacy.resolve.japanese_rules import CLOSE_KM, LEVELS, REGIONAL
from paradiplomacy.store.schema import Actor, ActorName, Citation, Tie

__all__ = ["JAPAN_BOX", "PROMINENT_RATIO", "in_japan", "load_pairs", "placeholder_points", "prominent"]

Progress = Callable[[int, int], None]
Point = tuple[float, float]
#: (south, north, west, east) of Japan's territory; a Japanese place outside it has a wrong point.
JAPAN_BOX = (20.0, 46.0, 122.0, 154.5)
#: How much more populous than its namesakes a place must be to be taken for a bare foreign name
#: when the row gives no usable point (see :func:`prominent`).
PROMINENT_RATIO = 5


def placeholder_points(records: list[tuple[int, dict[str, Any]]]) -> set[tuple[str, Point]]:
    """(country, point) pairs that the file gives to two or more unrelated names."""
    names: dict[tuple[str, Point], set[frozenset[str]]] = defaultdict(set)
    for _row, record in records:
        for side in ("1", "2"):
            lat, lon = record.get(f"lat{side}"), record.get(f"lng{side}")
            if lat is not None and lon is not None and record.get(f"city{side}"):
                names[(record.get(f"country{side}") or "", (lat, lon))].add(_words(record[f"city{side}"]))
    return {key for key, found in names.items() if _unrelated(found)}


#: Words that name a kind of place, not a place (``El Dorado County`` and ``Orange County`` differ).
_GENERIC_WORDS = frozenset(
    {
        "city",
        "county",
        "district",
        "town",
        "township",
        "village",
        "borough",
        "province",
        "prefecture",
        "region",
        "municipality",
        "shi",
        "machi",
        "mura",
        "ward",
        "the",
        "saint",
        "san",
        "santa",
        "new",
        "north",
        "south",
        "east",
        "west",
        "upon",
        "sur",
    }
)


@lru_cache(maxsize=65536)
def _words(name: str) -> frozenset[str]:
    """The words of a name and its qualifier, normalised (words of three letters or more)."""
    base, qualifier = split_qualifier(name)
    words = (normalize(word) for part in (base, qualifier) if part for word in re.split(r"[\s,;/–—-]+", part))
    return frozenset(word for word in words if len(word) >= 3 and word not in _GENERIC_WORDS)


def _unrelated(names: set[frozenset[str]]) -> bool:
    """True when two of the names share no word (``Warringah (Northern Beaches)`` and ``Northern
    Beaches``, ``El Dorado`` and ``El Dorado County`` name one place two ways; ``Yamatsuri`` and
    ``Sugito`` do not)."""
    found = list(names)
    return any(not (a & b) for i, a in enumerate(found) for b in found[i + 1 :])


def load_pairs(
    ctx: LoadContext,
    raw: RawFile,
    spec,
    report: ImportReport,
    progress: Progress | None = None,
    *,
    levels: bool = True,
    level_by: str = "name",
    queue: bool = False,
) -> None:
    """Load every row of a pair list into ``ctx.session`` (the caller commits or rolls back)."""
    records: list[tuple[int, dict[str, Any]]] = []
    queued: list[dict[str, Any]] = []
    for row in raw.rows:
        data = {**raw.defaults, **{k: v for k, v in row.data.items() if v not in (None, "")}}
        try:
            record = spec.convert(data)
            check_record(spec.name, record)
            records.append((row.number, record))
        except FieldError as error:
            _reject(report, raw, row.number, error, data, queued)
    # a directory of its own: its indexes hold only what this file's rows need (see preload)
    ctx = replace(ctx, directory=ActorDirectory(ctx.session))
    loader = _PairLoader(ctx, placeholder_points(records), levels, level_by)
    loader.preload(records)
    resolved: list[tuple[int, int, int]] = []
    for done, (number, record) in enumerate(records, start=1):
        outcomes = loader.like_with_like(record, number, [loader.outcome(record, s, number) for s in "12"])
        for side, found in zip(("1", "2"), outcomes, strict=True):
            if record[f"country{side}"] == HOME_COUNTRY:
                loader.notes[
                    "Japanese places resolved" if isinstance(found, int) else "Japanese places not resolved"
                ] += 1
        error = next((found for found in outcomes if isinstance(found, FieldError)), None)
        if error is None and outcomes[0] == outcomes[1]:
            error = FieldError("city2", "both sides name the same place")
        if error is not None:
            _reject(report, raw, number, error, record, queued)
        else:
            resolved.append((number, outcomes[0], outcomes[1]))
        if progress is not None and (done % 500 == 0 or done == len(records)):
            progress(done, len(records))
    real = loader.create_pending()
    existing = _existing_ties(ctx, loader.kind)
    kinds = _kinds(ctx, set(existing.values())) if loader.kind != TieKind.TWINNING else {}
    retyped: set[int] = set()
    cited = _cited_rows(ctx)
    new_ties: dict[tuple[int, int], dict[str, Any]] = {}
    citations: list[tuple[tuple[int, int], int]] = []
    for number, first, second in resolved:
        first, second = real.get(first, first), real.get(second, second)
        pair = orient(loader.kind, (first, loader.country[first]), (second, loader.country[second]))
        tie_id = existing.get(pair)
        if tie_id is not None:
            how = kind_outcome(kinds[tie_id], loader.kind) if kinds else "unchanged"
            refused = how == "conflict" and kind_conflict(ctx, tie_id, kinds[tie_id], number)
            if refused:
                report.rejections.append(Rejection(str(raw.path), number, "tie_kind", refused))
                continue
            if how == "enriched" or (how == "conflict" and ctx.prefer == "new"):
                kinds[tie_id] = loader.kind  # a twinning tie told apart (or --prefer new)
                retyped.add(tie_id)
            fresh = (tie_id, number) not in cited
            report.outcomes[how if how != "unchanged" else "updated" if fresh else "unchanged"] += 1
            if fresh:
                citations.append((pair, number))
        elif pair in new_ties:
            report.outcomes["updated"] += 1
            citations.append((pair, number))
        else:
            new_ties[pair] = {
                "kind": loader.kind,
                "subject_id": pair[0],
                "object_id": pair[1],
                "role": "",
                "status": "unknown",
                "start": None,
                "end": None,
                "note": None,
            }
            report.outcomes["added"] += 1
            citations.append((pair, number))
    for tie_id in retyped:
        ctx.session.execute(update(Tie).where(Tie.id == tie_id).values(kind=kinds[tie_id]))
    _write(ctx, new_ties, existing, citations)
    report.resolutions = _named(ctx, [(n, real.get(a, a), real.get(b, b)) for n, a, b in resolved])
    if queue:
        replace_queue(ctx, queued)
    report.notes.update(loader.notes)


class _PairLoader:
    """Resolves the places of pair rows, once per distinct reference."""

    def __init__(
        self, ctx: LoadContext, placeholders: set[tuple[str, Point]], levels: bool, level_by: str = "name"
    ) -> None:
        self.ctx = ctx
        self.kind = ctx.tie_kind
        self.placeholders = placeholders
        self.levels = levels
        self.level_by = level_by
        self.cache: dict[tuple[str, str | None, Point | None, int | None], int | FieldError] = {}
        self.pending: dict[tuple[str, str, str], tuple[int, str, Point, int]] = {}
        self.spellings: dict[tuple[str, str, str], set[str]] = defaultdict(set)  # names of each
        self.country: dict[int, str | None] = {}
        self.kind_of: dict[int, str | None] = {}
        self.notes: Counter[str] = Counter()

    def reference(
        self, record: dict[str, Any], side: str, *, count: bool = True
    ) -> tuple[str, str | None, Point | None]:
        """(name, country, point) of one side: a Japanese place's point outside Japan is set aside
        (and, with ``count``, counted in the notes)."""
        name, country, near, reason = self._trusted(record, side)
        if count and reason:
            self.notes[f"coordinates set aside: {reason}"] += 1
        return name, country, near

    def _trusted(self, record: dict[str, Any], side: str) -> tuple[str, str | None, Point | None, str]:
        name, country = record[f"city{side}"], record[f"country{side}"]
        lat, lon = record[f"lat{side}"], record[f"lng{side}"]
        near: Point | None = (lat, lon) if lat is not None and lon is not None else None
        if near is None:
            return name, country, None, ""
        if country == HOME_COUNTRY and not in_japan(near):
            return name, country, None, "outside Japan for a Japanese place"
        return name, country, near, ""

    def preload(self, records: list[tuple[int, dict[str, Any]]]) -> None:
        """Build the name indexes of the foreign countries named, from the actors these rows can
        need only (see :meth:`ActorDirectory.preload`); Japan's is built whole."""
        refs: dict[str, list[tuple[frozenset[str], Point | None]]] = defaultdict(list)
        seen: set[tuple[str, str | None, Point | None]] = set()
        for _row, record in records:
            for side in ("1", "2"):
                name, country, near = self.reference(record, side, count=False)
                if country and country != HOME_COUNTRY and (name, country, near) not in seen:
                    seen.add((name, country, near))
                    lat, lon = record[f"lat{side}"], record[f"lng{side}"]
                    point = (lat, lon) if lat is not None and lon is not None else None
                    refs[country].append((frozenset(lookup_keys(name)), point))
        self.ctx.directory.preload(refs)

    def outcome(
        self, record: dict[str, Any], side: str, row: int, partner_level: int | None = None
    ) -> int | FieldError:
        """The actor id of one side of a row (negative: a place to create), or the
        :class:`FieldError` naming the side's field.

        The row's point is tried first. When no place of the name lies near it, the point is set
        aside if it lies in another country than the row says (a geocoder's namesake abroad) or if
        the file gives it to unrelated names too (a placeholder, or a successor's point for a merged
        town), and the name is resolved as if no point were given; otherwise, with
        ``create_missing``, a foreign place is created at the point. ``partner_level`` is the level
        of the other party (see :meth:`like_with_like`)."""
        name, country, near = self.reference(record, side, count=partner_level is None)
        key = (name, country, near, partner_level)
        if key not in self.cache:
            self.cache[key] = self._settle(f"city{side}", name, country, near, row, partner_level)
        return self.cache[key]

    def like_with_like(
        self, record: dict[str, Any], row: int, outcomes: list[int | FieldError]
    ) -> list[int | FieldError]:
        """Resolve a side again when the other party is a prefecture or a region: a name that a
        city and a prefecture (or a city and a state) share then means the regional body."""
        if not self.levels:
            return outcomes
        again = list(outcomes)
        for at, side in enumerate("12"):
            other = outcomes[1 - at]
            if isinstance(other, int) and LEVELS.get(self._kind(other) or "") == REGIONAL:
                again[at] = self.outcome(record, side, row, partner_level=REGIONAL)
        return again

    def _kind(self, actor_id: int) -> str | None:
        if actor_id < 0:  # a place to create from the file
            return ActorKind.FOREIGN_CITY.value
        if actor_id not in self.kind_of:
            self.kind_of[actor_id] = self.ctx.session.scalar(select(Actor.kind).where(Actor.id == actor_id))
        return self.kind_of[actor_id]

    def _settle(
        self,
        field: str,
        name: str,
        country: str | None,
        near: Point | None,
        row: int,
        partner_level: int | None = None,
    ) -> int | FieldError:
        found = self._lookup(name, country, near, partner_level)
        if isinstance(found, int):
            return found
        if near is not None:
            doubt = self._doubt(country, near)
            if doubt:
                self.notes[f"coordinates set aside: {doubt}"] += 1
                again = self._lookup(name, country, None, partner_level)
                return (
                    again
                    if isinstance(again, int)
                    else self.ctx.directory.failure(field, name, country, again)
                )
            if (
                self.ctx.create_missing
                and found.status == "unresolved"
                and country not in (None, HOME_COUNTRY)
            ):
                return self._defer(name, country, near, row)
        return self.ctx.directory.failure(field, name, country, found)

    def _doubt(self, country: str | None, near: Point) -> str:
        """Why a point that fits no place of the name should not be used at all ("" if none)."""
        if country not in (None, HOME_COUNTRY) and self.ctx.directory.points.country(near) not in (
            None,
            country,
        ):
            return "they lie in another country"
        if (country or "", near) in self.placeholders:
            return "the file gives the same point to other names"
        return ""

    def _lookup(
        self, name: str, country: str | None, near: Point | None, partner_level: int | None = None
    ) -> int | Resolution:
        """The actor a name (with its point) resolves to, or the failed resolution."""
        directory = self.ctx.directory
        exact = directory.exact(name)
        if exact is not None:
            self.country[exact] = self.ctx.country_of(exact)
            return exact
        resolution = directory.try_resolve(
            name,
            country=country,
            near=near,
            levels=self.levels,
            level_by=self.level_by,
            partner_level=partner_level,
        )
        match = resolution.match if resolution.status == "resolved" else None
        if (
            match is None
            and resolution.status == "ambiguous"
            and near is None
            and self.levels
            and country not in (None, HOME_COUNTRY)
        ):
            match = prominent(name, resolution.candidates)
            if match is not None:
                self.notes[f"no usable point: the namesake over {PROMINENT_RATIO}x as populous"] += 1
        if match is None:
            return resolution
        if "like with like" in match.reason:
            self.notes["like with like: the other party is a region, so the prefecture"] += 1
        elif "level rule" in match.reason:
            self.notes["level rule: municipality before ward before prefecture"] += 1
        if "nearest level" in match.reason:
            self.notes[f"coordinates chose the level: the namesake within {CLOSE_KM:.0f} km"] += 1
        if "inside the prefecture" in match.reason:
            self.notes["coordinates at the prefecture's point: the place of the name inside it"] += 1
        if "nearest to the given coordinates" in match.reason:
            self.notes["chosen among namesakes by the coordinates"] += 1
        self.country[int(match.entity_id)] = match.country
        self.kind_of[int(match.entity_id)] = match.kind
        return int(match.entity_id)

    def _part_of(self, name: str, country: str, near: Point) -> tuple[str, int | None]:
        """The own name of a place to create and the actor containing it: ``Seoul – Mapo`` and
        ``Mapo (Seoul)`` are Mapo, inside Seoul when Seoul resolves near the point."""
        own, outer = place_parts(name)
        if outer is None:
            return own, None
        found = self.ctx.directory.try_resolve(outer, country=country, near=near).match
        if found is not None and found.kind != ActorKind.NATIONAL_GOVERNMENT:
            self.notes["places created inside the place their name gives (Seoul – Mapo, Mapo (Seoul))"] += 1
            return own, int(found.entity_id)
        return own, None

    def _defer(self, name: str, country: str, near: Point, row: int) -> int:
        """A provisional (negative) id for a place to create once every row is resolved; the names
        of one place (``Seoul – Mapo``, ``Mapo (Seoul)``) share it."""
        own, outer = place_parts(name)
        slot = (country, normalize(own), normalize(outer or ""))
        if slot not in self.pending:
            self.pending[slot] = (-1 - len(self.pending), name, near, row)
            self.country[self.pending[slot][0]] = country
        self.spellings[slot].add(name)
        return self.pending[slot][0]

    def create_pending(self) -> dict[int, int]:
        """Create the deferred places (bulk insert, with names and a citation each); return the
        map from provisional to real ids."""
        if not self.pending:
            return {}
        session = self.ctx.session
        taken = set(session.scalars(select(Actor.key).where(Actor.key.like("place-%"))))
        rows = []
        names: list[tuple[str, ...]] = []
        for slot_key, (_slot, name, near, _row) in self.pending.items():
            country = slot_key[0]
            base = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "place"
            key, suffix = f"place-{country.lower()}-{base}", 1
            while key in taken:
                suffix += 1
                key = f"place-{country.lower()}-{base}-{suffix}"
            taken.add(key)
            own, parent = self._part_of(name, country, near)
            rows.append(
                {
                    "key": key,
                    "kind": (
                        ActorKind.FOREIGN_REGION if _REGIONAL_NAME.search(own) else ActorKind.FOREIGN_CITY
                    ).value,
                    "name_en": own,
                    "country": country,
                    "lat": near[0],
                    "lon": near[1],
                    "parent_id": parent,
                    "note": "created from an import file: not in the gazetteer",
                }
            )
            names.append(tuple(dict.fromkeys((own, name, *sorted(self.spellings[slot_key])))))
        session.execute(insert(Actor.__table__), rows)
        wanted = [r["key"] for r in rows]
        ids: dict[str, int] = {}
        for start in range(0, len(wanted), 500):
            ids.update(
                session.execute(
                    select(Actor.key, Actor.id).where(Actor.key.in_(wanted[start : start + 500]))
                ).all()
            )
        real: dict[int, int] = {}
        for row, (slot, _name, _near, _row) in zip(rows, self.pending.values(), strict=True):
            actor_id = ids[row["key"]]
            real[slot] = actor_id
            self.country[actor_id] = row["country"]
        session.execute(
            insert(ActorName.__table__),
            [name_row(ids[row["key"]], name) for row, own in zip(rows, names, strict=True) for name in own],
        )
        session.execute(
            insert(Citation.__table__),
            [
                {
                    "source_id": self.ctx.file_source.id,
                    "entity": "actor",
                    "entity_id": real[slot],
                    "locator": "",
                    "row": number,
                }
                for slot, _name, _near, number in self.pending.values()
            ],
        )
        self.notes["places created from the file (not in the gazetteers)"] += len(rows)
        return real


#: A created place whose name ends with one of these words is a region, not a city.
_REGIONAL_NAME = re.compile(rf"\b({'|'.join(REGIONAL_WORDS)})\s*$", re.IGNORECASE)


def prominent(name: str, candidates: tuple[Candidate, ...]) -> Candidate | None:
    """Among the places whose own name is ``name`` (aliases left out: "Cambridge" is also an
    alternate name of Newton), the one over :data:`PROMINENT_RATIO` times as populous as every
    other, if any. Used for a pair list's foreign name when the row gives no usable point: its
    geocoder matched the name to the best-known namesake abroad (Cambridge, England), so the row's
    place is taken to be the best-known namesake in the stated country (Cambridge, Massachusetts)."""
    key = normalize(split_qualifier(name)[0])
    own = [c for c in candidates if normalize(c.name) == key]
    return dominant(own, ratio=PROMINENT_RATIO)


def in_japan(point: Point) -> bool:
    south, north, west, east = JAPAN_BOX
    return south <= point[0] <= north and west <= point[1] <= east


def _named(ctx: LoadContext, rows: list[tuple[int, int, int]]) -> list[tuple[int, str, str, str, str]]:
    """Each resolved row with the key and name of its two places."""
    wanted = sorted({i for _n, a, b in rows for i in (a, b)})
    named: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 500):
        for actor_id, key, en, ja in ctx.session.execute(
            select(Actor.id, Actor.key, Actor.name_en, Actor.name_ja).where(
                Actor.id.in_(wanted[start : start + 500])
            )
        ):
            named[actor_id] = (key, f"{en} ({ja})" if en and ja and en != ja else en or ja or key)
    return [(n, *named[a], *named[b]) for n, a, b in rows]


def _existing_ties(ctx: LoadContext, kind: str) -> dict[tuple[int, int], int]:
    """The tie a row of ``kind`` may be, by (subject, object) in both orders: a sister, friendship
    or twinning row may be any of those ties between the same places (:func:`.ties.kinds_named_by`),
    and where several exist, the tie of ``kind``."""
    kinds = sorted(kinds_named_by(kind))
    rows = ctx.session.execute(
        select(Tie.subject_id, Tie.object_id, Tie.id, Tie.kind).where(Tie.kind.in_(kinds), Tie.role == "")
    ).all()
    found: dict[tuple[int, int], int] = {}
    for subject, obj, tie_id, _kind in sorted(rows, key=lambda r: (r.kind == kind, r.id)):
        found[(obj, subject)] = found[(subject, obj)] = tie_id
    return found


def _kinds(ctx: LoadContext, ids: set[int]) -> dict[int, str]:
    """The stored kind of each of these ties."""
    found: dict[int, str] = {}
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        found.update(
            ctx.session.execute(select(Tie.id, Tie.kind).where(Tie.id.in_(wanted[start : start + 500]))).all()
        )
    return found


def _cited_rows(ctx: LoadContext) -> set[tuple[int, int]]:
    rows = ctx.session.execute(
        select(Citation.entity_id, Citation.row).where(
            Citation.source_id == ctx.file_source.id, Citation.entity == "tie"
        )
    )
    return {(i, r) for i, r in rows}


def _write(
    ctx: LoadContext,
    new_ties: dict[tuple[int, int], dict[str, Any]],
    existing: dict[tuple[int, int], int],
    citations: list[tuple[tuple[int, int], int]],
) -> None:
    session = ctx.session
    if new_ties:
        session.execute(insert(Tie.__table__), list(new_ties.values()))
        existing = {**existing, **_existing_ties(ctx, ctx.tie_kind)}
    if citations:
        session.execute(
            insert(Citation.__table__),
            [
                {
                    "source_id": ctx.file_source.id,
                    "entity": "tie",
                    "entity_id": existing[pair],
                    "locator": "",
                    "row": row,
                }
                for pair, row in citations
            ],
        )


def _reject(
    report: ImportReport,
    raw: RawFile,
    row: int,
    error: FieldError,
    record: dict[str, Any],
    queued: list[dict[str, Any]],
) -> None:
    report.rejections.append(Rejection(str(raw.path), row, error.field, error.reason, error.candidates))
    queued.append(queued_row("pair", row, error.field, error.reason, error.candidates, record))

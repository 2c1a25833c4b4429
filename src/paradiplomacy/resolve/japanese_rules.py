"""How a place name is resolved with the evidence of a row: Japan's current and former local
governments, and foreign places when the row gives coordinates.

The rules, in order (each is reported in the resolution's reason):

1. **Predecessors give way.** A former municipality drops out when a body it merged into is also a
   candidate (``Susono`` is the city, not the town it was until 1971).
2. **Coordinates decide first.** With coordinates, only candidates within :data:`NEAR_KM` of them
   stay (:data:`FORMER_NEAR_KM` for former municipalities, whose points are approximate, and
   :data:`PREFECTURE_NEAR_KM` for prefectures, whose point is a representative point inside them). None
   left: the name is *not resolved* and the nearest candidate's distance is reported, even for a
   single candidate — a name far from where the row says it is names something else. A foreign
   region with no point of its own (a state, a province) fits a point that lies in it, judged by
   the region of the registry's place nearest to the point. A point near
   a prefecture of the name (within its tolerance) also fits the places of the name inside that
   prefecture: a geocoder that met the bare name ``Wakayama`` gave the prefecture's point, which is
   where the city lies too (:data:`PREFECTURE_NEAR_KM`).
3. **Current before former** without coordinates: a name that a current body bears means it
   (``Gumma`` is 群馬県, not the town 群馬町 merged into Takasaki in 2006) — but not a ward alone,
   which often keeps the name of the city merged into its own (``Urawa`` is 旧浦和市, not 浦和区).
4. **Level rule** (pair lists, ``levels=True``): a bare name means the municipality before the ward
   of a designated city before the prefecture, and a city before a town before a village
   (``Fukuoka`` is Fukuoka City, ``Kawasaki`` the city, not its Kawasaki ward; ``Kushiro`` the city,
   not the neighbouring town), unless a qualifier or the coordinates already decided. Within a level,
   a namesake within :data:`CLOSE_KM` of the coordinates goes before farther ones (``Shimizu`` at
   清水町's point is the town, not the former city 49 km away). **Like with like**: when the
   other party of the tie is itself a prefecture or a region (a state, a province), the rule is
   turned round and the prefecture goes first (``partner_level``). With ``level_by="coordinates"``
   the row's point chooses the level instead: the namesakes within :data:`CLOSE_KM` of it go before
   the others, whatever their level, and a prefecture's point no longer fits the places inside it.
   That reading suits a list whose points were taken for the bodies it means; the bundled lists'
   points for a bare prefecture name are often the prefecture's (``Niigata`` at Niigata
   Prefecture's point, for ties that are Niigata City's), hence the default ``"name"``.
5. One left: resolved. Several: the clearly nearest to the coordinates, else (with a qualifier
   that held) one over twenty times as populous as every namesake; otherwise ambiguous.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.reference.resolver import (
    FUZZY_RESOLVE,
    Candidate,
    NameIndex,
    Resolution,
    distance_km,
    dominant,
    nearest,
    with_reason,
    without_namesakes_nearby,
)
from paradiplomacy.store.schema import Actor, Succession

__all__ = ["FORMER_NEAR_KM", "LEVELS", "NEAR_KM", "REGIONAL", "JapaneseHistory", "resolve_by_rules"]

NEAR_KM = 50.0
#: Within one level of government, a namesake this close to the coordinates wins over farther ones.
CLOSE_KM = 30.0
FORMER_NEAR_KM = 50.0
PREFECTURE_NEAR_KM = 150.0
LEVELS = {
    ActorKind.MUNICIPALITY.value: 3,
    ActorKind.WARD.value: 2,
    ActorKind.PREFECTURE.value: 1,
    ActorKind.FOREIGN_CITY.value: 3,
    ActorKind.FOREIGN_REGION.value: 1,
}
#: Within the municipal level, a bare name means the city before the town before the village
#: (``Kushiro`` is 釧路市, not its neighbour 釧路町).
#: The level of prefectures and foreign regions (states, provinces) in :data:`LEVELS`.
REGIONAL = 1
TYPE_ORDER = {"designated_city": 3, "city": 3, "special_ward": 3, "town": 2, "village": 1}


class JapaneseHistory:
    """Which Japanese actors are former bodies, and the bodies each one merged into (transitively)."""

    def __init__(self, session: Session) -> None:
        self.dissolved: dict[int, str] = dict(
            session.execute(select(Actor.id, Actor.dissolved).where(Actor.dissolved.is_not(None))).all()
        )
        self.lg_type: dict[int, str] = dict(
            session.execute(select(Actor.id, Actor.lg_type).where(Actor.lg_type.is_not(None))).all()
        )
        #: the body each Japanese local government lies in (a municipality's prefecture)
        self.parent: dict[int, int] = dict(
            session.execute(
                select(Actor.id, Actor.parent_id).where(
                    Actor.lg_type.is_not(None), Actor.parent_id.is_not(None)
                )
            ).all()
        )
        direct: dict[int, list[int]] = defaultdict(list)
        for pred, succ in session.execute(select(Succession.predecessor_id, Succession.successor_id)):
            direct[pred].append(succ)
        self._direct = direct
        self._closure: dict[int, frozenset[int]] = {}

    def is_former(self, actor_id: int) -> bool:
        """True for a body that no longer exists."""
        return actor_id in self.dissolved

    def heirs(self, actor_id: int) -> frozenset[int]:
        """Every body that took over from this one, directly or through later changes."""
        if actor_id not in self._closure:
            seen: set[int] = set()
            stack = list(self._direct.get(actor_id, ()))
            while stack:
                nxt = stack.pop()
                if nxt not in seen:
                    seen.add(nxt)
                    stack.extend(self._direct.get(nxt, ()))
            self._closure[actor_id] = frozenset(seen)
        return self._closure[actor_id]


_PREFECTURE_FIRST = re.compile(r"^(北海道|東京都|京都府|大阪府|[^\s（(]{2,3}?県)\s*([^\s（()）]+[市区町村])$")


def _prefecture_first(text: str) -> str | None:
    """``新潟県新潟市`` as ``新潟市（新潟県）``: the prefecture written before the municipality, as
    addresses and some lists write it; ``None`` for other names."""
    match = _PREFECTURE_FIRST.match(text.strip())
    return f"{match[2]}（{match[1]}）" if match else None


def resolve_by_rules(
    index: NameIndex,
    history: JapaneseHistory,
    text: str,
    *,
    near: tuple[float, float] | None = None,
    levels: bool = False,
    level_by: str = "name",
    partner_level: int | None = None,
    regions_at: Callable[[tuple[float, float]], frozenset[int]] | None = None,
) -> Resolution:
    """Resolve a name among one country's places (for Japan, current and former local governments)
    by the module's rules; ``partner_level`` is the :data:`LEVELS` value of the tie's other party,
    when known (the like-with-like rule); ``regions_at`` gives the ids of the regions a point lies in
    (to place a foreign region that has no point of its own)."""
    candidates, exact, qualified = index.candidates(text, near=near)
    if not exact and (within := _prefecture_first(text)) is not None:  # 新潟県新潟市
        found = resolve_by_rules(
            index,
            history,
            within,
            near=near,
            levels=levels,
            level_by=level_by,
            partner_level=partner_level,
            regions_at=regions_at,
        )
        if found.status == "resolved" or not candidates:
            return found
    if not candidates:
        return Resolution("unresolved", text, None, ())
    ranked = tuple(candidates[:10])
    group = candidates if exact else [c for c in candidates if c.score * 100 >= FUZZY_RESOLVE]
    ids = {int(c.entity_id) for c in group}
    group = [c for c in group if not (history.heirs(int(c.entity_id)) & ids)]
    if not group:  # only weak fuzzy matches
        return Resolution("unresolved" if near is not None else "ambiguous", text, None, ranked)
    if near is not None:
        close = [c for c in group if _fits(c, near, history, regions_at)]
        if level_by == "name":
            close = _with_places_inside(close, group, history)
        close = without_namesakes_nearby(close) if len(close) > 1 else close
        if not close:
            far = min(group, key=lambda c: _km(c, near) or float("inf"))
            km = _km(far, near)
            shown = f"{km:.0f} km" if km is not None else "no known point"
            others = tuple(c for c in ranked if c.entity_id != far.entity_id)
            return Resolution(
                "unresolved",
                text,
                None,
                (with_reason(far, f"{shown} from the given coordinates"), *others),
                reason=f"no place named {text!r} near the given "
                f"coordinates (nearest: {far.name}, {shown} away)",
            )
        group = close
    if near is None and len(group) > 1:
        current = [c for c in group if not history.is_former(int(c.entity_id))]
        if any(c.kind != ActorKind.WARD.value for c in current) and len(current) < len(group):
            group = current
    if levels and len(group) > 1 and near is not None and level_by == "coordinates":
        group = _nearest_level(group, near)
    if levels and len(group) > 1:
        group = _by_level(group, history, near, partner_level)
    if (
        not exact
        and near is None
        and len(group) == 1
        and len(candidates) > 1
        and candidates[1].score > group[0].score - 0.08
    ):
        return Resolution("ambiguous", text, None, ranked)
    if len(group) == 1 and (qualified or near is not None):
        return Resolution("resolved", text, _with_distance(group[0], near), ranked)
    if near is not None and (pick := nearest(group, near)) is not None:
        return Resolution(
            "resolved",
            text,
            _with_distance(with_reason(pick, "nearest to the given coordinates"), near),
            ranked,
        )
    if exact and qualified and near is None and (big := dominant(group)) is not None:
        return Resolution("resolved", text, big, ranked)
    return Resolution("ambiguous", text, None, tuple(group[:10]) if group else ranked)


def _fits(
    candidate: Candidate,
    near: tuple[float, float],
    history: JapaneseHistory,
    regions_at: Callable[[tuple[float, float]], frozenset[int]] | None,
) -> bool:
    """Whether a candidate lies within its tolerance of the point (rule 2); a foreign region without
    a point of its own, whether the point lies in it (``regions_at``)."""
    km = _km(candidate, near)
    if km is None:
        return (
            candidate.kind == ActorKind.FOREIGN_REGION.value
            and regions_at is not None
            and int(candidate.entity_id) in regions_at(near)
        )
    return km <= _tolerance(history, candidate)


def _with_places_inside(
    close: list[Candidate], group: list[Candidate], history: JapaneseHistory
) -> list[Candidate]:
    """``close`` and the candidates lying inside a prefecture among them (rule 2)."""
    prefectures = {int(c.entity_id) for c in close if c.kind == ActorKind.PREFECTURE.value}
    if not prefectures:
        return close
    taken = {int(c.entity_id) for c in close}
    inside = [
        with_reason(c, "inside the prefecture whose point the coordinates give")
        for c in group
        if int(c.entity_id) not in taken and history.parent.get(int(c.entity_id)) in prefectures
    ]
    return close + inside


def _nearest_level(group: list[Candidate], near: tuple[float, float]) -> list[Candidate]:
    """With ``level_by="coordinates"``: when the namesakes within :data:`CLOSE_KM` of the point are
    all of one level and some of another level lie farther, keep the near ones."""
    close = [c for c in group if (km := _km(c, near)) is not None and km <= CLOSE_KM]
    levels = {LEVELS.get(c.kind or "", 0) for c in close}
    if len(levels) != 1 or len(close) == len(group):
        return group
    return [with_reason(c, f"nearest level: within {CLOSE_KM:.0f} km of the coordinates") for c in close]


def _by_level(
    group: list[Candidate],
    history: JapaneseHistory,
    near: tuple[float, float] | None,
    partner_level: int | None = None,
) -> list[Candidate]:
    """The level rule: the highest level of government first (the lowest, a prefecture, when the
    tie's other party is a prefecture or a region); within it, a namesake within :data:`CLOSE_KM`
    of the coordinates before one farther off; then city before town before village."""
    found = {LEVELS.get(c.kind or "", 0) for c in group}
    like = partner_level == REGIONAL and REGIONAL in found and len(found) > 1
    top = REGIONAL if like else max(found)
    kept = [c for c in group if LEVELS.get(c.kind or "", 0) == top]
    if like:
        kept = [
            with_reason(c, "like with like: the other party is a region, so the prefecture") for c in kept
        ]
    if near is not None and len(kept) > 1:
        closer = [c for c in kept if (km := _km(c, near)) is not None and km <= CLOSE_KM]
        if closer and len(closer) < len(kept):
            kept = [with_reason(c, f"within {CLOSE_KM:.0f} km, its namesakes farther") for c in closer]
    best = max(TYPE_ORDER.get(history.lg_type.get(int(c.entity_id), ""), 0) for c in kept)
    kept = [c for c in kept if TYPE_ORDER.get(history.lg_type.get(int(c.entity_id), ""), 0) == best]
    if len(kept) < len(group):
        kept = [
            with_reason(
                c, "level rule: municipality before ward before prefecture, city before town before village"
            )
            for c in kept
        ]
    return kept


def _km(candidate: Candidate, near: tuple[float, float]) -> float | None:
    if candidate.lat is None or candidate.lon is None:
        return None
    return distance_km(near, (candidate.lat, candidate.lon))


def _tolerance(history: JapaneseHistory, candidate: Candidate) -> float:
    if candidate.kind in (ActorKind.PREFECTURE.value, ActorKind.FOREIGN_REGION.value):
        return PREFECTURE_NEAR_KM
    return FORMER_NEAR_KM if history.is_former(int(candidate.entity_id)) else NEAR_KM


def _with_distance(candidate: Candidate, near: tuple[float, float] | None) -> Candidate:
    if near is None or (km := _km(candidate, near)) is None:
        return candidate
    return with_reason(candidate, f"{km:.1f} km from the given coordinates")

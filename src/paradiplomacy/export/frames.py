"""Selecting the rows of an export: one pandas frame per table, with readable keys and sources.

Everything is read with a handful of bulk queries inside one read transaction and then filtered in
pandas, so a full registry (tens of thousands of actors and ties) is selected in about a second.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import JSON, Connection, Float, Integer, Table, inspect, select

from paradiplomacy.model.vocab import TieKind
from paradiplomacy.reference.world import country_code
from paradiplomacy.store.registry import Registry, RegistryError
from paradiplomacy.store.schema import RECORD_TABLES, Base

TABLES: dict[str, Table] = dict(Base.metadata.tables)
DEFAULT_TABLES: tuple[str, ...] = tuple(
    name
    for record in RECORD_TABLES
    for name in ((record, "office_owner") if record == "office" else (record,))
)
"""What an export holds when no tables are named: every record table plus office ownership."""
ALL_TABLES: tuple[str, ...] = DEFAULT_TABLES + tuple(sorted(set(TABLES) - set(DEFAULT_TABLES)))
"""Every table that can be named (``actor_name``, ``citation`` and ``meta`` only on request)."""
SEP = "|"
"""Separator of the citations in a ``sources`` value and of list items in graph attributes."""

_KEYED = ("actor", "office", "coalition", "source")


class ExportError(RegistryError):
    """An export that cannot be made as asked (bad format, table, selection or output path).

    A :class:`RegistryError`, so the CLI's error handling prints it without a traceback.
    """


@dataclass(frozen=True)
class ExportSelection:
    """Which tables and rows an export holds.

    ``countries`` keeps the ties with an end in one of these ISO 3166 alpha-2 countries and, in the
    other tables, the records that touch such an actor (offices located in or owned from them,
    coalitions with such a member, observations whose dimensions name them); the actors are then
    those the kept records touch plus the actors of those countries that hold any record.
    ``tie_kinds`` keeps only ties of these kinds. ``only_linked_actors`` leaves out actors that no
    kept record touches (the gazetteer's bare places); the actor rows always cover every actor the
    kept records refer to.
    """

    tables: tuple[str, ...] | None = None
    countries: tuple[str, ...] = ()
    tie_kinds: tuple[str, ...] = ()
    only_linked_actors: bool = True

    def checked(self) -> ExportSelection:
        """A normalised copy (upper-case countries, no duplicates); raise :class:`ExportError`."""
        tables = self.tables
        if tables is not None:
            tables = _unique((tables,) if isinstance(tables, str) else tables)
            if not tables:
                raise ExportError("no table selected: name at least one table, or none for all")
            unknown = [t for t in tables if t not in TABLES]
            if unknown:
                raise ExportError(
                    f"unknown table {', '.join(map(repr, unknown))}; known tables: {', '.join(ALL_TABLES)}"
                )
        given = _tuple(self.countries)
        bad = [c for c in given if country_code(c) is None]
        if bad:
            raise ExportError(f"unknown country: {', '.join(map(repr, bad))} (use ISO codes or names)")
        countries = _unique(country_code(c) for c in given)
        kinds = _unique(_tuple(self.tie_kinds))
        known = {k.value for k in TieKind}
        bad = [k for k in kinds if k not in known]
        if bad:
            raise ExportError(
                f"unknown tie kind {', '.join(map(repr, bad))}; known kinds: {', '.join(sorted(known))}"
            )
        return replace(self, tables=tables, countries=countries, tie_kinds=kinds)

    @property
    def filtered(self) -> bool:
        """True when rows are narrowed by country or tie kind."""
        return bool(self.countries or self.tie_kinds)

    def as_dict(self) -> dict[str, Any]:
        """The selection as plain JSON-ready values."""
        return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}


EVERYTHING = ExportSelection()
"""The default selection: every record table, every linked actor."""


def tables_as_frames(registry: Registry, selection: ExportSelection = EVERYTHING) -> dict[str, pd.DataFrame]:
    """The selected rows of every selected table, keyed by table name, in export order.

    Each frame has the table's columns (nullable dtypes; JSON columns as Python lists and dicts),
    a ``<name>_key`` column after every reference to an actor, office, coalition or source
    (``actor_keys`` for a coalition event's ``actor_ids``) and, on record tables, a ``sources``
    column: ``source_key (locator) row N`` per citation, joined with ``|``.
    """
    selection = selection.checked()
    wanted = selection.tables or DEFAULT_TABLES
    extra = [name for name in wanted if name not in DEFAULT_TABLES]
    frames = select_frames(registry, selection, extra=extra)
    return {name: frames[name] for name in wanted}


def select_frames(
    registry: Registry, selection: ExportSelection, extra: Iterable[str] = ()
) -> dict[str, pd.DataFrame]:
    """Every default table (plus ``extra`` ones) narrowed to ``selection`` (already checked)."""
    if not inspect(registry.engine).has_table("actor"):
        raise ExportError(f"{registry!r} has no registry tables: run `paradiplomacy init` first")
    with registry.engine.connect() as conn, conn.begin():
        raw = {name: _read(conn, name) for name in DEFAULT_TABLES}
        citations = _read_citations(conn)
        kept = _select_rows(raw, selection, citations)
        extras = {name: _read_extra(conn, name, kept) for name in extra}
    keys = {name: pd.Series(raw[name]["key"].to_numpy(), index=raw[name]["id"].to_numpy()) for name in _KEYED}
    texts = _citation_texts(citations)
    out = {name: _decorate(name, frame, keys, texts.get(name, {})) for name, frame in kept.items()}
    out.update({name: _decorate(name, frame, keys, None) for name, frame in extras.items()})
    return out


def _read(conn: Connection, name: str) -> pd.DataFrame:
    """A whole table in primary-key order (owners of an office in their lead-first order)."""
    table = TABLES[name]
    order = [table.c.office_id, table.c.position] if name == "office_owner" else []
    query = select(table).order_by(*order, *table.primary_key.columns)
    return _typed(pd.read_sql(query, conn), table)


def _typed(frame: pd.DataFrame, table: Table) -> pd.DataFrame:
    """Give every column the nullable dtype of its schema type (also when the table is empty)."""
    dtypes: dict[str, str] = {}
    for column in table.columns:
        if isinstance(column.type, JSON):
            frame[column.name] = frame[column.name].astype(object)
            continue
        dtypes[column.name] = (
            "Int64"
            if isinstance(column.type, Integer)
            else "Float64"
            if isinstance(column.type, Float)
            else "string"
        )
    return frame.astype(dtypes)


def _read_citations(conn: Connection) -> pd.DataFrame:
    citation, source = TABLES["citation"], TABLES["source"]
    query = (
        select(
            citation.c.id,
            citation.c.entity,
            citation.c.entity_id,
            citation.c.source_id,
            source.c.key.label("source_key"),
            citation.c.locator,
            citation.c.row,
        )
        .join(source, source.c.id == citation.c.source_id)
        .order_by(citation.c.id)
    )
    return pd.read_sql(query, conn)


def _citation_texts(citations: pd.DataFrame) -> dict[str, dict[int, str]]:
    """``source_key (locator) row N`` per citation, joined with ``|`` per cited record."""
    texts: dict[str, dict[int, list[str]]] = {}
    names = ("entity", "entity_id", "source_key", "locator", "row")
    columns = [citations[name].tolist() for name in names]
    for entity, entity_id, key, locator, row in zip(*columns, strict=True):
        text = f"{key} ({locator})" if locator else str(key)
        if row and row > 0:
            text += f" row {row}"
        texts.setdefault(entity, {}).setdefault(int(entity_id), []).append(text)
    return {entity: {i: SEP.join(t) for i, t in ids.items()} for entity, ids in texts.items()}


def _select_rows(
    raw: dict[str, pd.DataFrame], sel: ExportSelection, citations: pd.DataFrame
) -> dict[str, pd.DataFrame]:
    """Apply country and tie-kind filters, then choose the actors and sources that go with them."""
    frames = dict(raw)
    actors = raw["actor"]
    country_of = pd.Series(actors["country"].to_numpy(), index=actors["id"].to_numpy())
    countries = set(sel.countries)

    def touches(ids: pd.Series) -> pd.Series:
        return ids.map(country_of).isin(countries).fillna(False).astype(bool)

    def within(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
        return frame[mask.to_numpy(dtype=bool)].reset_index(drop=True)

    ties = raw["tie"]
    if sel.tie_kinds:
        ties = within(ties, ties["kind"].isin(sel.tie_kinds))
    if countries:
        ties = within(ties, touches(ties["subject_id"]) | touches(ties["object_id"]))
        owners, office = raw["office_owner"], raw["office"]
        owned_there = owners.loc[touches(owners["actor_id"]).to_numpy(), "office_id"]
        frames["office"] = office = within(
            office,
            office["country"].isin(countries).fillna(False)
            | touches(office["city_id"])
            | office["id"].isin(owned_there),
        )
        frames["office_owner"] = within(owners, owners["office_id"].isin(office["id"]))
        for name in ("strategy", "adoption"):
            frames[name] = within(raw[name], touches(raw[name]["actor_id"]))
        budget = raw["budget_line"]  # lines without an actor are national (Japanese) aggregates
        frames["budget_line"] = within(
            budget, touches(budget["actor_id"]) | (budget["actor_id"].isna() & ("JP" in countries))
        )
        programme = raw["programme"]
        frames["programme"] = within(
            programme, touches(programme["actor_id"]) | touches(programme["partner_id"])
        )
        members = raw["coalition_member"]
        joined = members.loc[touches(members["actor_id"]).to_numpy(), "coalition_id"]
        frames["coalition"] = coalitions = within(raw["coalition"], raw["coalition"]["id"].isin(joined))
        for name in ("coalition_member", "coalition_event"):
            frames[name] = within(raw[name], raw[name]["coalition_id"].isin(coalitions["id"]))
        observation = raw["observation"]
        frames["observation"] = within(
            observation, observation["dimensions"].map(lambda dims: _names_country(dims, countries))
        )
    frames["tie"] = ties

    picked = _referenced(frames)
    if countries:
        pool = actors["id"].isin(_referenced(raw)) if sel.only_linked_actors else True
        keep = actors["id"].isin(picked) | (actors["country"].isin(countries).fillna(False) & pool)
        frames["actor"] = within(actors, keep)
    elif sel.only_linked_actors:
        frames["actor"] = within(actors, actors["id"].isin(picked))
    if sel.filtered:
        records = {name: frame for name, frame in frames.items() if name != "source"}
        cited = citations.loc[_kept_citations(citations, records).to_numpy(), "source_id"]
        frames["source"] = within(raw["source"], raw["source"]["id"].isin(cited))
    return frames


def _referenced(frames: dict[str, pd.DataFrame]) -> set[int]:
    """Ids of the actors that the non-actor records in ``frames`` refer to."""
    ids: set[int] = set()
    for name in DEFAULT_TABLES:
        if name == "actor":
            continue
        for fk in TABLES[name].foreign_keys:
            if fk.column.table.name == "actor":
                ids.update(frames[name][fk.parent.name].dropna().astype(int))
    for actor_ids in frames["coalition_event"]["actor_ids"]:
        ids.update(int(i) for i in actor_ids or ())
    return ids


def _names_country(dims: Any, countries: set[str]) -> bool:
    if not isinstance(dims, dict):
        return False
    for key, value in dims.items():
        if "country" in str(key).lower():
            values = value if isinstance(value, list) else [value]
            if any(str(v).upper() in countries for v in values):
                return True
    return False


def _read_extra(conn: Connection, name: str, kept: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """An on-request table (actor names, citations, meta), narrowed to the kept rows."""
    if name == "actor_name":
        frame = _read(conn, name)
        return frame[frame["actor_id"].isin(kept["actor"]["id"]).to_numpy(dtype=bool)]
    if name == "citation":
        frame = _read(conn, name)
        return frame[_kept_citations(frame, kept).to_numpy()]
    return _read(conn, name)


def _kept_citations(citations: pd.DataFrame, kept: dict[str, pd.DataFrame]) -> pd.Series:
    mask = pd.Series(False, index=citations.index)
    for name, frame in kept.items():
        if "id" in frame.columns:
            mask |= (citations["entity"] == name) & citations["entity_id"].isin(frame["id"])
    return mask.fillna(False).astype(bool)


def _decorate(
    name: str, frame: pd.DataFrame, keys: dict[str, pd.Series], sources: dict[int, str] | None
) -> pd.DataFrame:
    """Add key columns after references, ``actor_keys`` and (record tables) ``sources``."""
    frame = frame.reset_index(drop=True)
    references = sorted(TABLES[name].foreign_keys, key=lambda fk: fk.parent.name)
    for fk in references:
        target = fk.column.table.name
        if target not in keys or not fk.parent.name.endswith("_id"):
            continue
        column = fk.parent.name.removesuffix("_id") + "_key"
        values = frame[fk.parent.name].map(keys[target]).astype("string")
        frame.insert(frame.columns.get_loc(fk.parent.name) + 1, column, values)
    if "actor_ids" in frame.columns:
        actor_key = keys["actor"]
        frame.insert(
            frame.columns.get_loc("actor_ids") + 1,
            "actor_keys",
            frame["actor_ids"]
            .map(lambda ids: [actor_key.get(int(i), str(i)) for i in ids or ()])
            .astype(object),
        )
    if sources is not None and name != "source" and "id" in frame.columns:
        frame["sources"] = pd.array([sources.get(i, "") for i in frame["id"].tolist()], dtype="string")
    return frame


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (``None`` where missing), fast on large frames."""
    names = [str(c) for c in frame.columns]
    columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in names]
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _tuple(value: Iterable[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))

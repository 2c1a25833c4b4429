"""Property-based tests of the validators and the import API, for every record kind.

Hostile records (control characters, markup, impossible dates, NaN, infinities, huge integers,
booleans, nested values, duplicate owners, built-in keys ...) are written as CSV, JSON or YAML and
imported. Whatever happens: no exception but :class:`ImportFailure`; a dry run reports exactly what
the real import then does; a rejected import leaves the registry byte for byte unchanged; the
database passes ``PRAGMA integrity_check``; everything stored satisfies the field invariants.
"""

from __future__ import annotations

import csv
import json
import math
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paradiplomacy.ingest import import_file
from paradiplomacy.ingest.errors import FieldError, ImportFailure
from paradiplomacy.ingest.specs import SPECS
from paradiplomacy.ingest.validate import check_record
from paradiplomacy.model.dates import PartialDate
from paradiplomacy.model.text import unsafe_characters
from tests.robust_support import digest, integrity_ok, small_registry, stored_values, tried

HOSTILE_TEXT = [
    "0000",
    "2001-02-30",
    "2001-13",
    "2001-02-29",
    "2000-02-29",
    "9999-12-31",
    "2200-12-31",
    "2201",
    "0001",
    "10000",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e999",
    "-1",
    "-0",
    "1,407",
    "1407.5",
    "9" * 30,
    "9223372036854775808",
    "-9223372036854775809",
    "1782",
    "-654",
    "[/bold] x",
    "[red]",
    "\x1b[31mred",
    "a\x00b",
    "\u202eevil",
    "\x9b2J",
    "line\nbreak",
    "x" * 10_001,
    "",
    " ",
    ";",
    "=",
    "a=1;b",
    "jp-401005",
    "401005",
    "Kitakyushu",
    "北九州市",
    "Sapporo",
    "Dalian",
    "Portland",
    "cn-dalian",
    "kd",
    "off-1",
    "obs-1",
    "paper1",
    "nope-unknown",
    "JP",
    "US",
    "Kitakyushu;Kitakyushu",
    "jp-401005;北九州市",
    "sister",
    "friendship",
    "bank",
    "trade_promotion",
    "independent",
    "yen",
    "billion_yen",
    "JPY",
    "¥¥¥",
    "true",
]
scalars = st.one_of(
    st.sampled_from(HOSTILE_TEXT),
    st.text(max_size=12),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
)
values = st.one_of(
    scalars, st.lists(scalars, max_size=4), st.dictionaries(st.text(max_size=6), scalars, max_size=3)
)
FOLDER = Path(tempfile.mkdtemp(prefix="robust-import-"))
DATE_COLUMNS = {"start", "end", "opened", "closed", "adopted", "founded", "date", "as_of", "started", "ended"}
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def records_for(kind: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    spec = SPECS[kind]
    names = sorted(spec.fields) + [f"{ref}_country" for ref in sorted(spec.refs)]
    record = st.dictionaries(st.sampled_from([*names, "bogus"]), values, max_size=len(names))
    return st.lists(record, min_size=1, max_size=4)


def _csv_cell(value: Any) -> str:
    if isinstance(value, list):
        return ";".join(map(str, value))
    if isinstance(value, dict):
        return ";".join(f"{k}={v}" for k, v in value.items())
    return "" if value is None else str(value)


def write_file(records: list[dict[str, Any]], fmt: str, name: str) -> Path:
    path = FOLDER / f"{name}.{fmt}"
    if fmt == "csv":
        columns = sorted({c for r in records for c in r})
        with path.open("w", newline="", encoding="utf-8", errors="surrogatepass") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns or ["note"])
            for r in records:
                writer.writerow([_csv_cell(r.get(c)) for c in columns])
    elif fmt == "yaml":
        try:
            path.write_text(yaml.safe_dump(records, allow_unicode=False), encoding="utf-8")
        except (yaml.YAMLError, UnicodeError):
            return write_file(records, "json", name)
    else:
        path.write_text(json.dumps(records), encoding="utf-8")  # NaN/Infinity as Python writes them
    return path


@pytest.fixture(scope="module")
def registry(tmp_path_factory):
    return small_registry(tmp_path_factory.mktemp("robust-import"))


def _check_stored(registry) -> None:
    """Invariants over everything stored, whatever was imported."""
    for table, column, value in stored_values(registry):
        if isinstance(value, float):
            assert math.isfinite(value), (table, column, value)
        if isinstance(value, int):
            assert -(2**63) <= value < 2**63
        if isinstance(value, str):
            assert not unsafe_characters(value), (table, column, value)
            if column in DATE_COLUMNS and table != "meta":
                assert PartialDate.parse(value).year >= 1, (table, column, value)
        if column == "lat" and value is not None:
            assert -90 <= value <= 90
        if column == "lon" and value is not None:
            assert -180 <= value <= 180
        if table == "budget_line" and column in ("amount", "fiscal_year"):
            assert value >= 0
        if table == "actor" and column == "parent_id" and value is not None:
            assert value != 0


@pytest.mark.parametrize("kind", sorted(SPECS))
@SETTINGS
@given(data=st.data())
def test_hostile_records_never_crash_and_dry_run_tells_the_truth(registry, kind, data) -> None:
    _import_twice(registry, kind, data, data.draw(records_for(kind)), "hostile")


def _import_twice(registry, kind: str, data, records: list[dict], label: str) -> bool:
    """Import ``records`` dry, then for real: the dry run changes nothing and tells the truth, a
    rejected import leaves no trace, and what is stored is sound. False if the file was refused."""
    fmt = data.draw(st.sampled_from(["csv", "json", "yaml"]))
    partial = data.draw(st.booleans())
    create = kind == "pair" and data.draw(st.booleans())
    path = write_file(records, fmt, f"{kind}-{label}")
    tried(f"import:{kind}", len(records))
    before = digest(registry)
    try:
        dry = import_file(registry, path, kind, partial=partial, dry_run=True, create_missing=create)
    except ImportFailure:
        assert digest(registry) == before and integrity_ok(registry)
        return False
    assert digest(registry) == before, "a dry run changed the registry"
    real = import_file(registry, path, kind, partial=partial, create_missing=create)
    assert dict(real.outcomes) == dict(dry.outcomes)
    assert [(r.row, r.field, r.reason) for r in real.rejections] == [
        (r.row, r.field, r.reason) for r in dry.rejections
    ]
    if not real.committed:
        assert digest(registry) == before, "a rejected import changed the registry"
    assert integrity_ok(registry)
    _check_stored(registry)
    return True


@pytest.mark.parametrize("kind", sorted(SPECS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_validators_return_typed_values_or_field_errors(kind, data) -> None:
    spec = SPECS[kind]
    record = data.draw(st.dictionaries(st.sampled_from(sorted(spec.fields)), values))
    tried(f"validate:{kind}")
    try:
        converted = spec.convert(record)
        check_record(kind, converted)
    except FieldError as error:
        assert error.field and error.reason
        return
    for name, value in converted.items():
        if isinstance(value, float):
            assert math.isfinite(value)
        if isinstance(value, str):
            assert not unsafe_characters(value) and len(value) <= 20_000
        if name in DATE_COLUMNS and value is not None:
            assert 1 <= PartialDate.parse(value).year <= 2200


PLAUSIBLE: dict[str, dict[str, Any]] = {
    "source": {"key": "src-x", "kind": "paper", "title": "T", "year": 2001},
    "actor": {
        "key": "new-actor",
        "kind": "bank",
        "name_en": "New",
        "country": "US",
        "lat": 1.5,
        "lon": 2.5,
        "parent": "bank-x",
        "population": 10,
    },
    "tie": {"kind": "sister", "subject": "Sapporo", "object": "Portland", "start": "1959", "end": "2000"},
    "office": {
        "key": "off-2",
        "name": "O",
        "owners": ["Sapporo", "jp-401005"],
        "city": "Dalian",
        "model": "independent",
        "functions": ["trade_promotion"],
        "staff": 3,
    },
    "strategy": {
        "actor": "Sapporo",
        "title": "Plan",
        "adopted": "2010",
        "pillars": ["acquire_external_demand"],
        "revised": ["2015"],
    },
    "budget": {
        "actor": "Sapporo",
        "fiscal_year": 2001,
        "category": "exchange",
        "amount": 1000,
        "unit": "thousand_yen",
        "currency": "JPY",
    },
    "programme": {
        "key": "prog-1",
        "actor": "Sapporo",
        "name": "P",
        "kind": "exchange",
        "partner": "Portland",
        "start": "1990",
    },
    "adoption": {"actor": "Sapporo", "policy": "overseas_office", "date": "2005-04"},
    "coalition": {"key": "co-2", "name": "C", "started": "2000", "ended": "2004"},
    "coalition_member": {"coalition": "kd", "member": "Dalian", "role": "initiator"},
    "coalition_event": {
        "coalition": "kd",
        "date": "1981",
        "title": "E",
        "actors": ["Kitakyushu", "Dalian"],
        "channel": "local_diplomacy",
    },
    "pair": {
        "city1": "Sapporo",
        "country1": "JP",
        "lat1": 43.06,
        "lng1": 141.35,
        "city2": "Portland",
        "country2": "US",
        "lat2": 45.5,
        "lng2": -122.7,
    },
    "observation": {
        "key": "obs-2",
        "measure": "affiliations",
        "value": 12,
        "as_of": "2001-04-01",
        "dimensions": {"government_type": "city"},
    },
}
BUILTIN_KEYS = ["jp-401005", "cn-dalian", "off-1", "kd", "obs-1", "paper1", "bank-x"]


def plausible_records(kind: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    """Valid records with zero, one or two fields made hostile (keys often those of built-ins)."""
    base = PLAUSIBLE[kind]

    @st.composite
    def one(draw) -> dict[str, Any]:
        record = dict(base)
        for _ in range(draw(st.integers(0, 2))):
            name = draw(st.sampled_from(sorted(SPECS[kind].fields)))
            pool = st.sampled_from(BUILTIN_KEYS) if name == "key" else values
            record[name] = draw(pool)
        return record

    return st.lists(one(), min_size=1, max_size=4)


@pytest.mark.parametrize("kind", sorted(PLAUSIBLE))
@SETTINGS
@given(data=st.data())
def test_nearly_valid_records_load_or_leave_no_trace(registry, kind, data) -> None:
    if _import_twice(registry, kind, data, data.draw(plausible_records(kind)), "plausible"):
        _check_builtins(registry)


def _check_builtins(registry) -> None:
    """The built-in records of the small registry keep their values whatever was imported."""
    from sqlalchemy import select

    from paradiplomacy.store.schema import Actor, Coalition, Observation, Office, OfficeOwner

    with registry.reader() as session:
        kitakyushu = session.scalar(select(Actor).where(Actor.key == "jp-401005"))
        assert (kitakyushu.kind, kitakyushu.name_en, kitakyushu.country) == (
            "municipality",
            "Kitakyushu",
            "JP",
        )
        assert session.scalar(select(Coalition.name).where(Coalition.key == "kd")) == "Kitakyushu-Dalian"
        assert session.scalar(select(Observation.value).where(Observation.key == "obs-1")) == 1407
        office = session.scalar(select(Office.id).where(Office.key == "off-1"))
        owners = session.scalars(select(OfficeOwner.actor_id).where(OfficeOwner.office_id == office))
        assert list(owners) == [kitakyushu.id]


EXPORT_TABLES = [
    "source",
    "actor",
    "coalition",
    "office",
    "office_owner",
    "tie",
    "strategy",
    "budget_line",
    "programme",
    "adoption",
    "coalition_member",
    "coalition_event",
    "observation",
    "citation",
    "bogus",
]
EXPORT_COLUMNS = [
    "id",
    "key",
    "kind",
    "name_en",
    "country",
    "parent_key",
    "subject_key",
    "object_key",
    "actor_key",
    "office_key",
    "coalition_key",
    "city_key",
    "actor_keys",
    "position",
    "start",
    "end",
    "value",
    "amount",
    "fiscal_year",
    "dimensions",
    "functions",
    "sources",
    "title",
    "name",
    "measure",
    "policy",
]


@SETTINGS
@given(
    tables=st.dictionaries(
        st.sampled_from(EXPORT_TABLES),
        st.lists(
            st.dictionaries(
                st.sampled_from(EXPORT_COLUMNS),
                st.one_of(
                    values,
                    st.sampled_from(
                        [
                            "paper1",
                            "paper1 (Table 1) row 3",
                            "nope (x)",
                            "|",
                            "jp-401005",
                            "kd",
                            "off-1",
                            "cn-dalian",
                        ]
                    ),
                ),
                max_size=8,
            ),
            max_size=3,
        ),
        max_size=4,
    )
)
def test_hostile_exports_import_or_leave_no_trace(registry, tables) -> None:
    path = FOLDER / "export.json"
    path.write_text(json.dumps({"meta": {}, "tables": tables}), encoding="utf-8")
    tried("import:export", max(1, sum(len(rows) for rows in tables.values())))
    before = digest(registry)
    try:
        dry = import_file(registry, path, dry_run=True)
    except ImportFailure:
        assert digest(registry) == before and integrity_ok(registry)
        return
    assert digest(registry) == before
    real = import_file(registry, path)
    assert dict(real.outcomes) == dict(dry.outcomes)
    if not real.committed:
        assert digest(registry) == before
    assert integrity_ok(registry)
    _check_stored(registry)
    _check_builtins(registry)


def _comparable(path: Path) -> dict[str, list[str]]:
    tables = json.loads(path.read_text(encoding="utf-8"))["tables"]
    return {
        name: sorted(
            json.dumps(
                {k: v for k, v in row.items() if k != "id" and not k.endswith("_id") and k != "actor_ids"},
                sort_keys=True,
            )
            for row in rows
        )
        for name, rows in tables.items()
    }


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    batches=st.lists(
        st.sampled_from(sorted(k for k in PLAUSIBLE if k != "pair")).flatmap(
            lambda kind: st.tuples(st.just(kind), plausible_records(kind))
        ),
        min_size=1,
        max_size=4,
    )
)
def test_whatever_was_accepted_round_trips_through_an_export(tmp_path_factory, batches) -> None:
    from paradiplomacy.export.writers import export_registry

    folder = tmp_path_factory.mktemp("round-trip")
    (folder / "a").mkdir()
    (folder / "b").mkdir()
    source, target = small_registry(folder / "a"), small_registry(folder / "b")
    for number, (kind, records) in enumerate(batches):
        tried(f"import:{kind}", len(records))
        path = write_file(records, "json", f"round-{number}")
        try:
            import_file(source, path, kind, partial=True)
        except ImportFailure:  # a file refused whole (Infinity is not JSON): nothing to export
            continue
    first, second = folder / "first.json", folder / "second.json"
    export_registry(source, first, "json")
    report = import_file(target, first)
    assert report.committed and not report.rejections, report.rejections[:3]
    export_registry(target, second, "json")
    assert _comparable(first) == _comparable(second)

"""One set of checks for every way in: what the importer refuses, the edits, the API and the forms
refuse with the same field named, and nothing changes; what it accepts, they accept as it stores it.

The table's rows are values to try; each row's expected outcome is what the importer does with a
one-row file, so the table follows the importer (a value its converters start refusing, such as an
impossible era date, is then refused everywhere without touching this file)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from paradiplomacy.curation.accounts import add_user
from paradiplomacy.curation.checks import required_fields, spec_field
from paradiplomacy.curation.edits import (
    EDITABLE,
    VOCABULARIES,
    BadField,
    choices,
    create_record,
    record_state,
    update_record,
)
from paradiplomacy.ingest.importer import import_file
from paradiplomacy.ingest.specs import SPECS
from paradiplomacy.store.auth_schema import AuditEntry
from paradiplomacy.store.schema import Base
from paradiplomacy.web.app import create_app
from tests.web_fixtures import small_registry

IMPORT_BASE = {
    "tie": {"kind": "sister", "subject": "jp-401005", "object": "geo-5812944"},
    "actor": {"key": "geo-99", "kind": "foreign_city", "name_en": "Testville", "country": "US"},
}
EDIT_BASE = {
    "tie": {"kind": "sister", "subject_id": "jp-401005", "object_id": "geo-5812944"},
    "actor": {"key": "geo-99", "kind": "foreign_city", "name_en": "Testville", "country": "US"},
}
UPDATE_TARGET = {"tie": 1, "actor": 2}
"""The existing record each row tries to correct (tie 1, Kitakyushu-Dalian; actor 2, Dalian)."""

ROWS = [
    ("actor", {"country": "Germany"}),
    ("actor", {"country": "ドイツ"}),
    ("actor", {"country": "Atlantis"}),
    ("actor", {"country": "GERMANY"}),
    ("actor", {"lat": 500}),
    ("actor", {"lat": "35.5"}),
    ("actor", {"lon": -181}),
    ("actor", {"population": -1}),
    ("actor", {"population": "1,407"}),
    ("actor", {"population": "many"}),
    ("actor", {"name_en": "Evil\u202egnp.exe"}),
    ("actor", {"name_ja": "新潟\x07市"}),
    ("actor", {"name_en": "x" * 301}),
    ("actor", {"kind": "castle"}),
    ("actor", {"founded": "2020-02-30"}),
    ("actor", {"founded": "昭和70年"}),
    ("actor", {"founded": "3000"}),
    ("actor", {"key": "Not A Key"}),
    ("tie", {"note": "n" * 10_000}),
    ("tie", {"note": "n" * 20_001}),
    ("tie", {"kind": "penpal"}),
    ("tie", {"kind": "Sister"}),
    ("tie", {"status": "lost"}),
    ("tie", {"start": "2020-02-30"}),
    ("tie", {"start": "1990-13"}),
    ("tie", {"start": "平成2年4月1日"}),
    ("tie", {"start": "2000", "end": "1990"}),
    ("tie", {"role": "r" * 101}),
]


def _ids(row: tuple[str, dict]) -> str:
    entity, values = row
    return f"{entity}-" + "-".join(f"{k}={str(v)[:12]!r}" for k, v in values.items())


def _import_values(entity: str, values: dict) -> dict:
    return {spec_field(entity, k): v for k, v in values.items()}


def _edit_name(entity: str, spec_name: str) -> str:
    """The edit field the importer's field ``spec_name`` is checked as."""
    fields = EDITABLE[entity][1]
    return spec_name if spec_name in fields else next(f for f in fields if spec_field(entity, f) == spec_name)


def _snapshot(registry) -> dict[str, int]:
    with registry.reader() as session:
        counts = {
            t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables
        }
        counts["audit"] = session.scalar(select(func.max(AuditEntry.id))) or 0
    return counts


def _importer(registry, tmp_path: Path, entity: str, values: dict) -> tuple[str | None, dict | None]:
    """What the importer does with a one-row file: (field refused, None) or (None, stored record)."""
    record = {**IMPORT_BASE[entity], **_import_values(entity, values)}
    path = tmp_path / f"one-{entity}.json"
    path.write_text(json.dumps({"kind": entity, "records": [record]}, ensure_ascii=False), encoding="utf-8")
    report = import_file(registry, path, dry_run=True)
    if report.rejections:
        return report.rejections[0].field, None
    return None, SPECS[entity].convert(record)


def _editor_client(registry) -> tuple[TestClient, dict, str]:
    add_user(registry, "ed", "editor password", "editor")
    client = TestClient(create_app(registry))
    token = client.post("/api/tokens", json={"name": "ed", "password": "editor password"}).json()["token"]
    client.get("/login")
    csrf = client.cookies.get("pd_csrf")
    signed = client.post(
        "/login", data={"name": "ed", "password": "editor password", "csrf": csrf}, follow_redirects=False
    )
    assert signed.status_code == 303
    return client, {"Authorization": f"Bearer {token}"}, csrf


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    registry = small_registry(tmp_path_factory.mktemp("checks") / "small.db")
    client, auth, csrf = _editor_client(registry)
    return registry, client, auth, csrf


@pytest.mark.parametrize("row", ROWS, ids=[_ids(r) for r in ROWS])
def test_every_way_in_decides_as_the_importer(world, tmp_path, row):
    registry, client, auth, csrf = world
    entity, values = row
    refused, stored = _importer(registry, tmp_path, entity, values)
    target = UPDATE_TARGET[entity]
    before = _snapshot(registry)
    state = record_state(registry, entity, target)
    new = {**EDIT_BASE[entity], **values}
    form_new = {k: str(v) for k, v in new.items()}
    form_edit = {k: str(v) for k, v in values.items()}
    if refused is not None:
        field = _edit_name(entity, refused)
        with pytest.raises(BadField) as made:
            create_record(registry, entity, new, user="ed", source="paper2003")
        assert made.value.field == field
        with pytest.raises(BadField) as corrected:
            update_record(
                registry, entity, target, values, user="ed", source="paper2003", version=state["version"]
            )
        assert corrected.value.field == field
        api_new = client.post(f"/api/records/{entity}", json={"values": new, "source": "s"}, headers=auth)
        assert api_new.status_code == 422 and api_new.json()["detail"]["field"] == field, api_new.text
        api_edit = client.patch(
            f"/api/records/{entity}/{target}",
            json={"changes": values, "source": "s", "version": state["version"]},
            headers=auth,
        )
        assert api_edit.status_code == 422 and api_edit.json()["detail"]["field"] == field, api_edit.text
        page_new = client.post(f"/new/{entity}", data={**form_new, "csrf": csrf, "source": "s"})
        assert page_new.status_code == 400 and f'id="error-{field}"' in page_new.text
        page_edit = client.post(
            f"/edit/{entity}/{target}",
            data={**form_edit, "csrf": csrf, "source": "s", "version": state["version"]},
        )
        assert page_edit.status_code == 400 and f'id="error-{field}"' in page_edit.text
        assert _snapshot(registry) == before, "a refused edit changed the registry"
        assert record_state(registry, entity, target) == state
        return
    made = client.post(f"/api/records/{entity}", json={"values": new, "source": "s"}, headers=auth)
    assert made.status_code == 201, made.text
    for name in values:
        assert made.json()["after"][name] == stored[spec_field(entity, name)], name
    undo = client.post(f"/api/audit/{made.json()['id']}/revert", headers=auth)
    assert undo.status_code == 200


def test_the_table_covers_refusals_and_acceptances(world, tmp_path):
    registry = world[0]
    outcomes = {_importer(registry, tmp_path, e, v)[0] is None for e, v in ROWS}
    assert outcomes == {True, False}


def test_germany_is_stored_as_de_and_atlantis_gets_suggestions(world):
    registry = world[0]
    made = create_record(
        registry,
        "actor",
        {**EDIT_BASE["actor"], "key": "geo-de-1", "country": "Germany"},
        user="ed",
        source="s",
    )
    assert made["after"]["country"] == "DE"
    with pytest.raises(BadField) as refused:
        create_record(registry, "actor", {**EDIT_BASE["actor"], "country": "Atlantis"}, user="ed", source="s")
    assert refused.value.field == "country" and "Atlantis" in refused.value.reason


def test_latitude_500_names_the_field_in_the_api(world):
    registry, client, auth, _ = world
    version = record_state(registry, "actor", 2)["version"]
    answer = client.patch(
        "/api/records/actor/2",
        json={"changes": {"lat": 500}, "source": "s", "version": version},
        headers=auth,
    )
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert detail["field"] == "lat" and "out of range" in detail["reason"] and detail["value"] == 500


def test_actor_fields_take_names_and_refuse_ambiguity_with_candidates(world):
    registry = world[0]
    made = create_record(
        registry,
        "tie",
        {"kind": "memorandum", "subject_id": "Kitakyushu", "object_id": "Dalian"},
        user="ed",
        source="s",
    )
    assert (made["after"]["subject_id"], made["after"]["object_id"]) == (1, 2)
    for number, state in ((1, "IL"), (2, "MA")):
        create_record(
            registry,
            "actor",
            {"key": f"geo-spr-{number}", "kind": "foreign_city", "name_en": "Springfield", "country": "US"},
            user="ed",
            source=f"Springfield, {state}",
        )
    before = _snapshot(registry)
    with pytest.raises(BadField) as ambiguous:
        create_record(
            registry,
            "tie",
            {"kind": "sister", "subject_id": 1, "object_id": "Springfield"},
            user="ed",
            source="s",
        )
    assert ambiguous.value.field == "object_id" and "ambiguous" in ambiguous.value.reason
    assert sorted(c.rsplit(" = ", 1)[1] for c in ambiguous.value.candidates) == ["geo-spr-1", "geo-spr-2"]
    with pytest.raises(BadField) as unknown:
        create_record(
            registry,
            "tie",
            {"kind": "sister", "subject_id": 1, "object_id": "Atlantis City"},
            user="ed",
            source="s",
        )
    assert unknown.value.field == "object_id"
    assert _snapshot(registry) == before


def test_select_lists_offer_exactly_what_the_importer_accepts():
    for entity, fields in VOCABULARIES.items():
        for name, enum in fields.items():
            converter = SPECS[entity].fields[spec_field(entity, name)]
            for value in choices(entity)[name]:
                assert converter(name, value) in (value, [value])
            with pytest.raises(ValueError):
                converter(name, "no_such_" + name)
            assert choices(entity)[name] == [str(v) for v in enum]


def test_required_fields_are_the_importers():
    assert required_fields("tie") == ("kind", "subject_id", "object_id")
    assert required_fields("actor") == ("key", "kind")
    assert required_fields("strategy") == ("actor_id", "title")
    assert required_fields("coalition_member") == ("coalition_id", "actor_id")

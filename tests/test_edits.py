"""Edits with sources, the audit log, revert, and compare-and-swap under parallel writers."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import select

from paradiplomacy.curation.audit import audit_log, revert
from paradiplomacy.curation.edits import (
    EditConflict,
    EditError,
    create_record,
    record_state,
    update_record,
)
from paradiplomacy.store.profile import actor_profile
from paradiplomacy.store.schema import Actor, Citation, Source, Tie
from tests.web_fixtures import backend  # noqa: F401  (fixture)


def test_update_needs_a_source_and_is_audited(backend):  # noqa: F811
    state = record_state(backend, "tie", 1)
    with pytest.raises(EditError, match="source"):
        update_record(
            backend, "tie", 1, {"status": "ended"}, user="alice", source=" ", version=state["version"]
        )
    entry = update_record(
        backend,
        "tie",
        1,
        {"status": "ended", "end": "2001-03"},
        user="alice",
        source="https://example.org/minutes",
        version=state["version"],
    )
    assert entry["before"]["status"] == "active" and entry["after"]["status"] == "ended"
    assert entry["after"]["end"] == "2001-03" and entry["user"] == "alice"
    with backend.reader() as session:
        source = session.scalar(select(Source).where(Source.key == entry["source"]))
        assert source.kind == "user" and source.url == "https://example.org/minutes"
        assert (
            session.scalar(
                select(Citation.locator).where(Citation.entity == "tie", Citation.source_id == source.id)
            )
            == f"edit {entry['id']}"
        )
        profile = actor_profile(session, 1)
    assert f"{entry['source']}, edit {entry['id']}" in profile["ties"][0]["sources"]
    assert [e["id"] for e in audit_log(backend, entity="tie", entity_id=1)] == [entry["id"]]


def test_stale_version_is_refused_and_revert_restores(backend):  # noqa: F811
    version = record_state(backend, "tie", 1)["version"]
    first = update_record(
        backend, "tie", 1, {"note": "by alice"}, user="alice", source="paper2003", version=version
    )
    with pytest.raises(EditConflict):
        update_record(backend, "tie", 1, {"note": "by bob"}, user="bob", source="paper2003", version=version)
    undo = revert(backend, first["id"], user="carol")
    assert undo["action"] == "revert" and undo["reverts"] == first["id"]
    assert record_state(backend, "tie", 1)["fields"]["note"] == "first"
    assert audit_log(backend)[1]["reverted_by"] == undo["id"]
    with pytest.raises(EditError, match="already reverted"):
        revert(backend, first["id"], user="carol")


def test_created_records_can_be_reverted_away(backend):  # noqa: F811
    actor = create_record(
        backend,
        "actor",
        {"key": "geo-1", "kind": "foreign_city", "name_en": "Sapporo Twin", "country": "us"},
        user="alice",
        source="a phone call with the city, 2026-11-30",
    )
    assert actor["after"]["country"] == "US"
    tie = create_record(
        backend,
        "tie",
        {"kind": "sister", "subject_id": 1, "object_id": actor["entity_id"], "start": "1990"},
        user="alice",
        source="paper2003",
    )
    with pytest.raises(EditConflict, match="point to actor"):
        revert(backend, actor["id"], user="alice")  # its tie still points to it
    revert(backend, tie["id"], user="alice")
    revert(backend, actor["id"], user="alice")
    with backend.reader() as session:
        assert session.get(Tie, tie["entity_id"]) is None
        assert session.get(Actor, actor["entity_id"]) is None


@pytest.mark.parametrize(
    "values, reason",
    [
        ({"kind": "penpal", "subject_id": 1, "object_id": 2}, "kind: unknown value 'penpal'"),
        ({"kind": "sister", "subject_id": 1, "object_id": 999}, "no actor with id 999"),
        ({"kind": "sister", "subject_id": 1, "object_id": 2, "start": "1990-13"}, "month out of range"),
        ({"kind": "sister", "subject_id": 1, "object_id": 2, "colour": "red"}, "unknown field"),
        ({"subject_id": 1, "object_id": 2}, "kind: required but empty"),
    ],
)
def test_bad_values_are_refused(backend, values, reason):  # noqa: F811
    with pytest.raises(EditError, match=reason):
        create_record(backend, "tie", values, user="alice", source="paper2003")


def test_parallel_writers_never_lose_an_update(backend):  # noqa: F811
    """Eight editors append to the same note at once; each retries on conflict; all words survive."""
    writers, conflicts = 8, []

    def edit(word: str) -> None:
        for _ in range(200):
            state = record_state(backend, "tie", 1)
            try:
                update_record(
                    backend,
                    "tie",
                    1,
                    {"note": f"{state['fields']['note']} {word}"},
                    user=word,
                    source="paper2003",
                    version=state["version"],
                )
                return
            except EditConflict:
                conflicts.append(word)
        raise AssertionError(f"{word} never got through")

    threads = [threading.Thread(target=edit, args=(f"w{i}",)) for i in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    note = record_state(backend, "tie", 1)["fields"]["note"].split()
    assert sorted(note) == sorted(["first", *(f"w{i}" for i in range(writers))])
    entries = audit_log(backend, entity="tie", entity_id=1)
    assert len(entries) == writers
    # the audit chain is unbroken: each entry's before is the previous entry's after
    chain = sorted(entries, key=lambda e: e["id"])
    assert all(a["after"] == b["before"] for a, b in itertools.pairwise(chain))


def _coalition(registry) -> None:
    from sqlalchemy import insert

    from paradiplomacy.store.schema import Coalition

    with registry.session() as session:
        session.execute(insert(Coalition).values(key="kitaq-env", name="Environment coalition"))


def test_offices_with_owners_are_created_corrected_and_reverted(backend):  # noqa: F811
    created = create_record(
        backend,
        "office",
        {
            "key": "kitakyushu-dalian",
            "name": "Dalian office",
            "owners": "jp-401005",
            "city_id": "geo-1814087",
            "opened": "1993-04",
            "functions": "trade_promotion; sme_support",
        },
        user="alice",
        source="https://example.org/office",
    )
    office = created["entity_id"]
    assert created["after"]["owners"] == [1] and created["after"]["city_id"] == 2
    assert created["after"]["model"] == "unknown" and created["after"]["focus"] == []
    with backend.reader() as session:
        owned, hosted = actor_profile(session, 1)["offices"], actor_profile(session, 2)["hosted_offices"]
    assert [o["key"] for o in owned] == [o["key"] for o in hosted] == ["kitakyushu-dalian"]
    assert owned[0]["functions"] == ["trade_promotion", "sme_support"]
    assert owned[0]["sources"] == [f"{created['source']}, edit {created['id']}"]

    version = record_state(backend, "office", office)["version"]
    changed = update_record(
        backend,
        "office",
        office,
        {"owners": [1, 3], "functions": ["other"]},
        user="bob",
        source="paper2003",
        version=version,
    )
    assert changed["before"]["owners"] == [1] and changed["after"]["owners"] == [1, 3]
    with pytest.raises(EditConflict):
        update_record(
            backend, "office", office, {"closed": "2010"}, user="carol", source="paper2003", version=version
        )
    with backend.reader() as session:
        assert [w["id"] for w in actor_profile(session, 3)["offices"][0]["owners"]] == [1, 3]
    revert(backend, changed["id"], user="alice")
    assert record_state(backend, "office", office)["fields"]["owners"] == [1]
    revert(backend, created["id"], user="alice")
    with backend.reader() as session:
        assert actor_profile(session, 1)["offices"] == []
    with pytest.raises(EditError, match="no office"):
        record_state(backend, "office", office)


@pytest.mark.parametrize(
    "entity, values, reason",
    [
        ("office", {"key": "x", "owners": ""}, "needs at least one owner"),
        ("office", {"key": "x", "owners": "1; 1"}, "the same actor"),
        ("office", {"key": "x", "owners": "jp-nowhere"}, "owners: no actor named 'jp-nowhere'"),
        ("office", {"key": "x", "owners": "1", "functions": "bribery"}, "functions: unknown value 'bribery'"),
        ("office", {"key": "x", "owners": "1", "model": "franchise"}, "model: unknown value 'franchise'"),
        ("strategy", {"actor_id": 1}, "title: required but empty"),
        (
            "strategy",
            {"actor_id": 1, "title": "Plan", "pillars": "conquest"},
            "pillars: unknown value 'conquest'",
        ),
        ("coalition_member", {"actor_id": 1, "coalition_id": "no-such"}, "no coalition"),
        ("budget_line", {"amount": 1}, "cannot be edited here"),
    ],
)
def test_bad_records_of_other_kinds_are_refused(backend, entity, values, reason):  # noqa: F811
    with pytest.raises(EditError, match=reason):
        create_record(backend, entity, values, user="alice", source="paper2003")


def test_strategies_and_memberships(backend):  # noqa: F811
    _coalition(backend)
    plan = create_record(
        backend,
        "strategy",
        {
            "actor_id": "jp-401005",
            "title": "International Policy Plan",
            "adopted": "2016-03",
            "pillars": ["acquire_external_demand"],
            "themes": "environment; trade",
        },
        user="alice",
        source="paper2003",
    )
    with pytest.raises(EditError, match="exists already"):
        create_record(
            backend,
            "strategy",
            {"actor_id": 1, "title": "International Policy Plan"},
            user="alice",
            source="paper2003",
        )
    member = create_record(
        backend,
        "coalition_member",
        {"actor_id": 1, "coalition_id": "kitaq-env", "role": "local_government"},
        user="alice",
        source="paper2003",
    )
    with backend.reader() as session:
        profile = actor_profile(session, 1)
    assert profile["strategies"][0]["themes"] == ["environment", "trade"]
    assert profile["coalitions"] == [
        {
            "id": member["entity_id"],
            "coalition": "kitaq-env",
            "name": "Environment coalition",
            "role": "local_government",
            "sources": [f"paper2003, edit {member['id']}"],
        }
    ]
    state = record_state(backend, "strategy", plan["entity_id"])
    fix = update_record(
        backend,
        "strategy",
        plan["entity_id"],
        {"revised": "2021-03"},
        user="bob",
        source="paper2003",
        version=state["version"],
    )
    assert fix["after"]["revised"] == ["2021-03"]
    for entry in (fix, plan, member):
        revert(backend, entry["id"], user="alice")
    with backend.reader() as session:
        profile = actor_profile(session, 1)
    assert profile["strategies"] == [] and profile["coalitions"] == []


def test_parallel_writers_of_a_list_field_never_lose_an_update(backend):  # noqa: F811
    """List fields are not in the UPDATE's guard: the row lock alone must keep every word."""
    office = create_record(backend, "office", {"key": "o", "owners": "1"}, user="a", source="paper2003")[
        "entity_id"
    ]
    words = [f"w{i}" for i in range(6)]

    def edit(word: str) -> None:
        for _ in range(200):
            state = record_state(backend, "office", office)
            try:
                update_record(
                    backend,
                    "office",
                    office,
                    {"focus": [*state["fields"]["focus"], word]},
                    user=word,
                    source="paper2003",
                    version=state["version"],
                )
                return
            except EditConflict:
                continue
        raise AssertionError(f"{word} never got through")

    threads = [threading.Thread(target=edit, args=(w,)) for w in words]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(record_state(backend, "office", office)["fields"]["focus"]) == words

"""Edits with sources, the audit log, revert, and compare-and-swap under parallel writers."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import select

from paradiplomacy.ingest.edits import (
    EditConflict,
    EditError,
    audit_log,
    create_record,
    record_state,
    revert,
    update_record,
)
from paradiplomacy.store.profile import actor_profile
from paradiplomacy.store.schema import Actor, Citation, Source, Tie
from tests.web_fixtures import backend  # noqa: F401  (fixture)


def test_update_needs_a_source_and_is_audited(backend):  # noqa: F811
    state = record_state(backend, "tie", 1)
    with pytest.raises(EditError, match="source"):
        update_record(backend, "tie", 1, {"status": "ended"}, user="alice", source=" ",
                      version=state["version"])
    entry = update_record(backend, "tie", 1, {"status": "ended", "end": "2001-03"}, user="alice",
                          source="https://example.org/minutes", version=state["version"])
    assert entry["before"]["status"] == "active" and entry["after"]["status"] == "ended"
    assert entry["after"]["end"] == "2001-03" and entry["user"] == "alice"
    with backend.reader() as session:
        source = session.scalar(select(Source).where(Source.key == entry["source"]))
        assert source.kind == "user" and source.url == "https://example.org/minutes"
        assert session.scalar(select(Citation.locator).where(
            Citation.entity == "tie", Citation.source_id == source.id)) == f"edit {entry['id']}"
        profile = actor_profile(session, 1)
    assert f"{entry['source']}, edit {entry['id']}" in profile["ties"][0]["sources"]
    assert [e["id"] for e in audit_log(backend, entity="tie", entity_id=1)] == [entry["id"]]


def test_stale_version_is_refused_and_revert_restores(backend):  # noqa: F811
    version = record_state(backend, "tie", 1)["version"]
    first = update_record(backend, "tie", 1, {"note": "by alice"}, user="alice", source="paper2003",
                          version=version)
    with pytest.raises(EditConflict):
        update_record(backend, "tie", 1, {"note": "by bob"}, user="bob", source="paper2003",
                      version=version)
    undo = revert(backend, first["id"], user="carol")
    assert undo["action"] == "revert" and undo["reverts"] == first["id"]
    assert record_state(backend, "tie", 1)["fields"]["note"] == "first"
    assert audit_log(backend)[1]["reverted_by"] == undo["id"]
    with pytest.raises(EditError, match="already reverted"):
        revert(backend, first["id"], user="carol")


def test_created_records_can_be_reverted_away(backend):  # noqa: F811
    actor = create_record(backend, "actor", {"key": "geo-1", "kind": "foreign_city",
                                             "name_en": "Sapporo Twin", "country": "us"},
                          user="alice", source="a phone call with the city, 2026-11-30")
    assert actor["after"]["country"] == "US"
    tie = create_record(backend, "tie", {"kind": "sister", "subject_id": 1,
                                         "object_id": actor["entity_id"], "start": "1990"},
                        user="alice", source="paper2003")
    with pytest.raises(EditConflict, match="point to actor"):
        revert(backend, actor["id"], user="alice")  # its tie still points to it
    revert(backend, tie["id"], user="alice")
    revert(backend, actor["id"], user="alice")
    with backend.reader() as session:
        assert session.get(Tie, tie["entity_id"]) is None
        assert session.get(Actor, actor["entity_id"]) is None


@pytest.mark.parametrize("values, reason", [
    ({"kind": "penpal", "subject_id": 1, "object_id": 2}, "kind must be one of"),
    ({"kind": "sister", "subject_id": 1, "object_id": 999}, "no actor with id 999"),
    ({"kind": "sister", "subject_id": 1, "object_id": 2, "start": "1990-13"}, "month out of range"),
    ({"kind": "sister", "subject_id": 1, "object_id": 2, "colour": "red"}, "unknown field"),
    ({"subject_id": 1, "object_id": 2}, "needs kind"),
])
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
                update_record(backend, "tie", 1, {"note": f"{state['fields']['note']} {word}"},
                              user=word, source="paper2003", version=state["version"])
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

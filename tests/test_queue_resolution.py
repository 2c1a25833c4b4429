"""Working the unresolved queue: pick a candidate, create the place, reject the row; each step audited."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from paradiplomacy.cli.main import cli
from paradiplomacy.curation.audit import audit_log
from paradiplomacy.curation.queue import QueueError, candidate_key, resolve_row
from paradiplomacy.store.schema import Actor, Citation, Source, Tie
from paradiplomacy.store.unresolved import unresolved_rows
from tests.conftest import write

TIES = """kind,subject,object,object_country,start
sister,新潟市,Khabarovsk,RU,1965
sister,上士幌町,Galveston,US,1966
sister,Kanazawa,Buffalo,US,1962
sister,府中市,Nowhere Town,FR,1990
sister,池田町,Launceston,AU,1965
"""


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


@pytest.fixture
def imported(registry, registry_path, tmp_path):
    """A tie list of which one row loads and four wait in the queue (上士幌町 has no tie with either
    Galveston, so the name stays ambiguous)."""
    path = write(tmp_path / "ties.csv", TIES)
    code, out = _run("import", str(path), "--kind", "tie", "--partial", "--quiet", "--db", str(registry_path))
    assert code == 0 and "loaded 1/5" in out, out
    return path


def _queued(registry_path, *extra: str) -> list[dict]:
    code, out = _run("unresolved", "--source", "ties", "--json", "--db", str(registry_path), *extra)
    assert code == 0, out
    return json.loads(out)["rows"]


def _row(rows: list[dict], name: str) -> dict:
    return next(r for r in rows if name in r["names"])


def test_the_listing_shows_each_rows_id(imported, registry_path):
    code, out = _run("unresolved", "--source", "ties", "--db", str(registry_path))
    assert code == 0
    rows = _queued(registry_path)
    assert {r["row"] for r in rows} == {3, 4, 5, 6}
    assert all(f"│ {r['id']} " in out for r in rows)
    code, out = _run(
        "unresolved", "--source", "ties", "--reason", "ambiguous", "--csv", "--db", str(registry_path)
    )
    assert out.splitlines()[0].startswith("id,source,row")


def test_pick_loads_the_tie_with_the_chosen_candidate(imported, registry, registry_path):
    galveston = _row(_queued(registry_path), "Galveston")
    assert galveston["field"] == "object" and "geo-4692883" in galveston["candidates"][0]
    code, out = _run(
        "unresolved",
        "resolve",
        str(galveston["id"]),
        "--pick",
        "1",
        "--user",
        "alice",
        "--db",
        str(registry_path),
    )
    assert code == 0 and "loaded" in out, out
    code, out = _run("ties", "上士幌町", "--json", "--kind", "sister", "--db", str(registry_path))
    partners = {t["partner_key"]: t for t in json.loads(out)}
    assert partners["geo-4692883"]["start"] == "1966"
    assert "ties.csv, row 3" in partners["geo-4692883"]["sources"]
    assert galveston["id"] not in {r["id"] for r in _queued(registry_path)}
    assert galveston["id"] in {r["id"] for r in _queued(registry_path, "--status", "picked")}
    entry = audit_log(registry, entity="tie", entity_id=partners["geo-4692883"]["tie_id"])[0]
    assert entry["user"] == "alice" and entry["action"] == "create" and entry["before"] is None
    assert entry["after"]["kind"] == "sister" and entry["after"]["start"] == "1966"
    assert entry["source"].startswith("file:ties.csv:") and "ties.csv row 3" in entry["note"]
    code, out = _run(
        "unresolved",
        "resolve",
        str(galveston["id"]),
        "--pick",
        "1",
        "--user",
        "a",
        "--db",
        str(registry_path),
    )
    assert code != 0 and "already picked by alice" in out


def test_a_bad_candidate_number_is_a_clear_error(imported, registry_path):
    kanazawa = _row(_queued(registry_path), "Kanazawa")
    for bad in ("3", "0"):
        code, out = _run(
            "unresolved",
            "resolve",
            str(kanazawa["id"]),
            "--pick",
            bad,
            "--user",
            "a",
            "--db",
            str(registry_path),
        )
        assert code != 0 and "pick a number from 1 to 2" in out, out
    code, out = _run("unresolved", "resolve", "99999", "--reject", "--user", "a", "--db", str(registry_path))
    assert code != 0 and "no queued row 99999" in out
    code, out = _run(
        "unresolved",
        "resolve",
        str(kanazawa["id"]),
        "--pick",
        "1",
        "--reject",
        "--user",
        "a",
        "--db",
        str(registry_path),
    )
    assert code != 0 and "choose one step" in out
    assert kanazawa["id"] in {r["id"] for r in _queued(registry_path)}


def test_reject_keeps_the_row_out_of_the_open_queue_and_of_a_reimports(imported, registry, registry_path):
    kanazawa = _row(_queued(registry_path), "Kanazawa")
    code, out = _run(
        "unresolved",
        "resolve",
        str(kanazawa["id"]),
        "--reject",
        "--note",
        "not a tie",
        "--user",
        "bob",
        "--db",
        str(registry_path),
    )
    assert code == 0, out
    assert "Kanazawa" not in {r["names"].split(",")[0] for r in _queued(registry_path)}
    _run("import", str(imported), "--kind", "tie", "--partial", "--quiet", "--db", str(registry_path))
    open_rows = _queued(registry_path)
    assert {r["row"] for r in open_rows} == {3, 5, 6}  # the re-import queued row 4 again: rejected
    assert [r["row"] for r in _queued(registry_path, "--status", "rejected")] == [4]
    entry = audit_log(registry, entity="unresolved_row")[0]
    assert entry["user"] == "bob" and entry["action"] == "reject" and "not a tie" in entry["note"]


def test_pick_then_create_works_a_row_whose_two_parties_were_unsure(imported, registry, registry_path):
    fuchu = _row(_queued(registry_path), "府中市")
    first = resolve_row(registry, fuchu["id"], pick=2, user="carol")
    assert first["status"] == "open" and "now stops at object" in first["message"]
    with registry.reader() as session:
        (row,) = unresolved_rows(session, row_id=fuchu["id"])
    assert row["field"] == "object" and row["record"]["subject"] == "jp-342084"
    with pytest.raises(QueueError, match="no candidates for object"):
        resolve_row(registry, fuchu["id"], pick=1, user="carol")
    done = resolve_row(registry, fuchu["id"], create=True, user="carol")
    assert done["status"] == "created"
    with registry.reader() as session:
        place = session.get(Actor, done["actor_id"])
        tie = session.get(Tie, done["tie_id"])
        cited = session.execute(
            select(Source.title, Citation.row)
            .join(Source)
            .where(Citation.entity == "actor", Citation.entity_id == place.id)
        ).all()
    assert (place.name_en, place.country, place.kind) == ("Nowhere Town", "FR", "foreign_city")
    assert {tie.subject_id, tie.object_id} == {
        place.id,
        session.scalar(select(Actor.id).where(Actor.key == "jp-342084")),
    }
    assert cited == [("ties.csv", 5)]
    actions = [(e["action"], e["entity"]) for e in audit_log(registry) if e["user"] == "carol"]
    assert actions == [("create", "tie"), ("create", "actor"), ("update", "unresolved_row")]


def test_create_refuses_a_japanese_place(imported, registry, registry_path):
    ikeda = _row(_queued(registry_path), "池田町")
    with pytest.raises(QueueError, match="Japanese"):
        resolve_row(registry, ikeda["id"], create=True, user="d")
    assert ikeda["id"] in {r["id"] for r in _queued(registry_path)}


def test_create_on_a_bundled_pair_row(registry):
    """A pair row of the bundled list whose place the gazetteer lacks: created at the row's point."""
    with registry.reader() as session:
        rows = unresolved_rows(session, reason="no actor named 'Whitehorse'")
    (whitehorse,) = rows
    done = resolve_row(registry, whitehorse["id"], create=True, user="e")
    with registry.reader() as session:
        place = session.get(Actor, done["actor_id"])
    assert (place.name_en, place.lat, place.lon) == (
        "Whitehorse",
        whitehorse["record"]["lat1"],
        whitehorse["record"]["lng1"],
    )


def test_candidate_keys():
    assert candidate_key("Salisbury in Queensland / AU / foreign_city = geo-8349401") == "geo-8349401"
    assert candidate_key("no key here") is None


def test_the_api_lists_and_resolves(imported, registry):
    from fastapi.testclient import TestClient

    from paradiplomacy.curation.accounts import add_user, issue_token
    from paradiplomacy.web.app import create_app

    ed = add_user(registry, "ed", "editor password", "editor")
    vi = add_user(registry, "vi", "viewer password", "viewer")
    client = TestClient(create_app(registry))
    listing = client.get("/api/unresolved", params={"source": "ties", "reason": "Galveston"}).json()
    assert listing["total"] == 1 and listing["by_reason"] == [
        {"reason": "ambiguous", "field": "object", "rows": 1}
    ]
    galveston = listing["rows"][0]
    url = f"/api/unresolved/{galveston['id']}/resolve"
    assert client.post(url, json={"pick": 2}).status_code == 401
    viewer = {"Authorization": f"Bearer {issue_token(registry, vi['id'], 'api')[0]}"}
    assert client.post(url, json={"pick": 2}, headers=viewer).status_code == 403
    editor = {"Authorization": f"Bearer {issue_token(registry, ed['id'], 'api')[0]}"}
    bad = client.post(url, json={"pick": 7}, headers=editor)
    assert bad.status_code == 400 and "from 1 to 2" in bad.json()["detail"]
    assert (
        client.post("/api/unresolved/99999/resolve", json={"reject": True}, headers=editor).status_code == 404
    )
    done = client.post(url, json={"pick": 2, "note": "Indiana, says the mayor's letter"}, headers=editor)
    assert done.status_code == 200 and done.json()["status"] == "picked"
    with registry.reader() as session:
        tie = session.get(Tie, done.json()["tie_id"])
        partner = session.get(Actor, tie.object_id).key
    assert partner == "geo-4920577"
    assert (
        client.get("/api/unresolved", params={"source": "ties", "reason": "Galveston"}).json()["total"] == 0
    )
    entry = audit_log(registry, entity="tie", entity_id=tie.id)[0]
    assert entry["user"] == "ed" and "mayor's letter" in entry["note"]
    page = client.get("/unresolved", params={"source": "ties"})
    assert page.status_code == 200 and "Kanazawa" in page.text and "/api/unresolved?" in page.text


def test_the_page_forms_reject_and_create_with_csrf(imported, registry):
    from fastapi.testclient import TestClient

    from paradiplomacy.curation.accounts import add_user
    from paradiplomacy.web.app import create_app

    add_user(registry, "ed", "editor password", "editor")
    client = TestClient(create_app(registry))
    rows = client.get("/api/unresolved", params={"source": "ties"}).json()["rows"]
    kanazawa, fuchu = _row(rows, "Kanazawa"), _row(rows, "府中市")
    page = client.get("/unresolved", params={"source": "ties"}).text
    assert 'button class="choose"' not in page  # not signed in: no buttons
    client.get("/login")
    csrf = client.cookies.get("pd_csrf")
    signed = client.post(
        "/login", data={"name": "ed", "password": "editor password", "csrf": csrf, "next": "/"}
    )
    assert signed.status_code == 200
    page = client.get("/unresolved", params={"source": "ties"}).text
    assert f'data-row="{kanazawa["id"]}" data-candidate="2"' in page
    forged = client.post(f"/unresolved/{kanazawa['id']}/resolve", data={"csrf": "forged", "step": "reject"})
    assert forged.status_code == 403
    done = client.post(
        f"/unresolved/{kanazawa['id']}/resolve",
        data={"csrf": csrf, "step": "reject", "note": "a festival", "back": "?source=ties"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].startswith("/unresolved?source=ties")
    refused = client.post(f"/unresolved/{fuchu['id']}/resolve", data={"csrf": csrf, "step": "create"})
    assert refused.status_code == 400 and "Japanese" in refused.text  # the subject is 府中市: pick it
    page = client.get("/unresolved", params={"source": "ties", "status": "rejected"}).text
    assert f'id="row-{kanazawa["id"]}"' in page and "ed" in page

"""The JSON API and the pages through an in-process client: reads on the full registry, editing,
accounts, CSRF, rate limiting and escaping; storage-touching endpoints also on PostgreSQL."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from paradiplomacy.cli.main import cli
from paradiplomacy.curation.accounts import add_user, issue_token, user_for_token
from paradiplomacy.export.datasette import datasette_metadata
from paradiplomacy.store.schema import Base
from paradiplomacy.web.app import create_app
from tests.web_fixtures import backend  # noqa: F401


@pytest.fixture(scope="module")
def reader(shared_registry) -> TestClient:
    return TestClient(create_app(shared_registry))


def _sign_in(client: TestClient, name: str, password: str) -> str:
    client.get("/login")
    csrf = client.cookies.get("pd_csrf")
    response = client.post(
        "/login",
        data={"name": name, "password": password, "csrf": csrf, "next": "/audit"},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf


def test_search_ranks_ambiguous_names(reader):
    found = reader.get("/api/search", params={"q": "Fuchū"}).json()["candidates"]
    assert len(found) >= 2 and found[0]["lg_code"] == "132063" and found[0]["rank"] == 1
    page = reader.get("/", params={"q": "Fuchū"}).text
    assert "choose one" in page and "/actor/" in page and 'href="/api/search?q=Fuch' in page


def test_search_as_of(reader):
    names = {
        c["name_ja"]
        for c in reader.get("/api/search", params={"q": "Shimizu", "as_of": "2000"}).json()["candidates"]
    }
    assert "清水市" in names and "静岡市清水区" not in names
    bad = reader.get("/api/search", params={"q": "Shimizu", "as_of": "2000-13"})
    assert bad.status_code == 400 and "as_of" in bad.text


def test_actor_page_and_twin(reader):
    profile = reader.get("/api/actors/北九州市").json()
    assert profile["lg_code"] == "401005" and profile["ties"]
    assert all(t["sources"] for t in profile["ties"])
    geo = reader.get(f"/api/actors/{profile['id']}/map").json()
    lines = [f for f in geo["features"] if f["geometry"]["type"] == "LineString"]
    assert lines and geo["features"][0]["properties"]["role"] == "self"
    page = reader.get(f"/actor/{profile['id']}").text
    assert "北九州市" in page and "takao2003" in page and 'data-map="/api/actors/' in page
    assert reader.get("/actor/Nowhere-on-earth-xyz").status_code == 404


def test_former_municipality_shows_successor(reader):
    profile = reader.get("/api/actors/旧清水市").json()
    assert profile["dissolved"] and profile["successors"][0]["name_ja"] == "静岡市"


def test_ties_explorer_filters_and_downloads(reader):
    data = reader.get("/api/ties", params={"country": "KR", "prefecture": "新潟県", "limit": 5}).json()
    assert data["total"] >= 1 and len(data["ties"]) <= 5
    assert {t["partner_country"] for t in data["ties"]} == {"KR"}
    text = reader.get("/api/ties", params={"country": "KR", "prefecture": "新潟県", "format": "csv"}).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == data["total"] and rows[0]["partner_country"] == "KR"
    assert reader.get("/api/ties", params={"status": "maybe"}).status_code == 400
    unknown = reader.get("/api/ties", params={"country": "Frnace"})
    assert unknown.status_code == 400 and "France" in unknown.json()["detail"]
    british = reader.get("/api/ties", params={"country": "UK", "limit": 1}).json()
    assert british["total"] >= 1 and british["ties"][0]["partner_country"] == "GB"
    page = reader.get("/ties", params={"country": "KR", "prefecture": "新潟県"}).text
    assert 'id="csv"' in page and "format=csv" in page
    assert text.startswith("\ufeffname_ja,")  # a byte-order mark: Excel reads the kanji


def test_ties_say_what_their_filters_hid(reader):
    """石巻市 holds Meßkirch through 旧河北町: left out (and counted) unless asked for; a date filter
    counts the undated ties it hides."""
    alone = reader.get("/api/ties", params={"actor": "石巻市"}).json()
    assert "Meßkirch" not in {t["partner"] for t in alone["ties"]}
    assert alone["left_out"] == {"held through former municipalities": 1}
    both = reader.get("/api/ties", params={"actor": "石巻市", "with_predecessors": "true"}).json()
    assert "Meßkirch" in {t["partner"] for t in both["ties"]} and both["left_out"] == {}
    dated = reader.get("/api/ties", params={"as_of": "2001-04-01", "limit": 1}).json()
    assert dated["left_out"]["without a start date"] > 500
    page = reader.get("/ties", params={"actor": "石巻市"}).text
    assert 'id="left-out"' in page and "with_predecessors" in page


def test_stats_report_network_coalitions(reader):
    rows = reader.get("/api/stats/affiliations", params={"by": "government-type"}).json()["rows"]
    assert rows
    assert reader.get("/api/stats/coverage", params={"by": "summary"}).status_code == 200
    assert reader.get("/api/stats/nothing").status_code == 400
    assert "<table" in reader.get("/stats").text
    ego = reader.get("/api/network/ego/北九州市").json()
    assert ego["nodes"][0]["distance"] == 0 and ego["edges"]
    coalitions = reader.get("/api/coalitions").json()["coalitions"]
    assessment = reader.get(f"/api/coalitions/{coalitions[0]['key']}/assessment").json()
    assert assessment["criteria"]
    assert reader.get(f"/coalitions/{coalitions[0]['key']}").status_code == 200
    assert reader.get("/network", params={"actor": "北九州市"}).status_code == 200


def test_openapi_names_every_endpoint(reader):
    paths = reader.get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/search",
        "/api/actors/{ref}",
        "/api/ties",
        "/api/records/{entity}/{record_id}",
        "/api/audit",
        "/api/audit/{audit_id}/revert",
        "/api/tokens",
    ):
        assert path in paths


def test_assets_are_local(reader):
    for path in (
        "/static/vendor/leaflet/leaflet.js",
        "/static/map.js",
        "/static/vendor/world-atlas/countries-50m.json",
    ):
        assert reader.get(path).status_code == 200
    page = reader.get("/actor/北九州市").text
    assert "http://" not in page.split("<footer>")[0].replace("http://www.w3.org", "")
    assert "https://" not in page.split("<footer>")[0]


def test_editing_through_forms_with_audit_and_revert(registry):
    add_user(registry, "alice", "correct horse", "editor")
    client = TestClient(create_app(registry))
    tie = client.get("/api/actors/北九州市").json()["ties"][0]
    assert client.get(f"/edit/tie/{tie['id']}", follow_redirects=False).status_code == 303  # sign in
    csrf = _sign_in(client, "alice", "correct horse")
    form = client.get(f"/edit/tie/{tie['id']}").text
    assert 'name="version"' in form
    version = client.get(f"/api/records/tie/{tie['id']}").json()["version"]
    hostile = "<script>alert(1)</script>"
    missing = client.post(
        f"/edit/tie/{tie['id']}", data={"csrf": csrf, "version": version, "status": "ended", "source": ""}
    )
    assert missing.status_code == 400 and "source" in missing.text
    forged = client.post(
        f"/edit/tie/{tie['id']}", data={"csrf": "forged", "version": version, "note": hostile, "source": "x"}
    )
    assert forged.status_code == 403
    saved = client.post(
        f"/edit/tie/{tie['id']}",
        data={"csrf": csrf, "version": version, "note": hostile, "source": "minutes 2026"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    page = client.get(saved.headers["location"]).text
    assert hostile not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    entry = client.get("/api/audit").json()["entries"][0]
    assert entry["user"] == "alice" and entry["after"]["note"] == hostile
    assert hostile not in client.get("/audit").text
    stale = client.post(
        f"/edit/tie/{tie['id']}", data={"csrf": csrf, "version": version, "note": "late", "source": "x"}
    )
    assert stale.status_code == 409
    reverted = client.post(f"/audit/{entry['id']}/revert", data={"csrf": csrf}, follow_redirects=False)
    assert reverted.status_code == 303
    assert client.get(f"/api/records/tie/{tie['id']}").json()["fields"]["note"] == tie["note"]


def test_api_tokens_roles_and_rate_limit(registry):
    add_user(registry, "bob", "viewer pass", "viewer")
    add_user(registry, "eve", "editor pass", "editor")
    client = TestClient(create_app(registry, anonymous_read=False))
    assert client.get("/api/search", params={"q": "Kobe"}).status_code == 401
    assert client.get("/", follow_redirects=False).status_code == 303
    viewer = client.post("/api/tokens", json={"name": "bob", "password": "viewer pass"}).json()
    headers = {"Authorization": f"Bearer {viewer['token']}"}
    assert client.get("/api/search", params={"q": "Kobe"}, headers=headers).status_code == 200
    body = {"values": {"key": "x-1", "kind": "other"}, "source": "s"}
    assert client.post("/api/records/actor", json=body, headers=headers).status_code == 403
    token = client.post("/api/tokens", json={"name": "eve", "password": "editor pass"}).json()["token"]
    made = client.post("/api/records/actor", json=body, headers={"Authorization": f"Bearer {token}"})
    assert made.status_code == 201 and made.json()["action"] == "create"
    cookie_write = client.post("/api/records/actor", json=body)  # no token, no session, no CSRF
    assert cookie_write.status_code == 401
    for _ in range(5):
        assert client.post("/api/tokens", json={"name": "eve", "password": "wrong"}).status_code == 401
    assert client.post("/api/tokens", json={"name": "eve", "password": "editor pass"}).status_code == 429


def test_tokens_expire(registry):
    import datetime as dt

    user = add_user(registry, "old", "old password", "viewer")
    live, _ = issue_token(registry, user["id"], "api")
    dead, _ = issue_token(registry, user["id"], "api", ttl=dt.timedelta(seconds=-1))
    assert user_for_token(registry, live, "api")["name"] == "old"
    assert user_for_token(registry, dead, "api") is None
    assert user_for_token(registry, live, "session") is None


def test_api_edits_on_each_backend(backend):  # noqa: F811
    add_user(backend, "ann", "ann password", "editor")
    client = TestClient(create_app(backend))
    token = client.post("/api/tokens", json={"name": "ann", "password": "ann password"}).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    state = client.get("/api/records/tie/1").json()
    patch = {"changes": {"status": "ended"}, "source": "paper2003", "version": state["version"]}
    first = client.patch("/api/records/tie/1", json=patch, headers=auth)
    assert first.status_code == 200 and first.json()["before"]["status"] == "active"
    assert client.patch("/api/records/tie/1", json=patch, headers=auth).status_code == 409
    assert client.get("/api/actors/1").json()["ties"][0]["status"] == "ended"
    undo = client.post(f"/api/audit/{first.json()['id']}/revert", headers=auth)
    assert undo.status_code == 200
    assert client.get("/api/actors/1").json()["ties"][0]["status"] == "active"
    geo = client.get("/api/actors/1/map").json()
    assert [f["geometry"]["type"] for f in geo["features"]].count("LineString") == 1


def test_user_add_and_serve_get(registry_path):
    result = CliRunner().invoke(
        cli,
        ["user", "add", "kim", "--role", "editor", "--db", str(registry_path)],
        input="long password\nlong password\n",
    )
    assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, ["serve", "--db", str(registry_path), "--get", "/api/search?q=Kobe"])
    assert result.exit_code == 0 and json.loads(result.output)["candidates"][0]["lg_code"] == "281000"


def test_serve_get_needs_only_the_web_extra(template_db):
    """`serve --get` drives the app in this process with the web extra's HTTP client (httpx2), not
    the test extra's httpx."""
    import subprocess
    import sys

    def get(*args: str) -> subprocess.CompletedProcess:
        code = (  # a fresh process in which httpx cannot be imported, as if not installed
            "import sys\n"
            "sys.modules['httpx'] = None\n"
            "from paradiplomacy.cli.main import cli\n"
            f"sys.argv = ['paradiplomacy', 'serve', *{list(args)!r}, '--db', {str(template_db)!r}]\n"
            "cli()\n"
        )
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    done = get("--get", "/api/search?q=Kōbe")  # a query outside ASCII
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["candidates"][0]["lg_code"] == "281000"
    done = get("--private", "--get", "/ties")  # redirected to the sign-in page, as a browser is
    assert done.returncode == 0, done.stderr
    assert "<title>Sign in" in done.stdout
    done = get("--get", "/api/no-such-thing")
    assert done.returncode == 1 and json.loads(done.stdout)["detail"]


def test_tie_map_cli_matches_the_api(reader, template_db):
    result = CliRunner().invoke(cli, ["tie-map", "北九州市", "--db", str(template_db)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == reader.get("/api/actors/北九州市/map").json()


def test_datasette_metadata_is_json_naming_real_tables():
    result = CliRunner().invoke(cli, ["datasette-metadata"])
    data = json.loads(result.output)
    tables = data["databases"]["paradiplomacy"]["tables"]
    assert set(tables) == set(Base.metadata.tables)
    assert tables["tie"]["facets"] == ["kind", "status"] and tables["tie"]["description"]
    assert tables["app_user"]["hidden"] and data["license"]
    assert datasette_metadata("x")["databases"]["x"]["tables"]["actor"]["label_column"] == "name_en"


def test_offices_strategies_memberships_through_forms_and_api(backend):  # noqa: F811
    from sqlalchemy import insert

    from paradiplomacy.store.schema import Coalition

    with backend.session() as session:
        session.execute(insert(Coalition).values(key="env", name="Environment coalition"))
    add_user(backend, "ann", "ann password", "editor")
    client = TestClient(create_app(backend))
    csrf = _sign_in(client, "ann", "ann password")
    actor = client.get("/actor/id:1").text
    for link in ("/new/office?owners=1", "/new/strategy?actor_id=1", "/new/coalition_member?actor_id=1"):
        assert link in actor
    form = client.get("/new/office", params={"owners": "1"}).text
    assert 'value="1"' in form and "trade_promotion" in form and "lead owner first" in form
    bad = client.post(
        "/new/office",
        data={"csrf": csrf, "key": "dl", "owners": "1", "functions": "smuggling", "source": "s"},
    )
    assert bad.status_code == 400 and 'id="error-functions"' in bad.text and "smuggling" in bad.text
    made = client.post(
        "/new/office",
        data={
            "csrf": csrf,
            "key": "kitaq-dalian",
            "name": "Dalian office",
            "owners": "1",
            "city_id": "Dalian",
            "functions": ["trade_promotion", "sme_support"],
            "source": "https://example.org/o",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"] == "/actor/id:1"
    office = client.get("/api/actors/id:1").json()["offices"][0]
    assert office["functions"] == ["trade_promotion", "sme_support"] and office["sources"]
    assert f'href="/edit/office/{office["id"]}"' in client.get("/actor/id:1").text
    assert "Offices located here" in client.get("/actor/id:2").text
    edit = client.get(f"/edit/office/{office['id']}").text
    assert '<option value="trade_promotion" selected>' in edit  # a list as selected options
    assert '<option value="sme_support" selected>' in edit and 'value="Dalian"' in edit  # names
    assert 'name="city_id_key" id="k-city_id" value="geo-1814087"' in edit
    version = client.get(f"/api/records/office/{office['id']}").json()["version"]
    fixed = client.post(
        f"/edit/office/{office['id']}",
        data={
            "csrf": csrf,
            "version": version,
            "key": "kitaq-dalian",
            "owners": "jp-401005",
            "functions": ["trade_promotion", "sme_support"],
            "city_id": "Dalian",
            "city_id_key": "geo-1814087",
            "closed": "2012",
            "source": "minutes",
        },
        follow_redirects=False,
    )
    assert fixed.status_code == 303
    entry = client.get("/api/audit", params={"entity": "office"}).json()["entries"][0]
    assert entry["before"]["closed"] is None and entry["after"]["closed"] == "2012"
    assert entry["before"]["functions"] == entry["after"]["functions"]  # unchanged, not re-sent
    assert entry["label"] == "Dalian office (Kitakyushu)" and entry["source_title"] == "minutes"

    plan = client.post(
        "/api/records/strategy",
        headers={"x-csrf-token": csrf},
        json={
            "values": {"actor_id": "jp-401005", "title": "Plan", "pillars": ["acquire_external_demand"]},
            "source": "paper2003",
        },
    )
    assert plan.status_code == 201, plan.text
    member = client.post(
        "/api/records/coalition_member",
        headers={"x-csrf-token": csrf},
        json={
            "values": {"actor_id": 1, "coalition_id": "env", "role": "local_government"},
            "source": "paper2003",
        },
    )
    assert member.status_code == 201, member.text
    profile = client.get("/api/actors/id:1").json()
    assert profile["strategies"][0]["title"] == "Plan"
    assert profile["coalitions"][0]["coalition"] == "env"
    duplicate = client.post(
        "/api/records/coalition_member",
        headers={"x-csrf-token": csrf},
        json={
            "values": {"actor_id": 1, "coalition_id": "env", "role": "local_government"},
            "source": "paper2003",
        },
    )
    assert duplicate.status_code == 400 and "exists already" in duplicate.json()["detail"]
    undo = client.post(f"/audit/{member.json()['id']}/revert", data={"csrf": csrf}, follow_redirects=False)
    assert undo.status_code == 303
    assert client.get("/api/actors/id:1").json()["coalitions"] == []


def test_api_docs_are_served_by_the_package_not_a_cdn(reader):
    page = reader.get("/api/docs")
    assert page.status_code == 200 and "cdn" not in page.text.lower()
    assert "script-src 'self' 'unsafe-inline'" in page.headers["content-security-policy"]
    script = reader.get("/api/docs/assets/swagger-ui-bundle.js")
    assert script.status_code == 200 and len(script.content) > 100_000
    assert "script-src" not in reader.get("/ties").headers["content-security-policy"]


# --- The workbench in Japanese or English ------------------------------------------------------


@pytest.fixture
def bilingual(tmp_path) -> TestClient:
    """The small registry with Kitakyushu as a designated city: fast pages in both languages."""
    from sqlalchemy import update

    from paradiplomacy.store.schema import Actor
    from tests.web_fixtures import small_registry

    registry = small_registry(tmp_path / "small.db")
    with registry.session() as session:
        session.execute(
            update(Actor).where(Actor.id == 1).values(lg_type="designated_city", founded="1963-02-10")
        )
    return TestClient(create_app(registry))


def _nav(page: str) -> list[str]:
    import re

    nav = page.split("<nav>")[1].split("</nav>")[0]
    return re.findall(r">([^<]+)</a>", nav)


def test_pages_in_japanese_from_accept_language(bilingual):
    ja = bilingual.get("/actor/jp-401005", headers={"Accept-Language": "ja,en;q=0.5"}).text
    en = bilingual.get("/actor/jp-401005", headers={"Accept-Language": "en-GB,ja;q=0.5"}).text
    assert '<html lang="ja">' in ja and '<html lang="en">' in en
    assert "政令指定都市" in ja and "友好" in ja and "提携中" in ja and "人口" not in en
    assert "1979年（昭和54年）5月1日" in ja and "1963年（昭和38年）2月10日設置" in ja
    assert "designated city" in en and "friendship" in en and "1979-05-01" in en
    for raw in ("designated_city", ">friendship<", ">active<", ">Ties <", ">partner<"):
        assert raw not in ja, raw
    nav_ja, nav_en = _nav(ja), _nav(en)
    assert nav_ja[0] == "検索" and nav_en[0] == "Search" and len(nav_ja) == len(nav_en)
    assert not set(nav_ja) & set(nav_en) - {"API"}, "a nav label is the same in both languages"
    assert 'id="lang-en"' in ja and 'id="lang-ja"' in en


def test_lang_query_sets_a_cookie_that_sticks(bilingual):
    switched = bilingual.get("/ties?actor=Kitakyushu&lang=en", headers={"Accept-Language": "ja"})
    cookie = switched.headers["set-cookie"]
    assert "lang=en" in cookie and "samesite=lax" in cookie.lower() and "secure" not in cookie.lower()
    assert '<html lang="en">' in switched.text
    assert 'href="/ties?actor=Kitakyushu&amp;lang=ja"' in switched.text  # the switch keeps the query
    later = bilingual.get("/", headers={"Accept-Language": "ja"})  # the cookie wins over the browser
    assert '<html lang="en">' in later.text and ">Search<" in later.text
    back = bilingual.get("/?lang=ja")
    assert "lang=ja" in back.headers["set-cookie"] and '<html lang="ja">' in back.text
    assert '<html lang="ja">' in bilingual.get("/ties").text
    assert '<html lang="ja">' in bilingual.get("/?lang=fr").text  # an unknown choice changes nothing


def test_lang_cookie_is_secure_when_the_app_says_so(tmp_path):
    from tests.web_fixtures import small_registry

    client = TestClient(create_app(small_registry(tmp_path / "s.db"), secure_cookies=True))
    cookies = client.get("/?lang=ja").headers.get_list("set-cookie")
    assert any(c.startswith("lang=ja") and "secure" in c.lower() for c in cookies)


def test_errors_in_the_page_language_and_raw_json(bilingual):
    page = bilingual.get("/actor/Nowhereville", headers={"Accept-Language": "ja"})
    assert page.status_code == 404 and "「Nowhereville」という主体はありません" in page.text
    assert "エラー 404" in page.text
    api = bilingual.get("/api/actors/jp-401005", headers={"Accept-Language": "ja"}).json()
    assert api["lg_type"] == "designated_city" and api["ties"][0]["status"] == "active"
    wrong = bilingual.get("/api/actors/Nowhereville", headers={"Accept-Language": "ja"}).json()
    assert wrong["detail"]["reason"] == "no actor named 'Nowhereville'"


def test_search_and_tie_explorer_in_japanese(bilingual):
    search = bilingual.get("/", params={"q": "Kitakyushu", "lang": "ja"}).text
    assert "候補1件" in search and "北九州市 (Kitakyushu)" in search and "政令指定都市" in search
    ties = bilingual.get("/ties", params={"actor": "jp-401005", "lang": "ja"}).text
    assert (
        "提携一覧" in ties and ">友好<" in ties and ">提携中<" in ties and "1979年（昭和54年）5月1日" in ties
    )
    assert ">sister<" not in ties and "姉妹" in ties  # the kind filter's options are labels


def test_every_template_gets_the_language_filters():
    """Pages another module renders (edit, audit) translate by using these: times in Japan time."""
    from paradiplomacy.web.pages import _env

    template = _env.from_string("{{ _('Search') }} {{ at|when }} {{ 'sister'|vocab }} {{ day|date }}")
    assert template.render(lang="ja", at="2026-12-08T01:33:00+00:00", day="1965") == (
        "検索 2026-12-08 10:33 JST 姉妹 1965（昭和40）年"
    )
    assert template.render(lang="en", at="2026-12-08T01:33:00+00:00", day="1965") == (
        "Search 2026-12-08 10:33 JST sister 1965"
    )


def test_suggestions_find_an_actor_in_either_script(reader):
    for typed in ("フェアバンクス", "Fairbanks"):
        found = reader.get("/api/suggest", params={"q": typed, "lang": "ja"}).json()["suggestions"]
        assert found[0]["key"] == "geo-5861897", typed
        assert found[0]["name_en"] == "Fairbanks" and found[0]["label"] == "フェアバンクス"
        assert found[0]["country"] == "US" and found[0]["kind_label"] == "外国の都市"
    niigata = reader.get("/api/suggest", params={"q": "新潟市"}).json()["suggestions"][0]
    assert niigata["key"] == "jp-151009" and niigata["label"] == "Niigata"
    assert reader.get("/api/suggest", params={"q": "新"}).json()["suggestions"] == []
    cities = reader.get("/api/suggest", params={"q": "Niigata", "kind": "prefecture"}).json()
    assert [s["key"] for s in cities["suggestions"]] == ["jp-150002"]


def test_forms_resolve_names_offer_candidates_and_confirm_reverts(backend):  # noqa: F811
    add_user(backend, "ann", "ann password", "editor")
    client = TestClient(create_app(backend))
    csrf = _sign_in(client, "ann", "ann password")
    for number in (1, 2):
        made = client.post(
            "/api/records/actor",
            headers={"x-csrf-token": csrf},
            json={
                "values": {
                    "key": f"geo-s{number}",
                    "kind": "foreign_city",
                    "name_en": "Springfield",
                    "country": "US",
                },
                "source": "https://example.org/springfield",
            },
        )
        assert made.status_code == 201, made.text
    form = client.get("/new/tie", params={"subject_id": "1"}).text
    assert 'id="f-subject_id" value="Kitakyushu"' in form and 'id="k-subject_id" value="jp-401005"' in form
    assert '<select name="kind" id="f-kind">' in form and '<option value="sister">sister</option>' in form
    assert 'src="/static/suggest.js"' in form and "<script>" not in form
    data = {
        "csrf": csrf,
        "kind": "sister",
        "subject_id": "Kitakyushu",
        "object_id": "Springfield",
        "source": "s",
    }
    ambiguous = client.post("/new/tie", data=data)
    assert ambiguous.status_code == 400 and 'id="error-object_id"' in ambiguous.text
    assert ambiguous.text.count('name="object_id_key"') == 2 and 'value="geo-s2"' in ambiguous.text
    chosen = client.post("/new/tie", data={**data, "object_id_key": "geo-s2"}, follow_redirects=False)
    assert chosen.status_code == 303
    entry = client.get("/api/audit", params={"lang": "ja"}).json()["entries"][0]
    assert entry["label"] == "北九州市–Springfield (姉妹)" and entry["after"]["object_id"] == 5
    assert entry["actors"] == {"1": "北九州市", "5": "Springfield"} and entry["source_title"] == "s"
    english = client.get("/api/audit").json()["entries"][0]
    assert english["label"] == "Kitakyushu–Springfield (sister)"
    audit = client.get("/audit", headers={"Accept-Language": "ja"}).text
    assert "北九州市–Springfield (姉妹)" in audit and "JST" in audit and "相手先" in audit
    assert (
        f'href="/audit/{entry["id"]}/revert"' in audit and 'href="https://example.org/springfield"' in audit
    )
    confirm = client.get(f"/audit/{entry['id']}/revert", headers={"Accept-Language": "ja"}).text
    assert "取り消しますか" in confirm and 'id="confirm-revert"' in confirm and "削除" in confirm
    assert client.get("/api/records/tie/2").status_code == 200
    assert client.post(f"/audit/{entry['id']}/revert", data={"csrf": "forged"}).status_code == 403
    done = client.post(f"/audit/{entry['id']}/revert", data={"csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303 and client.get("/api/records/tie/2").status_code == 400

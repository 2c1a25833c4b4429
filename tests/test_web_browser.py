"""End to end in a real headless Chromium (Debian's, driven by Playwright): search -> actor page ->
map with partner lines -> sign in -> correct a tie with a source -> audit entry -> revert -> find
partners (the matching page answers at once) -> the diffusion chart.

Skipped when Chromium or Playwright is missing, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PARADIPLOMACY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need_browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is not installed (the test extra)")
        pytest.skip("playwright is not installed")
    if not Path(CHROMIUM).is_file():
        if IN_CI:
            pytest.fail(f"no Chromium at {CHROMIUM}: .ci/run installs Debian's chromium")
        pytest.skip("no Chromium on this machine (apt-get install chromium)")
    return sync_playwright


@pytest.fixture
def server(registry):
    """The workbench over a private copy of the registry, on a free local port."""
    import uvicorn

    from paradiplomacy.curation.accounts import add_user
    from paradiplomacy.web.app import create_app

    add_user(registry, "editor1", "editor password", "editor")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(registry), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    for _ in range(200):
        if instance.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


def map_content(png: bytes) -> tuple[float, int]:
    """Share of pixels that are not the sea, and the number of pixels in a tie line's colours."""
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = list(image.getdata())
    sea = (0xCF, 0xE3, 0xF3)
    lines = [(0xC0, 0x39, 0x2B), (0x28, 0x74, 0xA6), (0x7D, 0x3C, 0x98), (0xD3, 0x54, 0x00)]

    def near(p, q, tolerance=60):
        return sum(abs(a - b) for a, b in zip(p, q, strict=True)) <= tolerance

    not_sea = sum(1 for p in pixels if not near(p, sea, 12)) / len(pixels)
    coloured = sum(1 for p in pixels if any(near(p, c) for c in lines))
    return not_sea, coloured


def test_search_map_sign_in_edit_audit_revert(server, tmp_path):
    sync_playwright = _need_browser()
    shots = Path(os.environ.get("PARADIPLOMACY_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        offline = []
        page.on("request", lambda r: offline.append(r.url) if not r.url.startswith(server) else None)

        page.goto(f"{server}/")
        page.fill("#q", "Kitakyushu")
        page.click("#go")
        page.wait_for_selector("a.candidate")
        page.screenshot(path=str(shots / "search.png"))
        page.click("a.candidate >> nth=0")

        page.wait_for_selector("#map[data-ready=true]", timeout=30_000)
        assert "北九州市" in page.inner_text("#actor-name")
        assert int(page.get_attribute("#map", "data-lines")) >= 3
        assert page.locator("path.tie-line").count() >= 3
        png = page.locator("#map").screenshot(path=str(shots / "map.png"))
        not_sea, coloured = map_content(png)
        assert not_sea > 0.15, f"map looks blank: {not_sea:.1%} of it is not sea"
        assert coloured > 100, f"no partner lines visible ({coloured} line pixels)"
        page.screenshot(path=str(shots / "actor.png"), full_page=True)
        actor_url = page.url

        page.click("#signin")
        page.fill("#name", "editor1")
        page.fill("#password", "editor password")
        page.click("#login")
        page.wait_for_selector("#who")
        page.goto(actor_url)
        page.click("a.edit-tie >> nth=0")
        page.fill("#f-note", "Renewed at the 2026 summit <b>bold?</b>")
        page.fill("#source", "https://example.org/kitakyushu-2026-minutes")
        page.click("#save")
        page.wait_for_selector("#map[data-ready=true]")
        page.screenshot(path=str(shots / "after-edit.png"), full_page=True)
        assert "Renewed at the 2026 summit <b>bold?</b>" in page.inner_text("table.ties")

        page.goto(f"{server}/audit")
        entry = page.locator("tr.entry").first
        assert "editor1" in entry.inner_text() and "update" in entry.inner_text()
        assert "Renewed at the 2026 summit" in entry.inner_text()
        page.screenshot(path=str(shots / "audit.png"), full_page=True)
        entry.locator("a.revert").click()
        page.click("#confirm-revert")
        page.wait_for_selector("tr.entry >> text=revert of")
        page.goto(actor_url)
        page.wait_for_selector("#map[data-ready=true]")
        assert "Renewed at the 2026 summit" not in page.inner_text("table.ties")

        page.click("#find-partners")  # matching starts in the background; the page says so
        page.wait_for_selector("#match-form")
        assert page.input_value("input[name=actor]") == "jp-401005"
        assert page.locator("#job-state, #candidates").count() >= 1
        page.click("header >> text=Diffusion")  # the adoption curve, drawn once it is computed
        page.wait_for_selector("#chart svg polyline", timeout=90_000)
        chart = page.locator("#chart svg").screenshot(path=str(shots / "diffusion.png"))
        assert map_content(chart)[0] > 0.02, "the adoption chart looks blank"
        browser.close()
    assert offline == [], f"pages asked the network: {offline[:3]}"


def test_japanese_search_actor_page_switch_and_cookie(server, tmp_path):
    """A browser that prefers Japanese: search 新潟 -> 新潟市 says 政令指定都市 with Japanese headings
    and map note; the switch to English says "designated city" and the choice sticks (cookie)."""
    sync_playwright = _need_browser()
    shot = Path(os.environ.get("PARADIPLOMACY_SCREENSHOTS", tmp_path)) / "webja-actor.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            locale="ja-JP",
            extra_http_headers={"Accept-Language": "ja,en;q=0.5"},
            viewport={"width": 1280, "height": 1000},
        )
        page = context.new_page()
        page.goto(f"{server}/")
        assert page.get_attribute("html", "lang") == "ja"
        assert page.inner_text("h1") == "地方公共団体・提携先を探す"
        assert "検索" in page.inner_text("header nav") and "Search" not in page.inner_text("header nav")
        page.fill("#q", "新潟")
        page.click("#go")
        page.wait_for_selector("a.candidate")
        page.click("a.candidate:has-text('新潟市')")

        page.wait_for_selector("#map[data-ready=true]", timeout=30_000)
        assert page.get_attribute("html", "lang") == "ja"
        assert page.inner_text("#actor-name").startswith("新潟市")
        assert page.inner_text("#actor-type") == "政令指定都市"
        assert page.locator("h2", has_text="提携").count() >= 1
        assert "提携線" in page.inner_text("#map-note")
        headers = page.locator("table.ties thead").inner_text()
        assert "提携先" in headers and "状態" in headers and "partner" not in headers
        kinds = page.locator("table.ties td.tie-kind").all_inner_texts()
        assert "姉妹・友好" in " ".join(kinds) and "twinning" not in " ".join(kinds)
        page.screenshot(path=str(shot), full_page=True)

        page.click("#lang-en")
        page.wait_for_selector("#map[data-ready=true]", timeout=30_000)
        assert page.get_attribute("html", "lang") == "en"
        assert page.inner_text("#actor-type") == "designated city"
        assert "tie line" in page.inner_text("#map-note")
        assert {c["name"]: c["value"] for c in context.cookies()}.get("lang") == "en"

        page.click("header >> text=Ties")  # the next page, no ?lang=: the cookie keeps English
        page.wait_for_selector("#total")
        assert page.get_attribute("html", "lang") == "en" and page.inner_text("h1") == "Tie explorer"
        page.click("#lang-ja")
        page.wait_for_selector("#total")
        assert page.inner_text("h1") == "提携一覧" and "lang=ja" in page.url
        browser.close()


def test_japanese_search_sign_in_add_a_tie_by_name_audit_and_revert(server):
    """In Japanese: search 新潟 -> the actor page says 政令指定都市 -> sign in -> add a tie from 新潟市
    choosing the partner by typing フェアバンクス and picking the suggestion -> the audit entry names the
    tie -> revert it after confirming."""
    sync_playwright = _need_browser()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(
            locale="ja-JP",
            extra_http_headers={"Accept-Language": "ja"},
            viewport={"width": 1100, "height": 900},
        )
        page = context.new_page()
        offline = []
        page.on("request", lambda r: offline.append(r.url) if not r.url.startswith(server) else None)
        page.goto(f"{server}/")
        page.fill("#q", "新潟")
        page.click("#go")
        page.wait_for_selector("a.candidate")
        page.click("a.candidate:has-text('新潟市')")
        page.wait_for_selector("#actor-type")
        assert page.get_attribute("html", "lang") == "ja"
        assert page.inner_text("#actor-type") == "政令指定都市"
        page.click("#signin")
        page.wait_for_selector("#name")
        page.fill("#name", "editor1")
        page.fill("#password", "editor password")
        page.click("#login")
        page.click("#add-tie")

        page.wait_for_selector("#f-object_id")
        assert "提携を追加" in page.inner_text("h1")
        assert page.input_value("#f-subject_id") == "新潟市"
        assert "姉妹" in page.inner_text("#f-kind")  # the kinds as a select list, labelled in Japanese
        page.select_option("#f-kind", "sister")
        page.locator("#f-object_id").press_sequentially("フェアバンクス", delay=40)
        page.wait_for_selector("#s-object_id li[role=option]")
        suggestions = page.inner_text("#s-object_id")
        assert "フェアバンクス" in suggestions and "Fairbanks" in suggestions
        assert page.get_attribute("#f-object_id", "aria-expanded") == "true"
        page.screenshot(path="/tmp/curation-form.png")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")  # picks the suggestion, does not submit
        assert page.input_value("#f-object_id") == "フェアバンクス"
        assert page.input_value("#k-object_id") == "geo-5861897"
        page.fill("#f-start", "2026-12-01")
        page.fill("#source", "https://example.org/niigata-fairbanks-2026")
        page.click("#save")
        page.wait_for_url("**/actor/id:*")
        ties = page.request.get(f"{server}/api/actors/新潟市").json()["ties"]
        assert any(t["kind"] == "sister" and "Fairbanks" in str(t) for t in ties)

        page.goto(f"{server}/audit")
        entry = page.locator("tr.entry").first
        text = entry.inner_text()
        assert "新潟市–フェアバンクス (姉妹)" in text and "追加" in text and "JST" in text
        assert (
            entry.locator("td.source a").get_attribute("href") == "https://example.org/niigata-fairbanks-2026"
        )
        page.screenshot(path="/tmp/curation-audit.png")
        entry.locator("a.revert").click()
        page.wait_for_selector("#confirm-revert")
        page.screenshot(path="/tmp/curation-revert.png")
        assert "新潟市–フェアバンクス (姉妹)" in page.inner_text("#revert-record")
        assert "削除" in page.inner_text("#revert-effect")
        page.click("#confirm-revert")
        page.wait_for_selector("tr.entry >> text=の取り消し")
        ties = page.request.get(f"{server}/api/actors/新潟市").json()["ties"]
        assert not any(t["kind"] == "sister" and "Fairbanks" in str(t) for t in ties)
        browser.close()
    assert offline == [], f"pages asked the network: {offline[:3]}"


def test_choose_a_candidate_on_the_unresolved_page(server, registry):
    """An editor chooses a candidate for a queued pair row: the tie is loaded, the row leaves the
    open queue and the step is in the audit log."""
    sync_playwright = _need_browser()
    from paradiplomacy.store.unresolved import unresolved_rows

    with registry.reader() as session:
        salisbury = next(r for r in unresolved_rows(session, reason="ambiguous 'Salisbury'"))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.goto(f"{server}/unresolved?reason=ambiguous")
        assert page.locator("#by-reason").count() == 1 and page.locator("button.choose").count() == 0
        page.click("#signin")
        page.fill("#name", "editor1")
        page.fill("#password", "editor password")
        page.click("#login")
        page.wait_for_selector("#who")
        page.goto(f"{server}/unresolved?reason=Salisbury")
        row = page.locator(f"#row-{salisbury['id']}")
        assert "Salisbury in Queensland" in row.inner_text()
        row.locator("button.choose[data-candidate='2']").click()
        page.wait_for_load_state()
        assert page.locator(f"#row-{salisbury['id']}").count() == 0  # out of the open queue
        page.goto(f"{server}/unresolved?reason=Salisbury&status=picked")
        assert "geo-8349401" in page.inner_text(f"#row-{salisbury['id']}")
        page.goto(f"{server}/audit")
        entry = page.locator("tr.entry").first
        assert "editor1" in entry.inner_text() and "candidate 2 (geo-8349401)" in entry.inner_text()
        page.goto(f"{server}/actor/geo-8349401")
        assert "Mobara" in page.inner_text("body") or "茂原市" in page.inner_text("body")
        browser.close()

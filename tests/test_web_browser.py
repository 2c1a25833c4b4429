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
        entry.locator("button.revert").click()
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

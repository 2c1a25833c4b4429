"""Partner matching and diffusion in the workbench: background jobs (never a hung request), the
pages and their JSON twins, and the server-drawn charts."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient

from paradiplomacy.api.jobs import Jobs
from paradiplomacy.web.app import create_app
from paradiplomacy.web.charts import Series, line_chart
from tests.test_match import build_registry


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARADIPLOMACY_CACHE", str(tmp_path / "cache"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    return build_registry(tmp_path_factory.mktemp("web-match") / "synthetic.db")


@pytest.fixture(scope="module")
def full(shared_registry) -> TestClient:
    return TestClient(create_app(shared_registry))


def test_jobs_report_queued_running_done_and_errors():
    jobs = Jobs()
    gate = threading.Event()
    first = jobs.run("a", gate.wait)
    second = jobs.run("b", lambda: 42)
    time.sleep(0.1)
    assert first.status == "running" and second.status == "queued"
    assert jobs.run("a", lambda: "other") is first  # the same parameters: the same job
    gate.set()
    assert jobs.run("b", lambda: 0, wait=5).result == 42
    failed = jobs.run("c", lambda: int("x"), wait=5, expected=(ValueError,))
    assert failed.status == "error" and "invalid literal" in failed.error
    assert jobs.run("c", lambda: 1) is failed  # bad input: the same answer, not a restart
    jobs.shutdown()


def test_an_unexpected_failure_is_shown_before_it_is_retried(monkeypatch):
    import paradiplomacy.api.jobs as jobs_module

    jobs = Jobs()
    broken = jobs.run("d", lambda: 1 / 0, wait=5)
    assert broken.status == "error" and "ZeroDivisionError" in broken.error
    assert jobs.run("d", lambda: 2) is broken  # a polling page sees the error, not a restart
    monkeypatch.setattr(jobs_module, "RETRY_AFTER_S", 0.0)
    assert jobs.run("d", lambda: 2, wait=5).result == 2  # after the pause, a new try
    jobs.shutdown()


def test_matching_page_says_it_is_computing_then_shows_reasons(synthetic, monkeypatch):
    import paradiplomacy.matching.recommend as recommend_module

    gate = threading.Event()
    real = recommend_module.recommend

    def slow(*args, **kwargs):
        gate.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(recommend_module, "recommend", slow)
    client = TestClient(create_app(synthetic))
    page = client.get("/match", params={"actor": "jp-0-0"})
    assert page.status_code == 200 and 'http-equiv="refresh"' in page.text
    assert "Computing" in page.text and "first query fits the model" in page.text
    pending = client.get("/api/match/jp-0-0")
    assert pending.status_code == 202 and pending.headers["retry-after"] == "2"
    assert pending.json()["status"] in ("queued", "running") and pending.json()["result"] is None
    gate.set()
    done = client.get("/api/match/jp-0-0", params={"wait": 60})
    assert done.status_code == 200 and done.json()["status"] == "done"
    result = done.json()["result"]
    assert result["actor"]["key"] == "jp-0-0" and len(result["candidates"]) == 10
    best = result["candidates"][0]
    assert best["reasons"] and {"feature", "value", "contribution", "meaning"} <= set(best["reasons"][0])
    page = client.get("/match", params={"actor": "jp-0-0"})
    assert 'http-equiv="refresh"' not in page.text and 'id="candidates"' in page.text
    assert f'href="/actor/{best["key"]}"' in page.text and "/api/match/jp-0-0" in page.text


def test_matching_refuses_bad_requests(synthetic):
    client = TestClient(create_app(synthetic))
    assert client.get("/api/match/nowhere-xyz").status_code == 404
    bad = client.get("/api/match/jp-0-0", params={"goal": "conquest", "wait": 30})
    assert bad.status_code == 400 and "unknown goal" in bad.json()["detail"]
    page = client.get("/match", params={"actor": "nowhere-xyz"})
    assert page.status_code == 200 and 'class="error"' in page.text and 'id="candidates"' not in page.text


def test_actor_page_links_to_partner_matching(full):
    page = full.get("/actor/北九州市").text
    assert 'id="find-partners"' in page and "/match?actor=jp-401005" in page


def test_diffusion_fit_page_chart_and_twin(full):
    fit = full.get("/api/diffusion/international_strategy/fit", params={"wait": 60})
    assert fit.status_code == 200, fit.text
    result = fit.json()["result"]
    terms = {row["term"] for row in result["coefficients"]}
    assert "const" in terms and result["curve"] and result["stats"]["adoptions"] >= 5
    page = full.get("/diffusion", params={"policy": "international_strategy", "view": "fit"}).text
    assert 'id="coefficients"' in page and "<svg" in page and "<polyline" in page
    assert "/api/diffusion/international_strategy/fit" in page
    data = full.get("/api/diffusion/international_strategy/data", params={"wait": 60}).json()
    last = data["result"]["curve"][-1]
    assert last["cumulative"] == result["curve"][-1]["observed"]


def test_diffusion_errors_are_clear(full):
    assert full.get("/api/diffusion/no_such_policy/data").status_code == 404
    too_few = full.get("/api/diffusion/overseas_office/fit", params={"wait": 60})
    assert too_few.status_code == 400 and "needs at least" in too_few.json()["detail"]
    page = full.get("/diffusion", params={"policy": "overseas_office", "view": "fit"})
    for _ in range(60):
        if "Computing" not in page.text:
            break
        time.sleep(1)
        page = full.get("/diffusion", params={"policy": "overseas_office", "view": "fit"})
    assert 'class="error"' in page.text and "needs at least" in page.text
    assert full.get("/diffusion", params={"view": "nonsense"}).status_code == 404
    assert (
        full.get("/api/diffusion/international_strategy/data", params={"years": "later"}).status_code == 400
    )


def test_diffusion_simulation_band(full):
    sim = full.get("/api/diffusion/international_strategy/simulate", params={"runs": 20, "wait": 60}).json()
    assert sim["status"] == "done" and sim["result"]["runs"] == 20
    assert all(row["lo"] <= row["median"] <= row["hi"] for row in sim["result"]["band"])
    page = full.get("/diffusion", params={"view": "simulate", "runs": 20}).text
    assert 'id="band"' in page and "<polygon" in page


def test_charts_escape_text_and_handle_gaps():
    svg = str(
        line_chart(
            [Series("<script>x</script>", [2000, 2001, 2002], [0, None, 3], "step")],
            title="a & b",
            x_label="year",
            y_label="n",
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    assert svg.count("<polyline") == 1
    assert "nothing to draw" in str(
        line_chart([Series("x", [1], [None])], title="t", x_label="x", y_label="y")
    )


def test_openapi_lists_matching_and_diffusion(synthetic):
    paths = TestClient(create_app(synthetic)).get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/match/{ref}",
        "/api/diffusion/{policy}/data",
        "/api/diffusion/{policy}/fit",
        "/api/diffusion/{policy}/simulate",
    ):
        assert path in paths, path

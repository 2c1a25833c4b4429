"""Access channels on the bundled corpus (Takao's Kitakyushu and Niigata cases) and bad input."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.analysis.channels import NoSuchTarget, access_channels, resolve_target
from paradiplomacy.analysis.network_graph import NetworkError
from paradiplomacy.cli.main import cli
from paradiplomacy.resolve.find import ActorNotFound
from paradiplomacy.store.schema import Actor, Tie


def _routes(report: object) -> list[tuple[str, tuple[str, ...]]]:
    return [(c["type"], (c["hops"][0]["from"], *(h["to"] for h in c["hops"]))) for c in report.channels]


def test_kitakyushu_reaches_china_through_dalian(shared_registry: Registry) -> None:
    report = access_channels(shared_registry, "Kitakyushu", "CN")
    assert report.reason is None
    best = report.channels[0]
    assert (best["type"], best["rank"]) == ("local_diplomacy", 1)
    assert [h["to"] for h in best["hops"]] == ["geo-1814087", "cn-gov"]  # Dalian, Beijing
    assert best["corroborated"]
    first = {s["link"] for s in best["hops"][0]["support"]}
    assert {"friendship", "access_channel"} <= first
    assert all(s["sources"] for hop in best["hops"] for s in hop["support"])
    assert any(
        "Access to the Center" in source for s in best["hops"][1]["support"] for source in s["sources"]
    )
    routes = _routes(report)
    assert ("conventional", ("jp-401005", "jp-mofa", "jp-gov", "cn-gov")) in routes
    scores = [c["score"] for c in report.channels]
    assert scores == sorted(scores, reverse=True)


def test_kitakyushu_to_japan_through_beijing_is_local_diplomacy(shared_registry: Registry) -> None:
    routes = _routes(access_channels(shared_registry, "jp-401005", "JP"))
    assert routes[0] == ("local_diplomacy", ("jp-401005", "geo-1814087", "cn-gov", "jp-gov"))
    assert ("conventional", ("jp-401005", "jp-mofa", "jp-gov")) in routes


def test_niigata_channels_to_beijing(shared_registry: Registry) -> None:
    prefecture = _routes(access_channels(shared_registry, "新潟県", "CN"))
    assert prefecture[0] == ("local_diplomacy", ("jp-150002", "iso-cn-hl", "cn-gov"))
    city = _routes(access_channels(shared_registry, "jp-151009", "CN"))
    harbin = ("local_diplomacy", ("jp-151009", "geo-2037013", "iso-cn-hl", "cn-gov"))
    assert harbin in city
    assert all(kind in ("local_diplomacy", "conventional") for kind, _ in city)


def test_boomerang_of_the_korean_residents(shared_registry: Registry) -> None:
    routes = _routes(access_channels(shared_registry, "org-mindan", "JP"))
    assert routes[0] == ("boomerang", ("org-mindan", "kr-gov", "jp-gov"))
    coalition = _routes(access_channels(shared_registry, "kawasaki-foreign-residents", "JP"))
    assert ("boomerang", ("coalition:kawasaki-foreign-residents", "kr-gov", "jp-gov")) in coalition


def test_no_channel_gives_the_reason(shared_registry: Registry) -> None:
    report = access_channels(shared_registry, "Kitakyushu", "TV")
    assert report.channels == [] and report.reason.startswith("no channel")
    near = access_channels(shared_registry, "Kitakyushu", "CN", max_hops=1)
    assert near.channels == [] and "takes 2 hops" in near.reason


def test_disconnected_actors(registry: Registry) -> None:
    with registry.session() as session:
        a, b = Actor(key="x-alpha", kind="other"), Actor(key="x-beta", kind="other")
        session.add_all([a, b])
        session.flush()
        session.add(Tie(kind="partnership", subject_id=a.id, object_id=b.id))
        session.add(Tie(kind="partnership", subject_id=a.id, object_id=a.id, role="loop"))
    report = access_channels(registry, "x-alpha", "JP")
    assert "different components" in report.reason
    assert access_channels(registry, "x-alpha", "x-beta").channels[0]["hops"][0]["to"] == "x-beta"


def test_bad_input(shared_registry: Registry) -> None:
    with pytest.raises(ActorNotFound):
        access_channels(shared_registry, "Nowhere-on-earth-xyz", "CN")
    with pytest.raises(NoSuchTarget):
        access_channels(shared_registry, "Kitakyushu", "Nowhere-on-earth-xyz")
    with pytest.raises(NetworkError, match="same actor"):
        access_channels(shared_registry, "Kitakyushu", "jp-401005")
    with pytest.raises(NetworkError, match="max-hops"):
        access_channels(shared_registry, "Kitakyushu", "CN", max_hops=0)
    assert resolve_target(shared_registry, "cn") == resolve_target(shared_registry, "cn-gov")


def test_cli_channels(shared_registry: Registry) -> None:
    db = str(shared_registry.engine.url.database)
    runner = CliRunner()
    result = runner.invoke(cli, ["channels", "Kitakyushu", "--target", "CN", "--db", db])
    assert result.exit_code == 0, result.output
    assert "local_diplomacy" in result.output and "Dalian" in result.output
    assert "takao_ties.yaml" in result.output  # sources are printed, not eaten
    result = runner.invoke(cli, ["channels", "Kitakyushu", "--target", "TV", "--db", db, "--json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["reason"].startswith("no channel")
    result = runner.invoke(cli, ["channels", "Nowhere-on-earth-xyz", "--target", "CN", "--db", db])
    assert result.exit_code == 2 and "Traceback" not in result.output

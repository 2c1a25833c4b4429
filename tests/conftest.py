"""Shared fixtures: one initialised registry built per test session, copied for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli

_FULL_REGISTRY = {"template_db", "registry_path", "registry", "shared_registry"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test that needs the full registry (built by ``init``, about a minute) as
    ``slow``, so ``pytest -m "not slow"`` runs the rest in seconds."""
    for item in items:
        if _FULL_REGISTRY & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry initialised once, through the CLI, from the bundled data (do not write to it)."""
    path = tmp_path_factory.mktemp("template") / "registry.db"
    result = CliRunner().invoke(cli, ["init", "--db", str(path), "--json"])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def registry_path(template_db: Path, tmp_path: Path) -> Path:
    """A private copy of the initialised registry for one test."""
    path = tmp_path / "registry.db"
    shutil.copy(template_db, path)
    return path


@pytest.fixture
def registry(registry_path: Path) -> Registry:
    """An initialised registry a test may change."""
    return Registry(registry_path)


@pytest.fixture(scope="session")
def shared_registry(template_db: Path) -> Registry:
    """The session's initialised registry, for read-only tests."""
    return Registry(template_db)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a fixture file in a given encoding and return its path."""
    path.write_bytes(text.encode(encoding))
    return path

"""Shared helpers of the robustness suites (tests/test_robust_*.py): a small registry, a digest of
everything stored, the integrity check and the count of hostile inputs tried.

The count is printed when the test process ends:
``hostile inputs tried: N (each one either loaded valid data or was rejected cleanly)``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner
from sqlalchemy import text

from paradiplomacy import Registry
from paradiplomacy.cli.main import cli
from paradiplomacy.ingest.importer import import_records
from paradiplomacy.ingest.readers import read_file
from paradiplomacy.ingest.validate import record_builtin
from paradiplomacy.resolve.directory import ActorDirectory
from paradiplomacy.store.schema import Base

HOSTILE: Counter[str] = Counter()


def tried(suite: str, n: int = 1) -> None:
    """Count ``n`` hostile inputs tried by ``suite``."""
    HOSTILE[suite] += n


@atexit.register
def _report() -> None:  # pragma: no cover - printed after the test run
    if HOSTILE:
        parts = ", ".join(f"{k} {v}" for k, v in sorted(HOSTILE.items()))
        sys.stderr.write(f"\nhostile inputs tried: {sum(HOSTILE.values())} ({parts}); none crashed\n")


SMALL = {
    "source": [{"key": "paper1", "kind": "paper", "title": "A paper", "year": 2003}],
    "actor": [
        {
            "key": "jp-401005",
            "kind": "municipality",
            "name_en": "Kitakyushu",
            "name_ja": "北九州市",
            "country": "JP",
            "lat": 33.88,
            "lon": 130.88,
            "population": 940000,
        },
        {
            "key": "jp-011002",
            "kind": "municipality",
            "name_en": "Sapporo",
            "name_ja": "札幌市",
            "country": "JP",
        },
        {"key": "cn-dalian", "kind": "foreign_city", "name_en": "Dalian", "name_ja": "大連", "country": "CN"},
        {"key": "us-portland", "kind": "foreign_city", "name_en": "Portland", "country": "US"},
        {"key": "net-c40", "kind": "city_network", "name_en": "C40"},
        {"key": "bank-x", "kind": "bank", "name_en": "Bank X", "country": "JP"},
    ],
    "coalition": [{"key": "kd", "name": "Kitakyushu-Dalian", "scope": "transnational"}],
    "office": [
        {
            "key": "off-1",
            "name": "Kitakyushu Dalian office",
            "owners": ["jp-401005"],
            "city": "cn-dalian",
            "model": "independent",
            "functions": ["trade_promotion"],
        }
    ],
    "tie": [{"kind": "friendship", "subject": "jp-401005", "object": "cn-dalian", "start": "1979"}],
    "observation": [
        {"key": "obs-1", "measure": "affiliations", "value": 1407, "dimensions": {"government_type": "city"}}
    ],
}
"""A registry small enough to build in a second, with one built-in record of several kinds."""


def build_small(path: Path) -> Registry:
    """Create the small registry at ``path`` (built-in records, as ``init`` marks them)."""
    registry = Registry(path)
    registry.create_schema()
    with registry.session() as session:
        directory = ActorDirectory(session)
        for kind, records in SMALL.items():
            file = path.with_name(f"builtin-{kind}.yaml")
            file.write_text(
                yaml.safe_dump(
                    {"kind": kind, "source": "paper1", "records": records}
                    if kind != "source"
                    else {"kind": kind, "records": records},
                    allow_unicode=True,
                ),
                encoding="utf-8",
            )
            report = import_records(session, read_file(file), kind, directory=directory)
            assert not report.rejections, report.rejections
        record_builtin(session)
        registry.set_meta(session, "initialised", "2026-01-01T00:00:00+00:00")
    registry.engine.dispose()
    return Registry(path)


_TEMPLATE: dict[str, Path] = {}


def small_registry_file(tmp_path: Path) -> Path:
    """The path of a private copy of the small registry, closed so that a CLI run can open it."""
    registry = small_registry(tmp_path)
    registry.engine.dispose()
    return registry.sqlite_path


def small_registry(tmp_path: Path) -> Registry:
    """A private copy of the small registry (built once per process)."""
    if "path" not in _TEMPLATE:
        folder = Path(tmp_path).parent / "small-template"
        folder.mkdir(exist_ok=True)
        template = folder / "small.db"
        if not template.exists():
            build_small(template).engine.dispose()
        _TEMPLATE["path"] = template
    target = Path(tmp_path) / "small.db"
    shutil.copy(_TEMPLATE["path"], target)
    return Registry(target)


def digest(registry: Registry) -> str:
    """A digest of every row of every table: equal digests, unchanged registry."""
    sha = hashlib.sha256()
    with registry.engine.connect() as conn:
        for table in sorted(Base.metadata.tables):
            rows = conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')).fetchall()
            sha.update(table.encode())
            sha.update(json.dumps([list(r) for r in rows], default=repr).encode("utf-8", "replace"))
    return sha.hexdigest()


def integrity_ok(registry: Registry) -> bool:
    """``PRAGMA integrity_check`` and ``foreign_key_check`` both clean."""
    with registry.engine.connect() as conn:
        check = conn.execute(text("PRAGMA integrity_check")).scalar()
        dangling = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    return check == "ok" and not dangling


def stored_values(registry: Registry) -> list[tuple[str, str, Any]]:
    """Every stored value as (table, column, value), for invariants over what an import kept."""
    out = []
    with registry.engine.connect() as conn:
        for table in sorted(Base.metadata.tables):
            result = conn.execute(text(f'SELECT * FROM "{table}"'))
            names = list(result.keys())
            for row in result:
                out.extend((table, name, value) for name, value in zip(names, row, strict=True))
    return out


def run(*args: Any, db: Any = None, env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run the CLI; fail the test on a traceback or an exception other than a clean exit."""
    argv = [*map(str, args)] + (["--db", str(db)] if db is not None else [])
    tried("cli")
    result = CliRunner().invoke(cli, argv, env=env)
    output = result.output
    assert "Traceback" not in output, output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{argv} raised {result.exception!r}") from result.exception
    return result.exit_code, output


def unchanged(path: Path, before: str) -> None:
    """Assert the registry at ``path`` still has the digest ``before`` and passes the checks."""
    registry = Registry(path)
    assert digest(registry) == before, "a rejected input changed the registry"
    assert integrity_ok(registry)
    registry.engine.dispose()


def snapshot(path: Path) -> str:
    """The digest of the registry at ``path``."""
    registry = Registry(path)
    value = digest(registry)
    registry.engine.dispose()
    return value


def write(path: Path, text: str) -> Path:
    """Write a UTF-8 fixture file."""
    path.write_text(text, encoding="utf-8")
    return path

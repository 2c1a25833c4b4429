"""The package layout: each package imports only the layers below it (README, "Layout")."""

from __future__ import annotations

import ast
from pathlib import Path

import paradiplomacy

ROOT = Path(paradiplomacy.__file__).parent

LAYERS: dict[str, int] = {
    "errors": 0,
    "extras": 0,
    "model": 1,
    "i18n": 1,
    "reference": 2,
    "store": 3,
    "resolve": 4,
    "ingest": 5,
    "export": 5,
    "curation": 6,
    "corpus": 6,
    "analysis": 7,
    "frameworks": 8,
    "matching": 8,
    "diffusion": 8,
    "report": 8,
    "api": 9,
    "web": 10,
    "cli": 11,
}
DEPRECATED_SHIMS = {ROOT / "ingest" / "find.py", ROOT / "ingest" / "export.py"}


def _package(path: Path) -> str:
    first = path.relative_to(ROOT).parts[0]
    return first.removesuffix(".py")


def _imported(tree: ast.AST) -> set[str]:
    """The paradiplomacy packages a module imports, at top level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "paradiplomacy":
                names = [f"paradiplomacy.{alias.name}" for alias in node.names]
            else:
                names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "paradiplomacy" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def test_every_package_has_a_layer():
    packages = {_package(p) for p in ROOT.rglob("*.py") if p.parent != ROOT or p.name != "__init__.py"}
    assert packages - {"__init__"} <= set(LAYERS), sorted(packages - set(LAYERS) - {"__init__"})


def test_imports_point_down_the_layers():
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        if path in DEPRECATED_SHIMS or (path.parent == ROOT and path.name == "__init__.py"):
            continue
        own = _package(path)
        for other in _imported(ast.parse(path.read_text(encoding="utf-8"))):
            if other != own and LAYERS[other] >= LAYERS[own]:
                upward.append(f"{path.relative_to(ROOT)} imports {other}")
    assert not upward, "\n".join(upward)


def test_no_package_holds_more_than_18_modules():
    for package in {p.parent for p in ROOT.rglob("*.py") if p.parent != ROOT}:
        modules = [p for p in package.glob("*.py") if p.name != "__init__.py"]
        assert len(modules) <= 18, f"{package.name}: {len(modules)} modules"


def test_old_import_paths_warn_and_work():
    import importlib
    import sys
    import warnings

    for name, attribute in (
        ("paradiplomacy.ingest.find", "search_actors"),
        ("paradiplomacy.ingest.export", "tables_as_frames"),
    ):
        sys.modules.pop(name, None)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            module = importlib.import_module(name)
        assert callable(getattr(module, attribute))
        assert any(issubclass(w.category, DeprecationWarning) for w in caught)

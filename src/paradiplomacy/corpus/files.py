"""Where the corpus data files are and in which order they load."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import yaml

LOAD_ORDER = (
    "source",
    "actor",
    "coalition",
    "office",
    "tie",
    "strategy",
    "budget",
    "programme",
    "adoption",
    "coalition_member",
    "coalition_event",
    "observation",
)


def data_dir() -> Path:
    """The folder of bundled data files."""
    return Path(str(files("paradiplomacy.corpus") / "data"))


def corpus_files() -> list[tuple[str, Path]]:
    """Every record file of the corpus as ``(kind, path)``, in load order."""
    found = []
    for path in sorted(data_dir().glob("*.yaml")):
        with path.open(encoding="utf-8") as handle:
            head = yaml.safe_load(handle)
        if isinstance(head, dict) and head.get("kind") in LOAD_ORDER and "records" in head:
            found.append((head["kind"], path))
    return sorted(found, key=lambda item: (LOAD_ORDER.index(item[0]), item[1].name))


def framework_file(name: str) -> dict:
    """A framework description file (not records), e.g. ``fujiwara_governance_model``."""
    with (data_dir() / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)

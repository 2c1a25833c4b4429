"""Optional extras: heavy libraries only some commands need, and one clear line when one is missing."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from paradiplomacy.extras import EXTRAS, missing_extra

ROOT = Path(__file__).resolve().parents[1]


def test_extras_are_declared_and_installed_by_the_setup() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert {extra for extra, _ in EXTRAS.values()} <= set(extras)
    core = " ".join(project["dependencies"]).lower()
    assert "matplotlib" not in core and "pyarrow" not in core
    assert any(d.startswith("matplotlib") for d in extras["charts"])
    assert any(d.startswith("pyarrow") for d in extras["parquet"])
    setup = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    assert "-e '.[web,charts]'" in setup  # the main run writes the report with its charts
    assert "charts" in " ".join(extras["test"]) and "parquet" in " ".join(extras["test"])


def test_message_names_the_extra() -> None:
    error = ModuleNotFoundError("No module named 'matplotlib'", name="matplotlib.pyplot")
    assert missing_extra(error) == (
        "matplotlib is not installed (needed for charts and plots): pip install 'paradiplomacy[charts]'"
    )
    assert missing_extra(ValueError("x")) is None


@pytest.mark.parametrize(
    ("argv", "blocked", "extra"),
    [
        (["export", "--format", "parquet", "--out", "{tmp}/out"], ("pyarrow",), "parquet"),
        (["network", "ego", "北九州市", "--draw", "{tmp}/ego.png"], ("matplotlib",), "charts"),
        # before any work: the simulation module cannot even be loaded, yet the extra is named
        (
            ["diffusion", "sweep", "international_strategy", "--model", "bass", "--backend", "dask"],
            ("distributed", "paradiplomacy.diffusion.simulate"),
            "diffusion",
        ),
        (
            ["diffusion", "simulate", "international_strategy", "--model", "bass", "--backend", "dask"],
            ("dask", "paradiplomacy.diffusion.simulate"),
            "diffusion",
        ),
    ],
)
def test_missing_extra_stops_with_one_line(
    template_db: Path, tmp_path: Path, argv: list[str], blocked: tuple[str, ...], extra: str
) -> None:
    argv = [arg.format(tmp=tmp_path) for arg in argv]
    code = (  # a fresh process in which the extra's library cannot be imported, as if not installed
        "import sys\n"
        f"for name in {blocked!r}:\n    sys.modules[name] = None\n"
        "from paradiplomacy.cli.main import cli\n"
        f"sys.argv = ['paradiplomacy', *{argv!r}, '--db', {str(template_db)!r}]\n"
        "cli()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert f"pip install 'paradiplomacy[{extra}]'" in lines[0]
    assert not (tmp_path / "out").exists()  # nothing half-made

"""Start-up and lookup time of the command line, against the ``sqlite3`` command-line shell.

Each command runs as a fresh process (as a user types it), ``--repeat`` times; the median wall and CPU
(user + system) times are printed, with the load average (the wall time of a shared machine is noisy;
its CPU time much less). Peer: the ``sqlite3`` shell (or ``sqlite-utils`` with ``--peer``) doing a
comparable lookup on the same file (the actors bearing an exact normalised name, with their key and
English name): no ranking, no qualifiers, no fuzzy fallback. Targets: ``--version`` under 0.3 s, a
search under 0.5 s (the verdict is given on both wall and CPU time).

    python benchmarks/bench_cli.py [DB] [--repeat N] [--peer sqlite3|sqlite-utils]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

TARGETS = {"--version": 0.3, "search": 0.5}
LOOKUP = (
    "SELECT a.key, a.name_en, a.country FROM actor_name n JOIN actor a ON a.id = n.actor_id "
    "WHERE n.norm = '{norm}' LIMIT 10"
)


def timed(argv: list[str], repeat: int) -> tuple[float, float]:
    """The median wall time and median CPU time (user + system) of running ``argv`` ``repeat``
    times, after one warm-up run. CPU time is what a busy, shared machine does not inflate."""
    subprocess.run(argv, capture_output=True, check=True)
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def peer(db: str, norm: str, name: str = "sqlite3") -> tuple[list[str], list[str]]:
    """The peer's ``--version`` and lookup command lines."""
    if shutil.which(name) is None:
        raise SystemExit(f"{name} is not installed (try --peer sqlite3 or --peer sqlite-utils)")
    if name == "sqlite-utils":
        return ["sqlite-utils", "--version"], ["sqlite-utils", "query", db, LOOKUP.format(norm=norm)]
    return ["sqlite3", "--version"], ["sqlite3", db, LOOKUP.format(norm=norm)]


def padded(label: str, width: int) -> str:
    """``label`` left-aligned in ``width`` terminal columns (kanji and kana take two)."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in label)
    return label + " " * max(0, width - len(label) - wide)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", default="paradiplomacy.db")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--peer", choices=("sqlite3", "sqlite-utils"), default="sqlite3")
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db} not found: run `paradiplomacy init --db {args.db}` first")
    ours = [str(Path(sys.executable).with_name("paradiplomacy"))]
    name = args.peer
    rows = [("--version", [*ours, "--version"], peer(args.db, "", name)[0])]
    for query, norm in (
        ("Portland", "portland"),
        ("神戸市", "神戸市"),
        ("Fuchū", "fuchu"),
        ("40100", "40100"),
        ("Kitakyushu", "kitakyushu"),
    ):
        rows.append(
            (f"search {query}", [*ours, "search", query, "--db", args.db], peer(args.db, norm, name)[1])
        )
    rows.append(
        ("show 北九州市", [*ours, "show", "北九州市", "--db", args.db], peer(args.db, "北九州市", name)[1])
    )
    rows.append(("ties 新潟市", [*ours, "ties", "新潟市", "--db", args.db], peer(args.db, "新潟市", name)[1]))
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"median of {args.repeat} runs; seconds; load average {load} on {os.cpu_count()} CPUs; peer: {name}"
    )
    print(
        f"{'command':<18}{'ours wall':>10}{'ours CPU':>10}{'peer wall':>10}{'peer CPU':>10}"
        f"{'wall ratio':>11}{'CPU ratio':>10}  target"
    )
    failed = False
    for label, argv, peer_argv in rows:
        (mine, cpu), (theirs, their_cpu) = timed(argv, args.repeat), timed(peer_argv, args.repeat)
        target = TARGETS.get(label.split()[0])
        verdict = ""
        if target is not None:
            verdict = (
                f"< {target} s: wall {'ok' if mine < target else 'MISSED'}, "
                f"CPU {'ok' if cpu < target else 'MISSED'}"
            )
            failed |= cpu >= target
        print(
            f"{padded(label, 18)}{mine:>10.3f}{cpu:>10.3f}{theirs:>10.3f}{their_cpu:>10.3f}"
            f"{mine / theirs:>11.1f}{cpu / max(their_cpu, 1e-3):>10.1f}  {verdict}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

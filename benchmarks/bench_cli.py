"""Start-up and lookup time of the command line, against the ``sqlite3`` command-line shell.

Each command runs as a fresh process (as a user types it), ``--repeat`` times; the median wall time is
printed. Peer: ``sqlite-utils`` when installed, else the ``sqlite3`` shell, doing a comparable lookup on
the same file (the actors bearing an exact normalised name, with their key and English name): no
ranking, no qualifiers, no fuzzy fallback. Targets: ``--version`` under 0.3 s, a search under 0.5 s.

    python benchmarks/bench_cli.py [DB] [--repeat N]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"--version": 0.3, "search": 0.5}
LOOKUP = ("SELECT a.key, a.name_en, a.country FROM actor_name n JOIN actor a ON a.id = n.actor_id "
          "WHERE n.norm = '{norm}' LIMIT 10")


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


def peer(db: str, norm: str) -> tuple[str, list[str], list[str]]:
    """The peer's name and its ``--version`` and lookup command lines."""
    if shutil.which("sqlite-utils"):
        return ("sqlite-utils", ["sqlite-utils", "--version"],
                ["sqlite-utils", "query", db, LOOKUP.format(norm=norm)])
    if shutil.which("sqlite3"):
        return "sqlite3", ["sqlite3", "--version"], ["sqlite3", db, LOOKUP.format(norm=norm)]
    raise SystemExit("neither sqlite-utils nor sqlite3 is installed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", nargs="?", default="paradiplomacy.db")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.db).exists():
        raise SystemExit(f"{args.db} not found: run `paradiplomacy init --db {args.db}` first")
    ours = [str(Path(sys.executable).with_name("paradiplomacy"))]
    name, peer_version, _ = peer(args.db, "portland")
    rows = [("--version", [*ours, "--version"], peer_version)]
    for query, norm in (("Portland", "portland"), ("神戸市", "神戸市"), ("Kitakyushu", "kitakyushu")):
        rows.append((f"search {query}", [*ours, "search", query, "--db", args.db],
                     peer(args.db, norm)[2]))
    rows.append(("show 北九州市", [*ours, "show", "北九州市", "--db", args.db],
                 peer(args.db, "北九州市")[2]))
    rows.append(("ties 新潟市", [*ours, "ties", "新潟市", "--db", args.db],
                 peer(args.db, "新潟市")[2]))
    print(f"median of {args.repeat} runs; wall and CPU (user + system) seconds; peer: {name}")
    print(f"{'command':<20}{'ours wall':>10}{'ours CPU':>10}{name + ' wall':>14}{'ratio':>8}  target")
    failed = False
    for label, argv, peer_argv in rows:
        (mine, cpu), (theirs, _) = timed(argv, args.repeat), timed(peer_argv, args.repeat)
        target = TARGETS.get(label.split()[0])
        verdict = "" if target is None else (f"< {target} s " + ("ok" if mine < target else "MISSED"))
        failed |= target is not None and mine >= target
        print(f"{label:<20}{mine:>10.3f}{cpu:>10.3f}{theirs:>14.3f}{mine / theirs:>8.1f}  {verdict}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""Japan's municipalities since 1970: who existed when, and who succeeded whom.

The bundled files (``reference/data``, from e-Stat's code-change lists via jpcity; see the README
there) are replayed forward from the 3,892 codes of 1970-04-01. Each body that existed at some point
is a :class:`Body` with the codes it held, its start and end, and its successors.

A body keeps its identity through a change that leaves its name as it was (a new code on becoming a
designated city or moving county, a merger into a new municipality of the same name): 静岡市 is one
body from 1970 on, although the 2003 merger created it anew and 2005 gave it a new code. Every other
change ends the body (清水市 ends on 2003-04-01, succeeded by 静岡市) and starts a new one.
Splits (分離) leave the old ward standing; a division (分割) ends it.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

__all__ = ["SOURCE", "Body", "Succession", "bodies", "former_bodies", "lg_type_of"]

SOURCE = (
    "e-Stat 標準地域コード・廃置分合等情報 (総務省統計局) via jpcity 0.3.0 (MIT), reshaped: "
    "changes of Japan's municipalities 1970-04-01 to 2024-01-01 (CC BY 4.0 compatible)"
)
START = "1970-04-01"
_KEEP_KINDS = {"municipality", "designated_city", "designated_city_ward", "special_ward"}


@dataclass(frozen=True)
class Succession:
    """One successor of a body that ended: who, from when, through which change."""

    code6: str
    name: str
    date: str
    change_type: str  # change_type_en of the source (new_merger, absorption, rename, ...)
    change_type_ja: str


@dataclass
class Body:
    """A municipality (or ward) as one continuous body, possibly under several codes."""

    name: str
    kana: str
    prefecture: str
    county: str  # 郡 or 支庁, or the designated city of a ward; "" for cities
    codes: list[tuple[str, str, str | None]] = field(default_factory=list)  # (code6, from, until)
    start: str = START
    end: str | None = None
    successors: list[Succession] = field(default_factory=list)

    @property
    def code6(self) -> str:
        """The last code the body held."""
        return self.codes[-1][0]

    @property
    def is_ward(self) -> bool:
        """A ward of a designated city (its ``county`` is the city)."""
        return self.name.endswith("区") and self.county.endswith("市")

    @property
    def full_name(self) -> str:
        """The name with its county or city, as official lists write it (``庵原郡蒲原町``);
        Hokkaidō's subprefectures (支庁) are not part of a name."""
        return f"{self.county}{self.name}" if self.county.endswith(("郡", "市")) else self.name


def lg_type_of(body: Body) -> str:
    """The government type a body's name implies (city, town, village, special_ward, ward)."""
    if body.is_ward:
        return "ward"
    if body.name.endswith("区") and body.prefecture == "東京都":
        return "special_ward"
    return {"市": "city", "町": "town", "村": "village"}.get(body.name[-1:], "city")


def data_path(name: str) -> Path:
    """Path of a bundled history file."""
    return Path(str(files("paradiplomacy.reference") / "data" / name))


def _read(name: str) -> list[dict[str, str]]:
    with data_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def bodies() -> list[Body]:
    """Every body since 1970, in order of first appearance (replayed from the bundled files)."""
    alive: dict[str, Body] = {}
    every: list[Body] = []
    for row in _read("jp_municipalities_1970.csv"):
        if row["kind"] in _KEEP_KINDS:
            body = Body(row["name"], row["name_kana"], row["pref"], row["county_or_city"])
            body.codes.append((row["code6"], START, None))
            alive[row["code6"]] = body
            every.append(body)
    events: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read("jp_municipal_changes.csv"):
        events[row["event_id"]].append(row)
    gone: dict[str, Body] = {}
    for rows in sorted(events.values(), key=lambda rs: (rs[0]["date"], int(rs[0]["event_id"]))):
        _apply(rows, alive, every, gone)
    return every


def _apply(
    rows: list[dict[str, str]], alive: dict[str, Body], every: list[Body], gone: dict[str, Body]
) -> None:
    """Apply one event (all its from→to rows) to the bodies alive before it; ``gone`` holds the
    bodies ended by earlier events, for a partial transfer listed as a second event that day."""
    date = rows[0]["date"]
    leaving = {r["from_code6"] for r in rows if r["from_code6"] and r["change_type"] != "分離"}
    targets: dict[str, Body] = {}
    for row in rows:
        code = row["to_code6"]
        if not code or code in targets:
            continue
        current = alive.get(code)
        if current is not None and code not in leaving and current.name == row["to_name"]:
            targets[code] = current  # an absorber, or the ward a split leaves standing
            continue
        earlier = gone.get(code)
        if (
            earlier is not None
            and earlier.end == date
            and earlier.name == row["to_name"]
            and earlier.successors
            and (later := alive.get(earlier.successors[0].code6))
        ):
            targets[code] = later  # absorbed into a body renamed earlier the same day
            continue
        same = [
            r
            for r in rows
            if r["to_code6"] == code and r["from_name"] == row["to_name"] and r["from_code6"] in alive
        ]
        heirs = {r["to_code6"] for r in rows if same and r["from_code6"] == same[0]["from_code6"]}
        if same and len(heirs) == 1:  # the same body under a new code or anew
            body = alive[same[0]["from_code6"]]
            if body.codes[-1][0] != code:
                body.codes[-1] = (*body.codes[-1][:2], date)
                body.codes.append((code, date, None))
            body.kana, body.county = row["to_name_kana"] or body.kana, row["to_county_or_city"]
        else:
            body = Body(
                row["to_name"], row["to_name_kana"], row["to_pref"], row["to_county_or_city"], start=date
            )
            body.codes.append((code, date, None))
            every.append(body)
        targets[code] = body
    ended: set[int] = set()
    for row in rows:
        code = row["from_code6"]
        if not code or code not in leaving:
            continue
        body = alive.get(code)
        if body is None and (earlier := gone.get(code)) is not None and earlier.end == date:
            body = earlier
        target = targets.get(row["to_code6"])
        if body is None or target is None or target is body:
            continue
        if id(body) not in ended:
            ended.add(id(body))
            body.end = date
            body.codes[-1] = (*body.codes[-1][:2], date)
        body.successors.append(
            Succession(row["to_code6"], row["to_name"], date, row["change_type_en"], row["change_type"])
        )
    for code in leaving:
        if code in alive and alive[code].end is not None:
            gone[code] = alive.pop(code)
    for code, body in targets.items():
        alive[code] = body


def former_bodies() -> list[Body]:
    """The bodies that no longer exist, each with its successors."""
    return [b for b in bodies() if b.end is not None]

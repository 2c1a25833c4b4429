"""Japan's municipal history: the replay of the bundled change lists, codes and eligible bodies."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from paradiplomacy.analysis.succession import eligible_municipalities, holder_at
from paradiplomacy.reference import history
from paradiplomacy.resolve.find import find_actor
from paradiplomacy.store.schema import Actor, ActorCode
from paradiplomacy.store.succession import actors_by_code, predecessors, successors

# The six villages of the Northern Territories (code 016951-017001, registered 1983) are in the
# history but not in the postal gazetteer, so they are not actors.
NORTHERN_TERRITORIES = {"016951", "016969", "016977", "016985", "016993", "017001"}


def alive(date: str) -> list[history.Body]:
    """Bodies of the replay that existed on ``date`` (codes, wards included)."""
    return [
        b
        for b in history.bodies()
        if (b.start == history.START or b.start <= date) and (b.end is None or b.end > date)
    ]


def code_on(body: history.Body, date: str) -> str:
    return next(
        c
        for c, start, until in body.codes
        if (start == history.START or start <= date) and (until is None or until > date)
    )


@pytest.mark.parametrize(
    ("date", "count"), [("1970-04-01", 3375), ("1999-03-31", 3389), ("2010-03-31", 1923)]
)
def test_replay_counts_bodies_of_a_date(date: str, count: int) -> None:
    assert len(alive(date)) == count


def test_shimizu_merges_into_shizuoka() -> None:
    shimizu = next(b for b in history.former_bodies() if b.name == "清水市")
    assert shimizu.end == "2003-04-01"
    assert [(s.name, s.date, s.change_type) for s in shimizu.successors] == [
        ("静岡市", "2003-04-01", "new_merger")
    ]
    shizuoka = next(b for b in history.bodies() if b.name == "静岡市")
    assert shizuoka.end is None  # one body through the 2003 merger and the 2005 code change
    assert [c for c, _, _ in shizuoka.codes] == ["222011", "221007"]


def test_kamikuishiki_has_two_successors() -> None:
    body = next(b for b in history.former_bodies() if b.name == "上九一色村")
    assert body.end == "2006-03-01"
    assert {s.name for s in body.successors} == {"甲府市", "富士河口湖町"}


def test_registry_holds_codes_and_successions(shared_registry) -> None:
    with shared_registry.reader() as session:
        shizuoka = session.scalar(select(Actor).where(Actor.lg_code == "221007"))
        old = session.execute(
            select(ActorCode.valid_from, ActorCode.valid_until).where(
                ActorCode.actor_id == shizuoka.id, ActorCode.code == "222011"
            )
        ).one()
        assert old.valid_until == "2005-04-01"
        assert actors_by_code(session, "222011") == [shizuoka.id]
        lines = {p["name_ja"]: p for p in predecessors(session, shizuoka.id)}
        assert lines["清水市"]["date"] == "2003-04-01"
        assert lines["清水市"]["change_type"] == "new_merger"
        kamikuishiki = find_actor(shared_registry, "上九一色村")
        heirs = successors(session, kamikuishiki)
        assert heirs[0]["name_ja"] == "甲府市"
        assert [h["position"] for h in heirs] == sorted(h["position"] for h in heirs)
        assert len(heirs) == 2


@pytest.mark.parametrize("date", ["1970-04-01", "1999-03-31", "2003-03-31", "2010-03-31"])
def test_eligible_municipalities_match_the_replay(shared_registry, date: str) -> None:
    frame = eligible_municipalities(shared_registry, date, prefectures=False, wards=True)
    expected = {code_on(b, date) for b in alive(date)}
    found = set(frame["lg_code"])
    assert found <= expected
    assert expected - found <= NORTHERN_TERRITORIES
    assert frame["actor_id"].is_unique


def test_eligible_municipalities_of_a_date(shared_registry) -> None:
    before = eligible_municipalities(shared_registry, "2003-03-31")
    after = eligible_municipalities(shared_registry, "2003-04-01")
    today = eligible_municipalities(shared_registry, None)
    shimizu, shizuoka = find_actor(shared_registry, "清水市"), find_actor(shared_registry, "静岡市")
    assert shimizu in set(before["actor_id"]) and shimizu not in set(after["actor_id"])
    assert shizuoka in set(before["actor_id"]) and shizuoka in set(after["actor_id"])
    assert before.loc[before["actor_id"] == shizuoka, "lg_code"].item() == "222011"
    assert today.loc[today["actor_id"] == shizuoka, "lg_code"].item() == "221007"
    # today: 47 prefectures, 792 cities, 23 special wards, 743 towns, 183 villages; no wards
    assert len(today) == 47 + 792 + 23 + 743 + 183
    assert not (today["lg_type"] == "ward").any()
    saitama = find_actor(shared_registry, "さいたま市")  # founded 2001-05-01
    assert saitama not in set(eligible_municipalities(shared_registry, "2000")["actor_id"])


def test_holder_follows_the_chain_from_the_merger_date(shared_registry) -> None:
    shimizu, shizuoka = find_actor(shared_registry, "清水市"), find_actor(shared_registry, "静岡市")
    assert holder_at(shared_registry, shimizu, "2003-03-31") == shimizu
    assert holder_at(shared_registry, shimizu, "2003-04-01") == shizuoka
    assert holder_at(shared_registry, shimizu) == shizuoka
    assert holder_at(shared_registry, shizuoka, "1980") == shizuoka
    kamikuishiki = find_actor(shared_registry, "上九一色村")
    assert holder_at(shared_registry, kamikuishiki) == find_actor(shared_registry, "甲府市")
    # e-Stat names the ward that took 蒲原町's area; the body that took the town over is the city
    kanbara = find_actor(shared_registry, "jp-former-223824-20060331")
    assert holder_at(shared_registry, kanbara, "2006-03-30") == kanbara
    assert holder_at(shared_registry, kanbara, "2010") == shizuoka

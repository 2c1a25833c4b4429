"""The bundled gazetteers and the cited corpus: complete, sourced, and faithful to the papers."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select

from paradiplomacy.store.schema import (
    Actor,
    Adoption,
    BudgetLine,
    Citation,
    Coalition,
    CoalitionEvent,
    CoalitionMember,
    Observation,
    Office,
    Programme,
    Source,
    Strategy,
    Tie,
)


@pytest.fixture(scope="module")
def session(shared_registry):
    with shared_registry.reader() as session:
        yield session


def test_every_japanese_local_government(session):
    types = Counter(
        session.scalars(select(Actor.lg_type).where(Actor.country == "JP", Actor.lg_code.is_not(None)))
    )
    assert types["prefecture"] == 47
    assert types["designated_city"] == 20
    assert types["special_ward"] == 23
    assert types["city"] + types["designated_city"] > 780
    assert types["town"] > 700 and types["village"] > 180
    assert types["ward"] > 170


@pytest.mark.parametrize(
    "model",
    [
        Actor,
        Tie,
        Office,
        Strategy,
        BudgetLine,
        Programme,
        Adoption,
        Coalition,
        CoalitionMember,
        CoalitionEvent,
        Observation,
    ],
)
def test_nothing_without_provenance(session, model):
    table = model.__tablename__
    cited = select(Citation.entity_id).where(Citation.entity == table)
    orphans = session.scalar(select(func.count()).select_from(model).where(model.id.not_in(cited)))
    assert orphans == 0, f"{orphans} {table} rows have no source"


@pytest.mark.parametrize(
    "model", [Tie, Office, Strategy, BudgetLine, Adoption, Coalition, CoalitionEvent, Observation]
)
def test_corpus_records_cite_a_paper(session, model):
    """Every record cites a paper, except the ties of the bundled pair lists, which cite their list."""
    table = model.__tablename__
    papers = (
        select(Citation.entity_id)
        .join(Source)
        .where(Citation.entity == table, Source.kind.in_(("paper", "dataset")))
    )
    uncited = session.scalar(select(func.count()).select_from(model).where(model.id.not_in(papers)))
    assert uncited == 0


def _observation(session, measure, as_of=None, **dimensions):
    query = select(Observation).where(Observation.measure == measure)
    if as_of:
        query = query.where(Observation.as_of == as_of)
    for obs in session.scalars(query):
        if all(str(obs.dimensions.get(k)) == str(v) for k, v in dimensions.items()):
            return obs
    raise AssertionError(f"no observation {measure} {dimensions}")


def test_menju_table_1(session):
    day = "2001-04-01"
    assert _observation(session, "affiliations", day, government_type="all").value == 1407
    assert _observation(session, "affiliations", day, government_type="city").value == 788
    assert _observation(session, "governments_with_affiliations", day, government_type="all").value == 930
    assert (
        _observation(
            session, "governments_with_multiple_affiliations", day, government_type="prefecture"
        ).value
        == 30
    )


def test_menju_tables_2_and_3(session):
    assert _observation(session, "affiliations", partner_country="US", fiscal_year=1990).value == 277
    assert _observation(session, "affiliations", partner_country="CN", fiscal_year=2001).value == 273
    assert _observation(session, "affiliations", partner_country="KR", fiscal_year=1995).value == 63


def _tie(session, kind, subject_code, object_name):
    for tie in session.scalars(
        select(Tie)
        .join(Actor, Tie.subject_id == Actor.id)
        .where(Tie.kind == kind, Actor.lg_code == subject_code)
    ):
        if tie.object.name_en and object_name in tie.object.name_en:
            return tie
    raise AssertionError(f"no {kind} tie {subject_code} - {object_name}")


def test_named_affiliations(session):
    assert _tie(session, "sister", "422011", "Paul").start.startswith("1955")  # Nagasaki - St. Paul
    assert _tie(session, "friendship", "401005", "Dalian").start == "1979"


def test_offices_strategies_and_coalitions(session):
    assert session.scalar(select(func.count()).select_from(Office)) >= 25
    fujiwara = (
        select(Citation.entity_id)
        .join(Source)
        .where(Citation.entity == "strategy", Source.key == "fujiwara2025")
    )
    strategies = session.scalars(select(Strategy).where(Strategy.id.in_(fujiwara))).all()
    assert len(strategies) == 49
    keys = set(session.scalars(select(Coalition.key)))
    assert {"kitakyushu-dalian", "niigata-russian-far-east", "kawasaki-foreign-residents"} <= keys
    kawasaki = session.scalar(
        select(Adoption)
        .join(Actor)
        .where(Actor.lg_code == "141305", Adoption.policy == "foreign_residents_assembly")
    )
    assert kawasaki is not None and kawasaki.date.startswith("1996")


def test_budget_figures(session):
    national = session.scalars(
        select(BudgetLine).where(BudgetLine.actor_id.is_(None), BudgetLine.fiscal_year == 2000)
    ).all()
    by_category = {b.category.split(": ")[-1]: b.amount for b in national}
    assert by_category.pop("total") == pytest.approx(104.4e9)  # Menju: ¥104.4 billion in FY2000
    assert sum(by_category.values()) == pytest.approx(104.4e9)  # the five categories add up
    assert by_category["international understanding of residents"] == pytest.approx(42.0e9)
    actors = {
        b.actor.lg_code for b in session.scalars(select(BudgetLine).where(BudgetLine.actor_id.is_not(None)))
    }
    assert "450006" in actors  # Miyazaki prefecture
    assert "152226" in actors  # Joetsu

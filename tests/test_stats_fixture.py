"""Analyses on a tiny registry built here; every expected number is counted by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from paradiplomacy import Registry
from paradiplomacy.analysis import (
    BadDate,
    BadGrouping,
    affiliation_series,
    affiliations_by,
    budgets_by,
    coverage,
    coverage_summary,
    office_shifts,
    offices_by,
    strategies_before_after,
    strategies_by_type,
    strategies_by_year,
    us_share_by_decade,
)
from paradiplomacy.store.schema import (
    Actor,
    BudgetLine,
    Citation,
    Observation,
    Office,
    OfficeOwner,
    Source,
    Strategy,
    Tie,
)


def _actor(key: str, kind: str, country: str, lg_type: str | None = None) -> Actor:
    return Actor(key=key, kind=kind, country=country, lg_type=lg_type, name_en=key)


@pytest.fixture
def tiny(tmp_path: Path) -> Registry:
    """Japanese city A, designated city B, prefecture P; foreign X (US), Y (CN), Z (KR), W (US).

    Affiliations: 1 A-X sister 1960-05; 2 A-Y friendship 1980; 3 B-W sister 1990-04-01..1999-12;
    4 P-Z sister undated; 5 A-B (domestic, ignored); 6 X-Y (foreign pair); 7 B-Z network (not an
    affiliation).
    """
    registry = Registry(tmp_path / "tiny.db")
    registry.create_schema()
    with registry.session() as s:
        paper = Source(key="paper", kind="paper", title="A paper")
        s.add(paper)
        a, b, p = (
            _actor("A", "municipality", "JP", "city"),
            _actor("B", "municipality", "JP", "designated_city"),
            _actor("P", "prefecture", "JP", "prefecture"),
        )
        x, y, z, w = (
            _actor("X", "foreign_city", "US"),
            _actor("Y", "foreign_city", "CN"),
            _actor("Z", "foreign_city", "KR"),
            _actor("W", "foreign_city", "US"),
        )
        agency = _actor("AG", "government_agency", "JP")
        s.add_all([a, b, p, x, y, z, w, agency])
        s.flush()
        ties = [
            ("sister", a, x, "1960-05", None, "active"),
            ("friendship", a, y, "1980", None, "active"),
            ("sister", b, w, "1990-04-01", "1999-12", "ended"),
            ("sister", p, z, None, None, "unknown"),
            ("sister", a, b, "1970", None, "active"),
            ("sister", x, y, "1985", None, "active"),
            ("network_membership", b, z, "2000", None, "active"),
        ]
        for kind, sub, obj, start, end, status in ties:
            s.add(Tie(kind=kind, subject_id=sub.id, object_id=obj.id, start=start, end=end, status=status))
        observations = [
            ("o-city", "affiliations", 4, "2001-04-01", {"government_type": "city"}),
            ("o-us-1961", "affiliations", 10, "1961-04-01", {"partner_country": "US", "fiscal_year": 1961}),
            ("o-pref-strat", "governments_with_strategies", 1, None, {"government_type": "prefecture"}),
            ("o-prefs", "local_governments", 1, None, {"government_type": "prefecture"}),
            ("o-pop", "population", 500, None, {"actor": "A"}),
            ("o-offices", "overseas_offices", 2, "1997", {"government_type": "prefecture"}),
        ]
        for key, measure, value, as_of, dims in observations:
            obs = Observation(key=key, measure=measure, value=value, as_of=as_of, dimensions=dims)
            s.add(obs)
            s.flush()
            s.add(
                Citation(source_id=paper.id, entity="observation", entity_id=obs.id, locator=f"Table {key}")
            )
        s.add_all(
            [
                Strategy(actor_id=p.id, title="P plan", adopted="2005"),
                Strategy(actor_id=b.id, title="B plan", adopted="2015"),
                Strategy(actor_id=b.id, title="B plan 2", adopted="2018-03"),
            ]
        )
        offices = [
            (
                "O1",
                p,
                "SG",
                "independent",
                ["trade_promotion", "tourism_promotion", "sme_support"],
                "1990",
                None,
            ),
            ("O2", a, "US", "hosted_jetro", ["trade_promotion"], "1985", "2012"),
            ("O3", b, "FR", "unknown", [], None, None),
            ("O4", agency, "SG", "independent", ["other"], "2000", None),
        ]
        for key, owner, country, model, functions, opened, closed in offices:
            office = Office(
                key=key, country=country, model=model, functions=functions, opened=opened, closed=closed
            )
            office.owners.append(OfficeOwner(actor_id=owner.id, position=0))
            s.add(office)
        s.add_all(
            [
                BudgetLine(actor_id=p.id, fiscal_year=2000, category="intl: total", amount=100),
                BudgetLine(actor_id=p.id, fiscal_year=2000, category="intl: a", amount=60),
                BudgetLine(actor_id=p.id, fiscal_year=2000, category="intl: b", amount=30),
                BudgetLine(actor_id=p.id, fiscal_year=2000, category="total budget", amount=1000),
                BudgetLine(actor_id=None, fiscal_year=2000, category="x: a", amount=10),
                BudgetLine(actor_id=None, fiscal_year=2000, category="x: b", amount=30),
            ]
        )
    return registry


def _cells(frame, by: str) -> dict[tuple[str, str], int]:
    return {(row[by], row["measure"]): row["records"] for row in frame.to_dict("records")}


def test_by_government_type_as_of_2001(tiny: Registry) -> None:
    frame = affiliations_by(tiny, "government_type", as_of="2001-04-01")
    cells = _cells(frame, "government_type")
    # tie 3 ended in 1999; designated city B counts as a city; tie 4 is undated
    assert cells[("city", "affiliations")] == 2
    assert cells[("city", "governments_with_affiliations")] == 1
    assert cells[("city", "governments_with_multiple_affiliations")] == 1
    assert cells[("prefecture", "affiliations")] == 0
    assert cells[("all", "affiliations")] == 2
    undated = frame.set_index(["government_type", "measure"])["undated"]
    assert undated[("prefecture", "affiliations")] == 1
    city = frame[(frame["government_type"] == "city") & (frame["measure"] == "affiliations")]
    assert city["published"].iloc[0] == 4
    assert city["coverage"].iloc[0] == pytest.approx(0.5)
    assert city["source"].iloc[0] == "paper, Table o-city"


def test_as_of_partial_dates(tiny: Registry) -> None:
    # in 1995 tie 3 is in force; a year means its last day, so "1980" includes tie 2
    assert (
        _cells(affiliations_by(tiny, as_of="1995"), "government_type")[
            ("city", "governments_with_affiliations")
        ]
        == 2
    )
    assert _cells(affiliations_by(tiny, as_of="1980"), "government_type")[("all", "affiliations")] == 2
    assert _cells(affiliations_by(tiny, as_of="1960-04"), "government_type")[("all", "affiliations")] == 0
    assert _cells(affiliations_by(tiny, as_of="1960-05"), "government_type")[("all", "affiliations")] == 1


def test_designated_cities_apart_and_bad_input(tiny: Registry) -> None:
    frame = affiliations_by(tiny, as_of="1995", designated_as_city=False)
    assert _cells(frame, "government_type")[("designated_city", "affiliations")] == 1
    with pytest.raises(BadDate):
        affiliations_by(tiny, as_of="1995-13")
    with pytest.raises(BadGrouping):
        affiliations_by(tiny, "colour")


def test_by_partner_country_now_and_every_country(tiny: Registry) -> None:
    cells = _cells(affiliations_by(tiny, "partner_country"), "partner_country")
    assert (
        cells[("US", "affiliations")],
        cells[("CN", "affiliations")],
        cells[("KR", "affiliations")],
        cells[("all", "affiliations")],
    ) == (1, 1, 1, 3)
    world = _cells(affiliations_by(tiny, "partner_country", home=None), "partner_country")
    assert world[("JP", "affiliations")] == 3  # ties 1, 2, 4 seen from X, Y, Z
    assert world[("US", "affiliations")] == 2  # A-X and Y-X
    assert world[("CN", "affiliations")] == 2  # A-Y and X-Y
    assert world[("all", "affiliations")] == 4  # 1, 2, 4, 6 (3 has ended)
    home = _cells(affiliations_by(tiny, "country", home=None), "country")
    assert home[("JP", "affiliations")] == 3 and home[("US", "affiliations")] == 2


def test_by_year_and_series(tiny: Registry) -> None:
    years = affiliations_by(tiny, "year")
    assert years["year"].tolist() == [1960, 1980, 1990]
    assert years["cumulative"].tolist() == [1, 2, 3]
    assert years["undated"].iloc[0] == 1
    series = affiliation_series(tiny, years=[1961, 1990, 2001])
    cell = series.set_index(["fiscal_year", "partner_country"])
    assert cell.loc[(1961, "US"), "records"] == 1
    assert cell.loc[(1961, "US"), "published"] == 10
    assert cell.loc[(1961, "US"), "coverage"] == pytest.approx(0.1)
    assert cell.loc[(1990, "US"), "records"] == 2  # tie 3 began 1990-04-01, the day of the 1990 column
    assert cell.loc[(2001, "all"), "records"] == 2
    assert cell.loc[(2001, "KR"), "undated"] == 1


def test_series_as_printed_leaves_out_rows_with_nothing_in_them(tiny: Registry) -> None:
    from paradiplomacy.analysis.tables import stats_table

    full = affiliation_series(tiny, years=[1961, 1990, 2001])
    kept = affiliation_series(tiny, years=[1961, 1990, 2001], keep_empty=False)
    cells = set(zip(kept["fiscal_year"], kept["partner_country"], strict=True))
    assert (1961, "US") in cells and (2001, "all") in cells
    assert (2001, "KR") not in cells  # only its undated tie: nothing in force, nothing published
    assert 0 < len(kept) < len(full)
    assert ((kept["records"] > 0) | kept["published"].notna()).all()
    gone = full[~full.set_index(["fiscal_year", "partner_country"]).index.isin(list(cells))]
    assert (gone["records"] == 0).all() and gone["published"].isna().all()
    printed = stats_table(tiny, "affiliations", by="series")
    assert ((printed["records"] > 0) | printed["published"].notna()).all()


def test_us_share_by_decade(tiny: Registry) -> None:
    share = us_share_by_decade(tiny).set_index("decade")
    assert share.loc["1960s", "records_share"] == 1.0
    assert share.loc["1980s", "records_share"] == 0.0
    assert share.loc["1990s", "records_us"] == 1


def test_offices(tiny: Registry) -> None:
    models = offices_by(tiny, "model").set_index("model")["offices"].to_dict()
    assert models == {"independent": 1, "hosted_jetro": 1, "unknown": 1}  # O4 is not local
    assert offices_by(tiny, "region").set_index("region")["offices"].to_dict() == {
        "Asia": 1,
        "Europe": 1,
        "North America": 1,
    }
    functions = offices_by(tiny, "function").set_index("function")["offices"]
    assert functions["trade_promotion"] == 2 and functions["none"] == 1
    shifts = office_shifts(tiny).set_index(["shift", "decade"])
    assert shifts.loc[("direct -> shared operation", "1980s"), "share"] == 1.0
    assert shifts.loc[("direct -> shared operation", "1990s"), "share"] == 0.0
    assert shifts.loc[("comprehensive -> specialised", "1990s"), "to_count"] == 0
    assert shifts.loc[("direct -> shared operation", "undated"), "unknown"] == 1
    assert shifts.loc[("direct -> shared operation", "undated"), "share"] is None or pd.isna(
        shifts.loc[("direct -> shared operation", "undated"), "share"]
    )


def test_strategies(tiny: Registry) -> None:
    by_type = strategies_by_type(tiny).set_index("government_type")
    assert by_type.loc["prefecture", "with_strategy"] == 1
    assert by_type.loc["prefecture", "coverage"] == 1.0
    assert by_type.loc["designated_city", "share"] == 1.0
    assert pd.isna(by_type.loc["designated_city", "published"])
    years = strategies_by_year(tiny)
    designated = years[years["government_type"] == "designated_city"]
    assert designated["strategies"].tolist() == [1, 1]
    assert designated["governments_with_strategy"].tolist() == [1, 1]
    periods = strategies_before_after(tiny, cutoff=2010).set_index("government_type")
    assert periods.loc["prefecture", "before 2010"] == 1
    assert periods.loc["designated_city", "2010 on"] == 1


def test_budgets(tiny: Registry) -> None:
    lines = budgets_by(tiny).set_index(["actor", "category"])
    assert lines.loc[("P", "intl: a"), "share"] == pytest.approx(0.6)
    assert lines.loc[("P", "intl: total"), "share_of_budget"] == pytest.approx(0.1)
    assert lines.loc[("all local governments", "x: b"), "share"] == pytest.approx(0.75)
    actors = budgets_by(tiny, "actor").set_index("actor")
    assert actors.loc["P", "total"] == 100


def test_coverage(tiny: Registry) -> None:
    table = coverage(tiny).set_index("key")
    assert table.loc["o-city", "records"] == 2
    assert table.loc["o-city", "gap"] == 2
    assert table.loc["o-city", "status"] == "partial"
    assert table.loc["o-us-1961", "records"] == 1
    assert table.loc["o-prefs", "status"] == "complete"
    assert table.loc["o-pref-strat", "coverage"] == 1.0
    assert table.loc["o-offices", "records"] == 1  # O1 opened 1990
    assert table.loc["o-pop", "status"] == "no record rule"


def test_coverage_summary(tiny: Registry) -> None:
    summary = coverage_summary(coverage(tiny)).set_index("measure")
    assert summary.loc["affiliations", "figures"] == 2
    # overlapping figures are never added up: counts by status, median coverage, one headline
    assert "published" not in summary.columns and "records" not in summary.columns
    assert summary.loc["affiliations", "partial"] == 2  # 2 of 4 and 1 of 10
    assert summary.loc["affiliations", "median_coverage"] == pytest.approx((0.5 + 0.1) / 2)
    assert summary.loc["affiliations", "headline"] == "o-city"  # latest date, one breakdown
    assert summary.loc["population", "recomputable"] == 0

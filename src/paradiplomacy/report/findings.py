"""What the records say about Japanese local governments' ties abroad: the report's findings.

Every function takes the frame of :func:`international_ties` (one row per tie of a Japanese local
government with a partner abroad, from :func:`~paradiplomacy.analysis.directory.ties_frame`) or the
registry, and returns a small DataFrame ready to print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import func, select

from paradiplomacy.analysis.directory import ties_frame
from paradiplomacy.store.schema import Actor

if TYPE_CHECKING:
    from paradiplomacy.store.registry import Registry

__all__ = [
    "TYPE_LABELS",
    "by_country",
    "by_decade",
    "by_government_type",
    "country_name",
    "headline",
    "international_ties",
    "tie_lines",
    "top_holders",
]

HOME = "JP"
#: Japanese government types in the order of the papers' tables, with their printed labels.
TYPE_LABELS = {
    "prefecture": "Prefectures",
    "designated_city": "Designated cities",
    "city": "Cities",
    "special_ward": "Special wards (Tokyo)",
    "town": "Towns",
    "village": "Villages",
    "ward": "Wards of designated cities",
}


def country_name(code: str | None) -> str:
    """The short English name of an ISO 3166-1 alpha-2 code (``KR`` -> ``South Korea``).

    >>> country_name("KR"), country_name("US"), country_name("XK")
    ('South Korea', 'United States', 'Kosovo')
    """
    if not code:
        return "unknown"
    import pycountry

    special = {
        "KR": "South Korea",
        "KP": "North Korea",
        "US": "United States",
        "RU": "Russia",
        "TW": "Taiwan",
        "XK": "Kosovo",
        "VN": "Vietnam",
        "IR": "Iran",
        "LA": "Laos",
    }
    if code in special:
        return special[code]
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def _with_article(name: str) -> str:
    """``the United States``, ``China``: a country's name as it reads inside a sentence."""
    plural = (
        "United States",
        "United Kingdom",
        "Netherlands",
        "Philippines",
        "Czech Republic",
        "United Arab Emirates",
        "Dominican Republic",
        "Bahamas",
        "Maldives",
    )
    return f"the {name}" if name in plural else name


def international_ties(registry: Registry) -> pd.DataFrame:
    """Affiliation and twinning ties of Japanese local governments with partners abroad, held
    today (a former municipality's ties count for its successor), one row per tie."""
    frame = ties_frame(registry)
    frame = frame[frame["partner_country"].notna() & (frame["partner_country"] != HOME)]
    return frame.reset_index(drop=True)


def _current_governments(registry: Registry) -> pd.Series:
    """Japanese local governments existing today, per government type."""
    with registry.reader() as session:
        rows = session.execute(
            select(Actor.lg_type, func.count())
            .where(Actor.country == HOME, Actor.dissolved.is_(None), Actor.lg_type.is_not(None))
            .group_by(Actor.lg_type)
        ).all()
    return pd.Series(dict(rows), dtype="int64")


def headline(ties: pd.DataFrame, registry: Registry) -> dict[str, Any]:
    """The figures of the report's first lines: ties, governments, countries, leading partners."""
    governments = _current_governments(registry)
    counts = ties["partner_country"].value_counts()
    top = (
        [
            {
                "code": c,
                "name": country_name(c),
                "in_sentence": _with_article(country_name(c)),
                "ties": int(n),
                "share": n / len(ties),
            }
            for c, n in counts.head(3).items()
        ]
        if len(ties)
        else []
    )
    dated = ties["start"].notna()
    return {
        "ties": len(ties),
        "governments": int(ties["actor_id"].nunique()),
        "all_governments": int(governments.drop(labels=["ward"], errors="ignore").sum()),
        "countries": int(counts.size),
        "partners": int(ties["partner_id"].nunique()),
        "top": top,
        "dated": int(dated.sum()),
        "twinning": int((ties["kind"] == "twinning").sum()),
    }


def by_country(ties: pd.DataFrame, *, top: int = 20) -> pd.DataFrame:
    """Ties per partner country, most first: ties, share of all, Japanese governments, partners."""
    if ties.empty:
        return pd.DataFrame(columns=["country", "code", "ties", "share", "governments", "partners"])
    grouped = ties.groupby("partner_country").agg(
        ties=("tie_id", "size"), governments=("actor_id", "nunique"), partners=("partner_id", "nunique")
    )
    grouped = grouped.sort_values(["ties", "governments"], ascending=False).reset_index()
    grouped["share"] = grouped["ties"] / grouped["ties"].sum()
    grouped.insert(0, "country", grouped["partner_country"].map(country_name))
    grouped = grouped.rename(columns={"partner_country": "code"})
    head = grouped.head(top)
    rest = grouped.iloc[top:]
    if not rest.empty:
        other = {
            "country": f"{len(rest)} other countries",
            "code": "",
            "ties": rest["ties"].sum(),
            "share": rest["share"].sum(),
            "governments": None,
            "partners": rest["partners"].sum(),
        }
        head = pd.concat([head, pd.DataFrame([other])], ignore_index=True)
    return head[["country", "code", "ties", "share", "governments", "partners"]]


def by_government_type(ties: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Per Japanese government type: ties, governments with at least one, of how many, and ties
    per government that has any."""
    governments = _current_governments(registry)
    rows = []
    for kind, label in TYPE_LABELS.items():
        part = ties[ties["type"] == kind]
        total = int(governments.get(kind, 0))
        holders = int(part["actor_id"].nunique())
        if not total and part.empty:
            continue
        rows.append(
            {
                "government type": label,
                "ties": len(part),
                "governments with ties": holders,
                "governments": total,
                "share with ties": holders / total if total else None,
                "ties per holder": len(part) / holders if holders else None,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "government type",
            "ties",
            "governments with ties",
            "governments",
            "share with ties",
            "ties per holder",
        ],
    )


def by_decade(ties: pd.DataFrame) -> pd.DataFrame:
    """Dated ties by decade of their start (most bundled ties are undated)."""
    years = pd.to_numeric(ties["start"].astype("string").str[:4], errors="coerce").dropna()
    if years.empty:
        return pd.DataFrame(columns=["decade", "ties"])
    decades = (years // 10 * 10).astype(int)
    counts = decades.value_counts().sort_index()
    return pd.DataFrame({"decade": [f"{d}s" for d in counts.index], "ties": counts.to_numpy()})


def top_holders(ties: pd.DataFrame, *, top: int = 12) -> pd.DataFrame:
    """The Japanese local governments with the most ties abroad, and their partner countries."""
    if ties.empty:
        return pd.DataFrame(columns=["local government", "prefecture", "ties", "countries"])
    grouped = ties.groupby("actor_id").agg(
        name_ja=("name_ja", "first"),
        name_en=("name_en", "first"),
        prefecture=("prefecture", "first"),
        ties=("tie_id", "size"),
        countries=("partner_country", lambda s: ", ".join(s.value_counts().index[:6])),
    )
    grouped = grouped.sort_values(["ties", "name_en"], ascending=[False, True]).head(top)
    grouped["local government"] = grouped["name_ja"].fillna("") + " " + grouped["name_en"].fillna("")
    return grouped[["local government", "prefecture", "ties", "countries"]].reset_index(drop=True)


def tie_lines(ties: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Both ends' coordinates of each tie (rows with an end that has no coordinates are left out)."""
    ids = set(ties["actor_id"]) | set(ties["partner_id"])
    with registry.reader() as session:
        points = {
            i: (lat, lon)
            for i, lat, lon in session.execute(
                select(Actor.id, Actor.lat, Actor.lon).where(Actor.id.in_(ids), Actor.lat.is_not(None))
            )
        }
    rows = [
        (points[a], points[p], c)
        for a, p, c in zip(ties["actor_id"], ties["partner_id"], ties["partner_country"], strict=True)
        if a in points and p in points
    ]
    return pd.DataFrame(
        {
            "lat0": [r[0][0] for r in rows],
            "lon0": [r[0][1] for r in rows],
            "lat1": [r[1][0] for r in rows],
            "lon1": [r[1][1] for r in rows],
            "country": [r[2] for r in rows],
        }
    )


def world_points(registry: Registry) -> pd.DataFrame:
    """Coordinates of every place in the registry (GeoNames cities, Japanese municipalities): the
    map's background, which draws the inhabited world without a coastline file."""
    with registry.reader() as session:
        rows = session.execute(select(Actor.lat, Actor.lon).where(Actor.lat.is_not(None))).all()
    return pd.DataFrame(rows, columns=["lat", "lon"])

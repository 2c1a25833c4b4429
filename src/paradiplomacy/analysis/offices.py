"""Overseas offices counted by model, function, host country and decade, and the three shifts the
overseas-office literature names, measured from the office records.

Definitions (stated here because the paper does not give them as rules):

* *operation*: ``direct`` for offices a government runs alone (``independent``); ``shared`` for
  every joint, hosted or outsourced model; ``unknown`` when the record gives no model.
* *scope*: the paper's shift runs "from all-round representation to specialised tourism or business
  support", so scope is read from *what* an office does, not how many things: ``specialised`` when
  every recorded function lies in one area, tourism (``tourism_promotion``) or business support
  (``trade_promotion``, ``sme_support``, ``investment_attraction``); ``comprehensive`` when it also
  represents its government in general (``exchange_support``, ``information_gathering``,
  ``human_resource_development``) beside an economic function, or does both tourism and business
  support; ``unknown`` when no function (or only ``other``) is recorded. Kobe's 1961 Seattle office
  (friendship and economic exchange) is therefore comprehensive.
* *region*: ``Asia``, ``Europe``, ``North America`` or ``other`` by host country.

The shifts are measured on the offices the registry holds, which are a sample, not the population:
most come from Fujiwara's interviews in Singapore and Bangkok (Table 1, no opening dates), the rest
from examples named in the papers' text. :func:`office_shifts` says, per row, how many offices come
from the interview sample, and a share computed on them reflects where the fieldwork was done.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from paradiplomacy.analysis.affiliations import BadGrouping
from paradiplomacy.store.profile import citations
from paradiplomacy.store.registry import Registry
from paradiplomacy.store.schema import Office, OfficeOwner

__all__ = ["OFFICE_GROUPINGS", "office_frame", "office_shifts", "offices_by", "region_of", "scope_of"]

_TOURISM = frozenset({"tourism_promotion"})
_BUSINESS = frozenset({"trade_promotion", "sme_support", "investment_attraction"})
_REPRESENTATION = frozenset({"exchange_support", "information_gathering", "human_resource_development"})
INTERVIEW_SAMPLE = "fujiwara2025, Table 1"

_ASIA = frozenset(
    {
        "AF",
        "BD",
        "BN",
        "BT",
        "CN",
        "HK",
        "ID",
        "IN",
        "IR",
        "JP",
        "KH",
        "KP",
        "KR",
        "KZ",
        "LA",
        "LK",
        "MM",
        "MN",
        "MO",
        "MV",
        "MY",
        "NP",
        "PH",
        "PK",
        "SG",
        "TH",
        "TL",
        "TW",
        "UZ",
        "VN",
        "AE",
        "SA",
        "QA",
        "KW",
        "BH",
        "OM",
        "IL",
        "JO",
        "LB",
        "TR",
    }
)
_EUROPE = frozenset(
    {
        "AT",
        "BE",
        "BG",
        "BY",
        "CH",
        "CZ",
        "DE",
        "DK",
        "EE",
        "ES",
        "FI",
        "FR",
        "GB",
        "GR",
        "HR",
        "HU",
        "IE",
        "IS",
        "IT",
        "LT",
        "LU",
        "LV",
        "NL",
        "NO",
        "PL",
        "PT",
        "RO",
        "RS",
        "RU",
        "SE",
        "SI",
        "SK",
        "UA",
    }
)
_NORTH_AMERICA = {"US", "CA"}
OFFICE_GROUPINGS = (
    "model",
    "operation",
    "function",
    "scope",
    "host_country",
    "region",
    "decade_opened",
    "decade_closed",
)


def region_of(country: str | None) -> str:
    """The broad region of a host country, as the office literature groups them.

    >>> region_of("SG"), region_of("FR"), region_of("US"), region_of("BR")
    ('Asia', 'Europe', 'North America', 'other')
    """
    if country in _ASIA:
        return "Asia"
    if country in _EUROPE:
        return "Europe"
    if country in _NORTH_AMERICA:
        return "North America"
    return "other"


def scope_of(functions: list[str]) -> str:
    """``specialised``, ``comprehensive`` or ``unknown`` from an office's recorded functions.

    >>> scope_of(["tourism_promotion"]), scope_of(["trade_promotion", "sme_support"])
    ('specialised', 'specialised')
    >>> scope_of(["exchange_support", "trade_promotion"]), scope_of(["other"])
    ('comprehensive', 'unknown')
    """
    known = set(functions) - {"other"}
    if not known:
        return "unknown"
    if known <= _TOURISM or known <= _BUSINESS:
        return "specialised"
    return "comprehensive"


def _decade(date: str | None) -> str:
    return f"{int(date[:4]) // 10 * 10}s" if date else "undated"


def office_frame(registry: Registry) -> pd.DataFrame:
    """One row per office: ``key, name, owner, owner_type, host_country, region, opened, closed,
    decade_opened, decade_closed, model, operation, functions, n_functions, scope, sources,
    interview_sample`` (cited by Fujiwara's Table 1 of interviewed offices)."""
    rows = []
    with registry.reader() as session:
        query = (
            select(Office)
            .options(selectinload(Office.owners).selectinload(OfficeOwner.actor))
            .order_by(Office.key)
        )
        offices = list(session.scalars(query))
        cited = citations(session, "office", [o.id for o in offices])
        for office in offices:
            sources = cited.get(office.id, [])
            lead = office.owners[0].actor if office.owners else None
            functions = list(office.functions or [])
            rows.append(
                {
                    "key": office.key,
                    "name": office.name,
                    "owner": lead.label if lead else None,
                    "owner_type": (lead.lg_type or lead.kind) if lead else None,
                    "host_country": office.country or "??",
                    "region": region_of(office.country),
                    "opened": office.opened,
                    "closed": office.closed,
                    "decade_opened": _decade(office.opened),
                    "decade_closed": _decade(office.closed) if office.closed else "open",
                    "model": office.model,
                    "operation": _operation(office.model),
                    "functions": functions,
                    "n_functions": len(functions),
                    "scope": scope_of(functions),
                    "sources": "; ".join(sources),
                    "interview_sample": any(INTERVIEW_SAMPLE in s for s in sources),
                }
            )
    return pd.DataFrame(rows)


def _operation(model: str) -> str:
    if model == "independent":
        return "direct"
    return "unknown" if model in ("unknown", "", None) else "shared"


def offices_by(registry: Registry, by: str = "model", *, local_only: bool = True) -> pd.DataFrame:
    """Number of offices (and share of all) by ``by``, one of :data:`OFFICE_GROUPINGS`.

    ``function`` counts an office once under each of its functions, so shares may sum past 1.
    ``local_only`` keeps offices whose lead owner is a Japanese local government.
    """
    if by not in OFFICE_GROUPINGS:
        choices = ", ".join(OFFICE_GROUPINGS)
        raise BadGrouping(f"cannot group offices by {by!r}: choose one of {choices}")
    frame = _local(office_frame(registry), local_only)
    column = "functions" if by == "function" else by
    values = frame.explode(column)[column].fillna("none") if by == "function" else frame[column]
    counts = values.value_counts().rename_axis(by).reset_index(name="offices")
    counts["share"] = counts["offices"] / max(len(frame), 1)
    return counts.sort_values(["offices", by], ascending=[False, True]).reset_index(drop=True)


def _local(frame: pd.DataFrame, local_only: bool) -> pd.DataFrame:
    if not local_only or frame.empty:
        return frame
    types = {"prefecture", "designated_city", "city", "special_ward", "town", "village", "ward"}
    return frame[frame["owner_type"].isin(types)]


_SHIFTS = (
    ("direct -> shared operation", "operation", "shared", ("direct", "shared")),
    ("comprehensive -> specialised", "scope", "specialised", ("comprehensive", "specialised")),
    ("Europe/North America -> Asia", "region", "Asia", ("Asia", "Europe", "North America")),
)


def office_shifts(registry: Registry, *, by: str = "decade_opened", local_only: bool = True) -> pd.DataFrame:
    """The three shifts as series: for each decade, the share of offices on the 'to' side.

    The denominator of each share is the offices of that decade whose attribute is known (e.g. the
    operation shift ignores offices with no recorded model). Returns ``shift, decade, to, offices,
    known, to_count, share, unknown, interview_sample, sample``: ``interview_sample`` is how many of
    the decade's offices come from Fujiwara's interviews (Table 1: Singapore and Bangkok only), and
    ``sample`` says what the row rests on. Decade ``undated`` gathers offices with no opening date:
    it is not a period, so its ``share`` is None (the counts are kept).
    """
    frame = _local(office_frame(registry), local_only)
    rows = []
    for name, column, target, known_values in _SHIFTS:
        for decade, part in frame.groupby(by, sort=True):
            known = part[part[column].isin(known_values)]
            hits = int((known[column] == target).sum())
            sampled = int(part["interview_sample"].sum())
            rows.append(
                {
                    "shift": name,
                    "decade": decade,
                    "to": target,
                    "offices": len(part),
                    "known": len(known),
                    "to_count": hits,
                    "share": hits / len(known) if len(known) and decade != "undated" else None,
                    "unknown": int(len(part) - len(known)),
                    "interview_sample": sampled,
                    "sample": _sample_note(decade, len(part), sampled, column),
                }
            )
    return pd.DataFrame(rows)


def _sample_note(decade: str, offices: int, sampled: int, column: str) -> str:
    """What a row of :func:`office_shifts` rests on, and where selection drives its share."""
    parts = [f"{offices} office(s) the papers name"]
    if sampled:
        parts.append(f"{sampled} from the Singapore/Bangkok interviews (Fujiwara Table 1)")
        if column == "region":
            parts.append("the Asia share reflects where the fieldwork was done")
    if decade == "undated":
        parts.append("no opening dates: not a point in time, no shift can be read")
    elif offices < 5:
        parts.append("too few to show a trend")
    return "; ".join(parts)

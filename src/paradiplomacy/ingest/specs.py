"""What each record kind accepts: its fields, their converters and which are required."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from paradiplomacy.ingest import fields as f
from paradiplomacy.ingest.errors import FieldError
from paradiplomacy.model.dates import PartialDate, definitely_before
from paradiplomacy.model.vocab import (
    ActorKind,
    Channel,
    OfficeFunction,
    OfficeModel,
    Pillar,
    PolicyCode,
    SourceKind,
    TieKind,
    TieStatus,
)

UNITS = {"yen": 1, "thousand_yen": 1_000, "million_yen": 1_000_000, "billion_yen": 1_000_000_000}
COMMON = {"source": f.source_key, "locator": f.short_text(300), "note": f.text}
LATITUDE, LONGITUDE = f.number_in(-90, 90), f.number_in(-180, 180)
YEAR = f.integer_in(f.MIN_YEAR, f.MAX_YEAR)
FISCAL_YEAR = f.integer_in(1868, 2200)
"""Japanese fiscal years since the Meiji era's first budget, with room for long-term plans."""
COUNT = f.integer_in(0, 10**10)
AMOUNT = f.number_in(0, 1e15)
NAME = f.short_text(300)


def _currency(name: str, value: Any) -> str | None:
    code = f.text(name, value, 100)
    if code is not None and not (len(code) == 3 and code.isascii() and code.isalpha()):
        raise FieldError(name, f"expected a 3-letter ISO 4217 code such as JPY, got {code!r}")
    return code.upper() if code else None


def _unit(name: str, value: Any) -> str | None:
    unit = f.text(name, value, 30)
    if unit is not None and unit.lower() not in UNITS:
        raise FieldError(name, f"unknown unit {unit!r} (allowed: {', '.join(UNITS)})")
    return unit.lower() if unit else None


def _within(name: Any, parent: str | None) -> Any:
    """``name`` qualified by the region it lies in (``府中市（東京都）``), as the directory reads
    qualifiers; unchanged when the name is the region itself or already qualified. A blank name
    with a region is the region itself (a prefecture's own tie in its list: 新潟県, blank)."""
    if parent and not name:
        return parent
    if not parent or not isinstance(name, str):
        return name
    if name == parent or name.endswith(("）", ")")):
        return name
    return f"{name}（{parent}）"


#: Kinds of tie as offices write them (姉妹都市, 友好提携...): sister and friendship affiliations.
OFFICE_TIE_KINDS = {
    **dict.fromkeys(
        ("姉妹", "姉妹都市", "姉妹提携", "姉妹都市提携", "姉妹州", "姉妹県", "姉妹省", "姉妹港"),
        TieKind.SISTER.value,
    ),
    **dict.fromkeys(
        (
            "友好",
            "友好都市",
            "友好提携",
            "友好都市提携",
            "友好交流",
            "友好交流都市",
            "友好交流提携",
            "友好省",
            "友好県",
            "友好州",
            "友好港",
        ),
        TieKind.FRIENDSHIP.value,
    ),
}


def parse_kind_map(text: str) -> dict[str, str]:
    """``--kind-map "経済交流=business_partner,…"`` as a mapping; ``ValueError`` naming a bad entry."""
    found: dict[str, str] = {}
    for part in re.split(r"[,，、]", text):
        if not part.strip():
            continue
        word, sep, kind = part.replace("＝", "=").partition("=")
        kind = kind.strip().lower().replace("-", "_")
        if not sep or not word.strip() or kind not in {k.value for k in TieKind}:
            raise ValueError(
                f"--kind-map: expected word=kind with a kind among {', '.join(k.value for k in TieKind)}, "
                f"got {part.strip()!r}"
            )
        found[word.strip()] = kind
    return found


@dataclass(frozen=True)
class KindSpec:
    """The accepted fields of one record kind; refs are actor-reference fields (resolved later)."""

    name: str
    fields: dict[str, f.Converter]
    required: frozenset[str]
    refs: frozenset[str] = frozenset()
    date_order: tuple[tuple[str, str], ...] = ()

    def accepts(self, column: str) -> bool:
        """True when ``column`` is a known field (``<ref>_country`` and ``<ref>_parent`` siblings
        included: the country a reference lies in, and the prefecture or state it lies in)."""
        if column in self.fields:
            return True
        for suffix in ("_country", "_parent"):
            if column.endswith(suffix) and column.removesuffix(suffix) in self.refs:
                return True
        return False

    def convert(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Convert a raw record; raise :class:`FieldError` on the first bad field."""
        unknown = sorted(c for c in raw if not self.accepts(c))
        if unknown:
            raise FieldError(unknown[0], f"unknown field for kind {self.name!r}")
        record: dict[str, Any] = {}
        for name, converter in self.fields.items():
            record[name] = converter(name, raw.get(name))
        for ref in self.refs:
            record[f"{ref}_country"] = f.country(f"{ref}_country", raw.get(f"{ref}_country"))
            record[ref] = _within(record.get(ref), NAME(f"{ref}_parent", raw.get(f"{ref}_parent")))
        for name in sorted(self.required):
            if f.blank(record.get(name)):
                raise FieldError(name, "required but empty")
        for earlier, later in self.date_order:
            if record.get(earlier) and record.get(later):
                start, end = PartialDate.parse(record[earlier]), PartialDate.parse(record[later])
                if definitely_before(end, start):
                    raise FieldError(later, f"{later} {end} is before {earlier} {start}")
        return record


def _spec(
    kind: str, required: set[str], refs: set[str] = frozenset(), date_order=(), /, **fields: f.Converter
) -> KindSpec:
    return KindSpec(kind, {**fields, **COMMON}, frozenset(required), frozenset(refs), date_order)


SPECS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        _spec(
            "source",
            {"key"},
            key=f.source_key,
            kind=f.choice(SourceKind),
            title=f.text,
            author=f.short_text(200),
            year=YEAR,
            publication=f.text,
            url=f.short_text(2000),
        ),
        _spec(
            "actor",
            {"key", "kind"},
            {"parent"},
            key=f.slug,
            kind=f.choice(ActorKind),
            name_en=NAME,
            name_ja=NAME,
            name_kana=NAME,
            aliases=f.strings,
            country=f.country,
            parent=NAME,
            lat=LATITUDE,
            lon=LONGITUDE,
            population=COUNT,
            population_year=YEAR,
            founded=f.date,
        ),
        _spec(
            "tie",
            {"kind", "subject", "object"},
            {"subject", "object"},
            (("start", "end"),),
            kind=f.choice(TieKind, OFFICE_TIE_KINDS),
            subject=NAME,
            object=NAME,
            role=f.short_text(100),
            start=f.date,
            end=f.date,
            status=f.choice(TieStatus),
        ),
        _spec(
            "pair",
            {"city1", "city2"},
            set(),
            city1=NAME,
            country1=f.country,
            lat1=LATITUDE,
            lng1=LONGITUDE,
            city2=NAME,
            country2=f.country,
            lat2=LATITUDE,
            lng2=LONGITUDE,
            start=f.date,
        ),
        _spec(
            "office",
            {"key"},
            {"owners", "city"},
            (("opened", "closed"),),
            key=f.slug,
            name=NAME,
            owners=f.strings,
            city=NAME,
            country=f.country,
            opened=f.date,
            closed=f.date,
            model=f.choice(OfficeModel),
            functions=f.choices(OfficeFunction),
            focus=f.strings,
            staff=f.integer_in(0, 1_000_000),
        ),
        _spec(
            "strategy",
            {"actor", "title"},
            {"actor"},
            actor=NAME,
            title=NAME,
            title_ja=NAME,
            adopted=f.date,
            revised=f.dates,
            pillars=f.choices(Pillar),
            themes=f.strings,
        ),
        _spec(
            "budget",
            {"fiscal_year", "category", "amount"},
            {"actor"},
            actor=NAME,
            fiscal_year=FISCAL_YEAR,
            category=f.short_text(200),
            amount=AMOUNT,
            currency=_currency,
            unit=_unit,
        ),
        _spec(
            "programme",
            {"key", "name"},
            {"actor", "partner"},
            (("start", "end"),),
            key=f.slug,
            actor=NAME,
            name=NAME,
            kind=f.short_text(30),
            partner=NAME,
            start=f.date,
            end=f.date,
        ),
        _spec(
            "adoption", {"actor", "policy"}, {"actor"}, actor=NAME, policy=f.choice(PolicyCode), date=f.date
        ),
        _spec(
            "coalition",
            {"key", "name"},
            set(),
            (("started", "ended"),),
            key=f.slug,
            name=NAME,
            issue_area=f.short_text(200),
            scope=f.short_text(30),
            started=f.date,
            ended=f.date,
        ),
        _spec(
            "coalition_member",
            {"coalition", "member"},
            {"member"},
            coalition=f.slug,
            member=NAME,
            role=f.short_text(60),
        ),
        _spec(
            "coalition_event",
            {"coalition", "title"},
            {"actors"},
            coalition=f.slug,
            date=f.date,
            title=NAME,
            actors=f.strings,
            channel=f.choice(Channel),
        ),
        _spec(
            "observation",
            {"key", "measure", "value"},
            set(),
            key=f.slug,
            measure=f.short_text(100),
            value=f.number,
            unit=f.short_text(30),
            as_of=f.date,
            dimensions=f.mapping,
        ),
    )
}

ALIASES = {
    "pairs": "pair",
    "ties": "tie",
    "affiliation": "tie",
    "offices": "office",
    "strategies": "strategy",
    "budgets": "budget",
    "programmes": "programme",
    "program": "programme",
    "adoptions": "adoption",
    "observations": "observation",
    "actors": "actor",
    "sources": "source",
    "coalitions": "coalition",
    "coalition-member": "coalition_member",
    "coalition-event": "coalition_event",
}


def spec_for(kind: str) -> KindSpec:
    """The spec of ``kind`` (aliases accepted); raise ``KeyError`` listing the kinds."""
    if not isinstance(kind, str) or len(kind) > 100:
        raise KeyError(f"unknown kind {str(kind)[:100]!r} (kinds: {', '.join(SPECS)})")
    name = ALIASES.get(kind.strip().lower(), kind.strip().lower().replace("-", "_"))
    if name not in SPECS:
        raise KeyError(f"unknown kind {kind!r} (kinds: {', '.join(SPECS)})")
    return SPECS[name]

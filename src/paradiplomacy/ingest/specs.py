"""What each record kind accepts: its fields, their converters and which are required."""

from __future__ import annotations

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

COMMON = {"source": f.slug, "locator": f.text, "note": f.text}


@dataclass(frozen=True)
class KindSpec:
    """The accepted fields of one record kind; refs are actor-reference fields (resolved later)."""

    name: str
    fields: dict[str, f.Converter]
    required: frozenset[str]
    refs: frozenset[str] = frozenset()
    date_order: tuple[tuple[str, str], ...] = ()

    def accepts(self, column: str) -> bool:
        """True when ``column`` is a known field (``<ref>_country`` siblings included)."""
        if column in self.fields:
            return True
        base = column.removesuffix("_country")
        return column.endswith("_country") and base in self.refs

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
        for name in sorted(self.required):
            if f.blank(record.get(name)):
                raise FieldError(name, "required but empty")
        for earlier, later in self.date_order:
            if record.get(earlier) and record.get(later):
                start, end = PartialDate.parse(record[earlier]), PartialDate.parse(record[later])
                if definitely_before(end, start):
                    raise FieldError(later, f"{later} {end} is before {earlier} {start}")
        return record


def _spec(kind: str, required: set[str], refs: set[str] = frozenset(), date_order=(), /,
          **fields: f.Converter) -> KindSpec:
    return KindSpec(kind, {**fields, **COMMON}, frozenset(required), frozenset(refs), date_order)


SPECS: dict[str, KindSpec] = {
    spec.name: spec
    for spec in (
        _spec("source", {"key"}, key=f.slug, kind=f.choice(SourceKind), title=f.text,
              author=f.text, year=f.integer, publication=f.text, url=f.text),
        _spec("actor", {"key", "kind"}, {"parent"}, key=f.slug, kind=f.choice(ActorKind),
              name_en=f.text, name_ja=f.text, name_kana=f.text, aliases=f.strings,
              country=f.country, parent=f.text, lat=f.number, lon=f.number,
              population=f.integer, population_year=f.integer, founded=f.date),
        _spec("tie", {"kind", "subject", "object"}, {"subject", "object"}, (("start", "end"),),
              kind=f.choice(TieKind), subject=f.text, object=f.text, role=f.text,
              start=f.date, end=f.date, status=f.choice(TieStatus)),
        _spec("pair", {"city1", "city2"}, set(), city1=f.text, country1=f.country, lat1=f.number,
              lng1=f.number, city2=f.text, country2=f.country, lat2=f.number, lng2=f.number,
              start=f.date),
        _spec("office", {"key"}, {"owners", "city"}, (("opened", "closed"),), key=f.slug,
              name=f.text, owners=f.strings, city=f.text, country=f.country, opened=f.date,
              closed=f.date, model=f.choice(OfficeModel), functions=f.choices(OfficeFunction),
              focus=f.strings, staff=f.integer),
        _spec("strategy", {"actor", "title"}, {"actor"}, actor=f.text, title=f.text,
              title_ja=f.text, adopted=f.date, revised=f.dates, pillars=f.choices(Pillar),
              themes=f.strings),
        _spec("budget", {"fiscal_year", "category", "amount"}, {"actor"}, actor=f.text,
              fiscal_year=f.integer, category=f.text, amount=f.number, currency=f.text,
              unit=f.text),
        _spec("programme", {"key", "name"}, {"actor", "partner"}, (("start", "end"),),
              key=f.slug, actor=f.text, name=f.text, kind=f.text, partner=f.text, start=f.date,
              end=f.date),
        _spec("adoption", {"actor", "policy"}, {"actor"}, actor=f.text,
              policy=f.choice(PolicyCode), date=f.date),
        _spec("coalition", {"key", "name"}, set(), (("started", "ended"),), key=f.slug,
              name=f.text, issue_area=f.text, scope=f.text, started=f.date, ended=f.date),
        _spec("coalition_member", {"coalition", "member"}, {"member"}, coalition=f.slug,
              member=f.text, role=f.text),
        _spec("coalition_event", {"coalition", "title"}, {"actors"}, coalition=f.slug,
              date=f.date, title=f.text, actors=f.strings, channel=f.choice(Channel)),
        _spec("observation", {"key", "measure", "value"}, set(), key=f.slug, measure=f.text,
              value=f.number, unit=f.text, as_of=f.date, dimensions=f.mapping),
    )
}

ALIASES = {"pairs": "pair", "ties": "tie", "affiliation": "tie", "offices": "office",
           "strategies": "strategy", "budgets": "budget", "programmes": "programme",
           "program": "programme", "adoptions": "adoption", "observations": "observation",
           "actors": "actor", "sources": "source", "coalitions": "coalition",
           "coalition-member": "coalition_member", "coalition-event": "coalition_event"}

UNITS = {"yen": 1, "thousand_yen": 1_000, "million_yen": 1_000_000, "billion_yen": 1_000_000_000}


def spec_for(kind: str) -> KindSpec:
    """The spec of ``kind`` (aliases accepted); raise ``KeyError`` listing the kinds."""
    name = ALIASES.get(kind.strip().lower(), kind.strip().lower().replace("-", "_"))
    if name not in SPECS:
        raise KeyError(f"unknown kind {kind!r} (kinds: {', '.join(SPECS)})")
    return SPECS[name]

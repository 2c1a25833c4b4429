"""Import messages a clerk reads, in Japanese: a rejection's reason is matched against the English
templates of the catalogue (``i18n/catalogue/import.yaml``) and rewritten with its values kept.

>>> localised("平成 has no year 32 (its years are 1-31)", "ja")
'平成に32年はありません（1-31年）'
>>> localised("something else", "ja")
'something else'
"""

from __future__ import annotations

import re
from functools import cache

import yaml

from paradiplomacy.i18n import CATALOGUE, normal_lang, translate

CATALOGUE_FILE = "import.yaml"
_FIELD = re.compile(r"\{(\w+)\}")


@cache
def _templates() -> list[tuple[re.Pattern[str], str]]:
    """The catalogue's templates with placeholders, as patterns (longest first)."""
    entries = yaml.safe_load((CATALOGUE / CATALOGUE_FILE).read_text(encoding="utf-8")) or {}
    found = []
    for key in sorted(entries, key=len, reverse=True):
        if not _FIELD.search(str(key)):
            continue
        parts = _FIELD.split(str(key))
        pattern = "".join(
            re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)" for index, part in enumerate(parts)
        )
        found.append((re.compile(f"^{pattern}$", re.S), str(key)))
    return found


def localised(reason: str, lang: str) -> str:
    """``reason`` in ``lang``: the Japanese text of the template it was written from, with its
    values; unchanged in English or when no template matches."""
    if normal_lang(lang) != "ja":
        return reason
    direct = translate(reason, lang)
    if direct != reason:
        return direct
    for pattern, key in _templates():
        if match := pattern.match(reason):
            return translate(key, lang, **match.groupdict())
    return reason


__all__ = ["CATALOGUE_FILE", "localised"]

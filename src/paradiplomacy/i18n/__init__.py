"""One translation catalogue for every string a person reads: the CLI's ``--lang``, the web
workbench, exports with Japanese headings, and import messages.

Messages are keyed by their English text (gettext's habit): ``translate("Search", "ja")`` is
``検索``; an English reader gets the key itself. Placeholders are ``str.format`` fields, filled after
translation: ``translate("{n} ties", "ja", n=3)`` is ``3件の提携``. Vocabulary identifiers
(``designated_city``, ``sister``) have a label in each language: ``vocabulary("designated_city",
"ja")`` is ``政令指定都市``.

The catalogue is the YAML files of ``catalogue/`` beside this module, one per area (``cli``,
``web``, ``curation``...), so that work on one area does not touch another's file:

* ``vocabulary.yaml`` maps an identifier to ``{en: ..., ja: ...}``;
* every other file maps an English message to its Japanese text.

A message missing from the catalogue falls back to English; ``tests/test_i18n.py`` checks that
every message the code and the templates ask for has its Japanese entry.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGS = ("en", "ja")
DEFAULT_LANG = "en"
CATALOGUE = Path(__file__).with_name("catalogue")
VOCABULARY_FILE = "vocabulary.yaml"

__all__ = [
    "DEFAULT_LANG",
    "LANGS",
    "accepted_lang",
    "choose_lang",
    "messages",
    "name_in",
    "normal_lang",
    "translate",
    "vocabulary",
    "vocabulary_labels",
]


def normal_lang(lang: str | None) -> str:
    """``ja`` or ``en`` from a language tag (``ja-JP`` -> ``ja``; anything else -> ``en``).

    >>> normal_lang("ja-JP"), normal_lang("EN"), normal_lang(None), normal_lang("fr")
    ('ja', 'en', 'en', 'en')
    """
    code = (lang or "").strip().lower().replace("_", "-").split("-")[0]
    return code if code in LANGS else DEFAULT_LANG


def accepted_lang(header: str | None) -> str | None:
    """The best of :data:`LANGS` in an ``Accept-Language`` header, q-values respected; ``None`` when
    it names neither (``*`` alone does not choose).

    >>> accepted_lang("en-US,en;q=0.9,ja;q=0.8"), accepted_lang("fr, ja;q=0.5, en;q=0.4")
    ('en', 'ja')
    >>> accepted_lang("ja-JP"), accepted_lang("en;q=0, ja;q=0.1"), accepted_lang("fr"), accepted_lang(None)
    ('ja', 'ja', None, None)
    """
    best: tuple[float, int, str] | None = None
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        code = tag.strip().lower().replace("_", "-").split("-")[0]
        if code not in LANGS:
            continue
        quality = 1.0
        for param in params.split(";"):
            name, _, number = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(number)
                except ValueError:
                    quality = 0.0
        if quality > 0 and (best is None or (quality, -position) > (best[0], best[1])):
            best = (quality, -position, code)
    return best[2] if best else None


def choose_lang(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The language of a page: ``?lang=ja|en``, else the ``lang`` cookie, else the best of the
    browser's ``Accept-Language``, else English. Values that are not ``ja`` or ``en`` are ignored.

    >>> choose_lang("en", "ja", "ja"), choose_lang(None, "ja", "en"), choose_lang("fr", None, "ja;q=0.5")
    ('en', 'ja', 'ja')
    >>> choose_lang(None, None, None), choose_lang("", "xx", "de")
    ('en', 'en')
    """
    for choice in (query, cookie):
        code = (choice or "").strip().lower()
        if code in LANGS:
            return code
    return accepted_lang(accept_language) or DEFAULT_LANG


@cache
def messages() -> dict[str, str]:
    """English message -> Japanese, from every catalogue file but the vocabulary."""
    found: dict[str, str] = {}
    for path in sorted(CATALOGUE.glob("*.yaml")):
        if path.name == VOCABULARY_FILE:
            continue
        entries = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key, text in entries.items():
            if key in found and found[key] != text:
                raise ValueError(f"{path.name}: {key!r} is translated differently in another catalogue file")
            found[str(key)] = str(text)
    return found


@cache
def vocabulary_labels() -> dict[str, dict[str, str]]:
    """Identifier -> ``{"en": label, "ja": label}``."""
    entries = yaml.safe_load((CATALOGUE / VOCABULARY_FILE).read_text(encoding="utf-8")) or {}
    return {str(k): {lang: str(v[lang]) for lang in LANGS} for k, v in entries.items()}


def translate(message: str, lang: str, /, **values: Any) -> str:
    """``message`` (English) in ``lang``, with ``values`` filled in.

    >>> translate("partner", "ja"), translate("partner", "en")
    ('提携先', 'partner')
    """
    text = messages().get(message, message) if normal_lang(lang) == "ja" else message
    return text.format(**values) if values else text


def vocabulary(value: str | None, lang: str) -> str:
    """A vocabulary identifier as a reader writes it: ``designated city`` or ``政令指定都市``.

    >>> vocabulary("designated_city", "en"), vocabulary("designated_city", "ja"), vocabulary(None, "ja")
    ('designated city', '政令指定都市', '')
    """
    if not value:
        return ""
    labels = vocabulary_labels().get(str(value))
    if labels is None:
        return str(value).replace("_", " ")
    return labels[normal_lang(lang)]


def name_in(en: str | None, ja: str | None, lang: str) -> str:
    """The name in ``lang`` when there is one, else the other one.

    >>> name_in("Kōbe", "神戸市", "ja"), name_in("Kōbe", "神戸市", "en"), name_in("Dalian", None, "ja")
    ('神戸市', 'Kōbe', 'Dalian')
    """
    first, second = (ja, en) if normal_lang(lang) == "ja" else (en, ja)
    return first or second or ""

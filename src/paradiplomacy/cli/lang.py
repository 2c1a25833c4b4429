"""``--lang en|ja``: names and headings in English or Japanese, where the registry has both.

Headings and vocabulary labels come from the one translation catalogue (:mod:`paradiplomacy.i18n`).

The default comes from ``$PARADIPLOMACY_LANG`` (``en`` when unset). Values the registry stores in
one language only (a GeoNames city with no Japanese name, a source key) are shown as they are.
"""

from __future__ import annotations

from collections.abc import Callable

import click

from paradiplomacy.i18n import LANGS, name_in, translate, vocabulary
from paradiplomacy.model.formatting import date_text

ENV_VAR = "PARADIPLOMACY_LANG"


def lang_option(command: Callable) -> Callable:
    """``--lang en|ja`` (default ``$PARADIPLOMACY_LANG``, else ``en``)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        envvar=ENV_VAR,
        default="en",
        show_default=True,
        show_envvar=True,
        help="Names and headings in English or Japanese, where both exist.",
    )(command)


def heading(word: str, lang: str) -> str:
    """A table or section heading in ``lang``.

    >>> heading("partner", "ja"), heading("partner", "en")
    ('提携先', 'partner')
    """
    return translate(word, lang)


def value(text: str | None, lang: str) -> str:
    """A vocabulary value as a reader writes it: ``designated city`` or ``政令指定都市``.

    >>> value("designated_city", "en"), value("designated_city", "ja"), value(None, "ja")
    ('designated city', '政令指定都市', '')
    """
    return vocabulary(text, lang)


def date(text: str | None, lang: str) -> str:
    """A stored date as a reader of ``lang`` writes it (the web pages' formatter): Japanese with the
    era year beside the Gregorian one.

    >>> date("1965-11-08", "ja"), date("1965", "ja"), date("1965-11-08", "en"), date(None, "ja")
    ('1965年（昭和40年）11月8日', '1965（昭和40）年', '1965-11-08', '')
    """
    return date_text(text, lang)


def name(en: str | None, ja: str | None, lang: str) -> str:
    """The name in ``lang`` when the registry has it, else the other one.

    >>> name("Kōbe", "神戸市", "ja"), name("Kōbe", "神戸市", "en"), name("Dalian", None, "ja")
    ('神戸市', 'Kōbe', 'Dalian')
    """
    return name_in(en, ja, lang)

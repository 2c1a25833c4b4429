"""The language of a page and what every template gets to write in it.

:func:`page_lang` chooses the language (``?lang=``, the ``lang`` cookie, ``Accept-Language``: the
library's :func:`~paradiplomacy.i18n.choose_lang`); :func:`install_language` gives a Jinja environment
``_("...")`` (a catalogue message), the filters ``vocab`` (a vocabulary label), ``date`` (和暦 beside
the year in Japanese), ``when`` (a stored UTC time in Japan time), ``number`` and ``cell``, and
``page_message()`` (an API message in the page's language), each reading ``lang`` from the template's
context, so that pages rendered by any module are translated by using them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

import jinja2
from fastapi import Request

from paradiplomacy.i18n import LANGS, choose_lang, translate, vocabulary, vocabulary_labels
from paradiplomacy.model.formatting import date_text, text, time_text

__all__ = ["LANG_COOKIE", "PAGE_MESSAGES", "install_language", "page_lang", "page_message", "switch_urls"]

#: The cookie that keeps a reader's ``?lang=`` choice (a year).
LANG_COOKIE = "lang"
LANG_COOKIE_AGE = 365 * 24 * 3600
#: Messages the API and the library answer with a value in them, and their catalogue keys, so that an
#: error page shows them in the reader's language (the API itself keeps them in English).
PAGE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^no actor named '(?P<name>.*)'$"), "no actor named '{name}'"),
    (re.compile(r"^ambiguous '(?P<name>.*)'$"), "ambiguous '{name}': choose one of the candidates"),
    (re.compile(r"^no actor (?P<name>.*)$"), "no actor {name}"),
    (
        re.compile(r"^(?P<message>sign in as an editor|viewers may only read|wrong name or password)$"),
        "{message}",
    ),
)


def page_lang(request: Request) -> str:
    """The page's language: ``?lang=``, else the ``lang`` cookie, else ``Accept-Language``."""
    return choose_lang(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def switch_urls(request: Request) -> dict[str, str]:
    """This page (path and query) in each language, for the header's switch."""
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return {code: f"{request.url.path}?{urlencode([*query, ('lang', code)])}" for code in LANGS}


def page_message(message: Any, lang: str) -> str:
    """An API or library message as a page shows it in ``lang`` (:data:`PAGE_MESSAGES`); others as
    they are."""
    message = str(message or "")
    for pattern, key in PAGE_MESSAGES:
        if found := pattern.match(message):
            values = found.groupdict()
            if key == "{message}":
                return translate(values["message"], lang)
            return translate(key, lang, **values)
    return message


def _lang_of(context: Any) -> str:
    return context.get("lang") or "en"


@jinja2.pass_context
def _translated(context: Any, message: str, **values: Any) -> str:
    """``{{ _("Search") }}``: a message in the page's language (the catalogue's English key)."""
    return translate(message, _lang_of(context), **values)


@jinja2.pass_context
def _cell(context: Any, value: Any, column: str = "") -> str:
    """A table cell as in the CLI (51.0%, 1,700, 2001); a vocabulary identifier as its label."""
    if isinstance(value, str) and value in vocabulary_labels():
        return vocabulary(value, _lang_of(context))
    return text(value, column)


@jinja2.pass_context
def _actor_name(context: Any, brief: dict[str, Any] | None) -> str:
    """``{{ t.other|actor_name }}``: an actor of a profile by its name in the page's language."""
    if not brief:
        return ""
    own = brief.get("name_ja") if _lang_of(context) == "ja" else brief.get("name_en")
    return own or brief.get("name") or brief.get("key", "")


def install_language(env: jinja2.Environment) -> None:
    """Give every template of ``env`` the page-language helpers (see the module's docstring)."""
    env.globals["_"] = _translated
    env.globals["page_message"] = jinja2.pass_context(
        lambda context, message: page_message(message, _lang_of(context))
    )
    env.filters["vocab"] = jinja2.pass_context(lambda context, value: vocabulary(value, _lang_of(context)))
    env.filters["date"] = jinja2.pass_context(lambda context, value: date_text(value, _lang_of(context)))
    env.filters["when"] = jinja2.pass_context(lambda context, value: time_text(value, _lang_of(context)))
    env.filters["number"] = lambda value: text(value)
    env.filters["actor_name"] = _actor_name
    env.filters["cell"] = _cell

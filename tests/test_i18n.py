"""The translation catalogue: every message the templates and the code ask for has its Japanese
entry, every vocabulary value a person reads has both labels, no entry is left unused; the choice of
language and the date and time formats."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

import paradiplomacy
from paradiplomacy.i18n import (
    CATALOGUE,
    accepted_lang,
    choose_lang,
    messages,
    translate,
    vocabulary,
    vocabulary_labels,
)
from paradiplomacy.model.formatting import date_text, time_text
from paradiplomacy.model.vocab import (
    ActorKind,
    Channel,
    LgType,
    OfficeFunction,
    OfficeModel,
    Pillar,
    PolicyCode,
    SourceKind,
    TieKind,
    TieStatus,
)

ROOT = Path(paradiplomacy.__file__).parent
TEMPLATES = ROOT / "web" / "templates"
#: ``_("...")`` or ``_('...')`` in a template.
TEMPLATE_CALL = re.compile(r"""\b_\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
#: Functions whose first argument, when a literal, is a catalogue key: the library's ``translate``,
#: the CLI's ``heading`` and ``h``, the pages' ``_``.
TRANSLATING = {"translate", "heading", "h", "_"}
#: Catalogue files of messages a page looks up by a value (a statistics column, a search reason, an
#: API message), not by a literal: exempt from the "unused" check; each is checked below instead.
BY_VALUE = {"web_values.yaml"}


def template_messages() -> dict[str, set[str]]:
    """Message -> the templates asking for it."""
    found: dict[str, set[str]] = {}
    for path in sorted(TEMPLATES.glob("*.html")):
        for match in TEMPLATE_CALL.finditer(path.read_text(encoding="utf-8")):
            key = match.group(1) if match.group(1) is not None else match.group(2)
            found.setdefault(key, set()).add(path.name)
    return found


def code_messages() -> dict[str, set[str]]:
    """Message -> the modules calling a translating function with it as a literal first argument."""
    found: dict[str, set[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            first = node.args[0]
            if name in TRANSLATING and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, set()).add(str(path.relative_to(ROOT)))
    return found


def test_the_scanners_find_what_pages_ask_for():
    assert "base.html" in template_messages()["Search"]
    assert "Tie explorer" in template_messages() and "{n} tie lines drawn" in code_messages()
    assert "cli/render.py" in code_messages()["key"]


def test_every_template_message_has_its_japanese_entry():
    catalogue = messages()
    missing = {k: sorted(v) for k, v in template_messages().items() if k not in catalogue}
    assert not missing, f"no Japanese for: {missing}"


def test_every_message_the_code_asks_for_has_its_japanese_entry():
    catalogue = messages()
    missing = {k: sorted(v) for k, v in code_messages().items() if k not in catalogue}
    assert not missing, f"no Japanese for: {missing}"


def test_no_web_entry_is_unused():
    """An entry of ``web.yaml`` that no template or module asks for is dead text."""
    used = set(template_messages()) | set(code_messages())
    web = yaml.safe_load((CATALOGUE / "web.yaml").read_text(encoding="utf-8"))
    unused = sorted(set(web) - used)
    assert not unused, f"web.yaml entries nobody asks for: {unused}"


def test_entries_looked_up_by_value_are_not_literals_elsewhere():
    """``web_values.yaml`` holds only words that arrive as values; a literal belongs in ``web.yaml``."""
    used = set(template_messages()) | set(code_messages())
    for name in BY_VALUE:
        entries = yaml.safe_load((CATALOGUE / name).read_text(encoding="utf-8"))
        assert entries and all(isinstance(v, str) and v for v in entries.values())
        assert not sorted(set(entries) & used), name


def test_every_statistics_tab_and_search_reason_is_in_japanese():
    from paradiplomacy.analysis.tables import STATS
    from paradiplomacy.web.language import PAGE_MESSAGES

    catalogue = messages()
    words = set(STATS) | {g for groupings in STATS.values() for g in groupings}
    words |= {"exact name", "exact name without generic word", "exact name of one part", "fuzzy name"}
    words |= {"local-government code", "key or code", "held through former municipalities"}
    words |= {key for _, key in PAGE_MESSAGES if key != "{message}"}
    words |= {"sign in as an editor", "viewers may only read", "wrong name or password"}
    assert not sorted(words - set(catalogue))


@pytest.mark.parametrize(
    "enum",
    [
        ActorKind,
        LgType,
        TieKind,
        TieStatus,
        OfficeModel,
        OfficeFunction,
        Pillar,
        PolicyCode,
        Channel,
        SourceKind,
    ],
)
def test_every_value_of_the_read_vocabularies_has_both_labels(enum):
    labels = vocabulary_labels()
    missing = [str(v) for v in enum if str(v) not in labels]
    assert not missing, f"{enum.__name__}: no label for {missing}"
    for value in enum:
        assert labels[str(value)]["ja"] and labels[str(value)]["en"]


def test_every_vocabulary_entry_has_both_languages():
    raw = yaml.safe_load((CATALOGUE / "vocabulary.yaml").read_text(encoding="utf-8"))
    incomplete = [k for k, v in raw.items() if not (isinstance(v, dict) and v.get("en") and v.get("ja"))]
    assert not incomplete


def test_japanese_labels_and_english_fallback():
    assert vocabulary("designated_city", "ja") == "政令指定都市"
    assert vocabulary("special_ward", "ja-JP") == "特別区"
    assert vocabulary("sister", "ja") == "姉妹" and vocabulary("friendship", "ja") == "友好"
    assert vocabulary("active", "ja") == "提携中"
    assert vocabulary("not_a_value", "ja") == "not a value"
    assert translate("partner", "ja") == "提携先"
    assert translate("no such message {n}", "ja", n=2) == "no such message 2"


def test_catalogue_files_agree():
    assert all(isinstance(v, str) and v for v in messages().values())


@pytest.mark.parametrize(
    ("query", "cookie", "header", "expected"),
    [
        ("ja", "en", "en", "ja"),  # the query wins
        (None, "ja", "en-US,en;q=0.9", "ja"),  # then the cookie
        ("fr", "xx", "en;q=0.3, ja;q=0.8", "ja"),  # invalid choices are ignored; q-values decide
        (None, None, "ja;q=0.2, en", "en"),  # no q means 1
        (None, None, "fr-FR, ja-JP;q=0.5", "ja"),
        (None, None, "ja;q=0, en;q=0.1", "en"),  # q=0: not acceptable
        (None, None, "de, *", "en"),
        (None, None, None, "en"),
        (None, None, "en;q=0.5, ja;q=0.5", "en"),  # a tie goes to the first named
    ],
)
def test_choose_lang(query, cookie, header, expected):
    assert choose_lang(query, cookie, header) == expected


def test_accept_language_with_a_broken_q_value():
    assert accepted_lang("ja;q=abc, en;q=0.4") == "en"


@pytest.mark.parametrize(
    ("stored", "ja", "en"),
    [
        ("1965-11-08", "1965年（昭和40年）11月8日", "1965-11-08"),
        ("1965-11", "1965年（昭和40年）11月", "1965-11"),
        ("1965", "1965（昭和40）年", "1965"),
        ("1989-01-07", "1989年（昭和64年）1月7日", "1989-01-07"),
        ("1989-01-08", "1989年（平成元年）1月8日", "1989-01-08"),
        ("2019-05-01", "2019年（令和元年）5月1日", "2019-05-01"),
        ("1850", "1850年", "1850"),  # before Meiji: no era
        ("2001-13-40", "2001-13-40", "2001-13-40"),  # not a date: as stored
        (None, "", ""),
    ],
)
def test_dates_for_each_language(stored, ja, en):
    assert date_text(stored, "ja") == ja and date_text(stored, "en") == en


def test_times_are_shown_in_japan_time():
    assert time_text("2026-12-08T15:30:00+00:00", "ja") == "2026-12-09 00:30 JST"
    assert time_text("2026-12-08T15:30:00", "en") == "2026-12-09 00:30 JST"  # no zone: UTC
    assert time_text("2026-12-08T10:00:00+09:00", "en") == "2026-12-08 10:00 JST"
    assert time_text("", "ja") == "" and time_text("yesterday", "ja") == "yesterday"

"""The translation catalogue: every vocabulary value a person reads has an English and a Japanese label."""

from __future__ import annotations

import pytest

from paradiplomacy.i18n import messages, translate, vocabulary, vocabulary_labels
from paradiplomacy.model.vocab import ActorKind, LgType, TieKind, TieStatus


@pytest.mark.parametrize("enum", [ActorKind, LgType, TieKind, TieStatus])
def test_every_value_of_the_read_vocabularies_has_both_labels(enum):
    labels = vocabulary_labels()
    missing = [str(v) for v in enum if str(v) not in labels]
    assert not missing, f"{enum.__name__}: no label for {missing}"
    for value in enum:
        assert labels[str(value)]["ja"] and labels[str(value)]["en"]


def test_japanese_labels_and_english_fallback():
    assert vocabulary("designated_city", "ja") == "政令指定都市"
    assert vocabulary("special_ward", "ja-JP") == "特別区"
    assert vocabulary("not_a_value", "ja") == "not a value"
    assert translate("partner", "ja") == "提携先"
    assert translate("no such message {n}", "ja", n=2) == "no such message 2"


def test_catalogue_files_agree():
    assert all(isinstance(v, str) and v for v in messages().values())

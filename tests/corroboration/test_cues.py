"""Refutation and other cues, every language's list written once in core/cues.py."""

import pytest

from claims.corroboration.core import cues

REFUTE = cues.KINDS.index("refute")
NEGATION = cues.KINDS.index("negation")
SUPPORT = cues.KINDS.index("support")


@pytest.mark.parametrize("text", [
    "Kremlin denies asking China for military help",
    "Кремль опроверг сообщения о просьбе к Китаю",
    "МИД назвал фейком сообщения о запросе помощи",
    "外交部：美方散布虚假信息",
    "Le Kremlin dément avoir demandé une aide militaire",
    "El Gobierno niega que haya pedido ayuda",
])
def test_a_denial_counts_as_refutation_in_every_language(text):
    assert cues.count_cues(text)[REFUTE] >= 1


def test_negation_and_support_are_counted_apart():
    counts = cues.count_cues("Officials confirmed it; Russia did not ask, documents show")
    assert counts[NEGATION] == 1 and counts[SUPPORT] >= 2


def test_single_chinese_characters_do_not_count_inside_other_words():
    assert cues.count_cues("非常重要的未来计划")[NEGATION] == 0


def test_the_cue_lists_are_part_of_the_feature_schema(monkeypatch):
    from claims.corroboration.core import stance

    before = stance.schema_hash()
    monkeypatch.setitem(cues.CUES["en"], "refute", (*cues.CUES["en"]["refute"], "poppycock"))
    assert stance.schema_hash() != before

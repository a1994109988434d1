"""Language detection (lingua, models in the package) and text-search configurations."""

import pytest

from sources.language import detect_language, language_name, ts_config


@pytest.mark.parametrize(("text", "code"), [
    ("Kremlin denies asking China for military help", "en"),
    ("Песков опроверг сообщения о просьбе России к Китаю о военной помощи", "ru"),
    ("外交部：美方散布中国向俄罗斯提供军事援助的虚假信息", "zh"),
    ("Le Kremlin dément avoir demandé une aide militaire à la Chine", "fr"),
    ("Die Regierung bestreitet die Berichte über Waffenlieferungen", "de"),
    ("Уряд спростував плани підвищити пенсійний вік", "uk"),
])
def test_it_detects_the_language_of_a_headline(text, code):
    assert detect_language(text) == code


def test_it_says_nothing_about_text_too_short_to_tell():
    assert detect_language("") == ""
    assert detect_language("12 - ?") == ""


def test_each_language_reads_with_its_own_configuration_or_simple():
    assert ts_config("ru") == "russian"
    assert ts_config("en") == "english"
    assert ts_config("zh") == "simple"
    assert ts_config("") == "simple"
    assert language_name("zh") == "Chinese"

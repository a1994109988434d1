"""The one text module of the model core: tokens, sentences and document leads in any script."""

from claims.corroboration.core import text


def test_it_splits_sentences_in_latin_cyrillic_and_chinese_text_without_breaking_abbreviations():
    sentences = text.split_sentences(
        "U.S. officials said Mr. Smith left. He said no! Кремль опроверг сообщения. "
        "Песков заявил. 中国外交部否认。俄方没有请求援助！"
    )
    assert sentences == [
        "U.S. officials said Mr. Smith left.", "He said no!", "Кремль опроверг сообщения.",
        "Песков заявил.", "中国外交部否认。", "俄方没有请求援助!",
    ]


def test_tokens_are_words_of_any_script_lower_cased_with_a_question_marker():
    assert text.tokenize("Кремль ОПРОВЕРГ? isn’t it") == ["кремль", "опроверг", "isn't", "it", "?"]


def test_a_lead_is_the_headline_and_first_sentences_bounded_in_units_and_characters():
    body = "First sentence here. " + "Second one. " + "Third one. " + "Fourth one. " + "x" * 2000
    units = text.lead_units("A headline", body)
    assert units[0] == "A headline"
    assert len(units) <= text.LEAD_UNITS
    assert sum(len(u) for u in units[1:]) <= text.LEAD_CHARS


def test_a_passage_is_the_headline_and_lede_bounded_in_tokens_in_any_script():
    english = text.lead_passage("Kremlin denies request", "It said no. " * 100)
    assert english.startswith("Kremlin denies request It said no.")
    assert text.token_estimate(english) <= text.PASSAGE_TOKENS
    assert not english.endswith(" ")
    chinese = text.lead_passage("中国外交部否认俄罗斯请求军事援助", "外交部发言人表示，有关报道是虚假信息。" * 20)
    assert chinese.startswith("中国外交部否认俄罗斯请求军事援助")
    assert text.token_estimate(chinese) <= text.PASSAGE_TOKENS
    assert len(chinese) < len(english)  # one token per character, not per four
    assert text.lead_passage("", "") == ""


def test_a_lede_repeating_the_headline_is_read_once():
    assert text.lead_units("Kremlin denies request", "Kremlin denies request\nIt said no.") == [
        "Kremlin denies request", "It said no."]


def test_document_body_drops_a_summary_the_text_repeats():
    assert text.document_body("The lede.", "The lede. And more.") == "The lede. And more."
    assert text.document_body("The lede.", "") == "The lede."

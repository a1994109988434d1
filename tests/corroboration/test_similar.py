"""The similar-claim index and the similar_eval command."""

from __future__ import annotations

import json

import pytest

from claims.corroboration.core.similar import (
    BM25Baseline,
    SimilarClaimIndex,
    normalize_text,
    word_tokens,
)

CLAIMS = [
    ("c1", "Russia asked China for military aid for its war in Ukraine"),
    ("c2", "China denies sending weapons to Russia"),
    ("c3", "The new world order was discussed by Lavrov and Wang Yi in Beijing"),
    ("c4", "Drinking hot water cures the coronavirus"),
    ("c5", "Bill Gates wants to put microchips in vaccines"),
    ("c6", "The Eiffel Tower will be demolished next year"),
    ("c7", "A shark was photographed swimming on a flooded highway"),
    ("c8", "The US says Russia requested drones from China"),
]


@pytest.fixture(scope="module")
def index():
    return SimilarClaimIndex(CLAIMS)


def test_paraphrase_ranks_first(index):
    results = index.search("Did Moscow ask Beijing for military help in the Ukraine war?", k=3)
    assert results[0][0] == "c1"
    assert len(results) == 3


def test_tweet_noise_is_ignored(index):
    tweet = (
        "BREAKING: #BillGates wants to put #microchips in the vaccines!! "
        "pic.twitter.com/AbC123 https://t.co/xyz — Some One (@someone) March 3, 2020"
    )
    [(top, score)] = index.search(tweet, k=1)
    assert top == "c5"
    assert 0.5 < score <= 1.0


def test_scores_are_bounded_and_sorted(index):
    res = index.search("Eiffel Tower demolished", k=8)
    scores = [s for _, s in res]
    assert all(0.0 <= s <= 1.0 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert res[0][0] == "c6"
    # an exact restatement scores higher than an off-topic query's best match
    exact = index.search(CLAIMS[3][1], k=1)[0][1]
    off = index.search("quarterly earnings of a shoe company beat forecasts", k=1)[0][1]
    assert exact > 0.8 > off


def test_empty_index_and_small_k():
    assert SimilarClaimIndex([]).search("anything") == []
    assert len(SimilarClaimIndex(CLAIMS[:2]).search("Russia", k=5)) == 2


def test_normalisation():
    assert (
        normalize_text("#AustralianFires pic.twitter.com/x1 @JoeBiden")
        == "Australian Fires Joe Biden"
    )
    assert "http" not in normalize_text("see https://example.org/a?b=1 now")
    assert word_tokens("The cats are running") == ["cat", "runn"]


def test_bm25_baseline_ranks_exact_match():
    [[(top, score)]] = BM25Baseline(CLAIMS).search_many(["shark flooded highway"], k=1)
    assert top == "c7" and score > 0


@pytest.mark.django_db(databases=[])
def test_similar_eval_command(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    vpath = tmp_path / "vclaims.jsonl"
    with open(vpath, "w", encoding="utf-8") as fh:
        for cid, text in CLAIMS:
            fh.write(json.dumps({"vclaim_id": cid, "vclaim": text, "title": text[:20]}) + "\n")
    qpath = tmp_path / "queries.tsv"
    qpath.write_text(
        "q1\tRussia asked China for military aid, says the US pic.twitter.com/x\n"
        "q2\tBill Gates microchips vaccines\n"
        "q3\tnot in the qrels\n",
        encoding="utf-8",
    )
    rpath = tmp_path / "qrels.tsv"
    rpath.write_text("q1\t0\tc1\t1\nq2\t0\tc5\t1\n", encoding="utf-8")
    buf = StringIO()
    call_command(
        "similar_eval", vclaims=str(vpath), queries=str(qpath), qrels=str(rpath), stdout=buf,
        cache=str(tmp_path / "embeddings.npz"),
    )
    lines = buf.getvalue().splitlines()
    ours = [ln for ln in lines if ln.startswith("MAP@5: ")]
    bm25 = [ln for ln in lines if ln.startswith("BM25 MAP@5: ")]
    assert ours == ["MAP@5: 1.0000"]
    assert len(bm25) == 1 and 0.0 <= float(bm25[0].split(": ")[1]) <= 1.0

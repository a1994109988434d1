"""Hand-computed checks of the corroboration metrics (pure functions, no Django)."""

import pytest

from claims.corroboration.training.metrics import (
    average_precision_at_k,
    confusion_matrix,
    fnc_score,
    macro_f1,
    mean_average_precision_at_k,
    per_class_f1,
)


def test_fnc_score_hand_computed():
    gold = ["agree", "disagree", "discuss", "unrelated"]
    pred = ["agree", "discuss", "unrelated", "unrelated"]
    # best: 3 related * 1.0 + 1 unrelated * 0.25 = 3.25
    # got: agree exact 1.0; disagree->discuss related-only 0.25; discuss->unrelated 0;
    #      unrelated ok 0.25  => 1.5
    assert fnc_score(gold, pred) == pytest.approx(1.5 / 3.25)
    assert fnc_score(gold, gold) == 1.0


def test_fnc_score_all_unrelated_prediction():
    gold = ["unrelated", "unrelated", "agree"]
    pred = ["unrelated"] * 3
    assert fnc_score(gold, pred) == pytest.approx(0.5 / 1.5)


def test_confusion_matrix_and_f1():
    labels = ("a", "b")
    gold = ["a", "a", "b", "b", "b"]
    pred = ["a", "b", "b", "b", "a"]
    assert confusion_matrix(gold, pred, labels) == [[1, 1], [1, 2]]
    f1 = per_class_f1(gold, pred, labels)
    assert f1["a"] == pytest.approx(2 * 1 / (2 * 1 + 1 + 1))  # 0.5
    assert f1["b"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))  # 0.6667
    assert macro_f1(gold, pred, labels) == pytest.approx((0.5 + 4 / 6) / 2)


def test_macro_f1_counts_missing_class_as_zero():
    gold = ["agree", "disagree", "discuss", "unrelated"]
    pred = ["agree", "agree", "discuss", "unrelated"]
    # agree: tp1 fp1 fn0 -> 2/3; disagree 0; discuss 1; unrelated 1
    assert macro_f1(gold, pred) == pytest.approx((2 / 3 + 0 + 1 + 1) / 4)


def test_average_precision_and_map_at_k():
    assert average_precision_at_k(["x", "r"], {"r"}, 5) == 0.5
    assert average_precision_at_k(["a", "b", "c", "d", "e", "r"], {"r"}, 5) == 0.0
    # two relevant docs at ranks 1 and 3: (1/1 + 2/3) / 2
    assert average_precision_at_k(["r1", "x", "r2"], {"r1", "r2"}, 5) == pytest.approx(5 / 6)
    rankings = {"q1": ["d1", "d2"], "q2": ["d3", "d4", "d5"]}
    qrels = {"q1": {"d1"}, "q2": {"d5"}, "q3": {"d9"}}
    # q1 1.0, q2 1/3, q3 missing -> 0
    assert mean_average_precision_at_k(rankings, qrels, 5) == pytest.approx((1 + 1 / 3) / 3)

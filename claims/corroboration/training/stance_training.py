"""Training and evaluation of the stance model (``stance_train``, ``stance_eval``).

Data: FNC-1's training split (headline vs article body) and the Emergent training split in
FNC-1 format (claim headline vs article headline), read from paths the caller gives.

Validation is done the way users meet the model: on claims and articles it never saw.

* FNC-1 is split by *story*: headlines and bodies joined by a related pair form one connected
  component (one Emergent claim, give or take), and whole components go to train, calibration
  or test. A test pair's headline and body were both unseen in training, and so was its topic.
* Emergent is split by claim.

The calibration part is used only to fit each head's confidence map and to pick nothing else;
the test part only to report.
"""

from __future__ import annotations

import csv
import hashlib
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from claims.corroboration.core import text
from claims.corroboration.core.labels import MODEL_LABELS, PRODUCT_STANCE, ModelStance
from claims.corroboration.core.stance import (
    HEADS,
    Calibration,
    FeatureExtractor,
    LexicalVocabulary,
    Projection,
    StanceInput,
    StanceModel,
    decide,
    head_matrix,
)
from claims.corroboration.training import datasets, metrics
from claims.corroboration.training.embedding_cache import EmbeddingCache

PARTS = ("train", "calibration", "test")
PART_SHARES = (0.65, 0.15, 0.20)
#: Emergent rows are what coverage looks like (a headline, a lede): they count more.
EMERGENT_WEIGHT = 3.0
DISAGREE_WEIGHT = 3.0

PRACTICE_SET = Path(__file__).resolve().parent / "practice" / "multilingual.csv"


@dataclass
class LabelledPair:
    row: StanceInput
    label: str
    source: str  # "fnc" | "emergent" | "practice"
    part: str = "train"
    language: str = "en"


@dataclass
class Corpus:
    pairs: list[LabelledPair] = field(default_factory=list)
    files: dict[str, str] = field(default_factory=dict)  # name -> sha256

    def select(self, *, part: str | None = None, source: str | None = None) -> list[LabelledPair]:
        return [p for p in self.pairs
                if (part is None or p.part == part) and (source is None or p.source == source)]


def _assign(keys: Sequence[str], seed: int) -> dict[str, str]:
    """Each key to train / calibration / test, deterministically for a seed."""
    ordered = sorted(set(keys))
    random.Random(seed).shuffle(ordered)
    n = len(ordered)
    cut1 = round(n * PART_SHARES[0])
    cut2 = cut1 + round(n * PART_SHARES[1])
    return {k: ("train" if i < cut1 else "calibration" if i < cut2 else "test")
            for i, k in enumerate(ordered)}


def story_components(rows: Sequence[datasets.StanceRow]) -> dict[str, str]:
    """Node -> component id, nodes being ``h:<headline>`` and ``b:<body id>``; edges are the
    related pairs (a headline and a body about the same story)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for r in rows:
        h, b = find("h:" + r.headline), find("b:" + r.body_id)
        if r.stance != ModelStance.UNRELATED and h != b:
            parent[h] = b
    return {node: find(node) for node in list(parent)}


def fnc_story_split(rows: Sequence[datasets.StanceRow], seed: int) -> list[tuple[datasets.StanceRow, str]]:
    """Rows with their part; pairs whose headline and body fall in different parts are dropped."""
    component = story_components(rows)
    part_of = _assign(list(set(component.values())), seed)
    out = []
    for r in rows:
        ph = part_of[component["h:" + r.headline]]
        pb = part_of[component["b:" + r.body_id]]
        if ph == pb:
            out.append((r, ph))
    return out


def emergent_claim_split(rows: Sequence[datasets.StanceRow], seed: int) -> list[tuple[datasets.StanceRow, str]]:
    part_of = _assign([r.headline for r in rows], seed + 1)
    return [(r, part_of[r.headline]) for r in rows]


def read_practice(path: Path = PRACTICE_SET) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_corpus(*, fnc_dir: Path, emergent_dir: Path, seed: int, practice: Path | None = PRACTICE_SET,
                cache: EmbeddingCache, progress: Callable[[str], None] = print,
                embed: bool = True) -> Corpus:
    """Every labelled pair with its part and (``embed=True``) its embeddings."""
    corpus = Corpus()
    files = [fnc_dir / "train_stances.csv", fnc_dir / "train_bodies.csv",
             emergent_dir / "stances.csv", emergent_dir / "bodies.csv"]
    if practice:
        files.append(practice)
    corpus.files = {f"{p.parent.name}/{p.name}": datasets.sha256_file(p) for p in files}

    fnc_bodies = datasets.read_fnc_bodies(fnc_dir / "train_bodies.csv")
    fnc_rows = datasets.read_fnc_stances(fnc_dir / "train_stances.csv")
    corpus.pairs += [fnc_pair(r, fnc_bodies, part) for r, part in fnc_story_split(fnc_rows, seed)]
    em_bodies = datasets.read_fnc_bodies(emergent_dir / "bodies.csv")
    em_rows = datasets.read_fnc_stances(emergent_dir / "stances.csv")
    corpus.pairs += [emergent_pair(r, em_bodies, part)
                     for r, part in emergent_claim_split(em_rows, seed)]
    if practice:
        corpus.pairs += practice_pairs(practice)
    if embed:
        corpus.pairs = attach_embeddings(corpus.pairs, cache, progress)
    return corpus


def fnc_pair(row: datasets.StanceRow, bodies: dict[str, str], part: str) -> LabelledPair:
    """An FNC-1 pair: the headline is the claim, the article body the document (no title)."""
    body = text.normalize(bodies[row.body_id])[:4000]
    return LabelledPair(StanceInput(row.headline, "", body, "en", "en"), row.stance, "fnc", part)


def emergent_pair(row: datasets.StanceRow, bodies: dict[str, str], part: str) -> LabelledPair:
    """An Emergent pair: the claim headline against an article's headline (a title alone)."""
    return LabelledPair(StanceInput(row.headline, bodies[row.body_id].strip(), "", "en", "en"),
                        row.stance, "emergent", part)


def practice_pairs(path: Path = PRACTICE_SET) -> list[LabelledPair]:
    from sources.language import detect_language

    out = []
    for row in read_practice(path):
        claim_language = detect_language(row["claim"]) or "en"
        out.append(LabelledPair(
            StanceInput(row["claim"], row["title"], row["lede"], claim_language, row["language"]),
            _model_label(row["stance"]), "practice", "test", row["language"]))
    return out


def _model_label(product: str) -> str:
    return next(str(k) for k, v in PRODUCT_STANCE.items() if v == product)


def attach_embeddings(pairs: list[LabelledPair], cache: EmbeddingCache,
                      progress: Callable[[str], None]) -> list[LabelledPair]:
    claims = list(dict.fromkeys(p.row.claim for p in pairs))
    units_of = {}
    for p in pairs:
        key = (p.row.title, p.row.body)
        if key not in units_of:
            units_of[key] = text.lead_units(*key)
    all_units = list(dict.fromkeys(u for units in units_of.values() for u in units))
    progress(f"embedding: {len(claims)} claims, {len(all_units)} lead units (cached ones free)")
    q = dict(zip(claims, cache.queries(claims, progress), strict=True))
    v = dict(zip(all_units, cache.passages(all_units, progress), strict=True))
    out = []
    for p in pairs:
        units = units_of[(p.row.title, p.row.body)]
        U = np.stack([v[u] for u in units]) if units else np.zeros((0, q[p.row.claim].shape[0]))
        row = StanceInput(p.row.claim, p.row.title, p.row.body, p.row.claim_language,
                          p.row.document_language, q[p.row.claim], U.astype(np.float32))
        out.append(LabelledPair(row, p.label, p.source, p.part, p.language))
    return out


# --- training -----------------------------------------------------------------------------


@dataclass
class TrainingConfig:
    seed: int = 13
    emergent_weight: float = EMERGENT_WEIGHT
    disagree_weight: float = DISAGREE_WEIGHT
    relatedness_iter: int = 250
    stance_iter: int = 300

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def fit_extractor(train: Sequence[LabelledPair], seed: int) -> FeatureExtractor:
    texts = list(dict.fromkeys([p.row.claim for p in train] + [p.row.document for p in train]))
    vocabulary = LexicalVocabulary.fit(texts, seed=seed)
    embedded = [p.row for p in train if p.row.embedded]
    units = np.concatenate([r.unit_vectors for r in embedded]) if embedded else np.zeros((2, 384))
    products = (np.concatenate([r.unit_vectors * r.claim_vector for r in embedded])
                if embedded else np.zeros((2, 384)))
    rng = np.random.default_rng(seed)
    if len(units) > 20000:
        units = units[rng.choice(len(units), 20000, replace=False)]
        products = products[rng.choice(len(products), 20000, replace=False)]
    return FeatureExtractor(vocabulary, Projection.fit(units, seed=seed),
                            Projection.fit(products, seed=seed))


def _label_index(labels: Sequence[str]) -> np.ndarray:
    return np.array([MODEL_LABELS.index(ModelStance(lab)) for lab in labels])


def _replicate(weights: np.ndarray) -> np.ndarray:
    """Row indices repeated by their (rounded, at least one) integer weight.

    Weighting by repetition rather than ``sample_weight``: scikit-learn bins weighted data
    with a weighted percentile per bin edge, which is minutes per head at this size."""
    counts = np.maximum(np.rint(weights).astype(int), 1)
    return np.repeat(np.arange(len(weights)), counts)


def fit_head(X: np.ndarray, y: np.ndarray, weights: np.ndarray, config: TrainingConfig) -> dict:
    from sklearn.ensemble import HistGradientBoostingClassifier

    related = y != 3
    rows = _replicate(weights)
    relatedness = HistGradientBoostingClassifier(
        max_iter=config.relatedness_iter, learning_rate=0.1, max_leaf_nodes=31,
        l2_regularization=1.0, random_state=config.seed,
    ).fit(X[rows], related[rows].astype(int))
    idx = np.flatnonzero(related)
    y_st = y[idx]
    counts = np.bincount(y_st, minlength=3).astype(float)
    class_w = (counts.sum() / (3 * np.maximum(counts, 1))) ** 0.5
    class_w /= class_w.min()
    class_w[1] = max(class_w[1], config.disagree_weight)
    rows = idx[_replicate(weights[idx] * class_w[y_st])]
    stance = HistGradientBoostingClassifier(
        max_iter=config.stance_iter, learning_rate=0.06, max_leaf_nodes=31,
        l2_regularization=1.0, min_samples_leaf=20, random_state=config.seed,
    ).fit(X[rows], y[rows])
    return {"relatedness": relatedness, "stance": stance}


AGREE_WEIGHTS = (0.8, 1.0, 1.25, 1.5)
DISAGREE_WEIGHTS = (1.0, 1.5, 2.0, 3.0, 4.0, 6.0, 8.0)


def choose_class_weights(extractor, head: str, parts: dict, X_cal: np.ndarray,
                         y_cal: np.ndarray) -> tuple[float, float, float]:
    """Decision weights of agree/disagree (discuss fixed at 1) that maximise macro-F1 on the
    calibration part: a grid of 28 choices, never looking at the test part."""
    labels = [str(label) for label in MODEL_LABELS]
    gold = [labels[i] for i in y_cal]
    best, best_score = (1.0, 1.0, 1.0), -1.0
    for wa in AGREE_WEIGHTS:
        for wd in DISAGREE_WEIGHTS:
            weights = (wa, wd, 1.0)
            tmp = StanceModel(extractor, {head: {**parts, "class_weights": weights,
                                                 "calibration": Calibration([], [])}}, {})
            pred = [labels[i] for i in decide(tmp.head_probabilities(head, X_cal))]
            score = metrics.macro_f1(gold, pred)
            if score > best_score + 1e-9:
                best, best_score = weights, score
    return best


def features(model_or_extractor, pairs: Sequence[LabelledPair]) -> dict[str, np.ndarray]:
    extractor = getattr(model_or_extractor, "extractor", model_or_extractor)
    return extractor.transform([p.row for p in pairs])


def train(corpus: Corpus, config: TrainingConfig, progress: Callable[[str], None] = print
          ) -> tuple[StanceModel, dict]:
    """Fit the extractor and the three heads on the train part, calibrate each head on the
    calibration part. Returns the model and the calibration-part figures."""
    train_pairs = corpus.select(part="train")
    train_pairs = [p for p in train_pairs if p.source in ("fnc", "emergent")]
    cal_pairs = [p for p in corpus.select(part="calibration") if p.source in ("fnc", "emergent")]
    t0 = time.perf_counter()
    extractor = fit_extractor(train_pairs, config.seed)
    progress(f"extractor fitted in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    G_train = features(extractor, train_pairs)
    G_cal = features(extractor, cal_pairs)
    progress(f"features of {len(train_pairs) + len(cal_pairs)} pairs in {time.perf_counter() - t0:.0f}s")
    y = _label_index([p.label for p in train_pairs])
    y_cal = _label_index([p.label for p in cal_pairs])
    w = np.array([config.emergent_weight if p.source == "emergent" else 1.0 for p in train_pairs])
    heads = {}
    for head in HEADS:
        t0 = time.perf_counter()
        parts = fit_head(head_matrix(G_train, head), y, w, config)
        X_cal = head_matrix(G_cal, head)
        parts["class_weights"] = choose_class_weights(extractor, head, parts, X_cal, y_cal)
        tmp = StanceModel(extractor, {head: {**parts, "calibration": Calibration([], [])}}, {})
        probs = tmp.head_probabilities(head, X_cal)
        chosen = decide(probs)
        top = probs[np.arange(len(chosen)), chosen]
        parts["calibration"] = Calibration.fit(top, (chosen == y_cal).astype(float))
        heads[head] = parts
        progress(f"head {head}: trained and calibrated in {time.perf_counter() - t0:.0f}s")
    return StanceModel(extractor, heads, {}), {}


# --- evaluation ---------------------------------------------------------------------------


def reliability_table(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> list[dict]:
    edges = np.linspace(0, 1, bins + 1)
    table = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        mask = (confidence >= lo) & ((confidence < hi) if hi < 1 else (confidence <= hi))
        if mask.any():
            table.append({"bin": f"{lo:.1f}-{hi:.1f}", "pairs": int(mask.sum()),
                          "mean_confidence": round(float(confidence[mask].mean()), 3),
                          "accuracy": round(float(correct[mask].mean()), 3)})
    return table


def expected_calibration_error(table: list[dict], total: int) -> float:
    return sum(r["pairs"] * abs(r["mean_confidence"] - r["accuracy"]) for r in table) / max(total, 1)


def evaluate_pairs(model: StanceModel, pairs: Sequence[LabelledPair], *, head: str | None = None) -> dict:
    """Scores of the model (each pair through the head its availability chooses, or ``head``)."""
    if not pairs:
        return {"pairs": 0}
    if head is None:
        predictions = model.predict([p.row for p in pairs])
        probs = np.array([[pr.probabilities[str(lab)] for lab in MODEL_LABELS] for pr in predictions])
        pred = [str(pr.label) for pr in predictions]
        confidence = np.array([pr.confidence for pr in predictions])
    else:
        groups = features(model, pairs)
        probs = model.head_probabilities(head, head_matrix(groups, head))
        idx = decide(probs)
        pred = [str(MODEL_LABELS[i]) for i in idx]
        top = probs[np.arange(len(idx)), idx]
        confidence = model.heads[head]["calibration"](top)
    gold = [p.label for p in pairs]
    correct = np.array([g == p for g, p in zip(gold, pred, strict=True)], dtype=float)
    onehot = np.zeros_like(probs)
    onehot[np.arange(len(gold)), _label_index(gold)] = 1.0
    table = reliability_table(confidence, correct)
    labels = [str(lab) for lab in MODEL_LABELS]
    return {
        "pairs": len(pairs),
        "fnc_score": round(metrics.fnc_score(gold, pred), 4),
        "macro_f1": round(metrics.macro_f1(gold, pred), 4),
        "accuracy": round(float(correct.mean()), 4),
        "per_class_f1": {k: round(v, 4) for k, v in metrics.per_class_f1(gold, pred).items()},
        "confusion": metrics.confusion_matrix(gold, pred, labels),
        "brier_multiclass": round(float(((probs - onehot) ** 2).sum(axis=1).mean()), 4),
        "brier_confidence": round(float(((confidence - correct) ** 2).mean()), 4),
        "ece": round(expected_calibration_error(table, len(pairs)), 4),
        "reliability": table,
    }


def related_only(pairs: Sequence[LabelledPair]) -> list[LabelledPair]:
    return [p for p in pairs if p.label != ModelStance.UNRELATED]


def evaluate_corpus(model: StanceModel, corpus: Corpus, part: str = "test") -> dict:
    fnc = corpus.select(part=part, source="fnc")
    emergent = corpus.select(part=part, source="emergent")
    practice = corpus.select(source="practice")
    report = {
        "fnc": evaluate_pairs(model, fnc),
        "fnc_by_head": {h: evaluate_pairs(model, fnc, head=h) for h in HEADS},
        "emergent": evaluate_pairs(model, emergent),
        "emergent_by_head": {h: evaluate_pairs(model, emergent, head=h) for h in HEADS},
    }
    if practice:
        by_language = {}
        for language in sorted({p.language for p in practice}):
            subset = [p for p in practice if p.language == language]
            by_language[language] = evaluate_pairs(model, subset)
        report["practice"] = evaluate_pairs(model, practice)
        report["practice_by_language"] = by_language
    return report


def data_fingerprint(corpus: Corpus) -> str:
    return hashlib.sha256("".join(sorted(corpus.files.values())).encode()).hexdigest()[:16]

"""Training and evaluation of the stance model (``stance_train``, ``stance_eval``).

Data: FNC-1's training split (headline vs article body) and the Emergent training split in
FNC-1 format (claim headline vs article headline), read from paths the caller gives.

Three disjoint parts, defined once (:data:`SPLIT_DEFINITION`) before any tuning, seeded:

* ``train``: fits the vocabularies and the networks;
* ``validation``: early stopping, the temperature, the decision offsets and the confidence map;
* ``report``: touched once, at the end, for the figures reported (never tuned on).

FNC-1 is split the way users meet the model: **by story**. A story is a connected group of
headlines and bodies linked by related pairs (agree, disagree, discuss): bodies that share a
headline, and headlines that share a body, are one story (FNC-1's training data holds 191).
Every story goes to a part by a seeded hash; a pair is kept in a part only when its
headline's story and its body's story both fall in it, so no report pair's headline, body or
story (through any other headline or body) was seen in training. Emergent is split by claim;
an Emergent article headline that is also an FNC-1 headline takes its story with it. The
practice set in other languages is report-only (written before training, never tuned on).
"""

from __future__ import annotations

import csv
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from claims.corroboration.core import text
from claims.corroboration.core.labels import MODEL_LABELS, PRODUCT_STANCE, ModelStance
from claims.corroboration.core.stance import (
    HEADS,
    SVD_DIMS,
    TERMS,
    Calibration,
    FeatureExtractor,
    Head,
    LexicalVocabulary,
    Network,
    StanceInput,
    StanceModel,
    decide,
    head_inputs,
    softmax,
)
from claims.corroboration.training import datasets, metrics
from claims.corroboration.training.embedding_cache import EmbeddingCache
from claims.corroboration.training.splits import (  # noqa: F401 - the split's names, re-exported
    PART_SHARES,
    PARTS,
    SPLIT_DEFINITION,
    emergent_claim_split,
    fnc_split,
    fnc_stories,
    part_of,
    split_rows,
)

#: Unigrams and bigrams of the lexical group's vocabulary (its cosines and SVD).
LEXICAL_TERMS = 10000
#: Emergent rows are what coverage looks like (a headline, a lede): they count more.
EMERGENT_WEIGHT = 3.0

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
    split_checksums: dict[str, str] = field(default_factory=dict)

    def select(self, *, part: str | None = None, source: str | None = None) -> list[LabelledPair]:
        return [p for p in self.pairs
                if (part is None or p.part == part) and (source is None or p.source == source)]

    def counts(self) -> dict[str, int]:
        return {f"{s}/{p}": len(self.select(part=p, source=s))
                for s in ("fnc", "emergent") for p in PARTS}


def _checksum(keys) -> str:
    return hashlib.sha256("\n".join(sorted(keys)).encode()).hexdigest()[:16]


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

    em_bodies = datasets.read_fnc_bodies(emergent_dir / "bodies.csv")
    em_rows = datasets.read_fnc_stances(emergent_dir / "stances.csv")
    fnc_bodies = datasets.read_fnc_bodies(fnc_dir / "train_bodies.csv")
    fnc_rows = datasets.read_fnc_stances(fnc_dir / "train_stances.csv")
    fnc, em_split = split_rows(fnc_rows, em_rows, em_bodies, seed)
    corpus.pairs += [fnc_pair(r, fnc_bodies, part) for r, part in fnc]
    corpus.pairs += [emergent_pair(r, em_bodies, part) for r, part in em_split]
    for part in PARTS:
        corpus.split_checksums[f"fnc/{part}"] = _checksum(
            f"{r.headline}\t{r.body_id}" for r, p in fnc if p == part)
        corpus.split_checksums[f"emergent/{part}"] = _checksum(
            f"{r.headline}\t{r.body_id}" for r, p in em_split if p == part)
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
            _model_label(row["stance"]), "practice", "report", row["language"]))
    return out


def _model_label(product: str) -> str:
    return next(str(k) for k, v in PRODUCT_STANCE.items() if v == product)


def attach_embeddings(pairs: list[LabelledPair], cache: EmbeddingCache,
                      progress: Callable[[str], None]) -> list[LabelledPair]:
    """The claim's ``query:`` vector and the document's lead passage vector, as the
    embedding worker computes them (``text.lead_passage``)."""
    claims = list(dict.fromkeys(p.row.claim for p in pairs))
    passage_of = {}
    for p in pairs:
        key = (p.row.title, p.row.body)
        if key not in passage_of:
            passage_of[key] = text.lead_passage(*key) or "-"
    passages = list(dict.fromkeys(passage_of.values()))
    progress(f"embedding: {len(claims)} claims, {len(passages)} passages (cached ones free)")
    q = dict(zip(claims, cache.queries(claims, progress), strict=True))
    v = dict(zip(passages, cache.passages(passages, progress), strict=True))
    out = []
    for p in pairs:
        vector = v[passage_of[(p.row.title, p.row.body)]][None, :].astype(np.float32)
        row = StanceInput(p.row.claim, p.row.title, p.row.body, p.row.claim_language,
                          p.row.document_language, q[p.row.claim], vector)
        out.append(LabelledPair(row, p.label, p.source, p.part, p.language))
    return out


# --- fitting the extractor ------------------------------------------------------------------


def fit_vocabulary(texts: Sequence[str], *, max_terms: int, svd_dims: int, seed: int,
                   bigrams: bool = True) -> LexicalVocabulary:
    """Terms seen in at least two texts and at most half of them, most frequent first; IDF;
    and (``svd_dims``) a truncated SVD of the training TF-IDF matrix."""
    from sklearn.decomposition import TruncatedSVD

    df: dict[str, int] = {}
    for doc in texts:
        tokens = text.content_tokens(doc)
        grams = LexicalVocabulary.grams(tokens) if bigrams else tokens
        for gram in set(grams):
            df[gram] = df.get(gram, 0) + 1
    n = len(texts)
    small = n < 200
    kept = [(g, c) for g, c in df.items() if (small or (2 <= c <= 0.5 * n))]
    kept.sort(key=lambda item: (-item[1], item[0]))
    terms = sorted(g for g, _ in kept[:max_terms])
    counts = np.array([df[t] for t in terms], dtype=np.float64)
    idf = (np.log((1 + n) / (1 + counts)) + 1).astype(np.float32)
    vocabulary = LexicalVocabulary(terms, idf, np.zeros((0, len(terms)), dtype=np.float32))
    if svd_dims and len(terms) > 2:
        matrix = vocabulary.transform(texts)
        dims = max(1, min(svd_dims, matrix.shape[1] - 1, matrix.shape[0] - 1))
        svd = TruncatedSVD(dims, random_state=seed, algorithm="randomized").fit(matrix)
        vocabulary.components = svd.components_.astype(np.float32)
    return vocabulary


def fit_extractor(train: Sequence[LabelledPair], seed: int) -> FeatureExtractor:
    english = [p for p in train if p.row.english]
    texts = list(dict.fromkeys([p.row.claim for p in english] + [p.row.document for p in english]))
    return FeatureExtractor(
        fit_vocabulary(texts, max_terms=LEXICAL_TERMS, svd_dims=SVD_DIMS, seed=seed),
        fit_vocabulary(texts, max_terms=TERMS, svd_dims=0, seed=seed, bigrams=False),
    )


def features(model_or_extractor, pairs: Sequence[LabelledPair]) -> dict:
    extractor = getattr(model_or_extractor, "extractor", model_or_extractor)
    return extractor.transform([p.row for p in pairs])


def _label_index(labels: Sequence[str]) -> np.ndarray:
    return np.array([MODEL_LABELS.index(ModelStance(lab)) for lab in labels], dtype=np.int64)


# --- the network's training (numpy, Adam) ---------------------------------------------------


@dataclass
class TrainingConfig:
    seed: int = 13
    hidden: int = 128
    epochs: int = 40
    patience: int = 6
    batch: int = 256
    learning_rate: float = 1e-3
    weight_decay: float = 1e-4
    dropout: float = 0.5
    input_dropout: float = 0.1
    emergent_weight: float = EMERGENT_WEIGHT
    #: Loss weight of each class: (n / (4 n_class)) ** class_power, disagree at least this.
    class_power: float = 0.5
    disagree_weight: float = 3.0
    #: Networks per head (seeds seed, seed+1, ...), logits averaged.
    ensemble: int = 1

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def _class_weights(y: np.ndarray, config: TrainingConfig) -> np.ndarray:
    counts = np.bincount(y, minlength=4).astype(float)
    w = (counts.sum() / (4 * np.maximum(counts, 1))) ** config.class_power
    w /= w[3] if w[3] else 1.0
    w[1] = max(w[1], config.disagree_weight)
    return w


@dataclass
class _Split:
    sparse: sp.csr_matrix | None
    dense: np.ndarray
    y: np.ndarray
    weight: np.ndarray


def train_network(train: _Split, valid: _Split, score: Callable[[np.ndarray], float],
                  config: TrainingConfig, progress: Callable[[str], None] = print) -> Network:
    """Weighted cross-entropy, Adam, dropout, early stopping on ``score`` of the validation
    probabilities (best epoch kept)."""
    rng = np.random.default_rng(config.seed)
    n, d_dense = train.dense.shape
    d_sparse = train.sparse.shape[1] if train.sparse is not None else 0
    mean = np.nanmean(train.dense, axis=0)
    mean = np.nan_to_num(mean).astype(np.float32)
    scale = np.nanstd(train.dense, axis=0)
    scale = np.where(np.isfinite(scale) & (scale > 1e-6), scale, 1.0).astype(np.float32)
    h = config.hidden
    net = Network(
        # Sparse rows are L2-normalised TF-IDF (norm 1 per text): a fixed 0.1 scale.
        w_sparse=(rng.standard_normal((d_sparse, h)) * 0.1).astype(np.float32),
        w_dense=(rng.standard_normal((d_dense, h)) * np.sqrt(2.0 / max(d_dense, 1))).astype(np.float32),
        b_hidden=np.zeros(h, np.float32),
        w_out=(rng.standard_normal((h, 4)) * np.sqrt(1.0 / h)).astype(np.float32),
        b_out=np.zeros(4, np.float32),
        mean=mean, scale=scale,
    )
    Xd = net.standardise(train.dense)
    Xs = train.sparse
    params = ["w_sparse", "w_dense", "b_hidden", "w_out", "b_out"]
    m = {p: np.zeros_like(getattr(net, p)) for p in params}
    v = {p: np.zeros_like(getattr(net, p)) for p in params}
    step = 0
    b1, b2, eps = 0.9, 0.999, 1e-8
    best, best_score, stale = None, -np.inf, 0
    onehot = np.eye(4, dtype=np.float32)
    for epoch in range(config.epochs):
        order = rng.permutation(n)
        for start in range(0, n, config.batch):
            idx = order[start:start + config.batch]
            xd = Xd[idx]
            if config.input_dropout:
                xd = xd * (rng.random(xd.shape) >= config.input_dropout) / (1 - config.input_dropout)
            pre = xd @ net.w_dense + net.b_hidden
            xs = Xs[idx] if Xs is not None else None
            if xs is not None:
                pre = pre + np.asarray(xs @ net.w_sparse)
            mask = (rng.random(pre.shape) >= config.dropout) / (1 - config.dropout)
            hid = np.maximum(pre, 0) * mask
            p = softmax(hid @ net.w_out + net.b_out)
            sw = train.weight[idx]
            g_logits = (p - onehot[train.y[idx]]) * (sw / sw.sum())[:, None]
            grads = {"w_out": hid.T @ g_logits, "b_out": g_logits.sum(axis=0)}
            g_hid = (g_logits @ net.w_out.T) * (pre > 0) * mask
            grads["b_hidden"] = g_hid.sum(axis=0)
            grads["w_dense"] = xd.T @ g_hid
            grads["w_sparse"] = (np.asarray(xs.T @ g_hid) if xs is not None
                                 else np.zeros_like(net.w_sparse))
            step += 1
            for name in params:
                g = grads[name].astype(np.float32)
                if name.startswith("w_"):
                    g = g + config.weight_decay * getattr(net, name)
                m[name] = b1 * m[name] + (1 - b1) * g
                v[name] = b2 * v[name] + (1 - b2) * g * g
                mhat = m[name] / (1 - b1**step)
                vhat = v[name] / (1 - b2**step)
                setattr(net, name, getattr(net, name)
                        - config.learning_rate * mhat / (np.sqrt(vhat) + eps))
        probs = softmax(net.logits(valid.sparse, valid.dense))
        current = score(probs)
        if current > best_score + 1e-4:
            best_score, stale = current, 0
            best = {name: getattr(net, name).copy() for name in params}
        else:
            stale += 1
        progress(f"  epoch {epoch + 1}: validation score {current:.4f}")
        if stale >= config.patience:
            break
    for name, value in (best or {}).items():
        setattr(net, name, value)
    return net


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The temperature minimising validation log-loss (a grid: robust, and enough)."""
    grid = np.exp(np.linspace(np.log(0.4), np.log(4.0), 61))
    losses = [-np.log(np.maximum(softmax(logits / t)[np.arange(len(y)), y], 1e-12)).mean()
              for t in grid]
    return float(grid[int(np.argmin(losses))])


OFFSET_GRID = {
    "agree": np.linspace(-0.5, 1.0, 7),
    "disagree": np.linspace(0.0, 3.0, 13),
    "unrelated": np.linspace(-1.0, 1.0, 9),
}


def choose_offsets(probs: np.ndarray, score: Callable[[np.ndarray], float]) -> np.ndarray:
    """Decision offsets (agree, disagree, unrelated; discuss fixed at 0) maximising ``score``
    of the validation decisions."""
    best, best_score = np.zeros(4), -np.inf
    for a in OFFSET_GRID["agree"]:
        for d in OFFSET_GRID["disagree"]:
            for u in OFFSET_GRID["unrelated"]:
                offsets = np.array([a, d, 0.0, u])
                s = score(decide(probs, offsets))
                if s > best_score + 1e-9:
                    best, best_score = offsets, s
    return best


def fit_calibration(scores: np.ndarray, correct: np.ndarray) -> Calibration:
    from sklearn.isotonic import IsotonicRegression

    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip").fit(scores, correct)
    return Calibration(iso.X_thresholds_, iso.y_thresholds_)


def validation_objective(fnc_y: np.ndarray, em_y: np.ndarray, n_fnc: int) -> Callable:
    """What validation maximises, from label predictions of (FNC-1 rows, then Emergent rows):
    FNC score + macro-F1 on FNC-1 (the second rewards disagree) + accuracy on Emergent."""
    labels = [str(lab) for lab in MODEL_LABELS]
    gold_fnc = [labels[i] for i in fnc_y]

    def score(pred: np.ndarray) -> float:
        pf = [labels[i] for i in pred[:n_fnc]]
        total = metrics.fnc_score(gold_fnc, pf) + metrics.macro_f1(gold_fnc, pf) if n_fnc else 0.0
        if len(em_y):
            total += float((pred[n_fnc:] == em_y).mean())
        return total

    return score


def train(corpus: Corpus, config: TrainingConfig, progress: Callable[[str], None] = print
          ) -> tuple[StanceModel, dict]:
    """Fit the extractor and the three heads on the train part; early stopping, temperature,
    offsets and confidence maps on the validation part. The report part is not read."""
    sources = ("fnc", "emergent")
    train_pairs = [p for p in corpus.select(part="train") if p.source in sources]
    valid_pairs = (corpus.select(part="validation", source="fnc")
                   + corpus.select(part="validation", source="emergent"))
    n_fnc_valid = len(corpus.select(part="validation", source="fnc"))
    t0 = time.perf_counter()
    extractor = fit_extractor(train_pairs, config.seed)
    progress(f"extractor fitted in {time.perf_counter() - t0:.0f}s")
    t0 = time.perf_counter()
    G_train = features(extractor, train_pairs)
    G_valid = features(extractor, valid_pairs)
    progress(f"features of {len(train_pairs) + len(valid_pairs)} pairs in "
             f"{time.perf_counter() - t0:.0f}s")
    y = _label_index([p.label for p in train_pairs])
    y_valid = _label_index([p.label for p in valid_pairs])
    class_w = _class_weights(y, config)
    w = class_w[y] * np.array([config.emergent_weight if p.source == "emergent" else 1.0
                               for p in train_pairs])
    label_score = validation_objective(y_valid[:n_fnc_valid], y_valid[n_fnc_valid:], n_fnc_valid)
    heads, summary = {}, {}
    for name in HEADS:
        t0 = time.perf_counter()
        progress(f"head {name}:")
        xs, xd = head_inputs(G_train, name)
        vs, vd = head_inputs(G_valid, name)
        networks = [
            train_network(_Split(xs, xd, y, w), _Split(vs, vd, y_valid, np.ones(len(y_valid))),
                          lambda probs: label_score(np.argmax(probs, axis=1)),
                          replace(config, seed=config.seed + k), progress)
            for k in range(config.ensemble)
        ]
        logits = np.mean([net.logits(vs, vd) for net in networks], axis=0)
        temperature = fit_temperature(logits, y_valid)
        probs = softmax(logits / temperature)
        offsets = choose_offsets(probs, label_score)
        chosen = decide(probs, offsets)
        top = probs[np.arange(len(chosen)), chosen]
        calibration = fit_calibration(top, (chosen == y_valid).astype(float))
        heads[name] = Head(networks, temperature, offsets, calibration)
        summary[name] = {"temperature": round(temperature, 3),
                         "offsets": [round(float(o), 3) for o in offsets],
                         "validation_score": round(label_score(chosen), 4)}
        progress(f"head {name}: temperature {temperature:.2f}, offsets "
                 f"{np.round(offsets, 2).tolist()}, validation score "
                 f"{label_score(chosen):.4f} ({time.perf_counter() - t0:.0f}s)")
    return StanceModel(extractor, heads, {}), summary


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
        probs = model.head_probabilities(head, groups)
        idx = model.heads[head].decide(probs)
        pred = [str(MODEL_LABELS[i]) for i in idx]
        top = probs[np.arange(len(idx)), idx]
        confidence = model.heads[head].calibration(top)
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
        # Over the classes the data has (Emergent and the practice set have no "unrelated":
        # saying it there is simply wrong, and counted so in accuracy).
        "per_class_f1": {k: round(v, 4) for k, v in metrics.per_class_f1(gold, pred).items()
                         if k in set(gold)},
        "confusion": metrics.confusion_matrix(gold, pred, labels),
        "brier_multiclass": round(float(((probs - onehot) ** 2).sum(axis=1).mean()), 4),
        "brier_confidence": round(float(((confidence - correct) ** 2).mean()), 4),
        "ece": round(expected_calibration_error(table, len(pairs)), 4),
        "reliability": table,
    }


def related_only(pairs: Sequence[LabelledPair]) -> list[LabelledPair]:
    return [p for p in pairs if p.label != ModelStance.UNRELATED]


def evaluate_corpus(model: StanceModel, corpus: Corpus, part: str = "report", *,
                    practice: bool = True) -> dict:
    fnc = corpus.select(part=part, source="fnc")
    emergent = corpus.select(part=part, source="emergent")
    practice = corpus.select(source="practice") if practice else []
    report = {
        "fnc": evaluate_pairs(model, fnc),
        "fnc_by_head": {h: evaluate_pairs(model, fnc, head=h) for h in model.heads},
        "emergent": evaluate_pairs(model, emergent),
        "emergent_by_head": {h: evaluate_pairs(model, emergent, head=h) for h in model.heads},
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


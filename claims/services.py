"""Writes to claims. Each transition is one function that locks the row, checks the
move and the actor's role, saves with ``update_fields`` and logs an ActivityEvent.

Nothing outside this module assigns ``Claim.status``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.postgres.search import SearchVector
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, TextField, Value

from claims.activity import activity_record
from claims.models import (
    Claim,
    ClaimantKind,
    ClaimStatus,
    Priority,
    Tag,
)
from claims.permissions import can_review_claims, require_editor

# The workflow: which moves exist, and who may make them.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    ClaimStatus.NEW: {ClaimStatus.TRIAGED, ClaimStatus.REJECTED, ClaimStatus.DUPLICATE},
    ClaimStatus.TRIAGED: {
        ClaimStatus.RESEARCHING,
        ClaimStatus.NEW,
        ClaimStatus.REJECTED,
        ClaimStatus.DUPLICATE,
    },
    ClaimStatus.RESEARCHING: {
        ClaimStatus.IN_REVIEW,
        ClaimStatus.TRIAGED,
        ClaimStatus.REJECTED,
        ClaimStatus.DUPLICATE,
    },
    ClaimStatus.IN_REVIEW: {
        ClaimStatus.PUBLISHED,
        ClaimStatus.RESEARCHING,
        ClaimStatus.REJECTED,
        ClaimStatus.DUPLICATE,
    },
    # A published claim is corrected through a new reviewed verdict version.
    ClaimStatus.PUBLISHED: {ClaimStatus.IN_REVIEW},
    ClaimStatus.REJECTED: {ClaimStatus.NEW},
    ClaimStatus.DUPLICATE: set(),
}
REVIEWER_ONLY_TARGETS = {ClaimStatus.PUBLISHED}


class TransitionNotAllowed(ValidationError):
    pass


class StaleEdit(ValidationError):
    """Someone else saved the claim since this form was loaded."""

    def __init__(self, claim: Claim):
        self.current = claim
        super().__init__(
            "Someone else changed this claim while you were editing it. "
            "Review the current values below and save again."
        )


def _check_transition(*, actor, claim: Claim, to_status: str) -> None:
    require_editor(actor)
    if to_status in REVIEWER_ONLY_TARGETS and not can_review_claims(actor):
        raise PermissionDenied("Only reviewers can publish a claim.")
    if to_status not in ALLOWED_TRANSITIONS.get(claim.status, set()):
        raise TransitionNotAllowed(
            f"A claim that is {claim.get_status_display().lower()} cannot move to "
            f"{ClaimStatus(to_status).label.lower()}."
        )


def _lock(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def _move(*, actor, claim_id: int, to_status: str, verb: str, extra_fields=(), **details) -> Claim:
    """Shared body of the named transitions below. Call inside transaction.atomic."""
    claim = _lock(claim_id)
    _check_transition(actor=actor, claim=claim, to_status=to_status)
    from_status = claim.status
    claim.status = to_status
    claim.revision = F("revision") + 1
    claim.save(update_fields=["status", "revision", "updated_at", *extra_fields])
    claim.refresh_from_db()
    activity_record(
        actor=actor, verb=verb, claim=claim, from_status=from_status, to_status=to_status, **details
    )
    return claim


@transaction.atomic
def claim_triage(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.TRIAGED, verb="triaged")


@transaction.atomic
def claim_start_research(*, actor, claim_id: int) -> Claim:
    return _move(
        actor=actor, claim_id=claim_id, to_status=ClaimStatus.RESEARCHING, verb="started research"
    )


@transaction.atomic
def claim_return_to(*, actor, claim_id: int, to_status: str, reason: str = "") -> Claim:
    """Step back in the workflow (e.g. triaged → new, in review → researching)."""
    return _move(actor=actor, claim_id=claim_id, to_status=to_status, verb="moved back", reason=reason)


@transaction.atomic
def claim_submit_for_review(*, actor, claim_id: int) -> Claim:
    return _move(
        actor=actor, claim_id=claim_id, to_status=ClaimStatus.IN_REVIEW, verb="submitted for review"
    )


@transaction.atomic
def claim_publish(*, actor, claim_id: int, version_id: int) -> Claim:
    """Publish a claim as part of approving its verdict (claims.reviewing's verdict_approve).

    The two-person rule holds here too, not only in the verdict service: there must be a
    submitted verdict version for this claim, written by someone other than the publisher.
    """
    from claims.models import VerdictState, VerdictVersion

    version = (
        VerdictVersion.objects.filter(pk=version_id, claim_id=claim_id)
        .only("state", "author_id")
        .first()
    )
    if version is None or version.state != VerdictState.SUBMITTED:
        raise ValidationError(
            "A claim is published by approving its submitted verdict on the Verdict tab."
        )
    if version.author_id == getattr(actor, "pk", None):
        raise PermissionDenied("You wrote this verdict, so another reviewer must approve it.")
    return _move(
        actor=actor,
        claim_id=claim_id,
        to_status=ClaimStatus.PUBLISHED,
        verb="published",
        version=version_id,
    )


@transaction.atomic
def claim_reject(*, actor, claim_id: int, reason: str) -> Claim:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the claim is not check-worthy.")
    claim = _lock(claim_id)
    _check_transition(actor=actor, claim=claim, to_status=ClaimStatus.REJECTED)
    claim.rejection_reason = reason
    claim.save(update_fields=["rejection_reason"])
    return _move(
        actor=actor,
        claim_id=claim_id,
        to_status=ClaimStatus.REJECTED,
        verb="rejected",
        reason=reason,
    )


@transaction.atomic
def claim_reopen(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.NEW, verb="reopened")


def claim_refresh_search(*, claim_id: int) -> None:
    """Rebuild the claim's full-text document from its text, claimant, notes and quotes.

    Weights: the claim and claimant rank above evidence quotes, which rank above notes.
    """
    from claims.models import Evidence, Note

    quotes = " ".join(Evidence.objects.filter(claim_id=claim_id).values_list("quote", flat=True))
    notes = " ".join(Note.objects.filter(claim_id=claim_id).values_list("body", flat=True))
    Claim.objects.filter(pk=claim_id).update(
        search_vector=SearchVector("text", weight="A", config="english")
        + SearchVector("claimant", weight="A", config="english")
        + SearchVector(Value(quotes, output_field=TextField()), weight="B", config="english")
        + SearchVector(Value(notes, output_field=TextField()), weight="C", config="english")
    )


def _tags_from_names(names: Iterable[str]) -> list[Tag]:
    cleaned = sorted({n.strip().lower()[:60] for n in names if n and n.strip()})
    return [Tag.objects.get_or_create(name=name)[0] for name in cleaned]


@transaction.atomic
def claim_create(
    *,
    actor,
    text: str,
    claimant: str,
    claimant_kind: str = ClaimantKind.PERSON,
    said_url: str = "",
    said_where: str = "",
    said_on: date | None = None,
    priority: int = Priority.NORMAL,
    tags: Iterable[str] = (),
) -> Claim:
    require_editor(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError("A claim needs its text.")
    claim = Claim.objects.create(
        text=text,
        claimant=(claimant or "").strip(),
        claimant_kind=claimant_kind,
        said_url=said_url,
        said_where=said_where,
        said_on=said_on,
        priority=priority,
        created_by=actor,
    )
    tag_objects = _tags_from_names(tags)
    if tag_objects:
        claim.tags.set(tag_objects)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb="logged", claim=claim, text=text[:200])
    return claim


@transaction.atomic
def claim_assign(*, actor, claim_id: int, assignee) -> Claim:
    require_editor(actor)
    claim = _lock(claim_id)
    if assignee is not None and not assignee.has_perm("claims.change_claim"):
        raise ValidationError(f"{assignee.get_username()} is not an editor and cannot be assigned.")
    previous = claim.assignee.get_username() if claim.assignee else None
    claim.assignee = assignee
    claim.revision = F("revision") + 1
    claim.save(update_fields=["assignee", "revision", "updated_at"])
    claim.refresh_from_db()
    activity_record(
        actor=actor,
        verb="assigned" if assignee else "unassigned",
        claim=claim,
        assignee=assignee.get_username() if assignee else None,
        previous=previous,
    )
    return claim



class DuplicateEvidence(ValidationError):
    pass


@transaction.atomic
def evidence_add(
    *,
    actor,
    claim_id: int,
    source,
    stance: str,
    speaker: str = "",
    speaker_is_party: bool = False,
    quote: str = "",
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
):
    """Attach a source to a claim with a stance. Refuses an exact duplicate."""
    from claims.models import Evidence, Stance

    require_editor(actor)
    claim = _lock(claim_id)
    if stance not in Stance.values:
        raise ValidationError(f"Unknown stance {stance!r}.")
    speaker = (speaker or "").strip()
    if Evidence.objects.filter(claim=claim, source=source, speaker=speaker).exists():
        raise DuplicateEvidence("This source is already attached to the claim for that speaker.")
    evidence = Evidence.objects.create(
        claim=claim,
        source=source,
        stance=stance,
        speaker=speaker,
        speaker_is_party=speaker_is_party,
        quote=(quote or "").strip(),
        note=(note or "").strip(),
        stated_on=stated_on,
        stated_where=(stated_where or "").strip(),
        added_by=actor,
    )
    claim_refresh_search(claim_id=claim.pk)
    verb = "recorded a denial" if evidence.stance == Stance.DENIES and speaker_is_party else "added evidence"
    activity_record(
        actor=actor,
        verb=verb,
        claim=claim,
        evidence_id=evidence.pk,
        stance=stance,
        speaker=speaker,
        source=str(source)[:200],
    )
    return evidence


# --- The desk: editing, bulk moves, duplicates, sources and notes ------------------------

# Fields an editor may change through the "Edit claim" form (status moves have their own functions).
EDITABLE_FIELDS = {"text", "claimant", "claimant_kind", "said_url", "said_where", "said_on", "priority"}


@transaction.atomic
def claim_create_once(*, actor, **fields) -> tuple[Claim, bool]:
    """claim_create, guarded against double submission.

    Guard: an identical claim (same text and claimant) logged by the same user within the last
    minute is returned instead of creating a second one. A transaction-scoped advisory lock keyed
    on the user serialises two near-simultaneous submissions (a double click), so the second one
    sees the first. Chosen over a one-time form token because it also catches a resubmission
    from a second tab or after the back button.
    """
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    require_editor(actor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [7301, actor.pk])
    recent = (
        Claim.objects.filter(
            created_by=actor,
            text=(fields.get("text") or "").strip(),
            claimant=(fields.get("claimant") or "").strip(),
            created_at__gte=timezone.now() - timedelta(minutes=1),
        )
        .order_by("-created_at")
        .first()
    )
    if recent is not None:
        return recent, False
    return claim_create(actor=actor, **fields), True


@transaction.atomic
def claim_update(*, actor, claim_id: int, expected_revision: int, **fields) -> Claim:
    """Edit a claim's details. Refuses with StaleEdit when someone saved it since the editor
    loaded the form (``expected_revision`` is the revision the form was rendered with).

    ``fields`` may hold any of EDITABLE_FIELDS plus ``tags`` (an iterable of names).
    """
    require_editor(actor)
    unknown = set(fields) - EDITABLE_FIELDS - {"tags"}
    if unknown:
        raise ValidationError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    claim = _lock(claim_id)
    if claim.revision != expected_revision:
        raise StaleEdit(claim)
    if "text" in fields:
        fields["text"] = (fields["text"] or "").strip()
        if not fields["text"]:
            raise ValidationError("A claim needs its text.")
    changed = []
    for name, value in fields.items():
        if name == "tags":
            continue
        if isinstance(value, str) and name != "text":
            value = value.strip()
        if getattr(claim, name) != value:
            setattr(claim, name, value)
            changed.append(name)
    if "tags" in fields:
        new_tags = _tags_from_names(fields["tags"])
        if {t.pk for t in new_tags} != set(claim.tags.values_list("pk", flat=True)):
            claim.tags.set(new_tags)
            changed.append("tags")
    if not changed:
        return claim
    claim.revision = F("revision") + 1
    claim.save(update_fields=[*[c for c in changed if c != "tags"], "revision", "updated_at"])
    claim.refresh_from_db()
    if {"text", "claimant"} & set(changed):
        claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb="edited", claim=claim, fields=changed)
    return claim


@transaction.atomic
def claim_set_priority(*, actor, claim_id: int, priority: int) -> Claim:
    require_editor(actor)
    if priority not in Priority.values:
        raise ValidationError(f"Unknown priority {priority!r}.")
    claim = _lock(claim_id)
    if claim.priority == priority:
        return claim
    previous = claim.priority
    claim.priority = priority
    claim.revision = F("revision") + 1
    claim.save(update_fields=["priority", "revision", "updated_at"])
    claim.refresh_from_db()
    activity_record(
        actor=actor, verb="changed priority", claim=claim, priority=priority, previous=previous
    )
    return claim


def claim_change_status(*, actor, claim_id: int, to_status: str, reason: str = "") -> Claim:
    """Move a claim to ``to_status`` through the named transition for that move.

    The single entry point for the claim page's buttons and the queue's bulk action. Duplicate
    is not reachable here: it needs the original (see claim_mark_duplicate).
    """
    current = Claim.objects.only("status").get(pk=claim_id).status
    forward = {
        (ClaimStatus.NEW, ClaimStatus.TRIAGED): claim_triage,
        (ClaimStatus.TRIAGED, ClaimStatus.RESEARCHING): claim_start_research,
        (ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW): claim_submit_for_review,
        (ClaimStatus.PUBLISHED, ClaimStatus.IN_REVIEW): claim_submit_for_review,
        (ClaimStatus.REJECTED, ClaimStatus.NEW): claim_reopen,
    }
    if to_status == ClaimStatus.DUPLICATE:
        raise ValidationError("Mark a duplicate from the claim page: it needs the original claim.")
    if to_status == ClaimStatus.PUBLISHED and current == ClaimStatus.IN_REVIEW:
        if not can_review_claims(actor):
            raise PermissionDenied("Only reviewers can publish a claim.")
        raise ValidationError(
            "Publish by approving the verdict on the Verdict tab: a second person must review it."
        )
    if to_status == ClaimStatus.REJECTED:
        return claim_reject(actor=actor, claim_id=claim_id, reason=reason)
    move = forward.get((current, to_status))
    if move is not None:
        return move(actor=actor, claim_id=claim_id)
    # Anything else is a step back (or not allowed, which _check_transition explains).
    return claim_return_to(actor=actor, claim_id=claim_id, to_status=to_status, reason=reason)


@transaction.atomic
def claim_mark_duplicate(*, actor, claim_id: int, original_id: int) -> Claim:
    """Fold a claim into the one it repeats: evidence and activity move to the original, the
    claim becomes a duplicate pointing at it. Evidence the original already has (same source and
    speaker) stays with the duplicate rather than breaking the unique constraint."""
    from claims.models import ActivityEvent, Evidence, Note

    require_editor(actor)
    if int(claim_id) == int(original_id):
        raise ValidationError("A claim cannot be a duplicate of itself.")
    # Lock both rows in id order so two opposite merges cannot deadlock.
    locked = {
        c.pk: c
        for c in Claim.objects.select_for_update().filter(pk__in=[claim_id, original_id]).order_by("pk")
    }
    claim, original = locked.get(int(claim_id)), locked.get(int(original_id))
    if original is None:
        raise ValidationError(f"There is no claim #{original_id}.")
    if original.status == ClaimStatus.DUPLICATE:
        raise ValidationError(
            f"Claim #{original.pk} is itself a duplicate (of #{original.duplicate_of_id}); "
            "choose the original claim."
        )
    _check_transition(actor=actor, claim=claim, to_status=ClaimStatus.DUPLICATE)
    taken = set(Evidence.objects.filter(claim=original).values_list("source_id", "speaker"))
    movable = [
        e.pk
        for e in Evidence.objects.filter(claim=claim).only("pk", "source_id", "speaker")
        if (e.source_id, e.speaker) not in taken
    ]
    moved_evidence = Evidence.objects.filter(pk__in=movable).update(claim=original)
    moved_activity = ActivityEvent.objects.filter(claim=claim).update(claim=original)
    Note.objects.filter(claim=claim).update(claim=original)
    from_status = claim.status
    claim.status = ClaimStatus.DUPLICATE
    claim.duplicate_of = original
    claim.revision = F("revision") + 1
    claim.save(update_fields=["status", "duplicate_of", "revision", "updated_at"])
    claim.refresh_from_db()
    original.revision = F("revision") + 1
    original.save(update_fields=["revision", "updated_at"])
    claim_refresh_search(claim_id=original.pk)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(
        actor=actor, verb="marked duplicate", claim=claim, from_status=from_status,
        to_status=ClaimStatus.DUPLICATE, original_id=original.pk,
    )
    activity_record(
        actor=actor, verb="merged a duplicate", claim=original, duplicate_id=claim.pk,
        moved_evidence=moved_evidence, moved_activity=moved_activity,
        kept_on_duplicate=Evidence.objects.filter(claim=claim).count(),
    )
    return claim


@transaction.atomic
def evidence_attach_url(
    *,
    actor,
    claim_id: int,
    url: str,
    stance: str,
    speaker: str = "",
    speaker_is_party: bool = False,
    quote: str = "",
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
):
    """Cite a web page: find or create its Source, attach it, and archive it after commit.

    Raises ValidationError for a bad URL and DuplicateEvidence ("Already attached: …") when the
    claim already cites that page for that speaker.
    """
    from claims.models import Evidence
    from sources.services import source_archive_later, source_for_url

    require_editor(actor)
    source, _created = source_for_url(url=url)
    if Evidence.objects.filter(claim_id=claim_id, source=source, speaker=(speaker or "").strip()).exists():
        raise DuplicateEvidence(f"Already attached: {source.title or source.url}")
    evidence = evidence_add(
        actor=actor, claim_id=claim_id, source=source, stance=stance, speaker=speaker,
        speaker_is_party=speaker_is_party, quote=quote, note=note, stated_on=stated_on,
        stated_where=stated_where,
    )
    if source.fetch_status == source.FetchStatus.PENDING:
        source_archive_later(source_id=source.pk)  # recorded now, queued on commit
    return evidence


def _outlet_for_name(name: str):
    """An outlet typed by name on the manual-source form. Outlets are keyed by domain; one known
    only by name gets a placeholder domain under the reserved ``.invalid`` TLD (RFC 2606), so it
    can never collide with a real site."""
    from django.utils.text import slugify

    from sources.models import Outlet

    name = name.strip()[:200]
    existing = Outlet.objects.filter(name__iexact=name).first()
    if existing:
        return existing
    domain = f"{slugify(name)[:200] or 'outlet'}.invalid"
    return Outlet.objects.get_or_create(domain=domain, defaults={"name": name})[0]


@transaction.atomic
def evidence_add_manual(
    *,
    actor,
    claim_id: int,
    kind: str,
    title: str,
    stance: str,
    outlet=None,
    outlet_name: str = "",
    description: str = "",
    published_on: date | None = None,
    speaker: str = "",
    speaker_is_party: bool = False,
    quote: str = "",
    note: str = "",
    stated_on: date | None = None,
    stated_where: str = "",
):
    """Cite a statement that has no URL (press conference, phone call, document)."""
    from datetime import datetime, time

    from django.utils import timezone

    from sources.models import Source

    require_editor(actor)
    if kind not in Source.Kind.values:
        raise ValidationError(f"Unknown kind of source {kind!r}.")
    title = (title or "").strip()
    description = (description or "").strip()
    if not title and not description:
        raise ValidationError("Give the source a title or a description.")
    if outlet is None and outlet_name.strip():
        outlet = _outlet_for_name(outlet_name)
    published_at = (
        timezone.make_aware(datetime.combine(published_on, time(12))) if published_on else None
    )
    source = Source.objects.create(
        kind=kind, title=title[:500], outlet=outlet, description=description,
        published_at=published_at, fetch_status=Source.FetchStatus.NOT_APPLICABLE,
    )
    return evidence_add(
        actor=actor, claim_id=claim_id, source=source, stance=stance, speaker=speaker,
        speaker_is_party=speaker_is_party, quote=quote, note=note, stated_on=stated_on,
        stated_where=stated_where,
    )


@transaction.atomic
def note_add(*, actor, claim_id: int, body: str):
    from claims.models import Note

    require_editor(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError("A note cannot be empty.")
    claim = _lock(claim_id)
    note = Note.objects.create(claim=claim, author=actor, body=body)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb="added a note", claim=claim, note_id=note.pk)
    return note

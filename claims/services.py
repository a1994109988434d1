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
    OPEN_STATUSES,
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
def claim_publish(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.PUBLISHED, verb="published")


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


def claim_is_open(claim: Claim) -> bool:
    return claim.status in OPEN_STATUSES


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

"""Writes for verdicts: drafting, submitting, and the two-person review.

The two-person rule lives here, for everyone (superusers included): the author of a
version can never approve it or request changes on it. The database repeats the rule as a
check constraint. Claim status moves only through claims.services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from claims import services as claim_services
from claims.activity import activity_record
from claims.models import (
    ActivityVerb,
    Claim,
    ClaimStatus,
    CorrectionChange,
    Evidence,
    Rating,
    Review,
    Stance,
    VerdictState,
    VerdictVersion,
)
from claims.models.verdicts import ReviewDecision
from claims.permissions import require_editor, require_reviewer
from claims.reviewing import notifications

# While researching, a first verdict is drafted; once published, a correction is.
DRAFTABLE_CLAIM_STATUSES = {ClaimStatus.RESEARCHING, ClaimStatus.PUBLISHED}


class StaleVerdict(ValidationError):
    """The verdict moved on (a new version, a review) since the form was loaded."""

    def __init__(self):
        super().__init__(
            "The verdict changed while you were editing it (someone submitted or reviewed a "
            "version). Your text is kept below: review the current verdict and save again."
        )


def _lock_claim(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def _lock_version(version_id: int) -> tuple[Claim, VerdictVersion]:
    """Lock the claim, then the version (always in that order, so two reviews cannot deadlock)."""
    claim_id = VerdictVersion.objects.values_list("claim_id", flat=True).get(pk=version_id)
    claim = _lock_claim(claim_id)
    version = VerdictVersion.objects.select_for_update().get(pk=version_id)
    return claim, version


def _latest(claim: Claim) -> VerdictVersion | None:
    return VerdictVersion.objects.filter(claim=claim).order_by("-number").first()


def _has_published_verdict(claim: Claim) -> bool:
    return claim.verdict_versions.filter(state=VerdictState.APPROVED).exists()


@transaction.atomic
def verdict_save_draft(
    *,
    actor,
    claim_id: int,
    rating: Rating,
    headline: str,
    summary_md: str,
    reasoning: str = "",
    cited_evidence_ids: Iterable[int] = (),
    denial_waiver_reason: str = "",
    correction_note: str = "",
    based_on_id: int | None = None,
    claim_values: dict | None = None,
    evidence_values: dict | None = None,
) -> VerdictVersion:
    """Create or update the claim's draft verdict.

    If the latest version is the actor's draft, it is updated. Otherwise a new draft is made
    (number + 1), and ``based_on_id`` must name the latest version the form was built from,
    so a review that landed meanwhile is not silently overwritten.

    Once the claim has been published, a draft is a correction, and it may also propose new
    values for the claim's public fields (``claim_values``: {field: value}) and for what the
    public page shows of its evidence (``evidence_values``: {evidence id: {field: value}}).
    Only the fields that differ from what is published are kept, as CorrectionChange rows;
    they are applied when a second person approves the version.
    """
    require_editor(actor)
    claim = _lock_claim(claim_id)
    latest = _latest(claim)
    if latest and latest.state == VerdictState.SUBMITTED:
        raise ValidationError(
            f"Version {latest.number} is awaiting review and cannot be changed. "
            "Wait for the reviewer's decision."
        )
    if claim.status not in DRAFTABLE_CLAIM_STATUSES:
        raise ValidationError(
            f"A verdict is drafted while the claim is being researched, or as a correction once "
            f"it is published. This claim is {claim.get_status_display().lower()}."
        )
    if latest and latest.state == VerdictState.DRAFT and latest.author_id != actor.pk:
        raise PermissionDenied(
            f"This draft was written by {latest.author.get_username()}; only its author can edit it."
        )
    editing_own_draft = latest is not None and latest.state == VerdictState.DRAFT
    if not editing_own_draft and (latest.pk if latest else None) != based_on_id:
        raise StaleVerdict()

    headline = " ".join((headline or "").split())
    summary_md = (summary_md or "").strip()
    errors = []
    if rating is None:
        errors.append("Choose a rating.")
    elif rating.is_retired and not (editing_own_draft and latest.rating_id == rating.pk):
        errors.append(f"The rating “{rating.label}” is retired; choose another.")
    if not headline:
        errors.append("Write a one-line headline.")
    if not summary_md:
        errors.append("Write a summary.")
    wanted_ids = {int(pk) for pk in cited_evidence_ids}
    cited = list(Evidence.objects.active().filter(claim=claim, pk__in=wanted_ids))
    if len(cited) != len(wanted_ids):
        errors.append("Some cited evidence is not attached to this claim any more.")
    proposed = []
    if claim_values or evidence_values:
        proposed = claim_services.correction_changes_for(
            claim=claim, claim_values=claim_values or {}, evidence_values=evidence_values or {}
        )
        if proposed and claim.published_at is None:
            errors.append(
                "This claim is not published yet: change its details on the claim page instead."
            )
    if errors:
        raise ValidationError(errors)

    fields = {
        "rating": rating,
        "headline": headline[:300],
        "summary_md": summary_md,
        "reasoning": (reasoning or "").strip(),
        "denial_waiver_reason": (denial_waiver_reason or "").strip(),
        "correction_note": (correction_note or "").strip(),
    }
    if editing_own_draft:
        version = VerdictVersion.objects.select_for_update().get(pk=latest.pk)
        for name, value in fields.items():
            setattr(version, name, value)
        version.save(update_fields=list(fields))
        verb = ActivityVerb.VERDICT_DRAFT_EDITED
    else:
        version = VerdictVersion.objects.create(
            claim=claim, number=(latest.number + 1) if latest else 1, author=actor, **fields
        )
        verb = ActivityVerb.VERDICT_DRAFTED
    version.cited_evidence.set(cited)
    version.changes.all().delete()
    for change in proposed:
        change.version = version
    CorrectionChange.objects.bulk_create(proposed)
    activity_record(
        actor=actor, verb=verb, claim=claim, version=version.number,
        proposed_changes=len(proposed),
    )
    return version


@dataclass
class VerdictSaved:
    """What ``verdict_save`` did: the draft it saved, and whether it was submitted (when
    asked to) or why not."""

    version: VerdictVersion
    submit_requested: bool
    submitted: bool = False
    submit_problems: list[str] = field(default_factory=list)


def verdict_save(*, actor, claim_id: int, submit: bool = False, **draft) -> VerdictSaved:
    """The Verdict tab's one action: save the draft (``verdict_save_draft``), then, when
    ``submit``, send it for review. The draft is saved in its own transaction, so a
    submission that is refused (its problems are returned) keeps the draft."""
    version = verdict_save_draft(actor=actor, claim_id=claim_id, **draft)
    saved = VerdictSaved(version=version, submit_requested=submit)
    if submit:
        try:
            saved.version = verdict_submit(actor=actor, version_id=version.pk)
        except ValidationError as error:
            saved.submit_problems = list(error.messages)
        else:
            saved.submitted = True
    return saved


def verdict_problems(version: VerdictVersion, *, claim: Claim | None = None) -> list[str]:
    """What stops this version from being submitted; empty when it is ready."""
    claim = claim or version.claim
    problems = []
    cited = list(version.cited_evidence.all())
    if not cited:
        problems.append("Cite at least one evidence item.")
    has_refutation = any(e.stance == Stance.DENIES for e in cited)
    if not has_refutation and not version.denial_waiver_reason.strip():
        problems.append(
            "Cite at least one denial or refutation, or explain in the waiver why none is cited."
        )
    if version.rating.is_retired:
        problems.append(f"The rating “{version.rating.label}” is retired; choose another.")
    if _has_published_verdict(claim) and not version.correction_note.strip():
        problems.append(
            "This verdict corrects a published fact-check: add a correction note saying what "
            "changed and why."
        )
    problems += claim_services.correction_problems(claim=claim, changes=list(version.changes.all()))
    return problems


@transaction.atomic
def verdict_submit(*, actor, version_id: int) -> VerdictVersion:
    """Freeze a draft and send it for review. A first verdict moves the claim to in review;
    a correction leaves the published claim as it is until the correction is approved."""
    require_editor(actor)
    claim, version = _lock_version(version_id)
    if version.state != VerdictState.DRAFT:
        raise ValidationError(
            f"Version {version.number} is already {version.get_state_display().lower()}; "
            "only a draft can be submitted."
        )
    if version.author_id != actor.pk:
        raise PermissionDenied("Only the author of a draft can submit it.")
    problems = verdict_problems(version, claim=claim)
    if problems:
        raise ValidationError(problems)
    is_correction = claim.status == ClaimStatus.PUBLISHED
    if claim.status == ClaimStatus.RESEARCHING:
        claim_services.claim_submit_for_review(actor=actor, claim_id=claim.pk)
    elif not is_correction:
        raise ValidationError(
            f"A claim that is {claim.get_status_display().lower()} cannot be sent for review."
        )
    version.state = VerdictState.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["state", "submitted_at"])
    activity_record(
        actor=actor,
        verb=ActivityVerb.CORRECTION_SUBMITTED if is_correction else ActivityVerb.VERDICT_SUBMITTED,
        claim=claim,
        version=version.number,
    )
    notifications.notify_awaiting_review(version)
    return version


def _check_reviewable(*, actor, version: VerdictVersion, action: str) -> None:
    require_reviewer(actor)
    if version.state != VerdictState.SUBMITTED:
        raise ValidationError(
            f"Version {version.number} is {version.get_state_display().lower()}; only a version "
            f"awaiting review can be {action}."
        )
    if version.author_id == actor.pk:
        raise PermissionDenied(
            f"You wrote version {version.number}, so another reviewer must review it "
            "(two-person rule)."
        )


def _unique_slug(claim: Claim) -> str:
    base = slugify(claim.text)[:100].strip("-") or "claim"
    if not Claim.objects.filter(slug=base).exclude(pk=claim.pk).exists():
        return base
    return f"{base[:90].strip('-')}-{claim.pk}"


@transaction.atomic
def verdict_approve(*, actor, version_id: int, comments: str = "") -> VerdictVersion:
    """Approve a submitted version: it becomes the published verdict, the previous approved
    version is superseded, and a first publication gives the claim its public slug."""
    claim, version = _lock_version(version_id)
    _check_reviewable(actor=actor, version=version, action="approved")
    now = timezone.now()
    republished = claim.status == ClaimStatus.IN_REVIEW
    if claim.status == ClaimStatus.IN_REVIEW:
        claim_services.claim_publish(actor=actor, claim_id=claim.pk, version_id=version.pk)
    elif claim.status != ClaimStatus.PUBLISHED:
        raise ValidationError(
            f"A claim that is {claim.get_status_display().lower()} cannot be published."
        )
    is_correction = VerdictVersion.objects.filter(claim=claim, state=VerdictState.APPROVED).exists()
    # The correction's changes to the claim and its evidence: applied now, or not at all.
    claim_services.claim_apply_correction(actor=actor, claim_id=claim.pk, version_id=version.pk)
    VerdictVersion.objects.filter(claim=claim, state=VerdictState.APPROVED).update(
        state=VerdictState.SUPERSEDED
    )
    version.state = VerdictState.APPROVED
    version.reviewed_by = actor
    version.reviewed_at = now
    version.published_at = now
    version.save(update_fields=["state", "reviewed_by", "reviewed_at", "published_at"])
    Review.objects.create(
        version=version, reviewer=actor, decision=ReviewDecision.APPROVE,
        comments=(comments or "").strip(),
    )
    if not claim.slug:
        Claim.objects.filter(pk=claim.pk).update(slug=_unique_slug(claim), published_at=now)
    activity_record(
        actor=actor,
        verb=ActivityVerb.CORRECTION_APPROVED if is_correction else ActivityVerb.VERDICT_APPROVED,
        claim=claim,
        version=version.number,
        # A correction that brings a claim taken down back to the public pages (webhooks
        # send claim.published for it).
        **({"republished": True} if is_correction and republished else {}),
    )
    notifications.notify_author_of_review(version, decision=ReviewDecision.APPROVE)
    return version


@transaction.atomic
def verdict_request_changes(*, actor, version_id: int, comments: str) -> VerdictVersion:
    """Send a submitted version back with comments. A first verdict returns the claim to
    researching; a correction leaves the published verdict in place."""
    comments = (comments or "").strip()
    claim, version = _lock_version(version_id)
    _check_reviewable(actor=actor, version=version, action="sent back")
    if not comments:
        raise ValidationError("Say what needs to change, so the author can revise it.")
    if claim.status == ClaimStatus.IN_REVIEW:
        claim_services.claim_return_to(
            actor=actor, claim_id=claim.pk, to_status=ClaimStatus.RESEARCHING,
            reason=f"Changes requested on verdict v{version.number}",
            told_otherwise=[version.author_id],
        )
    version.state = VerdictState.CHANGES_REQUESTED
    version.reviewed_by = actor
    version.reviewed_at = timezone.now()
    version.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    Review.objects.create(
        version=version, reviewer=actor, decision=ReviewDecision.REQUEST_CHANGES, comments=comments
    )
    activity_record(
        actor=actor, verb=ActivityVerb.CHANGES_REQUESTED, claim=claim, version=version.number
    )
    notifications.notify_author_of_review(version, decision=ReviewDecision.REQUEST_CHANGES)
    return version

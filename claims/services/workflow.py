"""The claim workflow: which moves exist, who may make them, one function per move.

Each transition locks the row, checks the move and the actor's role, saves with
``update_fields`` and logs an ActivityEvent. Nothing outside this module (and
``duplicates``, which folds a claim into its original) assigns ``Claim.status``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F

from claims.activity import activity_record
from claims.discussion.notify import notify_status_changed
from claims.models import ActivityVerb, Claim, ClaimStatus
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


def check_transition(*, actor, claim: Claim, to_status: str) -> None:
    require_editor(actor)
    if to_status in REVIEWER_ONLY_TARGETS and not can_review_claims(actor):
        raise PermissionDenied("Only reviewers can publish a claim.")
    if to_status not in ALLOWED_TRANSITIONS.get(claim.status, set()):
        raise TransitionNotAllowed(
            f"A claim that is {claim.get_status_display().lower()} cannot move to "
            f"{ClaimStatus(to_status).label.lower()}."
        )


def lock_claim(claim_id: int) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim_id)


def _move(
    *, actor, claim_id: int, to_status: str, verb: ActivityVerb, extra_fields=(),
    told_otherwise: Iterable[int] = (), **details
) -> Claim:
    """Shared body of the named transitions below. Call inside transaction.atomic. The
    claim's watchers hear of the move, except the users ``told_otherwise`` (by id: a
    verdict's author hears "approved" or "changes requested" instead)."""
    claim = lock_claim(claim_id)
    check_transition(actor=actor, claim=claim, to_status=to_status)
    from_status = claim.status
    claim.status = to_status
    claim.revision = F("revision") + 1
    claim.save(update_fields=["status", "revision", "updated_at", *extra_fields])
    claim.refresh_from_db()
    activity_record(
        actor=actor, verb=verb, claim=claim, from_status=from_status, to_status=to_status, **details
    )
    notify_status_changed(claim, actor=actor, to_status=to_status, skip=told_otherwise)
    return claim


@transaction.atomic
def claim_triage(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.TRIAGED, verb=ActivityVerb.TRIAGED)


@transaction.atomic
def claim_start_research(*, actor, claim_id: int) -> Claim:
    return _move(
        actor=actor, claim_id=claim_id, to_status=ClaimStatus.RESEARCHING, verb=ActivityVerb.STARTED_RESEARCH
    )


# The steps back a claim can take (claim_return_to). Publishing is never one of them.
BACKWARD_STEPS: dict[str, set[str]] = {
    ClaimStatus.TRIAGED: {ClaimStatus.NEW},
    ClaimStatus.RESEARCHING: {ClaimStatus.TRIAGED},
    ClaimStatus.IN_REVIEW: {ClaimStatus.RESEARCHING},
}


@transaction.atomic
def claim_return_to(*, actor, claim_id: int, to_status: str, reason: str = "",
                    told_otherwise: Iterable[int] = ()) -> Claim:
    """Step back in the workflow (e.g. triaged → new, in review → researching)."""
    claim = lock_claim(claim_id)
    if to_status not in BACKWARD_STEPS.get(claim.status, set()):
        check_transition(actor=actor, claim=claim, to_status=to_status)  # explains most moves
        raise TransitionNotAllowed(
            f"Moving a claim that is {claim.get_status_display().lower()} to "
            f"{ClaimStatus(to_status).label.lower()} is not a step back."
        )
    return _move(actor=actor, claim_id=claim_id, to_status=to_status, verb=ActivityVerb.MOVED_BACK,
                 reason=reason, told_otherwise=told_otherwise)


@transaction.atomic
def claim_submit_for_review(*, actor, claim_id: int) -> Claim:
    return _move(
        actor=actor, claim_id=claim_id, to_status=ClaimStatus.IN_REVIEW, verb=ActivityVerb.SUBMITTED_FOR_REVIEW
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
        verb=ActivityVerb.PUBLISHED,
        version=version_id,
        told_otherwise=[version.author_id],
    )


@transaction.atomic
def claim_reject(*, actor, claim_id: int, reason: str) -> Claim:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the claim is not check-worthy.")
    claim = lock_claim(claim_id)
    check_transition(actor=actor, claim=claim, to_status=ClaimStatus.REJECTED)
    claim.rejection_reason = reason
    claim.save(update_fields=["rejection_reason"])
    return _move(
        actor=actor,
        claim_id=claim_id,
        to_status=ClaimStatus.REJECTED,
        verb=ActivityVerb.REJECTED,
        reason=reason,
    )


@transaction.atomic
def claim_reopen(*, actor, claim_id: int) -> Claim:
    return _move(actor=actor, claim_id=claim_id, to_status=ClaimStatus.NEW, verb=ActivityVerb.REOPENED)


@transaction.atomic
def claim_change_status(*, actor, claim_id: int, to_status: str, reason: str = "") -> Claim:
    """Move a claim to ``to_status`` through the named transition for that move.

    The single entry point for the claim page's buttons and the queue's bulk action. The
    current status is read under the row lock, so the move is chosen from the status the
    claim really has: a claim taken down by someone else a moment ago is not "moved back"
    onto the public pages. Duplicate is not reachable here: it needs the original (see
    claim_mark_duplicate).
    """
    current = lock_claim(claim_id).status
    forward: dict[tuple[str, str], Callable[..., Claim]] = {
        (ClaimStatus.NEW, ClaimStatus.TRIAGED): claim_triage,
        (ClaimStatus.TRIAGED, ClaimStatus.RESEARCHING): claim_start_research,
        (ClaimStatus.RESEARCHING, ClaimStatus.IN_REVIEW): claim_submit_for_review,
        (ClaimStatus.PUBLISHED, ClaimStatus.IN_REVIEW): claim_submit_for_review,
        (ClaimStatus.REJECTED, ClaimStatus.NEW): claim_reopen,
    }
    if to_status == ClaimStatus.DUPLICATE:
        raise ValidationError("Mark a duplicate from the claim page: it needs the original claim.")
    if to_status == ClaimStatus.PUBLISHED:
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
    # Anything else is a step back (or not allowed, which claim_return_to explains).
    return claim_return_to(actor=actor, claim_id=claim_id, to_status=to_status, reason=reason)


@dataclass
class BulkOutcome:
    """What a bulk action did: how many claims changed, and each refusal in words."""

    updated: int = 0
    refused: list[str] = field(default_factory=list)


BULK_ACTIONS = ("assign", "priority", "status")


def claims_bulk_apply(
    *, actor, claim_ids: list[int], action: str, assignee=None, priority: int | None = None,
    to_status: str = "", reason: str = "",
) -> BulkOutcome:
    """Apply one action to each claim in turn, through the same services as the single
    actions (each in its own transaction, so one refusal never undoes the others), and say
    what was refused and why."""
    from claims.services.editing import claim_assign, claim_set_priority

    if action not in BULK_ACTIONS:
        raise ValidationError(f"Unknown bulk action {action!r}.")
    names = dict(Claim.objects.filter(pk__in=claim_ids).values_list("pk", "text"))
    outcome = BulkOutcome()
    for claim_id in claim_ids:
        text = names.get(claim_id)
        if text is None:
            outcome.refused.append(f"claim #{claim_id} does not exist")
            continue
        try:
            if action == "assign":
                claim_assign(actor=actor, claim_id=claim_id, assignee=assignee)
            elif action == "priority":
                claim_set_priority(actor=actor, claim_id=claim_id, priority=priority)
            else:
                claim_change_status(actor=actor, claim_id=claim_id, to_status=to_status, reason=reason)
            outcome.updated += 1
        except (ValidationError, PermissionDenied) as error:
            outcome.refused.append(f"'{text[:60]}' {_bulk_reason(error)}")
    return outcome


def _bulk_reason(error: ValidationError | PermissionDenied) -> str:
    text = " ".join(error.messages) if isinstance(error, ValidationError) else (
        str(error) or "You are not allowed to do that."
    )
    # "A claim that is new cannot move to in review." reads better after the claim's name.
    prefix = "A claim that is "
    return text[len(prefix):].replace(" cannot", " — cannot", 1) if text.startswith(prefix) else f"— {text}"

"""Logging and editing claims: their words, claimant, tags, priority and assignee.

A published claim's public fields (``PUBLIC_FIELDS``) change only through a reviewed
correction (``claims.services.corrections``); ``claim_frozen_reason`` says why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from claims.activity import activity_record, field_changes
from claims.corroboration.embedding import claim_embed_later
from claims.discussion.notify import notify_assigned, watch
from claims.models import ActivityVerb, Claim, ClaimantKind, ClaimStatus, Priority, Tag
from claims.models.verdicts import CLAIM_CORRECTABLE_FIELDS
from claims.permissions import require_editor
from claims.services.search import claim_refresh_search
from claims.services.workflow import lock_claim

# What reaches the public page and the ClaimReview markup. Once a claim is published these
# change only through a reviewed correction (claims.reviewing: a correction version).
PUBLIC_FIELDS = CLAIM_CORRECTABLE_FIELDS
# Desk-only details, editable at any time (tags are never shown publicly).
DESK_FIELDS = ("priority",)
# Fields an editor may change through the "Edit claim" form (status moves have their own functions).
EDITABLE_FIELDS = {*PUBLIC_FIELDS, *DESK_FIELDS}


class StaleEdit(ValidationError):
    """Someone else saved the claim since this form was loaded."""

    def __init__(self, claim: Claim):
        self.current = claim
        super().__init__(
            "Someone else changed this claim while you were editing it. "
            "Review the current values below and save again."
        )


class ClaimFrozen(ValidationError):
    """A change to a published claim's public fields outside a reviewed correction."""


def claim_frozen_reason(claim: Claim) -> str:
    """Why the claim's public fields cannot be edited directly, or "" when they can."""
    if claim.published_at is not None:
        return (
            "This claim has been published, so its wording, claimant and where and when it was "
            "said are frozen. They change only through a correction that a second person "
            "reviews: propose one on the Verdict tab."
        )
    if claim.status == ClaimStatus.IN_REVIEW:
        return (
            "This claim's verdict is awaiting review, and the reviewer is checking it against "
            "these words, so they are locked. Move the claim back to researching to change them."
        )
    return ""


def validate_said_url(value: str) -> str:
    """Where a claim was said must be a web address (http or https) when given."""
    from sources.validators import validate_web_url

    value = (value or "").strip()
    if value:
        validate_web_url(value)
    return value


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
    loaded the form (``expected_revision`` is the revision the form was rendered with), and
    with ClaimFrozen when a published (or in-review) claim's public fields would change:
    nothing is saved then, not even the other fields.

    ``fields`` may hold any of EDITABLE_FIELDS plus ``tags`` (an iterable of names). The
    activity row records the old and new value of every changed field.
    """
    require_editor(actor)
    unknown = set(fields) - EDITABLE_FIELDS - {"tags"}
    if unknown:
        raise ValidationError(f"These fields cannot be edited here: {', '.join(sorted(unknown))}.")
    claim = lock_claim(claim_id)
    if claim.revision != expected_revision:
        raise StaleEdit(claim)
    if "text" in fields:
        fields["text"] = (fields["text"] or "").strip()
        if not fields["text"]:
            raise ValidationError("A claim needs its text.")
    if "said_url" in fields:
        fields["said_url"] = validate_said_url(fields["said_url"])
    wanted = {}
    for name, value in fields.items():
        if name == "tags":
            continue
        if isinstance(value, str) and name != "text":
            value = value.strip()
        wanted[name] = value
    before = {name: getattr(claim, name) for name in wanted}
    new_tags = None
    if "tags" in fields:
        new_tags = _tags_from_names(fields["tags"])
        before["tags"] = sorted(claim.tags.values_list("name", flat=True))
        wanted["tags"] = sorted(t.name for t in new_tags)
    changes = field_changes(before, wanted)
    if not changes:
        return claim
    frozen = sorted(set(changes) & set(PUBLIC_FIELDS))
    reason = claim_frozen_reason(claim)
    if frozen and reason:
        raise ClaimFrozen(reason)
    for name in changes:
        if name != "tags":
            setattr(claim, name, wanted[name])
    if "tags" in changes:
        claim.tags.set(new_tags or [])
    claim.revision = F("revision") + 1
    claim.save(update_fields=[*[c for c in changes if c != "tags"], "revision", "updated_at"])
    claim.refresh_from_db()
    if "text" in changes:
        # The old vector and language describe the old text: the embedding queue redoes both.
        Claim.objects.filter(pk=claim.pk).update(embedding=None, language="")
        claim_embed_later(claim_id=claim.pk)
    if {"text", "claimant"} & set(changes):
        claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb=ActivityVerb.EDITED, claim=claim, fields=list(changes), changes=changes)
    return claim


@transaction.atomic
def claim_set_priority(*, actor, claim_id: int, priority: int | None) -> Claim:
    require_editor(actor)
    if priority not in Priority.values:
        raise ValidationError(f"Unknown priority {priority!r}.")
    claim = lock_claim(claim_id)
    if claim.priority == priority:
        return claim
    previous = claim.priority
    claim.priority = priority
    claim.revision = F("revision") + 1
    claim.save(update_fields=["priority", "revision", "updated_at"])
    claim.refresh_from_db()
    activity_record(
        actor=actor, verb=ActivityVerb.PRIORITY_CHANGED, claim=claim, priority=priority, previous=previous,
        changes=field_changes({"priority": previous}, {"priority": priority}),
    )
    return claim


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
    said_url = validate_said_url(said_url)
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
    claim_embed_later(claim_id=claim.pk)
    activity_record(actor=actor, verb=ActivityVerb.LOGGED, claim=claim, text=text[:200])
    watch([actor], claim_id=claim.pk)
    return claim


@transaction.atomic
def claim_assign(*, actor, claim_id: int, assignee) -> Claim:
    require_editor(actor)
    claim = lock_claim(claim_id)
    if assignee is not None and not assignee.has_perm("claims.change_claim"):
        raise ValidationError(f"{assignee.get_username()} is not an editor and cannot be assigned.")
    previous = claim.assignee.get_username() if claim.assignee else None
    claim.assignee = assignee
    claim.revision = F("revision") + 1
    claim.save(update_fields=["assignee", "revision", "updated_at"])
    claim.refresh_from_db()
    activity_record(
        actor=actor,
        verb=ActivityVerb.ASSIGNED if assignee else ActivityVerb.UNASSIGNED,
        claim=claim,
        assignee=assignee.get_username() if assignee else None,
        previous=previous,
    )
    if assignee is not None:
        notify_assigned(assignee, actor=actor, claim=claim)
    return claim

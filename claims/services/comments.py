"""Comments: the desk's discussion of a claim.

Desk members (those who may see the claim) post; the author edits within
``COMMENT_EDIT_MINUTES``; the author (or whoever holds ``claims.delete_comment``, the Admin
role) deletes, which leaves a tombstone in the thread. Every write is in the activity log.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.activity import activity_record
from claims.discussion.mentions import mentioned_users
from claims.discussion.notify import notify_commented, notify_mentioned, watch
from claims.models import ActivityVerb, Claim, Comment
from claims.permissions import require_editor

BODY_MAX_CHARS = 10_000


def edit_window() -> timedelta:
    return timedelta(minutes=int(getattr(settings, "COMMENT_EDIT_MINUTES", 10)))


def comment_editable_until(comment: Comment):
    return comment.created_at + edit_window()


def comment_can_edit(user, comment: Comment, *, now=None) -> bool:
    """The author, while the edit window is open, on a comment not deleted."""
    return (
        comment.author_id == getattr(user, "pk", None)
        and not comment.is_deleted
        and (now or timezone.now()) < comment_editable_until(comment)
    )


def comment_can_delete(user, comment: Comment) -> bool:
    return not comment.is_deleted and (
        comment.author_id == getattr(user, "pk", None) or user.has_perm("claims.delete_comment")
    )


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError("A comment cannot be empty.")
    if len(body) > BODY_MAX_CHARS:
        raise ValidationError(f"A comment can be at most {BODY_MAX_CHARS:,} characters.")
    return body


@transaction.atomic
def comment_post(
    *, actor, claim_id: int, body: str, version_id: int | None = None,
    client_key: uuid.UUID | None = None,
) -> Comment:
    """Post a comment. A second call with the same ``client_key`` by the same author (a
    form sent twice) returns the first comment and writes nothing."""
    require_editor(actor)
    body = _clean_body(body)
    # The claim's row lock serialises posts on it, so two copies of one form cannot both
    # pass the client_key check below.
    claim = Claim.objects.select_for_update().only("pk", "text").get(pk=claim_id)
    if client_key is not None:
        existing = Comment.objects.filter(author=actor, client_key=client_key).first()
        if existing is not None:
            return existing
    if version_id is not None and not claim.verdict_versions.filter(pk=version_id).exists():
        raise ValidationError("That verdict version belongs to another claim.")
    comment = Comment.objects.create(
        claim_id=claim.pk, version_id=version_id, author=actor, body=body, client_key=client_key,
    )
    watch([actor], claim_id=claim.pk)
    mentioned = _mention(comment, actor=actor, claim=claim)
    notify_commented(comment, actor=actor, claim=claim, skip=mentioned)
    details: dict = {"comment_id": comment.pk}
    if version_id:
        details["version_id"] = version_id
    if mentioned:
        details["mentioned"] = [user.get_username() for user in mentioned]
    activity_record(actor=actor, verb=ActivityVerb.COMMENT_POSTED, claim=claim, **details)
    return comment


def _mention(comment: Comment, *, actor, claim) -> list:
    """Record the desk users the comment mentions for the first time, and tell them."""
    already = set(comment.mentioned.values_list("pk", flat=True)) if comment.pk else set()
    new = [user for user in mentioned_users(comment.body) if user.pk not in already]
    if new:
        comment.mentioned.add(*new)
        notify_mentioned(new, actor=actor, claim=claim)
    return new


def _lock_comment(comment_id: int) -> Comment:
    return Comment.objects.select_for_update().get(pk=comment_id)


@transaction.atomic
def comment_edit(*, actor, comment_id: int, body: str) -> Comment:
    require_editor(actor)
    body = _clean_body(body)
    comment = _lock_comment(comment_id)
    if comment.author_id != actor.pk:
        raise PermissionDenied("Only its author can edit a comment.")
    if comment.is_deleted:
        raise ValidationError("This comment was deleted.")
    if timezone.now() >= comment_editable_until(comment):
        minutes = int(edit_window().total_seconds() // 60)
        raise ValidationError(f"Comments can be edited for {minutes} minutes after posting; "
                              "post a new one instead.")
    if body == comment.body:
        return comment
    comment.body = body
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    mentioned = _mention(comment, actor=actor, claim=comment.claim)
    activity_record(actor=actor, verb=ActivityVerb.COMMENT_EDITED, claim=comment.claim,
                    comment_id=comment.pk,
                    **({"mentioned": [u.get_username() for u in mentioned]} if mentioned else {}))
    return comment


@transaction.atomic
def comment_delete(*, actor, comment_id: int) -> Comment:
    """Delete a comment: it stays in the thread as "comment deleted", its text gone."""
    require_editor(actor)
    comment = _lock_comment(comment_id)
    if comment.is_deleted:
        return comment
    if not comment_can_delete(actor, comment):
        raise PermissionDenied("Only its author can delete a comment.")
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.deleted_by = actor
    comment.save(update_fields=["body", "deleted_at", "deleted_by"])
    activity_record(actor=actor, verb=ActivityVerb.COMMENT_DELETED, claim=comment.claim,
                    comment_id=comment.pk)
    return comment

"""Reads for the discussion, with the permission checks they need."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from claims.models import ClaimWatch, Comment
from claims.permissions import can_edit_claims
from claims.reviewing.markdown import render_markdown
from claims.services.comments import comment_can_delete, comment_can_edit


def comment_get_for_user(user, *, claim_id: int, comment_id: int) -> Comment:
    """One comment of that claim for a desk user; Http404 for everyone else and for a
    comment of another claim (an outsider cannot tell which)."""
    if not can_edit_claims(user):
        raise Http404("No comment here.")
    comment = (Comment.objects.select_related("author", "version")
               .filter(pk=comment_id, claim_id=claim_id).first())
    if comment is None:
        raise Http404("No comment here.")
    return comment


def comment_prepare(comment: Comment, *, user, now=None) -> Comment:
    """The comment as the thread shows it: its Markdown rendered and sanitised (``html``)
    and what ``user`` may do with it (``can_edit``, ``can_delete``)."""
    comment.html = "" if comment.is_deleted else render_markdown(comment.body)
    comment.can_edit = comment_can_edit(user, comment, now=now)
    comment.can_delete = comment_can_delete(user, comment)
    return comment


def claim_comments(*, claim_id: int, user) -> list[Comment]:
    """The claim's thread, oldest first, tombstones in place: one query."""
    now = timezone.now()
    return [
        comment_prepare(comment, user=user, now=now)
        for comment in Comment.objects.filter(claim_id=claim_id).select_related("author", "version")
    ]


def is_watching(user, claim_id: int) -> bool:
    return ClaimWatch.objects.filter(user=user, claim_id=claim_id).exists()

"""The desk's discussion: comments on a claim, optionally about one verdict version.

Comments are internal. They never reach a public page, a public export, the ClaimReview or
the public API (tests/security/test_public_leaks.py). A deleted comment stays in the thread
as a tombstone (``deleted_at``, ``deleted_by``), its text emptied.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from claims.models.core import Claim
from claims.models.verdicts import VerdictVersion


class Comment(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="comments")
    # Set when the comment is about one verdict version (posted from the Verdict tab).
    version = models.ForeignKey(
        VerdictVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A key the form carries (one per rendered form): a second submission of the same form
    # (a double click, a resent POST) finds the comment the first one made.
    client_key = models.UUIDField(null=True, blank=True, editable=False)
    # The desk users the text @mentions (each told once, when first mentioned).
    mentioned = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    # How the thread shows it to one reader, set by claims.discussion.selectors.comment_prepare.
    html: str
    can_edit: bool
    can_delete: bool

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["claim", "created_at"], name="comment_claim_created")]
        constraints = [
            models.UniqueConstraint(fields=["author", "client_key"], condition=Q(client_key__isnull=False),
                                    name="comment_one_per_client_key"),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=False) | ~Q(body=""), name="comment_body_unless_deleted",
            ),
            models.CheckConstraint(
                condition=Q(deleted_at__isnull=True) | Q(deleted_by__isnull=False),
                name="comment_deletion_has_who",
            ),
        ]

    def __str__(self) -> str:
        return "comment deleted" if self.is_deleted else self.body[:80]

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

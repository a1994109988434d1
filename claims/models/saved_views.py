"""Saved views: a named queue filter (its query string), private or shared with the desk,
optionally pinned in its owner's navigation. The queue's own filter (QueueFilterForm through
``claims.selectors.claim_queue``) reads the query, so a view always means what the queue means."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class SavedView(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views")
    name = models.CharField(max_length=80)
    # The queue's query string without the page (e.g. "assignee=me&status=researching").
    query = models.TextField(blank=True)
    shared = models.BooleanField(default=False, help_text="Everyone on the desk can open it")
    pinned = models.BooleanField(default=False, help_text="Shown in my navigation with its count")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="savedview_unique_name_per_owner"),
            models.CheckConstraint(condition=~Q(name=""), name="savedview_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

"""The activity log: one row per state change."""

from __future__ import annotations

from claims.models import ActivityEvent


def activity_record(*, actor, verb: str, claim=None, **details) -> ActivityEvent:
    return ActivityEvent.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        verb=verb,
        claim=claim,
        details=details,
    )

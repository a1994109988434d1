"""Watching a claim: pressing "Watch" or "Unwatch" on it (the author, the assignee,
commenters and people mentioned start watching by what they do)."""

from __future__ import annotations

from django.db import transaction

from claims.models import Claim, ClaimWatch
from claims.permissions import require_editor


@transaction.atomic
def claim_watch(*, actor, claim_id: int) -> bool:
    """Start watching. True when the actor was not watching already."""
    require_editor(actor)
    claim = Claim.objects.select_for_update().only("pk").get(pk=claim_id)
    _, created = ClaimWatch.objects.get_or_create(user=actor, claim_id=claim.pk)
    return created


@transaction.atomic
def claim_unwatch(*, actor, claim_id: int) -> bool:
    """Stop watching (until the next comment, mention or assignment). True when the actor
    was watching."""
    require_editor(actor)
    deleted, _ = ClaimWatch.objects.filter(user=actor, claim_id=claim_id).delete()
    return bool(deleted)

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


@transaction.atomic
def email_preferences_set(*, actor, choices: dict[str, str]) -> int:
    """Save how ``actor`` wants each kind by email (kind → EmailFrequency). A choice equal
    to the default is stored too, so a later change of defaults does not change it. Returns
    how many kinds changed."""
    from claims.models import EmailFrequency, EmailPreference, NotificationKind

    require_editor(actor)
    current = dict(EmailPreference.objects.select_for_update().filter(user=actor)
                   .values_list("kind", "frequency"))
    changed = 0
    for kind, frequency in choices.items():
        kind, frequency = NotificationKind(kind), EmailFrequency(frequency)  # ValueError: a bug
        if current.get(kind) == frequency:
            continue
        EmailPreference.objects.update_or_create(user=actor, kind=kind, defaults={"frequency": frequency})
        changed += 1
    return changed

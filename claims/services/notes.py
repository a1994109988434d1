"""Notes: the desk's internal remarks on a claim."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.activity import activity_record
from claims.models import ActivityVerb
from claims.permissions import require_editor
from claims.services.search import claim_refresh_search
from claims.services.workflow import lock_claim


@transaction.atomic
def note_add(*, actor, claim_id: int, body: str):
    from claims.models import Note

    require_editor(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError("A note cannot be empty.")
    claim = lock_claim(claim_id)
    note = Note.objects.create(claim=claim, author=actor, body=body)
    claim_refresh_search(claim_id=claim.pk)
    activity_record(actor=actor, verb=ActivityVerb.NOTE_ADDED, claim=claim, note_id=note.pk)
    return note

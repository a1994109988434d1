"""What the desk's views share: the editors-only gate for pages about no one claim, how
a refusal reads, and a claim's address."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.permissions import can_edit_claims


def editor_required(view):
    """The desk's pages about no one claim (the queue, intake) are for editors (and reviewers,
    who are editors too). Others get 403; a claim's own pages use ``claim_get_for_user``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_edit_claims(request.user):
            raise PermissionDenied("The claims desk is for editors.")
        return view(request, *args, **kwargs)

    return wrapped


def error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You are not allowed to do that."


def claim_url(claim_or_id) -> str:
    return reverse("claims:claim_detail", args=[getattr(claim_or_id, "pk", claim_or_id)])


def resolve_assignee(request, value: str):
    """"me" → the user, "" → None (unassign), an id → that user; False when unknown."""
    if value == "me":
        return request.user
    if value in ("", "unassigned"):
        return None
    User = get_user_model()
    try:
        return User.objects.get(pk=int(value), is_active=True)
    except (ValueError, User.DoesNotExist):
        return False

"""Saved views of the queue: save the current filter under a name, rename, share, pin,
delete. Only the owner changes a view; desk members open the shared ones."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import QueryDict

from claims.models import SavedView
from claims.permissions import require_editor

NAME_MAX = 80


def saved_view_query(params: QueryDict) -> str:
    """The part of a queue URL a view keeps: every filter and the sort, not the page."""
    query = params.copy()
    query.pop("page", None)
    return query.urlencode()


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Give the view a name.")
    if len(name) > NAME_MAX:
        raise ValidationError(f"A view's name can be at most {NAME_MAX} characters.")
    return name


def _check_unique(*, owner, name: str, exclude: int | None = None) -> None:
    taken = SavedView.objects.filter(owner=owner, name__iexact=name)
    if exclude:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError(f"You already have a view called “{name}”.")


@transaction.atomic
def saved_view_create(*, actor, name: str, query: str, shared: bool = False, pinned: bool = False) -> SavedView:
    require_editor(actor)
    name = _clean_name(name)
    _check_unique(owner=actor, name=name)
    return SavedView.objects.create(owner=actor, name=name, query=saved_view_query(QueryDict(query)),
                                    shared=shared, pinned=pinned)


def _lock_own(actor, view_id: int) -> SavedView:
    view = SavedView.objects.select_for_update().get(pk=view_id)
    if view.owner_id != actor.pk:
        raise PermissionDenied("Only its owner can change a saved view.")
    return view


@transaction.atomic
def saved_view_update(*, actor, view_id: int, name: str, shared: bool, pinned: bool) -> SavedView:
    require_editor(actor)
    view = _lock_own(actor, view_id)
    view.name = _clean_name(name)
    _check_unique(owner=actor, name=view.name, exclude=view.pk)
    view.shared, view.pinned = shared, pinned
    view.save(update_fields=["name", "shared", "pinned"])
    return view


@transaction.atomic
def saved_view_delete(*, actor, view_id: int) -> None:
    require_editor(actor)
    _lock_own(actor, view_id).delete()

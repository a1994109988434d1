"""Saved views of the queue: save the current filter, rename, share, pin, delete, and the
pinned views in the navigation with their counts (loaded after the page, so no page pays
for counting)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.views.common import editor_required, error_text
from workbench.http import safe_next


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name")
    query = forms.CharField(required=False, widget=forms.HiddenInput)
    shared = forms.BooleanField(required=False, label="Share with the desk")
    pinned = forms.BooleanField(required=False, label="Pin in my navigation")


def _queue_url(query: str) -> str:
    url = reverse("claims:claim_list")
    return f"{url}?{query}" if query else url


@require_POST
@editor_required
def saved_view_save(request):
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the view a name (80 characters at most).")
        return redirect(safe_next(request, reverse("claims:claim_list")))
    data = form.cleaned_data
    try:
        view = services.saved_view_create(actor=request.user, name=data["name"], query=data["query"],
                                          shared=data["shared"], pinned=data["pinned"])
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect(_queue_url(data["query"]))
    messages.success(request, f"Saved the view “{view.name}”.")
    return redirect(_queue_url(view.query))


@require_POST
def saved_view_edit(request, view_id: int):
    view = selectors.saved_view_get_for_user(request.user, view_id)
    form = SavedViewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the view a name (80 characters at most).")
        return redirect(reverse("claims:claim_list"))
    try:
        view = services.saved_view_update(actor=request.user, view_id=view.pk, name=form.cleaned_data["name"],
                                          shared=form.cleaned_data["shared"], pinned=form.cleaned_data["pinned"])
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Saved the view “{view.name}”.")
    return redirect(safe_next(request, reverse("claims:claim_list")))


@require_POST
def saved_view_delete(request, view_id: int):
    view = selectors.saved_view_get_for_user(request.user, view_id)
    services.saved_view_delete(actor=request.user, view_id=view.pk)
    messages.success(request, f"Deleted the view “{view.name}”.")
    return redirect(safe_next(request, reverse("claims:claim_list")))


@require_GET
@editor_required
def saved_views_nav(request):
    """The pinned views, for the navigation (htmx loads it after the page)."""
    views = [view for view in selectors.saved_views_for(request.user).filter(owner=request.user, pinned=True)]
    for view in views:
        view.count, view.exact = selectors.saved_view_count(request.user, view)
        view.cap = selectors.QUEUE_COUNT_CAP
        view.url = _queue_url(view.query)
    return render(request, "claims/_saved_views_nav.html", {"pinned_views": views})

"""/notifications/: everything that happened to me, the top bar's live count, and the
Watch / Unwatch button on a claim."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import services
from claims.discussion.context import unread_count
from claims.discussion.forms import EmailPreferencesForm
from claims.discussion.notify import notification_path
from claims.models import EmailPreference
from claims.reviewing import notifications as reading
from claims.reviewing.selectors import notification_get_for_user, notifications_for
from claims.selectors import claim_get_for_user
from claims.views.common import claim_url, editor_required
from workbench.http import is_htmx, safe_next

PAGE = "discussion/notifications.html"
PER_PAGE = 25


@require_GET
@editor_required
def notifications(request):
    page = Paginator(notifications_for(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, PAGE, {"nav": "notifications", "page": page,
                                  "unread": unread_count(request.user)})


@require_GET
@editor_required
def notification_count(request):
    """The top bar's count, polled by htmx (the page stays as it is otherwise)."""
    return render(request, "discussion/_notification_count.html",
                  {"unread_notifications": unread_count(request.user)})


@require_GET
def notification_open(request, pk: int):
    """Follow a notification: it is read, and its claim (or discussion, or verdict) opens.
    A link to one that is not the reader's (an email opened while logged in as someone
    else) or no longer exists leads to their own notifications, saying so."""
    try:
        notification = notification_get_for_user(request.user, pk)
    except Http404:
        messages.info(request, "That notification is not yours, or it no longer exists.")
        return redirect(reverse("discussion:notifications"))
    notification = reading.notification_mark_read(actor=request.user, notification_id=notification.pk)
    return redirect(notification_path(notification))


@require_POST
def notification_mark_read(request, pk: int):
    notification = notification_get_for_user(request.user, pk)
    notification = reading.notification_mark_read(actor=request.user, notification_id=notification.pk)
    if is_htmx(request):
        return render(request, f"{PAGE}#item", {"notification": notification})
    messages.success(request, "Marked as read.")
    return redirect(safe_next(request, reverse("discussion:notifications")))


@require_POST
@editor_required
def notifications_mark_all_read(request):
    count = reading.notification_mark_all_read(actor=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked as read.")
    return redirect(safe_next(request, reverse("discussion:notifications")))


@require_POST
def claim_watch(request, claim_id: int):
    """Watch (``watch=1``) or unwatch (``watch=0``) a claim: one click, htmx or a form."""
    claim = claim_get_for_user(request.user, claim_id)
    watching = request.POST.get("watch") == "1"
    if watching:
        services.claim_watch(actor=request.user, claim_id=claim.pk)
        message = "You are watching this claim: you will hear about its comments, moves and coverage."
    else:
        services.claim_unwatch(actor=request.user, claim_id=claim.pk)
        message = "You no longer watch this claim."
    if is_htmx(request):
        return render(request, "discussion/_watch.html",
                      {"claim": claim, "watching": watching, "watch_message": message})
    messages.success(request, message)
    return redirect(safe_next(request, claim_url(claim)))


@require_http_methods(["GET", "POST"])
@editor_required
def email_preferences(request):
    """/settings/notifications/: how each kind of notification comes by email."""
    current = dict(EmailPreference.objects.filter(user=request.user).values_list("kind", "frequency"))
    form = EmailPreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        changed = services.email_preferences_set(actor=request.user, choices=form.cleaned_data)
        messages.success(request, "Email preferences saved." if changed else "Nothing changed.")
        return redirect(reverse("discussion:email_preferences"))
    return render(request, "discussion/email_preferences.html",
                  {"nav": "email_preferences", "form": form, "has_email": bool(request.user.email)},
                  status=400 if form.is_bound else 200)

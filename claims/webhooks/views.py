"""``/settings/webhooks/``: a desk member's webhook subscriptions and their delivery logs.

A secret is shown on the page that made it (creation, rotation), never in a redirect or a
message. Every action is a plain POST followed by a redirect; deleting asks first.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims.models import WebhookAttempt, WebhookDelivery, WebhookEventType
from claims.views.common import editor_required, error_text
from claims.webhooks import services
from claims.webhooks.selectors import webhook_deliveries_page, webhook_subscriptions_for_user

EVENT_CHOICES = [(value, f"{value} — {label}") for value, label in WebhookEventType.choices
                 if value != WebhookEventType.PING]


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label="Endpoint URL", max_length=2000, widget=forms.URLInput(attrs={"size": 60}),
        help_text="An https address of the system that receives the events. Private and local "
                  "network addresses are refused.",
    )
    description = forms.CharField(max_length=200, required=False,
                                  help_text="What it is for, e.g. “CMS: publish fact-checks”.")
    events = forms.MultipleChoiceField(choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Choose at least one event."})


def _subscription(request, subscription_id: int):
    try:
        return services.webhook_subscription_get_for_user(request.user, subscription_id)
    except PermissionDenied:
        raise Http404("No such webhook.") from None


def _no_store(response):
    response["Cache-Control"] = "no-store"  # the page may carry a secret
    return response


def _list_page(request, form, *, status: int = 200, new_secret: str = "", new_subscription=None):
    return _no_store(render(request, "webhooks/list.html", {
        "nav": "webhooks", "form": form, "subscriptions": webhook_subscriptions_for_user(request.user),
        "new_secret": new_secret, "new_subscription": new_subscription,
    }, status=status))


@require_http_methods(["GET", "POST"])
@editor_required
def subscription_list(request):
    if request.method == "GET":
        return _list_page(request, SubscriptionForm())
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    try:
        made = services.webhook_subscription_create(
            actor=request.user, url=form.cleaned_data["url"], events=form.cleaned_data["events"],
            description=form.cleaned_data["description"])
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return _list_page(request, form, status=400)
    return _list_page(request, SubscriptionForm(), status=201, new_secret=made.secret,
                      new_subscription=made.subscription)


def _detail_page(request, subscription, *, new_secret: str = "", status: int = 200):
    page = webhook_deliveries_page(subscription, request.GET.get("page"))
    deliveries = list(page.object_list)
    attempts = WebhookAttempt.objects.order_by("-at", "-id")
    prefetch_related_objects(deliveries, Prefetch("attempt_rows", queryset=attempts))
    return _no_store(render(request, "webhooks/detail.html", {
        "nav": "webhooks", "subscription": subscription, "page": page, "deliveries": deliveries,
        "new_secret": new_secret,
        "events": [(e, WebhookEventType(e).label) for e in subscription.events if e in WebhookEventType.values],
    }, status=status))


@require_http_methods(["GET"])
@editor_required
def subscription_detail(request, subscription_id: int):
    return _detail_page(request, _subscription(request, subscription_id))


@require_POST
@editor_required
def subscription_rotate(request, subscription_id: int):
    _subscription(request, subscription_id)
    rotated = services.webhook_subscription_rotate_secret(actor=request.user, subscription_id=subscription_id)
    return _detail_page(request, rotated.subscription, new_secret=rotated.secret)


def _act(request, subscription_id: int, action, done: str):
    _subscription(request, subscription_id)
    try:
        action(actor=request.user, subscription_id=subscription_id)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("webhooks:detail", subscription_id=subscription_id)


@require_POST
@editor_required
def subscription_pause(request, subscription_id: int):
    return _act(request, subscription_id, services.webhook_subscription_pause,
                "Webhook paused: nothing is sent until you resume it.")


@require_POST
@editor_required
def subscription_resume(request, subscription_id: int):
    return _act(request, subscription_id, services.webhook_subscription_resume,
                "Webhook resumed: events from now on are sent.")


@require_POST
@editor_required
def subscription_test(request, subscription_id: int):
    return _act(request, subscription_id, services.webhook_send_test,
                "Test event queued: it appears in the log below once sent.")


@require_http_methods(["GET", "POST"])
@editor_required
def subscription_delete(request, subscription_id: int):
    subscription = _subscription(request, subscription_id)
    if request.method == "GET":
        return render(request, "webhooks/confirm_delete.html", {"nav": "webhooks", "subscription": subscription})
    services.webhook_subscription_delete(actor=request.user, subscription_id=subscription_id)
    messages.success(request, f"Webhook to {subscription.url} deleted, with its delivery log.")
    return redirect("webhooks:list")


@require_POST
@editor_required
def delivery_redeliver(request, delivery_id: int):
    subscription_id = WebhookDelivery.objects.filter(pk=delivery_id).values_list("subscription_id", flat=True).first()
    if subscription_id is None:
        raise Http404("No such delivery.")
    _subscription(request, subscription_id)
    try:
        services.webhook_redeliver(actor=request.user, delivery_id=delivery_id)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Sent again: the new delivery is at the top of the log.")
    return redirect("webhooks:detail", subscription_id=subscription_id)

"""Webhooks in the admin: every subscription and its deliveries, read-only, with the
actions a newsroom's administrator needs (disable, with the owner told; redeliver). Owners
make and change their subscriptions on the settings page or through the API, where the
URL is checked; the secret is never shown here."""

from __future__ import annotations

from django.contrib import admin, messages

from claims.models import WebhookAttempt, WebhookDelivery, WebhookEvent, WebhookSubscription
from claims.reviewing.admin import ReadOnlyAdminMixin
from claims.webhooks.services import webhook_subscription_disable


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["url", "owner", "state_label", "events", "consecutive_failures", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "owner__username", "description"]
    exclude = ["secret"]
    actions = ["disable"]

    @admin.action(description="Disable the selected webhooks (their owners are told)")
    def disable(self, request, queryset):
        done = sum(webhook_subscription_disable(subscription_id=pk, reason="An administrator disabled it.")
                   for pk in queryset.values_list("pk", flat=True))
        messages.success(request, f"{done} webhook(s) disabled.")

    def has_delete_permission(self, request, obj=None):
        return bool(request.user.is_superuser)


class WebhookAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    fields = ["at", "status_code", "ok", "duration_ms", "error"]


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["uid", "type", "claim", "created_at"]
    list_filter = ["type"]
    search_fields = ["uid", "type"]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["delivery", "at", "status_code", "ok", "duration_ms"]
    list_filter = ["ok"]
    list_select_related = ["delivery"]
    search_fields = ["delivery__event__uid", "error"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["pk", "event", "subscription", "state", "attempts", "response_status", "created_at",
                    "next_attempt_at"]
    list_filter = ["state", "event__type"]
    list_select_related = ["event", "subscription"]
    search_fields = ["event__uid", "subscription__url"]
    inlines = [WebhookAttemptInline]

"""Admin for ratings, verdict versions, reviews and notifications.

Ratings are edited here. Verdicts are only *shown*: drafting, submitting and reviewing go
through claims.reviewing.services, which hold the two-person rule, so nobody — superusers
included — can set a reviewer, a state or a date from the admin.
"""

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from claims.models import (
    CorrectionChange,
    EmailDelivery,
    Notification,
    Rating,
    ReportRender,
    Review,
    VerdictVersion,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["label", "swatch", "rating_value", "order", "is_retired", "verdict_count"]
    list_editable = ["order", "is_retired"]
    list_filter = ["is_retired"]
    search_fields = ["label", "description"]
    actions = ["retire_selected", "restore_selected"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_verdicts=Count("verdicts"))

    @admin.display(description="Colour")
    def swatch(self, obj):
        return format_html(
            '<span style="display:inline-block;width:1.2em;height:1.2em;border-radius:3px;'
            'vertical-align:middle;background:{}"></span> {}', obj.colour, obj.colour
        )

    @admin.display(description="Used by verdicts", ordering="_verdicts")
    def verdict_count(self, obj):
        return obj._verdicts

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk delete would hide which ratings are in use
        return actions

    @admin.action(description="Retire selected ratings (they stay on existing verdicts)")
    def retire_selected(self, request, queryset):
        count = queryset.update(is_retired=True)
        self.message_user(request, f"{count} rating(s) retired; they can no longer be chosen for new drafts.")

    @admin.action(description="Restore selected ratings")
    def restore_selected(self, request, queryset):
        count = queryset.update(is_retired=False)
        self.message_user(request, f"{count} rating(s) restored.")

    def delete_view(self, request, object_id, extra_context=None):
        rating = self.get_object(request, object_id)
        if rating is not None:
            in_use = rating.verdicts.count()
            if in_use:
                self.message_user(
                    request,
                    f"“{rating.label}” cannot be deleted: {in_use} verdict version(s) use it, "
                    "and published fact-checks must keep their rating. Retire it instead "
                    "(tick “Is retired” and save): it stays on those verdicts but can no "
                    "longer be chosen for new drafts.",
                    level=messages.ERROR,
                )
                return HttpResponseRedirect(
                    reverse("admin:claims_rating_change", args=[rating.pk])
                )
        return super().delete_view(request, object_id, extra_context)


class ReviewInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Review
    extra = 0
    fields = ["decision", "reviewer", "comments", "at"]
    readonly_fields = fields


class CorrectionChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CorrectionChange
    extra = 0
    fields = ["evidence", "field", "old_value", "new_value"]
    readonly_fields = fields
    verbose_name = "proposed change to the published claim or its evidence"


@admin.register(VerdictVersion)
class VerdictVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: every field, every state. The verdict tab is where verdicts change."""

    list_display = ["claim", "number", "state", "rating", "author", "reviewed_by", "submitted_at", "reviewed_at"]
    list_filter = ["state", "rating"]
    search_fields = ["headline", "claim__text", "author__username", "reviewed_by__username"]
    list_select_related = ["claim", "rating", "author", "reviewed_by"]
    inlines = [ReviewInline, CorrectionChangeInline]
    readonly_fields = [
        "claim", "number", "state", "rating", "headline", "summary_md", "reasoning",
        "cited_evidence", "denial_waiver_reason", "correction_note", "author", "created_at",
        "submitted_at", "reviewed_by", "reviewed_at", "published_at",
    ]
    fields = readonly_fields


@admin.register(CorrectionChange)
class CorrectionChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What corrections proposed (and, once approved, applied): read-only, like the versions."""

    list_display = ["version", "evidence", "field", "old_value", "new_value"]
    list_filter = ["field"]
    search_fields = ["version__claim__text", "field", "version__correction_note"]
    list_select_related = ["version", "evidence"]
    readonly_fields = ["version", "evidence", "field", "old_value", "new_value"]


@admin.register(Review)
class ReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["version", "decision", "reviewer", "at"]
    list_filter = ["decision"]
    search_fields = ["comments", "version__claim__text", "reviewer__username"]
    readonly_fields = ["version", "reviewer", "decision", "comments", "at"]


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["recipient", "verb", "message", "created_at", "read_at"]
    list_filter = ["verb"]
    search_fields = ["message", "recipient__username"]
    readonly_fields = ["recipient", "verb", "message", "claim", "version", "created_at", "read_at"]


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every email the desk sends, with its attempts and last error: a record, read-only."""

    list_display = ["notification", "state", "attempts", "sent_at", "created_at"]
    list_filter = ["state"]
    search_fields = ["notification__recipient__username", "notification__message", "last_error"]
    list_select_related = ["notification__recipient"]
    date_hierarchy = "created_at"


@admin.register(ReportRender)
class ReportRenderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """PDF reports rendered by a worker: a record of what was prepared and any error."""

    list_display = ["claim", "state", "attempts", "requested_by", "created_at", "finished_at"]
    list_filter = ["state"]
    search_fields = ["claim__text", "requested_by__username", "last_error"]
    list_select_related = ["claim", "requested_by"]
    exclude = ["pdf"]

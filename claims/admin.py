"""Admin for the newsroom. Claims, evidence and the activity log are read-only here: they
change through the desk's services, which keep published work frozen and log every change."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.activity import describe_changes
from claims.api import admin as api_admin  # noqa: F401  (registers API tokens)
from claims.discussion import admin as discussion_admin  # noqa: F401  (registers comments and watches)
from claims.models import (
    ActivityEvent,
    Claim,
    CoverageSuggestion,
    DeskAlert,
    Evidence,
    GatherRun,
    Note,
    ResurfacedItem,
    ResurfacingDigest,
    SavedView,
    Tag,
)
from claims.reviewing.admin import ReadOnlyAdminMixin  # also registers verdicts and reviews
from claims.webhooks import admin as webhooks_admin  # noqa: F401  (registers webhooks)


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class DeskOnlyMixin(ReadOnlyAdminMixin):
    """Claims and evidence change only on the desk, whose services check the workflow, keep
    published content frozen (corrections are reviewed by a second person) and log the old and
    new value of every field. The admin shows them, links to the desk and cannot bypass it —
    superusers included."""


class EvidenceInline(DeskOnlyMixin, admin.TabularInline):
    model = Evidence
    extra = 0
    fields = ["source", "stance", "speaker", "speaker_is_party", "quote", "added_by", "removed_at"]
    readonly_fields = fields
    show_change_link = True


def _desk_link(url: str, text: str):
    return format_html('<a href="{}">{}</a>', url, text)


@admin.register(Claim)
class ClaimAdmin(DeskOnlyMixin, admin.ModelAdmin):
    """Read-only: claims are edited on the claim page, published ones only by correction."""

    list_display = ["__str__", "claimant", "status", "priority", "assignee", "created_at"]
    list_filter = ["status", "priority", "claimant_kind", "tags", "assignee"]
    search_fields = ["text", "claimant", "said_where"]
    date_hierarchy = "created_at"
    fields = [
        "on_the_desk", "text", "claimant", "claimant_kind", "said_url", "said_where", "said_on",
        "tags", "status", "priority", "assignee", "duplicate_of", "rejection_reason", "slug",
        "published_at", "revision", "created_by", "created_at", "updated_at",
    ]
    readonly_fields = fields
    inlines = [EvidenceInline]

    @admin.display(description="Change it")
    def on_the_desk(self, obj):
        if obj.published_at:
            return _desk_link(
                reverse("reviewing:verdict", args=[obj.pk]) + "#correction",
                "Published: propose a correction on the Verdict tab (a second person reviews it)",
            )
        return _desk_link(reverse("claims:claim_detail", args=[obj.pk]), "Open the claim page")

    def view_on_site(self, obj):
        return reverse("claims:claim_detail", args=[obj.pk])


@admin.register(Evidence)
class EvidenceAdmin(DeskOnlyMixin, admin.ModelAdmin):
    """Read-only: evidence is corrected and removed on the claim page, which keeps its
    history; evidence cited by a published verdict changes only through a correction."""

    list_display = ["claim", "stance", "speaker", "is_denial", "source", "added_at", "removed_at"]
    list_filter = ["stance", "is_denial", "speaker_is_party"]
    search_fields = ["quote", "speaker", "note", "claim__text", "source__title"]
    list_select_related = ["claim", "source"]
    fields = [
        "on_the_desk", "claim", "source", "stance", "speaker", "speaker_is_party", "is_denial",
        "quote", "note", "stated_on", "stated_where", "added_by", "added_at", "revision",
        "removed_at", "removed_by", "removal_reason",
    ]
    readonly_fields = fields

    @admin.display(description="Change it")
    def on_the_desk(self, obj):
        return _desk_link(
            reverse("claims:evidence_edit", args=[obj.claim_id, obj.pk]),
            "Edit it on the claim page (cited evidence of a published verdict: propose a correction)",
        )


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    search_fields = ["body", "claim__text"]
    list_filter = ["author"]


@admin.register(ActivityEvent)
class ActivityEventAdmin(DeskOnlyMixin, admin.ModelAdmin):
    """The log of what happened: nobody edits or deletes it."""

    list_display = ["at", "actor", "verb", "claim"]
    list_filter = ["verb", "actor"]
    search_fields = ["claim__text", "actor__username"]
    date_hierarchy = "at"
    list_select_related = ["actor", "claim"]
    fields = ["at", "actor", "verb", "claim", "what_changed", "details"]
    readonly_fields = fields

    @admin.display(description="What changed")
    def what_changed(self, obj):
        rows = describe_changes((obj.details or {}).get("changes"))
        if not rows:
            return "—"
        return format_html_join(
            "", "<p><strong>{}</strong>: <del>{}</del> → <ins>{}</ins></p>",
            ((row.label, row.old or "(empty)", row.new or "(empty)") for row in rows),
        )


@admin.register(CoverageSuggestion)
class CoverageSuggestionAdmin(admin.ModelAdmin):
    """Accepting and dismissing happen on the Coverage tab (they log and archive)."""

    list_display = ["claim", "document", "stance", "stance_confidence", "relevance", "status"]
    list_filter = ["status", "stance"]
    search_fields = ["claim__text", "document__title", "document__canonical_url"]
    list_select_related = ["claim", "document"]
    readonly_fields = ["claim", "document", "relevance", "stance", "stance_confidence",
                       "status", "evidence", "decided_by", "decided_at", "corrected_stance",
                       "corrected_by", "corrected_at", "created_at"]

    def has_add_permission(self, request):
        return False


@admin.register(GatherRun)
class GatherRunAdmin(admin.ModelAdmin):
    list_display = ["claim", "status", "step", "documents_checked", "suggestions_added", "created_at"]
    list_filter = ["status"]
    search_fields = ["claim__text", "error"]
    readonly_fields = [f.name for f in GatherRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeskAlert)
class DeskAlertAdmin(admin.ModelAdmin):
    """Alerts are raised and resolved by the hourly scan (claims.monitoring.alerts)."""

    list_display = ["kind", "message", "raised_at", "resolved_at"]
    list_filter = ["kind", ("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["message", "key"]
    readonly_fields = [f.name for f in DeskAlert._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ResurfacedItem)
class ResurfacedItemAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Recorded by the resurfacing pass (claims.corroboration.resurfacing): read-only."""

    list_display = ["claim", "document", "relevance", "found_at"]
    search_fields = ["claim__text", "document__title"]
    list_select_related = ["claim", "document"]
    raw_id_fields = ["claim", "document", "alert"]


@admin.register(ResurfacingDigest)
class ResurfacingDigestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """One row per week sent (claims.monitoring.digest): read-only."""

    list_display = ["week_start", "claims", "items", "sent_at"]
    search_fields = ["week_start"]


@admin.register(SavedView)
class SavedViewAdmin(admin.ModelAdmin):
    """Saved views are their owners': change them on the queue page."""

    list_display = ["name", "owner", "shared", "pinned", "created_at"]
    list_filter = ["shared", "pinned"]
    search_fields = ["name", "owner__username", "query"]
    readonly_fields = [f.name for f in SavedView._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

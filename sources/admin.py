from django.contrib import admin

from sources.models import (
    Document,
    Feed,
    FeedPoll,
    LinkCheck,
    Outlet,
    PriorFactCheck,
    RatingMapping,
    Snapshot,
    Source,
)


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "domain"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    """A source with snapshots is a record of what a page said when we cited it: its content
    is read-only here. URLs must be web addresses (the model refuses anything else)."""

    list_display = ["__str__", "outlet", "kind", "fetch_status", "link_status", "published_at"]
    list_filter = ["kind", "fetch_status", "link_status", "outlet"]
    search_fields = ["title", "url", "author", "description", "fetch_error"]
    autocomplete_fields = ["outlet"]
    date_hierarchy = "created_at"
    CONTENT_FIELDS = ["url", "title", "outlet", "author", "published_at", "kind", "description", "text"]
    # Written by the archiver and the link checker only. Archiving is follow-up work
    # (workbench.followup): a parked archive says why in fetch_error, here and on its page.
    readonly_fields = ["fetch_status", "fetch_error", "link_status", "link_checked_at", "created_at",
                       "archive_queued_at", "archive_attempts", "link_check_queued_at"]

    def _has_snapshots(self, obj) -> bool:
        return obj is not None and obj.pk is not None and obj.snapshots.exists()

    def get_readonly_fields(self, request, obj=None):
        if self._has_snapshots(obj):
            return [*self.CONTENT_FIELDS, *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if self._has_snapshots(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Snapshots are evidence of what a page said: read-only here."""

    list_display = ["final_url", "http_status", "sha256", "fetched_at"]
    list_filter = ["http_status", "content_type"]
    search_fields = ["final_url", "requested_url", "sha256"]
    exclude = ["raw_gzip"]
    readonly_fields = [f.name for f in Snapshot._meta.fields if f.name != "raw_gzip"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    """A history of link checks: written by the checker only."""

    list_display = ["source", "outcome", "http_status", "checked_at"]
    list_filter = ["outcome"]
    search_fields = ["source__url", "source__title"]
    date_hierarchy = "checked_at"
    list_select_related = ["source"]
    readonly_fields = [f.name for f in LinkCheck._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "outlet", "interval_minutes", "is_active", "parked_at",
                    "last_success_at", "consecutive_failures", "next_poll_at"]
    list_filter = ["kind", "is_active", "outlet", ("parked_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "url", "query"]
    autocomplete_fields = ["outlet"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_success_at",
                       "last_error", "last_error_at", "consecutive_failures", "parked_at",
                       "poll_queued_at", "created_at"]


@admin.register(FeedPoll)
class FeedPollAdmin(admin.ModelAdmin):
    """The poll history is a record of what happened: read-only."""

    list_display = ["feed", "status", "started_at", "finished_at", "items_seen", "items_new"]
    list_filter = ["status", "feed"]
    search_fields = ["feed__title", "feed__url", "error"]
    date_hierarchy = "started_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outlet", "language", "published_at", "match_state", "feed"]
    list_filter = ["match_state", "language", "outlet", "feed"]
    search_fields = ["title", "canonical_url", "summary", "fingerprint"]
    autocomplete_fields = ["outlet"]
    exclude = ["search_vector"]
    readonly_fields = ["match_state", "match_error", "match_queued_at", "match_attempts"]
    date_hierarchy = "created_at"


@admin.register(PriorFactCheck)
class PriorFactCheckAdmin(admin.ModelAdmin):
    """Other publishers' fact-checks, as imported (``factchecks_import``): read-only here, so
    what the desk sees is what the publisher said."""

    list_display = ["publisher", "claim_reviewed", "textual_rating", "normalised_rating", "reviewed_at", "origin"]
    list_filter = ["normalised_rating", "origin", "language", "publisher"]
    search_fields = ["claim_reviewed", "claimant", "publisher", "url"]
    date_hierarchy = "reviewed_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(RatingMapping)
class RatingMappingAdmin(admin.ModelAdmin):
    """Which textual rating means which rating on our scale. Saving or deleting one applies
    the table again to every prior fact-check."""

    list_display = ["textual_rating", "publisher", "normalised_rating"]
    search_fields = ["textual_rating", "publisher", "normalised_rating"]

    def _reapply(self, request):
        from sources.factchecks.services import prior_factchecks_renormalise

        changed = prior_factchecks_renormalise()
        self.message_user(request, f"Rating mappings applied again: {changed} prior fact-check(s) changed.")

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        self._reapply(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        self._reapply(request)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        self._reapply(request)

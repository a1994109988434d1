from django.contrib import admin

from sources.models import LinkCheck, Outlet, Snapshot, Source


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ["name", "domain", "kind", "country"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "domain"]


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outlet", "kind", "fetch_status", "link_status", "published_at"]
    list_filter = ["kind", "fetch_status", "link_status", "outlet"]
    search_fields = ["title", "url", "author", "description"]
    autocomplete_fields = ["outlet"]
    date_hierarchy = "created_at"


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

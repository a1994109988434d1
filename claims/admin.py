"""Admin for the newsroom. Status changes are read-only here: they go through services."""

from django.contrib import admin

from claims.models import ActivityEvent, Claim, Evidence, Note, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "stance", "speaker", "speaker_is_party", "quote", "added_by"]
    readonly_fields = ["added_by"]

    def has_add_permission(self, request, obj=None):
        return False  # attach evidence from the claim page, which logs it


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = ["__str__", "claimant", "status", "priority", "assignee", "created_at"]
    list_filter = ["status", "priority", "claimant_kind", "tags", "assignee"]
    search_fields = ["text", "claimant", "said_where"]
    readonly_fields = ["status", "duplicate_of", "rejection_reason", "revision", "created_by", "created_at", "updated_at"]
    autocomplete_fields = ["assignee", "tags"]
    date_hierarchy = "created_at"
    inlines = [EvidenceInline]

    def has_add_permission(self, request):
        return False  # claims are logged through the desk so intake checks and activity run


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["claim", "stance", "speaker", "is_denial", "source", "added_at"]
    list_filter = ["stance", "is_denial", "speaker_is_party"]
    search_fields = ["quote", "speaker", "note", "claim__text", "source__title"]
    autocomplete_fields = ["claim", "source"]
    readonly_fields = ["is_denial", "added_by", "added_at"]


@admin.register(Note)
class NoteAdmin(admin.ModelAdmin):
    list_display = ["claim", "author", "created_at"]
    search_fields = ["body", "claim__text"]
    list_filter = ["author"]


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "verb", "claim"]
    list_filter = ["verb", "actor"]
    search_fields = ["verb", "claim__text", "actor__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


import claims.reviewing.admin  # noqa: E402,F401  (registers ratings, verdicts, reviews, notifications)

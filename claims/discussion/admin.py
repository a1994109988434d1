"""Admin for the discussion: read-only. Comments and watches change through the desk's services, which
keep the author's edit window, leave tombstones and log every change."""

from django.contrib import admin

from claims.models import ClaimWatch, Comment, DigestDelivery, EmailPreference


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(_ReadOnly):
    list_display = ["claim", "author", "created_at", "edited_at", "deleted_at"]
    search_fields = ["body", "claim__text", "author__username"]
    readonly_fields = [f.name for f in Comment._meta.fields]


@admin.register(ClaimWatch)
class ClaimWatchAdmin(_ReadOnly):
    list_display = ["user", "claim", "created_at"]
    search_fields = ["user__username", "claim__text"]
    readonly_fields = [f.name for f in ClaimWatch._meta.fields]


@admin.register(EmailPreference)
class EmailPreferenceAdmin(_ReadOnly):
    list_display = ["user", "kind", "frequency"]
    list_filter = ["kind", "frequency"]
    search_fields = ["user__username"]
    readonly_fields = [f.name for f in EmailPreference._meta.fields]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(_ReadOnly):
    list_display = ["user", "day", "state", "attempts", "sent_at"]
    list_filter = ["state"]
    search_fields = ["user__username", "last_error"]
    readonly_fields = [f.name for f in DigestDelivery._meta.fields]

"""API tokens in the admin: a superuser makes one for any user (the secret is shown once, on
the page that follows) and revokes them. The hash is never editable."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse

from claims.api.tokens import MAX_EXPIRY_DAYS, api_token_create, api_token_revoke
from claims.models import ApiToken


class ApiTokenAddForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_EXPIRY_DAYS,
        help_text="Leave empty for a token that does not expire.",
    )

    class Meta:
        model = ApiToken
        fields = ["user", "name", "scope"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "scope", "prefix", "state", "created_at", "expires_at",
                    "last_used_at", "revoked_at"]
    list_filter = ["scope"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "scope", "prefix", "created_at", "created_by",
                       "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = ApiTokenAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["user", "name", "scope", "expires_in_days"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row records when and that it stopped

    def save_model(self, request, obj, form, change):
        if change:
            return
        try:
            made = api_token_create(
                actor=request.user, user=form.cleaned_data["user"], name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data.get("expires_in_days"),
            )
        except ValidationError as error:
            raise ValueError(" ".join(error.messages)) from error
        obj.pk = made.token.pk
        obj.__dict__.update({k: v for k, v in made.token.__dict__.items() if k != "_state"})
        obj._state.adding = False
        request._new_api_token_secret = made.secret

    def response_add(self, request, obj, post_url_continue=None):
        secret = getattr(request, "_new_api_token_secret", "")
        response = TemplateResponse(
            request, "api/admin_token_created.html",
            {**self.admin_site.each_context(request), "token": obj, "secret": secret,
             "opts": self.model._meta, "title": "API token made"},
        )
        response["Cache-Control"] = "no-store"
        return response

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset:
            api_token_revoke(actor=request.user, token_id=token.pk)
        messages.success(request, f"Revoked {queryset.count()} token(s).")

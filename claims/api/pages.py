"""``/settings/tokens/``: a desk member's personal API tokens. A new token is shown once, on
the page that made it (never stored, never in a redirect or a message); tokens are revoked
here too."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims.api.tokens import (
    MAX_EXPIRY_DAYS,
    api_token_create,
    api_token_revoke,
    api_tokens_for_user,
)
from claims.models import TokenScope
from claims.views.common import editor_required, error_text


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What the token is for, e.g. “CMS import”.")
    scope = forms.ChoiceField(
        choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect,
        help_text="Read can list and read; read and write can also change claims.",
    )
    expires_in_days = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_EXPIRY_DAYS, label="Expires after (days)",
        help_text="Leave empty for a token that does not expire.",
    )


def _page(request, form, *, new_secret: str = "", status: int = 200):
    response = render(
        request, "api/tokens.html",
        {"nav": "tokens", "form": form, "tokens": api_tokens_for_user(request.user),
         "new_secret": new_secret},
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the page may carry a new token
    return response


@require_http_methods(["GET", "POST"])
@editor_required
def token_list(request):
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        made = api_token_create(
            actor=request.user, user=request.user, name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"], expires_in_days=form.cleaned_data["expires_in_days"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _page(request, form, status=400)
    return _page(request, TokenForm(), new_secret=made.secret, status=201)


@require_POST
@editor_required
def token_revoke(request, token_id: int):
    try:
        token = api_token_revoke(actor=request.user, token_id=token_id)
    except PermissionDenied as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Token “{token.name}” revoked: it no longer works.")
    return redirect("tokens:list")

"""Forms for the discussion. They validate input; the comment services do the writing."""

from __future__ import annotations

import uuid

from django import forms

from claims.services.comments import BODY_MAX_CHARS


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works: **bold**, *italic*, lists, links. Only the desk sees comments.",
    )
    # One key per rendered form: sending the same form twice posts one comment.
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment_%s")
        kwargs.setdefault("initial", {}).setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)


class CommentEditForm(forms.Form):
    body = forms.CharField(label="Comment", max_length=BODY_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 3}))

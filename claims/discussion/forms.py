"""Forms for the discussion. They validate input; the comment services do the writing."""

from __future__ import annotations

import uuid

from django import forms
from django.urls import reverse

from claims.services.comments import BODY_MAX_CHARS


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment", max_length=BODY_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown works: **bold**, *italic*, lists, links. Type @ and a name to mention "
                  "someone: they are told. Only the desk sees comments.",
    )
    # One key per rendered form: sending the same form twice posts one comment.
    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "comment_%s")
        kwargs.setdefault("initial", {}).setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        # The suggestion list of static/js/discussion.js (a listbox it points at with
        # aria-activedescendant while one moves through it with the arrow keys).
        self.fields["body"].widget.attrs.update({
            "data-mentions": reverse("discussion:mention_suggestions"),
            "aria-controls": "mention-suggestions", "aria-autocomplete": "list",
        })


class CommentEditForm(forms.Form):
    body = forms.CharField(label="Comment", max_length=BODY_MAX_CHARS,
                           widget=forms.Textarea(attrs={"rows": 3}))


class EmailPreferencesForm(forms.Form):
    """One choice per notification kind: immediately, in a daily digest, or never."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        from claims.models import EmailFrequency, NotificationKind, default_email

        super().__init__(*args, **kwargs)
        for kind in NotificationKind:
            if kind == NotificationKind.OTHER:
                continue
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=EmailFrequency.choices, widget=forms.RadioSelect,
                initial=current.get(kind.value) or default_email(kind.value),
            )

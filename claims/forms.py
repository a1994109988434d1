"""Forms for the claims desk. They validate input; services do the writing."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from claims.models import ClaimantKind, ClaimStatus, Priority, Stance
from sources.models import Outlet, SourceKind
from sources.validators import validate_web_url

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50


def editor_choices():
    """(id, username) of everyone who can be assigned a claim: one query."""
    User = get_user_model()
    editors = (
        User.objects.filter(is_active=True)
        .filter(groups__permissions__codename="change_claim")
        .distinct()
        .order_by("username")
        .values_list("pk", "username")
    )
    return [(str(pk), name) for pk, name in editors]


class QueueFilterForm(forms.Form):
    """The triage queue's filters: a GET form, so the whole view lives in the URL.

    Reused by exports ("export this view") through ``claims.selectors.claim_queue(user=,
    params=request.GET)``, which binds this form itself. Fields:

    - ``q``: full-text search (websearch syntax: "quoted phrase", -exclude, or)
    - ``status``: any of ClaimStatus (multi); none selected means the open statuses
    - ``priority``: 1-4
    - ``assignee``: "anyone" (default), "me", "unassigned", or an editor's user id
    - ``tag``: a tag name; ``outlet``: an outlet id (any of the claim's evidence sources)
    - ``logged_from`` / ``logged_to``: inclusive dates the claim was logged between
    - ``sort``: priority (default) | newest | oldest | activity | relevance (default when searching)
    - ``per_page``: 25 | 50 | 100 (page size, not a filter)
    """

    q = forms.CharField(required=False, max_length=300, label="Search")
    status = forms.MultipleChoiceField(
        required=False, choices=ClaimStatus.choices, widget=forms.CheckboxSelectMultiple
    )
    priority = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None,
        choices=[("", "Any priority"), *[(str(v), label) for v, label in Priority.choices]],
    )
    # A CharField with a <select>: validating it needs no query (see clean_assignee); the
    # editors' names are only loaded when the form is rendered (load_choices=True).
    assignee = forms.CharField(required=False, widget=forms.Select)
    tag = forms.CharField(required=False, max_length=60)
    outlet = forms.ModelChoiceField(
        required=False, queryset=Outlet.objects.order_by("name"), empty_label="Any outlet"
    )
    logged_from = forms.DateField(
        required=False, label="Logged from", widget=forms.DateInput(attrs={"type": "date"})
    )
    logged_to = forms.DateField(
        required=False, label="Logged to", widget=forms.DateInput(attrs={"type": "date"})
    )
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("", "Default"),
            ("priority", "Priority"),
            ("newest", "Newest"),
            ("oldest", "Oldest"),
            ("activity", "Last activity"),
            ("relevance", "Relevance (when searching)"),
        ],
    )
    per_page = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=DEFAULT_PAGE_SIZE,
        choices=[(str(n), f"{n} per page") for n in PAGE_SIZES],
    )

    def __init__(self, *args, user=None, load_choices=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.editor_choices = editor_choices() if load_choices else []
        self.fields["assignee"].widget.choices = [
            ("anyone", "Anyone"),
            ("me", "Me"),
            ("unassigned", "Unassigned"),
            *self.editor_choices,
        ]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": 'Search claims, claimants, quotes, notes', "data-shortcut-search": ""}
        )
        self.fields["tag"].widget.attrs.update({"list": "tag-options"})

    def clean_assignee(self):
        value = (self.cleaned_data.get("assignee") or "anyone").strip()
        if value not in {"anyone", "me", "unassigned"} and not value.isdigit():
            raise forms.ValidationError("Choose anyone, me, unassigned or an editor.")
        return value

    @property
    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        keys = {"q", "status", "priority", "tag", "outlet", "logged_from", "logged_to"}
        data = getattr(self, "cleaned_data", {})
        return any(data.get(k) for k in keys) or data.get("assignee") not in (None, "", "anyone")


class _UniqueIds:
    """The claim page holds several evidence forms with the same field names; each form gets
    its own id prefix so every <label for> points at the right input."""

    id_prefix = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class WebURLField(forms.URLField):
    """A URL field that takes web addresses only, and says so: ``javascript:``, ``data:``,
    ``ftp:`` and the rest are refused with one clear message before any other check."""

    def run_validators(self, value):
        if value in self.empty_values:
            return
        validate_web_url(value)
        super().run_validators(value)


class ClaimForm(forms.Form):
    """Intake and edit: the claim's own details."""

    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, label="Claim",
        help_text="As stated. It is stored exactly as typed.",
    )
    claimant = forms.CharField(max_length=300, help_text="Who made the claim")
    claimant_kind = forms.ChoiceField(
        choices=ClaimantKind.choices, initial=ClaimantKind.PERSON, label="The claimant is a"
    )
    said_url = WebURLField(
        required=False, max_length=2000, label="Where it was said (URL)", assume_scheme="https"
    )
    said_where = forms.CharField(
        required=False, max_length=300, label="Where it was said (venue)",
        help_text="e.g. press conference in Beijing",
    )
    said_on = forms.DateField(
        required=False, label="When it was said", widget=forms.DateInput(attrs={"type": "date"})
    )
    tags = forms.CharField(required=False, max_length=500, help_text="Comma-separated")
    priority = forms.TypedChoiceField(
        choices=[(str(v), label) for v, label in Priority.choices], coerce=int,
        initial=str(Priority.NORMAL),
    )

    def clean_text(self):
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError("Type the claim.")
        return text

    def clean_tags(self):
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]


class ClaimEditForm(_UniqueIds, ClaimForm):
    id_prefix = "edit"

    revision = forms.IntegerField(widget=forms.HiddenInput)


class ClaimDeskEditForm(_UniqueIds, forms.Form):
    """A published (or in-review) claim: only the desk's own details stay editable."""

    id_prefix = "edit"

    tags = ClaimForm.base_fields["tags"]
    priority = ClaimForm.base_fields["priority"]
    revision = forms.IntegerField(widget=forms.HiddenInput)

    clean_tags = ClaimForm.clean_tags


def claim_edit_form_class(*, frozen: bool, data=None):
    """The edit form for a claim. A frozen claim gets the desk-only form, unless the request
    carries public fields (an old form, a hand-made POST): then the full form is bound so the
    service can refuse the change out loud instead of silently dropping it."""
    if not frozen:
        return ClaimEditForm
    if data is not None and any(name in data for name in ClaimForm.base_fields if name not in ClaimDeskEditForm.base_fields):
        return ClaimEditForm
    return ClaimDeskEditForm


class EvidenceFieldsForm(_UniqueIds, forms.Form):
    stance = forms.ChoiceField(choices=Stance.choices, initial=Stance.SUPPORTS)
    speaker = forms.CharField(required=False, max_length=300, help_text="Who says it in the source")
    speaker_is_party = forms.BooleanField(
        required=False, label="The speaker is a party to the claim"
    )
    quote = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachUrlForm(EvidenceFieldsForm):
    id_prefix = "attach"
    url = forms.CharField(
        max_length=2000, label="Source URL",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    field_order = ["url", "stance", "speaker", "speaker_is_party", "quote", "note"]


class ManualSourceForm(EvidenceFieldsForm):
    id_prefix = "manual"
    kind = forms.ChoiceField(choices=SourceKind.choices, initial=SourceKind.PRESS_CONFERENCE)
    title = forms.CharField(required=False, max_length=500)
    outlet = forms.ModelChoiceField(
        required=False, queryset=Outlet.objects.order_by("name"), empty_label="— choose —"
    )
    outlet_name = forms.CharField(
        required=False, max_length=200, label="…or type an outlet name"
    )
    description = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where and how it was said",
    )
    published_on = forms.DateField(
        required=False, label="Date", widget=forms.DateInput(attrs={"type": "date"})
    )
    field_order = ["kind", "title", "outlet", "outlet_name", "description", "published_on"]

    def clean(self):
        data = super().clean()
        if not data.get("title") and not data.get("description"):
            self.add_error("title", "Give the source a title or a description.")
        return data


class DenialForm(_UniqueIds, forms.Form):
    """A denial: a party to the claim says it is false. Source by URL, or described by hand."""

    id_prefix = "denial"

    speaker = forms.CharField(max_length=300, label="Who denied it")
    stated_on = forms.DateField(
        required=False, label="When", widget=forms.DateInput(attrs={"type": "date"})
    )
    stated_where = forms.CharField(required=False, max_length=300, label="Where")
    quote = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="What they said")
    url = forms.CharField(required=False, max_length=2000, label="Source URL")
    kind = forms.ChoiceField(
        required=False, choices=SourceKind.choices, initial=SourceKind.OFFICIAL_STATEMENT,
        label="…or, with no URL, the kind of source",
    )
    title = forms.CharField(required=False, max_length=500, label="Source title")
    outlet_name = forms.CharField(required=False, max_length=200, label="Outlet")
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("title"):
            self.add_error("url", "Give the source's URL, or a title for a source with no URL.")
        return data


class EvidenceEditForm(forms.Form):
    """Correct an evidence item. Ids are prefixed with the item's id (``ev12_stance``), since
    several items can have their forms open on the claim page at once."""

    stance = forms.ChoiceField(choices=Stance.choices)
    speaker = forms.CharField(required=False, max_length=300, help_text="Who says it in the source")
    speaker_is_party = forms.BooleanField(
        required=False, label="The speaker is a party to the claim"
    )
    quote = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    stated_on = forms.DateField(
        required=False, label="When they said it", widget=forms.DateInput(attrs={"type": "date"})
    )
    stated_where = forms.CharField(required=False, max_length=300, label="Where they said it")
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="Internal note",
        help_text="For the desk only; never published.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, evidence, **kwargs):
        kwargs.setdefault("auto_id", f"ev{evidence.pk}_%s")
        super().__init__(*args, **kwargs)
        self.evidence = evidence
        # The form appears in place of the item (htmx) or on its own page: start typing in it.
        first = next(name for name, field in self.fields.items() if not field.widget.is_hidden)
        self.fields[first].widget.attrs["autofocus"] = True

    @staticmethod
    def initial_for(evidence) -> dict:
        return {
            "stance": evidence.stance, "speaker": evidence.speaker,
            "speaker_is_party": evidence.speaker_is_party, "quote": evidence.quote,
            "stated_on": evidence.stated_on, "stated_where": evidence.stated_where,
            "note": evidence.note, "revision": evidence.revision,
        }


class EvidenceNoteForm(EvidenceEditForm):
    """Cited by the published verdict: only the internal note can change on the desk."""

    stance = speaker = speaker_is_party = quote = stated_on = stated_where = None


def evidence_edit_form_class(*, frozen: bool, data=None):
    """As claim_edit_form_class: a frozen item gets the note-only form, unless the request
    carries its public fields, which the service then refuses out loud."""
    if not frozen:
        return EvidenceEditForm
    if data is not None and any(name in data for name in ("stance", "speaker", "quote")):
        return EvidenceEditForm
    return EvidenceNoteForm


class EvidenceRemoveForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, label="Why remove it?",
        help_text="Kept in the claim's history with your name and the time.",
        error_messages={"required": "Say why this evidence is being removed."},
    )

    def __init__(self, *args, evidence, **kwargs):
        kwargs.setdefault("auto_id", f"rm{evidence.pk}_%s")
        super().__init__(*args, **kwargs)
        self.evidence = evidence
        self.fields["reason"].widget.attrs["autofocus"] = True


class NoteForm(_UniqueIds, forms.Form):
    id_prefix = "note"

    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Note", max_length=10000)


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=ClaimStatus.choices)
    reason = forms.CharField(required=False, max_length=2000)


class DuplicateForm(_UniqueIds, forms.Form):
    id_prefix = "duplicate"

    original = forms.IntegerField(label="Original claim number", min_value=1)


class PriorCheckCiteForm(forms.Form):
    prior_check = forms.IntegerField(min_value=1)


class AssignForm(forms.Form):
    """assignee: "me", "" (unassign) or an editor's user id."""

    assignee = forms.CharField(required=False)


BULK_ACTIONS = [("assign", "Assign to"), ("priority", "Set priority"), ("status", "Change status")]


class BulkActionForm(forms.Form):
    claims = forms.TypedMultipleChoiceField(coerce=int, choices=[])  # any ints; checked below
    action = forms.ChoiceField(choices=BULK_ACTIONS)
    assignee = forms.CharField(required=False)
    priority = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *[(str(v), label) for v, label in Priority.choices]],
    )
    status = forms.ChoiceField(
        required=False,
        choices=[("", "—"), *[(v, label) for v, label in ClaimStatus.choices if v != "duplicate"]],
    )
    reason = forms.CharField(required=False, max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Accept any claim ids; the services refuse what the user may not touch.
        raw = self.data.getlist("claims") if hasattr(self.data, "getlist") else self.data.get("claims", [])
        self.fields["claims"].choices = [(v, v) for v in raw]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == "priority" and not data.get("priority"):
            self.add_error("priority", "Choose a priority.")
        if action == "status" and not data.get("status"):
            self.add_error("status", "Choose a status.")
        return data

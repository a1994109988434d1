"""Forms for verdicts and reviews. They validate input; the services decide."""

from __future__ import annotations

from django import forms

from claims.models import Claim, Rating, Stance
from claims.reviewing import selectors


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, evidence):
        speaker = evidence.speaker or "Unattributed"
        return f"{evidence.get_stance_display()} — {speaker}: {evidence.source}"


class VerdictForm(forms.Form):
    rating = forms.ModelChoiceField(
        queryset=Rating.objects.none(), empty_label="Choose a rating…",
        help_text="Retired ratings cannot be chosen.",
    )
    headline = forms.CharField(
        max_length=300, help_text="One line a reader can take away.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    summary_md = forms.CharField(
        label="Summary", widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, *italic*, [links](https://…), lists. HTML is removed.",
    )
    reasoning = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="How you reached the rating: what was checked and what was not.",
    )
    cited_evidence = EvidenceChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Evidence cited", help_text="Cite at least one item, including a denial or refutation.",
    )
    denial_waiver_reason = forms.CharField(
        required=False, label="No denial or refutation cited because…",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only if none of the cited evidence denies or refutes the claim.",
    )
    correction_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required for a correction: what changed and why. Shown publicly with its date.",
    )
    based_on = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, claim: Claim, is_correction: bool, keep_rating: Rating | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        ratings = selectors.ratings_for_new_drafts()
        if keep_rating is not None:  # a draft keeps its (since retired) rating visible
            ratings = Rating.objects.filter(pk__in=[*ratings.values_list("pk", flat=True), keep_rating.pk])
        self.fields["rating"].queryset = ratings
        self.fields["cited_evidence"].queryset = claim.evidence.select_related("source").order_by(
            "stance", "added_at"
        )
        self.is_correction = is_correction
        if is_correction:
            self.fields["correction_note"].required = True
        else:
            del self.fields["correction_note"]

    def clean(self):
        data = super().clean()
        if self.data.get("action") == "submit":
            cited = data.get("cited_evidence") or []
            if not cited:
                self.add_error("cited_evidence", "Cite at least one evidence item.")
            elif not any(e.stance == Stance.DENIES for e in cited) and not (
                data.get("denial_waiver_reason") or ""
            ).strip():
                self.add_error(
                    "denial_waiver_reason",
                    "None of the cited evidence denies or refutes the claim: cite a denial, or say why there is none.",
                )
        return data

    @staticmethod
    def initial_from(version) -> dict:
        if version is None:
            return {}
        return {
            "rating": version.rating_id,
            "headline": version.headline,
            "summary_md": version.summary_md,
            "reasoning": version.reasoning,
            "cited_evidence": [e.pk for e in version.cited_evidence.all()],
            "denial_waiver_reason": version.denial_waiver_reason,
            "correction_note": version.correction_note if version.state == "draft" else "",
        }


class RequestChangesForm(forms.Form):
    comments = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What must change before you can approve it. The author sees this.",
        error_messages={"required": "Say what needs to change, so the author can revise it."},
    )


class ApproveForm(forms.Form):
    comments = forms.CharField(
        required=False, label="Note for the author", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Optional. Kept with the review.",
    )

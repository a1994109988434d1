"""Forms for verdicts and reviews. They validate input; the services decide."""

from __future__ import annotations

import copy

from django import forms

from claims.activity import json_value
from claims.forms import ClaimForm, EvidenceEditForm
from claims.models import Claim, Rating, Stance
from claims.models.verdicts import CLAIM_CORRECTABLE_FIELDS, EVIDENCE_CORRECTABLE_FIELDS
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

    def __init__(self, *args, claim: Claim, is_correction: bool, keep_rating: Rating | None = None,
                 frozen_evidence=(), **kwargs):
        super().__init__(*args, **kwargs)
        ratings = selectors.ratings_for_new_drafts()
        if keep_rating is not None:  # a draft keeps its (since retired) rating visible
            ratings = Rating.objects.filter(pk__in=[*ratings.values_list("pk", flat=True), keep_rating.pk])
        self.fields["rating"].queryset = ratings
        self.fields["cited_evidence"].queryset = claim.evidence.active().select_related("source").order_by(
            "stance", "added_at"
        )
        self.is_correction = is_correction
        self.frozen_evidence = list(frozen_evidence) if is_correction else []
        if is_correction:
            self.fields["correction_note"].required = True
            self._add_correction_fields()
        else:
            del self.fields["correction_note"]

    # --- A correction may also change the published claim and the evidence it cites -----

    def _add_correction_fields(self):
        claim_form = ClaimForm()
        for name in CLAIM_CORRECTABLE_FIELDS:
            field = copy.deepcopy(claim_form.fields[name])
            field.help_text = ""
            self.fields[f"claim_{name}"] = field
        self.fields["claim_text"].label = "Claim, as stated"
        evidence_form_fields = EvidenceEditForm.base_fields
        for evidence in self.frozen_evidence:
            for name in EVIDENCE_CORRECTABLE_FIELDS:
                field = copy.deepcopy(evidence_form_fields[name])
                field.help_text = ""
                self.fields[f"ev{evidence.pk}_{name}"] = field

    def claim_fields(self):
        return [self[f"claim_{name}"] for name in CLAIM_CORRECTABLE_FIELDS] if self.is_correction else []

    def evidence_sections(self):
        """(evidence, bound fields, changed?) for each evidence item the published verdict cites."""
        sections = []
        for evidence in self.frozen_evidence:
            fields = [self[f"ev{evidence.pk}_{name}"] for name in EVIDENCE_CORRECTABLE_FIELDS]
            if self.is_bound:
                changed = any(
                    f.errors or f.field.has_changed(getattr(evidence, name), f.data)
                    for f, name in zip(fields, EVIDENCE_CORRECTABLE_FIELDS, strict=True)
                )
            else:  # a draft's proposed values differ from what is published
                changed = any(
                    json_value(self.initial.get(f"ev{evidence.pk}_{name}")) != json_value(getattr(evidence, name))
                    for name in EVIDENCE_CORRECTABLE_FIELDS
                )
            sections.append((evidence, fields, changed))
        return sections

    def claim_values(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(f"claim_{name}") for name in CLAIM_CORRECTABLE_FIELDS} if self.is_correction else {}

    def evidence_values(self) -> dict:
        data = self.cleaned_data
        return {
            evidence.pk: {name: data.get(f"ev{evidence.pk}_{name}") for name in EVIDENCE_CORRECTABLE_FIELDS}
            for evidence in self.frozen_evidence
        }

    @staticmethod
    def correction_initial(claim: Claim, frozen_evidence, proposed=()) -> dict:
        """The published values, with a draft's proposed changes (CorrectionChange rows) on top."""
        initial = {f"claim_{name}": getattr(claim, name) for name in CLAIM_CORRECTABLE_FIELDS}
        for evidence in frozen_evidence:
            for name in EVIDENCE_CORRECTABLE_FIELDS:
                initial[f"ev{evidence.pk}_{name}"] = getattr(evidence, name)
        for change in proposed:
            key = f"claim_{change.field}" if change.evidence_id is None else f"ev{change.evidence_id}_{change.field}"
            initial[key] = change.new_value
        return initial

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

"""Evidence on the claim page: attaching a source by URL or by hand, recording a denial,
correcting an item and removing it. Each answers htmx with a fragment, a form with a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from claims import selectors, services
from claims.forms import (
    AttachUrlForm,
    DenialForm,
    EvidenceEditForm,
    EvidenceRemoveForm,
    ManualSourceForm,
    evidence_edit_form_class,
)
from claims.selectors import claim_get_for_user
from claims.views.claim_page import (
    activity_context,
    claim_for_page,
    evidence_context,
    rerender_claim_page,
)
from claims.views.common import claim_url, error_text
from workbench.http import is_htmx


def _evidence_response(request, claim, form_name, form, *, created_message):
    """After attaching evidence: a fragment for htmx, a redirect otherwise."""
    if is_htmx(request):
        context = {**evidence_context(claim), **activity_context(claim), form_name: form,
                   "form_message": created_message, "form_name": form_name}
        return render(request, f"claims/claim_detail.html#{form_name}_result", context)
    messages.success(request, created_message)
    return redirect(claim_url(claim) + "#evidence")


def _evidence_error(request, claim, form_name, form):
    if is_htmx(request):
        context = {**evidence_context(claim), form_name: form}
        return render(request, f"claims/claim_detail.html#{form_name}_result", context, status=200)
    return rerender_claim_page(request, claim_for_page(request, claim.pk), **{form_name: form})


def _attached_message(source) -> str:
    message = f"Source attached: {source.title or source.url}."
    if source.fetch_status == source.FetchStatus.PENDING:
        # True whether or not the broker is up: the archive is recorded and will run.
        message += " Archiving is queued; this page updates when it is done."
    return message


@require_POST
def evidence_attach(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = AttachUrlForm(request.POST)
    if form.is_valid():
        try:
            evidence = services.evidence_attach_url(actor=request.user, claim_id=claim.pk, **form.cleaned_data)
        except services.DuplicateEvidence as error:
            form.add_error(None, error_text(error))
        except ValidationError as error:
            form.add_error("url", error_text(error))
        else:
            return _evidence_response(
                request, claim, "attach_form", AttachUrlForm(),
                created_message=_attached_message(evidence.source),
            )
    return _evidence_error(request, claim, "attach_form", form)


@require_POST
def evidence_manual(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = ManualSourceForm(request.POST)
    if form.is_valid():
        try:
            services.evidence_add_manual(actor=request.user, claim_id=claim.pk, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _evidence_response(request, claim, "manual_form", ManualSourceForm(),
                                      created_message="Source added.")
    return _evidence_error(request, claim, "manual_form", form)


@require_POST
def denial_record(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = DenialForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.denial_record(actor=request.user, claim_id=claim.pk, **data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            return _evidence_response(request, claim, "denial_form", DenialForm(),
                                      created_message=f"Denial by {data['speaker']} recorded.")
    return _evidence_error(request, claim, "denial_form", form)


# --- Correcting and removing evidence ----------------------------------------------------


def _evidence_list_response(request, evidence, *, message: str, focus_id: int | None):
    """After an evidence edit: the whole list for htmx (the item may change group), announcing
    what happened and moving focus to the item; a redirect to it otherwise."""
    claim = evidence.claim
    if is_htmx(request):
        context = evidence_context(claim, evidence_message=message, focus_evidence_id=focus_id)
        context.update(activity_context(claim))
        return render(request, "claims/claim_detail.html#evidence_changed", context)
    messages.success(request, message)
    anchor = f"#evidence-{focus_id}" if focus_id else "#evidence"
    return redirect(claim_url(claim) + anchor)


def _evidence_form_response(request, template_partial: str, context: dict, *, status: int = 200):
    """The form on its own page, or as a fragment for htmx. A refused htmx POST puts the form
    back where it was (the form's own target is the whole evidence list)."""
    if is_htmx(request):
        response = render(request, f"claims/evidence_edit.html#{template_partial}", context, status=200)
        if request.method == "POST":
            response["HX-Retarget"] = f"#{template_partial.replace('_', '-')}-{context['evidence'].pk}"
            response["HX-Reswap"] = "outerHTML"
        return response
    context = {**context, "nav": "queue", "claim": context["evidence"].claim, "partial": template_partial}
    return render(request, "claims/evidence_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def evidence_edit(request, pk, evidence_id):
    evidence = selectors.evidence_get_for_user(request.user, claim_id=pk, evidence_id=evidence_id)
    frozen_reason = services.evidence_frozen_reason(evidence)
    form_class = evidence_edit_form_class(frozen=bool(frozen_reason), data=request.POST or None)
    status = 200
    if request.method == "GET":
        form = form_class(initial=EvidenceEditForm.initial_for(evidence), evidence=evidence)
    else:
        form = form_class(request.POST, evidence=evidence)
        status = 400
        if form.is_valid():
            data = dict(form.cleaned_data)
            revision = data.pop("revision")
            try:
                services.evidence_update(
                    actor=request.user, evidence_id=evidence.pk, expected_revision=revision, **data
                )
            except services.StaleEvidenceEdit as conflict:
                evidence = conflict.current
                posted = request.POST.copy()
                posted["revision"] = str(evidence.revision)
                form = form_class(posted, evidence=evidence)
                form.is_valid()
                form.add_error(None, error_text(conflict))
                status = 409
            except services.EvidenceFrozen as error:
                form = evidence_edit_form_class(frozen=True)(request.POST, evidence=evidence)
                form.is_valid()
                form.add_error(None, error_text(error))
                status = 409
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                return _evidence_list_response(
                    request, evidence, message="Evidence updated; the change is in the activity log.",
                    focus_id=evidence.pk,
                )
    context = {"evidence": evidence, "form": form, "frozen_reason": frozen_reason}
    return _evidence_form_response(request, "evidence_edit", context, status=status)


@require_http_methods(["GET", "POST"])
def evidence_remove(request, pk, evidence_id):
    evidence = selectors.evidence_get_for_user(request.user, claim_id=pk, evidence_id=evidence_id)
    form = EvidenceRemoveForm(request.POST or None, evidence=evidence)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.evidence_remove(
                    actor=request.user, evidence_id=evidence.pk, reason=form.cleaned_data["reason"]
                )
            except services.EvidenceFrozen as error:
                form.add_error(None, error_text(error))
                status = 409
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error_text(error))
            else:
                return _evidence_list_response(
                    request, evidence,
                    message="Evidence removed. It stays listed under “Removed evidence” with your reason.",
                    focus_id=None,
                )
    context = {
        "evidence": evidence, "form": form,
        "frozen_reason": services.evidence_frozen_reason(evidence),
    }
    return _evidence_form_response(request, "evidence_remove", context, status=status)

"""The claim page: its overview, editing, workflow moves, assignment, duplicates, notes."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.activity import activity_rows
from claims.discussion.selectors import is_watching
from claims.forms import (
    AssignForm,
    AttachUrlForm,
    DenialForm,
    DuplicateForm,
    ManualSourceForm,
    MoveForm,
    NoteForm,
    claim_edit_form_class,
)
from claims.models import Claim, ClaimStatus, Stance
from claims.permissions import can_edit_claims
from claims.selectors import claim_get_for_user
from claims.views.common import claim_url, error_text, resolve_assignee
from claims.views.evidence_rows import evidence_items_render
from workbench.http import row_url, safe_next

# --- Claim page --------------------------------------------------------------------------


def _allowed_moves(user, claim):
    if not can_edit_claims(user):
        return []
    # Publishing happens by approving the verdict (Verdict tab), never as a bare move.
    targets = services.ALLOWED_TRANSITIONS.get(claim.status, set()) - {
        ClaimStatus.DUPLICATE,
        *services.REVIEWER_ONLY_TARGETS,
    }
    order = [s for s, _ in ClaimStatus.choices]
    return [ClaimStatus(s) for s in sorted(targets, key=order.index)]


def evidence_context(claim, **extra):
    # Rows carry their annotations and the links set below (templates read them).
    evidence: list[Any] = selectors.claim_evidence(claim_id=claim.pk)
    # One reverse() per page, not three per item: a claim can carry hundreds of items.
    edit_url = row_url("claims:evidence_edit", claim.pk)
    remove_url = row_url("claims:evidence_remove", claim.pk)
    snapshot_url = row_url("sources:snapshot_detail", row_args=2)
    for item in evidence:
        item.edit_url = edit_url(item.pk)
        item.remove_url = remove_url(item.pk)
        if item.snapshot_id:
            item.snapshot_url = snapshot_url(item.source_id, item.snapshot_id)
        item.cited = "published" if item.cited_publicly else "review" if item.cited_in_review else ""
    correction_url = reverse("reviewing:verdict", args=[claim.pk]) + "#correction"
    evidence_items_render(evidence, correction_url=correction_url)
    groups = [
        ("supports", "Supporting", [e for e in evidence if e.stance == Stance.SUPPORTS]),
        ("denies", "Denials and refutations", [e for e in evidence if e.stance == Stance.DENIES]),
        ("context", "Context", [e for e in evidence if e.stance == Stance.CONTEXT]),
    ]
    fetching = any(e.source.fetch_status == "pending" for e in evidence)
    return {"claim": claim, "evidence_groups": groups, "evidence_fetching": fetching,
            "evidence_total": len(evidence),
            "removed_evidence": selectors.claim_removed_evidence(claim_id=claim.pk),
            "correction_url": correction_url,
            # Defined, so the per-item checks never look up a missing name (slow in templates).
            "evidence_message": "", "focus_evidence_id": None, **extra}


def _edit_initial(claim):
    return {
        "text": claim.text, "claimant": claim.claimant, "claimant_kind": claim.claimant_kind,
        "said_url": claim.said_url, "said_where": claim.said_where, "said_on": claim.said_on,
        "priority": str(claim.priority), "tags": ", ".join(t.name for t in claim.tags.all()),
        "revision": claim.revision,
    }


def activity_context(claim, *, show_all: bool = False) -> dict:
    return {
        "activity": activity_rows(
            selectors.claim_activity(claim_id=claim.pk, limit=None if show_all else 20)
        ),
        "activity_total": selectors.claim_activity_count(claim_id=claim.pk),
        "show_all_activity": show_all,
    }


def _detail_context(request, claim, **overrides):
    show_all = request.GET.get("activity") == "all"
    frozen_reason = services.claim_frozen_reason(claim)
    edit_form_class = claim_edit_form_class(frozen=bool(frozen_reason))
    context = {
        "nav": "queue",
        "tab": "overview",
        "claim": claim,
        "verdict": selectors.claim_current_verdict(claim_id=claim.pk),
        "moves": _allowed_moves(request.user, claim),
        "watching": is_watching(request.user, claim.pk),
        "notes": claim.notes.select_related("author").order_by("-created_at"),
        **activity_context(claim, show_all=show_all),
        "frozen_reason": frozen_reason,
        **_open_correction(claim),
        "edit_form": edit_form_class(initial=_edit_initial(claim)),
        "attach_form": AttachUrlForm(),
        "manual_form": ManualSourceForm(),
        "denial_form": DenialForm(),
        "note_form": NoteForm(),
        "duplicate_form": DuplicateForm(),
        "editors": get_user_model().objects.filter(
            is_active=True, groups__permissions__codename="change_claim"
        ).distinct().order_by("username"),
        **evidence_context(claim),
    }
    context.update(overrides)
    return context


def _open_correction(claim) -> dict:
    """A published claim's correction in progress (a draft, or one awaiting review) and what
    it would change, for the banner at the top of the claim page."""
    if claim.published_at is None:
        return {}
    from claims.reviewing import selectors as reviewing_selectors

    latest = reviewing_selectors.latest_version(claim)
    if latest is None or latest.state not in ("draft", "submitted"):
        return {}
    return {"open_correction": latest, "open_correction_changes": reviewing_selectors.proposed_changes(latest)}


def claim_for_page(request, pk) -> Claim:
    """The claim with what its page shows (404 for outsiders, as every claim fetch)."""
    return claim_get_for_user(
        request.user, pk,
        queryset=Claim.objects.select_related("assignee", "created_by", "duplicate_of")
        .defer("search_vector", "duplicate_of__search_vector")
        .prefetch_related("tags"),
    )


@require_GET
def claim_detail(request, pk):
    claim = claim_for_page(request, pk)
    if claim.status == ClaimStatus.DUPLICATE and claim.duplicate_of_id:
        messages.info(
            request,
            f"Claim #{claim.pk} was marked a duplicate of this one; its evidence and history are here.",
        )
        return redirect(claim_url(claim.duplicate_of_id))
    return render(request, "claims/claim_detail.html", _detail_context(request, claim))


@require_GET
def claim_evidence(request, pk):
    """The evidence list on its own: polled by htmx while sources are still being archived."""
    claim = claim_get_for_user(request.user, pk)
    return render(request, "claims/claim_detail.html#evidence_list", evidence_context(claim))


def rerender_claim_page(request, claim, status=400, **forms):
    return render(request, "claims/claim_detail.html", _detail_context(request, claim, **forms), status=status)


@require_POST
def claim_edit(request, pk):
    claim = claim_for_page(request, pk)
    form_class = claim_edit_form_class(
        frozen=bool(services.claim_frozen_reason(claim)), data=request.POST
    )
    form = form_class(request.POST)
    if not form.is_valid():
        return rerender_claim_page(request, claim, edit_form=form, edit_open=True)
    fields = dict(form.cleaned_data)
    revision = fields.pop("revision")
    try:
        services.claim_update(actor=request.user, claim_id=claim.pk, expected_revision=revision, **fields)
    except services.StaleEdit as conflict:
        current = claim_for_page(request, pk)
        # Keep what the editor typed, but let the next save go through against the current
        # revision now that they have seen the other change.
        data = request.POST.copy()
        data["revision"] = str(current.revision)
        return rerender_claim_page(
            request, current, status=409, edit_form=form_class(data), edit_open=True,
            conflict=error_text(conflict), conflict_current=current,
        )
    except services.ClaimFrozen as error:
        # Show the desk-only form again (the frozen fields stay read-only), with the reason.
        desk_form = claim_edit_form_class(frozen=True)(request.POST)
        desk_form.is_valid()
        desk_form.add_error(None, error)
        return rerender_claim_page(request, claim, status=409, edit_form=desk_form, edit_open=True)
    except ValidationError as error:
        form.add_error(None, error)
        return rerender_claim_page(request, claim, edit_form=form, edit_open=True)
    messages.success(request, "Claim updated.")
    return redirect(claim_url(claim))


@require_POST
def claim_move(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose where to move the claim.")
        return redirect(claim_url(claim))
    try:
        moved = services.claim_change_status(
            actor=request.user, claim_id=claim.pk, to_status=form.cleaned_data["to"],
            reason=form.cleaned_data.get("reason") or "",
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, f"Claim is now {moved.get_status_display().lower()}.")
    return HttpResponseRedirect(safe_next(request, claim_url(claim)))


@require_POST
def claim_assign(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = AssignForm(request.POST)
    form.is_valid()
    assignee = resolve_assignee(request, form.cleaned_data.get("assignee") or "")
    if assignee is False:
        messages.error(request, "Choose someone to assign.")
    else:
        try:
            services.claim_assign(actor=request.user, claim_id=claim.pk, assignee=assignee)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, error_text(error))
        else:
            who = assignee.get_username() if assignee else "nobody"
            messages.success(request, f"Assigned to {who}.")
    return HttpResponseRedirect(safe_next(request, claim_url(claim)))


@require_POST
def claim_duplicate(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return rerender_claim_page(request, claim_for_page(request, pk), duplicate_form=form)
    original_id = form.cleaned_data["original"]
    try:
        services.claim_mark_duplicate(actor=request.user, claim_id=claim.pk, original_id=original_id)
    except (ValidationError, PermissionDenied) as error:
        form.add_error("original", error_text(error))
        return rerender_claim_page(request, claim_for_page(request, pk), duplicate_form=form)
    messages.success(request, f"Claim #{claim.pk} marked a duplicate of this claim; its evidence moved here.")
    return redirect(claim_url(original_id))



@require_POST
def note_create(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, claim_id=claim.pk, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error_text(error))
        else:
            messages.success(request, "Note added.")
            return redirect(claim_url(claim) + "#notes")
    return rerender_claim_page(request, claim_for_page(request, pk), note_form=form)

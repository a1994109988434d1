"""The claims desk: the triage queue, intake and the claim page.

Thin views: permission check, form, one service call, then a redirect (or, for htmx requests,
a fragment of the same template). Every form works without JavaScript.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from claims import selectors, services
from claims.activity import activity_rows
from claims.forms import (
    DEFAULT_PAGE_SIZE,
    AssignForm,
    AttachUrlForm,
    BulkActionForm,
    ClaimForm,
    DenialForm,
    DuplicateForm,
    EvidenceEditForm,
    EvidenceRemoveForm,
    ManualSourceForm,
    MoveForm,
    NoteForm,
    QueueFilterForm,
    claim_edit_form_class,
    evidence_edit_form_class,
)
from claims.models import Claim, ClaimStatus, Stance
from claims.permissions import can_edit_claims
from claims.selectors import claim_get_for_user
from workbench.http import highlight_html, is_htmx, row_url, safe_next


def editor_required(view):
    """The desk's pages about no one claim (the queue, intake) are for editors (and reviewers,
    who are editors too). Others get 403; a claim's own pages use ``claim_get_for_user``."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_edit_claims(request.user):
            raise PermissionDenied("The claims desk is for editors.")
        return view(request, *args, **kwargs)

    return wrapped


def _error_text(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error) or "You are not allowed to do that."


def _claim_url(claim_or_id) -> str:
    return reverse("claims:claim_detail", args=[getattr(claim_or_id, "pk", claim_or_id)])


# --- Queue -------------------------------------------------------------------------------


@require_GET
@editor_required
def claim_list(request):
    """The triage queue. All state (filters, sort, page) lives in the GET query string."""
    form = QueueFilterForm(request.GET or None, user=request.user)
    queryset = selectors.claim_queue(user=request.user, params=request.GET)
    per_page = DEFAULT_PAGE_SIZE
    if form.is_bound and form.is_valid():
        per_page = form.cleaned_data.get("per_page") or DEFAULT_PAGE_SIZE
    page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    # One reverse() per page for each link a row carries: a page has up to 100 rows.
    detail_url, assign_url = row_url("claims:claim_detail"), row_url("claims:claim_assign")
    move_url = row_url("claims:claim_move")
    for claim in rows:
        claim.detail_url = detail_url(claim.pk)
        claim.assign_url, claim.move_url = assign_url(claim.pk), move_url(claim.pk)
        claim.last_activity_text = selectors.verb_text(claim.last_activity_verb)
        if getattr(claim, "headline", None) is not None:
            claim.headline_html = highlight_html(claim.headline)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return render(
        request,
        "claims/claim_list.html",
        {
            "nav": "queue",
            "form": form,
            "page": page,
            "claims": rows,
            "page_links": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "query_without_page": query_without_page.urlencode(),
            "current_url": request.get_full_path(),
            "is_filtered": form.is_filtered,
            "bulk_statuses": [s for s in ClaimStatus.choices if s[0] != ClaimStatus.DUPLICATE],
            "editors": form.editor_choices,
        },
    )


@require_POST
@editor_required
def claim_bulk(request):
    """Apply one action to the selected claims, one claim at a time through the same services
    as the single actions, and report what was refused and why."""
    back = safe_next(request, reverse("claims:claim_list"))
    form = BulkActionForm(request.POST)
    if not form.is_valid():
        problems = "; ".join(f"{', '.join(errs)}" for errs in form.errors.values())
        messages.error(request, f"Nothing changed: {problems or 'select at least one claim.'}")
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    action = data["action"]
    assignee = None
    if action == "assign":
        assignee = _resolve_assignee(request, data.get("assignee") or "")
        if assignee is False:
            messages.error(request, "Nothing changed: choose someone to assign.")
            return HttpResponseRedirect(back)
    outcome = services.claims_bulk_apply(
        actor=request.user, claim_ids=data["claims"], action=action, assignee=assignee,
        priority=data.get("priority"), to_status=data.get("status") or "",
        reason=data.get("reason") or "",
    )
    updated, refused = outcome.updated, outcome.refused
    summary = f"{updated} updated"
    if refused:
        summary += f"; {len(refused)} refused: " + "; ".join(refused)
        messages.warning(request, summary)
    else:
        messages.success(request, summary + ".")
    return HttpResponseRedirect(back)


def _resolve_assignee(request, value: str):
    """"me" → the user, "" → None (unassign), an id → that user; False when unknown."""
    if value == "me":
        return request.user
    if value in ("", "unassigned"):
        return None
    User = get_user_model()
    try:
        return User.objects.get(pk=int(value), is_active=True)
    except (ValueError, User.DoesNotExist):
        return False


# --- Intake ------------------------------------------------------------------------------


@editor_required
def claim_new(request):
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim, created = services.claim_create_once(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if created:
                messages.success(request, "Claim logged.")
            else:
                messages.info(request, "You logged this claim a moment ago; here it is.")
            return redirect(_claim_url(claim))
    similar = selectors.similar_claims(text=form.data.get("text", "")) if form.is_bound else []
    return render(
        request, "claims/claim_new.html", {"nav": "new", "form": form, "similar": similar},
        status=400 if form.is_bound else 200,
    )


@require_GET
@editor_required
def claim_similar(request):
    """htmx fragment for the intake form: claims that look like the text being typed."""
    exclude = request.GET.get("exclude")
    similar = selectors.similar_claims(
        text=request.GET.get("text", "")[:5000],
        exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
    )
    return render(request, "claims/claim_new.html#similar", {"similar": similar})


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


def _evidence_context(claim, **extra):
    evidence = selectors.claim_evidence(claim_id=claim.pk)
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
    groups = [
        ("supports", "Supporting", [e for e in evidence if e.stance == Stance.SUPPORTS]),
        ("denies", "Denials and refutations", [e for e in evidence if e.stance == Stance.DENIES]),
        ("context", "Context", [e for e in evidence if e.stance == Stance.CONTEXT]),
    ]
    fetching = any(e.source.fetch_status == "pending" for e in evidence)
    return {"claim": claim, "evidence_groups": groups, "evidence_fetching": fetching,
            "evidence_total": len(evidence),
            "removed_evidence": selectors.claim_removed_evidence(claim_id=claim.pk),
            "correction_url": reverse("reviewing:verdict", args=[claim.pk]) + "#correction",
            # Defined, so the per-item checks never look up a missing name (slow in templates).
            "evidence_message": "", "focus_evidence_id": None, **extra}


def _edit_initial(claim):
    return {
        "text": claim.text, "claimant": claim.claimant, "claimant_kind": claim.claimant_kind,
        "said_url": claim.said_url, "said_where": claim.said_where, "said_on": claim.said_on,
        "priority": str(claim.priority), "tags": ", ".join(t.name for t in claim.tags.all()),
        "revision": claim.revision,
    }


def _activity_context(claim, *, show_all: bool = False) -> dict:
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
        "notes": claim.notes.select_related("author").order_by("-created_at"),
        **_activity_context(claim, show_all=show_all),
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
        **_evidence_context(claim),
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


def _get_claim(request, pk) -> Claim:
    """The claim with what its page shows (404 for outsiders, as every claim fetch)."""
    return claim_get_for_user(
        request.user, pk,
        queryset=Claim.objects.select_related("assignee", "created_by", "duplicate_of")
        .defer("search_vector", "duplicate_of__search_vector")
        .prefetch_related("tags"),
    )


@require_GET
def claim_detail(request, pk):
    claim = _get_claim(request, pk)
    if claim.status == ClaimStatus.DUPLICATE and claim.duplicate_of_id:
        messages.info(
            request,
            f"Claim #{claim.pk} was marked a duplicate of this one; its evidence and history are here.",
        )
        return redirect(_claim_url(claim.duplicate_of_id))
    return render(request, "claims/claim_detail.html", _detail_context(request, claim))


@require_GET
def claim_evidence(request, pk):
    """The evidence list on its own: polled by htmx while sources are still being archived."""
    claim = claim_get_for_user(request.user, pk)
    return render(request, "claims/claim_detail.html#evidence_list", _evidence_context(claim))


def _rerender(request, claim, status=400, **forms):
    return render(request, "claims/claim_detail.html", _detail_context(request, claim, **forms), status=status)


@require_POST
def claim_edit(request, pk):
    claim = _get_claim(request, pk)
    form_class = claim_edit_form_class(
        frozen=bool(services.claim_frozen_reason(claim)), data=request.POST
    )
    form = form_class(request.POST)
    if not form.is_valid():
        return _rerender(request, claim, edit_form=form, edit_open=True)
    fields = dict(form.cleaned_data)
    revision = fields.pop("revision")
    try:
        services.claim_update(actor=request.user, claim_id=claim.pk, expected_revision=revision, **fields)
    except services.StaleEdit as conflict:
        current = _get_claim(request, pk)
        # Keep what the editor typed, but let the next save go through against the current
        # revision now that they have seen the other change.
        data = request.POST.copy()
        data["revision"] = str(current.revision)
        return _rerender(
            request, current, status=409, edit_form=form_class(data), edit_open=True,
            conflict=_error_text(conflict), conflict_current=current,
        )
    except services.ClaimFrozen as error:
        # Show the desk-only form again (the frozen fields stay read-only), with the reason.
        desk_form = claim_edit_form_class(frozen=True)(request.POST)
        desk_form.is_valid()
        desk_form.add_error(None, error)
        return _rerender(request, claim, status=409, edit_form=desk_form, edit_open=True)
    except ValidationError as error:
        form.add_error(None, error)
        return _rerender(request, claim, edit_form=form, edit_open=True)
    messages.success(request, "Claim updated.")
    return redirect(_claim_url(claim))


@require_POST
def claim_move(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose where to move the claim.")
        return redirect(_claim_url(claim))
    try:
        moved = services.claim_change_status(
            actor=request.user, claim_id=claim.pk, to_status=form.cleaned_data["to"],
            reason=form.cleaned_data.get("reason") or "",
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, f"Claim is now {moved.get_status_display().lower()}.")
    return HttpResponseRedirect(safe_next(request, _claim_url(claim)))


@require_POST
def claim_assign(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = AssignForm(request.POST)
    form.is_valid()
    assignee = _resolve_assignee(request, form.cleaned_data.get("assignee") or "")
    if assignee is False:
        messages.error(request, "Choose someone to assign.")
    else:
        try:
            services.claim_assign(actor=request.user, claim_id=claim.pk, assignee=assignee)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _error_text(error))
        else:
            who = assignee.get_username() if assignee else "nobody"
            messages.success(request, f"Assigned to {who}.")
    return HttpResponseRedirect(safe_next(request, _claim_url(claim)))


@require_POST
def claim_duplicate(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        return _rerender(request, _get_claim(request, pk), duplicate_form=form)
    original_id = form.cleaned_data["original"]
    try:
        services.claim_mark_duplicate(actor=request.user, claim_id=claim.pk, original_id=original_id)
    except (ValidationError, PermissionDenied) as error:
        form.add_error("original", _error_text(error))
        return _rerender(request, _get_claim(request, pk), duplicate_form=form)
    messages.success(request, f"Claim #{claim.pk} marked a duplicate of this claim; its evidence moved here.")
    return redirect(_claim_url(original_id))


def _evidence_response(request, claim, form_name, form, *, created_message):
    """After attaching evidence: a fragment for htmx, a redirect otherwise."""
    if is_htmx(request):
        context = {**_evidence_context(claim), **_activity_context(claim), form_name: form,
                   "form_message": created_message, "form_name": form_name}
        return render(request, f"claims/claim_detail.html#{form_name}_result", context)
    messages.success(request, created_message)
    return redirect(_claim_url(claim) + "#evidence")


def _evidence_error(request, claim, form_name, form):
    if is_htmx(request):
        context = {**_evidence_context(claim), form_name: form}
        return render(request, f"claims/claim_detail.html#{form_name}_result", context, status=200)
    return _rerender(request, _get_claim(request, claim.pk), **{form_name: form})


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
            form.add_error(None, _error_text(error))
        except ValidationError as error:
            form.add_error("url", _error_text(error))
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
            form.add_error(None, _error_text(error))
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
            form.add_error(None, _error_text(error))
        else:
            return _evidence_response(request, claim, "denial_form", DenialForm(),
                                      created_message=f"Denial by {data['speaker']} recorded.")
    return _evidence_error(request, claim, "denial_form", form)


@require_POST
def note_create(request, pk):
    claim = claim_get_for_user(request.user, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.user, claim_id=claim.pk, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", _error_text(error))
        else:
            messages.success(request, "Note added.")
            return redirect(_claim_url(claim) + "#notes")
    return _rerender(request, _get_claim(request, pk), note_form=form)


# --- Correcting and removing evidence ----------------------------------------------------


def _evidence_list_response(request, evidence, *, message: str, focus_id: int | None):
    """After an evidence edit: the whole list for htmx (the item may change group), announcing
    what happened and moving focus to the item; a redirect to it otherwise."""
    claim = evidence.claim
    if is_htmx(request):
        context = _evidence_context(claim, evidence_message=message, focus_evidence_id=focus_id)
        context.update(_activity_context(claim))
        return render(request, "claims/claim_detail.html#evidence_changed", context)
    messages.success(request, message)
    anchor = f"#evidence-{focus_id}" if focus_id else "#evidence"
    return redirect(_claim_url(claim) + anchor)


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
                form.add_error(None, _error_text(conflict))
                status = 409
            except services.EvidenceFrozen as error:
                form = evidence_edit_form_class(frozen=True)(request.POST, evidence=evidence)
                form.is_valid()
                form.add_error(None, _error_text(error))
                status = 409
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
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
                form.add_error(None, _error_text(error))
                status = 409
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, _error_text(error))
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

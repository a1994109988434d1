"""The triage queue (filters, search, bulk actions) and intake (logging a claim)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.timesince import timesince
from django.views.decorators.http import require_GET, require_POST

from claims import selectors, services
from claims.forms import (
    DEFAULT_PAGE_SIZE,
    BulkActionForm,
    ClaimForm,
    QueueFilterForm,
)
from claims.models import ClaimStatus
from claims.views.common import claim_url, editor_required, resolve_assignee
from claims.views.fragments import fragments_render
from workbench.http import highlight_html, row_url, safe_next

# --- Queue -------------------------------------------------------------------------------


def _row_shown(claim) -> tuple:
    """Every value a queue row shows (claims.views.fragments), "3 hours ago" included."""
    return (
        claim.pk, getattr(claim, "headline_html", None), claim.text, claim.claimant,
        tuple(tag.name for tag in claim.tags.all()), claim.status, claim.priority,
        claim.assignee.get_username() if claim.assignee_id else None,
        claim.supporting_count, claim.denial_count, claim.new_coverage_count,
        claim.last_activity_text, claim.last_activity_actor, claim.last_activity_at,
        timesince(claim.last_activity_at) if claim.last_activity_at else "",
        claim.created_at, timesince(claim.created_at),
    )


@require_GET
@editor_required
def claim_list(request):
    """The triage queue. All state (filters, sort, page) lives in the GET query string."""
    form = QueueFilterForm(request.GET or None, user=request.user)
    queryset = selectors.claim_queue(user=request.user, params=request.GET)
    per_page = DEFAULT_PAGE_SIZE
    if form.is_bound and form.is_valid():
        per_page = form.cleaned_data.get("per_page") or DEFAULT_PAGE_SIZE
    page = selectors.claim_queue_page(queryset, per_page=per_page, page=request.GET.get("page"))
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
    fragments_render(rows, template_name="claims/claim_list.html#queue_row", shown=_row_shown,
                     context=lambda claim: {"claim": claim})
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
            "saved_views": list(selectors.saved_views_for(request.user)),
            "view_query": services.saved_view_query(request.GET),
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
        problems = "; ".join(", ".join(str(e) for e in errs) for errs in form.errors.values())
        messages.error(request, f"Nothing changed: {problems or 'select at least one claim.'}")
        return HttpResponseRedirect(back)
    data = form.cleaned_data
    action = data["action"]
    assignee = None
    if action == "assign":
        assignee = resolve_assignee(request, data.get("assignee") or "")
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
            return redirect(claim_url(claim))
    typed = form.data.get("text", "") if form.is_bound else ""
    similar = selectors.similar_claims(text=typed) if typed else []
    prior_checks = selectors.prior_factchecks_for_text(text=typed) if typed else []
    return render(
        request, "claims/claim_new.html",
        {"nav": "new", "form": form, "similar": similar, "prior_checks": prior_checks},
        status=400 if form.is_bound else 200,
    )


@require_GET
@editor_required
def claim_similar(request):
    """htmx fragment for the intake form: claims that look like the text being typed, and
    other publishers' fact-checks of it."""
    exclude = request.GET.get("exclude")
    text = request.GET.get("text", "")[:5000]
    similar = selectors.similar_claims(
        text=text, exclude_id=int(exclude) if exclude and exclude.isdigit() else None,
    )
    prior_checks = selectors.prior_factchecks_for_text(text=text)
    return render(request, "claims/claim_new.html#similar", {"similar": similar, "prior_checks": prior_checks})

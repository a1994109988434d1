"""Coverage views: the claim's Coverage tab, deciding on suggestions, gathering, the inbox.

Every POST works without JavaScript (redirect + message); with htmx it returns a fragment.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from claims.corroboration import selectors, services
from claims.models import CoverageSuggestion, GatherRun
from claims.permissions import can_act_on_coverage
from claims.selectors import claim_get_for_user
from workbench.http import is_htmx, safe_next


def _require_desk(request) -> None:
    """Outsiders do not learn that a claim or a suggestion exists (404, the inbox too)."""
    if not can_act_on_coverage(request.user):
        raise Http404("No such page.")


def _claim_tab_url(claim_id: int) -> str:
    return reverse("coverage:claim_coverage", args=[claim_id])


@require_GET
def claim_coverage(request, claim_id: int):
    _require_desk(request)
    claim = claim_get_for_user(request.user, claim_id)
    context = {
        "claim": claim,
        "groups": selectors.claim_suggestions(claim=claim),
        "dismissed": selectors.claim_recently_dismissed(claim=claim),
        "accepted_count": selectors.claim_accepted_count(claim=claim),
        "run": selectors.claim_latest_gather_run(claim=claim),
        "nav": "queue",
    }
    if is_htmx(request) and request.GET.get("fragment") == "suggestions":
        return render(request, "coverage/claim_coverage.html#suggestions", context)
    return render(request, "coverage/claim_coverage.html", context)


@require_POST
def gather_start(request, claim_id: int):
    _require_desk(request)
    claim = claim_get_for_user(request.user, claim_id)
    try:
        run, created = services.gather_run_start(actor=request.user, claim_id=claim.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_claim_tab_url(claim.pk))
    if is_htmx(request):
        return render(request, "coverage/claim_coverage.html#progress", {"claim": claim, "run": run})
    if created:
        # True whether or not the broker is up: the run is recorded and will be sent.
        messages.success(request, "Gathering coverage is queued. New suggestions appear on this tab "
                                  "as they are found (after an outage, once the workers are back).")
    else:
        messages.info(request, "Coverage is already being gathered for this claim.")
    return redirect(_claim_tab_url(claim.pk))


@require_GET
def gather_progress(request, claim_id: int, run_id: int):
    run = selectors.gather_run_get_for_user(request.user, claim_id=claim_id, run_id=run_id)
    if not is_htmx(request):
        return redirect(_claim_tab_url(claim_id))
    response = render(request, "coverage/claim_coverage.html#progress", {"claim": run.claim, "run": run})
    if run.status in (GatherRun.Status.DONE, GatherRun.Status.FAILED):
        # Tell the page to reload its suggestions once, now that the run is over.
        response["HX-Trigger"] = "coverage-updated"
    return response


def _decide(request, suggestion_id: int, service, done_message: str):
    suggestion = selectors.suggestion_get_for_user(
        request.user, suggestion_id=suggestion_id, queryset=CoverageSuggestion.objects.only("id", "claim_id")
    )
    fallback = _claim_tab_url(suggestion.claim_id)
    error = ""
    try:
        suggestion = service(actor=request.user, suggestion_id=suggestion.pk)
    except ValidationError as exc:
        error = " ".join(exc.messages)
        suggestion = selectors.suggestion_get_for_user(
            request.user, suggestion_id=suggestion_id,
            queryset=CoverageSuggestion.objects.select_related("document", "document__outlet", "claim"),
        )
    if is_htmx(request):
        return render(
            request,
            "coverage/_suggestion.html#decided",
            {"suggestion": suggestion, "error": error, "next": safe_next(request, fallback)},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done_message.format(title=suggestion.document.title or "the article"))
    return redirect(safe_next(request, fallback))


@require_POST
def suggestion_accept(request, suggestion_id: int):
    return _decide(request, suggestion_id, services.suggestion_accept, "Added “{title}” as evidence.")


@require_POST
def suggestion_dismiss(request, suggestion_id: int):
    return _decide(
        request, suggestion_id, services.suggestion_dismiss,
        "Dismissed “{title}”. It will not be suggested for this claim again.",
    )


@require_POST
def suggestion_restore(request, suggestion_id: int):
    return _decide(request, suggestion_id, services.suggestion_restore, "Restored “{title}”.")


@require_GET
def inbox(request):
    _require_desk(request)
    paginator = Paginator(selectors.inbox_suggestions(user=request.user), selectors.INBOX_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    selectors.decorate_page(page)
    return render(request, "coverage/inbox.html", {"page": page, "nav": "coverage"})

"""The coverage model's labels (accepted coverage, where a reviewer corrects a stance) and
the week-by-week list of claims spreading again."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from claims.models import CoverageSuggestion, ResurfacingDigest
from claims.models.coverage import CoverageStance
from claims.monitoring import services
from claims.monitoring.digest import resurfacing_week, week_start_of
from claims.permissions import can_edit_claims, can_review_claims


@require_GET
def model_labels(request):
    if not (can_edit_claims(request.user) or can_review_claims(request.user)):
        raise PermissionDenied("The dashboard is for editors and reviewers.")
    accepted = (CoverageSuggestion.objects.filter(status=CoverageSuggestion.Status.ACCEPTED)
                .select_related("claim", "document", "corrected_by")
                .only("pk", "stance", "stance_confidence", "corrected_stance", "corrected_at",
                      "decided_at", "claim__id", "claim__text", "document__title",
                      "document__canonical_url", "document__language", "corrected_by__username")
                .order_by("-decided_at", "-pk"))
    page = Paginator(accepted, 50).get_page(request.GET.get("page"))
    return render(request, "claims/dashboard/model_labels.html", {
        "nav": "dashboard", "page": page, "stances": CoverageStance.choices,
        "can_correct": can_review_claims(request.user),
    })


@require_POST
def suggestion_stance(request, suggestion_id: int):
    try:
        correction = services.suggestion_correct_stance(
            actor=request.user, suggestion_id=suggestion_id, stance=request.POST.get("stance", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        suggestion = correction.suggestion
        shown = CoverageStance(suggestion.corrected_stance or suggestion.stance).label
        said = f"Stance recorded as “{shown}”. It counts as a label for the coverage model."
        if correction.evidence_changed:
            said += " The evidence item on the claim now says the same (its history shows the change)."
        messages.success(request, said)
        if correction.evidence_left:
            messages.info(request, f"The evidence item was not changed. {correction.evidence_left}")
    page = request.POST.get("page", "")
    return redirect("dashboard:model_labels" if not page.isdigit() else
                    f"/dashboard/model/labels/?page={page}")


def _week(value: str | None) -> date:
    try:
        return week_start_of(date.fromisoformat(value or ""))
    except ValueError:
        return week_start_of(timezone.now().date())


@require_GET
def resurfacing(request):
    """Claims we published as false that spread again, one week at a time (this week by
    default), with how many new items each had, and whether the week's digest went out."""
    if not (can_edit_claims(request.user) or can_review_claims(request.user)):
        raise PermissionDenied("The dashboard is for editors and reviewers.")
    week = _week(request.GET.get("week"))
    this_week = week_start_of(timezone.now().date())
    return render(request, "claims/dashboard/resurfacing.html", {
        "nav": "dashboard", "week": week, "week_end": week + timedelta(days=6),
        "rows": resurfacing_week(week_start=week),
        "digest": ResurfacingDigest.objects.filter(week_start=week).first(),
        "previous_week": week - timedelta(days=7),
        "next_week": week + timedelta(days=7) if week < this_week else None,
        "is_this_week": week == this_week,
    })

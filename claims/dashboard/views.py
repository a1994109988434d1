"""The dashboard page and each panel's CSV. Editors and reviewers only."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from claims.dashboard import panels, queries
from claims.monitoring.alerts import open_alerts
from claims.permissions import can_edit_claims, can_review_claims


def _require_desk(user) -> None:
    if not (can_edit_claims(user) or can_review_claims(user)):
        raise PermissionDenied("The dashboard is for editors and reviewers.")


def _period(request) -> queries.Period:
    return queries.Period.ending(weeks=queries.period_weeks(request.GET.get("weeks")))


@require_GET
def dashboard(request):
    _require_desk(request.user)
    period = _period(request)
    return render(request, "claims/dashboard/dashboard.html", {
        "nav": "dashboard",
        "period": period,
        "period_choices": queries.PERIOD_WEEKS,
        "panels": panels.all_panels(period),
        "oldest": queries.backlog_oldest(),
        "alerts": open_alerts(),
    })


@require_GET
def dashboard_csv(request, key: str):
    _require_desk(request.user)
    period = _period(request)
    panel = panels.panel_for(key, period)
    if panel is None:
        raise Http404("No such chart.")
    response = HttpResponse(panel.csv_text(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{key}-{period.weeks}w-{period.last_week.isoformat()}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response

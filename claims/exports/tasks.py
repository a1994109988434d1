"""Celery tasks for exports. Tasks take ids, reload rows and call the report code."""

from __future__ import annotations

from celery import shared_task

from claims.exports.rendering import report_render_finish
from claims.exports.reports import claim_report, render_report_pdf
from claims.followups import REPORT_RENDER
from claims.models import ReportRender
from workbench.followup import followup_begin, followup_park

# Below FOLLOWUP_GRACE_SECONDS (600 s), so the sweep never re-sends a render still running.
SOFT_TIME_LIMIT = 480
HARD_TIME_LIMIT = 540


@shared_task(name="claims.exports.tasks.report_render", soft_time_limit=SOFT_TIME_LIMIT,
             time_limit=HARD_TIME_LIMIT)
def report_render(render_id: int, ticket: str | None = None) -> str:
    """Render one claim's PDF report, once (see ``claims.exports.rendering``)."""
    if not followup_begin(REPORT_RENDER, [render_id], ticket):
        return "not pending"
    render = ReportRender.objects.select_related("requested_by").filter(pk=render_id).first()
    if render is None:
        return "gone"
    try:
        context = claim_report(claim_id=render.claim_id, user=render.requested_by)
    except Exception as exc:  # noqa: BLE001 - the claim is gone, or the requester lost access
        followup_park(REPORT_RENDER, [render_id], f"The report could not be prepared: {exc}")
        return "failed"
    report_render_finish(render_id=render_id, pdf=render_report_pdf(context))
    return "ready"

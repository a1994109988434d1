"""PDF reports of large claims, rendered by a worker and downloaded when ready.

A claim with a small record is rendered in the request (``REPORT_PDF_INLINE_ITEMS``
evidence items and activity events or fewer: well under a second or two). A larger one
(2,000 evidence items take minutes in WeasyPrint) is a ``ReportRender`` row, durable
follow-up work (``workbench.followup``): recorded, queued on commit, rendered once by a
worker, and served from the row while the claim's record is unchanged.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from claims.followups import REPORT_RENDER
from claims.models import ActivityEvent, ReportRender
from workbench.followup import followup_enqueue


def report_is_large(context: dict) -> bool:
    size = context["evidence_count"] + len(context["timeline"])
    return size > int(getattr(settings, "REPORT_PDF_INLINE_ITEMS", 300))


def _activity_mark(claim_id: int) -> int:
    return ActivityEvent.objects.filter(claim_id=claim_id).aggregate(m=Max("id"))["m"] or 0


@transaction.atomic
def report_render_request(*, claim_id: int, user) -> ReportRender:
    """The render of the claim's current record: ready, being prepared, or queued now.

    Callers have checked that ``user`` may read the claim's report. Renders of an older
    record, and failed ones, are replaced.
    """
    mark = _activity_mark(claim_id)
    current = (
        ReportRender.objects.select_for_update()
        .filter(claim_id=claim_id, activity_mark=mark)
        .exclude(state=ReportRender.State.FAILED)
        .order_by("-created_at").first()
    )
    if current is not None:
        return current
    ReportRender.objects.filter(claim_id=claim_id).filter(
        ~Q(activity_mark=mark) | Q(state=ReportRender.State.FAILED)
    ).delete()
    render = ReportRender.objects.create(claim_id=claim_id, requested_by=user, activity_mark=mark)
    followup_enqueue(REPORT_RENDER, [render.pk])
    return render


def report_render_finish(*, render_id: int, pdf: bytes) -> None:
    ReportRender.objects.filter(pk=render_id, state=ReportRender.State.PENDING).update(
        state=ReportRender.State.READY, pdf=pdf, finished_at=timezone.now(), last_error=""
    )

"""The follow-up work ``claims`` records with its changes (see ``workbench.followup``).

* ``EMAIL_DELIVERY``: an ``EmailDelivery`` row in state "pending" is emailed once.
* ``REPORT_RENDER``: a ``ReportRender`` row in state "pending" is rendered to PDF once.
* ``GATHER_RUN``: a ``GatherRun`` in status "queued" ("gather coverage now") is run once.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from workbench.followup import FollowUp, followup_register

EMAIL_DELIVERY = "email-delivery"
REPORT_RENDER = "report-render"
GATHER_RUN = "gather-run"


def register() -> None:
    followup_register(FollowUp(
        name=EMAIL_DELIVERY,
        model="claims.EmailDelivery",
        task="claims.reviewing.tasks.email_delivery_send",
        pending=Q(state="pending"),
        parked=lambda reason: {"state": "failed", "last_error": reason},
    ))
    followup_register(FollowUp(
        name=REPORT_RENDER,
        model="claims.ReportRender",
        task="claims.exports.tasks.report_render",
        pending=Q(state="pending"),
        parked=lambda reason: {"state": "failed", "last_error": reason},
    ))
    followup_register(FollowUp(
        name=GATHER_RUN,
        model="claims.GatherRun",
        task="claims.corroboration.tasks.coverage_gather",
        pending=Q(status="queued"),
        parked=lambda reason: {"status": "failed", "step": "Stopped", "error": reason,
                               "finished_at": timezone.now()},
    ))

"""The follow-up work ``claims`` records with its changes (see ``workbench.followup``).

* ``EMAIL_DELIVERY``: an ``EmailDelivery`` row in state "pending" is emailed once.
* ``REPORT_RENDER``: a ``ReportRender`` row in state "pending" is rendered to PDF once.
"""

from __future__ import annotations

from django.db.models import Q

from workbench.followup import FollowUp, followup_register

EMAIL_DELIVERY = "email-delivery"
REPORT_RENDER = "report-render"


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

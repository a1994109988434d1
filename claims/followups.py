"""The follow-up work ``claims`` records with its changes (see ``workbench.followup``).

* ``EMAIL_DELIVERY``: an ``EmailDelivery`` row in state "pending" is emailed once.
* ``REPORT_RENDER``: a ``ReportRender`` row in state "pending" is rendered to PDF once.
* ``DIGEST_DELIVERY``: a ``DigestDelivery`` row in state "pending" is emailed once.
* ``GATHER_RUN``: a ``GatherRun`` in status "queued" ("gather coverage now") is run once.
* ``WEBHOOK_DELIVERY``: a ``WebhookDelivery`` in state "pending" is tried, once per ticket;
  a retry's ticket is dated so that the sweep sends it at its ``next_attempt_at``. Its
  ``unfinished_runs`` (not ``attempts``, which counts the tries recorded) is what parks a
  delivery whose worker dies each time.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from workbench.followup import FollowUp, followup_register

EMAIL_DELIVERY = "email-delivery"
REPORT_RENDER = "report-render"
DIGEST_DELIVERY = "digest-delivery"
GATHER_RUN = "gather-run"
WEBHOOK_DELIVERY = "webhook-delivery"


def register() -> None:
    followup_register(FollowUp(
        name=EMAIL_DELIVERY,
        model="claims.EmailDelivery",
        task="claims.reviewing.tasks.email_delivery_send",
        pending=Q(state="pending"),
        parked=lambda reason: {"state": "failed", "last_error": reason},
    ))
    followup_register(FollowUp(
        name=DIGEST_DELIVERY,
        model="claims.DigestDelivery",
        task="claims.discussion.digests.digest_delivery_send",
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
    followup_register(FollowUp(
        name=WEBHOOK_DELIVERY,
        model="claims.WebhookDelivery",
        task="claims.webhooks.tasks.webhook_delivery_send",
        pending=Q(state="pending"),
        parked=lambda reason: {"state": "failed", "last_error": reason, "next_attempt_at": None},
        attempts_field="unfinished_runs",
    ))

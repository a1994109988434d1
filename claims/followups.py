"""The follow-up work ``claims`` records with its changes (see ``workbench.followup``).

* ``EMAIL_DELIVERY``: an ``EmailDelivery`` row in state "pending" is emailed once.
"""

from __future__ import annotations

from django.db.models import Q

from workbench.followup import FollowUp, followup_register

EMAIL_DELIVERY = "email-delivery"


def register() -> None:
    followup_register(FollowUp(
        name=EMAIL_DELIVERY,
        model="claims.EmailDelivery",
        task="claims.reviewing.tasks.email_delivery_send",
        pending=Q(state="pending"),
        parked=lambda reason: {"state": "failed", "last_error": reason},
    ))

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from claims.models import EmailDelivery, Notification
from claims.reviewing import services
from claims.reviewing.tasks import email_delivery_send
from tests.reviewing.conftest import submitted_for

pytestmark = pytest.mark.django_db


def _sent_tasks(send_task):
    return [(c.args[0], c.kwargs["args"][0]) for c in send_task.call_args_list]


def test_submitting_records_one_email_per_reviewer_and_queues_them_after_commit(
    claim, editor, reviewer, admin_user, django_capture_on_commit_callbacks
):
    with mock.patch("workbench.celery.app.send_task") as send_task:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            submitted_for(claim, editor)
        send_task.assert_not_called()  # nothing leaves before the commit
        for callback in callbacks:
            callback()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {reviewer.username, admin_user.username}
    deliveries = EmailDelivery.objects.all()
    assert {d.notification.recipient.username for d in deliveries} == recipients
    assert all(d.state == "pending" and d.queued_at for d in deliveries)
    assert sorted(_sent_tasks(send_task)) == sorted(
        ("claims.reviewing.tasks.email_delivery_send", d.pk) for d in deliveries
    )


def test_nothing_is_recorded_or_queued_when_the_transaction_rolls_back(
    claim, editor, django_capture_on_commit_callbacks
):
    with mock.patch("workbench.celery.app.send_task") as send_task:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                submitted_for(claim, editor)
                raise RuntimeError("the request failed after submitting")
    send_task.assert_not_called()
    assert not Notification.objects.exists()
    assert not EmailDelivery.objects.exists()


def test_the_author_hears_about_approval_and_requested_changes(claim, editor, reviewer):
    v1 = submitted_for(claim, editor)
    services.verdict_request_changes(actor=reviewer, version_id=v1.pk, comments="More sources")
    v2 = submitted_for(claim, editor, based_on_id=v1.pk)
    services.verdict_approve(actor=reviewer, version_id=v2.pk)
    verbs = list(Notification.objects.filter(recipient=editor).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["changes_requested", "approved"]


def test_the_email_task_sends_once_and_records_it(claim, editor, reviewer):
    submitted_for(claim, editor)
    delivery = EmailDelivery.objects.get(notification__recipient=reviewer)
    assert email_delivery_send(delivery.pk) == "sent"
    assert email_delivery_send(delivery.pk) == "not pending"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email]
    assert f"/claims/{claim.pk}/verdict/" in message.body
    delivery.refresh_from_db()
    assert delivery.state == "sent" and delivery.sent_at and delivery.attempts == 1
    assert email_delivery_send(10**9) == "not pending"


def test_a_message_with_an_old_ticket_sends_nothing(claim, editor, reviewer):
    from workbench.followup import followup_sweep

    submitted_for(claim, editor)
    delivery = EmailDelivery.objects.get(notification__recipient=reviewer)
    first_ticket = delivery.queued_at.isoformat()
    EmailDelivery.objects.filter(pk=delivery.pk).update(queued_at=None)  # as if long ago
    with mock.patch("workbench.celery.app.send_task") as send_task:
        followup_sweep(names=["email-delivery"])
    resent = [c.kwargs["kwargs"]["ticket"] for c in send_task.call_args_list
              if c.kwargs["args"][0] == delivery.pk]
    assert len(resent) == 1 and resent[0] != first_ticket
    assert email_delivery_send(delivery.pk, ticket=first_ticket) == "not pending"
    assert email_delivery_send(delivery.pk, ticket=resent[0]) == "sent"
    assert len([m for m in mail.outbox if m.to == [reviewer.email]]) == 1


def test_a_review_clears_the_awaiting_notifications_of_other_reviewers(claim, editor, reviewer, admin_user):
    version = submitted_for(claim, editor)
    services.verdict_approve(actor=reviewer, version_id=version.pk)
    assert not Notification.objects.filter(verb="awaiting_review", read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=editor, verb="approved", read_at__isnull=True).exists()

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from claims.models import Notification
from claims.reviewing import services
from claims.reviewing.tasks import notification_send_email
from tests.reviewing.conftest import submitted_for

pytestmark = pytest.mark.django_db


def test_submitting_notifies_reviewers_after_commit(claim, editor, reviewer, admin_user, django_capture_on_commit_callbacks):
    with mock.patch("claims.reviewing.tasks.notification_send_email.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            submitted_for(claim, editor)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {reviewer.username, admin_user.username}
    assert sorted(c.args[0] for c in delay.call_args_list) == sorted(
        Notification.objects.values_list("pk", flat=True)
    )


def test_nothing_is_queued_when_the_transaction_rolls_back(claim, editor, django_capture_on_commit_callbacks):
    with mock.patch("claims.reviewing.tasks.notification_send_email.delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            with pytest.raises(RuntimeError), transaction.atomic():
                submitted_for(claim, editor)
                raise RuntimeError("the request failed after submitting")
    delay.assert_not_called()
    assert not Notification.objects.exists()


def test_the_author_hears_about_approval_and_requested_changes(claim, editor, reviewer):
    v1 = submitted_for(claim, editor)
    services.verdict_request_changes(actor=reviewer, version_id=v1.pk, comments="More sources")
    v2 = submitted_for(claim, editor, based_on_id=v1.pk)
    services.verdict_approve(actor=reviewer, version_id=v2.pk)
    verbs = list(Notification.objects.filter(recipient=editor).order_by("pk").values_list("verb", flat=True))
    assert verbs == ["changes_requested", "approved"]


def test_the_email_task_sends_once(claim, editor, reviewer):
    submitted_for(claim, editor)
    notification = Notification.objects.get(recipient=reviewer)
    assert notification_send_email(notification.pk) == "sent"
    assert notification_send_email(notification.pk) == "already sent"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [reviewer.email]
    assert f"/claims/{claim.pk}/verdict/" in message.body
    assert notification_send_email(10**9) == "gone"


def test_a_review_clears_the_awaiting_notifications_of_other_reviewers(claim, editor, reviewer, admin_user):
    version = submitted_for(claim, editor)
    services.verdict_approve(actor=reviewer, version_id=version.pk)
    assert not Notification.objects.filter(verb="awaiting_review", read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=editor, verb="approved", read_at__isnull=True).exists()

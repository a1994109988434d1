"""Beat does not flood the queue while the workers are down.

Beat's jobs run every minute (or quarter hour); while no worker consumes the polls and
link checks they queue, each due feed or cited link must be queued once, not once per run.
Messages go to a real Redis that the test starts; the queue is counted there.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.utils import timezone

from sources.models import Feed, Source
from sources.tasks import links_check_due
from sources.tasks.feeds import feeds_poll_due
from tests.factories import SourceFactory, make_claim
from tests.support.outages import SpareRedis, point_celery_at

pytestmark = pytest.mark.django_db

QUEUE = "nobody-consumes-this"


@pytest.fixture
def broker(tmp_path, monkeypatch):
    from workbench.celery import app

    server = SpareRedis(tmp_path).start()
    previous = app.conf.broker_write_url
    point_celery_at(app, server.url)
    monkeypatch.setitem(app.conf, "task_default_queue", QUEUE)
    yield redis.Redis.from_url(server.url)
    point_celery_at(app, previous)
    server.stop()


def test_a_due_feed_is_queued_once_however_often_beat_runs(broker):
    due = [Feed.objects.create(url=f"https://feeds.example/{n}.xml") for n in range(3)]
    Feed.objects.create(url="https://feeds.example/later.xml",
                        next_poll_at=timezone.now() + timedelta(hours=1))
    for _minute in range(5):
        feeds_poll_due()
    assert broker.llen(QUEUE) == len(due)

    # A poll message that was lost (the broker restarted empty) is queued again, once,
    # after the follow-up grace period.
    Feed.objects.update(poll_queued_at=timezone.now() - timedelta(
        seconds=django_settings.FOLLOWUP_GRACE_SECONDS + 1))
    feeds_poll_due()
    feeds_poll_due()
    assert broker.llen(QUEUE) == 2 * len(due)


def test_a_due_link_check_is_queued_once_however_often_beat_runs(broker, editor):
    from claims.services import evidence_add

    claim = make_claim(editor)
    cited = [SourceFactory(fetch_status="fetched") for _ in range(2)]
    for source in cited:
        evidence_add(actor=editor, claim_id=claim.pk, source=source, stance="supports")
    for _quarter_hour in range(4):
        links_check_due()
    assert broker.llen(QUEUE) == len(cited)
    assert Source.objects.filter(link_check_queued_at__isnull=False).count() == len(cited)


def test_beat_messages_expire_before_the_next_run():
    for name, entry in django_settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["options"]["expires"] < entry["schedule"], name

"""A real Redis stopped mid-run loses nothing and duplicates nothing.

The test starts its own ``redis-server`` on a spare port and a Celery worker on it, then
stops Redis and, while it is down: an editor attaches sources, a feed is polled (as a
worker would, storing new coverage), and a reviewer approves a verdict. Every request
succeeds and says the work is queued; nothing is lost when the messages cannot be sent.
Redis comes back empty (no persistence), the follow-up sweep queues what is still pending,
and every archive, match and email happens exactly once, even when stale duplicates of
the lost messages turn up as well.
"""

from __future__ import annotations

import email
import time

import pytest
from django.contrib.messages import get_messages

from claims.models import CoverageSuggestion, EmailDelivery, Evidence, Notification
from sources.feeds import feed_add, feed_poll
from sources.models import Document, Snapshot, Source
from tests.conftest import database_url_for_subprocess, wait_for
from tests.coverage.helpers import MILITARY_AID_CLAIM
from tests.factories import SourceFactory, make_claim, walk_claim_to
from tests.support.outages import SpareRedis, point_celery_at, start_worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PAGES = [f"/outage/page-{n}" for n in range(3)]
STORIES = {
    "/outage/aid-confirmed": (
        "Russia asked China for military assistance, officials confirmed",
        "Russia asked China for military assistance and drones, U.S. officials confirmed.",
    ),
    "/outage/aid-fake": (
        "Fake: Russia did not ask China for military assistance",
        "FAKE: Russia did NOT ask China for military assistance. The rumour is untrue and was debunked.",
    ),
}


@pytest.fixture
def redis_server(tmp_path):
    server = SpareRedis(tmp_path).start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """This process publishes to the spare Redis for the test, and to the usual one after."""
    from workbench.celery import app

    previous = app.conf.broker_write_url
    point_celery_at(app, redis_server.url)
    settings.CELERY_BROKER_URL = redis_server.url
    yield redis_server
    point_celery_at(app, previous)


@pytest.fixture
def site(web_server, settings):
    settings.FETCH_ALLOW_LOOPBACK = str(web_server.port)
    for path in PAGES:
        web_server.add_route(path, f"<html><head><title>Page {path}</title></head><body><article>"
                             f"<p>Reporting {path} on the request for military aid.</p></article></body></html>")
    items = []
    for path, (title, lede) in STORIES.items():
        url = web_server.add_route(path, f"<html><head><title>{title}</title></head><body><p>{lede}</p></body></html>")
        items.append(f"<item><title>{title}</title><link>{url}</link><description>{lede}</description></item>")
    web_server.add_route("/outage/feed.xml", "<?xml version='1.0'?><rss version='2.0'><channel>"
                         "<title>Outage news</title>" + "".join(items) + "</channel></rss>",
                         "application/rss+xml")
    return web_server


@pytest.fixture
def worker(broker, site, settings, tmp_path, monkeypatch):
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    process = start_worker(
        settings_module="tests.support.worker_settings",
        env={"DATABASE_URL": database_url_for_subprocess(), "CELERY_BROKER_URL": broker.url,
             "DJANGO_SECRET_KEY": settings.SECRET_KEY, "FETCH_ALLOW_LOOPBACK": str(site.port),
             "TEST_EMAIL_DIR": str(mail_dir)},
        log_path=tmp_path / "worker.log",
    )
    from workbench.celery import app

    monkeypatch.setitem(app.conf, "task_default_queue", process.queue)  # sends go to that worker
    process.mail_dir = mail_dir
    yield process
    process.stop()


def _sent_emails(mail_dir) -> list[str]:
    recipients = []
    for path in sorted(mail_dir.iterdir()):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                recipients.append(email.message_from_string(chunk.strip()).get("To"))
    return recipients


def _queue_drained(redis_url: str, queue: str) -> bool:
    import redis

    client = redis.Redis.from_url(redis_url)
    return client.llen(queue) == 0 and client.hlen("unacked") == 0


def test_a_broker_outage_loses_and_duplicates_nothing(worker, broker, site, client, editor, reviewer,
                                                      settings):
    from claims.reviewing import services as reviewing
    from claims.reviewing.ratings import ensure_default_scale
    from claims.services import evidence_add
    from workbench.followup import _send, followup_kind, followup_sweep

    ensure_default_scale()
    open_claim = make_claim(editor, text=MILITARY_AID_CLAIM)  # coverage is matched to it
    claim = make_claim(editor, text="Beijing said the reports of a request were disinformation.")
    claim = walk_claim_to(claim, "researching", actor=editor)  # sources attached, then published
    evidence_add(actor=editor, claim_id=claim.pk, stance="denies", speaker="Chinese government",
                 speaker_is_party=True, source=SourceFactory(url="", description="Said at a briefing"))
    feed = feed_add(url=site.url("/outage/feed.xml"), kind="rss")

    broker.stop()  # ------------------------------------------------------------ outage

    client.force_login(editor)
    for path in PAGES:
        response = client.post(f"/claims/{claim.pk}/evidence/url/",
                               {"url": site.url(path), "stance": "supports"})
        assert response.status_code == 302, response.content[:500]
        shown = [str(m) for m in get_messages(response.wsgi_request)]
        assert any("queued" in m for m in shown), shown

    poll = feed_poll(feed_id=feed.pk)  # a worker polling when the broker went away
    assert poll.status == "succeeded" and poll.items_new == 2

    from claims.models import Rating

    version = reviewing.verdict_save_draft(
        actor=editor, claim_id=claim.pk, rating=Rating.objects.get(label="Unproven"),
        headline="No public evidence", summary_md="None shown.", reasoning="We asked.",
        cited_evidence_ids=list(Evidence.objects.filter(claim=claim).values_list("pk", flat=True)),
    )
    reviewing.verdict_submit(actor=editor, version_id=version.pk)
    client.force_login(reviewer)
    response = client.post(f"/verdicts/{version.pk}/approve/", {"comments": ""})
    assert response.status_code == 302

    sources = list(Source.objects.filter(evidence__claim=claim).exclude(url="").distinct())
    documents = list(Document.objects.all())
    deliveries = list(EmailDelivery.objects.all())
    assert len(sources) == 3 and all(s.fetch_status == "pending" for s in sources)
    assert len(documents) == 2 and all(d.match_state == "pending" for d in documents)
    recipients = sorted(d.notification.recipient.email for d in deliveries)
    assert editor.email in recipients and reviewer.email in recipients
    assert all(d.state == "pending" for d in deliveries)
    # The messages that could not be sent, as the broker might still hand them out later.
    lost = {
        "source-archive": [(s.pk, s.archive_queued_at.isoformat()) for s in sources],
        "document-match": [(d.pk, d.match_queued_at.isoformat()) for d in documents],
        "email-delivery": [(d.pk, d.queued_at.isoformat()) for d in deliveries],
    }

    broker.start()  # ------------------------------------------------------- back, empty
    from workbench.celery import app

    point_celery_at(app, broker.url)
    settings.FOLLOWUP_GRACE_SECONDS = 0  # the sweep's grace period, shortened for the test

    def everything_done():
        # Beat sweeps every minute; here every 2 s. Sweeps sent before the worker is back
        # may be dropped (Redis lost its queue bindings): the next sweep sends them again.
        followup_sweep()
        return (
            Source.objects.filter(pk__in=[s.pk for s in sources], fetch_status="fetched").count() == 3
            and Document.objects.filter(match_state="done").count() == 2
            # Matching the coverage tells the open claim's watchers too (emailed as each
            # prefers: by default in the daily digest, so no email row now).
            and Notification.objects.filter(verb="new_coverage").exists()
            and not EmailDelivery.objects.exclude(state="sent").exists()
        )

    wait_for(everything_done, timeout=180, interval=2,
             message=f"follow-up work not done after the outage; worker log:\n{worker.log()[-4000:]}")

    # Late duplicates of the lost messages arrive, and more sweeps run: nothing repeats.
    for name, rows in lost.items():
        for pk, ticket in rows:
            _send(followup_kind(name), [pk], ticket)
    followup_sweep()
    wait_for(lambda: _queue_drained(broker.url, worker.queue), timeout=60,
             message="the duplicates were never consumed")
    time.sleep(1)

    assert Snapshot.objects.filter(source__in=sources).count() == 3
    assert all(s.archive_attempts == 1 for s in Source.objects.filter(pk__in=[s.pk for s in sources]))
    assert sorted(Document.objects.values_list("match_attempts", flat=True)) == [1, 1]
    assert set(CoverageSuggestion.objects.filter(claim=open_claim).values_list("stance", flat=True)) == {
        "supports", "denies"}
    assert CoverageSuggestion.objects.count() == 2
    everyone = sorted(d.notification.recipient.email for d in EmailDelivery.objects.all())
    assert set(recipients) <= set(everyone)
    assert sorted(_sent_emails(worker.mail_dir)) == everyone
    assert all(d.attempts == 1 and d.sent_at for d in EmailDelivery.objects.all())


def test_healthz_answers_within_a_second_while_redis_is_down(broker, client):
    broker.stop()
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    body = response.json()
    assert body["broker"]["ok"] is False and body["database"]["ok"] is True
    # The checks have a 0.8 s budget; the margin is for a loaded machine, not for slowness.
    assert elapsed < 1.5, elapsed
    broker.start()
    assert client.get("/healthz").status_code == 200

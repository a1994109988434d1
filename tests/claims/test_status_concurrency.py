"""Two people act on one claim at the same moment, on two real database connections.

The first transaction changes the claim's status and holds the row lock; the second asks for a
status change while the first is still open. The second must act on the status the claim has
once the first commits, never on the one it read before: a claim taken down cannot return to
the public pages without a new approval.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction

from claims import services
from claims.models import ActivityEvent, ActivityVerb, Claim
from claims.reviewing import selectors as public
from tests.factories import SourceFactory, make_claim, publish_claim, walk_claim_to

# serialized_rollback: the flush after this test leaves the database empty (no post_migrate
# re-creation), as the serialized-rollback tests that may follow expect.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TIMEOUT = 30


def _waiting_on_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def race(first, second):
    """Run ``first`` in a transaction on its own connection and keep it open until ``second``
    (on another connection) is blocked on a lock; then commit. Returns second's result or
    the exception it raised."""
    holding, release, outcome = threading.Event(), threading.Event(), {}

    def run_first():
        try:
            with transaction.atomic():
                first()
                holding.set()
                release.wait(TIMEOUT)
        except Exception as error:  # noqa: BLE001 - reported below
            outcome["first_error"] = error
            holding.set()
        finally:
            connections.close_all()

    def run_second():
        try:
            outcome["result"] = second()
        except (ValidationError, PermissionDenied) as error:
            outcome["result"] = error
        finally:
            connections.close_all()

    first_thread = threading.Thread(target=run_first)
    first_thread.start()
    assert holding.wait(TIMEOUT)
    assert "first_error" not in outcome, outcome.get("first_error")
    second_thread = threading.Thread(target=run_second)
    second_thread.start()
    deadline = time.monotonic() + TIMEOUT
    while not _waiting_on_a_lock():
        assert time.monotonic() < deadline, "the second transaction never waited for the first"
        assert second_thread.is_alive(), f"the second transaction did not wait: {outcome}"
        time.sleep(0.02)
    release.set()
    first_thread.join(TIMEOUT)
    second_thread.join(TIMEOUT)
    assert not first_thread.is_alive() and not second_thread.is_alive()
    return outcome["result"]


@pytest.fixture
def published_claim(editor, reviewer):
    claim = walk_claim_to(make_claim(editor), "researching", actor=editor)
    services.evidence_add(actor=editor, claim_id=claim.pk, source=SourceFactory(), stance="denies",
                          speaker="Chinese government", speaker_is_party=True)
    return publish_claim(claim, author=editor, reviewer=reviewer)


def test_a_claim_taken_down_meanwhile_is_not_put_back_on_the_public_pages(published_claim, editor, reviewer):
    result = race(
        lambda: services.claim_change_status(actor=editor, claim_id=published_claim.pk, to_status="in_review"),
        lambda: services.claim_change_status(actor=reviewer, claim_id=published_claim.pk, to_status="published"),
    )
    assert isinstance(result, ValidationError)
    assert "approving the verdict" in " ".join(result.messages)
    assert Claim.objects.get(pk=published_claim.pk).status == "in_review"
    assert not public.published_claims().filter(pk=published_claim.pk).exists()


def test_the_second_move_acts_on_the_status_read_under_the_lock(editor, editor2):
    """The claim is in review; one editor sends it back to researching while another submits
    it. The submission is judged (and logged) against "researching", the status it finds."""
    claim = walk_claim_to(make_claim(editor), "in_review", actor=editor)
    result = race(
        lambda: services.claim_return_to(actor=editor, claim_id=claim.pk, to_status="researching"),
        lambda: services.claim_change_status(actor=editor2, claim_id=claim.pk, to_status="in_review"),
    )
    assert isinstance(result, Claim) and result.status == "in_review"
    last = ActivityEvent.objects.filter(claim=claim).order_by("-at", "-id").first()
    assert (last.actor, last.verb) == (editor2, ActivityVerb.SUBMITTED_FOR_REVIEW)
    assert last.details["from_status"] == "researching"

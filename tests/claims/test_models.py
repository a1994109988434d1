import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, Evidence
from sources.models import Snapshot, Source
from tests.factories import SourceFactory, make_claim

pytestmark = pytest.mark.django_db


def test_the_database_refuses_an_unknown_status(editor):
    claim = make_claim(editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="bogus")


def test_a_duplicate_needs_an_original_and_a_rejection_needs_a_reason(editor):
    claim = make_claim(editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="duplicate")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(status="rejected", rejection_reason="")


def test_one_evidence_row_per_claim_source_and_speaker(editor):
    claim = make_claim(editor)
    source = SourceFactory()
    Evidence.objects.create(claim=claim, source=source, stance="supports", speaker="A", added_by=editor)
    Evidence.objects.create(claim=claim, source=source, stance="denies", speaker="B", added_by=editor)
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, source=source, stance="context", speaker="A", added_by=editor)


def test_denials_are_party_denials_only(editor):
    claim = make_claim(editor)
    party = Evidence.objects.create(
        claim=claim, source=SourceFactory(), stance="denies", speaker="Beijing",
        speaker_is_party=True, added_by=editor,
    )
    Evidence.objects.create(
        claim=claim, source=SourceFactory(), stance="denies", speaker="A pundit", added_by=editor
    )
    Evidence.objects.create(
        claim=claim, source=SourceFactory(), stance="supports", speaker="Washington",
        speaker_is_party=True, added_by=editor,
    )
    assert list(claim.denials()) == [party]


def test_a_source_url_is_unique_when_present_but_offline_sources_need_none():
    Source.objects.create(url="", title="Phone call with the ministry")
    Source.objects.create(url="", title="Press conference")
    Source.objects.create(url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Source.objects.create(url="https://example.org/a")


def test_an_archived_snapshot_can_never_be_changed():
    source = SourceFactory()
    snapshot = Snapshot.objects.create(
        source=source, requested_url=source.url, final_url=source.url, http_status=200,
        raw_gzip=b"x", raw_size=1, sha256="a" * 64, fetched_at=timezone.now(),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Snapshot.objects.filter(pk=snapshot.pk).update(text="rewritten history")
    snapshot.refresh_from_db()
    assert snapshot.text == ""

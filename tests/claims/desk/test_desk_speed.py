"""What the desk's speed work must not change: an honest queue count past the cap, and an
evidence item that shows every change even though its rendering is kept between requests."""

import pytest
from django.urls import reverse

from claims import selectors, services
from claims.models import Claim
from tests.factories import OutletFactory, SourceFactory, make_claim

pytestmark = pytest.mark.django_db


def test_the_queue_counts_exactly_up_to_the_cap_then_says_more_than(editor, editor_client, monkeypatch):
    Claim.objects.bulk_create(Claim(text=f"Bulk claim {i}", claimant="Bench", created_by=editor)
                              for i in range(60))
    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 10)

    first = editor_client.get("/?per_page=25")
    # Page 1 counts no further than just past page 2 (50 claims): more than that, honestly.
    assert not first.context["page"].paginator.exact
    assert "More than 50 claims" in first.content.decode()
    assert first.context["page"].paginator.num_pages == 3  # so page 3 is linked
    assert b'href="?per_page=25&amp;page=3"' in first.content

    last = editor_client.get("/?per_page=25&page=3")
    assert last.context["page"].paginator.exact
    assert "60 claims" in last.content.decode()
    assert len(last.context["claims"]) == 10

    monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 1000)
    assert "60 claims" in editor_client.get("/?per_page=25").content.decode()


def _item(page_html: str) -> str:
    """The one evidence item of the page (the activity log quotes old titles, rightly)."""
    return page_html.split('<article class="evidence', 1)[1].split("</article>", 1)[0]


def test_an_evidence_item_shows_each_change_after_it_was_rendered_once(editor, editor_client):
    from sources.models import Snapshot, Source

    claim = make_claim(editor)
    source = SourceFactory(title="First headline", fetch_status="pending")
    evidence = services.evidence_add(actor=editor, claim_id=claim.pk, source=source, stance="supports",
                                     quote="the first words")
    page = f"/claims/{claim.pk}/"
    html = editor_client.get(page).content.decode()
    assert "First headline" in html and "the first words" in html and "fetching…" in html
    assert editor_client.get(page).content.decode().count('<article class="evidence') == 1  # served again

    # Everything the item shows can change underneath it, through any path.
    outlet = OutletFactory(name="Renamed Outlet")
    Source.objects.filter(pk=source.pk).update(title="Second headline", outlet=outlet, fetch_status="fetched")
    snapshot = Snapshot.objects.create(
        source=source, requested_url=source.url, final_url=source.url, http_status=200,
        content_type="text/html", raw_gzip=b"", raw_size=0, sha256="ab" * 32,
        fetched_at=source.created_at,
    )
    html = _item(editor_client.get(page).content.decode())
    assert "Second headline" in html and "First headline" not in html
    assert "Renamed Outlet" in html and "archived" in html and "sha256 abababababab" in html
    assert reverse("sources:snapshot_detail", args=[source.pk, snapshot.pk]) in html

    services.evidence_update(actor=editor, evidence_id=evidence.pk, expected_revision=evidence.revision,
                             quote="the corrected words")
    html = _item(editor_client.get(page).content.decode())
    assert "the corrected words" in html and "the first words" not in html

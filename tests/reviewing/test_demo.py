import pytest
from django.core.management import call_command

from claims.models import ActivityEvent, Claim, VerdictState, VerdictVersion

pytestmark = pytest.mark.django_db


def test_the_demo_seed_publishes_a_fact_check_and_leaves_one_in_review(settings, tmp_path, client):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    published = Claim.objects.get(text__contains="has no limits")
    assert published.status == "published" and published.slug
    # The military-aid claim stays open, so the demo feed's coverage is matched against it.
    assert Claim.objects.get(text__contains="military assistance").status == "researching"
    assert client.get(f"/fact-checks/{published.slug}/").status_code == 200
    lavrov = Claim.objects.get(text__contains="world order")
    assert lavrov.status == "in_review"
    assert lavrov.verdict_versions.get().state == VerdictState.SUBMITTED
    counts = (VerdictVersion.objects.count(), ActivityEvent.objects.count())
    call_command("seed_demo")
    assert (VerdictVersion.objects.count(), ActivityEvent.objects.count()) == counts


def test_the_demo_shows_prior_checks_and_a_published_false_claim_spreading_again(settings, tmp_path, client):
    from django.contrib.auth import get_user_model

    from claims.corroboration import index_cache, prior_checks, resurfacing
    from claims.models import DeskAlert, ResurfacedItem

    index_cache.forget_indexes()
    prior_checks._cache = resurfacing._index = None
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    call_command("seed_demo")
    false_claim = Claim.objects.get(text__contains="China has agreed to send military aid")
    assert false_claim.status == "published"
    assert false_claim.verdict_versions.get(state=VerdictState.APPROVED).rating.label == "False"
    # The demo feed's coverage of the aid reports repeats it: one alert, for that claim.
    alert = DeskAlert.objects.get(kind="resurfacing", resolved_at__isnull=True)
    assert alert.claim_id == false_claim.pk and ResurfacedItem.objects.filter(alert=alert).exists()

    client.force_login(get_user_model().objects.get(username="editor"))
    aid = Claim.objects.get(text__contains="military assistance")
    page = client.get(f"/claims/{aid.pk}/").content.decode()
    assert "Checked elsewhere" in page
    section = client.get(f"/claims/{aid.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert "Lantern Fact Check (demo)" in section and "Cite as evidence" in section
    spreading = client.get(f"/claims/{false_claim.pk}/checked-elsewhere/", HTTP_HX_REQUEST="true").content.decode()
    assert "Spreading again" in spreading
    assert "Spreading again" in client.get("/dashboard/").content.decode()
    counts = (DeskAlert.objects.count(), ResurfacedItem.objects.count())
    call_command("seed_demo")
    assert (DeskAlert.objects.count(), ResurfacedItem.objects.count()) == counts

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

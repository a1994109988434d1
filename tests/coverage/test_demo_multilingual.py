"""Done-when of issue 10: after the demo is seeded, the demo feed's Russian and Chinese items
about the military-aid claim are suggestions with the right stance and a language badge."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim, CoverageSuggestion
from sources.demo_feed import DEMO_ITEMS, demo_article_url

pytestmark = pytest.mark.django_db

FOREIGN = [item for item in DEMO_ITEMS if item.language != "en"]


@pytest.fixture
def seeded(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo")
    return Claim.objects.get(text__contains="military assistance")


def test_the_demo_feed_carries_russian_and_chinese_coverage():
    assert {item.language for item in FOREIGN} == {"ru", "zh"}
    assert {item.stance for item in FOREIGN} == {"denies", "discusses"}


def test_each_foreign_demo_item_is_suggested_with_its_stance_and_shown_with_its_language(
    seeded, client
):
    found = {
        s.document.canonical_url: (s.stance, s.document.language)
        for s in CoverageSuggestion.objects.select_related("document").filter(claim=seeded)
    }
    expected = {demo_article_url(i.slug): (i.stance, i.language) for i in FOREIGN}
    assert {url: found.get(url) for url in expected} == expected

    client.force_login(get_user_model().objects.get(username="editor"))
    html = client.get(reverse("coverage:claim_coverage", args=[seeded.pk])).content.decode()

    for item in FOREIGN:
        assert item.title in html
    assert '<span class="visually-hidden">Language: </span>Russian</span>' in html
    assert '<span class="visually-hidden">Language: </span>Chinese</span>' in html

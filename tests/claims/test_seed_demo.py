import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import ActivityEvent, Claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_settings(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    settings.DEMO_PASSWORD = ""
    return settings


def test_it_refuses_outside_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("seed_demo")
    assert not get_user_model().objects.filter(username="editor").exists()


def test_it_builds_the_newsroom_from_the_seed_story(debug_settings):
    call_command("seed_demo")
    assert Claim.objects.count() >= 6
    texts = " ".join(Claim.objects.values_list("text", flat=True))
    for phrase in ["military assistance", "multipolar, just, democratic world order",
                   "no limit to China-Russia cooperation", "no limits", "not with Russia and Vladimir Putin"]:
        assert phrase in texts, phrase
    aid = Claim.objects.get(text__contains="military assistance")
    denial = aid.denials().get()
    assert denial.speaker == "Chinese government"
    thread = list(aid.comments.select_related("author"))
    assert [c.author.username for c in thread] == ["editor2", "editor", "reviewer"]
    assert "primary" in thread[0].body
    assert [u.username for u in thread[2].mentioned.all()] == ["editor"]
    assert len(set(Claim.objects.values_list("status", flat=True))) >= 4
    usernames = set(get_user_model().objects.values_list("username", flat=True))
    assert {"editor", "reviewer", "admin"} <= usernames


def test_it_is_idempotent_and_keeps_what_users_did(debug_settings):
    call_command("seed_demo")
    claim = Claim.objects.get(text__contains="military assistance")
    editor = get_user_model().objects.get(username="editor")
    from claims.services import claim_assign

    claim_assign(actor=editor, claim_id=claim.pk, assignee=None)
    counts = (Claim.objects.count(), ActivityEvent.objects.count())
    call_command("seed_demo")
    assert (Claim.objects.count(), ActivityEvent.objects.count()) == counts
    claim.refresh_from_db()
    assert claim.assignee is None


def test_the_password_comes_from_demo_password_or_is_generated_once(debug_settings, client):
    call_command("seed_demo")
    generated = (debug_settings.VAR_DIR / "demo-password").read_text().strip()
    assert len(generated) >= 12
    assert client.post("/accounts/login/", {"username": "editor", "password": generated}).status_code == 302
    call_command("seed_demo")
    assert (debug_settings.VAR_DIR / "demo-password").read_text().strip() == generated
    debug_settings.DEMO_PASSWORD = "chosen-demo-pass"
    call_command("seed_demo")
    assert client.post("/accounts/login/", {"username": "reviewer", "password": "chosen-demo-pass"}).status_code == 302


def test_logging_in_as_editor_shows_the_demo_claims(debug_settings, client):
    call_command("seed_demo")
    client.force_login(get_user_model().objects.get(username="editor"))
    response = client.get("/")
    assert response.status_code == 200
    assert b"Russia asked China for military assistance" in response.content

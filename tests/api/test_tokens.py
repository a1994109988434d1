"""Personal API tokens: stored hashed, shown once, scoped, expiring, revocable, last use
recorded; made on the settings page, in the admin and by ``manage.py api_token``."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from claims.api.tokens import api_token_authenticate, api_token_create, api_token_revoke
from claims.models import ApiToken
from tests.api.conftest import make_token, token_client

pytestmark = pytest.mark.django_db


def test_only_the_hash_of_a_token_is_stored(editor):
    made = api_token_create(actor=editor, user=editor, name="CMS", scope="write")
    row = ApiToken.objects.get(pk=made.token.pk)
    assert made.secret.startswith("fdk_") and len(made.secret) > 40
    assert row.token_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=row.pk).values().first().values())
    assert made.secret not in stored
    assert made.secret.startswith(row.prefix) and len(row.prefix) < 16
    assert row.scope == "write" and row.expires_at is None and row.last_used_at is None


def test_a_token_authenticates_until_it_expires_or_is_revoked(editor):
    made = api_token_create(actor=editor, user=editor, name="x", expires_in_days=2)
    assert api_token_authenticate(made.secret).pk == made.token.pk
    assert api_token_authenticate(made.secret + "x") is None
    assert api_token_authenticate("not-a-token") is None
    ApiToken.objects.filter(pk=made.token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api_token_authenticate(made.secret) is None
    other = api_token_create(actor=editor, user=editor, name="y")
    api_token_revoke(actor=editor, token_id=other.token.pk)
    assert api_token_authenticate(other.secret) is None


def test_a_switched_off_account_s_tokens_stop_working(editor):
    secret = make_token(editor)
    editor.is_active = False
    editor.save(update_fields=["is_active"])
    assert api_token_authenticate(secret) is None


def test_last_use_is_recorded(editor):
    made = api_token_create(actor=editor, user=editor, name="x")
    response = token_client(made.secret).get(reverse("api:claim_list"))
    assert response.status_code == 200
    made.token.refresh_from_db()
    assert made.token.last_used_at is not None
    assert timezone.now() - made.token.last_used_at < timedelta(minutes=1)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x", "scope": "admin"}, "scope"),
        ({"name": "x", "expires_in_days": 0}, "expires_in_days"),
        ({"name": "x", "expires_in_days": 100000}, "expires_in_days"),
    ],
)
def test_bad_token_requests_are_refused_with_a_reason(editor, fields, field):
    with pytest.raises(ValidationError) as refused:
        api_token_create(actor=editor, user=editor, **fields)
    assert field in refused.value.message_dict
    assert not ApiToken.objects.exists()


def test_users_manage_only_their_own_tokens(editor, editor2, admin_user):
    with pytest.raises(PermissionDenied):
        api_token_create(actor=editor2, user=editor, name="not yours")
    made = api_token_create(actor=editor, user=editor, name="mine")
    with pytest.raises(PermissionDenied):
        api_token_revoke(actor=editor2, token_id=made.token.pk)
    assert ApiToken.objects.get(pk=made.token.pk).revoked_at is None
    by_admin = api_token_create(actor=admin_user, user=editor, name="from the admin")
    assert by_admin.token.created_by == admin_user and by_admin.token.user == editor
    api_token_revoke(actor=admin_user, token_id=made.token.pk)
    assert ApiToken.objects.get(pk=made.token.pk).revoked_at is not None


# --- The settings page ---------------------------------------------------------------------


def test_the_settings_page_shows_a_new_token_once(editor_client, editor):
    url = reverse("tokens:list")
    response = editor_client.post(url, {"name": "Newsroom CMS", "scope": "write", "expires_in_days": "30"})
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get(user=editor)
    secret = response.context["new_secret"]
    assert secret.startswith(token.prefix) and secret in response.content.decode()
    assert token.scope == "write" and token.expires_at is not None
    again = editor_client.get(url)
    assert secret not in again.content.decode()
    assert token.prefix in again.content.decode() and "Newsroom CMS" in again.content.decode()
    assert token_client(secret).get(reverse("api:claim_list")).status_code == 200


def test_the_settings_page_refuses_a_bad_form_and_keeps_nothing(editor_client):
    response = editor_client.post(reverse("tokens:list"), {"name": "", "scope": "everything"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()
    assert "This field is required" in response.content.decode()


def test_revoking_on_the_settings_page_stops_the_token(editor_client, editor):
    secret = make_token(editor, scope="write")
    token = ApiToken.objects.get(user=editor)
    response = editor_client.post(reverse("tokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token_client(secret).get(reverse("api:claim_list")).status_code == 401


def test_nobody_revokes_someone_else_s_token_on_the_page(client, editor, editor2):
    make_token(editor)
    token = ApiToken.objects.get(user=editor)
    client.force_login(editor2)
    client.post(reverse("tokens:revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_settings_page_is_for_the_desk(client, outsider):
    client.force_login(outsider)
    assert client.get(reverse("tokens:list")).status_code == 403
    assert client.post(reverse("tokens:list"), {"name": "x", "scope": "read"}).status_code == 403
    assert not ApiToken.objects.exists()


# --- The admin ---------------------------------------------------------------------------------


def test_an_admin_makes_a_token_for_a_user_and_sees_it_once(client, admin_user, editor):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:claims_apitoken_add"),
        {"user": editor.pk, "name": "Monitoring import", "scope": "read", "expires_in_days": ""},
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    token = ApiToken.objects.get(user=editor)
    secret = response.context["secret"]
    assert secret.startswith(token.prefix) and secret in response.content.decode()
    assert token.created_by == admin_user
    assert token_client(secret).get(reverse("api:claim_list")).status_code == 200
    change = client.get(reverse("admin:claims_apitoken_change", args=[token.pk]))
    assert change.status_code == 200 and secret not in change.content.decode()
    client.post(reverse("admin:claims_apitoken_changelist"),
                {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None


# --- manage.py api_token -----------------------------------------------------------------------


def test_the_command_prints_only_the_new_token(editor):
    out, err = StringIO(), StringIO()
    call_command("api_token", "create", "--user", editor.username, "--scope", "write",
                 "--expires", "7", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    assert "\n" not in secret and secret.startswith("fdk_")
    token = api_token_authenticate(secret)
    assert token is not None and token.user == editor and token.scope == "write"
    assert timedelta(days=6) < token.expires_at - timezone.now() <= timedelta(days=7)


def test_the_command_lists_and_revokes(editor):
    secret = make_token(editor, name="scripted")
    token = ApiToken.objects.get(user=editor)
    out = StringIO()
    call_command("api_token", "list", stdout=out)
    listing = out.getvalue()
    assert f"{token.pk}\t{editor.username}\tread\tactive" in listing and secret not in listing
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO(), stderr=StringIO())
    assert api_token_authenticate(secret) is None
    out = StringIO()
    call_command("api_token", "list", "--user", editor.username, stdout=out)
    assert "\trevoked\t" in out.getvalue()


def test_the_command_refuses_unknown_users_and_tokens(editor):
    with pytest.raises(CommandError, match="No user"):
        call_command("api_token", "create", "--user", "nobody", "--scope", "read")
    with pytest.raises(CommandError, match="No token"):
        call_command("api_token", "revoke", "999999")
    with pytest.raises(CommandError, match="Expiry"):
        call_command("api_token", "create", "--user", editor.username, "--scope", "read",
                     "--expires", "0")
    assert not ApiToken.objects.exists()

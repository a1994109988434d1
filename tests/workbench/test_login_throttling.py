"""Login throttling (django-axes) on the desk's login page and the admin's."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password-1"


@pytest.fixture
def ada(admin_user):
    admin_user.set_password(PASSWORD)
    admin_user.save()
    return admin_user


@pytest.mark.parametrize("login_url", ["/accounts/login/", "/admin/login/"])
def test_too_many_wrong_passwords_lock_the_account_even_for_the_right_one(client, ada, login_url):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": ada.username, "password": "wrong"})
        assert response.status_code == 200  # the form again, with its error
    locked = client.post(login_url, {"username": ada.username, "password": "wrong"})
    assert locked.status_code == 429
    assert "Too many failed log-ins" in locked.content.decode()
    right = client.post(login_url, {"username": ada.username, "password": PASSWORD})
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lockout_on_one_login_page_holds_on_the_other(client, ada):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": ada.username, "password": "wrong"})
    assert client.post("/admin/login/", {"username": ada.username, "password": PASSWORD}).status_code == 429


def test_a_few_mistakes_then_the_right_password_log_in(client, ada):
    for _ in range(2):
        client.post("/accounts/login/", {"username": ada.username, "password": "wrong"})
    assert client.post("/accounts/login/", {"username": ada.username, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(ada.pk)

import pytest

from tests.factories import make_claim

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_login_page_works(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert b"Log in" in response.content


def test_claim_text_is_rendered_escaped(editor, editor_client):
    make_claim(editor, text="<script>alert('x')</script> claim")
    response = editor_client.get("/")
    assert b"<script>alert('x')</script>" not in response.content
    assert b"&lt;script&gt;" in response.content

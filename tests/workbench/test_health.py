import pytest


@pytest.mark.django_db
def test_it_reports_healthy_database_and_broker_anonymously(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.mark.django_db
def test_it_answers_503_when_the_broker_is_unreachable(client, monkeypatch):
    from workbench.celery import app

    # Port 1 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.setitem(app.conf, "broker_write_url", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["broker"]["ok"] is False
    assert body["database"]["ok"] is True

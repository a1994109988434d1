"""The API's rate limit on a real Redis (a spare redis-server of this test's own): every web
process counts in the same place, and a Redis that is down lets requests through."""

from __future__ import annotations

import threading

import pytest
from django.urls import reverse

from tests.api.conftest import make_token, token_client
from tests.support.outages import SpareRedis

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shared_limit(tmp_path, settings):
    server = SpareRedis(tmp_path).start()
    settings.CACHES = {**settings.CACHES, "api": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url,
        "KEY_PREFIX": "factdesk-api", "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}}
    settings.API_RATE_LIMIT = "3/minute"
    yield server
    server.stop()


def _in_another_connection(call):
    """Run ``call`` in a thread: its own cache (and database) connection, as another web
    process would have."""
    from django.db import connections

    outcome = {}

    def run():
        try:
            outcome["value"] = call()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    return outcome["value"]


def test_the_count_is_shared_through_redis(shared_limit, editor):
    import redis

    api = token_client(make_token(editor))
    url = reverse("api:claim_list")
    assert [api.get(url).status_code for _ in range(3)] == [200, 200, 200]
    keys = redis.Redis.from_url(shared_limit.url).keys("factdesk-api:*throttle_api_token-*")
    assert len(keys) == 1  # the count lives in Redis, not in this process
    assert _in_another_connection(lambda: api.get(url).status_code) == 429
    assert api.get(url).status_code == 429


def test_a_redis_that_is_down_lets_requests_through(shared_limit, editor, caplog):
    api = token_client(make_token(editor))
    url = reverse("api:claim_list")
    shared_limit.stop()
    assert [api.get(url).status_code for _ in range(4)] == [200, 200, 200, 200]
    assert "API rate limit not checked" in caplog.text

"""Rate limits per token (and per user for session calls): ``API_RATE_LIMIT`` requests,
e.g. ``600/minute``, counted in the ``api`` cache: Redis, shared by every web process, when
``CACHE_URL`` (or ``REDIS_URL``) is set; per process otherwise.

Each caller's recent request times are one cache entry (DRF's sliding window). Two processes
answering the same caller at the same instant may each count the other's request late, so a
burst can pass the limit by a request or two; the limit is a guard against runaway scripts,
not a quota. A cache that cannot be reached lets requests through (logged): the API stays up
when Redis is down, unthrottled.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from claims.models import ApiToken

logger = logging.getLogger(__name__)


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "api"

    @property
    def cache(self):  # type: ignore[override]  # the "api" cache, read per request
        return caches["api"]

    def get_rate(self) -> str:
        return settings.API_RATE_LIMIT  # read per request, so a settings change takes effect

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}

    def allow_request(self, request, view) -> bool:
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as exc:
            logger.warning("API rate limit not checked: its cache cannot be reached (%s: %s)",
                           type(exc).__name__, exc)
            return True

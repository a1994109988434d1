"""Rate limits per token (and per user for session calls): ``API_RATE_LIMIT`` requests,
e.g. ``600/minute``, counted in the cache."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from claims.models import ApiToken


class PerTokenRateThrottle(SimpleRateThrottle):
    scope = "api"

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

"""Who is calling: a personal token (``Authorization: Bearer fdk_…``) or the app's own session.

Session calls are the desk's own pages: DRF's ``SessionAuthentication`` checks the CSRF token
on every unsafe method, so another site cannot ride a logged-in editor's cookie.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from claims.api.tokens import api_token_authenticate


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: let the session try
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>', nothing else."
            )
        try:
            secret = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("That token is not valid.") from None
        token = api_token_authenticate(secret)
        if token is None:
            raise exceptions.AuthenticationFailed("That token is unknown, expired or revoked.")
        return (token.user, token)

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "claims.api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token from /settings/tokens/ (read or write scope).",
        }

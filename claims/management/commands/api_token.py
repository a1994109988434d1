"""Personal API tokens from the command line (for operators and scripts).

    manage.py api_token create --user USERNAME --scope read|write [--expires DAYS] [--name NAME]
    manage.py api_token revoke ID
    manage.py api_token list [--user USERNAME]

``create`` prints the new token and nothing else on stdout, so a script can capture it.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from claims.api.tokens import OPERATOR, api_token_create, api_token_revoke
from claims.models import ApiToken, TokenScope


class Command(BaseCommand):
    help = "Create, revoke or list personal API tokens."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Make a token; prints only the token.")
        create.add_argument("--user", required=True, help="The user name the token acts as.")
        create.add_argument("--scope", required=True, choices=TokenScope.values)
        create.add_argument("--expires", type=int, metavar="DAYS", help="Expire after DAYS days.")
        create.add_argument("--name", default="Made with manage.py api_token")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)
        listing = actions.add_parser("list", help="List tokens (never the secrets).")
        listing.add_argument("--user", help="Only this user's tokens.")

    def handle(self, *args, action, **options):
        return getattr(self, f"_{action}")(**options)

    def _create(self, *, user, scope, expires, name, **_):
        account = get_user_model().objects.filter(username=user).first()
        if account is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            made = api_token_create(actor=OPERATOR, user=account, name=name, scope=scope,
                                    expires_in_days=expires)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(made.secret)

    def _revoke(self, *, id, **_):
        if not ApiToken.objects.filter(pk=id).exists():
            raise CommandError(f"No token with id {id}.")
        token = api_token_revoke(actor=OPERATOR, token_id=id)
        self.stderr.write(f"Revoked token {token.pk} ({token.name}) of {token.user.username}.")

    def _list(self, *, user=None, **_):
        tokens = ApiToken.objects.select_related("user").order_by("pk")
        if user:
            tokens = tokens.filter(user__username=user)
        for token in tokens:
            expires = token.expires_at.isoformat() if token.expires_at else "never"
            used = token.last_used_at.isoformat() if token.last_used_at else "never"
            self.stdout.write(
                f"{token.pk}\t{token.user.username}\t{token.scope}\t{token.state}\t"
                f"{token.prefix}…\texpires {expires}\tlast used {used}\t{token.name}"
            )

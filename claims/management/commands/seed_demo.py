"""Build the demo newsroom from the Lavrov / Wang Yi story. Idempotent: what exists is kept."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import demo_data, services
from claims.models import Claim, ClaimStatus
from claims.permissions import ADMIN_GROUP, EDITOR_GROUP, REVIEWER_GROUP
from claims.reviewing.demo import seed_verdicts
from claims.roles import ensure_roles
from sources.outlets import outlet_for_domain
from sources.services import source_describe

DEMO_USERS = [
    # username, groups, is_superuser
    ("editor", [EDITOR_GROUP], False),
    ("editor2", [EDITOR_GROUP], False),
    ("reviewer", [REVIEWER_GROUP], False),
    ("admin", [ADMIN_GROUP, REVIEWER_GROUP], True),
]

# The path through the workflow that reaches each seeded status.
WALK = {
    ClaimStatus.NEW: [],
    ClaimStatus.TRIAGED: [services.claim_triage],
    ClaimStatus.RESEARCHING: [services.claim_triage, services.claim_start_research],
    ClaimStatus.IN_REVIEW: [
        services.claim_triage,
        services.claim_start_research,
        services.claim_submit_for_review,
    ],
}


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD if set, else one generated once and kept in var/ (git-ignored)."""
    if settings.DEMO_PASSWORD:
        return settings.DEMO_PASSWORD, False
    path = settings.VAR_DIR / "demo-password"
    if path.exists():
        return path.read_text().strip(), True
    path.parent.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(9)
    path.write_text(password + "\n")
    path.chmod(0o600)
    return password, True


class Command(BaseCommand):
    help = "Create the demo newsroom (users, outlets, sources, claims). Debug only; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--history", action="store_true",
                            help="Also log a few months of past desk work, for the dashboard's charts")

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates demo logins, so it only runs with DJANGO_DEBUG=1."
            )
        password, generated = demo_password()
        with transaction.atomic():
            ensure_roles()
            users = self._users(password)
            outlets = self._outlets()
            sources = self._sources(outlets)
            created = self._claims(users, sources)
            seed_verdicts(users)
            if options.get("history"):
                from claims.dashboard.demo_history import seed_desk_history

                history = seed_desk_history(users)
                if history:
                    self.stdout.write(f"Desk history: {history} claims over the past weeks.")
        self._demo_feed()
        self._demo_factchecks()
        self.stdout.write(
            self.style.SUCCESS(f"Demo newsroom ready: {created} new claims, "
                               f"{Claim.objects.count()} in all.")
        )
        origin = "generated once, kept in var/demo-password" if generated else "from DEMO_PASSWORD"
        self.stdout.write(
            f"Demo logins: {', '.join(u for u, _, _ in DEMO_USERS)} / password {password} ({origin})"
        )

    def _users(self, password):
        User = get_user_model()
        users = {}
        for username, group_names, is_superuser in DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "email": f"{username}@newsroom.example",
                    "first_name": username.capitalize(),
                    "is_staff": is_superuser,
                    "is_superuser": is_superuser,
                },
            )
            if created or settings.DEMO_PASSWORD:
                user.set_password(password)
                user.save(update_fields=["password"])
            user.groups.add(*Group.objects.filter(name__in=group_names))
            users[username] = User.objects.get(pk=user.pk)  # fresh permission cache
        return users

    def _outlets(self):
        outlets = {}
        for name, domain, kind, country in demo_data.OUTLETS:
            outlets[domain] = outlet_for_domain(domain, name=name, kind=kind, country=country)
        return outlets

    def _sources(self, outlets):
        sources = {}
        for key, (domain, kind, url, title, description, published) in demo_data.SOURCES.items():
            sources[key] = source_describe(
                url=url, title=title, kind=kind, outlet=outlets.get(domain),
                description=description, published_at=f"{published.isoformat()}T12:00:00Z",
            )
        return sources

    def _claims(self, users, sources) -> int:
        editor = users["editor"]
        created = 0
        for spec in demo_data.CLAIMS:
            if Claim.objects.filter(text=spec["text"]).exists():
                continue
            created += 1
            claim = services.claim_create(
                actor=editor,
                text=spec["text"],
                claimant=spec["claimant"],
                claimant_kind=spec["claimant_kind"],
                said_where=spec["said_where"],
                said_on=spec["said_on"],
                priority=spec["priority"],
                tags=spec["tags"],
            )
            for item in spec["evidence"]:
                services.evidence_add(
                    actor=editor,
                    claim_id=claim.pk,
                    source=sources[item["source"]],
                    stance=item["stance"],
                    speaker=item.get("speaker", ""),
                    speaker_is_party=item.get("speaker_is_party", False),
                    quote=item.get("quote", ""),
                    note=item.get("note", ""),
                    stated_where=item.get("stated_where", ""),
                )
            for author, body in spec.get("discussion", []):
                services.comment_post(actor=users[author], claim_id=claim.pk, body=body)
            if spec["assignee"]:
                services.claim_assign(
                    actor=editor, claim_id=claim.pk, assignee=users[spec["assignee"]]
                )
            if spec["status"] == ClaimStatus.REJECTED:
                services.claim_reject(
                    actor=editor, claim_id=claim.pk, reason=spec["rejection_reason"]
                )
            for step in WALK.get(spec["status"], []):
                step(actor=editor, claim_id=claim.pk)
        return created

    def _demo_factchecks(self):
        """Another (fictional) fact-checker's ClaimReview feed, registered and read now."""
        from sources.factchecks.demo import seed_demo_factchecks

        feed, report = seed_demo_factchecks()
        self.stdout.write(f"Demo fact-checker's feed {feed.url}: {report.summary()}")

    # --- The demo feed (feeds engineer) ---------------------------------------------
    def _demo_feed(self):
        """Register the local demo feed, store its items now, and match the new ones: the
        lexical pass and the resurfacing pass, then (embedding here, in this command, so the demo is ready at once) the
        semantic pass that finds the Russian and Chinese coverage."""
        from claims.corroboration.embedding import claims_embed, documents_embed
        from claims.corroboration.matching import documents_match, documents_match_semantic
        from claims.corroboration.resurfacing import documents_resurface
        from sources.demo_feed import seed_demo_feed

        feed, new_ids = seed_demo_feed()
        self.stdout.write(f"Demo feed {feed.url}: {len(new_ids)} new document(s).")
        if not new_ids:
            return
        documents_match(document_ids=new_ids)
        resurfaced = documents_resurface(document_ids=new_ids)  # as the matching task does
        self.stdout.write(f"{resurfaced} demo document(s) repeat a claim published as false.")
        claims_embed(claim_ids=Claim.objects.filter(embedding__isnull=True).values_list("pk", flat=True))
        embedded = documents_embed(document_ids=new_ids)
        created = documents_match_semantic(document_ids=embedded)
        self.stdout.write(f"Embedded {len(embedded)} demo document(s); {created} more suggestion(s).")

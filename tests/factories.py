"""factory_boy factories. Claims are created and moved only through services."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from sources.models import Outlet, Source


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        if create and extracted:
            # Transactional tests flush the groups the migrations made; put them back.
            from claims.roles import ensure_roles

            ensure_roles()
            self.groups.add(*Group.objects.filter(name__in=extracted))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("domain",)

    name = factory.Sequence(lambda n: f"Outlet {n}")
    domain = factory.Sequence(lambda n: f"outlet{n}.example")
    kind = "newspaper"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    url = factory.Sequence(lambda n: f"https://outlet.example/story-{n}")
    title = factory.Sequence(lambda n: f"Story {n}")
    outlet = factory.SubFactory(OutletFactory)
    kind = "article"


def make_claim(actor, **overrides):
    """Log a claim through the intake service, as an editor would."""
    from claims import services

    fields = {
        "text": "Russia asked China for military assistance.",
        "claimant": "U.S. officials",
        "claimant_kind": "organization",
    }
    fields.update(overrides)
    return services.claim_create(actor=actor, **fields)


def walk_claim_to(claim, status, *, actor, reviewer=None):
    """Move a claim through the workflow services to ``status``."""
    from claims import services

    steps = {
        "new": [],
        "triaged": [services.claim_triage],
        "researching": [services.claim_triage, services.claim_start_research],
        "in_review": [
            services.claim_triage,
            services.claim_start_research,
            services.claim_submit_for_review,
        ],
    }
    for step in steps[status]:
        claim = step(actor=actor, claim_id=claim.pk)
    return claim


def publish_claim(claim, *, author, reviewer, **verdict):
    """Take a claim under research to published the only way there is: ``author`` drafts and
    submits a verdict citing all its evidence, ``reviewer`` approves it. Returns the claim."""
    from claims.models import Rating
    from claims.reviewing import services as reviewing
    from claims.reviewing.ratings import ensure_default_scale

    ensure_default_scale()  # transactional tests flush the seeded scale
    fields = {
        "rating": Rating.objects.get(label="Unproven"),
        "headline": "No public evidence for the request",
        "summary_md": "Officials have **not** shown evidence.",
        "cited_evidence_ids": [e.pk for e in claim.evidence.active()],
        "denial_waiver_reason": "No party has answered yet.",
    }
    fields.update(verdict)
    version = reviewing.verdict_save_draft(actor=author, claim_id=claim.pk, based_on_id=None, **fields)
    reviewing.verdict_submit(actor=author, version_id=version.pk)
    reviewing.verdict_approve(actor=reviewer, version_id=version.pk)
    claim.refresh_from_db()
    return claim

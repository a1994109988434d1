"""What the simulated newsroom starts with: desk users with logged-in sessions, a queue of
claims (``desk_bench``'s synthetic batch), verdicts awaiting review, published fact-checks and
feeds on the local site. Everything goes through the services, except the bulk claims."""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.auth.models import Group

from claims.permissions import EDITOR_GROUP, REVIEWER_GROUP


@dataclass
class Newsroom:
    """Ids and session cookies the simulated users work with."""

    editor_sessions: list[str] = field(default_factory=list)
    reviewer_sessions: list[str] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)
    pending_verdicts: list[tuple[int, int]] = field(default_factory=list)  # (version, claim)
    feed_ids: list[int] = field(default_factory=list)
    editor_ids: list[int] = field(default_factory=list)


def _session_for(user) -> str:
    """A logged-in session, as ``Client.force_login`` makes one: logging in through the form
    would time the password hasher, which is not what this bench measures."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def _user(name: str, group: str):
    user = get_user_model().objects.create_user(name, password=None)
    user.groups.add(Group.objects.get(name=group))
    return user


def newsroom_seed(*, claims: int, editors: int, reviewers: int, pending_verdicts: int,
                  published: int, feeds: int, site_base: str) -> Newsroom:
    from claims import services
    from claims.management.commands.desk_bench import Command as DeskBench
    from claims.models import Claim, Rating
    from claims.reviewing import services as reviewing
    from claims.reviewing.ratings import ensure_default_scale
    from sources.feeds import feed_add
    from sources.services import source_describe

    room = Newsroom()
    bench_editor, _big = DeskBench().seed("bench-load", claims)  # the queue's bulk, all roles
    ensure_default_scale()
    desk = [bench_editor, *(_user(f"load-editor-{n}", EDITOR_GROUP) for n in range(1, editors))]
    review = [_user(f"load-reviewer-{n}", REVIEWER_GROUP) for n in range(max(1, reviewers))]
    room.editor_sessions = [_session_for(u) for u in desk]
    room.reviewer_sessions = [_session_for(u) for u in review]
    room.editor_ids = [u.pk for u in desk]
    room.claim_ids = list(Claim.objects.order_by("-pk").values_list("pk", flat=True)[:500])

    rating = Rating.objects.order_by("pk").first()
    author = desk[0]
    for n in range(pending_verdicts + published):
        claim = services.claim_create(actor=author, text=f"The pipeline deal was signed in {1990 + n % 40} "
                                      f"(load bench claim {n})", claimant="A minister")
        services.claim_triage(actor=author, claim_id=claim.pk)
        services.claim_start_research(actor=author, claim_id=claim.pk)
        source = source_describe(url="", title=f"Ministry briefing {n}", kind="official_statement")
        evidence = services.evidence_add(actor=author, claim_id=claim.pk, source=source,
                                         stance="denies", speaker="Ministry", speaker_is_party=True,
                                         quote="No deal was signed.")
        version = reviewing.verdict_save_draft(
            actor=author, claim_id=claim.pk, based_on_id=None, rating=rating,
            headline=f"No record of the deal ({n})", summary_md="The ministry **denies** it.",
            cited_evidence_ids=[evidence.pk],
        )
        reviewing.verdict_submit(actor=author, version_id=version.pk)
        if n < published:
            reviewing.verdict_approve(actor=review[0], version_id=version.pk)
        else:
            room.pending_verdicts.append((version.pk, claim.pk))
        room.claim_ids.append(claim.pk)

    for number in range(1, feeds + 1):
        feed = feed_add(url=f"{site_base}/feeds/{number}.xml", kind="rss", outlet_name=f"Wire {number}",
                        interval_minutes=24 * 60, title=f"Load bench wire {number}")
        room.feed_ids.append(feed.pk)
    return room

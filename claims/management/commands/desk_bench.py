"""Seed a removable batch of claims and time the desk's pages in-process.

    python manage.py desk_bench --claims 100000 --runs 30
    python manage.py desk_bench --claims 100000 --profile   # and where each page's time goes
    python manage.py desk_bench --claims 100000 --keep      # keep the batch, then measure it again:
    python manage.py desk_bench --batch bench-1a2b3c4d
    python manage.py desk_bench --cleanup          # remove every bench batch

The batch is marked: its claims carry the tag ``bench-<id>``, its sources live under
``https://bench-<id>.invalid/`` and its users are ``bench-<id>-…``. ``--cleanup`` deletes all
of them with set-based SQL. Times are server time through Django's test Client (no network).
"""

from __future__ import annotations

import random
import time
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from claims.management.page_timing import pages_time

WORDS = (
    "russia china ukraine military assistance drones grain exports sanctions minister denied "
    "officials border tanks bridge energy prices election vaccine refugees ceasefire missile "
    "pipeline embassy statement report troops aid weapons economy inflation"
).split()
BATCH = 5000
SYLLABLES = "ka lo mi ne tu ra so vi de pa ge zo ri la mo nu be ti ko sa".split()


def _vocabulary(rng, size=3000):
    """Word-like filler, so a search matches a realistic fraction of claims, not most of them."""
    words = set()
    while len(words) < size:
        words.add("".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))))
    return sorted(words)


class Command(BaseCommand):
    help = "Seed a marked batch of claims and print p50/p95 server times for the desk's pages."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=10000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--cleanup", action="store_true", help="Delete all bench batches and exit")
        parser.add_argument("--keep", action="store_true", help="Keep the batch after measuring")
        parser.add_argument("--batch", help="Measure a batch kept by --keep instead of seeding one")
        parser.add_argument("--profile", action="store_true",
                            help="Also print where each page's time goes (SQL, templates, Python)")

    def handle(self, *args, **options):
        if options["cleanup"]:
            self.cleanup()
            return
        if options["batch"]:
            editor, big_claim_id = self.kept(options["batch"])
            self.measure(editor, big_claim_id, options["runs"], profile=options["profile"])
            return
        batch = f"bench-{uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        editor, big_claim_id = self.seed(batch, options["claims"])
        self.stdout.write(f"Seeded {options['claims']} claims as {batch} in {time.perf_counter() - started:.1f}s")
        try:
            self.measure(editor, big_claim_id, options["runs"], profile=options["profile"])
        finally:
            if not options["keep"]:
                self.cleanup(prefix=batch)

    # --- seeding ------------------------------------------------------------------------

    def seed(self, batch: str, count: int):
        from claims.models import ActivityEvent, ActivityVerb, Claim, Evidence, Tag
        from claims.roles import ensure_roles
        from sources.models import Outlet, Source

        ensure_roles()  # a flushed database (a transactional test) has no groups until then
        rng = random.Random(42)
        filler = _vocabulary(rng)
        User = get_user_model()
        editors = []
        for name in ("a", "b", "c"):
            user = User.objects.create_user(f"{batch}-{name}", password=None)
            user.groups.add(Group.objects.get(name="Editor"))
            editors.append(user)
        tag = Tag.objects.create(name=batch)
        outlet = Outlet.objects.create(name=f"Bench outlet {batch}", domain=f"{batch}.invalid")
        sources = Source.objects.bulk_create(
            Source(url=f"https://{batch}.invalid/{i}", title=f"Story {i}", outlet=outlet,
                   fetch_status="fetched")
            for i in range(1000)
        )
        statuses = ["new"] * 4 + ["triaged"] * 3 + ["researching"] * 2 + ["in_review", "published", "rejected"]
        with transaction.atomic():
            for start in range(0, count, BATCH):
                size = min(BATCH, count - start)
                claims = Claim.objects.bulk_create(
                    [
                        Claim(
                            text=" ".join(rng.sample(rng.choices(filler, k=10) + rng.choices(WORDS, k=2), 12)).capitalize() + f" #{start + i}.",
                            claimant=rng.choice(["Kremlin", "Beijing", "U.S. officials", "A blogger"]),
                            status=(status := rng.choice(statuses)),
                            rejection_reason="Not check-worthy" if status == "rejected" else "",
                            priority=rng.randint(1, 4),
                            assignee=rng.choice([None, *editors]),
                            created_by=editors[0],
                        )
                        for i in range(size)
                    ],
                    batch_size=BATCH,
                )
                Claim.tags.through.objects.bulk_create(
                    [Claim.tags.through(claim_id=c.pk, tag_id=tag.pk) for c in claims], batch_size=BATCH
                )
                evidence, activity = [], []
                for c in claims:
                    for k, source in enumerate(rng.sample(sources, 2)):
                        evidence.append(Evidence(
                            claim_id=c.pk, source=source, stance=["supports", "denies", "context"][k % 3],
                            speaker="Ministry" if k else "", speaker_is_party=bool(k),
                            quote=" ".join(rng.choices(filler, k=8)), added_by=editors[0],
                        ))
                    activity.append(ActivityEvent(actor=editors[0], verb=ActivityVerb.LOGGED, claim_id=c.pk, details={}))
                    activity.append(ActivityEvent(actor=rng.choice(editors), verb=ActivityVerb.EVIDENCE_ADDED, claim_id=c.pk, details={}))
                Evidence.objects.bulk_create(evidence, batch_size=BATCH)
                ActivityEvent.objects.bulk_create(activity, batch_size=BATCH)
            big = Claim.objects.create(text=f"Claim with 200 sources ({batch})", claimant="Bench",
                                       created_by=editors[0])
            big.tags.add(tag)
            Evidence.objects.bulk_create(
                Evidence(claim=big, source=s, stance=["supports", "denies", "context"][i % 3],
                         quote="quoted words", added_by=editors[0])
                for i, s in enumerate(sources[:200])
            )
            # One UPDATE builds every search document (same weights as claim_refresh_search).
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    UPDATE claims_claim c SET search_vector =
                        setweight(to_tsvector('english', c.text), 'A')
                        || setweight(to_tsvector('english', c.claimant), 'A')
                        || setweight(to_tsvector('english', coalesce(q.quotes, '')), 'B')
                    FROM claims_claim_tags ct
                    LEFT JOIN LATERAL (
                        SELECT string_agg(e.quote, ' ') AS quotes FROM claims_evidence e
                        WHERE e.claim_id = ct.claim_id
                    ) q ON true
                    WHERE ct.claim_id = c.id AND ct.tag_id = %s
                    """,
                    [tag.pk],
                )
            # Embeddings, as the embedding queue would give them (random directions: the
            # bench measures the HNSW search and the one typed text's embedding, not quality).
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    UPDATE claims_claim c SET embedding = (
                        SELECT array_agg(random() - 0.5 + 0 * g + 0 * c.id)::vector
                        FROM generate_series(1, 384) AS g
                    )
                    FROM claims_claim_tags ct WHERE ct.claim_id = c.id AND ct.tag_id = %s
                    """,
                    [tag.pk],
                )
        with connection.cursor() as cursor:
            # As autovacuum would: fresh statistics and a visibility map for index-only counts.
            for table in ("claims_claim", "claims_evidence", "claims_activityevent", "claims_claim_tags"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        return editors[0], big.pk

    def kept(self, batch: str):
        """The editor and the 200-item claim of a batch seeded earlier with --keep."""
        from claims.models import Claim

        editor = get_user_model().objects.filter(username=f"{batch}-a").first()
        big = Claim.objects.filter(text=f"Claim with 200 sources ({batch})").first()
        if editor is None or big is None:
            raise CommandError(f"No kept bench batch {batch!r} (seed one with --keep).")
        return editor, big.pk

    # --- measuring ----------------------------------------------------------------------

    def measure(self, editor, big_claim_id: int, runs: int, *, profile: bool = False):
        from urllib.parse import quote

        typed = [f"{who} said the {what} was {how} in {year}" for who, what, how, year in zip(
            ["Beijing", "The Kremlin", "A minister", "U.S. officials", "A blogger"] * 8,
            ["budget", "drone deal", "aid request", "sanctions plan", "election", "harvest",
             "border", "pipeline"] * 5,
            ["cancelled", "doubled", "denied", "approved", "delayed"] * 8,
            range(1990, 2030), strict=False)]
        pages = [
            ("queue, unfiltered", ["/"]),
            ("queue, status + assignee", [f"/?status=new&status=triaged&assignee={editor.pk}"]),
            ("queue, full-text search", ["/?q=drones+sanctions"]),
            ("claim page, 200 evidence", [f"/claims/{big_claim_id}/"]),
            # Each request types another text: its embedding, the HNSW search and the
            # lexical ranker, fused (the index is built by the first, warm-up request).
            ("intake warning (embedding)", [f"/claims/similar/?text={quote(t)}" for t in typed]),
        ]
        pages_time(self.stdout, editor, pages, runs, profile=profile)

    # --- cleanup ------------------------------------------------------------------------

    def cleanup(self, prefix: str = "bench-"):
        pattern = prefix + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_claims ON COMMIT DROP AS SELECT ct.claim_id AS id "
                "FROM claims_claim_tags ct JOIN claims_tag t ON t.id = ct.tag_id WHERE t.name LIKE %s",
                [pattern],
            )
            for table in ("claims_evidence", "claims_activityevent", "claims_note", "claims_claim_tags",
                          "claims_coveragesuggestion"):
                cursor.execute(f"DELETE FROM {table} WHERE claim_id IN (SELECT id FROM bench_claims)")
            cursor.execute("DELETE FROM claims_claim WHERE id IN (SELECT id FROM bench_claims)")
            cursor.execute("DELETE FROM claims_tag WHERE name LIKE %s", [pattern])
            cursor.execute(
                "DELETE FROM sources_source WHERE url LIKE %s", [f"https://{prefix}%.invalid/%"]
            )
            cursor.execute("DELETE FROM sources_outlet WHERE domain LIKE %s", [f"{prefix}%.invalid"])
            cursor.execute(
                "DELETE FROM auth_user_groups WHERE user_id IN (SELECT id FROM auth_user WHERE username LIKE %s)",
                [pattern],
            )
            cursor.execute("DELETE FROM claims_activityevent WHERE actor_id IN (SELECT id FROM auth_user WHERE username LIKE %s)", [pattern])
            cursor.execute("DELETE FROM auth_user WHERE username LIKE %s", [pattern])
        self.stdout.write(f"Removed bench data matching {prefix}*")

"""Seed a removable year of desk activity and time the dashboard in-process.

    python manage.py dashboard_bench --claims 100000 --runs 20
    python manage.py dashboard_bench --cleanup        # remove every bench batch

The batch is seeded by set-based SQL (``generate_series``): claims logged over the past 365
days, most of them moved on (published after a few hours to weeks, with an approved verdict,
a review and sometimes a "changes requested" first; some rejected; the rest open), activity
rows, and coverage suggestions of stored articles. Everything is marked: claims carry the
claimant ``dashboard-bench-<id>``, users are ``dashboard-bench-<id>-…`` and articles live
under ``https://dashboard-bench-<id>.invalid/``. Times are server time through Django's test
Client (no network), for the default period and for a year.
"""

from __future__ import annotations

import time
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from claims.management.page_timing import pages_time

PREFIX = "dashboard-bench-"


class Command(BaseCommand):
    help = "Seed a year of desk activity and print p50/p95 server times of /dashboard/."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--cleanup", action="store_true", help="Delete all bench batches and exit")
        parser.add_argument("--keep", action="store_true", help="Keep the batch after measuring")

    def handle(self, *args, **options):
        if options["cleanup"]:
            self.cleanup()
            return
        batch = f"{PREFIX}{uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        editor = self.seed(batch, options["claims"])
        self.stdout.write(f"Seeded {options['claims']} claims over 365 days as {batch} "
                          f"in {time.perf_counter() - started:.1f}s")
        try:
            self.measure(editor, options["runs"])
        finally:
            if not options["keep"]:
                self.cleanup(prefix=batch)

    # --- seeding ------------------------------------------------------------------------

    def seed(self, batch: str, count: int):
        from claims.models import Rating
        from claims.reviewing.ratings import ensure_default_scale
        from claims.roles import ensure_roles

        ensure_roles()
        ensure_default_scale()
        User = get_user_model()
        editors, reviewers = [], []
        for n in range(6):
            user = User.objects.create_user(f"{batch}-editor{n}", password=None)
            user.groups.add(Group.objects.get(name="Editor"))
            editors.append(user.pk)
        for n in range(3):
            user = User.objects.create_user(f"{batch}-reviewer{n}", password=None)
            user.groups.add(Group.objects.get(name="Reviewer"))
            reviewers.append(user.pk)
        rating = Rating.objects.order_by("pk").values_list("pk", flat=True).first()
        params = {"mark": batch, "count": count, "editors": editors, "reviewers": reviewers,
                  "rating": rating, "site": f"https://{batch}.invalid/"}
        with transaction.atomic(), connection.cursor() as cursor:
            # Claims: logged at random over the year; 55% published, 10% rejected, the rest
            # open in the workflow's four statuses.
            cursor.execute(
                """
                INSERT INTO claims_claim (text, claimant, claimant_kind, said_url, said_where, status,
                    priority, rejection_reason, created_by_id, created_at, updated_at, revision,
                    published_at, language)
                SELECT 'Bench claim ' || g, %(mark)s, 'person', '', '', t.status, 2,
                       CASE WHEN t.status = 'rejected' THEN 'Not check-worthy' ELSE '' END,
                       (%(editors)s::int[])[1 + g %% array_length(%(editors)s::int[], 1)],
                       t.logged, t.logged, 1,
                       CASE WHEN t.status = 'published'
                            THEN least(now(), t.logged + (1 + random() * random() * 700) * interval '1 hour')
                       END,
                       'en'
                FROM generate_series(1, %(count)s) AS g
                CROSS JOIN LATERAL (
                    SELECT now() - random() * interval '365 days' AS logged,
                           CASE WHEN r < 0.55 THEN 'published' WHEN r < 0.65 THEN 'rejected'
                                WHEN r < 0.75 THEN 'new' WHEN r < 0.85 THEN 'triaged'
                                WHEN r < 0.95 THEN 'researching' ELSE 'in_review' END AS status
                    FROM (SELECT random() + 0 * g AS r) AS roll
                ) AS t
                """,
                params,
            )
            self._analyze(cursor)
            # An approved verdict for every published claim, reviewed a few hours after it
            # was submitted; a quarter of them had changes requested first.
            cursor.execute(
                """
                INSERT INTO claims_verdictversion (claim_id, number, state, rating_id, headline,
                    summary_md, reasoning, denial_waiver_reason, correction_note, author_id,
                    created_at, submitted_at, reviewed_by_id, reviewed_at, published_at)
                SELECT c.id, 1, 'approved', %(rating)s, 'Bench verdict', 'Summary', '', '', '',
                       c.created_by_id, c.published_at - interval '3 hours',
                       c.published_at - least(random() * 48, 0.9 * EXTRACT(EPOCH FROM c.published_at - c.created_at) / 3600) * interval '1 hour',
                       (%(reviewers)s::int[])[1 + c.id %% array_length(%(reviewers)s::int[], 1)],
                       c.published_at, c.published_at
                FROM claims_claim c WHERE c.claimant = %(mark)s AND c.status = 'published'
                """,
                params,
            )
            self._analyze(cursor)
            cursor.execute(
                """
                INSERT INTO claims_review (version_id, reviewer_id, decision, comments, at)
                SELECT v.id, v.reviewed_by_id, 'approve', '', v.reviewed_at
                FROM claims_verdictversion v JOIN claims_claim c ON c.id = v.claim_id
                WHERE c.claimant = %(mark)s
                UNION ALL
                SELECT v.id, v.reviewed_by_id, 'request_changes', 'Please cite the denial.',
                       v.submitted_at + (v.reviewed_at - v.submitted_at) * random()
                FROM claims_verdictversion v JOIN claims_claim c ON c.id = v.claim_id
                WHERE c.claimant = %(mark)s AND v.id %% 4 = 0
                """,
                params,
            )
            self._analyze(cursor)
            # Activity: logged and evidence added for every claim, rejected for the rejected.
            cursor.execute(
                """
                INSERT INTO claims_activityevent (actor_id, verb, claim_id, details, at)
                SELECT c.created_by_id, v.verb, c.id, '{}'::jsonb,
                       c.created_at + v.after * interval '1 hour'
                FROM claims_claim c
                CROSS JOIN (VALUES ('logged', 0), ('evidence_added', 2), ('rejected', 30)) AS v(verb, after)
                WHERE c.claimant = %(mark)s AND (v.verb <> 'rejected' OR c.status = 'rejected')
                """,
                params,
            )
            self._analyze(cursor)
            # Coverage: one article per two claims, suggested to two claims each, a day or
            # so after it was published; most decided.
            cursor.execute(
                """
                INSERT INTO sources_document (canonical_url, title, summary, text, author, published_at,
                    language, fingerprint, created_at)
                SELECT %(site)s || g, 'Bench article ' || g, '', '', '',
                       now() - random() * interval '365 days', 'en', '', now()
                FROM generate_series(1, %(count)s / 2) AS g
                """,
                params,
            )
            self._analyze(cursor)
            cursor.execute(
                """
                WITH docs AS (
                    SELECT id, published_at, row_number() OVER (ORDER BY id) AS n
                    FROM sources_document WHERE canonical_url LIKE %(site)s || '%%'
                ), claims AS (
                    SELECT id, row_number() OVER (ORDER BY id) AS n, random() AS roll, random() AS delay
                    FROM claims_claim WHERE claimant = %(mark)s
                ), made AS (
                    SELECT c.id AS claim_id, d.id AS document_id, c.n,
                           least(now(), d.published_at + c.delay * interval '48 hours') AS made,
                           CASE WHEN c.roll < 0.5 THEN 'accepted' WHEN c.roll < 0.7 THEN 'dismissed'
                                ELSE 'suggested' END AS status
                    FROM claims c JOIN docs d ON d.n = (c.n + 1) / 2
                )
                INSERT INTO claims_coveragesuggestion (claim_id, document_id, relevance, stance,
                    stance_confidence, passage, status, corrected_stance, created_at, decided_at)
                SELECT claim_id, document_id, 0.5 + random() / 2,
                       (ARRAY['supports', 'denies', 'discusses'])[1 + n %% 3], random(), '', status, '',
                       made, CASE WHEN status <> 'suggested' THEN made + interval '6 hours' END
                FROM made
                """,
                params,
            )
            self._analyze(cursor)
        with connection.cursor() as cursor:
            for table in ("claims_claim", "claims_verdictversion", "claims_review",
                          "claims_activityevent", "sources_document", "claims_coveragesuggestion"):
                cursor.execute(f"VACUUM ANALYZE {table}")  # as autovacuum would after a load
        return User.objects.get(pk=editors[0])

    @staticmethod
    def _analyze(cursor):
        """Fresh statistics after each bulk insert, so the next one is planned for the real
        table sizes (a nested loop over 100,000 claims never finishes)."""
        for table in ("claims_claim", "claims_verdictversion", "sources_document"):
            cursor.execute(f"ANALYZE {table}")

    # --- measuring ----------------------------------------------------------------------

    def measure(self, editor, runs: int):
        pages = [("dashboard, 12 weeks", ["/dashboard/"]), ("dashboard, 52 weeks", ["/dashboard/?weeks=52"]),
                 ("one chart's CSV, 52 weeks", ["/dashboard/throughput.csv?weeks=52"])]
        pages_time(self.stdout, editor, pages, runs)

    # --- cleanup ------------------------------------------------------------------------

    def cleanup(self, prefix: str = PREFIX):
        pattern = prefix + "%"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE bench_claims ON COMMIT DROP AS "
                "SELECT id FROM claims_claim WHERE claimant LIKE %s", [pattern],
            )
            cursor.execute("DELETE FROM claims_review WHERE version_id IN (SELECT v.id FROM claims_verdictversion v "
                           "WHERE v.claim_id IN (SELECT id FROM bench_claims))")
            for table in ("claims_verdictversion", "claims_activityevent", "claims_coveragesuggestion"):
                cursor.execute(f"DELETE FROM {table} WHERE claim_id IN (SELECT id FROM bench_claims)")
            cursor.execute("DELETE FROM claims_claim WHERE id IN (SELECT id FROM bench_claims)")
            cursor.execute("DELETE FROM sources_document WHERE canonical_url LIKE %s",
                           [f"https://{prefix}%.invalid/%"])
            cursor.execute(
                "DELETE FROM auth_user_groups WHERE user_id IN (SELECT id FROM auth_user WHERE username LIKE %s)",
                [pattern],
            )
            cursor.execute("DELETE FROM claims_activityevent WHERE actor_id IN "
                           "(SELECT id FROM auth_user WHERE username LIKE %s)", [pattern])
            cursor.execute("DELETE FROM auth_user WHERE username LIKE %s", [pattern])
        self.stdout.write(f"Removed dashboard bench data matching {prefix}*")

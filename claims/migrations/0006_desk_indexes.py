"""Indexes for the triage queue's default sorts (see claims.selectors.claim_queue).

Raw SQL rather than Meta.indexes so the model definitions stay as the foundation wrote them;
the indexes only serve ORDER BY ... LIMIT on the queue, which the ORM state does not need to know.
"""

from django.db import migrations

OPEN = "('new', 'triaged', 'researching', 'in_review')"


class Migration(migrations.Migration):
    dependencies = [("claims", "0005_default_rating_scale")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS claim_queue_priority ON claims_claim "
            "(priority DESC, created_at DESC, id DESC)",
            "DROP INDEX IF EXISTS claim_queue_priority",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS claim_queue_assignee_priority ON claims_claim "
            "(assignee_id, priority DESC, created_at DESC, id DESC)",
            "DROP INDEX IF EXISTS claim_queue_assignee_priority",
        ),
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS claim_queue_open_created ON claims_claim "
            f"(created_at DESC, id DESC) WHERE status IN {OPEN}",
            "DROP INDEX IF EXISTS claim_queue_open_created",
        ),
    ]

"""Finer planner statistics for the article store's full-text column.

PostgreSQL keeps the frequencies of the most common words of a tsvector column (ten times the
statistics target). At the default, 1,000 words, any word outside them is guessed rare; at a
million documents, words guessed rare but in thousands of documents made a search walk the
newest-first index for seconds. At 1,000 it keeps 10,000 words. ANALYZE (autovacuum) then
samples more rows: seconds, not minutes, at a million documents.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0011_document_newest"),
    ]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE sources_document ALTER COLUMN search_vector SET STATISTICS 1000",
            reverse_sql="ALTER TABLE sources_document ALTER COLUMN search_vector SET STATISTICS -1",
        ),
    ]

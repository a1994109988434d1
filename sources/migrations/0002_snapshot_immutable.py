from django.db import migrations

# An archived snapshot is evidence of what a page said: once written it must never change.
FORBID_UPDATE = """
CREATE OR REPLACE FUNCTION sources_snapshot_forbid_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'archived snapshots are immutable (snapshot %)', OLD.id
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER sources_snapshot_no_update BEFORE UPDATE ON sources_snapshot
    FOR EACH ROW EXECUTE FUNCTION sources_snapshot_forbid_update();
"""
ALLOW_UPDATE = """
DROP TRIGGER IF EXISTS sources_snapshot_no_update ON sources_snapshot;
DROP FUNCTION IF EXISTS sources_snapshot_forbid_update();
"""


class Migration(migrations.Migration):
    dependencies = [("sources", "0001_initial")]
    operations = [migrations.RunSQL(FORBID_UPDATE, ALLOW_UPDATE)]

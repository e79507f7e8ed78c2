from django.db import migrations

# The audit trail is evidence in protection decisions: the database itself refuses to change it.
FORWARD = """
CREATE OR REPLACE FUNCTION proposals_event_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'proposals_proposalevent is append-only (% refused)', TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_event_no_update_delete
    BEFORE UPDATE OR DELETE ON proposals_proposalevent
    FOR EACH ROW EXECUTE FUNCTION proposals_event_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS proposals_event_no_update_delete ON proposals_proposalevent;
DROP FUNCTION IF EXISTS proposals_event_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("proposals", "0001_initial")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

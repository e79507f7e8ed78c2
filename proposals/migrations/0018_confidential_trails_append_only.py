from django.db import migrations

# The log of who opened confidential records and the handling of retaliation reports are evidence, as the
# audit trail is (0002): the database refuses to change or remove a row of either.
FORWARD = """
CREATE OR REPLACE FUNCTION portal_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER proposals_confidentialaccess_append_only
    BEFORE UPDATE OR DELETE ON proposals_confidentialaccess
    FOR EACH ROW EXECUTE FUNCTION portal_append_only();
CREATE TRIGGER proposals_retaliationstep_append_only
    BEFORE UPDATE OR DELETE ON proposals_retaliationstep
    FOR EACH ROW EXECUTE FUNCTION portal_append_only();
"""
BACKWARD = """
DROP TRIGGER IF EXISTS proposals_retaliationstep_append_only ON proposals_retaliationstep;
DROP TRIGGER IF EXISTS proposals_confidentialaccess_append_only ON proposals_confidentialaccess;
DROP FUNCTION IF EXISTS portal_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("proposals", "0017_names_plain")]
    operations = [migrations.RunSQL(FORWARD, BACKWARD)]

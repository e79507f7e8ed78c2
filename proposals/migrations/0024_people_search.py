"""The person picker finds officials by any part of their name, accent- and case-insensitive
(`proposals.selectors.people_search`): a trigram index on the folded name, among a hundred thousand officials.
`portal_unaccent` is this app's (0012_search), hence the index lives here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_unit_abbreviation"),
        ("proposals", "0023_draft_deletion"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX user_full_name_folded_trigram ON accounts_user "
            "USING gin (lower(portal_unaccent(full_name)) gin_trgm_ops);",
            "DROP INDEX IF EXISTS user_full_name_folded_trigram;",
        ),
    ]

"""Search without diacritics: "so hoa ho so" finds "Số hóa hồ sơ".

- `portal_unaccent(text)`: PostgreSQL's `unaccent` with its dictionary named, so that it is IMMUTABLE and may
  stand in an index or a trigger (plain `unaccent` is only STABLE, as its dictionary could change).
- `search_document`: a tsvector of the proposal's words without diacritics, in the `simple` configuration
  (Vietnamese has no stemmer; its syllables are words), weighted A (reference, title), B (summary),
  C (the plan). A trigger keeps it current on every insert and every update that writes one of those
  columns, whoever writes the row.
- A trigram index on the unaccented title, for short or misspelt queries.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.conf import settings
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

PLAN_FIELDS = (
    "necessity", "bottleneck", "objectives", "content_solutions", "scope", "implementers", "timeline_description",
    "resources", "feasibility", "positive_impact", "negative_impact", "expected_results", "risks", "worst_case",
    "risk_handling",
)

FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION portal_unaccent(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE OR REPLACE FUNCTION proposal_search_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document :=
        setweight(to_tsvector('simple', portal_unaccent(concat_ws(' ', NEW.reference, NEW.title))), 'A')
        || setweight(to_tsvector('simple', portal_unaccent(coalesce(NEW.summary, ''))), 'B')
        || setweight(to_tsvector('simple', portal_unaccent(concat_ws(' ', {", ".join(f"NEW.{name}" for name in PLAN_FIELDS)}))), 'C');
    RETURN NEW;
END $$;

-- Only writes that name a searched column recompute the document: a transition saves its few fields
-- (update_fields) and leaves the words alone.
CREATE TRIGGER proposal_search_document BEFORE INSERT OR UPDATE OF {", ".join(("reference", "title", "summary", *PLAN_FIELDS))}
    ON proposals_proposal FOR EACH ROW EXECUTE FUNCTION proposal_search_document();

-- Existing rows: the trigger computes their document.
UPDATE proposals_proposal SET title = title;

CREATE INDEX proposal_title_trigram ON proposals_proposal USING gin (portal_unaccent(title) gin_trgm_ops);
"""

DROP = """
DROP INDEX IF EXISTS proposal_title_trigram;
DROP TRIGGER IF EXISTS proposal_search_document ON proposals_proposal;
DROP FUNCTION IF EXISTS proposal_search_document();
DROP FUNCTION IF EXISTS portal_unaccent(text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_constraint_messages'),
        ('proposals', '0011_outbox_notices'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        TrigramExtension(),
        migrations.AddField(
            model_name='proposal',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='proposal',
            index=django.contrib.postgres.indexes.GinIndex(fields=['search_document'], name='proposal_search_document'),
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]

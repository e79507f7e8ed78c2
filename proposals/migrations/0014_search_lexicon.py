"""The search lexicon (proposals.models.search.SearchWord), kept by triggers whoever writes a proposal.

- `proposal_words(title, summary)`: the words of a title and summary as the search document has them (unaccented,
  the `simple` configuration), without numbers (references, years, amounts would only crowd the lexicon).
- Triggers add a new or changed proposal's words; `proposal_search_words_rebuild()` adds every proposal's
  (this migration's backfill, and after a bulk load with triggers off).
- The trigram index on the unaccented title goes: misspelt words now go through the lexicon, so nothing reads it
  and every write of a title would keep it for nothing.
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

FUNCTIONS = """
CREATE FUNCTION proposal_words(title text, summary text) RETURNS SETOF text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
    SELECT w.lexeme FROM unnest(to_tsvector('simple', portal_unaccent(concat_ws(' ', title, summary)))) AS w
     WHERE w.lexeme !~ '[0-9]' AND length(w.lexeme) BETWEEN 2 AND 64
    $$;

CREATE FUNCTION proposal_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO proposals_searchword (word)
    SELECT DISTINCT word FROM proposal_words(NEW.title, NEW.summary) AS word ORDER BY 1
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER proposal_search_words_inserted AFTER INSERT ON proposals_proposal
    FOR EACH ROW EXECUTE FUNCTION proposal_search_words();
CREATE TRIGGER proposal_search_words_updated AFTER UPDATE OF title, summary ON proposals_proposal
    FOR EACH ROW WHEN ((OLD.title, OLD.summary) IS DISTINCT FROM (NEW.title, NEW.summary))
    EXECUTE FUNCTION proposal_search_words();

CREATE FUNCTION proposal_search_words_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    INSERT INTO proposals_searchword (word)
    SELECT DISTINCT word FROM proposals_proposal p, proposal_words(p.title, p.summary) AS word
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END $$;

SELECT proposal_search_words_rebuild();

DROP INDEX IF EXISTS proposal_title_trigram;
"""

DROP = """
CREATE INDEX IF NOT EXISTS proposal_title_trigram ON proposals_proposal USING gin (portal_unaccent(title) gin_trgm_ops);
DROP FUNCTION IF EXISTS proposal_search_words_rebuild();
DROP TRIGGER IF EXISTS proposal_search_words_updated ON proposals_proposal;
DROP TRIGGER IF EXISTS proposal_search_words_inserted ON proposals_proposal;
DROP FUNCTION IF EXISTS proposal_search_words();
DROP FUNCTION IF EXISTS proposal_words(text, text);
"""


class Migration(migrations.Migration):

    dependencies = [
        ('proposals', '0013_inbox_index'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('word', models.CharField(max_length=64, primary_key=True, serialize=False, verbose_name='từ')),
            ],
            options={
                'verbose_name': 'từ tìm kiếm',
                'verbose_name_plural': 'từ tìm kiếm',
                'indexes': [django.contrib.postgres.indexes.GistIndex(fields=['word'], name='search_word_trigram', opclasses=['gist_trgm_ops'])],
            },
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]

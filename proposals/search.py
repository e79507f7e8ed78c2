"""Search text → full-text query, with misspelt words widened through the lexicon (docs/search.md).

Every match is a full-text match on the search document. A word typed wrongly is not matched by similarity row by
row: it is looked up in the lexicon of title and summary words (`SearchWord`), and the query asks for it or any of
the few words closest to it.

How many proposals of the city a query may match is read from the statistics PostgreSQL keeps of the search
documents' words (`pg_stats.most_common_elems`): a query that may match few is "rare", and its matches are read
from the GIN index first (`rare_match_ids`); a common one is found by walking the list newest first, where its matches
are met in the first rows. Left to itself, the planner walked lists of hundreds of thousands of proposals, reading
every document, for words that match a handful (docs/performance.md).
"""

from __future__ import annotations

import dataclasses
import re

from django.db import connections, transaction
from django.db.models import QuerySet

#: The least trigram similarity (0 to 1) at which a lexicon word stands in for a typed one ("ngapp" → "ngap").
WORD_SIMILARITY = 0.5
#: At most this many lexicon words stand in for one typed word.
CLOSE_WORDS = 3
#: A proposal's reference, as the portal numbers them (DX-2026-000091).
REFERENCE = re.compile(r"[A-Z]{2,5}-\d{4}-\d+")
#: A query may be rare when the statistics say it matches at most this many proposals of the whole city, or when
#: its rarest word is one they do not list among the common ones. Its matches are then read from the GIN index (an
#: exact bitmap at this size), at most this many and one more, and the list keeps those it holds.
RARE_MATCHES = 10_000

# For each word of the text: whether the lexicon knows it, the words closest to it, and the share of proposals
# whose document holds it and each close word. A word the statistics do not list is rarer than every word they
# list: its share is at most their least one (the value after the per-word shares). No statistics (a table never
# analysed): no shares, and no query counts as rare.
_WORDS = """
WITH stats AS (
    SELECT st.most_common_elems::text::text[] AS words, st.most_common_elem_freqs AS shares,
           greatest(c.reltuples, 0) AS proposals
      FROM pg_stats st JOIN pg_class c ON c.oid = 'proposals_proposal'::regclass
     WHERE st.schemaname = current_schema() AND st.tablename = 'proposals_proposal'
       AND st.attname = 'search_document' AND st.most_common_elems IS NOT NULL
), words AS (
    SELECT w.lexeme, w.position,
           EXISTS (SELECT 1 FROM proposals_searchword s WHERE s.word = w.lexeme) AS known,
           CASE WHEN w.lexeme ~ '[0-9]' OR length(w.lexeme) < 3 THEN '{}'::text[] ELSE ARRAY(
               SELECT s.word FROM proposals_searchword s
                WHERE s.word <> w.lexeme AND similarity(s.word, w.lexeme) >= %(similarity)s
                ORDER BY s.word <-> w.lexeme, s.word
                LIMIT %(close)s) END AS close
      FROM (SELECT lexeme, (SELECT min(p) FROM unnest(positions) AS p) AS position
              FROM unnest(to_tsvector('simple', portal_unaccent(%(text)s)))) AS w
)
SELECT w.lexeme, w.known, w.close,
       st.proposals * st.shares[cardinality(st.words) + 1] AS unlisted_matches,
       st.proposals * coalesce(st.shares[array_position(st.words, w.lexeme)],
                               st.shares[cardinality(st.words) + 1]) AS matches,
       ARRAY(SELECT st.proposals * coalesce(st.shares[array_position(st.words, c.word)],
                                            st.shares[cardinality(st.words) + 1])
               FROM unnest(w.close) WITH ORDINALITY AS c(word, n) ORDER BY c.n) AS close_matches
  FROM words w LEFT JOIN stats st ON true
 ORDER BY w.position, w.lexeme
"""


@dataclasses.dataclass(frozen=True)
class Terms:
    """A search's words as two `to_tsquery` texts: `strict` widens only the words no title or summary has ever
    used; `widened`, when it differs, widens every word, for a search the strict form finds nothing for."""

    strict: str
    widened: str | None
    #: At most how many proposals of the city each form matches, by the statistics; None when they cannot say
    #: (no statistics, or a half-typed word that stands for every word it begins).
    strict_matches: float | None = None
    widened_matches: float | None = None
    #: At most how many proposals match a word the statistics do not list (their least listed share).
    unlisted_matches: float = 0

    def _may_be_rare(self, matches: float | None) -> bool:
        return matches is not None and matches <= max(RARE_MATCHES, self.unlisted_matches)

    @property
    def strict_is_rare(self) -> bool:
        return self._may_be_rare(self.strict_matches)

    @property
    def widened_is_rare(self) -> bool:
        return self._may_be_rare(self.widened_matches)


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _group(lexeme: str, close: list[str], *, prefix: bool) -> str:
    alternatives = [_quoted(lexeme), *(_quoted(word) for word in close)]
    if prefix:
        alternatives.append(_quoted(lexeme) + ":*")
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def _group_matches(matches: float | None, close_matches: list, *, prefix: bool) -> float | None:
    """At most how many proposals a group of alternatives matches: the sum of its words' counts."""
    if prefix or matches is None or None in close_matches:
        return None
    return matches + sum(close_matches)


def _all_matches(groups: list[float | None]) -> float | None:
    """At most how many proposals match every group: as many as the rarest group does."""
    known = [matches for matches in groups if matches is not None]
    return min(known) if known else None


def terms(text: str, *, using: str = "default") -> Terms | None:
    """The query for `text` (already trimmed), or None when it has no word to look for. One query, on the
    database `using` (the one the list is read from)."""
    with connections[using].cursor() as cursor:
        cursor.execute(_WORDS, {"text": text, "similarity": WORD_SIMILARITY, "close": CLOSE_WORDS})
        words = cursor.fetchall()
    if not words:
        return None
    last = len(words) - 1
    strict, widened, strict_matches, widened_matches = [], [], [], []
    unlisted_matches = words[0][3] or 0  # the same on every row
    for n, (lexeme, known, close, _unlisted_matches, matches, close_matches) in enumerate(words):
        # A last word nobody has used may be half-typed: it also matches as the start of a word.
        prefix = n == last and not known and len(lexeme) >= 2
        widened_group = _group(lexeme, close, prefix=prefix)
        widened_group_matches = _group_matches(matches, close_matches, prefix=prefix)
        strict.append(_group(lexeme, [], prefix=False) if known else widened_group)
        strict_matches.append(matches if known else widened_group_matches)
        widened.append(widened_group)
        widened_matches.append(widened_group_matches)
    strict_text, widened_text = " & ".join(strict), " & ".join(widened)
    return Terms(strict=strict_text, widened=widened_text if widened_text != strict_text else None,
                 strict_matches=_all_matches(strict_matches), widened_matches=_all_matches(widened_matches),
                 unlisted_matches=unlisted_matches)


def rare_match_ids(queryset: QuerySet, query) -> list[int] | None:
    """The ids of the proposals of `queryset` (the whole city) matching `query`, if at most `RARE_MATCHES` do;
    else None. Call it for a query the statistics say may be rare (`Terms.strict_is_rare`): for common words
    the index alone would build a bitmap of most of the city (hundreds of ms).

    Only the GIN index may answer (a bitmap scan): a planner that misjudges how many proposals match would
    otherwise read documents row after row for matches that are not there. The scan stops after RARE_MATCHES + 1
    rows, so statistics that are out of date cost a bounded read."""
    database = queryset.db
    with transaction.atomic(using=database):
        with connections[database].cursor() as cursor:
            cursor.execute("SELECT set_config('enable_seqscan', 'off', true), "
                           "set_config('enable_indexscan', 'off', true)")
        ids = list(queryset.filter(search_document=query).values_list("pk", flat=True)[:RARE_MATCHES + 1])
    return ids if len(ids) <= RARE_MATCHES else None


def search_words_rebuild() -> int:
    """Add every proposal's title and summary words to the lexicon (after a bulk load with triggers off)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT proposal_search_words_rebuild()")
        return cursor.fetchone()[0]

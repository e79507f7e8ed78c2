"""Search text → full-text query, with misspelt words widened through the lexicon (docs/search.md).

Every match is a full-text match on the search document. A word typed wrongly is not matched by similarity row by
row: it is looked up in the lexicon of title and summary words (`SearchWord`), and the query asks for it or any of
the few words closest to it. (PostgreSQL still chooses how to find the matches from its estimates, and for several
words that are common alone but rare together it misjudges them: docs/performance.md.)
"""

from __future__ import annotations

import dataclasses
import re

from django.db import connection

#: The least trigram similarity (0 to 1) at which a lexicon word stands in for a typed one ("ngapp" → "ngap").
WORD_SIMILARITY = 0.5
#: At most this many lexicon words stand in for one typed word.
CLOSE_WORDS = 3
#: A proposal's reference, as the portal numbers them (DX-2026-000091).
REFERENCE = re.compile(r"[A-Z]{2,5}-\d{4}-\d+")

_WORDS = """
SELECT w.lexeme,
       EXISTS (SELECT 1 FROM proposals_searchword s WHERE s.word = w.lexeme) AS known,
       CASE WHEN w.lexeme ~ '[0-9]' OR length(w.lexeme) < 3 THEN '{}'::text[] ELSE ARRAY(
           SELECT s.word FROM proposals_searchword s
            WHERE s.word <> w.lexeme AND similarity(s.word, w.lexeme) >= %(similarity)s
            ORDER BY s.word <-> w.lexeme, s.word
            LIMIT %(close)s) END AS close
  FROM (SELECT lexeme, (SELECT min(p) FROM unnest(positions) AS p) AS position
          FROM unnest(to_tsvector('simple', portal_unaccent(%(text)s)))) AS w
 ORDER BY w.position, w.lexeme
"""


@dataclasses.dataclass(frozen=True)
class Terms:
    """A search's words as two `to_tsquery` texts: `strict` widens only the words no title or summary has ever
    used; `widened`, when it differs, widens every word, for a search the strict form finds nothing for."""

    strict: str
    widened: str | None


def _quoted(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def _group(lexeme: str, close: list[str], *, prefix: bool) -> str:
    alternatives = [_quoted(lexeme), *(_quoted(word) for word in close)]
    if prefix:
        alternatives.append(_quoted(lexeme) + ":*")
    return alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")"


def terms(text: str) -> Terms | None:
    """The query for `text` (already trimmed), or None when it has no word to look for. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_WORDS, {"text": text, "similarity": WORD_SIMILARITY, "close": CLOSE_WORDS})
        words = cursor.fetchall()
    if not words:
        return None
    last = len(words) - 1
    strict, widened = [], []
    for n, (lexeme, known, close) in enumerate(words):
        # A last word nobody has used may be half-typed: it also matches as the start of a word.
        prefix = n == last and not known and len(lexeme) >= 2
        widened_group = _group(lexeme, close, prefix=prefix)
        strict.append(_group(lexeme, [], prefix=False) if known else widened_group)
        widened.append(widened_group)
    strict_text, widened_text = " & ".join(strict), " & ".join(widened)
    return Terms(strict=strict_text, widened=widened_text if widened_text != strict_text else None)


def search_words_rebuild() -> int:
    """Add every proposal's title and summary words to the lexicon (after a bulk load with triggers off)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT proposal_search_words_rebuild()")
        return cursor.fetchone()[0]

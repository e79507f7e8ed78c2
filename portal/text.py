"""Text as people type it: normalised, safe to search with, and checked where it names something."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def search_text(value: str, limit: int) -> str:
    """What a search box's text means: composed Unicode (NFC, as the documents are), with control characters
    (a NUL, which PostgreSQL refuses in any string, included) read as spaces, spaces collapsed, at most `limit`
    characters."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(char) == "Cc" else char for char in value)
    return " ".join(value.split())[:limit]


#: Characters that change how text around them is shown without being seen themselves: bidirectional embeddings,
#: overrides and isolates (which can make "gpj.exe" read "exe.jpg"), and zero-width spaces and joiners (which
#: make two identical-looking names different).
INVISIBLE_FORMATTING = frozenset(
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings and overrides
    "\u2066\u2067\u2068\u2069"  # isolates
    "\u200e\u200f\u061c"  # direction marks
    "\u200b\u200c\u200d\u2060\ufeff"  # zero-width space, non-joiner, joiner, word joiner, byte-order mark
)


def validate_plain_name(value: str) -> None:
    """A title or a name: no invisible formatting characters (INVISIBLE_FORMATTING) and no control characters."""
    if any(char in INVISIBLE_FORMATTING or unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("Tên có ký tự ẩn (đổi chiều văn bản, khoảng trắng không độ rộng hoặc ký tự điều khiển): hãy gõ lại "
              "hoặc dán dưới dạng văn bản thuần."), code="invisible_characters")


def validate_has_letters(value: str) -> None:
    """A title says something: at least one letter, not only digits, punctuation or symbols."""
    if not any(unicodedata.category(char).startswith("L") for char in value):
        raise ValidationError(_("Tên phải có chữ."), code="no_letters")

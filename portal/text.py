"""Text as people type it, made safe to search with."""

from __future__ import annotations

import unicodedata


def search_text(value: str, limit: int) -> str:
    """What a search box's text means: composed Unicode (NFC, as the documents are), with control characters
    (a NUL, which PostgreSQL refuses in any string, included) read as spaces, spaces collapsed, at most `limit`
    characters."""
    value = unicodedata.normalize("NFC", value)
    value = "".join(" " if unicodedata.category(char) == "Cc" else char for char in value)
    return " ".join(value.split())[:limit]

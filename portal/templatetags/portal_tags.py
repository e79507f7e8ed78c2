"""Template tags every page uses."""

from __future__ import annotations

import unicodedata

from django import template
from django.conf import settings
from django.utils.translation import get_language_info

register = template.Library()


@register.simple_tag
def language_choices() -> list[dict]:
    """Each language of the portal by its own name ("English", "Tiếng Việt"), for the one-click switch.

    Django's table spells some names in decomposed Unicode; they are composed (NFC) like the rest of the page,
    so that a search of the page, or a screen reader, finds them as typed."""
    return [{"code": code, "name": unicodedata.normalize("NFC", get_language_info(code)["name_local"])}
            for code, _name in settings.LANGUAGES]

"""Choice labels translated once per field and language.

Django's get_FOO_display() builds a dictionary of the field's choices on each call, hashing every lazy label and so
translating all of them to show one: a proposal page showing twenty events' kinds translated about five hundred
labels. Models whose labels pages show take ChoiceLabels before models.Model, and get_FOO_display() reads a
dictionary built once per field and language instead.
"""

from functools import cache

from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language


@cache
def _labels(field, language: str | None) -> dict:
    # The language is part of the key only: the labels are translated in the active one, which it names.
    return {make_hashable(value): force_str(label, strings_only=True) for value, label in field.flatchoices}


class ChoiceLabels:
    """get_FOO_display() from a per-language dictionary; the result is the one Django's own gives."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        return _labels(field, get_language()).get(make_hashable(value), force_str(value, strings_only=True))
